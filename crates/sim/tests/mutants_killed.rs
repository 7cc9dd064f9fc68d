//! Tests written to kill the mutants that `./x mutants` found surviving (see
//! `docs/mutants.md`): each names the mutant it kills. Like `tests/raft_figure2.rs` they
//! drive one node through the `Node` trait and read its state and effects.

use faultlab_sim::raft::Raft;
use faultlab_sim::raft::{
    Bug, Command, Entry, LogIndex, Op, RaftConfig, RaftDurable, RaftMsg, RaftNode, RaftNote,
    RaftTimer, Role, Term, replicated_log::Log,
};
use faultlab_sim::{Ctx, Effect, Node, NodeId, RequestId, Tick};

// ----- harness (as in raft_figure2.rs, with a config) -----------------------------

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

struct Fixture {
    config: RaftConfig,
    n: RaftNode,
}

fn fixture(
    config: RaftConfig,
    id: u16,
    term: u64,
    voted_for: Option<u16>,
    terms: &[u64],
) -> Fixture {
    let durable = RaftDurable {
        current_term: Term(term),
        voted_for: voted_for.map(NodeId),
        log: log_of(terms),
    };
    let n = RaftNode::boot(NodeId(id), &config, Some(&durable));
    Fixture { config, n }
}

fn node(id: u16, term: u64, voted_for: Option<u16>, terms: &[u64]) -> Fixture {
    fixture(RaftConfig::default(), id, term, voted_for, terms)
}

impl Fixture {
    fn deliver(&mut self, from: u16, msg: RaftMsg) -> Vec<Effect<Raft>> {
        let mut effects = Vec::new();
        let mut ctx = Ctx::new(
            Tick(10_000),
            self.n.server().id(),
            &self.config,
            &mut effects,
        );
        self.n.on_message(NodeId(from), msg, &mut ctx);
        effects
    }

    fn timeout(&mut self) -> Vec<Effect<Raft>> {
        let mut effects = Vec::new();
        let mut ctx = Ctx::new(
            Tick(10_000),
            self.n.server().id(),
            &self.config,
            &mut effects,
        );
        self.n.on_force_timeout(&mut ctx);
        effects
    }

    fn vote(&mut self, from: u16, term: Term) -> Vec<Effect<Raft>> {
        self.deliver(
            from,
            RaftMsg::RequestVoteResponse {
                term,
                vote_granted: true,
                shadow: false,
            },
        )
    }

    /// Time out and collect the votes of nodes 0 and 2 (a majority of five with self).
    fn elect(&mut self) {
        self.timeout();
        let t = self.n.term();
        self.vote(0, t);
        self.vote(2, t);
        assert_eq!(self.n.role(), Role::Leader);
    }

    fn ack(&mut self, from: u16, match_index: u64) -> Vec<Effect<Raft>> {
        let term = self.n.term();
        self.reply(from, term, true, match_index, 0)
    }

    fn reply(
        &mut self,
        from: u16,
        term: Term,
        success: bool,
        match_index: u64,
        conflict_index: u64,
    ) -> Vec<Effect<Raft>> {
        self.deliver(
            from,
            RaftMsg::AppendEntriesResponse {
                term,
                success,
                match_index: LogIndex(match_index),
                conflict_index: LogIndex(conflict_index),
                conflict_term: None,
                shadow: false,
            },
        )
    }
}

fn sent(effects: &[Effect<Raft>]) -> Vec<(NodeId, RaftMsg)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { to, msg } => Some((*to, msg.clone())),
            _ => None,
        })
        .collect()
}

fn appends_sent(effects: &[Effect<Raft>]) -> usize {
    sent(effects)
        .iter()
        .filter(|(_, m)| matches!(m, RaftMsg::AppendEntries { .. }))
        .count()
}

