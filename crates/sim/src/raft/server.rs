//! One Raft server's state and its Figure 2 rules. A node normally runs one server;
//! with flaw R3-1 it runs a second, "shadow" one (see [`super::node`]).
//!
//! The rules are split by concern: [`election`](self::election) (`RequestVote`,
//! timeouts, becoming leader), [`replication`](self::replication) (`AppendEntries`,
//! nextIndex/matchIndex, commit, apply) and [`clients`](self::clients) (client
//! requests, forwarding, waiting for commit). This file holds the state, the
//! accessors the page and the checkers read, and the helpers they share.
//!
//! A server is sans-I/O: it reads `ctx.now()` and `ctx.config()`, and acts only
//! through `ctx` effects.

mod clients;
mod election;
pub(crate) mod replication;

use crate::sorted::{SortedMap, SortedSet};

use serde::{Deserialize, Serialize};

use crate::ctx::Ctx;
use crate::id::{NodeId, RequestId};
use crate::time::{Tick, Ticks};

use super::Raft;
use super::client::Response;
use super::config::RaftConfig;
use super::modes::Bug;
use super::music_queue::{MusicQueue, Op, OpResult, Rejection};
use super::note::RaftNote;
use super::replicated_log::Log;
use super::types::{LogIndex, Role, Term};

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
    role: Role,
    leader_hint: Option<NodeId>,
    // Volatile state on leaders (reinitialised after election).
    next_index: Vec<LogIndex>,
    match_index: Vec<LogIndex>,
    // Volatile state on candidates.
    votes: u32,
    vote_count: usize,
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
            role: Role::Follower,
            leader_hint: None,
            next_index: vec![LogIndex(1); n],
            match_index: vec![LogIndex::ZERO; n],
            votes: 0,
            vote_count: 0,
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
        self.role
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
    /// `nextIndex[peer]` (leaders only; meaningless otherwise).
    pub fn next_index(&self) -> &[LogIndex] {
        &self.next_index
    }
    /// `matchIndex[peer]` (leaders only; meaningless otherwise).
    pub fn match_index(&self) -> &[LogIndex] {
        &self.match_index
    }
    /// The leader this server believes in (itself when leader).
    pub fn leader_hint(&self) -> Option<NodeId> {
        self.leader_hint
    }
    /// Votes granted to this server in its current election (candidates only).
    pub fn votes_granted(&self) -> Vec<NodeId> {
        (0..self.n)
            .filter(|i| self.votes & (1 << i) != 0)
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
            || self.role != Role::Leader
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

    /// Figure 2, all servers: "If RPC request or response contains term T >
    /// currentTerm: set currentTerm = T, convert to follower (§5.1)".
    fn step_down(&mut self, term: Term, ctx: &mut Ctx<'_, Raft>) {
        let was_leader = self.role == Role::Leader;
        if term > self.current_term {
            self.current_term = term;
            self.voted_for = None;
            self.leader_hint = None;
        }
        self.become_follower(ctx);
        if was_leader {
            // A leader has no election timer running; a follower must.
            self.reset_election_timer(ctx);
        }
    }

    fn become_follower(&mut self, ctx: &mut Ctx<'_, Raft>) {
        if self.role == Role::Leader {
            ctx.cancel_timer(self.timer(RaftTimer::Heartbeat));
        }
        self.role = Role::Follower;
        self.votes = 0;
        self.vote_count = 0;
        self.note(
            ctx,
            RaftNote::BecameFollower {
                term: self.current_term,
            },
        );
    }
}
