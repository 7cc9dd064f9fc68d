//! The classic Raft implementer bugs (`modes.rs`, from `accept-stale-term-replies` on),
//! one scripted scenario each. Every scenario is run twice, with the toggle and with
//! the textbook configuration: the toggle must be flagged by the named checker, the
//! textbook run must be clean.
//!
//! The scenarios are fully scripted, so they do not depend on the seed: no timer
//! fires by itself (elections are `Timeout` inputs, heartbeats `FireTimer` inputs),
//! latency is a fixed 10 ms, and a message is *held* by sending it while the latency
//! is set to a minute (the world's `Latency` input applies to messages sent after
//! it), then delivered with `DeliverNow` when the script wants it.

use faultlab_sim::Fault;
use faultlab_sim::raft::{
    Bug, Mode, Op, OpResult, Raft, RaftConfig, RaftMsg, RaftTimer, Response, Role, Track,
};
use faultlab_sim::{
    EventKind, Input, MsgId, NetConfig, NodeId, RequestId, Seed, Tick, Ticks, TraceEvent,
    Violation, World,
};

const N1: NodeId = NodeId(0);
const N2: NodeId = NodeId(1);
const N3: NodeId = NodeId(2);
const N4: NodeId = NodeId(3);
const N5: NodeId = NodeId(4);

/// Latency of every message, ms.
const LATENCY: u64 = 10;
/// Latency of a held message: far past the end of any scenario.
const HOLD: u64 = 60_000;
/// No timer fires by itself within a scenario.
const NEVER: u64 = 1_000_000_000;

/// A scripted cluster and what happened in it.
struct Lab {
    w: World<Raft>,
    events: Vec<TraceEvent<Raft>>,
    /// Each node's commit index after every step (consecutive repeats removed).
    commits: Vec<Vec<u64>>,
}

impl Lab {
    fn new(nodes: usize, bugs: &[Bug]) -> Lab {
        Lab::with(nodes, bugs, |_| {})
    }

    fn with(nodes: usize, bugs: &[Bug], tweak: impl FnOnce(&mut RaftConfig)) -> Lab {
        let mut config = RaftConfig::new(nodes, Mode::Textbook);
        for b in bugs {
            config.bugs.insert(*b);
        }
        config.election_timeout_min_ms = NEVER;
        config.election_timeout_max_ms = NEVER;
        config.heartbeat_ms = NEVER;
        config.commit_wait_ms = NEVER;
        config.forward_timeout_ms = NEVER;
        tweak(&mut config);
        let net = NetConfig {
            latency_min: Ticks(LATENCY),
            latency_max: Ticks(LATENCY),
            ..NetConfig::default()
        };
        let mut lab = Lab {
            w: World::new(Seed(1), config, net),
            events: Vec::new(),
            commits: vec![vec![0]; nodes],
        };
        lab.run(0);
        lab
    }

    fn observe(&mut self) {
        for id in self.w.node_ids() {
            let c = self.w.node(id).commit_index().0;
            let seen = &mut self.commits[id.index()];
            if seen.last() != Some(&c) {
                seen.push(c);
            }
        }
    }

    /// Run every event of the next `ms` milliseconds.
    fn run(&mut self, ms: u64) {
        let until = Tick(self.w.now().0 + ms);
        while self.w.next_event_at().is_some_and(|at| at <= until) {
            self.w.step();
            self.events.extend_from_slice(self.w.last_events());
            self.observe();
        }
        self.w.advance_clock(until);
    }

    /// Let every message in flight (at the normal latency) arrive, and their answers.
    fn settle(&mut self) {
        self.run(200);
    }

    /// Apply `input` now.
    fn apply(&mut self, input: Input<Raft>) {
        self.w.schedule(self.w.now(), input);
        let idx = self.w.inputs().len() - 1;
        while !self.w.inputs()[idx].applied && self.w.step() {
            self.events.extend_from_slice(self.w.last_events());
            self.observe();
        }
    }

    // ----- the script's words ----------------------------------------------------------

    /// `node`'s election timeout elapses; the election runs to its end.
    fn timeout(&mut self, node: NodeId) {
        self.apply(Input::Fault(Fault::Timeout(node)));
        self.settle();
    }

    /// `node`'s election timeout elapses; only the next `ms` milliseconds run.
    fn timeout_for(&mut self, node: NodeId, ms: u64) {
        self.apply(Input::Fault(Fault::Timeout(node)));
        self.run(ms);
    }

