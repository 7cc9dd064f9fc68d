//! Raft's invariant checkers, one per file, each citing the paper: the five
//! properties of Figure 3 (§5.2–§5.4.3); the monotonicity of Figure 2's
//! `currentTerm`, `commitIndex` and `lastApplied`, `lastApplied ≤ commitIndex`, and
//! committed entries staying on a majority (§5.3); linearizability of the client
//! history; and liveness once faults heal.
//!
//! [`RaftChecker`] runs them after every world step. To stay cheap it only looks at
//! the servers the step touched (the node that handled a delivery, a timer, a client
//! request or a restart), and each checker keeps what it needs to compare
//! incrementally: lengths and truncation counts of logs, commit and apply indices,
//! and global maps index → entry for what was committed and applied.
//!
//! The checkers read node *state* (through the servers' accessors), never the
//! nodes' own notes, so a buggy node cannot hide a violation by not reporting it.
//! A *participant* is one server: a node, or with flaw R3-1 its shadow instance too.

pub mod applied_within_commit;
pub mod commit_index_monotonic;
pub mod committed_on_majority;
pub mod election_safety;
pub mod last_applied_monotonic;
pub mod leader_append_only;
pub mod leader_completeness;
pub mod linearizability;
pub mod liveness;
pub mod log_matching;
pub mod state_machine_safety;
pub mod term_monotonic;
pub mod watermark;

use crate::fault::Fault;
use crate::id::NodeId;
use crate::input::Input;
use crate::invariant::{Checker, Finding};
use crate::trace::{EventKind, TraceEvent};
use crate::world::World;

use super::Raft;
use super::server::Server;

pub use applied_within_commit::AppliedWithinCommit;
pub use commit_index_monotonic::CommitIndexMonotonic;
pub use committed_on_majority::CommittedOnMajority;
pub use election_safety::ElectionSafety;
pub use last_applied_monotonic::LastAppliedMonotonic;
pub use leader_append_only::LeaderAppendOnly;
pub use leader_completeness::LeaderCompleteness;
pub use linearizability::Linearizability;
pub use liveness::Liveness;
pub use log_matching::LogMatching;
pub use state_machine_safety::StateMachineSafety;
pub use term_monotonic::TermMonotonic;

/// One server, as the checkers key it: `node * 2 + shadow`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Participant(pub usize);

impl Participant {
    /// The participant for `server`.
    pub fn of(server: &Server) -> Participant {
        Participant(server.id().index() * 2 + usize::from(server.is_shadow()))
    }

    /// Its node.
    pub fn node(self) -> NodeId {
        NodeId::from_index(self.0 / 2)
    }

    /// How the findings name it: `Node 3`, or `Node 3 (shadow instance)`.
    pub fn describe(self) -> String {
        let base = format!("Node {}", self.0 / 2 + 1);
        if self.0 % 2 == 1 {
            format!("{base} (shadow instance)")
        } else {
            base
        }
    }
}

/// Every Raft invariant, run together.
#[derive(Clone, Debug, Default)]
pub struct RaftChecker {
    /// Figure 3: Election Safety.
    pub election_safety: ElectionSafety,
    /// Figure 3: Leader Append-Only.
    pub leader_append_only: LeaderAppendOnly,
    /// Figure 3: Log Matching.
    pub log_matching: LogMatching,
    /// Figure 3: Leader Completeness.
    pub leader_completeness: LeaderCompleteness,
    /// Figure 3: State Machine Safety.
    pub state_machine_safety: StateMachineSafety,
    /// The client history against the sequential music queue.
    pub linearizability: Linearizability,
    /// A leader and applied writes after the faults heal.
    pub liveness: Liveness,
    /// Figure 2: `commitIndex` increases monotonically (within an incarnation).
    pub commit_index_monotonic: CommitIndexMonotonic,
    /// Figure 2: `lastApplied` increases monotonically (within an incarnation).
    pub last_applied_monotonic: LastAppliedMonotonic,
    /// Figure 2: `currentTerm` is persistent and never decreases.
    pub term_monotonic: TermMonotonic,
    /// §5.3: what is committed is on a majority of durable logs.
    pub committed_on_majority: CommittedOnMajority,
}

impl RaftChecker {
    /// The checks that could not decide, after the run's end: the linearizability
    /// search when its step budget ran out. Neither a pass nor a violation.
    pub fn inconclusive(&self) -> Vec<Finding> {
        self.linearizability
            .inconclusive()
            .map(|why| Finding::new(linearizability::NAME, why))
            .into_iter()
            .collect()
    }
}

/// The nodes that began a new incarnation in this step (crashed or restarted), as a
/// bit mask: their volatile state legitimately starts over.
fn reincarnated(events: &[TraceEvent<Raft>]) -> u32 {
    let mut mask = 0u32;
    for ev in events {
        if let EventKind::Crashed { node } | EventKind::Restarted { node } = &ev.kind {
            mask |= 1 << node.index();
        }
    }
    mask
}

/// The nodes a step's events touched, as a bit mask.
fn touched(events: &[TraceEvent<Raft>]) -> u32 {
    let mut mask = 0u32;
    for ev in events {
        let node = match &ev.kind {
            EventKind::Delivered { to, .. } => Some(*to),
            EventKind::TimerFired { node, .. }
            | EventKind::Request { node, .. }
            | EventKind::Restarted { node }
            | EventKind::Booted { node }
            | EventKind::Input(Input::Fault(Fault::Timeout(node))) => Some(*node),
            _ => None,
        };
        if let Some(n) = node {
            mask |= 1 << n.index();
        }
    }
    mask
}

impl Checker<Raft> for RaftChecker {
    fn check(&mut self, world: &World<Raft>, events: &[TraceEvent<Raft>], out: &mut Vec<Finding>) {
        let mask = touched(events);
        let at_index = events.first().map_or(0, |e| e.index);
        let fresh = reincarnated(events);
        if fresh != 0 {
            for id in world.node_ids().filter(|id| fresh & (1 << id.index()) != 0) {
                self.commit_index_monotonic.forget(id.index());
                self.last_applied_monotonic.forget(id.index());
            }
        }
        if mask != 0 {
            for id in world.node_ids() {
                if mask & (1 << id.index()) == 0 || !world.is_up(id) {
                    continue;
                }
                let restarted = fresh & (1 << id.index()) != 0;
                self.committed_on_majority
                    .observe_log(world, id, restarted, out);
                for server in world.node(id).servers() {
                    let who = Participant::of(server);
                    self.election_safety.observe(who, server, out);
                    self.leader_append_only.observe(who, server, out);
                    self.log_matching.observe(who, server, out);
                    self.leader_completeness.observe(world, who, server, out);
                    self.state_machine_safety.observe(who, server, out);
                    self.linearizability.observe(who, server, at_index);
                    self.commit_index_monotonic.observe(who, server, out);
                    self.last_applied_monotonic.observe(who, server, out);
                    AppliedWithinCommit::observe(who, server, out);
                    self.term_monotonic.observe(who, server, restarted, out);
                    self.committed_on_majority.observe(world, who, server, out);
                }
            }
        }
        self.linearizability.record(events);
        self.liveness
            .check(world, events, &self.linearizability, out);
    }

    fn finish(&mut self, world: &World<Raft>, out: &mut Vec<Finding>) {
        self.linearizability.finish(out);
        self.liveness.finish(world, &self.linearizability, out);
    }

    fn inconclusive(&self) -> Vec<Finding> {
        RaftChecker::inconclusive(self)
    }
}
