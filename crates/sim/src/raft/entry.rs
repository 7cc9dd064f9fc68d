//! A log entry (Raft Figure 2: "each entry contains command for state machine, and
//! term when entry was received by leader"). Commands sit behind an `Arc`, so copying
//! entries into `AppendEntries` messages and durable snapshots costs a pointer bump.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::id::RequestId;

use super::music_queue::Op;
use super::types::Term;

/// What an entry asks the state machine to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// The entry a new leader appends at the start of its term (Raft §8: it commits
    /// every earlier entry and lets the leader learn its commit index).
    Noop,
    /// A client operation, reads included (reads go through the log, so they are
    /// linearizable: see the `raft` module doc).
    Client {
        /// The client request's id: the state machine applies each id at most once
        /// (Raft §8, client sessions), so a duplicated forward is harmless.
        request: RequestId,
        /// The operation.
        op: Op,
    },
}

impl Command {
    /// The log command name (`ADD`, `NOOP`, …).
    pub fn cmd(&self) -> &'static str {
        match self {
            Command::Noop => "NOOP",
            Command::Client { op, .. } => op.cmd(),
        }
    }
}

/// One log entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The term in which the leader received it.
    pub term: Term,
    /// The command.
    pub command: Arc<Command>,
}

impl Entry {
    /// A new entry.
    pub fn new(term: Term, command: Command) -> Self {
        Entry {
            term,
            command: Arc::new(command),
        }
    }

    /// An identity for the entry, the same on every node that holds it: its term and
    /// its request id (0 for a no-op). Two entries with the same index and fingerprint
    /// are the same entry.
    pub fn fingerprint(&self) -> u64 {
        let req = match &*self.command {
            Command::Noop => 0,
            Command::Client { request, .. } => request.0 + 1,
        };
        mix(mix(0x51_7cc1_b727_220a, self.term.0), req)
    }
}

/// A 64-bit mixing step (splitmix64's finaliser over `a ^ b`'s rotation).
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.rotate_left(29) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