    /// The leader `node` sends a heartbeat round, which runs to its end.
    fn heartbeat(&mut self, node: NodeId) {
        self.apply(Input::FireTimer(node, RaftTimer::Heartbeat));
        self.settle();
    }

    fn partition(&mut self, groups: &[&[NodeId]]) {
        self.apply(Input::Fault(Fault::Partition(
            groups.iter().map(|g| g.to_vec()).collect(),
        )));
    }

    fn heal(&mut self) {
        self.apply(Input::Fault(Fault::Heal));
    }

    fn crash(&mut self, node: NodeId) {
        self.apply(Input::Fault(Fault::Crash(node)));
    }

    fn restart(&mut self, node: NodeId) {
        self.apply(Input::Fault(Fault::Restart(node)));
    }

    /// Messages sent from now on take a minute (until [`Lab::release_latency`]).
    fn hold_new_messages(&mut self) {
        self.apply(Input::Fault(Fault::Latency(Ticks(HOLD), Ticks(HOLD))));
    }

    fn release_latency(&mut self) {
        self.apply(Input::Fault(Fault::Latency(Ticks(LATENCY), Ticks(LATENCY))));
    }

    /// A client sends `op` to `node`; returns its request id. Nothing else runs.
    fn send_request(&mut self, node: NodeId, op: Op) -> RequestId {
        self.apply(Input::Request(node, op));
        self.events
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                EventKind::Request { id, .. } => Some(*id),
                _ => None,
            })
            .expect("the request was recorded")
    }

    /// A client sends `op` to `node`, and the cluster settles.
    fn request(&mut self, node: NodeId, op: Op) -> RequestId {
        let id = self.send_request(node, op);
        self.settle();
        id
    }

    /// The in-flight messages from `from` to `to` that satisfy `pick`.
    fn in_flight(&self, from: NodeId, to: NodeId, pick: impl Fn(&RaftMsg) -> bool) -> Vec<MsgId> {
        self.w
            .in_flight()
            .filter(|e| e.from == from && e.to == to && pick(&e.msg))
            .map(|e| e.id)
            .collect()
    }

    fn drop_messages(&mut self, ids: Vec<MsgId>) {
        for id in ids {
            self.apply(Input::Fault(Fault::Drop(id)));
        }
    }

    /// Deliver `ids` now (in order) and let their consequences settle.
    fn deliver(&mut self, ids: Vec<MsgId>) {
        for id in ids {
            self.apply(Input::Fault(Fault::DeliverNow(id)));
            self.run(0);
        }
        self.settle();
    }

    // ----- what the test reads ---------------------------------------------------------

    fn role(&self, node: NodeId) -> Role {
        self.w.node(node).role()
    }

    fn term(&self, node: NodeId) -> u64 {
        self.w.node(node).term().0
    }

    fn log_terms(&self, node: NodeId) -> Vec<u64> {
        self.w
            .node(node)
            .log()
            .entries()
            .iter()
            .map(|e| e.term.0)
            .collect()
    }

    fn response(&self, request: RequestId) -> Option<&Response> {
        self.events.iter().find_map(|e| match &e.kind {
            EventKind::Response { id, response, .. } if *id == request => Some(response),
            _ => None,
        })
    }

    /// Every violation, the end-of-run checks (linearizability) included.
    fn finish(mut self) -> Vec<Violation> {
        self.w.finish();
        self.w.violations().to_vec()
    }
}

fn is_append(m: &RaftMsg) -> bool {
    matches!(m, RaftMsg::AppendEntries { .. })
}

fn is_append_reply(m: &RaftMsg) -> bool {
    matches!(m, RaftMsg::AppendEntriesResponse { .. })
}

fn add(id: &str) -> Op {
    Op::Add(Track::new(id, &id.to_ascii_uppercase(), "Artist", 180))
}

fn names(violations: &[Violation]) -> Vec<&str> {
    violations.iter().map(|v| v.invariant.as_str()).collect()
}

#[track_caller]
fn assert_flags(violations: &[Violation], invariant: &str) {
    assert!(
        names(violations).contains(&invariant),
        "expected {invariant}, got {violations:#?}"
    );
}

#[track_caller]
fn assert_clean(violations: &[Violation]) {
    assert!(
        violations.is_empty(),
        "textbook must be clean: {violations:#?}"
    );
}

