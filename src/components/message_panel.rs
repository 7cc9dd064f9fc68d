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

/// What the message panel shows, read from a world; [`render`] draws it (one copy for
/// every protocol).
struct MsgModel {
    rpc: &'static str,
    reply: bool,
    copy_of: Option<MsgId>,
    lost: bool,
    route: String,
    sent_at: u64,
    deliver_at: u64,
    fields: Vec<(String, String)>,
}

/// A message's panel.
#[component]
pub fn MessagePanel<P: LabProtocol>(props: &MessagePanelProps<P>) -> Html {
    let model = props.lab.with_world(|w| {
        w.message(props.msg).map(|env| MsgModel {
            rpc: env.msg.rpc(),
            reply: env.msg.is_reply(),
            copy_of: env.copy_of,
            lost: env.lost,
            route: format!("{} → {}", w.node_name(env.from), w.node_name(env.to)),
            sent_at: env.sent_at.as_ms(),
            deliver_at: env.deliver_at.as_ms(),
            fields: match serde_json::to_value(&env.msg) {
                Ok(Value::Object(o)) => o
                    .into_iter()
                    .flat_map(|(variant, body)| flatten(&variant, &body))
                    .collect(),
                Ok(other) => vec![("payload".to_owned(), other.to_string())],
                Err(_) => Vec::new(),
            },
        })
    });
    render(props.msg, model.as_ref(), &props.on_action)
}

/// The panel's markup (`None`: the message is not in flight at the viewed event).
fn render(id: MsgId, model: Option<&MsgModel>, on_action: &Callback<Action>) -> Html {
    let fault = |f: Fault| {
        let cb = on_action.clone();
        Callback::from(move |_| cb.emit(Action::Lab(LabAction::Fault(f.clone()))))
    };
    let close = {
        let cb = on_action.clone();
        Callback::from(move |_| cb.emit(Action::Lab(LabAction::Select(None))))
    };
    let Some(m) = model else {
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
    let rpc = m.rpc;
    html! {
        <section class="panel dialog" role="dialog" aria-label={format!("Message {} {rpc}", id.0)}>
            <header class="dialog__head">
                <h2>{ format!("{rpc} ") }<span class="muted">{ format!("#{}", id.0) }</span></h2>
                if m.reply { <span class="pill">{ "reply" }</span> }
                if m.copy_of.is_some() { <span class="pill">{ "duplicate" }</span> }
                if m.lost { <span class="pill pill--down" title="The loss rate chose to lose it: it dies on arrival">{ "will be lost" }</span> }
                <button class="btn btn--ghost dialog__close" aria-label="Close" onclick={close}>{ "✕" }</button>
            </header>
            <div class="dialog__actions">
                <button class="btn" onclick={fault(Fault::Drop(id))}>{ "Drop" }</button>
                <button class="btn" onclick={fault(Fault::DeliverNow(id))}>{ "Deliver now" }</button>
                <button class="btn" onclick={fault(Fault::Duplicate(id))}>{ "Duplicate" }</button>
            </div>
            <dl class="kv">
                <dt>{ "from → to" }</dt>
                <dd>{ m.route.clone() }</dd>
                <dt>{ "sent" }</dt><dd>{ time_label(ms(m.sent_at)) }</dd>
                <dt>{ "arrives" }</dt><dd>{ time_label(ms(m.deliver_at)) }</dd>
                if let Some(c) = m.copy_of {
                    <dt>{ "copy of" }</dt><dd>{ format!("#{}", c.0) }</dd>
                }
                { for m.fields.iter().map(|(k, v)| html! { <><dt>{ k.clone() }</dt><dd>{ v.clone() }</dd></> }) }
            </dl>
        </section>
    }
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
