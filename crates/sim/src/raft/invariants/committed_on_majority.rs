//! **Committed on a majority**: every entry at or below a server's `commitIndex` is
//! held, as that server's log has it (same index, same entry: its term and client
//! request), in the durable logs of a majority of nodes. §5.3: "A log entry is
//! committed once the leader that created the entry has replicated it on a majority
//! of the servers"; §5.4's safety argument (a new leader's voters overlap the
//! majority holding every committed entry) needs that majority to *stay* there.
//!
//! It catches what the Figure 3 properties only see later, if ever: a leader that
//! counts a stale or duplicated reply, or its own entry twice, and commits an entry
//! no follower holds; and a committed entry that later disappears from enough logs
//! (a restart without persistence, a truncation) for a future leader to lack it.
//!
//! A crashed node counts with the log it saved at the crash: what is on stable
//! storage survives (Figure 2, "persistent state"). A shadow instance (R3-1) is not
//! a node's durable state and holds nothing for the count.
//!
//! To stay cheap it does two kinds of work, both incremental:
//! - when a server's `commitIndex` rises, the newly covered entries are counted, each
//!   entry once (an entry already found on a majority is remembered as *verified*);
//! - when a node's log loses entries (a truncation, or a restart that did not keep
//!   it), the verified entries it no longer holds are counted again, walking down
//!   from its old end and stopping at the first it still holds (below that, Log
//!   Matching keeps its prefix intact).

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::world::World;

use super::super::Raft;
use super::super::replicated_log::Log;
use super::super::server::Server;
use super::super::types::{LogIndex, Term};
use super::Participant;

/// The invariant's name.
pub const NAME: &str = "committed_on_majority";

/// Entries verified on a majority, and what each participant and log looked like.
#[derive(Clone, Debug, Default)]
pub struct CommittedOnMajority {
    /// `verified[index - 1]`: the entry (term, fingerprint) found on a majority there.
    verified: Vec<Option<(Term, u64)>>,
    /// Per participant: `commitIndex` at the last look.
    commit_seen: Vec<LogIndex>,
    /// Per node: its durable log's last index and truncation count at the last look.
    log_seen: Vec<(LogIndex, u64)>,
}

/// The durable log of `id`: the live server's, or the one saved at its crash.
fn durable_log(world: &World<Raft>, id: NodeId) -> Option<&Log> {
    let slot = world.slot(id);
    if slot.up {
        Some(slot.node.server().log())
    } else {
        slot.saved.as_ref().map(|d| &d.log)
    }
}

/// The nodes whose durable log holds entry `fp` at `index`.
fn holders(world: &World<Raft>, index: LogIndex, fp: u64) -> Vec<NodeId> {
    world
        .node_ids()
        .filter(|id| {
            durable_log(world, *id)
                .and_then(|log| log.entry(index))
                .is_some_and(|e| e.fingerprint() == fp)
        })
        .collect()
}

fn names(nodes: &[NodeId]) -> String {
    if nodes.is_empty() {
        return "none".to_owned();
    }
    nodes
        .iter()
        .map(|n| format!("Node {}", n.index() + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

impl CommittedOnMajority {
    /// Look at one server after a step: count the entries its `commitIndex` newly covers.
    pub fn observe(
        &mut self,
        world: &World<Raft>,
        who: Participant,
        server: &Server,
        out: &mut Vec<Finding>,
    ) {
        if self.commit_seen.len() <= who.0 {
            self.commit_seen.resize(who.0 + 1, LogIndex::ZERO);
        }
        let commit = server.commit_index();
        let before = std::mem::replace(&mut self.commit_seen[who.0], commit);
        let mut index = before.next();
        while index <= commit {
            let Some(entry) = server.log().entry(index) else {
                break;
            };
            let fp = entry.fingerprint();
            let slot = index.slot();
            if self.verified.len() <= slot {
                self.verified.resize(slot + 1, None);
            }
            if self.verified[slot] != Some((entry.term, fp)) {
                let held = holders(world, index, fp);
                if held.len() < world.config().quorum() {
                    out.push(Finding::new(
                        NAME,
                        format!(
                            "{} has commitIndex {commit}, but the entry at index {index} (term {}) is held by {} of {} nodes ({})",
                            who.describe(),
                            entry.term,
                            held.len(),
                            world.node_count(),
                            names(&held)
                        ),
                    ));
                    return;
                }
                if self.verified[slot].is_none() {
                    self.verified[slot] = Some((entry.term, fp));
                }
            }
            index = index.next();
        }
    }

    /// Look at node `id`'s durable log after a step: if it lost entries, count the
    /// verified entries it no longer holds again.
    pub fn observe_log(
        &mut self,
        world: &World<Raft>,
        id: NodeId,
        restarted: bool,
        out: &mut Vec<Finding>,
    ) {
        let Some(log) = durable_log(world, id) else {
            return;
        };
        if self.log_seen.len() <= id.index() {
            self.log_seen
                .resize(world.node_count().max(id.index() + 1), (LogIndex::ZERO, 0));
        }
        let now = (log.last_index(), log.truncations());
        let (old_last, old_truncations) = std::mem::replace(&mut self.log_seen[id.index()], now);
        let lost = restarted || now.1 != old_truncations || now.0 < old_last;
        if !lost {
            return;
        }
        let top = usize::try_from(old_last.0)
            .unwrap_or(usize::MAX)
            .min(self.verified.len());
        for slot in (0..top).rev() {
            let Some((term, fp)) = self.verified[slot] else {
                continue;
            };
            let index = LogIndex::from_slot(slot);
            if log.entry(index).is_some_and(|e| e.fingerprint() == fp) {
                break;
            }
            let held = holders(world, index, fp);
            if held.len() < world.config().quorum() {
                let how = if restarted {
                    "restarted without it"
                } else {
                    "truncated it"
                };
                out.push(Finding::new(
                    NAME,
                    format!(
                        "the committed entry at index {index} (term {term}) is held by {} of {} nodes ({}) after Node {} {how}",
                        held.len(),
                        world.node_count(),
                        names(&held),
                        id.index() + 1
                    ),
                ));
                return;
            }
        }
    }
}
