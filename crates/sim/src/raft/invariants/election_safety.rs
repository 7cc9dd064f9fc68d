//! **Election Safety** (Raft §5.2, Figure 3): at most one leader can be elected in a
//! given term. The checker remembers the first leader it saw for each term and flags
//! any other server that is leader in the same term.

use crate::sorted::SortedMap;

use crate::invariant::Finding;

use super::super::server::Server;
use super::super::types::{Role, Term};
use super::Participant;

/// The invariant's name.
pub const NAME: &str = "election_safety";

/// Leaders seen, by term.
#[derive(Clone, Debug, Default)]
pub struct ElectionSafety {
    leaders: SortedMap<Term, Participant>,
}

impl ElectionSafety {
    /// Look at one server after a step.
    pub fn observe(&mut self, who: Participant, server: &Server, out: &mut Vec<Finding>) {
        if server.role() != Role::Leader {
            return;
        }
        let term = server.current_term();
        match self.leaders.get(&term) {
            None => {
                self.leaders.insert(term, who);
            }
            Some(first) if *first != who => {
                out.push(Finding::new(
                    NAME,
                    format!(
                        "two leaders in term {term}: {} and {}",
                        first.describe(),
                        who.describe()
                    ),
                ));
            }
            Some(_) => {}
        }
    }

    /// The leader of each term seen so far.
    pub fn leaders(&self) -> &SortedMap<Term, Participant> {
        &self.leaders
    }
}
