//! Golden runs: pinned trace digests that both `cargo test` (native) and the browser
//! tests (wasm32 in headless Chromium) assert, so that any divergence between the two
//! platforms — or any unintended change to a protocol's behaviour — fails a test.
//!
//! Each run is a full chaos run (every fault kind, client load, then the heal) of a real
//! protocol, so it exercises the bus, timers, crashes, partitions, duplication, the
//! protocol and its checkers. Update a constant only for an intended change, in the
//! same commit that makes it.

use crate::chaos::{self, ChaosOptions, Faults};
use crate::raft::Raft;
use crate::rng::Seed;
use crate::scenario::ScenarioProtocol;
use crate::time::Tick;
use crate::trace::{TraceEvent, digest};
use crate::twopc::TwoPc;

/// The pinned digest of [`raft_digest`].
pub const RAFT_DIGEST: u64 = 9_502_812_000_655_581_344;
/// The pinned digest of [`twopc_digest`].
pub const TWOPC_DIGEST: u64 = 14_546_930_678_762_591_299;

fn chaos_digest<P: ScenarioProtocol>(mode: &str, seed: u64) -> u64 {
    let config = P::configure(mode, P::DEFAULT_NODES, &[], None)
        .expect("the default configuration is valid");
    let options = ChaosOptions::new(Faults::ALL, Tick(30_000));
    let mut world = chaos::world::<P>(Seed(seed), config, &options);
    let mut trace: Vec<TraceEvent<P>> = world.last_events().to_vec();
    world.run_until_with(options.until, |evs| trace.extend_from_slice(evs));
    world.finish();
    let violations = serde_json::to_string(world.violations()).expect("violations serialise");
    // Fold the violations in too: what the checkers say is part of the behaviour.
    violations.bytes().fold(digest(&trace), |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Raft, as-submitted-q4 (so violations are part of what is pinned), seed 11, 30 s
/// of chaos.
pub fn raft_digest() -> u64 {
    chaos_digest::<Raft>("as-submitted-q4", 11)
}

/// 2PC, textbook, seed 11, 30 s of chaos.
pub fn twopc_digest() -> u64 {
    chaos_digest::<TwoPc>("textbook", 11)
}
