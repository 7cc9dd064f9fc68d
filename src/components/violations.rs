//! The violations banner (`role="alert"`): each broken invariant, what broke, and a
//! button that jumps to the event where it first held.

use yew::{Callback, Html, component, html};

use super::LabProps;
use crate::layout::time_label;
use crate::plugin::LabProtocol;
use crate::state::{Action, LabAction};

/// The banner; empty while every invariant holds.
#[component]
pub fn Violations<P: LabProtocol>(props: &LabProps<P>) -> Html {
    let violations = props.lab.with_head(|w| w.violations().to_vec());
    if violations.is_empty() {
        return Html::default();
    }
    html! {
        <div class="violations" role="alert">
            { for violations.iter().map(|v| {
                let cb = props.on_action.clone();
                let event = v.event;
                #[allow(clippy::cast_precision_loss)]
                let at = v.at_ms as f64;
                html! {
                    <div class="violation" key={v.invariant.clone()} data-invariant={v.invariant.clone()}>
                        <span class="violation__icon" aria-hidden="true">{ "!" }</span>
                        <div class="violation__text">
                            <strong>{ format!("Invariant violated: {}", v.invariant) }</strong>
                            <span>{ format!(" — {} (event {event}, t = {})", v.detail, time_label(at)) }</span>
                        </div>
                        <button class="btn btn--small" onclick={Callback::from(move |_| cb.emit(Action::Lab(LabAction::Seek(event))))}>
                            { format!("Jump to event {event}") }
                        </button>
                    </div>
                }
            }) }
        </div>
    }
}
