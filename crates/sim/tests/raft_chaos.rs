//! Chaos sweeps: textbook Raft must survive every fault with no violation; the
//! as-submitted modes must be caught. The 10,000-seed benchmark is `--ignored`.

use std::collections::BTreeMap;
use std::time::Instant;

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::raft::{Bug, Mode, Raft, RaftConfig};
use faultlab_sim::{Seed, Tick};

fn sweep(config: &RaftConfig, seeds: std::ops::Range<u64>) -> (u64, BTreeMap<String, u64>) {
    let options = ChaosOptions::new(Faults::ALL, Tick(60_000));
    let mut failing = 0;
    let mut by = BTreeMap::new();
    for seed in seeds {
        let w = chaos::run::<Raft>(Seed(seed), config.clone(), &options);
        if !w.violations().is_empty() {
            failing += 1;
        }
        for v in w.violations() {
            *by.entry(v.invariant.clone()).or_insert(0) += 1;
        }
    }
    (failing, by)
}

#[test]
fn textbook_survives_300_chaos_seeds() {
    let (failing, by) = sweep(&RaftConfig::default(), 0..300);
    assert_eq!(failing, 0, "{by:?}");
}

#[test]
fn assignment_mode_survives_chaos() {
    let (failing, by) = sweep(&RaftConfig::new(5, Mode::Assignment), 0..60);
    assert_eq!(failing, 0, "{by:?}");
}

#[test]
fn as_submitted_modes_are_caught() {
    let (q3, by3) = sweep(&RaftConfig::new(5, Mode::AsSubmittedQ3), 0..40);
    assert!(q3 >= 30, "{by3:?}");
    for inv in ["election_safety", "linearizability", "state_machine_safety"] {
        assert!(by3.contains_key(inv), "q3: {inv} never fired: {by3:?}");
    }
    let (q4, by4) = sweep(&RaftConfig::new(5, Mode::AsSubmittedQ4), 0..40);
    assert!(q4 >= 30, "{by4:?}");
    assert!(by4.contains_key("linearizability"), "{by4:?}");
}

/// Each behavioural toggle of the as-submitted modes is caught by some checker,
/// alone or with the flaw it needs (as in its preset). The timing/efficiency
/// deviations (heartbeat-300ms, match-index-regression, reset-timer-on-refused-vote)
/// are negative controls: no safety checker should flag them.
#[test]
fn every_behavioural_toggle_is_caught() {
    let cases: &[(&[Bug], u64)] = &[
        (&[Bug::ShadowInstance], 120),
        (&[Bug::CommitOnFirstAck], 40),
        (&[Bug::ReplaceLogWholesale], 20),
        (&[Bug::StaleVoteCounting], 120),
        (&[Bug::AckBeforeCommit], 20),
        (&[Bug::NoPersistence], 80),
        (&[Bug::StaleLocalReads], 20),
        (&[Bug::IndexOnlyCommitWait], 40),
        (&[Bug::ShortForwardDeadline], 20),
        (&[Bug::NoRequestDedup], 40),
        (&[Bug::StubQueueOps], 10),
        (&[Bug::OneStepBackoff], 120),
        (&[Bug::NoNoopOnElection, Bug::StaleLocalReads], 20),
        (&[Bug::CandidateNoStepDown, Bug::NoPersistence], 120),
        (&[Bug::NoTermAdoptionFromAppend, Bug::ShadowInstance], 120),
    ];
    let mut missed = Vec::new();
    for (bugs, seeds) in cases {
        let mut config = RaftConfig::default();
        for b in *bugs {
            config = config.with_bug(*b);
        }
        let (failing, _) = sweep(&config, 0..*seeds);
        if failing == 0 {
            missed.push(bugs.iter().map(|b| b.name()).collect::<Vec<_>>().join("+"));
        }
    }
    assert!(missed.is_empty(), "never caught: {missed:?}");
}

#[test]
#[ignore = "benchmark: cargo test --release -p faultlab-sim --test raft_chaos -- --ignored --nocapture"]
fn bench_textbook_10k_seeds() {
    let start = Instant::now();
    let (failing, by) = sweep(&RaftConfig::default(), 0..10_000);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "textbook: 10000 seeds, {failing} failing {by:?}, {:.1} s, {:.0} seeds/s (one core)",
        secs,
        10_000.0 / secs
    );
    assert_eq!(failing, 0);
}
