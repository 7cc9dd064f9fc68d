//! Faults: the one vocabulary for everything a user, a scenario file, a share link or
//! a chaos plan can do to a run from outside the protocol — crash, pause, partition,
//! slow a link, hold or reorder a message, skew a clock, tune the network.
//!
//! [`Fault`] is the one type, generic only in how it names nodes: `Fault<String>` is a
//! fault as a scenario file writes it (`"3"`, `"grpc-node2"`), `Fault<NodeId>` (the
//! default) is the same fault resolved against a run. [`FaultKind::INFO`] is the one
//! table: every kind's scenario key, its fault class, and what it does in a sentence.
//! Parsing ([`Fault::from_json`]), writing ([`Fault::to_json`]) and labelling
//! ([`Fault::label`]) all read that table, so a new fault is one variant, one table row
//! and its JSON shape here, plus its effect in [`crate::world`].
//!
//! [`FaultClass`] groups kinds into what `chaos --faults` switches on (`crash`,
//! `delay`, …), again from one table.
//!
//! What it must not do: know a protocol, or touch a world (the world applies faults).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::id::{MsgId, NodeId};
use crate::scenario::{ScenarioError, node_name};
use crate::time::Ticks;

/// The longest time a fault may hold a message or slow a link: an hour of virtual
/// time. Longer is certainly a typo (or a hostile link), and the page would draw the
/// message crawling for ever.
pub const MAX_HOLD_MS: u64 = 3_600_000;
/// The range of a clock skew factor: a node's timers run from 10× slower to 10× faster.
pub const SKEW_RANGE: (f64, f64) = (0.1, 10.0);

/// One fault or network action. `N` is how nodes are named: [`NodeId`] in a run,
/// `String` in a scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault<N = NodeId> {
    /// Crash a node: it loses its volatile state, receives nothing, fires no timers.
    Crash(N),
    /// Restart a crashed node from its durable state.
    Restart(N),
    /// Freeze a node (a stopped process, a long GC pause): no timer fires and messages
    /// wait in its inbox. Nothing is lost; [`Fault::Resume`] continues where it stopped.
    Pause(N),
    /// Resume a paused node: its overdue timers fire and its inbox is delivered.
    Resume(N),
    /// Make a node's timers run `factor` times as long (0.5: twice as fast).
    Skew(N, f64),
    /// Split the network into groups (nodes in no group form one more group).
    Partition(Vec<Vec<N>>),
    /// Cut one node off from all others.
    Isolate(N),
    /// Cut (`false`) or restore (`true`) the link between two nodes.
    Link(N, N, bool),
    /// Add `extra` latency to every message sent either way between two nodes from now
    /// on (a latency spike; zero restores the link).
    SlowLink(N, N, Ticks),
    /// Remove every partition, cut link and slow link.
    Heal,
    /// Set the loss probability.
    DropRate(f64),
    /// Set the duplication probability.
    DuplicateRate(f64),
    /// Set the reorder probability: each message is held, with this probability, for
    /// up to [`crate::bus::NetConfig::reorder_window`] more, so newer ones overtake it.
    ReorderRate(f64),
    /// Set the one-way latency range.
    Latency(Ticks, Ticks),
    /// Force a node's main timeout now.
    Timeout(N),
    /// Make every armed main timeout fire at the same instant, the earliest of them
    /// (`RaftScope`'s A: provokes split votes).
    AlignTimers,
    /// Space the armed main timeouts apart, in their current order, so the first one
    /// fires well before the others (`RaftScope`'s T: a clean election).
    SpreadTimers,
    /// Drop one message in flight.
    Drop(MsgId),
    /// Deliver one message in flight now.
    DeliverNow(MsgId),
    /// Duplicate one message in flight (the copy gets its own latency).
    Duplicate(MsgId),
    /// Hold one message in flight for `by` more.
    Delay(MsgId, Ticks),
    /// Hold one message in flight until after every other message now in flight to
    /// the same receiver, and one latency more, so newer messages overtake it.
    Reorder(MsgId),
    /// Cut a node's power: it crashes as with [`Fault::Crash`], but what it wrote and
    /// did not sync (the OS page cache) is lost too; it keeps only its last synced
    /// durable state, or nothing if it never synced. [`Fault::Restart`] brings it back.
    PowerLoss(N),
}

