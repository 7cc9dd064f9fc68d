//! **commitIndex never decreases** while a server is up. Figure 2 lists
//! `commitIndex` as volatile state "initialized to 0, increases monotonically": an
//! entry once known committed stays committed (§5.3), so a server has no reason to
//! forget it. A restart legitimately starts over at 0 (the index is volatile), so
//! readings are compared within one incarnation: [`super::RaftChecker`] forgets a
//! node when it crashes or restarts.

use crate::invariant::Finding;

use super::super::server::Server;
use super::super::types::LogIndex;
use super::Participant;
use super::watermark::Watermarks;

/// The invariant's name.
pub const NAME: &str = "commit_index_monotonic";

/// Each participant's highest `commitIndex` in its current incarnation.
#[derive(Clone, Debug, Default)]
pub struct CommitIndexMonotonic {
    seen: Watermarks,
}

impl CommitIndexMonotonic {
    /// Look at one server after a step.
    pub fn observe(&mut self, who: Participant, server: &Server, out: &mut Vec<Finding>) {
        self.read(who, server.commit_index(), out);
    }

    /// Compare one reading of `who`'s commitIndex with the highest seen in this incarnation.
    pub fn read(&mut self, who: Participant, now: LogIndex, out: &mut Vec<Finding>) {
        if let Some(before) = self.seen.read(who, now.0) {
            out.push(Finding::new(
                NAME,
                format!(
                    "{}'s commitIndex went down from {before} to {now} without a restart",
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
