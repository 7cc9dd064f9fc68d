//! Raft's checkers, each shown firing on a run or history that breaks it and staying
//! quiet on one that does not.

use faultlab_sim::Fault;
use std::sync::Arc;

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::raft::invariants::linearizability::{self, HistoryOp, Verdict};
use faultlab_sim::raft::invariants::{
    AppliedWithinCommit, CommitIndexMonotonic, LastAppliedMonotonic, Participant,
};
use faultlab_sim::raft::music_queue::{Op, OpResult, Track};
use faultlab_sim::raft::types::{LogIndex, Role};
use faultlab_sim::raft::{Bug, Raft, RaftConfig};
use faultlab_sim::{Finding, Input, NetConfig, NodeId, RequestId, Seed, Tick, Ticks, World};

// ----- linearizability: the memo key -------------------------------------------------

fn op(id: u64, call: u64, ret: u64, op: Op, result: Option<OpResult>) -> HistoryOp {
    HistoryOp {
        id: RequestId(id),
        call,
        ret,
        op,
        result: result.map(Ok),
    }
}

fn add(id: &str) -> Op {
    Op::Add(Track::new(id, &format!("Song {id}"), "Artist", 180))
}

fn played(id: &str, votes: i64) -> Track {
    Track {
        votes,
        ..Track::new(id, &format!("Song {id}"), "Artist", 180)
    }
}

/// add 1; vote 1 up (concurrent with everything after it); play (unknown); add 1;
/// play (unknown); `GetHistory` → [1:0, 1:1]. It is linearizable: add 1, play (1:0),
/// add 1, vote up, play (1:1), `GetHistory`. The search also meets add, vote, play,
/// add, play, whose history is [1:1, 1:0] with the same five ops done and an empty
/// queue; a memo key without the history's votes took the two for one state and
/// pruned the branch that explains the answer.
#[test]
fn memo_key_keeps_the_votes_of_played_tracks() {
    let up: Arc<str> = "1".into();
    let history = vec![
        op(1, 0, 1, add("1"), Some(OpResult::Done)),
        op(
            2,
            2,
            20,
            Op::Vote { id: up, up: true },
            Some(OpResult::Done),
        ),
        op(3, 3, u64::MAX, Op::Play, None),
        op(4, 5, 6, add("1"), Some(OpResult::Done)),
        op(5, 7, u64::MAX, Op::Play, None),
        op(
            6,
            8,
            9,
            Op::History,
            Some(OpResult::History(vec![played("1", 0), played("1", 1)])),
        ),
    ];
    let (verdict, _, stuck) = linearizability::check(&history, linearizability::STEP_BUDGET);
    assert_eq!(verdict, Verdict::Linearizable, "stuck at {stuck:?}");
}

// ----- driving a world ------------------------------------------------------------------

fn world(config: RaftConfig, steps: &[(u64, Input<Raft>)]) -> World<Raft> {
    let mut w = World::new(Seed(7), config, NetConfig::default());
    for (at, input) in steps {
        w.schedule(Tick(*at), input.clone());
    }
    w
}

fn run(mut w: World<Raft>, until: u64) -> World<Raft> {
    w.run_until(Tick(until));
    w.finish();
    w
}

fn n(i: usize) -> NodeId {
    NodeId::from_index(i - 1)
}

fn violations(w: &World<Raft>) -> Vec<(String, String)> {
    w.violations()
        .iter()
        .map(|v| (v.invariant.clone(), v.detail.clone()))
        .collect()
}

fn leader(w: &World<Raft>) -> Option<NodeId> {
    w.node_ids()
        .find(|id| w.is_up(*id) && w.node(*id).role() == Role::Leader)
}

/// Step `w` until `until`, returning when a leader first appears (if it does).
fn run_to_leader(w: &mut World<Raft>, until: u64) -> Option<(NodeId, Tick)> {
    while w.now() < Tick(until) {
        if let Some(l) = leader(w) {
            return Some((l, w.now()));
        }
        if !w.step() {
            break;
        }
    }
    None
}

