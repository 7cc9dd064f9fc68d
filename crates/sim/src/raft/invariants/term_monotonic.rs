//! **currentTerm never decreases** on a node, across restarts too. Figure 2 lists
//! `currentTerm` as *persistent* state ("updated on stable storage before responding
//! to RPCs"), and §5.1: "Current terms are exchanged whenever servers communicate; if
//! one server's current term is smaller than the other's, then it updates its current
//! term". A server whose term falls back can vote a second time in a term it already
//! voted in (§5.2: "each server will vote for at most one candidate in a given term"),
//! which is how a lost term breaks Election Safety. So unlike the volatile indices, a
//! restart is no excuse: with flaw R3-3/R4-1 (`no-persistence`) a restart resets the
//! term to 0, and this checker reports it.

use crate::invariant::Finding;

use super::super::server::Server;
use super::Participant;
use super::watermark::Watermarks;

/// The invariant's name.
pub const NAME: &str = "term_monotonic";

/// Each participant's highest `currentTerm`, never forgotten.
#[derive(Clone, Debug, Default)]
pub struct TermMonotonic {
    seen: Watermarks,
}

impl TermMonotonic {
    /// Look at one server after a step; `restarted` says whether the node restarted in
    /// this step (it only changes the detail).
    pub fn observe(
        &mut self,
        who: Participant,
        server: &Server,
        restarted: bool,
        out: &mut Vec<Finding>,
    ) {
        let now = server.current_term();
        if let Some(before) = self.seen.read(who, now.0) {
            let how = if restarted {
                " across a restart (currentTerm is persistent state, Figure 2)"
            } else {
                ""
            };
            out.push(Finding::new(
                NAME,
                format!(
                    "{}'s currentTerm went down from {before} to {now}{how}",
                    who.describe()
                ),
            ));
        }
    }
}