/// The kind of a [`Fault`], without its fields: the key of the one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
#[allow(missing_docs)] // each kind is documented by its Fault variant and its table row
pub enum FaultKind {
    Crash,
    Restart,
    Pause,
    Resume,
    Skew,
    Partition,
    Isolate,
    Link,
    SlowLink,
    Heal,
    DropRate,
    DuplicateRate,
    ReorderRate,
    Latency,
    Timeout,
    AlignTimers,
    SpreadTimers,
    Drop,
    DeliverNow,
    Duplicate,
    Delay,
    Reorder,
    PowerLoss,
}

/// One row of the fault table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultInfo {
    /// The kind.
    pub kind: FaultKind,
    /// Its step key in scenario files and its name in labels (`"slow_link"`).
    pub key: &'static str,
    /// The `chaos --faults` class it belongs to, if it breaks something.
    pub class: Option<FaultClass>,
    /// The JSON shape a scenario step gives it.
    pub shape: &'static str,
    /// What it does, in one sentence.
    pub summary: &'static str,
}

impl FaultKind {
    /// Every kind, in table order.
    pub const ALL: [FaultKind; 23] = [
        FaultKind::Crash,
        FaultKind::Restart,
        FaultKind::Pause,
        FaultKind::Resume,
        FaultKind::Skew,
        FaultKind::Partition,
        FaultKind::Isolate,
        FaultKind::Link,
        FaultKind::SlowLink,
        FaultKind::Heal,
        FaultKind::DropRate,
        FaultKind::DuplicateRate,
        FaultKind::ReorderRate,
        FaultKind::Latency,
        FaultKind::Timeout,
        FaultKind::AlignTimers,
        FaultKind::SpreadTimers,
        FaultKind::Drop,
        FaultKind::DeliverNow,
        FaultKind::Duplicate,
        FaultKind::Delay,
        FaultKind::Reorder,
        FaultKind::PowerLoss,
    ];

    /// The fault table, in [`FaultKind::ALL`] order.
    pub const INFO: [FaultInfo; 23] = [
        row(
            FaultKind::Crash,
            "crash",
            Some(FaultClass::Crash),
            "node",
            "Crash a node: volatile state is lost, durable state survives.",
        ),
        row(
            FaultKind::Restart,
            "restart",
            Some(FaultClass::Crash),
            "node",
            "Restart a crashed node from its durable state.",
        ),
        row(
            FaultKind::Pause,
            "pause",
            Some(FaultClass::Pause),
            "node",
            "Freeze a node: no timer fires and messages wait in its inbox; nothing is lost.",
        ),
        row(
            FaultKind::Resume,
            "resume",
            Some(FaultClass::Pause),
            "node",
            "Resume a paused node: overdue timers fire and its inbox is delivered.",
        ),
        row(
            FaultKind::Skew,
            "skew",
            Some(FaultClass::Skew),
            "{\"node\": node, \"factor\": 0.1..10}",
            "Make a node's timers run factor times as long (0.5 is twice as fast).",
        ),
        row(
            FaultKind::Partition,
            "partition",
            Some(FaultClass::Partition),
            "[[node, …], …]",
            "Split the network into groups that cannot talk to each other.",
        ),
        row(
            FaultKind::Isolate,
            "isolate",
            Some(FaultClass::Partition),
            "node",
            "Cut one node off from all others.",
        ),
        row(
            FaultKind::Link,
            "link",
            Some(FaultClass::Partition),
            "{\"a\": node, \"b\": node, \"up\": bool}",
            "Cut or restore the link between two nodes.",
        ),
        row(
            FaultKind::SlowLink,
            "slow_link",
            Some(FaultClass::Delay),
            "{\"a\": node, \"b\": node, \"extra_ms\": ms}",
            "Add latency to every message between two nodes (0 restores the link).",
        ),
        row(
            FaultKind::Heal,
            "heal",
            None,
            "true",
            "Remove every partition, cut link and slow link.",
        ),
        row(
            FaultKind::DropRate,
            "drop_rate",
            Some(FaultClass::Drop),
            "0..1",
            "Set the probability that a message is lost.",
        ),
        row(
            FaultKind::DuplicateRate,
            "duplicate_rate",
            Some(FaultClass::Duplicate),
            "0..1",
            "Set the probability that a message is delivered twice.",
        ),
        row(
            FaultKind::ReorderRate,
            "reorder_rate",
            Some(FaultClass::Reorder),
            "0..1",
            "Set the probability that a message is held back so newer ones overtake it.",
        ),
        row(
            FaultKind::Latency,
            "latency_ms",
            None,
            "[lo, hi]",
            "Set the one-way latency range in ms.",
        ),
        row(
            FaultKind::Timeout,
            "timeout",
            None,
            "node",
            "Force a node's main timeout now (an election timeout in Raft).",
        ),
        row(
            FaultKind::AlignTimers,
            "align_timers",
            None,
            "true",
            "Make every main timeout fire at once (RaftScope's A: split votes).",
        ),
        row(
            FaultKind::SpreadTimers,
            "spread_timers",
            None,
            "true",
            "Space the main timeouts apart (RaftScope's T: a clean election).",
        ),
        row(
            FaultKind::Drop,
            "drop",
            Some(FaultClass::Drop),
            "message id",
            "Drop one message in flight.",
        ),
        row(
            FaultKind::DeliverNow,
            "deliver_now",
            None,
            "message id",
            "Deliver one message in flight now.",
        ),
        row(
            FaultKind::Duplicate,
            "duplicate",
            Some(FaultClass::Duplicate),
            "message id",
            "Duplicate one message in flight.",
        ),
        row(
            FaultKind::Delay,
            "delay",
            Some(FaultClass::Delay),
            "{\"msg\": id, \"by_ms\": ms}",
            "Hold one message in flight for a while longer.",
        ),
        row(
            FaultKind::Reorder,
            "reorder",
            Some(FaultClass::Reorder),
            "message id",
            "Deliver one message after the newer ones in flight to its receiver.",
        ),
        row(
            FaultKind::PowerLoss,
            "power_loss",
            Some(FaultClass::Disk),
            "node",
            "Cut a node's power: it crashes and keeps only what it last synced to disk.",
        ),
    ];

