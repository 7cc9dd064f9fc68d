//! The `not_leader` defect: a former leader answered a duplicated `Forward` with
//! `not_leader` ("nothing happened, retry elsewhere") after the next leader had
//! truncated the request from its log, while its own waiter for the request still
//! existed and a replica that received the entry before the truncation could still
//! win an election and commit it (§5.4.1: its log was the most up-to-date).
//!
//! The run below drives exactly that, step by step:
//! 1. Node F forwards an add to the leader L; the bus duplicates the `Forward`, and
//!    the copy is held back (3 s of latency while it is made).
//! 2. L appends the entry; only replica B receives it (the other copies of the
//!    `AppendEntries` are dropped); L is cut off.
//! 3. C wins term t+1 with the votes of D and F; then the cluster splits
//!    `[L, F, C] | [B] | [D]` with the C–F link cut too, so C's no-op truncates the
//!    request from L's log but, with only L to ack it, cannot commit: L's waiter
//!    stays.
//! 4. The held-back copy reaches L. Before the fix L answered `not_leader`, F relayed
//!    it, and the client was told the add had no effect.
//! 5. C and L crash, the rest heal, B wins term t+2 (its log is the most up-to-date
//!    of B, D, F) and commits the add.
//!
//! Before the fix the client's outcome was `not_leader` at step 4 (this test then
//! fails at "nobody has been told anything yet"), although step 5 commits the add:
//! the linearizability checker reads `not_leader` as "definitely not applied". With
//! the fix, L stays silent, the client is told `timeout` (unknown outcome) at F's
//! deadline, and the history is linearizable.

use faultlab_sim::Fault;
use faultlab_sim::raft::message::RaftMsg;
use faultlab_sim::raft::music_queue::{Op, Track};
use faultlab_sim::raft::types::Role;
use faultlab_sim::raft::{Raft, RaftConfig};
use faultlab_sim::{EventKind, Input, MsgId, NetConfig, NodeId, Seed, Tick, Ticks, World};

fn leader(w: &World<Raft>) -> Option<NodeId> {
    w.node_ids()
        .find(|id| w.is_up(*id) && w.node(*id).role() == Role::Leader)
}

/// Step until `done` holds, collecting the client outcomes seen on the way.
fn step_until(
    w: &mut World<Raft>,
    outcomes: &mut Vec<&'static str>,
    limit: u64,
    done: impl Fn(&World<Raft>) -> bool,
) {
    while !done(w) {
        assert!(w.now() < Tick(limit), "gave up at {} ms", w.now().0);
        assert!(w.step(), "the queue ran dry");
        for ev in w.last_events() {
            if let EventKind::Response { response, .. } = &ev.kind {
                outcomes.push(response.outcome());
            }
        }
    }
}

fn in_flight(w: &World<Raft>, pick: impl Fn(NodeId, NodeId, &RaftMsg) -> bool) -> Vec<MsgId> {
    w.in_flight()
        .filter(|e| !e.lost && pick(e.from, e.to, &e.msg))
        .map(|e| e.id)
        .collect()
}

fn add() -> Op {
    Op::Add(Track::new("9", "Song 9", "Artist 9", 180))
}

fn holds_add(w: &World<Raft>, id: NodeId) -> bool {
    w.node(id)
        .log()
        .entries()
        .iter()
        .any(|e| e.command.cmd() == "ADD")
}

