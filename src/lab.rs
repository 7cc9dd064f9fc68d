//! One tab's run: a recorded [`History`] of a protocol's world, the event being viewed
//! (the cursor), the playback state and the recipe (seed, mode, settings) that built it.
//!
//! The lab owns time travel on the page. At the head it drives the history forward on
//! virtual time; in the past it shows the world at the cursor (rebuilt from the
//! history's checkpoints) and replays forward when playing. A user action taken in the
//! past forks the run there, as `RaftScope` does: the future is discarded and the action
//! applies at the cursor.
//!
//! It must not touch the DOM or read a clock: real elapsed time comes in as a number.
//! The history sits behind `Rc<RefCell<…>>` so that cloning the app state for the
//! reducer does not copy the trace; every change bumps `version`, which is what
//! components compare.

pub use faultlab_sim::Fault;
use std::cell::RefCell;
use std::rc::Rc;

use faultlab_sim::scenario::Scenario;
use faultlab_sim::{EventKind, History, Input, MsgId, NodeId, Tick, TraceEvent, TraceView, World};
use serde_json::{Map, Value, json};

use crate::plugin::LabProtocol;

/// How many events "step to the next delivery" looks ahead before giving up.
const MAX_STEP_SEARCH: u64 = 100_000;
/// Trace entries a tab keeps at most: past that the oldest events are forgotten, a
/// checkpoint interval at a time, and the timeline starts later
/// (`History::retain_trace`). About 150 MB of wasm memory; at full speed on a busy bus
/// that is the last six seconds or so of real time, and at 1x most of an hour. Without
/// a bound a run left playing at full speed filled wasm32's 4 GB in about two minutes.
pub const TRACE_RETAIN: usize = 600_000;
/// The longest real frame the play loop honours (a background tab resumes gently).
const MAX_FRAME_MS: f64 = 100.0;
/// The default speed: a quarter of real time, log10.
pub const DEFAULT_SPEED_LOG: f64 = -0.602_059_991_327_962_4;

/// What builds a run: everything but the inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipe {
    /// The seed.
    pub seed: u64,
    /// The protocol mode.
    pub mode: String,
    /// Extra bug toggles.
    pub bugs: Vec<String>,
    /// Node count.
    pub nodes: usize,
    /// Protocol settings (timers), as in scenario files.
    pub config: Option<Value>,
}

impl Recipe {
    /// The default recipe of protocol `P` with `seed`.
    pub fn default_for<P: LabProtocol>(seed: u64) -> Recipe {
        Recipe {
            seed,
            mode: P::modes().first().copied().unwrap_or("textbook").to_owned(),
            bugs: Vec::new(),
            nodes: P::DEFAULT_NODES,
            config: None,
        }
    }
}

/// What the user has selected in the cluster view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A node's panel is open.
    Node(NodeId),
    /// A message's panel is open.
    Message(MsgId),
}

/// A tab's run and how it is being viewed.
#[derive(Debug)]
pub struct Lab<P: LabProtocol> {
    /// `"raft"` or `"2pc"`: the protocol name this tab writes into scenarios.
    pub tab_name: &'static str,
    history: Rc<RefCell<History<P>>>,
    /// The world at the cursor when the cursor is in the past.
    past: Option<Rc<World<P>>>,
    cursor: u64,
    view_ms: f64,
    /// Playing (true) or paused.
    pub playing: bool,
    /// Speed, log10 of virtual ms per real ms.
    pub speed_log: f64,
    /// What built the run.
    pub recipe: Recipe,
    /// The open node or message panel.
    pub selected: Option<Selection>,
    /// The title of the named scenario this run was opened from, if any.
    pub title: Option<String>,
    /// The metadata of the scenario this run was opened from (`description`, `watch`,
    /// `expect`), which the scenario picker shows.
    pub about: Rc<Map<String, Value>>,
    /// The named scenario whose file the picker is fetching to replace this run, if
    /// any: the run goes on meanwhile, and is replaced once the file arrives.
    pub loading: Option<&'static faultlab_sim::scenario::catalog::ScenarioInfo>,
    /// True when the end-of-run checks ran on the head ([`Lab::finish`]): a failing
    /// chaos run opened at its end. Links keep it (`_finish`); a fork clears it.
    pub finished: bool,
    /// Bumped on every change: what components compare.
    pub version: u64,
}

