//! Modes and bug toggles: what makes this Raft the textbook one, the assignment's
//! simplification, or the submitted Q3/Q4 servers (`reference/seed-systems.md`
//! §3.2–3.3).
//!
//! A [`Bug`] is one flaw of the seed, switched on by name (`--bug NAME`, a scenario's
//! `"bugs"`). The as-submitted modes are preset bundles of bugs ([`Mode::preset`]).
//! The node consults [`BugSet::has`] at the exact place where the seed deviates from
//! Figure 2, so each toggle's effect is local and visible in the code.
//!
//! This module owns the names and presets only; it must not implement behaviour.
//!
//! ## Flaws that are not toggles, and why
//!
//! - **R3-6** (`_become_follower` clears `leader_id` right after `AppendEntries` set it):
//!   its only effect is a `not_leader` answer until the next heartbeat, which every
//!   invariant allows (a client may always be told to retry). Not modelled.
//! - **R3-8 / R4-7, the lock part** (forwarding while holding the node lock): the
//!   simulated nodes are sans-I/O state machines that handle one event at a time, so a
//!   handler cannot block on a lock. The *deadline* part of R4-7 (1 s forward deadline
//!   shorter than the 5 s commit wait, answered as a failure) is the toggle
//!   [`Bug::ShortForwardDeadline`]; the "no deadline at all" part of R3-8 is modelled
//!   by the world answering `timeout` when the node crashes.
//! - **R3-9, the nextIndex/matchIndex part**: modelled by the assignment mode
//!   (whole-log shipping) plus [`Bug::ReplaceLogWholesale`]; the meaningless
//!   `prev_log_*` fields have no effect once the follower ignores them.
//! - **R4-13** and the Q3/Q4 log formats: a logging deviation, not a behaviour. The
//!   as-submitted modes render forwarded calls as `called by Node unknown`, as the
//!   seed did (its client and its forwarding stub sent no node-id metadata).
//! - **The classic implementer bugs** ([`Bug::AcceptStaleTermReplies`] onwards) are not
//!   the seed's: they are classic mistakes of Raft implementations, several of them
//!   spelled out in the "Students' Guide to Raft", kept here so the checkers can be
//!   seen catching them (`tests/raft_classic_bugs.rs`). [`Bug::CommitToLastIndex`] is
//!   latent in this implementation (see its check in `replication.rs`).
//! - **R4-3** ([`Bug::Heartbeat300ms`]) and **R4-9** ([`Bug::MatchIndexRegression`])
//!   and **R4-10** ([`Bug::ResetTimerOnRefusedVote`]) and **R4-11**
//!   ([`Bug::OneStepBackoff`]) are toggles, but they are timing/efficiency deviations
//!   that no safety invariant should flag: they are negative controls.

use serde::{Deserialize, Serialize};

use crate::scenario::BugInfo;

/// A protocol mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Mode {
    /// Raft paper Figure 2 in full (the default).
    #[default]
    #[serde(rename = "textbook")]
    Textbook,
    /// The assignment's Q4 simplification: every heartbeat ships the whole log.
    #[serde(rename = "assignment")]
    Assignment,
    /// The submitted Q3 server (`microservices-grpc/queue-service/raft_server.py`).
    #[serde(rename = "as-submitted-q3")]
    AsSubmittedQ3,
    /// The submitted Q4 server (`question4/queue-service/raft_server.py`).
    #[serde(rename = "as-submitted-q4")]
    AsSubmittedQ4,
}

impl Mode {
    /// Every mode, default first.
    pub const ALL: [Mode; 4] = [
        Mode::Textbook,
        Mode::Assignment,
        Mode::AsSubmittedQ3,
        Mode::AsSubmittedQ4,
    ];
    /// Every mode name, default first.
    pub const NAMES: [&'static str; 4] = [
        "textbook",
        "assignment",
        "as-submitted-q3",
        "as-submitted-q4",
    ];