fn notes(effects: &[Effect<Raft>]) -> Vec<RaftNote> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Note(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

fn cancels(effects: &[Effect<Raft>], timer: RaftTimer) -> bool {
    effects
        .iter()
        .any(|e| matches!(e, Effect::CancelTimer { timer: t } if *t == timer))
}

fn vote_reply(effects: &[Effect<Raft>]) -> (Term, bool) {
    sent(effects)
        .into_iter()
        .find_map(|(_, m)| match m {
            RaftMsg::RequestVoteResponse {
                term, vote_granted, ..
            } => Some((term, vote_granted)),
            _ => None,
        })
        .expect("a RequestVote response")
}

fn rv(term: Term, last_index: u64, last_term: u64) -> RaftMsg {
    RaftMsg::RequestVote {
        term,
        last_log_index: LogIndex(last_index),
        last_log_term: Term(last_term),
        shadow: false,
    }
}

// ----- election.rs ------------------------------------------------------------------

/// Kills `election.rs: replace == with != in Server::on_election_timeout`: a leader
/// forced to stand again disarms its heartbeat timer; a follower has none to disarm.
#[test]
fn forced_timeout_disarms_the_heartbeat_of_a_leader_only() {
    let mut f = node(1, 1, None, &[]);
    let effects = f.timeout();
    assert!(
        !cancels(&effects, RaftTimer::Heartbeat),
        "a follower has no heartbeat timer to cancel"
    );
    let t = f.n.term();
    f.vote(0, t);
    f.vote(2, t);
    assert_eq!(f.n.role(), Role::Leader);
    let effects = f.timeout();
    assert!(
        cancels(&effects, RaftTimer::Heartbeat),
        "the leader's heartbeat timer must stop when it becomes a candidate"
    );
    assert_eq!(f.n.role(), Role::Candidate);
}

/// Kills `election.rs: replace > with >= in Server::on_request_vote`: a `RequestVote`
/// of the node's own term is no reason to step down (only a higher term is, §5.1).
#[test]
fn request_vote_of_the_same_term_does_not_unseat_a_leader_or_candidate() {
    let mut f = node(1, 1, None, &[]);
    f.elect();
    let t = f.n.term();
    let effects = f.deliver(3, rv(t, 9, t.0));
    assert_eq!(vote_reply(&effects), (t, false), "already voted for itself");
    assert_eq!(
        f.n.role(),
        Role::Leader,
        "a rival candidate of the same term"
    );

    let mut f = node(1, 1, None, &[]);
    f.timeout();
    let t = f.n.term();
    f.vote(0, t);
    let effects = f.deliver(3, rv(t, 9, t.0));
    assert_eq!(vote_reply(&effects), (t, false));
    assert_eq!(f.n.role(), Role::Candidate);
    f.vote(2, t);
    assert_eq!(
        f.n.role(),
        Role::Leader,
        "the vote it had before the rival's request still counts"
    );
}

/// Kills `election.rs: replace += with -= / *= in Server::on_request_vote_response`
/// (the `stale-vote-counting` toggle): with the flaw on, every granted reply adds one
/// vote, even replies to an earlier election, so two of them elect the candidate.
#[test]
fn stale_vote_counting_counts_every_granted_reply() {
    let mut f = fixture(
        RaftConfig::default().with_bug(Bug::StaleVoteCounting),
        1,
        1,
        None,
        &[],
    );
    f.timeout(); // term 2
    f.timeout(); // term 3
    f.vote(0, Term(2));
    assert_eq!(f.n.role(), Role::Candidate, "2 of 5");
    f.vote(0, Term(2));
    assert_eq!(
        f.n.role(),
        Role::Leader,
        "the flaw: a duplicated reply of an earlier election made a majority"
    );
}

// ----- replication.rs ---------------------------------------------------------------

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

fn append_reply(effects: &[Effect<Raft>]) -> (Term, bool, LogIndex) {
    sent(effects)
        .into_iter()
        .find_map(|(_, m)| match m {
            RaftMsg::AppendEntriesResponse {
                term,
                success,
                match_index,
                ..
            } => Some((term, success, match_index)),
            _ => None,
        })
        .expect("an AppendEntries response")
}

/// Kills `replication.rs: replace > with == / < in Server::on_append_entries` (the
/// term check) and `replace && with || in Server::on_append_entries`: Figure 2, all
/// servers: "If RPC request or response contains term T > currentTerm: set
/// currentTerm = T, convert to follower", for `AppendEntries` too.
#[test]
fn append_entries_with_a_higher_term_is_adopted_by_a_follower() {
    let mut f = node(1, 1, Some(1), &[1]);
    let effects = f.deliver(3, ae(4, 1, 1, &[4], 0));
    assert_eq!(append_reply(&effects), (Term(4), true, LogIndex(2)));
    assert_eq!(
        (f.n.role(), f.n.term(), f.n.voted_for(), f.n.leader_hint()),
        (Role::Follower, Term(4), None, Some(NodeId(3)))
    );
}

/// Kills `replication.rs: replace > with >= in Server::on_append_entries`: a follower
/// hearing its leader of the same term stays a follower quietly (no `BecameFollower`
/// note on every heartbeat).
#[test]
fn same_term_heartbeat_does_not_note_a_new_follower() {
    let mut f = node(1, 2, None, &[1]);
    let effects = f.deliver(3, ae(2, 1, 1, &[], 0));
    assert!(append_reply(&effects).1);
    let became: Vec<RaftNote> = notes(&effects)
        .into_iter()
        .filter(|n| matches!(n, RaftNote::BecameFollower { .. }))
        .collect();
    assert!(became.is_empty(), "{became:?}");
    // A candidate of that term does become a follower, and says so.
    let mut f = node(1, 1, None, &[1]);
    f.timeout(); // term 2
    let effects = f.deliver(3, ae(2, 1, 1, &[], 0));
    assert_eq!(f.n.role(), Role::Follower);
    assert!(
        notes(&effects)
            .iter()
            .any(|n| matches!(n, RaftNote::BecameFollower { term: Term(2) }))
    );
}

/// Kills `replication.rs: replace == with != in Server::on_append_entries` (the role
/// test of `no-term-adoption-from-append`): the flaw keeps a *follower's* old term;
/// a candidate still adopts the leader's term and steps down.
#[test]
fn no_term_adoption_flaw_applies_to_followers_only() {
    let config = RaftConfig::default().with_bug(Bug::NoTermAdoptionFromAppend);
    let mut f = fixture(config.clone(), 1, 1, None, &[1]);
    let effects = f.deliver(3, ae(4, 1, 1, &[], 0));
    assert_eq!(append_reply(&effects).0, Term(1), "the flaw: the old term");
    assert_eq!((f.n.role(), f.n.term()), (Role::Follower, Term(1)));

    let mut f = fixture(config, 1, 1, None, &[1]);
    f.timeout(); // a candidate in term 2
    f.deliver(3, ae(4, 1, 1, &[], 0));
    assert_eq!((f.n.role(), f.n.term()), (Role::Follower, Term(4)));
}

/// Kills `replication.rs: replace == with != in Server::on_append_entries` (the leader
/// branch): a leader that hears another leader of its own term (possible only with
/// the seed's flaws) steps down, as the seed's servers did.
#[test]
fn leader_hearing_a_same_term_leader_steps_down() {
    let mut f = node(1, 1, None, &[]);
    f.elect();
    let t = f.n.term();
    let effects = f.deliver(3, ae(t.0, 0, 0, &[], 0));
    assert_eq!(f.n.role(), Role::Follower);
    assert_eq!(f.n.leader_hint(), Some(NodeId(3)));
    assert!(cancels(&effects, RaftTimer::Heartbeat));
}

/// Kills `replication.rs: replace > with >= in Server::on_append_entries` (rule 5's
/// guard): with `commit-index-regression` (rule 5 read literally) a request whose
/// leaderCommit is *not* above commitIndex still leaves commitIndex alone; only a
/// higher leaderCommit with a shorter reach lowers it.
#[test]
fn commit_index_regression_needs_a_higher_leader_commit() {
    let config = RaftConfig::default().with_bug(Bug::CommitIndexRegression);
    let mut f = fixture(config, 1, 2, None, &[1, 1, 1, 1]);
    f.deliver(0, ae(2, 4, 1, &[], 3));
    assert_eq!(f.n.commit_index(), LogIndex(3));
    f.deliver(0, ae(2, 1, 1, &[], 3));
    assert_eq!(
        f.n.commit_index(),
        LogIndex(3),
        "leaderCommit 3 is not > commitIndex 3: rule 5 does not apply"
    );
    f.deliver(0, ae(2, 1, 1, &[], 4));
    assert_eq!(f.n.commit_index(), LogIndex(1), "the flaw itself");
}

/// Kills `replication.rs: replace > with >= in Server::on_append_entries_response`
/// (`progressed`): a success reply that moves matchIndex sends the lagging follower
/// the rest at once; the same reply again (duplicated or reordered) sends nothing, or
/// every duplicate would start another stream of requests.
#[test]
fn only_a_progressing_ack_sends_the_rest_at_once() {
    let mut f = node(1, 1, None, &[1, 1, 1]);
    f.elect(); // log [1, 1, 1, 2]
    let effects = f.ack(0, 2);
    assert_eq!(f.n.match_index()[0], LogIndex(2));
    assert_eq!(appends_sent(&effects), 1, "entries 3.. go out at once");
    let effects = f.ack(0, 2);
    assert_eq!(appends_sent(&effects), 0, "a duplicate reply sends nothing");
    let effects = f.ack(0, 4);
    assert_eq!(appends_sent(&effects), 0, "the follower is up to date");
}

/// Kills `replication.rs: replace > with == / < / >= in
/// Server::on_append_entries_response` (`commit-on-first-ack`, R3-3): with the flaw
/// the first ACK commits the leader's whole log and notes it once; a later ACK with
/// nothing new commits nothing more.
#[test]
fn commit_on_first_ack_commits_the_whole_log_once() {
    let config = RaftConfig::default().with_bug(Bug::CommitOnFirstAck);
    let mut f = fixture(config, 1, 1, None, &[1, 1]);
    f.elect(); // log [1, 1, 2]
    let effects = f.ack(0, 0);
    assert_eq!(
        f.n.commit_index(),
        LogIndex(3),
        "the flaw: one ACK commits all"
    );
    let advanced = |effects: &[Effect<Raft>]| {
        notes(effects)
            .into_iter()
            .filter(|n| matches!(n, RaftNote::CommitAdvanced { .. }))
            .count()
    };
    assert_eq!(advanced(&effects), 1);
    let effects = f.ack(2, 0);
    assert_eq!(advanced(&effects), 0, "nothing new to commit");
    assert_eq!(f.n.last_applied(), LogIndex(3));
}

/// Kills `replication.rs: replace && with || in Server::on_append_entries_response`
/// (the retry after a rejection): a rejection that moves nextIndex is retried at once;
/// the same rejection again (a duplicate) moves nothing and sends nothing.
#[test]
fn only_a_rejection_that_moves_next_index_is_retried_at_once() {
    let mut f = node(1, 1, None, &[1, 1, 1]);
    f.elect(); // log [1, 1, 1, 2], nextIndex 4
    let t = f.n.term();
    let effects = f.reply(0, t, false, 0, 2);
    assert_eq!(f.n.next_index()[0], LogIndex(2));
    assert_eq!(appends_sent(&effects), 1);
    let effects = f.reply(0, t, false, 0, 2);
    assert_eq!(f.n.next_index()[0], LogIndex(2));
    assert_eq!(appends_sent(&effects), 0, "a duplicate rejection waits");
}

/// Kills `replication.rs: replace <= with > in Server::on_append_entries_response`
/// (`no-persistence`): without persistence a follower that restarted empty rejects
/// below what it had acknowledged, and the leader believes it (matchIndex drops); a
/// rejection above matchIndex leaves matchIndex alone.
#[test]
fn without_persistence_the_leader_believes_a_follower_that_lost_its_log() {
    let config = RaftConfig::default().with_bug(Bug::NoPersistence);
    let mut f = fixture(config, 1, 1, None, &[]);
    f.elect(); // log [2]
    f.ack(0, 1);
    f.ack(2, 1);
    assert_eq!(f.n.match_index()[0], LogIndex(1));
    let t = f.n.term();
    f.reply(2, t, false, 0, 3);
    assert_eq!(
        f.n.match_index()[2],
        LogIndex(1),
        "a rejection above matchIndex"
    );
    let effects = f.reply(0, t, false, 0, 1);
    assert_eq!(f.n.match_index()[0], LogIndex(0), "it restarted empty");
    assert_eq!(f.n.next_index()[0], LogIndex(1));
    assert_eq!(
        appends_sent(&effects),
        1,
        "and is sent the log from the start"
    );
}

/// Kills `replication.rs: delete ! in Server::apply_committed`: a client request that
/// reached the log twice (a retry that the leader appended again) changes the queue
/// once; only the `no-request-dedup` flaw applies it twice.
#[test]
fn a_write_committed_twice_is_applied_once() {
    let vote = Command::Client {
        request: RequestId(2),
        op: Op::Vote {
            id: "a".into(),
            up: true,
        },
    };
    let entries = vec![
        Entry::new(
            Term(1),
            Command::Client {
                request: RequestId(1),
                op: Op::Add(faultlab_sim::raft::Track::new("a", "A", "B", 60)),
            },
        ),
        Entry::new(Term(1), vote.clone()),
        Entry::new(Term(1), vote),
    ];
    let votes_after = |config: RaftConfig| {
        let mut f = fixture(config, 1, 1, None, &[]);
        f.deliver(
            0,
            RaftMsg::AppendEntries {
                term: Term(1),
                prev_log_index: LogIndex(0),
                prev_log_term: Term(0),
                entries: entries.clone(),
                leader_commit: LogIndex(3),
                shadow: false,
            },
        );
        assert_eq!(f.n.last_applied(), LogIndex(3));
        f.n.machine().queue[0].votes
    };
    assert_eq!(votes_after(RaftConfig::default()), 1);
    assert_eq!(
        votes_after(RaftConfig::default().with_bug(Bug::NoRequestDedup)),
        2,
        "the flaw"
    );
}

// ----- twopc/coordinator.rs ---------------------------------------------------------
//
// One coordinator, driven directly: http-node1 (node 0) of the default six nodes
// coordinates grpc-node1..3 (nodes 3, 4, 5).

mod twopc {
    use faultlab_sim::twopc::msg::AbortReason;
    use faultlab_sim::twopc::{
        Bug, BugSet, CoordinatorState, Phase, Rpc, TwoPc, TwoPcConfig, TwoPcMsg, TwoPcNode,
        TwoPcRequest, TwoPcTimer, TxId,
    };
    use faultlab_sim::{Ctx, Effect, Node, NodeId, RequestId, Tick};

    pub(super) struct Coord {
        pub(super) config: TwoPcConfig,
        pub(super) n: TwoPcNode,
    }

    pub(super) const PARTICIPANTS: [u16; 3] = [3, 4, 5];

    pub(super) fn coordinator(bugs: &[Bug]) -> Coord {
        coordinator_of(3, bugs)
    }

    /// Three HTTP nodes and `grpc` participants (nodes 3, 4, ...).
    pub(super) fn coordinator_of(grpc: usize, bugs: &[Bug]) -> Coord {
        let mut config = TwoPcConfig::with_nodes(6);
        config.grpc_nodes = grpc;
        config.bugs = BugSet::of(bugs);
        let n = TwoPcNode::boot(NodeId(0), &config, None);
        Coord { config, n }
    }

    impl Coord {
        fn with_ctx(
            &mut self,
            f: impl FnOnce(&mut TwoPcNode, &mut Ctx<'_, TwoPc>),
        ) -> Vec<Effect<TwoPc>> {
            let mut effects = Vec::new();
            let mut ctx = Ctx::new(Tick(1_000), NodeId(0), &self.config, &mut effects);
            f(&mut self.n, &mut ctx);
            effects
        }

        /// A client's delete-2pc of `a.png`; returns the new transaction.
        pub(super) fn begin(&mut self) -> (TxId, Vec<Effect<TwoPc>>) {
            self.begin_with(TwoPcRequest::Delete2pc {
                filename: "a.png".to_owned(),
            })
        }

        /// A client's request (a delete-2pc or upload-2pc); returns the newest
        /// transaction.
        pub(super) fn begin_with(&mut self, request: TwoPcRequest) -> (TxId, Vec<Effect<TwoPc>>) {
            let effects = self.request(request);
            let tx = *self.n.coordinated().keys().last().expect("a transaction");
            (tx, effects)
        }

        pub(super) fn request(&mut self, request: TwoPcRequest) -> Vec<Effect<TwoPc>> {
            self.with_ctx(|n, ctx| n.on_request(RequestId(1), request, ctx))
        }

        pub(super) fn deliver(&mut self, from: u16, rpc: Rpc) -> Vec<Effect<TwoPc>> {
            let (from_phase, to_phase) = match rpc {
                Rpc::VoteCommit { .. } | Rpc::VoteAbort { .. } => (Phase::Voting, Phase::Voting),
                _ => (Phase::Decision, Phase::Decision),
            };
            let msg = TwoPcMsg {
                from_phase,
                to_phase,
                rpc,
            };
            self.with_ctx(|n, ctx| n.on_message(NodeId(from), msg, ctx))
        }

        pub(super) fn vote(&mut self, from: u16, tx: TxId, commit: bool) -> Vec<Effect<TwoPc>> {
            let rpc = if commit {
                Rpc::VoteCommit { tx }
            } else {
                Rpc::VoteAbort {
                    tx,
                    reason: AbortReason::NotFound,
                }
            };
            self.deliver(from, rpc)
        }

        pub(super) fn timer(&mut self, timer: TwoPcTimer) -> Vec<Effect<TwoPc>> {
            self.with_ctx(|n, ctx| n.on_timer(timer, ctx))
        }

        pub(super) fn state(&self, tx: TxId) -> Option<CoordinatorState> {
            self.n.coordinator_state(tx)
        }
    }

    /// The RPCs sent, with their destinations.
    pub(super) fn sent(effects: &[Effect<TwoPc>]) -> Vec<(NodeId, Rpc)> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send { to, msg } => Some((*to, msg.rpc.clone())),
                _ => None,
            })
            .collect()
    }
}

