//! The page's state and its reducer: the two tabs' labs, which tab is shown, the
//! notice line, the help overlay, and every [`Action`] the components dispatch.
//!
//! The reducer is the only place that changes a lab. It reads no clock and touches no
//! DOM: the play loop sends elapsed real time in [`Action::Tick`], and the app writes the
//! URL from the state after a render.

use std::rc::Rc;

use faultlab_sim::scenario::Scenario;
use faultlab_sim::{MsgId, NodeId};
use serde_json::{Map, Value, json};
use yew::Reducible;

use crate::hunt::session::Session as HuntSession;
use crate::lab::{Fault, Lab, Recipe, Selection};
use crate::named_scenario::ScenarioAction;
use crate::plugin::LabProtocol;
use crate::tour::{TourAction, TourRun};

/// The protocol behind the Raft tab.
pub type RaftP = faultlab_sim::raft::Raft;
/// The protocol behind the 2PC tab.
pub type TwoPcP = faultlab_sim::twopc::TwoPc;

/// The default seed of a fresh page.
pub const DEFAULT_SEED: u64 = 1;

/// The two tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// Raft over the music queue.
    Raft,
    /// Two-phase commit over the picture store.
    TwoPc,
}

impl Tab {
    /// The protocol name in scenario files.
    pub fn protocol(self) -> &'static str {
        match self {
            Tab::Raft => "raft",
            Tab::TwoPc => "2pc",
        }
    }

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Raft => "Raft",
            Tab::TwoPc => "2PC",
        }
    }

    /// The tab for a scenario's protocol name.
    pub fn from_protocol(name: &str) -> Option<Tab> {
        match name {
            "raft" => Some(Tab::Raft),
            "2pc" => Some(Tab::TwoPc),
            _ => None,
        }
    }
}

/// A one-line message under the control bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// An error (red, `role="alert"`) or information.
    pub error: bool,
    /// The text.
    pub text: String,
}

impl Notice {
    /// An error notice.
    pub fn error(text: impl Into<String>) -> Self {
        Notice {
            error: true,
            text: text.into(),
        }
    }
    /// An information notice.
    pub fn info(text: impl Into<String>) -> Self {
        Notice {
            error: false,
            text: text.into(),
        }
    }
}

/// Something the user (or the play loop) did to the active tab's lab.
#[derive(Clone, Debug, PartialEq)]
pub enum LabAction {
    /// Play if paused, pause if playing.
    TogglePlay,
    /// Pause.
    Pause,
    /// One event forward.
    Step,
    /// Forward to the next delivery.
    StepToDelivery,
    /// One event back.
    StepBack,
    /// Show event `n`.
    Seek(u64),
    /// Set the speed (log10 of the factor).
    SetSpeedLog(f64),
    /// Restart the run from its recipe (no inputs).
    Reset,
    /// A new seed (resets).
    SetSeed(u64),
    /// A new node count (resets).
    SetNodes(usize),
    /// A new mode (resets).
    SetMode(String),
    /// Toggle a bug (resets).
    ToggleBug(String),
    /// A fault or network action (recorded as an input).
    Fault(Fault),
    /// A client request: node and the scenario `client` object (without `node`).
    Client(NodeId, Map<String, Value>),
    /// Open a node's or a message's panel (pauses), or close it.
    Select(Option<Selection>),
    /// A keyboard shortcut that acts on the run (`c`, `r`, `t`, `a`).
    Key(char),
}

/// How a scenario is being opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opening {
    /// From a shared link: run to the shared point and pause there.
    Link,
    /// From a file or the scenario picker: start at time 0 and play.
    File,
}

/// What the hunt bar does ("Find a bug": a chaos sweep in the page, see
/// [`crate::hunt`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HuntAction {
    /// Start a hunt in the active tab with its mode and bugs (pauses the run).
    Start,
    /// Run the hunt for at most `events` engine events; `elapsed_ms` is the real time
    /// since it started.
    Slice {
        /// Engine events to process in this slice.
        events: u64,
        /// Real ms since the start.
        elapsed_ms: f64,
    },
    /// Stop the hunt.
    Cancel,
    /// Hide the hunt's result.
    Dismiss,
}

