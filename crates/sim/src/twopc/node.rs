//! A 2PC node: an HTTP node (coordinator) or a gRPC node (participant) with its
//! picture store, write-ahead log, locks and per-transaction state. This file owns
//! the node's shape, boot and recovery from the log, message dispatch to the two
//! phases, and the read-only views the page and the checkers use.
//!
//! The rules themselves live in `coordinator`, `participant`, `termination` and
//! `store`; this file must not decide anything about a transaction.

use crate::sorted::{SortedMap, SortedSet};

use crate::ctx::Ctx;
use crate::id::{NodeId, RequestId};
use crate::protocol::Node;
use crate::twopc::as_submitted::Bug;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::ids::{Decision, Phase, TxId};
use crate::twopc::msg::{Rpc, TwoPcMsg, TwoPcTimer};
use crate::twopc::note::TwoPcNote;
use crate::twopc::picture::Picture;
use crate::twopc::state::{
    CoordinatorState, CoordinatorTx, DisplayState, ParticipantState, ParticipantTx,
};
use crate::twopc::wal::{TwoPcDurable, WalRecord};
use crate::twopc::{TwoPc, TwoPcRequest};

/// One node of the picture store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwoPcNode {
    pub(crate) id: NodeId,
    pub(crate) http: bool,
    pub(crate) wal: Vec<WalRecord>,
    pub(crate) pictures: SortedMap<String, Picture>,
    pub(crate) next_tx: u32,
    pub(crate) store_version: u64,
    pub(crate) coordinated: SortedMap<TxId, CoordinatorTx>,
    pub(crate) participating: SortedMap<TxId, ParticipantTx>,
    pub(crate) locks: SortedMap<String, TxId>,
    pub(crate) clients: SortedMap<TxId, RequestId>,
    pub(crate) last_tx: Option<TxId>,
    restarted: bool,
}

impl TwoPcNode {
    // ----- views for the page and the checkers ----------------------------------------

    /// The node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// True for an HTTP node (a coordinator), false for a gRPC node (a participant).
    pub fn is_coordinator(&self) -> bool {
        self.http
    }

    /// The write-ahead log, oldest first (durable).
    pub fn wal(&self) -> &[WalRecord] {
        &self.wal
    }

    /// The pictures this node stores (durable), by filename.
    pub fn pictures(&self) -> &SortedMap<String, Picture> {
        &self.pictures
    }

    /// Locks held: filename → the transaction holding it.
    pub fn locks(&self) -> &SortedMap<String, TxId> {
        &self.locks
    }

    /// Transactions this node coordinates, with their state.
    pub fn coordinated(&self) -> &SortedMap<TxId, CoordinatorTx> {
        &self.coordinated
    }

    /// Transactions this node takes part in, with their state.
    pub fn participating(&self) -> &SortedMap<TxId, ParticipantTx> {
        &self.participating
    }

    /// The coordinator state of `tx`, if this node coordinates it and remembers it.
    pub fn coordinator_state(&self, tx: TxId) -> Option<CoordinatorState> {
        self.coordinated.get(&tx).map(|c| c.state)
    }

    /// The participant state of `tx`, if this node remembers it.
    pub fn participant_state(&self, tx: TxId) -> Option<ParticipantState> {
        self.participating.get(&tx).map(|p| p.state)
    }

    /// Whether some READY transaction is blocked (coordinator down, peers all READY).
    pub fn blocked(&self) -> bool {
        self.participating.values().any(|p| p.blocked)
    }

    /// Counts every change of the picture store (volatile), so checkers compare the
    /// store only when it changed.
    pub fn store_version(&self) -> u64 {
        self.store_version
    }

    /// The state to draw: WAIT or READY while a transaction is in progress, otherwise
    /// the outcome of the latest transaction, or INIT.
    pub fn display_state(&self) -> DisplayState {
        if self
            .coordinated
            .values()
            .any(|c| c.state == CoordinatorState::Wait)
        {
            return DisplayState::Wait;
        }
        if self
            .participating
            .values()
            .any(|p| p.state == ParticipantState::Ready)
        {
            return DisplayState::Ready;
        }
        let Some(tx) = self.last_tx else {
            return DisplayState::Init;
        };
        let decision = if self.http {
            self.coordinator_state(tx)
                .and_then(CoordinatorState::decision)
        } else {
            self.participant_state(tx)
                .and_then(ParticipantState::decision)
        };
        match decision {
            Some(Decision::Commit) => DisplayState::Commit,
            Some(Decision::Abort) => DisplayState::Abort,
            None => DisplayState::Init,
        }
    }

    // ----- helpers shared by the phases -----------------------------------------------

    /// Force `record` to the write-ahead log, unless the mode does not log it.
    pub(crate) fn log(&mut self, record: WalRecord, ctx: &mut Ctx<'_, TwoPc>) {
        let skip = match record {
            WalRecord::Ready { .. } => ctx.config().has(Bug::ReadyNotDurable),
            _ => ctx.config().has(Bug::NoDecisionLog),
        };
        if !skip {
            ctx.note(TwoPcNote::Logged(record.clone()));
            self.wal.push(record);
        }
    }

