//! The "Tours" button in the top bar and its list of guided tours, grouped by
//! protocol, from the compiled-in catalog (titles and summaries show without a fetch).
//! Choosing one starts it (in its tab, paused at the first stop once its file loads).
//!
//! It owns whether the list is open; it must not start a tour itself (it dispatches).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::{Callback, Html, MouseEvent, Properties, component, html, use_memo, use_state};

use crate::state::{Action, Tab};
use crate::tour::{TourAction, TourEntry, entries};

/// Props of [`TourMenu`].
#[derive(Properties, PartialEq)]
pub struct TourMenuProps {
    /// The running tour's name, if any.
    pub active: Option<&'static str>,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// The button and, when open, the list.
#[component]
pub fn TourMenu(props: &TourMenuProps) -> Html {
    let open = use_state(|| false);
    // Built once (the top bar re-renders on every frame while playing).
    let tours: Rc<Vec<TourEntry>> = use_memo((), |()| entries());
    // One handler for the menu's clicks: on a tour's item it starts that tour (its
    // name is the item's `data-tour-item`); on the button or the backdrop it opens or
    // closes the list; elsewhere in the list it does nothing.
    let on_click = {
        let open = open.clone();
        let cb = props.on_action.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(hit) = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| {
                    el.closest("[data-tour-item], .tours__button, .tours__backdrop")
                        .ok()
                        .flatten()
                })
            else {
                return;
            };
            match hit.get_attribute("data-tour-item") {
                Some(name) => {
                    open.set(false);
                    cb.emit(Action::Tour(TourAction::Start(name)));
                }
                None => open.set(!*open),
            }
        })
    };
    let close_on_escape = {
        let open = open.clone();
        Callback::from(move |e: yew::KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                open.set(false);
            }
        })
    };
    let group = |tab: Tab| {
        let items = tours.iter().filter(|t| t.tab == tab).map(|t| {
            let current = props.active == Some(t.name);
            html! {
                <li>
                    <button class={if current { "tours__item tours__item--on" } else { "tours__item" }}
                        data-tour-item={t.name} aria-current={current.then_some("true")}>
                        <span class="tours__name">{ t.title }</span>
                        <span class="tours__summary">{ t.summary }</span>
                    </button>
                </li>
            }
        });
        html! {
            <section class="tours__group" aria-label={format!("{} tours", tab.label())}>
                <h3>{ tab.label() }</h3>
                <ul class="plain">{ for items }</ul>
            </section>
        }
    };
    html! {
        <div class="tours" onkeydown={close_on_escape} onclick={on_click}>
            <button class={if *open { "btn btn--ghost tours__button tours__button--open" } else { "btn btn--ghost tours__button" }}
                aria-expanded={if *open { "true" } else { "false" }} aria-controls="tour-list"
                title="Guided tours: narrated runs, stop by stop">
                { "Tours" }<span class="tours__caret" aria-hidden="true">{ "▾" }</span>
            </button>
            if *open {
                // A click anywhere outside the list closes it.
                <div class="tours__backdrop" />
                <div class="tours__list panel" id="tour-list" role="region" aria-label="Guided tours">
                    { group(Tab::Raft) }
                    { group(Tab::TwoPc) }
                </div>
            }
        </div>
    }
}
