//! What the 2PC checkers see of one step: which nodes it touched, and how each
//! touched node's per-transaction state machine moved, found by diffing the node's
//! *state* (its coordinator or participant table) with what was seen after the
//! previous step.
//!
//! This is the only place the checkers learn transitions from. It must not read the
//! nodes' notes: a node that changes state without saying so (a buggy handler, a
//! forgotten `ctx.note`) must still be seen. The touched nodes come from the world's
//! own events (a delivery, a timer, a request, a restart, an input), which the world
//! records whatever the node does.

use crate::fault::Fault;
use crate::id::NodeId;
use crate::input::Input;
use crate::trace::{EventKind, TraceEvent};
use crate::twopc::TwoPc;
use crate::twopc::ids::{Decision, TxId};
use crate::twopc::node::TwoPcNode;
use crate::twopc::state::{CoordinatorState, ParticipantState};

/// One node's state for one transaction, in its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxState {
    /// The node coordinates the transaction (Tanenbaum Fig. 8-18a).
    Coordinator(CoordinatorState),
    /// The node votes in it (Fig. 8-18b).
    Participant(ParticipantState),
}

impl TxState {
    /// The decision this state holds, once made.
    pub fn decision(self) -> Option<Decision> {
        match self {
            TxState::Coordinator(s) => s.decision(),
            TxState::Participant(s) => s.decision(),
        }
    }

    /// Whether this is a participant's READY (it voted commit).
    pub fn is_ready(self) -> bool {
        self == TxState::Participant(ParticipantState::Ready)
    }

    /// The state's name (`"READY"`, `"COMMIT"`).
    pub fn name(self) -> &'static str {
        match self {
            TxState::Coordinator(s) => s.name(),
            TxState::Participant(s) => s.name(),
        }
    }
}

/// A transition seen in a node's state. `None` means the node has no entry for the
/// transaction (it never heard of it, or forgot it across a restart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// The node.
    pub node: NodeId,
    /// The transaction.
    pub tx: TxId,
    /// Its state after the previous step.
    pub from: Option<TxState>,
    /// Its state now.
    pub to: Option<TxState>,
    /// Whether the node restarted in this step (its state was rebuilt from its log).
    pub restarted: bool,
}

/// The per-transaction states of every node, as seen after the last step (each
/// node's list sorted by transaction id, as its tables are).
#[derive(Clone, Debug, Default)]
pub struct Observer {
    seen: Vec<Vec<(TxId, TxState)>>,
}

/// A node's current state for every transaction it remembers, in id order.
pub fn states(node: &TwoPcNode) -> impl Iterator<Item = (TxId, TxState)> + '_ {
    let coordinated = node
        .coordinated()
        .iter()
        .map(|(tx, c)| (*tx, TxState::Coordinator(c.state)));
    let participating = node
        .participating()
        .iter()
        .map(|(tx, p)| (*tx, TxState::Participant(p.state)));
    // A node plays one role, so one of the two is empty; chaining keeps id order.
    coordinated.chain(participating)
}

impl Observer {
    /// Diff `node`'s state with what was seen last, remember the new state, and
    /// append the transitions to `out`.
    ///
    /// Every step touching a node compares all of its transactions, because a buggy
    /// handler may change any of them; the comparison is one merge of two sorted
    /// lists, and the list is rebuilt only when something changed.
    pub fn diff(&mut self, node: &TwoPcNode, restarted: bool, out: &mut Vec<Change>) {
        let i = node.id().index();
        if self.seen.len() <= i {
            self.seen.resize_with(i + 1, Vec::new);
        }
        let seen = &self.seen[i];
        let before = out.len();
        let mut old = seen.iter().copied().peekable();
        let mut change = |tx: TxId, from: Option<TxState>, to: Option<TxState>| {
            out.push(Change {
                node: node.id(),
                tx,
                from,
                to,
                restarted,
            });
        };
        for (tx, state) in states(node) {
            // Entries the node no longer has (it forgot them across a reboot, or a bug).
            while let Some((gone, was)) = old.next_if(|(t, _)| *t < tx) {
                change(gone, Some(was), None);
            }
            match old.next_if(|(t, _)| *t == tx) {
                Some((_, was)) if was == state => {}
                Some((_, was)) => change(tx, Some(was), Some(state)),
                None => change(tx, None, Some(state)),
            }
        }
        for (gone, was) in old {
            change(gone, Some(was), None);
        }
        if out.len() != before {
            self.seen[i] = states(node).collect();
        }
    }
}

/// The nodes whose handlers ran in this step, and whether each restarted, in
/// first-touched order. Read from the world's events only (never from notes).
pub fn touched(world_nodes: usize, events: &[TraceEvent<TwoPc>]) -> Vec<(NodeId, bool)> {
    let mut out: Vec<(NodeId, bool)> = Vec::new();
    let mut add = |node: NodeId, restarted: bool| match out.iter_mut().find(|(n, _)| *n == node) {
        Some(entry) => entry.1 |= restarted,
        None => out.push((node, restarted)),
    };
    for ev in events {
        match &ev.kind {
            EventKind::Note { .. } => {}
            EventKind::Restarted { node } => add(*node, true),
            // A forced timeout, or a resume that hands a node the requests it was
            // sent while paused, runs a handler without an event of its own; a new
            // configuration may change what every node does next. Look at everyone.
            EventKind::Input(
                Input::Fault(Fault::Timeout(_) | Fault::Resume(_)) | Input::Configure(_),
            ) => {
                for i in 0..world_nodes {
                    add(NodeId::from_index(i), false);
                }
            }
            kind => {
                if let Some(node) = kind.node() {
                    add(node, false);
                }
            }
        }
    }
    out
}