    /// Its table row.
    pub fn info(self) -> &'static FaultInfo {
        &Self::INFO[self as usize]
    }

    /// Its scenario key.
    pub fn key(self) -> &'static str {
        self.info().key
    }

    /// The kind whose scenario key is `key`.
    pub fn from_key(key: &str) -> Option<FaultKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Every scenario key, comma-separated (for error messages).
    pub fn keys() -> String {
        let keys: Vec<&str> = Self::INFO.iter().map(|i| i.key).collect();
        keys.join(", ")
    }
}

#[allow(clippy::too_many_arguments)]
const fn row(
    kind: FaultKind,
    key: &'static str,
    class: Option<FaultClass>,
    shape: &'static str,
    summary: &'static str,
) -> FaultInfo {
    FaultInfo {
        kind,
        key,
        class,
        shape,
        summary,
    }
}

/// A class of faults, as `chaos --faults` and the page name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum FaultClass {
    /// Crashes and restarts.
    Crash,
    /// Partitions, isolated nodes and cut links.
    Partition,
    /// Lost messages.
    Drop,
    /// Duplicated messages.
    Duplicate,
    /// Latency spikes on links and held messages, seconds long: past an election.
    Delay,
    /// Messages held back so that newer ones overtake them.
    Reorder,
    /// Frozen nodes, resumed later with their state intact.
    Pause,
    /// Clocks that run fast or slow.
    Skew,
    /// Power losses: a crash that also loses what was written but not synced.
    Disk,
}

impl FaultClass {
    /// Every class, in table order.
    pub const ALL: [FaultClass; 9] = [
        FaultClass::Crash,
        FaultClass::Partition,
        FaultClass::Drop,
        FaultClass::Duplicate,
        FaultClass::Delay,
        FaultClass::Reorder,
        FaultClass::Pause,
        FaultClass::Skew,
        FaultClass::Disk,
    ];
    /// Their names, in [`FaultClass::ALL`] order.
    pub const NAMES: [&'static str; 9] = [
        "crash",
        "partition",
        "drop",
        "duplicate",
        "delay",
        "reorder",
        "pause",
        "skew",
        "disk",
    ];

