//! The client requests panel: the most recent client requests up to the event being
//! viewed, each with its node, operation and outcome (`ok`, `rejected`,
//! `not_leader`, `timeout`, … with the result or the reason, from the protocol's
//! `client_report`), and, while it is pending, the messages in flight that carry it
//! (a follower's forward to the leader), which a click selects.
//!
//! It reads the trace backwards from the cursor and stops after a bounded window, so a
//! long run costs the same per frame as a short one, and while playing it reads only
//! the new events unless a request moved. It must not change the lab.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use faultlab_sim::{EventKind, MsgId, RequestId, TraceView};
use serde_json::Value;
use yew::{Callback, Html, Properties, component, html};

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

/// What the rows were read from, so that a later frame can tell whether they still
/// hold without reading the trace again. The tab's view keeps it (a hook).
pub struct Cache<P: LabProtocol> {
    lab: Lab<P>,
    inputs: usize,
    trace_len: usize,
    /// The trace index of the oldest row's request (rows leave the window from there).
    oldest: Option<usize>,
    /// A row still waits for its answer (its carriers move with every frame).
    pending: bool,
    rows: Rc<Vec<Row>>,
}

/// The recent client requests and their outcomes.
///
/// While playing, the cursor moves on every frame but the rows rarely change: they are
/// read again only when the run, the inputs or the direction changed, a request or a
/// response was recorded since, a request is pending, or the oldest row left the
/// window. Otherwise only the new trace events are looked at, and the list itself is
/// not re-rendered.
pub fn requests_panel<P: LabProtocol>(
    lab: &Lab<P>,
    cache: &RefCell<Option<Cache<P>>>,
    on_action: &Callback<Action>,
) -> Html {
    let inputs = lab.with_head(|w| w.inputs().len());
    let rows = lab.with_trace(|trace| {
        let mut cache = cache.borrow_mut();
        let reusable = cache.as_ref().is_some_and(|c| {
            c.lab.same_run(lab)
                && c.inputs == inputs
                && !c.pending
                && c.trace_len <= trace.len()
                && lab.cursor() >= c.lab.cursor()
                && c.oldest
                    .is_none_or(|i| i >= trace.len().saturating_sub(LOOKBACK))
                && !trace.range(c.trace_len..).iter().any(|e| {
                    matches!(
                        e.kind,
                        EventKind::Request { .. } | EventKind::Response { .. }
                    )
                })
        });
        match cache.as_mut() {
            Some(c) if reusable => {
                c.lab = lab.clone();
                c.trace_len = trace.len();
                Rc::clone(&c.rows)
            }
            _ => {
                let (rows, oldest) = read_rows(lab, trace);
                let rows = Rc::new(rows);
                *cache = Some(Cache {
                    lab: lab.clone(),
                    inputs,
                    trace_len: trace.len(),
                    oldest,
                    pending: rows.iter().any(|r| !r.answered),
                    rows: Rc::clone(&rows),
                });
                rows
            }
        }
    });
    html! { <RequestList rows={rows} on_action={on_action.clone()} /> }
}

/// The rows from the trace up to the cursor, newest first, and the trace index of the
/// oldest row's request.
fn read_rows<P: LabProtocol>(lab: &Lab<P>, trace: TraceView<'_, P>) -> (Vec<Row>, Option<usize>) {
    lab.with_world(|w| {
        let start = trace.len().saturating_sub(LOOKBACK);
        let mut responses: Vec<(RequestId, &P::Response)> = Vec::new();
        let mut out = Vec::new();
        let mut oldest = None;
        for (i, ev) in trace.iter().enumerate().skip(start).rev() {
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
                    oldest = Some(i);
                    if out.len() == SHOWN {
                        break;
                    }
                }
                _ => {}
            }
        }
        (out, oldest)
    })
}

/// Props of [`RequestList`].
#[derive(Properties)]
struct ListProps {
    rows: Rc<Vec<Row>>,
    on_action: Callback<Action>,
}

impl PartialEq for ListProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rows, &other.rows) && self.on_action == other.on_action
    }
}

/// The list, re-rendered only when its rows were read again.
#[component]
fn RequestList(props: &ListProps) -> Html {
    render(&props.rows, &props.on_action)
}

/// The panel's markup.
fn render(rows: &[Row], on_action: &Callback<Action>) -> Html {
    let items = rows
        .iter()
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
