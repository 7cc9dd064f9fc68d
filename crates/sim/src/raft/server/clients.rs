//! Serving clients: validation, forwarding to the leader, proposing entries, and
//! answering once the entry is applied (or the commit wait runs out).
//!
//! **Reads go through the log.** `GetQueue`, `GetMetadata` and `GetHistory` are appended
//! as entries like writes and answered when applied, so a read reflects every write
//! committed before it was proposed: linearizable without leases or `ReadIndex`, at the
//! price of a log entry per read. (`ReadIndex`, §8, would save the entry; the log keeps
//! the page's picture simple: every client operation is a box in the log grid.)
//!
//! **Outcomes.** The leader answers when the entry at the index it appended is
//! applied: `ok` if it is still the same entry (same term, §5.3's entry identity),
//! `timeout` if another entry was committed there (this copy never will be, but a
//! duplicated forward may have put the request elsewhere). After `commit_wait_ms`
//! without either, it answers `timeout`: the entry may still commit later. A follower
//! relays the leader's answer, or answers `timeout` itself after `forward_timeout_ms`.
//!
//! `not_leader` promises the client that nothing happened, so it is only said about
//! a request that never reached any log through this node: by a node that knows no
//! leader to forward to, or by a former leader to a forward it holds no trace of (no
//! entry, no waiter, nothing applied). When unsure, the answer is to wait until the
//! deadline and say `timeout`, the unknown outcome.

use crate::ctx::Ctx;
use crate::id::{NodeId, RequestId};
use crate::time::Ticks;

use super::super::Raft;
use super::super::client::{Response, TimeoutReason};
use super::super::entry::{Command, Entry};
use super::super::message::RaftMsg;
use super::super::modes::Bug;
use super::super::music_queue::{Op, OpResult, Rejection, Track};
use super::super::note::RaftNote;
use super::super::types::{LogIndex, Role, Term};
use super::{PendingForward, ReplyTo, Server, Waiter};

impl Server {
    /// A client request arrived at this node.
    pub(crate) fn on_client_request(
        &mut self,
        request: RequestId,
        op: Op,
        ctx: &mut Ctx<'_, Raft>,
    ) {
        self.serve(op, ReplyTo::Client(request), request, ctx);
    }

    /// A follower forwarded a client request to us.
    pub(crate) fn on_forward(
        &mut self,
        from: NodeId,
        request: RequestId,
        op: Op,
        ctx: &mut Ctx<'_, Raft>,
    ) {
        if self.role() != Role::Leader {
            if self.may_commit(request) {
                // A duplicated forward of a request we appended while leader: its
                // entry may still commit (here or through a replica that holds it),
                // so "not leader" (no effect) would be a lie. Stay silent: our waiter
                // answers it when its index is applied, or the follower's deadline
                // answers `timeout` (unknown outcome), which is always true.
                return;
            }
            // One hop only: a forwarded request is never forwarded again.
            let response = Response::NotLeader {
                hint: self.leader_hint.filter(|l| *l != self.id),
            };
            ctx.send(
                from,
                RaftMsg::ForwardReply {
                    request,
                    op,
                    response,
                },
            );
            return;
        }
        self.serve(op, ReplyTo::Forwarded { via: from, request }, request, ctx);
    }

    /// The leader's answer to a request we forwarded.
    pub(crate) fn on_forward_reply(
        &mut self,
        request: RequestId,
        response: Response,
        ctx: &mut Ctx<'_, Raft>,
    ) {
        if let Some(pos) = self.forwards.iter().position(|f| f.request == request) {
            self.forwards.remove(pos);
            // The target's `not_leader` speaks for the copy it refused, not for the
            // request: a delayed or duplicated copy of the same forward can reach it
            // after it has won an election, and be appended and committed. Relaying
            // `not_leader` ("nothing happened") would then be a lie the client acts
            // on (chaos seed 1676 of textbook Raft, found by the reorder fault), so
            // the client is told the truth: the outcome is unknown.
            let response = match response {
                Response::NotLeader { .. } if !ctx.config().mode.is_as_submitted() => {
                    Response::Timeout(TimeoutReason::ForwardRefused)
                }
                other => other,
            };
            ctx.reply(request, response);
            self.arm_deadline(ctx);
        }
    }

