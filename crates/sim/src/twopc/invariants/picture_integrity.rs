//! Picture integrity: no picture is lost or resurrected except by a committed
//! transaction or an acknowledged plain operation. Each node's store is compared with
//! a model driven only by (a) `ok` answers to plain uploads and deletes on that node
//! (what its client was told) and (b) the node's own state reaching COMMIT for a
//! transaction it took part in. The as-submitted P-7 flaw (the coordinator deletes
//! its own copy) breaks it.
//!
//! Incremental: the store of every node a step touched is compared with the model
//! (not only when the node says it changed: the node's change counter is its own
//! report, and this checker does not take a node's word).

use crate::sorted::SortedSet;

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::client::TwoPcResponse;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::ids::TxOp;
use crate::twopc::invariants::TxBook;
use crate::twopc::invariants::observe::{Change, TxState};
use crate::twopc::state::ParticipantState;
use crate::world::NodeSlot;

const COMMIT: TxState = TxState::Participant(ParticipantState::Commit);

/// The picture-integrity checker.
#[derive(Clone, Debug, Default)]
pub struct PictureIntegrity {
    model: Vec<SortedSet<String>>,
}

impl PictureIntegrity {
    /// Check one step.
    #[allow(clippy::too_many_arguments)] // the step's parts, each read once
    pub fn check(
        &mut self,
        config: &TwoPcConfig,
        book: &TxBook,
        slots: &[NodeSlot<TwoPc>],
        touched: &[(NodeId, bool)],
        events: &[TraceEvent<TwoPc>],
        changes: &[Change],
        out: &mut Vec<Finding>,
    ) {
        if self.model.len() != slots.len() {
            self.model.resize_with(slots.len(), SortedSet::new);
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
                _ => {}
            }
        }
        for c in changes {
            if c.to != Some(COMMIT) || c.from == Some(COMMIT) {
                continue;
            }
            if let Some(info) = book.get(c.tx) {
                let m = &mut self.model[c.node.index()];
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
        for &(id, _) in touched {
            let i = id.index();
            let store = slots[i].node.pictures();
            if store.keys().eq(self.model[i].iter()) {
                continue;
            }
            let lost = self.model[i].iter().find(|f| !store.contains_key(*f));
            let extra = store.keys().find(|f| !self.model[i].contains(*f));
            let detail = match (lost, extra) {
                (Some(f), _) => format!(
                    "{} lost \"{f}\" outside any committed transaction it took part in",
                    config.node_name(id)
                ),
                (None, Some(f)) => format!(
                    "{} has \"{f}\" though no committed transaction or upload put it there",
                    config.node_name(id)
                ),
                (None, None) => continue,
            };
            out.push(Finding::new("picture_integrity", detail));
            // Resynchronise so one slip is reported once, not on every later step.
            self.model[i] = store.keys().cloned().collect();
        }
    }
}