/// Node 1 wins term 1 and every node holds and commits its no-op at index 1.
fn elect_node1(lab: &mut Lab) {
    lab.timeout(N1);
    assert_eq!(lab.role(N1), Role::Leader);
    lab.heartbeat(N1);
}

// ----- 1. accept-stale-term-replies ------------------------------------------------------

/// Five nodes. Node 2 acknowledges entries 2–3 of Node 1's term 1, but the replies
/// are held. Node 3 wins term 2 and overwrites Node 1's uncommitted entries; Node 1
/// wins term 3 with a no-op at index 3, which only Node 4 also receives. Then the
/// held term-1 replies arrive: "Node 2 matches up to index 3".
fn stale_term_replies(bugs: &[Bug]) -> Lab {
    let mut lab = Lab::new(5, bugs);
    elect_node1(&mut lab);
    lab.partition(&[&[N1, N2], &[N3, N4, N5]]);
    lab.send_request(N1, add("x"));
    lab.send_request(N1, add("y"));
    // Node 2 receives both AppendEntries; its two replies (term 1) are held.
    lab.hold_new_messages();
    lab.run(LATENCY);
    lab.release_latency();
    let held = lab.in_flight(N2, N1, is_append_reply);
    assert_eq!(held.len(), 2, "Node 2's replies to entries 2 and 3");
    assert_eq!(lab.log_terms(N2), [1, 1, 1]);

    // Term 2: Node 3 wins with Nodes 4 and 5 and truncates Node 1's entries 2–3.
    lab.timeout(N3);
    assert_eq!(lab.role(N3), Role::Leader);
    lab.partition(&[&[N1, N3, N4, N5], &[N2]]);
    lab.heartbeat(N3);
    assert_eq!(
        lab.log_terms(N1),
        [1, 2],
        "x and y overwritten by Node 3's no-op"
    );

    // Term 3: Node 1 wins with Nodes 2 and 4; its first AppendEntries to Node 2 is
    // lost, so only Node 4 holds the no-op at index 3.
    lab.partition(&[&[N1, N2, N4], &[N3, N5]]);
    lab.timeout_for(N1, 2 * LATENCY);
    assert_eq!((lab.role(N1), lab.term(N1)), (Role::Leader, 3));
    let first = lab.in_flight(N1, N2, is_append);
    lab.drop_messages(first);
    lab.settle();
    assert_eq!(lab.log_terms(N4), [1, 2, 3]);
    assert_eq!(
        lab.log_terms(N2),
        [1, 1, 1],
        "Node 2 never saw term 3's entries"
    );
    assert_eq!(
        lab.w.node(N1).commit_index().0,
        2,
        "two of five hold index 3"
    );

    // The term-1 replies arrive at the leader of term 3.
    lab.deliver(held);

    // Term 4: Node 3 wins with Nodes 2 and 5 (its second try: Node 2 voted in term 3).
    lab.partition(&[&[N1, N4], &[N2, N3, N5]]);
    lab.timeout(N3);
    lab.timeout(N3);
    assert_eq!((lab.role(N3), lab.term(N3)), (Role::Leader, 4));
    lab
}

#[test]
fn accept_stale_term_replies_commits_without_a_majority() {
    let lab = stale_term_replies(&[Bug::AcceptStaleTermReplies]);
    assert_eq!(
        lab.w.node(N1).commit_index().0,
        3,
        "Node 1 counted the stale reply as Node 2 holding index 3"
    );
    assert_flags(&lab.finish(), "leader_completeness");

    let lab = stale_term_replies(&[]);
    assert_eq!(
        lab.commits[N1.index()],
        [0, 1, 2],
        "the stale replies are ignored"
    );
    assert_clean(&lab.finish());
}

/// The `committed_on_majority` checker catches it at once.
#[test]
fn accept_stale_term_replies_is_flagged_by_committed_on_majority() {
    let lab = stale_term_replies(&[Bug::AcceptStaleTermReplies]);
    assert_flags(&lab.finish(), "committed_on_majority");
}

// ----- 2. commit-index-regression --------------------------------------------------------

