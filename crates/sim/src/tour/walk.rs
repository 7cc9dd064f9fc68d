//! The walk: run a tour's scenario step by step and pin each stop to the first step
//! (after the previous stop's) that satisfies its anchor. The result is a list of
//! event numbers, the ones each stop stores in its file for the page to seek to;
//! [`verify`] also checks each stop's claims on the world right after its event, which
//! is exactly the world the page shows there.
//!
//! It must not change the run: it builds its own world from the scenario and only
//! reads it. The search is bounded by the scenario's `until_ms`, so an anchor that
//! never matches is an error naming the stop, never a hang.
//!
//! [`verify`] also holds each stop's stored `event` (what the page seeks to) to the
//! number its anchor resolves to, and names the right number when they differ.

use crate::protocol::Protocol;
use crate::scenario::{ScenarioError, ScenarioProtocol};
use crate::time::Tick;
use crate::world::World;

use super::Tour;

/// A stop pinned to the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolvedStop {
    /// The world step (event number) the stop shows (the file stores it as `event`).
    pub event: u64,
    /// Its virtual time.
    pub at_ms: u64,
}

/// Pin every stop of `tour` to an event of its scenario's run.
///
/// # Errors
/// The scenario does not build for `P`, a node name is unknown, or a stop's anchor
/// matches nothing before the scenario ends (the error names the stop).
pub fn resolve<P: ScenarioProtocol>(tour: &Tour) -> Result<Vec<ResolvedStop>, ScenarioError> {
    walk::<P>(tour, false)
}

/// [`resolve`], and check every stop's `expect` claims and stored `event` at its event.
///
/// # Errors
/// As [`resolve`], a claim that does not hold (the error names the stop and claim), or
/// a stored event that is not the one the anchor resolves to.
pub fn verify<P: ScenarioProtocol>(tour: &Tour) -> Result<Vec<ResolvedStop>, ScenarioError> {
    walk::<P>(tour, true)
}

fn walk<P: ScenarioProtocol>(tour: &Tour, check: bool) -> Result<Vec<ResolvedStop>, ScenarioError> {
    if tour.protocol != P::NAME {
        return Err(ScenarioError::new(
            "protocol",
            format!("this is a {} tour, not {}", tour.protocol, P::NAME),
        ));
    }
    let mut world: World<P> = tour
        .scenario
        .build::<P>()
        .map_err(|e| e.under("scenario"))?;
    let names: Vec<String> = world.node_ids().map(|id| world.node_name(id)).collect();
    for (field, name) in tour.node_refs() {
        if !names.iter().any(|n| n == name) {
            return Err(ScenarioError::new(
                field,
                format!("unknown node \"{name}\" (nodes: {})", names.join(", ")),
            ));
        }
    }
    let until = Tick(tour.scenario.until_ms);
    let mut out = Vec::with_capacity(tour.stops.len());
    let mut seen = 0;
    for (k, stop) in tour.stops.iter().enumerate() {
        // The previous stop's step is spent: this stop searches strictly after it.
        if k > 0 && !advance(&mut world, until) {
            return Err(unresolved::<P>(tour, k, &world));
        }
        loop {
            if stop.at.matches(&world, &names) {
                seen += 1;
                if seen == stop.at.nth {
                    seen = 0;
                    break;
                }
            }
            if !advance(&mut world, until) {
                return Err(unresolved::<P>(tour, k, &world));
            }
        }
        if check
            && let Some(stored) = stop.event
            && stored != world.events()
        {
            return Err(ScenarioError::new(
                format!("stops[{k}].event"),
                format!(
                    "is {stored}, but the anchor resolves to event {} (write \"event\": {})",
                    world.events(),
                    world.events()
                ),
            ));
        }
        if check && let Some(expect) = &stop.expect {
            expect.check(&world).map_err(|e| {
                let e = e.under(&format!("stops[{k}].expect"));
                ScenarioError::new(
                    e.field,
                    format!(
                        "{} (at event {}, t = {} ms)",
                        e.message,
                        world.events(),
                        world.now().as_ms()
                    ),
                )
            })?;
        }
        out.push(ResolvedStop {
            event: world.events(),
            at_ms: world.now().as_ms(),
        });
    }
    Ok(out)
}

/// One more step within the scenario's length; false when the run is over.
fn advance<P: Protocol>(world: &mut World<P>, until: Tick) -> bool {
    world.next_event_at().is_some_and(|at| at <= until) && world.step()
}

fn unresolved<P: Protocol>(tour: &Tour, k: usize, world: &World<P>) -> ScenarioError {
    let after = match k {
        0 => String::new(),
        _ => format!(" after stop {}", k - 1),
    };
    ScenarioError::new(
        format!("stops[{k}].at"),
        format!(
            "nothing matches {}{after} before the run ends (event {}, t = {} ms, until_ms = {})",
            tour.stops[k].at.describe(),
            world.events(),
            world.now().as_ms(),
            tour.scenario.until_ms
        ),
    )
}
