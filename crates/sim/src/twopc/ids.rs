//! Transaction identifiers and the small enums every part of 2PC shares: the
//! operation a transaction performs, the global decision, and the two phases of a node.
//!
//! Plain values only; no behaviour beyond naming.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id::NodeId;

/// A transaction id, `tx-<coordinator>-<n>`: deterministic (no UUID), unique because
/// `n` is the coordinator's durable transaction counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TxId {
    /// The coordinating HTTP node.
    pub coordinator: NodeId,
    /// The coordinator's counter, from 1.
    pub seq: u32,
}

impl fmt::Display for TxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Coordinators are always HTTP nodes, whose ids are their 0-based numbers.
        write!(
            f,
            "tx-http-node{}-{}",
            self.coordinator.index() + 1,
            self.seq
        )
    }
}

/// What a transaction does to the picture on every participant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TxOp {
    /// delete-2pc: remove the picture everywhere (the seed's `/delete-2pc`).
    Delete,
    /// upload-2pc: store the same picture everywhere.
    Upload,
}

impl TxOp {
    /// `"delete-2pc"` or `"upload-2pc"`.
    pub fn name(self) -> &'static str {
        match self {
            TxOp::Delete => "delete-2pc",
            TxOp::Upload => "upload-2pc",
        }
    }
}

/// The global decision (Tanenbaum: `GLOBAL_COMMIT` / `GLOBAL_ABORT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Decision {
    /// Every participant voted commit.
    Commit,
    /// Someone voted abort, or a vote did not arrive in time.
    Abort,
}

impl Decision {
    /// `"COMMIT"` or `"ABORT"`.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Commit => "COMMIT",
            Decision::Abort => "ABORT",
        }
    }
}

/// The two phases inside every node, which talk to each other by RPC (assignment Q2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Phase {
    /// Collects (coordinator) or casts (participant) votes.
    Voting,
    /// Distributes (coordinator) or applies (participant) the decision.
    Decision,
}

impl Phase {
    /// The name used in log lines.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Voting => "Voting",
            Phase::Decision => "Decision",
        }
    }
}
