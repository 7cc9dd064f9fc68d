//! 2PC's side of scenario files and CLI reports: modes, bug toggles, the `config`
//! object, client operations (`upload`, `list`, `search`, `download`, `like`,
//! `delete`, `delete2pc`, `upload2pc`, each but `list` with a `filename`), per-node
//! and per-client report fields, and the chaos workload.
//!
//! Parsing checks the shape only: a filename that is empty or unsafe is accepted here
//! and refused by the node with a reason, so the client sees `rejected`.

use serde_json::{Map, Value, json};

use crate::id::NodeId;
use crate::rng::SimRng;
use crate::scenario::{BugInfo, ScenarioError, ScenarioProtocol};
use crate::twopc::TwoPc;
use crate::twopc::as_submitted::{BUGS, Bug, BugSet};
use crate::twopc::client::{TwoPcRequest, TwoPcResponse};
use crate::twopc::config::{MAX_NODES, MIN_NODES, Mode, TwoPcConfig};
use crate::twopc::ids::TxId;
use crate::twopc::msg::TwoPcTimer;
use crate::world::World;

const CONFIG_KEYS: &[&str] = &[
    "http_nodes",
    "grpc_nodes",
    "vote_timeout_ms",
    "decision_retry_ms",
    "ready_timeout_ms",
    "termination_retry_ms",
];

fn positive(config: &Map<String, Value>, key: &str) -> Result<Option<u64>, ScenarioError> {
    match config.get(key) {
        None => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => Ok(Some(n)),
            _ => Err(ScenarioError::new(
                format!("config.{key}"),
                format!("must be a positive integer, got {v}"),
            )),
        },
    }
}

fn range(config: &Map<String, Value>, key: &str) -> Result<Option<(u64, u64)>, ScenarioError> {
    let Some(v) = config.get(key) else {
        return Ok(None);
    };
    let err = || {
        ScenarioError::new(
            format!("config.{key}"),
            format!("must be [lo, hi] in ms with 0 < lo <= hi, got {v}"),
        )
    };
    let pair = v.as_array().filter(|a| a.len() == 2).ok_or_else(err)?;
    match (pair[0].as_u64(), pair[1].as_u64()) {
        (Some(lo), Some(hi)) if lo > 0 && lo <= hi => Ok(Some((lo, hi))),
        _ => Err(err()),
    }
}

fn count(n: Option<u64>) -> Option<usize> {
    n.and_then(|n| usize::try_from(n).ok())
}

impl ScenarioProtocol for TwoPc {
    const DEFAULT_NODES: usize = 6;

    fn parse_timer(value: &Value) -> Option<TwoPcTimer> {
        // `{"<Variant>": {"coordinator": n, "seq": n}}`; the candidate is accepted only
        // if it serialises back to exactly the value read, so the two cannot drift.
        let (variant, tx) = value.as_object().filter(|o| o.len() == 1)?.iter().next()?;
        let field = |k: &str| tx.get(k).and_then(Value::as_u64);
        let tx = TxId {
            coordinator: NodeId(u16::try_from(field("coordinator")?).ok()?),
            seq: u32::try_from(field("seq")?).ok()?,
        };
        let timer = match variant.as_str() {
            "VoteTimeout" => TwoPcTimer::VoteTimeout(tx),
            "DecisionRetry" => TwoPcTimer::DecisionRetry(tx),
            "ReadyTimeout" => TwoPcTimer::ReadyTimeout(tx),
            _ => return None,
        };
        serde_json::to_value(timer)
            .is_ok_and(|v| v == *value)
            .then_some(timer)
    }

