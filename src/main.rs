//! The page's entry point (trunk builds this binary), and, with the `bench` feature, the
//! one export `e2e/bench.mjs` calls through `window.wasmBindings`.

fn main() {
    faultlab_web::start();
}

/// Engine events per second over `events` events of the native bench's heavy
/// workload, measured in this page's wasm engine.
#[cfg(feature = "bench")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn bench_engine(events: u32) -> f64 {
    faultlab_web::bench::engine_events_per_sec(u64::from(events))
}
