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
//! - reads with an unknown outcome change nothing and are left out.
//!
//! The search runs once, at the end of the run ([`Linearizability::finish`]); the
//! history is recorded as the run goes. A step budget bounds pathological histories:
//! past it the verdict is "inconclusive", not a violation.

use std::collections::HashSet;

use crate::id::RequestId;
use crate::invariant::Finding;
use crate::trace::{EventKind, TraceEvent};

use super::super::Raft;
use super::super::client::Response;
use super::super::music_queue::{MusicQueue, Op, OpResult, Rejection};

/// The invariant's name.
pub const NAME: &str = "linearizability";

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
}

impl Linearizability {
    /// Record the client calls and returns of one step.
    pub fn record(&mut self, events: &[TraceEvent<Raft>]) {
        for ev in events {
            match &ev.kind {
                EventKind::Request { id, request, .. } => self.calls.push((*id, ev.index, request.clone())),
                EventKind::Response { id, response, .. } => self.returns.push((*id, ev.index, response.clone())),
                _ => {}
            }
        }
    }

    /// The verdict, once [`Linearizability::finish`] has run.
    pub fn verdict(&self) -> Option<Verdict> {
        self.verdict
    }

    /// Search steps the last check took.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Every write a client was told succeeded (`ok`), with its request id.
    pub fn acknowledged_writes(&self) -> impl Iterator<Item = (RequestId, &Op)> {
        self.returns.iter().filter(|(_, _, r)| matches!(r, Response::Ok(_))).filter_map(|(id, _, _)| {
            self.calls.iter().find(|(c, _, _)| c == id).filter(|(_, _, op)| op.is_write()).map(|(c, _, op)| (*c, op))
        })
    }

    /// The history as the search sees it.
    pub fn history(&self) -> Vec<HistoryOp> {
        let mut ops = Vec::with_capacity(self.calls.len());
        for (id, call, op) in &self.calls {
            let ret = self.returns.iter().find(|(r, _, _)| r == id);
            match ret {
                Some((_, _, resp)) if resp.had_no_effect() => {}
                Some((_, at, Response::Ok(result))) => {
                    ops.push(HistoryOp { id: *id, call: *call, ret: *at, op: op.clone(), result: Some(Ok(result.clone())) });
                }
                Some((_, at, Response::Rejected(why))) => {
                    ops.push(HistoryOp { id: *id, call: *call, ret: *at, op: op.clone(), result: Some(Err(why.clone())) });
                }
                _ => {
                    if op.is_write() {
                        ops.push(HistoryOp { id: *id, call: *call, ret: u64::MAX, op: op.clone(), result: None });
                    }
                }
            }
        }
        ops
    }

    /// Run the search on the recorded history.
    pub fn finish(&mut self, out: &mut Vec<Finding>) {
        let history = self.history();
        let (verdict, steps, stuck) = check(&history, STEP_BUDGET);
        self.verdict = Some(verdict);
        self.steps = steps;
        if verdict == Verdict::NotLinearizable {
            let detail = match stuck {
                Some(op) => format!(
                    "no order of the {} client operations explains every answer; the first that cannot be placed is request {} ({}) answered {}",
                    history.len(),
                    op.id,
                    op.op.rpc(),
                    describe(op.result.as_ref())
                ),
                None => format!("no order of the {} client operations explains every answer", history.len()),
            };
            out.push(Finding::new(NAME, detail));
        }
    }
}

fn describe(result: Option<&Result<OpResult, Rejection>>) -> String {
    match result {
        None => "unknown".to_owned(),
        Some(Ok(OpResult::Done)) => "ok".to_owned(),
        Some(Ok(OpResult::Played(t))) => format!("played {:?}", t.as_ref().map(|t| &*t.id)),
        Some(Ok(OpResult::Queue(q) | OpResult::History(q))) => {
            format!("[{}]", q.iter().map(|t| format!("{}:{}", t.id, t.votes)).collect::<Vec<_>>().join(", "))
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
pub fn check(history: &[HistoryOp], budget: u64) -> (Verdict, u64, Option<&HistoryOp>) {
    // Events in time order: (time, is_return, op).
    let mut events: Vec<(u64, bool, usize)> = Vec::with_capacity(history.len() * 2);
    for (i, op) in history.iter().enumerate() {
        events.push((op.call, false, i));
        events.push((op.ret, true, i));
    }
    events.sort_unstable();
    let mut cells = Vec::with_capacity(events.len() + 1);
    cells.push(Cell { op: NIL, matching: NIL, prev: NIL, next: NIL });
    let mut ret_cell = vec![NIL; history.len()];
    let mut call_cell = vec![NIL; history.len()];
    for (k, (_, is_ret, op)) in events.iter().enumerate() {
        let idx = k + 1;
        cells.push(Cell { op: *op, matching: NIL, prev: idx - 1, next: NIL });
        cells[idx - 1].next = idx;
        if *is_ret { ret_cell[*op] = idx } else { call_cell[*op] = idx }
    }
    for op in 0..history.len() {
        cells[call_cell[op]].matching = ret_cell[op];
    }

    let words = history.len().div_ceil(64).max(1);
    let mut linearized = vec![0u64; words];
    let mut cache: HashSet<(Vec<u64>, u64)> = HashSet::new();
    let mut calls: Vec<(usize, Option<MusicQueue>)> = Vec::new();
    let mut state = MusicQueue::new();
    let mut steps = 0u64;
    let mut deepest = 0usize;
    let mut stuck: Option<usize> = None;
    let mut entry = cells[0].next;
    while cells[0].next != NIL {
        steps += 1;
        if steps > budget {
            return (Verdict::Inconclusive, steps, None);
        }
        let cell = cells[entry];
        if cell.matching != NIL {
            let h = &history[cell.op];
            let stepped = step(&state, h);
            if let Some(new_state) = stepped {
                let mut next_lin = linearized.clone();
                next_lin[cell.op / 64] |= 1 << (cell.op % 64);
                let fp = new_state.as_ref().unwrap_or(&state).fingerprint();
                if cache.insert((next_lin.clone(), fp)) {
                    let old = new_state.map(|s| std::mem::replace(&mut state, s));
                    calls.push((entry, old));
                    linearized = next_lin;
                    lift(&mut cells, entry);
                    entry = cells[0].next;
                    continue;
                }
            }
            entry = cell.next;
        } else {
            // A return whose call is not linearized yet: backtrack.
            if calls.len() >= deepest {
                deepest = calls.len();
                stuck = Some(cell.op);
            }
            let Some((call, old)) = calls.pop() else {
                return (Verdict::NotLinearizable, steps, stuck.map(|i| &history[i]));
            };
            if let Some(s) = old {
                state = s;
            }
            let op = cells[call].op;
            linearized[op / 64] &= !(1 << (op % 64));
            unlift(&mut cells, call);
            entry = cells[call].next;
        }
    }
    (Verdict::Linearizable, steps, None)
}

/// Try `op` on `state`: `None` if its known result disagrees with the model,
/// `Some(None)` if it fits and changes nothing, `Some(Some(s))` if it fits and
/// leads to `s`.
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
