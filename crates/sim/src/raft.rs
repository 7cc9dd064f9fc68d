//! Raft over the music queue (Ongaro & Ousterhout, "In Search of an Understandable
//! Consensus Algorithm", 2014), in the modes of DESIGN.md §3: `textbook` (Figure 2
//! in full, the default), `assignment` (the assignment's Q4 simplification: the
//! leader ships its whole log on every `AppendEntries`) and `as-submitted-q3` /
//! `as-submitted-q4` (the submitted servers, each flaw a toggle: [`modes`]).
//!
//! Nodes are named `"1"`…`"n"` (`NodeId` 0 is `"1"`), 3–9 of them, 5 by default.
//!
//! Design choices worth knowing:
//! - **Reads go through the log** (see [`server`]'s `clients` module): linearizable
//!   without leases.
//! - **Followers forward** client requests to the leader they know and relay its
//!   answer, as the seed's Q4 did; with no leader known they answer `not_leader`.
//! - **Validation**: request-only checks at the receiving node, state checks at apply
//!   time on every replica ([`music_queue`]).
//! - **Client sessions** (§8): each client request id is applied at most once, so a
//!   duplicated forward cannot apply a vote twice.
//! - Log lines print the seed's 0-based positions (`log[0]` is index 1); the page and
//!   the CLI's `commit_index`/`log_len` use the paper's 1-based indices.
//!
//! This module wires the pieces into the engine's [`Protocol`] and
//! [`ScenarioProtocol`]; it holds no protocol logic of its own.

pub mod client;
pub mod config;
pub mod entry;
pub mod invariants;
pub mod log_lines;
pub mod message;
pub mod modes;
pub mod music_queue;
pub mod node;
pub mod note;
pub mod replicated_log;
pub mod scenarios;
pub mod server;
pub mod types;

use serde_json::{Map, Value, json};

use crate::bus::NetConfig;
use crate::id::NodeId;
use crate::log::LogLine;
use crate::protocol::{Lost, Protocol};
use crate::rng::SimRng;
use crate::scenario::{BugInfo, ScenarioError, ScenarioProtocol};
use crate::trace::TraceEvent;
use crate::world::World;

pub use client::Response;
pub use config::RaftConfig;
pub use entry::{Command, Entry};
pub use invariants::RaftChecker;
pub use message::RaftMsg;
pub use modes::{Bug, BugSet, Mode};
pub use music_queue::{MusicQueue, Op, OpResult, Rejection, Track};
pub use node::RaftNode;
pub use note::RaftNote;
pub use server::{Progress, RaftDurable, RaftTimer, Server};
pub use types::{LogIndex, Role, Term};

/// The Raft protocol.
#[derive(Clone, Copy, Debug)]
pub struct Raft;

impl Protocol for Raft {
    type Node = RaftNode;
    type Msg = RaftMsg;
    type Timer = RaftTimer;
    type Note = RaftNote;
    type Request = Op;
    type Response = Response;
    type Durable = RaftDurable;
    type Config = RaftConfig;
    type Checker = RaftChecker;

    const NAME: &'static str = "raft";

    fn node_count(config: &RaftConfig) -> usize {
        config.nodes
    }

    fn node_name(_config: &RaftConfig, id: NodeId) -> String {
        (id.index() + 1).to_string()
    }

    fn is_main_timer(timer: &RaftTimer) -> bool {
        matches!(timer, RaftTimer::Election)
    }

    fn lost_response(_request: &Op, why: Lost) -> Response {
        Response::lost(why)
    }

    fn log_lines(config: &RaftConfig, event: &TraceEvent<Raft>, out: &mut Vec<LogLine>) {
        log_lines::render(config, event, out);
    }
}

impl ScenarioProtocol for Raft {
    const DEFAULT_NODES: usize = 5;

