//! Virtual time. The engine owns one clock, in whole milliseconds, and nothing in
//! the engine reads a wall clock: a run is a function of its seed and inputs only.
//!
//! `Tick` is a point in virtual time, `Ticks` a span. Keeping them apart in the
//! types stops the classic "added two instants" bug at compile time.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

use serde::{Deserialize, Serialize};

/// A point in virtual time, in milliseconds since the run started.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Tick(pub u64);

/// A span of virtual time, in milliseconds.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Ticks(pub u64);

impl Tick {
    /// The start of every run.
    pub const ZERO: Tick = Tick(0);

    /// Milliseconds since the start of the run.
    pub fn as_ms(self) -> u64 {
        self.0
    }

    /// The span from `earlier` to `self`, or zero if `earlier` is later.
    pub fn since(self, earlier: Tick) -> Ticks {
        Ticks(self.0.saturating_sub(earlier.0))
    }
}

impl Ticks {
    /// Milliseconds in this span.
    pub fn as_ms(self) -> u64 {
        self.0
    }
}

impl Add<Ticks> for Tick {
    type Output = Tick;
    fn add(self, rhs: Ticks) -> Tick {
        Tick(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<Ticks> for Tick {
    fn add_assign(&mut self, rhs: Ticks) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Sub<Tick> for Tick {
    type Output = Ticks;
    fn sub(self, rhs: Tick) -> Ticks {
        self.since(rhs)
    }
}

impl Add for Ticks {
    type Output = Ticks;
    fn add(self, rhs: Ticks) -> Ticks {
        Ticks(self.0.saturating_add(rhs.0))
    }
}

impl fmt::Display for Tick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

impl fmt::Display for Ticks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}
