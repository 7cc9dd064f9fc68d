//! Invariant checking: the seam where protocols plug their safety and liveness
//! checkers into the world.
//!
//! The world calls [`Checker::check`] after every event with the events that step
//! produced, and [`Checker::finish`] when a run ends. A violation is recorded once per
//! invariant, at the first event where it held, with a plain-words detail.

use serde::{Deserialize, Serialize};

use crate::protocol::Protocol;
use crate::world::World;

/// A broken invariant, as found by a checker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// The invariant's name (`"election_safety"`, `"atomicity"`).
    pub invariant: String,
    /// The world step (event number) after which it first held.
    pub event: u64,
    /// Virtual time of that event, in ms.
    pub at_ms: u64,
    /// What broke, in plain words.
    pub detail: String,
}

/// What a checker reports: the invariant's name and what broke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The invariant's name.
    pub invariant: &'static str,
    /// What broke, in plain words.
    pub detail: String,
}

impl Finding {
    /// A finding for `invariant`.
    pub fn new(invariant: &'static str, detail: impl Into<String>) -> Self {
        Finding {
            invariant,
            detail: detail.into(),
        }
    }
}

/// A protocol's invariant checkers. It may keep state across events (histories,
/// highest terms seen), which is cloned with the world so time travel stays exact.
pub trait Checker<P: Protocol>: Clone + std::fmt::Debug + Default {
    /// Check the world after one step; `events` are the trace events of that step.
    fn check(
        &mut self,
        world: &World<P>,
        events: &[crate::trace::TraceEvent<P>],
        out: &mut Vec<Finding>,
    );

    /// End-of-run checks (liveness, termination). The default checks nothing.
    fn finish(&mut self, world: &World<P>, out: &mut Vec<Finding>) {
        let _ = (world, out);
    }

    /// Checks that could not decide, after [`Checker::finish`]: a search that ran out
    /// of its step budget, say. Neither a pass nor a violation, so reports list them
    /// apart from both. The default has none.
    fn inconclusive(&self) -> Vec<Finding> {
        Vec::new()
    }
}

/// A checker that checks nothing (for protocols under construction and benchmarks).
#[derive(Clone, Debug, Default)]
pub struct NoChecks;

impl<P: Protocol> Checker<P> for NoChecks {
    fn check(&mut self, _: &World<P>, _: &[crate::trace::TraceEvent<P>], _: &mut Vec<Finding>) {}
}
