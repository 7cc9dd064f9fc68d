//! One test per textbook 2PC rule. Each rule is checked by a function that returns
//! `Err` when the behaviour is wrong; where a bug toggle removes exactly that rule, the
//! test also shows the check fails without it (so the test is known to bite). Rules
//! without a toggle were verified by deleting the rule's code temporarily (listed in
//! the issue-5 report).

// The named scenario files are embedded in native builds only (the page fetches them).
#![cfg(not(target_arch = "wasm32"))]

use faultlab_sim::twopc::{DisplayState, TwoPc, TwoPcNote, TwoPcRequest, TwoPcResponse, scenarios};
use faultlab_sim::{EventKind, Input, Scenario, Tick, TraceEvent, World, log};

struct Run {
    world: World<TwoPc>,
    trace: Vec<TraceEvent<TwoPc>>,
}

fn run_text(text: &str, bugs: &[&str]) -> Run {
    let mut s = Scenario::parse(text).expect("scenario parses");
    "textbook".clone_into(&mut s.mode);
    s.bugs = bugs.iter().map(|b| (*b).to_owned()).collect();
    let mut world = s.build::<TwoPc>().expect("builds");
    let mut trace = Vec::new();
    world.run_until_with(Tick(s.until_ms), |ev| trace.extend_from_slice(ev));
    world.finish();
    Run { world, trace }
}

fn run(name: &str, bugs: &[&str]) -> Run {
    let text = scenarios::all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("named scenario")
        .1;
    run_text(text, bugs)
}

impl Run {
    fn id(&self, name: &str) -> faultlab_sim::NodeId {
        self.world.node_by_name(name).expect("node")
    }
    fn has(&self, node: &str, file: &str) -> bool {
        self.world.node(self.id(node)).pictures().contains_key(file)
    }
    fn clean(&self) -> Result<(), String> {
        if self.world.violations().is_empty() {
            Ok(())
        } else {
            Err(format!("violations: {:?}", self.world.violations()))
        }
    }
}

fn ensure(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what.to_owned()) }
}

const GRPC: [&str; 3] = ["grpc-node1", "grpc-node2", "grpc-node3"];

/// READY is forced to the log before the vote, so a participant that crashes after
/// voting comes back READY, locked, and commits with the others.
fn ready_is_durable(bugs: &[&str]) -> Result<(), String> {
    let r = run("participant-crash-after-vote", bugs);
    r.clean()?;
    ensure(
        GRPC.iter().all(|g| !r.has(g, "demo.png")),
        "a replica kept demo.png",
    )
}

#[test]
fn rule_ready_is_write_ahead_logged() {
    ready_is_durable(&[]).expect("textbook");
    assert!(ready_is_durable(&["ready-not-durable"]).is_err());
}

/// The decision is logged before it is sent, and a restarted coordinator resends it.
fn decision_is_durable(bugs: &[&str]) -> Result<(), String> {
    let r = run("coordinator-crash-after-decision", bugs);
    r.clean()?;
    ensure(
        GRPC.iter().all(|g| !r.has(g, "demo.png")),
        "the logged commit was not carried out",
    )
}

#[test]
fn rule_decision_is_write_ahead_logged_and_resent_after_restart() {
    decision_is_durable(&[]).expect("textbook");
    assert!(decision_is_durable(&["no-decision-log"]).is_err());
}

/// A restarted coordinator that finds `START_2PC` without a decision aborts.
#[test]
fn rule_recovery_aborts_what_was_in_wait() {
    let r = run("coordinator-crash-in-wait", &[]);
    r.clean().expect("no violation");
    for g in GRPC {
        assert_eq!(
            r.world.node(r.id(g)).display_state(),
            DisplayState::Abort,
            "{g}"
        );
        assert!(r.world.node(r.id(g)).locks().is_empty(), "{g} still locked");
    }
}

/// The coordinator resends the decision until every participant acknowledged it.
fn decision_is_retried(bugs: &[&str]) -> Result<(), String> {
    let r = run("participant-crash-during-voting", bugs);
    r.clean()?;
    let g2 = r.world.node(r.id("grpc-node2"));
    ensure(
        g2.display_state() == DisplayState::Abort,
        "grpc-node2 never learned the abort",
    )
}

#[test]
fn rule_decision_is_resent_until_acknowledged() {
    decision_is_retried(&[]).expect("textbook");
    assert!(decision_is_retried(&["no-decision-retry"]).is_err());
}

