//! State fingerprints: a 64-bit hash of the part of a world that decides its future
//! under the explorer's choices.
//!
//! It owns what counts as "the same state": per node whether it is up, its state
//! machine (or, while down, the durable state it will restart from) and the kinds of
//! its armed timers (not their deadlines: time is frozen, timers fire only as
//! choices); the messages in flight as a sorted multiset of `(from, to, payload)`
//! without ids; the client requests still waiting; and the remaining budgets. It must
//! not hash anything that only names a run (message ids, event counts, the clock, the
//! RNG), or two interleavings that reach the same state would not be merged.
//!
//! Protocol state is hashed through its `Debug` rendering, written straight into the
//! hasher (no allocation): every field of a node is in it, so the fingerprint is
//! sound for any protocol, at the price of some speed.

use std::fmt::{self, Debug, Write as _};
use std::hash::Hasher;

use crate::protocol::Protocol;
use crate::world::World;

/// A fast, deterministic 64-bit hasher (FNV-1a over bytes, finished with a 64-bit mix).
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
        let mut h = self.0;
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn write_u64(&mut self, n: u64) {
        let mut h = self.0 ^ n;
        h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }

    fn finish(&self) -> u64 {
        // splitmix64's finaliser: spreads FNV's weak high bits.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

struct HashWriter<'a>(&'a mut StateHasher);

impl fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// Hash `value`'s `Debug` rendering into `h`.
pub fn hash_debug(value: &impl Debug, h: &mut StateHasher) {
    // Writing into a hasher cannot fail.
    let _ = write!(HashWriter(h), "{value:?}");
}

/// The hash of one value's `Debug` rendering.
pub fn debug_hash(value: &impl Debug) -> u64 {
    let mut h = StateHasher::default();
    hash_debug(value, &mut h);
    h.finish()
}

/// The hash of one message in flight, without its id: `(from, to, payload)`.
pub fn message_hash<P: Protocol>(from: u16, to: u16, msg: &P::Msg) -> u64 {
    let mut h = StateHasher::default();
    h.write_u64(u64::from(from) << 16 | u64::from(to));
    hash_debug(msg, &mut h);
    h.finish()
}

/// The fingerprint of `world` plus `extra` (the explorer's remaining budgets).
pub fn fingerprint<P: Protocol>(world: &World<P>, extra: &[u64]) -> u64 {
    let mut h = StateHasher::default();
    for slot in world.slots() {
        if slot.up {
            h.write_u64(1);
            hash_debug(&slot.node, &mut h);
            let mut timers: Vec<P::Timer> = slot.timers.iter().map(|t| t.timer).collect();
            timers.sort();
            hash_debug(&timers, &mut h);
        } else {
            h.write_u64(0);
            hash_debug(&slot.saved, &mut h);
        }
    }
    let mut msgs: Vec<u64> = world
        .in_flight()
        .map(|e| message_hash::<P>(e.from.0, e.to.0, &e.msg))
        .collect();
    msgs.sort_unstable();
    h.write_u64(msgs.len() as u64);
    for m in msgs {
        h.write_u64(m);
    }
    for (id, node, _) in world.pending_requests() {
        h.write_u64(id.0);
        h.write_u64(u64::from(node.0));
    }
    for &x in extra {
        h.write_u64(x);
    }
    h.finish()
}
