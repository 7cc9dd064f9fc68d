//! Small markup pieces the views share: a button that sends an action, a dialog's
//! close button, a definition list of rows.
//!
//! They exist to keep the bundle small: every `html!` element and every distinct
//! closure is compiled code, so markup that recurs is written once here (one copy in
//! the wasm) and called with data. They must stay plain functions (no hooks, no state)
//! and draw exactly what the views drew inline.

use yew::{AttrValue, Callback, Html, MouseEvent, html};

use crate::state::Action;

/// A handler that sends `action` (one closure type for every button).
pub fn send<E: 'static>(on_action: &Callback<Action>, action: Action) -> Callback<E> {
    let cb = on_action.clone();
    Callback::from(move |_| cb.emit(action.clone()))
}

/// `<button class={class} disabled={disabled}>{label}</button>` sending `action`.
pub fn action_button(
    class: &'static str,
    label: &'static str,
    disabled: bool,
    on_action: &Callback<Action>,
    action: Action,
) -> Html {
    button(
        class,
        label,
        Btn {
            disabled,
            ..Btn::default()
        },
        send(on_action, action),
    )
}

/// A dialog's `✕` button (accessible name "Close").
pub fn close_button(onclick: Callback<MouseEvent>) -> Html {
    button(
        "btn btn--ghost dialog__close",
        "✕",
        Btn {
            aria_label: Some("Close"),
            ..Btn::default()
        },
        onclick,
    )
}

/// `<dt>name</dt><dd>value</dd>` for each row (the inside of a `dl.kv`).
pub fn kv_rows(rows: &[(String, String)]) -> Html {
    rows.iter()
        .map(|(k, v)| {
            html! {
                <>
                    <dt>{ k.clone() }</dt>
                    <dd>{ v.clone() }</dd>
                </>
            }
        })
        .collect()
}

/// `<option value={value} selected={selected}>{label}</option>`.
pub fn option(value: &'static str, label: &'static str, selected: bool) -> Html {
    html! { <option value={value} selected={selected}>{ label }</option> }
}

/// The optional attributes of a [`button`].
#[derive(Default)]
pub struct Btn {
    /// `aria-label`.
    pub aria_label: Option<&'static str>,
    /// `title`.
    pub title: Option<AttrValue>,
    /// `disabled`.
    pub disabled: bool,
    /// `aria-pressed`.
    pub pressed: Option<&'static str>,
}

/// `<button class={class} …>{text}</button>`.
pub fn button(
    class: &'static str,
    text: &'static str,
    b: Btn,
    onclick: Callback<MouseEvent>,
) -> Html {
    html! {
        <button class={class} aria-label={b.aria_label} title={b.title} aria-pressed={b.pressed}
            disabled={b.disabled} onclick={onclick}>{ text }</button>
    }
}