    fn parse_timer(value: &Value) -> Option<RaftTimer> {
        // Matched against each timer's own serde form, so the two cannot drift.
        const ALL: [RaftTimer; 6] = [
            RaftTimer::Election,
            RaftTimer::Heartbeat,
            RaftTimer::ClientDeadline,
            RaftTimer::ShadowElection,
            RaftTimer::ShadowHeartbeat,
            RaftTimer::ShadowClientDeadline,
        ];
        ALL.into_iter()
            .find(|t| serde_json::to_value(t).is_ok_and(|v| v == *value))
    }

    fn configure(
        mode: &str,
        nodes: usize,
        bugs: &[String],
        config: Option<&Value>,
    ) -> Result<RaftConfig, ScenarioError> {
        let mode = Mode::from_name(mode).ok_or_else(|| {
            ScenarioError::new(
                "mode",
                format!(
                    "unknown mode \"{mode}\" (expected one of: {})",
                    Mode::NAMES.join(", ")
                ),
            )
        })?;
        if !(3..=9).contains(&nodes) {
            return Err(ScenarioError::new(
                "nodes",
                format!("must be between 3 and 9, got {nodes}"),
            ));
        }
        let mut c = RaftConfig::new(nodes, mode);
        for (i, b) in bugs.iter().enumerate() {
            let bug = Bug::from_name(b).ok_or_else(|| {
                let names: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
                ScenarioError::new(
                    format!("bugs[{i}]"),
                    format!(
                        "unknown bug \"{b}\" (expected one of: {})",
                        names.join(", ")
                    ),
                )
            })?;
            c.bugs.insert(bug);
        }
        if let Some(v) = config {
            c.apply_json(v)?;
        }
        Ok(c)
    }

    fn default_net(_config: &RaftConfig) -> NetConfig {
        NetConfig::default()
    }

    fn parse_request(client: &Map<String, Value>) -> Result<Op, ScenarioError> {
        client::parse_request(client)
    }

    fn request_json(request: &Op) -> Map<String, Value> {
        client::request_json(request)
    }

    fn mode_of(config: &RaftConfig) -> (String, Vec<String>) {
        (config.mode.name().to_owned(), config.extra_bugs())
    }

    fn modes() -> &'static [&'static str] {
        &Mode::NAMES
    }

    fn bugs() -> &'static [BugInfo] {
        &Bug::INFO
    }

    fn node_report(world: &World<Raft>, id: NodeId) -> Map<String, Value> {
        let node = world.node(id);
        let s = node.server();
        let mut m = Map::new();
        m.insert("role".into(), json!(s.role().as_str()));
        m.insert("term".into(), json!(s.current_term().0));
        m.insert(
            "voted_for".into(),
            json!(s.voted_for().map(|v| (v.index() + 1).to_string())),
        );
        m.insert("commit_index".into(), json!(s.commit_index().0));
        m.insert("last_applied".into(), json!(s.last_applied().0));
        m.insert("log_len".into(), json!(s.log().len()));
        m.insert(
            "log_terms".into(),
            json!(
                s.log()
                    .entries()
                    .iter()
                    .map(|e| e.term.0)
                    .collect::<Vec<_>>()
            ),
        );
        m.insert(
            "leader".into(),
            json!(s.leader_hint().map(|v| (v.index() + 1).to_string())),
        );
        let machine = node.machine();
        m.insert("queue".into(), client::tracks_json(&machine.queue));
        m.insert("history".into(), client::tracks_json(&machine.history));
        if let Some(sh) = node.shadow() {
            m.insert("shadow".into(), json!({"role": sh.role().as_str(), "term": sh.current_term().0, "log_len": sh.log().len()}));
        }
        m
    }

    fn client_report(request: &Op, response: Option<&Response>) -> Map<String, Value> {
        client::client_report(request, response)
    }

    fn chaos_request(rng: &mut SimRng, config: &RaftConfig) -> (NodeId, Op) {
        client::chaos_request(rng, config)
    }
}