    /// The class's name.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The class called `name`.
    pub fn from_name(name: &str) -> Option<FaultClass> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl<N> Fault<N> {
    /// Its kind.
    pub fn kind(&self) -> FaultKind {
        match self {
            Fault::Crash(_) => FaultKind::Crash,
            Fault::Restart(_) => FaultKind::Restart,
            Fault::Pause(_) => FaultKind::Pause,
            Fault::Resume(_) => FaultKind::Resume,
            Fault::Skew(..) => FaultKind::Skew,
            Fault::Partition(_) => FaultKind::Partition,
            Fault::Isolate(_) => FaultKind::Isolate,
            Fault::Link(..) => FaultKind::Link,
            Fault::SlowLink(..) => FaultKind::SlowLink,
            Fault::Heal => FaultKind::Heal,
            Fault::DropRate(_) => FaultKind::DropRate,
            Fault::DuplicateRate(_) => FaultKind::DuplicateRate,
            Fault::ReorderRate(_) => FaultKind::ReorderRate,
            Fault::Latency(..) => FaultKind::Latency,
            Fault::Timeout(_) => FaultKind::Timeout,
            Fault::AlignTimers => FaultKind::AlignTimers,
            Fault::SpreadTimers => FaultKind::SpreadTimers,
            Fault::Drop(_) => FaultKind::Drop,
            Fault::DeliverNow(_) => FaultKind::DeliverNow,
            Fault::Duplicate(_) => FaultKind::Duplicate,
            Fault::Delay(..) => FaultKind::Delay,
            Fault::Reorder(_) => FaultKind::Reorder,
            Fault::PowerLoss(_) => FaultKind::PowerLoss,
        }
    }

    /// Its short label (the scenario key).
    pub fn label(&self) -> &'static str {
        self.kind().key()
    }

    /// True for faults that break something (used to know when faults "heal").
    pub fn is_fault(&self) -> bool {
        match self {
            Fault::Crash(_)
            | Fault::PowerLoss(_)
            | Fault::Pause(_)
            | Fault::Partition(_)
            | Fault::Isolate(_)
            | Fault::Link(_, _, false) => true,
            Fault::SlowLink(_, _, extra) => extra.0 > 0,
            Fault::Skew(_, f) => (*f - 1.0).abs() > f64::EPSILON,
            Fault::DropRate(p) | Fault::DuplicateRate(p) | Fault::ReorderRate(p) => *p > 0.0,
            _ => false,
        }
    }

    /// The same fault with its nodes renamed by `f`, or the first error `f` returns
    /// (with the field it came from, e.g. `"partition[1][0]"`).
    ///
    /// # Errors
    /// The first node `f` cannot resolve.
    pub fn try_map<M, E>(
        &self,
        mut f: impl FnMut(&str, &N) -> Result<M, E>,
    ) -> Result<Fault<M>, E> {
        Ok(match self {
            Fault::Crash(n) => Fault::Crash(f("", n)?),
            Fault::Restart(n) => Fault::Restart(f("", n)?),
            Fault::Pause(n) => Fault::Pause(f("", n)?),
            Fault::Resume(n) => Fault::Resume(f("", n)?),
            Fault::Skew(n, x) => Fault::Skew(f("node", n)?, *x),
            Fault::Partition(groups) => {
                let mut out = Vec::with_capacity(groups.len());
                for (gi, g) in groups.iter().enumerate() {
                    let mut group = Vec::with_capacity(g.len());
                    for (mi, m) in g.iter().enumerate() {
                        group.push(f(&format!("[{gi}][{mi}]"), m)?);
                    }
                    out.push(group);
                }
                Fault::Partition(out)
            }
            Fault::Isolate(n) => Fault::Isolate(f("", n)?),
            Fault::Link(a, b, up) => Fault::Link(f("a", a)?, f("b", b)?, *up),
            Fault::SlowLink(a, b, t) => Fault::SlowLink(f("a", a)?, f("b", b)?, *t),
            Fault::Timeout(n) => Fault::Timeout(f("", n)?),
            Fault::Heal => Fault::Heal,
            Fault::DropRate(p) => Fault::DropRate(*p),
            Fault::DuplicateRate(p) => Fault::DuplicateRate(*p),
            Fault::ReorderRate(p) => Fault::ReorderRate(*p),
            Fault::Latency(lo, hi) => Fault::Latency(*lo, *hi),
            Fault::AlignTimers => Fault::AlignTimers,
            Fault::SpreadTimers => Fault::SpreadTimers,
            Fault::Drop(m) => Fault::Drop(*m),
            Fault::DeliverNow(m) => Fault::DeliverNow(*m),
            Fault::Duplicate(m) => Fault::Duplicate(*m),
            Fault::Delay(m, t) => Fault::Delay(*m, *t),
            Fault::Reorder(m) => Fault::Reorder(*m),
            Fault::PowerLoss(n) => Fault::PowerLoss(f("", n)?),
        })
    }

