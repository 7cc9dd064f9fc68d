//! Anchors: what pins a tour stop to one event of the run. An anchor is a predicate
//! over one world step (its trace events, its time, the violations it recorded); the
//! walk ([`super::walk`]) takes the `nth` step that satisfies it after the previous
//! stop, so a stop names *what happened* ("the first delivery of `GlobalCommit` to
//! grpc-node2") rather than an event number that drifts whenever the engine changes.
//!
//! | `at` object | matches a step that… |
//! |---|---|
//! | `{"start": true}` | is the boot (event 0; first stop only) |
//! | `{"at_ms": T}` | happens at or after `T` ms |
//! | `{"sent"\|"delivered": RPC, "from"?, "to"?, "reply"?, "fields"?}` | sends / delivers a message of that RPC |
//! | `{"dropped": RPC, "from"?, "to"?}` | drops one |
//! | `{"note": TAG, "node"?, "fields"?}` | records a protocol note (`became_leader`, `Participant`, `Blocked`…) |
//! | `{"timer": TAG, "node"?}` | fires a timer (`election`, `ReadyTimeout`…) |
//! | `{"request": OP, "node"?}` | delivers a client request (`add`, `delete2pc`…) |
//! | `{"crashed": NODE}` / `{"restarted": NODE}` | crashes / restarts that node |
//! | `{"input": TAG}` | applies an input (`partition`, `heal`, `latency`…) |
//! | `{"violation": INVARIANT}` | is where that invariant first broke |
//!
//! Every anchor may add `"after_ms"` (ignore steps before that time) and, except
//! `start` and `violation`, `"nth"` (the nth matching step, default 1). Tags compare
//! without regard to case or underscores; `fields` is a JSON subset of the payload or
//! note as the trace serialises it (see [`super::pattern`]).
//!
//! It owns the grammar and the matching; it must not step a world.

use serde_json::{Map, Value};

use crate::id::NodeId;
use crate::protocol::Message;
use crate::scenario::{ScenarioError, ScenarioProtocol, node_name};
use crate::trace::{EventKind, TraceEvent};
use crate::world::World;

use super::check_keys;
use super::pattern::{is_variant, subset, variant};

const KINDS: &[&str] = &[
    "start",
    "at_ms",
    "sent",
    "delivered",
    "dropped",
    "note",
    "timer",
    "request",
    "crashed",
    "restarted",
    "input",
    "violation",
];

/// A stop's anchor.
#[derive(Clone, Debug, PartialEq)]
pub struct Anchor {
    /// What the step must contain.
    pub what: Match,
    /// Only steps at or after this time (ms).
    pub after_ms: Option<u64>,
    /// Which matching step (1 = the first after the previous stop).
    pub nth: u32,
}

/// Which way a message event went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageEvent {
    /// It left its sender.
    Sent,
    /// It arrived and was handled.
    Delivered,
    /// It died.
    Dropped,
}

/// What a step must contain (node names as the page shows them).
#[derive(Clone, Debug, PartialEq)]
pub enum Match {
    /// The boot, event 0.
    Start,
    /// Any step at or after this time (ms).
    AtMs(u64),
    /// A message event.
    Message {
        /// Sent, delivered or dropped.
        event: MessageEvent,
        /// The RPC name (`Message::rpc`).
        rpc: String,
        /// The sender.
        from: Option<String>,
        /// The receiver.
        to: Option<String>,
        /// Requests only (`false`) or replies only (`true`).
        reply: Option<bool>,
        /// A JSON subset of the payload.
        fields: Option<Value>,
    },
    /// A protocol note.
    Note {
        /// The note's variant tag.
        tag: String,
        /// On this node.
        node: Option<String>,
        /// A JSON subset of the note's contents.
        fields: Option<Value>,
    },
    /// A timer firing.
    Timer {
        /// The timer's variant tag.
        tag: String,
        /// On this node.
        node: Option<String>,
    },
    /// A client request reaching a node.
    Request {
        /// The scenario `op` name.
        op: String,
        /// At this node.
        node: Option<String>,
    },
    /// A crash.
    Crashed(String),
    /// A restart.
    Restarted(String),
    /// An input being applied.
    Input(String),
    /// The first violation of an invariant.
    Violation(String),
}