use faultlab_sim::twopc::{Bug as TwoPcBug, CoordinatorState};
use faultlab_sim::twopc::{Rpc, TwoPcTimer};
use twopc::{PARTICIPANTS, coordinator, coordinator_of, sent as sent_rpcs};

/// Kills `coordinator.rs: replace || with && in TwoPcNode::on_vote`: a vote from a
/// node that is not a participant of the transaction (here another HTTP node) is
/// ignored, even a `VoteAbort` while the coordinator waits.
#[test]
fn a_vote_from_a_non_participant_is_ignored() {
    let mut c = coordinator(&[]);
    let (tx, _) = c.begin();
    c.vote(1, tx, false);
    assert_eq!(
        c.state(tx),
        Some(CoordinatorState::Wait),
        "http-node2 has no say"
    );
    for p in PARTICIPANTS {
        c.vote(p, tx, true);
    }
    assert_eq!(c.state(tx), Some(CoordinatorState::Commit));
}

/// Kills `coordinator.rs: replace > with == / < / >= and * with + / / in
/// TwoPcNode::on_vote` (`commit-on-majority-votes`): with the flaw the coordinator
/// commits once more than half of the participants voted yes: 2 of 3, 3 of 4, 3 of 5,
/// and not on half (2 of 4) or fewer.
#[test]
fn commit_on_majority_votes_needs_more_than_half() {
    let after_yes = |participants: usize, yes: usize| {
        let mut c = coordinator_of(participants, &[TwoPcBug::CommitOnMajorityVotes]);
        let (tx, _) = c.begin();
        for p in 0..yes {
            c.vote(3 + u16::try_from(p).expect("small"), tx, true);
        }
        c.state(tx).expect("known")
    };
    for (participants, yes, state) in [
        (3, 1, CoordinatorState::Wait),
        (3, 2, CoordinatorState::Commit),
        (4, 2, CoordinatorState::Wait),
        (4, 3, CoordinatorState::Commit),
        (5, 2, CoordinatorState::Wait),
        (5, 3, CoordinatorState::Commit),
    ] {
        assert_eq!(
            after_yes(participants, yes),
            state,
            "{yes} yes of {participants}"
        );
    }
    // Without the flaw: every participant's yes.
    let mut c = coordinator_of(3, &[]);
    let (tx, _) = c.begin();
    c.vote(3, tx, true);
    c.vote(4, tx, true);
    assert_eq!(c.state(tx), Some(CoordinatorState::Wait));
}

