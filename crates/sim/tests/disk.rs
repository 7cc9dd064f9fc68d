//! The `disk` fault class: a `power_loss` keeps only what a node last synced, where a
//! `crash` (a process kill) keeps everything it wrote; and the `no-fsync` toggle,
//! whose node acknowledges votes and entries it has not synced.
//!
//! Scripted like `raft_classic_bugs.rs`: no timer fires by itself (elections are
//! `Timeout` inputs, heartbeats `FireTimer` inputs) and latency is a fixed 10 ms, so
//! the runs do not depend on the seed.

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::raft::{Bug, Mode, Op, Raft, RaftConfig, RaftTimer, Role, Track};
use faultlab_sim::twopc::TwoPc;
use faultlab_sim::{Fault, Node, ScenarioProtocol};
use faultlab_sim::{Input, NetConfig, NodeId, Seed, Tick, Ticks, Violation, World};

const N1: NodeId = NodeId(0);
const N2: NodeId = NodeId(1);
const N3: NodeId = NodeId(2);

/// No timer fires by itself within a scenario.
const NEVER: u64 = 1_000_000_000;

struct Lab {
    w: World<Raft>,
}

impl Lab {
    fn new(bugs: &[Bug]) -> Lab {
        let mut config = RaftConfig::new(3, Mode::Textbook);
        for b in bugs {
            config.bugs.insert(*b);
        }
        config.election_timeout_min_ms = NEVER;
        config.election_timeout_max_ms = NEVER;
        config.heartbeat_ms = NEVER;
        config.commit_wait_ms = NEVER;
        config.forward_timeout_ms = NEVER;
        let net = NetConfig {
            latency_min: Ticks(10),
            latency_max: Ticks(10),
            ..NetConfig::default()
        };
        let mut lab = Lab {
            w: World::new(Seed(1), config, net),
        };
        lab.settle();
        lab
    }

    /// Run every event of the next 200 ms.
    fn settle(&mut self) {
        let until = Tick(self.w.now().0 + 200);
        while self.w.next_event_at().is_some_and(|at| at <= until) {
            self.w.step();
        }
        self.w.advance_clock(until);
    }

    /// Apply `input` now, then settle.
    fn apply(&mut self, input: Input<Raft>) {
        self.w.schedule(self.w.now(), input);
        let idx = self.w.inputs().len() - 1;
        while !self.w.inputs()[idx].applied && self.w.step() {}
        self.settle();
    }

    fn fault(&mut self, fault: Fault) {
        self.apply(Input::Fault(fault));
    }

    /// N1 wins an election, a client write commits, and a heartbeat carries the
    /// commit index to the followers. Every node then holds the no-op and the write.
    fn elect_and_write(&mut self) {
        self.fault(Fault::Timeout(N1));
        assert_eq!(self.w.node(N1).role(), Role::Leader);
        self.apply(Input::Request(
            N1,
            Op::Add(Track::new("a", "A", "Artist", 180)),
        ));
        self.apply(Input::FireTimer(N1, RaftTimer::Heartbeat));
        for id in [N1, N2, N3] {
            assert_eq!(self.w.node(id).term().0, 1, "node {id}");
            assert_eq!(self.w.node(id).commit_index().0, 2, "node {id}");
        }
    }

    fn log_len(&self, id: NodeId) -> usize {
        self.w.node(id).log().len()
    }

    fn finish(mut self) -> Vec<Violation> {
        self.w.finish();
        self.w.violations().to_vec()
    }
}

fn names(violations: &[Violation]) -> Vec<&str> {
    violations.iter().map(|v| v.invariant.as_str()).collect()
}

#[test]
fn a_crash_keeps_unsynced_writes() {
    let mut lab = Lab::new(&[Bug::NoFsync]);
    lab.elect_and_write();
    // N2 synced nothing: its writes are all in the page cache, which a kill keeps.
    assert!(lab.w.slot(N2).synced.is_none());
    lab.fault(Fault::Crash(N2));
    let saved = lab
        .w
        .slot(N2)
        .saved
        .as_ref()
        .expect("a crash saves the state");
    assert_eq!(saved.log.len(), 2);
    lab.fault(Fault::Restart(N2));
    assert_eq!(lab.log_len(N2), 2);
    assert_eq!(lab.w.node(N2).term().0, 1);
    assert_eq!(lab.w.node(N2).voted_for(), Some(N1));
    assert_eq!(lab.finish(), Vec::new());
}

#[test]
fn a_power_loss_loses_unsynced_writes() {
    let mut lab = Lab::new(&[Bug::NoFsync]);
    lab.elect_and_write();
    lab.fault(Fault::PowerLoss(N2));
    assert!(lab.w.slot(N2).saved.is_none(), "N2 never synced");
    lab.fault(Fault::Restart(N2));
    assert_eq!(lab.log_len(N2), 0);
    assert_eq!(lab.w.node(N2).term().0, 0);
    assert_eq!(lab.w.node(N2).voted_for(), None);
}

