//! The hunt bar: "Find a bug" runs a chaos sweep ([`crate::hunt`]) for the active
//! tab's mode and bug toggles, shows its progress (seeds, events, failures, elapsed)
//! with a Cancel button, and then its result: the failing seed, opened in its tab at
//! the violation, with the CLI command that reruns it; or a clean sweep.
//!
//! While a hunt runs the bar drives it: about [`SLICE_MS`] of work per animation
//! frame, in chunks, so the page keeps drawing at its frame rate. It owns that loop and its clock readings; the sweep itself and what it
//! finds belong to the reducer.

use std::cell::Cell;

use yew::{Callback, Html, Properties, component, html, use_effect_with};

use super::parts::{Btn, button, send};
use crate::browser::{self, FrameLoop};
use crate::hunt::session::{Session, Status};
use crate::hunt::{SEEDS, UNTIL_MS};
use crate::layout::time_label;
use crate::num::fixed;
use crate::state::{Action, HuntAction, Tab};

/// Real milliseconds of hunting per animation frame (half a 60 Hz frame: the rest is
/// for the page).
pub const SLICE_MS: f64 = 8.0;
/// Real milliseconds between two looks at the clock within a frame.
const CHUNK_MS: f64 = 1.0;
/// Engine events in the first chunk, before any speed is known.
const FIRST_CHUNK: f64 = 100.0;

