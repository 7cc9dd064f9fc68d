//! A tiny ping/pong protocol that exercises the engine's plumbing (the bus, timers,
//! crash/restart with durable and volatile state, client requests, invariants) before
//! and apart from the real protocols. The page used it while the protocols were being
//! built; the engine's own tests and benchmarks still do.
//!
//! Each node, on its `Tick` timer, pings the next peer in round-robin order; the peer
//! answers `Pong`. `pings_sent` is durable, `pongs_received` is volatile.

use crate::fault::Fault;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::ctx::Ctx;
use crate::id::{NodeId, RequestId};
use crate::invariant::{Checker, Finding};
use crate::log::LogLine;
use crate::protocol::{Lost, Message, Node, Protocol};
use crate::rng::SimRng;
use crate::scenario::{BugInfo, ScenarioError, ScenarioProtocol};
use crate::time::Ticks;
use crate::trace::{EventKind, TraceEvent};
use crate::world::World;

/// The demo protocol.
#[derive(Clone, Debug)]
pub struct Demo;

/// Demo configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoConfig {
    /// Number of nodes.
    pub nodes: usize,
    /// Shortest ping interval, ms.
    pub interval_min: u64,
    /// Longest ping interval, ms.
    pub interval_max: u64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            nodes: 5,
            interval_min: 200,
            interval_max: 600,
        }
    }
}

/// Demo messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DemoMsg {
    /// The `seq`-th ping of its sender.
    Ping {
        /// Sender's ping counter.
        seq: u64,
    },
    /// The answer to a ping.
    Pong {
        /// The ping's counter.
        seq: u64,
    },
}

impl Message for DemoMsg {
    fn rpc(&self) -> &'static str {
        match self {
            DemoMsg::Ping { .. } => "Ping",
            DemoMsg::Pong { .. } => "Pong",
        }
    }
    fn is_reply(&self) -> bool {
        matches!(self, DemoMsg::Pong { .. })
    }
}

/// Demo timers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DemoTimer {
    /// Time to ping.
    Tick,
}

/// Demo notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DemoNote {
    /// The node (re)started with this many pings already sent.
    Started {
        /// Durable counter at start.
        pings_sent: u64,
    },
}

/// Demo client request: ask a node for its counters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DemoRequest {
    /// Read the counters.
    Stats,
}

/// Demo client response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DemoResponse {
    /// The counters.
    Stats {
        /// Durable.
        pings_sent: u64,
        /// Volatile.
        pongs_received: u64,
    },
    /// The node was down or crashed.
    Unavailable,
}

/// A demo node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoNode {
    id: NodeId,
    nodes: usize,
    /// Durable: survives a crash.
    pub pings_sent: u64,
    /// Volatile: lost on a crash.
    pub pongs_received: u64,
}

impl Node<Demo> for DemoNode {
    fn boot(id: NodeId, config: &DemoConfig, durable: Option<&u64>) -> Self {
        DemoNode {
            id,
            nodes: config.nodes,
            pings_sent: durable.copied().unwrap_or(0),
            pongs_received: 0,
        }
    }

    fn durable(&self) -> u64 {
        self.pings_sent
    }

    fn on_start(&mut self, ctx: &mut Ctx<'_, Demo>) {
        ctx.note(DemoNote::Started {
            pings_sent: self.pings_sent,
        });
        let c = ctx.config();
        let (lo, hi) = (c.interval_min, c.interval_max);
        ctx.set_timer(DemoTimer::Tick, Ticks(lo), Ticks(hi));
    }

    fn on_message(&mut self, from: NodeId, msg: DemoMsg, ctx: &mut Ctx<'_, Demo>) {
        match msg {
            DemoMsg::Ping { seq } => ctx.send(from, DemoMsg::Pong { seq }),
            DemoMsg::Pong { .. } => self.pongs_received += 1,
        }
    }

    fn on_timer(&mut self, _timer: DemoTimer, ctx: &mut Ctx<'_, Demo>) {
        if self.nodes > 1 {
            let n = self.nodes as u64;
            let step = 1 + self.pings_sent % (n - 1);
            let to =
                NodeId::from_index(usize::try_from((u64::from(self.id.0) + step) % n).unwrap_or(0));
            ctx.send(
                to,
                DemoMsg::Ping {
                    seq: self.pings_sent,
                },
            );
        }
        self.pings_sent += 1;
        // The counter numbers the pings: synced at once, so that a power loss cannot
        // make the node reuse a sequence number (which the checker would see as a
        // duplicated delivery).
        ctx.sync();
        let c = ctx.config();
        let (lo, hi) = (c.interval_min, c.interval_max);
        ctx.set_timer(DemoTimer::Tick, Ticks(lo), Ticks(hi));
    }

