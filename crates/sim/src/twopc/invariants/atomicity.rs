//! Atomicity (Tanenbaum & van Steen §8.5.1; Bernstein, Hadzilacos & Goodman §7.2
//! AC1): all nodes that decide a transaction decide the same — the coordinator and
//! every participant reach COMMIT, or they all reach ABORT.
//!
//! Incremental: remembers, per transaction, the latest decision found in each node's
//! state, and compares every newly decided state with the other nodes'. A node that
//! reverses its *own* decision is durability's business; it is caught here too as
//! soon as it disagrees with another node. Reads states (through
//! [`super::observe`]), never notes, so a node that flips its state silently is still
//! caught.

use crate::sorted::SortedMap;

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::ids::{Decision, TxId};
use crate::twopc::invariants::observe::{Change, TxState};

/// The atomicity checker.
#[derive(Clone, Debug, Default)]
pub struct Atomicity {
    decided: SortedMap<TxId, Vec<(NodeId, Decision)>>,
}

impl Atomicity {
    /// Check one step's transitions.
    pub fn check(&mut self, config: &TwoPcConfig, changes: &[Change], out: &mut Vec<Finding>) {
        for c in changes {
            let Some(d) = c.to.and_then(TxState::decision) else {
                continue;
            };
            let nodes = self.decided.entry(c.tx).or_default();
            if let Some(&(other, theirs)) = nodes.iter().find(|(n, e)| *n != c.node && *e != d) {
                out.push(Finding::new(
                    "atomicity",
                    format!(
                        "{}: {} decided {} but {} decided {}",
                        c.tx,
                        config.node_name(other),
                        theirs.name(),
                        config.node_name(c.node),
                        d.name()
                    ),
                ));
            }
            match nodes.iter_mut().find(|(n, _)| *n == c.node) {
                Some(entry) => entry.1 = d,
                None => nodes.push((c.node, d)),
            }
        }
    }
}
