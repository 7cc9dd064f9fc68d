//! **Linearizability** of the client history (Herlihy & Wing 1990) against the
//! sequential music queue ([`MusicQueue::apply`]), checked with the Wing & Gong
//! search as refined by Lowe ("Testing for linearizability", 2017) and used by
//! Porcupine: walk the history's call/return events in time order, try to linearize
//! each pending call against the model, backtrack at a return whose call could not be
//! placed, and memoise `(set of linearized ops, model state)` so no configuration is
//! explored twice.
//!
//! Outcomes map onto the model as follows:
//! - `ok` and validation rejections are *known* results: the model must produce
//!   exactly them at the linearization point;
//! - `timeout` (and a request never answered) is *unknown*: the op may take effect at
//!   any point after its call, or never. Its return is placed at +∞ and any result is
//!   accepted, so placing it after every other op is the same as "never";
//! - `not_leader`, `connection refused` and `Forwarding failed` claim the op had no
//!   effect: the op is left out of the history, so if it did take effect the other
//!   results cannot be explained and the check fails;
//! - reads with an unknown outcome change nothing and are left out;
//! - an unknown-outcome write that **no replica ever applied** is left out too. This
//!   is the one white-box step: the checker watches every server's `lastApplied` and
//!   records the client requests applied anywhere. Answers come only from state
//!   machines, so a request no state machine ever applied cannot explain any answer;
//!   dropping it keeps the search from trying, at every read, every subset of the
//!   requests lost with a crashed or partitioned leader (which made the plain search
//!   exponential in chaos runs).
//!
//! The search runs in two phases. Phase 1 pins each remaining unknown-outcome
//! write to the point where a replica first applied it (the step, then the log
//! index within the step): that point lies after the op's call, so a linearization
//! found under the restriction is a valid witness for the real history, and it is
//! found in a few steps even when a healed leader commits a dozen such writes at once. Only if phase 1
//! fails does phase 2 search without the bound, so a violation is never reported
//! because of the white-box bound.
//!
//! The search runs once, at the end of the run ([`Linearizability::finish`]); the
//! history is recorded as the run goes. A step budget bounds pathological histories:
//! past it the verdict is "inconclusive", not a violation.

use crate::sorted::SortedMap;

use crate::hash::ProbeSet;
use crate::id::RequestId;
use crate::invariant::Finding;
use crate::trace::{EventKind, TraceEvent};

use super::super::Raft;
use super::super::client::Response;
use super::super::entry::Command;
use super::super::music_queue::{MemoKey, MusicQueue, Op, OpResult, Rejection};
use super::super::server::Server;
use super::super::types::LogIndex;
use super::Participant;

/// The invariant's name.
pub const NAME: &str = "linearizability";

/// Sub-divisions of one trace index in the search's time line.
pub const SUBSTEPS: u64 = 1 << 20;

/// The most search steps before the verdict is "inconclusive".
pub const STEP_BUDGET: u64 = 2_000_000;

/// One client operation of the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryOp {
    /// The request.
    pub id: RequestId,
    /// Trace index of the call.
    pub call: u64,
    /// Trace index of the return (`u64::MAX` when the outcome is unknown).
    pub ret: u64,
    /// The operation.
    pub op: Op,
    /// The known result, or `None` when unknown.
    pub result: Option<Result<OpResult, Rejection>>,
}

/// The verdict of a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A linearization exists.
    Linearizable,
    /// None exists.
    NotLinearizable,
    /// The step budget ran out.
    Inconclusive,
}

/// The recorded history and, after `finish`, the verdict.
#[derive(Clone, Debug, Default)]
pub struct Linearizability {
    calls: Vec<(RequestId, u64, Op)>,
    returns: Vec<(RequestId, u64, Response)>,
    verdict: Option<Verdict>,
    steps: u64,
    /// Why the verdict is [`Verdict::Inconclusive`], when it is.
    inconclusive: Option<String>,
    /// Client requests applied by some replica, with where they were first applied:
    /// the trace index of the step's first event (so the point precedes every answer
    /// given in that step) and the log index.
    applied_anywhere: SortedMap<RequestId, (u64, u64)>,
    /// Per participant: `lastApplied` at the last look.
    applied_seen: Vec<LogIndex>,
}

