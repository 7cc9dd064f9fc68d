//! The node panel (`role="dialog"`): a node's full state, its fault actions (crash,
//! restart, force timeout, isolate, heal) and a client request form.

use faultlab_sim::NodeId;
use serde_json::{Map, Value, json};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::{Callback, Html, Properties, SubmitEvent, TargetCast, component, html, use_state};

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
}

/// What the node panel shows, read from a world; [`render`] draws it (one copy for
/// every protocol).
struct PanelModel {
    id: NodeId,
    name: String,
    up: bool,
    label: String,
    partitioned: bool,
    links: Vec<LinkDraw>,
    rows: Vec<(String, String)>,
    timers: Vec<String>,
    ops: &'static [OpSpec],
}

/// A node's panel.
#[component]
pub fn NodePanel<P: LabProtocol>(props: &NodePanelProps<P>) -> Html {
    let id = props.node;
    let now = props.lab.view_ms();
    let model = props.lab.with_world(|w| {
        if id.index() >= w.node_count() {
            return None;
        }
        let topo = w.topology();
        let links = w
            .node_ids()
            .filter(|&peer| peer != id)
            .map(|peer| LinkDraw {
                peer,
                name: w.node_name(peer),
                connected: topo.can_talk(id, peer),
                cut: topo
                    .cut_links()
                    .any(|(a, b)| (a, b) == (id.min(peer), id.max(peer))),
                same_group: topo
                    .groups()
                    .iter()
                    .any(|g| g.contains(&id) && g.contains(&peer)),
            })
            .collect();
        let mut rows: Vec<(String, String)> = P::node_report(w, id)
            .iter()
            .map(|(k, v)| (k.replace('_', " "), short_json(v)))
            .collect();
        rows.extend(P::node_extra(w, id));
        let timers = w
            .slot(id)
            .timers
            .iter()
            .map(|t| {
                let left = (ms(t.fires_at.as_ms()) - now).max(0.0);
                format!(
                    "{:?}: fires at {} (in {} ms)",
                    t.timer,
                    time_label(ms(t.fires_at.as_ms())),
                    crate::num::fixed(left, 0)
                )
            })
            .collect();
        Some(PanelModel {
            id,
            name: w.node_name(id),
            up: w.is_up(id),
            label: P::node_view(w, id).label,
            partitioned: topo.is_partitioned(),
            links,
            rows,
            timers,
            ops: P::client_ops(),
        })
    });
    model.map_or_else(Html::default, |m| render(&m, &props.on_action))
}

/// The panel's markup.
fn render(m: &PanelModel, on_action: &Callback<Action>) -> Html {
    let id = m.id;
    let fault = |f: Fault| {
        let cb = on_action.clone();
        Callback::from(move |_| cb.emit(Action::Lab(LabAction::Fault(f.clone()))))
    };
    let close = {
        let cb = on_action.clone();
        Callback::from(move |_| cb.emit(Action::Lab(LabAction::Select(None))))
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
                    aria-pressed={l.connected.to_string()} aria-label={format!("Link to {peer_name}")} title={title}
                    disabled={!l.same_group} onclick={fault(Fault::Link(id, l.peer, l.cut))}>
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
                <span class="pill">{ m.label.clone() }</span>
                <button class="btn btn--ghost dialog__close" aria-label="Close" onclick={close}>{ "✕" }</button>
            </header>
            <div class="dialog__actions">
                <button class="btn" disabled={!up} onclick={fault(Fault::Crash(id))}>{ "Crash" }</button>
                <button class="btn" disabled={up} onclick={fault(Fault::Restart(id))}>{ "Restart" }</button>
                <button class="btn" disabled={!up} onclick={fault(Fault::Timeout(id))}>{ "Timeout" }</button>
                <button class="btn" onclick={fault(Fault::Isolate(id))}>{ "Isolate" }</button>
                <button class="btn" disabled={!m.partitioned} onclick={fault(Fault::Heal)}>{ "Heal" }</button>
            </div>
            <div class="links" role="group" aria-label="Links">
                <span class="links__label">{ "Links" }</span>
                { links }
            </div>
            <dl class="kv">
                { for m.rows.iter().map(|(k, v)| html! {
                    <>
                        <dt>{ k.clone() }</dt>
                        <dd>{ v.clone() }</dd>
                    </>
                }) }
            </dl>
            if up {
                <div class="dialog__timers">
                    <h3>{ "Timers" }</h3>
                    <ul class="plain">{ for m.timers.iter().map(|t| html! { <li>{ t.clone() }</li> }) }</ul>
                </div>
            }
            <ClientForm node={id} ops={m.ops} on_action={on_action.clone()} />
        </section>
    }
}

/// Props of [`ClientForm`].
#[derive(Properties, PartialEq)]
pub struct ClientFormProps {
    /// The node the request goes to.
    pub node: NodeId,
    /// The protocol's client operations.
    pub ops: &'static [OpSpec],
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// A client request form: pick an operation, fill in its fields, send.
#[component]
pub fn ClientForm(props: &ClientFormProps) -> Html {
    let ops = props.ops;
    let op_index = use_state(|| 0usize);
    let error = use_state(|| None::<String>);
    let Some(op) = ops.get(*op_index).or_else(|| ops.first()) else {
        return Html::default();
    };
    let on_op = {
        let op_index = op_index.clone();
        let error = error.clone();
        Callback::from(move |e: yew::Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            op_index.set(s.selected_index().try_into().unwrap_or(0));
            error.set(None);
        })
    };
    let on_submit = {
        let cb = props.on_action.clone();
        let node = props.node;
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
                        <option value={o.op} selected={i == *op_index}>{ o.label }</option>
                    }) }
                </select>
            </label>
            { for op.fields.iter().map(|f| match f.kind {
                FieldKind::Bool => html! {
                    <label class="field field--check" key={f.name}>
                        <input type="checkbox" name={f.name} checked={f.default == "true"} />
                        <span>{ f.label }</span>
                    </label>
                },
                FieldKind::Int => html! {
                    <label class="field" key={f.name}>
                        <span>{ f.label }</span>
                        <input class="input" name={f.name} inputmode="numeric" value={f.default} />
                    </label>
                },
                FieldKind::Text => html! {
                    <label class="field" key={f.name}>
                        <span>{ f.label }</span>
                        <input class="input" name={f.name} value={f.default} />
                    </label>
                },
            }) }
            <button class="btn btn--primary" type="submit">{ "Send request" }</button>
            if let Some(e) = &*error {
                <p class="field-error" role="alert">{ e.clone() }</p>
            }
        </form>
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
