//! The cooperative termination protocol (Tanenbaum & van Steen §8.5.1, Fig. 8-20;
//! Bernstein, Hadzilacos & Goodman §7.4): a participant that times out in READY asks
//! the coordinator and the other participants for the decision. A peer that knows
//! COMMIT or ABORT tells it; a peer still in INIT aborts unilaterally and says so, so
//! the asker may abort; when every peer that answers is READY and the coordinator does
//! not answer, the participant is **blocked**: it keeps its lock, says so in a note and
//! in [`crate::twopc::TwoPcNode::blocked`], and keeps asking.
//!
//! This file must not apply decisions itself; it hands them to `participant::finish`.

use crate::ctx::Ctx;
use crate::id::NodeId;
use crate::time::Ticks;
use crate::twopc::TwoPc;
use crate::twopc::as_submitted::Bug;
use crate::twopc::ids::{Decision, Phase, TxId};
use crate::twopc::msg::{PeerState, Rpc, TwoPcTimer};
use crate::twopc::node::TwoPcNode;
use crate::twopc::note::TwoPcNote;
use crate::twopc::state::{ParticipantState, ParticipantTx};
use crate::twopc::wal::WalRecord;

impl TwoPcNode {
    /// The READY timeout fired: judge the last round, then ask again.
    pub(crate) fn on_ready_timeout(&mut self, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        if ctx.config().has(Bug::NoTerminationProtocol) {
            return;
        }
        let Some(p) = self.participating.get_mut(&tx) else {
            return;
        };
        if p.state != ParticipantState::Ready {
            return;
        }
        if ctx.config().has(Bug::ReadyTimeoutUnilateralAbort) {
            // The classic bug: READY gave up the right to abort alone (Bernstein et al.
            // §7.4: an uncertain participant must ask or wait); the coordinator may
            // already have decided COMMIT.
            self.finish(tx, Decision::Abort, None, ctx);
            return;
        }
        if p.asking {
            let coordinator_answered = p.answers.contains_key(&tx.coordinator);
            let stuck = !coordinator_answered && p.answers.values().all(|s| *s == PeerState::Ready);
            if stuck && !p.blocked {
                let filename = p
                    .body
                    .as_ref()
                    .map(|b| b.filename.clone())
                    .unwrap_or_default();
                ctx.note(TwoPcNote::Blocked { tx, filename });
            }
            p.blocked = stuck;
        }
        self.ask_for_decision(tx, ctx);
    }

    /// Start a termination round: `DecisionRequest` to the coordinator and every peer.
    pub(crate) fn ask_for_decision(&mut self, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        if ctx.config().has(Bug::NoTerminationProtocol) {
            return;
        }
        let Some(p) = self.participating.get_mut(&tx) else {
            return;
        };
        p.asking = true;
        p.answers.clear();
        let mut targets: Vec<NodeId> = vec![tx.coordinator];
        targets.extend(
            ctx.config()
                .participants()
                .into_iter()
                .filter(|n| *n != self.id),
        );
        for to in targets {
            Self::send(
                ctx,
                to,
                Phase::Decision,
                Phase::Decision,
                Rpc::DecisionRequest { tx },
            );
        }
        let (lo, hi) = ctx.config().termination_retry_ms;
        ctx.set_timer(TwoPcTimer::ReadyTimeout(tx), Ticks(lo), Ticks(hi));
    }

    /// Another node asks what this node knows about `tx`.
    pub(crate) fn on_decision_request(&mut self, from: NodeId, tx: TxId, ctx: &mut Ctx<'_, TwoPc>) {
        let state = if self.http {
            self.coordinator_answer(tx)
        } else {
            match self.participating.get(&tx).map(|p| p.state) {
                Some(ParticipantState::Ready) => PeerState::Ready,
                Some(ParticipantState::Commit) => PeerState::Commit,
                Some(ParticipantState::Abort | ParticipantState::Init) => PeerState::Abort,
                None => {
                    // Fig. 8-20: a peer still in INIT may abort unilaterally, and must
                    // remember it so it refuses the VoteRequest if it arrives later.
                    self.log(
                        WalRecord::Outcome {
                            tx,
                            decision: Decision::Abort,
                        },
                        ctx,
                    );
                    self.participating
                        .insert(tx, ParticipantTx::new(None, ParticipantState::Abort));
                    self.last_tx = Some(tx);
                    ctx.note(TwoPcNote::Participant {
                        tx,
                        from: ParticipantState::Init,
                        to: ParticipantState::Abort,
                    });
                    PeerState::Init
                }
            }
        };
        Self::send(
            ctx,
            from,
            Phase::Decision,
            Phase::Decision,
            Rpc::DecisionReply { tx, state },
        );
    }

    /// An answer to this node's `DecisionRequest`.
    pub(crate) fn on_decision_reply(
        &mut self,
        from: NodeId,
        tx: TxId,
        state: PeerState,
        ctx: &mut Ctx<'_, TwoPc>,
    ) {
        let Some(p) = self.participating.get_mut(&tx) else {
            return;
        };
        if p.state != ParticipantState::Ready {
            return;
        }
        let decision = match state {
            PeerState::Commit => Decision::Commit,
            PeerState::Abort | PeerState::Init => Decision::Abort,
            PeerState::Ready | PeerState::Wait => {
                p.answers.insert(from, state);
                return;
            }
        };
        ctx.note(TwoPcNote::Learned { tx, decision, from });
        self.finish(tx, decision, None, ctx);
    }
}
