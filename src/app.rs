//! The app: the reducer, the play loop, keyboard shortcuts, the URL, and the page
//! layout (top bar, control bar, notice line, and the active tab's workspace).

use std::cell::Cell;

use wasm_bindgen::JsCast;
use yew::{
    Callback, Html, component, html, use_callback, use_effect_with, use_mut_ref, use_reducer,
    use_state,
};

use crate::browser::{self, FrameLoop};
use crate::components::cluster::ClusterView;
use crate::components::controls::{ControlBar, Transport};
use crate::components::help::help;
use crate::components::hunt_bar::HuntBar;
use crate::components::log_panel::LogPanel;
use crate::components::message_panel::message_panel;
use crate::components::node_panel::node_panel;
use crate::components::protocol_view::ProtocolView;
use crate::components::requests_panel::{self, requests_panel};
use crate::components::scenario_picker::scenario_picker;
use crate::components::settings::Settings;
use crate::components::share_bar::{Export, share_bar};
use crate::components::spacetime::{space_time, stage_switch};
use crate::components::tour_card::TourCard;
use crate::components::tour_menu::TourMenu;
use crate::components::violations::violations;
use crate::lab::{Fault, Lab, Selection};
use crate::plugin::LabProtocol;
use crate::spacetime::SpacetimeProtocol;
use crate::state::{Action, AppState, LabAction, Notice, RaftP, Tab, TwoPcP};
use crate::tour::TourAction;

/// Real ms per frame the play loop gives the engine (the page's own work and the
/// browser's style, layout and paint take the rest of a 16.7 ms frame).
const ENGINE_MS: f64 = 4.0;
/// A display frame (60 Hz), until the play loop has measured the real one.
const FRAME_MS: f64 = 1000.0 / 60.0;
/// The shortest frame interval believed (a 144 Hz display): two callbacks closer than
/// this are a hiccup, not the display's rate.
const FASTEST_FRAME_MS: f64 = 1000.0 / 144.0;
/// The engine-event budget of the first frame, before the engine's speed is known.
const FIRST_BUDGET: f64 = 500.0;
/// While playing, the URL is refreshed this often (virtual ms) even without inputs.
const URL_REFRESH_MS: f64 = 2_000.0;

fn transport<P: LabProtocol>(lab: &Lab<P>) -> Transport {
    Transport {
        playing: lab.playing,
        cursor: lab.cursor(),
        head: lab.head_events(),
        first: lab.first_event(),
        view_ms: lab.view_ms(),
        speed_log: lab.speed_log,
        seed: lab.recipe.seed,
        marks: lab.with_head(|w| {
            w.violations()
                .iter()
                .map(|v| (v.event, v.invariant.clone()))
                .collect()
        }),
    }
}

