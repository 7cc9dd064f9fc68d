//! **lastApplied ≤ commitIndex**, always. Figure 2, all servers: "If commitIndex >
//! lastApplied: increment lastApplied, apply log[lastApplied] to state machine"; only
//! committed entries are applied (§5.3, "the leader decides when it is safe to apply
//! a log entry ... such an entry is called committed"). A server whose lastApplied is
//! ahead of its commitIndex has applied an entry it does not know to be committed,
//! which another leader may yet overwrite.

use crate::invariant::Finding;

use super::super::server::Server;
use super::super::types::LogIndex;
use super::Participant;

/// The invariant's name.
pub const NAME: &str = "applied_within_commit";

/// Stateless: the two indices are compared on every look.
#[derive(Clone, Debug, Default)]
pub struct AppliedWithinCommit;

impl AppliedWithinCommit {
    /// Look at one server after a step.
    pub fn observe(who: Participant, server: &Server, out: &mut Vec<Finding>) {
        Self::compare(who, server.last_applied(), server.commit_index(), out);
    }

    /// Compare one reading of `who`'s `lastApplied` and `commitIndex`.
    pub fn compare(who: Participant, applied: LogIndex, commit: LogIndex, out: &mut Vec<Finding>) {
        if applied > commit {
            out.push(Finding::new(
                NAME,
                format!(
                    "{} has applied up to index {applied} but its commitIndex is {commit}",
                    who.describe()
                ),
            ));
        }
    }
}
