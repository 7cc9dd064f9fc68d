//! Figure 2 as transcripts: one node, one event, and the exact list of effects it
//! emits (openraft's engine tests, etcd-raft's `testdata/*.txt`). Each test reads as
//! "in this state, on this event, the node does exactly this, in this order": what it
//! sends, which timers it arms or cancels, what it notes.
//!
//! Nodes are driven through [`faultlab_sim::testkit::Harness`]; there is no world,
//! so nothing is delivered back. The cluster has five nodes (quorum 3); the node under
//! test is `N1` unless said otherwise.

use faultlab_sim::raft::music_queue::OpKind;
use faultlab_sim::raft::{
    Bug, Command, Entry, LogIndex, Op, Raft, RaftConfig, RaftDurable, RaftMsg, RaftNote, RaftTimer,
    Role, Term, replicated_log::Log,
};
use faultlab_sim::testkit::Harness;
use faultlab_sim::{Effect, NodeId, RequestId, Tick};

const N0: NodeId = NodeId(0);
const N1: NodeId = NodeId(1);
const N2: NodeId = NodeId(2);
const N3: NodeId = NodeId(3);
const N4: NodeId = NodeId(4);

// ----- building states --------------------------------------------------------------

/// The client entry the test logs hold at `index` (1-based) with `term`.
fn entry(index: u64, term: u64) -> Entry {
    Entry::new(
        Term(term),
        Command::Client {
            request: RequestId(1000 + index),
            op: Op::Queue,
        },
    )
}

fn noop(term: u64) -> Entry {
    Entry::new(Term(term), Command::Noop)
}

fn log_of(terms: &[u64]) -> Log {
    let mut log = Log::new();
    for (i, t) in terms.iter().enumerate() {
        log.append(entry(i as u64 + 1, *t));
    }
    log
}

/// Node `id` restarted with `currentTerm = term`, `votedFor`, and a log whose entries
/// have `terms`.
fn server_with(
    config: RaftConfig,
    id: NodeId,
    term: u64,
    voted_for: Option<NodeId>,
    terms: &[u64],
) -> Harness<Raft> {
    let durable = RaftDurable {
        current_term: Term(term),
        voted_for,
        log: log_of(terms),
    };
    Harness::boot(id, config, Some(&durable), Tick(10_000))
}

fn server(term: u64, voted_for: Option<NodeId>, terms: &[u64]) -> Harness<Raft> {
    server_with(RaftConfig::default(), N1, term, voted_for, terms)
}

/// `h` times out and collects votes from N0 and N2: leader of the next term.
fn elect(h: &mut Harness<Raft>) {
    h.force_timeout();
    let term = h.node.term().0;
    h.deliver(N0, vote(term, true));
    h.deliver(N2, vote(term, true));
    assert_eq!(h.node.role(), Role::Leader);
}

// ----- messages and effects ---------------------------------------------------------

fn request_vote(term: u64, last_log_index: u64, last_log_term: u64) -> RaftMsg {
    RaftMsg::RequestVote {
        term: Term(term),
        last_log_index: LogIndex(last_log_index),
        last_log_term: Term(last_log_term),
        shadow: false,
    }
}

fn vote(term: u64, vote_granted: bool) -> RaftMsg {
    RaftMsg::RequestVoteResponse {
        term: Term(term),
        vote_granted,
        shadow: false,
    }
}

fn append(term: u64, prev: (u64, u64), entries: Vec<Entry>, leader_commit: u64) -> RaftMsg {
    RaftMsg::AppendEntries {
        term: Term(term),
        prev_log_index: LogIndex(prev.0),
        prev_log_term: Term(prev.1),
        entries,
        leader_commit: LogIndex(leader_commit),
        shadow: false,
    }
}

fn append_ok(term: u64, match_index: u64) -> RaftMsg {
    RaftMsg::AppendEntriesResponse {
        term: Term(term),
        success: true,
        match_index: LogIndex(match_index),
        conflict_index: LogIndex::ZERO,
        conflict_term: None,
        shadow: false,
    }
}

fn append_fail(term: u64, conflict_index: u64, conflict_term: Option<u64>) -> RaftMsg {
    RaftMsg::AppendEntriesResponse {
        term: Term(term),
        success: false,
        match_index: LogIndex::ZERO,
        conflict_index: LogIndex(conflict_index),
        conflict_term: conflict_term.map(Term),
        shadow: false,
    }
}

fn send(to: NodeId, msg: RaftMsg) -> Effect<Raft> {
    Effect::Send { to, msg }
}

