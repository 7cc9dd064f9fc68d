//! The node panel (`role="dialog"`): a node's full state, its fault actions (crash,
//! restart, force timeout, isolate, heal) and a client request form.

use faultlab_sim::{NodeId, Ticks, Topology};
use serde_json::{Map, Value, json};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::{
    Callback, Html, Properties, SubmitEvent, TargetCast, UseStateHandle, component, html, use_state,
};

use super::parts::{action_button, close_button, kv_rows, send};
use crate::lab::{Fault, Lab};
use crate::layout::time_label;
use crate::plugin::{FieldKind, FieldSpec, LabProtocol, OpSpec};
use crate::state::{Action, LabAction, Notice};

/// Props of [`NodePanel`].
#[derive(Properties)]
pub struct NodePanelProps<P: LabProtocol> {
    /// The lab.
    pub lab: Lab<P>,
    /// The node shown.
    pub node: NodeId,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

impl<P: LabProtocol> PartialEq for NodePanelProps<P> {
    fn eq(&self, other: &Self) -> bool {
        self.lab == other.lab && self.node == other.node && self.on_action == other.on_action
    }
}

/// One peer link as the node panel shows it.
struct LinkDraw {
    peer: NodeId,
    name: String,
    connected: bool,
    cut: bool,
    same_group: bool,
    /// The link's extra latency (ms), 0 when it is not slowed.
    slow_ms: u64,
}

/// What the node panel shows, read from a world; [`render`] draws it (one copy for
/// every protocol).
struct PanelModel {
    id: NodeId,
    name: String,
    up: bool,
    paused: bool,
    /// The node's clock rate (1.0: true time).
    skew: f64,
    label: String,
    partitioned: bool,
    links: Vec<LinkDraw>,
    rows: Vec<(String, String)>,
    timers: Vec<String>,
    ops: &'static [OpSpec],
}

/// What only the protocol can tell about a node (the rest of [`PanelModel`] is
/// worked out by [`model`], compiled once).
struct NodeFacts {
    names: Vec<String>,
    up: bool,
    paused: bool,
    skew: f64,
    /// Written durable state not synced yet (lost on a power loss).
    unsynced: bool,
    label: String,
    report: Map<String, Value>,
    extra: Vec<(String, String)>,
    /// Each armed timer: when it fires (ms) and its name.
    timers: Vec<(u64, String)>,
    ops: &'static [OpSpec],
}

/// A node's panel.
#[component]
pub fn NodePanel<P: LabProtocol>(props: &NodePanelProps<P>) -> Html {
    // The client form's state: the chosen operation and the last problem found.
    let op_index = use_state(usize::default);
    let error = use_state(Option::<String>::default);
    read(&props.lab, props.node).map_or_else(Html::default, |m| {
        let form = client_form(m.id, m.ops, &props.on_action, op_index, &error);
        render(&m, &props.on_action, form)
    })
}

/// [`NodePanel`]'s markup, for a caller that draws it without a component of its own
/// (it re-renders with the lab anyway); the client form is then a [`ClientForm`].
pub fn node_panel<P: LabProtocol>(
    lab: &Lab<P>,
    node: NodeId,
    on_action: &Callback<Action>,
) -> Html {
    read(lab, node).map_or_else(Html::default, |m| {
        let form = html! { <ClientForm node={m.id} ops={m.ops} on_action={on_action.clone()} /> };
        render(&m, on_action, form)
    })
}

/// What the panel shows of node `id` (`None`: no such node).
fn read<P: LabProtocol>(lab: &Lab<P>, id: NodeId) -> Option<PanelModel> {
    lab.with_world(|w| {
        (id.index() < w.node_count()).then(|| {
            let facts = NodeFacts {
                names: w.node_ids().map(|n| w.node_name(n)).collect(),
                up: w.is_up(id),
                paused: w.is_paused(id),
                skew: w.slot(id).skew,
                unsynced: w.has_unsynced_writes(id),
                label: P::node_view(w, id).label,
                report: P::node_report(w, id),
                extra: P::node_extra(w, id),
                timers: w
                    .slot(id)
                    .timers
                    .iter()
                    .map(|t| (t.fires_at.as_ms(), format!("{:?}", t.timer)))
                    .collect(),
                ops: P::client_ops(),
            };
            model(id, facts, w.topology(), lab.view_ms())
        })
    })
}

/// The panel's model from what the protocol told and the topology.
fn model(id: NodeId, facts: NodeFacts, topo: &Topology, now: f64) -> PanelModel {
    let groups = topo.groups();
    let links = facts
        .names
        .iter()
        .enumerate()
        .map(|(i, name)| (NodeId::from_index(i), name))
        .filter(|&(peer, _)| peer != id)
        .map(|(peer, name)| LinkDraw {
            peer,
            name: name.clone(),
            connected: topo.can_talk(id, peer),
            cut: topo
                .cut_links()
                .any(|(a, b)| (a, b) == (id.min(peer), id.max(peer))),
            same_group: groups.iter().any(|g| g.contains(&id) && g.contains(&peer)),
            slow_ms: topo.extra_latency(id, peer).as_ms(),
        })
        .collect();
    let mut rows: Vec<(String, String)> = facts
        .report
        .iter()
        .map(|(k, v)| (k.replace('_', " "), short_json(v)))
        .collect();
    rows.extend(facts.extra);
    if facts.up {
        rows.push((
            "disk".to_owned(),
            if facts.unsynced {
                "unsynced writes: a power loss loses them".to_owned()
            } else {
                "everything written is synced".to_owned()
            },
        ));
    }
    let timers = facts
        .timers
        .into_iter()
        .map(|(at, timer)| {
            let at = ms(at);
            format!(
                "{timer}: fires at {} (in {} ms)",
                time_label(at),
                crate::num::fixed((at - now).max(0.0), 0)
            )
        })
        .collect();
    PanelModel {
        id,
        name: facts.names.get(id.index()).cloned().unwrap_or_default(),
        up: facts.up,
        paused: facts.paused,
        skew: facts.skew,
        label: facts.label,
        partitioned: topo.needs_heal(),
        links,
        rows,
        timers,
        ops: facts.ops,
    }
}

/// The extra latency the panel's Slow buttons put on a link: past an election timeout.
const SLOW_LINK_MS: u64 = 3_000;

/// The clock rates the panel offers (label, timer factor).
const SKEWS: [(&str, f64); 4] = [("×0.5", 0.5), ("×1", 1.0), ("×2", 2.0), ("×4", 4.0)];

/// The panel's markup.
fn render(m: &PanelModel, on_action: &Callback<Action>, form: Html) -> Html {
    let id = m.id;
    let fault = |label, disabled, f| {
        action_button(
            "btn",
            label,
            disabled,
            on_action,
            Action::Lab(LabAction::Fault(f)),
        )
    };
    let name = &m.name;
    let up = m.up;
    let links = m
        .links
        .iter()
        .map(|l| {
            let peer_name = &l.name;
            let title = if !l.same_group {
                "in another partition group (Heal to reconnect)".to_owned()
            } else if l.cut {
                format!("link to {peer_name} is cut: click to restore")
            } else {
                format!("click to cut the link to {peer_name}")
            };
            html! {
                <button key={l.peer.0} class={if l.connected { "link-btn" } else { "link-btn link-btn--cut" }}
                    aria-pressed={if l.connected { "true" } else { "false" }} aria-label={format!("Link to {peer_name}")} title={title}
                    disabled={!l.same_group}
                    onclick={send(on_action, Action::Lab(LabAction::Fault(Fault::Link(id, l.peer, l.cut))))}>
                    { peer_name.clone() }
                </button>
            }
        })
        .collect::<Html>();
    html! {
        <section class="panel dialog" role="dialog" aria-label={format!("Node {name}")}>
            <header class="dialog__head">
                <h2>{ format!("Node {name}") }</h2>
                <span class={if up { "pill pill--up" } else { "pill pill--down" }}>{ if up { "up" } else { "crashed" } }</span>
                if m.paused { <span class="pill pill--paused" title="Frozen: no timer fires, messages wait in its inbox; Resume continues with nothing lost">{ "paused" }</span> }
                <span class="pill">{ m.label.clone() }</span>
                { close_button(send(on_action, Action::Lab(LabAction::Select(None)))) }
            </header>
            <div class="dialog__actions">
                { fault("Crash", !up, Fault::Crash(id)) }
                { fault("Power loss", !up, Fault::PowerLoss(id)) }
                { fault("Restart", up, Fault::Restart(id)) }
                { fault("Timeout", !up, Fault::Timeout(id)) }
                { fault("Isolate", false, Fault::Isolate(id)) }
                { fault("Heal", !m.partitioned, Fault::Heal) }
                if m.paused {
                    { fault("Resume", false, Fault::Resume(id)) }
                } else {
                    { fault("Pause", !up, Fault::Pause(id)) }
                }
            </div>
            <div class="links" role="group" aria-label="Slow links">
                <span class="links__label" title="Slow a link: every message on it, either way, takes 3 s longer (past an election timeout)">{ "Slow" }</span>
                { for m.links.iter().map(|l| {
                    let on = l.slow_ms > 0;
                    let peer_name = &l.name;
                    let next = Ticks(if on { 0 } else { SLOW_LINK_MS });
                    html! {
                        <button key={l.peer.0} class="link-btn clock-btn"
                            aria-pressed={if on { "true" } else { "false" }}
                            aria-label={format!("Slow link to {peer_name}")}
                            title={if on { format!("+{} ms to {peer_name}: click to restore", l.slow_ms) } else { format!("add {SLOW_LINK_MS} ms to every message to and from {peer_name}") }}
                            onclick={send(on_action, Action::Lab(LabAction::Fault(Fault::SlowLink(id, l.peer, next))))}>
                            { peer_name.clone() }
                        </button>
                    }
                }) }
            </div>
            <div class="links" role="group" aria-label="Clock">
                <span class="links__label" title="Skew: this node's timers run this many times as long">{ "Clock" }</span>
                { for SKEWS.iter().map(|&(label, factor)| {
                    let on = (m.skew - factor).abs() < 1e-9;
                    html! {
                        <button key={label} class="link-btn clock-btn"
                            aria-pressed={if on { "true" } else { "false" }}
                            aria-label={format!("Clock {label}")}
                            title={format!("timers run {label} as long")}
                            onclick={send(on_action, Action::Lab(LabAction::Fault(Fault::Skew(id, factor))))}>
                            { label }
                        </button>
                    }
                }) }
            </div>
            <div class="links" role="group" aria-label="Links">
                <span class="links__label">{ "Links" }</span>
                { links }
            </div>
            <dl class="kv">{ kv_rows(&m.rows) }</dl>
            if up {
                <div class="dialog__timers">
                    <h3>{ "Timers" }</h3>
                    <ul class="plain">{ for m.timers.iter().map(|t| html! { <li>{ t.clone() }</li> }) }</ul>
                </div>
            }
            { form }
        </section>
    }
}

/// Props of [`ClientForm`].
#[derive(Properties)]
pub struct ClientFormProps {
    /// The node the request goes to.
    pub node: NodeId,
    /// The protocol's client operations.
    pub ops: &'static [OpSpec],
    /// Where actions go.
    pub on_action: Callback<Action>,
}

impl PartialEq for ClientFormProps {
    fn eq(&self, other: &Self) -> bool {
        // A protocol's operations are one static table: the same table is the same ops.
        self.node == other.node
            && std::ptr::eq(self.ops, other.ops)
            && self.on_action == other.on_action
    }
}

/// The client form as a component of its own (holding its state), for
/// [`node_panel`].
#[component]
pub fn ClientForm(props: &ClientFormProps) -> Html {
    let op_index = use_state(usize::default);
    let error = use_state(Option::<String>::default);
    client_form(props.node, props.ops, &props.on_action, op_index, &error)
}

/// A client request form: pick an operation, fill in its fields, send.
fn client_form(
    node: NodeId,
    ops: &'static [OpSpec],
    on_action: &Callback<Action>,
    op_index: UseStateHandle<usize>,
    error: &UseStateHandle<Option<String>>,
) -> Html {
    let Some(op) = ops.get(*op_index).or_else(|| ops.first()) else {
        return Html::default();
    };
    let selected = *op_index;
    let on_op = {
        let error = error.clone();
        Callback::from(move |e: yew::Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            op_index.set(s.selected_index().try_into().unwrap_or(0));
            error.set(None);
        })
    };
    let on_submit = {
        let cb = on_action.clone();
        let op = *op;
        let error = error.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::HtmlFormElement = e.target_unchecked_into();
            match read_form(&op, &form) {
                Ok(map) => {
                    error.set(None);
                    cb.emit(Action::Lab(LabAction::Client(node, map)));
                }
                Err(problem) => {
                    error.set(Some(problem.clone()));
                    cb.emit(Action::Notify(Notice::error(problem)));
                }
            }
        })
    };
    html! {
        <form class="client-form" onsubmit={on_submit} aria-label="Client request" key={op.op}>
            <h3>{ "Client request" }</h3>
            <label class="field">
                <span>{ "Operation" }</span>
                <select class="input" onchange={on_op} aria-label="Operation">
                    { for ops.iter().enumerate().map(|(i, o)| html! {
                        <option value={o.op} selected={i == selected}>{ o.label }</option>
                    }) }
                </select>
            </label>
            { for op.fields.iter().map(field) }
            <button class="btn btn--primary" type="submit">{ "Send request" }</button>
            if let Some(e) = &**error {
                <p class="field-error" role="alert">{ e.clone() }</p>
            }
        </form>
    }
}

