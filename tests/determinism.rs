//! Determinism across platforms: the golden runs give, in headless Chromium, the same
//! trace digests that `cargo test` pins natively (crates/sim/tests/determinism.rs) —
//! the demo protocol with every fault kind, and full chaos runs of Raft and 2PC.
#![cfg(target_arch = "wasm32")]

use faultlab_sim::demo::{GOLDEN_DIGEST, golden_digest};
use faultlab_sim::golden::{RAFT_DIGEST, TWOPC_DIGEST, raft_digest, twopc_digest};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn golden_trace_matches_native() {
    assert_eq!(golden_digest(), GOLDEN_DIGEST);
}

#[wasm_bindgen_test]
fn golden_raft_run_matches_native() {
    assert_eq!(raft_digest(), RAFT_DIGEST);
}

#[wasm_bindgen_test]
fn golden_twopc_run_matches_native() {
    assert_eq!(twopc_digest(), TWOPC_DIGEST);
}
