//! Scenario files (`faultlab-scenario/1`): a seed, a configuration and a list of timed
//! steps. The same format is what the CLI runs, what the page exports and what its URL
//! encodes.
//!
//! Parsing happens in two stages. [`Scenario::parse`] checks the shape of the file and
//! the common step kinds. [`Scenario::build`] resolves node names and client operations
//! against a protocol (its one extension point is [`ScenarioProtocol`]) and returns a
//! world with every step scheduled. Every error names the field and, for steps, the
//! step index: `steps[2].partition[1][0]: unknown node "9" (nodes: 1, 2, 3, 4, 5)`.

pub mod catalog;

use std::fmt;

use serde_json::{Map, Value};

use crate::bus::NetConfig;
use crate::fault::{Fault, FaultKind};
use crate::id::NodeId;
use crate::input::Input;
use crate::protocol::Protocol;
use crate::rng::Seed;
use crate::time::Tick;
use crate::world::World;

/// The format tag every scenario file carries.
pub const FORMAT: &str = "faultlab-scenario/1";

/// Default run length when a file gives none.
pub const DEFAULT_UNTIL_MS: u64 = 30_000;

/// A scenario error: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The field's path in the file, e.g. `steps[2].crash`.
    pub field: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl ScenarioError {
    /// An error at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error, nested under `prefix` (e.g. a client op's field under its step).
    #[must_use]
    pub fn under(self, prefix: &str) -> Self {
        let field = if self.field.is_empty() {
            prefix.to_owned()
        } else if self.field.starts_with('[') {
            format!("{prefix}{}", self.field)
        } else {
            format!("{prefix}.{}", self.field)
        };
        ScenarioError {
            field,
            message: self.message,
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// What a protocol adds to scenario files: its modes and bug toggles, and its client
/// operations. This is the scenario format's one extension point.
pub trait ScenarioProtocol: Protocol {
    /// The default node count.
    const DEFAULT_NODES: usize;

    /// Build a configuration from the file's `mode`, `nodes`, `bugs` and optional
    /// `config` object.
    ///
    /// # Errors
    /// An unknown mode or bug, a node count out of range, a bad config field.
    fn configure(
        mode: &str,
        nodes: usize,
        bugs: &[String],
        config: Option<&Value>,
    ) -> Result<Self::Config, ScenarioError>;

    /// The network defaults for a fresh run of this protocol.
    fn default_net(config: &Self::Config) -> NetConfig {
        let _ = config;
        NetConfig::default()
    }

    /// Parse a client operation (the `client` object minus `node`). Errors name the
    /// field relative to the object (`"op"`, `"duration"`).
    ///
    /// # Errors
    /// An unknown op or a missing or malformed field.
    fn parse_request(client: &Map<String, Value>) -> Result<Self::Request, ScenarioError>;

    /// A timer as a `fire` step writes it: the timer's serde form (`"election"`,
    /// `{"ReadyTimeout": {"coordinator": 0, "seq": 1}}`).
    ///
    /// The default goes through the timer's derived `Deserialize`. The shipped
    /// protocols read it by hand, because that derive is the page's only one, and its
    /// error reporting (`serde::de::Unexpected`, which prints floats) costs several
    /// KB of the page's bundle.
    fn parse_timer(value: &Value) -> Option<Self::Timer> {
        serde_json::from_value(value.clone()).ok()
    }

    /// The client operation as a `client` object (without `node`), for export.
    fn request_json(request: &Self::Request) -> Map<String, Value>;

    /// The mode name and bug list of a configuration, for export.
    fn mode_of(config: &Self::Config) -> (String, Vec<String>);

    /// The protocol's modes, default first (`"textbook"`, …).
    fn modes() -> &'static [&'static str];

    /// Every bug toggle: its name, where it comes from, and what it does.
    fn bugs() -> &'static [BugInfo];

    /// A node's protocol-specific report fields for `faultlab-cli run --json`
    /// (beyond `id` and `up`, which the engine adds).
    fn node_report(world: &World<Self>, id: NodeId) -> Map<String, Value>;

    /// A client request and its response as a report object with at least `op` and
    /// `outcome` (`ok`, `rejected`, `not_leader`, `timeout`, `committed`, `aborted`)
    /// and a `result` or `reason`. `response` is `None` while unanswered.
    fn client_report(
        request: &Self::Request,
        response: Option<&Self::Response>,
    ) -> Map<String, Value>;

    /// A random client request for chaos load, sent to a random node.
    fn chaos_request(
        rng: &mut crate::rng::SimRng,
        config: &Self::Config,
    ) -> (NodeId, Self::Request);
}

/// A bug toggle as the CLI's `--help` and the page list it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BugInfo {
    /// The toggle's name (`"no-persistence"`).
    pub name: &'static str,
    /// The flaw's id in `reference/seed-systems.md` (`"R4-1"`, `"P-3"`).
    pub seed_ref: &'static str,
    /// What it does, in one sentence.
    pub summary: &'static str,
}

/// A scenario resolved against a protocol: its configuration and timed inputs.
pub type Resolved<P> = (<P as Protocol>::Config, Vec<(Tick, Input<P>)>);

/// One timed step.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// When, in virtual ms.
    pub at_ms: u64,
    /// What.
    pub action: Action,
}

