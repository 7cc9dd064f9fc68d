//! The 2PC checkers, each shown to fire and shown to stay quiet, as transcripts:
//! every test compares the exact findings (`invariant: detail`) of a deterministic
//! scenario. The three classic bug toggles are each caught by a *safety* checker,
//! and the textbook run of the same scenario is clean.
//!
//! The checkers decide from node state, never from notes: `notes_are_not_evidence`
//! replays runs through a fresh checker that is shown every event *except* the notes
//! and finds exactly what the world's own checker found.

// The named scenario files are embedded in native builds only (the page fetches them).
#![cfg(not(target_arch = "wasm32"))]

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::twopc::invariants::termination;
use faultlab_sim::twopc::{CoordinatorState, TwoPc, TwoPcChecker, TwoPcConfig, scenarios};
use faultlab_sim::{Checker, EventKind, Finding, Scenario, Seed, Tick, Ticks, TraceEvent, World};

fn named(name: &str) -> &'static str {
    scenarios::all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("named scenario")
        .1
}

fn build(text: &str, mode: &str, bugs: &[&str]) -> (World<TwoPc>, Tick) {
    let mut s = Scenario::parse(text).expect("scenario parses");
    mode.clone_into(&mut s.mode);
    s.bugs = bugs.iter().map(|b| (*b).to_owned()).collect();
    (s.build::<TwoPc>().expect("builds"), Tick(s.until_ms))
}

/// The run's violations as `invariant: detail`, in the order they were found.
fn findings(text: &str, mode: &str, bugs: &[&str]) -> Vec<String> {
    let (mut w, until) = build(text, mode, bugs);
    w.run_until(until);
    w.finish();
    w.violations()
        .iter()
        .map(|v| format!("{}: {}", v.invariant, v.detail))
        .collect()
}

/// Run `world` to `until` with its own checker off, showing a fresh checker every
/// event of every step except the notes; return what it finds, first per invariant,
/// as the world would record it.
fn blind(mut w: World<TwoPc>, until: Tick) -> Vec<String> {
    w.set_checking(false);
    let mut checker = TwoPcChecker::default();
    let mut found: Vec<Finding> = Vec::new();
    let keep = |step: Vec<Finding>, found: &mut Vec<Finding>| {
        for f in step {
            if !found.iter().any(|k| k.invariant == f.invariant) {
                found.push(f);
            }
        }
    };
    while w.next_event_at().is_some_and(|at| at <= until) {
        w.step();
        let without_notes: Vec<TraceEvent<TwoPc>> = w
            .last_events()
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Note { .. }))
            .cloned()
            .collect();
        let mut step = Vec::new();
        checker.check(&w, &without_notes, &mut step);
        keep(step, &mut found);
    }
    w.advance_clock(until);
    let mut step = Vec::new();
    checker.finish(&w, &mut step);
    keep(step, &mut found);
    found
        .iter()
        .map(|f| format!("{}: {}", f.invariant, f.detail))
        .collect()
}

// ----- the three classic toggles, each caught by a safety checker ---------------------

#[test]
fn ready_timeout_unilateral_abort_breaks_atomicity() {
    let text = named("lost-global-commit");
    assert_eq!(findings(text, "textbook", &[]), Vec::<String>::new());
    assert_eq!(
        findings(text, "textbook", &["ready-timeout-unilateral-abort"]),
        ["atomicity: tx-http-node1-1: http-node1 decided COMMIT but grpc-node2 decided ABORT"]
    );
}

#[test]
fn commit_on_majority_votes_breaks_validity() {
    assert_eq!(findings(MAJORITY, "textbook", &[]), Vec::<String>::new());
    assert_eq!(
        findings(MAJORITY, "textbook", &["commit-on-majority-votes"]),
        [
            "validity: http-node1 decided COMMIT for tx-http-node1-1 without a commit vote from grpc-node3"
        ]
    );
}

#[test]
fn decision_not_logged_before_send_breaks_atomicity_and_durability() {
    assert_eq!(findings(LAZY_LOG, "textbook", &[]), Vec::<String>::new());
    assert_eq!(
        findings(LAZY_LOG, "textbook", &["decision-not-logged-before-send"]),
        [
            "atomicity: tx-http-node1-1: grpc-node1 decided COMMIT but http-node1 decided ABORT",
            "durability: http-node1 restarted and no longer knows that it decided COMMIT for tx-http-node1-1 (now ABORT)"
        ]
    );
}

// ----- every checker fires, and stays quiet on the textbook run -----------------------