    fn on_request(&mut self, id: RequestId, _request: DemoRequest, ctx: &mut Ctx<'_, Demo>) {
        ctx.reply(
            id,
            DemoResponse::Stats {
                pings_sent: self.pings_sent,
                pongs_received: self.pongs_received,
            },
        );
    }

    fn on_force_timeout(&mut self, ctx: &mut Ctx<'_, Demo>) {
        self.on_timer(DemoTimer::Tick, ctx);
    }
}

/// The demo's one invariant, `no_duplicate_delivery`: no node receives the same ping
/// twice. It holds on a clean bus and fires as soon as the bus duplicates a ping, which
/// is how the engine's violation plumbing is tested.
#[derive(Clone, Debug, Default)]
pub struct DemoChecker {
    seen: std::collections::BTreeSet<(NodeId, NodeId, u64)>,
}

impl Checker<Demo> for DemoChecker {
    fn check(&mut self, _world: &World<Demo>, events: &[TraceEvent<Demo>], out: &mut Vec<Finding>) {
        for ev in events {
            if let EventKind::Delivered {
                from,
                to,
                payload: DemoMsg::Ping { seq },
                ..
            } = &ev.kind
                && !self.seen.insert((*from, *to, *seq))
            {
                out.push(Finding::new(
                    "no_duplicate_delivery",
                    format!("ping {seq} from {from} reached {to} twice"),
                ));
            }
        }
    }
}

impl Protocol for Demo {
    type Node = DemoNode;
    type Msg = DemoMsg;
    type Timer = DemoTimer;
    type Note = DemoNote;
    type Request = DemoRequest;
    type Response = DemoResponse;
    type Durable = u64;
    type Config = DemoConfig;
    type Checker = DemoChecker;

    const NAME: &'static str = "demo";

    fn node_count(config: &DemoConfig) -> usize {
        config.nodes
    }

    fn node_name(_config: &DemoConfig, id: NodeId) -> String {
        (id.index() + 1).to_string()
    }

    fn is_main_timer(_timer: &DemoTimer) -> bool {
        true
    }

    fn lost_response(_request: &DemoRequest, _why: Lost) -> DemoResponse {
        DemoResponse::Unavailable
    }

    fn log_lines(config: &DemoConfig, event: &TraceEvent<Demo>, out: &mut Vec<LogLine>) {
        let name = |id: NodeId| Demo::node_name(config, id);
        let (node, rpc, text) = match &event.kind {
            EventKind::Sent {
                from, to, payload, ..
            } => (
                *from,
                Some(payload.rpc()),
                format!(
                    "Node {} sends RPC {} to Node {}",
                    name(*from),
                    payload.rpc(),
                    name(*to)
                ),
            ),
            EventKind::Delivered {
                from, to, payload, ..
            } => (
                *to,
                Some(payload.rpc()),
                format!(
                    "Node {} runs RPC {} called by Node {}",
                    name(*to),
                    payload.rpc(),
                    name(*from)
                ),
            ),
            EventKind::Note {
                node,
                note: DemoNote::Started { pings_sent },
            } => (
                *node,
                None,
                format!("Node {} started with pings_sent={pings_sent}", name(*node)),
            ),
            _ => return,
        };
        out.push(LogLine {
            node,
            at: event.at,
            event: event.event,
            rpc: rpc.map(str::to_owned),
            text,
        });
    }
}

impl ScenarioProtocol for Demo {
    const DEFAULT_NODES: usize = 5;

    fn configure(
        mode: &str,
        nodes: usize,
        bugs: &[String],
        _config: Option<&Value>,
    ) -> Result<DemoConfig, ScenarioError> {
        if mode != "textbook" {
            return Err(ScenarioError::new(
                "mode",
                format!("unknown mode \"{mode}\" (the demo has only \"textbook\")"),
            ));
        }
        if let Some(b) = bugs.first() {
            return Err(ScenarioError::new(
                "bugs[0]",
                format!("unknown bug \"{b}\" (the demo has none)"),
            ));
        }
        if !(1..=9).contains(&nodes) {
            return Err(ScenarioError::new(
                "nodes",
                format!("must be between 1 and 9, got {nodes}"),
            ));
        }
        Ok(DemoConfig {
            nodes,
            ..DemoConfig::default()
        })
    }

