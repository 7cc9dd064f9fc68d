//! The scenario picker: every named scenario of the tab's protocol, with what to watch
//! and what should happen. Choosing one starts it from time 0.

use std::rc::Rc;

use serde_json::Value;
use web_sys::HtmlSelectElement;
use yew::{Callback, Html, Properties, TargetCast, component, html};

use crate::state::{Action, LabAction, Opening};

/// Props of [`ScenarioPicker`].
#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// The tab's protocol name (`"raft"`, `"2pc"`).
    pub tab_name: &'static str,
    /// The protocol's named scenarios.
    pub scenarios: Rc<Vec<Value>>,
    /// The title of the scenario the run was opened from, if any.
    pub current: Option<String>,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// A scenario's title, if it has one.
fn title_of(v: &Value) -> Option<&str> {
    v.get("title").and_then(Value::as_str)
}

/// The picker; empty when the protocol has no named scenarios.
#[component]
pub fn ScenarioPicker(props: &PickerProps) -> Html {
    scenario_picker(
        props.tab_name,
        &props.scenarios,
        props.current.as_deref(),
        &props.on_action,
    )
}

/// [`ScenarioPicker`]'s markup, for a caller that draws it without a component of its
/// own.
pub fn scenario_picker(
    tab_name: &'static str,
    scenarios: &Rc<Vec<Value>>,
    current: Option<&str>,
    on_action: &Callback<Action>,
) -> Html {
    if scenarios.is_empty() {
        return Html::default();
    }
    let chosen = current.and_then(|t| scenarios.iter().position(|v| title_of(v) == Some(t)));
    let on_change = {
        let cb = on_action.clone();
        let scenarios = Rc::clone(scenarios);
        Callback::from(move |e: yew::Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let i = s.value().parse::<usize>().ok();
            match i.and_then(|i| scenarios.get(i)) {
                Some(v) => {
                    // The file names the tab's protocol (the catalog leaves it out).
                    let mut v = v.clone();
                    if let Value::Object(o) = &mut v {
                        o.insert("protocol".into(), Value::String(tab_name.to_owned()));
                    }
                    cb.emit(Action::OpenScenario(v.to_string(), Opening::File));
                }
                // "Free play": the same seed and settings, no scripted steps.
                None => cb.emit(Action::Lab(LabAction::Reset)),
            }
        })
    };
    let meta = |k: &str| {
        chosen
            .and_then(|i| scenarios.get(i))
            .and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    html! {
        <section class="panel scenario" aria-label="Scenarios">
            <header class="panel__head">
                <h2>{ "Scenario" }</h2>
                <select class="input input--small scenario__select" aria-label="Scenario" onchange={on_change}>
                    <option value="" selected={chosen.is_none()}>{ "Free play" }</option>
                    { for scenarios.iter().enumerate().map(|(i, v)| html! {
                        <option value={i.to_string()} selected={chosen == Some(i)}>
                            { title_of(v).unwrap_or("untitled").to_owned() }
                        </option>
                    }) }
                </select>
            </header>
            if let Some(d) = meta("description") {
                <div class="scenario__body">
                    <p>{ d }</p>
                    if let Some(w) = meta("watch") { <p><b>{ "Watch: " }</b>{ w }</p> }
                    if let Some(x) = meta("expect") { <p><b>{ "What should happen: " }</b>{ x }</p> }
                </div>
            }
        </section>
    }
}
