//! Time travel: a run's full trace plus periodic checkpoints of the world.
//!
//! `History` drives a head world forward, keeps every trace event, and clones the
//! world every `interval` events. Seeking to event `n` clones the nearest checkpoint
//! at or before `n` and replays forward — the world is deterministic, so the replay is
//! exact (`RaftScope` does the same with its state checkpoints). Forking (a user action
//! in the past) truncates everything after the cursor and continues from there.
//!
//! A history may be told to keep only the newest part of a long run
//! ([`History::retain_trace`]): once its trace passes that many entries, the oldest
//! events are forgotten, a checkpoint at a time, so that memory stays bounded (the page
//! at full speed records about 100,000 trace entries a second, which would otherwise
//! exhaust wasm32's 4 GB in a couple of minutes). Forgetting is continuous and moves
//! nothing: the trace is stored in chunks ([`TraceStore`]) and the oldest chunk is freed
//! once nothing in it is kept. What is forgotten can be had again by replaying the run
//! (it is deterministic); only seeking to it is no longer possible.
//!
//! What it must not do: keep a copy of the trace in each checkpoint (checkpoints are
//! cloned worlds, and worlds do not own the trace).

use std::collections::VecDeque;

use crate::input::Input;
use crate::protocol::Protocol;
use crate::time::Tick;
use crate::trace_store::{TraceStore, TraceView};
use crate::world::World;

/// Default number of events between checkpoints.
pub const DEFAULT_CHECKPOINT_INTERVAL: u64 = 512;

/// A run with its trace and checkpoints.
#[derive(Clone, Debug)]
pub struct History<P: Protocol> {
    head: World<P>,
    /// The trace of the events from `first_event` on (global positions: the whole
    /// run's trace).
    trace: TraceStore<P>,
    /// `event_starts[e - first_event]` is the global position of the first trace entry
    /// of event `e`.
    event_starts: VecDeque<usize>,
    /// Oldest first; the first is at or before `first_event`.
    checkpoints: VecDeque<World<P>>,
    interval: u64,
    /// Inputs scheduled through the history: `(after_event, at, input)`. Replays from
    /// an older checkpoint re-schedule them at the same point, so seeking is exact.
    scheduled: Vec<(u64, Tick, Input<P>)>,
    /// Inputs the world already had when the history began.
    inputs_before: usize,
    /// The oldest event still recorded (trace and a checkpoint); older ones are forgotten.
    first_event: u64,
    /// Trace entries kept at most (`None`: all of them).
    retain: Option<usize>,
}

impl<P: Protocol> History<P> {
    /// Start recording from `world` (normally a fresh world at event 0).
    pub fn new(world: World<P>) -> Self {
        Self::with_interval(world, DEFAULT_CHECKPOINT_INTERVAL)
    }

    /// Start recording with a checkpoint every `interval` events.
    pub fn with_interval(world: World<P>, interval: u64) -> Self {
        let mut trace = TraceStore::default();
        trace.extend_from_slice(world.last_events());
        History {
            trace,
            event_starts: VecDeque::from([0]),
            first_event: world.events(),
            inputs_before: world.inputs().len(),
            checkpoints: VecDeque::from([world.clone()]),
            head: world,
            interval: interval.max(1),
            scheduled: Vec::new(),
            retain: None,
        }
    }

    /// Keep at most about `entries` trace entries: past that, the oldest events are
    /// forgotten, a checkpoint at a time (so that the oldest event kept can still be
    /// sought), and seeking before it shows the oldest event kept. At least a few
    /// checkpoint intervals are always kept, however small `entries` is.
    pub fn retain_trace(&mut self, entries: usize) {
        self.retain = Some(entries);
        // Chunks of a sixteenth of the limit at most: the trace then overshoots the
        // limit by at most that much, as the oldest chunk is freed only once nothing
        // in it is kept.
        self.trace
            .set_chunk((entries / 16).clamp(16, crate::trace_store::DEFAULT_CHUNK));
        self.forget_old();
    }

    /// The oldest event that can still be viewed (0 unless the history forgot some).
    pub fn first_event(&self) -> u64 {
        self.first_event
    }

    /// The newest world.
    pub fn head(&self) -> &World<P> {
        &self.head
    }

    /// Events processed by the head.
    pub fn len(&self) -> u64 {
        self.head.events()
    }

    /// True when nothing has happened past the boot.
    pub fn is_empty(&self) -> bool {
        self.head.events() == 0
    }

