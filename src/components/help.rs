//! The keyboard help overlay (`?`).

use yew::{Callback, Html, Properties, component, html};

use super::parts::{close_button, send};
use crate::state::Action;

/// Props of [`Help`].
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Where actions go.
    pub on_action: Callback<Action>,
}

const KEYS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    ("→", "step one event"),
    ("←", "step back one event"),
    ("D", "step to the next delivery"),
    ("C", "open the client request form (of the leader, if any)"),
    ("R", "restart a crashed node, or the leader"),
    (
        "T / A",
        "spread the election timers (a clean election) / align them (a split vote)",
    ),
    ("H", "heal every partition"),
    (
        "N / P",
        "next / previous stop of a guided tour (Tours menu)",
    ),
    ("Esc", "close a panel"),
    ("?", "this help"),
];

/// The overlay listing the keyboard shortcuts.
#[component]
pub fn Help(props: &HelpProps) -> Html {
    help(&props.on_action)
}

/// [`Help`]'s markup, for a caller that draws it without a component of its own.
pub fn help(on_action: &Callback<Action>) -> Html {
    html! {
        <div class="overlay">
            <section class="panel dialog help" role="dialog" aria-label="Keyboard shortcuts" aria-modal="true">
                <header class="dialog__head">
                    <h2>{ "Keyboard shortcuts" }</h2>
                    { close_button(send(on_action, Action::Help(false))) }
                </header>
                <table class="keys">
                    <tbody>
                        { for KEYS.iter().map(|(k, what)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *what }</td></tr> }) }
                    </tbody>
                </table>
                <p class="muted">{ "Click a node or a message for its panel. Drag a line across the cluster to partition it into the two sides. Any action taken while viewing the past forks the run from there." }</p>
            </section>
        </div>
    }
}