    /// The same fault with its nodes renamed by `f`.
    pub fn map<M>(&self, mut f: impl FnMut(&N) -> M) -> Fault<M> {
        match self.try_map(|_, n| Ok::<M, std::convert::Infallible>(f(n))) {
            Ok(fault) => fault,
            Err(never) => match never {},
        }
    }
}

impl Fault<String> {
    /// Parse the step whose key is `key` and value `v` (a scenario step minus `at_ms`).
    /// Returns `Ok(None)` when `key` is not a fault kind. Errors name the field under
    /// the key (`"extra_ms"`, `"[1][0]"`) and the valid range.
    ///
    /// # Errors
    /// A malformed value for a fault kind.
    pub fn from_json(key: &str, v: &Value) -> Result<Option<Fault<String>>, ScenarioError> {
        let Some(kind) = FaultKind::from_key(key) else {
            return Ok(None);
        };
        let node = |v: &Value| node_name(v);
        Ok(Some(match kind {
            FaultKind::Crash => Fault::Crash(node(v)?),
            FaultKind::PowerLoss => Fault::PowerLoss(node(v)?),
            FaultKind::Restart => Fault::Restart(node(v)?),
            FaultKind::Pause => Fault::Pause(node(v)?),
            FaultKind::Resume => Fault::Resume(node(v)?),
            FaultKind::Isolate => Fault::Isolate(node(v)?),
            FaultKind::Timeout => Fault::Timeout(node(v)?),
            FaultKind::Heal | FaultKind::AlignTimers | FaultKind::SpreadTimers => {
                if v != &Value::Bool(true) {
                    return Err(ScenarioError::new("", format!("must be true, got {v}")));
                }
                match kind {
                    FaultKind::Heal => Fault::Heal,
                    FaultKind::AlignTimers => Fault::AlignTimers,
                    _ => Fault::SpreadTimers,
                }
            }
            FaultKind::Skew => {
                let o = object(v, kind)?;
                let n = node(field(o, "node")).map_err(|e| e.under("node"))?;
                let factor = match field(o, "factor").as_f64() {
                    Some(x) if (SKEW_RANGE.0..=SKEW_RANGE.1).contains(&x) => x,
                    _ => {
                        // The range is spelt out, not formatted from SKEW_RANGE: a
                        // float's Display would link core's float printer into the page.
                        return Err(ScenarioError::new(
                            "factor",
                            format!(
                                "must be a number from 0.1 to 10, got {}",
                                field(o, "factor")
                            ),
                        ));
                    }
                };
                Fault::Skew(n, factor)
            }
            FaultKind::Partition => {
                let groups = v.as_array().ok_or_else(|| {
                    ScenarioError::new(
                        "",
                        "must be an array of node groups, e.g. [[\"1\",\"2\"],[\"3\",\"4\",\"5\"]]",
                    )
                })?;
                if groups.is_empty() {
                    return Err(ScenarioError::new("", "needs at least one group"));
                }
                let mut out = Vec::new();
                for (gi, g) in groups.iter().enumerate() {
                    let members = g.as_array().ok_or_else(|| {
                        ScenarioError::new(format!("[{gi}]"), "must be an array of node names")
                    })?;
                    let mut group = Vec::new();
                    for (mi, m) in members.iter().enumerate() {
                        group.push(
                            node(m).map_err(|e| {
                                ScenarioError::new(format!("[{gi}][{mi}]"), e.message)
                            })?,
                        );
                    }
                    out.push(group);
                }
                Fault::Partition(out)
            }
            FaultKind::Link => {
                let o = object(v, kind)?;
                let a = node(field(o, "a")).map_err(|e| e.under("a"))?;
                let b = node(field(o, "b")).map_err(|e| e.under("b"))?;
                let up = o
                    .get("up")
                    .and_then(Value::as_bool)
                    .ok_or_else(|| ScenarioError::new("up", "must be true or false"))?;
                Fault::Link(a, b, up)
            }
            FaultKind::SlowLink => {
                let o = object(v, kind)?;
                let a = node(field(o, "a")).map_err(|e| e.under("a"))?;
                let b = node(field(o, "b")).map_err(|e| e.under("b"))?;
                let extra = hold_ms(field(o, "extra_ms"), true).map_err(|e| e.under("extra_ms"))?;
                Fault::SlowLink(a, b, Ticks(extra))
            }
            FaultKind::DropRate => Fault::DropRate(rate(v)?),
            FaultKind::DuplicateRate => Fault::DuplicateRate(rate(v)?),
            FaultKind::ReorderRate => Fault::ReorderRate(rate(v)?),
            FaultKind::Latency => {
                let pair = v.as_array().filter(|a| a.len() == 2).ok_or_else(|| {
                    ScenarioError::new("", format!("must be [lo, hi] in ms, got {v}"))
                })?;
                let lo = latency_ms(&pair[0]).map_err(|e| e.under("[0]"))?;
                let hi = latency_ms(&pair[1]).map_err(|e| e.under("[1]"))?;
                if hi < lo {
                    return Err(ScenarioError::new(
                        "",
                        format!("hi ({hi}) is below lo ({lo})"),
                    ));
                }
                Fault::Latency(Ticks(lo), Ticks(hi))
            }
            FaultKind::Drop => Fault::Drop(msg_id(v)?),
            FaultKind::DeliverNow => Fault::DeliverNow(msg_id(v)?),
            FaultKind::Duplicate => Fault::Duplicate(msg_id(v)?),
            FaultKind::Reorder => Fault::Reorder(msg_id(v)?),
            FaultKind::Delay => {
                let o = object(v, kind)?;
                let m = msg_id(field(o, "msg")).map_err(|e| e.under("msg"))?;
                let by = hold_ms(field(o, "by_ms"), false).map_err(|e| e.under("by_ms"))?;
                Fault::Delay(m, Ticks(by))
            }
        }))
    }

