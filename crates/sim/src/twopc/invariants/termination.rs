//! Termination (Bernstein, Hadzilacos & Goodman §7.2 AC5): once every fault has
//! healed — all nodes up, no partition, no message loss — every transaction is decided
//! by its coordinator and by every participant, and releases every lock, within
//! [`bound`] of fault-free virtual time (counted from the heal or from the
//! transaction's start, whichever is later). Checked at the end of a run, on state.
//!
//! Textbook 2PC meets it: a restarted coordinator aborts what was in WAIT and resends
//! logged decisions every retry interval until acknowledged, and READY participants
//! ask for the decision. The as-submitted P-1, P-3 and P-4 break it (a READY
//! participant waits forever, or a participant never learns the decision).

use crate::invariant::Finding;
use crate::time::{Tick, Ticks};
use crate::twopc::TwoPc;
use crate::twopc::as_submitted::Bug;
use crate::twopc::config::TwoPcConfig;
use crate::twopc::invariants::TxBook;
use crate::twopc::state::{CoordinatorState, ParticipantState};
use crate::world::World;

/// How long after `since` = max(heal, start) a transaction must be settled everywhere,
/// for the configured timers and a one-way latency of at most `latency_max`.
///
/// The worst case after the heal, with every node up and no message lost:
/// 1. **Deciding** takes at most the vote timeout: the coordinator armed it at the
///    start, and one that crashed before it fired has restarted by the heal and
///    aborted what it found in WAIT on the spot (Tanenbaum Fig. 8-19). With
///    `sequential-2s-calls` (P-8) every participant's call has its own deadline, so
///    it is one vote timeout per participant.
/// 2. **Distributing**: the coordinator resends the decision to every participant
///    that has not acknowledged it once per retry interval, so one retry period after
///    max(decision, heal) a resend leaves that cannot be lost. It takes the
///    Voting → Decision hand-off and the `GlobalCommit`/`GlobalAbort` itself, and one
///    more latency covers the Ack: three latencies. P-8 adds the deadline of the call
///    in flight at the heal and two latencies (call and answer) per participant.
///
/// The participants' READY timeout and termination rounds are a second path to the
/// same decision, never needed for the bound (the coordinator is up and retrying), so
/// they do not loosen it: raising them cannot make a textbook run miss the bound.
pub fn bound(config: &TwoPcConfig, latency_max: Ticks) -> Ticks {
    let latency = latency_max.0;
    let (decide, distribute) = if config.has(Bug::Sequential2sCalls) {
        let calls = config.participants().len() as u64;
        (
            calls * config.vote_timeout_ms,
            config.vote_timeout_ms + config.decision_retry_ms + (2 * calls + 1) * latency,
        )
    } else {
        (
            config.vote_timeout_ms,
            config.decision_retry_ms + 3 * latency,
        )
    };
    Ticks(decide + distribute)
}

/// The termination checker.
#[derive(Clone, Debug, Default)]
pub struct Termination {
    healed_since: Option<Tick>,
}

impl Termination {
    /// Track when the faults healed.
    pub fn check(&mut self, world: &World<TwoPc>) {
        if world.is_healed() {
            if self.healed_since.is_none() {
                self.healed_since = Some(world.now());
            }
        } else {
            self.healed_since = None;
        }
    }

    /// Since when the run has been fault-free, if it is now.
    pub fn healed_since(&self) -> Option<Tick> {
        self.healed_since
    }

    /// End-of-run check.
    pub fn finish(&mut self, book: &TxBook, world: &World<TwoPc>, out: &mut Vec<Finding>) {
        let Some(healed) = self.healed_since else {
            return;
        };
        let now = world.now();
        let bound = bound(world.config(), world.net().latency_max);
        for (tx, info) in book.iter() {
            let since = healed.max(info.started_at);
            if now < since + bound {
                continue;
            }
            let waited = now.since(since);
            let coordinator = world.node(tx.coordinator);
            let decided = coordinator
                .coordinator_state(*tx)
                .and_then(CoordinatorState::decision);
            if decided.is_none() {
                let state = coordinator
                    .coordinator_state(*tx)
                    .map_or("unknown", CoordinatorState::name);
                out.push(Finding::new(
                    "termination",
                    format!(
                        "{tx} is still undecided ({state}) at {} {waited} after the faults healed",
                        world.node_name(tx.coordinator)
                    ),
                ));
                return;
            }
            for p in &info.participants {
                let state = world.node(*p).participant_state(*tx);
                if state.and_then(ParticipantState::decision).is_none() {
                    let detail = match (
                        decided,
                        world.node(*p).pictures().contains_key(&info.body.filename),
                    ) {
                        (Some(d), has) => format!(
                            "{} never learned that {tx} decided {} ({} {waited} after the faults healed; it {} \"{}\")",
                            world.node_name(*p),
                            d.name(),
                            state.map_or("unknown", ParticipantState::name),
                            if has { "still has" } else { "does not have" },
                            info.body.filename
                        ),
                        (None, _) => unreachable!("checked above"),
                    };
                    out.push(Finding::new("termination", detail));
                    return;
                }
            }
            for id in world.node_ids() {
                if let Some((file, _)) = world.node(id).locks().iter().find(|(_, t)| **t == *tx) {
                    out.push(Finding::new(
                        "termination",
                        format!("{} still holds the lock of {tx} on \"{file}\" {waited} after the faults healed", world.node_name(id)),
                    ));
                    return;
                }
            }
        }
    }
}
