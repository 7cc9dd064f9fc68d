//! Counterexamples on a timeline: a path found with time frozen at 0 ms, re-timed so
//! that the page can play it and a reader can follow it step by step.
//!
//! The explorer's run happens at one instant with a latency of
//! [`FROZEN_LATENCY_MS`](super::FROZEN_LATENCY_MS): every step at 0 ms, every message
//! drawn stuck at its sender. [`spread`] gives choice `k` the time `k × gap` (the
//! initial workload stays at 0 ms) and replaces the frozen latency by one just longer
//! than the whole run, so messages visibly travel and still none arrives unless a
//! `deliver_now` step delivers it. `gap` is the largest of [`GAPS`] with which no timer
//! fires before a `fire` step fires it.
//!
//! Latency ranges with `lo == hi` draw nothing from the RNG, and timer spans are drawn
//! in the same order, so the re-timed run makes the same choices as the frozen one as
//! long as no timer comes due by itself. [`spread`] checks that by replaying both
//! (same events of the same kinds on the same nodes, same violations at the same
//! events: a timer that fires by itself is one event more) and keeps the frozen
//! scenario if no gap gives the same run.
//!
//! What it must not do: search, or change anything but the steps' times, the latency
//! step and `until_ms`.

use std::mem::{Discriminant, discriminant};

use crate::explore::FROZEN_LATENCY_MS;
use crate::fault::Fault;
use crate::id::NodeId;
use crate::scenario::{Action, Scenario, ScenarioProtocol};
use crate::time::{Tick, Ticks};
use crate::trace::EventKind;
use crate::world::World;

/// The gaps between choices tried, largest first (ms).
pub const GAPS: [u64; 7] = [100, 50, 20, 10, 5, 2, 1];

/// How a counterexample was laid out in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Virtual ms between two choices (0: frozen, every step at 0 ms).
    pub gap_ms: u64,
    /// The one-way latency of every message.
    pub latency_ms: u64,
}

/// What a replay must reproduce: every event's kind and node, and the violations.
type Shape<P> = (
    Vec<(u64, Discriminant<EventKind<P>>, Option<NodeId>)>,
    Vec<(String, u64)>,
);

fn replay<P: ScenarioProtocol>(scenario: &Scenario) -> Option<Shape<P>> {
    let mut world: World<P> = scenario.build().ok()?;
    let mut events = Vec::new();
    while world
        .next_event_at()
        .is_some_and(|at| at.0 <= scenario.until_ms)
    {
        world.step();
        events.extend(
            world
                .last_events()
                .iter()
                .map(|e| (e.event, discriminant(&e.kind), e.kind.node())),
        );
    }
    world.advance_clock(Tick(scenario.until_ms));
    let violations = world
        .violations()
        .iter()
        .map(|v| (v.invariant.clone(), v.event))
        .collect();
    Some((events, violations))
}

/// `frozen` (every step at 0 ms, the first `initial` steps being the workload) laid
/// out on a timeline, with how; or `frozen` itself (gap 0) when no gap keeps the
/// replay identical.
pub fn spread<P: ScenarioProtocol>(frozen: &Scenario, initial: usize) -> (Scenario, Timing) {
    let unchanged = || {
        (
            frozen.clone(),
            Timing {
                gap_ms: 0,
                latency_ms: FROZEN_LATENCY_MS,
            },
        )
    };
    let choices = frozen.steps.len().saturating_sub(initial) as u64;
    if choices == 0 || frozen.steps.iter().any(|s| s.at_ms != 0) {
        return unchanged();
    }
    let Some(shape) = replay::<P>(frozen) else {
        return unchanged();
    };
    for gap in GAPS {
        let end = gap * choices;
        let latency = end + gap;
        let mut timed = frozen.clone();
        timed.until_ms = end;
        for (i, step) in timed.steps.iter_mut().enumerate() {
            step.at_ms = if i < initial {
                0
            } else {
                (i - initial + 1) as u64 * gap
            };
            let frozen = Ticks(FROZEN_LATENCY_MS);
            if step.action == Action::Fault(Fault::Latency(frozen, frozen)) {
                step.action = Action::Fault(Fault::Latency(Ticks(latency), Ticks(latency)));
            }
        }
        if replay::<P>(&timed).is_some_and(|s| s == shape) {
            return (
                timed,
                Timing {
                    gap_ms: gap,
                    latency_ms: latency,
                },
            );
        }
        // A timer came due by itself: a smaller gap may fit.
    }
    unchanged()
}