    /// The mode's name.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Textbook => "textbook",
            Mode::Assignment => "assignment",
            Mode::AsSubmittedQ3 => "as-submitted-q3",
            Mode::AsSubmittedQ4 => "as-submitted-q4",
        }
    }

    /// The mode called `name`.
    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether the leader ships its whole log on every `AppendEntries` (assignment Q4,
    /// and what the Q3 server did).
    pub fn ships_whole_log(self) -> bool {
        matches!(self, Mode::Assignment | Mode::AsSubmittedQ3)
    }

    /// Whether log lines follow the submitted servers (forwarded calls are
    /// `called by Node unknown`).
    pub fn is_as_submitted(self) -> bool {
        matches!(self, Mode::AsSubmittedQ3 | Mode::AsSubmittedQ4)
    }

    /// The bugs this mode switches on.
    pub fn preset(self) -> BugSet {
        match self {
            Mode::Textbook | Mode::Assignment => BugSet::EMPTY,
            Mode::AsSubmittedQ3 => BugSet::of(&[
                Bug::ShadowInstance,
                Bug::NoPersistence,
                Bug::NoTermAdoptionFromAppend,
                Bug::CommitOnFirstAck,
                Bug::ReplaceLogWholesale,
                Bug::StaleVoteCounting,
                Bug::AckBeforeCommit,
                Bug::StaleLocalReads,
                Bug::NoNoopOnElection,
                Bug::StubQueueOps,
                Bug::NoRequestDedup,
            ]),
            Mode::AsSubmittedQ4 => BugSet::of(&[
                Bug::NoPersistence,
                Bug::CandidateNoStepDown,
                Bug::Heartbeat300ms,
                Bug::NoNoopOnElection,
                Bug::StaleLocalReads,
                Bug::IndexOnlyCommitWait,
                Bug::ShortForwardDeadline,
                Bug::NoRequestDedup,
                Bug::MatchIndexRegression,
                Bug::ResetTimerOnRefusedVote,
                Bug::OneStepBackoff,
                Bug::StubQueueOps,
            ]),
        }
    }
}

/// One flaw of the submitted servers (or the Figure 8 teaching toggle).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Bug {
    /// R3-1: a second, candidate-only Raft instance per node that never hears `AppendEntries`.
    ShadowInstance,
    /// R3-2: a follower does not adopt a higher term from `AppendEntries`.
    NoTermAdoptionFromAppend,
    /// R3-3: the leader commits its whole log on the first successful ACK.
    CommitOnFirstAck,
    /// R3-4: the follower replaces its log wholesale, without any check.
    ReplaceLogWholesale,
    /// R3-5: vote replies are counted without checking the election's term.
    StaleVoteCounting,
    /// R3-7: the client is acknowledged before the write commits.
    AckBeforeCommit,
    /// R3-9, R4-1: nothing is persisted; a restart starts from term 0 and an empty log.
    NoPersistence,
    /// R4-2: a candidate stays candidate on a same-term `AppendEntries`.
    CandidateNoStepDown,
    /// R4-3: heartbeat every 300 ms instead of the required 1000 ms.
    Heartbeat300ms,
    /// R4-4: the leader appends no no-op entry when elected.
    NoNoopOnElection,
    /// R4-5 (and Q3's GetQueue): reads are served from the local state machine.
    StaleLocalReads,
    /// R4-6: the client waiter checks only `commit_index >= index`, not the term.
    IndexOnlyCommitWait,
    /// R4-7: the follower gives up forwarding after 1 s and reports a failure.
    ShortForwardDeadline,
    /// R4-8: no client request ids: a duplicated forward is appended and applied twice.
    NoRequestDedup,
    /// R4-9: `match_index` is assigned, not max'ed, so a reordered reply regresses it.
    MatchIndexRegression,
    /// R4-10: a higher-term `RequestVote` resets the election timer even when refused.
    ResetTimerOnRefusedVote,
    /// R4-11: `next_index` backs off one entry per round, without a conflict hint.
    OneStepBackoff,
    /// R4-12: `VoteTrack`, `GetMetadata`, `PlayNext` and `GetHistory` are stubs.
    StubQueueOps,
    /// Raft Figure 8 (teaching): a leader commits an earlier-term entry by counting replicas.
    CommitOldTermByCounting,
    // ----- Classic implementer bugs (not the seed's) ---------------------------------
    /// The leader counts `AppendEntries` replies from an earlier term of its own.
    AcceptStaleTermReplies,
    /// `AppendEntries` rule 5 without the max: a stale request lowers `commitIndex`.
    CommitIndexRegression,
    /// `RequestVote` granted without §5.4.1's up-to-date check.
    VoteWithoutLogCheck,
    /// `votedFor` is not persisted (`currentTerm` and the log are).
    ForgetVoteOnRestart,
    /// The follower truncates after `prevLogIndex` on every successful `AppendEntries`.
    TruncateOnStaleAppend,
    /// The follower commits up to its last log index, not the last new entry.
    CommitToLastIndex,
    /// A majority is `n / 2` instead of `n / 2 + 1`.
    QuorumOffByOne,
    /// The leader answers reads from its state machine without confirming leadership.
    LeaderLocalReads,
    /// Durable state is synced to disk only on the heartbeat or election timer.
    NoFsync,
}

