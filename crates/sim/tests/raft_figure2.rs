//! One test per Figure 2 rule, driving a single node through the `Node` trait and
//! reading its state and effects. Each was checked to fail with its rule removed
//! (see the report).

use faultlab_sim::raft::Raft;
use faultlab_sim::raft::{
    Command, Entry, LogIndex, Op, RaftConfig, RaftDurable, RaftMsg, RaftNode, Role, Term, Track,
    replicated_log::Log,
};
use faultlab_sim::{Ctx, Effect, Node, NodeId, RequestId, Tick};

fn log_of(terms: &[u64]) -> Log {
    let mut log = Log::new();
    for (i, t) in terms.iter().enumerate() {
        log.append(Entry::new(
            Term(*t),
            Command::Client {
                request: RequestId(1000 + i as u64),
                op: Op::Queue,
            },
        ));
    }
    log
}

fn node(id: u16, term: u64, voted_for: Option<u16>, terms: &[u64]) -> RaftNode {
    let durable = RaftDurable {
        current_term: Term(term),
        voted_for: voted_for.map(NodeId),
        log: log_of(terms),
    };
    RaftNode::boot(NodeId(id), &RaftConfig::default(), Some(&durable))
}

fn deliver(n: &mut RaftNode, from: u16, msg: RaftMsg) -> Vec<Effect<Raft>> {
    let config = RaftConfig::default();
    let mut effects = Vec::new();
    let mut ctx = Ctx::new(Tick(10_000), n.server().id(), &config, &mut effects);
    n.on_message(NodeId(from), msg, &mut ctx);
    effects
}

fn timeout(n: &mut RaftNode) -> Vec<Effect<Raft>> {
    let config = RaftConfig::default();
    let mut effects = Vec::new();
    let mut ctx = Ctx::new(Tick(10_000), n.server().id(), &config, &mut effects);
    n.on_force_timeout(&mut ctx);
    effects
}

fn sent(effects: &[Effect<Raft>]) -> Vec<(NodeId, RaftMsg)> {
    effects
        .iter()
        .filter_map(|e| {
            if let Effect::Send { to, msg } = e {
                Some((*to, msg.clone()))
            } else {
                None
            }
        })
        .collect()
}

fn vote_reply(effects: &[Effect<Raft>]) -> (Term, bool) {
    sent(effects)
        .into_iter()
        .find_map(|(_, m)| {
            if let RaftMsg::RequestVoteResponse {
                term, vote_granted, ..
            } = m
            {
                Some((term, vote_granted))
            } else {
                None
            }
        })
        .expect("a RequestVote response")
}

fn append_reply(effects: &[Effect<Raft>]) -> (Term, bool, LogIndex) {
    sent(effects)
        .into_iter()
        .find_map(|(_, m)| {
            if let RaftMsg::AppendEntriesResponse {
                term,
                success,
                match_index,
                ..
            } = m
            {
                Some((term, success, match_index))
            } else {
                None
            }
        })
        .expect("an AppendEntries response")
}

fn rv(term: u64, last_index: u64, last_term: u64) -> RaftMsg {
    RaftMsg::RequestVote {
        term: Term(term),
        last_log_index: LogIndex(last_index),
        last_log_term: Term(last_term),
        shadow: false,
    }
}

fn ae(term: u64, prev: u64, prev_term: u64, entries: &[u64], commit: u64) -> RaftMsg {
    RaftMsg::AppendEntries {
        term: Term(term),
        prev_log_index: LogIndex(prev),
        prev_log_term: Term(prev_term),
        entries: entries
            .iter()
            .enumerate()
            .map(|(i, t)| {
                Entry::new(
                    Term(*t),
                    Command::Client {
                        request: RequestId(2000 + prev + i as u64),
                        op: Op::Queue,
                    },
                )
            })
            .collect(),
        leader_commit: LogIndex(commit),
        shadow: false,
    }
}

fn terms(n: &RaftNode) -> Vec<u64> {
    n.log().entries().iter().map(|e| e.term.0).collect()
}

// ----- RequestVote receiver ---------------------------------------------------------

#[test]
fn request_vote_1_reply_false_if_term_lower() {
    let mut n = node(1, 5, None, &[]);
    assert_eq!(
        vote_reply(&deliver(&mut n, 0, rv(4, 0, 0))),
        (Term(5), false)
    );
}

