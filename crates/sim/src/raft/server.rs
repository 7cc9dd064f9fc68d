//! One Raft server's state and its Figure 2 rules. A node normally runs one server;
//! with flaw R3-1 it runs a second, "shadow" one (see [`super::node`]).
//!
//! The rules are split by concern: [`election`](self::election) (`RequestVote`,
//! timeouts, becoming leader), [`replication`](self::replication) (`AppendEntries`,
//! nextIndex/matchIndex, commit, apply) and [`clients`](self::clients) (client
//! requests, forwarding, waiting for commit). This file holds the state, the
//! accessors the page and the checkers read, the helpers they share, and
//! [`Server::step`], where every peer message enters and Figure 2's term rule runs
//! once, before dispatch (as in etcd-raft's `Step`).
//!
//! The role and the state only one role has are one value, `RoleState`: a
//! candidate's ballot exists only while it is a candidate, and a leader's
//! nextIndex/matchIndex ([`Progress`]) only while it leads.
//!
//! A server is sans-I/O: it reads `ctx.now()` and `ctx.config()`, and acts only
//! through `ctx` effects.

mod clients;
mod election;
mod replication;

use crate::sorted::{SortedMap, SortedSet};

use serde::{Deserialize, Serialize};

use crate::ctx::Ctx;
use crate::id::{NodeId, RequestId};
use crate::time::{Tick, Ticks};

use super::Raft;
use super::client::Response;
use super::config::RaftConfig;
use super::message::RaftMsg;
use super::modes::Bug;
use super::music_queue::{MusicQueue, Op, OpResult, Rejection};
use super::note::RaftNote;
use super::replicated_log::Log;
use super::types::{LogIndex, Role, Term};
use replication::{AppendArgs, AppendReply};

/// Raft timers. The `Shadow*` ones belong to the shadow instance (R3-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaftTimer {
    /// Follower/candidate election timeout (§5.2).
    Election,
    /// Leader heartbeat (§5.2).
    Heartbeat,
    /// The earliest client deadline (commit wait or forward wait).
    ClientDeadline,
    /// The shadow instance's election timeout.
    ShadowElection,
    /// The shadow instance's heartbeat.
    ShadowHeartbeat,
    /// The shadow instance's client deadline.
    ShadowClientDeadline,
}

/// The durable state of Figure 2 ("persistent state on all servers, updated on
/// stable storage before responding to RPCs").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaftDurable {
    /// Latest term the server has seen.
    pub current_term: Term,
    /// Candidate that received this server's vote in the current term.
    pub voted_for: Option<NodeId>,
    /// The log.
    pub log: Log,
}

/// Where a client's answer goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ReplyTo {
    /// Straight to the client.
    Client(RequestId),
    /// Back to the follower that forwarded it.
    Forwarded {
        /// The follower.
        via: NodeId,
        /// The client request.
        request: RequestId,
    },
}

/// A leader holding a client request until its entry is applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Waiter {
    pub(crate) index: LogIndex,
    pub(crate) term: Term,
    pub(crate) op: Op,
    pub(crate) reply: ReplyTo,
    pub(crate) deadline: Tick,
}

/// A follower waiting for the leader's answer to a forwarded request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PendingForward {
    pub(crate) request: RequestId,
    pub(crate) deadline: Tick,
}

/// What a leader knows of one peer (Figure 2, "volatile state on leaders"; etcd-raft's
/// `tracker.Progress`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// `nextIndex`: the index of the next entry to send to that server.
    pub next_index: LogIndex,
    /// `matchIndex`: the highest index known to be replicated on that server.
    pub match_index: LogIndex,
}

/// The volatile state only one role has, so that a follower has no `nextIndex` and a
/// leader no ballot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RoleState {
    /// A follower: nothing of its own (§5.2).
    Follower,
    /// A candidate collecting votes for its current term (§5.2).
    Candidate {
        /// The servers that granted their vote, as a bit set (bit `i` for node `i`).
        votes: u32,
        /// How many votes it believes it holds: `votes.count_ones()`, except with
        /// `stale-vote-counting`, which counts every granted reply.
        vote_count: usize,
    },
    /// A leader: one [`Progress`] per server, indexed by node (its own slot unused),
    /// "reinitialized after election".
    Leader {
        /// `nextIndex[i]` and `matchIndex[i]`.
        progress: Vec<Progress>,
    },
}