/// Everything the page does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Show a tab.
    SelectTab(Tab),
    /// Act on the active tab's lab.
    Lab(LabAction),
    /// This many real milliseconds passed.
    Tick(f64),
    /// The play loop: this many real milliseconds passed; run at most about this many
    /// engine events (see [`Lab::tick_within`]).
    TickWithin(f64, u64),
    /// Hide the notice.
    Dismiss,
    /// Show or hide the keyboard help.
    Help(bool),
    /// Escape: close the innermost open thing (the help, else the node or message
    /// panel of the active tab).
    Escape,
    /// Open a scenario (JSON text).
    OpenScenario(String, Opening),
    /// Open a shared link's fragment (`#s=…`).
    OpenLink(String),
    /// Import a trace file (JSON text): replay its scenario and check it matches.
    ImportTrace(String),
    /// Show a notice.
    Notify(Notice),
    /// The bug hunt.
    Hunt(HuntAction),
    /// Start, move through or leave a guided tour.
    Tour(TourAction),
    /// Open a named scenario from the picker (its file is fetched).
    Scenario(ScenarioAction),
}

/// The page's state.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The tab shown.
    pub tab: Tab,
    /// The Raft tab's run.
    pub raft: Lab<RaftP>,
    /// The 2PC tab's run.
    pub twopc: Lab<TwoPcP>,
    /// The notice line.
    pub notice: Option<Notice>,
    /// Whether the keyboard help is open.
    pub help: bool,
    /// The bug hunt, running or finished (until dismissed).
    pub hunt: Option<HuntSession>,
    /// The guided tour being taken, if any.
    pub tour: Option<TourRun>,
}

impl Default for AppState {
    fn default() -> Self {
        Self::fresh()
    }
}

impl AppState {
    /// Both tabs at their defaults, the Raft tab shown and playing.
    ///
    /// # Panics
    /// If a protocol's default recipe does not build (a bug caught by the tests).
    pub fn fresh() -> Self {
        let mut raft = Lab::<RaftP>::new("raft", Recipe::default_for::<RaftP>(DEFAULT_SEED))
            .expect("the default Raft recipe builds");
        // The 2PC cluster is idle without clients: start it on the seed's own demo so
        // that something happens. Its file is compiled in (the other named scenarios
        // are fetched when chosen), so startup stays instant and deterministic.
        let mut twopc = seed_demo().unwrap_or_else(|| {
            Lab::<TwoPcP>::new("2pc", Recipe::default_for::<TwoPcP>(DEFAULT_SEED))
                .expect("the default 2PC recipe builds")
        });
        raft.playing = true;
        twopc.playing = true;
        AppState {
            tab: Tab::Raft,
            raft,
            twopc,
            notice: None,
            help: false,
            hunt: None,
            tour: None,
        }
    }

    /// The page for a URL fragment: the shared run, or the defaults plus an error
    /// notice naming what is wrong with the link.
    pub fn from_fragment(hash: &str) -> Self {
        let state = Rc::new(Self::fresh());
        (*state.reduce(Action::OpenLink(hash.to_owned()))).clone()
    }

    /// The active tab's version (changes on every change to its lab).
    pub fn active_version(&self) -> u64 {
        match self.tab {
            Tab::Raft => self.raft.version,
            Tab::TwoPc => self.twopc.version,
        }
    }

    /// Whether the active tab is playing.
    pub fn active_playing(&self) -> bool {
        match self.tab {
            Tab::Raft => self.raft.playing,
            Tab::TwoPc => self.twopc.playing,
        }
    }

    /// The active tab's run as a scenario value (for the URL and export).
    pub fn active_scenario(&self) -> Value {
        let mut v = match self.tab {
            Tab::Raft => self.raft.scenario_value(),
            Tab::TwoPc => self.twopc.scenario_value(),
        };
        crate::tour::tag_link(self, &mut v);
        v
    }

