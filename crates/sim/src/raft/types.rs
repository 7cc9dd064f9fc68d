//! Raft's vocabulary as newtypes: [`Term`], [`LogIndex`] and [`Role`] (Raft §5.1).
//!
//! Indices are the paper's: the first entry is at index 1 and index 0 stands for
//! "before the first entry" (Figure 2). Log lines print the seed's 0-based position
//! (`log[i-1]`) instead; see [`LogIndex::seed_position`].

use std::fmt;

use serde::{Deserialize, Serialize};

/// An election term (Raft §5.1): terms act as a logical clock.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Term(pub u64);

impl Term {
    /// The term before any election.
    pub const ZERO: Term = Term(0);

    /// The next term.
    #[must_use]
    pub fn next(self) -> Term {
        Term(self.0 + 1)
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A position in the replicated log, 1-based as in the paper; 0 means "no entry".
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct LogIndex(pub u64);

impl LogIndex {
    /// "Before the first entry".
    pub const ZERO: LogIndex = LogIndex(0);

    /// The next index.
    #[must_use]
    pub fn next(self) -> LogIndex {
        LogIndex(self.0 + 1)
    }

    /// The previous index (saturating at 0).
    #[must_use]
    pub fn prev(self) -> LogIndex {
        LogIndex(self.0.saturating_sub(1))
    }

    /// The seed's 0-based position of this entry (`log[0]` is the paper's index 1), as
    /// its log lines print it. Index 0 ("nothing") prints as -1, the seed's initial
    /// `commit_index`.
    pub fn seed_position(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX) - 1
    }

    /// The position in a `Vec` holding entries 1.. (index 1 is slot 0).
    ///
    /// # Panics
    /// On index 0, which names no entry.
    pub fn slot(self) -> usize {
        assert!(self.0 > 0, "log index 0 names no entry");
        usize::try_from(self.0 - 1).expect("log index fits in usize")
    }

    /// The index of `Vec` slot `slot`.
    pub fn from_slot(slot: usize) -> LogIndex {
        LogIndex(slot as u64 + 1)
    }
}

impl fmt::Display for LogIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A server's role (Raft §5.1, Figure 4).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Passive: answers leaders and candidates.
    #[default]
    Follower,
    /// Asking for votes.
    Candidate,
    /// Handles clients and replicates the log.
    Leader,
}

impl Role {
    /// The role as the page's `data-role` shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        }
    }
}