/// The page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::from_fragment(&browser::current_hash()));
    let on_action = {
        let d = state.dispatcher();
        use_callback((), move |a: Action, ()| d.dispatch(a))
    };
    // Each tab's stage (cluster ring or space-time diagram), kept across tab switches:
    // a tab's workspace is a different component per protocol, so its own state would
    // be dropped with it.
    let stages = use_state(|| [false; 2]);
    let on_stage = {
        let stages = stages.clone();
        let tab = usize::from(state.tab == Tab::TwoPc);
        use_callback((tab, *stages), move |on: bool, &(tab, now)| {
            let mut next = now;
            next[tab] = on;
            stages.set(next);
        })
    };

    // The play loop: one tick per animation frame, for exactly as long as the active
    // tab plays. (A 16 ms interval drifts against the display's frames and now and then
    // lands twice in one, which then does two frames' work and misses its deadline.)
    {
        let d = state.dispatcher();
        use_effect_with((state.tab, state.active_playing()), move |&(_, playing)| {
            let frames = playing.then(|| {
                let last = Cell::new(browser::now_ms());
                // Events per frame the engine may run: sized from the last frames' tick
                // times so that a tick takes about ENGINE_MS. (A tick that ran fewer
                // events than allowed was quicker, which only raises the budget.)
                let budget = Cell::new(FIRST_BUDGET);
                // The display's frame interval, estimated: it follows a shorter frame at
                // once and a longer one slowly.
                let interval = Cell::new(FRAME_MS);
                FrameLoop::start(move || {
                    let t = browser::now_ms();
                    let dt = t - last.replace(t);
                    let frame = interval.get();
                    interval.set(if dt < frame {
                        dt.max(FASTEST_FRAME_MS)
                    } else {
                        0.98 * frame + 0.02 * dt
                    });
                    // A late frame advances the run by at most one and a half frames'
                    // worth: catching up in full would give the next frame more events
                    // to run and more to draw, and make it late in turn (a page that
                    // once falls behind would stay at half the frame rate). The run then
                    // plays slower than asked until frames are on time again.
                    let dt = dt.min(1.5 * interval.get());
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    d.dispatch(Action::TickWithin(dt, budget.get() as u64));
                    let took = (browser::now_ms() - t).max(0.1);
                    let next =
                        crate::num::clamp(budget.get() * ENGINE_MS / took, 50.0, 1_000_000.0);
                    budget.set(0.5 * budget.get() + 0.5 * next);
                })
            });
            move || drop(frames)
        });
    }

    // Keyboard shortcuts on the whole document.
    {
        let d = state.dispatcher();
        use_effect_with((), move |()| {
            let listener = web_sys::window().and_then(|w| w.document()).map(|doc| {
                let opts = gloo_events::EventListenerOptions::enable_prevent_default();
                gloo_events::EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                    if let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>()
                        && let Some(action) = shortcut(e)
                    {
                        e.prevent_default();
                        d.dispatch(action);
                    }
                })
            });
            move || drop(listener)
        });
    }

    // The URL follows the run (inputs, pauses, and every few seconds while playing).
    {
        let playing = state.active_playing();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let key = if playing {
            let view = match state.tab {
                Tab::Raft => state.raft.view_ms(),
                Tab::TwoPc => state.twopc.view_ms(),
            };
            let speed = match state.tab {
                Tab::Raft => state.raft.speed(),
                Tab::TwoPc => state.twopc.speed(),
            };
            // Every URL_REFRESH_MS of virtual time, but not more than once every five
            // seconds of real time: browsers throttle history updates, and one costs a
            // whole frame (about 17 ms in headless chromium).
            let span = URL_REFRESH_MS.max(speed * 5_000.0);
            (state.active_inputs() as u64, (view / span) as u64)
        } else {
            (state.active_version(), u64::MAX)
        };
        let s = state.clone();
        use_effect_with((state.tab, playing, key), move |_| {
            browser::replace_hash(&crate::share::fragment_for(&s.active_scenario()));
        });
    }

    let on_export = {
        let s = state.clone();
        let on_action = on_action.clone();
        Callback::from(move |what: Export| {
            let (name, value) = match what {
                Export::Scenario => (
                    format!("faultlab-{}-seed{}.json", s.tab.protocol(), seed(&s)),
                    s.active_scenario(),
                ),
                Export::Trace => (
                    format!("faultlab-{}-seed{}-trace.json", s.tab.protocol(), seed(&s)),
                    s.active_trace(),
                ),
            };
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            if let Err(e) = browser::download(&name, &text) {
                on_action.emit(Action::Notify(Notice::error(format!("Export failed: {e}"))));
            }
        })
    };

    let tab_button = |tab: Tab| {
        let cb = on_action.clone();
        let selected = state.tab == tab;
        html! {
            <button role="tab" class={if selected { "tab tab--active" } else { "tab" }}
                id={format!("tab-{}", tab.protocol())} aria-selected={selected.to_string()}
                aria-controls="workspace" tabindex={if selected { "0" } else { "-1" }}
                onclick={Callback::from(move |_| cb.emit(Action::SelectTab(tab)))}>
                { tab.label() }
            </button>
        }
    };
    let dismiss = {
        let cb = on_action.clone();
        Callback::from(move |_| cb.emit(Action::Dismiss))
    };
    let open_help = {
        let cb = on_action.clone();
        Callback::from(move |_| cb.emit(Action::Help(true)))
    };
    let t = match state.tab {
        Tab::Raft => transport(&state.raft),
        Tab::TwoPc => transport(&state.twopc),
    };
    let recipe = match state.tab {
        Tab::Raft => &state.raft.recipe,
        Tab::TwoPc => &state.twopc.recipe,
    };

    html! {
        <div class="app" id="app">
            <header class="topbar">
                <div class="brand">
                    <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
                        <circle cx="16" cy="6" r="4" /><circle cx="6" cy="24" r="4" /><circle cx="26" cy="24" r="4" />
                        <path d="M16 10 L8 21 M16 10 L24 21 M10 24 L22 24" />
                    </svg>
                    <span class="brand__name">{ "faultlab" }</span>
                    <span class="brand__tag">{ "fault-tolerance lab" }</span>
                </div>
                <nav class="tabs" role="tablist" aria-label="Protocol">
                    { tab_button(Tab::Raft) }
                    { tab_button(Tab::TwoPc) }
                </nav>
                <div class="topbar__right">
                    <TourMenu active={state.tour.as_ref().map(|t| t.name)} on_action={on_action.clone()} />
                    { share_bar(&on_export, &on_action) }
                    <button class="btn btn--ghost btn--icon" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onclick={open_help}>{ "?" }</button>
                </div>
            </header>
            <ControlBar transport={t} on_action={on_action.clone()} />
            <HuntBar tab={state.tab} mode={recipe.mode.clone()} bugs={recipe.bugs.clone()} hunt={state.hunt.clone()} on_action={on_action.clone()} />
            if let Some(n) = &state.notice {
                <div class={if n.error { "notice notice--error" } else { "notice" }} role={if n.error { "alert" } else { "status" }}>
                    <span class="notice__icon" aria-hidden="true">{ if n.error { "!" } else { "i" } }</span>
                    <span class="notice__text">{ n.text.clone() }</span>
                    <button class="btn btn--ghost btn--small" aria-label="Dismiss" onclick={dismiss}>{ "✕" }</button>
                </div>
            }
            <main class="workspace" id="workspace" role="tabpanel" aria-labelledby={format!("tab-{}", state.tab.protocol())}>
                { match state.tab {
                    Tab::Raft => html! { <TabView<RaftP> key="raft" lab={state.raft.clone()} on_action={on_action.clone()}
                        spacetime={stages[0]} on_stage={on_stage.clone()} /> },
                    Tab::TwoPc => html! { <TabView<TwoPcP> key="2pc" lab={state.twopc.clone()} on_action={on_action.clone()}
                        spacetime={stages[1]} on_stage={on_stage.clone()} /> },
                } }
                if let Some(tour) = state.tour.clone().filter(|t| t.tab == state.tab) {
                    <TourCard cursor={match tour.tab { Tab::Raft => state.raft.cursor(), Tab::TwoPc => state.twopc.cursor() }}
                        tour={tour} on_action={on_action.clone()} />
                }
            </main>
            if state.help {
                { help(&on_action) }
            }
        </div>
    }
}