    /// The active tab's trace export.
    pub fn active_trace(&self) -> Value {
        match self.tab {
            Tab::Raft => self.raft.trace_value(),
            Tab::TwoPc => self.twopc.trace_value(),
        }
    }

    /// Inputs recorded by the active tab's run (the URL changes when this does).
    pub fn active_inputs(&self) -> usize {
        match self.tab {
            Tab::Raft => self.raft.with_head(|w| w.inputs().len()),
            Tab::TwoPc => self.twopc.with_head(|w| w.inputs().len()),
        }
    }

    /// Open a scenario value in its protocol's tab; `Ok` is the notice saying so.
    pub(crate) fn open_scenario(&mut self, value: &Value, how: Opening) -> Result<String, String> {
        let sc = Scenario::from_value(value).map_err(|e| e.to_string())?;
        let tab = Tab::from_protocol(&sc.protocol)
            .ok_or_else(|| format!("protocol: unknown protocol \"{}\"", sc.protocol))?;
        let event = value.get("_event").and_then(Value::as_u64);
        let finish = value.get("_finish").and_then(Value::as_bool) == Some(true);
        let at = Landing { event, finish };
        match tab {
            Tab::Raft => self.raft = open_lab(&self.raft, tab, &sc, how, at)?,
            Tab::TwoPc => self.twopc = open_lab(&self.twopc, tab, &sc, how, at)?,
        }
        self.tab = tab;
        let title = sc
            .meta_str("title")
            .map(|t| format!(" \"{t}\""))
            .unwrap_or_default();
        Ok(format!(
            "Opened {} scenario{title}: seed {}, {} step{}.",
            tab.label(),
            sc.seed,
            sc.steps.len(),
            if sc.steps.len() == 1 { "" } else { "s" }
        ))
    }

    fn import_trace(&mut self, text: &str) -> Result<String, String> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| format!("the trace file is not valid JSON ({e})"))?;
        match value.get("format").and_then(Value::as_str) {
            Some("faultlab-trace/1") => {}
            Some(f) => {
                return Err(format!(
                    "format: unsupported trace format \"{f}\" (expected \"faultlab-trace/1\")"
                ));
            }
            None => return Err("format: missing (expected \"faultlab-trace/1\")".into()),
        }
        let scenario = value
            .get("scenario")
            .ok_or("scenario: missing (a trace carries the scenario that made it)")?;
        let events = value
            .get("events")
            .and_then(Value::as_array)
            .ok_or("events: missing or not an array")?;
        let last = events
            .last()
            .and_then(|e| e.get("event"))
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let mut probe = self.clone();
        let mut sc = scenario.clone();
        if let Value::Object(o) = &mut sc {
            o.insert("_event".into(), json!(last));
        }
        probe
            .open_scenario(&sc, Opening::Link)
            .map_err(|e| format!("scenario.{e}"))?;
        let replayed = match probe.tab {
            Tab::Raft => probe.raft.trace_json(),
            Tab::TwoPc => probe.twopc.trace_json(),
        };
        let replayed = replayed.as_array().cloned().unwrap_or_default();
        if let Some(i) =
            (0..events.len().max(replayed.len())).find(|&i| events.get(i) != replayed.get(i))
        {
            return Err(format!(
                "events[{i}]: the trace differs from a replay of its scenario (the file was edited or made by another engine version)"
            ));
        }
        *self = probe;
        Ok(format!(
            "Imported a trace of {} entries; the replay matches it exactly.",
            events.len()
        ))
    }
}

/// A 2PC lab on the seed's demo scenario, if it builds (a test says it does).
fn seed_demo() -> Option<Lab<TwoPcP>> {
    let sc = Scenario::parse(faultlab_sim::twopc::scenarios::SEED_DEMO).ok()?;
    Lab::from_scenario("2pc", &sc).ok()
}