impl<P: LabProtocol> Clone for Lab<P> {
    fn clone(&self) -> Self {
        Lab {
            tab_name: self.tab_name,
            history: Rc::clone(&self.history),
            past: self.past.clone(),
            cursor: self.cursor,
            view_ms: self.view_ms,
            playing: self.playing,
            speed_log: self.speed_log,
            recipe: self.recipe.clone(),
            selected: self.selected,
            title: self.title.clone(),
            about: Rc::clone(&self.about),
            loading: self.loading,
            finished: self.finished,
            version: self.version,
        }
    }
}

impl<P: LabProtocol> PartialEq for Lab<P> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.history, &other.history) && self.version == other.version
    }
}

impl<P: LabProtocol> Lab<P> {
    /// A fresh run from `recipe`, paused at event 0.
    ///
    /// # Errors
    /// The recipe is invalid for the protocol (unknown mode, bad node count…).
    pub fn new(tab_name: &'static str, recipe: Recipe) -> Result<Self, String> {
        let scenario = Scenario {
            protocol: P::NAME.to_owned(),
            mode: recipe.mode.clone(),
            bugs: recipe.bugs.clone(),
            seed: recipe.seed,
            nodes: Some(recipe.nodes),
            until_ms: 1,
            config: recipe.config.clone(),
            meta: Map::new(),
            steps: Vec::new(),
        };
        let world = scenario.build::<P>().map_err(|e| e.to_string())?;
        Ok(Self::from_world(tab_name, recipe, world))
    }

    /// A run from a parsed scenario (every step scheduled), at event 0.
    ///
    /// # Errors
    /// The scenario does not fit the protocol (names the field).
    pub fn from_scenario(tab_name: &'static str, scenario: &Scenario) -> Result<Self, String> {
        let mut sc = scenario.clone();
        // The tab was chosen from the file's protocol; build with the protocol that
        // runs in it.
        P::NAME.clone_into(&mut sc.protocol);
        let world = sc.build::<P>().map_err(|e| e.to_string())?;
        let title = sc.meta_str("title").map(str::to_owned);
        let recipe = Recipe {
            seed: sc.seed,
            mode: sc.mode.clone(),
            bugs: sc.bugs.clone(),
            nodes: world.node_count(),
            config: sc.config.clone(),
        };
        Ok(Lab {
            title,
            about: Rc::new(sc.meta.clone()),
            ..Self::from_world(tab_name, recipe, world)
        })
    }

    fn from_world(tab_name: &'static str, recipe: Recipe, world: World<P>) -> Self {
        let mut history = History::new(world);
        history.retain_trace(TRACE_RETAIN);
        let cursor = history.len();
        Lab {
            tab_name,
            history: Rc::new(RefCell::new(history)),
            past: None,
            cursor,
            view_ms: 0.0,
            playing: false,
            speed_log: DEFAULT_SPEED_LOG,
            recipe,
            selected: None,
            title: None,
            about: Rc::default(),
            loading: None,
            finished: false,
            version: 0,
        }
    }

    // ----- reading ---------------------------------------------------------------------

    /// The event being viewed.
    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    /// The newest event of the run.
    pub fn head_events(&self) -> u64 {
        self.history.borrow().len()
    }

    /// Keep at most about `entries` trace entries (the tab default is [`TRACE_RETAIN`]).
    pub fn retain_trace(&self, entries: usize) {
        self.history.borrow_mut().retain_trace(entries);
    }

    /// The oldest event that can still be viewed (see [`TRACE_RETAIN`]).
    pub fn first_event(&self) -> u64 {
        self.history.borrow().first_event()
    }

