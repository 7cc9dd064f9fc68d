//! `faultlab-cli bench`: engine throughput, time travel and chaos throughput, as the
//! issues' performance targets define them. Wall-clock time is read here, in the CLI,
//! never in the engine.

use std::process::ExitCode;
use std::time::Instant;

use faultlab_sim::demo::{Demo, heavy_world};
use faultlab_sim::{History, Tick, TraceEvent};
use serde_json::{Map, Value, json};

use crate::args::BenchArgs;

/// Engine events per second on one core, with the trace recorded.
fn engine_throughput(target_events: u64) -> (f64, u64) {
    let mut best = 0.0f64;
    let mut total = 0;
    for round in 0..3 {
        let mut w = heavy_world(round);
        let mut trace: Vec<TraceEvent<Demo>> = Vec::with_capacity(1 << 20);
        let start = Instant::now();
        while w.events() < target_events {
            if !w.step() {
                break;
            }
            // Record the trace; recycle the buffer so memory stays flat over millions.
            if trace.len() > (1 << 20) {
                trace.clear();
            }
            trace.extend_from_slice(w.last_events());
        }
        let secs = start.elapsed().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let rate = w.events() as f64 / secs.max(1e-9);
        best = best.max(rate);
        total = w.events();
    }
    (best, total)
}

/// Median and maximum milliseconds of `seek(n)` to random events of a 100k-event run.
fn seek_latency(events: u64, probes: usize) -> (f64, f64, u64) {
    let mut h = History::new(heavy_world(42));
    while h.len() < events {
        if !h.step() {
            break;
        }
    }
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut times = Vec::with_capacity(probes);
    for _ in 0..probes {
        // xorshift: deterministic probe points.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = x % (h.len() + 1);
        let start = Instant::now();
        let w = h.world_at(n);
        let ms = start.elapsed().as_secs_f64() * 1e3;
        assert_eq!(w.events(), n, "seek landed on the requested event");
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() - 1], h.len())
}

#[allow(clippy::unnecessary_wraps)] // same shape as the other subcommands
pub(crate) fn main(args: &BenchArgs) -> Result<ExitCode, String> {
    let mut out = Map::new();
    let target = if args.quick { 200_000 } else { 3_000_000 };
    let (eps, n) = engine_throughput(target);
    out.insert("engine_events_per_sec".into(), json!(eps.round()));
    out.insert("engine_events_measured".into(), json!(n));
    let (median, max, len) = seek_latency(
        if args.quick { 20_000 } else { 100_000 },
        if args.quick { 20 } else { 200 },
    );
    out.insert("seek_100k_ms_median".into(), json!(median));
    out.insert("seek_100k_ms_max".into(), json!(max));
    out.insert("seek_run_events".into(), json!(len));
    out.insert(
        "checkpoint_interval".into(),
        json!(faultlab_sim::history::DEFAULT_CHECKPOINT_INTERVAL),
    );
    let seeds = if args.quick { 50 } else { args.chaos_seeds };
    crate::dispatch::bench_chaos(seeds, &mut out);
    crate::explore::bench(args.quick, &mut out);
    out.insert(
        "cores".into(),
        json!(std::thread::available_parallelism().map_or(1, std::num::NonZero::get)),
    );
    let report = Value::Object(out);
    if args.json {
        println!("{report}");
    } else if let Value::Object(m) = &report {
        for (k, v) in m {
            println!("{k:32} {v}");
        }
    }
    let _ = Tick::ZERO;
    Ok(ExitCode::SUCCESS)
}