/// Where a shared link lands: the event it shows (`_event`), and whether the run is
/// first played to its end and given the end-of-run checks (`_finish`, a failing
/// chaos run: its liveness and termination findings exist only at the end).
#[derive(Clone, Copy, Debug)]
struct Landing {
    event: Option<u64>,
    finish: bool,
}

fn open_lab<P: LabProtocol>(
    current: &Lab<P>,
    tab: Tab,
    sc: &Scenario,
    how: Opening,
    at: Landing,
) -> Result<Lab<P>, String> {
    let mut lab = Lab::<P>::from_scenario(tab.protocol(), sc)?;
    lab.speed_log = current.speed_log;
    lab.version = current.version + 1;
    match how {
        Opening::Link if at.finish => {
            lab.run_to_time(sc.until_ms);
            lab.finish();
            if let Some(n) = at.event {
                lab.seek(n);
            }
        }
        Opening::Link => {
            match at.event {
                Some(n) => lab.run_to_event(n),
                None => lab.run_to_time(sc.until_ms),
            }
            lab.playing = false;
        }
        Opening::File => lab.playing = true,
    }
    Ok(lab)
}

/// Apply `action` to one lab. `Ok(Some(text))` carries an information notice.
fn reduce_lab<P: LabProtocol>(
    lab: &mut Lab<P>,
    action: LabAction,
) -> Result<Option<String>, String> {
    match action {
        LabAction::TogglePlay => lab.playing = !lab.playing,
        LabAction::Pause => lab.playing = false,
        LabAction::Step => lab.step(),
        LabAction::StepToDelivery => lab.step_to_delivery(),
        LabAction::StepBack => lab.step_back(),
        LabAction::Seek(n) => lab.seek(n),
        LabAction::SetSpeedLog(v) => {
            lab.speed_log = crate::num::clamp(
                v,
                crate::layout::SPEED_LOG_MIN,
                crate::layout::SPEED_LOG_MAX,
            );
        }
        LabAction::Reset => {
            let playing = lab.playing;
            lab.rebuild(lab.recipe.clone())?;
            lab.playing = playing;
        }
        LabAction::SetSeed(seed) => lab.rebuild(Recipe {
            seed,
            ..lab.recipe.clone()
        })?,
        LabAction::SetNodes(nodes) => lab.rebuild(Recipe {
            nodes,
            ..lab.recipe.clone()
        })?,
        LabAction::SetMode(mode) => lab.rebuild(Recipe {
            mode,
            bugs: Vec::new(),
            ..lab.recipe.clone()
        })?,
        LabAction::ToggleBug(bug) => {
            let mut bugs = lab.recipe.bugs.clone();
            if let Some(i) = bugs.iter().position(|b| *b == bug) {
                bugs.remove(i);
            } else {
                bugs.push(bug);
            }
            lab.rebuild(Recipe {
                bugs,
                ..lab.recipe.clone()
            })?;
        }
        LabAction::Fault(f) => {
            if let Fault::Drop(m) | Fault::DeliverNow(m) | Fault::Duplicate(m) = f
                && lab.selected == Some(Selection::Message(m))
                && !matches!(f, Fault::Duplicate(_))
            {
                lab.selected = None;
            }
            lab.fault(f);
        }
        LabAction::Client(node, op) => lab.client(node, &op)?,
        LabAction::Select(sel) => {
            if sel.is_some() {
                lab.playing = false;
            }
            lab.selected = sel;
        }
        LabAction::Key(key) => return key_action(lab, key),
    }
    Ok(None)
}

