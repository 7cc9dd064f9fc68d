//! Guided tours (`faultlab-tour/1`): a scenario plus an ordered list of *stops*, each a
//! caption pinned to one event of the run. A tour is data: a JSON file in
//! `crates/sim/tours/`, listed in [`catalog`]. The page fetches a tour's file when the
//! user opens it and walks the stops with Next/Previous; the tests walk them natively
//! and check what the captions claim.
//!
//! ```json
//! { "format": "faultlab-tour/1", "title": "Raft: leader election", "protocol": "raft",
//!   "summary": "…", "scenario": "figure8",
//!   "stops": [
//!     { "title": "Node 3 times out", "caption": "… (Raft §5.2)",
//!       "at": {"note": "became_candidate", "node": "3"}, "event": 57,
//!       "highlight": {"nodes": ["3"], "rpc": "RequestVote"},
//!       "expect": {"nodes": {"3": {"role": "candidate", "term": 1}}} } ] }
//! ```
//!
//! - `scenario` is a named scenario of the protocol (`crates/sim/scenarios/<protocol>/`)
//!   or an inline `faultlab-scenario/1` object.
//! - `at` is an [`anchor::Anchor`]: a predicate over the trace that resolves to exactly
//!   one world step (event number), searched strictly after the previous stop's event.
//!   It is what the author writes: it says *what happened*, so it survives engine
//!   changes that renumber events.
//! - `event` is the event number `at` resolves to, stored so that the page can seek
//!   straight to it without the anchor machinery. It is derived data: [`verify`]
//!   refuses a stored number that differs from what `at` resolves to and names the
//!   right one, and the shipped tours' test requires it on every stop (a new stop is
//!   written without it; `cargo test -p faultlab-sim --test tours` prints the numbers to
//!   paste in).
//! - `expect` ([`expect::Expect`]) is what the caption claims about the world at that
//!   event; [`verify`] checks it, so a tour that drifts from the engine fails a test.
//! - `violation` (optional) names the invariant the tour ends on: its last stop must be
//!   `{"violation": <it>}`.
//!
//! Two readings of one file: [`Tour`] is the whole of it (anchors and claims, for the
//! tests and native tools); [`PinnedTour`] is what the page needs to show it (captions,
//! highlights and the stored events), and skips `at` and `expect`, so the page links
//! neither the anchor grammar nor the walk.
//!
//! This module owns the format, its parsing and the walk that resolves stops. It must
//! not render anything (captions are plain text the page shows as is) and must not
//! change how a scenario runs: a tour only reads the run its scenario makes.

pub mod anchor;
pub mod catalog;
pub mod expect;
mod pattern;
mod pinned;
mod walk;

use serde_json::{Map, Value};

use crate::scenario::{Scenario, ScenarioError};

pub use anchor::Anchor;
pub use expect::Expect;
pub use pinned::{PinnedStop, PinnedTour};
pub use walk::{ResolvedStop, resolve, verify};

/// The format tag every tour file carries.
pub const FORMAT: &str = "faultlab-tour/1";

const TOP_KEYS: &[&str] = &[
    "format",
    "title",
    "protocol",
    "summary",
    "scenario",
    "source",
    "violation",
    "stops",
];
const STOP_KEYS: &[&str] = &["title", "caption", "at", "event", "highlight", "expect"];

/// A parsed tour.
#[derive(Clone, Debug, PartialEq)]
pub struct Tour {
    /// The tour's id (its file name without `.json`).
    pub name: String,
    /// The title shown in the tour menu and on the card.
    pub title: String,
    /// `"raft"` or `"2pc"`.
    pub protocol: String,
    /// One or two sentences for the tour menu.
    pub summary: String,
    /// The run the tour narrates.
    pub scenario: Scenario,
    /// The named scenario it uses, if it references one.
    pub scenario_name: Option<String>,
    /// Where the scenario came from, if not hand-written (the explorer command).
    pub source: Option<String>,
    /// The invariant whose first violation is the last stop, if any.
    pub violation: Option<String>,
    /// The stops, in order.
    pub stops: Vec<Stop>,
}

/// One stop: a caption pinned to an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Stop {
    /// A short heading (a few words).
    pub title: Option<String>,
    /// A few sentences in the papers' vocabulary.
    pub caption: String,
    /// Which event the caption is about.
    pub at: Anchor,
    /// The event number `at` resolves to, as stored in the file (derived data that
    /// [`verify`] checks; the page seeks to it).
    pub event: Option<u64>,
    /// What the page should point at.
    pub highlight: Highlight,
    /// What the caption claims about the world at that event.
    pub expect: Option<Expect>,
}

