//! Tanenbaum's 2PC state machines (Fig. 8-18): the coordinator's INIT → WAIT →
//! COMMIT | ABORT and the participant's INIT → READY → COMMIT | ABORT, and the
//! per-transaction bookkeeping each role keeps in memory.
//!
//! Data and small queries only; transitions are made by `coordinator` and `participant`.

use crate::sorted::{SortedMap, SortedSet};

use serde::{Deserialize, Serialize};

use crate::id::NodeId;
use crate::twopc::ids::Decision;
use crate::twopc::msg::{PeerState, TxBody};

/// The coordinator's state for one transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CoordinatorState {
    /// Before the vote requests.
    Init,
    /// Collecting votes.
    Wait,
    /// Decided commit.
    Commit,
    /// Decided abort.
    Abort,
}

/// A participant's state for one transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ParticipantState {
    /// Has not voted.
    Init,
    /// Voted commit; holds the lock; waits for the decision.
    Ready,
    /// Committed.
    Commit,
    /// Aborted (voted abort, or learned abort).
    Abort,
}

/// The state to draw for a node (`data-state` on the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DisplayState {
    /// No transaction yet, or idle.
    Init,
    /// A coordinator collecting votes.
    Wait,
    /// A participant holding a prepared transaction.
    Ready,
    /// The latest transaction committed.
    Commit,
    /// The latest transaction aborted.
    Abort,
}

impl DisplayState {
    /// `"INIT"`, `"WAIT"`, `"READY"`, `"COMMIT"` or `"ABORT"`.
    pub fn name(self) -> &'static str {
        match self {
            DisplayState::Init => "INIT",
            DisplayState::Wait => "WAIT",
            DisplayState::Ready => "READY",
            DisplayState::Commit => "COMMIT",
            DisplayState::Abort => "ABORT",
        }
    }
}

impl CoordinatorState {
    /// The state's name.
    pub fn name(self) -> &'static str {
        match self {
            CoordinatorState::Init => "INIT",
            CoordinatorState::Wait => "WAIT",
            CoordinatorState::Commit => "COMMIT",
            CoordinatorState::Abort => "ABORT",
        }
    }

    /// The decision, once made.
    pub fn decision(self) -> Option<Decision> {
        match self {
            CoordinatorState::Commit => Some(Decision::Commit),
            CoordinatorState::Abort => Some(Decision::Abort),
            _ => None,
        }
    }
}

impl ParticipantState {
    /// The state's name.
    pub fn name(self) -> &'static str {
        match self {
            ParticipantState::Init => "INIT",
            ParticipantState::Ready => "READY",
            ParticipantState::Commit => "COMMIT",
            ParticipantState::Abort => "ABORT",
        }
    }

    /// The local outcome, once known.
    pub fn decision(self) -> Option<Decision> {
        match self {
            ParticipantState::Commit => Some(Decision::Commit),
            ParticipantState::Abort => Some(Decision::Abort),
            _ => None,
        }
    }

    /// The state a decision leads to.
    pub fn of(decision: Decision) -> ParticipantState {
        match decision {
            Decision::Commit => ParticipantState::Commit,
            Decision::Abort => ParticipantState::Abort,
        }
    }
}

/// A coordinator's view of one transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoordinatorTx {
    /// What it does.
    pub body: TxBody,
    /// Who votes, in order.
    pub participants: Vec<NodeId>,
    /// Where it is.
    pub state: CoordinatorState,
    /// Votes received (true = `VoteCommit`).
    pub votes: SortedMap<NodeId, bool>,
    /// Participants that acknowledged the decision.
    pub acked: SortedSet<NodeId>,
    /// Whether the Decision phase has received the decision from the Voting phase.
    pub handed_off: bool,
    /// Sequential mode (P-8): the index of the participant being called.
    pub cursor: usize,
    /// Whether distribution is over (all acked, or gave up in no-retry mode).
    pub ended: bool,
}

/// A participant's view of one transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantTx {
    /// What it does (unknown when it aborted a transaction it never saw, on a peer's
    /// `DecisionRequest` or a `GlobalAbort`).
    pub body: Option<TxBody>,
    /// Where it is.
    pub state: ParticipantState,
    /// Whether the Decision phase has received the READY hand-off from the Voting phase.
    pub handed_off: bool,
    /// The termination protocol is stuck: every peer that answered is READY and the
    /// coordinator did not answer.
    pub blocked: bool,
    /// Whether a termination round is running.
    pub asking: bool,
    /// Answers in the current termination round.
    pub answers: SortedMap<NodeId, PeerState>,
}
