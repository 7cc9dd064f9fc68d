//! Transcript tests: drive ONE node through ONE event and get back exactly the
//! [`Effect`]s it emitted, in order, to compare with `assert_eq!` (openraft's engine
//! tests compare `take_commands()` with a `vec![…]` the same way; etcd-raft's
//! `testdata/*.txt` print the same information as text).
//!
//! No world is involved: no bus, no RNG, no timers firing. A [`Harness`] holds one
//! node, its id, a configuration and a fixed `now`; each method is one event and
//! returns that event's effects. [`effects_of`] is the same thing as a free function
//! for a node held elsewhere.
//!
//! This module only builds [`Ctx`]s; it must not interpret effects.

use crate::ctx::{Ctx, Effect};
use crate::id::{NodeId, RequestId};
use crate::protocol::{Node, Protocol};
use crate::time::Tick;

/// The effects `node` (with id `id`) emits when `event` runs it at `now` under
/// `config`.
///
/// ```
/// use faultlab_sim::raft::{Raft, RaftConfig, RaftNode, RaftNote, RaftTimer, Term};
/// use faultlab_sim::testkit::effects_of;
/// use faultlab_sim::{Effect, Node, NodeId, Tick, Ticks};
///
/// let config = RaftConfig::default();
/// let mut node = RaftNode::boot(NodeId(0), &config, None);
/// let effects = effects_of::<Raft>(&mut node, NodeId(0), Tick(0), &config, |n, ctx| {
///     n.on_start(ctx);
/// });
/// let (min, max) = config.election_timeout();
/// assert_eq!(
///     effects,
///     [
///         Effect::Note(RaftNote::Started { term: Term(0), log_len: 0 }),
///         Effect::SetTimer { timer: RaftTimer::Election, min, max },
///     ]
/// );
/// ```
pub fn effects_of<P: Protocol>(
    node: &mut P::Node,
    id: NodeId,
    now: Tick,
    config: &P::Config,
    event: impl FnOnce(&mut P::Node, &mut Ctx<'_, P>),
) -> Vec<Effect<P>> {
    let mut effects = Vec::new();
    let mut ctx = Ctx::new(now, id, config, &mut effects);
    event(node, &mut ctx);
    effects
}

/// One node under test, outside any world. Each event method returns the effects
/// of that event only.
#[derive(Clone, Debug)]
pub struct Harness<P: Protocol> {
    /// The node (read its state between events).
    pub node: P::Node,
    /// Its id.
    pub id: NodeId,
    /// The configuration every event runs under.
    pub config: P::Config,
    /// The time every event runs at (set it between events to move time).
    pub now: Tick,
}

impl<P: Protocol> Harness<P> {
    /// A harness around `node`, at `now`.
    pub fn new(node: P::Node, id: NodeId, config: P::Config, now: Tick) -> Self {
        Harness {
            node,
            id,
            config,
            now,
        }
    }

    /// A node booted with `durable` state (or none), not yet started.
    pub fn boot(id: NodeId, config: P::Config, durable: Option<&P::Durable>, now: Tick) -> Self {
        let node = P::Node::boot(id, &config, durable);
        Harness::new(node, id, config, now)
    }

    /// Run `event` on the node and return its effects.
    pub fn run(&mut self, event: impl FnOnce(&mut P::Node, &mut Ctx<'_, P>)) -> Vec<Effect<P>> {
        effects_of::<P>(&mut self.node, self.id, self.now, &self.config, event)
    }

    /// [`Node::on_start`].
    pub fn start(&mut self) -> Vec<Effect<P>> {
        self.run(Node::on_start)
    }

    /// [`Node::on_message`]: `msg` from `from` is delivered.
    pub fn deliver(&mut self, from: NodeId, msg: P::Msg) -> Vec<Effect<P>> {
        self.run(|n, ctx| n.on_message(from, msg, ctx))
    }

    /// [`Node::on_timer`]: `timer` fires.
    pub fn fire(&mut self, timer: P::Timer) -> Vec<Effect<P>> {
        self.run(|n, ctx| n.on_timer(timer, ctx))
    }

    /// [`Node::on_request`]: a client sends `request` as `id`.
    pub fn request(&mut self, id: RequestId, request: P::Request) -> Vec<Effect<P>> {
        self.run(|n, ctx| n.on_request(id, request, ctx))
    }

    /// [`Node::on_force_timeout`].
    pub fn force_timeout(&mut self) -> Vec<Effect<P>> {
        self.run(Node::on_force_timeout)
    }
}
