//! **Leader Completeness** (Raft §5.4, Figure 3): if a log entry is committed in a
//! given term, then that entry will be present in the logs of the leaders for all
//! higher-numbered terms.
//!
//! The checker learns what is committed from every server's `commitIndex` (an entry
//! at or below a server's commit index is committed, §5.3), and checks it
//! - when a server becomes leader: its log must hold every committed entry;
//! - when an entry becomes committed: every current leader of a higher term must
//!   hold it;
//! - and that no index ever has two different committed entries.

use crate::invariant::Finding;
use crate::world::World;

use super::super::Raft;
use super::super::server::Server;
use super::super::types::{LogIndex, Role, Term};
use super::Participant;

/// The invariant's name.
pub const NAME: &str = "leader_completeness";

/// Committed entries, and the leadership stints already checked.
#[derive(Clone, Debug, Default)]
pub struct LeaderCompleteness {
    /// `committed[index - 1]`: `(entry term, entry fingerprint, term it was
    /// committed in)`. The commit term is the current term of the first server seen
    /// to know it (the leader that committed it, or a follower that learned it later:
    /// an upper bound either way).
    committed: Vec<Option<(Term, u64, Term)>>,
    /// Per participant: its commit index at the last check.
    commit_seen: Vec<LogIndex>,
    /// Per participant: the term of the leadership already checked.
    stint_checked: Vec<Option<Term>>,
}

impl LeaderCompleteness {
    /// Look at one server after a step.
    pub fn observe(
        &mut self,
        world: &World<Raft>,
        who: Participant,
        server: &Server,
        out: &mut Vec<Finding>,
    ) {
        if self.commit_seen.len() <= who.0 {
            self.commit_seen.resize(who.0 + 1, LogIndex::ZERO);
            self.stint_checked.resize(who.0 + 1, None);
        }
        let commit = server.commit_index();
        let before = self.commit_seen[who.0];
        if commit != before {
            self.commit_seen[who.0] = commit;
            if commit > before {
                self.learn_committed(world, who, server, before, commit, out);
            }
        }
        if server.role() == Role::Leader {
            let term = server.current_term();
            if self.stint_checked[who.0] != Some(term) {
                self.stint_checked[who.0] = Some(term);
                if let Some(missing) = self.first_missing(server) {
                    out.push(Finding::new(
                        NAME,
                        format!("{} became leader of term {term} without the entry committed at index {missing}", who.describe()),
                    ));
                }
            }
        } else {
            self.stint_checked[who.0] = None;
        }
    }

    fn learn_committed(
        &mut self,
        world: &World<Raft>,
        who: Participant,
        server: &Server,
        from: LogIndex,
        to: LogIndex,
        out: &mut Vec<Finding>,
    ) {
        let log = server.log();
        let mut index = from.next();
        let mut fresh = Vec::new();
        while index <= to {
            let Some(entry) = log.entry(index) else { break };
            let slot = index.slot();
            if self.committed.len() <= slot {
                self.committed.resize(slot + 1, None);
            }
            let fp = entry.fingerprint();
            match self.committed[slot] {
                None => {
                    self.committed[slot] = Some((entry.term, fp, server.current_term()));
                    fresh.push((index, entry.term, fp));
                }
                Some((t, f, _)) if f != fp => {
                    out.push(Finding::new(
                        NAME,
                        format!(
                            "two different entries committed at index {index}: one of term {t}, and one of term {} on {}",
                            entry.term,
                            who.describe()
                        ),
                    ));
                    return;
                }
                Some(_) => {}
            }
            index = index.next();
        }
        if fresh.is_empty() {
            return;
        }
        // Leaders of later terms elected before this commit became known.
        let committed_in = server.current_term();
        for id in world.node_ids() {
            if !world.is_up(id) {
                continue;
            }
            for s in world.node(id).servers() {
                if s.role() != Role::Leader {
                    continue;
                }
                for &(index, term, fp) in &fresh {
                    if s.current_term() > committed_in
                        && s.log()
                            .entry(index)
                            .map(super::super::entry::Entry::fingerprint)
                            != Some(fp)
                    {
                        out.push(Finding::new(
                            NAME,
                            format!(
                                "{} is leader of term {} but lacks the entry (term {term}) committed at index {index} in term {committed_in}",
                                Participant::of(s).describe(),
                                s.current_term()
                            ),
                        ));
                        return;
                    }
                }
            }
        }
    }

    /// The first committed index the server's log lacks (or holds differently).
    fn first_missing(&self, server: &Server) -> Option<LogIndex> {
        let log = server.log();
        for (slot, c) in self.committed.iter().enumerate() {
            let Some((_, fp, committed_in)) = c else {
                continue;
            };
            if *committed_in >= server.current_term() {
                continue;
            }
            let index = LogIndex::from_slot(slot);
            if log
                .entry(index)
                .map(super::super::entry::Entry::fingerprint)
                != Some(*fp)
            {
                return Some(index);
            }
        }
        None
    }

    /// How many indices are known committed.
    pub fn committed_len(&self) -> usize {
        self.committed.len()
    }
}
