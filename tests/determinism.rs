//! Determinism across platforms: the golden demo run gives, in headless Chromium, the
//! same trace digest that `cargo test` pins natively (crates/sim/tests/determinism.rs).
#![cfg(target_arch = "wasm32")]

use faultlab_sim::demo::{GOLDEN_DIGEST, golden_digest};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn golden_trace_matches_native() {
    assert_eq!(golden_digest(), GOLDEN_DIGEST);
}