/// `RaftScope`'s keyboard shortcuts that act on the run.
fn key_action<P: LabProtocol>(lab: &mut Lab<P>, key: char) -> Result<Option<String>, String> {
    match key {
        'c' => {
            // RaftScope's C: a client request to the leader. The page opens the
            // leader's client form (paused) so the request can be chosen and filled in.
            let target = lab.with_world(|w| P::leader(w).unwrap_or(NodeId(0)));
            if P::client_ops().is_empty() {
                return Err("this protocol has no client operations".into());
            }
            lab.playing = false;
            lab.selected = Some(Selection::Node(target));
            let name = lab.with_world(|w| w.node_name(target));
            Ok(Some(format!(
                "Client request to node {name}: fill in the form and send it."
            )))
        }
        'r' => {
            let (down, leader) =
                lab.with_world(|w| (w.node_ids().find(|&id| !w.is_up(id)), P::leader(w)));
            if let Some(n) = down {
                lab.fault(Fault::Restart(n));
                Ok(Some(format!(
                    "Restarted node {}.",
                    lab.with_world(|w| w.node_name(n))
                )))
            } else if let Some(n) = leader {
                lab.fault(Fault::Crash(n));
                lab.fault(Fault::Restart(n));
                Ok(Some(format!(
                    "Restarted the leader, node {}.",
                    lab.with_world(|w| w.node_name(n))
                )))
            } else {
                Err("R: no node is down and there is no leader to restart".into())
            }
        }
        't' => {
            lab.fault(Fault::SpreadTimers);
            Ok(Some("Spread the election timers (T).".into()))
        }
        'a' => {
            lab.fault(Fault::AlignTimers);
            Ok(Some(
                "Aligned the election timers (A): expect a split vote.".into(),
            ))
        }
        other => Err(format!("no shortcut for key '{}'", other.escape_default())),
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if let Action::Tick(real_ms) | Action::TickWithin(real_ms, _) = action {
            let max_events = match action {
                Action::TickWithin(_, n) => n,
                _ => u64::MAX,
            };
            let mut s = (*self).clone();
            let changed = match s.tab {
                Tab::Raft => s.raft.tick_within(real_ms, max_events),
                Tab::TwoPc => s.twopc.tick_within(real_ms, max_events),
            };
            if !changed {
                return self;
            }
            match s.tab {
                Tab::Raft => s.raft.version += 1,
                Tab::TwoPc => s.twopc.version += 1,
            }
            return Rc::new(s);
        }
        if action == Action::Escape && !self.help {
            // Nothing above the panels: Escape closes the node or message panel.
            return self.reduce(Action::Lab(LabAction::Select(None)));
        }
        let mut s = (*self).clone();
        let touring = matches!(action, Action::Tour(_));
        let mark = crate::tour::mark(&self);
        match action {
            Action::Tick(_) | Action::TickWithin(..) => {}
            Action::SelectTab(tab) => s.tab = tab,
            Action::Lab(a) => {
                let result = match s.tab {
                    Tab::Raft => reduce_lab(&mut s.raft, a),
                    Tab::TwoPc => reduce_lab(&mut s.twopc, a),
                };
                match s.tab {
                    Tab::Raft => s.raft.version += 1,
                    Tab::TwoPc => s.twopc.version += 1,
                }
                match result {
                    Ok(Some(text)) => s.notice = Some(Notice::info(text)),
                    Ok(None) => {}
                    Err(e) => s.notice = Some(Notice::error(e)),
                }
            }
            Action::Dismiss => s.notice = None,
            Action::Help(on) => s.help = on,
            Action::Escape => s.help = false,
            Action::OpenScenario(text, how) => {
                let result = serde_json::from_str::<Value>(&text)
                    .map_err(|e| format!("not valid JSON ({e})"))
                    .and_then(|v| s.open_scenario(&v, how));
                s.notice = Some(match result {
                    Ok(t) => Notice::info(t),
                    Err(e) => Notice::error(format!("Could not open the scenario: {e}")),
                });
            }
            Action::OpenLink(hash) => match crate::share::parse_fragment(&hash) {
                Ok(None) => {}
                Ok(Some(v)) => {
                    let opened = s
                        .open_scenario(&v, Opening::Link)
                        .map(|_| {
                            // A link made by the CLI (a counterexample, a failing chaos
                            // seed) says what it shows; the page's own links carry no title.
                            s.notice = link_notice(&v);
                        })
                        .and_then(|()| {
                            // A tour's link: its run shows now, the tour once its file
                            // has loaded (the tour card fetches it).
                            crate::tour::open_link(&mut s, &v)
                                .unwrap_or(Ok(()))
                                .map_err(|e| format!("tour: {e}"))
                        });
                    if let Err(e) = opened {
                        s.notice = Some(Notice::error(format!(
                            "This link's run could not be opened: {e}"
                        )));
                    }
                }
                Err(e) => {
                    s.notice = Some(Notice::error(format!("This link could not be opened: {e}")));
                }
            },
            Action::ImportTrace(text) => {
                s.notice = Some(match s.import_trace(&text) {
                    Ok(t) => Notice::info(t),
                    Err(e) => Notice::error(format!("Could not import the trace: {e}")),
                });
            }
            Action::Notify(n) => s.notice = Some(n),
            Action::Hunt(a) => reduce_hunt(&mut s, a),
            Action::Tour(a) => match crate::tour::reduce(&mut s, a) {
                Ok(Some(text)) => s.notice = Some(Notice::info(text)),
                Ok(None) => {}
                Err(e) => s.notice = Some(Notice::error(format!("Tour: {e}"))),
            },
            Action::Scenario(a) => match crate::named_scenario::reduce(&mut s, a) {
                Ok(Some(text)) => s.notice = Some(Notice::info(text)),
                Ok(None) => {}
                Err(e) => s.notice = Some(Notice::error(format!("Scenario: {e}"))),
            },
        }
        if !touring {
            crate::tour::follow(&self, mark, &mut s);
        }
        Rc::new(s)
    }
}

