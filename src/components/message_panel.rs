//! The message panel (`role="dialog"`): a message's fields and its actions (drop,
//! deliver now, duplicate).

use faultlab_sim::{Message, MsgId};
use serde_json::Value;
use yew::{Callback, Html, Properties, component, html};

use crate::lab::{Fault, Lab};
use crate::layout::time_label;
use crate::plugin::LabProtocol;
use crate::state::{Action, LabAction};

/// Props of [`MessagePanel`].
#[derive(Properties)]
pub struct MessagePanelProps<P: LabProtocol> {
    /// The lab.
    pub lab: Lab<P>,
    /// The message shown.
    pub msg: MsgId,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

impl<P: LabProtocol> PartialEq for MessagePanelProps<P> {
    fn eq(&self, other: &Self) -> bool {
        self.lab == other.lab && self.msg == other.msg && self.on_action == other.on_action
    }
}

/// A message's panel.
#[component]
pub fn MessagePanel<P: LabProtocol>(props: &MessagePanelProps<P>) -> Html {
    let id = props.msg;
    let fault = |f: Fault| {
        let cb = props.on_action.clone();
        Callback::from(move |_| cb.emit(Action::Lab(LabAction::Fault(f.clone()))))
    };
    let close = {
        let cb = props.on_action.clone();
        Callback::from(move |_| cb.emit(Action::Lab(LabAction::Select(None))))
    };
    props.lab.with_world(|w| {
        let Some(env) = w.message(id) else {
            return html! {
                <section class="panel dialog" role="dialog" aria-label={format!("Message {}", id.0)}>
                    <header class="dialog__head">
                        <h2>{ format!("Message {}", id.0) }</h2>
                        <button class="btn btn--ghost dialog__close" aria-label="Close" onclick={close}>{ "✕" }</button>
                    </header>
                    <p class="muted">{ "This message is no longer in flight at the event being viewed." }</p>
                </section>
            };
        };
        let rpc = env.msg.rpc();
        let fields = match serde_json::to_value(&env.msg) {
            Ok(Value::Object(o)) => o.into_iter().flat_map(|(variant, body)| flatten(&variant, &body)).collect(),
            Ok(other) => vec![("payload".to_owned(), other.to_string())],
            Err(_) => Vec::new(),
        };
        html! {
            <section class="panel dialog" role="dialog" aria-label={format!("Message {} {rpc}", id.0)}>
                <header class="dialog__head">
                    <h2>{ format!("{rpc} ") }<span class="muted">{ format!("#{}", id.0) }</span></h2>
                    if env.msg.is_reply() { <span class="pill">{ "reply" }</span> }
                    if env.copy_of.is_some() { <span class="pill">{ "duplicate" }</span> }
                    if env.lost { <span class="pill pill--down" title="The loss rate chose to lose it: it dies on arrival">{ "will be lost" }</span> }
                    <button class="btn btn--ghost dialog__close" aria-label="Close" onclick={close}>{ "✕" }</button>
                </header>
                <div class="dialog__actions">
                    <button class="btn" onclick={fault(Fault::Drop(id))}>{ "Drop" }</button>
                    <button class="btn" onclick={fault(Fault::DeliverNow(id))}>{ "Deliver now" }</button>
                    <button class="btn" onclick={fault(Fault::Duplicate(id))}>{ "Duplicate" }</button>
                </div>
                <dl class="kv">
                    <dt>{ "from → to" }</dt>
                    <dd>{ format!("{} → {}", w.node_name(env.from), w.node_name(env.to)) }</dd>
                    <dt>{ "sent" }</dt><dd>{ time_label(ms(env.sent_at.as_ms())) }</dd>
                    <dt>{ "arrives" }</dt><dd>{ time_label(ms(env.deliver_at.as_ms())) }</dd>
                    if let Some(c) = env.copy_of {
                        <dt>{ "copy of" }</dt><dd>{ format!("#{}", c.0) }</dd>
                    }
                    { for fields.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                </dl>
            </section>
        }
    })
}

/// A message's serialised fields as `(name, value)` rows.
fn flatten(variant: &str, body: &Value) -> Vec<(String, String)> {
    match body {
        Value::Object(o) => o
            .iter()
            .map(|(k, v)| {
                let s = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let s = if s.chars().count() > 200 {
                    format!("{}…", s.chars().take(200).collect::<String>())
                } else {
                    s
                };
                (k.replace('_', " "), s)
            })
            .collect(),
        Value::Null => Vec::new(),
        other => vec![(variant.to_owned(), other.to_string())],
    }
}

fn ms(v: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let f = v as f64;
    f
}