impl Linearizability {
    /// Record the client calls and returns of one step.
    pub fn record(&mut self, events: &[TraceEvent<Raft>]) {
        for ev in events {
            match &ev.kind {
                EventKind::Request { id, request, .. } => {
                    self.calls.push((*id, ev.index, request.clone()));
                }
                EventKind::Response { id, response, .. } => {
                    self.returns.push((*id, ev.index, response.clone()));
                }
                _ => {}
            }
        }
    }

    /// Note the client requests a server has applied since the last look.
    pub fn observe(&mut self, who: Participant, server: &Server, at_index: u64) {
        if self.applied_seen.len() <= who.0 {
            self.applied_seen.resize(who.0 + 1, LogIndex::ZERO);
        }
        let last = server.last_applied();
        let before = self.applied_seen[who.0];
        if last == before {
            return;
        }
        self.applied_seen[who.0] = last;
        let mut index = if last < before {
            LogIndex(1)
        } else {
            before.next()
        };
        while index <= last {
            if let Some(e) = server.log().entry(index)
                && let Command::Client { request, .. } = &*e.command
            {
                self.applied_anywhere
                    .entry(*request)
                    .or_insert((at_index, index.0));
            }
            index = index.next();
        }
    }

    /// Where a client request was first applied: `(trace index of the step, log index)`.
    pub fn applied_at(&self, request: RequestId) -> Option<(u64, u64)> {
        self.applied_anywhere.get(&request).copied()
    }

    /// The verdict, once [`Linearizability::finish`] has run.
    pub fn verdict(&self) -> Option<Verdict> {
        self.verdict
    }

    /// Why the search could not decide, when its verdict is
    /// [`Verdict::Inconclusive`].
    pub fn inconclusive(&self) -> Option<&str> {
        self.inconclusive.as_deref()
    }

    /// Search steps the last check took.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Every write a client was told succeeded (`ok`), with its request id.
    pub fn acknowledged_writes(&self) -> impl Iterator<Item = (RequestId, &Op)> {
        self.returns
            .iter()
            .filter(|(_, _, r)| matches!(r, Response::Ok(_)))
            .filter_map(|(id, _, _)| {
                self.calls
                    .iter()
                    .find(|(c, _, _)| c == id)
                    .filter(|(_, _, op)| op.is_write())
                    .map(|(c, _, op)| (*c, op))
            })
    }

    /// The history as the search sees it (phase 2: unknown outcomes unbounded).
    pub fn history(&self) -> Vec<HistoryOp> {
        self.history_with(false)
    }

    /// The history; with `pinned`, an unknown-outcome write is pinned to the point
    /// where a replica first applied it (phase 1). Times are trace indices scaled
    /// by [`SUBSTEPS`], so that points within one step can be ordered by log index.
    pub fn history_with(&self, pinned: bool) -> Vec<HistoryOp> {
        let mut ops = Vec::with_capacity(self.calls.len());
        for (id, call_index, op) in &self.calls {
            let call = &(call_index * SUBSTEPS);
            let ret = self.returns.iter().find(|(r, _, _)| r == id);
            match ret {
                Some((_, _, resp)) if resp.had_no_effect() => {}
                Some((_, at, Response::Ok(result))) => {
                    let ret = at * SUBSTEPS + (SUBSTEPS - 1);
                    ops.push(HistoryOp {
                        id: *id,
                        call: *call,
                        ret,
                        op: op.clone(),
                        result: Some(Ok(result.clone())),
                    });
                }
                Some((_, at, Response::Rejected(why))) => {
                    let ret = at * SUBSTEPS + (SUBSTEPS - 1);
                    ops.push(HistoryOp {
                        id: *id,
                        call: *call,
                        ret,
                        op: op.clone(),
                        result: Some(Err(why.clone())),
                    });
                }
                _ => {
                    if let Some((step, index)) =
                        self.applied_anywhere.get(id).filter(|_| op.is_write())
                    {
                        let (call, ret) = if pinned {
                            let point = step * SUBSTEPS + (*index).min(SUBSTEPS - 2);
                            (point, point)
                        } else {
                            (*call, u64::MAX)
                        };
                        ops.push(HistoryOp {
                            id: *id,
                            call,
                            ret,
                            op: op.clone(),
                            result: None,
                        });
                    }
                }
            }
        }
        ops
    }