/// Kills `coordinator.rs: replace && with || in TwoPcNode::decide` (the P-7 guard): a
/// committed delete-2pc leaves the coordinator's own store alone, its version too
/// (the page redraws a node's pictures when that version moves).
#[test]
fn a_committed_delete_leaves_the_coordinator_store_version_alone() {
    let mut c = coordinator(&[]);
    let (tx, _) = c.begin();
    let before = c.n.store_version();
    for p in PARTICIPANTS {
        c.vote(p, tx, true);
    }
    assert_eq!(c.state(tx), Some(CoordinatorState::Commit));
    assert_eq!(c.n.store_version(), before);
}

/// Kills `coordinator.rs: replace == with != and += with -= / *= in TwoPcNode::decide`
/// (`coordinator-deletes-own-copy`, P-7): the flaw deletes the coordinator's own copy
/// on a committed delete-2pc only (not on upload-2pc), and bumps its store version.
#[test]
fn coordinator_deletes_own_copy_flaw_on_delete_only() {
    use faultlab_sim::twopc::TwoPcRequest;
    let mut c = coordinator(&[TwoPcBug::CoordinatorDeletesOwnCopy]);
    c.request(TwoPcRequest::Upload {
        filename: "a.png".to_owned(),
    });
    assert!(c.n.pictures().contains_key("a.png"));
    let (tx, _) = c.begin_with(TwoPcRequest::Upload2pc {
        filename: "a.png".to_owned(),
    });
    for p in PARTICIPANTS {
        c.vote(p, tx, true);
    }
    assert_eq!(c.state(tx), Some(CoordinatorState::Commit));
    assert!(c.n.pictures().contains_key("a.png"), "upload-2pc: kept");
    let before = c.n.store_version();
    let (tx, _) = c.begin();
    for p in PARTICIPANTS {
        c.vote(p, tx, true);
    }
    assert_eq!(c.state(tx), Some(CoordinatorState::Commit));
    assert!(!c.n.pictures().contains_key("a.png"), "the flaw");
    assert_eq!(c.n.store_version(), before + 1);
}

/// The decisions (`GlobalCommit`/`GlobalAbort`) among `effects`, by destination.
fn decisions_to(effects: &[Effect<faultlab_sim::twopc::TwoPc>]) -> Vec<u16> {
    sent_rpcs(effects)
        .into_iter()
        .filter(|(_, r)| matches!(r, Rpc::GlobalCommit { .. } | Rpc::GlobalAbort { .. }))
        .map(|(to, _)| to.0)
        .collect()
}

fn handoff(tx: faultlab_sim::twopc::TxId) -> Rpc {
    Rpc::GlobalCommit {
        tx,
        body: faultlab_sim::twopc::TxBody {
            op: faultlab_sim::twopc::TxOp::Delete,
            filename: "a.png".to_owned(),
            started_at: Tick(1_000),
        },
    }
}

/// Kills both `coordinator.rs: replace || with && in TwoPcNode::on_decision_handoff`:
/// the Decision phase takes the hand-off once; a duplicate of it (or one after every
/// Ack is in) sends nothing.
#[test]
fn the_decision_hand_off_is_taken_once() {
    let mut c = coordinator(&[]);
    let (tx, _) = c.begin();
    for p in PARTICIPANTS {
        c.vote(p, tx, true);
    }
    let effects = c.deliver(0, handoff(tx));
    assert_eq!(decisions_to(&effects), vec![3, 4, 5]);
    let effects = c.deliver(0, handoff(tx));
    assert_eq!(
        decisions_to(&effects),
        Vec::<u16>::new(),
        "a duplicate hand-off"
    );
    for p in PARTICIPANTS {
        c.deliver(p, Rpc::Ack { tx });
    }
    let effects = c.deliver(0, handoff(tx));
    assert_eq!(
        decisions_to(&effects),
        Vec::<u16>::new(),
        "the transaction ended"
    );
}

/// Run `f`, failing if it has not returned after `secs` seconds (a mutant that makes
/// a loop spin then fails fast instead of hanging until cargo-mutants' timeout).
fn within_seconds(secs: u64, f: impl FnOnce() + Send + 'static) {
    let (done, finished) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        f();
        let _ = done.send(());
    });
    match finished.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(()) => worker.join().expect("the test body"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            // The body panicked: report its panic.
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("still running after {secs} s: a loop that never ends")
        }
    }
}

/// The participants named by `NoResponse` notes among `effects`.
fn no_response(effects: &[Effect<faultlab_sim::twopc::TwoPc>]) -> Vec<u16> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Note(faultlab_sim::twopc::TwoPcNote::NoResponse { node, .. }) => Some(node.0),
            _ => None,
        })
        .collect()
}

