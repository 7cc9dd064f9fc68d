//! Determinism: a fixed seed gives a fixed trace. The same pinned digest is asserted
//! by the browser test in the web package (`tests/determinism.rs` at the repo root),
//! so a native/wasm divergence fails one of the two.

use faultlab_sim::demo::{Demo, DemoConfig, GOLDEN_DIGEST, golden_digest};
use faultlab_sim::trace::digest;
use faultlab_sim::{NetConfig, Seed, Tick, World};

#[test]
fn golden_trace_is_stable() {
    assert_eq!(golden_digest(), GOLDEN_DIGEST, "trace digest changed");
}

#[test]
fn same_seed_same_trace_different_seed_different_trace() {
    let run = |seed| {
        let mut w = World::<Demo>::new(Seed(seed), DemoConfig::default(), NetConfig::default());
        let mut all = Vec::new();
        w.run_until_with(Tick(10_000), |evs| all.extend_from_slice(evs));
        digest(&all)
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn golden_protocol_runs_are_stable() {
    use faultlab_sim::golden::{RAFT_DIGEST, TWOPC_DIGEST, raft_digest, twopc_digest};
    assert_eq!(raft_digest(), RAFT_DIGEST, "Raft trace digest changed");
    assert_eq!(twopc_digest(), TWOPC_DIGEST, "2PC trace digest changed");
}