/// A READY participant whose decision was lost asks its peers and adopts what they know.
fn termination_protocol(bugs: &[&str]) -> Result<(), String> {
    let r = run("lost-global-commit", bugs);
    let learned = r.trace.iter().any(|e| {
        e.at < Tick(12_000)
            && matches!(
                &e.kind,
                EventKind::Note {
                    note: TwoPcNote::Learned { .. },
                    ..
                }
            )
    });
    ensure(learned, "grpc-node2 did not learn the decision from a peer")?;
    r.clean()
}

#[test]
fn rule_ready_timeout_runs_cooperative_termination() {
    termination_protocol(&[]).expect("textbook");
    assert!(termination_protocol(&["no-termination-protocol"]).is_err());
}

/// A peer still in INIT, asked for the decision, aborts unilaterally and says so, and
/// the asker aborts without waiting for the coordinator (Fig. 8-20).
#[test]
fn rule_init_peer_lets_the_asker_abort() {
    let text = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 11, "until_ms": 30000,
      "steps": [
        {"at_ms": 0, "latency_ms": [100, 100]},
        {"at_ms": 100, "client": {"node": "grpc-node1", "op": "upload", "filename": "a.png"}},
        {"at_ms": 100, "client": {"node": "grpc-node2", "op": "upload", "filename": "a.png"}},
        {"at_ms": 100, "client": {"node": "grpc-node3", "op": "upload", "filename": "a.png"}},
        {"at_ms": 900, "link": {"a": "http-node1", "b": "grpc-node3", "up": false}},
        {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}},
        {"at_ms": 1150, "crash": "http-node1"},
        {"at_ms": 20000, "restart": "http-node1"}]}"#;
    let r = run_text(text, &[]);
    r.clean().expect("no violation");
    let g3 = r.id("grpc-node3");
    let learned_from_init = r.trace.iter().any(|e| {
        e.at < Tick(20_000) && matches!(&e.kind, EventKind::Note { note: TwoPcNote::Learned { from, .. }, .. } if *from == g3)
    });
    assert!(
        learned_from_init,
        "nobody learned ABORT from the INIT peer before the coordinator restarted"
    );
    for g in GRPC {
        assert_eq!(
            r.world.node(r.id(g)).display_state(),
            DisplayState::Abort,
            "{g}"
        );
    }
}

/// When every reachable peer is READY and the coordinator is down, the participant is
/// blocked, visibly (note + flag), and keeps its lock.
#[test]
fn rule_blocking_is_visible() {
    let text = scenarios::all()
        .into_iter()
        .find(|(n, _)| *n == "coordinator-crash-in-wait")
        .expect("s")
        .1;
    let mut w = Scenario::parse(text)
        .expect("p")
        .build::<TwoPc>()
        .expect("b");
    w.run_until(Tick(8_500));
    for g in GRPC {
        let n = w.node(w.node_by_name(g).expect("n"));
        assert!(n.blocked(), "{g} not blocked");
        assert_eq!(
            n.locks()
                .get("demo.png")
                .map(ToString::to_string)
                .as_deref(),
            Some("tx-http-node1-1")
        );
    }
}

/// A timeout in WAIT aborts.
#[test]
fn rule_vote_timeout_aborts() {
    let r = run("participant-crash-during-voting", &[]);
    let timed_out = r.trace.iter().find(|e| {
        matches!(
            &e.kind,
            EventKind::Note {
                note: TwoPcNote::VoteTimedOut { .. },
                ..
            }
        )
    });
    let at = timed_out.expect("the vote timeout fired").at;
    assert_eq!(at, Tick(3_000), "2 s after the start");
    let aborted = r.trace.iter().any(|e| {
        e.at == at
            && matches!(
                &e.kind,
                EventKind::Response {
                    response: TwoPcResponse::Aborted { .. },
                    ..
                }
            )
    });
    assert!(
        aborted,
        "the client learned the abort when the timeout fired"
    );
}

/// One `VoteAbort` decides ABORT at once (no waiting for the other votes).
fn early_abort(bugs: &[&str]) -> Result<(), String> {
    // grpc-node1 lacks the picture, so its VoteAbort is not the last vote.
    let text = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 15, "until_ms": 9000,
      "steps": [
        {"at_ms": 0, "latency_ms": [100, 100]},
        {"at_ms": 100, "client": {"node": "grpc-node2", "op": "upload", "filename": "a.png"}},
        {"at_ms": 100, "client": {"node": "grpc-node3", "op": "upload", "filename": "a.png"}},
        {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}}]}"#;
    let r = run_text(text, bugs);
    let vote_abort_at = r
        .trace
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Delivered { payload, .. } if faultlab_sim::Message::rpc(payload) == "VoteAbort"))
        .map(|e| e.event);
    let decided_at = r
        .trace
        .iter()
        .find(|e| {
            matches!(
                &e.kind,
                EventKind::Note {
                    note: TwoPcNote::Coordinator {
                        to: faultlab_sim::twopc::CoordinatorState::Abort,
                        ..
                    },
                    ..
                }
            )
        })
        .map(|e| e.event);
    ensure(
        vote_abort_at.is_some() && vote_abort_at == decided_at,
        "the abort was not decided on the VoteAbort's delivery",
    )
}