/// The notice for a link whose scenario has a title: the title and its description.
fn link_notice(v: &Value) -> Option<Notice> {
    let title = v.get("title").and_then(Value::as_str)?;
    let text = match v.get("description").and_then(Value::as_str) {
        Some(d) => format!("{title}. {d}"),
        None => title.to_owned(),
    };
    Some(Notice::info(text))
}

/// Apply a hunt action. A failing seed opens in the hunt's tab like a chaos link
/// (played to its end, end-of-run checks, shown at the first violation).
fn reduce_hunt(s: &mut AppState, action: HuntAction) {
    match action {
        HuntAction::Start => {
            if s.hunt.as_ref().is_some_and(HuntSession::running) {
                return;
            }
            let recipe = match s.tab {
                Tab::Raft => {
                    s.raft.playing = false;
                    s.raft.version += 1;
                    s.raft.recipe.clone()
                }
                Tab::TwoPc => {
                    s.twopc.playing = false;
                    s.twopc.version += 1;
                    s.twopc.recipe.clone()
                }
            };
            match HuntSession::start(s.tab, &recipe) {
                Ok(h) => s.hunt = Some(h),
                Err(e) => s.notice = Some(Notice::error(format!("Cannot hunt: {e}"))),
            }
        }
        HuntAction::Slice { events, elapsed_ms } => {
            let Some(hunt) = &mut s.hunt else { return };
            let tab = hunt.tab;
            if let Some(found) = hunt.slice(events, elapsed_ms) {
                s.tab = tab;
                if let Err(e) = s.open_scenario(&found, Opening::Link) {
                    s.notice = Some(Notice::error(format!(
                        "The failing run could not be opened: {e}"
                    )));
                }
            }
        }
        HuntAction::Cancel => {
            if let Some(h) = &mut s.hunt {
                h.cancel();
            }
        }
        HuntAction::Dismiss => s.hunt = None,
    }
}

