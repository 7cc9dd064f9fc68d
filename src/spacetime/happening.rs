//! What the space-time diagram reads from one trace event: a small protocol-free
//! [`Happening`], so that the layout is compiled once rather than once per protocol.
//!
//! This module owns that translation and the [`SpacetimeProtocol`] seam through which
//! a protocol says which of its notes are state changes worth marking on a lifeline
//! (Raft roles, 2PC states). It must not lay anything out.

use faultlab_sim::Fault;
use faultlab_sim::{
    DropReason, EventKind, Input, Message, MsgId, NodeId, RequestId, TraceEvent, TraceView,
};

use super::timescale::Beat;
use crate::plugin::{LabProtocol, rpc_slot};

/// A state change shown on a lifeline: `LEADER T3`, `READY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateMark {
    /// The words drawn (short).
    pub label: String,
    /// A CSS modifier, shared with the cluster view's node classes (`leader`, `wait`…).
    pub class: &'static str,
    /// A longer description for the tooltip.
    pub detail: String,
}

/// What a protocol adds so that the space-time diagram can mark its state changes.
pub trait SpacetimeProtocol: LabProtocol {
    /// The state change a note announces, if it is one.
    fn state_mark(note: &Self::Note) -> Option<StateMark>;
}

/// One message as the diagram needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wire {
    /// The message.
    pub msg: MsgId,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// The RPC name.
    pub rpc: &'static str,
    /// Its colour slot ([`rpc_slot`]).
    pub slot: usize,
    /// A reply (drawn dashed with an open head).
    pub reply: bool,
}

/// A change to the network, drawn across every lifeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetChange {
    /// The network split into these groups.
    Partition(Vec<Vec<NodeId>>),
    /// One node cut off.
    Isolate(NodeId),
    /// A link cut (`false`) or restored.
    Link(NodeId, NodeId, bool),
    /// A link slowed by this much extra latency (ms; zero restores it).
    Slow(NodeId, NodeId, u64),
    /// Every partition, cut and slow link removed.
    Heal,
}

/// The part of a trace event the diagram draws.
#[derive(Clone, Debug, PartialEq)]
pub enum Happening {
    /// A message left its sender, due at `due` (ms).
    Sent(Wire, f64),
    /// A copy of `original` was made, due at `due` (ms).
    Duplicated {
        /// The original message.
        original: MsgId,
        /// The copy.
        copy: MsgId,
        /// When the copy is due (ms).
        due: f64,
    },
    /// A message arrived.
    Delivered(Wire),
    /// A message died.
    Dropped(Wire, DropReason),
    /// A message was made due now.
    Expedited(MsgId),
    /// A message was held back: it is now due at this time (ms).
    Delayed(MsgId, f64),
    /// A fault on one node that is neither a crash nor a restart (pause, resume,
    /// clock skew): its label and its tooltip.
    NodeFault(NodeId, &'static str, String),
    /// A node crashed.
    Crashed(NodeId),
    /// A node restarted.
    Restarted(NodeId),
    /// A node's main timeout was forced.
    Timeout(NodeId),
    /// The network changed.
    Net(NetChange),
    /// A state change on a node.
    State(NodeId, StateMark),
    /// A client request reached a node (`op` names the operation).
    Request(NodeId, RequestId, String),
    /// A client request was answered.
    Response(NodeId, RequestId),
    /// Nothing the diagram draws.
    Other,
}

/// A trace event reduced to what the diagram draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Happened {
    /// Virtual time (ms).
    pub at: f64,
    /// The world step (what `Seek` takes).
    pub event: u64,
    /// What happened.
    pub what: Happening,
}

fn ms(t: faultlab_sim::Tick) -> f64 {
    // Virtual times stay far below 2^52 ms.
    #[allow(clippy::cast_precision_loss)]
    let v = t.as_ms() as f64;
    v
}

fn wire<P: LabProtocol>(msg: MsgId, from: NodeId, to: NodeId, payload: &P::Msg) -> Wire {
    let rpc = payload.rpc();
    Wire {
        msg,
        from,
        to,
        rpc,
        slot: rpc_slot::<P>(rpc),
        reply: payload.is_reply(),
    }
}

/// The time of a trace event and, for a send, when its message is due.
pub fn beat<P: LabProtocol>(ev: &TraceEvent<P>) -> Beat {
    let due = match &ev.kind {
        EventKind::Sent { deliver_at, .. } | EventKind::Duplicated { deliver_at, .. } => {
            Some(ms(*deliver_at))
        }
        _ => None,
    };
    Beat { at: ms(ev.at), due }
}

