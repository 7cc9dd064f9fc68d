//! A Raft node as the world sees it: the [`Node`] implementation that routes events
//! to its [`Server`], and the read-only accessors the page uses.
//!
//! Normally a node is one server. With flaw R3-1 (`shadow-instance`) it is two, as
//! the submitted Q3 process was: the *main* server answers `RequestVote` and
//! `AppendEntries` (it was registered as the `RaftService`); the *shadow* server serves
//! clients and forwarded calls (the `QueueService`), never hears from a leader, and
//! so keeps running elections of its own with votes from the peers' main servers.
//!
//! What the UI reads: [`RaftNode::server`] (role, term, votedFor, log, commitIndex,
//! lastApplied, nextIndex/matchIndex, leader hint, the queue and history); the
//! election deadline is the `Election` timer in `world.slot(id).timers`.

use crate::ctx::Ctx;
use crate::id::{NodeId, RequestId};
use crate::protocol::Node;

use super::Raft;
use super::config::RaftConfig;
use super::message::RaftMsg;
use super::modes::Bug;
use super::music_queue::{MusicQueue, Op};
use super::note::RaftNote;
use super::replicated_log::Log;
use super::server::{RaftDurable, RaftTimer, Server};
use super::types::{LogIndex, Role, Term};

/// A Raft node.
#[derive(Clone, Debug)]
pub struct RaftNode {
    main: Server,
    shadow: Option<Box<Server>>,
}

impl RaftNode {
    /// The node's Raft server (the main one, with R3-1).
    pub fn server(&self) -> &Server {
        &self.main
    }

    /// The shadow server of flaw R3-1, if that flaw is on.
    pub fn shadow(&self) -> Option<&Server> {
        self.shadow.as_deref()
    }

    /// Every server this node runs (main first).
    pub fn servers(&self) -> impl Iterator<Item = &Server> {
        std::iter::once(&self.main).chain(self.shadow.as_deref())
    }

    /// The server clients talk to (the shadow one with R3-1).
    pub fn client_server(&self) -> &Server {
        self.shadow.as_deref().unwrap_or(&self.main)
    }

    /// Role.
    pub fn role(&self) -> Role {
        self.main.role()
    }
    /// `currentTerm`.
    pub fn term(&self) -> Term {
        self.main.current_term()
    }
    /// `votedFor`.
    pub fn voted_for(&self) -> Option<NodeId> {
        self.main.voted_for()
    }
    /// `commitIndex`.
    pub fn commit_index(&self) -> LogIndex {
        self.main.commit_index()
    }
    /// `lastApplied`.
    pub fn last_applied(&self) -> LogIndex {
        self.main.last_applied()
    }
    /// The log.
    pub fn log(&self) -> &Log {
        self.main.log()
    }
    /// `nextIndex` per server, indexed by node (empty unless leader).
    pub fn next_index(&self) -> Vec<LogIndex> {
        self.main.next_index()
    }
    /// `matchIndex` per server, indexed by node (empty unless leader).
    pub fn match_index(&self) -> Vec<LogIndex> {
        self.main.match_index()
    }
    /// The leader this node believes in.
    pub fn leader_hint(&self) -> Option<NodeId> {
        self.main.leader_hint()
    }
    /// The music queue and history as clients of this node see them.
    pub fn machine(&self) -> &MusicQueue {
        self.client_server().machine()
    }

    /// What the durable state looks like, cheaply: `currentTerm`, `votedFor` and the
    /// log's version counter (the shadow server of R3-1 persists nothing).
    fn durable_mark(&self) -> (Term, Option<NodeId>, u64) {
        (
            self.main.current_term(),
            self.main.voted_for(),
            self.main.log().version(),
        )
    }

    /// Figure 2: persistent state is "updated on stable storage before responding to
    /// RPCs". A crash falls between handlers, so syncing at the end of every handler
    /// that changed the durable state is exactly that. With `no-fsync` the node syncs
    /// only when its heartbeat or election timer fires (`on_timer` says so).
    fn persist(&self, before: (Term, Option<NodeId>, u64), timer: bool, ctx: &mut Ctx<'_, Raft>) {
        let sync = if ctx.config().has(Bug::NoFsync) {
            timer
        } else {
            self.durable_mark() != before
        };
        if sync {
            ctx.sync();
        }
    }

    fn client_mut(&mut self) -> &mut Server {
        match &mut self.shadow {
            Some(s) => s,
            None => &mut self.main,
        }
    }
}

impl Node<Raft> for RaftNode {
    fn boot(id: NodeId, config: &RaftConfig, durable: Option<&RaftDurable>) -> Self {
        let shadow = config
            .has(Bug::ShadowInstance)
            .then(|| Box::new(Server::boot(id, config, true, None)));
        RaftNode {
            main: Server::boot(id, config, false, durable),
            shadow,
        }
    }

    fn durable(&self) -> RaftDurable {
        self.main.durable()
    }

    fn on_start(&mut self, ctx: &mut Ctx<'_, Raft>) {
        ctx.note(RaftNote::Started {
            term: self.main.current_term(),
            log_len: self.main.log().len() as u64,
        });
        self.main.start(ctx);
        if let Some(s) = &mut self.shadow {
            s.start(ctx);
        }
    }

    fn on_message(&mut self, from: NodeId, msg: RaftMsg, ctx: &mut Ctx<'_, Raft>) {
        let before = self.durable_mark();
        let server = if msg.for_client_instance() {
            self.client_mut()
        } else {
            &mut self.main
        };
        server.step(from, msg, ctx);
        self.persist(before, false, ctx);
    }

    fn on_timer(&mut self, timer: RaftTimer, ctx: &mut Ctx<'_, Raft>) {
        let before = self.durable_mark();
        let server = match timer {
            RaftTimer::Election | RaftTimer::Heartbeat | RaftTimer::ClientDeadline => {
                &mut self.main
            }
            RaftTimer::ShadowElection
            | RaftTimer::ShadowHeartbeat
            | RaftTimer::ShadowClientDeadline => match &mut self.shadow {
                Some(s) => s,
                None => return,
            },
        };
        match timer {
            RaftTimer::Election | RaftTimer::ShadowElection => server.on_election_timeout(ctx),
            RaftTimer::Heartbeat | RaftTimer::ShadowHeartbeat => server.on_heartbeat(ctx),
            RaftTimer::ClientDeadline | RaftTimer::ShadowClientDeadline => {
                server.on_client_deadline(ctx);
            }
        }
        let main_tick = matches!(timer, RaftTimer::Election | RaftTimer::Heartbeat);
        self.persist(before, main_tick, ctx);
    }

    fn on_request(&mut self, id: RequestId, request: Op, ctx: &mut Ctx<'_, Raft>) {
        let before = self.durable_mark();
        let server = self.client_mut();
        if let Some(response) = server.leader_local_read(&request, ctx) {
            // `leader-local-reads`: answered before the request reaches the log (the
            // check belongs beside `stale-local-reads` in `clients.rs`'s `serve`).
            ctx.reply(id, response);
            return;
        }
        server.on_client_request(id, request, ctx);
        self.persist(before, false, ctx);
    }

    fn on_force_timeout(&mut self, ctx: &mut Ctx<'_, Raft>) {
        // A forced election timeout is the election timer firing early.
        let before = self.durable_mark();
        self.main.on_election_timeout(ctx);
        self.persist(before, true, ctx);
    }
}