/// Three nodes, one entry per `AppendEntries`. Node 3 misses entries 2–4 and catches
/// up one entry per round after the partition heals; a duplicate of the first
/// catch-up request (`prev 1, [entry 2], leaderCommit 4`) arrives after the second.
fn duplicated_catch_up(bugs: &[Bug]) -> Lab {
    let mut lab = Lab::with(3, bugs, |c| c.max_entries_per_append = 1);
    elect_node1(&mut lab);
    lab.partition(&[&[N1, N2], &[N3]]);
    for track in ["a", "b", "c"] {
        lab.request(N1, add(track));
    }
    assert_eq!(lab.w.node(N1).commit_index().0, 4);
    lab.heal();
    lab.apply(Input::FireTimer(N1, RaftTimer::Heartbeat));
    let first = lab.in_flight(N1, N3, is_append);
    assert_eq!(first.len(), 1);
    // The copy arrives 35 ms later: after the request for entry 3 (at 30 ms), before
    // the one for entry 4 (at 50 ms).
    lab.apply(Input::Fault(Fault::Latency(Ticks(35), Ticks(35))));
    lab.apply(Input::Fault(Fault::Duplicate(first[0])));
    lab.release_latency();
    lab.settle();
    lab
}

#[test]
fn commit_index_regression_moves_commit_index_back() {
    let lab = duplicated_catch_up(&[Bug::CommitIndexRegression]);
    assert_eq!(
        lab.commits[N3.index()],
        [0, 1, 2, 3, 2, 4],
        "the duplicate lowered Node 3's commitIndex from 3 to 2"
    );
    let lab = duplicated_catch_up(&[]);
    assert_eq!(lab.commits[N3.index()], [0, 1, 2, 3, 4]);
    assert_clean(&lab.finish());
}

/// The `commit_index_monotonic` checker catches it at once.
#[test]
fn commit_index_regression_is_flagged_by_commit_index_monotonic() {
    let lab = duplicated_catch_up(&[Bug::CommitIndexRegression]);
    assert_flags(&lab.finish(), "commit_index_monotonic");
}

// ----- 3. vote-without-log-check ---------------------------------------------------------

/// Three nodes. Entry 2 is committed on Nodes 1 and 2 while Node 3 is cut off; then
/// Node 3, whose log ends at index 1, stands for election.
fn stale_candidate(bugs: &[Bug]) -> Lab {
    let mut lab = Lab::new(3, bugs);
    elect_node1(&mut lab);
    lab.partition(&[&[N1, N2], &[N3]]);
    let a = lab.request(N1, add("a"));
    assert_eq!(lab.response(a), Some(&Response::Ok(OpResult::Done)));
    lab.heartbeat(N1);
    lab.heal();
    lab.timeout(N3);
    lab
}

#[test]
fn vote_without_log_check_elects_a_leader_missing_a_committed_entry() {
    let lab = stale_candidate(&[Bug::VoteWithoutLogCheck]);
    assert_eq!((lab.role(N3), lab.term(N3)), (Role::Leader, 2));
    assert_eq!(
        lab.log_terms(N1),
        [1, 2],
        "the committed entry 2 was overwritten"
    );
    assert_flags(&lab.finish(), "leader_completeness");

    let mut lab = stale_candidate(&[]);
    assert_eq!(
        lab.role(N3),
        Role::Candidate,
        "Nodes 1 and 2 refuse: their logs are newer"
    );
    lab.timeout(N1);
    assert_eq!(lab.role(N1), Role::Leader);
    assert_clean(&lab.finish());
}

// ----- 4. forget-vote-on-restart ---------------------------------------------------------

/// Three nodes. Node 3 votes for Node 1 in term 1 (Node 1's first `AppendEntries` to it
/// is lost), crashes and restarts; then Node 2 asks it for a vote in term 1.
fn restarted_voter(bugs: &[Bug]) -> Lab {
    let mut lab = Lab::new(3, bugs);
    lab.partition(&[&[N1, N3], &[N2]]);
    lab.timeout_for(N1, 2 * LATENCY);
    assert_eq!((lab.role(N1), lab.term(N1)), (Role::Leader, 1));
    let first = lab.in_flight(N1, N3, is_append);
    lab.drop_messages(first);
    lab.crash(N3);
    lab.restart(N3);
    assert_eq!(lab.term(N3), 1, "currentTerm is persistent");
    lab.partition(&[&[N1], &[N2, N3]]);
    lab.timeout(N2);
    lab
}