impl RoleState {
    fn role(&self) -> Role {
        match self {
            RoleState::Follower => Role::Follower,
            RoleState::Candidate { .. } => Role::Candidate,
            RoleState::Leader { .. } => Role::Leader,
        }
    }
}

/// One Raft server.
#[derive(Clone, Debug)]
pub struct Server {
    id: NodeId,
    n: usize,
    shadow: bool,
    // Persistent state on all servers (Figure 2).
    current_term: Term,
    voted_for: Option<NodeId>,
    log: Log,
    // Volatile state on all servers.
    commit_index: LogIndex,
    last_applied: LogIndex,
    leader_hint: Option<NodeId>,
    // The role, with the volatile state of candidates and of leaders.
    state: RoleState,
    // The state machine, and the client requests it has applied (§8).
    machine: MusicQueue,
    applied_requests: SortedSet<RequestId>,
    write_results: SortedMap<RequestId, Result<OpResult, Rejection>>,
    // Clients being served.
    waiters: Vec<Waiter>,
    forwards: Vec<PendingForward>,
    deadline_armed: Option<Tick>,
}

impl Server {
    /// A server booting with `durable` state (or none).
    pub(crate) fn boot(
        id: NodeId,
        config: &RaftConfig,
        shadow: bool,
        durable: Option<&RaftDurable>,
    ) -> Self {
        let d = if config.has(Bug::NoPersistence) {
            None
        } else {
            durable
        };
        let n = config.nodes;
        Server {
            id,
            n,
            shadow,
            current_term: d.map_or(Term::ZERO, |d| d.current_term),
            // Figure 2 lists votedFor as persistent state, and §5.2's one vote per term
            // depends on it surviving a crash. The classic bug saves currentTerm and
            // the log but keeps votedFor in memory: the restarted node has "not voted"
            // in a term where it already did, and can elect a second leader in it.
            voted_for: if config.has(Bug::ForgetVoteOnRestart) {
                None
            } else {
                d.and_then(|d| d.voted_for)
            },
            log: d.map(|d| d.log.clone()).unwrap_or_default(),
            commit_index: LogIndex::ZERO,
            last_applied: LogIndex::ZERO,
            leader_hint: None,
            state: RoleState::Follower,
            machine: MusicQueue::new(),
            applied_requests: SortedSet::new(),
            write_results: SortedMap::new(),
            waiters: Vec::new(),
            forwards: Vec::new(),
            deadline_armed: None,
        }
    }

    /// The durable part.
    pub(crate) fn durable(&self) -> RaftDurable {
        RaftDurable {
            current_term: self.current_term,
            voted_for: self.voted_for,
            log: self.log.clone(),
        }
    }

    // ----- accessors (the page and the checkers read these) ---------------------------