#[test]
fn request_vote_2_one_vote_per_term() {
    let mut n = node(1, 3, None, &[]);
    assert!(vote_reply(&deliver(&mut n, 0, rv(3, 0, 0))).1);
    assert_eq!(n.voted_for(), Some(NodeId(0)));
    assert!(
        !vote_reply(&deliver(&mut n, 2, rv(3, 0, 0))).1,
        "a second candidate in the same term"
    );
    assert!(
        vote_reply(&deliver(&mut n, 0, rv(3, 0, 0))).1,
        "the same candidate again (a retried request)"
    );
}

#[test]
fn request_vote_election_restriction_5_4_1() {
    // Voter's log ends with term 3 at index 2.
    let mut n = node(1, 3, None, &[1, 3]);
    assert!(
        !vote_reply(&deliver(&mut n, 0, rv(4, 5, 2))).1,
        "lower last term loses, however long"
    );
    let mut n = node(1, 3, None, &[1, 3]);
    assert!(
        !vote_reply(&deliver(&mut n, 0, rv(4, 1, 3))).1,
        "same last term, shorter log loses"
    );
    let mut n = node(1, 3, None, &[1, 3]);
    assert!(
        vote_reply(&deliver(&mut n, 0, rv(4, 2, 3))).1,
        "at least as up to date wins"
    );
}

// ----- AppendEntries receiver -------------------------------------------------------

#[test]
fn append_entries_1_reply_false_if_term_lower() {
    let mut n = node(1, 5, None, &[1]);
    let r = append_reply(&deliver(&mut n, 0, ae(4, 1, 1, &[4], 0)));
    assert_eq!((r.0, r.1), (Term(5), false));
    assert_eq!(terms(&n), vec![1]);
}

#[test]
fn append_entries_2_consistency_check() {
    let mut n = node(1, 2, None, &[1, 1]);
    assert!(
        !append_reply(&deliver(&mut n, 0, ae(2, 2, 2, &[2], 0))).1,
        "prev term differs"
    );
    assert!(
        !append_reply(&deliver(&mut n, 0, ae(2, 5, 1, &[2], 0))).1,
        "prev index past the end"
    );
    assert_eq!(terms(&n), vec![1, 1]);
    assert!(append_reply(&deliver(&mut n, 0, ae(2, 2, 1, &[2], 0))).1);
    assert_eq!(terms(&n), vec![1, 1, 2]);
}

#[test]
fn append_entries_3_conflict_truncation() {
    let mut n = node(1, 3, None, &[1, 2, 2, 2]);
    assert!(append_reply(&deliver(&mut n, 0, ae(3, 1, 1, &[3], 0))).1);
    assert_eq!(
        terms(&n),
        vec![1, 3],
        "the conflicting entry and all that follow are gone"
    );
}

#[test]
fn append_entries_3_no_truncation_without_conflict() {
    // A stale, shorter AppendEntries that matches must not cut the log (§5.3).
    let mut n = node(1, 3, None, &[1, 3, 3]);
    let (_, ok, m) = append_reply(&deliver(&mut n, 0, ae(3, 0, 0, &[1], 0)));
    assert!(ok);
    assert_eq!(m, LogIndex(1));
    assert_eq!(terms(&n).len(), 3);
}

#[test]
fn append_entries_5_commit_index_min_of_leader_commit_and_last_new_entry() {
    let mut n = node(1, 2, None, &[1, 1, 1, 1]);
    deliver(&mut n, 0, ae(2, 1, 1, &[], 4));
    assert_eq!(
        n.commit_index(),
        LogIndex(1),
        "only what this request covered"
    );
    deliver(&mut n, 0, ae(2, 4, 1, &[], 3));
    assert_eq!(n.commit_index(), LogIndex(3));
    assert_eq!(
        n.last_applied(),
        LogIndex(3),
        "applied up to the commit index"
    );
}

// ----- All servers / candidates / leaders ------------------------------------------

#[test]
fn higher_term_in_any_message_converts_to_follower() {
    let mut n = node(1, 1, None, &[]);
    timeout(&mut n);
    assert_eq!(n.role(), Role::Candidate);
    deliver(
        &mut n,
        2,
        RaftMsg::RequestVoteResponse {
            term: Term(7),
            vote_granted: false,
            shadow: false,
        },
    );
    assert_eq!(
        (n.role(), n.term(), n.voted_for()),
        (Role::Follower, Term(7), None)
    );
}

