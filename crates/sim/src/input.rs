//! Inputs: everything from outside the protocol that changes a run — a [`Fault`]
//! (crashes, partitions, network settings, per-message actions), a timer the explorer
//! fires, a configuration change, or a client request.
//!
//! An input is always applied by the world at a virtual time, and is recorded in the
//! trace, so that seed + inputs replay a run exactly. Inputs at time T run after every
//! protocol event at T (see [`crate::world`]), which is also what a user clicking at T
//! sees. Faults are not protocol-generic, so they live in [`crate::fault`], in one
//! table; only what needs the protocol's types is here.

use serde::{Deserialize, Serialize};

use crate::fault::Fault;
use crate::id::NodeId;
use crate::protocol::Protocol;

/// One input to a run.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "")]
#[serde(rename_all = "snake_case")]
pub enum Input<P: Protocol> {
    /// A fault or network action.
    Fault(Fault),
    /// Fire one armed timer of a node now, as if its deadline had come (the explorer's
    /// timer choice). Nothing happens if the node is down or paused, or the timer is
    /// not armed.
    FireTimer(NodeId, P::Timer),
    /// Replace the protocol configuration (timer values, bug toggles).
    Configure(P::Config),
    /// A client request sent to a node.
    Request(NodeId, P::Request),
}

impl<P: Protocol> From<Fault> for Input<P> {
    fn from(f: Fault) -> Self {
        Input::Fault(f)
    }
}

impl<P: Protocol> Input<P> {
    /// True for inputs that break something (used to know when faults "heal").
    pub fn is_fault(&self) -> bool {
        matches!(self, Input::Fault(f) if f.is_fault())
    }

    /// A short label for the page and the logs.
    pub fn label(&self) -> &'static str {
        match self {
            Input::Fault(f) => f.label(),
            Input::FireTimer(..) => "fire",
            Input::Configure(_) => "configure",
            Input::Request(..) => "client",
        }
    }

    /// The fault, if this input is one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Input::Fault(f) => Some(f),
            _ => None,
        }
    }
}
