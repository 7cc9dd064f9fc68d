//! Time travel: a run's full trace plus periodic checkpoints of the world.
//!
//! `History` drives a head world forward, keeps every trace event, and clones the
//! world every `interval` events. Seeking to event `n` clones the nearest checkpoint
//! at or before `n` and replays forward — the world is deterministic, so the replay is
//! exact (`RaftScope` does the same with its state checkpoints). Forking (a user action
//! in the past) truncates everything after the cursor and continues from there.
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
    trace: Vec<TraceEvent<P>>,
    /// `event_starts[e]` is the index in `trace` of the first event of step `e`.
    event_starts: Vec<usize>,
    checkpoints: Vec<World<P>>,
    interval: u64,
    /// Inputs scheduled through the history: `(after_event, at, input)`. Replays from
    /// an older checkpoint re-schedule them at the same point, so seeking is exact.
    scheduled: Vec<(u64, Tick, Input<P>)>,
}

impl<P: Protocol> History<P> {
    /// Start recording from `world` (normally a fresh world at event 0).
    pub fn new(world: World<P>) -> Self {
        Self::with_interval(world, DEFAULT_CHECKPOINT_INTERVAL)
    }

    /// Start recording with a checkpoint every `interval` events.
    pub fn with_interval(world: World<P>, interval: u64) -> Self {
        let trace = world.last_events().to_vec();
        let mut event_starts = vec![0; usize::try_from(world.events()).unwrap_or(0)];
        event_starts.push(0);
        History {
            checkpoints: vec![world.clone()],
            head: world,
            trace,
            event_starts,
            interval: interval.max(1),
            scheduled: Vec::new(),
        }
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

    /// The trace up to and including event `n`.
    pub fn trace_until(&self, n: u64) -> &[TraceEvent<P>] {
        let end = self.event_end(n);
        &self.trace[..end]
    }

    /// The trace events of event `n` alone.
    pub fn events_of(&self, n: u64) -> &[TraceEvent<P>] {
        let Some(&start) = usize::try_from(n)
            .ok()
            .and_then(|i| self.event_starts.get(i))
        else {
            return &[];
        };
        &self.trace[start..self.event_end(n)]
    }

    fn event_end(&self, n: u64) -> usize {
        usize::try_from(n + 1)
            .ok()
            .and_then(|i| self.event_starts.get(i).copied())
            .unwrap_or(self.trace.len())
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
        self.event_starts.push(self.trace.len());
        self.trace.extend_from_slice(self.head.last_events());
        if self.head.events().is_multiple_of(self.interval) {
            self.checkpoints.push(self.head.clone());
        }
    }

    /// The world as it was right after event `n` (clamped to the head).
    ///
    /// # Panics
    /// Never in practice: the first checkpoint is the world the history started from.
    pub fn world_at(&self, n: u64) -> World<P> {
        let n = n.min(self.head.events());
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
        let already = w.inputs().len() - self.head_inputs_before_history();
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

    /// Inputs the first checkpoint already had (scheduled before the history began).
    fn head_inputs_before_history(&self) -> usize {
        self.checkpoints[0].inputs().len()
    }

    /// Forget everything after event `n` and make the world at `n` the head. A later
    /// `apply` then forks the run from there.
    pub fn truncate(&mut self, n: u64) {
        if n >= self.head.events() {
            return;
        }
        self.head = self.world_at(n);
        self.checkpoints.retain(|w| w.events() <= n);
        let kept = self.head.inputs().len() - self.head_inputs_before_history();
        self.scheduled.truncate(kept);
        let end = self.event_end(n);
        self.trace.truncate(end);
        self.event_starts
            .truncate(usize::try_from(n + 1).unwrap_or(usize::MAX));
    }
}
