//! **Log Matching** (Raft §5.3, Figure 3): if two logs contain an entry with the same
//! index and term, then the logs are identical in all entries up through the given
//! index.
//!
//! Every log keeps a running fingerprint of its prefix at each index
//! ([`Log::prefix_fingerprint`](super::super::replicated_log::Log::prefix_fingerprint)).
//! The checker records, for each `(index, term)` ever seen on any server, the prefix
//! fingerprint it had; a server holding the same `(index, term)` over a different
//! prefix breaks the property. Only entries new since the server's last check are
//! looked at (its whole log after a truncation).

use crate::invariant::Finding;

use super::super::server::Server;
use super::super::types::{LogIndex, Term};
use super::Participant;

/// The invariant's name.
pub const NAME: &str = "log_matching";

/// Prefix fingerprints seen at each `(index, term)`.
#[derive(Clone, Debug, Default)]
pub struct LogMatching {
    /// `seen[index - 1]`: `(term, prefix fingerprint, first holder)`.
    seen: Vec<Vec<(Term, u64, Participant)>>,
    /// Per participant: log length and truncation count at the last check.
    checked: Vec<(usize, u64)>,
}

impl LogMatching {
    /// Look at one server after a step.
    ///
    /// # Panics
    /// Never: every entry of a replicated log has a prefix fingerprint.
    pub fn observe(&mut self, who: Participant, server: &Server, out: &mut Vec<Finding>) {
        if self.checked.len() <= who.0 {
            self.checked.resize(who.0 + 1, (0, 0));
        }
        let log = server.log();
        let (len, truncations) = self.checked[who.0];
        if len == log.len() && truncations == log.truncations() {
            return;
        }
        let from = if truncations == log.truncations() && len <= log.len() {
            len
        } else {
            0
        };
        self.checked[who.0] = (log.len(), log.truncations());
        for slot in from..log.len() {
            let index = LogIndex::from_slot(slot);
            let term = log.entries()[slot].term;
            let fp = log
                .prefix_fingerprint(index)
                .expect("every entry has a prefix fingerprint");
            if self.seen.len() <= slot {
                self.seen.resize_with(slot + 1, Vec::new);
            }
            match self.seen[slot].iter().find(|(t, _, _)| *t == term) {
                None => self.seen[slot].push((term, fp, who)),
                Some((_, f, first)) if *f != fp => {
                    out.push(Finding::new(
                        NAME,
                        format!(
                            "{} and {} both hold an entry of term {term} at index {index}, but their logs differ before it",
                            first.describe(),
                            who.describe()
                        ),
                    ));
                    return;
                }
                Some(_) => {}
            }
        }
    }
}
