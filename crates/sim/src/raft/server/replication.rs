//! Log replication (Raft §5.3, §5.4.2): the `AppendEntries` RPC on both sides,
//! nextIndex/matchIndex, the commit rule and applying committed entries.

use crate::ctx::Ctx;
use crate::id::NodeId;

use super::super::Raft;
use super::super::entry::{Command, Entry};
use super::super::message::RaftMsg;
use super::super::modes::Bug;
use super::super::note::RaftNote;
use super::super::types::{LogIndex, Role, Term};
use super::{RaftTimer, RoleState, Server};

/// The fields of one `AppendEntries` request.
pub(crate) struct AppendArgs {
    pub(crate) term: Term,
    pub(crate) prev_log_index: LogIndex,
    pub(crate) prev_log_term: Term,
    pub(crate) entries: Vec<Entry>,
    pub(crate) leader_commit: LogIndex,
    pub(crate) shadow: bool,
}

/// The fields of one `AppendEntries` response.
pub(crate) struct AppendReply {
    pub(crate) term: Term,
    pub(crate) success: bool,
    pub(crate) match_index: LogIndex,
    pub(crate) conflict_index: LogIndex,
    pub(crate) conflict_term: Option<Term>,
}

impl Server {
    /// The heartbeat timer fired: Figure 2, leaders: "repeat during idle periods to
    /// prevent election timeouts (§5.2)".
    pub(crate) fn on_heartbeat(&mut self, ctx: &mut Ctx<'_, Raft>) {
        if self.role() != Role::Leader {
            return;
        }
        self.broadcast_append(ctx);
        let hb = ctx.config().heartbeat();
        ctx.set_timer(self.timer(RaftTimer::Heartbeat), hb, hb);
    }

    pub(crate) fn broadcast_append(&mut self, ctx: &mut Ctx<'_, Raft>) {
        for p in self.peers() {
            self.send_append(p, ctx);
        }
    }

    /// Figure 2, leaders: "If last log index ≥ nextIndex for a follower: send
    /// `AppendEntries` RPC with log entries starting at nextIndex". In the assignment
    /// mode the leader ships its entire log instead (Q4's simplification).
    ///
    /// # Panics
    /// When this server is not a leader (only leaders send `AppendEntries`).
    pub(crate) fn send_append(&self, peer: NodeId, ctx: &mut Ctx<'_, Raft>) {
        let config = ctx.config();
        let (prev_log_index, entries) = if config.mode.ships_whole_log() {
            (LogIndex::ZERO, self.log.entries().to_vec())
        } else {
            let next = self.progress()[peer.index()]
                .next_index
                .max(LogIndex(1))
                .min(self.log.last_index().next());
            (
                next.prev(),
                self.log.entries_from(next, config.max_entries_per_append),
            )
        };
        let prev_log_term = self.log.term_at(prev_log_index).unwrap_or(Term::ZERO);
        ctx.send(
            peer,
            RaftMsg::AppendEntries {
                term: self.current_term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit: self.commit_index,
                shadow: self.shadow,
            },
        );
    }