fn note(note: RaftNote) -> Effect<Raft> {
    Effect::Note(note)
}

/// Arm the election timer (the world draws the span from the configured range).
fn election_timer() -> Effect<Raft> {
    let (min, max) = RaftConfig::default().election_timeout();
    Effect::SetTimer {
        timer: RaftTimer::Election,
        min,
        max,
    }
}

fn heartbeat_timer() -> Effect<Raft> {
    let hb = RaftConfig::default().heartbeat();
    Effect::SetTimer {
        timer: RaftTimer::Heartbeat,
        min: hb,
        max: hb,
    }
}

fn cancel(timer: RaftTimer) -> Effect<Raft> {
    Effect::CancelTimer { timer }
}

/// The handler changed `currentTerm`, `votedFor` or the log, and syncs them to disk.
/// It comes last: a crash cannot fall inside a handler, so the sync is on disk before
/// anything the handler sent is delivered ("before responding to RPCs").
fn sync() -> Effect<Raft> {
    Effect::Sync
}

fn follower(term: u64) -> Effect<Raft> {
    note(RaftNote::BecameFollower { term: Term(term) })
}

fn terms(h: &Harness<Raft>) -> Vec<u64> {
    h.node.log().entries().iter().map(|e| e.term.0).collect()
}

// ----- RequestVote receiver ---------------------------------------------------------

#[test]
fn request_vote_granted_adopts_term_votes_and_resets_timer() {
    let mut h = server(1, None, &[1]);
    assert_eq!(
        h.deliver(N0, request_vote(2, 1, 1)),
        [
            follower(2),      // all servers: T > currentTerm, set currentTerm = T
            election_timer(), // granting a vote restarts the election timer
            send(N0, vote(2, true)),
            sync(),
        ]
    );
    assert_eq!((h.node.term(), h.node.voted_for()), (Term(2), Some(N0)));
}

#[test]
fn request_vote_refused_on_lower_term() {
    let mut h = server(5, None, &[]);
    // 1. Reply false if term < currentTerm; the reply carries ours. No timer reset.
    assert_eq!(
        h.deliver(N0, request_vote(4, 0, 0)),
        [send(N0, vote(5, false))]
    );
    assert_eq!(h.node.voted_for(), None);
}

#[test]
fn request_vote_one_vote_per_term() {
    let mut h = server(3, Some(N0), &[]);
    // 2. votedFor is N0, not null: N2 is refused, and the timer is not reset.
    assert_eq!(
        h.deliver(N2, request_vote(3, 0, 0)),
        [send(N2, vote(3, false))]
    );
    // The same candidate asking again (a retried request) gets the vote again.
    assert_eq!(
        h.deliver(N0, request_vote(3, 0, 0)),
        [election_timer(), send(N0, vote(3, true))]
    );
}

#[test]
fn request_vote_refused_when_candidate_log_is_not_up_to_date_5_4_1() {
    // The voter's log ends with term 3 at index 2.
    // A lower last term loses, however long the log: the term is still adopted.
    let mut h = server(3, None, &[1, 3]);
    assert_eq!(
        h.deliver(N0, request_vote(4, 5, 2)),
        [follower(4), send(N0, vote(4, false)), sync()]
    );
    assert_eq!((h.node.term(), h.node.voted_for()), (Term(4), None));
    // The same last term with a shorter log loses too.
    assert_eq!(
        h.deliver(N2, request_vote(5, 1, 3)),
        [follower(5), send(N2, vote(5, false)), sync()]
    );
    // At least as up to date (same last term, same length) wins.
    assert_eq!(
        h.deliver(N3, request_vote(6, 2, 3)),
        [
            follower(6),
            election_timer(),
            send(N3, vote(6, true)),
            sync()
        ]
    );
}

#[test]
fn bug_reset_timer_on_refused_vote_rearms_the_timer_of_a_refusal() {
    let config = RaftConfig::default().with_bug(Bug::ResetTimerOnRefusedVote);
    let mut h = server_with(config, N1, 3, None, &[1, 3]);
    assert_eq!(
        h.deliver(N0, request_vote(4, 5, 2)),
        [
            follower(4),
            election_timer(),
            send(N0, vote(4, false)),
            sync()
        ]
    );
}

// ----- Candidates -------------------------------------------------------------------