    /// What the durable state looks like, cheaply: the WAL only grows, and every
    /// change to the picture store moves `store_version`.
    fn durable_mark(&self) -> (usize, u64, u32) {
        (self.wal.len(), self.store_version, self.next_tx)
    }

    /// Sync the disk if the handler that began at `before` changed the durable state.
    /// A crash falls between handlers, so this is the WAL forced before a participant
    /// votes and before a coordinator announces its decision (Tanenbaum §8.5.1).
    fn persist(&self, before: (usize, u64, u32), ctx: &mut Ctx<'_, TwoPc>) {
        if self.durable_mark() != before {
            ctx.sync();
        }
    }

    /// Send `rpc` from phase `from` of this node to phase `to` of node `dest`.
    pub(crate) fn send(ctx: &mut Ctx<'_, TwoPc>, dest: NodeId, from: Phase, to: Phase, rpc: Rpc) {
        ctx.send(
            dest,
            TwoPcMsg {
                from_phase: from,
                to_phase: to,
                rpc,
            },
        );
    }

    /// Whether a picture is locked against plain operations, and by whom.
    pub(crate) fn lock_blocking(&self, filename: &str, config: &TwoPcConfig) -> Option<TxId> {
        if config.has(Bug::NoIsolation) {
            None
        } else {
            self.locks.get(filename).copied()
        }
    }

    // ----- recovery ---------------------------------------------------------------------

    /// Rebuild the volatile state from the write-ahead log (Tanenbaum §8.5.1: a
    /// recovering process reads its log to learn where it was).
    fn rebuild(&mut self) {
        for record in &self.wal {
            match record {
                WalRecord::Begin {
                    tx,
                    body,
                    participants,
                } => {
                    self.coordinated.insert(
                        *tx,
                        CoordinatorTx {
                            body: body.clone(),
                            participants: participants.clone(),
                            state: CoordinatorState::Wait,
                            votes: SortedMap::new(),
                            acked: SortedSet::new(),
                            handed_off: false,
                            cursor: 0,
                            ended: false,
                        },
                    );
                }
                WalRecord::Decision { tx, decision } => {
                    if let Some(c) = self.coordinated.get_mut(tx) {
                        c.state = match decision {
                            Decision::Commit => CoordinatorState::Commit,
                            Decision::Abort => CoordinatorState::Abort,
                        };
                    }
                }
                WalRecord::End { tx } => {
                    if let Some(c) = self.coordinated.get_mut(tx) {
                        c.ended = true;
                        c.acked = c.participants.iter().copied().collect();
                    }
                }
                WalRecord::Ready { tx, body } => {
                    self.participating.insert(
                        *tx,
                        ParticipantTx::new(Some(body.clone()), ParticipantState::Ready),
                    );
                    self.locks.insert(body.filename.clone(), *tx);
                }
                WalRecord::Outcome { tx, decision } => {
                    let p = self
                        .participating
                        .entry(*tx)
                        .or_insert_with(|| ParticipantTx::new(None, ParticipantState::Init));
                    p.state = ParticipantState::of(*decision);
                    if let Some(body) = &p.body
                        && self.locks.get(&body.filename) == Some(tx)
                    {
                        self.locks.remove(&body.filename);
                    }
                }
            }
            self.last_tx = Some(record.tx());
        }
    }

    /// After a restart: abort what was left in WAIT, resend logged decisions that were
    /// not acknowledged, and ask for the decision of every READY transaction.
    fn recover(&mut self, ctx: &mut Ctx<'_, TwoPc>) {
        let waiting: Vec<TxId> = self
            .coordinated
            .iter()
            .filter(|(_, c)| c.state == CoordinatorState::Wait)
            .map(|(t, _)| *t)
            .collect();
        let resend: Vec<TxId> = self
            .coordinated
            .iter()
            .filter(|(_, c)| c.state != CoordinatorState::Wait && !c.ended)
            .map(|(t, _)| *t)
            .collect();
        let in_doubt: Vec<TxId> = self
            .participating
            .iter()
            .filter(|(_, p)| p.state == ParticipantState::Ready)
            .map(|(t, _)| *t)
            .collect();
        ctx.note(TwoPcNote::Recovered {
            records: self.wal.len(),
            in_doubt: in_doubt.len(),
            aborted: waiting.len(),
            resend: resend.len(),
        });
        for tx in waiting {
            // No decision was logged, so nobody can have learned COMMIT: abort is safe.
            self.decide(
                tx,
                Decision::Abort,
                "the coordinator restarted before deciding".into(),
                ctx,
            );
        }
        for tx in resend {
            self.start_distribution(tx, ctx);
        }
        for tx in in_doubt {
            // A READY participant cannot decide alone; ask at once.
            self.ask_for_decision(tx, ctx);
        }
    }
}