/// Textbook Raft with crashes, partitions, loss and duplicates: none of the new
/// checkers (nor any other) fires.
#[test]
fn textbook_with_crashes_breaks_none_of_them() {
    let options = ChaosOptions::new(Faults::ALL, Tick(60_000));
    for seed in 0..40 {
        let w = chaos::run::<Raft>(Seed(seed), RaftConfig::default(), &options);
        assert_eq!(violations(&w), vec![], "seed {seed}");
    }
    // And a run with a crash and restart of every node in turn, writes throughout.
    let mut steps = Vec::new();
    for i in 1..=5 {
        let t = 4_000 * i as u64;
        steps.push((t, Input::Fault(Fault::Crash(n(i)))));
        steps.push((t + 1_500, Input::Fault(Fault::Restart(n(i)))));
        steps.push((t + 700, Input::Request(n(i % 5 + 1), add(&i.to_string()))));
    }
    steps.sort_by_key(|(t, _)| *t);
    let w = run(world(RaftConfig::default(), &steps), 40_000);
    assert_eq!(violations(&w), vec![]);
    assert!(w.node(n(1)).commit_index().0 >= 6, "the writes committed");
}

// ----- commitIndex / lastApplied monotonic, lastApplied ≤ commitIndex ------------------

#[test]
fn commit_index_monotonic_fires_on_a_fall_and_not_after_a_restart() {
    let mut c = CommitIndexMonotonic::default();
    let mut out = Vec::new();
    let node2 = Participant(2);
    c.read(node2, LogIndex(3), &mut out);
    c.read(node2, LogIndex(5), &mut out);
    c.forget(1); // Node 2 restarted: commitIndex is volatile, 0 is fine
    c.read(node2, LogIndex(0), &mut out);
    c.read(node2, LogIndex(4), &mut out);
    assert_eq!(out, vec![]);
    c.read(node2, LogIndex(2), &mut out);
    assert_eq!(
        out,
        vec![Finding::new(
            "commit_index_monotonic",
            "Node 2's commitIndex went down from 4 to 2 without a restart"
        )]
    );
}

#[test]
fn last_applied_monotonic_fires_on_a_fall() {
    let mut c = LastAppliedMonotonic::default();
    let mut out = Vec::new();
    let shadow3 = Participant(5);
    c.read(shadow3, LogIndex(7), &mut out);
    c.read(shadow3, LogIndex(7), &mut out);
    assert_eq!(out, vec![]);
    c.read(shadow3, LogIndex(6), &mut out);
    assert_eq!(
        out,
        vec![Finding::new(
            "last_applied_monotonic",
            "Node 3 (shadow instance)'s lastApplied went down from 7 to 6 without a restart"
        )]
    );
}

#[test]
fn applied_within_commit_fires_when_applied_runs_ahead() {
    let mut out = Vec::new();
    AppliedWithinCommit::compare(Participant(0), LogIndex(4), LogIndex(4), &mut out);
    assert_eq!(out, vec![]);
    AppliedWithinCommit::compare(Participant(0), LogIndex(5), LogIndex(4), &mut out);
    assert_eq!(
        out,
        vec![Finding::new(
            "applied_within_commit",
            "Node 1 has applied up to index 5 but its commitIndex is 4"
        )]
    );
}

// ----- currentTerm ---------------------------------------------------------------------

/// Crash the first leader and restart it: with `no-persistence` it comes back in
/// term 0, which Figure 2's persistent currentTerm forbids; textbook keeps it.
#[test]
fn term_monotonic_fires_on_a_restart_without_persistence() {
    for (config, want) in [
        (RaftConfig::default(), None),
        (
            RaftConfig::default().with_bug(Bug::NoPersistence),
            Some("across a restart (currentTerm is persistent state, Figure 2)"),
        ),
    ] {
        let mut w = world(config, &[]);
        let (first, at) = run_to_leader(&mut w, 10_000).expect("a leader");
        let term = w.node(first).term();
        w.schedule(at + Ticks(500), Input::Fault(Fault::Crash(first)));
        w.schedule(at + Ticks(600), Input::Fault(Fault::Restart(first)));
        let w = run(w, at.0 + 700);
        let found: Vec<_> = violations(&w)
            .into_iter()
            .filter(|(i, _)| i == "term_monotonic")
            .collect();
        match want {
            None => assert_eq!(found, vec![]),
            Some(how) => assert_eq!(
                found,
                vec![(
                    "term_monotonic".to_owned(),
                    format!(
                        "Node {}'s currentTerm went down from {term} to 0 {how}",
                        first.index() + 1
                    )
                )]
            ),
        }
    }
}

// ----- committed on a majority -----------------------------------------------------------