    /// This server's node.
    pub fn id(&self) -> NodeId {
        self.id
    }
    /// Whether this is the shadow instance of flaw R3-1.
    pub fn is_shadow(&self) -> bool {
        self.shadow
    }
    /// Follower, candidate or leader.
    pub fn role(&self) -> Role {
        self.state.role()
    }
    /// `currentTerm` (durable).
    pub fn current_term(&self) -> Term {
        self.current_term
    }
    /// `votedFor` (durable).
    pub fn voted_for(&self) -> Option<NodeId> {
        self.voted_for
    }
    /// The log (durable).
    pub fn log(&self) -> &Log {
        &self.log
    }
    /// `commitIndex` (volatile).
    pub fn commit_index(&self) -> LogIndex {
        self.commit_index
    }
    /// `lastApplied` (volatile).
    pub fn last_applied(&self) -> LogIndex {
        self.last_applied
    }
    /// A leader's [`Progress`] per server, indexed by node (empty unless leader).
    pub fn progress(&self) -> &[Progress] {
        match &self.state {
            RoleState::Leader { progress } => progress,
            RoleState::Follower | RoleState::Candidate { .. } => &[],
        }
    }
    /// `nextIndex[i]` per server, indexed by node (empty unless leader).
    pub fn next_index(&self) -> Vec<LogIndex> {
        self.progress().iter().map(|p| p.next_index).collect()
    }
    /// `matchIndex[i]` per server, indexed by node (empty unless leader).
    pub fn match_index(&self) -> Vec<LogIndex> {
        self.progress().iter().map(|p| p.match_index).collect()
    }
    /// The leader this server believes in (itself when leader).
    pub fn leader_hint(&self) -> Option<NodeId> {
        self.leader_hint
    }
    /// Votes granted to this server in its current election (empty unless candidate).
    pub fn votes_granted(&self) -> Vec<NodeId> {
        let RoleState::Candidate { votes, .. } = self.state else {
            return Vec::new();
        };
        (0..self.n)
            .filter(|i| votes & (1 << i) != 0)
            .map(NodeId::from_index)
            .collect()
    }
    /// The music queue as this server has applied it.
    pub fn machine(&self) -> &MusicQueue {
        &self.machine
    }
    /// Client requests this server's state machine has applied.
    pub fn applied_requests(&self) -> &SortedSet<RequestId> {
        &self.applied_requests
    }
    /// How many client requests this server holds (waiting for commit or forwarded).
    pub fn pending_clients(&self) -> usize {
        self.waiters.len() + self.forwards.len()
    }

    // ----- reads ----------------------------------------------------------------------

    /// The answer a leader with `leader-local-reads` gives a read at once, from its own
    /// state machine; `None` when the read takes the normal path (through the log,
    /// see the `clients` module).
    ///
    /// §8: "a leader must check whether it has been deposed before processing a
    /// read-only request". A leader cut off by a partition still believes it leads
    /// until it hears a higher term, while a new leader commits writes it never sees:
    /// answering locally returns that stale state (etcd-raft's `ReadOnlyLeaseBased`
    /// is this shortcut made safe by a lease bounded by the clock drift).
    pub(crate) fn leader_local_read(&mut self, op: &Op, ctx: &Ctx<'_, Raft>) -> Option<Response> {
        let bugs = ctx.config().bugs;
        let stub = bugs.has(Bug::StubQueueOps) && matches!(op, Op::Metadata { .. } | Op::History);
        if !bugs.has(Bug::LeaderLocalReads)
            || self.role() != Role::Leader
            || op.is_write()
            || stub
            || op.validate().is_err()
        {
            return None;
        }
        Some(
            self.machine
                .apply(op)
                .map_or_else(Response::Rejected, Response::Ok),
        )
    }

    // ----- messages -------------------------------------------------------------------

    /// Every message from a peer enters here (etcd-raft's `Step`), and Figure 2's rule
    /// for all servers runs once, before any handler sees the message: "If RPC
    /// request or response contains term T > currentTerm: set currentTerm = T,
    /// convert to follower (§5.1)". The handlers then only ever see a term that is
    /// lower than or equal to ours (or higher, with R3-2).
    pub(crate) fn step(&mut self, from: NodeId, msg: RaftMsg, ctx: &mut Ctx<'_, Raft>) {
        if let Some(term) = msg.term()
            && term > self.current_term
        {
            let bugs = ctx.config().bugs;
            let append = matches!(msg, RaftMsg::AppendEntries { .. });
            if append && bugs.has(Bug::NoTermAdoptionFromAppend) && self.role() == Role::Follower {
                // R3-2: a follower keeps its old term and only notes the leader.
            } else {
                self.step_down(term, ctx);
                if bugs.has(Bug::ResetTimerOnRefusedVote)
                    && matches!(msg, RaftMsg::RequestVote { .. })
                {
                    // R4-10: the seed's `_become_follower` re-armed the timer even when
                    // the vote is then refused.
                    self.reset_election_timer(ctx);
                }
            }
        }
        match msg {
            RaftMsg::RequestVote {
                term,
                last_log_index,
                last_log_term,
                shadow,
            } => {
                self.on_request_vote(from, term, last_log_index, last_log_term, shadow, ctx);
            }
            RaftMsg::RequestVoteResponse {
                term, vote_granted, ..
            } => {
                self.on_request_vote_response(from, term, vote_granted, ctx);
            }
            RaftMsg::AppendEntries {
                term,
                prev_log_index,
                prev_log_term,
                entries,
                leader_commit,
                shadow,
            } => {
                let args = AppendArgs {
                    term,
                    prev_log_index,
                    prev_log_term,
                    entries,
                    leader_commit,
                    shadow,
                };
                self.on_append_entries(from, args, ctx);
            }
            RaftMsg::AppendEntriesResponse {
                term,
                success,
                match_index,
                conflict_index,
                conflict_term,
                ..
            } => {
                let reply = AppendReply {
                    term,
                    success,
                    match_index,
                    conflict_index,
                    conflict_term,
                };
                self.on_append_entries_response(from, reply, ctx);
            }
            RaftMsg::Forward { request, op } => {
                if let Some(response) = self.leader_local_read(&op, ctx) {
                    // `leader-local-reads` (see `Server::leader_local_read`).
                    let reply = RaftMsg::ForwardReply {
                        request,
                        op,
                        response,
                    };
                    ctx.send(from, reply);
                } else {
                    self.on_forward(from, request, op, ctx);
                }
            }
            RaftMsg::ForwardReply {
                request, response, ..
            } => self.on_forward_reply(request, response, ctx),
        }
    }

