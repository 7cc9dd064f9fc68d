//! The scenario picker: every named scenario of the tab's protocol, with what to watch
//! and what should happen. Choosing one fetches its file (the picker lists titles only:
//! see [`crate::named_scenario`]) and starts it from time 0; "Free play" rebuilds the
//! run without scripted steps.
//!
//! It renders a lab's scenario state and dispatches actions; it must not change the lab
//! itself.

use faultlab_sim::scenario::catalog::{self, ScenarioInfo};
use serde_json::{Map, Value};
use web_sys::HtmlSelectElement;
use yew::{Callback, Html, TargetCast, html};

use crate::named_scenario::{ScenarioAction, file_url};
use crate::state::{Action, LabAction};

/// The picker's markup; empty when the protocol has no named scenarios. `current` is
/// the title of the scenario the run was opened from, `about` that scenario's
/// metadata, and `loading` the scenario being fetched, if any.
pub fn scenario_picker(
    tab_name: &'static str,
    current: Option<&str>,
    about: &Map<String, Value>,
    loading: Option<&'static ScenarioInfo>,
    on_action: &Callback<Action>,
) -> Html {
    let list: Vec<&'static ScenarioInfo> = catalog::of(tab_name).collect();
    if list.is_empty() {
        return Html::default();
    }
    let chosen = match loading {
        Some(l) => list.iter().position(|s| s.name == l.name),
        None => current.and_then(|t| list.iter().position(|s| s.title == t)),
    };
    let on_change = {
        let cb = on_action.clone();
        Callback::from(move |e: yew::Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let i = s.value().parse::<usize>().ok();
            match i.and_then(|i| catalog::of(tab_name).nth(i)) {
                Some(info) => {
                    cb.emit(Action::Scenario(ScenarioAction::Open(info)));
                    let cb = cb.clone();
                    // A late answer (the user chose again) is ignored by the reducer.
                    yew::platform::spawn_local(async move {
                        let text = crate::browser::fetch_text(&file_url(info)).await;
                        cb.emit(Action::Scenario(ScenarioAction::Loaded(info, text)));
                    });
                }
                // "Free play": the same seed and settings, no scripted steps.
                None => cb.emit(Action::Lab(LabAction::Reset)),
            }
        })
    };
    let meta = |k: &str| {
        chosen
            .and(about.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    html! {
        <section class="panel scenario" aria-label="Scenarios" aria-busy={loading.map(|_| "true")}>
            <header class="panel__head">
                <h2>{ "Scenario" }</h2>
                <select class="input input--small scenario__select" aria-label="Scenario" onchange={on_change}>
                    <option value="" selected={chosen.is_none()}>{ "Free play" }</option>
                    { for list.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={chosen == Some(i)}>{ s.title }</option>
                    }) }
                </select>
            </header>
            if loading.is_some() {
                <div class="scenario__body">
                    <p role="status" data-testid="scenario-loading">{ "Loading scenario…" }</p>
                </div>
            } else if let Some(d) = meta("description") {
                <div class="scenario__body">
                    <p>{ d }</p>
                    if let Some(w) = meta("watch") { <p><b>{ "Watch: " }</b>{ w }</p> }
                    if let Some(x) = meta("expect") { <p><b>{ "What should happen: " }</b>{ x }</p> }
                </div>
            }
        </section>
    }
}
