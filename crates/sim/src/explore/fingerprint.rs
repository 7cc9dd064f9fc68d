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

use std::fmt::{Debug, Write as _};
use std::hash::Hasher;

use crate::protocol::Protocol;
use crate::world::World;

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

/// A state's canonical bytes, hashed at the end in one pass (`Debug` output comes in
/// many tiny pieces, too small to hash one by one efficiently).
#[derive(Debug, Default)]
pub struct Canon {
    buf: String,
}

impl Canon {
    /// Append `value`'s `Debug` rendering.
    pub fn debug(&mut self, value: &impl Debug) -> &mut Self {
        // Writing into a String cannot fail.
        let _ = write!(self.buf, "{value:?}");
        self.buf.push('\u{1f}');
        self
    }

    /// Append a number.
    pub fn num(&mut self, n: u64) -> &mut Self {
        let _ = write!(self.buf, "{n}\u{1f}");
        self
    }

    /// Forget everything appended, keeping the buffer (the explorer reuses one).
    pub fn clear(&mut self) -> &mut Self {
        self.buf.clear();
        self
    }

    /// The hash of everything appended.
    pub fn finish(&self) -> u64 {
        let mut h = StateHasher::default();
        h.write(self.buf.as_bytes());
        h.finish()
    }
}

/// The hash of one message in flight, without its id: `(from, to, payload)`.
pub fn message_hash<P: Protocol>(c: &mut Canon, from: u16, to: u16, msg: &P::Msg) -> u64 {
    c.clear()
        .num(u64::from(from) << 16 | u64::from(to))
        .debug(msg);
    c.finish()
}

/// The hashes of the messages in flight, sorted (the network as a multiset).
pub fn network<P: Protocol>(c: &mut Canon, world: &World<P>) -> Vec<u64> {
    let mut msgs: Vec<u64> = world
        .in_flight()
        .map(|e| message_hash::<P>(c, e.from.0, e.to.0, &e.msg))
        .collect();
    msgs.sort_unstable();
    msgs
}

/// The fingerprint of `world` whose [`network`] is `msgs`, plus `extra` (the
/// explorer's remaining budgets).
pub fn fingerprint<P: Protocol>(
    c: &mut Canon,
    world: &World<P>,
    msgs: &[u64],
    extra: &[u64],
) -> u64 {
    c.clear();
    for slot in world.slots() {
        if slot.up {
            c.num(1).debug(&slot.node);
            let mut timers: Vec<P::Timer> = slot.timers.iter().map(|t| t.timer).collect();
            timers.sort();
            c.debug(&timers);
        } else {
            c.num(0).debug(&slot.saved);
        }
    }
    c.num(msgs.len() as u64);
    for &m in msgs {
        c.num(m);
    }
    for (id, node, _) in world.pending_requests() {
        c.num(id.0).num(u64::from(node.0));
    }
    for &x in extra {
        c.num(x);
    }
    c.finish()
}