impl Anchor {
    /// Parse an `at` object.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the offending field.
    pub fn from_value(value: &Value) -> Result<Anchor, ScenarioError> {
        let obj = value.as_object().ok_or_else(|| {
            ScenarioError::new(
                "",
                format!("must be an object with one of: {}", KINDS.join(", ")),
            )
        })?;
        let mut kinds = obj.keys().filter(|k| KINDS.contains(&k.as_str()));
        let kind = kinds
            .next()
            .ok_or_else(|| ScenarioError::new("", format!("needs one of: {}", KINDS.join(", "))))?;
        if let Some(second) = kinds.next() {
            return Err(ScenarioError::new(
                second.clone(),
                format!("an anchor has one kind, but this one also has \"{kind}\""),
            ));
        }
        let extra: &[&str] = match kind.as_str() {
            "sent" | "delivered" => &["from", "to", "reply", "fields"],
            "dropped" => &["from", "to"],
            "note" => &["node", "fields"],
            "timer" | "request" => &["node"],
            _ => &[],
        };
        let countable = !matches!(kind.as_str(), "start" | "violation");
        let mut allowed = vec![kind.as_str(), "after_ms"];
        if countable {
            allowed.push("nth");
        }
        allowed.extend_from_slice(extra);
        check_keys(obj, &allowed)?;
        let v = &obj[kind.as_str()];
        let text = || text_of(v).map_err(|e| e.under(kind));
        let what = match kind.as_str() {
            "start" => match v {
                Value::Bool(true) => Match::Start,
                _ => return Err(ScenarioError::new("start", "must be true")),
            },
            "at_ms" => Match::AtMs(
                v.as_u64()
                    .ok_or_else(|| ScenarioError::new("at_ms", "must be a time in ms"))?,
            ),
            "sent" | "delivered" | "dropped" => Match::Message {
                event: match kind.as_str() {
                    "sent" => MessageEvent::Sent,
                    "delivered" => MessageEvent::Delivered,
                    _ => MessageEvent::Dropped,
                },
                rpc: text()?,
                from: optional_name(obj, "from")?,
                to: optional_name(obj, "to")?,
                reply: match obj.get("reply") {
                    None => None,
                    Some(Value::Bool(b)) => Some(*b),
                    Some(_) => return Err(ScenarioError::new("reply", "must be true or false")),
                },
                fields: obj.get("fields").cloned(),
            },
            "note" => Match::Note {
                tag: text()?,
                node: optional_name(obj, "node")?,
                fields: obj.get("fields").cloned(),
            },
            "timer" => Match::Timer {
                tag: text()?,
                node: optional_name(obj, "node")?,
            },
            "request" => Match::Request {
                op: text()?,
                node: optional_name(obj, "node")?,
            },
            "crashed" => Match::Crashed(node_name(v).map_err(|e| e.under("crashed"))?),
            "restarted" => Match::Restarted(node_name(v).map_err(|e| e.under("restarted"))?),
            "input" => Match::Input(text()?),
            _ => Match::Violation(text()?),
        };
        let after_ms = match obj.get("after_ms") {
            None => None,
            Some(t) => Some(
                t.as_u64()
                    .ok_or_else(|| ScenarioError::new("after_ms", "must be a time in ms"))?,
            ),
        };
        let nth = match obj.get("nth") {
            None => 1,
            Some(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n >= 1)
                .ok_or_else(|| ScenarioError::new("nth", "must be a whole number ≥ 1"))?,
        };
        Ok(Anchor {
            what,
            after_ms,
            nth,
        })
    }

    /// True for `{"start": true}`.
    pub fn is_start(&self) -> bool {
        self.what == Match::Start
    }

