//! The checkers driven with hand-built node states and *no events at all* — no notes,
//! no deliveries: each test edits a node's tables directly, as a buggy handler that
//! never says what it did would, and shows the checker still catches it (and stays
//! quiet on the correct edit). A checker is trusted only once it has caught a bug.

use crate::sorted::{SortedMap, SortedSet};

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::protocol::Node;
use crate::time::Tick;
use crate::twopc::TwoPc;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::ids::{TxId, TxOp};
use crate::twopc::invariants::TwoPcChecker;
use crate::twopc::msg::TxBody;
use crate::twopc::node::TwoPcNode;
use crate::twopc::picture::Picture;
use crate::twopc::state::{CoordinatorState, CoordinatorTx, ParticipantState, ParticipantTx};
use crate::world::NodeSlot;

const TX: TxId = TxId {
    coordinator: NodeId(0),
    seq: 1,
};
const HTTP1: usize = 0;
const GRPC1: usize = 3;
const GRPC2: usize = 4;
const GRPC3: usize = 5;

struct Lab {
    config: TwoPcConfig,
    slots: Vec<NodeSlot<TwoPc>>,
    checker: TwoPcChecker,
    op: TxOp,
}

impl Lab {
    fn new(op: TxOp) -> Lab {
        let config = TwoPcConfig::default();
        let slots = (0..config.total())
            .map(|i| NodeSlot::new(TwoPcNode::boot(NodeId::from_index(i), &config, None)))
            .collect();
        Lab {
            config,
            slots,
            checker: TwoPcChecker::default(),
            op,
        }
    }

    fn body(&self) -> TxBody {
        TxBody {
            op: self.op,
            filename: "a.png".into(),
            started_at: Tick(0),
        }
    }

    fn node(&mut self, i: usize) -> &mut TwoPcNode {
        &mut self.slots[i].node
    }

    /// The coordinator's table says `state`.
    fn coordinator(&mut self, state: CoordinatorState) -> &mut Self {
        let body = self.body();
        let participants = self.config.participants();
        self.node(HTTP1).coordinated.insert(
            TX,
            CoordinatorTx {
                body,
                participants,
                state,
                votes: SortedMap::new(),
                acked: SortedSet::new(),
                handed_off: false,
                cursor: 0,
                ended: false,
            },
        );
        self
    }

    /// Participant `i`'s table says `state` (READY also takes the lock).
    fn participant(&mut self, i: usize, state: ParticipantState) -> &mut Self {
        let body = self.body();
        if state == ParticipantState::Ready {
            self.node(i).locks.insert(body.filename.clone(), TX);
        }
        self.node(i)
            .participating
            .insert(TX, ParticipantTx::new(Some(body), state));
        self
    }

    /// One step in which the handlers of `touched` ran (`true`: it restarted),
    /// with no event of any kind: what the checkers find, as `invariant: detail`.
    fn step(&mut self, touched: &[(usize, bool)]) -> Vec<String> {
        let touched: Vec<(NodeId, bool)> = touched
            .iter()
            .map(|(i, r)| (NodeId::from_index(*i), *r))
            .collect();
        let mut out: Vec<Finding> = Vec::new();
        self.checker
            .observe(&self.config, &self.slots, &touched, &[], &mut out);
        out.iter()
            .map(|f| format!("{}: {}", f.invariant, f.detail))
            .collect()
    }

    /// Everyone READY under a coordinator in WAIT, seen by the checker.
    fn prepared(op: TxOp) -> Lab {
        let mut lab = Lab::new(op);
        lab.coordinator(CoordinatorState::Wait);
        for g in [GRPC1, GRPC2, GRPC3] {
            lab.participant(g, ParticipantState::Ready);
        }
        assert_eq!(
            lab.step(&[
                (HTTP1, false),
                (GRPC1, false),
                (GRPC2, false),
                (GRPC3, false)
            ]),
            Vec::<String>::new()
        );
        lab
    }
}

const NONE: Vec<String> = Vec::new();

#[test]
fn atomicity_catches_a_silent_abort() {
    let mut lab = Lab::prepared(TxOp::Delete);
    lab.coordinator(CoordinatorState::Commit);
    assert_eq!(lab.step(&[(HTTP1, false)]), NONE);
    lab.participant(GRPC1, ParticipantState::Commit);
    assert_eq!(lab.step(&[(GRPC1, false)]), NONE);
    lab.participant(GRPC2, ParticipantState::Abort);
    assert_eq!(
        lab.step(&[(GRPC2, false)]),
        ["atomicity: tx-http-node1-1: http-node1 decided COMMIT but grpc-node2 decided ABORT"]
    );
}