/// Kills `coordinator.rs: replace += with -= / *= in TwoPcNode::distribute` and
/// `delete ! in TwoPcNode::on_decision_retry` (the `NoResponse` note)
/// (`sequential-2s-calls`, P-8): a retry pass skips the participants that already
/// acknowledged and calls the first one that has not; a call that timed out unanswered
/// is noted.
#[test]
fn sequential_retry_pass_skips_acknowledged_participants() {
    // A wrong skip loop spins forever: fail in seconds instead of hanging.
    within_seconds(10, || {
        let mut c = coordinator(&[TwoPcBug::Sequential2sCalls]);
        let (tx, _) = c.begin();
        for p in PARTICIPANTS {
            c.vote(p, tx, true);
        }
        assert_eq!(c.state(tx), Some(CoordinatorState::Commit));
        assert_eq!(decisions_to(&c.deliver(0, handoff(tx))), vec![3]);
        assert_eq!(decisions_to(&c.deliver(3, Rpc::Ack { tx })), vec![4]);
        // grpc-node2 (node 4) does not answer: its call times out, and says so.
        let effects = c.timer(TwoPcTimer::DecisionRetry(tx));
        assert_eq!(decisions_to(&effects), vec![5]);
        assert_eq!(no_response(&effects), vec![4]);
        assert_eq!(
            decisions_to(&c.deliver(5, Rpc::Ack { tx })),
            Vec::<u16>::new()
        );
        // The next pass starts over from the first participant that owes an Ack.
        let effects = c.timer(TwoPcTimer::DecisionRetry(tx));
        assert_eq!(decisions_to(&effects), vec![4]);
        assert_eq!(
            no_response(&effects),
            Vec::<u16>::new(),
            "nobody's call was open"
        );
    });
}

fn arms_retry(effects: &[Effect<faultlab_sim::twopc::TwoPc>]) -> bool {
    effects.iter().any(|e| {
        matches!(
            e,
            Effect::SetTimer {
                timer: TwoPcTimer::DecisionRetry(_),
                ..
            }
        )
    })
}

/// Kills both `coordinator.rs: delete ! in TwoPcNode::on_decision_retry`: while the
/// hand-off inside the node is unconfirmed the retry resends the hand-off (to the node
/// itself) and re-arms; once it is taken, the retry resends the decision to the
/// participants that owe an Ack.
#[test]
fn decision_retry_resends_the_hand_off_or_the_decision() {
    let mut c = coordinator(&[]);
    let (tx, _) = c.begin();
    for p in PARTICIPANTS {
        c.vote(p, tx, true);
    }
    // The hand-off (sent by `decide`) was lost.
    let effects = c.timer(TwoPcTimer::DecisionRetry(tx));
    assert_eq!(decisions_to(&effects), vec![0], "the hand-off again");
    assert!(arms_retry(&effects));
    c.deliver(0, handoff(tx));
    c.deliver(3, Rpc::Ack { tx });
    let effects = c.timer(TwoPcTimer::DecisionRetry(tx));
    assert_eq!(decisions_to(&effects), vec![4, 5], "those that owe an Ack");
    assert!(arms_retry(&effects));
}

/// Kills `coordinator.rs: replace || with && in TwoPcNode::on_ack` and `replace && with
/// || in TwoPcNode::on_ack`: an Ack from the first participant sends nothing more
/// (outside `sequential-2s-calls`), and a duplicate Ack after the end writes no
/// second END record.
#[test]
fn acks_end_the_transaction_once_and_send_nothing() {
    use faultlab_sim::twopc::WalRecord;
    let mut c = coordinator(&[]);
    let (tx, _) = c.begin();
    for p in PARTICIPANTS {
        c.vote(p, tx, true);
    }
    c.deliver(0, handoff(tx));
    let effects = c.deliver(3, Rpc::Ack { tx });
    assert_eq!(decisions_to(&effects), Vec::<u16>::new());
    c.deliver(4, Rpc::Ack { tx });
    c.deliver(5, Rpc::Ack { tx });
    let ends = |c: &twopc::Coord| {
        c.n.wal()
            .iter()
            .filter(|r| matches!(r, WalRecord::End { .. }))
            .count()
    };
    assert_eq!(ends(&c), 1);
    c.deliver(5, Rpc::Ack { tx });
    assert_eq!(ends(&c), 1, "a duplicate Ack after the end");
}

/// Kills `coordinator.rs: delete ! in TwoPcNode::on_ack` (`decision-not-logged-before-send`):
/// the flaw writes the decision at the first Ack, once.
#[test]
fn late_decision_record_is_written_once() {
    use faultlab_sim::twopc::WalRecord;
    let mut c = coordinator(&[TwoPcBug::DecisionNotLoggedBeforeSend]);
    let (tx, _) = c.begin();
    for p in PARTICIPANTS {
        c.vote(p, tx, true);
    }
    let decisions = |c: &twopc::Coord| {
        c.n.wal()
            .iter()
            .filter(|r| matches!(r, WalRecord::Decision { .. }))
            .count()
    };
    assert_eq!(decisions(&c), 0, "the flaw: not before the send");
    c.deliver(0, handoff(tx));
    c.deliver(3, Rpc::Ack { tx });
    assert_eq!(decisions(&c), 1, "written at the first Ack");
    c.deliver(4, Rpc::Ack { tx });
    assert_eq!(decisions(&c), 1, "and only then");
}

// ----- twopc/participant.rs ---------------------------------------------------------

/// grpc-node1 (node 3) of the default six nodes, driven directly.
fn participant() -> (
    faultlab_sim::twopc::TwoPcConfig,
    faultlab_sim::twopc::TwoPcNode,
) {
    let config = faultlab_sim::twopc::TwoPcConfig::default();
    let n = faultlab_sim::twopc::TwoPcNode::boot(NodeId(3), &config, None);
    (config, n)
}

fn upload_body() -> faultlab_sim::twopc::TxBody {
    faultlab_sim::twopc::TxBody {
        op: faultlab_sim::twopc::TxOp::Upload,
        filename: "b.png".to_owned(),
        started_at: Tick(1_000),
    }
}

fn to_participant(
    config: &faultlab_sim::twopc::TwoPcConfig,
    n: &mut faultlab_sim::twopc::TwoPcNode,
    from: u16,
    rpc: Rpc,
) -> Vec<Effect<faultlab_sim::twopc::TwoPc>> {
    use faultlab_sim::twopc::{Phase, TwoPcMsg};
    let (from_phase, to_phase) = match rpc {
        Rpc::VoteRequest { .. } => (Phase::Voting, Phase::Voting),
        Rpc::VoteCommit { .. } => (Phase::Voting, Phase::Decision),
        _ => (Phase::Decision, Phase::Decision),
    };
    let msg = TwoPcMsg {
        from_phase,
        to_phase,
        rpc,
    };
    let mut effects = Vec::new();
    let mut ctx = Ctx::new(Tick(2_000), NodeId(3), config, &mut effects);
    n.on_message(NodeId(from), msg, &mut ctx);
    effects
}