#[test]
fn rule_first_vote_abort_decides() {
    early_abort(&[]).expect("textbook");
    assert!(early_abort(&["sequential-2s-calls"]).is_err());
}

/// Locks are keyed by transaction: another transaction's `GlobalAbort` leaves them alone.
fn locks_keyed_by_tx(bugs: &[&str]) -> Result<(), String> {
    let r = run("two-coordinators", bugs);
    r.clean()
}

#[test]
fn rule_locks_are_keyed_by_transaction() {
    locks_keyed_by_tx(&[]).expect("textbook");
    assert!(locks_keyed_by_tx(&["txid-blind-decision"]).is_err());
}

/// Locks also block plain delete, like and upload.
fn locks_block_plain_ops(bugs: &[&str]) -> Result<(), String> {
    let text = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 12, "until_ms": 8000,
      "steps": [
        {"at_ms": 0, "latency_ms": [100, 100]},
        {"at_ms": 100, "client": {"node": "grpc-node1", "op": "upload", "filename": "a.png"}},
        {"at_ms": 100, "client": {"node": "grpc-node2", "op": "upload", "filename": "a.png"}},
        {"at_ms": 100, "client": {"node": "grpc-node3", "op": "upload", "filename": "a.png"}},
        {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}},
        {"at_ms": 1150, "client": {"node": "grpc-node1", "op": "like", "filename": "a.png"}},
        {"at_ms": 1150, "client": {"node": "grpc-node2", "op": "upload", "filename": "a.png"}},
        {"at_ms": 1150, "client": {"node": "grpc-node3", "op": "delete", "filename": "a.png"}},
        {"at_ms": 1150, "client": {"node": "grpc-node3", "op": "download", "filename": "a.png"}}]}"#;
    let r = run_text(text, bugs);
    r.clean()?;
    let mut answers = Vec::new();
    for e in &r.trace {
        if let EventKind::Response { response, .. } = &e.kind
            && e.at == Tick(1150)
        {
            answers.push(response.clone());
        }
    }
    let locked = |resp: &TwoPcResponse| matches!(resp, TwoPcResponse::Rejected { reason } if reason == "locked by tx-http-node1-1");
    ensure(answers.len() == 4, "four answers")?;
    ensure(
        answers[..3].iter().all(locked),
        &format!("plain ops on a locked picture were not refused: {answers:?}"),
    )?;
    ensure(
        matches!(answers[3], TwoPcResponse::Downloaded { .. }),
        "a download may read a locked picture",
    )
}

#[test]
fn rule_locks_block_plain_delete_like_upload() {
    locks_block_plain_ops(&[]).expect("textbook");
    assert!(locks_block_plain_ops(&["no-isolation"]).is_err());
}

/// The Voting phase hands over to the Decision phase by RPC, logged on both sides.
fn intra_node_rpc(bugs: &[&str]) -> Result<(), String> {
    let r = run("seed-demo", bugs);
    let lines = log::render::<TwoPc>(r.world.config(), &r.trace);
    let want =
        "Phase Voting of Node grpc-node1 sends RPC VoteCommit to Phase Decision of Node grpc-node1";
    ensure(
        lines.iter().filter(|l| l.text == want).count() == 2,
        "no intra-node hand-off logged twice",
    )
}

#[test]
fn rule_phases_talk_by_rpc() {
    intra_node_rpc(&[]).expect("textbook");
    assert!(intra_node_rpc(&["no-intra-node-rpc"]).is_err());
}

/// Every message is logged in the assignment's format on both sides.
fn log_format(bugs: &[&str]) -> Result<(), String> {
    let r = run("seed-demo", bugs);
    let cfg = r.world.config();
    let lines = log::render::<TwoPc>(cfg, &r.trace);
    for e in &r.trace {
        let (side, from, to, msg) = match &e.kind {
            EventKind::Sent {
                from, to, payload, ..
            } => (*from, *from, *to, payload),
            EventKind::Delivered {
                from, to, payload, ..
            } => (*to, *from, *to, payload),
            _ => continue,
        };
        let want = faultlab_sim::twopc::log::rpc_line(cfg, from, to, msg);
        if !lines
            .iter()
            .any(|l| l.event == e.event && l.node == side && l.text == want)
        {
            return Err(format!("missing `{want}` at {}", r.world.node_name(side)));
        }
    }
    Ok(())
}