#[test]
fn forget_vote_on_restart_votes_twice_in_one_term() {
    let lab = restarted_voter(&[Bug::ForgetVoteOnRestart]);
    assert_eq!((lab.role(N2), lab.term(N2)), (Role::Leader, 1));
    assert_flags(&lab.finish(), "election_safety");

    let mut lab = restarted_voter(&[]);
    assert_eq!(
        lab.w.node(N3).voted_for(),
        Some(N1),
        "votedFor survived the restart"
    );
    assert_eq!(lab.role(N2), Role::Candidate);
    lab.timeout(N2);
    assert_eq!((lab.role(N2), lab.term(N2)), (Role::Leader, 2));
    assert_clean(&lab.finish());
}

// ----- 5. truncate-on-stale-append -------------------------------------------------------

/// Three nodes, Node 3 cut off. Node 1's `AppendEntries` for entry 2 to Node 2 is held;
/// the next one (entries 2–3) arrives, so entries 2–3 commit on Nodes 1 and 2. Then
/// the held, shorter request arrives; Node 1 crashes and Node 2 stands.
fn delayed_short_append(bugs: &[Bug]) -> Lab {
    let mut lab = Lab::new(3, bugs);
    elect_node1(&mut lab);
    lab.partition(&[&[N1, N2], &[N3]]);
    lab.hold_new_messages();
    lab.send_request(N1, add("a"));
    lab.release_latency();
    let held = lab.in_flight(N1, N2, is_append);
    let b = lab.request(N1, add("b"));
    assert_eq!(lab.response(b), Some(&Response::Ok(OpResult::Done)));
    assert_eq!(lab.w.node(N1).commit_index().0, 3);
    lab.deliver(held);
    lab.crash(N1);
    lab.heal();
    lab.timeout(N2);
    assert_eq!(lab.role(N2), Role::Leader);
    lab
}

#[test]
fn truncate_on_stale_append_erases_a_committed_entry() {
    let lab = delayed_short_append(&[Bug::TruncateOnStaleAppend]);
    assert_flags(&lab.finish(), "leader_completeness");

    let lab = delayed_short_append(&[]);
    assert_eq!(
        lab.log_terms(N2),
        [1, 1, 1, 2],
        "entries 2-3 kept, then term 2's no-op"
    );
    assert_clean(&lab.finish());
}

// ----- 6. commit-to-last-index -----------------------------------------------------------

/// Latent in this implementation (see the comment at its check in `replication.rs`):
/// no successful `AppendEntries` from a textbook leader leaves a follower with entries
/// past the request's last one that differ from the leader's. So the scenario is run
/// at the node level: a follower holding a stale entry 3 of term 2 receives an empty
/// heartbeat from the leader of term 3 with `prevLogIndex` 2 and `leaderCommit` 3, as
/// a leader that sends empty heartbeats from a lagging nextIndex would.
mod commit_to_last_index {
    use faultlab_sim::raft::{
        Bug, Command, Entry, LogIndex, RaftConfig, RaftDurable, RaftMsg, RaftNode, Term,
        replicated_log::Log,
    };
    use faultlab_sim::{Ctx, Node, NodeId, RequestId, Tick};

    fn follower_after_heartbeat(config: &RaftConfig) -> RaftNode {
        let mut log = Log::new();
        for (i, term) in [1, 1, 2].into_iter().enumerate() {
            let request = RequestId(100 + i as u64);
            let op = super::add(&format!("t{i}"));
            log.append(Entry::new(Term(term), Command::Client { request, op }));
        }
        let durable = RaftDurable {
            current_term: Term(2),
            voted_for: None,
            log,
        };
        let mut n = RaftNode::boot(NodeId(2), config, Some(&durable));
        let heartbeat = RaftMsg::AppendEntries {
            term: Term(3),
            prev_log_index: LogIndex(2),
            prev_log_term: Term(1),
            entries: Vec::new(),
            leader_commit: LogIndex(3),
            shadow: false,
        };
        let mut effects = Vec::new();
        let mut ctx = Ctx::new(Tick(1_000), NodeId(2), config, &mut effects);
        n.on_message(NodeId(0), heartbeat, &mut ctx);
        n
    }

