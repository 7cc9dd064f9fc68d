//! The control bar: play/pause, step, step to the next delivery, step back, reset, the
//! timeline slider, the speed slider, the seed field and the event/time read-out.

use web_sys::HtmlInputElement;
use yew::{
    Callback, Html, InputEvent, Properties, SubmitEvent, TargetCast, component, html, use_state,
};

use crate::layout::{SPEED_LOG_MAX, SPEED_LOG_MIN, speed_from_log, speed_label, time_label};
use crate::num::fixed;
use crate::state::{Action, LabAction};

/// What the control bar shows, taken from the active lab.
#[derive(Clone, Debug, PartialEq)]
pub struct Transport {
    /// Playing or paused.
    pub playing: bool,
    /// The event being viewed.
    pub cursor: u64,
    /// The newest event.
    pub head: u64,
    /// The oldest event that can still be viewed (older ones were forgotten).
    pub first: u64,
    /// Virtual time viewed, ms.
    pub view_ms: f64,
    /// Speed, log10.
    pub speed_log: f64,
    /// The run's seed.
    pub seed: u64,
    /// Violations marked on the timeline: `(event, invariant)`.
    pub marks: Vec<(u64, String)>,
}

/// Props of [`ControlBar`].
#[derive(Properties, PartialEq)]
pub struct ControlProps {
    /// The transport state.
    pub transport: Transport,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// The control bar.
#[component]
pub fn ControlBar(props: &ControlProps) -> Html {
    let t = &props.transport;
    let send = |a: LabAction| {
        let cb = props.on_action.clone();
        Callback::from(move |_| cb.emit(Action::Lab(a.clone())))
    };
    let seed_text = use_state(|| None::<String>);
    let seed_error = use_state(|| None::<String>);

    let on_timeline = {
        let cb = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(n) = input.value().parse::<u64>() {
                cb.emit(Action::Lab(LabAction::Seek(n)));
            }
        })
    };
    let on_speed = {
        let cb = props.on_action.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            // The browser parses the range value (no float parser in the bundle).
            let v = input.value_as_number();
            if v.is_finite() {
                cb.emit(Action::Lab(LabAction::SetSpeedLog(v)));
            }
        })
    };
    let on_seed_input = {
        let seed_text = seed_text.clone();
        let seed_error = seed_error.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            seed_error.set(seed_problem(&input.value()));
            seed_text.set(Some(input.value()));
        })
    };
    let on_seed_submit = {
        let cb = props.on_action.clone();
        let seed_text = seed_text.clone();
        let seed_error = seed_error.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(text) = (*seed_text).clone() else {
                return;
            };
            if let Some(problem) = seed_problem(&text) {
                seed_error.set(Some(problem));
            } else {
                let seed = text.trim().parse::<u64>().unwrap_or_default();
                seed_text.set(None);
                seed_error.set(None);
                cb.emit(Action::Lab(LabAction::SetSeed(seed)));
            }
        })
    };
    let seed_value = (*seed_text).clone().unwrap_or_else(|| t.seed.to_string());
    let (play_label, play_icon) = if t.playing {
        ("Pause", "❚❚")
    } else {
        ("Play", "▶")
    };

    html! {
        <div class="controls" role="toolbar" aria-label="Playback">
            <div class="controls__group">
                <button class={if t.playing { "btn btn--primary is-on" } else { "btn btn--primary" }}
                    aria-label={play_label} title={format!("{play_label} (Space)")}
                    onclick={send(LabAction::TogglePlay)}>
                    <span aria-hidden="true" class="btn__icon">{ play_icon }</span>
                    <span class="btn__text">{ play_label }</span>
                </button>
                <button class="btn" aria-label="Step back" title="Step back one event (←)"
                    disabled={t.cursor == 0} onclick={send(LabAction::StepBack)}>
                    <span aria-hidden="true">{ "⟨" }</span>
                </button>
                <button class="btn" aria-label="Step" title="Step one event (→)" onclick={send(LabAction::Step)}>
                    <span aria-hidden="true">{ "⟩" }</span>
                </button>
                <button class="btn" aria-label="Step to next delivery" title="Step to the next message delivery"
                    onclick={send(LabAction::StepToDelivery)}>
                    <span aria-hidden="true">{ "⟩✉" }</span>
                </button>
                <button class="btn" aria-label="Reset" title="Restart the run from its seed, without inputs"
                    onclick={send(LabAction::Reset)}>
                    <span aria-hidden="true">{ "↺" }</span>
                </button>
            </div>
            <div class="controls__timeline">
                <input type="range" class="timeline" aria-label="Timeline" min={t.first.to_string()}
                    max={t.head.to_string()} value={t.cursor.to_string()} step="1" oninput={on_timeline} />
                { timeline_marks(t) }
                <div class="readout" aria-live="off">
                    <span class="readout__item" title="Event being viewed / events so far">
                        { "event " }<b data-testid="event-counter">{ t.cursor }</b>{ " / " }{ t.head }
                    </span>
                    <span class="readout__item" title="Virtual time">
                        { "t = " }<b data-testid="virtual-time">{ time_label(t.view_ms) }</b>
                    </span>
                    if t.cursor < t.head {
                        <span class="readout__badge" title="Viewing the past: an action here forks the run">{ "past" }</span>
                    }
                    if t.first > 0 {
                        <span class="readout__item muted" data-testid="first-event"
                            title="A long run keeps only its newest events (to bound memory): the timeline starts here. The run's link still replays it all.">
                            { format!("kept from {}", t.first) }
                        </span>
                    }
                </div>
            </div>
            <label class="controls__speed">
                <span class="controls__label">{ "Speed" }</span>
                <input type="range" aria-label="Speed" min={fixed(SPEED_LOG_MIN, 0)} max={fixed(SPEED_LOG_MAX, 0)}
                    step="0.05" value={fixed(t.speed_log, 2)} oninput={on_speed}
                    aria-valuetext={speed_label(speed_from_log(t.speed_log))} />
                <output class="controls__value">{ speed_label(speed_from_log(t.speed_log)) }</output>
            </label>
            <form class="controls__seed" onsubmit={on_seed_submit}>
                <label for="seed-input" class="controls__label">{ "Seed" }</label>
                <input id="seed-input" class={if seed_error.is_some() { "input input--bad" } else { "input" }}
                    inputmode="numeric" value={seed_value} oninput={on_seed_input}
                    aria-invalid={seed_error.is_some().to_string()} aria-describedby="seed-error" />
                <button class="btn btn--small" type="submit" aria-label="Apply seed">{ "Set" }</button>
                if let Some(problem) = &*seed_error {
                    <span id="seed-error" class="field-error" role="alert">{ problem.clone() }</span>
                }
            </form>
        </div>
    }
}