    /// The whole trace kept (from the oldest event kept).
    pub fn trace(&self) -> TraceView<'_, P> {
        self.trace.all()
    }

    /// Trace entries held in memory: those kept, and the forgotten ones that share the
    /// oldest stored chunk with kept ones.
    pub fn stored_entries(&self) -> usize {
        self.trace.stored()
    }

    /// The trace up to and including event `n` (from the oldest event kept).
    pub fn trace_until(&self, n: u64) -> TraceView<'_, P> {
        self.trace.view(self.trace.start(), self.event_end(n))
    }

    /// The trace events of event `n` alone (none if it was forgotten).
    pub fn events_of(&self, n: u64) -> TraceView<'_, P> {
        match self.start_of(n) {
            Some(start) => self.trace.view(start, self.event_end(n)),
            None => self.trace.view(self.trace.start(), self.trace.start()),
        }
    }

    /// The global position where event `n`'s trace entries start, if it is recorded.
    fn start_of(&self, n: u64) -> Option<usize> {
        let i = usize::try_from(n.checked_sub(self.first_event)?).ok()?;
        self.event_starts.get(i).copied()
    }

    /// The global position where the trace entries after event `n` start.
    fn event_end(&self, n: u64) -> usize {
        if n.saturating_add(1) < self.first_event {
            return self.trace.start();
        }
        self.start_of(n + 1).unwrap_or(self.trace.end())
    }

    /// Advance the head by one event. Returns false if nothing is left to do.
    pub fn step(&mut self) -> bool {
        if !self.head.step() {
            return false;
        }
        self.absorb();
        true
    }

    /// Advance the head through every event due at or before `until`, then move its
    /// clock to `until`.
    pub fn run_until(&mut self, until: Tick) {
        while self.head.next_event_at().is_some_and(|at| at <= until) {
            if !self.step() {
                break;
            }
        }
        self.head.advance_clock(until);
    }

    /// Run the end-of-run checks (liveness, termination) on the head, as
    /// [`World::finish`] does at the end of a chaos run; what they find is recorded at
    /// the head's last event. Seeking to the head still shows it; a fork (truncate)
    /// discards it with the rest of the future.
    pub fn finish(&mut self) {
        self.head.finish();
    }

    /// Schedule an input at time `at` (clamped to the head's time).
    pub fn schedule(&mut self, at: Tick, input: Input<P>) {
        let at = at.max(self.head.now());
        self.scheduled.push((self.head.events(), at, input.clone()));
        self.head.schedule(at, input);
    }

    /// Apply an input at the head's current time, recording every event it causes.
    pub fn apply(&mut self, input: Input<P>) {
        let start = self.head.inputs().len();
        self.schedule(self.head.now(), input);
        while !self.head.inputs()[start].applied {
            if !self.step() {
                break;
            }
        }
    }

    fn absorb(&mut self) {
        self.event_starts.push_back(self.trace.end());
        self.trace.extend_from_slice(self.head.last_events());
        if self.head.events().is_multiple_of(self.interval) {
            self.checkpoints.push_back(self.head.clone());
            self.forget_old();
        }
    }

    /// With a retention limit, forget the oldest events once the trace is past it: up
    /// to the newest checkpoint that leaves at most the limit kept. Called at every
    /// checkpoint, so each call forgets about one checkpoint interval: a world or two
    /// and, now and then, one chunk of the trace are freed, and nothing moves.
    fn forget_old(&mut self) {
        let Some(max) = self.retain else { return };
        if self.trace.len() <= max {
            return;
        }
        let keep_from = self.trace.end() - max;
        // The oldest checkpoint that leaves no more than the limit kept, else the
        // newest one there is (the next checkpoint's call goes on from there). Never
        // the newest four: a few intervals always stay viewable.
        let spare = self.checkpoints.len().saturating_sub(4);
        let mut chosen = None;
        for e in self.checkpoints.range(..spare).map(World::events) {
            if e <= self.first_event {
                continue;
            }
            chosen = Some(e);
            if self.start_of(e).is_some_and(|s| s >= keep_from) {
                break;
            }
        }
        let Some(first) = chosen else {
            return;
        };
        let (Some(cut), Ok(events)) = (
            self.start_of(first),
            usize::try_from(first - self.first_event),
        ) else {
            return;
        };
        self.trace.forget_before(cut);
        self.event_starts.drain(..events);
        while self.checkpoints.front().is_some_and(|w| w.events() < first) {
            self.checkpoints.pop_front();
        }
        self.first_event = first;
    }

    /// The world as it was right after event `n` (clamped to the head, and to the
    /// oldest event kept).
    ///
    /// # Panics
    /// Never in practice: the first checkpoint is the world the history started from.
    pub fn world_at(&self, n: u64) -> World<P> {
        let n = n.clamp(self.first_event, self.head.events());
        if n == self.head.events() {
            return self.head.clone();
        }
        let cp = self
            .checkpoints
            .iter()
            .rev()
            .find(|w| w.events() <= n)
            .expect("the first checkpoint is at event 0 or earlier");
        let mut w = cp.clone();
        // Inputs scheduled through the history after this checkpoint was taken.
        let already = w.inputs().len() - self.inputs_before;
        let mut pending = self.scheduled.iter().skip(already).peekable();
        // An input scheduled after event `e` first affects event `e + 1`, so inputs
        // scheduled at the cursor itself belong to the future (and a fork drops them).
        while w.events() < n {
            while let Some((after, at, input)) = pending.peek() {
                if *after > w.events() {
                    break;
                }
                w.schedule(*at, input.clone());
                pending.next();
            }
            if !w.step() {
                break;
            }
        }
        w
    }

    /// Forget everything after event `n` (at least the oldest event kept) and make the
    /// world at `n` the head. A later `apply` then forks the run from there.
    pub fn truncate(&mut self, n: u64) {
        let n = n.max(self.first_event);
        if n >= self.head.events() {
            return;
        }
        self.head = self.world_at(n);
        self.checkpoints.retain(|w| w.events() <= n);
        let kept = self.head.inputs().len() - self.inputs_before;
        self.scheduled.truncate(kept);
        let end = self.event_end(n);
        self.trace.truncate(end);
        self.event_starts
            .truncate(usize::try_from(n + 1 - self.first_event).unwrap_or(usize::MAX));
    }
}