impl Bug {
    /// Every bug, in [`Bug::INFO`] order.
    pub const ALL: [Bug; 28] = [
        Bug::ShadowInstance,
        Bug::NoTermAdoptionFromAppend,
        Bug::CommitOnFirstAck,
        Bug::ReplaceLogWholesale,
        Bug::StaleVoteCounting,
        Bug::AckBeforeCommit,
        Bug::NoPersistence,
        Bug::CandidateNoStepDown,
        Bug::Heartbeat300ms,
        Bug::NoNoopOnElection,
        Bug::StaleLocalReads,
        Bug::IndexOnlyCommitWait,
        Bug::ShortForwardDeadline,
        Bug::NoRequestDedup,
        Bug::MatchIndexRegression,
        Bug::ResetTimerOnRefusedVote,
        Bug::OneStepBackoff,
        Bug::StubQueueOps,
        Bug::CommitOldTermByCounting,
        Bug::AcceptStaleTermReplies,
        Bug::CommitIndexRegression,
        Bug::VoteWithoutLogCheck,
        Bug::ForgetVoteOnRestart,
        Bug::TruncateOnStaleAppend,
        Bug::CommitToLastIndex,
        Bug::QuorumOffByOne,
        Bug::LeaderLocalReads,
        Bug::NoFsync,
    ];

    /// What the CLI's `--help` and the page list, in [`Bug::ALL`] order.
    pub const INFO: [BugInfo; 28] = [
        BugInfo {
            name: "shadow-instance",
            seed_ref: "R3-1",
            summary: "A second Raft instance per node (the one serving clients) never receives AppendEntries, so it keeps starting elections and collecting votes from the peers.",
        },
        BugInfo {
            name: "no-term-adoption-from-append",
            seed_ref: "R3-2",
            summary: "A follower that receives AppendEntries with a higher term keeps its old term, so stale leaders are never told to step down.",
        },
        BugInfo {
            name: "commit-on-first-ack",
            seed_ref: "R3-3",
            summary: "The leader commits its whole log, earlier-term entries included, on the first successful AppendEntries reply instead of a majority.",
        },
        BugInfo {
            name: "replace-log-wholesale",
            seed_ref: "R3-4",
            summary: "A follower replaces its whole log with the leader's, with no prev-index or term check, so a stale leader can erase committed entries.",
        },
        BugInfo {
            name: "stale-vote-counting",
            seed_ref: "R3-5",
            summary: "Granted votes are counted without checking that the reply belongs to the current election (stale and duplicated votes count).",
        },
        BugInfo {
            name: "ack-before-commit",
            seed_ref: "R3-7",
            summary: "The leader answers \"Queued\" as soon as it appends the entry, before it commits.",
        },
        BugInfo {
            name: "no-persistence",
            seed_ref: "R3-9, R4-1",
            summary: "currentTerm, votedFor and the log live in memory only: a restarted node comes back at term 0 with an empty log and may vote twice in a term.",
        },
        BugInfo {
            name: "candidate-no-step-down",
            seed_ref: "R4-2",
            summary: "A candidate that receives AppendEntries from a leader of its own term stays a candidate (Raft §5.2 says it must become a follower).",
        },
        BugInfo {
            name: "heartbeat-300ms",
            seed_ref: "R4-3",
            summary: "Heartbeats every 300 ms instead of the assignment's 1000 ms (a timing deviation, not a safety flaw).",
        },
        BugInfo {
            name: "no-noop-on-election",
            seed_ref: "R4-4",
            summary: "A new leader appends no no-op entry, so earlier-term entries stay uncommitted until the next client write.",
        },
        BugInfo {
            name: "stale-local-reads",
            seed_ref: "R4-5",
            summary: "GetQueue, GetMetadata and GetHistory are answered from the contacted node's local state, with no forwarding and no leadership check.",
        },
        BugInfo {
            name: "index-only-commit-wait",
            seed_ref: "R4-6",
            summary: "The leader's client waiter only checks commit_index >= index, so a client is told \"Queued\" even when another entry was committed at that index.",
        },
        BugInfo {
            name: "short-forward-deadline",
            seed_ref: "R4-7",
            summary: "A follower gives up forwarding after 1 s (shorter than the leader's 5 s commit wait) and reports \"Forwarding failed\", even if the write later commits.",
        },
        BugInfo {
            name: "no-request-dedup",
            seed_ref: "R4-8",
            summary: "No client request ids: a duplicated forwarded request is appended and applied twice.",
        },
        BugInfo {
            name: "match-index-regression",
            seed_ref: "R4-9",
            summary: "match_index is assigned from each reply instead of max'ed, so a reordered old reply moves it back (harmless for safety).",
        },
        BugInfo {
            name: "reset-timer-on-refused-vote",
            seed_ref: "R4-10",
            summary: "A RequestVote with a higher term resets the election timer even when the vote is refused (a liveness deviation).",
        },
        BugInfo {
            name: "one-step-backoff",
            seed_ref: "R4-11",
            summary: "On a rejected AppendEntries the leader backs next_index off by one entry per round, with no conflict-term hint.",
        },
        BugInfo {
            name: "stub-queue-ops",
            seed_ref: "R4-12",
            summary: "VoteTrack, GetMetadata, PlayNext and GetHistory are stubs that answer an empty success without touching the queue.",
        },
        BugInfo {
            name: "commit-old-term-by-counting",
            seed_ref: "Raft §5.4.2, Figure 8",
            summary: "Teaching toggle: a leader commits an entry from an earlier term as soon as a majority holds it, which Figure 8 shows is unsafe.",
        },
        BugInfo {
            name: "accept-stale-term-replies",
            seed_ref: "Students' Guide to Raft",
            summary: "A leader believes a delayed AppendEntries reply from one of its earlier terms, so it can count a follower as holding an entry it never received and commit without a majority.",
        },
        BugInfo {
            name: "commit-index-regression",
            seed_ref: "classic",
            summary: "A follower sets commitIndex = min(leaderCommit, last new entry) even when that is lower, so a delayed or duplicated AppendEntries moves its commit index backwards.",
        },
        BugInfo {
            name: "vote-without-log-check",
            seed_ref: "classic (Raft §5.4.1)",
            summary: "A server grants its vote without checking that the candidate's log is at least as up to date as its own, so a leader can be elected without committed entries.",
        },
        BugInfo {
            name: "forget-vote-on-restart",
            seed_ref: "classic (Raft Figure 2)",
            summary: "votedFor is kept in memory only (currentTerm and the log are saved), so a node that restarts can vote a second time in the same term and two leaders can win it.",
        },
        BugInfo {
            name: "truncate-on-stale-append",
            seed_ref: "Students' Guide to Raft",
            summary: "A follower deletes everything after prevLogIndex on every successful AppendEntries, not only on a conflict, so a delayed shorter request erases entries the leader already counted as replicated.",
        },
        BugInfo {
            name: "commit-to-last-index",
            seed_ref: "Students' Guide to Raft",
            summary: "A follower sets commitIndex = min(leaderCommit, its last log index) instead of the index of the last new entry, so it may commit entries past the ones the request checked.",
        },
        BugInfo {
            name: "quorum-off-by-one",
            seed_ref: "classic",
            summary: "A majority is computed as n/2 instead of n/2 + 1, so with 4 or 5 nodes two halves of a partition can each elect a leader (and commit) in the same term.",
        },
        BugInfo {
            name: "leader-local-reads",
            seed_ref: "classic (Raft §8)",
            summary: "A leader answers reads from its own state machine without first confirming it is still leader, so a leader cut off by a partition serves stale data.",
        },
        BugInfo {
            name: "no-fsync",
            seed_ref: "classic (Raft Figure 2)",
            summary: "Writes reach the disk only on the next heartbeat or election timer: a power loss forgets votes and entries the node already acknowledged.",
        },
    ];

