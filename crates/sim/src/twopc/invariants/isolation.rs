//! Isolation of prepared transactions (strict two-phase locking, Bernstein et al.
//! §3.1; the READY guarantee of Tanenbaum §8.5.1): while a participant is READY for a
//! transaction, it holds that transaction's lock on the picture and the picture does
//! not change (present/absent, likes). The as-submitted P-6 (plain ops ignore locks),
//! P-5 (another transaction's `GlobalAbort` releases the lock) and P-2 (the lock is
//! forgotten on restart) break it.
//!
//! Incremental: a snapshot per READY (node, transaction), checked on steps that touch
//! that node.

use crate::sorted::SortedMap;

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::ids::TxId;
use crate::twopc::note::TwoPcNote;
use crate::twopc::state::ParticipantState;
use crate::world::World;

#[derive(Clone, Debug)]
struct Snapshot {
    filename: String,
    likes: Option<u32>,
}

/// The isolation checker.
#[derive(Clone, Debug, Default)]
pub struct Isolation {
    ready: SortedMap<(NodeId, TxId), Snapshot>,
}

impl Isolation {
    /// Check one step.
    pub fn check(
        &mut self,
        world: &World<TwoPc>,
        events: &[TraceEvent<TwoPc>],
        out: &mut Vec<Finding>,
    ) {
        let mut touched: Vec<NodeId> = Vec::new();
        for ev in events {
            if let EventKind::Note {
                node,
                note: TwoPcNote::Participant { tx, to, .. },
            } = &ev.kind
            {
                if *to == ParticipantState::Ready {
                    let n = world.node(*node);
                    if let Some(body) = n.participating().get(tx).and_then(|p| p.body.as_ref()) {
                        let likes = n.pictures().get(&body.filename).map(|p| p.likes);
                        self.ready.insert(
                            (*node, *tx),
                            Snapshot {
                                filename: body.filename.clone(),
                                likes,
                            },
                        );
                    }
                } else {
                    self.ready.remove(&(*node, *tx));
                }
            }
            if let Some(node) = ev.kind.node()
                && !touched.contains(&node)
            {
                touched.push(node);
            }
        }
        if self.ready.is_empty() {
            return;
        }
        for node in touched {
            if !world.is_up(node) {
                continue;
            }
            let n = world.node(node);
            let lo = (
                node,
                TxId {
                    coordinator: NodeId(0),
                    seq: 0,
                },
            );
            let hi = (
                node,
                TxId {
                    coordinator: NodeId(u16::MAX),
                    seq: u32::MAX,
                },
            );
            for (&(_, tx), snap) in self.ready.range(lo..=hi) {
                let name = world.node_name(node);
                let holder = n.locks().get(&snap.filename);
                if holder != Some(&tx) {
                    let by = holder.map_or_else(|| "nobody".to_owned(), ToString::to_string);
                    out.push(Finding::new(
                        "isolation",
                        format!(
                            "{name} is READY for {tx} but its lock on \"{}\" is held by {by}",
                            snap.filename
                        ),
                    ));
                    break;
                }
                let likes = n.pictures().get(&snap.filename).map(|p| p.likes);
                if likes != snap.likes {
                    let what = match (snap.likes, likes) {
                        (Some(_), None) => "was deleted".to_owned(),
                        (None, Some(_)) => "appeared".to_owned(),
                        (a, b) => {
                            format!("changed (likes {} -> {})", a.unwrap_or(0), b.unwrap_or(0))
                        }
                    };
                    out.push(Finding::new(
                        "isolation",
                        format!(
                            "\"{}\" {what} on {name} while it was READY for {tx}",
                            snap.filename
                        ),
                    ));
                    break;
                }
            }
        }
    }
}