    /// Whether `other` records the same run (the same history, perhaps viewed or
    /// extended differently). A rebuild or a newly opened scenario is another run.
    pub fn same_run(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.history, &other.history)
    }

    /// True when viewing the newest event.
    pub fn at_head(&self) -> bool {
        self.past.is_none()
    }

    /// The virtual time being viewed, in ms (fractional while playing).
    pub fn view_ms(&self) -> f64 {
        self.view_ms
    }

    /// The speed factor (virtual ms per real ms).
    pub fn speed(&self) -> f64 {
        crate::layout::speed_from_log(self.speed_log)
    }

    /// Read the world being viewed.
    pub fn with_world<R>(&self, f: impl FnOnce(&World<P>) -> R) -> R {
        match &self.past {
            Some(w) => f(w),
            None => f(self.history.borrow().head()),
        }
    }

    /// Read the newest world (violations are reported from the head, so that they are
    /// visible from anywhere on the timeline).
    pub fn with_head<R>(&self, f: impl FnOnce(&World<P>) -> R) -> R {
        f(self.history.borrow().head())
    }

    /// Read the trace up to and including the cursor.
    pub fn with_trace<R>(&self, f: impl FnOnce(TraceView<'_, P>) -> R) -> R {
        let h = self.history.borrow();
        f(h.trace_until(self.cursor))
    }

    /// Read the whole recorded trace, past the cursor too (the space-time diagram
    /// draws the run's future faintly while the past is viewed).
    pub fn with_run_trace<R>(&self, f: impl FnOnce(TraceView<'_, P>) -> R) -> R {
        f(self.history.borrow().trace())
    }

    /// Read the trace events of the event at the cursor.
    pub fn with_current_events<R>(&self, f: impl FnOnce(TraceView<'_, P>) -> R) -> R {
        let h = self.history.borrow();
        f(h.events_of(self.cursor))
    }

    // ----- playback --------------------------------------------------------------------

    /// Advance playback by `real_ms` of wall time. Returns false when nothing changed
    /// (paused), so the reducer can skip a render.
    pub fn tick(&mut self, real_ms: f64) -> bool {
        self.tick_within(real_ms, u64::MAX)
    }

    /// [`Lab::tick`], running at most about `max_events` engine events at the head.
    ///
    /// Why: at the top speed a busy run asks for more events per frame than the engine
    /// can run in its share of a frame; the page then draws fewer virtual ms per frame
    /// (it plays slower than asked) instead of missing frames. The head still runs
    /// every event up to the time shown, so what is drawn is exact.
    pub fn tick_within(&mut self, real_ms: f64, max_events: u64) -> bool {
        if !self.playing {
            return false;
        }
        let dt = crate::num::clamp(real_ms, 0.0, MAX_FRAME_MS) * self.speed();
        self.view_ms += dt;
        if self.past.is_some() {
            let target = {
                let h = self.history.borrow();
                let trace = h.trace();
                let idx = trace.partition_point(|e| ms(e.at) <= self.view_ms);
                if idx == trace.len() {
                    None
                } else {
                    Some(idx.checked_sub(1).map_or(0, |i| trace[i].event))
                }
            };
            match target {
                Some(t) if t < self.head_events() => {
                    if t != self.cursor {
                        self.show_past(t);
                    }
                }
                _ => {
                    // Caught up with the head: continue live.
                    self.past = None;
                    self.advance_head(max_events);
                }
            }
        } else {
            self.advance_head(max_events);
        }
        true
    }

    /// Run the head up to the viewed time, in slices, stopping early (and holding the
    /// view at the time reached) once `max_events` events have run.
    fn advance_head(&mut self, max_events: u64) {
        /// Slices per frame: the event budget is checked this often.
        const SLICES: u64 = 32;
        let mut h = self.history.borrow_mut();
        let goal = floor_ms(self.view_ms);
        let start_events = h.len();
        let mut at = h.head().now().as_ms();
        let slice = (goal.saturating_sub(at) / SLICES).max(1);
        loop {
            at = (at + slice).min(goal);
            h.run_until(Tick(at));
            if at >= goal {
                break;
            }
            if h.len() - start_events >= max_events {
                // Out of budget: show the time reached, not the time asked for.
                self.view_ms = ms(Tick(at));
                break;
            }
        }
        self.cursor = h.len();
    }

    fn show_past(&mut self, n: u64) {
        let n = n.max(self.first_event());
        let world = self.history.borrow().world_at(n);
        self.cursor = n;
        self.past = Some(Rc::new(world));
    }

    fn show_head(&mut self) {
        let h = self.history.borrow();
        self.cursor = h.len();
        self.view_ms = ms(h.head().now());
        drop(h);
        self.past = None;
    }

    /// Show event `n` (clamped to the head). Pauses.
    pub fn seek(&mut self, n: u64) {
        self.playing = false;
        if n >= self.head_events() {
            self.show_head();
        } else {
            self.show_past(n);
            self.view_ms = self.with_world(|w| ms(w.now()));
        }
    }

    /// One event forward (replaying if in the past, running the head otherwise). Pauses.
    pub fn step(&mut self) {
        self.playing = false;
        if self.past.is_some() {
            self.seek(self.cursor + 1);
        } else {
            self.history.borrow_mut().step();
            self.show_head();
        }
    }

    /// One event back. Pauses.
    pub fn step_back(&mut self) {
        self.playing = false;
        if self.cursor > self.first_event() {
            self.seek(self.cursor - 1);
        }
    }

    /// Forward to the next event that delivers a message. Pauses.
    pub fn step_to_delivery(&mut self) {
        fn delivers<'a, P: LabProtocol + 'a>(
            mut evs: impl Iterator<Item = &'a TraceEvent<P>>,
        ) -> bool {
            evs.any(|e| matches!(e.kind, EventKind::Delivered { .. }))
        }
        self.playing = false;
        let head = self.head_events();
        let mut n = self.cursor;
        while n < head {
            n += 1;
            if delivers(self.history.borrow().events_of(n).iter()) {
                self.seek(n);
                return;
            }
        }
        let mut h = self.history.borrow_mut();
        for _ in 0..MAX_STEP_SEARCH {
            if !h.step() || delivers(h.head().last_events().iter()) {
                break;
            }
        }
        drop(h);
        self.show_head();
    }

    // ----- user actions (recorded as inputs) -------------------------------------------

    /// Make the cursor the head: drop the future if viewing the past (a fork).
    fn fork_here(&mut self) {
        if self.past.is_some() {
            let mut h = self.history.borrow_mut();
            // The recorded next event is the head's next event after the truncation
            // (the run is deterministic up to the cursor).
            let next_at = h.events_of(self.cursor + 1).first().map(|e| e.at);
            h.truncate(self.cursor);
            // The end-of-run findings went with the future.
            self.finished = false;
            // Bring the clock to the viewed time when no event lies in between.
            let view = Tick(floor_ms(self.view_ms));
            if next_at.is_none_or(|at| at > view) {
                let until = view.max(h.head().now());
                h.run_until(until);
            }
            drop(h);
            self.past = None;
        }
    }

    /// Apply an input now (forking if in the past).
    pub fn apply(&mut self, input: Input<P>) {
        self.fork_here();
        let view = self.view_ms;
        self.history.borrow_mut().apply(input);
        self.show_head();
        self.view_ms = self.view_ms.max(view);
    }

    /// Apply a fault or network action.
    pub fn fault(&mut self, fault: Fault) {
        self.apply(Input::Fault(fault));
    }

    /// Send a client request described as a scenario `client` object (without `node`).
    ///
    /// # Errors
    /// The request does not parse (the message names the field).
    pub fn client(&mut self, node: NodeId, op: &Map<String, Value>) -> Result<(), String> {
        let request = P::parse_request(op).map_err(|e| e.to_string())?;
        self.apply(Input::Request(node, request));
        Ok(())
    }

    /// Rebuild the run from a new recipe, keeping the speed. Pauses.
    ///
    /// # Errors
    /// The recipe is invalid (the lab is unchanged).
    pub fn rebuild(&mut self, recipe: Recipe) -> Result<(), String> {
        let fresh = Self::new(self.tab_name, recipe)?;
        let speed = self.speed_log;
        *self = Lab {
            speed_log: speed,
            version: self.version + 1,
            ..fresh
        };
        Ok(())
    }

    // ----- sharing ---------------------------------------------------------------------

    /// The run as a `faultlab-scenario/1` object: recipe + every input, plus `_event`,
    /// the event being viewed (keys starting with `_` are ignored by other readers).
    pub fn scenario_value(&self) -> Value {
        let h = self.history.borrow();
        let head = h.head();
        let last_step = head
            .inputs()
            .iter()
            .map(|s| s.at.as_ms())
            .max()
            .unwrap_or(0);
        let until = head.now().as_ms().max(last_step).max(1);
        let mut sc = Scenario::from_world(head, until, self.recipe.config.clone());
        self.tab_name.clone_into(&mut sc.protocol);
        let mut v = sc.to_value();
        if let Value::Object(o) = &mut v {
            o.insert("_event".into(), json!(self.cursor));
            if self.finished {
                o.insert("_finish".into(), json!(true));
            }
        }
        v
    }

    /// The trace up to the cursor, with the scenario that reproduces it.
    pub fn trace_value(&self) -> Value {
        let events = self.with_trace(|t| serde_json::to_value(t).unwrap_or(Value::Null));
        json!({ "format": "faultlab-trace/1", "scenario": self.scenario_value(), "events": events })
    }

    /// Run the head forward until it has processed `n` events (or the queue is empty),
    /// then view it. Used when opening a shared link.
    pub fn run_to_event(&mut self, n: u64) {
        let mut h = self.history.borrow_mut();
        while h.len() < n {
            if !h.step() {
                break;
            }
        }
        drop(h);
        self.show_head();
    }

    /// Run the head to virtual time `at_ms`, then view it.
    pub fn run_to_time(&mut self, at_ms: u64) {
        self.history.borrow_mut().run_until(Tick(at_ms));
        self.show_head();
    }

    /// Run the end-of-run checks on the head (as a chaos run ends): liveness and
    /// termination findings appear in the banner, at the head's last event.
    pub fn finish(&mut self) {
        self.history.borrow_mut().finish();
        self.finished = true;
    }

    /// The trace up to the cursor as JSON (for comparing an imported trace).
    pub fn trace_json(&self) -> Value {
        self.with_trace(|t| serde_json::to_value(t).unwrap_or(Value::Null))
    }
}

fn ms(t: Tick) -> f64 {
    // Virtual times stay far below 2^52 ms.
    #[allow(clippy::cast_precision_loss)]
    let v = t.as_ms() as f64;
    v
}

fn floor_ms(v: f64) -> u64 {
    // Non-negative and far below 2^52 by construction.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let t = v.max(0.0).floor() as u64;
    t
}

#[cfg(test)]
mod tests {
    use faultlab_sim::demo::Demo;

    use super::*;

    fn lab() -> Lab<Demo> {
        Lab::new("raft", Recipe::default_for::<Demo>(7)).expect("default recipe builds")
    }

    fn fingerprint(lab: &Lab<Demo>) -> String {
        lab.with_world(|w| {
            let nodes: Vec<String> = w
                .node_ids()
                .map(|id| format!("{:?}/{}", w.node(id), w.is_up(id)))
                .collect();
            let msgs: Vec<u64> = w.in_flight().map(|e| e.id.0).collect();
            format!("{} {nodes:?} {msgs:?}", w.events())
        })
    }

    #[test]
    fn playing_advances_virtual_time_at_the_chosen_speed() {
        let mut l = lab();
        l.speed_log = 0.0;
        l.playing = true;
        for _ in 0..50 {
            assert!(l.tick(20.0));
        }
        assert!((l.view_ms() - 1000.0).abs() < 1e-6);
        assert!(l.cursor() > 0);
        assert!(l.at_head());
        l.playing = false;
        assert!(!l.tick(20.0));
    }

    #[test]
    fn a_tick_out_of_engine_budget_shows_the_time_it_reached_exactly() {
        let mut l = lab();
        l.speed_log = 2.0;
        l.playing = true;
        assert!(l.tick_within(100.0, 5));
        let view = l.view_ms();
        assert!(view < 10_000.0, "held back: {view}");
        assert!(view > 0.0, "but moving");
        // What is shown is the run at that time, exactly.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let at = view as u64;
        assert_eq!(l.with_world(|w| w.now().as_ms()), at);
        let mut fresh = lab();
        fresh.run_to_time(at);
        assert_eq!(fingerprint(&l), fingerprint(&fresh));
        // Without a budget the same tick reaches the time asked for.
        let mut free = lab();
        free.speed_log = 2.0;
        free.playing = true;
        free.tick(100.0);
        assert!((free.view_ms() - 10_000.0).abs() < 1e-6);
        assert!(free.cursor() > l.cursor());
    }

    #[test]
    fn step_back_restores_the_exact_earlier_state() {
        let mut l = lab();
        l.run_to_time(3_000);
        let before = fingerprint(&l);
        let n = l.cursor();
        l.step();
        assert_eq!(l.cursor(), n + 1);
        l.step_back();
        assert_eq!(l.cursor(), n);
        assert_eq!(fingerprint(&l), before);
        // Seeking anywhere equals a fresh replay to that event.
        for target in [0, 1, 17, n / 2, n] {
            l.seek(target);
            let mut fresh = lab();
            fresh.run_to_event(target);
            assert_eq!(fingerprint(&l), fingerprint(&fresh), "event {target}");
        }
    }

    #[test]
    fn a_long_run_forgets_its_oldest_events_and_the_timeline_starts_after_them() {
        let mut l = lab();
        l.retain_trace(2_000);
        let mut t = 0;
        while l.first_event() == 0 && t < 3_600_000 {
            t += 10_000;
            l.run_to_time(t);
        }
        let first = l.first_event();
        assert!(first > 0, "an hour of a run is far more than 2,000 entries");
        assert!(l.with_run_trace(|t| t.len()) < 4_000);
        // Seeking before it shows it; stepping back stops at it.
        l.seek(0);
        assert_eq!(l.cursor(), first);
        let at_first = fingerprint(&l);
        l.step_back();
        assert_eq!(l.cursor(), first);
        assert_eq!(fingerprint(&l), at_first);
        // What is kept is exactly what a full replay shows.
        let mut fresh = lab();
        fresh.run_to_event(first);
        assert_eq!(at_first, fingerprint(&fresh));
        l.seek(first + 5);
        fresh.run_to_event(first + 5);
        assert_eq!(fingerprint(&l), fingerprint(&fresh));
    }

    #[test]
    fn playing_in_the_past_replays_then_continues_live() {
        let mut l = lab();
        l.run_to_time(2_000);
        let head = l.cursor();
        l.seek(head / 2);
        assert!(!l.at_head());
        l.speed_log = 1.0;
        l.playing = true;
        let mut last = l.cursor();
        while !l.at_head() {
            l.tick(16.0);
            assert!(l.cursor() >= last);
            last = l.cursor();
        }
        assert!(l.cursor() >= head);
    }

    #[test]
    fn an_action_in_the_past_forks_the_run() {
        let mut l = lab();
        l.run_to_time(2_000);
        let head = l.cursor();
        l.seek(head / 2);
        l.fault(Fault::Crash(NodeId(1)));
        assert!(l.at_head());
        assert!(l.head_events() < head, "the future was discarded");
        assert!(!l.with_world(|w| w.is_up(NodeId(1))));
        // The fork is itself replayable: stepping back and forth gives the same state.
        let here = fingerprint(&l);
        l.step_back();
        l.step();
        assert_eq!(fingerprint(&l), here);
    }

    #[test]
    fn step_to_delivery_stops_on_a_delivery() {
        let mut l = lab();
        l.step_to_delivery();
        let delivered = l.with_current_events(|evs| {
            evs.iter()
                .any(|e| matches!(e.kind, EventKind::Delivered { .. }))
        });
        assert!(delivered);
    }

    #[test]
    fn scenario_round_trip_reproduces_the_run() {
        let mut l = lab();
        l.run_to_time(1_000);
        l.fault(Fault::Crash(NodeId(2)));
        l.fault(Fault::Latency(
            faultlab_sim::Ticks(5),
            faultlab_sim::Ticks(80),
        ));
        l.run_to_time(2_500);
        let v = l.scenario_value();
        let sc = Scenario::from_value(&v).expect("exported scenario parses");
        let mut copy = Lab::<Demo>::from_scenario("raft", &sc).expect("builds");
        copy.run_to_event(l.cursor());
        assert_eq!(copy.trace_json(), l.trace_json());
    }

    #[test]
    fn bad_client_requests_are_rejected_without_changing_the_run() {
        let mut l = lab();
        let before = l.head_events();
        let mut op = Map::new();
        op.insert("op".into(), json!("frobnicate"));
        let err = l.client(NodeId(0), &op).expect_err("unknown op");
        assert!(err.contains("op"), "{err}");
        assert_eq!(l.head_events(), before);
    }
}
