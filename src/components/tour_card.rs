//! The tour card: the tour's title, "Stop k of n", the stop's caption and
//! Previous/Next/Exit, plus the stop's highlight (a node halo, an RPC's messages) as a
//! small generated style sheet, so the cluster view needs no tour-specific code.
//!
//! While the tour's file loads, the card says so and fetches it, then the file of the
//! named scenario it refers to, if any (the one place the tours touch the network: a
//! tour started from the menu and one opened by a link both show this card), and hands
//! the texts, or why there are none, to the reducer.
//!
//! It renders a [`TourRun`] and dispatches tour actions; it must not move the lab
//! itself.

use yew::{Callback, Html, MouseEvent, Properties, component, html, use_effect_with};

use super::parts::{Btn, button, send};

use faultlab_sim::scenario::catalog;
use faultlab_sim::tour::PinnedTour;

use crate::state::Action;
use crate::tour::{StopView, TourAction, TourFiles, TourRun, file_url};

/// Props of [`TourCard`].
#[derive(Properties, PartialEq)]
pub struct TourCardProps {
    /// The tour being taken.
    pub tour: TourRun,
    /// The event the tour's lab shows (to notice the user stepped away).
    pub cursor: u64,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// The card, shown under the workspace while a tour runs in the visible tab.
#[component]
pub fn TourCard(props: &TourCardProps) -> Html {
    let t = &props.tour;
    {
        // Fetch the file while the tour loads. An answer that arrives after the tour
        // was closed or replaced is ignored by the reducer.
        let on_action = props.on_action.clone();
        let protocol = t.tab.protocol();
        use_effect_with((t.name, t.is_loading()), move |&(name, loading)| {
            if loading {
                yew::platform::spawn_local(async move {
                    let files = fetch(name, protocol).await;
                    on_action.emit(Action::Tour(TourAction::Loaded(name.to_owned(), files)));
                });
            }
        });
    }
    let send = |a: TourAction| send(&props.on_action, Action::Tour(a));
    let exit = button(
        "btn btn--ghost btn--small tour__exit",
        "Exit tour",
        Btn {
            title: Some("Leave the tour; the run stays where it is".into()),
            ..Btn::default()
        },
        send(TourAction::Exit),
    );
    let loading = t.stop().is_none();
    let n = t.stops.len();
    let k = t.current;
    let (class, count, body) = match t.stop() {
        None => (
            "tour tour--loading",
            Html::default(),
            html! {
                <p class="tour__caption" role="status" data-testid="tour-caption">{ "Loading tour…" }</p>
            },
        ),
        Some(_) if t.left => (
            "tour tour--left",
            count_badge(k, n),
            html! {
                <>
                    <p class="tour__caption" role="status" data-testid="tour-caption">
                        { "You changed the run (a crash, a request, a new seed or scenario), so it has left the tour: the stops no longer describe it. Restart the tour to see it again, or exit and keep exploring." }
                    </p>
                    <div class="tour__nav">
                        { button("btn btn--primary", "Restart tour", Btn::default(), send(TourAction::Restart)) }
                    </div>
                </>
            },
        ),
        Some(stop) => (
            "tour",
            count_badge(k, n),
            stop_body(stop, k, n, props.cursor, send),
        ),
    };
    html! {
        <section class={class} aria-label={format!("Tour: {}", t.title)} aria-busy={loading.then_some("true")}
            data-tour={t.name} data-tour-loading={loading.then_some("true")}
            data-tour-stop={(!loading).then(|| (k + 1).to_string())}
            data-tour-left={(!loading).then_some(if t.left { "true" } else { "false" })}>
            <header class="tour__head">
                <span class="tour__badge">{ "Tour" }</span>
                <h2 class="tour__title">{ t.title }</h2>
                { count }
                { exit }
            </header>
            { body }
        </section>
    }
}

/// "Stop k of n".
fn count_badge(k: usize, n: usize) -> Html {
    html! {
        <span class="tour__count" data-testid="tour-count">{ format!("Stop {} of {n}", k + 1) }</span>
    }
}

/// A stop's title, caption, the way back to it, the stop navigation and the stop's
/// highlight.
fn stop_body(
    stop: &StopView,
    k: usize,
    n: usize,
    cursor: u64,
    send: impl Fn(TourAction) -> Callback<MouseEvent>,
) -> Html {
    let away = cursor != stop.event;
    html! {
        <>
            if let Some(title) = &stop.title {
                <h3 class="tour__stop" data-testid="tour-stop-title">{ title.clone() }</h3>
            }
            <p class="tour__caption" aria-live="polite" data-testid="tour-caption">{ stop.caption.clone() }</p>
            if away {
                <p class="tour__away small">
                    { format!("You are viewing event {cursor}; this stop is event {}. ", stop.event) }
                    { button("btn btn--small", "Back to this stop", Btn::default(), send(TourAction::Return)) }
                </p>
            }
            <nav class="tour__nav" aria-label="Tour stops">
                <button class="btn" disabled={k == 0} onclick={send(TourAction::Previous)}
                    aria-keyshortcuts="P" title="Previous stop (P)">
                    <span aria-hidden="true">{ "‹ " }</span>{ "Previous" }
                </button>
                <ol class="tour__dots" aria-hidden="true">
                    { for (0..n).map(|i| html! { <li class={dot_class(i, k)} /> }) }
                </ol>
                <button class="btn btn--primary" disabled={k + 1 >= n} onclick={send(TourAction::Next)}
                    aria-keyshortcuts="N" title="Next stop (N)">
                    { "Next" }<span aria-hidden="true">{ " ›" }</span>
                </button>
            </nav>
            <style>{ highlight_css(stop) }</style>
        </>
    }
}

fn dot_class(i: usize, current: usize) -> &'static str {
    match i.cmp(&current) {
        std::cmp::Ordering::Less => "tour__dot tour__dot--done",
        std::cmp::Ordering::Equal => "tour__dot tour__dot--on",
        std::cmp::Ordering::Greater => "tour__dot",
    }
}

