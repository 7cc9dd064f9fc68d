//! The trace: what happened, in order. Every delivery, drop, timer, crash, input,
//! protocol note and client result is a [`TraceEvent`].
//!
//! Events are grouped by the world step that produced them: `event` is the step
//! number (step 0 is the initial boot), `index` the position in the whole trace.
//! The trace holds ids and small values, never rendered strings, so recording it
//! costs little; log lines are rendered from it on demand ([`crate::log`]).

use serde::{Deserialize, Serialize};

use crate::bus::DropReason;
use crate::id::{MsgId, NodeId, RequestId};
use crate::input::Input;
use crate::protocol::Protocol;
use crate::time::Tick;

/// One thing that happened.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct TraceEvent<P: Protocol> {
    /// Position in the whole trace.
    pub index: u64,
    /// The world step (event number) that produced it.
    pub event: u64,
    /// Virtual time.
    pub at: Tick,
    /// What happened.
    pub kind: EventKind<P>,
}

/// The kinds of trace events.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
#[serde(rename_all = "snake_case")]
pub enum EventKind<P: Protocol> {
    /// A node booted (at the start of a run).
    Booted {
        /// The node.
        node: NodeId,
    },
    /// A message left its sender.
    Sent {
        /// Its id.
        msg: MsgId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// The payload.
        payload: P::Msg,
        /// When it will arrive (or die).
        deliver_at: Tick,
    },
    /// A message was duplicated by the bus or the user.
    Duplicated {
        /// The original.
        msg: MsgId,
        /// The copy's id.
        copy: MsgId,
        /// When the copy arrives.
        deliver_at: Tick,
    },
    /// A message arrived and was handled.
    Delivered {
        /// Its id.
        msg: MsgId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// The payload.
        payload: P::Msg,
    },
    /// A message died.
    Dropped {
        /// Its id.
        msg: MsgId,
        /// Sender.
        from: NodeId,
        /// Receiver.
        to: NodeId,
        /// The RPC name.
        rpc: String,
        /// Why.
        reason: DropReason,
    },
    /// A message was moved to arrive now.
    Expedited {
        /// Its id.
        msg: MsgId,
    },
    /// A message was held back (a delay or reorder fault): it now arrives later.
    Delayed {
        /// Its id.
        msg: MsgId,
        /// When it now arrives.
        deliver_at: Tick,
    },
    /// A timer fired.
    TimerFired {
        /// The node.
        node: NodeId,
        /// Which timer.
        timer: P::Timer,
    },
    /// A node crashed.
    Crashed {
        /// The node.
        node: NodeId,
    },
    /// A node restarted from its durable state.
    Restarted {
        /// The node.
        node: NodeId,
    },
    /// An input was applied.
    Input(Input<P>),
    /// A protocol note from a node.
    Note {
        /// The node.
        node: NodeId,
        /// The note.
        note: P::Note,
    },
    /// A client request reached a node.
    Request {
        /// Request id.
        id: RequestId,
        /// The node it was sent to.
        node: NodeId,
        /// The request.
        request: P::Request,
    },
    /// A client request was answered (by the node, or by the world if the node was down).
    Response {
        /// Request id.
        id: RequestId,
        /// The node it was sent to.
        node: NodeId,
        /// The answer.
        response: P::Response,
    },
}

impl<P: Protocol> EventKind<P> {
    /// The node this event happened on, if it is about one node.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            EventKind::Booted { node }
            | EventKind::TimerFired { node, .. }
            | EventKind::Crashed { node }
            | EventKind::Restarted { node }
            | EventKind::Note { node, .. }
            | EventKind::Request { node, .. }
            | EventKind::Response { node, .. } => Some(*node),
            EventKind::Sent { from, .. } => Some(*from),
            EventKind::Delivered { to, .. } | EventKind::Dropped { to, .. } => Some(*to),
            _ => None,
        }
    }
}

/// A 64-bit FNV-1a digest of a trace's JSON form: equal digests mean equal traces,
/// which is how native and browser runs are compared for determinism.
///
/// # Panics
/// If a protocol type fails to serialise (they are plain data, so it cannot).
pub fn digest<'a, P: Protocol + 'a>(events: impl IntoIterator<Item = &'a TraceEvent<P>>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for ev in events {
        let text = serde_json::to_string(ev).expect("trace events serialise");
        for b in text.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