fn seed(s: &AppState) -> u64 {
    match s.tab {
        Tab::Raft => s.raft.recipe.seed,
        Tab::TwoPc => s.twopc.recipe.seed,
    }
}

/// The action for a key press, unless the user is typing in a field.
fn shortcut(e: &web_sys::KeyboardEvent) -> Option<Action> {
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let tag = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| el.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(tag.as_str(), "input" | "select" | "textarea") {
        return None;
    }
    let key = e.key();
    // Space and Enter on a focused button (or node) press that button instead.
    let on_control = tag == "button" || tag == "g" || tag == "a";
    Some(match key.as_str() {
        " " | "." if !on_control => Action::Lab(LabAction::TogglePlay),
        "ArrowRight" => Action::Lab(LabAction::Step),
        "ArrowLeft" => Action::Lab(LabAction::StepBack),
        "?" => Action::Help(true),
        "Escape" => Action::Escape,
        k => match k.to_ascii_lowercase().as_str() {
            "c" => Action::Lab(LabAction::Key('c')),
            "r" => Action::Lab(LabAction::Key('r')),
            "t" => Action::Lab(LabAction::Key('t')),
            "a" => Action::Lab(LabAction::Key('a')),
            "d" => Action::Lab(LabAction::StepToDelivery),
            "h" => Action::Lab(LabAction::Fault(Fault::Heal)),
            // Guided tours: next / previous stop (nothing happens without a tour).
            "n" => Action::Tour(TourAction::Next),
            "p" => Action::Tour(TourAction::Previous),
            _ => return None,
        },
    })
}