/// What a stop points at on the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    /// Nodes, by display name.
    pub nodes: Vec<String>,
    /// An RPC name: messages of that RPC in flight are emphasised.
    pub rpc: Option<String>,
}

impl Tour {
    /// Parse a tour file called `name` (its id) from JSON text.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the offending field (`stops[2].at.node`), including
    /// the referenced scenario's own errors under `scenario`.
    pub fn parse(name: &str, text: &str) -> Result<Tour, ScenarioError> {
        Self::from_value(name, &crate::scenario::parse_json(text)?)
    }

    /// Parse a tour from a JSON value.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the offending field.
    pub fn from_value(name: &str, value: &Value) -> Result<Tour, ScenarioError> {
        let (head, items) = parse_head(value, None)?;
        let stops = items
            .iter()
            .enumerate()
            .map(|(i, s)| parse_stop(s, i == 0).map_err(|e| e.under(&format!("stops[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(inv) = &head.violation {
            let last = stops.len() - 1;
            if stops[last].at.violation() != Some(inv.as_str()) {
                return Err(ScenarioError::new(
                    format!("stops[{last}].at"),
                    format!(
                        "the tour ends on a violation of {inv}, so its last stop must be \
                         {{\"violation\": \"{inv}\"}}"
                    ),
                ));
            }
        }
        Ok(Tour {
            name: name.to_owned(),
            title: head.title,
            protocol: head.protocol,
            summary: head.summary,
            scenario: head.scenario,
            scenario_name: head.scenario_name,
            source: head.source,
            violation: head.violation,
            stops,
        })
    }

    /// The scenario as a JSON value, titled for the lab (the tour's title unless the
    /// scenario is a named one with its own).
    pub fn scenario_value(&self) -> Value {
        titled_scenario(&self.scenario, &self.title)
    }

    /// Every node name the tour mentions, with the field that mentions it.
    fn node_refs(&self) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        for (i, stop) in self.stops.iter().enumerate() {
            for (field, name) in stop.at.node_refs() {
                out.push((format!("stops[{i}].at.{field}"), name));
            }
            for (j, name) in stop.highlight.nodes.iter().enumerate() {
                out.push((format!("stops[{i}].highlight.nodes[{j}]"), name.as_str()));
            }
            if let Some(x) = &stop.expect {
                for name in x.nodes.keys() {
                    out.push((format!("stops[{i}].expect.nodes"), name.as_str()));
                }
            }
        }
        out
    }
}

/// What both readings of a tour file share: everything but the stops.
struct Head {
    title: String,
    protocol: String,
    summary: String,
    scenario: Scenario,
    scenario_name: Option<String>,
    source: Option<String>,
    violation: Option<String>,
}

/// Parse everything but the stops, and hand back the (non-empty) stop list. A named
/// scenario is read from `named` (its text, fetched by the caller) when given, else
/// from the compiled-in files ([`crate::scenario::catalog::text`]).
fn parse_head<'v>(
    value: &'v Value,
    named: Option<&str>,
) -> Result<(Head, &'v Vec<Value>), ScenarioError> {
    let obj = value
        .as_object()
        .ok_or_else(|| ScenarioError::new("", "a tour must be a JSON object"))?;
    check_keys(obj, TOP_KEYS)?;
    match obj.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(f) => {
            return Err(ScenarioError::new(
                "format",
                format!("unsupported format \"{f}\" (expected \"{FORMAT}\")"),
            ));
        }
        None => {
            return Err(ScenarioError::new(
                "format",
                format!("missing (expected \"{FORMAT}\")"),
            ));
        }
    }
    let title = text_field(obj, "title")?;
    let protocol = text_field(obj, "protocol")?;
    let summary = text_field(obj, "summary")?;
    let source = optional_text(obj, "source")?;
    let violation = optional_text(obj, "violation")?;
    let (scenario, scenario_name) = match obj.get("scenario") {
        Some(Value::String(n)) => {
            let text = named
                .or_else(|| crate::scenario::catalog::text(&protocol, n))
                .ok_or_else(|| {
                    ScenarioError::new(
                        "scenario",
                        format!("no {protocol} scenario is called \"{n}\""),
                    )
                })?;
            let sc = Scenario::parse(text).map_err(|e| e.under("scenario"))?;
            (sc, Some(n.clone()))
        }
        Some(v @ Value::Object(_)) => {
            let sc = Scenario::from_value(v).map_err(|e| e.under("scenario"))?;
            (sc, None)
        }
        Some(_) => {
            return Err(ScenarioError::new(
                "scenario",
                "must be a scenario name or an inline faultlab-scenario/1 object",
            ));
        }
        None => {
            return Err(ScenarioError::new(
                "scenario",
                "missing (a scenario name or an inline object)",
            ));
        }
    };
    if scenario.protocol != protocol {
        return Err(ScenarioError::new(
            "scenario.protocol",
            format!(
                "the scenario is a {} scenario but the tour is about {protocol}",
                scenario.protocol
            ),
        ));
    }
    let items = match obj.get("stops") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) => return Err(ScenarioError::new("stops", "a tour needs stops")),
        _ => return Err(ScenarioError::new("stops", "missing or not an array")),
    };
    let head = Head {
        title,
        protocol,
        summary,
        scenario,
        scenario_name,
        source,
        violation,
    };
    Ok((head, items))
}

