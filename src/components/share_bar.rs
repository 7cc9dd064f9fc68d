//! Sharing: export the run as a scenario or a trace (JSON downloads), copy the link,
//! and import a scenario or trace file.

use web_sys::HtmlInputElement;
use yew::{Callback, Html, Properties, TargetCast, component, html};

use super::parts::{Btn, button};
use crate::state::{Action, Notice, Opening};

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// The scenario (seed, settings, inputs).
    Scenario,
    /// The trace up to the cursor, with its scenario.
    Trace,
}

/// Props of [`ShareBar`].
#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// Export the active run.
    pub on_export: Callback<Export>,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// The export/import buttons.
#[component]
pub fn ShareBar(props: &ShareProps) -> Html {
    share_bar(&props.on_export, &props.on_action)
}

/// [`ShareBar`]'s markup, for a caller that draws it without a component of its own.
pub fn share_bar(on_export: &Callback<Export>, on_action: &Callback<Action>) -> Html {
    let export = |text, title: &'static str, what: Export| {
        let cb = on_export.clone();
        button(
            "btn btn--ghost",
            text,
            Btn {
                title: Some(title.into()),
                ..Btn::default()
            },
            Callback::from(move |_| cb.emit(what)),
        )
    };
    let on_file = {
        let cb = on_action.clone();
        Callback::from(move |e: yew::Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let cb = cb.clone();
            yew::platform::spawn_local(async move {
                match crate::browser::read_file(file).await {
                    Ok(text) => cb.emit(classify(text)),
                    Err(e) => cb.emit(Action::Notify(Notice::error(format!(
                        "Could not import: {e}"
                    )))),
                }
            });
        })
    };
    html! {
        <div class="share" role="group" aria-label="Share">
            { export("Export scenario", "Download the run as a faultlab-scenario/1 file", Export::Scenario) }
            { export("Export trace", "Download the trace up to the viewed event", Export::Trace) }
            <label class="btn btn--ghost file-btn" title="Open a scenario or trace JSON file">
                { "Import…" }
                <input type="file" accept=".json,application/json" aria-label="Import scenario or trace" onchange={on_file} />
            </label>
        </div>
    }
}

/// A trace file if it says so, otherwise a scenario.
pub fn classify(text: String) -> Action {
    let is_trace = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.get("format")
                .and_then(|f| f.as_str())
                .map(|f| f.starts_with("faultlab-trace"))
        })
        .unwrap_or(false);
    if is_trace {
        Action::ImportTrace(text)
    } else {
        Action::OpenScenario(text, Opening::File)
    }
}
