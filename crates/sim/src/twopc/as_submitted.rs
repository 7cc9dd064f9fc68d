//! As-submitted mode: the submitted 2PC code's flaws (`reference/seed-systems.md`
//! §3.1), each its own toggle. Mode `as-submitted` switches them all on; `--bug NAME`
//! adds one to textbook mode.
//!
//! | toggle | flaw | what it does here |
//! |---|---|---|
//! | `no-decision-log` | P-1 | coordinator writes no START/decision/END, participants no outcome; a restart forgets them |
//! | `ready-not-durable` | P-2 | READY and its lock are memory only; a restart forgets the vote |
//! | `no-decision-retry` | P-3 | the decision is sent once; unacknowledged participants are never retried |
//! | `no-termination-protocol` | P-4 | no READY timeout, no `DecisionRequest`; a READY participant waits forever |
//! | `txid-blind-decision` | P-5 | `GlobalCommit`/`GlobalAbort` act on the filename's lock whatever transaction holds it |
//! | `no-isolation` | P-6 | plain delete, upload and like ignore locks |
//! | `coordinator-deletes-own-copy` | P-7 | on commit of a delete-2pc the coordinator deletes its own copy too |
//! | `sequential-2s-calls` | P-8 | one call at a time, 2 s deadline each, no early abort; a silent participant counts as NO / FAILED |
//! | `old-log-format` | P-10 | `Node X sends RPC …` on the coordinator and `… received RPC … from …` on participants |
//! | `no-intra-node-rpc` | P-10 | the Voting → Decision hop inside a node is a local call, not an RPC |
//! | `three-participants-only` | P-10 | only `grpc-node1..3` take part (the hard-coded `GRPC_NODES`), whatever the cluster size |
//!
//! Four more toggles are not from the seed and are not part of the `as-submitted`
//! preset. They are classic implementer mistakes, each breaking a *safety* property,
//! so each is also how a safety checker is shown to fire:
//!
//! | toggle | source | what it does here |
//! |---|---|---|
//! | `commit-on-vote-timeout` | teaching | a vote timeout decides COMMIT: silence read as a yes (validity) |
//! | `ready-timeout-unilateral-abort` | Bernstein §7.4 | a READY participant whose timeout fires aborts on its own instead of asking (atomicity) |
//! | `commit-on-majority-votes` | Bernstein et al. §7.2 AC3 | the coordinator commits once a majority, not all, voted commit (validity) |
//! | `decision-not-logged-before-send` | Tanenbaum §8.5.1 | the decision is forced to the log only after the first Ack; a coordinator that crashes before it re-decides ABORT (atomicity, durability) |
//!
//! Flaws that cannot be expressed:
//! - **P-9** (participant names in logs come from the list index, not `reply.node_id`):
//!   the index and the replying node are the same node in the seed and here, so the
//!   flaw has no observable effect; a toggle would change nothing.
//! - **P-11** (no replication; uploads go to one random node): a property of the web
//!   gateway's workload, not of a node. Scenarios reproduce it with per-node uploads
//!   (the seed README's manual step); upload-2pc stays available in every mode.
//!
//! This module owns the toggle list and its documentation; the behaviour lives where
//! each rule does (`coordinator`, `participant`, `store`, `log`).

use serde::{Deserialize, Serialize};

use crate::scenario::BugInfo;

/// One flaw of the submitted code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Bug {
    /// P-1.
    NoDecisionLog,
    /// P-2.
    ReadyNotDurable,
    /// P-3.
    NoDecisionRetry,
    /// P-4.
    NoTerminationProtocol,
    /// P-5.
    TxidBlindDecision,
    /// P-6.
    NoIsolation,
    /// P-7.
    CoordinatorDeletesOwnCopy,
    /// P-8.
    Sequential2sCalls,
    /// P-10 (log format).
    OldLogFormat,
    /// P-10 (no intra-node RPC).
    NoIntraNodeRpc,
    /// P-10 (four processes only).
    ThreeParticipantsOnly,
    /// Teaching toggle, not in the as-submitted preset: commit when votes time out.
    CommitOnVoteTimeout,
    /// Classic bug, not in the preset: a READY participant times out and aborts alone.
    ReadyTimeoutUnilateralAbort,
    /// Classic bug, not in the preset: commit on a majority of commit votes.
    CommitOnMajorityVotes,
    /// Classic bug, not in the preset: the decision is logged after it is sent.
    DecisionNotLoggedBeforeSend,
}

/// Every toggle, in `BUGS` order.
pub const ALL_BUGS: [Bug; 15] = [
    Bug::NoDecisionLog,
    Bug::ReadyNotDurable,
    Bug::NoDecisionRetry,
    Bug::NoTerminationProtocol,
    Bug::TxidBlindDecision,
    Bug::NoIsolation,
    Bug::CoordinatorDeletesOwnCopy,
    Bug::Sequential2sCalls,
    Bug::OldLogFormat,
    Bug::NoIntraNodeRpc,
    Bug::ThreeParticipantsOnly,
    Bug::CommitOnVoteTimeout,
    Bug::ReadyTimeoutUnilateralAbort,
    Bug::CommitOnMajorityVotes,
    Bug::DecisionNotLoggedBeforeSend,
];

