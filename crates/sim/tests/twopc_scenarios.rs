//! Every named 2PC scenario does what its description claims, in textbook and in
//! as-submitted mode.

// The named scenario files are embedded in native builds only (the page fetches them).
#![cfg(not(target_arch = "wasm32"))]

use faultlab_sim::twopc::{DisplayState, TwoPc, TwoPcNote, scenarios};
use faultlab_sim::{EventKind, LogLine, Scenario, ScenarioProtocol, Tick, TraceEvent, World, log};

struct Run {
    world: World<TwoPc>,
    trace: Vec<TraceEvent<TwoPc>>,
    lines: Vec<LogLine>,
}

impl Run {
    fn violated(&self) -> Vec<&str> {
        self.world
            .violations()
            .iter()
            .map(|v| v.invariant.as_str())
            .collect()
    }
    fn node(&self, name: &str) -> &faultlab_sim::twopc::TwoPcNode {
        self.world
            .node(self.world.node_by_name(name).expect("known node"))
    }
    fn has(&self, node: &str, file: &str) -> bool {
        self.node(node).pictures().contains_key(file)
    }
    /// Client reports in order: (op, outcome, result-or-reason).
    fn clients(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for ev in &self.trace {
            if let EventKind::Response { id, response, .. } = &ev.kind {
                let req = self
                    .trace
                    .iter()
                    .find_map(|e| match &e.kind {
                        EventKind::Request { id: r, request, .. } if r == id => {
                            Some(request.clone())
                        }
                        _ => None,
                    })
                    .expect("request of a response");
                let m = TwoPc::client_report(&req, Some(response));
                let detail = m
                    .get("result")
                    .or_else(|| m.get("reason"))
                    .map(ToString::to_string)
                    .unwrap_or_default();
                out.push((
                    m["op"].as_str().unwrap_or("").to_owned(),
                    m["outcome"].as_str().unwrap_or("").to_owned(),
                    detail,
                ));
            }
        }
        out
    }
    fn outcome_of(&self, op: &str) -> Vec<(String, String)> {
        self.clients()
            .into_iter()
            .filter(|(o, ..)| o == op)
            .map(|(_, out, d)| (out, d))
            .collect()
    }
    fn log_has(&self, node: &str, text: &str) -> bool {
        let id = self.world.node_by_name(node).expect("known node");
        self.lines
            .iter()
            .any(|l| l.node == id && l.text.contains(text))
    }
    fn notes(&self, pred: impl Fn(&TwoPcNote) -> bool) -> usize {
        self.trace
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::Note { note, .. } if pred(note)))
            .count()
    }
}

fn run(name: &str, mode: &str) -> Run {
    let text = scenarios::all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("named scenario")
        .1;
    let mut s = Scenario::parse(text).expect("scenario parses");
    mode.clone_into(&mut s.mode);
    let mut world = s.build::<TwoPc>().expect("scenario builds");
    let mut trace = Vec::new();
    world.run_until_with(Tick(s.until_ms), |ev| trace.extend_from_slice(ev));
    world.finish();
    let lines = log::render::<TwoPc>(world.config(), &trace);
    Run {
        world,
        trace,
        lines,
    }
}

const GRPC: [&str; 3] = ["grpc-node1", "grpc-node2", "grpc-node3"];

