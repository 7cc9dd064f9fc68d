//! Small markup pieces the views share: a button that sends an action, a dialog's
//! close button, a definition list of rows.
//!
//! They exist to keep the bundle small: every `html!` element and every distinct
//! closure is compiled code, so markup that recurs is written once here (one copy in
//! the wasm) and called with data. They must stay plain functions (no hooks, no state)
//! and draw exactly what the views drew inline.

use yew::{Callback, Html, MouseEvent, html};

use crate::state::Action;

/// A click handler that sends `action` (one closure type for every button).
pub fn send(on_action: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
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
    html! {
        <button class={class} disabled={disabled} onclick={send(on_action, action)}>{ label }</button>
    }
}

/// A dialog's `✕` button (accessible name "Close").
pub fn close_button(onclick: Callback<MouseEvent>) -> Html {
    html! {
        <button class="btn btn--ghost dialog__close" aria-label="Close" onclick={onclick}>{ "✕" }</button>
    }
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