/// Props of [`HuntBar`].
#[derive(Properties, PartialEq)]
pub struct HuntBarProps {
    /// The active tab.
    pub tab: Tab,
    /// Its mode.
    pub mode: String,
    /// Its extra bug toggles.
    pub bugs: Vec<String>,
    /// The hunt, if one ran or runs.
    pub hunt: Option<Session>,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// Real elapsed time, to a tenth of a second.
fn seconds(ms: f64) -> String {
    format!("{} s", fixed(ms.max(0.0) / 1000.0, 1))
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The bar.
#[component]
pub fn HuntBar(props: &HuntBarProps) -> Html {
    let running = props.hunt.as_ref().is_some_and(Session::running);

    // The driver: alive exactly while a hunt runs. Each frame runs chunks of about
    // CHUNK_MS (sized from the last chunks' speed) until SLICE_MS are spent: the clock
    // is read between chunks, so a slow stretch (a seed's end-of-run checks) costs one
    // chunk's overrun, not a frame. The page renders once per frame, after the loop.
    {
        let cb = props.on_action.clone();
        use_effect_with(running, move |&running| {
            let frames = running.then(|| {
                let start = browser::now_ms();
                let chunk = Cell::new(FIRST_CHUNK);
                FrameLoop::start(move || {
                    let frame = browser::now_ms();
                    loop {
                        let t0 = browser::now_ms();
                        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                        let events = chunk.get() as u64;
                        cb.emit(Action::Hunt(HuntAction::Slice {
                            events,
                            elapsed_ms: t0 - start,
                        }));
                        let t1 = browser::now_ms();
                        // Events per ms in this chunk, aimed at CHUNK_MS, smoothed.
                        let next = crate::num::clamp(
                            chunk.get() / (t1 - t0).max(0.05) * CHUNK_MS,
                            20.0,
                            50_000.0,
                        );
                        chunk.set(0.7 * chunk.get() + 0.3 * next);
                        if t1 - frame + CHUNK_MS > SLICE_MS {
                            break;
                        }
                    }
                })
            });
            move || drop(frames)
        });
    }

    let send = |a: HuntAction| send(&props.on_action, Action::Hunt(a));
    let what = {
        let bugs = if props.bugs.is_empty() {
            String::new()
        } else {
            format!(" + {}", props.bugs.join(", "))
        };
        format!(
            "Chaos over seeds 0–{}: {} s runs with crashes, pauses, partitions, slow links, reordering, loss, duplicates, clock skew and client load (each seed its own mix), {} mode{bugs}.",
            SEEDS - 1,
            UNTIL_MS / 1000,
            props.mode
        )
    };
    let find = button(
        "btn btn--primary hunt__go",
        "Find a bug",
        Btn {
            title: Some(what.clone().into()),
            disabled: running,
            ..Btn::default()
        },
        send(HuntAction::Start),
    );
    let Some(h) = &props.hunt else {
        return html! {
            <div class="hunt" data-hunt="idle" role="region" aria-label="Bug hunt">
                { find }
                <span class="hunt__what">{ what }</span>
            </div>
        };
    };
    let p = h.progress;
    #[allow(clippy::cast_precision_loss)]
    let rate = p.tried as f64 / (h.elapsed_ms / 1000.0).max(1e-3);
    let figures = format!(
        "{} / {} seeds · {} events · {} failure{} · {} · {} seeds/s",
        p.tried,
        p.limit,
        thousands(p.events),
        p.failures,
        if p.failures == 1 { "" } else { "s" },
        seconds(h.elapsed_ms),
        fixed(rate, 0),
    );
    let dismiss = button(
        "btn btn--ghost btn--small",
        "✕",
        Btn {
            aria_label: Some("Dismiss hunt"),
            ..Btn::default()
        },
        send(HuntAction::Dismiss),
    );
    let (state, body) = match &h.status {
        Status::Running => (
            "running",
            html! {
                <>
                    <progress class="hunt__meter" max={p.limit.to_string()} value={p.tried.to_string()} aria-label="Seeds tried" />
                    <span class="hunt__figures" data-testid="hunt-progress">{ figures }</span>
                    { button("btn btn--small", "Cancel", Btn::default(), send(HuntAction::Cancel)) }
                </>
            },
        ),
        Status::Found {
            seed,
            invariant,
            detail,
            event,
            at_ms,
        } => {
            #[allow(clippy::cast_precision_loss)]
            let at = *at_ms as f64;
            (
                "found",
                html! {
                    <>
                        <span class="hunt__result">
                            <strong>{ format!("Seed {seed} violates {invariant}") }</strong>
                            { format!(" at event {event} (t = {}): {detail}. ", time_label(at)) }
                            { format!("Opened in the {} tab at the violation; ", h.tab.label()) }
                            { format!("{} seed{} tried in {}.", p.tried, if p.tried == 1 { "" } else { "s" }, seconds(h.elapsed_ms)) }
                            if let Some(cmd) = &h.command {
                                <span class="hunt__cmd">{ " Rerun it: " }<code>{ cmd.clone() }</code></span>
                            }
                        </span>
                        { dismiss }
                    </>
                },
            )
        }
        Status::Clean => (
            "clean",
            html! {
                <>
                    <span class="hunt__result">
                        <strong>{ format!("No violation in {} seeds", p.tried) }</strong>
                        { format!(" ({} events, {}) in {} mode.", thousands(p.events), seconds(h.elapsed_ms), h.mode) }
                        if p.inconclusive > 0 {
                            <span class="hunt__inconclusive" data-inconclusive={p.inconclusive.to_string()}>
                                { format!(" {} seed{} inconclusive: a linearizability search ran out of budget, so those runs are neither passed nor failed.",
                                    p.inconclusive, if p.inconclusive == 1 { " was" } else { "s were" }) }
                            </span>
                        }
                    </span>
                    { dismiss }
                </>
            },
        ),
        Status::Cancelled => (
            "cancelled",
            html! {
                <>
                    <span class="hunt__result">{ format!("Hunt cancelled: {figures}.") }</span>
                    { dismiss }
                </>
            },
        ),
    };
    html! {
        <div class={format!("hunt hunt--{state}")} data-hunt={state} role="region" aria-label="Bug hunt"
            data-tried={p.tried.to_string()} data-events={p.events.to_string()} data-elapsed-ms={fixed(h.elapsed_ms, 0)}>
            { find }
            // Announced once it ends, not on every frame of progress.
            <div class="hunt__status" role={(!running).then_some("status")}>{ body }</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
