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
    let mut c = TwoPcConfig::default();
    c.mode = Mode::AsSubmitted;
    let by = sweep(&c, 0..100);
    for inv in ["durability", "termination", "isolation", "picture_integrity"] {
        assert!(by.contains_key(inv), "as-submitted sweep did not trip {inv}: {by:?}");
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
                    EventKind::Response { response: TwoPcResponse::Committed { .. }, .. } => "committed",
                    EventKind::Response { response: TwoPcResponse::Aborted { .. }, .. } => "aborted",
                    EventKind::Response { response: TwoPcResponse::Rejected { .. }, .. } => "rejected",
                    EventKind::Note { note: TwoPcNote::Recovered { in_doubt, .. }, .. } if *in_doubt > 0 => "recovered_in_doubt",
                    EventKind::Note { note: TwoPcNote::Recovered { resend, aborted, .. }, .. } if *resend + *aborted > 0 => "recovered_coordinator",
                    EventKind::Note { note: TwoPcNote::Learned { .. }, .. } => "learned",
                    EventKind::Note { note: TwoPcNote::Blocked { .. }, .. } => "blocked",
                    EventKind::Note { note: TwoPcNote::VoteTimedOut { .. }, .. } => "vote_timeout",
                    _ => continue,
                };
                *count.entry(key).or_default() += 1;
            }
        });
    }
    for key in ["committed", "aborted", "rejected", "recovered_in_doubt", "recovered_coordinator", "learned", "blocked", "vote_timeout"] {
        assert!(count.get(key).copied().unwrap_or(0) > 0, "no {key} in 40 chaos seeds: {count:?}");
    }
    println!("{count:?}");
}