    /// The invariant, for `{"violation": …}`.
    pub fn violation(&self) -> Option<&str> {
        match &self.what {
            Match::Violation(inv) => Some(inv),
            _ => None,
        }
    }

    /// The node names the anchor mentions, with the key that mentions each.
    pub fn node_refs(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        match &self.what {
            Match::Message { from, to, .. } => {
                out.extend(from.as_deref().map(|n| ("from", n)));
                out.extend(to.as_deref().map(|n| ("to", n)));
            }
            Match::Note { node, .. } | Match::Timer { node, .. } | Match::Request { node, .. } => {
                out.extend(node.as_deref().map(|n| ("node", n)));
            }
            Match::Crashed(n) => out.push(("crashed", n)),
            Match::Restarted(n) => out.push(("restarted", n)),
            _ => {}
        }
        out
    }

    /// Whether the step `world` just took satisfies the anchor. `names[i]` is the
    /// display name of node `i`.
    pub fn matches<P: ScenarioProtocol>(&self, world: &World<P>, names: &[String]) -> bool {
        let now = world.now().as_ms();
        if self.after_ms.is_some_and(|t| now < t) {
            return false;
        }
        match &self.what {
            Match::Start => world.events() == 0,
            Match::AtMs(t) => now >= *t,
            Match::Violation(inv) => world
                .violations()
                .iter()
                .any(|v| v.invariant == *inv && v.event == world.events()),
            _ => world
                .last_events()
                .iter()
                .any(|e| self.what.matches_event::<P>(e, names)),
        }
    }

    /// The anchor in words, for errors (`the delivery of GlobalCommit to grpc-node2`).
    pub fn describe(&self) -> String {
        let what = self.what.describe();
        let nth = if self.nth > 1 {
            format!(" (match number {})", self.nth)
        } else {
            String::new()
        };
        match self.after_ms {
            Some(t) => format!("{what}{nth} at or after {t} ms"),
            None => format!("{what}{nth}"),
        }
    }
}

impl Match {
    fn matches_event<P: ScenarioProtocol>(&self, e: &TraceEvent<P>, names: &[String]) -> bool {
        let is = |want: &Option<String>, id: NodeId| {
            want.as_ref()
                .is_none_or(|w| names.get(id.index()).is_some_and(|n| n == w))
        };
        let is_node = |want: &str, id: NodeId| names.get(id.index()).is_some_and(|n| n == want);
        match (self, &e.kind) {
            (
                Match::Message {
                    event,
                    rpc,
                    from,
                    to,
                    reply,
                    fields,
                },
                EventKind::Sent {
                    from: f,
                    to: t,
                    payload,
                    ..
                }
                | EventKind::Delivered {
                    from: f,
                    to: t,
                    payload,
                    ..
                },
            ) => {
                let kind_ok = match e.kind {
                    EventKind::Sent { .. } => *event == MessageEvent::Sent,
                    _ => *event == MessageEvent::Delivered,
                };
                kind_ok
                    && payload.rpc() == rpc
                    && is(from, *f)
                    && is(to, *t)
                    && reply.is_none_or(|r| payload.is_reply() == r)
                    && fields
                        .as_ref()
                        .is_none_or(|p| serde_json::to_value(payload).is_ok_and(|v| subset(p, &v)))
            }
            (
                Match::Message {
                    event: MessageEvent::Dropped,
                    rpc,
                    from,
                    to,
                    ..
                },
                EventKind::Dropped {
                    from: f,
                    to: t,
                    rpc: r,
                    ..
                },
            ) => r == rpc && is(from, *f) && is(to, *t),
            (Match::Note { tag, node, fields }, EventKind::Note { node: n, note }) => {
                is(node, *n)
                    && serde_json::to_value(note).is_ok_and(|v| {
                        is_variant(&v, tag)
                            && fields.as_ref().is_none_or(|p| {
                                variant(&v).is_some_and(|(_, inner)| subset(p, inner))
                            })
                    })
            }
            (Match::Timer { tag, node }, EventKind::TimerFired { node: n, timer }) => {
                is(node, *n) && serde_json::to_value(timer).is_ok_and(|v| is_variant(&v, tag))
            }
            (
                Match::Request { op, node },
                EventKind::Request {
                    node: n, request, ..
                },
            ) => {
                is(node, *n)
                    && P::request_json(request)
                        .get("op")
                        .and_then(Value::as_str)
                        .is_some_and(|o| o == op)
            }
            (Match::Crashed(want), EventKind::Crashed { node })
            | (Match::Restarted(want), EventKind::Restarted { node }) => is_node(want, *node),
            (Match::Input(tag), EventKind::Input(input)) => {
                serde_json::to_value(input).is_ok_and(|v| is_variant(&v, tag))
            }
            _ => false,
        }
    }