/// A trace event as the diagram sees it.
pub fn happened<P: SpacetimeProtocol>(ev: &TraceEvent<P>) -> Happened {
    let what = match &ev.kind {
        EventKind::Sent {
            msg,
            from,
            to,
            payload,
            deliver_at,
        } => Happening::Sent(wire::<P>(*msg, *from, *to, payload), ms(*deliver_at)),
        EventKind::Duplicated {
            msg,
            copy,
            deliver_at,
        } => Happening::Duplicated {
            original: *msg,
            copy: *copy,
            due: ms(*deliver_at),
        },
        EventKind::Delivered {
            msg,
            from,
            to,
            payload,
        } => Happening::Delivered(wire::<P>(*msg, *from, *to, payload)),
        EventKind::Dropped {
            msg,
            from,
            to,
            rpc,
            reason,
        } => {
            // The trace names the RPC; the page's own `&'static` name has its colour.
            let known = P::RPCS.iter().find(|r| **r == rpc.as_str());
            let wire = Wire {
                msg: *msg,
                from: *from,
                to: *to,
                rpc: known.copied().unwrap_or("?"),
                slot: rpc_slot::<P>(rpc),
                reply: false,
            };
            Happening::Dropped(wire, *reason)
        }
        EventKind::Expedited { msg } => Happening::Expedited(*msg),
        EventKind::Delayed { msg, deliver_at } => Happening::Delayed(*msg, ms(*deliver_at)),
        EventKind::Crashed { node } => Happening::Crashed(*node),
        EventKind::Restarted { node } => Happening::Restarted(*node),
        EventKind::Input(input) => match input {
            Input::Fault(Fault::Partition(groups)) => {
                Happening::Net(NetChange::Partition(groups.clone()))
            }
            Input::Fault(Fault::Isolate(n)) => Happening::Net(NetChange::Isolate(*n)),
            Input::Fault(Fault::Link(a, b, up)) => Happening::Net(NetChange::Link(*a, *b, *up)),
            Input::Fault(Fault::Heal) => Happening::Net(NetChange::Heal),
            Input::Fault(Fault::Timeout(n)) => Happening::Timeout(*n),
            Input::Fault(Fault::SlowLink(a, b, t)) => Happening::Net(NetChange::Slow(*a, *b, t.0)),
            Input::Fault(Fault::Pause(n)) => {
                Happening::NodeFault(*n, "pause", "paused: frozen, nothing lost".to_owned())
            }
            Input::Fault(Fault::Resume(n)) => {
                Happening::NodeFault(*n, "resume", "resumed with its state intact".to_owned())
            }
            Input::Fault(Fault::Skew(n, f)) => Happening::NodeFault(
                *n,
                "skew",
                format!(
                    "clock skew: timers run {}× as long",
                    crate::num::trimmed(*f, 2)
                ),
            ),
            _ => Happening::Other,
        },
        EventKind::Note { node, note } => {
            P::state_mark(note).map_or(Happening::Other, |m| Happening::State(*node, m))
        }
        EventKind::Request { id, node, request } => {
            let op = P::request_json(request)
                .get("op")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("request")
                .to_owned();
            Happening::Request(*node, *id, op)
        }
        EventKind::Response { id, node, .. } => Happening::Response(*node, *id),
        EventKind::Booted { .. } | EventKind::TimerFired { .. } => Happening::Other,
    };
    Happened {
        at: ms(ev.at),
        event: ev.event,
        what,
    }
}

/// Whether each node was up just before trace index `start`: the last crash or restart
/// of each node before it decides (nodes boot up).
pub fn up_before<P: LabProtocol>(trace: TraceView<'_, P>, start: usize, nodes: usize) -> Vec<bool> {
    let mut up: Vec<Option<bool>> = vec![None; nodes];
    let mut open = nodes;
    for ev in trace.range(..start).iter().rev() {
        if open == 0 {
            break;
        }
        let (node, state) = match ev.kind {
            EventKind::Crashed { node } => (node, false),
            EventKind::Restarted { node } => (node, true),
            _ => continue,
        };
        if let Some(slot) = up.get_mut(node.index())
            && slot.is_none()
        {
            *slot = Some(state);
            open -= 1;
        }
    }
    up.into_iter().map(|u| u.unwrap_or(true)).collect()
}