    #[allow(clippy::unused_self)] // kept a method: answering is the server's act
    fn answer(&self, to: &ReplyTo, op: &Op, response: Response, ctx: &mut Ctx<'_, Raft>) {
        match to {
            ReplyTo::Client(id) => ctx.reply(*id, response),
            ReplyTo::Forwarded { via, request } => {
                ctx.send(
                    *via,
                    RaftMsg::ForwardReply {
                        request: *request,
                        op: op.clone(),
                        response,
                    },
                );
            }
        }
    }

    fn serve(&mut self, op: Op, reply: ReplyTo, request: RequestId, ctx: &mut Ctx<'_, Raft>) {
        let bugs = ctx.config().bugs;
        if bugs.has(Bug::StubQueueOps) {
            // R4-12: four of the seven operations were stubs answering empty messages.
            let stub = match &op {
                Op::Vote { .. } => Some(OpResult::Done),
                Op::Play => Some(OpResult::Played(None)),
                Op::History => Some(OpResult::History(Vec::new())),
                Op::Metadata { .. } => Some(OpResult::Track(Track::new("", "", "", 0))),
                _ => None,
            };
            if let Some(result) = stub {
                self.answer(&reply, &op, Response::Ok(result), ctx);
                return;
            }
        }
        if let Err(why) = op.validate() {
            self.answer(&reply, &op, Response::Rejected(why), ctx);
            return;
        }
        if bugs.has(Bug::StaleLocalReads) && !op.is_write() {
            // R4-5: answered from this node's state machine, however stale.
            let result = self.machine.apply(&op);
            let response = result.map_or_else(Response::Rejected, Response::Ok);
            self.answer(&reply, &op, response, ctx);
            return;
        }
        if self.role() == Role::Leader {
            self.propose(op, reply, request, ctx);
            return;
        }
        if let (Some(leader), ReplyTo::Client(_)) =
            (self.leader_hint.filter(|l| *l != self.id), &reply)
        {
            ctx.send(leader, RaftMsg::Forward { request, op });
            let deadline = ctx.now() + ctx.config().forward_timeout();
            self.forwards.push(PendingForward { request, deadline });
            self.arm_deadline(ctx);
        } else {
            let response = Response::NotLeader {
                hint: self.leader_hint.filter(|l| *l != self.id),
            };
            self.answer(&reply, &op, response, ctx);
        }
    }

    /// Figure 2, leaders: "If command received from client: append entry to local
    /// log, respond after entry applied to state machine (§5.3)".
    fn propose(&mut self, op: Op, reply: ReplyTo, request: RequestId, ctx: &mut Ctx<'_, Raft>) {
        let dedup = !ctx.config().has(Bug::NoRequestDedup);
        if dedup {
            // §8: a request already applied is answered from the state machine's
            // record; one already waiting is not appended twice (duplicated forward).
            if let Some(result) = self.write_results.get(&request) {
                let response = result.clone().map_or_else(Response::Rejected, Response::Ok);
                self.answer(&reply, &op, response, ctx);
                return;
            }
            if self.waiters.iter().any(|w| request_of(&w.reply) == request) {
                return;
            }
        }
        let term = self.current_term;
        let kind = op.kind();
        let index = self.log.append(Entry::new(
            term,
            Command::Client {
                request,
                op: op.clone(),
            },
        ));
        self.note(
            ctx,
            RaftNote::LeaderAppended {
                index,
                op: Some(kind),
            },
        );
        if ctx.config().has(Bug::AckBeforeCommit) {
            // R3-7: "Queued" at once, before replication, with the current state.
            let result = self.machine.clone().apply(&op);
            self.answer(
                &reply,
                &op,
                result.map_or_else(Response::Rejected, Response::Ok),
                ctx,
            );
        } else {
            let deadline = ctx.now() + Ticks(ctx.config().commit_wait_ms);
            self.waiters.push(Waiter {
                index,
                term,
                op,
                reply,
                deadline,
            });
            self.arm_deadline(ctx);
        }
        // Replicate now rather than at the next heartbeat.
        self.broadcast_append(ctx);
        if self.n == 1 {
            self.advance_commit_index(ctx);
        }
    }

    /// Apply one client entry to the state machine. Returns the result when a client
    /// waits for it here (reads are evaluated only then: they change nothing).
    pub(crate) fn apply_client(
        &mut self,
        request: RequestId,
        op: &Op,
        index: LogIndex,
        dedup: bool,
    ) -> Option<Result<OpResult, Rejection>> {
        let wanted = self.waiters.iter().any(|w| w.index == index);
        let first = self.applied_requests.insert(request);
        if op.is_write() {
            if dedup && !first {
                return self.write_results.get(&request).cloned();
            }
            let result = self.machine.apply(op);
            self.write_results.insert(request, result.clone());
            Some(result)
        } else if wanted {
            Some(self.machine.apply(op))
        } else {
            None
        }
    }