#[test]
fn rule_every_message_logged_in_assignment_format_on_both_sides() {
    log_format(&[]).expect("textbook");
    assert!(log_format(&["old-log-format"]).is_err());
}

/// The coordinator never touches its own store on commit.
fn coordinator_store_untouched(bugs: &[&str]) -> Result<(), String> {
    let text = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 13, "until_ms": 5000,
      "steps": [
        {"at_ms": 100, "client": {"node": "http-node1", "op": "upload", "filename": "a.png"}},
        {"at_ms": 200, "client": {"node": "http-node1", "op": "upload2pc", "filename": "a.png"}},
        {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}}]}"#;
    let r = run_text(text, bugs);
    r.clean()?;
    ensure(
        r.has("http-node1", "a.png"),
        "the coordinator's own copy is gone",
    )
}

#[test]
fn rule_coordinator_does_not_delete_its_own_copy() {
    coordinator_store_untouched(&[]).expect("textbook");
    assert!(coordinator_store_untouched(&["coordinator-deletes-own-copy"]).is_err());
}

/// upload-2pc stores the same picture on every participant.
#[test]
fn upload_2pc_stores_the_same_picture_everywhere() {
    let text = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 14, "nodes": 7, "until_ms": 5000,
      "steps": [{"at_ms": 100, "client": {"node": "http-node2", "op": "upload2pc", "filename": "sun.png"}}]}"#;
    let r = run_text(text, &[]);
    r.clean().expect("clean");
    let pics: Vec<_> = ["grpc-node1", "grpc-node2", "grpc-node3", "grpc-node4"]
        .iter()
        .map(|g| {
            r.world
                .node(r.id(g))
                .pictures()
                .get("sun.png")
                .cloned()
                .expect("stored")
        })
        .collect();
    assert!(
        pics.iter().all(|p| p.image == pics[0].image
            && p.upload_time == pics[0].upload_time
            && p.likes == 0)
    );
    assert!(pics[0].thumbnail_svg().starts_with("<svg"));
    assert!(!r.has("http-node1", "sun.png") && !r.has("http-node2", "sun.png"));
}

/// Bad input is refused with a reason and changes nothing.
#[test]
fn bad_input_is_rejected_with_a_reason() {
    let mut w = Scenario::parse(
        r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "until_ms": 9000}"#,
    )
    .expect("p")
    .build::<TwoPc>()
    .expect("b");
    let http = w.node_by_name("http-node1").expect("n");
    let grpc = w.node_by_name("grpc-node1").expect("n");
    let long = "x".repeat(65);
    let cases: Vec<(faultlab_sim::NodeId, TwoPcRequest, &str)> = vec![
        (
            grpc,
            TwoPcRequest::Upload {
                filename: String::new(),
            },
            "empty filename",
        ),
        (
            grpc,
            TwoPcRequest::Upload {
                filename: "../etc/passwd".into(),
            },
            "path separators",
        ),
        (
            grpc,
            TwoPcRequest::Upload {
                filename: "a\\b".into(),
            },
            "path separators",
        ),
        (
            grpc,
            TwoPcRequest::Upload {
                filename: "..".into(),
            },
            "\"..\"",
        ),
        (
            grpc,
            TwoPcRequest::Upload {
                filename: "a\u{0}b".into(),
            },
            "control characters",
        ),
        (grpc, TwoPcRequest::Upload { filename: long }, "longer than"),
        (
            http,
            TwoPcRequest::Upload2pc {
                filename: "a/b".into(),
            },
            "path separators",
        ),
        (
            grpc,
            TwoPcRequest::Delete2pc {
                filename: "a.png".into(),
            },
            "not a coordinator",
        ),
        (
            grpc,
            TwoPcRequest::Like {
                filename: "nope.png".into(),
            },
            "not found",
        ),
        (
            grpc,
            TwoPcRequest::Delete {
                filename: "nope.png".into(),
            },
            "not found",
        ),
    ];
    for (node, req, want) in cases {
        w.apply(Input::Request(node, req.clone()));
        let got = w.last_events().iter().find_map(|e| match &e.kind {
            EventKind::Response { response, .. } => Some(response.clone()),
            _ => None,
        });
        match got {
            Some(TwoPcResponse::Rejected { reason }) => {
                assert!(reason.contains(want), "{req:?}: {reason}");
            }
            other => panic!("{req:?} not rejected: {other:?}"),
        }
    }
    // A duplicate 2PC transaction on the same file while the first is in flight.
    w.apply(Input::Request(
        http,
        TwoPcRequest::Upload2pc {
            filename: "a.png".into(),
        },
    ));
    w.apply(Input::Request(
        http,
        TwoPcRequest::Upload2pc {
            filename: "a.png".into(),
        },
    ));
    let dup = w.last_events().iter().find_map(|e| match &e.kind {
        EventKind::Response {
            response: TwoPcResponse::Rejected { reason },
            ..
        } => Some(reason.clone()),
        _ => None,
    });
    assert!(dup.is_some_and(|r| r.contains("already in flight")));
    for id in w.node_ids() {
        assert!(
            w.node(id).pictures().is_empty(),
            "bad input changed {}",
            w.node_name(id)
        );
    }
    w.run_until(Tick(9_000));
    assert!(w.violations().is_empty(), "{:?}", w.violations());
}

