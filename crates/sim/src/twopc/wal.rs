//! The write-ahead log: the records a node forces to its disk before it votes or
//! decides, and its durable state (log, pictures, transaction counter).
//!
//! Record names follow Tanenbaum's Fig. 8-18/8-19 (`START_2PC`, `VOTE_COMMIT`/READY,
//! `GLOBAL_COMMIT`/ABORT) plus END once every participant has acknowledged (Gray &
//! Reuter). This module owns the record shapes only; which records a mode writes is the
//! node's business.

use crate::sorted::SortedMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::id::NodeId;
use crate::twopc::ids::{Decision, TxId};
use crate::twopc::msg::TxBody;
use crate::twopc::picture::Picture;

/// One write-ahead record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WalRecord {
    /// Coordinator, before the first `VoteRequest` (`START_2PC`).
    Begin {
        /// The transaction.
        tx: TxId,
        /// What it does.
        body: TxBody,
        /// Who votes.
        participants: Vec<NodeId>,
    },
    /// Coordinator, before announcing the decision (`GLOBAL_COMMIT` / `GLOBAL_ABORT`).
    Decision {
        /// The transaction.
        tx: TxId,
        /// The decision.
        decision: Decision,
    },
    /// Coordinator, once every participant acknowledged: nothing left to resend.
    End {
        /// The transaction.
        tx: TxId,
    },
    /// Participant, before sending `VoteCommit` (it is now READY and holds the lock).
    Ready {
        /// The transaction.
        tx: TxId,
        /// What it does.
        body: TxBody,
    },
    /// Participant, before applying a decision or voting abort (its local outcome).
    Outcome {
        /// The transaction.
        tx: TxId,
        /// Committed or aborted here.
        decision: Decision,
    },
}

impl WalRecord {
    /// The transaction of the record.
    pub fn tx(&self) -> TxId {
        match self {
            WalRecord::Begin { tx, .. }
            | WalRecord::Decision { tx, .. }
            | WalRecord::End { tx }
            | WalRecord::Ready { tx, .. }
            | WalRecord::Outcome { tx, .. } => *tx,
        }
    }
}

impl fmt::Display for WalRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WalRecord::Begin { tx, body, .. } => {
                write!(f, "START_2PC {tx} {} {}", body.op.name(), body.filename)
            }
            WalRecord::Decision { tx, decision } => write!(f, "GLOBAL_{} {tx}", decision.name()),
            WalRecord::End { tx } => write!(f, "END {tx}"),
            WalRecord::Ready { tx, body } => {
                write!(f, "READY {tx} {} {}", body.op.name(), body.filename)
            }
            WalRecord::Outcome { tx, decision } => write!(f, "{} {tx}", decision.name()),
        }
    }
}

/// What survives a crash: the write-ahead log, the picture store (the seed's `/data`
/// volume) and the transaction counter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoPcDurable {
    /// The write-ahead log, oldest first.
    pub wal: Vec<WalRecord>,
    /// The pictures on disk.
    pub pictures: SortedMap<String, Picture>,
    /// The last transaction number this node used as a coordinator.
    pub next_tx: u32,
}