/// Kills `participant.rs: replace TwoPcNode::on_ready_handoff with ()`: the READY
/// hand-off from the Voting phase reaches the Decision phase (`ParticipantTx::
/// handed_off`, public state; nothing in the engine reads it yet).
#[test]
fn the_ready_hand_off_is_recorded() {
    let (config, mut n) = participant();
    let tx = faultlab_sim::twopc::TxId {
        coordinator: NodeId(0),
        seq: 1,
    };
    let effects = to_participant(
        &config,
        &mut n,
        0,
        Rpc::VoteRequest {
            tx,
            body: upload_body(),
        },
    );
    assert!(
        sent_rpcs(&effects).contains(&(NodeId(3), Rpc::VoteCommit { tx })),
        "the hand-off goes to the node itself"
    );
    assert!(!n.participating()[&tx].handed_off);
    to_participant(&config, &mut n, 3, Rpc::VoteCommit { tx });
    assert!(n.participating()[&tx].handed_off);
}

/// Kills `participant.rs: replace match guard ... with true in TwoPcNode::on_global`
/// and `replace && with || in TwoPcNode::on_global`: a duplicate decision (a retry
/// after a lost Ack) is acknowledged again but not applied again: no second OUTCOME
/// record, the store untouched.
#[test]
fn a_duplicate_decision_is_acknowledged_not_reapplied() {
    use faultlab_sim::twopc::WalRecord;
    let (config, mut n) = participant();
    let tx = faultlab_sim::twopc::TxId {
        coordinator: NodeId(0),
        seq: 1,
    };
    let body = upload_body();
    to_participant(
        &config,
        &mut n,
        0,
        Rpc::VoteRequest {
            tx,
            body: body.clone(),
        },
    );
    let commit = Rpc::GlobalCommit {
        tx,
        body: body.clone(),
    };
    to_participant(&config, &mut n, 0, commit.clone());
    assert!(n.pictures().contains_key("b.png"));
    let outcomes = |n: &faultlab_sim::twopc::TwoPcNode| {
        n.wal()
            .iter()
            .filter(|r| matches!(r, WalRecord::Outcome { .. }))
            .count()
    };
    let (version, records) = (n.store_version(), outcomes(&n));
    assert_eq!(records, 1);
    let effects = to_participant(&config, &mut n, 0, commit);
    assert!(sent_rpcs(&effects).contains(&(NodeId(0), Rpc::Ack { tx })));
    assert_eq!((n.store_version(), outcomes(&n)), (version, records));

    // The same for an abort this participant decided on its own (it lacked the picture).
    let tx2 = faultlab_sim::twopc::TxId {
        coordinator: NodeId(0),
        seq: 2,
    };
    let delete = faultlab_sim::twopc::TxBody {
        op: faultlab_sim::twopc::TxOp::Delete,
        filename: "missing.png".to_owned(),
        started_at: Tick(1_500),
    };
    to_participant(
        &config,
        &mut n,
        0,
        Rpc::VoteRequest {
            tx: tx2,
            body: delete.clone(),
        },
    );
    let records = outcomes(&n);
    to_participant(
        &config,
        &mut n,
        0,
        Rpc::GlobalAbort {
            tx: tx2,
            body: delete,
        },
    );
    assert_eq!(
        outcomes(&n),
        records,
        "already ABORT: nothing more to record"
    );
}

/// A participant holding `c.png` that voted commit on tx 1 (a delete-2pc, so the file
/// is locked) and abort on tx 2 (the same delete, refused: locked), then hears
/// `GLOBAL_COMMIT` for tx 2 (a flawed coordinator's decision).
fn commit_after_a_refusal(
    bugs: &[TwoPcBug],
) -> (faultlab_sim::twopc::TwoPcNode, faultlab_sim::twopc::TxId) {
    use faultlab_sim::twopc::{BugSet, TwoPcRequest};
    let (mut config, mut n) = participant();
    config.bugs = BugSet::of(bugs);
    let mut effects = Vec::new();
    let mut ctx = Ctx::new(Tick(500), NodeId(3), &config, &mut effects);
    n.on_request(
        RequestId(1),
        TwoPcRequest::Upload {
            filename: "c.png".to_owned(),
        },
        &mut ctx,
    );
    assert!(n.pictures().contains_key("c.png"));
    let body = faultlab_sim::twopc::TxBody {
        op: faultlab_sim::twopc::TxOp::Delete,
        filename: "c.png".to_owned(),
        started_at: Tick(1_000),
    };
    let tx = |seq| faultlab_sim::twopc::TxId {
        coordinator: NodeId(0),
        seq,
    };
    for seq in [1, 2] {
        to_participant(
            &config,
            &mut n,
            0,
            Rpc::VoteRequest {
                tx: tx(seq),
                body: body.clone(),
            },
        );
    }
    assert_eq!(
        n.participant_state(tx(2)),
        Some(faultlab_sim::twopc::ParticipantState::Abort)
    );
    to_participant(&config, &mut n, 0, Rpc::GlobalCommit { tx: tx(2), body });
    (n, tx(2))
}

/// Kills `participant.rs: replace && with || in TwoPcNode::on_global`: a participant
/// that voted abort never applies a commit of that transaction.
#[test]
fn a_participant_that_voted_abort_ignores_a_commit() {
    let (n, tx) = commit_after_a_refusal(&[]);
    assert_eq!(
        n.participant_state(tx),
        Some(faultlab_sim::twopc::ParticipantState::Abort)
    );
    assert!(n.pictures().contains_key("c.png"));
}

/// Kills `participant.rs: replace == with != (twice) in TwoPcNode::on_global`
/// (`txid-blind-decision`, P-5): with the flaw the participant applies the commit by
/// filename whatever it voted.
#[test]
fn txid_blind_decision_applies_a_commit_it_voted_against() {
    let (n, tx) = commit_after_a_refusal(&[TwoPcBug::TxidBlindDecision]);
    assert_eq!(
        n.participant_state(tx),
        Some(faultlab_sim::twopc::ParticipantState::Commit)
    );
    assert!(!n.pictures().contains_key("c.png"), "the flaw");
}

/// Kills `participant.rs: replace != with == and += with *= in TwoPcNode::finish`:
/// applying a commit notes the READY → COMMIT step and moves the store version (the
/// page redraws the node's pictures on it).
#[test]
fn applying_a_commit_notes_the_step_and_moves_the_store_version() {
    use faultlab_sim::twopc::{ParticipantState, TwoPcNote};
    let (config, mut n) = participant();
    let tx = faultlab_sim::twopc::TxId {
        coordinator: NodeId(0),
        seq: 1,
    };
    to_participant(
        &config,
        &mut n,
        0,
        Rpc::VoteRequest {
            tx,
            body: upload_body(),
        },
    );
    let before = n.store_version();
    let effects = to_participant(
        &config,
        &mut n,
        0,
        Rpc::GlobalCommit {
            tx,
            body: upload_body(),
        },
    );
    assert_eq!(n.store_version(), before + 1);
    let steps: Vec<(ParticipantState, ParticipantState)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Note(TwoPcNote::Participant { from, to, .. }) => Some((*from, *to)),
            _ => None,
        })
        .collect();
    assert_eq!(
        steps,
        vec![(ParticipantState::Ready, ParticipantState::Commit)]
    );
}

// ----- raft/replicated_log.rs: the log's own bookkeeping -------------------------------
//
// The protocol reads few of these (the checkers, the explorer and the as-submitted
// paths read the rest), so they are pinned here one by one.

