//! Durability of votes and decisions (Tanenbaum & van Steen §8.5.1: "the
//! coordinator/participant records its state in a log so it can recover"): a node
//! never reverses a decision it announced, never goes back to READY after deciding,
//! and after a restart still knows every vote and decision it announced before.
//! The as-submitted P-1 (no decision log) and P-2 (READY not durable) break it.
//!
//! Incremental: the promises per (node, transaction); on each restart the restarted
//! node's rebuilt state is compared with them.

use crate::sorted::SortedMap;

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::ids::TxId;
use crate::twopc::invariants::{Announced, announced};
use crate::twopc::state::{CoordinatorState, ParticipantState};
use crate::world::World;

const TX_MIN: TxId = TxId {
    coordinator: NodeId(0),
    seq: 0,
};
const TX_MAX: TxId = TxId {
    coordinator: NodeId(u16::MAX),
    seq: u32::MAX,
};

/// The durability checker.
#[derive(Clone, Debug, Default)]
pub struct Durability {
    promised: SortedMap<(NodeId, TxId), Announced>,
}

impl Durability {
    /// Check one step.
    pub fn check(
        &mut self,
        world: &World<TwoPc>,
        events: &[TraceEvent<TwoPc>],
        out: &mut Vec<Finding>,
    ) {
        for ev in events {
            match &ev.kind {
                EventKind::Note { node, note } => {
                    let Some((tx, now)) = announced(note) else {
                        continue;
                    };
                    let before = self.promised.insert((*node, tx), now);
                    let reversed = match (before, now) {
                        (Some(Announced::Decided(a)), Announced::Decided(b)) => a != b,
                        (Some(Announced::Decided(_)), Announced::Ready) => true,
                        _ => false,
                    };
                    if reversed {
                        out.push(Finding::new(
                            "durability",
                            format!(
                                "{} reversed what it announced for {tx}: {before:?} then {now:?}",
                                world.node_name(*node)
                            ),
                        ));
                    }
                }
                EventKind::Restarted { node } => self.after_restart(*node, world, out),
                _ => {}
            }
        }
    }

    fn after_restart(&self, node: NodeId, world: &World<TwoPc>, out: &mut Vec<Finding>) {
        let n = world.node(node);
        for (&(_, tx), promise) in self.promised.range((node, TX_MIN)..=(node, TX_MAX)) {
            let (kept, now) = if n.is_coordinator() {
                let s = n.coordinator_state(tx);
                (
                    matches!(promise, Announced::Decided(d) if s.and_then(CoordinatorState::decision) == Some(*d)),
                    s.map(CoordinatorState::name),
                )
            } else {
                let s = n.participant_state(tx);
                let kept = match promise {
                    Announced::Decided(d) => s.and_then(ParticipantState::decision) == Some(*d),
                    Announced::Ready => s.is_some_and(|s| s != ParticipantState::Init),
                };
                (kept, s.map(ParticipantState::name))
            };
            if !kept {
                let what = match promise {
                    Announced::Ready => "that it voted commit (READY)".to_owned(),
                    Announced::Decided(d) => format!("that it decided {}", d.name()),
                };
                out.push(Finding::new(
                    "durability",
                    format!(
                        "{} restarted and no longer knows {what} for {tx} (now {})",
                        world.node_name(node),
                        now.unwrap_or("unknown")
                    ),
                ));
                return;
            }
        }
    }
}
