//! A deterministic hasher and the hash set built on it, for sets that are only probed
//! (the explorer's visited states, the linearizability search's memo).
//!
//! Why not `std`'s `HashSet`: its `RandomState` seeds itself from the OS, and the engine
//! reads no OS randomness, even where iteration order would not leak out. Sets that are
//! iterated must still be ordered ([`crate::sorted::SortedSet`] or `BTreeSet`).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast, deterministic 64-bit hasher (an `FxHash`-style word mixer, finished with
/// splitmix64's mix).
/// Deterministic across runs and platforms, unlike `RandomState`.
#[derive(Clone, Copy, Debug)]
pub struct StateHasher(u64);

impl Default for StateHasher {
    fn default() -> Self {
        StateHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for StateHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes at a time: Debug renderings are long, and this is the hot loop.
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(word) ^ (rest.len() as u64) << 59);
        }
    }

    fn write_u64(&mut self, n: u64) {
        // A multiply-rotate step (as in `FxHash`), enough for dedup with a strong finish.
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        // splitmix64's finaliser: spreads the mixer's weak low bits.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A hash set with [`StateHasher`]: the same layout on every run and platform. Probe
/// it; never iterate it into anything observable.
pub type ProbeSet<T> = HashSet<T, BuildHasherDefault<StateHasher>>;