/// With `commit-on-first-ack` (R3-5), a leader cut off with one follower commits a
/// write that only the two of them hold; textbook does not commit it.
#[test]
fn committed_on_majority_fires_when_a_leader_commits_on_two_of_five() {
    for config in [
        RaftConfig::default(),
        RaftConfig::default().with_bug(Bug::CommitOnFirstAck),
    ] {
        let buggy = config.has(Bug::CommitOnFirstAck);
        let mut w = world(config, &[]);
        let (l, at) = run_to_leader(&mut w, 10_000).expect("a leader");
        // Let the no-op commit everywhere first.
        w.run_until(at + Ticks(2_000));
        let friend = w.node_ids().find(|id| *id != l).expect("a follower");
        let others: Vec<NodeId> = w
            .node_ids()
            .filter(|id| *id != l && *id != friend)
            .collect();
        let t = w.now();
        w.schedule(
            t + Ticks(10),
            Input::Fault(Fault::Partition(vec![vec![l, friend], others])),
        );
        w.schedule(t + Ticks(20), Input::Request(l, add("9")));
        let commit_before = w.node(l).commit_index();
        let w = run(w, t.0 + 1_000);
        let found: Vec<_> = violations(&w)
            .into_iter()
            .filter(|(i, _)| i == "committed_on_majority")
            .collect();
        if buggy {
            // The first ack it counts answers an AppendEntries sent before the entry
            // reached the follower: it commits an entry only it holds.
            let index = commit_before.next();
            assert_eq!(
                found,
                vec![(
                    "committed_on_majority".to_owned(),
                    format!(
                        "Node {} has commitIndex {index}, but the entry at index {index} (term {}) is held by 1 of 5 nodes (Node {})",
                        l.index() + 1,
                        w.node(l).term(),
                        l.index() + 1,
                    )
                )]
            );
        } else {
            assert_eq!(found, vec![]);
            assert_eq!(w.node(l).commit_index(), commit_before, "textbook waits");
        }
    }
}

// ----- liveness ----------------------------------------------------------------------------

/// Identical election timeouts keep a leader from forming: every node times out at
/// the same instant, votes for itself, and does it again one timeout later.
#[test]
fn liveness_fires_when_no_leader_forms_after_the_heal() {
    let config = RaftConfig {
        election_timeout_min_ms: 2_000,
        election_timeout_max_ms: 2_000,
        ..RaftConfig::default()
    };
    let steps = [
        (100, Input::Fault(Fault::Isolate(n(1)))),
        (200, Input::Fault(Fault::Heal)),
    ];
    let w = run(world(config, &steps), 30_000);
    assert_eq!(
        violations(&w),
        vec![(
            "liveness".to_owned(),
            "no leader 9800 ms after the faults healed at 200 ms (bound 8320 ms: 4 × (election timeout max + 2 × latency max))".to_owned()
        )]
    );
}

/// Election timeouts of 10–15 s (heartbeat 3 s): the first leader after the heal
/// takes longer than the old fixed 10 s, which is no fault. Writes sent after the
/// heal commit, and the leader stays.
#[test]
fn liveness_is_quiet_with_a_10_s_election_timeout() {
    let config = RaftConfig {
        heartbeat_ms: 3_000,
        election_timeout_min_ms: 10_000,
        election_timeout_max_ms: 15_000,
        ..RaftConfig::default()
    };
    let mut w = world(
        config,
        &[
            (0, Input::Fault(Fault::Isolate(n(1)))),
            (1, Input::Fault(Fault::Heal)),
        ],
    );
    let (first, elected) = run_to_leader(&mut w, 60_000).expect("a leader");
    assert!(
        elected.0 - 1 > 10_000,
        "the point of the test: the election took {} ms",
        elected.0 - 1
    );
    let t = w.now();
    for (k, i) in (1..=5).enumerate() {
        w.schedule(
            t + Ticks(1_000 * k as u64 + 500),
            Input::Request(n(i), add(&i.to_string())),
        );
    }
    let w = run(w, t.0 + 90_000);
    assert_eq!(violations(&w), vec![]);
    assert_eq!(leader(&w), Some(first), "the leader stayed");
    assert_eq!(
        w.node(n(1)).machine().queue.len(),
        5,
        "every write committed"
    );
}

/// A heartbeat slower than the election timeout: leaders are elected and deposed
/// over and over, so no leader is stable at the end (the old check latched on the
/// first leader it saw and passed this run).
#[test]
fn liveness_fires_when_leadership_keeps_changing() {
    let config = RaftConfig {
        heartbeat_ms: 4_000,
        ..RaftConfig::default()
    };
    let steps = [
        (100, Input::Fault(Fault::Isolate(n(1)))),
        (200, Input::Fault(Fault::Heal)),
    ];
    let w = run(world(config, &steps), 60_000);
    let found = violations(&w);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "liveness");
    assert!(
        found[0].1.starts_with("no leader ") || found[0].1.starts_with("leadership still changing"),
        "{}",
        found[0].1
    );
}