/// The cluster view's legend: RPC colours, request vs reply, timer, crashed, dropped.
fn legend(rpcs: &'static [&'static str]) -> Html {
    html! {
        <ul class="legend" aria-label="Legend">
            { for rpcs.iter().enumerate().map(|(i, r)| html! {
                <li><svg viewBox="-10 -10 20 20" class={format!("legend__sw rpc-{}", i % 10)} aria-hidden="true"><circle class="msg__dot" r="7" /></svg>{ *r }</li>
            }) }
            <li><svg viewBox="-10 -10 20 20" class="legend__sw legend__reply" aria-hidden="true"><rect x="-7" y="-7" width="14" height="14" rx="3" /></svg>{ "reply" }</li>
            <li><svg viewBox="-10 -10 20 20" class="legend__sw legend__timer" aria-hidden="true"><path d="M 0 -7 A 7 7 0 1 1 -7 0" /></svg>{ "timer left" }</li>
            <li><svg viewBox="-10 -10 20 20" class="legend__sw legend__down" aria-hidden="true"><circle r="7" /><path d="M -3.5 -3.5 L 3.5 3.5 M 3.5 -3.5 L -3.5 3.5" /></svg>{ "crashed" }</li>
            <li><svg viewBox="-10 -10 20 20" class="legend__sw legend__drop" aria-hidden="true"><path d="M -4 -4 L 4 4 M 4 -4 L -4 4" /></svg>{ "dropped" }</li>
        </ul>
    }
}

/// Props of one tab's workspace.
#[derive(yew::Properties)]
struct TabProps<P: LabProtocol> {
    lab: Lab<P>,
    on_action: Callback<Action>,
    /// The stage shows the space-time diagram (else the cluster ring).
    spacetime: bool,
    /// Switch the stage.
    on_stage: Callback<bool>,
}

impl<P: LabProtocol> PartialEq for TabProps<P> {
    fn eq(&self, other: &Self) -> bool {
        self.lab == other.lab
            && self.on_action == other.on_action
            && self.spacetime == other.spacetime
            && self.on_stage == other.on_stage
    }
}

/// One tab's workspace: violations, the cluster (or its space-time diagram) with its
/// panels, logs and settings.
#[component]
fn TabView<P: ProtocolView + SpacetimeProtocol>(props: &TabProps<P>) -> Html {
    let lab = &props.lab;
    let spacetime = props.spacetime;
    let on_stage = &props.on_stage;
    let heal = {
        let cb = props.on_action.clone();
        Callback::from(move |_| cb.emit(Action::Lab(LabAction::Fault(Fault::Heal))))
    };
    let partitioned = lab.with_world(|w| w.topology().needs_heal());
    let (net, nodes) = lab.with_head(|w| (w.net().clone(), w.node_count()));
    // The requests panel's rows and what they were read from (see its module).
    let requests = use_mut_ref(|| None::<requests_panel::Cache<P>>);
    html! {
        <>
            { lab.with_head(|w| violations(w.violations(), lab.cursor(), &props.on_action)) }
            <div class="grid">
                <section class="card stage" aria-label={if spacetime { "Space-time diagram" } else { "Cluster" }}>
                    <header class="panel__head">
                        { stage_switch(spacetime, on_stage) }
                        <span class="muted small">{ if spacetime { "messages over time" } else { "click a node or a message · drag across to partition" } }</span>
                        <button class="btn btn--small" disabled={!partitioned} onclick={heal}
                            title="Remove every partition, cut link and slow link (H)">{ "Heal" }</button>
                    </header>
                    <div class={if spacetime { "stage__body stage__body--spacetime" } else { "stage__body" }}>
                        if spacetime {
                            { space_time(lab, &props.on_action) }
                        } else {
                            <ClusterView<P> lab={lab.clone()} on_action={props.on_action.clone()} />
                        }
                    </div>
                    { legend(P::RPCS) }
                </section>
                <div class="side">
                    { match lab.selected {
                        Some(Selection::Node(id)) => node_panel(lab, id, &props.on_action),
                        Some(Selection::Message(m)) => message_panel(lab, m, &props.on_action),
                        None => Html::default(),
                    } }
                    { scenario_picker(lab.tab_name, lab.title.as_deref(), &lab.about, lab.loading, &props.on_action) }
                    { requests_panel(lab, &requests, &props.on_action) }
                    { P::panels(lab, &props.on_action) }
                    <LogPanel<P> lab={lab.clone()} on_action={props.on_action.clone()} />
                    <Settings net={net} nodes={nodes} recipe={lab.recipe.clone()} modes={P::modes()} bugs={P::bugs()} on_action={props.on_action.clone()} />
                </div>
            </div>
        </>
    }
}
