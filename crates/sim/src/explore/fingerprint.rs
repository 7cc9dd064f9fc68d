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

pub use crate::hash::StateHasher;

use crate::protocol::Protocol;
use crate::world::World;

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
