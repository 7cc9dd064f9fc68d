//! The coordinator's rules (Tanenbaum & van Steen §8.5.1, Fig. 8-18a): INIT → WAIT on
//! a client's delete-2pc/upload-2pc, WAIT → COMMIT when every participant voted
//! commit, WAIT → ABORT on the first `VoteAbort` or when the vote timeout fires; the
//! decision is logged before anyone hears of it, handed by RPC from the Voting phase
//! to the Decision phase, and resent until every participant has acknowledged it.
//!
//! This file must not touch participant state or the picture store (except the
//! as-submitted P-7 flaw, which deletes the coordinator's own copy).

use crate::sorted::{SortedMap, SortedSet};

use crate::ctx::Ctx;
use crate::id::{NodeId, RequestId};
use crate::time::Ticks;
use crate::twopc::TwoPc;
use crate::twopc::as_submitted::Bug;
use crate::twopc::client::TwoPcResponse;
use crate::twopc::ids::{Decision, Phase, TxId, TxOp};
use crate::twopc::msg::{PeerState, Rpc, TwoPcTimer, TxBody};
use crate::twopc::node::TwoPcNode;
use crate::twopc::note::TwoPcNote;
use crate::twopc::state::{CoordinatorState, CoordinatorTx};
use crate::twopc::wal::WalRecord;

