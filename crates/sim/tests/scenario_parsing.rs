//! Scenario files: a good file round-trips and runs; each malformed case is rejected
//! with its own message naming the field (and the step index).

use faultlab_sim::demo::Demo;
use faultlab_sim::scenario::{Action, FORMAT};
use faultlab_sim::{Fault, Scenario, Tick};

const GOOD: &str = r#"{ "format": "faultlab-scenario/1", "protocol": "raft", "mode": "textbook",
  "seed": 7, "nodes": 5, "until_ms": 20000, "title": "t",
  "steps": [
    {"at_ms": 3000, "crash": "1"},
    {"at_ms": 5000, "client": {"node": "2", "op": "add", "id": "8", "title": "Forwarding Test", "artist": "Test Case 3-2", "duration": 180}},
    {"at_ms": 6000, "partition": [["1", "2"], ["3", "4", "5"]]},
    {"at_ms": 9000, "heal": true},
    {"at_ms": 9000, "restart": "1"},
    {"at_ms": 9500, "drop_rate": 0.1},
    {"at_ms": 9600, "duplicate_rate": 0.05},
    {"at_ms": 9700, "latency_ms": [5, 50]},
    {"at_ms": 9800, "timeout": "3"} ] }"#;

#[test]
fn the_design_example_parses() {
    let s = Scenario::parse(GOOD).expect("valid");
    assert_eq!(s.protocol, "raft");
    assert_eq!(s.seed, 7);
    assert_eq!(s.steps.len(), 9);
    assert_eq!(s.steps[0].action, Action::Fault(Fault::Crash("1".into())));
    assert_eq!(
        s.steps[2].action,
        Action::Fault(Fault::Partition(vec![
            vec!["1".into(), "2".into()],
            vec!["3".into(), "4".into(), "5".into()]
        ]))
    );
    assert_eq!(s.meta_str("title"), Some("t"));
    // Round trip through the exporter.
    let again = Scenario::from_value(&s.to_value()).expect("round trip");
    assert_eq!(again, s);
}

fn err(text: &str) -> String {
    Scenario::parse(text)
        .expect_err("must be rejected")
        .to_string()
}

fn with_steps(steps: &str) -> String {
    format!(
        r#"{{"format": "{FORMAT}", "protocol": "raft", "seed": 1, "until_ms": 10000, "steps": [{steps}]}}"#
    )
}