/// A step's action, with nodes still named as in the file.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A fault or network action (every kind in [`crate::fault::FaultKind::INFO`]).
    Fault(Fault<String>),
    /// Fire one armed timer of a node now: the node and the timer as the protocol
    /// serialises it (`"election"` for Raft, `{"ReadyTimeout": …}` for 2PC).
    Fire(String, Value),
    /// A client operation: the target node and the protocol's op object.
    Client(String, Map<String, Value>),
}

/// A parsed scenario file.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// `"raft"` or `"2pc"`.
    pub protocol: String,
    /// The protocol mode (`"textbook"`, `"as-submitted"`, …).
    pub mode: String,
    /// Extra bug toggles on top of the mode.
    pub bugs: Vec<String>,
    /// The seed.
    pub seed: u64,
    /// Node count, if given.
    pub nodes: Option<usize>,
    /// Run length.
    pub until_ms: u64,
    /// Protocol settings (timers etc.), if given.
    pub config: Option<Value>,
    /// Metadata: title, description, what to watch, what should happen.
    pub meta: Map<String, Value>,
    /// The steps, in file order.
    pub steps: Vec<Step>,
}

const META_KEYS: &[&str] = &[
    "name",
    "title",
    "description",
    "watch",
    "expect",
    "tags",
    "notes",
    "tour",
];
const TOP_KEYS: &[&str] = &[
    "format", "protocol", "mode", "bugs", "seed", "nodes", "until_ms", "config", "steps",
];
/// Every step key: the fault table's, then `fire` and `client`.
fn action_keys() -> String {
    format!("{}, fire, client", FaultKind::keys())
}