#[test]
#[allow(clippy::many_single_char_names)] // w, and L, F, B, C, D: the roles the module doc names
fn a_former_leader_does_not_say_not_leader_while_a_replica_may_commit() {
    let mut w = World::new(Seed(7), RaftConfig::default(), NetConfig::default());
    let mut outcomes = Vec::new();
    step_until(&mut w, &mut outcomes, 10_000, |w| leader(w).is_some());
    let l = leader(&w).expect("a leader");
    let t0 = w.now();
    step_until(&mut w, &mut outcomes, t0.0 + 3_000, |w| {
        w.now() >= t0 + Ticks(2_000)
    });
    let others: Vec<NodeId> = w.node_ids().filter(|id| *id != l).collect();
    let (f, b, c, d) = (others[0], others[1], others[2], others[3]);

    // 1. The forward, and a copy of it held back.
    w.apply(Input::Request(f, add()));
    let forward = in_flight(&w, |from, to, m| {
        from == f && to == l && matches!(m, RaftMsg::Forward { .. })
    });
    assert_eq!(forward.len(), 1, "F forwarded to L");
    w.apply(Input::Fault(Fault::Latency(Ticks(3_000), Ticks(3_000))));
    w.apply(Input::Fault(Fault::Duplicate(forward[0])));
    w.apply(Input::Fault(Fault::Latency(Ticks(10), Ticks(40))));
    let copy = in_flight(&w, |from, to, m| {
        from == f && to == l && matches!(m, RaftMsg::Forward { .. })
    })
    .into_iter()
    .find(|id| *id != forward[0])
    .expect("the held-back copy");

    // 2. L appends; only B receives the entry; L is cut off.
    step_until(&mut w, &mut outcomes, 20_000, |w| holds_add(w, l));
    for id in in_flight(&w, |from, _, m| {
        from == l && matches!(m, RaftMsg::AppendEntries { .. })
    }) {
        let to = w.message(id).expect("in flight").to;
        w.apply(if to == b {
            Input::Fault(Fault::DeliverNow(id))
        } else {
            Input::Fault(Fault::Drop(id))
        });
    }
    assert!(holds_add(&w, b), "B holds the entry");
    w.apply(Input::Fault(Fault::Partition(vec![
        vec![l],
        vec![b],
        vec![c, d, f],
    ])));

    // 3. C wins term t+1, then is left with L alone to ack its no-op.
    w.apply(Input::Fault(Fault::Timeout(c)));
    step_until(&mut w, &mut outcomes, 30_000, |w| {
        w.node(c).role() == Role::Leader
    });
    w.apply(Input::Fault(Fault::Partition(vec![
        vec![l, f, c],
        vec![b],
        vec![d],
    ])));
    w.apply(Input::Fault(Fault::Link(c, f, false)));
    step_until(&mut w, &mut outcomes, 30_000, |w| !holds_add(w, l));
    assert_eq!(w.node(l).role(), Role::Follower);
    assert!(
        w.node(l).server().pending_clients() > 0,
        "L's waiter is still there"
    );
    assert!(holds_add(&w, b), "B still holds the entry");

    // 4. The held-back copy reaches L.
    w.apply(Input::Fault(Fault::DeliverNow(copy)));
    let t4 = w.now();
    step_until(&mut w, &mut outcomes, t4.0 + 200, |w| {
        w.now() >= t4 + Ticks(100)
    });
    assert_eq!(
        outcomes,
        Vec::<&str>::new(),
        "nobody has been told anything yet"
    );

    // 5. C and L crash; B wins term t+2 and commits the add.
    w.apply(Input::Fault(Fault::Crash(c)));
    w.apply(Input::Fault(Fault::Crash(l)));
    w.apply(Input::Fault(Fault::Heal));
    for _ in 0..2 {
        if w.node(b).role() != Role::Leader {
            w.apply(Input::Fault(Fault::Timeout(b)));
            let t = w.now();
            step_until(&mut w, &mut outcomes, t.0 + 500, |w| {
                w.now() >= t + Ticks(300)
            });
        }
    }
    assert_eq!(leader(&w), Some(b), "B leads");
    let t5 = w.now();
    step_until(&mut w, &mut outcomes, t5.0 + 20_000, |w| {
        w.now() >= t5 + Ticks(10_000)
    });
    assert!(
        w.node(b).machine().queue.iter().any(|t| &*t.id == "9"),
        "the add committed through B"
    );
    w.finish();
    assert_eq!(
        outcomes,
        vec!["timeout"],
        "the client was told the outcome is unknown"
    );
    assert_eq!(w.violations(), &[], "and the history is linearizable");
}

/// The sibling defect, found by the nemesis (chaos seed 1676, textbook, all faults;
/// its run is kept as a scenario file, so that later changes to chaos plans leave it
/// alone): Node 2 forwards `remove 5` to Node 4; the bus duplicates the `Forward` and
/// holds one copy back. The first copy reaches Node 4 before it has won its election,
/// so it answers `not_leader`; the held copy arrives once Node 4 leads term 17, and
/// Node 4 appends and commits the remove. Relaying that `not_leader` told the client
/// the remove had no effect, and a later `GetQueue` without track 5 was unexplainable
/// (linearizability fired). The follower now relays a refused forward as `timeout`
/// (unknown outcome).
#[test]
fn a_refused_forward_is_relayed_as_unknown_because_a_copy_may_still_commit() {
    let text = include_str!("data/raft-refused-forward.json");
    let scenario = faultlab_sim::Scenario::parse(text).expect("the kept run parses");
    let mut world = scenario.build::<Raft>().expect("and builds");
    let mut answer = None;
    let mut appended = None;
    world.run_until_with(Tick(scenario.until_ms), |evs| {
        for e in evs {
            match &e.kind {
                EventKind::Response { id, response, .. } if id.0 == 86 => {
                    answer = Some((e.at.as_ms(), format!("{response:?}")));
                }
                EventKind::Sent {
                    payload: RaftMsg::AppendEntries { entries, .. },
                    ..
                } if appended.is_none()
                    && entries
                        .iter()
                        .any(|en| format!("{en:?}").contains("RequestId(86)")) =>
                {
                    appended = Some(e.at.as_ms());
                }
                _ => {}
            }
        }
    });
    world.finish();
    assert_eq!(
        answer,
        Some((34_105, "Timeout(ForwardRefused)".to_owned())),
        "answered when Node 4's refusal reached Node 2, and not as `not_leader`"
    );
    assert_eq!(
        appended,
        Some(34_959),
        "the held copy is appended by Node 4 later"
    );
    assert_eq!(world.violations(), []);
}