impl TwoPcNode {
    /// A client asked this node for delete-2pc or upload-2pc of `filename` (already
    /// validated). Start the transaction, or reject it with a reason.
    pub(crate) fn begin(
        &mut self,
        request: RequestId,
        op: TxOp,
        filename: String,
        ctx: &mut Ctx<'_, TwoPc>,
    ) {
        if !self.http {
            let name = ctx.config().node_name(self.id);
            let reason = format!(
                "{name} is a participant, not a coordinator: send {} to an HTTP node",
                op.name()
            );
            ctx.reply(request, TwoPcResponse::Rejected { reason });
            return;
        }
        if let Some((tx, _)) = self
            .coordinated
            .iter()
            .find(|(_, c)| c.state == CoordinatorState::Wait && c.body.filename == filename)
        {
            let reason = format!("a 2PC transaction on \"{filename}\" is already in flight ({tx})");
            ctx.reply(request, TwoPcResponse::Rejected { reason });
            return;
        }
        self.next_tx += 1;
        let tx = TxId {
            coordinator: self.id,
            seq: self.next_tx,
        };
        let participants = ctx.config().participants();
        let body = TxBody {
            op,
            filename,
            started_at: ctx.now(),
        };
        ctx.note(TwoPcNote::TxStarted {
            tx,
            body: body.clone(),
            participants: participants.clone(),
        });
        // START_2PC is forced before the first VoteRequest, so a restarted coordinator
        // knows the transaction existed and can abort it (Fig. 8-19 recovery).
        self.log(
            WalRecord::Begin {
                tx,
                body: body.clone(),
                participants: participants.clone(),
            },
            ctx,
        );
        self.coordinated.insert(
            tx,
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
        self.last_tx = Some(tx);
        self.clients.insert(tx, request);
        ctx.note(TwoPcNote::Coordinator {
            tx,
            from: CoordinatorState::Init,
            to: CoordinatorState::Wait,
        });
        let timeout = Ticks(ctx.config().vote_timeout_ms);
        if ctx.config().has(Bug::Sequential2sCalls) {
            // P-8: one participant at a time, each with its own 2 s deadline.
            Self::send(
                ctx,
                participants[0],
                Phase::Voting,
                Phase::Voting,
                Rpc::VoteRequest { tx, body },
            );
        } else {
            for p in participants {
                Self::send(
                    ctx,
                    p,
                    Phase::Voting,
                    Phase::Voting,
                    Rpc::VoteRequest {
                        tx,
                        body: body.clone(),
                    },
                );
            }
        }
        ctx.set_timer(TwoPcTimer::VoteTimeout(tx), timeout, timeout);
    }

    /// A vote arrived at the Voting phase.
    pub(crate) fn on_vote(
        &mut self,
        from: NodeId,
        tx: TxId,
        commit: bool,
        ctx: &mut Ctx<'_, TwoPc>,
    ) {
        let sequential = ctx.config().has(Bug::Sequential2sCalls);
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        if c.state != CoordinatorState::Wait || !c.participants.contains(&from) {
            return; // late, duplicate or foreign: the decision is already made
        }
        if sequential {
            if c.participants.get(c.cursor) != Some(&from) {
                return; // an answer to a call that already timed out
            }
            c.votes.insert(from, commit);
            c.cursor += 1;
            self.next_sequential_vote(tx, ctx);
            return;
        }
        c.votes.insert(from, commit);
        let name = ctx.config().node_name(from);
        let yes = c.votes.values().filter(|v| **v).count();
        let enough = if ctx.config().has(Bug::CommitOnMajorityVotes) {
            // The classic bug: a quorum rule borrowed from consensus. Commit needs every
            // participant's yes (AC3): one silent participant may yet vote no.
            yes * 2 > c.participants.len()
        } else {
            c.participants.iter().all(|p| c.votes.get(p) == Some(&true))
        };
        if !commit {
            // Fig. 8-18a: one VOTE_ABORT is enough to decide.
            self.decide(tx, Decision::Abort, format!("{name} voted VoteAbort"), ctx);
        } else if enough {
            self.decide(tx, Decision::Commit, String::new(), ctx);
        }
    }

    /// Sequential mode: call the next participant, or decide once all were called.
    fn next_sequential_vote(&mut self, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        let Some(c) = self.coordinated.get(&tx) else {
            return;
        };
        if let Some(&p) = c.participants.get(c.cursor) {
            let body = c.body.clone();
            Self::send(
                ctx,
                p,
                Phase::Voting,
                Phase::Voting,
                Rpc::VoteRequest { tx, body },
            );
            let t = Ticks(ctx.config().vote_timeout_ms);
            ctx.set_timer(TwoPcTimer::VoteTimeout(tx), t, t);
            return;
        }
        // The seed: commit iff there are as many YES votes as participants.
        let yes = c.votes.values().filter(|v| **v).count();
        if yes == c.participants.len() {
            self.decide(tx, Decision::Commit, String::new(), ctx);
        } else {
            let no: Vec<String> = c
                .participants
                .iter()
                .filter(|p| c.votes.get(p) != Some(&true))
                .map(|p| ctx.config().node_name(*p))
                .collect();
            self.decide(
                tx,
                Decision::Abort,
                format!("no commit vote from {}", no.join(", ")),
                ctx,
            );
        }
    }

    /// The vote timeout fired.
    pub(crate) fn on_vote_timeout(&mut self, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        if c.state != CoordinatorState::Wait {
            return;
        }
        if ctx.config().has(Bug::Sequential2sCalls) {
            if let Some(&p) = c.participants.get(c.cursor) {
                ctx.note(TwoPcNote::NoResponse {
                    tx,
                    node: p,
                    phase: Phase::Voting,
                });
                c.votes.insert(p, false);
                c.cursor += 1;
            }
            self.next_sequential_vote(tx, ctx);
            return;
        }
        ctx.note(TwoPcNote::VoteTimedOut { tx });
        let missing: Vec<String> = c
            .participants
            .iter()
            .filter(|p| !c.votes.contains_key(p))
            .map(|p| ctx.config().node_name(*p))
            .collect();
        if ctx.config().has(Bug::CommitOnVoteTimeout) {
            // The teaching flaw: silence read as a yes. Validity (AC3) forbids it.
            let reason = format!("vote timeout: presumed yes from {}", missing.join(", "));
            self.decide(tx, Decision::Commit, reason, ctx);
            return;
        }
        // Fig. 8-18a: a coordinator blocked in WAIT may abort after a timeout.
        self.decide(
            tx,
            Decision::Abort,
            format!("vote timeout: no answer from {}", missing.join(", ")),
            ctx,
        );
    }

    /// Decide: log the decision, answer the client, and start distributing it.
    pub(crate) fn decide(
        &mut self,
        tx: TxId,
        decision: Decision,
        reason: String,
        ctx: &mut Ctx<'_, TwoPc>,
    ) {
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        if c.state != CoordinatorState::Wait {
            return;
        }
        let from = c.state;
        c.state = match decision {
            Decision::Commit => CoordinatorState::Commit,
            Decision::Abort => CoordinatorState::Abort,
        };
        let body = c.body.clone();
        ctx.cancel_timer(TwoPcTimer::VoteTimeout(tx));
        // Write-ahead: the decision is on disk before any participant or client hears it.
        // The classic bug defers the write to the first Ack (`on_ack`), so a crash in
        // between leaves a START_2PC without a decision, which recovery aborts.
        if !ctx.config().has(Bug::DecisionNotLoggedBeforeSend) {
            self.log(WalRecord::Decision { tx, decision }, ctx);
        }
        ctx.note(TwoPcNote::Coordinator {
            tx,
            from,
            to: self.coordinated[&tx].state,
        });
        self.last_tx = Some(tx);
        if let Some(request) = self.clients.remove(&tx) {
            let response = match decision {
                Decision::Commit => TwoPcResponse::Committed { tx },
                Decision::Abort => TwoPcResponse::Aborted { tx, reason },
            };
            ctx.reply(request, response);
        }
        if decision == Decision::Commit
            && body.op == TxOp::Delete
            && ctx.config().has(Bug::CoordinatorDeletesOwnCopy)
            && self.pictures.remove(&body.filename).is_some()
        {
            // P-7: the seed's coordinator deletes its own copy too, though it never voted.
            self.store_version += 1;
        }
        self.start_distribution(tx, ctx);
    }

    /// Hand the decision from the Voting phase to the Decision phase (an RPC inside the
    /// node, as assignment Q2 requires) and arm the retry timer.
    pub(crate) fn start_distribution(&mut self, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        let Some(decision) = c.state.decision() else {
            return;
        };
        c.handed_off = false;
        c.cursor = 0;
        let body = c.body.clone();
        if !ctx.config().has(Bug::NoDecisionRetry) {
            let t = Ticks(ctx.config().decision_retry_ms);
            ctx.set_timer(TwoPcTimer::DecisionRetry(tx), t, t);
        }
        if ctx.config().has(Bug::NoIntraNodeRpc) {
            self.on_decision_handoff(tx, ctx);
        } else {
            let rpc = global(tx, decision, body);
            Self::send(ctx, self.id, Phase::Voting, Phase::Decision, rpc);
        }
    }

    /// The Decision phase received the decision from the Voting phase.
    pub(crate) fn on_decision_handoff(&mut self, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        if c.ended || c.handed_off || c.state.decision().is_none() {
            return;
        }
        c.handed_off = true;
        self.distribute(tx, ctx);
    }

    /// Send the decision to the participants that still owe an Ack.
    fn distribute(&mut self, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        let sequential = ctx.config().has(Bug::Sequential2sCalls);
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        let Some(decision) = c.state.decision() else {
            return;
        };
        if sequential {
            while c
                .participants
                .get(c.cursor)
                .is_some_and(|p| c.acked.contains(p))
            {
                c.cursor += 1;
            }
            if let Some(&p) = c.participants.get(c.cursor) {
                let rpc = global(tx, decision, c.body.clone());
                Self::send(ctx, p, Phase::Decision, Phase::Decision, rpc);
                // The call's 2 s deadline.
                let t = Ticks(ctx.config().vote_timeout_ms);
                ctx.set_timer(TwoPcTimer::DecisionRetry(tx), t, t);
            } else if ctx.config().has(Bug::NoDecisionRetry) {
                c.ended = true; // P-3: one pass, then give up
                ctx.cancel_timer(TwoPcTimer::DecisionRetry(tx));
            } else {
                // End of a pass: the cursor stays past the end until the retry starts
                // the next pass from the first unacknowledged participant.
                let t = Ticks(ctx.config().decision_retry_ms);
                ctx.set_timer(TwoPcTimer::DecisionRetry(tx), t, t);
            }
            return;
        }
        let owed: Vec<NodeId> = c
            .participants
            .iter()
            .copied()
            .filter(|p| !c.acked.contains(p))
            .collect();
        let body = c.body.clone();
        for p in owed {
            Self::send(
                ctx,
                p,
                Phase::Decision,
                Phase::Decision,
                global(tx, decision, body.clone()),
            );
        }
    }

    /// The retry timer fired: redo whichever step has not been acknowledged.
    pub(crate) fn on_decision_retry(&mut self, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        let sequential = ctx.config().has(Bug::Sequential2sCalls);
        let no_retry = ctx.config().has(Bug::NoDecisionRetry);
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        let Some(decision) = c.state.decision() else {
            return;
        };
        if c.ended {
            return;
        }
        if !c.handed_off {
            // The hand-off inside the node was lost: send it again.
            let rpc = global(tx, decision, c.body.clone());
            let t = Ticks(ctx.config().decision_retry_ms);
            if !no_retry {
                ctx.set_timer(TwoPcTimer::DecisionRetry(tx), t, t);
            }
            Self::send(ctx, self.id, Phase::Voting, Phase::Decision, rpc);
            return;
        }
        if sequential {
            if let Some(&p) = c.participants.get(c.cursor) {
                if !c.acked.contains(&p) {
                    ctx.note(TwoPcNote::NoResponse {
                        tx,
                        node: p,
                        phase: Phase::Decision,
                    });
                }
                c.cursor += 1;
            } else {
                c.cursor = 0;
            }
            self.distribute(tx, ctx);
            return;
        }
        if !no_retry {
            let t = Ticks(ctx.config().decision_retry_ms);
            ctx.set_timer(TwoPcTimer::DecisionRetry(tx), t, t);
        }
        self.distribute(tx, ctx);
    }

    /// A participant acknowledged the decision.
    pub(crate) fn on_ack(&mut self, from: NodeId, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        let sequential = ctx.config().has(Bug::Sequential2sCalls);
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        if c.ended || !c.participants.contains(&from) {
            return;
        }
        c.acked.insert(from);
        if ctx.config().has(Bug::DecisionNotLoggedBeforeSend)
            && let Some(decision) = c.state.decision()
        {
            // The bug's late write: the decision reaches the log only now, after the
            // participants were told.
            let record = WalRecord::Decision { tx, decision };
            if !self.wal.contains(&record) {
                self.log(record, ctx);
            }
        }
        let Some(c) = self.coordinated.get_mut(&tx) else {
            return;
        };
        if c.participants.iter().all(|p| c.acked.contains(p)) {
            c.ended = true;
            ctx.cancel_timer(TwoPcTimer::DecisionRetry(tx));
            self.log(WalRecord::End { tx }, ctx);
            return;
        }
        if sequential && c.participants.get(c.cursor) == Some(&from) {
            c.cursor += 1;
            self.distribute(tx, ctx);
        }
    }

    /// A READY participant asks the coordinator for the decision.
    pub(crate) fn coordinator_answer(&self, tx: TxId) -> PeerState {
        match self.coordinated.get(&tx).map(|c| c.state) {
            Some(CoordinatorState::Commit) => PeerState::Commit,
            Some(CoordinatorState::Abort) => PeerState::Abort,
            Some(CoordinatorState::Wait | CoordinatorState::Init) => PeerState::Wait,
            // Only a coordinator that lost its log (P-1) can forget a transaction.
            None => PeerState::Init,
        }
    }
}

/// The decision RPC.
pub(crate) fn global(tx: TxId, decision: Decision, body: TxBody) -> Rpc {
    match decision {
        Decision::Commit => Rpc::GlobalCommit { tx, body },
        Decision::Abort => Rpc::GlobalAbort { tx, body },
    }
}
