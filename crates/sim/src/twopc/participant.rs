//! The participant's rules (Tanenbaum & van Steen §8.5.1, Fig. 8-18b): on a
//! `VoteRequest`, INIT → READY (log READY, take the lock, vote commit) if it has the
//! picture (delete-2pc) and nobody holds its lock, otherwise INIT → ABORT and vote
//! abort; on the decision, READY → COMMIT | ABORT (log the outcome, apply it, release
//! the lock) and acknowledge.
//!
//! The READY hand-off from the Voting phase to the Decision phase is an RPC inside the
//! node. Asking peers for a lost decision is in `termination`.

use crate::ctx::Ctx;
use crate::id::NodeId;
use crate::time::Ticks;
use crate::twopc::TwoPc;
use crate::twopc::as_submitted::Bug;
use crate::twopc::ids::{Decision, Phase, TxId, TxOp};
use crate::twopc::msg::{AbortReason, Rpc, TwoPcTimer, TxBody};
use crate::twopc::node::TwoPcNode;
use crate::twopc::note::TwoPcNote;
use crate::twopc::picture::Picture;
use crate::twopc::state::{ParticipantState, ParticipantTx};
use crate::twopc::wal::WalRecord;

impl TwoPcNode {
    /// The coordinator asks for a vote.
    pub(crate) fn on_vote_request(
        &mut self,
        from: NodeId,
        tx: TxId,
        body: TxBody,
        ctx: &mut Ctx<'_, TwoPc>,
    ) {
        if self.http {
            return;
        }
        if let Some(p) = self.participating.get(&tx) {
            // A duplicate or late request: repeat what we already said. In particular
            // a transaction we aborted (termination protocol) is never prepared later.
            let rpc = match p.state {
                ParticipantState::Ready | ParticipantState::Commit => Rpc::VoteCommit { tx },
                ParticipantState::Abort | ParticipantState::Init => Rpc::VoteAbort {
                    tx,
                    reason: AbortReason::AlreadyAborted,
                },
            };
            Self::send(ctx, from, Phase::Voting, Phase::Voting, rpc);
            return;
        }
        let refusal = if let Some(holder) = self.locks.get(&body.filename) {
            Some(AbortReason::Locked(*holder))
        } else if body.op == TxOp::Delete && !self.pictures.contains_key(&body.filename) {
            Some(AbortReason::NotFound)
        } else {
            None
        };
        self.last_tx = Some(tx);
        if let Some(reason) = refusal {
            // Fig. 8-18b: INIT → ABORT; the participant may forget the transaction.
            self.log(
                WalRecord::Outcome {
                    tx,
                    decision: Decision::Abort,
                },
                ctx,
            );
            self.participating
                .insert(tx, ParticipantTx::new(Some(body), ParticipantState::Abort));
            ctx.note(TwoPcNote::Participant {
                tx,
                from: ParticipantState::Init,
                to: ParticipantState::Abort,
            });
            Self::send(
                ctx,
                from,
                Phase::Voting,
                Phase::Voting,
                Rpc::VoteAbort { tx, reason },
            );
            return;
        }
        // Write-ahead: READY is on disk before the coordinator can count this vote.
        self.log(
            WalRecord::Ready {
                tx,
                body: body.clone(),
            },
            ctx,
        );
        self.locks.insert(body.filename.clone(), tx);
        self.participating
            .insert(tx, ParticipantTx::new(Some(body), ParticipantState::Ready));
        ctx.note(TwoPcNote::Participant {
            tx,
            from: ParticipantState::Init,
            to: ParticipantState::Ready,
        });
        Self::send(
            ctx,
            from,
            Phase::Voting,
            Phase::Voting,
            Rpc::VoteCommit { tx },
        );
        if ctx.config().has(Bug::NoIntraNodeRpc) {
            self.on_ready_handoff(tx);
        } else {
            Self::send(
                ctx,
                self.id,
                Phase::Voting,
                Phase::Decision,
                Rpc::VoteCommit { tx },
            );
        }
        if !ctx.config().has(Bug::NoTerminationProtocol) {
            let (lo, hi) = ctx.config().ready_timeout_ms;
            ctx.set_timer(TwoPcTimer::ReadyTimeout(tx), Ticks(lo), Ticks(hi));
        }
    }

    /// The Decision phase received the READY hand-off from the Voting phase.
    pub(crate) fn on_ready_handoff(&mut self, tx: TxId) {
        if let Some(p) = self.participating.get_mut(&tx) {
            p.handed_off = true;
        }
    }

    /// The coordinator's decision arrived at the Decision phase.
    pub(crate) fn on_global(
        &mut self,
        tx: TxId,
        decision: Decision,
        body: TxBody,
        from: NodeId,
        ctx: &mut Ctx<'_, TwoPc>,
    ) {
        if self.http {
            return;
        }
        let blind = ctx.config().has(Bug::TxidBlindDecision);
        match self.participating.get(&tx).map(|p| p.state) {
            // READY, or (P-5) the seed deleting by filename whatever this node voted.
            Some(state)
                if state == ParticipantState::Ready
                    || (blind
                        && state == ParticipantState::Abort
                        && decision == Decision::Commit) =>
            {
                self.finish(tx, decision, Some(body), ctx);
            }
            Some(_) => {
                if blind {
                    // P-5: the seed releases the filename's lock on every decision.
                    self.locks.remove(&body.filename);
                }
            }
            // Never prepared (the VoteRequest was lost) or forgot (P-2). An abort is
            // recorded so a late VoteRequest is refused; a commit can only reach a node
            // that voted commit, so applying it is right.
            None => self.finish(tx, decision, Some(body), ctx),
        }
        Self::send(ctx, from, Phase::Decision, Phase::Decision, Rpc::Ack { tx });
    }

    /// Record and apply the outcome of `tx` here.
    pub(crate) fn finish(
        &mut self,
        tx: TxId,
        decision: Decision,
        body: Option<TxBody>,
        ctx: &mut Ctx<'_, TwoPc>,
    ) {
        let blind = ctx.config().has(Bug::TxidBlindDecision);
        let p = self
            .participating
            .entry(tx)
            .or_insert_with(|| ParticipantTx::new(None, ParticipantState::Init));
        let from = p.state;
        let to = ParticipantState::of(decision);
        p.state = to;
        p.blocked = false;
        p.asking = false;
        p.answers.clear();
        if p.body.is_none() {
            p.body = body;
        }
        let body = p.body.clone();
        ctx.cancel_timer(TwoPcTimer::ReadyTimeout(tx));
        self.last_tx = Some(tx);
        self.log(WalRecord::Outcome { tx, decision }, ctx);
        if from != to {
            ctx.note(TwoPcNote::Participant { tx, from, to });
        }
        let Some(body) = body else { return };
        if blind || self.locks.get(&body.filename) == Some(&tx) {
            self.locks.remove(&body.filename);
        }
        if decision == Decision::Commit {
            match body.op {
                TxOp::Delete => {
                    self.pictures.remove(&body.filename);
                }
                TxOp::Upload => {
                    let name = ctx.config().node_name(self.id);
                    self.pictures.insert(
                        body.filename.clone(),
                        Picture::new(&body.filename, name, body.started_at),
                    );
                }
            }
            self.store_version += 1;
        }
    }
}