    /// The fault as a scenario step's key and value (the inverse of [`Fault::from_json`]).
    pub fn to_json(&self) -> (&'static str, Value) {
        let s = |n: &String| Value::from(n.as_str());
        let value = match self {
            Fault::Crash(n)
            | Fault::PowerLoss(n)
            | Fault::Restart(n)
            | Fault::Pause(n)
            | Fault::Resume(n)
            | Fault::Isolate(n)
            | Fault::Timeout(n) => s(n),
            Fault::Skew(n, x) => obj([("node", s(n)), ("factor", Value::from(*x))]),
            Fault::Partition(groups) => Value::Array(
                groups
                    .iter()
                    .map(|g| Value::Array(g.iter().map(s).collect()))
                    .collect(),
            ),
            Fault::Link(a, b, up) => obj([("a", s(a)), ("b", s(b)), ("up", Value::Bool(*up))]),
            Fault::SlowLink(a, b, t) => {
                obj([("a", s(a)), ("b", s(b)), ("extra_ms", Value::from(t.0))])
            }
            Fault::Heal | Fault::AlignTimers | Fault::SpreadTimers => Value::Bool(true),
            Fault::DropRate(p) | Fault::DuplicateRate(p) | Fault::ReorderRate(p) => Value::from(*p),
            Fault::Latency(lo, hi) => Value::from(vec![lo.0, hi.0]),
            Fault::Drop(m) | Fault::DeliverNow(m) | Fault::Duplicate(m) | Fault::Reorder(m) => {
                Value::from(m.0)
            }
            Fault::Delay(m, t) => obj([("msg", Value::from(m.0)), ("by_ms", Value::from(t.0))]),
        };
        (self.label(), value)
    }
}

fn object(v: &Value, kind: FaultKind) -> Result<&Map<String, Value>, ScenarioError> {
    v.as_object()
        .ok_or_else(|| ScenarioError::new("", format!("must be {}", kind.info().shape)))
}

fn field<'a>(o: &'a Map<String, Value>, key: &str) -> &'a Value {
    o.get(key).unwrap_or(&Value::Null)
}

/// A JSON object of `fields`, built by hand (see `scenario::object`).
fn obj<const N: usize>(fields: [(&str, Value); N]) -> Value {
    let mut o = Map::new();
    for (k, v) in fields {
        o.insert(k.to_owned(), v);
    }
    Value::Object(o)
}