    /// Run the search on the recorded history.
    pub fn finish(&mut self, out: &mut Vec<Finding>) {
        let bounded = self.history_with(true);
        let (fast, fast_steps, _) = check(&bounded, STEP_BUDGET / 20);
        if fast == Verdict::Linearizable {
            self.verdict = Some(fast);
            self.steps = fast_steps;
            return;
        }
        let history = self.history();
        let (verdict, steps, stuck) = check(&history, STEP_BUDGET);
        self.verdict = Some(verdict);
        self.steps = fast_steps + steps;
        if verdict == Verdict::Inconclusive {
            // Not a pass and not a violation: the search gave up. Reported apart
            // ([`Linearizability::inconclusive`]) so a sweep can count it.
            self.inconclusive = Some(format!(
                "the search for an order of the {} client operations gave up after {} steps (budget {STEP_BUDGET})",
                history.len(),
                self.steps
            ));
        }
        if verdict == Verdict::NotLinearizable {
            let detail = match stuck {
                Some(op) => format!(
                    "no order of the {} client operations explains every answer; the first that cannot be placed is request {} ({}) answered {}",
                    history.len(),
                    op.id,
                    op.op.rpc(),
                    describe(op.result.as_ref())
                ),
                None => format!(
                    "no order of the {} client operations explains every answer",
                    history.len()
                ),
            };
            out.push(Finding::new(NAME, detail));
        }
    }
}

