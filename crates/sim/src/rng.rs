//! The one source of randomness in a run.
//!
//! `SimRng` wraps `Xoshiro256PlusPlus`, which produces the same stream on every
//! platform (unlike `SmallRng`, whose algorithm differs between 64-bit native and
//! wasm32). Only the `World` owns one; protocol nodes never see it, so every random
//! choice — latency, loss, duplication, timer spread — is made in one place and
//! replays bit for bit from the seed.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

/// A run's seed. Same seed + same inputs ⇒ same trace.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Seed(pub u64);

/// The world's seeded, portable random number generator.
#[derive(Clone, Debug)]
pub struct SimRng {
    inner: Xoshiro256PlusPlus,
}

impl SimRng {
    /// A generator seeded from `seed`.
    pub fn new(seed: Seed) -> Self {
        SimRng {
            inner: Xoshiro256PlusPlus::seed_from_u64(seed.0),
        }
    }

    /// A uniform integer in `lo..=hi` (returns `lo` when `hi <= lo`).
    ///
    /// Drawn explicitly as `u64` so the stream does not depend on `usize` width.
    pub fn range_inclusive(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        self.inner.random_range(lo..=hi)
    }

    /// True with probability `p` (clamped to `[0, 1]`); draws nothing when `p` is 0 or 1,
    /// so that turning a fault off does not shift the rest of the stream... except that
    /// it does shift it relative to a run where the fault was on. That is intended:
    /// the inputs differ, so the traces may.
    pub fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        if p >= 1.0 {
            return true;
        }
        // 53 random bits give an exactly representable float in [0, 1).
        let bits = self.inner.next_u64() >> 11;
        #[allow(clippy::cast_precision_loss)]
        let x = bits as f64 / (1u64 << 53) as f64;
        x < p
    }

    /// A raw 64-bit draw (used by chaos schedules built on top of the world).
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }
}
