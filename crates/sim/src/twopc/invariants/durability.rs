//! Durability of votes and decisions (Tanenbaum & van Steen §8.5.1: each process
//! "records its state in a log" so that it can recover; Gray & Reuter's force-write
//! rule): once a node's state holds a vote (READY) or a decision, it never reverses
//! the decision, never goes back to READY or INIT after deciding, and does not
//! forget the vote or decision across a restart. The as-submitted P-1 (no decision
//! log) and P-2 (READY not durable) break it.
//!
//! Incremental: the strongest state seen per (node, transaction) — READY, then a
//! decision — is a promise; every later state of that node for that transaction,
//! including the one its restart rebuilt from its log, is compared with it. Reads
//! state through [`super::observe`], never notes.

use crate::sorted::SortedMap;

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::ids::{Decision, TxId};
use crate::twopc::invariants::observe::Change;

/// What a node's state once held for a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Promise {
    /// It voted commit.
    Ready,
    /// It decided.
    Decided(Decision),
}

/// The durability checker.
#[derive(Clone, Debug, Default)]
pub struct Durability {
    promised: SortedMap<(NodeId, TxId), Promise>,
}

impl Durability {
    /// Check one step's transitions.
    pub fn check(&mut self, config: &TwoPcConfig, changes: &[Change], out: &mut Vec<Finding>) {
        for c in changes {
            let key = (c.node, c.tx);
            let before = self.promised.get(&key).copied();
            let now = c.to.and_then(|s| match s.decision() {
                Some(d) => Some(Promise::Decided(d)),
                None if s.is_ready() => Some(Promise::Ready),
                None => None,
            });
            let broken = match (before, now) {
                (None, _) | (Some(Promise::Ready), Some(_)) => None,
                (Some(Promise::Decided(a)), Some(Promise::Decided(b))) if a == b => None,
                (Some(promise), _) => Some(promise),
            };
            if let Some(promise) = broken {
                out.push(Finding::new("durability", describe(config, c, promise)));
            }
            // Keep the strongest: a later decision replaces READY (and a reversed
            // decision replaces the old one, so one slip is reported once).
            if let Some(p) = now
                && (before.is_none() || matches!(p, Promise::Decided(_)))
            {
                self.promised.insert(key, p);
            }
        }
    }
}

fn describe(config: &TwoPcConfig, c: &Change, promise: Promise) -> String {
    let node = config.node_name(c.node);
    let what = match promise {
        Promise::Ready => "that it voted commit (READY)".to_owned(),
        Promise::Decided(d) => format!("that it decided {}", d.name()),
    };
    let now = c.to.map_or("unknown", |s| s.name());
    if c.restarted {
        format!(
            "{node} restarted and no longer knows {what} for {} (now {now})",
            c.tx
        )
    } else {
        let was = c.from.map_or("unknown", |s| s.name());
        let vow = match promise {
            Promise::Ready => "its commit vote (READY)".to_owned(),
            Promise::Decided(d) => format!("its decision {}", d.name()),
        };
        format!("{node} went back on {vow} for {}: {was} then {now}", c.tx)
    }
}