    // ----- shared helpers -------------------------------------------------------------

    fn timer(&self, t: RaftTimer) -> RaftTimer {
        if !self.shadow {
            return t;
        }
        match t {
            RaftTimer::Election => RaftTimer::ShadowElection,
            RaftTimer::Heartbeat => RaftTimer::ShadowHeartbeat,
            RaftTimer::ClientDeadline => RaftTimer::ShadowClientDeadline,
            other => other,
        }
    }

    fn peers(&self) -> impl Iterator<Item = NodeId> + use<> {
        let me = self.id;
        (0..self.n)
            .map(NodeId::from_index)
            .filter(move |p| *p != me)
    }

    #[allow(clippy::unused_self)] // kept a method so notes read as the server's
    fn note(&self, ctx: &mut Ctx<'_, Raft>, note: RaftNote) {
        ctx.note(note);
    }

    fn reset_election_timer(&self, ctx: &mut Ctx<'_, Raft>) {
        let (lo, hi) = ctx.config().election_timeout();
        ctx.set_timer(self.timer(RaftTimer::Election), lo, hi);
    }

    /// Arm the client-deadline timer for the earliest pending deadline, if it moved.
    fn arm_deadline(&mut self, ctx: &mut Ctx<'_, Raft>) {
        let earliest = self
            .waiters
            .iter()
            .map(|w| w.deadline)
            .chain(self.forwards.iter().map(|f| f.deadline))
            .min();
        if earliest == self.deadline_armed {
            return;
        }
        self.deadline_armed = earliest;
        match earliest {
            Some(at) => {
                let span = Ticks(at.since(ctx.now()).0.max(1));
                ctx.set_timer(self.timer(RaftTimer::ClientDeadline), span, span);
            }
            None => ctx.cancel_timer(self.timer(RaftTimer::ClientDeadline)),
        }
    }

    /// Convert to follower, adopting `term` if it is newer than ours. A leader also
    /// gets an election timer back (it has none running; a follower must).
    fn step_down(&mut self, term: Term, ctx: &mut Ctx<'_, Raft>) {
        let was_leader = self.role() == Role::Leader;
        if term > self.current_term {
            self.current_term = term;
            self.voted_for = None;
            self.leader_hint = None;
        }
        self.become_follower(ctx);
        if was_leader {
            self.reset_election_timer(ctx);
        }
    }

    fn become_follower(&mut self, ctx: &mut Ctx<'_, Raft>) {
        if self.role() == Role::Leader {
            ctx.cancel_timer(self.timer(RaftTimer::Heartbeat));
        }
        self.state = RoleState::Follower;
        self.note(
            ctx,
            RaftNote::BecameFollower {
                term: self.current_term,
            },
        );
    }
}