    /// Answer the clients waiting for the entry at `index`, which has just been
    /// applied with `term`.
    #[allow(clippy::needless_pass_by_value)] // the result is consumed per waiter by clone
    pub(crate) fn answer_waiters(
        &mut self,
        index: LogIndex,
        term: Term,
        result: Option<Result<OpResult, Rejection>>,
        ctx: &mut Ctx<'_, Raft>,
    ) {
        if !self.waiters.iter().any(|w| w.index == index) {
            return;
        }
        let index_only = ctx.config().has(Bug::IndexOnlyCommitWait);
        let (done, keep): (Vec<Waiter>, Vec<Waiter>) = std::mem::take(&mut self.waiters)
            .into_iter()
            .partition(|w| w.index == index);
        self.waiters = keep;
        for w in done {
            let response = if w.term == term {
                self.note(ctx, RaftNote::Committed { op: w.op.kind() });
                match result.clone() {
                    Some(r) => r.map_or_else(Response::Rejected, Response::Ok),
                    None => Response::Ok(OpResult::Done),
                }
            } else if index_only {
                // R4-6: the seed's waiter only checked `commit_index >= index`.
                self.note(ctx, RaftNote::Committed { op: w.op.kind() });
                self.machine
                    .clone()
                    .apply(&w.op)
                    .map_or_else(Response::Rejected, Response::Ok)
            } else {
                // Another entry was committed at this index, so this copy never will
                // be; but a duplicated forward may have put the same request in
                // another leader's log, so the outcome is unknown.
                Response::Timeout(TimeoutReason::LostLeadership)
            };
            self.answer(&w.reply, &w.op, response, ctx);
        }
        self.arm_deadline(ctx);
    }

    /// The client-deadline timer fired.
    pub(crate) fn on_client_deadline(&mut self, ctx: &mut Ctx<'_, Raft>) {
        let now = ctx.now();
        self.deadline_armed = None;
        let (expired, keep): (Vec<Waiter>, Vec<Waiter>) = std::mem::take(&mut self.waiters)
            .into_iter()
            .partition(|w| w.deadline <= now);
        self.waiters = keep;
        for w in expired {
            self.answer(
                &w.reply,
                &w.op,
                Response::Timeout(TimeoutReason::NotCommitted),
                ctx,
            );
        }
        let short = ctx.config().has(Bug::ShortForwardDeadline);
        let (expired, keep): (Vec<PendingForward>, Vec<PendingForward>) =
            std::mem::take(&mut self.forwards)
                .into_iter()
                .partition(|f| f.deadline <= now);
        self.forwards = keep;
        for f in expired {
            // R4-7: the seed reported "Forwarding failed: DEADLINE_EXCEEDED", which a
            // client reads as a failure, though the leader may still commit it.
            let response = if short {
                Response::Rejected(Rejection::ForwardFailed)
            } else {
                Response::Timeout(TimeoutReason::NoAnswerFromLeader)
            };
            ctx.reply(f.request, response);
        }
        self.arm_deadline(ctx);
    }
}

impl Server {
    /// Whether client request `request` may still take effect through this server:
    /// its state machine applied it, its log holds it, or a client still waits here
    /// for it (§8: a request is answered once, after it is applied).
    ///
    /// The waiter matters on its own: a node that lost leadership can have the entry
    /// truncated from its log by the next leader (§5.3) while a replica that received
    /// it before the truncation still holds it, and may yet win an election and commit
    /// it (its log can be the most up-to-date of a majority, §5.4.1). Until this node
    /// applies a different entry at the waiter's index, it cannot tell the two apart,
    /// so it must not claim the request had no effect.
    fn may_commit(&self, request: RequestId) -> bool {
        self.applied_requests.contains(&request)
            || self.waiters.iter().any(|w| request_of(&w.reply) == request)
            || self
                .log
                .entries()
                .iter()
                .rev()
                .any(|e| matches!(&*e.command, Command::Client { request: r, .. } if *r == request))
    }
}

fn request_of(reply: &ReplyTo) -> RequestId {
    match reply {
        ReplyTo::Client(id) | ReplyTo::Forwarded { request: id, .. } => *id,
    }
}