/// A message id from the text of a `data-msg` attribute (for tests and links).
pub fn msg_id(text: &str) -> Option<MsgId> {
    text.parse().ok().map(MsgId)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dispatch(s: Rc<AppState>, a: Action) -> Rc<AppState> {
        s.reduce(a)
    }

    #[test]
    fn the_2pc_tab_starts_on_the_seed_demo() {
        let s = AppState::fresh();
        assert!(s.twopc.title.is_some(), "opened from the seed's demo");
        assert!(s.twopc.playing);
    }

    #[test]
    fn escape_closes_the_help_first_then_the_panel() {
        let mut s = Rc::new(AppState::fresh());
        let node = Selection::Node(NodeId(0));
        s = dispatch(s, Action::Lab(LabAction::Select(Some(node))));
        s = dispatch(s, Action::Help(true));
        s = dispatch(s, Action::Escape);
        assert!(!s.help);
        assert_eq!(s.raft.selected, Some(node));
        s = dispatch(s, Action::Escape);
        assert_eq!(s.raft.selected, None);
        // Nothing open: Escape changes nothing.
        s = dispatch(s, Action::Escape);
        assert!(!s.help && s.raft.selected.is_none());
    }

    #[test]
    fn tabs_keep_their_own_worlds() {
        let mut s = Rc::new(AppState::fresh());
        s = dispatch(s, Action::Lab(LabAction::Pause));
        for _ in 0..5 {
            s = dispatch(s, Action::Lab(LabAction::Step));
        }
        let raft_events = s.raft.cursor();
        s = dispatch(s, Action::SelectTab(Tab::TwoPc));
        s = dispatch(s, Action::Lab(LabAction::Pause));
        s = dispatch(s, Action::Lab(LabAction::Step));
        s = dispatch(s, Action::SelectTab(Tab::Raft));
        assert_eq!(s.raft.cursor(), raft_events);
        assert_eq!(
            s.twopc.cursor(),
            1,
            "the 2PC tab starts on a scenario with work to do"
        );
    }

    #[test]
    fn paused_ticks_do_not_render() {
        let s = Rc::new(AppState::fresh());
        let s = dispatch(s, Action::Lab(LabAction::Pause));
        let t = Rc::clone(&s).reduce(Action::Tick(16.0));
        assert!(Rc::ptr_eq(&s, &t));
    }

    #[test]
    fn links_round_trip_and_garbage_is_reported() {
        let mut s = Rc::new(AppState::fresh());
        s = dispatch(s, Action::Lab(LabAction::SetSeed(42)));
        s = dispatch(s, Action::Lab(LabAction::Fault(Fault::Crash(NodeId(3)))));
        for _ in 0..30 {
            s = dispatch(s, Action::Lab(LabAction::Step));
        }
        let frag = crate::share::fragment_for(&s.active_scenario());
        let opened = AppState::from_fragment(&frag);
        assert_eq!(opened.notice, None);
        assert_eq!(opened.raft.cursor(), s.raft.cursor());
        assert_eq!(opened.raft.trace_json(), s.raft.trace_json());
        assert!(!opened.raft.playing);

        let bad = AppState::from_fragment("#s=e30");
        let text = bad.notice.expect("an error").text;
        assert!(text.contains("format"), "{text}");
        assert!(bad.raft.playing, "a default simulation keeps running");
        let garbage = AppState::from_fragment("#nonsense");
        assert!(garbage.notice.expect("an error").error);
    }

    #[test]
    fn traces_import_only_when_they_match() {
        let mut s = Rc::new(AppState::fresh());
        s = dispatch(s, Action::Lab(LabAction::Pause));
        for _ in 0..20 {
            s = dispatch(s, Action::Lab(LabAction::Step));
        }
        let trace = s.active_trace().to_string();
        let fresh = Rc::new(AppState::fresh());
        let ok = dispatch(Rc::clone(&fresh), Action::ImportTrace(trace.clone()));
        assert!(
            !ok.notice.as_ref().expect("notice").error,
            "{:?}",
            ok.notice
        );
        assert_eq!(ok.raft.cursor(), 20);
        let tampered = trace.replacen("\"at\":", "\"at\":9", 1);
        let bad = dispatch(Rc::clone(&fresh), Action::ImportTrace(tampered));
        assert!(bad.notice.as_ref().expect("notice").error);
        assert_eq!(
            bad.raft.cursor(),
            fresh.raft.cursor(),
            "the run is untouched"
        );
        let junk = dispatch(fresh, Action::ImportTrace("{".into()));
        assert!(
            junk.notice
                .as_ref()
                .expect("notice")
                .text
                .contains("not valid JSON")
        );
    }
}