impl ParticipantTx {
    pub(crate) fn new(body: Option<crate::twopc::msg::TxBody>, state: ParticipantState) -> Self {
        ParticipantTx {
            body,
            state,
            handed_off: false,
            blocked: false,
            asking: false,
            answers: SortedMap::new(),
        }
    }
}

impl Node<TwoPc> for TwoPcNode {
    fn boot(id: NodeId, config: &TwoPcConfig, durable: Option<&TwoPcDurable>) -> Self {
        let mut node = TwoPcNode {
            id,
            http: config.is_http(id),
            wal: Vec::new(),
            pictures: SortedMap::new(),
            next_tx: 0,
            store_version: 0,
            coordinated: SortedMap::new(),
            participating: SortedMap::new(),
            locks: SortedMap::new(),
            clients: SortedMap::new(),
            last_tx: None,
            restarted: false,
        };
        if let Some(d) = durable {
            node.wal.clone_from(&d.wal);
            node.pictures.clone_from(&d.pictures);
            node.next_tx = d.next_tx;
            node.restarted = true;
            node.rebuild();
        }
        node
    }

    fn durable(&self) -> TwoPcDurable {
        TwoPcDurable {
            wal: self.wal.clone(),
            pictures: self.pictures.clone(),
            next_tx: self.next_tx,
        }
    }

    fn on_start(&mut self, ctx: &mut Ctx<'_, TwoPc>) {
        let before = self.durable_mark();
        if self.restarted {
            self.recover(ctx);
        }
        self.persist(before, ctx);
    }

    fn on_message(&mut self, from: NodeId, msg: TwoPcMsg, ctx: &mut Ctx<'_, TwoPc>) {
        let before = self.durable_mark();
        self.dispatch(from, msg, ctx);
        self.persist(before, ctx);
    }

    fn on_timer(&mut self, timer: TwoPcTimer, ctx: &mut Ctx<'_, TwoPc>) {
        let before = self.durable_mark();
        match timer {
            TwoPcTimer::VoteTimeout(tx) => self.on_vote_timeout(tx, ctx),
            TwoPcTimer::DecisionRetry(tx) => self.on_decision_retry(tx, ctx),
            TwoPcTimer::ReadyTimeout(tx) => self.on_ready_timeout(tx, ctx),
        }
        self.persist(before, ctx);
    }

    fn on_request(&mut self, id: RequestId, request: TwoPcRequest, ctx: &mut Ctx<'_, TwoPc>) {
        let before = self.durable_mark();
        self.serve(id, request, ctx);
        self.persist(before, ctx);
    }

    /// Forcing the timeout fires every READY timeout (participant) or every vote
    /// timeout (coordinator) now.
    fn on_force_timeout(&mut self, ctx: &mut Ctx<'_, TwoPc>) {
        let before = self.durable_mark();
        self.force_timeouts(ctx);
        self.persist(before, ctx);
    }
}

impl TwoPcNode {
    /// Route a delivered message to its phase.
    fn dispatch(&mut self, from: NodeId, msg: TwoPcMsg, ctx: &mut Ctx<'_, TwoPc>) {
        let local = from == self.id;
        match msg.rpc {
            Rpc::VoteRequest { tx, body } => self.on_vote_request(from, tx, body, ctx),
            Rpc::VoteCommit { tx } if local => self.on_ready_handoff(tx),
            Rpc::VoteCommit { tx } => self.on_vote(from, tx, true, ctx),
            Rpc::VoteAbort { tx, .. } => self.on_vote(from, tx, false, ctx),
            Rpc::GlobalCommit { tx, .. } | Rpc::GlobalAbort { tx, .. } if local => {
                self.on_decision_handoff(tx, ctx);
            }
            Rpc::GlobalCommit { tx, body } => self.on_global(tx, Decision::Commit, body, from, ctx),
            Rpc::GlobalAbort { tx, body } => self.on_global(tx, Decision::Abort, body, from, ctx),
            Rpc::Ack { tx } => self.on_ack(from, tx, ctx),
            Rpc::DecisionRequest { tx } => self.on_decision_request(from, tx, ctx),
            Rpc::DecisionReply { tx, state } => self.on_decision_reply(from, tx, state, ctx),
        }
    }

    /// Every READY timeout (participant) or every vote timeout (coordinator), now.
    fn force_timeouts(&mut self, ctx: &mut Ctx<'_, TwoPc>) {
        let ready: Vec<TxId> = self
            .participating
            .iter()
            .filter(|(_, p)| p.state == ParticipantState::Ready)
            .map(|(t, _)| *t)
            .collect();
        for tx in ready {
            self.on_ready_timeout(tx, ctx);
        }
        let waiting: Vec<TxId> = self
            .coordinated
            .iter()
            .filter(|(_, c)| c.state == CoordinatorState::Wait)
            .map(|(t, _)| *t)
            .collect();
        for tx in waiting {
            self.on_vote_timeout(tx, ctx);
        }
    }
}