#[test]
fn candidate_election_increments_term_votes_for_self_and_asks_everyone() {
    let mut n = node(1, 4, None, &[1, 4]);
    let effects = timeout(&mut n);
    assert_eq!(
        (n.role(), n.term(), n.voted_for()),
        (Role::Candidate, Term(5), Some(NodeId(1)))
    );
    let asks: Vec<NodeId> = sent(&effects).into_iter().map(|(to, _)| to).collect();
    assert_eq!(asks, vec![NodeId(0), NodeId(2), NodeId(3), NodeId(4)]);
    assert!(sent(&effects).iter().all(|(_, m)| *m == rv(5, 2, 4)));
}

#[test]
fn candidate_becomes_follower_on_append_entries_from_leader_of_its_term() {
    let mut n = node(1, 1, None, &[]);
    timeout(&mut n);
    deliver(&mut n, 3, ae(2, 0, 0, &[], 0));
    assert_eq!(n.role(), Role::Follower);
    assert_eq!(n.leader_hint(), Some(NodeId(3)));
}

fn elect(n: &mut RaftNode) {
    timeout(n);
    let t = n.term();
    deliver(
        n,
        0,
        RaftMsg::RequestVoteResponse {
            term: t,
            vote_granted: true,
            shadow: false,
        },
    );
    deliver(
        n,
        2,
        RaftMsg::RequestVoteResponse {
            term: t,
            vote_granted: true,
            shadow: false,
        },
    );
}

#[test]
fn majority_of_votes_makes_a_leader_that_appends_a_noop_and_heartbeats() {
    let mut n = node(1, 1, None, &[1]);
    timeout(&mut n);
    deliver(
        &mut n,
        0,
        RaftMsg::RequestVoteResponse {
            term: Term(2),
            vote_granted: true,
            shadow: false,
        },
    );
    assert_eq!(n.role(), Role::Candidate, "2 of 5 is no majority");
    deliver(
        &mut n,
        0,
        RaftMsg::RequestVoteResponse {
            term: Term(2),
            vote_granted: true,
            shadow: false,
        },
    );
    assert_eq!(n.role(), Role::Candidate, "a duplicated vote counts once");
    let effects = deliver(
        &mut n,
        2,
        RaftMsg::RequestVoteResponse {
            term: Term(2),
            vote_granted: true,
            shadow: false,
        },
    );
    assert_eq!(n.role(), Role::Leader);
    assert_eq!(terms(&n), vec![1, 2], "the no-op of §8");
    assert_eq!(
        sent(&effects)
            .iter()
            .filter(|(_, m)| matches!(m, RaftMsg::AppendEntries { .. }))
            .count(),
        4
    );
    assert!(
        n.next_index().iter().all(|i| *i == LogIndex(2)),
        "nextIndex = last log index + 1"
    );
}

#[test]
fn stale_vote_from_an_earlier_term_does_not_count() {
    let mut n = node(1, 1, None, &[]);
    timeout(&mut n); // term 2
    timeout(&mut n); // term 3
    deliver(
        &mut n,
        0,
        RaftMsg::RequestVoteResponse {
            term: Term(2),
            vote_granted: true,
            shadow: false,
        },
    );
    deliver(
        &mut n,
        2,
        RaftMsg::RequestVoteResponse {
            term: Term(2),
            vote_granted: true,
            shadow: false,
        },
    );
    assert_eq!(n.role(), Role::Candidate);
}

fn ack(n: &mut RaftNode, from: u16, match_index: u64) {
    let t = n.term();
    deliver(
        n,
        from,
        RaftMsg::AppendEntriesResponse {
            term: t,
            success: true,
            match_index: LogIndex(match_index),
            conflict_index: LogIndex(0),
            conflict_term: None,
            shadow: false,
        },
    );
}

#[test]
fn leader_commits_by_majority_match_index() {
    let mut n = node(1, 1, None, &[]);
    elect(&mut n); // term 2, no-op at 1
    ack(&mut n, 0, 1);
    assert_eq!(n.commit_index(), LogIndex(0), "2 of 5");
    ack(&mut n, 2, 1);
    assert_eq!(n.commit_index(), LogIndex(1), "3 of 5");
}