/// The style sheet that points at the stop's nodes and RPC. Names come from the
/// fetched tour files; anything but letters, digits, `-` and `_` is dropped, so a
/// name can never break out of its attribute selector.
fn highlight_css(stop: &StopView) -> String {
    let safe = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect::<String>()
    };
    let mut css = String::new();
    let nodes: Vec<String> = stop
        .highlight
        .nodes
        .iter()
        .map(|n| safe(n))
        .filter(|n| !n.is_empty())
        .map(|n| format!(".cluster [data-node=\"{n}\"] .node__track"))
        .collect();
    if !nodes.is_empty() {
        css.push_str(&nodes.join(", "));
        css.push_str(" { stroke: var(--tour-halo); stroke-width: 16; }\n");
    }
    if let Some(rpc) = stop
        .highlight
        .rpc
        .as_deref()
        .map(safe)
        .filter(|r| !r.is_empty())
    {
        // Messages are drawn as groups with a dot, or as bare dots when many fly.
        for (i, sel) in ["\"] .msg__dot", "\"].msg--dense"].iter().enumerate() {
            css.push_str(if i == 0 {
                ".cluster [data-rpc=\""
            } else {
                ", .cluster [data-rpc=\""
            });
            css.push_str(&rpc);
            css.push_str(sel);
        }
        css.push_str(" { stroke: var(--tour-ink); stroke-width: 3.5; }\n");
    }
    css
}

/// Fetch tour `name`'s file, then the file of the named scenario it refers to, if any
/// (an unknown name is left for the reducer's parse to report).
async fn fetch(name: &str, protocol: &str) -> Result<TourFiles, String> {
    let tour = crate::browser::fetch_text(&file_url(name)).await?;
    let info = PinnedTour::scenario_name(&tour).and_then(|n| catalog::info(protocol, &n));
    let scenario = match info {
        Some(info) => {
            let url = crate::named_scenario::file_url(info);
            let text = crate::browser::fetch_text(&url).await;
            Some(text.map_err(|e| format!("its scenario {url}: {e}"))?)
        }
        None => None,
    };
    Ok(TourFiles { tour, scenario })
}

#[cfg(test)]
mod tests {
    use faultlab_sim::tour::Highlight;

    use super::*;

    #[test]
    fn highlight_names_cannot_escape_their_selector() {
        let stop = StopView {
            title: None,
            caption: String::new(),
            event: 0,
            highlight: Highlight {
                nodes: vec!["grpc-node2".into(), "\"] {} body { x".into()],
                rpc: Some("RequestVote".into()),
            },
        };
        let css = highlight_css(&stop);
        assert!(css.contains("[data-node=\"grpc-node2\"]"));
        assert!(css.contains("[data-node=\"bodyx\"]"));
        assert!(css.contains("[data-rpc=\"RequestVote\"]"));
        assert!(css.contains("[data-rpc=\"RequestVote\"].msg--dense"));
        assert_eq!(css.matches('{').count(), 2);
    }
}