#[test]
fn election_timeout_starts_an_election() {
    let mut h = server(4, None, &[1, 4]);
    assert_eq!(
        h.fire(RaftTimer::Election),
        [
            note(RaftNote::ElectionTimeout),
            note(RaftNote::BecameCandidate { term: Term(5) }),
            election_timer(),
            send(N0, request_vote(5, 2, 4)),
            send(N2, request_vote(5, 2, 4)),
            send(N3, request_vote(5, 2, 4)),
            send(N4, request_vote(5, 2, 4)),
            sync(),
        ]
    );
    assert_eq!(h.node.server().votes_granted(), [N1]);
}

#[test]
fn candidate_wins_on_a_majority_and_sends_its_noop() {
    let mut h = server(1, None, &[1]);
    h.force_timeout(); // term 2, votes for itself
    assert_eq!(h.deliver(N0, vote(2, true)), [], "2 of 5");
    assert_eq!(
        h.deliver(N0, vote(2, true)),
        [],
        "a duplicated vote counts once"
    );
    assert_eq!(h.deliver(N3, vote(2, false)), [], "a refusal");
    let ae = append(2, (1, 1), vec![noop(2)], 0);
    assert_eq!(
        h.deliver(N2, vote(2, true)),
        [
            note(RaftNote::BecameLeader { term: Term(2) }),
            cancel(RaftTimer::Election),
            note(RaftNote::LeaderAppended {
                index: LogIndex(2),
                op: None
            }),
            send(N0, ae.clone()),
            send(N2, ae.clone()),
            send(N3, ae.clone()),
            send(N4, ae),
            heartbeat_timer(),
            sync(),
        ]
    );
    // nextIndex is the last index before the no-op + 1; matchIndex 0.
    assert_eq!(h.node.next_index(), [LogIndex(2); 5]);
    assert_eq!(h.node.match_index(), [LogIndex(0); 5]);
    assert!(
        h.node.server().votes_granted().is_empty(),
        "a leader has no ballot"
    );
}

#[test]
fn stale_vote_from_an_earlier_election_does_not_count() {
    let mut h = server(1, None, &[]);
    h.force_timeout(); // term 2
    h.force_timeout(); // term 3
    assert_eq!(h.deliver(N0, vote(2, true)), []);
    assert_eq!(h.deliver(N2, vote(2, true)), []);
    assert_eq!(h.node.role(), Role::Candidate);
}

#[test]
fn bug_stale_vote_counting_elects_on_votes_of_an_earlier_election() {
    let config = RaftConfig::default()
        .with_bug(Bug::StaleVoteCounting)
        .with_bug(Bug::NoNoopOnElection);
    let mut h = server_with(config, N1, 1, None, &[]);
    h.force_timeout(); // term 2
    h.force_timeout(); // term 3
    assert_eq!(h.deliver(N0, vote(2, true)), []);
    let ae = append(3, (0, 0), vec![], 0);
    assert_eq!(
        h.deliver(N2, vote(2, true)),
        [
            note(RaftNote::BecameLeader { term: Term(3) }),
            cancel(RaftTimer::Election),
            send(N0, ae.clone()),
            send(N2, ae.clone()),
            send(N3, ae.clone()),
            send(N4, ae),
            heartbeat_timer(),
        ]
    );
}

#[test]
fn candidate_steps_down_on_a_higher_term_in_a_vote_response() {
    let mut h = server(1, None, &[]);
    h.force_timeout(); // candidate of term 2
    // Its election timer keeps running: a follower needs one too.
    assert_eq!(h.deliver(N2, vote(7, false)), [follower(7), sync()]);
    assert_eq!(
        (h.node.role(), h.node.term(), h.node.voted_for()),
        (Role::Follower, Term(7), None)
    );
}

#[test]
fn candidate_returns_to_follower_on_append_entries_of_its_term() {
    let mut h = server(1, None, &[]);
    h.force_timeout(); // candidate of term 2
    assert_eq!(
        h.deliver(N3, append(2, (0, 0), vec![], 0)),
        [follower(2), election_timer(), send(N3, append_ok(2, 0))]
    );
    assert_eq!(h.node.leader_hint(), Some(N3));
}

#[test]
fn bug_candidate_no_step_down_stays_candidate() {
    let config = RaftConfig::default().with_bug(Bug::CandidateNoStepDown);
    let mut h = server_with(config, N1, 1, None, &[]);
    h.force_timeout();
    assert_eq!(
        h.deliver(N3, append(2, (0, 0), vec![], 0)),
        [election_timer(), send(N3, append_ok(2, 0))]
    );
    assert_eq!(h.node.role(), Role::Candidate);
}

// ----- AppendEntries receiver -------------------------------------------------------

