//! Leader election (Raft §5.2, §5.4.1): election timeouts, `RequestVote` on both
//! sides, and becoming leader.

use crate::ctx::Ctx;
use crate::id::NodeId;

use super::super::Raft;
use super::super::entry::{Command, Entry};
use super::super::message::RaftMsg;
use super::super::modes::Bug;
use super::super::note::RaftNote;
use super::super::types::{LogIndex, Role, Term};
use super::{Progress, RaftTimer, RoleState, Server};

impl Server {
    /// Arm the first election timer (every server starts as a follower, §5.2).
    pub(crate) fn start(&mut self, ctx: &mut Ctx<'_, Raft>) {
        self.reset_election_timer(ctx);
    }

    /// Figure 2, followers: "If election timeout elapses without receiving
    /// `AppendEntries` RPC from current leader or granting vote to candidate: convert
    /// to candidate"; candidates: "If election timeout elapses: start new election".
    pub(crate) fn on_election_timeout(&mut self, ctx: &mut Ctx<'_, Raft>) {
        if self.role() == Role::Leader {
            // A leader has no election timer; a forced timeout makes it stand again.
            ctx.cancel_timer(self.timer(RaftTimer::Heartbeat));
        }
        self.note(ctx, RaftNote::ElectionTimeout);
        self.start_election(ctx);
    }

    /// Figure 2, candidates: "On conversion to candidate, start election: increment
    /// currentTerm, vote for self, reset election timer, send `RequestVote` RPCs to all
    /// other servers".
    fn start_election(&mut self, ctx: &mut Ctx<'_, Raft>) {
        self.state = RoleState::Candidate {
            votes: 1 << self.id.index(),
            vote_count: 1,
        };
        self.current_term = self.current_term.next();
        self.voted_for = Some(self.id);
        self.leader_hint = None;
        self.note(
            ctx,
            RaftNote::BecameCandidate {
                term: self.current_term,
            },
        );
        self.reset_election_timer(ctx);
        let msg = RaftMsg::RequestVote {
            term: self.current_term,
            last_log_index: self.log.last_index(),
            last_log_term: self.log.last_term(),
            shadow: self.shadow,
        };
        for p in self.peers() {
            ctx.send(p, msg.clone());
        }
        // A one-node cluster (not allowed by the scenarios, but cheap to get right).
        self.maybe_win(ctx);
    }

    /// The `RequestVote` receiver (Figure 2). A higher term has already been adopted
    /// (see [`Server::step`]).
    pub(crate) fn on_request_vote(
        &mut self,
        from: NodeId,
        term: Term,
        last_log_index: LogIndex,
        last_log_term: Term,
        shadow: bool,
        ctx: &mut Ctx<'_, Raft>,
    ) {
        // 1. Reply false if term < currentTerm (§5.1).
        // 2. If votedFor is null or candidateId, and candidate's log is at least as
        //    up-to-date as receiver's log, grant vote (§5.2, §5.4).
        //    §5.4.1: "up-to-date" compares the last entries' terms, then the lengths.
        let up_to_date = if ctx.config().has(Bug::VoteWithoutLogCheck) {
            // Classic: the restriction is skipped, so a candidate missing committed
            // entries can win, and its log then overwrites them (Leader Completeness).
            true
        } else {
            (last_log_term, last_log_index) >= (self.log.last_term(), self.log.last_index())
        };
        let grant =
            term == self.current_term && self.voted_for.is_none_or(|v| v == from) && up_to_date;
        if grant {
            self.voted_for = Some(from);
            // Figure 2: the election timer restarts on *granting* a vote.
            self.reset_election_timer(ctx);
        }
        ctx.send(
            from,
            RaftMsg::RequestVoteResponse {
                term: self.current_term,
                vote_granted: grant,
                shadow,
            },
        );
    }

    /// A `RequestVote` response at the candidate (a higher term has already made it
    /// a follower, see [`Server::step`]).
    pub(crate) fn on_request_vote_response(
        &mut self,
        from: NodeId,
        term: Term,
        vote_granted: bool,
        ctx: &mut Ctx<'_, Raft>,
    ) {
        let current_term = self.current_term;
        let RoleState::Candidate { votes, vote_count } = &mut self.state else {
            return;
        };
        if !vote_granted {
            return;
        }
        if ctx.config().has(Bug::StaleVoteCounting) {
            // R3-5: every granted reply counts, whatever election it answers (and a
            // duplicated reply counts twice).
            *vote_count += 1;
        } else {
            if term != current_term {
                return;
            }
            *votes |= 1 << from.index();
            *vote_count = votes.count_ones() as usize;
        }
        self.maybe_win(ctx);
    }

    fn maybe_win(&mut self, ctx: &mut Ctx<'_, Raft>) {
        if let RoleState::Candidate { vote_count, .. } = self.state
            && vote_count >= ctx.config().quorum()
        {
            self.become_leader(ctx);
        }
    }

    /// Figure 2, candidates: "If votes received from majority of servers: become
    /// leader"; leaders: "Upon election: send initial empty `AppendEntries` RPCs
    /// (heartbeat) to each server". The no-op entry is §8's: it lets the new leader
    /// commit the entries of earlier terms (§5.4.2) and learn its commit index.
    fn become_leader(&mut self, ctx: &mut Ctx<'_, Raft>) {
        // Volatile state on leaders, "reinitialized after election": nextIndex is
        // the leader's last log index + 1, matchIndex is 0.
        let next = self.log.last_index().next();
        self.state = RoleState::Leader {
            progress: vec![
                Progress {
                    next_index: next,
                    match_index: LogIndex::ZERO,
                };
                self.n
            ],
        };
        self.leader_hint = Some(self.id);
        self.note(
            ctx,
            RaftNote::BecameLeader {
                term: self.current_term,
            },
        );
        ctx.cancel_timer(self.timer(RaftTimer::Election));
        if !ctx.config().has(Bug::NoNoopOnElection) {
            let index = self
                .log
                .append(Entry::new(self.current_term, Command::Noop));
            self.note(ctx, RaftNote::LeaderAppended { index, op: None });
        }
        self.broadcast_append(ctx);
        let hb = ctx.config().heartbeat();
        ctx.set_timer(self.timer(RaftTimer::Heartbeat), hb, hb);
    }
}
