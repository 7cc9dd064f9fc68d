//! The violations banner (`role="alert"`): each broken invariant, what broke, and a
//! button that jumps to the event where it first held; the violation being viewed
//! (the cursor on its event) is marked.

use yew::{Callback, Html, Properties, component, html};

use super::parts::send;
use crate::layout::time_label;
use crate::state::{Action, LabAction};
use faultlab_sim::Violation;

/// Props of [`Violations`].
#[derive(Properties, PartialEq)]
pub struct ViolationsProps {
    /// The run's violations (from the head).
    pub violations: Vec<Violation>,
    /// The event being viewed.
    pub cursor: u64,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// The banner; empty while every invariant holds.
#[component]
pub fn Violations(props: &ViolationsProps) -> Html {
    violations(&props.violations, props.cursor, &props.on_action)
}

/// [`Violations`]' markup, for a caller that draws it without a component of its own.
pub fn violations(violations: &[Violation], cursor: u64, on_action: &Callback<Action>) -> Html {
    if violations.is_empty() {
        return Html::default();
    }
    html! {
        <div class="violations" role="alert">
            { for violations.iter().map(|v| {
                let event = v.event;
                let here = cursor == event;
                #[allow(clippy::cast_precision_loss)]
                let at = v.at_ms as f64;
                html! {
                    <div class={if here { "violation violation--here" } else { "violation" }} key={v.invariant.clone()}
                        data-invariant={v.invariant.clone()} data-event={event.to_string()} aria-current={here.then_some("step")}>
                        <span class="violation__icon" aria-hidden="true">{ "!" }</span>
                        <div class="violation__text">
                            <strong>{ format!("Invariant violated: {}", v.invariant) }</strong>
                            <span>{ format!(" — {} (event {event}, t = {})", v.detail, time_label(at)) }</span>
                            if here {
                                <span class="violation__here">{ " ◀ this event" }</span>
                            }
                        </div>
                        <button class="btn btn--small" onclick={send(on_action, Action::Lab(LabAction::Seek(event)))}>
                            { format!("Jump to event {event}") }
                        </button>
                    </div>
                }
            }) }
        </div>
    }
}
