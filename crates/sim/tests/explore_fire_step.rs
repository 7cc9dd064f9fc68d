//! The explorer's timer choice as a scenario step: `{"fire": {"node", "timer"}}`
//! fires one armed timer now, and a timer the protocol does not have is refused with
//! the field named.

use faultlab_sim::raft::{Raft, Role};
use faultlab_sim::{NodeId, Scenario, Tick};

fn scenario(timer: &str) -> String {
    format!(
        r#"{{"format": "faultlab-scenario/1", "protocol": "raft", "nodes": 3, "until_ms": 1,
        "steps": [{{"at_ms": 0, "latency_ms": [1000000, 1000000]}},
                  {{"at_ms": 0, "fire": {{"node": "2", "timer": {timer}}}}}]}}"#
    )
}

#[test]
fn firing_the_election_timer_starts_an_election_at_once() {
    let mut world = Scenario::parse(&scenario("\"election\""))
        .expect("parses")
        .build::<Raft>()
        .expect("builds");
    world.run_until(Tick(1));
    assert_eq!(world.node(NodeId(1)).role(), Role::Candidate);
    assert_eq!(world.in_flight().count(), 2, "two RequestVotes in flight");
}

#[test]
fn an_unknown_timer_is_refused_with_its_field() {
    let err = Scenario::parse(&scenario("\"alarm_clock\""))
        .expect("the shape is fine")
        .build::<Raft>()
        .expect_err("raft has no such timer");
    assert_eq!(err.field, "steps[1].fire.timer");
}