mod replicated_log {
    use faultlab_sim::RequestId;
    use faultlab_sim::raft::replicated_log::Log;
    use faultlab_sim::raft::types::{LogIndex, Term};
    use faultlab_sim::raft::{Command, Entry, Op};

    fn noop(t: u64) -> Entry {
        Entry::new(Term(t), Command::Noop)
    }

    fn write(t: u64, r: u64) -> Entry {
        Entry::new(
            Term(t),
            Command::Client {
                request: RequestId(r),
                op: Op::Play,
            },
        )
    }

    /// Terms 1 1 2 2 2 3.
    fn sample() -> Log {
        let mut log = Log::new();
        for (t, r) in [(1, 1), (1, 2), (2, 3), (2, 4), (2, 5), (3, 6)] {
            log.append(write(t, r));
        }
        log
    }

    #[test]
    fn length_and_emptiness() {
        let mut log = Log::new();
        assert_eq!((log.len(), log.is_empty()), (0, true));
        assert_eq!(log.append(noop(1)), LogIndex(1));
        assert_eq!((log.len(), log.is_empty()), (1, false));
        assert_eq!(sample().len(), 6);
    }

    #[test]
    fn versions_and_truncations_count_every_change() {
        let mut log = Log::new();
        assert_eq!((log.version(), log.truncations()), (0, 0));
        log.append(noop(1));
        log.append(noop(1));
        assert_eq!((log.version(), log.truncations()), (2, 0));
        log.truncate_from(LogIndex(3)); // past the end: nothing removed
        assert_eq!((log.version(), log.truncations()), (2, 0));
        log.truncate_from(LogIndex(2));
        assert_eq!((log.version(), log.truncations(), log.len()), (3, 1, 1));
        log.truncate_from(LogIndex(1));
        assert_eq!((log.version(), log.truncations(), log.len()), (4, 2, 0));
    }

    #[test]
    fn prefix_fingerprints_tell_prefixes_apart() {
        let a = sample();
        let mut b = sample();
        assert_eq!(a.prefix_fingerprint(LogIndex::ZERO), Some(0));
        assert_eq!(a.prefix_fingerprint(LogIndex(7)), None);
        let fps: Vec<u64> = (1..=6)
            .map(|i| a.prefix_fingerprint(LogIndex(i)).expect("in the log"))
            .collect();
        for (i, x) in fps.iter().enumerate() {
            assert!(
                !fps[..i].contains(x),
                "prefix {} has its own fingerprint",
                i + 1
            );
            assert_ne!(*x, 0);
            assert_ne!(*x, 1);
        }
        b.truncate_from(LogIndex(6));
        b.append(write(4, 6));
        assert_eq!(
            a.prefix_fingerprint(LogIndex(5)),
            b.prefix_fingerprint(LogIndex(5))
        );
        assert_ne!(
            a.prefix_fingerprint(LogIndex(6)),
            b.prefix_fingerprint(LogIndex(6))
        );
    }

    #[test]
    fn equality_needs_the_same_entries_and_history() {
        assert_eq!(sample(), sample());
        let mut shorter = sample();
        shorter.truncate_from(LogIndex(6));
        assert_ne!(sample(), shorter);
        let mut other = sample();
        other.truncate_from(LogIndex(6));
        other.append(write(3, 6));
        // Same entries, but one more truncation in its history.
        assert_eq!(other.entries(), sample().entries());
        assert_ne!(other, sample());
        let mut changed = sample();
        changed.truncate_from(LogIndex(6));
        changed.append(write(3, 7));
        let mut twice = sample();
        twice.truncate_from(LogIndex(6));
        twice.append(write(3, 6));
        assert_ne!(
            changed, twice,
            "different last entry, same truncation count"
        );
    }

    #[test]
    fn term_searches_find_the_edges_of_a_term() {
        let log = sample();
        assert_eq!(log.last_index_of_term(Term(1)), Some(LogIndex(2)));
        assert_eq!(log.last_index_of_term(Term(2)), Some(LogIndex(5)));
        assert_eq!(log.last_index_of_term(Term(9)), None);
        assert_eq!(
            log.first_index_of_term_before(Term(2), LogIndex(5)),
            LogIndex(3)
        );
        assert_eq!(
            log.first_index_of_term_before(Term(2), LogIndex(4)),
            LogIndex(3)
        );
        assert_eq!(
            log.first_index_of_term_before(Term(1), LogIndex(2)),
            LogIndex(1)
        );
        assert_eq!(
            log.first_index_of_term_before(Term(3), LogIndex(5)),
            LogIndex(5)
        );
        assert_eq!(
            log.first_index_of_term_before(Term(2), LogIndex(1)),
            LogIndex(1)
        );
    }

    #[test]
    fn a_deserialised_log_rebuilds_its_fingerprints() {
        let log = sample();
        let text = serde_json::to_string(&log).expect("a log serialises");
        let mut back: Log = serde_json::from_str(&text).expect("and reads back");
        assert_eq!(
            back.prefix_fingerprint(LogIndex(3)),
            None,
            "fingerprints are not stored"
        );
        back.rebuild();
        assert_eq!(back, log);
        assert_eq!(
            back.prefix_fingerprint(LogIndex(3)),
            log.prefix_fingerprint(LogIndex(3))
        );
    }

    #[test]
    fn replace_all_keeps_the_common_prefix_and_counts_one_truncation() {
        let mut log = sample();
        let mut new: Vec<Entry> = log.entries()[..3].to_vec();
        new.push(write(4, 9));
        log.replace_all(&new);
        assert_eq!(log.entries(), &new[..]);
        assert_eq!(log.truncations(), 1);
        // The same entries again change nothing.
        let before = log.version();
        log.replace_all(&new);
        assert_eq!((log.version(), log.truncations()), (before, 1));
        // A longer log only appends.
        let mut longer = new.clone();
        longer.push(write(4, 10));
        log.replace_all(&longer);
        assert_eq!((log.len(), log.truncations()), (5, 1));
        // Same index and term but another request: that entry changed.
        let mut swapped = longer.clone();
        swapped[4] = write(4, 11);
        log.replace_all(&swapped);
        assert_eq!((log.entries(), log.truncations()), (&swapped[..], 2));
    }
}

/// The client answers among a handler's effects, in order.
fn client_replies(
    effects: &[Effect<Raft>],
) -> Vec<(RequestId, faultlab_sim::raft::client::Response)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Reply { request, response } => Some((*request, response.clone())),
            _ => None,
        })
        .collect()
}

// ----- raft/server/clients.rs: relaying a forwarded request's answer --------------------

mod forward_replies {
    use faultlab_sim::raft::client::{Response, TimeoutReason};
    use faultlab_sim::raft::types::Term;
    use faultlab_sim::raft::{Mode, Op, Raft, RaftConfig, RaftDurable, RaftMsg};
    use faultlab_sim::testkit::Harness;
    use faultlab_sim::{Effect, NodeId, RequestId, Tick};

    const LEADER: NodeId = NodeId(0);
    const ME: NodeId = NodeId(1);
    const REQ: RequestId = RequestId(7);