    #[test]
    fn commit_to_last_index_commits_an_entry_the_request_did_not_check() {
        let textbook = follower_after_heartbeat(&RaftConfig::default());
        assert_eq!(
            textbook.commit_index(),
            LogIndex(2),
            "min(3, last new entry 2)"
        );
        let buggy =
            follower_after_heartbeat(&RaftConfig::default().with_bug(Bug::CommitToLastIndex));
        assert_eq!(buggy.commit_index(), LogIndex(3), "min(3, last index 3)");
        assert_eq!(
            buggy.last_applied(),
            LogIndex(3),
            "the stale term-2 entry was applied"
        );
    }
}

// ----- 7. quorum-off-by-one --------------------------------------------------------------

/// Four nodes split 2 + 2; each half elects a leader and writes one track.
fn split_in_halves(bugs: &[Bug]) -> Lab {
    let mut lab = Lab::new(4, bugs);
    lab.partition(&[&[N1, N2], &[N3, N4]]);
    lab.timeout(N1);
    lab.timeout(N3);
    lab.request(N1, add("left"));
    lab.request(N3, add("right"));
    lab.heartbeat(N1);
    lab.heartbeat(N3);
    lab
}

#[test]
fn quorum_off_by_one_elects_two_leaders_in_one_term() {
    let lab = split_in_halves(&[Bug::QuorumOffByOne]);
    assert_eq!((lab.role(N1), lab.term(N1)), (Role::Leader, 1));
    assert_eq!((lab.role(N3), lab.term(N3)), (Role::Leader, 1));
    let violations = lab.finish();
    assert_flags(&violations, "election_safety");
    assert_flags(&violations, "state_machine_safety");

    let lab = split_in_halves(&[]);
    assert!(
        lab.w.node_ids().all(|n| lab.role(n) != Role::Leader),
        "2 of 4 is not a majority"
    );
    assert_clean(&lab.finish());
}

// ----- 8. leader-local-reads -------------------------------------------------------------

/// Three nodes. Node 1 leads and commits track a; a partition cuts it off; Node 2
/// wins term 2 and commits track b; then a client reads the queue from Node 1.
fn read_from_deposed_leader(bugs: &[Bug]) -> (Lab, RequestId) {
    let mut lab = Lab::new(3, bugs);
    elect_node1(&mut lab);
    lab.request(N1, add("a"));
    lab.partition(&[&[N1], &[N2, N3]]);
    lab.timeout(N2);
    assert_eq!(lab.role(N2), Role::Leader);
    let b = lab.request(N2, add("b"));
    assert_eq!(lab.response(b), Some(&Response::Ok(OpResult::Done)));
    assert_eq!(lab.role(N1), Role::Leader, "Node 1 has not heard of term 2");
    let read = lab.request(N1, Op::Queue);
    (lab, read)
}

#[test]
fn leader_local_reads_serve_a_stale_queue_after_a_partition() {
    let (lab, read) = read_from_deposed_leader(&[Bug::LeaderLocalReads]);
    let Some(Response::Ok(OpResult::Queue(tracks))) = lab.response(read) else {
        panic!("answered at once: {:?}", lab.response(read));
    };
    let ids: Vec<&str> = tracks.iter().map(|t| &*t.id).collect();
    assert_eq!(ids, ["a"], "b was committed before the read began");
    assert_flags(&lab.finish(), "linearizability");

    let (lab, read) = read_from_deposed_leader(&[]);
    assert_eq!(
        lab.response(read),
        None,
        "the read waits in the log for a commit"
    );
    assert_clean(&lab.finish());
}

#[test]
fn every_classic_toggle_has_a_name_and_a_summary() {
    for (name, bug) in [
        ("accept-stale-term-replies", Bug::AcceptStaleTermReplies),
        ("commit-index-regression", Bug::CommitIndexRegression),
        ("vote-without-log-check", Bug::VoteWithoutLogCheck),
        ("forget-vote-on-restart", Bug::ForgetVoteOnRestart),
        ("truncate-on-stale-append", Bug::TruncateOnStaleAppend),
        ("commit-to-last-index", Bug::CommitToLastIndex),
        ("quorum-off-by-one", Bug::QuorumOffByOne),
        ("leader-local-reads", Bug::LeaderLocalReads),
    ] {
        assert_eq!(Bug::from_name(name), Some(bug));
        assert!(!bug.info().summary.is_empty() && !bug.info().seed_ref.is_empty());
        assert!(
            Mode::ALL.iter().all(|m| !m.preset().has(bug)),
            "{name} is in no preset"
        );
    }
    assert!(Bug::ALL.len() <= 32, "BugSet is a u32");
}
