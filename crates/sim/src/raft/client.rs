//! The client's side of the music queue: what a client may ask (parsed from a
//! scenario's `client` object), what it is told, and how the CLI reports both.
//!
//! A client sees exactly one outcome per request: `ok` with a result, `rejected` with
//! a reason, `not_leader` (nothing happened; retry elsewhere), or `timeout` (the
//! outcome is unknown: the request may or may not take effect, now or later).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::id::NodeId;
use crate::protocol::Lost;
use crate::rng::SimRng;
use crate::scenario::ScenarioError;

use super::config::RaftConfig;
use super::music_queue::{Op, OpResult, Rejection, Track};

/// Why a client's request ended without a known outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutReason {
    /// The leader appended the entry but it did not commit within the commit wait
    /// (the seed's `"Queued but not committed (timeout)"`).
    NotCommitted,
    /// The follower got no answer from the leader it forwarded to.
    NoAnswerFromLeader,
    /// The node crashed while holding the request.
    NodeCrashed,
    /// The leader lost its leadership and another entry took the request's place in
    /// its log; a duplicate of the request may still commit elsewhere.
    LostLeadership,
    /// The node the request was forwarded to was not the leader. That copy was
    /// refused, but a delayed or duplicated copy of the forward may still reach it
    /// once it is leader and be appended, so the outcome is unknown.
    ForwardRefused,
}

/// What a client is told.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// Done, with the result.
    Ok(OpResult),
    /// Refused; nothing changed.
    Rejected(Rejection),
    /// This node is not the leader and could not forward; nothing changed.
    NotLeader {
        /// The leader this node believes in, if any.
        hint: Option<NodeId>,
    },
    /// Unknown outcome.
    Timeout(TimeoutReason),
    /// The node was down: the connection was refused and nothing changed.
    Unavailable,
}

impl Response {
    /// The CLI's outcome word.
    pub fn outcome(&self) -> &'static str {
        match self {
            Response::Ok(_) => "ok",
            Response::Rejected(_) => "rejected",
            Response::NotLeader { .. } => "not_leader",
            Response::Timeout(_) | Response::Unavailable => "timeout",
        }
    }

    /// The answer the world gives when the node cannot.
    pub fn lost(why: Lost) -> Response {
        match why {
            Lost::NodeDown => Response::Unavailable,
            Lost::NodeCrashed => Response::Timeout(TimeoutReason::NodeCrashed),
        }
    }

    /// Whether the client knows the request had no effect.
    pub fn had_no_effect(&self) -> bool {
        match self {
            Response::NotLeader { .. } | Response::Unavailable => true,
            Response::Rejected(r) => !r.is_validation(),
            Response::Ok(_) | Response::Timeout(_) => false,
        }
    }
}

fn track_json(t: &Track) -> Value {
    // Inserted by hand: `json!` would serialise each field through serde to the same
    // value, at the cost of a generic call and a panic path per field in the page.
    let mut m = Map::new();
    m.insert("id".into(), Value::from(&*t.id));
    m.insert("title".into(), Value::from(&*t.title));
    m.insert("artist".into(), Value::from(&*t.artist));
    m.insert("votes".into(), Value::from(t.votes));
    m.insert("duration".into(), Value::from(t.duration));
    Value::Object(m)
}

/// A list of tracks as JSON.
pub fn tracks_json(tracks: &[Track]) -> Value {
    Value::Array(tracks.iter().map(track_json).collect())
}

fn id_field(client: &Map<String, Value>, key: &str) -> Result<Arc<str>, ScenarioError> {
    match client.get(key) {
        Some(Value::String(s)) => Ok(s.as_str().into()),
        Some(Value::Number(n)) => Ok(n.to_string().into()),
        Some(v) => Err(ScenarioError::new(
            key,
            format!("must be a string, got {v}"),
        )),
        None => Err(ScenarioError::new(key, "missing")),
    }
}

fn text_field(
    client: &Map<String, Value>,
    key: &str,
    required: bool,
) -> Result<Arc<str>, ScenarioError> {
    match client.get(key) {
        Some(Value::String(s)) => Ok(s.as_str().into()),
        Some(v) => Err(ScenarioError::new(
            key,
            format!("must be a string, got {v}"),
        )),
        None if required => Err(ScenarioError::new(key, "missing")),
        None => Ok("".into()),
    }
}

fn check_keys(client: &Map<String, Value>, allowed: &[&str]) -> Result<(), ScenarioError> {
    for key in client.keys() {
        if key != "op" && !allowed.contains(&key.as_str()) {
            let expected = if allowed.is_empty() {
                "no other field".to_owned()
            } else {
                allowed.join(", ")
            };
            return Err(ScenarioError::new(
                key.clone(),
                format!("unknown field for this op (expected {expected})"),
            ));
        }
    }
    Ok(())
}

