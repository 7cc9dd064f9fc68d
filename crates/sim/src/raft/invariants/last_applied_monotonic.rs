//! **lastApplied never decreases** while a server is up. Figure 2: `lastApplied` is
//! volatile, "initialized to 0, increases monotonically"; a state machine cannot
//! un-apply a command (§5.3 applies entries in log order, once). A restart rebuilds
//! the state machine from 0, so readings are compared within one incarnation, as for
//! [`super::commit_index_monotonic`].

use crate::invariant::Finding;

use super::super::server::Server;
use super::super::types::LogIndex;
use super::Participant;
use super::watermark::Watermarks;

/// The invariant's name.
pub const NAME: &str = "last_applied_monotonic";

/// Each participant's highest `lastApplied` in its current incarnation.
#[derive(Clone, Debug, Default)]
pub struct LastAppliedMonotonic {
    seen: Watermarks,
}

impl LastAppliedMonotonic {
    /// Look at one server after a step.
    pub fn observe(&mut self, who: Participant, server: &Server, out: &mut Vec<Finding>) {
        self.read(who, server.last_applied(), out);
    }

    /// Compare one reading of `who`'s lastApplied with the highest seen in this incarnation.
    pub fn read(&mut self, who: Participant, now: LogIndex, out: &mut Vec<Finding>) {
        if let Some(before) = self.seen.read(who, now.0) {
            out.push(Finding::new(
                NAME,
                format!(
                    "{}'s lastApplied went down from {before} to {now} without a restart",
                    who.describe()
                ),
            ));
        }
    }

    /// A node crashed or restarted: its volatile state starts over.
    pub fn forget(&mut self, node: usize) {
        self.seen.forget(node);
    }
}
