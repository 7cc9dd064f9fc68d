//! Release-mode chaos sweep for Raft: `cargo run --release -p faultlab-sim --example raft_sweep -- [mode] [seeds] [bug,...]`.
//! Prints seeds/s and which invariants fired (used for the figures in the report).

use std::collections::BTreeMap;
use std::time::Instant;

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::raft::{Bug, Mode, Raft, RaftConfig};
use faultlab_sim::{Seed, Tick};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("textbook", String::as_str);
    let seeds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut config = RaftConfig::new(5, Mode::from_name(mode).expect("mode"));
    if let Some(bugs) = args.get(3) {
        for b in bugs.split(',').filter(|b| !b.is_empty()) {
            config = config.with_bug(Bug::from_name(b).expect("bug"));
        }
    }
    let nocheck = std::env::var("NOCHECK").is_ok();
    let faults =
        std::env::var("FAULTS").map_or(Faults::ALL, |f| Faults::parse(&f).expect("faults"));
    let options = ChaosOptions::new(faults, Tick(60_000));
    let start = Instant::now();
    let mut by: BTreeMap<String, u64> = BTreeMap::new();
    let mut failing = 0;
    let mut events = 0;
    let mut first = None;
    for seed in 0..seeds {
        let w = if std::env::var("NOFINISH").is_ok() {
            let mut w = chaos::world::<Raft>(Seed(seed), config.clone(), &options);
            w.run_until(options.until);
            w
        } else if nocheck {
            let mut w = chaos::world::<Raft>(Seed(seed), config.clone(), &options);
            w.set_checking(false);
            w.run_until(options.until);
            w
        } else {
            chaos::run::<Raft>(Seed(seed), config.clone(), &options)
        };
        events += w.events();
        if std::env::var("STEPS").is_ok() {
            println!(
                "seed {seed}: lin steps {}",
                w.checker().linearizability.steps()
            );
        }
        if !w.violations().is_empty() {
            failing += 1;
            first.get_or_insert(seed);
            for v in w.violations() {
                *by.entry(v.invariant.clone()).or_default() += 1;
                if std::env::var("VERBOSE").is_ok() {
                    println!("seed {seed}: {} @{}ms: {}", v.invariant, v.at_ms, v.detail);
                }
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "mode={mode} seeds={seeds} failing={failing} ({:.1}%) first={first:?} events/seed={} seeds/s={:.1} ms/seed={:.2}",
        100.0 * failing as f64 / seeds as f64,
        events / seeds.max(1),
        seeds as f64 / secs,
        secs * 1000.0 / seeds as f64
    );
    for (k, v) in by {
        println!("  {k}: {v} ({:.1}%)", 100.0 * v as f64 / seeds as f64);
    }
}
