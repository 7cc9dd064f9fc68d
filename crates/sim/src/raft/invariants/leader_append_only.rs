//! **Leader Append-Only** (Raft §5.3, Figure 3): a leader never overwrites or deletes
//! entries in its log; it only appends new entries. For each server that stays
//! leader of the same term from one step to the next, the checker requires that its
//! log did not shrink and that no entry was removed (the log's truncation counter,
//! which every change to a log goes through, did not move).

use crate::invariant::Finding;

use super::super::server::Server;
use super::super::types::{Role, Term};
use super::Participant;

/// The invariant's name.
pub const NAME: &str = "leader_append_only";

#[derive(Clone, Copy, Debug)]
struct Stint {
    term: Term,
    len: usize,
    truncations: u64,
}

/// The current leadership stint of each participant.
#[derive(Clone, Debug, Default)]
pub struct LeaderAppendOnly {
    stints: Vec<Option<Stint>>,
}

impl LeaderAppendOnly {
    /// Look at one server after a step.
    pub fn observe(&mut self, who: Participant, server: &Server, out: &mut Vec<Finding>) {
        if self.stints.len() <= who.0 {
            self.stints.resize(who.0 + 1, None);
        }
        if server.role() != Role::Leader {
            self.stints[who.0] = None;
            return;
        }
        let log = server.log();
        let now = Stint {
            term: server.current_term(),
            len: log.len(),
            truncations: log.truncations(),
        };
        if let Some(before) = self.stints[who.0]
            && before.term == now.term
            && (now.truncations != before.truncations || now.len < before.len)
        {
            out.push(Finding::new(
                NAME,
                format!(
                    "{}, leader of term {}, removed entries from its log (length {} -> {})",
                    who.describe(),
                    now.term,
                    before.len,
                    now.len
                ),
            ));
        }
        self.stints[who.0] = Some(now);
    }
}