#[test]
fn validity_catches_a_commit_without_every_vote() {
    let mut lab = Lab::new(TxOp::Delete);
    lab.coordinator(CoordinatorState::Wait)
        .participant(GRPC1, ParticipantState::Ready)
        .participant(GRPC2, ParticipantState::Ready);
    assert_eq!(
        lab.step(&[(HTTP1, false), (GRPC1, false), (GRPC2, false)]),
        NONE
    );
    lab.coordinator(CoordinatorState::Commit);
    assert_eq!(
        lab.step(&[(HTTP1, false)]),
        [
            "validity: http-node1 decided COMMIT for tx-http-node1-1 without a commit vote from grpc-node3"
        ]
    );
    // A participant that commits without ever having been READY.
    lab.participant(GRPC3, ParticipantState::Commit);
    assert_eq!(
        lab.step(&[(GRPC3, false)]),
        ["validity: grpc-node3 committed tx-http-node1-1 although it never voted commit"]
    );
}

#[test]
fn validity_is_quiet_when_everyone_voted_commit() {
    let mut lab = Lab::prepared(TxOp::Delete);
    lab.coordinator(CoordinatorState::Commit);
    assert_eq!(lab.step(&[(HTTP1, false)]), NONE);
}

#[test]
fn durability_catches_a_forgotten_and_a_reversed_decision() {
    let mut lab = Lab::prepared(TxOp::Delete);
    lab.coordinator(CoordinatorState::Commit);
    lab.participant(GRPC1, ParticipantState::Commit);
    lab.participant(GRPC2, ParticipantState::Commit);
    assert_eq!(
        lab.step(&[(HTTP1, false), (GRPC1, false), (GRPC2, false)]),
        NONE
    );
    // grpc-node1 restarts and its table says READY again (its outcome was not logged).
    lab.participant(GRPC1, ParticipantState::Ready);
    assert_eq!(
        lab.step(&[(GRPC1, true)]),
        [
            "durability: grpc-node1 restarted and no longer knows that it decided COMMIT for tx-http-node1-1 (now READY)"
        ]
    );
    // The coordinator forgets the transaction outright, without a restart.
    lab.node(HTTP1).coordinated.remove(&TX);
    assert_eq!(
        lab.step(&[(HTTP1, false)]),
        [
            "durability: http-node1 went back on its decision COMMIT for tx-http-node1-1: COMMIT then unknown"
        ]
    );
}

#[test]
fn durability_is_quiet_when_a_restart_rebuilds_the_same_state() {
    let mut lab = Lab::prepared(TxOp::Delete);
    lab.coordinator(CoordinatorState::Commit);
    lab.participant(GRPC1, ParticipantState::Commit);
    assert_eq!(lab.step(&[(HTTP1, false), (GRPC1, false)]), NONE);
    // A restart whose log replay rebuilds the same tables (what textbook recovery gives).
    let rebuilt = lab.node(GRPC1).clone();
    *lab.node(GRPC1) = rebuilt;
    assert_eq!(lab.step(&[(GRPC1, true), (GRPC2, true)]), NONE);
}

#[test]
fn isolation_catches_a_silently_released_lock() {
    let mut lab = Lab::prepared(TxOp::Delete);
    lab.node(GRPC3).locks.remove("a.png");
    assert_eq!(
        lab.step(&[(GRPC3, false)]),
        [
            "isolation: grpc-node3 is READY for tx-http-node1-1 but its lock on \"a.png\" is held by nobody"
        ]
    );
}

#[test]
fn picture_integrity_catches_a_picture_nobody_put_there() {
    let mut lab = Lab::new(TxOp::Upload);
    let picture = Picture::new("a.png", "grpc-node1".into(), Tick(0));
    lab.node(GRPC1).pictures.insert("a.png".into(), picture);
    assert_eq!(
        lab.step(&[(GRPC1, false)]),
        [
            "picture_integrity: grpc-node1 has \"a.png\" though no committed transaction or upload put it there"
        ]
    );
}

#[test]
fn picture_integrity_is_quiet_when_a_committed_upload_stores_it() {
    let mut lab = Lab::prepared(TxOp::Upload);
    lab.coordinator(CoordinatorState::Commit);
    lab.participant(GRPC2, ParticipantState::Commit);
    let picture = Picture::new("a.png", "grpc-node2".into(), Tick(0));
    lab.node(GRPC2).pictures.insert("a.png".into(), picture);
    assert_eq!(lab.step(&[(HTTP1, false), (GRPC2, false)]), NONE);
}