/// A tick over the timeline at each violation's event (red, with the invariant as its
/// tooltip), so the user sees where the run breaks before scrubbing to it.
fn timeline_marks(t: &Transport) -> Html {
    if t.marks.is_empty() || t.head <= t.first {
        return Html::default();
    }
    html! {
        <div class="timeline-marks" aria-hidden="true">
            { for t.marks.iter().map(|(event, inv)| {
                #[allow(clippy::cast_precision_loss)]
                let f = ((*event).clamp(t.first, t.head) - t.first) as f64 / (t.head - t.first) as f64;
                html! {
                    <span class="timeline-mark" key={inv.clone()} data-event={event.to_string()} title={format!("{inv} (event {event})")}
                        style={format!("--at: {}", fixed(f, 5))} />
                }
            }) }
        </div>
    }
}

/// What is wrong with a seed typed by the user, if anything.
pub fn seed_problem(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        return Some("Seed: enter a whole number".into());
    }
    if t.parse::<u64>().is_err() {
        return Some(format!(
            "Seed must be a whole number from 0 to {}",
            u64::MAX
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::seed_problem;

    #[test]
    fn seeds_are_validated() {
        assert_eq!(seed_problem("42"), None);
        assert_eq!(seed_problem(" 7 "), None);
        assert!(seed_problem("").is_some());
        assert!(seed_problem("-1").is_some());
        assert!(seed_problem("abc").is_some());
        assert!(seed_problem("99999999999999999999999").is_some());
    }
}
