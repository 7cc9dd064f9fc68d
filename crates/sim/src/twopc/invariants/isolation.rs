//! Isolation of prepared transactions (strict two-phase locking, Bernstein,
//! Hadzilacos & Goodman §3.1; the READY guarantee of Tanenbaum §8.5.1): while a
//! participant is READY for a transaction, it holds that transaction's lock on the
//! picture and the picture does not change (present/absent, likes). The as-submitted
//! P-6 (plain ops ignore locks), P-5 (another transaction's `GlobalAbort` releases the
//! lock) and P-2 (the lock is forgotten on restart) break it.
//!
//! Incremental: a snapshot of the picture per READY (node, transaction), taken when
//! the node's state is first seen READY and dropped when its state holds a decision
//! (a READY that the node *forgot* stays promised, so its missing lock is caught);
//! checked on every step that touches that node. Reads state, never notes.

use crate::sorted::SortedMap;

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::twopc::TwoPc;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::ids::TxId;
use crate::twopc::invariants::observe::Change;
use crate::world::NodeSlot;

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

const TX_MIN: TxId = TxId {
    coordinator: NodeId(0),
    seq: 0,
};
const TX_MAX: TxId = TxId {
    coordinator: NodeId(u16::MAX),
    seq: u32::MAX,
};

impl Isolation {
    /// Check one step.
    pub fn check(
        &mut self,
        config: &TwoPcConfig,
        slots: &[NodeSlot<TwoPc>],
        touched: &[(NodeId, bool)],
        changes: &[Change],
        out: &mut Vec<Finding>,
    ) {
        for c in changes {
            let Some(to) = c.to else { continue };
            if to.is_ready() {
                let n = &slots[c.node.index()].node;
                if let Some(body) = n.participating().get(&c.tx).and_then(|p| p.body.as_ref()) {
                    let likes = n.pictures().get(&body.filename).map(|p| p.likes);
                    self.ready.insert(
                        (c.node, c.tx),
                        Snapshot {
                            filename: body.filename.clone(),
                            likes,
                        },
                    );
                }
            } else if to.decision().is_some() {
                self.ready.remove(&(c.node, c.tx));
            }
        }
        if self.ready.is_empty() {
            return;
        }
        for &(node, _) in touched {
            let slot = &slots[node.index()];
            if !slot.up {
                continue;
            }
            let n = &slot.node;
            for (&(_, tx), snap) in self.ready.range((node, TX_MIN)..=(node, TX_MAX)) {
                let name = config.node_name(node);
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