#[test]
fn every_scenario_parses_and_has_metadata() {
    assert_eq!(scenarios::all().len(), 9);
    for (name, text) in scenarios::all() {
        let s = Scenario::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for key in ["title", "description", "watch", "expect"] {
            assert!(
                s.meta_str(key).is_some_and(|t| !t.is_empty()),
                "{name} lacks {key}"
            );
        }
        s.build::<TwoPc>().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn seed_demo_commits_and_logs_in_the_assignment_format() {
    let r = run("seed-demo", "textbook");
    assert!(r.violated().is_empty(), "{:?}", r.world.violations());
    assert_eq!(r.outcome_of("delete2pc")[0].0, "committed");
    for g in GRPC {
        assert!(!r.has(g, "demo.png"), "{g} still has demo.png");
        assert_eq!(r.node(g).display_state(), DisplayState::Commit);
        assert!(r.node(g).locks().is_empty());
    }
    assert!(r.log_has(
        "http-node1",
        "--- Starting 2PC Transaction tx-http-node1-1 for demo.png ---"
    ));
    let line = |fp: &str, from: &str, rpc: &str, tp: &str, to: &str| {
        format!("Phase {fp} of Node {from} sends RPC {rpc} to Phase {tp} of Node {to}")
    };
    for g in GRPC {
        for (l, sides) in [
            (
                line("Voting", "http-node1", "VoteRequest", "Voting", g),
                ["http-node1", g],
            ),
            (
                line("Voting", g, "VoteCommit", "Voting", "http-node1"),
                ["http-node1", g],
            ),
            (
                line("Decision", "http-node1", "GlobalCommit", "Decision", g),
                ["http-node1", g],
            ),
            (
                line("Decision", g, "Ack", "Decision", "http-node1"),
                ["http-node1", g],
            ),
            (line("Voting", g, "VoteCommit", "Decision", g), [g, g]),
        ] {
            for side in sides {
                assert!(r.log_has(side, &l), "{side} lacks `{l}`");
            }
        }
    }
    // The hand-off inside the coordinator, printed when sent and when received.
    let handoff = line(
        "Voting",
        "http-node1",
        "GlobalCommit",
        "Decision",
        "http-node1",
    );
    let id = r.world.node_by_name("http-node1").expect("node");
    assert_eq!(
        r.lines
            .iter()
            .filter(|l| l.node == id && l.text == handoff)
            .count(),
        2
    );
}

#[test]
fn seed_demo_as_submitted_prints_the_seed_lines() {
    let r = run("seed-demo", "as-submitted");
    assert_eq!(r.outcome_of("delete2pc")[0].0, "committed");
    for g in GRPC {
        assert!(r.log_has(
            "http-node1",
            &format!("Node http-node1 sends RPC VoteRequest to Node {g}")
        ));
        assert!(r.log_has(
            "http-node1",
            &format!("Node http-node1 sends RPC GlobalCommit to Node {g}")
        ));
    }
    for text in [
        "Phase Voting of Node grpc-node1 received RPC VoteRequest from Phase Voting of Node http-node1",
        "Phase Voting of Node grpc-node1 sends RPC VoteCommit to Phase Voting of Node http-node1",
        "Phase Decision of Node grpc-node1 received RPC GlobalCommit from Phase Decision of Node http-node1",
        "Phase Decision of Node grpc-node1 sends RPC Ack to Phase Decision of Node http-node1",
    ] {
        assert!(r.log_has("grpc-node1", text), "missing `{text}`");
    }
    assert!(
        r.node("http-node1").wal().is_empty() && r.node("grpc-node1").wal().is_empty(),
        "as-submitted logs nothing"
    );
}

#[test]
fn participant_lacking_the_picture_aborts() {
    for mode in ["textbook", "as-submitted"] {
        let r = run("participant-lacks-picture", mode);
        assert!(
            r.violated().is_empty(),
            "{mode}: {:?}",
            r.world.violations()
        );
        let (outcome, reason) = &r.outcome_of("delete2pc")[0];
        assert_eq!(outcome, "aborted", "{mode}");
        assert!(reason.contains("grpc-node3"), "{mode}: {reason}");
        assert!(r.has("grpc-node1", "demo1.png") && r.has("grpc-node2", "demo1.png"));
        assert!(
            GRPC.iter().all(|g| r.node(g).locks().is_empty()),
            "{mode}: a lock is left"
        );
    }
}

#[test]
fn participant_crash_during_voting() {
    let r = run("participant-crash-during-voting", "textbook");
    assert!(r.violated().is_empty(), "{:?}", r.world.violations());
    let (outcome, reason) = &r.outcome_of("delete2pc")[0];
    assert_eq!(outcome, "aborted");
    assert!(
        reason.contains("vote timeout") && reason.contains("grpc-node2"),
        "{reason}"
    );
    assert_eq!(r.notes(|n| matches!(n, TwoPcNote::VoteTimedOut { .. })), 1);
    for g in GRPC {
        assert!(r.has(g, "demo.png"));
        assert_eq!(r.node(g).display_state(), DisplayState::Abort, "{g}");
        assert!(r.node(g).locks().is_empty());
    }
    // The coordinator kept resending until grpc-node2 came back and acknowledged.
    assert!(
        r.node("http-node1")
            .wal()
            .iter()
            .any(|w| w.to_string().starts_with("END"))
    );
    let as_sub = run("participant-crash-during-voting", "as-submitted");
    assert_eq!(as_sub.outcome_of("delete2pc")[0].0, "aborted");
    assert!(
        as_sub.violated().contains(&"termination"),
        "{:?}",
        as_sub.world.violations()
    );
}

#[test]
fn participant_crash_after_vote_recovers_only_in_textbook() {
    let r = run("participant-crash-after-vote", "textbook");
    assert!(r.violated().is_empty(), "{:?}", r.world.violations());
    assert_eq!(r.outcome_of("delete2pc")[0].0, "committed");
    assert!(
        GRPC.iter().all(|g| !r.has(g, "demo.png")),
        "a replica kept demo.png"
    );
    assert_eq!(
        r.notes(|n| matches!(n, TwoPcNote::Recovered { in_doubt: 1, .. })),
        1
    );

    let s = run("participant-crash-after-vote", "as-submitted");
    assert_eq!(s.outcome_of("delete2pc")[0].0, "committed");
    assert!(
        s.has("grpc-node2", "demo.png") && !s.has("grpc-node1", "demo.png"),
        "replicas should diverge"
    );
    let v = s.violated();
    assert!(
        v.contains(&"durability") && v.contains(&"termination"),
        "{:?}",
        s.world.violations()
    );
}

#[test]
fn coordinator_crash_in_wait_blocks_then_aborts() {
    let r = run("coordinator-crash-in-wait", "textbook");
    assert!(r.violated().is_empty(), "{:?}", r.world.violations());
    assert_eq!(
        r.outcome_of("delete2pc")[0].1,
        "\"the node crashed before answering\""
    );
    assert_eq!(
        r.notes(|n| matches!(n, TwoPcNote::Blocked { .. })),
        3,
        "every participant blocks"
    );
    assert!(r.lines.iter().any(|l| {
        l.text
            .starts_with("Blocked: all reachable peers READY, coordinator down")
    }));
    assert_eq!(
        r.notes(|n| matches!(n, TwoPcNote::Recovered { aborted: 1, .. })),
        1
    );
    for g in GRPC {
        assert_eq!(r.node(g).display_state(), DisplayState::Abort);
        assert!(!r.node(g).blocked() && r.node(g).locks().is_empty() && r.has(g, "demo.png"));
    }
    // While blocked, the flag is visible.
    let mut w = run("coordinator-crash-in-wait", "textbook").world;
    let text = scenarios::all()
        .into_iter()
        .find(|(n, _)| *n == "coordinator-crash-in-wait")
        .expect("s")
        .1;
    w = {
        let _ = w;
        Scenario::parse(text)
            .expect("p")
            .build::<TwoPc>()
            .expect("b")
    };
    w.run_until(Tick(8_500));
    assert!(
        GRPC.iter()
            .all(|g| w.node(w.node_by_name(g).expect("n")).blocked()),
        "blocked flag not set at 8.5 s"
    );

    let s = run("coordinator-crash-in-wait", "as-submitted");
    assert!(
        s.violated().contains(&"termination"),
        "{:?}",
        s.world.violations()
    );
}

#[test]
fn coordinator_crash_after_decision_resends_it() {
    let r = run("coordinator-crash-after-decision", "textbook");
    assert!(r.violated().is_empty(), "{:?}", r.world.violations());
    assert_eq!(r.outcome_of("delete2pc")[0].0, "committed");
    assert_eq!(
        r.notes(|n| matches!(n, TwoPcNote::Recovered { resend: 1, .. })),
        1
    );
    assert!(r.notes(|n| matches!(n, TwoPcNote::Blocked { .. })) >= 1);
    assert!(GRPC.iter().all(|g| !r.has(g, "demo.png")));
    let s = run("coordinator-crash-after-decision", "as-submitted");
    assert!(
        s.violated().contains(&"termination"),
        "{:?}",
        s.world.violations()
    );
}

#[test]
fn lost_global_commit_is_learned_from_a_peer() {
    let r = run("lost-global-commit", "textbook");
    assert!(r.violated().is_empty(), "{:?}", r.world.violations());
    let dropped = r.trace.iter().find_map(|e| match &e.kind {
        EventKind::Dropped { msg, to, rpc, .. } if msg.0 == 11 => {
            Some((r.world.node_name(*to), rpc.clone()))
        }
        _ => None,
    });
    assert_eq!(
        dropped,
        Some(("grpc-node2".to_owned(), "GlobalCommit".to_owned()))
    );
    let learned = r.trace.iter().find_map(|e| match &e.kind {
        EventKind::Note {
            note: TwoPcNote::Learned { from, .. },
            ..
        } => Some((e.at, *from)),
        _ => None,
    });
    let (at, _) = learned.expect("grpc-node2 learned the decision from a peer");
    assert!(
        at < Tick(12_000),
        "learned before the coordinator restarted"
    );
    assert!(GRPC.iter().all(|g| !r.has(g, "demo.png")));
}

#[test]
fn two_coordinators_txid_blind_abort() {
    let s = run("two-coordinators", "as-submitted");
    assert!(
        s.violated().contains(&"isolation"),
        "{:?}",
        s.world.violations()
    );
    assert_eq!(
        s.outcome_of("delete")[0].0,
        "ok",
        "the plain delete went through the released lock"
    );
    let t = run("two-coordinators", "textbook");
    assert!(t.violated().is_empty(), "{:?}", t.world.violations());
    let (outcome, reason) = &t.outcome_of("delete")[0];
    assert_eq!(
        (outcome.as_str(), reason.as_str()),
        ("rejected", "\"locked by tx-http-node1-1\"")
    );
    let d = t.outcome_of("delete2pc");
    assert!(d.iter().all(|(o, _)| o == "aborted"), "{d:?}");
}

#[test]
fn plain_delete_of_a_ready_picture() {
    let s = run("plain-delete-of-ready-picture", "as-submitted");
    assert!(
        s.violated().contains(&"isolation"),
        "{:?}",
        s.world.violations()
    );
    assert_eq!(s.outcome_of("delete")[0].0, "ok");
    let t = run("plain-delete-of-ready-picture", "textbook");
    assert!(t.violated().is_empty(), "{:?}", t.world.violations());
    assert_eq!(
        t.outcome_of("delete")[0],
        (
            "rejected".to_owned(),
            "\"locked by tx-http-node1-1\"".to_owned()
        )
    );
    assert_eq!(t.outcome_of("delete2pc")[0].0, "committed");
}
