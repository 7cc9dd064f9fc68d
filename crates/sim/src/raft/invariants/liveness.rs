//! **Liveness** once faults heal. Raft guarantees safety always, but progress only
//! when the system is stable for long enough (§5.6, "timing and availability"). Once
//! every node is up, the network whole and lossless:
//! - a leader must exist within 10 s of virtual time: a server that is leader in the
//!   highest term among the live servers;
//! - by the end of the run (given 15 s of calm), every write a client was told
//!   succeeded must be applied on every live node.
//!
//! The first is checked as the run goes; the second at the end.

use crate::invariant::Finding;
use crate::time::{Tick, Ticks};
use crate::trace::{EventKind, TraceEvent};
use crate::world::World;

use super::super::Raft;
use super::super::types::Role;
use super::linearizability::Linearizability;

/// The invariant's name.
pub const NAME: &str = "liveness";

/// How long after healing a leader must exist.
pub const LEADER_WITHIN: Ticks = Ticks(10_000);

/// How long the run must stay healed before acknowledged writes must be everywhere.
pub const APPLY_WITHIN: Ticks = Ticks(15_000);

/// Healing and leadership since the last fault.
#[derive(Clone, Debug, Default)]
pub struct Liveness {
    healed_since: Option<Tick>,
    leader_seen: bool,
    reported: bool,
}

impl Liveness {
    /// After each step.
    pub fn check(
        &mut self,
        world: &World<Raft>,
        events: &[TraceEvent<Raft>],
        out: &mut Vec<Finding>,
    ) {
        let faults_changed = events.iter().any(|e| {
            matches!(
                e.kind,
                EventKind::Input(_) | EventKind::Crashed { .. } | EventKind::Restarted { .. }
            )
        });
        if faults_changed {
            if world.is_healed() {
                if self.healed_since.is_none() {
                    self.healed_since = Some(world.now());
                    self.leader_seen = false;
                }
            } else {
                self.healed_since = None;
            }
        }
        let Some(since) = self.healed_since else {
            return;
        };
        if self.leader_seen || self.reported {
            return;
        }
        if has_leader(world) {
            self.leader_seen = true;
        } else if world.now() >= since + LEADER_WITHIN {
            self.reported = true;
            out.push(Finding::new(
                NAME,
                format!(
                    "no leader {} s after the faults healed at {} ms",
                    LEADER_WITHIN.0 / 1000,
                    since.0
                ),
            ));
        }
    }

    /// At the end of the run.
    pub fn finish(
        &mut self,
        world: &World<Raft>,
        history: &Linearizability,
        out: &mut Vec<Finding>,
    ) {
        let Some(since) = self.healed_since else {
            return;
        };
        if !self.leader_seen && !self.reported && world.now() >= since + LEADER_WITHIN {
            self.reported = true;
            out.push(Finding::new(
                NAME,
                format!(
                    "no leader {} s after the faults healed at {} ms",
                    LEADER_WITHIN.0 / 1000,
                    since.0
                ),
            ));
            return;
        }
        if world.now() < since + APPLY_WITHIN {
            return;
        }
        for (id, op) in history.acknowledged_writes() {
            for node in world.node_ids() {
                if world.is_up(node) && !world.node(node).server().applied_requests().contains(&id)
                {
                    out.push(Finding::new(
                        NAME,
                        format!(
                            "request {id} ({}) was acknowledged but Node {} has not applied it {} s after the faults healed",
                            op.rpc(),
                            node.index() + 1,
                            world.now().since(since).0 / 1000
                        ),
                    ));
                    return;
                }
            }
        }
    }
}

/// Whether some live server is leader in the highest term among live servers.
fn has_leader(world: &World<Raft>) -> bool {
    let mut max_term = None;
    let mut leader_term = None;
    for id in world.node_ids() {
        if !world.is_up(id) {
            continue;
        }
        let s = world.node(id).server();
        max_term = max_term.max(Some(s.current_term()));
        if s.role() == Role::Leader {
            leader_term = leader_term.max(Some(s.current_term()));
        }
    }
    leader_term.is_some() && leader_term == max_term
}
