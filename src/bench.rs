//! The page's engine benchmark, for `e2e/bench.mjs`: the native bench's message-heavy
//! workload (`faultlab_sim::demo::heavy_world`: 5 demo nodes pinging every
//! 1–4 ms over a 1–10 ms bus, the trace recorded into a buffer recycled at 2^20
//! events) run in the browser's wasm engine, timed with `performance.now()`.
//!
//! It owns nothing the page uses; it must not touch the app's state.

use faultlab_sim::TraceEvent;
use faultlab_sim::demo::{Demo, heavy_world};

/// Engine events per second over `events` events of the heavy workload (seed 0).
pub fn engine_events_per_sec(events: u64) -> f64 {
    let mut w = heavy_world(0);
    let mut trace: Vec<TraceEvent<Demo>> = Vec::with_capacity(1 << 20);
    let start = crate::browser::now_ms();
    while w.events() < events {
        if !w.step() {
            break;
        }
        // Recycle the buffer so memory stays flat over millions of events.
        if trace.len() > (1 << 20) {
            trace.clear();
        }
        trace.extend_from_slice(w.last_events());
    }
    let secs = (crate::browser::now_ms() - start) / 1000.0;
    #[allow(clippy::cast_precision_loss)]
    let n = w.events() as f64;
    n / secs.max(1e-9)
}
