//! The handle a node uses to act on the world: it records [`Effect`]s and nothing
//! else. Sending, arming timers and answering clients all happen later, in the world,
//! which resolves latency, loss and timer spread with the seeded RNG.

use crate::id::{NodeId, RequestId};
use crate::protocol::Protocol;
use crate::time::{Tick, Ticks};

/// One thing a node asked the world to do.
///
/// `Effect` is `PartialEq`/`Eq` whenever the protocol's message, note and response
/// types are (the bounds sit on the impls, not on [`Protocol`]), so a test can compare
/// what a node emitted with an exact list (see [`crate::testkit`]).
#[derive(Clone, Debug)]
pub enum Effect<P: Protocol> {
    /// Put `msg` on the bus to `to`.
    Send {
        /// Destination.
        to: NodeId,
        /// Payload.
        msg: P::Msg,
    },
    /// Arm (or re-arm) `timer` to fire after a uniformly drawn span in `min..=max`.
    SetTimer {
        /// Which timer.
        timer: P::Timer,
        /// Shortest span.
        min: Ticks,
        /// Longest span.
        max: Ticks,
    },
    /// Disarm `timer` if armed.
    CancelTimer {
        /// Which timer.
        timer: P::Timer,
    },
    /// Record a protocol note in the trace (and so in the logs).
    Note(P::Note),
    /// Answer a client request this node received.
    Reply {
        /// The request being answered.
        request: RequestId,
        /// The answer.
        response: P::Response,
    },
    /// Force what the node has written to stable storage (`fsync`): the world keeps
    /// a copy of the node's durable state, which is what survives a
    /// [`crate::Fault::PowerLoss`]. A plain crash keeps everything written, synced or
    /// not. Nothing is recorded in the trace.
    Sync,
}

impl<P: Protocol> PartialEq for Effect<P>
where
    P::Msg: PartialEq,
    P::Note: PartialEq,
    P::Response: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Effect::Send { to: a, msg: m }, Effect::Send { to: b, msg: n }) => a == b && m == n,
            (
                Effect::SetTimer {
                    timer: a,
                    min: amin,
                    max: amax,
                },
                Effect::SetTimer {
                    timer: b,
                    min: bmin,
                    max: bmax,
                },
            ) => a == b && amin == bmin && amax == bmax,
            (Effect::CancelTimer { timer: a }, Effect::CancelTimer { timer: b }) => a == b,
            (Effect::Note(a), Effect::Note(b)) => a == b,
            (
                Effect::Reply {
                    request: a,
                    response: r,
                },
                Effect::Reply {
                    request: b,
                    response: s,
                },
            ) => a == b && r == s,
            (Effect::Sync, Effect::Sync) => true,
            _ => false,
        }
    }
}

impl<P: Protocol> Eq for Effect<P>
where
    P::Msg: Eq,
    P::Note: Eq,
    P::Response: Eq,
{
}

/// What a handler sees of the world: the time, its own id, the configuration, and
/// an outbox.
pub struct Ctx<'a, P: Protocol> {
    now: Tick,
    id: NodeId,
    config: &'a P::Config,
    effects: &'a mut Vec<Effect<P>>,
}

impl<'a, P: Protocol> Ctx<'a, P> {
    /// A context for node `id` at `now`, collecting into `effects`.
    pub fn new(
        now: Tick,
        id: NodeId,
        config: &'a P::Config,
        effects: &'a mut Vec<Effect<P>>,
    ) -> Self {
        Ctx {
            now,
            id,
            config,
            effects,
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> Tick {
        self.now
    }

    /// The id of the node being run.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The protocol configuration in force (it may change during a run).
    pub fn config(&self) -> &P::Config {
        self.config
    }

    /// Send `msg` to `to`.
    pub fn send(&mut self, to: NodeId, msg: P::Msg) {
        self.effects.push(Effect::Send { to, msg });
    }

    /// Arm `timer` after a span drawn uniformly from `min..=max` by the world.
    pub fn set_timer(&mut self, timer: P::Timer, min: Ticks, max: Ticks) {
        self.effects.push(Effect::SetTimer { timer, min, max });
    }

    /// Disarm `timer`.
    pub fn cancel_timer(&mut self, timer: P::Timer) {
        self.effects.push(Effect::CancelTimer { timer });
    }

    /// Record a protocol note.
    pub fn note(&mut self, note: P::Note) {
        self.effects.push(Effect::Note(note));
    }

    /// Answer client request `request`.
    pub fn reply(&mut self, request: RequestId, response: P::Response) {
        self.effects.push(Effect::Reply { request, response });
    }

    /// Force the node's durable state to stable storage (see [`Effect::Sync`]).
    pub fn sync(&mut self) {
        self.effects.push(Effect::Sync);
    }
}
