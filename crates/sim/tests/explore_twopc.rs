//! The explorer on small 2PC clusters: textbook is clean and complete, as-submitted
//! yields counterexamples that replay to the same violation as scenario files.

use faultlab_sim::explore::{Bounds, Explorable, explore};
use faultlab_sim::twopc::TwoPc;
use faultlab_sim::{Scenario, Tick};

fn bounds() -> Bounds {
    TwoPc::default_bounds(Some(3))
}

#[test]
fn textbook_one_plus_two_is_complete_and_clean() {
    let initial = TwoPc::explore_scenario("textbook", Some(3)).expect("explorer config");
    let report = explore::<TwoPc>(&initial, &bounds()).expect("explores");
    eprintln!(
        "states {} unique {} pruned {} depth {}",
        report.states, report.unique_states, report.pruned, report.max_depth
    );
    assert!(report.complete, "the bounded space is exhausted");
    assert!(report.unique_states > 10, "it explored something");
    let names: Vec<&str> = report
        .counterexamples
        .iter()
        .map(|c| c.invariant.as_str())
        .collect();
    assert!(names.is_empty(), "textbook 2PC violates {names:?}");
}

#[test]
fn as_submitted_counterexamples_replay_as_scenarios() {
    let initial = TwoPc::explore_scenario("as-submitted", Some(3)).expect("explorer config");
    let report = explore::<TwoPc>(&initial, &bounds()).expect("explores");
    assert!(
        !report.counterexamples.is_empty(),
        "as-submitted 2PC has a bug"
    );
    for cx in &report.counterexamples {
        let text = cx.scenario.to_value().to_string();
        let scenario = Scenario::parse(&text).expect("the counterexample parses");
        let mut world = scenario.build::<TwoPc>().expect("and builds");
        world.run_until(Tick(scenario.until_ms));
        assert!(
            world
                .violations()
                .iter()
                .any(|v| v.invariant == cx.invariant),
            "replaying the {} counterexample (depth {}) reproduces it: {text}",
            cx.invariant,
            cx.depth
        );
    }
}