/// Unknown nodes, modes, bugs and ops are scenario errors naming the field.
#[test]
fn scenario_errors_name_the_field() {
    let base =
        |extra: &str| format!(r#"{{"format": "faultlab-scenario/1", "protocol": "2pc", {extra}}}"#);
    let err = |t: String| {
        Scenario::parse(&t)
            .and_then(|s| s.build::<TwoPc>().map(|_| ()))
            .expect_err("must fail")
            .to_string()
    };
    assert!(
        err(base(r#""steps": [{"at_ms": 1, "crash": "grpc-node9"}]"#))
            .contains("unknown node \"grpc-node9\"")
    );
    assert!(err(base(r#""mode": "nope""#)).starts_with("mode:"));
    assert!(err(base(r#""bugs": ["nope"]"#)).starts_with("bugs[0]:"));
    assert!(err(base(r#""nodes": 4"#)).starts_with("nodes:"));
    assert!(
        err(base(
            r#""steps": [{"at_ms": 1, "client": {"node": "http-node1", "op": "fly"}}]"#
        ))
        .contains("unknown op")
    );
    assert!(
        err(base(
            r#""steps": [{"at_ms": 1, "client": {"node": "http-node1", "op": "like"}}]"#
        ))
        .contains("filename")
    );
    assert!(err(base(r#""config": {"grpc_nodes": 1}"#)).starts_with("config:"));
    let s = Scenario::parse(&base(r#""nodes": 7"#))
        .expect("p")
        .build::<TwoPc>()
        .expect("7 nodes");
    let names: Vec<String> = s.node_ids().map(|i| s.node_name(i)).collect();
    assert_eq!(
        names,
        [
            "http-node1",
            "http-node2",
            "http-node3",
            "grpc-node1",
            "grpc-node2",
            "grpc-node3",
            "grpc-node4"
        ]
    );
}

/// A participant that restarts READY asks for the decision at once (it does not wait
/// for a timeout or for the coordinator).
#[test]
fn rule_restarted_ready_participant_asks_at_once() {
    let text = r#"{"format": "faultlab-scenario/1", "protocol": "2pc", "seed": 16, "until_ms": 30000,
      "steps": [
        {"at_ms": 0, "latency_ms": [100, 100]},
        {"at_ms": 100, "client": {"node": "grpc-node1", "op": "upload", "filename": "a.png"}},
        {"at_ms": 100, "client": {"node": "grpc-node2", "op": "upload", "filename": "a.png"}},
        {"at_ms": 100, "client": {"node": "grpc-node3", "op": "upload", "filename": "a.png"}},
        {"at_ms": 1000, "client": {"node": "http-node1", "op": "delete2pc", "filename": "a.png"}},
        {"at_ms": 1150, "crash": "grpc-node2"},
        {"at_ms": 1350, "crash": "http-node1"},
        {"at_ms": 6000, "restart": "grpc-node2"},
        {"at_ms": 20000, "restart": "http-node1"}]}"#;
    let r = run_text(text, &[]);
    r.clean().expect("clean");
    let learned = r.trace.iter().find_map(|e| match &e.kind {
        EventKind::Note {
            node,
            note: TwoPcNote::Learned { .. },
        } if *node == r.id("grpc-node2") => Some(e.at),
        _ => None,
    });
    assert_eq!(
        learned,
        Some(Tick(6_200)),
        "one round trip after the restart"
    );
    assert!(!r.has("grpc-node2", "a.png"));
}
