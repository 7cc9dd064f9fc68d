//! The client requests panel: the most recent client requests up to the event being
//! viewed, each with its node, operation and outcome (`ok`, `rejected`,
//! `not_leader`, `timeout`, … with the result or the reason, from the protocol's
//! `client_report`), and, while it is pending, the messages in flight that carry it
//! (a follower's forward to the leader), which a click selects.
//!
//! It reads the trace backwards from the cursor and stops after a bounded window, so a
//! long run costs the same per frame as a short one. It must not change the lab.

use std::fmt::Write as _;

use faultlab_sim::{EventKind, MsgId, RequestId};
use serde_json::Value;
use yew::{Callback, Html, html};

use crate::lab::{Lab, Selection};
use crate::plugin::LabProtocol;
use crate::state::{Action, LabAction};

/// How many requests the panel lists.
const SHOWN: usize = 6;
/// How many trace events it looks back through.
const LOOKBACK: usize = 20_000;

struct Row {
    id: RequestId,
    node: String,
    at_ms: u64,
    report: serde_json::Map<String, Value>,
    answered: bool,
    carried_by: Vec<MsgId>,
}

/// The recent client requests and their outcomes (a plain function, not a component:
/// it re-renders with its tab anyway, and only the row extraction is per protocol).
pub fn requests_panel<P: LabProtocol>(lab: &Lab<P>, on_action: &Callback<Action>) -> Html {
    let rows: Vec<Row> = lab.with_world(|w| {
        lab.with_trace(|trace| {
            let start = trace.len().saturating_sub(LOOKBACK);
            let mut responses: Vec<(RequestId, &P::Response)> = Vec::new();
            let mut out = Vec::new();
            for ev in trace[start..].iter().rev() {
                match &ev.kind {
                    EventKind::Response { id, response, .. } => responses.push((*id, response)),
                    EventKind::Request { id, node, request } => {
                        let response = responses.iter().find(|(r, _)| r == id).map(|(_, r)| *r);
                        let carried_by = if response.is_none() {
                            w.in_flight()
                                .filter(|e| P::msg_request(&e.msg) == Some(*id))
                                .map(|e| e.id)
                                .collect()
                        } else {
                            Vec::new()
                        };
                        out.push(Row {
                            id: *id,
                            node: w.node_name(*node),
                            at_ms: ev.at.as_ms(),
                            report: P::client_report(request, response),
                            answered: response.is_some(),
                            carried_by,
                        });
                        if out.len() == SHOWN {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            out
        })
    });
    render(rows, on_action)
}

/// The panel's markup.
fn render(rows: Vec<Row>, on_action: &Callback<Action>) -> Html {
    let items = rows
        .into_iter()
        .map(|row| {
            let op = row.report.get("op").and_then(Value::as_str).unwrap_or("?").to_owned();
            let outcome = if row.answered {
                row.report.get("outcome").and_then(Value::as_str).unwrap_or("?").to_owned()
            } else {
                "pending".to_owned()
            };
            let args: Vec<String> = row
                .report
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "op" | "outcome" | "result" | "reason"))
                .map(|(k, v)| format!("{k}={}", text(v)))
                .collect();
            let detail = if !row.answered {
                "waiting for an answer".to_owned()
            } else if let Some(r) = row.report.get("reason") {
                text(r)
            } else if let Some(r) = row.report.get("result") {
                text(r)
            } else {
                String::new()
            };
            let carriers = row
                .carried_by
                .iter()
                .map(|&m| {
                    let cb = on_action.clone();
                    let click = Callback::from(move |_| {
                        cb.emit(Action::Lab(LabAction::Select(Some(Selection::Message(m)))));
                    });
                    html! {
                        <button class="linkish req__msg" onclick={click} title="Select the message carrying this request">
                            { format!("msg #{}", m.0) }
                        </button>
                    }
                })
                .collect::<Html>();
            html! {
                <li class={format!("req req--{outcome}")} key={row.id.0} data-request={row.id.0.to_string()} data-outcome={outcome.clone()}>
                    <div class="req__head">
                        <span class="req__op">{ op }</span>
                        <span class="muted small">{ format!("#{} → node {} at {}", row.id.0, row.node, crate::layout::time_label(ms(row.at_ms))) }</span>
                        <span class={format!("req__outcome req__outcome--{outcome}")}>{ outcome.replace('_', " ") }</span>
                    </div>
                    if !args.is_empty() {
                        <div class="req__args small">{ args.join(" ") }</div>
                    }
                    <div class="req__detail small">{ detail }{ carriers }</div>
                </li>
            }
        })
        .collect::<Vec<Html>>();
    if items.is_empty() {
        return Html::default();
    }
    html! {
        <section class="panel requests" aria-label="Client requests">
            <header class="panel__head"><h2>{ "Client requests" }</h2><span class="muted small">{ "newest first" }</span></header>
            <ul class="req__list">{ for items }</ul>
        </section>
    }
}

fn ms(v: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let f = v as f64;
    f
}

/// A result or reason in words: a list of records by their ids and titles, a record
/// by its id, title and votes, a `{"message": …}` by its message, anything else as JSON.
fn text(v: &Value) -> String {
    let record = |o: &serde_json::Map<String, Value>| -> Option<String> {
        let id = o.get("id")?;
        let id = id.as_str().map_or_else(|| id.to_string(), str::to_owned);
        let mut s = id;
        if let Some(t) = o.get("title").and_then(Value::as_str) {
            let _ = write!(s, " “{t}”");
        }
        if let Some(v) = o.get("votes").and_then(Value::as_i64) {
            let _ = write!(s, " {v:+}");
        }
        Some(s)
    };
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.is_empty() => "(empty)".to_owned(),
        Value::Array(items) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|i| i.as_object().and_then(record))
                .collect();
            parts.map_or_else(|| v.to_string(), |p| p.join(", "))
        }
        Value::Object(o) => match o.get("message").and_then(Value::as_str) {
            Some(m) if o.len() == 1 => m.to_owned(),
            _ => record(o).unwrap_or_else(|| {
                o.iter()
                    .map(|(k, x)| {
                        format!(
                            "{k}: {}",
                            x.as_str().map_or_else(|| x.to_string(), str::to_owned)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        },
        other => other.to_string(),
    };
    if s.chars().count() > 140 {
        format!("{}…", s.chars().take(140).collect::<String>())
    } else {
        s
    }
}