impl Scenario {
    /// Parse and check the shape of a scenario from JSON text.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the first offending field.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        Self::from_value(&parse_json(text)?)
    }

    /// Parse and check the shape of a scenario from a JSON value.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the first offending field.
    pub fn from_value(value: &Value) -> Result<Scenario, ScenarioError> {
        let obj = value
            .as_object()
            .ok_or_else(|| ScenarioError::new("", "a scenario must be a JSON object"))?;
        for key in obj.keys() {
            if !TOP_KEYS.contains(&key.as_str())
                && !META_KEYS.contains(&key.as_str())
                && !key.starts_with('_')
            {
                return Err(ScenarioError::new(
                    key.clone(),
                    format!("unknown field (expected one of: {})", TOP_KEYS.join(", ")),
                ));
            }
        }
        match obj.get("format") {
            Some(Value::String(f)) if f == FORMAT => {}
            Some(Value::String(f)) => {
                return Err(ScenarioError::new(
                    "format",
                    format!("unsupported format \"{f}\" (expected \"{FORMAT}\")"),
                ));
            }
            Some(_) => {
                return Err(ScenarioError::new(
                    "format",
                    format!("must be the string \"{FORMAT}\""),
                ));
            }
            None => {
                return Err(ScenarioError::new(
                    "format",
                    format!("missing (expected \"{FORMAT}\")"),
                ));
            }
        }
        let protocol = match obj.get("protocol") {
            Some(Value::String(p)) if p == "raft" || p == "2pc" || p == "demo" => p.clone(),
            Some(Value::String(p)) => {
                return Err(ScenarioError::new(
                    "protocol",
                    format!("unknown protocol \"{p}\" (expected \"raft\" or \"2pc\")"),
                ));
            }
            Some(_) => {
                return Err(ScenarioError::new(
                    "protocol",
                    "must be \"raft\" or \"2pc\"",
                ));
            }
            None => {
                return Err(ScenarioError::new(
                    "protocol",
                    "missing (expected \"raft\" or \"2pc\")",
                ));
            }
        };
        let mode = match obj.get("mode") {
            None => "textbook".to_owned(),
            Some(Value::String(m)) => m.clone(),
            Some(_) => return Err(ScenarioError::new("mode", "must be a string")),
        };
        let bugs = string_list(
            obj,
            "bugs",
            "must be a string",
            "must be an array of bug names",
        )?;
        let seed = match obj.get("seed") {
            None => 0,
            Some(v) => v.as_u64().ok_or_else(|| {
                ScenarioError::new("seed", format!("must be a non-negative integer, got {v}"))
            })?,
        };
        let nodes = match obj.get("nodes") {
            None => None,
            Some(v) => Some(
                v.as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| {
                        ScenarioError::new("nodes", format!("must be a positive integer, got {v}"))
                    })?,
            ),
        };
        let until_ms = match obj.get("until_ms") {
            None => DEFAULT_UNTIL_MS,
            Some(v) => match v.as_u64() {
                Some(t) if t > 0 => t,
                _ => {
                    return Err(ScenarioError::new(
                        "until_ms",
                        format!("must be a positive integer (ms), got {v}"),
                    ));
                }
            },
        };
        let config = match obj.get("config") {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => Some(v.clone()),
            Some(_) => return Err(ScenarioError::new("config", "must be an object")),
        };
        let steps = match obj.get("steps") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, s)| parse_step(s, until_ms).map_err(|e| e.under(&format!("steps[{i}]"))))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(ScenarioError::new("steps", "must be an array of steps")),
        };
        // Inserted one by one: `collect` into a `Map` would sort the pairs first (a
        // stable sort's code in the page for at most four keys).
        let mut meta = Map::new();
        for (k, v) in obj.iter().filter(|(k, _)| META_KEYS.contains(&k.as_str())) {
            meta.insert(k.clone(), v.clone());
        }
        Ok(Scenario {
            protocol,
            mode,
            bugs,
            seed,
            nodes,
            until_ms,
            config,
            meta,
            steps,
        })
    }

    /// A metadata string (`"title"`, `"description"`, `"watch"`, `"expect"`).
    pub fn meta_str(&self, key: &str) -> Option<&str> {
        self.meta.get(key).and_then(Value::as_str)
    }

    /// Resolve the scenario against protocol `P`: its configuration, node names and
    /// client operations.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the offending field.
    pub fn resolve<P: ScenarioProtocol>(&self) -> Result<Resolved<P>, ScenarioError> {
        if self.protocol != P::NAME {
            return Err(ScenarioError::new(
                "protocol",
                format!("this is a {} scenario, not {}", self.protocol, P::NAME),
            ));
        }
        let nodes = self.nodes.unwrap_or(P::DEFAULT_NODES);
        let config = P::configure(&self.mode, nodes, &self.bugs, self.config.as_ref())?;
        let n = P::node_count(&config);
        let names: Vec<String> = (0..n)
            .map(|i| P::node_name(&config, NodeId::from_index(i)))
            .collect();
        let mut inputs = Vec::with_capacity(self.steps.len());
        for (i, step) in self.steps.iter().enumerate() {
            // Step by step, so that the first bad step is the one reported.
            let input = resolve_action::<P>(&step.action, &names)
                .map_err(|e| e.under(&format!("steps[{i}]")))?;
            inputs.push((Tick(step.at_ms), input));
        }
        Ok((config, inputs))
    }

    /// Build the world this scenario describes, with every step scheduled.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the offending field.
    pub fn build<P: ScenarioProtocol>(&self) -> Result<World<P>, ScenarioError> {
        let (config, inputs) = self.resolve::<P>()?;
        let net = P::default_net(&config);
        let mut world = World::new(Seed(self.seed), config, net);
        for (at, input) in inputs {
            world.schedule(at, input);
        }
        Ok(world)
    }

    /// The scenario as JSON (the format the page exports and the URL encodes).
    pub fn to_value(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("format".into(), Value::from(FORMAT));
        for (k, v) in &self.meta {
            obj.insert(k.clone(), v.clone());
        }
        obj.insert("protocol".into(), Value::from(self.protocol.as_str()));
        obj.insert("mode".into(), Value::from(self.mode.as_str()));
        if !self.bugs.is_empty() {
            obj.insert("bugs".into(), strings(&self.bugs));
        }
        obj.insert("seed".into(), Value::from(self.seed));
        if let Some(n) = self.nodes {
            obj.insert("nodes".into(), Value::from(n));
        }
        obj.insert("until_ms".into(), Value::from(self.until_ms));
        if let Some(c) = &self.config {
            obj.insert("config".into(), c.clone());
        }
        obj.insert(
            "steps".into(),
            Value::Array(self.steps.iter().map(step_json).collect()),
        );
        Value::Object(obj)
    }

    /// Describe inputs of a world as scenario steps (for export and sharing links).
    pub fn steps_from_inputs<P: ScenarioProtocol>(world: &World<P>) -> Vec<Step> {
        world
            .inputs()
            .iter()
            .filter_map(|s| {
                let action = action_of::<P>(world, &s.input)?;
                Some(Step {
                    at_ms: s.at.as_ms(),
                    action,
                })
            })
            .collect()
    }

    /// A scenario that reproduces `world`'s run: seed, configuration and every input.
    pub fn from_world<P: ScenarioProtocol>(
        world: &World<P>,
        until_ms: u64,
        config: Option<Value>,
    ) -> Scenario {
        let (mode, bugs) = P::mode_of(world.config());
        Scenario {
            protocol: P::NAME.to_owned(),
            mode,
            bugs,
            seed: world.seed().0,
            nodes: Some(world.node_count()),
            until_ms,
            config,
            meta: Map::new(),
            steps: Self::steps_from_inputs(world),
        }
    }
}

