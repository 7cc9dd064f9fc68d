//! Trace notes a Raft node records: role changes, appends, commits and applies.
//! They are what the log lines (and the page's timeline) are rendered from; the
//! invariant checkers read node state instead, so a buggy node cannot hide a
//! violation by not noting it.

use serde::{Deserialize, Serialize};

use super::music_queue::OpKind;
use super::types::{LogIndex, Term};

/// A Raft trace note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaftNote {
    /// The node (re)started (`Raft Node N started on port 50051`).
    Started {
        /// The term it restarted with (0 without persistence).
        term: Term,
        /// Entries in its log at restart.
        log_len: u64,
    },
    /// `Election timeout -> start election`.
    ElectionTimeout,
    /// `Became CANDIDATE for term T`.
    BecameCandidate {
        /// The new term.
        term: Term,
    },
    /// `Won election and became LEADER for term T`.
    BecameLeader {
        /// The term.
        term: Term,
    },
    /// `Transition to FOLLOWER term=T`.
    BecameFollower {
        /// The term.
        term: Term,
    },
    /// `Leader appended log[i]` (the seed's 0-based position).
    LeaderAppended {
        /// The entry's index.
        index: LogIndex,
        /// The command (`None` for a no-op).
        op: Option<OpKind>,
    },
    /// `Advanced commit_index -> i`.
    CommitAdvanced {
        /// The new commit index.
        index: LogIndex,
    },
    /// `Applying log[i] cmd=ADD`.
    Applying {
        /// The entry's index.
        index: LogIndex,
        /// The command (`None` for a no-op).
        op: Option<OpKind>,
    },
    /// `AddTrack committed`: the leader answers a client after the commit.
    Committed {
        /// The operation.
        op: OpKind,
    },
}
