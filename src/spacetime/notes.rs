//! Which protocol notes are state changes on a lifeline: Raft's role transitions
//! (Raft §5.2: follower → candidate → leader, and back to follower on a higher term)
//! and 2PC's coordinator and participant states (INIT, WAIT/READY, COMMIT, ABORT, and a
//! participant blocked by the termination protocol).
//!
//! This module owns only that classification; it must not lay out or render.

use faultlab_sim::demo::{Demo, DemoNote};
use faultlab_sim::raft::note::RaftNote;
use faultlab_sim::twopc::note::TwoPcNote;

use super::happening::{SpacetimeProtocol, StateMark};
use crate::state::{RaftP, TwoPcP};

impl SpacetimeProtocol for RaftP {
    fn state_mark(note: &RaftNote) -> Option<StateMark> {
        let (word, class, term) = match note {
            RaftNote::BecameCandidate { term } => ("CANDIDATE", "candidate", term),
            RaftNote::BecameLeader { term } => ("LEADER", "leader", term),
            RaftNote::BecameFollower { term } => ("FOLLOWER", "follower", term),
            _ => return None,
        };
        Some(StateMark {
            label: format!("{word} T{}", term.0),
            class,
            detail: format!("became {class} in term {}", term.0),
        })
    }
}

impl SpacetimeProtocol for TwoPcP {
    fn state_mark(note: &TwoPcNote) -> Option<StateMark> {
        let (name, role, tx) = match note {
            TwoPcNote::Coordinator { tx, to, .. } => (to.name(), "coordinator", tx),
            TwoPcNote::Participant { tx, to, .. } => (to.name(), "participant", tx),
            TwoPcNote::Blocked { tx, .. } => ("BLOCKED", "participant", tx),
            _ => return None,
        };
        let class = match name {
            "WAIT" => "wait",
            "READY" => "ready",
            "COMMIT" => "commit",
            "ABORT" => "abort",
            "BLOCKED" => "blocked",
            _ => "init",
        };
        Some(StateMark {
            label: name.to_owned(),
            class,
            detail: format!("{role} {name} for {tx}"),
        })
    }
}

impl SpacetimeProtocol for Demo {
    /// The demo has no states beyond its ping counter.
    fn state_mark(note: &DemoNote) -> Option<StateMark> {
        let DemoNote::Started { .. } = note;
        None
    }
}

#[cfg(test)]
mod tests {
    use faultlab_sim::NodeId;
    use faultlab_sim::raft::types::Term;
    use faultlab_sim::twopc::ids::TxId;
    use faultlab_sim::twopc::state::ParticipantState;

    use super::*;

    #[test]
    fn raft_roles_and_2pc_states_are_marked() {
        let m = RaftP::state_mark(&RaftNote::BecameLeader { term: Term(3) }).expect("a mark");
        assert_eq!((m.label.as_str(), m.class), ("LEADER T3", "leader"));
        assert!(RaftP::state_mark(&RaftNote::ElectionTimeout).is_none());
        let tx = TxId {
            coordinator: NodeId(0),
            seq: 1,
        };
        let m = TwoPcP::state_mark(&TwoPcNote::Participant {
            tx,
            from: ParticipantState::Init,
            to: ParticipantState::Ready,
        })
        .expect("a mark");
        assert_eq!((m.label.as_str(), m.class), ("READY", "ready"));
        assert!(m.detail.contains("tx-http-node1-1"), "{}", m.detail);
    }
}