/// The tour's scenario as a JSON value, titled for the lab (the tour's title unless the
/// scenario is a named one with its own).
fn titled_scenario(scenario: &Scenario, title: &str) -> Value {
    let mut v = scenario.to_value();
    if let Value::Object(o) = &mut v
        && !o.contains_key("title")
    {
        o.insert("title".into(), Value::String(title.to_owned()));
    }
    v
}

/// A stop's stored event number, if it has one.
fn stored_event(obj: &Map<String, Value>) -> Result<Option<u64>, ScenarioError> {
    match obj.get("event") {
        None => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            ScenarioError::new("event", "must be an event number (a whole number ≥ 0)")
        }),
    }
}

fn parse_stop(value: &Value, first: bool) -> Result<Stop, ScenarioError> {
    let obj = value
        .as_object()
        .ok_or_else(|| ScenarioError::new("", "a stop must be an object"))?;
    check_keys(obj, STOP_KEYS)?;
    let caption = text_field(obj, "caption")?;
    let title = optional_text(obj, "title")?;
    let at = Anchor::from_value(
        obj.get("at")
            .ok_or_else(|| ScenarioError::new("at", "missing (which event is this stop?)"))?,
    )
    .map_err(|e| e.under("at"))?;
    let event = stored_event(obj)?;
    if at.is_start() && !first {
        return Err(ScenarioError::new(
            "at.start",
            "only the first stop can be the start of the run",
        ));
    }
    let highlight = match obj.get("highlight") {
        None => Highlight::default(),
        Some(v) => parse_highlight(v).map_err(|e| e.under("highlight"))?,
    };
    let expect = match obj.get("expect") {
        None => None,
        Some(v) => Some(Expect::from_value(v).map_err(|e| e.under("expect"))?),
    };
    Ok(Stop {
        title,
        caption,
        at,
        event,
        highlight,
        expect,
    })
}

fn parse_highlight(value: &Value) -> Result<Highlight, ScenarioError> {
    let obj = value.as_object().ok_or_else(|| {
        ScenarioError::new("", "must be {\"nodes\": [names], \"rpc\": \"RPC name\"}")
    })?;
    check_keys(obj, &["nodes", "rpc"])?;
    let nodes = crate::scenario::string_list(
        obj,
        "nodes",
        "must be a node name",
        "must be an array of node names",
    )?;
    let rpc = optional_text(obj, "rpc")?;
    Ok(Highlight { nodes, rpc })
}

/// Refuse keys outside `allowed` (a typo must not silently drop a claim).
pub(crate) fn check_keys(obj: &Map<String, Value>, allowed: &[&str]) -> Result<(), ScenarioError> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(ScenarioError::new(
            k.clone(),
            format!("unknown field (expected one of: {})", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn text_field(obj: &Map<String, Value>, key: &str) -> Result<String, ScenarioError> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(_) => Err(ScenarioError::new(key, "must be a non-empty string")),
        None => Err(ScenarioError::new(key, "missing")),
    }
}

fn optional_text(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, ScenarioError> {
    match obj.get(key) {
        None => Ok(None),
        Some(_) => text_field(obj, key).map(Some),
    }
}