fn describe(result: Option<&Result<OpResult, Rejection>>) -> String {
    match result {
        None => "unknown".to_owned(),
        Some(Ok(OpResult::Done)) => "ok".to_owned(),
        Some(Ok(OpResult::Played(t))) => match t {
            Some(t) => format!("played Some({})", crate::text::quoted(&t.id)),
            None => "played None".to_owned(),
        },
        Some(Ok(OpResult::Queue(q) | OpResult::History(q))) => {
            format!(
                "[{}]",
                q.iter()
                    .map(|t| format!("{}:{}", t.id, t.votes))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Some(Ok(OpResult::Track(t))) => format!("track {}", t.id),
        Some(Err(r)) => format!("rejected ({r})"),
    }
}

const NIL: usize = usize::MAX;

#[derive(Clone, Copy, Debug)]
struct Cell {
    /// The op, or `NIL` for the head sentinel.
    op: usize,
    /// For a call: the index of its return cell; `NIL` for a return.
    matching: usize,
    prev: usize,
    next: usize,
}

/// Search for a linearization of `history`. Returns the verdict, the steps taken,
/// and the op whose return could not be justified at the deepest point reached.
#[allow(clippy::similar_names)] // stack/stuck, cell/call: the search's own vocabulary
pub fn check(history: &[HistoryOp], budget: u64) -> (Verdict, u64, Option<&HistoryOp>) {
    // Events in time order: (time, is_return, op).
    let mut events: Vec<(u64, bool, usize)> = Vec::with_capacity(history.len() * 2);
    for (i, op) in history.iter().enumerate() {
        events.push((op.call, false, i));
        events.push((op.ret, true, i));
    }
    events.sort_unstable();
    let mut cells = Vec::with_capacity(events.len() + 1);
    cells.push(Cell {
        op: NIL,
        matching: NIL,
        prev: NIL,
        next: NIL,
    });
    let mut ret_cell = vec![NIL; history.len()];
    let mut call_cell = vec![NIL; history.len()];
    for (k, (_, is_ret, op)) in events.iter().enumerate() {
        let idx = k + 1;
        cells.push(Cell {
            op: *op,
            matching: NIL,
            prev: idx - 1,
            next: NIL,
        });
        cells[idx - 1].next = idx;
        if *is_ret {
            ret_cell[*op] = idx;
        } else {
            call_cell[*op] = idx;
        }
    }
    for op in 0..history.len() {
        cells[call_cell[op]].matching = ret_cell[op];
    }

    let words = history.len().div_ceil(64).max(1);
    let mut linearized = vec![0u64; words];
    // The memo: (linearized ops, the model state's canonical encoding). The whole
    // state, not a hash of part of it: a key shared by two different states prunes a
    // branch that may be the only explanation (Lowe 2017 memoises exact configurations).
    let mut cache: ProbeSet<(Vec<u64>, MemoKey)> = ProbeSet::default();
    // The stack of linearized calls: (cell, state before it if it changed, pass).
    let mut stack: Vec<(usize, Option<MusicQueue>, Pass)> = Vec::new();
    let mut state = MusicQueue::new();
    let mut steps = 0u64;
    let mut deepest = 0usize;
    let mut stuck: Option<usize> = None;
    let mut entry = cells[0].next;
    let mut pass = Pass::Known;
    while cells[0].next != NIL {
        steps += 1;
        if steps > budget {
            return (Verdict::Inconclusive, steps, None);
        }
        let cell = cells[entry];
        if cell.matching == NIL && history[cell.op].ret == u64::MAX {
            // Only unknown-outcome ops are left (their returns sit at +∞): leaving
            // them out ("they never took effect") explains everything.
            return (Verdict::Linearizable, steps, None);
        }
        if cell.matching == NIL {
            // The earliest pending return. Pass 1 tried every known-outcome call before
            // it; pass 2 tries the unknown-outcome ones; then backtrack.
            if pass == Pass::Known {
                pass = Pass::Unknown;
                entry = cells[0].next;
                continue;
            }
            if stack.len() >= deepest {
                deepest = stack.len();
                stuck = Some(cell.op);
            }
            let Some((call, old, call_pass)) = stack.pop() else {
                return (Verdict::NotLinearizable, steps, stuck.map(|i| &history[i]));
            };
            if let Some(s) = old {
                state = s;
            }
            let op = cells[call].op;
            linearized[op / 64] &= !(1 << (op % 64));
            unlift(&mut cells, call);
            entry = cells[call].next;
            pass = call_pass;
            continue;
        }
        let h = &history[cell.op];
        if (h.result.is_some()) == (pass == Pass::Known) {
            let stepped = step(&state, h);
            // An unknown-outcome op that would change nothing now is better left
            // pending: that keeps every option open (it may matter later, and its
            // answer constrains nothing). This prunes most of the search.
            let useless = pass == Pass::Unknown
                && h.ret == u64::MAX
                && matches!(&stepped, Some(Some(s)) if *s == state);
            if let Some(new_state) = stepped.filter(|_| !useless) {
                let mut next_lin = linearized.clone();
                next_lin[cell.op / 64] |= 1 << (cell.op % 64);
                let key = new_state.as_ref().unwrap_or(&state).memo_key();
                if cache.insert((next_lin.clone(), key)) {
                    let old = new_state.map(|s| std::mem::replace(&mut state, s));
                    stack.push((entry, old, pass));
                    linearized = next_lin;
                    lift(&mut cells, entry);
                    entry = cells[0].next;
                    pass = Pass::Known;
                    continue;
                }
            }
        }
        entry = cell.next;
    }
    (Verdict::Linearizable, steps, None)
}

/// Which calls a walk of the pending list tries: known-outcome ones first, so that
/// an unknown-outcome write is assumed to have taken effect only when some answer
/// needs it (the search stays complete: both passes run before backtracking).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pass {
    Known,
    Unknown,
}

/// Try `op` on `state`: `None` if its known result disagrees with the model,
/// `Some(None)` if it fits and changes nothing, `Some(Some(s))` if it fits and
/// leads to `s`.
#[allow(clippy::option_option)] // None: impossible here; Some(None): no change; Some(Some(s)): new state
fn step(state: &MusicQueue, op: &HistoryOp) -> Option<Option<MusicQueue>> {
    if !op.op.is_write() {
        let expected = op.result.as_ref()?;
        if let Some(ok) = state.read_matches(&op.op, expected) {
            return ok.then_some(None);
        }
        let mut probe = state.clone();
        return (probe.apply(&op.op) == *expected).then_some(None);
    }
    let mut next = state.clone();
    let got = next.apply(&op.op);
    match &op.result {
        None => Some(Some(next)),
        Some(expected) if *expected == got => Some(Some(next)),
        Some(_) => None,
    }
}

fn lift(cells: &mut [Cell], call: usize) {
    let c = cells[call];
    cells[c.prev].next = c.next;
    if c.next != NIL {
        cells[c.next].prev = c.prev;
    }
    let r = cells[c.matching];
    cells[r.prev].next = r.next;
    if r.next != NIL {
        cells[r.next].prev = r.prev;
    }
}

fn unlift(cells: &mut [Cell], call: usize) {
    let ret = cells[call].matching;
    let r = cells[ret];
    cells[r.prev].next = ret;
    if r.next != NIL {
        cells[r.next].prev = ret;
    }
    let c = cells[call];
    cells[c.prev].next = call;
    if c.next != NIL {
        cells[c.next].prev = call;
    }
}