    /// The toggle's kebab-case name.
    pub fn name(self) -> &'static str {
        Bug::INFO[self as usize].name
    }

    /// The toggle called `name`.
    pub fn from_name(name: &str) -> Option<Bug> {
        Bug::ALL.into_iter().find(|b| b.name() == name)
    }

    /// Its [`BugInfo`].
    pub fn info(self) -> &'static BugInfo {
        &Bug::INFO[self as usize]
    }
}

/// A set of bugs, as a bit set (checked on hot paths).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BugSet(u32);

impl BugSet {
    /// No bug.
    pub const EMPTY: BugSet = BugSet(0);

    /// The set of `bugs`.
    pub fn of(bugs: &[Bug]) -> BugSet {
        let mut s = BugSet::EMPTY;
        for b in bugs {
            s.insert(*b);
        }
        s
    }

    /// Whether `bug` is on.
    pub fn has(self, bug: Bug) -> bool {
        self.0 & (1 << bug as u32) != 0
    }

    /// Switch `bug` on.
    pub fn insert(&mut self, bug: Bug) {
        self.0 |= 1 << bug as u32;
    }

    /// Whether no bug is on.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The bugs that are on, in [`Bug::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Bug> {
        Bug::ALL.into_iter().filter(move |b| self.has(*b))
    }
}

impl Serialize for BugSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Bug::name))
    }
}

impl<'de> Deserialize<'de> for BugSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        let mut set = BugSet::EMPTY;
        for n in names {
            let bug = Bug::from_name(&n)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown bug \"{n}\"")))?;
            set.insert(bug);
        }
        Ok(set)
    }
}
