//! Inputs: everything from outside the protocol that changes a run — faults, network
//! settings, per-message actions and client requests.
//!
//! An input is always applied by the world at a virtual time, and is recorded in the
//! trace, so that seed + inputs replay a run exactly. Inputs at time T run after every
//! protocol event at T (see [`crate::world`]), which is also what a user clicking at T
//! sees.

use serde::{Deserialize, Serialize};

use crate::id::{MsgId, NodeId};
use crate::protocol::Protocol;
use crate::time::Ticks;

/// One input to a run.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
#[serde(rename_all = "snake_case")]
pub enum Input<P: Protocol> {
    /// Crash a node: it loses its volatile state, receives nothing, fires no timers.
    Crash(NodeId),
    /// Restart a crashed node from its durable state.
    Restart(NodeId),
    /// Split the network into groups (nodes in no group form one more group).
    Partition(Vec<Vec<NodeId>>),
    /// Cut one node off from all others.
    Isolate(NodeId),
    /// Cut (`false`) or restore (`true`) the link between two nodes.
    Link(NodeId, NodeId, bool),
    /// Remove every partition and cut link.
    Heal,
    /// Set the loss probability.
    DropRate(f64),
    /// Set the duplication probability.
    DuplicateRate(f64),
    /// Set the one-way latency range.
    Latency(Ticks, Ticks),
    /// Force a node's main timeout now.
    Timeout(NodeId),
    /// Fire one armed timer of a node now, as if its deadline had come (the explorer's
    /// timer choice). Nothing happens if the node is down or the timer is not armed.
    FireTimer(NodeId, P::Timer),
    /// Make every armed main timeout fire at the same instant, the earliest of them
    /// (`RaftScope`'s A: provokes split votes).
    AlignTimers,
    /// Space the armed main timeouts apart, in their current order, so the first one
    /// fires well before the others (`RaftScope`'s T: a clean election).
    SpreadTimers,
    /// Drop one message in flight.
    DropMessage(MsgId),
    /// Deliver one message in flight now.
    DeliverNow(MsgId),
    /// Duplicate one message in flight (the copy gets its own latency).
    DuplicateMessage(MsgId),
    /// Replace the protocol configuration (timer values, bug toggles).
    Configure(P::Config),
    /// A client request sent to a node.
    Request(NodeId, P::Request),
}

impl<P: Protocol> Input<P> {
    /// True for inputs that break something (used to know when faults "heal").
    pub fn is_fault(&self) -> bool {
        match self {
            Input::Crash(_)
            | Input::Partition(_)
            | Input::Isolate(_)
            | Input::Link(_, _, false) => true,
            Input::DropRate(p) | Input::DuplicateRate(p) => *p > 0.0,
            _ => false,
        }
    }

    /// A short label for the page and the logs.
    pub fn label(&self) -> &'static str {
        match self {
            Input::Crash(_) => "crash",
            Input::Restart(_) => "restart",
            Input::Partition(_) => "partition",
            Input::Isolate(_) => "isolate",
            Input::Link(..) => "link",
            Input::Heal => "heal",
            Input::DropRate(_) => "drop_rate",
            Input::DuplicateRate(_) => "duplicate_rate",
            Input::Latency(..) => "latency_ms",
            Input::Timeout(_) => "timeout",
            Input::FireTimer(..) => "fire",
            Input::AlignTimers => "align_timers",
            Input::SpreadTimers => "spread_timers",
            Input::DropMessage(_) => "drop",
            Input::DeliverNow(_) => "deliver_now",
            Input::DuplicateMessage(_) => "duplicate",
            Input::Configure(_) => "configure",
            Input::Request(..) => "client",
        }
    }
}