    /// The `AppendEntries` receiver (Figure 2). A higher term has already been adopted
    /// (see [`Server::step`]), except by a follower with R3-2.
    #[allow(clippy::cast_possible_truncation)] // log indices are far below 2^32
    pub(crate) fn on_append_entries(
        &mut self,
        from: NodeId,
        args: AppendArgs,
        ctx: &mut Ctx<'_, Raft>,
    ) {
        let bugs = ctx.config().bugs;
        let reply =
            |s: &Server, success: bool, match_index: LogIndex, hint: (LogIndex, Option<Term>)| {
                RaftMsg::AppendEntriesResponse {
                    term: s.current_term,
                    success,
                    match_index,
                    conflict_index: hint.0,
                    conflict_term: hint.1,
                    shadow: args.shadow,
                }
            };
        // 1. Reply false if term < currentTerm (§5.1).
        if args.term < self.current_term {
            ctx.send(
                from,
                reply(self, false, LogIndex::ZERO, (LogIndex::ZERO, None)),
            );
            return;
        }
        match self.role() {
            Role::Follower => {}
            Role::Candidate => {
                // §5.2: "If the leader's term is at least as large as the candidate's
                // current term, then the candidate recognizes the leader as legitimate
                // and returns to follower state."
                if !bugs.has(Bug::CandidateNoStepDown) {
                    self.become_follower(ctx);
                }
            }
            Role::Leader => {
                // Two leaders in one term cannot happen in Raft (Election Safety); with
                // the seed's flaws it can, and the seed's servers then stepped down.
                self.step_down(args.term, ctx);
            }
        }
        self.leader_hint = Some(from);
        self.reset_election_timer(ctx);

        if bugs.has(Bug::ReplaceLogWholesale) {
            // R3-4: `self.log = list(request.entries)`, no prev-index or term check.
            // The whole shipped log replaces ours; commit_index never shrinks.
            let mut entries =
                Vec::with_capacity(args.prev_log_index.0 as usize + args.entries.len());
            entries.extend_from_slice(
                &self.log.entries()[..self.log.len().min(args.prev_log_index.0 as usize)],
            );
            entries.extend(args.entries);
            self.log.replace_all(&entries);
            let last = self.log.last_index();
            self.commit_index = self.commit_index.max(args.leader_commit.min(last));
            ctx.send(from, reply(self, true, last, (LogIndex::ZERO, None)));
            self.apply_committed(ctx);
            return;
        }

        // 2. Reply false if log doesn't contain an entry at prevLogIndex whose term
        //    matches prevLogTerm (§5.3).
        if self.log.term_at(args.prev_log_index) != Some(args.prev_log_term) {
            let hint = match self.log.term_at(args.prev_log_index) {
                None => (self.log.last_index().next(), None),
                Some(t) => (
                    self.log.first_index_of_term_before(t, args.prev_log_index),
                    Some(t),
                ),
            };
            ctx.send(from, reply(self, false, LogIndex::ZERO, hint));
            return;
        }
        // 3. If an existing entry conflicts with a new one (same index but different
        //    terms), delete the existing entry and all that follow it (§5.3).
        if bugs.has(Bug::TruncateOnStaleAppend) {
            // Classic (Students' Guide to Raft): truncating after prevLogIndex on
            // *every* success, conflict or not. A delayed, shorter request from the
            // same leader then erases entries this follower already acknowledged, which
            // the leader may have counted towards a commit.
            self.log.truncate_from(args.prev_log_index.next());
        }
        // 4. Append any new entries not already in the log.
        let mut index = args.prev_log_index;
        for entry in args.entries {
            index = index.next();
            match self.log.term_at(index) {
                Some(t) if t == entry.term => {}
                Some(_) => {
                    self.log.truncate_from(index);
                    self.log.append(entry);
                }
                None => {
                    self.log.append(entry);
                }
            }
        }
        // 5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index
        //    of last new entry). "Last new entry" is the last one this request
        //    covered, not our last entry: a stale request must not commit entries it
        //    did not check.
        if args.leader_commit > self.commit_index {
            let last_new = if bugs.has(Bug::CommitToLastIndex) {
                // Classic (Students' Guide to Raft): our last index instead. Entries
                // past `index` were not checked by this request and may not be the
                // leader's. Latent here: this leader's requests always run from
                // nextIndex towards its last entry, its backoff lands on the first
                // conflict (which rule 3 truncates), and a follower gains entries of
                // other leaders only before it hears from this one, whose first
                // request starts with its new no-op. A leader sending empty
                // heartbeats from a lagging nextIndex would expose it.
                self.log.last_index()
            } else {
                index
            };
            let new_commit = args.leader_commit.min(last_new);
            self.commit_index = if bugs.has(Bug::CommitIndexRegression) {
                // Classic: rule 5 read literally. A delayed or duplicated request that
                // covers fewer entries than a later one lowers commitIndex, though a
                // committed entry stays committed (Figure 2: commitIndex "increases
                // monotonically").
                new_commit
            } else {
                self.commit_index.max(new_commit)
            };
        }
        ctx.send(from, reply(self, true, index, (LogIndex::ZERO, None)));
        self.apply_committed(ctx);
    }

