//! **Liveness** once faults heal. Raft guarantees safety always, but progress only
//! when the system is stable for long enough (§5.6, "timing and availability":
//! `broadcastTime ≪ electionTimeout ≪ MTBF`). Once every node is up and the network
//! whole and lossless (and no input has disturbed the timers since):
//! - within the *election bound* a leader must exist, a live server that is leader
//!   in the highest term among the live servers, and it must stay leader: a run that
//!   has no leader at some point after the bound, or whose leadership is still
//!   changing, is reported (not latched on the first leader seen);
//! - every write sent to a live node after the heal must commit (some replica applies
//!   it) or be answered `ok` (or rejected by validation) within the *commit bound* of
//!   the point where a leader must exist; one sent before that point, while an
//!   election may still run, may instead be answered anything (`timeout`,
//!   `not_leader`): the client then knows to retry;
//! - by the end of the run, every write a client was told succeeded must be applied
//!   on every live node, given the *apply bound* of calm.
//!
//! The bounds come from the configured timers and the bus latency, not from fixed
//! seconds, so slow timers do not raise false alarms ([`Bounds`]).

use crate::id::{NodeId, RequestId};
use crate::input::Input;
use crate::invariant::Finding;
use crate::time::{Tick, Ticks};
use crate::trace::{EventKind, TraceEvent};
use crate::world::World;

use super::super::Raft;
use super::super::client::Response;
use super::super::types::{Role, Term};
use super::linearizability::Linearizability;

/// The invariant's name.
pub const NAME: &str = "liveness";

/// Election rounds the election bound allows. §5.2: each round costs at most one
/// election timeout (a fresh draw in `[min, max]`) plus a `RequestVote` and its reply.
/// Four rounds: the first timeout after the heal; one round lost to a node back from
/// a minority partition with a higher term, which deposes whoever won (§9.6 discusses
/// this disruption); and two split votes, each of which the randomized timeouts
/// resolve with high probability (§5.2, §9.3: a spread of the timeout's range
/// makes splits rare, so two in a row already take a sweep of thousands of runs).
pub const ELECTION_ROUNDS: u64 = 4;

/// The deadlines derived from a world's configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// From the heal to a stable leader: `ELECTION_ROUNDS × (election timeout max +
    /// 2 × latency max)`.
    pub election: Ticks,
    /// From when a leader must exist to a write committed: `2 × heartbeat + 8 ×
    /// latency max`. A follower learns the leader from its first heartbeat; then the
    /// forward, the `AppendEntries` round, the answer and its relay take four
    /// one-way trips, doubled for a follower whose log must first be caught up
    /// (§5.3's nextIndex back-off), and a second heartbeat for the commit to reach it.
    pub commit: Ticks,
    /// From the heal to every acknowledged write applied everywhere: election +
    /// commit + one heartbeat (followers learn the commitIndex from the next one).
    pub apply: Ticks,
}

impl Bounds {
    /// The bounds for `world`'s timers and latency.
    pub fn of(world: &World<Raft>) -> Bounds {
        let latency = world.net().latency_max.0;
        let (_, timeout_max) = world.config().election_timeout();
        let heartbeat = world.config().heartbeat().0;
        let election = ELECTION_ROUNDS * (timeout_max.0 + 2 * latency);
        let commit = 2 * heartbeat + 8 * latency;
        Bounds {
            election: Ticks(election),
            commit: Ticks(commit),
            apply: Ticks(election + commit + heartbeat),
        }
    }
}

/// A write sent to a live node after the heal, not settled yet.
#[derive(Clone, Debug)]
struct PendingWrite {
    id: RequestId,
    node: NodeId,
    rpc: &'static str,
    at: Tick,
    deadline: Tick,
}

/// Healing, leadership and the writes being waited for since the last fault.
#[derive(Clone, Debug, Default)]
pub struct Liveness {
    healed_since: Option<Tick>,
    /// The current leader (node, term) and since when it has led.
    leader: Option<(NodeId, Term, Tick)>,
    writes: Vec<PendingWrite>,
    reported: bool,
}

