//! Atomicity (Tanenbaum & van Steen §8.5.1; Bernstein et al. §7.2 AC1): all nodes
//! that decide a transaction decide the same — the coordinator and every participant
//! reach COMMIT, or they all reach ABORT.
//!
//! Incremental: remembers the first decision announced for each transaction and
//! compares every later one with it.

use crate::sorted::SortedMap;

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::ids::{Decision, TxId};
use crate::twopc::invariants::{Announced, announced};
use crate::world::World;

/// The atomicity checker.
#[derive(Clone, Debug, Default)]
pub struct Atomicity {
    first: SortedMap<TxId, (Decision, NodeId)>,
}

impl Atomicity {
    /// Check one step.
    pub fn check(
        &mut self,
        world: &World<TwoPc>,
        events: &[TraceEvent<TwoPc>],
        out: &mut Vec<Finding>,
    ) {
        for ev in events {
            let EventKind::Note { node, note } = &ev.kind else {
                continue;
            };
            let Some((tx, Announced::Decided(d))) = announced(note) else {
                continue;
            };
            let (first, by) = *self.first.entry(tx).or_insert((d, *node));
            if first != d {
                out.push(Finding::new(
                    "atomicity",
                    format!(
                        "{tx}: {} decided {} but {} decided {}",
                        world.node_name(by),
                        first.name(),
                        world.node_name(*node),
                        d.name()
                    ),
                ));
            }
        }
    }
}