#[test]
fn each_malformed_case_names_its_field() {
    let cases: &[(String, &str)] = &[
        ("not json".into(), "not valid JSON (line 1, column 2)"),
        ("[]".into(), "a scenario must be a JSON object"),
        (r#"{"protocol": "raft"}"#.into(), "format: missing"),
        (
            r#"{"format": "faultlab-scenario/2", "protocol": "raft"}"#.into(),
            "format: unsupported format \"faultlab-scenario/2\"",
        ),
        (
            r#"{"format": "faultlab-scenario/1"}"#.into(),
            "protocol: missing",
        ),
        (
            r#"{"format": "faultlab-scenario/1", "protocol": "paxos"}"#.into(),
            "protocol: unknown protocol \"paxos\"",
        ),
        (
            r#"{"format": "faultlab-scenario/1", "protocol": "raft", "seed": -3}"#.into(),
            "seed: must be a non-negative integer, got -3",
        ),
        (
            r#"{"format": "faultlab-scenario/1", "protocol": "raft", "seed": "x"}"#.into(),
            "seed: must be a non-negative integer",
        ),
        (
            r#"{"format": "faultlab-scenario/1", "protocol": "raft", "nodes": 2.5}"#.into(),
            "nodes: must be a positive integer",
        ),
        (
            r#"{"format": "faultlab-scenario/1", "protocol": "raft", "until_ms": 0}"#.into(),
            "until_ms: must be a positive integer",
        ),
        (
            r#"{"format": "faultlab-scenario/1", "protocol": "raft", "sed": 1}"#.into(),
            "sed: unknown field",
        ),
        (
            r#"{"format": "faultlab-scenario/1", "protocol": "raft", "steps": {}}"#.into(),
            "steps: must be an array",
        ),
        (
            r#"{"format": "faultlab-scenario/1", "protocol": "raft", "bugs": [3]}"#.into(),
            "bugs[0]: must be a string",
        ),
        (with_steps("3"), "steps[0]: a step must be an object"),
        (with_steps(r#"{"crash": "1"}"#), "steps[0].at_ms: missing"),
        (
            with_steps(r#"{"at_ms": -1, "crash": "1"}"#),
            "steps[0].at_ms: must be a non-negative integer",
        ),
        (
            with_steps(r#"{"at_ms": 20000, "crash": "1"}"#),
            "steps[0].at_ms: 20000 is after until_ms (10000)",
        ),
        (with_steps(r#"{"at_ms": 1}"#), "steps[0]: no action"),
        (
            with_steps(r#"{"at_ms": 1, "crash": "1", "restart": "1"}"#),
            "a step has exactly one action",
        ),
        (
            with_steps(r#"{"at_ms": 1, "explode": "1"}"#),
            "steps[0].explode: unknown step kind \"explode\"",
        ),
        (
            with_steps(r#"{"at_ms": 1, "crash": true}"#),
            "steps[0].crash: must be a node name",
        ),
        (
            with_steps(r#"{"at_ms": 1, "heal": false}"#),
            "steps[0].heal: must be true",
        ),
        (
            with_steps(r#"{"at_ms": 1, "partition": "1,2"}"#),
            "steps[0].partition: must be an array of node groups",
        ),
        (
            with_steps(r#"{"at_ms": 1, "partition": []}"#),
            "steps[0].partition: needs at least one group",
        ),
        (
            with_steps(r#"{"at_ms": 1, "partition": [["1"], "2"]}"#),
            "steps[0].partition[1]: must be an array of node names",
        ),
        (
            with_steps(r#"{"at_ms": 1, "partition": [["1", null]]}"#),
            "steps[0].partition[0][1]: must be a node name",
        ),
        (
            with_steps(r#"{"at_ms": 1, "drop_rate": 1.5}"#),
            "steps[0].drop_rate: must be a probability between 0 and 1, got 1.5",
        ),
        (
            with_steps(r#"{"at_ms": 1, "duplicate_rate": "lots"}"#),
            "steps[0].duplicate_rate: must be a probability",
        ),
        (
            with_steps(r#"{"at_ms": 1, "latency_ms": [5]}"#),
            "steps[0].latency_ms: must be [lo, hi] in ms",
        ),
        (
            with_steps(r#"{"at_ms": 1, "latency_ms": [0, 5]}"#),
            "steps[0].latency_ms[0]: must be an integer number of ms from 1 to",
        ),
        (
            with_steps(r#"{"at_ms": 1, "latency_ms": [50, 5]}"#),
            "steps[0].latency_ms: hi (5) is below lo (50)",
        ),
        (
            with_steps(r#"{"at_ms": 1, "client": {"op": "add"}}"#),
            "steps[0].client.node: missing",
        ),
        (
            with_steps(r#"{"at_ms": 1, "client": {"node": "1"}}"#),
            "steps[0].client.op: missing",
        ),
        (
            with_steps(r#"{"at_ms": 1, "drop": "m3"}"#),
            "steps[0].drop: must be a message id",
        ),
        (
            with_steps(r#"{"at_ms": 1, "crash": "1"}, {"at_ms": 2, "timeout": ""}"#),
            "steps[1].timeout: must be a node name",
        ),
    ];
    for (text, expected) in cases {
        let got = err(text);
        assert!(
            got.contains(expected),
            "for {text}\n  expected to contain: {expected}\n  got: {got}"
        );
    }
}

fn demo_scenario(steps: &str) -> Scenario {
    let text = format!(
        r#"{{"format": "{FORMAT}", "protocol": "raft", "seed": 1, "until_ms": 10000, "steps": [{steps}]}}"#
    );
    let mut s = Scenario::parse(&text).expect("shape is valid");
    s.protocol = "demo".into();
    s
}

#[test]
fn resolution_errors_name_the_node_and_step() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"at_ms": 1, "crash": "9"}"#,
            "steps[0].crash: unknown node \"9\" (nodes: 1, 2, 3, 4, 5)",
        ),
        (
            r#"{"at_ms": 1, "heal": true}, {"at_ms": 1, "partition": [["1", "2"], ["2"]]}"#,
            "steps[1].partition[1][0]: node \"2\" is in two groups",
        ),
        (
            r#"{"at_ms": 1, "partition": [["1", "x"]]}"#,
            "steps[0].partition[0][1]: unknown node \"x\"",
        ),
        (
            r#"{"at_ms": 1, "client": {"node": "1", "op": "fly"}}"#,
            "steps[0].client.op: unknown op \"fly\"",
        ),
        (
            r#"{"at_ms": 1, "client": {"node": "7", "op": "stats"}}"#,
            "steps[0].client.node: unknown node \"7\"",
        ),
    ];
    for (steps, expected) in cases {
        let got = demo_scenario(steps)
            .build::<Demo>()
            .expect_err("must be rejected")
            .to_string();
        assert!(
            got.contains(expected),
            "for {steps}\n  expected: {expected}\n  got: {got}"
        );
    }
    let mut s = demo_scenario(r#"{"at_ms": 1, "crash": "1"}"#);
    s.mode = "chaos-monkey".into();
    assert!(
        s.build::<Demo>()
            .expect_err("bad mode")
            .to_string()
            .starts_with("mode: unknown mode \"chaos-monkey\"")
    );
    s.mode = "textbook".into();
    s.nodes = Some(12);
    assert!(
        s.build::<Demo>()
            .expect_err("bad nodes")
            .to_string()
            .starts_with("nodes: must be between")
    );
}

#[test]
fn a_valid_scenario_builds_and_runs_its_steps() {
    let s = demo_scenario(
        r#"{"at_ms": 1000, "crash": "2"}, {"at_ms": 4000, "restart": "2"}, {"at_ms": 5000, "client": {"node": "2", "op": "stats"}}"#,
    );
    let mut w = s.build::<Demo>().expect("valid");
    w.run_until(Tick(3_000));
    assert!(!w.is_up(faultlab_sim::NodeId(1)));
    w.run_until(Tick(10_000));
    assert!(w.is_up(faultlab_sim::NodeId(1)));
    assert!(w.inputs().iter().all(|i| i.applied));
    // Export reproduces the same steps.
    let exported = Scenario::from_world(&w, 10_000, None);
    assert_eq!(exported.steps, s.steps);
}

/// Every step kind, in the exporter's own form: exporting the parsed file must give the
/// file back value for value (the page's share links and `--trace-out` embed this form).
const EVERY_KIND: &str = r#"{ "format": "faultlab-scenario/1", "protocol": "raft", "mode": "textbook",
  "bugs": ["no-persistence"], "seed": 3, "nodes": 5, "until_ms": 20000, "title": "all",
  "config": {"election_timeout_ms": [150, 300]},
  "steps": [
    {"at_ms": 10, "crash": "1"},
    {"at_ms": 20, "restart": "1"},
    {"at_ms": 30, "partition": [["1", "2"], ["3", "4", "5"]]},
    {"at_ms": 40, "isolate": "2"},
    {"at_ms": 50, "link": {"a": "1", "b": "3", "up": false}},
    {"at_ms": 60, "heal": true},
    {"at_ms": 70, "drop_rate": 0.25},
    {"at_ms": 80, "duplicate_rate": 0.5},
    {"at_ms": 90, "latency_ms": [5, 50]},
    {"at_ms": 100, "timeout": "3"},
    {"at_ms": 110, "fire": {"node": "4", "timer": "election"}},
    {"at_ms": 120, "align_timers": true},
    {"at_ms": 130, "spread_timers": true},
    {"at_ms": 140, "drop": 7},
    {"at_ms": 150, "deliver_now": 8},
    {"at_ms": 160, "duplicate": 9},
    {"at_ms": 170, "client": {"node": "2", "op": "add", "id": "8", "title": "T", "artist": "A", "duration": 180}} ] }"#;

#[test]
fn every_step_kind_exports_as_written() {
    let s = Scenario::parse(EVERY_KIND).expect("valid");
    let file: serde_json::Value = serde_json::from_str(EVERY_KIND).expect("json");
    assert_eq!(s.to_value(), file);
    assert_eq!(s.to_value().to_string(), file.to_string());
    let world = s.build::<faultlab_sim::raft::Raft>().expect("builds");
    assert_eq!(world.inputs().len(), s.steps.len());
}

#[test]
fn fire_timers_read_by_hand_agree_with_serde() {
    use faultlab_sim::id::NodeId;
    use faultlab_sim::raft::{Raft, RaftTimer};
    use faultlab_sim::scenario::ScenarioProtocol;
    use faultlab_sim::twopc::TwoPc;
    use faultlab_sim::twopc::ids::TxId;
    use faultlab_sim::twopc::msg::TwoPcTimer;
    for t in [
        RaftTimer::Election,
        RaftTimer::Heartbeat,
        RaftTimer::ClientDeadline,
        RaftTimer::ShadowElection,
        RaftTimer::ShadowHeartbeat,
        RaftTimer::ShadowClientDeadline,
    ] {
        let v = serde_json::to_value(t).expect("serialises");
        assert_eq!(Raft::parse_timer(&v), Some(t), "{v}");
        assert_eq!(serde_json::from_value::<RaftTimer>(v).ok(), Some(t));
    }
    for seq in [1, 7, u32::MAX] {
        let tx = TxId {
            coordinator: NodeId(3),
            seq,
        };
        for t in [
            TwoPcTimer::VoteTimeout(tx),
            TwoPcTimer::DecisionRetry(tx),
            TwoPcTimer::ReadyTimeout(tx),
        ] {
            let v = serde_json::to_value(t).expect("serialises");
            assert_eq!(TwoPc::parse_timer(&v), Some(t), "{v}");
        }
    }
    for bad in [
        serde_json::json!("elections"),
        serde_json::json!(3),
        serde_json::json!({"VoteTimeout": {"coordinator": -1, "seq": 1}}),
        serde_json::json!({"VoteTimeout": {"coordinator": 0}}),
        serde_json::json!({"Timeout": {"coordinator": 0, "seq": 1}}),
        serde_json::json!({"VoteTimeout": {"coordinator": 0, "seq": 1}, "ReadyTimeout": {}}),
    ] {
        assert_eq!(Raft::parse_timer(&bad), None, "{bad}");
        assert_eq!(TwoPc::parse_timer(&bad), None, "{bad}");
    }
}
