//! The 2PC invariant checkers, one per file, run after every event:
//!
//! | invariant | file | what it says |
//! |---|---|---|
//! | `atomicity` | [`atomicity`] | no two nodes decide differently for one transaction |
//! | `validity` | [`validity`] | commit only if every participant voted commit |
//! | `durability` | [`durability`] | a node never reverses (or forgets on restart) a vote or decision it announced |
//! | `picture_integrity` | [`picture_integrity`] | no picture is lost or resurrected except by a committed transaction or an acknowledged plain operation |
//! | `isolation` | [`isolation`] | while a participant is READY, its picture keeps its lock and does not change |
//! | `termination` | [`termination`] | once faults heal, every transaction decides everywhere and releases its locks within [`termination::BOUND`] |
//!
//! They read state transitions from the trace notes and compare them with the nodes'
//! state; they never change a node. Transaction facts (what, who votes, when) come
//! from the coordinator's `TxStarted` note, kept in a [`TxBook`].

pub mod atomicity;
pub mod durability;
pub mod isolation;
pub mod picture_integrity;
pub mod termination;
pub mod validity;

use crate::sorted::SortedMap;

use crate::id::NodeId;
use crate::invariant::{Checker, Finding};
use crate::time::Tick;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::ids::TxId;
use crate::twopc::msg::TxBody;
use crate::twopc::note::TwoPcNote;
use crate::world::World;

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

/// Every transaction started so far.
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
}

/// All 2PC checkers.
#[derive(Clone, Debug, Default)]
pub struct TwoPcChecker {
    book: TxBook,
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
}

impl Checker<TwoPc> for TwoPcChecker {
    fn check(
        &mut self,
        world: &World<TwoPc>,
        events: &[TraceEvent<TwoPc>],
        out: &mut Vec<Finding>,
    ) {
        for ev in events {
            if let EventKind::Note {
                note:
                    TwoPcNote::TxStarted {
                        tx,
                        body,
                        participants,
                    },
                ..
            } = &ev.kind
            {
                self.book.txs.insert(
                    *tx,
                    TxInfo {
                        body: body.clone(),
                        participants: participants.clone(),
                        started_at: ev.at,
                    },
                );
            }
        }
        self.atomicity.check(world, events, out);
        self.validity.check(&self.book, world, events, out);
        self.durability.check(world, events, out);
        self.pictures.check(&self.book, world, events, out);
        self.isolation.check(world, events, out);
        self.termination.check(world);
    }

    fn finish(&mut self, world: &World<TwoPc>, out: &mut Vec<Finding>) {
        self.termination.finish(&self.book, world, out);
    }
}

/// The decision a state-change note announces, with the node's role.
pub(crate) fn announced(note: &TwoPcNote) -> Option<(TxId, Announced)> {
    match note {
        TwoPcNote::Coordinator { tx, to, .. } => {
            to.decision().map(|d| (*tx, Announced::Decided(d)))
        }
        TwoPcNote::Participant { tx, to, .. } => match to.decision() {
            Some(d) => Some((*tx, Announced::Decided(d))),
            None if *to == crate::twopc::state::ParticipantState::Ready => {
                Some((*tx, Announced::Ready))
            }
            None => None,
        },
        _ => None,
    }
}

/// What a node told the world about a transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Announced {
    /// It voted commit.
    Ready,
    /// It decided.
    Decided(crate::twopc::ids::Decision),
}
