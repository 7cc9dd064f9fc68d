//! Every named Raft scenario runs and produces the outcome its `expect` states.

// The named scenario files are embedded in native builds only (the page fetches them).
#![cfg(not(target_arch = "wasm32"))]

use faultlab_sim::log::render;
use faultlab_sim::raft::{Raft, scenarios};
use faultlab_sim::{Scenario, Tick, World};

fn run(name: &str) -> (World<Raft>, Vec<String>) {
    let text = scenarios::get(name).expect("scenario exists");
    let sc = Scenario::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut w = sc.build::<Raft>().unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut events = Vec::new();
    w.run_until_with(Tick(sc.until_ms), |evs| events.extend_from_slice(evs));
    w.finish();
    let lines = render::<Raft>(w.config(), &events)
        .into_iter()
        .map(|l| format!("[Node {}] {}", l.node.index() + 1, l.text))
        .collect();
    (w, lines)
}

#[test]
fn every_scenario_meets_its_expectation() {
    let mut failures = Vec::new();
    for (name, text) in scenarios::all() {
        let sc = Scenario::parse(text).expect("parses");
        for key in ["title", "description", "watch", "expect"] {
            assert!(
                sc.meta_str(key).is_some_and(|s| !s.is_empty()),
                "{name}: missing {key}"
            );
        }
        let expect = sc.meta_str("expect").expect("expect");
        let (w, _) = run(name);
        let fired: Vec<&str> = w
            .violations()
            .iter()
            .map(|v| v.invariant.as_str())
            .collect();
        match scenarios::expected_violations(expect) {
            None => {
                if !fired.is_empty() {
                    failures.push(format!(
                        "{name}: expected no violations, got {:?}",
                        w.violations()
                    ));
                }
            }
            Some(want) => {
                for inv in want {
                    if !fired.contains(&inv.as_str()) {
                        failures.push(format!("{name}: expected {inv}, got {fired:?}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn contains_in_order(lines: &[String], want: &[&str]) -> bool {
    let mut it = lines.iter();
    want.iter().all(|w| it.any(|l| l == w))
}

#[test]
fn tc3_forwarding_prints_the_sample_lines() {
    let (_, lines) = run("tc3-forwarding");
    let want = [
        "[Node 2] Node 2 runs RPC AddTrack called by Node unknown",
        "[Node 2] Node 2 sends RPC AddTrack to Node 1",
        "[Node 1] Node 1 runs RPC AddTrack called by Node 2",
        "[Node 1] Leader appended log[1]",
        "[Node 1] Advanced commit_index -> 1",
        "[Node 1] Applying log[1] cmd=ADD",
        "[Node 1] AddTrack committed",
    ];
    assert!(contains_in_order(&lines, &want), "{}", lines.join("\n"));
}

#[test]
fn tc3_as_submitted_q4_prints_the_assignment_sample_exactly() {
    let (_, lines) = run("tc3-forwarding-as-submitted-q4");
    // seed-systems.md §4.2, TC3, leader (node 1).
    let want = [
        "[Node 1] Node 1 runs RPC AddTrack called by Node unknown",
        "[Node 1] Leader appended log[1]",
        "[Node 1] Advanced commit_index -> 1",
        "[Node 1] Applying log[1] cmd=ADD",
        "[Node 1] AddTrack committed",
    ];
    let from = lines
        .iter()
        .position(|l| l == "[Node 2] Node 2 sends RPC AddTrack to Node 1")
        .expect("forwarded");
    assert!(
        contains_in_order(&lines[from..], &want),
        "{}",
        lines[from..].join("\n")
    );
    // The follower (node 4 in the sample) applies log[0], log[1] and log[2].
    assert!(contains_in_order(
        &lines,
        &[
            "[Node 4] Applying log[0] cmd=ADD",
            "[Node 4] Applying log[1] cmd=ADD",
            "[Node 4] Applying log[2] cmd=ADD"
        ]
    ));
}

#[test]
fn tc1_and_tc2_show_the_role_lines() {
    let (_, lines) = run("tc2-election-timeout");
    assert!(
        lines
            .iter()
            .filter(|l| l.ends_with("Became CANDIDATE for term 1"))
            .count()
            >= 2,
        "{}",
        lines.join("\n")
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Won election and became LEADER for term"))
    );
    let (_, lines) = run("tc1-heartbeat-timeout");
    assert!(contains_in_order(
        &lines,
        &[
            "[Node 1] Won election and became LEADER for term 1",
            "[Node 1] Node 1 sends RPC AppendEntries to Node 2"
        ]
    ));
    assert!(
        lines.iter().any(
            |l| l.ends_with("Election timeout -> start election") && !l.starts_with("[Node 1]")
        )
    );
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with("Transition to FOLLOWER term=2"))
    );
}

#[test]
#[ignore = "prints every scenario's violations (cargo test -- --ignored --nocapture)"]
fn print_scenario_outcomes() {
    for (name, _) in scenarios::all() {
        let (w, lines) = run(name);
        println!(
            "{name}: {:?}",
            w.violations()
                .iter()
                .map(|v| format!("{} @{}: {}", v.invariant, v.at_ms, v.detail))
                .collect::<Vec<_>>()
        );
        if std::env::var("LINES").is_ok_and(|n| n == name) {
            println!("{}", lines.join("\n"));
        }
    }
}