/// Parse a scenario's `client` object (without `node`). Errors name the field.
///
/// Only the shape is checked here; an empty id or title or a duration ≤ 0 is a
/// well-formed request that the node rejects (so scenarios can show rejections).
///
/// # Errors
/// The offending field.
pub fn parse_request(client: &Map<String, Value>) -> Result<Op, ScenarioError> {
    let op = client
        .get("op")
        .and_then(Value::as_str)
        .ok_or_else(|| ScenarioError::new("op", "must be a string"))?;
    match op {
        "add" => {
            check_keys(client, &["id", "title", "artist", "duration"])?;
            let duration = match client.get("duration") {
                Some(v) => v.as_i64().ok_or_else(|| {
                    ScenarioError::new(
                        "duration",
                        format!("must be a positive integer (seconds), got {v}"),
                    )
                })?,
                None => {
                    return Err(ScenarioError::new(
                        "duration",
                        "missing (must be a positive integer, in seconds)",
                    ));
                }
            };
            let id = id_field(client, "id")?;
            let title = text_field(client, "title", true)?;
            let artist = text_field(client, "artist", false)?;
            Ok(Op::Add(Track {
                id,
                title,
                artist,
                votes: 0,
                duration,
            }))
        }
        "remove" => {
            check_keys(client, &["id"])?;
            Ok(Op::Remove {
                id: id_field(client, "id")?,
            })
        }
        "vote" => {
            check_keys(client, &["id", "up"])?;
            let up = match client.get("up") {
                Some(Value::Bool(b)) => *b,
                Some(v) => {
                    return Err(ScenarioError::new(
                        "up",
                        format!("must be true or false, got {v}"),
                    ));
                }
                None => return Err(ScenarioError::new("up", "missing (true or false)")),
            };
            Ok(Op::Vote {
                id: id_field(client, "id")?,
                up,
            })
        }
        "metadata" => {
            check_keys(client, &["id"])?;
            Ok(Op::Metadata {
                id: id_field(client, "id")?,
            })
        }
        "queue" => check_keys(client, &[]).map(|()| Op::Queue),
        "play" => check_keys(client, &[]).map(|()| Op::Play),
        "history" => check_keys(client, &[]).map(|()| Op::History),
        other => Err(ScenarioError::new(
            "op",
            format!(
                "unknown op \"{other}\" (expected add, remove, vote, queue, metadata, play or history)"
            ),
        )),
    }
}

/// The request as a scenario `client` object (without `node`).
pub fn request_json(op: &Op) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("op".into(), Value::from(op.name()));
    match op {
        Op::Add(t) => {
            m.insert("id".into(), Value::from(&*t.id));
            m.insert("title".into(), Value::from(&*t.title));
            m.insert("artist".into(), Value::from(&*t.artist));
            m.insert("duration".into(), Value::from(t.duration));
        }
        Op::Remove { id } | Op::Metadata { id } => {
            m.insert("id".into(), Value::from(&**id));
        }
        Op::Vote { id, up } => {
            m.insert("id".into(), Value::from(&**id));
            m.insert("up".into(), Value::Bool(*up));
        }
        Op::Play | Op::Queue | Op::History => {}
    }
    m
}

/// The seed's reply message for a write (`QueueResponse.message`).
fn write_message(op: &Op) -> &'static str {
    match op {
        Op::Remove { .. } => "Removed",
        Op::Vote { .. } => "Vote updated",
        _ => "Queued",
    }
}

/// The CLI report of a request and its response (`None` while unanswered).
pub fn client_report(op: &Op, response: Option<&Response>) -> Map<String, Value> {
    let mut m = request_json(op);
    let Some(response) = response else {
        m.insert("outcome".into(), json!("timeout"));
        m.insert("reason".into(), json!("no answer by the end of the run"));
        return m;
    };
    m.insert("outcome".into(), json!(response.outcome()));
    match response {
        Response::Ok(result) => {
            let value = match result {
                OpResult::Done => json!({"message": write_message(op)}),
                OpResult::Played(t) => t
                    .as_ref()
                    .map_or(json!({"message": "Queue empty"}), track_json),
                OpResult::Queue(q) | OpResult::History(q) => tracks_json(q),
                OpResult::Track(t) => track_json(t),
            };
            m.insert("result".into(), value);
        }
        Response::Rejected(r) => {
            m.insert("reason".into(), json!(r.to_string()));
        }
        Response::NotLeader { hint } => {
            let reason = match hint {
                Some(h) => format!("not the leader (leader is Node {})", h.index() + 1),
                None => "No leader elected yet".to_owned(),
            };
            m.insert("reason".into(), json!(reason));
        }
        Response::Timeout(why) => {
            let reason = match why {
                TimeoutReason::NotCommitted => "Queued but not committed (timeout)",
                TimeoutReason::NoAnswerFromLeader => "no answer from the leader (timeout)",
                TimeoutReason::NodeCrashed => "the node crashed while handling the request",
                TimeoutReason::ForwardRefused => {
                    "forwarded to a node that was not the leader; a delayed copy may still commit (unknown outcome)"
                }
                TimeoutReason::LostLeadership => {
                    "leadership changed before the request committed (outcome unknown)"
                }
            };
            m.insert("reason".into(), json!(reason));
        }
        Response::Unavailable => {
            m.insert(
                "reason".into(),
                json!("connection refused: the node is down"),
            );
        }
    }
    m
}

/// A random request for chaos load: ids from a small pool so that duplicates,
/// unknown ids and votes on the same track happen often.
pub fn chaos_request(rng: &mut SimRng, config: &RaftConfig) -> (NodeId, Op) {
    let node = NodeId::from_index(
        usize::try_from(rng.range_inclusive(0, config.nodes as u64 - 1)).unwrap_or(0),
    );
    let id: Arc<str> = (rng.range_inclusive(1, 8)).to_string().into();
    let op = match rng.range_inclusive(0, 99) {
        0..=34 => {
            let n = &*id;
            Op::Add(Track {
                id: id.clone(),
                title: format!("Song {n}").into(),
                artist: format!("Artist {n}").into(),
                votes: 0,
                duration: 120 + i64::from(n.as_bytes()[0]),
            })
        }
        35..=44 => Op::Remove { id },
        45..=64 => Op::Vote {
            id,
            up: rng.chance(0.7),
        },
        65..=74 => Op::Play,
        75..=89 => Op::Queue,
        90..=94 => Op::Metadata { id },
        _ => Op::History,
    };
    (node, op)
}