fn action_of<P: ScenarioProtocol>(world: &World<P>, input: &Input<P>) -> Option<Action> {
    let name = |id: &NodeId| world.node_name(*id);
    Some(match input {
        Input::Fault(f) => Action::Fault(f.map(name)),
        Input::FireTimer(n, t) => Action::Fire(name(n), serde_json::to_value(t).ok()?),
        Input::Request(n, r) => Action::Client(name(n), P::request_json(r)),
        Input::Configure(_) => return None,
    })
}

fn step_json(step: &Step) -> Value {
    let mut obj = Map::new();
    obj.insert("at_ms".into(), Value::from(step.at_ms));
    let (key, value) = match &step.action {
        Action::Fault(f) => f.to_json(),
        Action::Fire(n, t) => (
            "fire",
            object([("node", Value::from(n.as_str())), ("timer", t.clone())]),
        ),
        Action::Client(node, op) => {
            let mut c = Map::new();
            c.insert("node".into(), Value::from(node.as_str()));
            for (k, v) in op {
                c.insert(k.clone(), v.clone());
            }
            ("client", Value::Object(c))
        }
    };
    obj.insert(key.into(), value);
    Value::Object(obj)
}

/// A JSON object of `fields`. Built by hand rather than with `json!`, which serialises
/// every value through serde (a generic call and a panic path each) to the same result.
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    let mut obj = Map::new();
    for (k, v) in fields {
        obj.insert(k.to_owned(), v);
    }
    Value::Object(obj)
}

/// A JSON array of strings.
fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| Value::from(s.as_str())).collect())
}

fn parse_step(value: &Value, until_ms: u64) -> Result<Step, ScenarioError> {
    let obj = value
        .as_object()
        .ok_or_else(|| ScenarioError::new("", "a step must be an object"))?;
    let at_ms = match obj.get("at_ms") {
        None => {
            return Err(ScenarioError::new(
                "at_ms",
                "missing (every step needs a time in ms)",
            ));
        }
        Some(v) => v.as_u64().ok_or_else(|| {
            ScenarioError::new(
                "at_ms",
                format!("must be a non-negative integer (ms), got {v}"),
            )
        })?,
    };
    if at_ms > until_ms {
        return Err(ScenarioError::new(
            "at_ms",
            format!("{at_ms} is after until_ms ({until_ms}), so the step would never run"),
        ));
    }
    let mut actions = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "at_ms" && !k.starts_with('_'));
    let Some((key, v)) = actions.next() else {
        return Err(ScenarioError::new(
            "",
            format!("no action (expected one of: {})", action_keys()),
        ));
    };
    if let Some((second, _)) = actions.next() {
        return Err(ScenarioError::new(
            second.clone(),
            format!("a step has exactly one action, but this one also has \"{key}\""),
        ));
    }
    let action = parse_action(key, v).map_err(|e| e.under(key))?;
    Ok(Step { at_ms, action })
}

/// The optional array of strings at `key` (empty when absent); `item` and `list` say
/// what is wrong with a bad element and a bad value.
pub(crate) fn string_list(
    obj: &Map<String, Value>,
    key: &str,
    item: &str,
    list: &str,
) -> Result<Vec<String>, ScenarioError> {
    match obj.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ScenarioError::new(format!("{key}[{i}]"), item))
            })
            .collect(),
        Some(_) => Err(ScenarioError::new(key, list)),
    }
}