impl Liveness {
    /// After each step.
    pub fn check(
        &mut self,
        world: &World<Raft>,
        events: &[TraceEvent<Raft>],
        history: &Linearizability,
        out: &mut Vec<Finding>,
    ) {
        if self.reported {
            return;
        }
        // Any input but a client request is a disturbance: a fault, a heal, or a
        // forced timeout or timer change that may legitimately start an election.
        // The clock restarts at the last one.
        let disturbed = events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Input(i) if !matches!(i, Input::Request(..))))
            || events.iter().any(|e| {
                matches!(
                    e.kind,
                    EventKind::Crashed { .. } | EventKind::Restarted { .. }
                )
            });
        if disturbed {
            if world.is_healed() {
                self.healed_since = Some(world.now());
            } else {
                self.healed_since = None;
                self.writes.clear();
            }
        }
        let Some(since) = self.healed_since else {
            return;
        };
        let bounds = Bounds::of(world);
        let leader_due = since + bounds.election;
        self.track_leader(world);
        self.track_writes(world, events, leader_due, bounds);
        let now = world.now();
        if self.leader.is_none() && now >= leader_due {
            self.report(out, format!(
                "no leader {} ms after the faults healed at {} ms (bound {} ms: {ELECTION_ROUNDS} × (election timeout max + 2 × latency max))",
                now.since(since).0,
                since.0,
                bounds.election.0
            ));
            return;
        }
        self.check_writes(history, now, since, out);
    }

    fn report(&mut self, out: &mut Vec<Finding>, detail: String) {
        self.reported = true;
        out.push(Finding::new(NAME, detail));
    }

    fn track_leader(&mut self, world: &World<Raft>) {
        let current = current_leader(world);
        match (current, self.leader) {
            (None, _) => self.leader = None,
            (Some((n, t)), Some((ln, lt, _))) if n == ln && t == lt => {}
            (Some((n, t)), _) => self.leader = Some((n, t, world.now())),
        }
    }

    fn track_writes(
        &mut self,
        world: &World<Raft>,
        events: &[TraceEvent<Raft>],
        leader_due: Tick,
        bounds: Bounds,
    ) {
        for ev in events {
            match &ev.kind {
                EventKind::Request { id, node, request }
                    if request.is_write() && world.is_up(*node) =>
                {
                    self.writes.push(PendingWrite {
                        id: *id,
                        node: *node,
                        rpc: request.rpc(),
                        at: ev.at,
                        deadline: ev.at.max(leader_due) + bounds.commit,
                    });
                }
                EventKind::Response { id, response, .. } => {
                    let Some(pos) = self.writes.iter().position(|w| w.id == *id) else {
                        continue;
                    };
                    // A write sent while an election may still run can be lost with a
                    // deposed leader (§5.4.2's overwritten entries); any answer then
                    // settles it, and a retry is the client's business (§8). One sent
                    // once a leader must exist has to commit.
                    let settled = self.writes[pos].at < leader_due
                        || match response {
                            Response::Ok(_) => true,
                            Response::Rejected(why) => why.is_validation(),
                            Response::NotLeader { .. }
                            | Response::Timeout(_)
                            | Response::Unavailable => false,
                        };
                    if settled {
                        self.writes.remove(pos);
                    }
                }
                _ => {}
            }
        }
    }

    fn check_writes(
        &mut self,
        history: &Linearizability,
        now: Tick,
        since: Tick,
        out: &mut Vec<Finding>,
    ) {
        // Committed somewhere counts as done: the client may have been told `timeout`,
        // but the system made progress (Raft promises commitment, not an answer).
        self.writes
            .retain(|w| w.deadline > now || history.applied_at(w.id).is_none());
        if let Some(w) = self.writes.iter().find(|w| w.deadline <= now) {
            let detail = format!(
                "request {} ({}) sent to Node {} at {} ms, after the faults healed at {} ms, was neither committed nor answered ok by {} ms",
                w.id,
                w.rpc,
                w.node.index() + 1,
                w.at.0,
                since.0,
                w.deadline.0
            );
            self.report(out, detail);
        }
    }

    /// At the end of the run.
    pub fn finish(
        &mut self,
        world: &World<Raft>,
        history: &Linearizability,
        out: &mut Vec<Finding>,
    ) {
        if self.reported {
            return;
        }
        let Some(since) = self.healed_since else {
            return;
        };
        let bounds = Bounds::of(world);
        let now = world.now();
        let leader_due = since + bounds.election;
        if now < leader_due {
            return;
        }
        match self.leader {
            None => {
                self.report(out, format!(
                    "no leader at the end of the run, {} ms after the faults healed at {} ms (bound {} ms)",
                    now.since(since).0,
                    since.0,
                    bounds.election.0
                ));
                return;
            }
            Some((node, term, from)) if from > leader_due => {
                self.report(out, format!(
                    "leadership still changing {} ms after the faults healed at {} ms: Node {} became leader of term {term} at {} ms (bound {} ms)",
                    from.since(since).0,
                    since.0,
                    node.index() + 1,
                    from.0,
                    bounds.election.0
                ));
                return;
            }
            Some(_) => {}
        }
        self.check_writes(history, now, since, out);
        if self.reported || now < since + bounds.apply {
            return;
        }
        for (id, op) in history.acknowledged_writes() {
            for node in world.node_ids() {
                if world.is_up(node) && !world.node(node).server().applied_requests().contains(&id)
                {
                    self.report(out, format!(
                        "request {id} ({}) was acknowledged but Node {} has not applied it {} ms after the faults healed (bound {} ms)",
                        op.rpc(),
                        node.index() + 1,
                        now.since(since).0,
                        bounds.apply.0
                    ));
                    return;
                }
            }
        }
    }
}

/// The live server that is leader in the highest term among live servers, if any.
fn current_leader(world: &World<Raft>) -> Option<(NodeId, Term)> {
    let mut max_term = None;
    let mut leader = None;
    for id in world.node_ids() {
        if !world.is_up(id) {
            continue;
        }
        let s = world.node(id).server();
        max_term = max_term.max(Some(s.current_term()));
        if s.role() == Role::Leader && leader.is_none_or(|(_, t)| s.current_term() > t) {
            leader = Some((id, s.current_term()));
        }
    }
    leader.filter(|(_, t)| Some(*t) == max_term)
}
