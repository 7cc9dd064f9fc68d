//! Trace notes of 2PC: transaction starts, state transitions, write-ahead records,
//! blocking, recovery. The checkers read transitions from here, and the log renders
//! them as lines.

use serde::{Deserialize, Serialize};

use crate::id::NodeId;
use crate::twopc::ids::{Decision, Phase, TxId};
use crate::twopc::msg::TxBody;
use crate::twopc::state::{CoordinatorState, ParticipantState};
use crate::twopc::wal::WalRecord;

/// A protocol note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TwoPcNote {
    /// A coordinator began a transaction (`--- Starting 2PC Transaction … ---`).
    TxStarted {
        /// The transaction.
        tx: TxId,
        /// What it does.
        body: TxBody,
        /// Who votes.
        participants: Vec<NodeId>,
    },
    /// A coordinator changed state for a transaction.
    Coordinator {
        /// The transaction.
        tx: TxId,
        /// Before.
        from: CoordinatorState,
        /// After.
        to: CoordinatorState,
    },
    /// A participant changed state for a transaction.
    Participant {
        /// The transaction.
        tx: TxId,
        /// Before.
        from: ParticipantState,
        /// After.
        to: ParticipantState,
    },
    /// A record was forced to the write-ahead log.
    Logged(WalRecord),
    /// A READY participant learned the decision from a peer (termination protocol).
    Learned {
        /// The transaction.
        tx: TxId,
        /// The decision adopted.
        decision: Decision,
        /// Who told it.
        from: NodeId,
    },
    /// The termination protocol cannot decide: all reachable peers are READY and the
    /// coordinator is down. The participant keeps its lock and keeps asking.
    Blocked {
        /// The transaction.
        tx: TxId,
        /// The locked picture.
        filename: String,
    },
    /// The coordinator's vote timeout fired in WAIT.
    VoteTimedOut {
        /// The transaction.
        tx: TxId,
    },
    /// A sequential call (P-8) got no answer within its deadline.
    NoResponse {
        /// The transaction.
        tx: TxId,
        /// The silent participant.
        node: NodeId,
        /// Which phase's call.
        phase: Phase,
    },
    /// A node restarted and rebuilt its state from the write-ahead log.
    Recovered {
        /// Records read.
        records: usize,
        /// Transactions it is READY in (it will ask for their decision).
        in_doubt: usize,
        /// Transactions it coordinates that it found in WAIT (it aborts them).
        aborted: usize,
        /// Decisions it will resend.
        resend: usize,
    },
}