    /// A follower of term 1 that knows its leader and has forwarded request 7 to it.
    fn forwarding(mode: Mode) -> Harness<Raft> {
        let durable = RaftDurable {
            current_term: Term(1),
            voted_for: Some(LEADER),
            log: faultlab_sim::raft::replicated_log::Log::new(),
        };
        let mut h = Harness::boot(ME, RaftConfig::new(5, mode), Some(&durable), Tick(1_000));
        h.deliver(LEADER, super::ae(1, 0, 0, &[], 0));
        let effects = h.request(REQ, remove());
        assert!(
            effects.iter().any(|e| matches!(
                e,
                Effect::Send {
                    to: LEADER,
                    msg: RaftMsg::Forward { request: REQ, .. }
                }
            )),
            "{effects:?}"
        );
        h
    }

    /// A write (the submitted servers stub some reads and answer others locally).
    fn remove() -> Op {
        Op::Remove { id: "1".into() }
    }

    fn refused(request: RequestId) -> RaftMsg {
        RaftMsg::ForwardReply {
            request,
            op: remove(),
            response: Response::NotLeader { hint: None },
        }
    }

    use super::client_replies as replies;

    #[test]
    fn a_refused_forward_is_relayed_as_an_unknown_outcome() {
        let mut h = forwarding(Mode::Textbook);
        let effects = h.deliver(LEADER, refused(REQ));
        assert_eq!(
            replies(&effects),
            [(REQ, Response::Timeout(TimeoutReason::ForwardRefused))]
        );
        // Answered once: a second copy of the refusal finds no pending forward.
        assert_eq!(replies(&h.deliver(LEADER, refused(REQ))), []);
    }

    #[test]
    fn the_submitted_servers_relay_the_refusal_as_it_came() {
        let mut h = forwarding(Mode::AsSubmittedQ4);
        let effects = h.deliver(LEADER, refused(REQ));
        assert_eq!(
            replies(&effects),
            [(REQ, Response::NotLeader { hint: None })]
        );
    }

    #[test]
    fn an_answer_to_another_request_is_not_relayed() {
        let mut h = forwarding(Mode::Textbook);
        assert_eq!(replies(&h.deliver(LEADER, refused(RequestId(8)))), []);
        let ok = RaftMsg::ForwardReply {
            request: REQ,
            op: remove(),
            response: Response::Ok(faultlab_sim::raft::OpResult::Played(None)),
        };
        assert_eq!(
            replies(&h.deliver(LEADER, ok)),
            [(
                REQ,
                Response::Ok(faultlab_sim::raft::OpResult::Played(None))
            )]
        );
    }
}

// ----- raft/server/clients.rs: the stubs of R4-12 and a refusal's hint -------------------

mod client_paths {
    use faultlab_sim::raft::client::Response;
    use faultlab_sim::raft::types::Term;
    use faultlab_sim::raft::{
        Bug, Mode, Op, OpResult, Raft, RaftConfig, RaftDurable, RaftMsg, Track,
    };
    use faultlab_sim::testkit::Harness;
    use faultlab_sim::{Effect, NodeId, RequestId, Tick};

    fn follower(mode: Mode) -> Harness<Raft> {
        follower_with(RaftConfig::new(5, mode))
    }

    fn follower_with(config: RaftConfig) -> Harness<Raft> {
        let durable = RaftDurable {
            current_term: Term(1),
            voted_for: None,
            log: faultlab_sim::raft::replicated_log::Log::new(),
        };
        Harness::boot(NodeId(1), config, Some(&durable), Tick(1_000))
    }

    fn reply(effects: &[Effect<Raft>]) -> Option<Response> {
        effects.iter().find_map(|e| match e {
            Effect::Reply { response, .. } => Some(response.clone()),
            _ => None,
        })
    }

    /// R4-12: four operations are stubs that answer at once, whoever is asked.
    #[test]
    fn the_stubbed_operations_answer_empty_at_once() {
        let id = || -> std::sync::Arc<str> { "1".into() };
        let cases = [
            (Op::Vote { id: id(), up: true }, OpResult::Done),
            (Op::Play, OpResult::Played(None)),
            (Op::History, OpResult::History(Vec::new())),
            (
                Op::Metadata { id: id() },
                OpResult::Track(Track::new("", "", "", 0)),
            ),
        ];
        // The toggle alone, on textbook: the submitted Q4 also reads locally
        // (stale-local-reads), which would answer an empty history the same way.
        let mut stubbed = RaftConfig::new(5, Mode::Textbook);
        stubbed.bugs.insert(Bug::StubQueueOps);
        for (i, (op, stub)) in cases.into_iter().enumerate() {
            let mut h = follower_with(stubbed.clone());
            let effects = h.request(RequestId(i as u64), op.clone());
            assert_eq!(reply(&effects), Some(Response::Ok(stub)), "{op:?}");
            // Textbook: a follower that knows no leader says so.
            let mut h = follower(Mode::Textbook);
            let effects = h.request(RequestId(i as u64), op);
            assert!(matches!(
                reply(&effects),
                Some(Response::NotLeader { hint: None })
            ));
        }
    }

    /// A follower refusing a forward names the leader it believes in, never itself.
    #[test]
    fn a_refused_forward_names_the_leader_it_knows() {
        let mut h = follower(Mode::Textbook);
        h.deliver(NodeId(0), super::ae(1, 0, 0, &[], 0));
        let effects = h.deliver(
            NodeId(2),
            RaftMsg::Forward {
                request: RequestId(3),
                op: Op::Play,
            },
        );
        assert_eq!(
            effects,
            [Effect::Send {
                to: NodeId(2),
                msg: RaftMsg::ForwardReply {
                    request: RequestId(3),
                    op: Op::Play,
                    response: Response::NotLeader {
                        hint: Some(NodeId(0))
                    },
                },
            }]
        );
    }
}

// ----- raft/server/clients.rs: the commit wait expires request by request ---------------

mod commit_wait {
    use faultlab_sim::raft::client::{Response, TimeoutReason};
    use faultlab_sim::raft::types::Term;
    use faultlab_sim::raft::{Op, Raft, RaftConfig, RaftMsg, RaftTimer, Role};
    use faultlab_sim::testkit::Harness;
    use faultlab_sim::{NodeId, RequestId, Tick};

    use super::client_replies as replies;

    /// A leader holds two writes whose commit waits end 1 s apart; when the first
    /// wait ends, only the first write is told `timeout`.
    #[test]
    fn only_the_expired_wait_is_answered() {
        let config = RaftConfig::default();
        let wait = config.commit_wait_ms;
        let mut h: Harness<Raft> = Harness::boot(NodeId(1), config, None, Tick(1_000));
        h.force_timeout();
        let term = h.node.term();
        for peer in [NodeId(0), NodeId(2)] {
            h.deliver(
                peer,
                RaftMsg::RequestVoteResponse {
                    term,
                    vote_granted: true,
                    shadow: false,
                },
            );
        }
        assert_eq!((h.node.role(), term), (Role::Leader, Term(1)));
        h.request(RequestId(1), Op::Remove { id: "1".into() });
        h.now = Tick(2_000);
        h.request(RequestId(2), Op::Remove { id: "2".into() });
        h.now = Tick(1_000 + wait);
        let effects = h.fire(RaftTimer::ClientDeadline);
        assert_eq!(
            replies(&effects),
            [(RequestId(1), Response::Timeout(TimeoutReason::NotCommitted))]
        );
        h.now = Tick(2_000 + wait);
        let effects = h.fire(RaftTimer::ClientDeadline);
        assert_eq!(
            replies(&effects),
            [(RequestId(2), Response::Timeout(TimeoutReason::NotCommitted))]
        );
    }
}