/// The toggles as the CLI and the page list them.
pub const BUGS: &[BugInfo] = &[
    BugInfo {
        name: "no-decision-log",
        seed_ref: "P-1",
        summary: "No write-ahead log: the coordinator forgets its transactions and decisions on a restart, participants forget their outcomes.",
    },
    BugInfo {
        name: "ready-not-durable",
        seed_ref: "P-2",
        summary: "The READY vote and its lock live in memory only, so a participant that restarts forgets it promised to commit.",
    },
    BugInfo {
        name: "no-decision-retry",
        seed_ref: "P-3",
        summary: "The coordinator sends the decision once and never resends it to a participant that missed it.",
    },
    BugInfo {
        name: "no-termination-protocol",
        seed_ref: "P-4",
        summary: "A READY participant has no timeout and never asks anyone for the decision, so it waits (locked) forever.",
    },
    BugInfo {
        name: "txid-blind-decision",
        seed_ref: "P-5",
        summary: "GlobalCommit and GlobalAbort ignore the transaction id and release whatever lock the filename holds.",
    },
    BugInfo {
        name: "no-isolation",
        seed_ref: "P-6",
        summary: "Plain delete, upload and like ignore locks, so a READY picture can change under its transaction.",
    },
    BugInfo {
        name: "coordinator-deletes-own-copy",
        seed_ref: "P-7",
        summary: "On a committed delete-2pc the coordinator also deletes its own copy, though it never voted.",
    },
    BugInfo {
        name: "sequential-2s-calls",
        seed_ref: "P-8",
        summary: "Votes and decisions are sent one participant at a time with a 2 s deadline each and no early abort.",
    },
    BugInfo {
        name: "old-log-format",
        seed_ref: "P-10",
        summary: "Logs use the submitted lines (`Node X sends RPC …`, `… received RPC … from …`) instead of the required format.",
    },
    BugInfo {
        name: "no-intra-node-rpc",
        seed_ref: "P-10",
        summary: "The Voting phase hands over to the Decision phase by a local call instead of the required RPC.",
    },
    BugInfo {
        name: "three-participants-only",
        seed_ref: "P-10",
        summary: "Only grpc-node1..3 take part in 2PC (the hard-coded participant list), whatever the cluster size.",
    },
    BugInfo {
        name: "commit-on-vote-timeout",
        seed_ref: "teaching",
        summary: "Teaching toggle: a coordinator whose vote timeout expires decides COMMIT instead of ABORT, reading silence as a yes (breaks validity).",
    },
    BugInfo {
        name: "ready-timeout-unilateral-abort",
        seed_ref: "classic: Bernstein et al. §7.4",
        summary: "A READY participant whose timeout fires aborts on its own instead of running the cooperative termination protocol, though the coordinator may have decided COMMIT (breaks atomicity).",
    },
    BugInfo {
        name: "commit-on-majority-votes",
        seed_ref: "classic: Bernstein et al. §7.2 AC3",
        summary: "The coordinator decides GlobalCommit as soon as a majority of the participants voted commit, instead of all of them (breaks validity).",
    },
    BugInfo {
        name: "decision-not-logged-before-send",
        seed_ref: "classic: Tanenbaum & van Steen §8.5.1",
        summary: "The coordinator sends the decision before forcing it to its log (it logs on the first Ack), so after a crash in between it finds the transaction in WAIT and aborts what it had committed (breaks atomicity and durability).",
    },
];

impl Bug {
    /// The toggle's info.
    pub fn info(self) -> &'static BugInfo {
        &BUGS[self as usize]
    }

    /// The toggle's name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Whether the `as-submitted` mode switches this toggle on (every seed flaw does;
    /// the teaching and classic toggles do not).
    pub fn in_as_submitted(self) -> bool {
        !matches!(
            self,
            Bug::CommitOnVoteTimeout
                | Bug::ReadyTimeoutUnilateralAbort
                | Bug::CommitOnMajorityVotes
                | Bug::DecisionNotLoggedBeforeSend
        )
    }

    /// The toggle called `name`.
    pub fn from_name(name: &str) -> Option<Bug> {
        ALL_BUGS.iter().copied().find(|b| b.name() == name)
    }
}

/// A set of toggles (a bitset, so the hot path tests a bit, not a tree).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BugSet(u32);

impl BugSet {
    /// No toggle.
    pub const EMPTY: BugSet = BugSet(0);

    /// Whether `bug` is in the set.
    pub fn contains(self, bug: Bug) -> bool {
        self.0 & (1 << bug as u32) != 0
    }

    /// Add `bug`.
    pub fn insert(&mut self, bug: Bug) {
        self.0 |= 1 << bug as u32;
    }

    /// The set's toggles, in `ALL_BUGS` order.
    pub fn iter(self) -> impl Iterator<Item = Bug> {
        ALL_BUGS.into_iter().filter(move |b| self.contains(*b))
    }

    /// A set of `bugs`.
    pub fn of(bugs: &[Bug]) -> BugSet {
        let mut s = BugSet::EMPTY;
        for b in bugs {
            s.insert(*b);
        }
        s
    }
}