    fn parse_request(client: &Map<String, Value>) -> Result<DemoRequest, ScenarioError> {
        match client.get("op").and_then(Value::as_str) {
            Some("stats") => Ok(DemoRequest::Stats),
            Some(op) => Err(ScenarioError::new(
                "op",
                format!("unknown op \"{op}\" (expected \"stats\")"),
            )),
            None => Err(ScenarioError::new("op", "must be a string")),
        }
    }

    fn request_json(_request: &DemoRequest) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("op".into(), json!("stats"));
        m
    }

    fn mode_of(_config: &DemoConfig) -> (String, Vec<String>) {
        ("textbook".into(), Vec::new())
    }

    fn modes() -> &'static [&'static str] {
        &["textbook"]
    }

    fn bugs() -> &'static [BugInfo] {
        &[]
    }

    fn node_report(world: &World<Demo>, id: NodeId) -> Map<String, Value> {
        let n = world.node(id);
        let mut m = Map::new();
        m.insert("pings_sent".into(), json!(n.pings_sent));
        m.insert("pongs_received".into(), json!(n.pongs_received));
        m
    }

    fn client_report(
        _request: &DemoRequest,
        response: Option<&DemoResponse>,
    ) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("op".into(), json!("stats"));
        match response {
            Some(DemoResponse::Stats {
                pings_sent,
                pongs_received,
            }) => {
                m.insert("outcome".into(), json!("ok"));
                m.insert(
                    "result".into(),
                    json!({"pings_sent": pings_sent, "pongs_received": pongs_received}),
                );
            }
            Some(DemoResponse::Unavailable) | None => {
                m.insert("outcome".into(), json!("timeout"));
                m.insert("reason".into(), json!("node unavailable"));
            }
        }
        m
    }

    fn chaos_request(rng: &mut SimRng, config: &DemoConfig) -> (NodeId, DemoRequest) {
        let n = rng.range_inclusive(0, config.nodes as u64 - 1);
        (
            NodeId::from_index(usize::try_from(n).unwrap_or(0)),
            DemoRequest::Stats,
        )
    }
}

/// The benchmarks' message-heavy workload (native `faultlab-cli bench` and the page's
/// wasm bench measure the same run): 5 demo nodes pinging every 1–4 ms over a 1–10 ms
/// bus.
pub fn heavy_world(seed: u64) -> World<Demo> {
    let config = DemoConfig {
        nodes: 5,
        interval_min: 1,
        interval_max: 4,
    };
    let net = crate::bus::NetConfig {
        latency_min: Ticks(1),
        latency_max: Ticks(10),
        ..crate::bus::NetConfig::default()
    };
    World::new(crate::rng::Seed(seed), config, net)
}

/// The digest of the golden demo run, pinned. Asserted natively (`cargo test`) and in
/// headless Chromium (the web package's browser tests): if the two ever disagree, the
/// engine is not deterministic across platforms. Update it only for an intended change
/// to traces.
pub const GOLDEN_DIGEST: u64 = 4_916_748_768_695_905_171;

/// The golden demo run: seed 7, lossy and duplicating bus, a crash, a partition, a heal
/// and a restart, 15 s of virtual time. Returns the trace digest.
pub fn golden_digest() -> u64 {
    use crate::bus::NetConfig;
    use crate::history::History;
    use crate::input::Input;
    use crate::rng::Seed;
    use crate::time::Tick;

    let net = NetConfig {
        latency_min: Ticks(5),
        latency_max: Ticks(60),
        drop_rate: 0.1,
        duplicate_rate: 0.05,
        ..NetConfig::default()
    };
    let mut h = History::new(World::<Demo>::new(Seed(7), DemoConfig::default(), net));
    h.run_until(Tick(3_000));
    h.apply(Input::Fault(Fault::Crash(NodeId(2))));
    h.run_until(Tick(6_000));
    h.apply(Input::Fault(Fault::Partition(vec![vec![
        NodeId(0),
        NodeId(1),
    ]])));
    h.run_until(Tick(9_000));
    h.apply(Input::Fault(Fault::Heal));
    h.apply(Input::Fault(Fault::Restart(NodeId(2))));
    h.run_until(Tick(15_000));
    crate::trace::digest(h.trace())
}
