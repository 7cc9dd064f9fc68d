//! The explorer on 3-node Raft: textbook is clean in a small bounded space; the
//! submitted Q4 server (no persistence) elects two leaders in one term, and that
//! counterexample replays as a scenario file.

use faultlab_sim::explore::{Bounds, Explorable, explore};
use faultlab_sim::raft::Raft;
use faultlab_sim::{Scenario, Tick};

fn small() -> Bounds {
    Bounds {
        writes: 0,
        timeouts: 2,
        max_term: 1,
        max_in_flight: 4,
        ..Raft::default_bounds(Some(3))
    }
}

#[test]
fn textbook_small_space_is_complete_and_clean() {
    let initial = Raft::explore_scenario("textbook", None).expect("explorer config");
    let bounds = Bounds {
        crashes: 0,
        ..small()
    };
    let report = explore::<Raft>(&initial, &bounds).expect("explores");
    assert!(report.complete, "the bounded space is exhausted");
    assert!(report.unique_states > 100, "it explored something");
    let names: Vec<&str> = report
        .counterexamples
        .iter()
        .map(|c| c.invariant.as_str())
        .collect();
    assert!(names.is_empty(), "textbook Raft violates {names:?}");
}

#[test]
fn as_submitted_q4_double_vote_breaks_election_safety_and_replays() {
    let initial = Raft::explore_scenario("as-submitted-q4", None).expect("explorer config");
    let bounds = Bounds {
        stop_at_first: true,
        max_in_flight: 6,
        ..small()
    };
    let report = explore::<Raft>(&initial, &bounds).expect("explores");
    let cx = report
        .counterexamples
        .iter()
        // With stop_at_first the search stops at the first symptom of the flaw: the
        // restart that forgets currentTerm (term_monotonic), one step before the
        // restarted node votes a second time in that term (election_safety).
        .find(|c| c.invariant == "term_monotonic")
        .expect("no persistence: a restarted node forgets its term");
    let text = cx.scenario.to_value().to_string();
    let scenario = Scenario::parse(&text).expect("parses");
    let mut world = scenario.build::<Raft>().expect("builds");
    world.run_until(Tick(scenario.until_ms));
    assert!(
        world
            .violations()
            .iter()
            .any(|v| v.invariant == "term_monotonic"),
        "the scenario replays to the violation: {text}"
    );
}
