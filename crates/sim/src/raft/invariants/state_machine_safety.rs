//! **State Machine Safety** (Raft §5.4.3, Figure 3): if a server has applied a log
//! entry at a given index to its state machine, no other server will ever apply a
//! different log entry for the same index.
//!
//! The checker records the first entry applied at each index (its term and
//! fingerprint: the command's client request id) and compares every later
//! application, on any server, against it. A server whose `lastApplied` went down
//! (a restart) is followed again from there.

use crate::invariant::Finding;

use super::super::entry::Command;
use super::super::server::Server;
use super::super::types::{LogIndex, Term};
use super::Participant;

/// The invariant's name.
pub const NAME: &str = "state_machine_safety";

/// The entry applied first at each index.
#[derive(Clone, Debug, Default)]
pub struct StateMachineSafety {
    /// `applied[index - 1]`: `(term, entry fingerprint, command name, first applier)`.
    applied: Vec<Option<(Term, u64, &'static str, Participant)>>,
    /// Per participant: `lastApplied` at the last check.
    checked: Vec<LogIndex>,
}

impl StateMachineSafety {
    /// Look at one server after a step.
    pub fn observe(&mut self, who: Participant, server: &Server, out: &mut Vec<Finding>) {
        if self.checked.len() <= who.0 {
            self.checked.resize(who.0 + 1, LogIndex::ZERO);
        }
        let last = server.last_applied();
        let before = self.checked[who.0];
        if last == before {
            return;
        }
        let from = if last < before {
            LogIndex::ZERO
        } else {
            before
        };
        self.checked[who.0] = last;
        let log = server.log();
        let mut index = from.next();
        while index <= last {
            let Some(entry) = log.entry(index) else { break };
            let fp = entry.fingerprint();
            let cmd = match &*entry.command {
                Command::Noop => "NOOP",
                Command::Client { op, .. } => op.cmd(),
            };
            let slot = index.slot();
            if self.applied.len() <= slot {
                self.applied.resize(slot + 1, None);
            }
            match self.applied[slot] {
                None => self.applied[slot] = Some((entry.term, fp, cmd, who)),
                Some((t, f, c, first)) if f != fp => {
                    out.push(Finding::new(
                        NAME,
                        format!(
                            "{} applied {c} (term {t}) at index {index}, but {} applied {cmd} (term {}) there",
                            first.describe(),
                            who.describe(),
                            entry.term
                        ),
                    ));
                    return;
                }
                Some(_) => {}
            }
            index = index.next();
        }
    }
}