#[test]
fn leader_never_commits_an_earlier_term_entry_by_counting_5_4_2() {
    let config = RaftConfig::default().with_bug(faultlab_sim::raft::Bug::NoNoopOnElection);
    let durable = RaftDurable {
        current_term: Term(1),
        voted_for: None,
        log: log_of(&[1, 1]),
    };
    let mut n = RaftNode::boot(NodeId(1), &config, Some(&durable));
    let mut effects = Vec::new();
    {
        let mut ctx = Ctx::new(Tick(0), NodeId(1), &config, &mut effects);
        n.on_force_timeout(&mut ctx);
        for from in [0, 2] {
            n.on_message(
                NodeId(from),
                RaftMsg::RequestVoteResponse {
                    term: Term(2),
                    vote_granted: true,
                    shadow: false,
                },
                &mut ctx,
            );
        }
        assert_eq!(n.role(), Role::Leader);
        for from in [0, 2, 3] {
            let msg = RaftMsg::AppendEntriesResponse {
                term: Term(2),
                success: true,
                match_index: LogIndex(2),
                conflict_index: LogIndex(0),
                conflict_term: None,
                shadow: false,
            };
            n.on_message(NodeId(from), msg, &mut ctx);
        }
    }
    assert_eq!(
        n.commit_index(),
        LogIndex(0),
        "index 2 is on every node but from term 1"
    );
}

#[test]
fn leader_backs_off_next_index_and_retries_on_rejection() {
    let mut n = node(1, 1, None, &[1, 1, 1]);
    elect(&mut n); // log [1,1,1,2], nextIndex 4
    let t = n.term();
    let effects = deliver(
        &mut n,
        0,
        RaftMsg::AppendEntriesResponse {
            term: t,
            success: false,
            match_index: LogIndex(0),
            conflict_index: LogIndex(2),
            conflict_term: None,
            shadow: false,
        },
    );
    assert_eq!(n.next_index()[0], LogIndex(2));
    let retry = sent(&effects);
    assert!(
        matches!(&retry[..], [(to, RaftMsg::AppendEntries { prev_log_index: LogIndex(1), .. })] if *to == NodeId(0))
    );
}

#[test]
fn leader_steps_down_on_higher_term_reply() {
    let mut n = node(1, 1, None, &[]);
    elect(&mut n);
    deliver(
        &mut n,
        3,
        RaftMsg::AppendEntriesResponse {
            term: Term(9),
            success: false,
            match_index: LogIndex(0),
            conflict_index: LogIndex(0),
            conflict_term: None,
            shadow: false,
        },
    );
    assert_eq!((n.role(), n.term()), (Role::Follower, Term(9)));
}

#[test]
fn durable_state_survives_restart_volatile_does_not() {
    let mut n = node(1, 1, None, &[]);
    elect(&mut n);
    ack(&mut n, 0, 1);
    ack(&mut n, 2, 1);
    assert_eq!(n.commit_index(), LogIndex(1));
    let saved = n.durable();
    let back = RaftNode::boot(NodeId(1), &RaftConfig::default(), Some(&saved));
    assert_eq!(
        (back.term(), back.voted_for(), terms(&back)),
        (Term(2), Some(NodeId(1)), vec![2])
    );
    assert_eq!(
        (back.role(), back.commit_index(), back.last_applied()),
        (Role::Follower, LogIndex(0), LogIndex(0))
    );
}

#[test]
fn follower_forwards_client_requests_to_the_leader() {
    let mut n = node(1, 1, None, &[]);
    deliver(&mut n, 3, ae(1, 0, 0, &[], 0));
    let config = RaftConfig::default();
    let mut effects = Vec::new();
    let mut ctx = Ctx::new(Tick(0), NodeId(1), &config, &mut effects);
    n.on_request(
        RequestId(7),
        Op::Add(Track::new("8", "Forwarding Test", "Test Case 3-2", 180)),
        &mut ctx,
    );
    assert!(
        matches!(&sent(&effects)[..], [(to, RaftMsg::Forward { request: RequestId(7), .. })] if *to == NodeId(3))
    );
}
