//! The 2PC invariant checkers, one per file, run after every event:
//!
//! | invariant | file | what it says |
//! |---|---|---|
//! | `atomicity` | [`atomicity`] | no two nodes decide differently for one transaction |
//! | `validity` | [`validity`] | commit only if every participant voted commit |
//! | `durability` | [`durability`] | a node never reverses (or forgets on restart) a vote or decision it reached |
//! | `picture_integrity` | [`picture_integrity`] | no picture is lost or resurrected except by a committed transaction or an acknowledged plain operation |
//! | `isolation` | [`isolation`] | while a participant is READY, its picture keeps its lock and does not change |
//! | `termination` | [`termination`] | once faults heal, every transaction decides everywhere and releases its locks within [`termination::bound`] |
//!
//! The checkers read node *state* after every step — each node's coordinator or
//! participant table, its locks and its picture store, through the node's read-only
//! accessors — never the nodes' notes, so a node cannot hide a violation by not
//! reporting it (the Raft checkers work the same way). Transitions are found by
//! diffing a touched node's state with the previous step's ([`observe`]). Notes may
//! still make a finding's detail readable; they never decide one. Transaction facts
//! (what, who votes, when) come from the coordinator's table, kept in a [`TxBook`].
//!
//! [`TwoPcChecker::observe`] is the world-free core, so a test can drive the checkers
//! with hand-built node states.

pub mod atomicity;
pub mod durability;
pub mod isolation;
pub mod observe;
pub mod picture_integrity;
pub mod termination;
pub mod validity;

#[cfg(test)]
mod hand_built;

use crate::sorted::SortedMap;

use crate::id::NodeId;
use crate::invariant::{Checker, Finding};
use crate::time::Tick;
use crate::trace::TraceEvent;
use crate::twopc::TwoPc;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::ids::TxId;
use crate::twopc::msg::TxBody;
use crate::twopc::node::TwoPcNode;
use crate::world::{NodeSlot, World};

use observe::{Change, Observer};

/// What the checkers know about one transaction.
#[derive(Clone, Debug)]
pub struct TxInfo {
    /// What it does.
    pub body: TxBody,
    /// Who votes.
    pub participants: Vec<NodeId>,
    /// When it started.
    pub started_at: Tick,
}

/// Every transaction started so far, learned from the coordinators' tables (and kept
/// when a coordinator without a log forgets one).
#[derive(Clone, Debug, Default)]
pub struct TxBook {
    txs: SortedMap<TxId, TxInfo>,
}

impl TxBook {
    /// One transaction.
    pub fn get(&self, tx: TxId) -> Option<&TxInfo> {
        self.txs.get(&tx)
    }

    /// All transactions, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&TxId, &TxInfo)> {
        self.txs.iter()
    }

    /// Learn the transactions `node` coordinates. A coordinator numbers them in
    /// order, so the newest are last and the scan stops at the first known one.
    fn learn(&mut self, node: &TwoPcNode) {
        for (tx, c) in node.coordinated().iter().rev() {
            if self.txs.contains_key(tx) {
                break;
            }
            self.txs.insert(
                *tx,
                TxInfo {
                    body: c.body.clone(),
                    participants: c.participants.clone(),
                    started_at: c.body.started_at,
                },
            );
        }
    }
}

/// All 2PC checkers.
#[derive(Clone, Debug, Default)]
pub struct TwoPcChecker {
    book: TxBook,
    observer: Observer,
    atomicity: atomicity::Atomicity,
    validity: validity::Validity,
    durability: durability::Durability,
    pictures: picture_integrity::PictureIntegrity,
    isolation: isolation::Isolation,
    termination: termination::Termination,
}

impl TwoPcChecker {
    /// The transactions seen so far.
    pub fn book(&self) -> &TxBook {
        &self.book
    }

    /// Check one step from the nodes' state alone: `touched` are the nodes whose
    /// handlers ran (with whether each restarted), `slots` every node's state, and
    /// `events` the step's events, of which only client answers are read (the picture
    /// model follows acknowledged plain uploads and deletes).
    pub fn observe(
        &mut self,
        config: &TwoPcConfig,
        slots: &[NodeSlot<TwoPc>],
        touched: &[(NodeId, bool)],
        events: &[TraceEvent<TwoPc>],
        out: &mut Vec<Finding>,
    ) {
        let mut changes: Vec<Change> = Vec::new();
        for &(id, restarted) in touched {
            let node = &slots[id.index()].node;
            self.book.learn(node);
            self.observer.diff(node, restarted, &mut changes);
        }
        self.atomicity.check(config, &changes, out);
        self.validity.check(config, &self.book, &changes, out);
        self.durability.check(config, &changes, out);
        self.pictures
            .check(config, &self.book, slots, touched, events, &changes, out);
        self.isolation.check(config, slots, touched, &changes, out);
    }
}

impl Checker<TwoPc> for TwoPcChecker {
    fn check(
        &mut self,
        world: &World<TwoPc>,
        events: &[TraceEvent<TwoPc>],
        out: &mut Vec<Finding>,
    ) {
        let touched = observe::touched(world.node_count(), events);
        if !touched.is_empty() {
            self.observe(world.config(), world.slots(), &touched, events, out);
        }
        self.termination.check(world);
    }

    fn finish(&mut self, world: &World<TwoPc>, out: &mut Vec<Finding>) {
        self.termination.finish(&self.book, world, out);
    }
}
