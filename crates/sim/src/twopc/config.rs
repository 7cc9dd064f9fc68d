//! The 2PC configuration: cluster shape (HTTP coordinators, gRPC participants), the
//! mode and bug toggles, and the timer values.
//!
//! It owns naming (`http-node1`, `grpc-node2`) and which nodes take part in a
//! transaction; it must not hold any run state.

use serde::{Deserialize, Serialize};

use crate::id::NodeId;
use crate::twopc::as_submitted::{Bug, BugSet};

/// The protocol mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Tanenbaum's 2PC with write-ahead records, recovery, decision retry and the
    /// cooperative termination protocol.
    Textbook,
    /// The submitted code's behaviour: every expressible flaw P-1…P-11 switched on.
    AsSubmitted,
}

impl Mode {
    /// The mode's name in scenario files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Textbook => "textbook",
            Mode::AsSubmitted => "as-submitted",
        }
    }

    /// The mode called `name`, if any.
    pub fn from_name(name: &str) -> Option<Mode> {
        match name {
            "textbook" => Some(Mode::Textbook),
            "as-submitted" => Some(Mode::AsSubmitted),
            _ => None,
        }
    }
}

/// How many nodes of each kind, the mode, the toggles and the timers.
///
/// Node ids `0..http_nodes` are `http-node1..` (coordinators), the rest are
/// `grpc-node1..` (participants), as in the seed's `docker-compose.yml`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoPcConfig {
    /// HTTP nodes: any of them can coordinate a 2PC transaction.
    pub http_nodes: usize,
    /// gRPC nodes: the participants.
    pub grpc_nodes: usize,
    /// Textbook or as-submitted.
    pub mode: Mode,
    /// Bug toggles on top of the mode (as-submitted already has them all).
    pub bugs: BugSet,
    /// The coordinator's WAIT timeout, ms (the seed's 2 s gRPC deadline). In sequential
    /// mode (P-8) it is the deadline of each single call.
    pub vote_timeout_ms: u64,
    /// How often the coordinator resends an unacknowledged decision, ms.
    pub decision_retry_ms: u64,
    /// A participant's READY timeout before it runs the termination protocol, ms
    /// (drawn uniformly in `[lo, hi]`).
    pub ready_timeout_ms: (u64, u64),
    /// The period of later termination rounds, ms (drawn uniformly in `[lo, hi]`).
    pub termination_retry_ms: (u64, u64),
}

/// The smallest cluster the assignment allows ("at least 5 nodes").
pub const MIN_NODES: usize = 5;
/// The largest cluster the page can draw.
pub const MAX_NODES: usize = 12;

impl Default for TwoPcConfig {
    fn default() -> Self {
        TwoPcConfig::with_nodes(6)
    }
}

impl TwoPcConfig {
    /// The default split of `total` nodes: `total / 2` HTTP nodes and the rest gRPC
    /// (6 → 3 + 3 as in the seed, 5 → 2 + 3, 7 → 3 + 4).
    pub fn with_nodes(total: usize) -> Self {
        TwoPcConfig {
            http_nodes: total / 2,
            grpc_nodes: total - total / 2,
            mode: Mode::Textbook,
            bugs: BugSet::EMPTY,
            vote_timeout_ms: 2_000,
            decision_retry_ms: 1_000,
            ready_timeout_ms: (3_000, 4_000),
            termination_retry_ms: (1_000, 1_500),
        }
    }

    /// Total number of nodes.
    pub fn total(&self) -> usize {
        self.http_nodes + self.grpc_nodes
    }

    /// Whether bug `bug` is on (through the mode or a toggle).
    pub fn has(&self, bug: Bug) -> bool {
        (self.mode == Mode::AsSubmitted && bug.in_as_submitted()) || self.bugs.contains(bug)
    }

    /// Whether `id` is an HTTP node (a possible coordinator).
    pub fn is_http(&self, id: NodeId) -> bool {
        id.index() < self.http_nodes
    }

    /// The participants of every transaction: all gRPC nodes, or only `grpc-node1..3`
    /// with the `three-participants-only` toggle (the seed's hard-coded `GRPC_NODES`).
    pub fn participants(&self) -> Vec<NodeId> {
        let n = if self.has(Bug::ThreeParticipantsOnly) {
            self.grpc_nodes.min(3)
        } else {
            self.grpc_nodes
        };
        (self.http_nodes..self.http_nodes + n)
            .map(NodeId::from_index)
            .collect()
    }

    /// A node's display name.
    pub fn node_name(&self, id: NodeId) -> String {
        if self.is_http(id) {
            format!("http-node{}", id.index() + 1)
        } else {
            format!("grpc-node{}", id.index() - self.http_nodes + 1)
        }
    }
}