/// The JSON value of a scenario or tour file, or an error that says where the text
/// stops being JSON.
pub(crate) fn parse_json(text: &str) -> Result<Value, ScenarioError> {
    serde_json::from_str(text).map_err(|e| {
        ScenarioError::new(
            "",
            format!(
                "not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// A node name as scenario and tour files write it: a non-empty string or a number.
pub(crate) fn node_name(v: &Value) -> Result<String, ScenarioError> {
    match v {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        _ => Err(ScenarioError::new(
            "",
            format!("must be a node name such as \"3\" or \"grpc-node2\", got {v}"),
        )),
    }
}

fn parse_action(key: &str, v: &Value) -> Result<Action, ScenarioError> {
    if let Some(fault) = Fault::from_json(key, v)? {
        return Ok(Action::Fault(fault));
    }
    Ok(match key {
        "fire" => {
            let o = v.as_object().ok_or_else(|| {
                ScenarioError::new("", "must be {\"node\": node, \"timer\": timer}")
            })?;
            let node =
                node_name(o.get("node").unwrap_or(&Value::Null)).map_err(|e| e.under("node"))?;
            let timer = o
                .get("timer")
                .cloned()
                .ok_or_else(|| ScenarioError::new("timer", "missing (which timer?)"))?;
            Action::Fire(node, timer)
        }
        "client" => {
            let o = v.as_object().ok_or_else(|| {
                ScenarioError::new("", "must be an object with \"node\" and \"op\"")
            })?;
            let node = match o.get("node") {
                None => {
                    return Err(ScenarioError::new(
                        "node",
                        "missing (which node receives the request?)",
                    ));
                }
                Some(n) => node_name(n).map_err(|e| e.under("node"))?,
            };
            let mut op = o.clone();
            op.remove("node");
            if !op.contains_key("op") {
                return Err(ScenarioError::new("op", "missing (which operation?)"));
            }
            Action::Client(node, op)
        }
        other => {
            return Err(ScenarioError::new(
                "",
                format!(
                    "unknown step kind \"{other}\" (expected one of: {})",
                    action_keys()
                ),
            ));
        }
    })
}

fn resolve_node(name: &str, names: &[String]) -> Result<NodeId, ScenarioError> {
    names
        .iter()
        .position(|n| n == name)
        .map(NodeId::from_index)
        .ok_or_else(|| {
            ScenarioError::new(
                "",
                format!("unknown node \"{name}\" (nodes: {})", names.join(", ")),
            )
        })
}

/// Resolve a step's action against the node names of a run and protocol `P`.
fn resolve_action<P: ScenarioProtocol>(
    action: &Action,
    names: &[String],
) -> Result<Input<P>, ScenarioError> {
    Ok(match action {
        Action::Fault(f) => Input::Fault(resolve_fault(f, names)?),
        Action::Fire(n, t) => {
            let node = resolve_node(n, names).map_err(|e| e.under("fire.node"))?;
            Input::FireTimer(
                node,
                P::parse_timer(t).ok_or_else(|| {
                    ScenarioError::new("fire.timer", format!("not a timer of this protocol: {t}"))
                })?,
            )
        }
        Action::Client(n, op) => {
            let node = resolve_node(n, names).map_err(|e| e.under("client.node"))?;
            Input::Request(node, P::parse_request(op).map_err(|e| e.under("client"))?)
        }
    })
}

/// Resolve a fault's node names. Not generic, so that every protocol shares it.
fn resolve_fault(f: &Fault<String>, names: &[String]) -> Result<Fault, ScenarioError> {
    let key = f.label();
    let fault = f.try_map(|field, n| {
        resolve_node(n, names).map_err(|e| {
            let at = if field.is_empty() || field.starts_with('[') {
                format!("{key}{field}")
            } else {
                format!("{key}.{field}")
            };
            e.under(&at)
        })
    })?;
    if let Fault::Partition(groups) = &fault {
        let mut seen = vec![false; names.len()];
        for (gi, g) in groups.iter().enumerate() {
            for (mi, id) in g.iter().enumerate() {
                if seen[id.index()] {
                    return Err(ScenarioError::new(
                        format!("partition[{gi}][{mi}]"),
                        format!("node \"{}\" is in two groups", names[id.index()]),
                    ));
                }
                seen[id.index()] = true;
            }
        }
    }
    Ok(fault)
}