#[test]
fn append_entries_refused_on_lower_term() {
    let mut h = server(5, None, &[1]);
    // 1. Reply false if term < currentTerm: no timer reset, no leader hint.
    assert_eq!(
        h.deliver(N0, append(4, (1, 1), vec![entry(2, 4)], 0)),
        [send(N0, append_fail(5, 0, None))]
    );
    assert_eq!(terms(&h), [1]);
    assert_eq!(h.node.leader_hint(), None);
}

#[test]
fn append_entries_success_appends_and_acknowledges() {
    let mut h = server(2, None, &[1, 1]);
    assert_eq!(
        h.deliver(N0, append(2, (2, 1), vec![entry(3, 2)], 0)),
        [election_timer(), send(N0, append_ok(2, 3)), sync()]
    );
    assert_eq!(terms(&h), [1, 1, 2]);
}

#[test]
fn append_entries_consistency_check_fails_with_a_conflict_hint() {
    let mut h = server(2, None, &[1, 1]);
    // 2. No entry at prevLogIndex whose term matches prevLogTerm: the hint is the
    // first index of the conflicting term (1).
    assert_eq!(
        h.deliver(N0, append(2, (2, 2), vec![entry(3, 2)], 0)),
        [election_timer(), send(N0, append_fail(2, 1, Some(1)))]
    );
    // prevLogIndex past the end: the hint is one past our last entry.
    assert_eq!(
        h.deliver(N0, append(2, (5, 1), vec![entry(6, 2)], 0)),
        [election_timer(), send(N0, append_fail(2, 3, None))]
    );
    assert_eq!(terms(&h), [1, 1], "nothing appended");
}

#[test]
fn append_entries_truncates_a_conflicting_suffix() {
    let mut h = server(3, None, &[1, 2, 2, 2]);
    // 3. Index 2 holds term 2, the leader's entry has term 3: delete it and all that
    // follow, then 4. append.
    assert_eq!(
        h.deliver(N0, append(3, (1, 1), vec![entry(2, 3)], 0)),
        [election_timer(), send(N0, append_ok(3, 2)), sync()]
    );
    assert_eq!(terms(&h), [1, 3]);
}

#[test]
fn append_entries_stale_matching_request_truncates_nothing() {
    let mut h = server(3, None, &[1, 3, 3]);
    // Matching entries are kept, and the match index is what this request covered.
    assert_eq!(
        h.deliver(N0, append(3, (0, 0), vec![entry(1, 1)], 0)),
        [election_timer(), send(N0, append_ok(3, 1))]
    );
    assert_eq!(terms(&h), [1, 3, 3]);
}

#[test]
fn append_entries_commits_up_to_the_last_new_entry_and_applies() {
    let mut h = server(2, None, &[1, 1, 1, 1]);
    // 5. commitIndex = min(leaderCommit 4, last new entry 1) = 1, then apply.
    assert_eq!(
        h.deliver(N0, append(2, (1, 1), vec![], 4)),
        [
            election_timer(),
            send(N0, append_ok(2, 1)),
            note(RaftNote::Applying {
                index: LogIndex(1),
                op: Some(OpKind::Queue)
            }),
        ]
    );
    assert_eq!(h.node.commit_index(), LogIndex(1));
}

#[test]
fn bug_no_term_adoption_from_append_keeps_the_old_term() {
    let config = RaftConfig::default().with_bug(Bug::NoTermAdoptionFromAppend);
    let mut h = server_with(config, N1, 1, None, &[]);
    // R3-2: the follower notes the leader but answers with its stale term 1.
    assert_eq!(
        h.deliver(N3, append(3, (0, 0), vec![], 0)),
        [election_timer(), send(N3, append_ok(1, 0))]
    );
    assert_eq!((h.node.term(), h.node.leader_hint()), (Term(1), Some(N3)));
}

// ----- Leaders ----------------------------------------------------------------------

#[test]
fn leader_commits_on_a_majority_of_current_term_entries_only_5_4_2() {
    let mut h = server(1, None, &[1, 1]);
    elect(&mut h); // term 2, log [1, 1, 2(no-op)]
    // Index 2 (term 1) on a majority commits nothing: log[2].term != currentTerm.
    // Each ack that makes progress gets the rest of the log (the no-op) at once.
    let rest = append(2, (2, 1), vec![noop(2)], 0);
    assert_eq!(h.deliver(N0, append_ok(2, 2)), [send(N0, rest.clone())]);
    assert_eq!(h.deliver(N2, append_ok(2, 2)), [send(N2, rest)]);
    assert_eq!(h.node.commit_index(), LogIndex(0));
    // Index 3, the no-op of term 2, on a majority (N1, N0, N2) commits 1..=3.
    assert_eq!(h.deliver(N0, append_ok(2, 3)), []);
    assert_eq!(
        h.deliver(N2, append_ok(2, 3)),
        [
            note(RaftNote::CommitAdvanced { index: LogIndex(3) }),
            note(RaftNote::Applying {
                index: LogIndex(1),
                op: Some(OpKind::Queue)
            }),
            note(RaftNote::Applying {
                index: LogIndex(2),
                op: Some(OpKind::Queue)
            }),
            note(RaftNote::Applying {
                index: LogIndex(3),
                op: None
            }),
        ]
    );
}