    fn configure(
        mode: &str,
        nodes: usize,
        bugs: &[String],
        config: Option<&Value>,
    ) -> Result<TwoPcConfig, ScenarioError> {
        let mode = Mode::from_name(mode).ok_or_else(|| {
            ScenarioError::new(
                "mode",
                format!("unknown mode \"{mode}\" (expected \"textbook\" or \"as-submitted\")"),
            )
        })?;
        // An explicit `config.http_nodes` + `config.grpc_nodes` may describe a cluster
        // smaller than the assignment's five (the explorer's 1 + 2 … 1 + 4), so the
        // `nodes` range is checked only when the split comes from `nodes`.
        let explicit = config
            .and_then(Value::as_object)
            .is_some_and(|o| o.contains_key("http_nodes") && o.contains_key("grpc_nodes"));
        if !explicit && !(MIN_NODES..=MAX_NODES).contains(&nodes) {
            return Err(ScenarioError::new(
                "nodes",
                format!(
                    "must be between {MIN_NODES} and {MAX_NODES} (the assignment asks for at least 5), got {nodes}"
                ),
            ));
        }
        let mut c = TwoPcConfig::with_nodes(nodes);
        c.mode = mode;
        let mut set = BugSet::EMPTY;
        for (i, name) in bugs.iter().enumerate() {
            let bug = Bug::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = BUGS.iter().map(|b| b.name).collect();
                ScenarioError::new(
                    format!("bugs[{i}]"),
                    format!("unknown bug \"{name}\" (known: {})", known.join(", ")),
                )
            })?;
            set.insert(bug);
        }
        c.bugs = set;
        if let Some(v) = config {
            let obj = v
                .as_object()
                .ok_or_else(|| ScenarioError::new("config", "must be an object"))?;
            if let Some(k) = obj.keys().find(|k| !CONFIG_KEYS.contains(&k.as_str())) {
                return Err(ScenarioError::new(
                    format!("config.{k}"),
                    format!(
                        "unknown setting (expected one of: {})",
                        CONFIG_KEYS.join(", ")
                    ),
                ));
            }
            if let Some(h) = count(positive(obj, "http_nodes")?) {
                c.http_nodes = h;
            }
            if let Some(g) = count(positive(obj, "grpc_nodes")?) {
                c.grpc_nodes = g;
            }
            if let Some(t) = positive(obj, "vote_timeout_ms")? {
                c.vote_timeout_ms = t;
            }
            if let Some(t) = positive(obj, "decision_retry_ms")? {
                c.decision_retry_ms = t;
            }
            if let Some(r) = range(obj, "ready_timeout_ms")? {
                c.ready_timeout_ms = r;
            }
            if let Some(r) = range(obj, "termination_retry_ms")? {
                c.termination_retry_ms = r;
            }
        }
        let min = if explicit { 3 } else { MIN_NODES };
        if c.http_nodes < 1 || c.grpc_nodes < 2 || !(min..=MAX_NODES).contains(&c.total()) {
            return Err(ScenarioError::new(
                "config",
                format!(
                    "needs at least 1 HTTP and 2 gRPC nodes, {min} to {MAX_NODES} in all (got {} + {})",
                    c.http_nodes, c.grpc_nodes
                ),
            ));
        }
        Ok(c)
    }

    fn parse_request(client: &Map<String, Value>) -> Result<TwoPcRequest, ScenarioError> {
        let op = client
            .get("op")
            .and_then(Value::as_str)
            .ok_or_else(|| ScenarioError::new("op", "must be a string"))?;
        if op == "list" {
            return Ok(TwoPcRequest::List);
        }
        let filename = || -> Result<String, ScenarioError> {
            match client.get("filename") {
                Some(Value::String(f)) => Ok(f.clone()),
                Some(v) => Err(ScenarioError::new(
                    "filename",
                    format!("must be a string, got {v}"),
                )),
                None => Err(ScenarioError::new(
                    "filename",
                    format!("missing (\"{op}\" needs a filename)"),
                )),
            }
        };
        Ok(match op {
            "upload" => TwoPcRequest::Upload {
                filename: filename()?,
            },
            "search" => TwoPcRequest::Search {
                filename: filename()?,
            },
            "download" => TwoPcRequest::Download {
                filename: filename()?,
            },
            "like" => TwoPcRequest::Like {
                filename: filename()?,
            },
            "delete" => TwoPcRequest::Delete {
                filename: filename()?,
            },
            "delete2pc" => TwoPcRequest::Delete2pc {
                filename: filename()?,
            },
            "upload2pc" => TwoPcRequest::Upload2pc {
                filename: filename()?,
            },
            other => {
                return Err(ScenarioError::new(
                    "op",
                    format!(
                        "unknown op \"{other}\" (expected upload, list, search, download, like, delete, delete2pc or upload2pc)"
                    ),
                ));
            }
        })
    }

    fn request_json(request: &TwoPcRequest) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("op".into(), Value::from(request.op()));
        if let Some(f) = request.filename() {
            m.insert("filename".into(), Value::from(f));
        }
        m
    }

    fn mode_of(config: &TwoPcConfig) -> (String, Vec<String>) {
        (
            config.mode.name().to_owned(),
            config.bugs.iter().map(|b| b.name().to_owned()).collect(),
        )
    }

    fn modes() -> &'static [&'static str] {
        &["textbook", "as-submitted"]
    }

    fn bugs() -> &'static [BugInfo] {
        BUGS
    }

    fn node_report(world: &World<TwoPc>, id: NodeId) -> Map<String, Value> {
        let n = world.node(id);
        let mut m = Map::new();
        m.insert("name".into(), json!(world.node_name(id)));
        m.insert(
            "kind".into(),
            json!(if n.is_coordinator() { "http" } else { "grpc" }),
        );
        m.insert("state".into(), json!(n.display_state().name()));
        m.insert("blocked".into(), json!(n.blocked()));
        m.insert(
            "pictures".into(),
            Value::Array(
                n.pictures()
                    .iter()
                    .map(|(f, p)| json!({"filename": f, "likes": p.likes}))
                    .collect(),
            ),
        );
        m.insert(
            "locks".into(),
            Value::Array(n.locks().keys().map(|f| json!(f)).collect()),
        );
        m.insert(
            "wal".into(),
            Value::Array(n.wal().iter().map(|r| json!(r.to_string())).collect()),
        );
        let mut txs = Vec::new();
        for (tx, c) in n.coordinated() {
            txs.push(json!({"tx": tx.to_string(), "role": "coordinator", "state": c.state.name(), "filename": c.body.filename}));
        }
        for (tx, p) in n.participating() {
            txs.push(json!({"tx": tx.to_string(), "role": "participant", "state": p.state.name(), "blocked": p.blocked}));
        }
        m.insert("transactions".into(), Value::Array(txs));
        m
    }

    fn client_report(
        request: &TwoPcRequest,
        response: Option<&TwoPcResponse>,
    ) -> Map<String, Value> {
        let mut m = Self::request_json(request);
        let (outcome, key, value) = match response {
            None => ("timeout", "reason", json!("no answer")),
            Some(TwoPcResponse::Uploaded { filename }) => {
                ("ok", "result", json!({"uploaded": filename}))
            }
            Some(TwoPcResponse::Listed { pictures }) => ("ok", "result", json!(pictures)),
            Some(TwoPcResponse::Found { found, likes, .. }) => {
                ("ok", "result", json!({"found": found, "likes": likes}))
            }
            Some(TwoPcResponse::Downloaded { bytes, .. }) => {
                ("ok", "result", json!({"bytes": bytes}))
            }
            Some(TwoPcResponse::Liked { likes, .. }) => ("ok", "result", json!({"likes": likes})),
            Some(TwoPcResponse::Deleted { filename }) => {
                ("ok", "result", json!({"deleted": filename}))
            }
            Some(TwoPcResponse::Committed { tx }) => (
                "committed",
                "result",
                json!({"transaction_id": tx.to_string()}),
            ),
            Some(TwoPcResponse::Aborted { tx, reason }) => {
                m.insert("transaction_id".into(), json!(tx.to_string()));
                ("aborted", "reason", json!(reason))
            }
            Some(TwoPcResponse::Rejected { reason }) => ("rejected", "reason", json!(reason)),
            Some(TwoPcResponse::Unavailable { crashed }) => {
                let why = if *crashed {
                    "the node crashed before answering"
                } else {
                    "the node is down"
                };
                ("timeout", "reason", json!(why))
            }
        };
        m.insert("outcome".into(), json!(outcome));
        m.insert(key.into(), value);
        m
    }

    /// The chaos workload: a few filenames so transactions collide, about 40 % 2PC
    /// operations (to HTTP nodes), plain uploads spread over all nodes so participants
    /// have pictures to delete, and some likes, deletes, reads and bad input.
    fn chaos_request(rng: &mut SimRng, config: &TwoPcConfig) -> (NodeId, TwoPcRequest) {
        const FILES: [&str; 4] = ["demo.png", "cat.png", "dog.png", "sun.png"];
        let pick = |rng: &mut SimRng, n: usize| {
            usize::try_from(rng.range_inclusive(0, n as u64 - 1)).unwrap_or(0)
        };
        let filename = FILES[pick(rng, FILES.len())].to_owned();
        let any = NodeId::from_index(pick(rng, config.total()));
        let http = NodeId::from_index(pick(rng, config.http_nodes));
        let roll = rng.range_inclusive(0, 99);
        match roll {
            0..=19 => (http, TwoPcRequest::Upload2pc { filename }),
            20..=39 => (http, TwoPcRequest::Delete2pc { filename }),
            40..=61 => (any, TwoPcRequest::Upload { filename }),
            62..=71 => (any, TwoPcRequest::Delete { filename }),
            72..=83 => (any, TwoPcRequest::Like { filename }),
            84..=89 => (any, TwoPcRequest::List),
            90..=94 => (any, TwoPcRequest::Download { filename }),
            95..=97 => (any, TwoPcRequest::Delete2pc { filename }),
            _ => (
                any,
                TwoPcRequest::Upload {
                    filename: "../etc/passwd".into(),
                },
            ),
        }
    }
}
