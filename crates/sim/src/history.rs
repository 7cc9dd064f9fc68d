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
//! exhaust wasm32's 4 GB in a couple of minutes). What is forgotten can be had again by
//! replaying the run (it is deterministic); only seeking to it is no longer possible.
//!
//! What it must not do: keep a copy of the trace in each checkpoint (checkpoints are
//! cloned worlds, and worlds do not own the trace).

use crate::input::Input;
use crate::protocol::Protocol;
use crate::time::Tick;
use crate::trace::TraceEvent;
use crate::world::World;

/// Default number of events between checkpoints.
pub const DEFAULT_CHECKPOINT_INTERVAL: u64 = 512;

/// A run with its trace and checkpoints.
#[derive(Clone, Debug)]
pub struct History<P: Protocol> {
    head: World<P>,
    /// The trace of the events from `first_event` on.
    trace: Vec<TraceEvent<P>>,
    /// `event_starts[e - first_event]` is the position in the whole run's trace of the
    /// first trace entry of event `e` (`trace[0]` is at position `trace_base`).
    event_starts: Vec<usize>,
    checkpoints: Vec<World<P>>,
    interval: u64,
    /// Inputs scheduled through the history: `(after_event, at, input)`. Replays from
    /// an older checkpoint re-schedule them at the same point, so seeking is exact.
    scheduled: Vec<(u64, Tick, Input<P>)>,
    /// Inputs the world already had when the history began.
    inputs_before: usize,
    /// The oldest event still recorded (trace and a checkpoint); older ones are forgotten.
    first_event: u64,
    /// The position in the whole run's trace of `trace[0]`.
    trace_base: usize,
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
        History {
            trace: world.last_events().to_vec(),
            event_starts: vec![0],
            first_event: world.events(),
            inputs_before: world.inputs().len(),
            checkpoints: vec![world.clone()],
            head: world,
            interval: interval.max(1),
            scheduled: Vec::new(),
            trace_base: 0,
            retain: None,
        }
    }

    /// Keep at most about `entries` trace entries: past that, the oldest three quarters
    /// of the record are forgotten, up to a checkpoint (so that the oldest event kept can still
    /// be sought), and seeking before it shows the oldest event kept. At least a few
    /// checkpoint intervals are always kept, however small `entries` is.
    pub fn retain_trace(&mut self, entries: usize) {
        self.retain = Some(entries);
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

    /// The whole trace so far.
    pub fn trace(&self) -> &[TraceEvent<P>] {
        &self.trace
    }

    /// The trace up to and including event `n` (from the oldest event kept).
    pub fn trace_until(&self, n: u64) -> &[TraceEvent<P>] {
        &self.trace[..self.event_end(n)]
    }

    /// The trace events of event `n` alone (none if it was forgotten).
    pub fn events_of(&self, n: u64) -> &[TraceEvent<P>] {
        let Some(start) = self.start_of(n) else {
            return &[];
        };
        &self.trace[start..self.event_end(n)]
    }

    /// Where event `n`'s trace entries start in `trace`, if it is recorded.
    fn start_of(&self, n: u64) -> Option<usize> {
        let i = usize::try_from(n.checked_sub(self.first_event)?).ok()?;
        Some(self.event_starts.get(i)? - self.trace_base)
    }

    /// Where the trace entries after event `n` start in `trace`.
    fn event_end(&self, n: u64) -> usize {
        if n.saturating_add(1) < self.first_event {
            return 0;
        }
        self.start_of(n + 1).unwrap_or(self.trace.len())
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
        self.event_starts.push(self.trace_base + self.trace.len());
        if let Some(max) = self.retain
            && self.trace.len() >= max / 8
            && self.trace.capacity() < max
        {
            // A run this long is likely to reach the limit: make room for all of it now,
            // in one copy of an eighth of it, rather than in the doublings after, each a
            // copy of everything so far (a long stall on a page running at full speed).
            self.trace.reserve_exact(max + max / 4 - self.trace.len());
        }
        self.trace.extend_from_slice(self.head.last_events());
        if self.head.events().is_multiple_of(self.interval) {
            self.checkpoints.push(self.head.clone());
            self.forget_old();
        }
    }

    /// With a retention limit, forget the oldest events once the trace is past it: up
    /// to the newest checkpoint that leaves at least a quarter of the limit. What is kept
    /// moves to the front of the trace, so keeping less moves less: a quarter moves a
    /// third of an entry per new entry, in stalls of a quarter of the limit each.
    fn forget_old(&mut self) {
        let Some(max) = self.retain else { return };
        if self.trace.len() <= max {
            return;
        }
        let keep_from = self.trace.len() - max / 4;
        // Never the newest checkpoints: a few intervals always stay viewable.
        let spare = self.checkpoints.len().saturating_sub(4);
        let Some(first) = self.checkpoints[..spare]
            .iter()
            .rev()
            .map(World::events)
            .find(|&e| e > self.first_event && self.start_of(e).is_some_and(|s| s <= keep_from))
        else {
            return;
        };
        let (Some(cut), Ok(events)) = (
            self.start_of(first),
            usize::try_from(first - self.first_event),
        ) else {
            return;
        };
        self.trace.drain(..cut);
        self.trace_base += cut;
        self.event_starts.drain(..events);
        self.checkpoints.retain(|w| w.events() >= first);
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