#[test]
fn a_power_loss_after_a_crash_drops_the_page_cache_too() {
    let mut lab = Lab::new(&[Bug::NoFsync]);
    lab.elect_and_write();
    lab.fault(Fault::Crash(N2));
    lab.fault(Fault::PowerLoss(N2));
    assert!(lab.w.slot(N2).saved.is_none());
    lab.fault(Fault::Restart(N2));
    assert_eq!(lab.log_len(N2), 0);
}

#[test]
fn a_node_that_synced_keeps_everything() {
    let mut lab = Lab::new(&[]);
    lab.elect_and_write();
    for id in [N1, N2, N3] {
        let durable = raft_durable(&lab.w, id);
        assert_eq!(lab.w.slot(id).synced.as_ref(), Some(&durable), "node {id}");
        assert!(!lab.w.has_unsynced_writes(id));
    }
    lab.fault(Fault::PowerLoss(N2));
    lab.fault(Fault::Restart(N2));
    assert_eq!(lab.log_len(N2), 2);
    assert_eq!(lab.w.node(N2).term().0, 1);
    assert_eq!(lab.w.node(N2).voted_for(), Some(N1));
    assert_eq!(lab.finish(), Vec::new());
}

#[test]
fn no_fsync_syncs_on_the_heartbeat_timer() {
    let mut lab = Lab::new(&[Bug::NoFsync]);
    lab.elect_and_write();
    // The leader synced when its heartbeat fired; the followers' timers never fired.
    let synced = lab
        .w
        .slot(N1)
        .synced
        .as_ref()
        .expect("the heartbeat synced");
    assert_eq!(synced.log.len(), 2);
    assert!(lab.w.slot(N3).synced.is_none());
    // What the node panel shows: the followers hold unsynced writes, the leader none.
    assert!(lab.w.has_unsynced_writes(N2) && lab.w.has_unsynced_writes(N3));
    assert!(!lab.w.has_unsynced_writes(N1));
}

/// The followers acknowledged the write (so the leader committed it) but never
/// synced it: both lose power, and the committed entry is left on the leader alone.
fn power_loss_after_acknowledged_append(bugs: &[Bug]) -> Vec<Violation> {
    let mut lab = Lab::new(bugs);
    lab.elect_and_write();
    for id in [N2, N3] {
        lab.fault(Fault::PowerLoss(id));
    }
    for id in [N2, N3] {
        lab.fault(Fault::Restart(id));
    }
    lab.finish()
}

#[test]
fn no_fsync_loses_an_acknowledged_entry_on_power_loss() {
    let v = power_loss_after_acknowledged_append(&[Bug::NoFsync]);
    assert!(
        names(&v).contains(&"committed_on_majority"),
        "expected committed_on_majority, got {v:#?}"
    );
    assert_eq!(power_loss_after_acknowledged_append(&[]), Vec::new());
}

/// N2 votes for N1 in term 1 and loses power; with `no-fsync` it forgets the vote
/// and the term, and gives N3 a second vote in term 1: two leaders in one term.
fn power_loss_after_a_vote(bugs: &[Bug]) -> Vec<Violation> {
    let mut lab = Lab::new(bugs);
    // Only N1 and N2 hear the first election.
    lab.fault(Fault::Isolate(N3));
    lab.fault(Fault::Timeout(N1));
    assert_eq!(lab.w.node(N1).role(), Role::Leader);
    lab.fault(Fault::PowerLoss(N2));
    lab.fault(Fault::Restart(N2));
    // N3 campaigns in term 1 with N2 only, N1 cut off.
    lab.fault(Fault::Heal);
    lab.fault(Fault::Isolate(N1));
    lab.fault(Fault::Timeout(N3));
    lab.finish()
}

#[test]
fn no_fsync_forgets_a_vote_on_power_loss() {
    let v = power_loss_after_a_vote(&[Bug::NoFsync]);
    assert!(
        names(&v).contains(&"election_safety"),
        "expected election_safety, got {v:#?}"
    );
    assert_eq!(power_loss_after_a_vote(&[]), Vec::new());
}

#[test]
fn a_twopc_node_syncs_what_it_logged() {
    let config = TwoPc::configure("textbook", TwoPc::DEFAULT_NODES, &[], None).expect("2PC");
    let opts = ChaosOptions::new(Faults::NONE, Tick(10_000));
    let w = chaos::run::<TwoPc>(Seed(3), config, &opts);
    let mut logged = 0;
    for slot in w.slots() {
        let durable = slot.node.durable();
        logged += durable.wal.len();
        if !durable.wal.is_empty() {
            assert_eq!(slot.synced.as_ref(), Some(&durable));
        }
    }
    assert!(logged > 0, "the run logged something");
}

fn raft_durable(w: &World<Raft>, id: NodeId) -> faultlab_sim::raft::RaftDurable {
    let s = w.node(id).server();
    faultlab_sim::raft::RaftDurable {
        current_term: s.current_term(),
        voted_for: s.voted_for(),
        log: s.log().clone(),
    }
}