fn rate(v: &Value) -> Result<f64, ScenarioError> {
    match v.as_f64() {
        Some(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(ScenarioError::new(
            "",
            format!("must be a probability between 0 and 1, got {v}"),
        )),
    }
}

fn msg_id(v: &Value) -> Result<MsgId, ScenarioError> {
    v.as_u64().map(MsgId).ok_or_else(|| {
        ScenarioError::new(
            "",
            format!("must be a message id (non-negative integer), got {v}"),
        )
    })
}

/// A latency bound in ms: at least 1, at most [`crate::explore::FROZEN_LATENCY_MS`]
/// (the explorer's counterexamples freeze the bus with that latency, so that only
/// their explicit deliveries move messages).
fn latency_ms(v: &Value) -> Result<u64, ScenarioError> {
    let max = crate::explore::FROZEN_LATENCY_MS;
    match v.as_u64() {
        Some(t) if (1..=max).contains(&t) => Ok(t),
        _ => Err(ScenarioError::new(
            "",
            format!("must be an integer number of ms from 1 to {max}, got {v}"),
        )),
    }
}

/// A duration in ms, at most [`MAX_HOLD_MS`]; zero only where `zero_ok`.
fn hold_ms(v: &Value, zero_ok: bool) -> Result<u64, ScenarioError> {
    let lo = u64::from(!zero_ok);
    match v.as_u64() {
        Some(t) if (lo..=MAX_HOLD_MS).contains(&t) => Ok(t),
        _ => Err(ScenarioError::new(
            "",
            format!("must be an integer number of ms from {lo} to {MAX_HOLD_MS}, got {v}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_kind_order_and_keys_are_unique() {
        for (i, info) in FaultKind::INFO.iter().enumerate() {
            assert_eq!(info.kind as usize, i, "{}", info.key);
            assert_eq!(FaultKind::from_key(info.key), Some(info.kind));
        }
        for (i, c) in FaultClass::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
            assert_eq!(FaultClass::from_name(c.name()), Some(*c));
        }
    }

    #[test]
    fn every_kind_round_trips_through_json() {
        let n = || "3".to_owned();
        let faults: Vec<Fault<String>> = vec![
            Fault::Crash(n()),
            Fault::Restart(n()),
            Fault::Pause(n()),
            Fault::Resume(n()),
            Fault::Skew(n(), 0.5),
            Fault::Partition(vec![vec![n()], vec!["1".into(), "2".into()]]),
            Fault::Isolate(n()),
            Fault::Link(n(), "1".into(), false),
            Fault::SlowLink(n(), "1".into(), Ticks(4000)),
            Fault::Heal,
            Fault::DropRate(0.25),
            Fault::DuplicateRate(0.5),
            Fault::ReorderRate(0.1),
            Fault::Latency(Ticks(5), Ticks(80)),
            Fault::Timeout(n()),
            Fault::AlignTimers,
            Fault::SpreadTimers,
            Fault::Drop(MsgId(4)),
            Fault::DeliverNow(MsgId(4)),
            Fault::Duplicate(MsgId(4)),
            Fault::Delay(MsgId(4), Ticks(3000)),
            Fault::Reorder(MsgId(4)),
            Fault::PowerLoss(n()),
        ];
        assert_eq!(faults.len(), FaultKind::ALL.len());
        for f in faults {
            let (key, value) = f.to_json();
            assert_eq!(Fault::from_json(key, &value), Ok(Some(f)), "{key}");
        }
    }

    #[test]
    fn bad_values_name_the_field_and_the_range() {
        let err =
            |key: &str, v: Value| Fault::from_json(key, &v).expect_err("rejected").to_string();
        assert_eq!(
            err("skew", serde_json::json!({"node": "1", "factor": 0})),
            "factor: must be a number from 0.1 to 10, got 0"
        );
        assert_eq!(
            err("delay", serde_json::json!({"msg": 3, "by_ms": -5})),
            "by_ms: must be an integer number of ms from 1 to 3600000, got -5"
        );
        assert_eq!(
            err(
                "slow_link",
                serde_json::json!({"a": "1", "b": "2", "extra_ms": 1e12})
            ),
            "extra_ms: must be an integer number of ms from 0 to 3600000, got 1000000000000.0"
        );
        assert_eq!(
            err("reorder_rate", serde_json::json!(2)),
            "must be a probability between 0 and 1, got 2"
        );
        assert_eq!(Fault::from_json("client", &Value::Null), Ok(None));
    }
}