#[test]
fn leader_without_noop_never_commits_an_earlier_term_entry_by_counting() {
    let config = RaftConfig::default().with_bug(Bug::NoNoopOnElection);
    let mut h = server_with(config, N1, 1, None, &[1, 1]);
    elect(&mut h);
    for from in [N0, N2, N3, N4] {
        assert_eq!(h.deliver(from, append_ok(2, 2)), []);
    }
    assert_eq!(
        h.node.commit_index(),
        LogIndex(0),
        "on every node, but of term 1"
    );
}

#[test]
fn leader_backs_off_next_index_and_retries_at_once() {
    let mut h = server(1, None, &[1, 1, 1]);
    elect(&mut h); // log [1, 1, 1, 2], nextIndex 4
    assert_eq!(
        h.deliver(N0, append_fail(2, 2, None)),
        [send(
            N0,
            append(2, (1, 1), vec![entry(2, 1), entry(3, 1), noop(2)], 0)
        )]
    );
    assert_eq!(h.node.next_index()[0], LogIndex(2));
    assert_eq!(
        h.deliver(N0, append_fail(2, 2, None)),
        [],
        "a duplicate waits"
    );
}

#[test]
fn leader_steps_down_on_a_higher_term_in_an_append_response() {
    let mut h = server(1, None, &[]);
    elect(&mut h);
    assert_eq!(
        h.deliver(N3, append_fail(9, 0, None)),
        [
            cancel(RaftTimer::Heartbeat),
            follower(9),
            election_timer(), // a leader had no election timer running
            sync(),
        ]
    );
    assert_eq!((h.node.role(), h.node.term()), (Role::Follower, Term(9)));
    assert!(
        h.node.next_index().is_empty(),
        "nextIndex exists only on a leader"
    );
}

#[test]
fn leader_ignores_a_reply_from_an_earlier_term() {
    let mut h = server(1, None, &[]);
    elect(&mut h); // term 2
    h.force_timeout(); // term 3, candidate
    h.deliver(N0, vote(3, true));
    h.deliver(N2, vote(3, true)); // leader of term 3, log [2, 3]
    assert_eq!(h.deliver(N0, append_ok(2, 2)), []);
    assert_eq!(h.node.match_index()[0], LogIndex(0));
}

#[test]
fn bug_accept_stale_term_replies_counts_a_reply_from_an_earlier_term() {
    let config = RaftConfig::default().with_bug(Bug::AcceptStaleTermReplies);
    let mut h = server_with(config, N1, 1, None, &[]);
    elect(&mut h); // term 2
    h.force_timeout();
    h.deliver(N0, vote(3, true));
    h.deliver(N2, vote(3, true)); // leader of term 3, log [2, 3]
    assert_eq!(h.deliver(N0, append_ok(2, 2)), []);
    assert_eq!(h.node.match_index()[0], LogIndex(2));
}

#[test]
fn heartbeat_timer_sends_to_every_peer_and_rearms() {
    let mut h = server(1, None, &[]);
    elect(&mut h); // term 2, log [2(no-op)], nobody has acknowledged
    let ae = append(2, (0, 0), vec![noop(2)], 0);
    assert_eq!(
        h.fire(RaftTimer::Heartbeat),
        [
            send(N0, ae.clone()),
            send(N2, ae.clone()),
            send(N3, ae.clone()),
            send(N4, ae),
            heartbeat_timer(),
        ]
    );
    // Once N0 has everything, its heartbeat is empty.
    h.deliver(N0, append_ok(2, 1));
    let Effect::Send { to, msg } = &h.fire(RaftTimer::Heartbeat)[0] else {
        panic!("a send first");
    };
    assert_eq!((*to, msg), (N0, &append(2, (1, 2), vec![], 0)));
}

#[test]
fn a_follower_ignores_the_heartbeat_timer() {
    let mut h = server(1, None, &[]);
    assert_eq!(h.fire(RaftTimer::Heartbeat), []);
}
