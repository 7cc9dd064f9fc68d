//! Validity (Bernstein, Hadzilacos & Goodman §7.2 AC3/AC4): a transaction commits
//! only if every participant voted commit. Checked twice: when a coordinator's state
//! becomes COMMIT (every participant must already be, or have been, READY — the
//! state a participant enters exactly when it votes `VoteCommit`), and when a
//! participant's state becomes COMMIT (it must itself have voted commit — the
//! txid-blind `GlobalCommit` of P-5 breaks this).
//!
//! Incremental: the participants seen READY per transaction, from their state (the
//! coordinator's own tally of votes is not trusted: a buggy coordinator is what this
//! checker is for).

use crate::sorted::{SortedMap, SortedSet};

use crate::id::NodeId;
use crate::invariant::Finding;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::ids::TxId;
use crate::twopc::invariants::TxBook;
use crate::twopc::invariants::observe::{Change, TxState};
use crate::twopc::state::{CoordinatorState, ParticipantState};

/// The validity checker.
#[derive(Clone, Debug, Default)]
pub struct Validity {
    voted: SortedMap<TxId, SortedSet<NodeId>>,
}

impl Validity {
    /// Check one step's transitions.
    pub fn check(
        &mut self,
        config: &TwoPcConfig,
        book: &TxBook,
        changes: &[Change],
        out: &mut Vec<Finding>,
    ) {
        for c in changes {
            match c.to {
                Some(TxState::Participant(ParticipantState::Ready)) => {
                    self.voted.entry(c.tx).or_default().insert(c.node);
                }
                Some(TxState::Participant(ParticipantState::Commit))
                    if !self.voted(c.tx, c.node) =>
                {
                    out.push(Finding::new(
                        "validity",
                        format!(
                            "{} committed {} although it never voted commit",
                            config.node_name(c.node),
                            c.tx
                        ),
                    ));
                }
                Some(TxState::Coordinator(CoordinatorState::Commit)) => {
                    let Some(info) = book.get(c.tx) else { continue };
                    let missing: Vec<String> = info
                        .participants
                        .iter()
                        .filter(|p| !self.voted(c.tx, **p))
                        .map(|p| config.node_name(*p))
                        .collect();
                    if !missing.is_empty() {
                        out.push(Finding::new(
                            "validity",
                            format!(
                                "{} decided COMMIT for {} without a commit vote from {}",
                                config.node_name(c.node),
                                c.tx,
                                missing.join(", ")
                            ),
                        ));
                    }
                }
                _ => {}
            }
        }
    }

    fn voted(&self, tx: TxId, node: NodeId) -> bool {
        self.voted.get(&tx).is_some_and(|v| v.contains(&node))
    }
}
