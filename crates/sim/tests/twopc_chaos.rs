//! Chaos sweeps of 2PC: textbook mode must show no violation (safety or termination)
//! under every fault; as-submitted mode must be caught.

use std::collections::BTreeMap;

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::twopc::{Mode, TwoPc, TwoPcConfig};
use faultlab_sim::{Seed, Tick};

fn sweep(config: &TwoPcConfig, seeds: std::ops::Range<u64>) -> BTreeMap<String, Vec<u64>> {
    let opts = ChaosOptions::new(Faults::ALL, Tick(60_000));
    let mut by: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for seed in seeds {
        let w = chaos::run::<TwoPc>(Seed(seed), config.clone(), &opts);
        for v in w.violations() {
            by.entry(v.invariant.clone()).or_default().push(seed);
        }
    }
    by
}

#[test]
fn textbook_chaos_has_no_violation() {
    let n = if cfg!(debug_assertions) { 300 } else { 2000 };
    let by = sweep(&TwoPcConfig::default(), 0..n);
    assert!(by.is_empty(), "violations in textbook mode: {by:?}");
}

#[test]
fn textbook_chaos_other_sizes() {
    for nodes in [5, 7] {
        let by = sweep(&TwoPcConfig::with_nodes(nodes), 0..60);
        assert!(by.is_empty(), "violations with {nodes} nodes: {by:?}");
    }
}

#[test]
fn as_submitted_chaos_is_caught() {
    let c = TwoPcConfig {
        mode: Mode::AsSubmitted,
        ..TwoPcConfig::default()
    };
    let by = sweep(&c, 0..100);
    for inv in [
        "durability",
        "termination",
        "isolation",
        "picture_integrity",
    ] {
        assert!(
            by.contains_key(inv),
            "as-submitted sweep did not trip {inv}: {by:?}"
        );
    }
}

/// The sweep is only worth something if the hard paths actually run: commits and
/// aborts, recoveries, the termination protocol deciding, and blocking.
#[test]
fn textbook_chaos_exercises_every_path() {
    use faultlab_sim::EventKind;
    use faultlab_sim::twopc::{TwoPcNote, TwoPcResponse};
    let opts = ChaosOptions::new(Faults::ALL, Tick(60_000));
    let mut count: BTreeMap<&str, u64> = BTreeMap::new();
    for seed in 0..40 {
        let mut w = chaos::world::<TwoPc>(Seed(seed), TwoPcConfig::default(), &opts);
        w.run_until_with(opts.until, |events| {
            for ev in events {
                let key = match &ev.kind {
                    EventKind::Response {
                        response: TwoPcResponse::Committed { .. },
                        ..
                    } => "committed",
                    EventKind::Response {
                        response: TwoPcResponse::Aborted { .. },
                        ..
                    } => "aborted",
                    EventKind::Response {
                        response: TwoPcResponse::Rejected { .. },
                        ..
                    } => "rejected",
                    EventKind::Note {
                        note: TwoPcNote::Recovered { in_doubt, .. },
                        ..
                    } if *in_doubt > 0 => "recovered_in_doubt",
                    EventKind::Note {
                        note:
                            TwoPcNote::Recovered {
                                resend, aborted, ..
                            },
                        ..
                    } if *resend + *aborted > 0 => "recovered_coordinator",
                    EventKind::Note {
                        note: TwoPcNote::Learned { .. },
                        ..
                    } => "learned",
                    EventKind::Note {
                        note: TwoPcNote::Blocked { .. },
                        ..
                    } => "blocked",
                    EventKind::Note {
                        note: TwoPcNote::VoteTimedOut { .. },
                        ..
                    } => "vote_timeout",
                    _ => continue,
                };
                *count.entry(key).or_default() += 1;
            }
        });
    }
    for key in [
        "committed",
        "aborted",
        "rejected",
        "recovered_in_doubt",
        "recovered_coordinator",
        "learned",
        "blocked",
        "vote_timeout",
    ] {
        assert!(
            count.get(key).copied().unwrap_or(0) > 0,
            "no {key} in 40 chaos seeds: {count:?}"
        );
    }
    println!("{count:?}");
}

fn parallel_sweep(
    config: &TwoPcConfig,
    seeds: u64,
    threads: u64,
) -> (BTreeMap<String, u64>, u64, u64) {
    let opts = ChaosOptions::new(Faults::ALL, Tick(60_000));
    let results: Vec<(BTreeMap<String, u64>, u64, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let config = config.clone();
                s.spawn(move || {
                    let mut by: BTreeMap<String, u64> = BTreeMap::new();
                    let (mut failing, mut events) = (0u64, 0u64);
                    let mut seed = t;
                    while seed < seeds {
                        let w = chaos::run::<TwoPc>(Seed(seed), config.clone(), &opts);
                        events += w.events();
                        if !w.violations().is_empty() {
                            failing += 1;
                        }
                        for v in w.violations() {
                            *by.entry(v.invariant.clone()).or_default() += 1;
                        }
                        seed += threads;
                    }
                    (by, failing, events)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("sweep thread"))
            .collect()
    });
    let mut by = BTreeMap::new();
    let (mut failing, mut events) = (0, 0);
    for (b, f, e) in results {
        for (k, v) in b {
            *by.entry(k).or_default() += v;
        }
        failing += f;
        events += e;
    }
    (by, failing, events)
}

/// The figures: `cargo test --release -p faultlab-sim --test twopc_chaos -- --ignored --nocapture`.
#[test]
#[ignore = "release-mode benchmark and report"]
fn figures() {
    let seeds: u64 = std::env::var("SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let start = std::time::Instant::now();
    let (by, failing, events) = parallel_sweep(&TwoPcConfig::default(), seeds, 2);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "textbook: {seeds} seeds, 2 threads, {secs:.2} s, {:.0} seeds/s, {events} events, failing {failing}, {by:?}",
        f64::from(u32::try_from(seeds).unwrap_or(u32::MAX)) / secs
    );
    assert!(by.is_empty());
    let c = TwoPcConfig {
        mode: Mode::AsSubmitted,
        ..TwoPcConfig::default()
    };
    let (by, failing, _) = parallel_sweep(&c, 1000, 2);
    println!("as-submitted: 1000 seeds, failing {failing}, by invariant {by:?}");
    for bug in faultlab_sim::twopc::as_submitted::ALL_BUGS {
        let mut c = TwoPcConfig::default();
        c.bugs.insert(bug);
        let (by, failing, _) = parallel_sweep(&c, 1000, 2);
        println!("textbook + {}: failing {failing}/1000, {by:?}", bug.name());
    }
}

#[test]
#[ignore = "debug"]
fn debug_seed() {
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut c = TwoPcConfig::default();
    for b in std::env::var("BUGS")
        .unwrap_or_default()
        .split(',')
        .filter(|b| !b.is_empty())
    {
        c.bugs
            .insert(faultlab_sim::twopc::Bug::from_name(b).expect("bug"));
    }
    let opts = ChaosOptions::new(Faults::ALL, Tick(60_000));
    for s in seed..seed + 20 {
        let w = chaos::run::<TwoPc>(Seed(s), c.clone(), &opts);
        if !w.violations().is_empty() {
            println!("seed {s}: {:?}", w.violations());
        }
    }
}
