//! The message panel (`role="dialog"`): a message's fields and its actions (drop,
//! deliver now, duplicate).

use faultlab_sim::{Message, MsgId, Ticks};
use serde_json::Value;
use yew::{Callback, Html, Properties, component, html};

use super::parts::{action_button, close_button, kv_rows, send};
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
    /// `from → to`, sent, arrives, copy of, then the message's fields.
    rows: Vec<(String, String)>,
}

/// A message's panel.
#[component]
pub fn MessagePanel<P: LabProtocol>(props: &MessagePanelProps<P>) -> Html {
    message_panel(&props.lab, props.msg, &props.on_action)
}

/// [`MessagePanel`]'s markup, for a caller that draws it without a component of its
/// own (it re-renders with the lab anyway).
pub fn message_panel<P: LabProtocol>(
    lab: &Lab<P>,
    msg: MsgId,
    on_action: &Callback<Action>,
) -> Html {
    let model = lab.with_world(|w| {
        w.message(msg).map(|env| {
            let route = format!("{} → {}", w.node_name(env.from), w.node_name(env.to));
            model(
                MsgModel {
                    rpc: env.msg.rpc(),
                    reply: env.msg.is_reply(),
                    copy_of: env.copy_of,
                    lost: env.lost,
                    rows: Vec::new(),
                },
                route,
                (env.sent_at.as_ms(), env.deliver_at.as_ms()),
                serde_json::to_value(&env.msg),
            )
        })
    });
    render(msg, model.as_ref(), on_action)
}

/// The panel's rows, from the message's route, times and serialised value.
fn model(
    mut m: MsgModel,
    route: String,
    (sent_at, deliver_at): (u64, u64),
    value: serde_json::Result<Value>,
) -> MsgModel {
    m.rows.push(("from → to".to_owned(), route));
    m.rows.push(("sent".to_owned(), time_label(ms(sent_at))));
    m.rows
        .push(("arrives".to_owned(), time_label(ms(deliver_at))));
    if let Some(c) = m.copy_of {
        m.rows.push(("copy of".to_owned(), format!("#{}", c.0)));
    }
    match value {
        Ok(Value::Object(o)) => {
            for (variant, body) in o {
                m.rows.extend(flatten(&variant, &body));
            }
        }
        Ok(other) => m.rows.push(("payload".to_owned(), other.to_string())),
        Err(_) => {}
    }
    m
}

/// The panel's markup (`None`: the message is not in flight at the viewed event).
fn render(id: MsgId, model: Option<&MsgModel>, on_action: &Callback<Action>) -> Html {
    let fault = |label, f| {
        action_button(
            "btn",
            label,
            false,
            on_action,
            Action::Lab(LabAction::Fault(f)),
        )
    };
    let close = close_button(send(on_action, Action::Lab(LabAction::Select(None))));
    let Some(m) = model else {
        return html! {
            <section class="panel dialog" role="dialog" aria-label={format!("Message {}", id.0)}>
                <header class="dialog__head">
                    <h2>{ format!("Message {}", id.0) }</h2>
                    { close }
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
                { close }
            </header>
            <div class="dialog__actions">
                { fault("Drop", Fault::Drop(id)) }
                { fault("Deliver now", Fault::DeliverNow(id)) }
                { fault("Duplicate", Fault::Duplicate(id)) }
                { fault("Delay 3 s", Fault::Delay(id, Ticks(3_000))) }
                { fault("Reorder", Fault::Reorder(id)) }
            </div>
            <dl class="kv">{ kv_rows(&m.rows) }</dl>
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