/// One labelled input of a client form (a checkbox before its label, a text box
/// after).
fn field(f: &FieldSpec) -> Html {
    let (class, input) = match f.kind {
        FieldKind::Bool => (
            "field field--check",
            html! { <input type="checkbox" name={f.name} checked={f.default == "true"} /> },
        ),
        FieldKind::Int => (
            "field",
            html! { <input class="input" name={f.name} inputmode="numeric" value={f.default} /> },
        ),
        FieldKind::Text => (
            "field",
            html! { <input class="input" name={f.name} value={f.default} /> },
        ),
    };
    let label = html! { <span>{ f.label }</span> };
    let (first, second) = if f.kind == FieldKind::Bool {
        (input, label)
    } else {
        (label, input)
    };
    html! {
        <label class={class} key={f.name}>{ first }{ second }</label>
    }
}

/// Build the scenario `client` object from the form, validating number fields.
fn read_form(op: &OpSpec, form: &web_sys::HtmlFormElement) -> Result<Map<String, Value>, String> {
    use wasm_bindgen::JsCast;
    let mut map = Map::new();
    map.insert("op".into(), json!(op.op));
    for f in op.fields {
        let el = form
            .elements()
            .named_item(f.name)
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            .ok_or_else(|| format!("{}: field missing", f.label))?;
        let value = match f.kind {
            FieldKind::Bool => json!(el.checked()),
            FieldKind::Int => json!(check_int(f, &el.value())?),
            FieldKind::Text => {
                let t = el.value();
                if t.trim().is_empty() {
                    if f.required {
                        return Err(format!("{}: must not be empty", f.label));
                    }
                    continue;
                }
                json!(t)
            }
        };
        map.insert(f.name.into(), value);
    }
    Ok(map)
}

/// A number field's value: a whole number, and at least 1 when the field is required.
fn check_int(f: &FieldSpec, text: &str) -> Result<i64, String> {
    let n = text
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("{}: must be a whole number, got \"{text}\"", f.label))?;
    if f.required && n < 1 {
        return Err(format!(
            "{}: must be a positive whole number, got {n}",
            f.label
        ));
    }
    Ok(n)
}

fn short_json(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(160).collect::<String>())
    } else {
        s
    }
}

fn ms(v: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let f = v as f64;
    f
}