#[test]
fn isolation_fires_when_a_plain_delete_ignores_the_lock() {
    let text = named("plain-delete-of-ready-picture");
    assert_eq!(findings(text, "textbook", &[]), Vec::<String>::new());
    assert_eq!(
        findings(text, "textbook", &["no-isolation"]),
        [
            "isolation: \"demo.png\" was deleted on grpc-node2 while it was READY for tx-http-node1-1"
        ]
    );
}

#[test]
fn picture_integrity_fires_when_the_coordinator_deletes_its_own_copy() {
    assert_eq!(findings(OWN_COPY, "textbook", &[]), Vec::<String>::new());
    assert_eq!(
        findings(OWN_COPY, "textbook", &["coordinator-deletes-own-copy"]),
        [
            "picture_integrity: http-node1 lost \"a.png\" outside any committed transaction it took part in"
        ]
    );
}

#[test]
fn termination_fires_in_the_as_submitted_blocking_case() {
    let text = named("coordinator-crash-in-wait");
    assert_eq!(findings(text, "textbook", &[]), Vec::<String>::new());
    assert_eq!(
        findings(text, "as-submitted", &[]),
        [
            "termination: tx-http-node1-1 is still undecided (unknown) at http-node1 21000ms after the faults healed"
        ]
    );
}

// ----- the termination bound follows the configuration --------------------------------

#[test]
fn termination_bound_is_derived_from_the_timers_and_latency() {
    let mut c = TwoPcConfig::default();
    // vote timeout 2 s + retry 1 s + three one-way latencies.
    assert_eq!(termination::bound(&c, Ticks(40)), Ticks(3_120));
    c.vote_timeout_ms = 20_000;
    c.decision_retry_ms = 5_000;
    assert_eq!(termination::bound(&c, Ticks(100)), Ticks(25_300));
    // P-8's per-call deadlines: three participants, one call in flight at the heal.
    let mut c = TwoPcConfig::default();
    c.bugs.insert(faultlab_sim::twopc::Bug::Sequential2sCalls);
    assert_eq!(
        termination::bound(&c, Ticks(40)),
        Ticks(6_000 + 3_000 + 7 * 40)
    );
}

/// grpc-node3 is down when the vote requests go out and back at 1.2 s (the heal);
/// with a 20 s vote timeout the coordinator is still in WAIT at 18 s, 16.8 s after
/// the heal — past a fixed 15 s bound, but well within the configured one.
const SLOW_VOTES: &str = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 23, "until_ms": 18000,
  "config": {"vote_timeout_ms": 20000, "decision_retry_ms": 5000, "ready_timeout_ms": [30000, 40000]},
  "steps": [
    {"at_ms": 0, "latency_ms": [100, 100]},
    {"at_ms": 100, "client": {"node": "grpc-node1", "op": "upload", "filename": "a.png"}},
    {"at_ms": 100, "client": {"node": "grpc-node2", "op": "upload", "filename": "a.png"}},
    {"at_ms": 100, "client": {"node": "grpc-node3", "op": "upload", "filename": "a.png"}},
    {"at_ms": 900, "crash": "grpc-node3"},
    {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}},
    {"at_ms": 1200, "restart": "grpc-node3"}]}"#;

#[test]
fn raised_timeouts_raise_no_false_alarm() {
    let (mut w, until) = build(SLOW_VOTES, "textbook", &[]);
    w.run_until(until);
    w.finish();
    let http1 = w.node_by_name("http-node1").expect("node");
    let tx = *w
        .node(http1)
        .coordinated()
        .keys()
        .next()
        .expect("one transaction");
    assert_eq!(
        w.node(http1)
            .coordinator_state(tx)
            .map(CoordinatorState::name),
        Some("WAIT"),
        "still deciding at 18 s: the run is inside the vote timeout"
    );
    assert_eq!(w.violations(), []);
    // Run on past the configured bound: it settles (ABORT at 21 s) and stays clean.
    let (mut w, _) = build(SLOW_VOTES, "textbook", &[]);
    w.run_until(Tick(40_000));
    w.finish();
    assert_eq!(w.violations(), []);
    assert_eq!(
        w.node(http1)
            .coordinator_state(tx)
            .map(CoordinatorState::name),
        Some("ABORT")
    );
}

