//! Counterexamples laid out on a timeline: one choice every `gap` ms, messages slower
//! than the whole run. Played to its `until_ms` the scenario reaches the violation at
//! its last step, every delivery is one the explorer chose (a `deliver_now` step) and
//! every timer that fires is one it fired.

use faultlab_sim::explore::timeline::{GAPS, spread};
use faultlab_sim::explore::{Bounds, Counterexample, Explorable, explore};
use faultlab_sim::raft::Raft;
use faultlab_sim::scenario::Action;
use faultlab_sim::twopc::TwoPc;
use faultlab_sim::{EventKind, Fault, Input, Scenario, ScenarioProtocol, Tick};

/// Replay `cx` to its end and check what the module promises.
fn check<P: ScenarioProtocol>(cx: &Counterexample, initial: usize) {
    let sc = &cx.scenario;
    assert!(
        GAPS.contains(&cx.timing.gap_ms),
        "{} is laid out on a timeline: {:?}",
        cx.invariant,
        cx.timing
    );
    let gap = cx.timing.gap_ms;
    for (i, step) in sc.steps.iter().enumerate() {
        let want = if i < initial {
            0
        } else {
            (i - initial + 1) as u64 * gap
        };
        assert_eq!(step.at_ms, want, "step {i}");
    }
    assert_eq!(sc.until_ms, sc.steps.last().expect("steps").at_ms);
    assert!(sc.steps.iter().any(|s| matches!(
        s.action,
        Action::Fault(Fault::Latency(lo, hi)) if lo == hi && lo.0 > sc.until_ms
    )));
    // Through the file format, as the CLI and the page read it.
    let parsed = Scenario::parse(&sc.to_value().to_string()).expect("parses");
    let mut world = parsed.build::<P>().expect("builds");
    let mut trace = Vec::new();
    world.run_until_with(Tick(parsed.until_ms), |evs| trace.extend_from_slice(evs));
    let v = world
        .violations()
        .iter()
        .find(|v| v.invariant == cx.invariant)
        .expect("the violation is reproduced");
    assert_eq!(v.at_ms, sc.until_ms, "at the last step");
    assert_eq!(v.event, world.events(), "at the last event");
    let mut expedited = Vec::new();
    let mut fired = 0;
    for e in &trace {
        match &e.kind {
            EventKind::Expedited { msg } => expedited.push(*msg),
            EventKind::Delivered { msg, .. } => {
                assert!(expedited.contains(msg), "message {msg:?} arrived by itself");
            }
            EventKind::Input(Input::FireTimer(..)) => fired += 1,
            EventKind::TimerFired { .. } => {
                assert!(fired > 0, "a timer fired by itself at {:?}", e.at);
                fired -= 1;
            }
            _ => {}
        }
    }
}

#[test]
fn twopc_counterexamples_are_timed_runs() {
    let initial = TwoPc::explore_scenario("as-submitted", Some(3)).expect("config");
    let report = explore::<TwoPc>(&initial, &TwoPc::default_bounds(Some(3))).expect("explores");
    assert!(!report.counterexamples.is_empty());
    for cx in &report.counterexamples {
        check::<TwoPc>(cx, initial.steps.len());
    }
}

#[test]
fn raft_q4_counterexample_is_a_timed_run() {
    let initial = Raft::explore_scenario("as-submitted-q4", None).expect("config");
    let bounds = Bounds {
        stop_at_first: true,
        writes: 0,
        timeouts: 2,
        max_term: 1,
        max_in_flight: 6,
        ..Raft::default_bounds(Some(3))
    };
    let report = explore::<Raft>(&initial, &bounds).expect("explores");
    let cx = report.counterexamples.first().expect("a counterexample");
    check::<Raft>(cx, initial.steps.len());
}

#[test]
fn a_path_without_choices_stays_frozen() {
    let initial = TwoPc::explore_scenario("textbook", Some(3)).expect("config");
    let (same, timing) = spread::<TwoPc>(&initial, initial.steps.len());
    assert_eq!(same, initial);
    assert_eq!(timing.gap_ms, 0);
}
