//! Picture integrity: no picture is lost or resurrected except by a committed
//! transaction or an acknowledged plain operation. Each node's store is compared with
//! a model driven only by (a) `ok` answers to plain uploads and deletes on that node
//! and (b) commits of transactions that node took part in. The as-submitted P-7 flaw
//! (the coordinator deletes its own copy) breaks it.
//!
//! Incremental: a store is compared only when its version counter moved or the node
//! restarted.

use crate::sorted::SortedSet;

use crate::invariant::Finding;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::client::TwoPcResponse;
use crate::twopc::ids::TxOp;
use crate::twopc::invariants::TxBook;
use crate::twopc::note::TwoPcNote;
use crate::twopc::state::ParticipantState;
use crate::world::World;

/// The picture-integrity checker.
#[derive(Clone, Debug, Default)]
pub struct PictureIntegrity {
    model: Vec<SortedSet<String>>,
    seen: Vec<Option<u64>>,
}

impl PictureIntegrity {
    /// Check one step.
    pub fn check(
        &mut self,
        book: &TxBook,
        world: &World<TwoPc>,
        events: &[TraceEvent<TwoPc>],
        out: &mut Vec<Finding>,
    ) {
        let n = world.node_count();
        if self.model.len() != n {
            self.model.resize_with(n, SortedSet::new);
            self.seen.resize(n, Some(0));
        }
        for ev in events {
            match &ev.kind {
                EventKind::Response {
                    node,
                    response: TwoPcResponse::Uploaded { filename },
                    ..
                } => {
                    self.model[node.index()].insert(filename.clone());
                }
                EventKind::Response {
                    node,
                    response: TwoPcResponse::Deleted { filename },
                    ..
                } => {
                    self.model[node.index()].remove(filename);
                }
                EventKind::Note {
                    node,
                    note:
                        TwoPcNote::Participant {
                            tx,
                            to: ParticipantState::Commit,
                            ..
                        },
                } => {
                    if let Some(info) = book.get(*tx) {
                        let m = &mut self.model[node.index()];
                        match info.body.op {
                            TxOp::Delete => {
                                m.remove(&info.body.filename);
                            }
                            TxOp::Upload => {
                                m.insert(info.body.filename.clone());
                            }
                        }
                    }
                }
                EventKind::Restarted { node } => self.seen[node.index()] = None,
                _ => {}
            }
        }
        for id in world.node_ids() {
            let i = id.index();
            let node = world.node(id);
            if self.seen[i] == Some(node.store_version()) {
                continue;
            }
            self.seen[i] = Some(node.store_version());
            let store = node.pictures();
            if store.keys().eq(self.model[i].iter()) {
                continue;
            }
            let lost = self.model[i].iter().find(|f| !store.contains_key(*f));
            let extra = store.keys().find(|f| !self.model[i].contains(*f));
            let detail = match (lost, extra) {
                (Some(f), _) => format!(
                    "{} lost \"{f}\" outside any committed transaction it took part in",
                    world.node_name(id)
                ),
                (None, Some(f)) => format!(
                    "{} has \"{f}\" though no committed transaction or upload put it there",
                    world.node_name(id)
                ),
                (None, None) => continue,
            };
            out.push(Finding::new("picture_integrity", detail));
            // Resynchronise so one slip is reported once, not on every later step.
            self.model[i] = store.keys().cloned().collect();
        }
    }
}
