//! The messages of 2PC: the seed's RPC names (`VoteRequest`, `VoteCommit`/`VoteAbort`,
//! `GlobalCommit`, `GlobalAbort`, Ack) plus `DecisionRequest`/`DecisionReply` for the
//! cooperative termination protocol (Tanenbaum & van Steen, *Distributed Systems*,
//! §8.5.1, Fig. 8-20). Every message names the phase that sends it and the phase that
//! receives it, so the log can print the assignment's line on both sides.
//!
//! Only data lives here; what a node does with a message is in `coordinator` and
//! `participant`.

use serde::{Deserialize, Serialize};

use crate::protocol::Message;
use crate::time::Tick;
use crate::twopc::ids::{Phase, TxId, TxOp};

/// What a transaction is about: carried by the vote request and by decisions, so a
/// participant that forgot the transaction (as-submitted) can still act by filename.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxBody {
    /// delete-2pc or upload-2pc.
    pub op: TxOp,
    /// The picture.
    pub filename: String,
    /// When the transaction began (the upload time every replica stores).
    pub started_at: Tick,
}

/// What a node answers when a READY participant asks it for the decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeerState {
    /// It never voted; it has now aborted unilaterally, so the asker may abort.
    Init,
    /// It is READY too: no help.
    Ready,
    /// The coordinator is still collecting votes: no help, but it is alive.
    Wait,
    /// It knows the transaction committed.
    Commit,
    /// It knows the transaction aborted.
    Abort,
}

impl PeerState {
    /// The state's name as the logs show it.
    pub fn name(self) -> &'static str {
        match self {
            PeerState::Init => "INIT",
            PeerState::Ready => "READY",
            PeerState::Wait => "WAIT",
            PeerState::Commit => "COMMIT",
            PeerState::Abort => "ABORT",
        }
    }
}

/// Why a participant voted abort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AbortReason {
    /// delete-2pc of a picture it does not have ("file not found" in the seed).
    NotFound,
    /// The picture is locked by another transaction ("resource busy").
    Locked(TxId),
    /// It had already aborted this transaction (termination protocol or a decision).
    AlreadyAborted,
}

/// The RPC a message carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rpc {
    /// Coordinator → participant: prepare (Tanenbaum `VOTE_REQUEST`).
    VoteRequest {
        /// The transaction.
        tx: TxId,
        /// What it does.
        body: TxBody,
    },
    /// Participant → coordinator: prepared; also the participant's Voting phase
    /// handing the READY transaction to its own Decision phase.
    VoteCommit {
        /// The transaction.
        tx: TxId,
    },
    /// Participant → coordinator: will not commit.
    VoteAbort {
        /// The transaction.
        tx: TxId,
        /// Why.
        reason: AbortReason,
    },
    /// The decision: from the coordinator's Voting phase to its own Decision phase,
    /// then from that Decision phase to every participant.
    GlobalCommit {
        /// The transaction.
        tx: TxId,
        /// What it does.
        body: TxBody,
    },
    /// The abort decision, same route as [`Rpc::GlobalCommit`].
    GlobalAbort {
        /// The transaction.
        tx: TxId,
        /// What it was about.
        body: TxBody,
    },
    /// Participant → coordinator: decision applied.
    Ack {
        /// The transaction.
        tx: TxId,
    },
    /// A READY participant asks the coordinator and its peers for the decision.
    DecisionRequest {
        /// The transaction.
        tx: TxId,
    },
    /// The answer to [`Rpc::DecisionRequest`].
    DecisionReply {
        /// The transaction.
        tx: TxId,
        /// What the answering node knows.
        state: PeerState,
    },
}

impl Rpc {
    /// The transaction this RPC is about.
    pub fn tx(&self) -> TxId {
        match self {
            Rpc::VoteRequest { tx, .. }
            | Rpc::VoteCommit { tx }
            | Rpc::VoteAbort { tx, .. }
            | Rpc::GlobalCommit { tx, .. }
            | Rpc::GlobalAbort { tx, .. }
            | Rpc::Ack { tx }
            | Rpc::DecisionRequest { tx }
            | Rpc::DecisionReply { tx, .. } => *tx,
        }
    }
}

/// A message between phases of nodes (possibly of the same node).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoPcMsg {
    /// The sending phase.
    pub from_phase: Phase,
    /// The receiving phase.
    pub to_phase: Phase,
    /// The RPC.
    pub rpc: Rpc,
}

impl Message for TwoPcMsg {
    fn rpc(&self) -> &'static str {
        match self.rpc {
            Rpc::VoteRequest { .. } => "VoteRequest",
            Rpc::VoteCommit { .. } => "VoteCommit",
            Rpc::VoteAbort { .. } => "VoteAbort",
            Rpc::GlobalCommit { .. } => "GlobalCommit",
            Rpc::GlobalAbort { .. } => "GlobalAbort",
            Rpc::Ack { .. } => "Ack",
            Rpc::DecisionRequest { .. } => "DecisionRequest",
            Rpc::DecisionReply { .. } => "DecisionReply",
        }
    }

    fn is_reply(&self) -> bool {
        matches!(
            self.rpc,
            Rpc::VoteCommit { .. }
                | Rpc::VoteAbort { .. }
                | Rpc::Ack { .. }
                | Rpc::DecisionReply { .. }
        )
    }
}

/// Timers. Each is per transaction, so one node can run several transactions at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TwoPcTimer {
    /// Coordinator in WAIT: stop waiting for votes (the whole vote, or one sequential
    /// call in P-8 mode).
    VoteTimeout(TxId),
    /// Coordinator: resend the decision to participants that have not acknowledged it.
    DecisionRetry(TxId),
    /// Participant in READY: ask the others for the decision (termination protocol).
    ReadyTimeout(TxId),
}