    fn describe(&self) -> String {
        let on = |n: &Option<String>| {
            n.as_ref()
                .map(|n| format!(" on node {n}"))
                .unwrap_or_default()
        };
        match self {
            Match::Start => "the start of the run".into(),
            Match::AtMs(t) => format!("an event at or after {t} ms"),
            Match::Message {
                event,
                rpc,
                from,
                to,
                reply,
                fields,
            } => {
                let verb = match event {
                    MessageEvent::Sent => "a send",
                    MessageEvent::Delivered => "a delivery",
                    MessageEvent::Dropped => "a drop",
                };
                let kind = match reply {
                    Some(true) => " reply",
                    Some(false) => " request",
                    None => "",
                };
                let from = from
                    .as_ref()
                    .map(|n| format!(" from {n}"))
                    .unwrap_or_default();
                let to = to.as_ref().map(|n| format!(" to {n}")).unwrap_or_default();
                let with = fields
                    .as_ref()
                    .map(|f| format!(" with {f}"))
                    .unwrap_or_default();
                format!("{verb} of {rpc}{kind}{from}{to}{with}")
            }
            Match::Note { tag, node, fields } => {
                let with = fields
                    .as_ref()
                    .map(|f| format!(" with {f}"))
                    .unwrap_or_default();
                format!("the note {tag}{}{with}", on(node))
            }
            Match::Timer { tag, node } => format!("the {tag} timer firing{}", on(node)),
            Match::Request { op, node } => format!("a client {op} request{}", on(node)),
            Match::Crashed(n) => format!("the crash of node {n}"),
            Match::Restarted(n) => format!("the restart of node {n}"),
            Match::Input(tag) => format!("the input {tag}"),
            Match::Violation(inv) => format!("the first violation of {inv}"),
        }
    }
}

fn text_of(v: &Value) -> Result<String, ScenarioError> {
    match v {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        _ => Err(ScenarioError::new(
            "",
            format!("must be a non-empty string, got {v}"),
        )),
    }
}

fn optional_name(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, ScenarioError> {
    obj.get(key)
        .map(|v| node_name(v).map_err(|e| e.under(key)))
        .transpose()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn anchors_parse_with_their_modifiers() {
        let a =
            Anchor::from_value(&json!({"delivered": "GlobalCommit", "to": "grpc-node2", "nth": 2}))
                .expect("parses");
        assert_eq!(a.nth, 2);
        assert_eq!(
            a.describe(),
            "a delivery of GlobalCommit to grpc-node2 (match number 2)"
        );
        assert_eq!(a.node_refs(), vec![("to", "grpc-node2")]);
    }

    #[test]
    fn bad_anchors_name_the_field() {
        let cases = [
            (json!({}), ""),
            (json!({"note": "x", "crashed": "1"}), "note"),
            (json!({"crashed": "1", "to": "2"}), "to"),
            (json!({"violation": "x", "nth": 2}), "nth"),
            (json!({"sent": "X", "nth": 0}), "nth"),
            (json!({"start": false}), "start"),
            (json!({"note": ""}), "note"),
        ];
        for (v, field) in cases {
            let e = Anchor::from_value(&v).expect_err("refused");
            assert_eq!(e.field, field, "{v}: {e}");
        }
    }
}