#[test]
fn raised_timeouts_in_textbook_chaos_stay_clean() {
    let config = TwoPcConfig {
        vote_timeout_ms: 6_000,
        decision_retry_ms: 3_000,
        ready_timeout_ms: (9_000, 12_000),
        termination_retry_ms: (3_000, 4_500),
        ..TwoPcConfig::default()
    };
    let mut options = ChaosOptions::new(Faults::ALL, Tick(90_000));
    options.quiet = Ticks(40_000);
    for seed in 0..30 {
        let w = chaos::run::<TwoPc>(Seed(seed), config.clone(), &options);
        assert_eq!(w.violations(), [], "seed {seed}");
    }
}

// ----- notes are not evidence ---------------------------------------------------------

/// The checkers' verdicts do not depend on the notes: with every note withheld a fresh
/// checker finds exactly what the world's checker found, on every named scenario in
/// both modes, on the toggles' scenarios, and on chaos runs of every toggle.
#[test]
fn notes_are_not_evidence() {
    let mut cases: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for (name, text) in scenarios::all() {
        let _ = name;
        cases.push((text, "textbook", vec![]));
        cases.push((text, "as-submitted", vec![]));
    }
    cases.push((
        named("lost-global-commit"),
        "textbook",
        vec!["ready-timeout-unilateral-abort"],
    ));
    cases.push((MAJORITY, "textbook", vec!["commit-on-majority-votes"]));
    cases.push((
        LAZY_LOG,
        "textbook",
        vec!["decision-not-logged-before-send"],
    ));
    cases.push((OWN_COPY, "textbook", vec!["coordinator-deletes-own-copy"]));
    let mut caught = 0;
    for (text, mode, bugs) in &cases {
        let seen = findings(text, mode, bugs);
        let (w, until) = build(text, mode, bugs);
        assert_eq!(blind(w, until), seen, "{mode} {bugs:?}");
        caught += usize::from(!seen.is_empty());
    }
    assert!(
        caught >= 8,
        "the comparison must include runs that are caught"
    );

    let options = ChaosOptions::new(Faults::ALL, Tick(60_000));
    for bug in faultlab_sim::twopc::as_submitted::ALL_BUGS {
        let mut config = TwoPcConfig::default();
        config.bugs.insert(bug);
        for seed in 0..3 {
            let seen: Vec<String> = chaos::run::<TwoPc>(Seed(seed), config.clone(), &options)
                .violations()
                .iter()
                .map(|v| format!("{}: {}", v.invariant, v.detail))
                .collect();
            let w = chaos::world::<TwoPc>(Seed(seed), config.clone(), &options);
            assert_eq!(blind(w, options.until), seen, "{} seed {seed}", bug.name());
        }
    }
}

/// grpc-node3 cannot hear the coordinator when the vote requests go out, and is
/// reachable again at 8 s. Two of three participants vote commit.
const MAJORITY: &str = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 21, "until_ms": 30000,
  "steps": [
    {"at_ms": 0, "latency_ms": [100, 100]},
    {"at_ms": 100, "client": {"node": "grpc-node1", "op": "upload", "filename": "a.png"}},
    {"at_ms": 100, "client": {"node": "grpc-node2", "op": "upload", "filename": "a.png"}},
    {"at_ms": 100, "client": {"node": "grpc-node3", "op": "upload", "filename": "a.png"}},
    {"at_ms": 900, "link": {"a": "http-node1", "b": "grpc-node3", "up": false}},
    {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}},
    {"at_ms": 8000, "link": {"a": "http-node1", "b": "grpc-node3", "up": true}}]}"#;

/// Every participant votes commit; the coordinator crashes at 1.45 s, after the
/// `GlobalCommit`s arrived (1.4 s) and before their Acks (1.5 s), and restarts at 9 s.
const LAZY_LOG: &str = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 22, "until_ms": 30000,
  "steps": [
    {"at_ms": 0, "latency_ms": [100, 100]},
    {"at_ms": 100, "client": {"node": "grpc-node1", "op": "upload", "filename": "a.png"}},
    {"at_ms": 100, "client": {"node": "grpc-node2", "op": "upload", "filename": "a.png"}},
    {"at_ms": 100, "client": {"node": "grpc-node3", "op": "upload", "filename": "a.png"}},
    {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}},
    {"at_ms": 1450, "crash": "http-node1"},
    {"at_ms": 9000, "restart": "http-node1"}]}"#;

/// The coordinator holds a copy of the picture it asks the participants to delete.
const OWN_COPY: &str = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 13, "until_ms": 5000,
  "steps": [
    {"at_ms": 100, "client": {"node": "http-node1", "op": "upload", "filename": "a.png"}},
    {"at_ms": 200, "client": {"node": "http-node1", "op": "upload2pc", "filename": "a.png"}},
    {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}}]}"#;
