//! The JSON reports of `run` (DESIGN.md §6): final per-node state, client results,
//! violations and every log line, built from a finished world and its trace.

use std::collections::BTreeMap;

use faultlab_sim::{
    Checker, EventKind, Finding, RequestId, ScenarioProtocol, TraceEvent, Violation, World,
};
use serde_json::{Map, Value, json};

/// The `run` report.
pub(crate) fn run_report<P: ScenarioProtocol>(world: &World<P>, trace: &[TraceEvent<P>]) -> Value {
    let (mode, bugs) = P::mode_of(world.config());
    let nodes: Vec<Value> = world
        .node_ids()
        .map(|id| {
            let mut m = Map::new();
            m.insert("id".into(), json!(world.node_name(id)));
            m.insert("up".into(), json!(world.is_up(id)));
            m.extend(P::node_report(world, id));
            Value::Object(m)
        })
        .collect();
    let log: Vec<Value> = faultlab_sim::log::render::<P>(world.config(), trace)
        .into_iter()
        .map(|l| json!({"node": world.node_name(l.node), "at_ms": l.at.as_ms(), "event": l.event, "line": l.text}))
        .collect();
    json!({
        "protocol": P::NAME,
        "mode": mode,
        "bugs": bugs,
        "seed": world.seed().0,
        "events": world.events(),
        "end_ms": world.now().as_ms(),
        "violations": violations_json(world.violations()),
        "inconclusive": inconclusive_json(&world.checker().inconclusive()),
        "nodes": nodes,
        "clients": clients_json(world, trace),
        "log": log,
    })
}

pub(crate) fn violations_json(violations: &[Violation]) -> Value {
    Value::Array(
        violations
            .iter()
            .map(|v| json!({"invariant": v.invariant, "event": v.event, "at_ms": v.at_ms, "detail": v.detail}))
            .collect(),
    )
}

/// Checks that could not decide (DESIGN.md §7: reported apart from violations).
pub(crate) fn inconclusive_json(findings: &[Finding]) -> Value {
    Value::Array(
        findings
            .iter()
            .map(|f| json!({"invariant": f.invariant, "detail": f.detail}))
            .collect(),
    )
}

/// Every client request with its outcome, in request order.
pub(crate) fn clients_json<P: ScenarioProtocol>(
    world: &World<P>,
    trace: &[TraceEvent<P>],
) -> Value {
    struct Entry<'a, P: ScenarioProtocol> {
        node: String,
        at_ms: u64,
        request: &'a P::Request,
        answer: Option<(u64, &'a P::Response)>,
    }
    let mut entries: BTreeMap<RequestId, Entry<'_, P>> = BTreeMap::new();
    for ev in trace {
        match &ev.kind {
            EventKind::Request { id, node, request } => {
                entries.insert(
                    *id,
                    Entry {
                        node: world.node_name(*node),
                        at_ms: ev.at.as_ms(),
                        request,
                        answer: None,
                    },
                );
            }
            EventKind::Response { id, response, .. } => {
                if let Some(e) = entries.get_mut(id) {
                    e.answer = Some((ev.at.as_ms(), response));
                }
            }
            _ => {}
        }
    }
    Value::Array(
        entries
            .into_iter()
            .map(|(id, e)| {
                let mut m = Map::new();
                m.insert("request".into(), json!(id.0));
                m.insert("node".into(), json!(e.node));
                m.insert("at_ms".into(), json!(e.at_ms));
                m.extend(P::client_report(e.request, e.answer.map(|(_, r)| r)));
                if let Some((at, _)) = e.answer {
                    m.insert("answered_ms".into(), json!(at));
                }
                Value::Object(m)
            })
            .collect(),
    )
}
