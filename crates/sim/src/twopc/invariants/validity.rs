//! Validity (Bernstein et al. §7.2 AC3/AC4): a transaction commits only if every
//! participant voted commit. Checked twice: when the coordinator decides COMMIT (all
//! its participants must have gone READY), and when a participant commits (it must
//! itself have voted commit — the txid-blind `GlobalCommit` of P-5 breaks this).
//!
//! Incremental: the set of READY votes per transaction, from the trace.

use crate::sorted::{SortedMap, SortedSet};

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::ids::TxId;
use crate::twopc::invariants::TxBook;
use crate::twopc::note::TwoPcNote;
use crate::twopc::state::{CoordinatorState, ParticipantState};
use crate::world::World;

/// The validity checker.
#[derive(Clone, Debug, Default)]
pub struct Validity {
    voted: SortedMap<TxId, SortedSet<NodeId>>,
}

impl Validity {
    /// Check one step.
    pub fn check(
        &mut self,
        book: &TxBook,
        world: &World<TwoPc>,
        events: &[TraceEvent<TwoPc>],
        out: &mut Vec<Finding>,
    ) {
        for ev in events {
            let EventKind::Note { node, note } = &ev.kind else {
                continue;
            };
            match note {
                TwoPcNote::Participant {
                    tx,
                    to: ParticipantState::Ready,
                    ..
                } => {
                    self.voted.entry(*tx).or_default().insert(*node);
                }
                TwoPcNote::Participant {
                    tx,
                    to: ParticipantState::Commit,
                    ..
                } if !self.voted.get(tx).is_some_and(|v| v.contains(node)) => {
                    out.push(Finding::new(
                        "validity",
                        format!(
                            "{} committed {tx} although it never voted commit",
                            world.node_name(*node)
                        ),
                    ));
                }
                TwoPcNote::Coordinator {
                    tx,
                    to: CoordinatorState::Commit,
                    ..
                } => {
                    let Some(info) = book.get(*tx) else { continue };
                    let voted = self.voted.get(tx);
                    if let Some(p) = info
                        .participants
                        .iter()
                        .find(|p| !voted.is_some_and(|v| v.contains(p)))
                    {
                        out.push(Finding::new(
                            "validity",
                            format!(
                                "{} decided COMMIT for {tx} without a commit vote from {}",
                                world.node_name(*node),
                                world.node_name(*p)
                            ),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
}