    /// An `AppendEntries` response at the leader (a higher term has already made it a
    /// follower, see [`Server::step`]).
    #[allow(clippy::needless_pass_by_value)] // a delivered reply, consumed by the handler
    pub(crate) fn on_append_entries_response(
        &mut self,
        from: NodeId,
        r: AppendReply,
        ctx: &mut Ctx<'_, Raft>,
    ) {
        let bugs = ctx.config().bugs;
        let RoleState::Leader { progress } = &mut self.state else {
            return;
        };
        // A response from an earlier term answers a request of an earlier leadership:
        // ignore it. (The seed's leaders did not check; with R3-2 a follower answers
        // with its stale term and the seed's leader still counted it.)
        //
        // `accept-stale-term-replies` (Students' Guide to Raft, "term confusion") drops
        // the check: a reply to this node's request of an *earlier* leadership sets
        // matchIndex from a log that has changed since (this node lost leadership and
        // had entries overwritten), so it counts the follower as holding entries of the
        // current term it never received, and commits without a majority.
        if r.term < self.current_term
            && !bugs.has(Bug::NoTermAdoptionFromAppend)
            && !bugs.has(Bug::AcceptStaleTermReplies)
        {
            return;
        }
        let pr = &mut progress[from.index()];
        if r.success {
            // Figure 2, leaders: "If successful: update nextIndex and matchIndex for
            // follower (§5.3)". matchIndex only grows: a reordered old reply must not
            // move it back (R4-9 is the seed's assignment).
            let before = pr.match_index;
            pr.match_index = if bugs.has(Bug::MatchIndexRegression) {
                r.match_index
            } else {
                pr.match_index.max(r.match_index)
            };
            pr.next_index = pr.match_index.next();
            let progressed = pr.match_index > before;
            if bugs.has(Bug::CommitOnFirstAck) {
                // R3-3: the first ACK commits the leader's whole log.
                let last = self.log.last_index();
                if last > self.commit_index {
                    self.commit_index = last;
                    self.note(ctx, RaftNote::CommitAdvanced { index: last });
                }
                self.apply_committed(ctx);
            } else {
                self.advance_commit_index(ctx);
            }
            // Keep a lagging follower busy, but only on progress: a duplicated or
            // reordered reply must not start a second stream of requests.
            if progressed
                && self.progress()[from.index()].next_index <= self.log.last_index()
                && !ctx.config().mode.ships_whole_log()
            {
                self.send_append(from, ctx);
            }
        } else {
            // Figure 2, leaders: "If AppendEntries fails because of log inconsistency:
            // decrement nextIndex and retry (§5.3)", using the conflict hint to skip a
            // whole term at a time (§5.3's optimisation), unless R4-11.
            let next = if bugs.has(Bug::OneStepBackoff) {
                pr.next_index.prev()
            } else {
                match r.conflict_term.and_then(|t| self.log.last_index_of_term(t)) {
                    Some(i) => i.next(),
                    None => r.conflict_index,
                }
            };
            if bugs.has(Bug::NoPersistence) && r.conflict_index <= pr.match_index {
                // Only without persistence can a follower lose entries it had
                // acknowledged (it restarted empty): believe it.
                pr.match_index = r.conflict_index.prev();
            }
            // matchIndex entries are on the follower for good (they are durable), so
            // a stale rejection must not send nextIndex below them.
            let old_next = pr.next_index;
            pr.next_index = next
                .max(pr.match_index.next())
                .max(LogIndex(1))
                .min(self.log.last_index().next());
            if !bugs.has(Bug::OneStepBackoff) && pr.next_index != old_next {
                // Retry at once (the seed, R4-11, waited for the next heartbeat); a
                // rejection that moves nothing (a duplicate) waits too.
                self.send_append(from, ctx);
            }
        }
    }

    /// Figure 2, leaders: "If there exists an N such that N > commitIndex, a majority
    /// of matchIndex[i] ≥ N, and log[N].term == currentTerm: set commitIndex = N
    /// (§5.3, §5.4)". The term condition is §5.4.2's (Figure 8); the teaching toggle
    /// `commit-old-term-by-counting` drops it.
    pub(crate) fn advance_commit_index(&mut self, ctx: &mut Ctx<'_, Raft>) {
        let quorum = ctx.config().quorum();
        let mut matched: Vec<LogIndex> = self
            .progress()
            .iter()
            .enumerate()
            .map(|(i, pr)| {
                if i == self.id.index() {
                    self.log.last_index()
                } else {
                    pr.match_index
                }
            })
            .collect();
        // One entry per node (at most nine).
        crate::sorted::sort_small_by_key(&mut matched, |m| std::cmp::Reverse(*m));
        // The highest index held by a majority.
        let n = matched[quorum - 1];
        if n <= self.commit_index {
            return;
        }
        let counting_old_terms = ctx.config().has(Bug::CommitOldTermByCounting);
        if counting_old_terms || self.log.term_at(n) == Some(self.current_term) {
            self.commit_index = n;
            self.note(ctx, RaftNote::CommitAdvanced { index: n });
            self.apply_committed(ctx);
        }
    }

    /// Figure 2, all servers: "If commitIndex > lastApplied: increment lastApplied,
    /// apply log[lastApplied] to state machine (§5.3)".
    pub(crate) fn apply_committed(&mut self, ctx: &mut Ctx<'_, Raft>) {
        let dedup = !ctx.config().has(Bug::NoRequestDedup);
        while self.last_applied < self.commit_index {
            let index = self.last_applied.next();
            let Some(entry) = self.log.entry(index).cloned() else {
                // Only the seed's flaws (a log replaced under the commit index) get here.
                break;
            };
            self.last_applied = index;
            let op = match &*entry.command {
                Command::Noop => None,
                Command::Client { op, .. } => Some(op.kind()),
            };
            self.note(ctx, RaftNote::Applying { index, op });
            let result = match &*entry.command {
                Command::Noop => None,
                Command::Client { request, op } => self.apply_client(*request, op, index, dedup),
            };
            self.answer_waiters(index, entry.term, result, ctx);
        }
    }
}
