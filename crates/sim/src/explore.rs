//! The exhaustive explorer: a breadth-first search over every nondeterministic choice
//! of a small configuration, checking every invariant in every state and keeping the
//! shortest counterexample of each invariant that fails.
//!
//! ## How a run becomes a search
//! Time is frozen. The explored run happens entirely at virtual time 0 with a one-way
//! latency of [`FROZEN_LATENCY_MS`], so nothing happens by itself: every event is a
//! choice, applied as an [`Input`] at time 0 — deliver one message in flight now
//! ([`Input::DeliverNow`]), fire one armed timer ([`Input::FireTimer`]), drop or
//! duplicate a message, crash or restart a node (within budgets), or a protocol's
//! extra choice (a Raft client write). Inputs at one instant run in order and message
//! ids follow send order, so the path of choices *is* a scenario: every step at
//! `at_ms` 0, `until_ms` 1. [`Counterexample::scenario`] is that file laid out on a
//! timeline by [`timeline::spread`] (choice `k` at `k × gap` ms, messages slower than
//! the whole run) so that the page can play it; replayed with [`Scenario::build`] (or
//! `faultlab-cli run --scenario`) to its `until_ms` it reaches the same violation.
//!
//! States are deduplicated by a 64-bit [`fingerprint`](fingerprint::fingerprint) of
//! the nodes, timers, messages in flight and remaining budgets. Breadth-first order
//! makes the first path that reaches a violation a shortest one.
//!
//! ## Limits
//! The invariant checkers travel with each world (they are cloned), but their state
//! is not part of the fingerprint: a state reached first by one path is not explored
//! again from another, so a checker that judges *histories* sees the first (shortest)
//! history only. Budgets (crashes, drops, duplicates, client writes, timer firings)
//! are part of the state; bounds (messages in flight, identical copies in flight,
//! Raft terms and log length) prune states rather than stop the search; `complete`
//! means the bounded space was exhausted within the depth and state caps.
//!
//! What it must not do: read a clock (the CLI times it), start a thread, or iterate an
//! unordered collection (the visited set is only probed).

pub mod fingerprint;
pub mod raft;
pub mod timeline;
pub mod twopc;

use crate::fault::Fault;
use std::collections::{BTreeMap, VecDeque};

use serde_json::{Value, json};

use crate::hash::ProbeSet;
use crate::id::MsgId;
use crate::input::Input;
use crate::scenario::{Scenario, ScenarioError, ScenarioProtocol};
use crate::time::Tick;
use crate::world::World;

/// The one-way latency of an explored run: so long that no message arrives unless
/// the explorer delivers it.
pub const FROZEN_LATENCY_MS: u64 = 1_000_000_000_000;

/// The bounds of a search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Crashes the search may inject along one path (restarts are free).
    pub crashes: u32,
    /// Messages it may drop along one path.
    pub drops: u32,
    /// Messages it may duplicate along one path.
    pub duplicates: u32,
    /// Client writes a protocol may add along one path (Raft).
    pub writes: u32,
    /// Timer firings along one path (`u32::MAX`: unbounded). Every retry timer
    /// (2PC's decision retry and termination rounds, Raft's heartbeats) can fire
    /// forever; this bounds how many rounds of retries a path contains.
    pub timeouts: u32,
    /// Prune states with more messages in flight than this.
    pub max_in_flight: usize,
    /// Prune states with more than this many identical messages (same sender,
    /// receiver and payload) in flight: a retry that re-sends a message still in
    /// flight adds nothing a model of the network as a set would not have, and without
    /// this bound every retry timer makes the space infinite.
    pub max_copies: usize,
    /// Prune states whose Raft term exceeds this.
    pub max_term: u64,
    /// Prune states whose Raft log is longer than this.
    pub max_log: usize,
    /// Do not expand states deeper than this many choices.
    pub max_depth: usize,
    /// Stop after this many unique states (the result is then incomplete).
    pub max_states: u64,
    /// Stop at the first violation found (the result is then incomplete, but that
    /// counterexample is still a shortest one: the search is breadth-first).
    pub stop_at_first: bool,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            crashes: 1,
            drops: 0,
            duplicates: 0,
            writes: 1,
            timeouts: u32::MAX,
            max_in_flight: 8,
            max_copies: 1,
            max_term: 3,
            max_log: 2,
            max_depth: 64,
            max_states: 2_000_000,
            stop_at_first: false,
        }
    }
}

/// A protocol the explorer can search: its initial configurations, its bounds and
/// its extra choices.
pub trait Explorable: ScenarioProtocol {
    /// The initial scenario of an exploration: mode, cluster size and workload (with
    /// the frozen latency step first). `nodes` is the cluster size asked for, if any.
    ///
    /// # Errors
    /// A node count this protocol cannot explore, or an unknown mode.
    fn explore_scenario(mode: &str, nodes: Option<usize>) -> Result<Scenario, ScenarioError>;

    /// The bounds used for a cluster of `nodes` when the caller gives none.
    fn default_bounds(nodes: Option<usize>) -> Bounds {
        let _ = nodes;
        Bounds::default()
    }

    /// True when `world` lies outside the bounded space (and is not explored).
    fn out_of_bounds(world: &World<Self>, bounds: &Bounds) -> bool {
        let _ = (world, bounds);
        false
    }

    /// Extra choices in `world` that spend one client write (Raft: a write to each
    /// leader).
    fn write_choices(world: &World<Self>) -> Vec<Input<Self>> {
        let _ = world;
        Vec::new()
    }
}

/// The shortest run found that violates one invariant.
#[derive(Clone, Debug)]
pub struct Counterexample {
    /// The invariant's name.
    pub invariant: String,
    /// What the checker said.
    pub detail: String,
    /// Choices from the initial state.
    pub depth: usize,
    /// The run as a `faultlab-scenario/1` file (run it to its `until_ms`).
    pub scenario: Scenario,
    /// How the scenario's steps are laid out in time.
    pub timing: timeline::Timing,
}

/// What a search found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// States generated (every choice applied, duplicates included).
    pub states: u64,
    /// Distinct states (by fingerprint).
    pub unique_states: u64,
    /// States pruned by the bounds.
    pub pruned: u64,
    /// The deepest state expanded, in choices.
    pub max_depth: usize,
    /// True when the bounded space was exhausted (no state cap hit).
    pub complete: bool,
    /// The shortest counterexample per violated invariant, by invariant name.
    pub counterexamples: Vec<Counterexample>,
}

/// Remaining budgets along one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Budgets {
    crashes: u32,
    drops: u32,
    duplicates: u32,
    writes: u32,
    timeouts: u32,
}

impl Budgets {
    fn words(self) -> [u64; 5] {
        [
            u64::from(self.crashes),
            u64::from(self.drops),
            u64::from(self.duplicates),
            u64::from(self.writes),
            u64::from(self.timeouts),
        ]
    }
}

struct Entry<P: ScenarioProtocol> {
    world: World<P>,
    budgets: Budgets,
    depth: usize,
    /// The hash of each message in flight, in id order (a message never changes in
    /// flight, so a child state hashes only the messages sent since).
    msgs: Vec<(MsgId, u64)>,
}

/// The hashes of `world`'s messages in flight in id order, reusing `parent`'s.
fn message_hashes<P: ScenarioProtocol>(
    canon: &mut fingerprint::Canon,
    world: &World<P>,
    parent: &[(MsgId, u64)],
) -> Vec<(MsgId, u64)> {
    world
        .in_flight()
        .map(|e| {
            let h = match parent.binary_search_by_key(&e.id, |&(id, _)| id) {
                Ok(i) => parent[i].1,
                Err(_) => fingerprint::message_hash::<P>(canon, e.from.0, e.to.0, &e.msg),
            };
            (e.id, h)
        })
        .collect()
}

/// The network as a sorted multiset of message hashes.
fn multiset(msgs: &[(MsgId, u64)]) -> Vec<u64> {
    let mut out: Vec<u64> = msgs.iter().map(|&(_, h)| h).collect();
    out.sort_unstable();
    out
}

/// A choice and what it spends.
enum Spend {
    Nothing,
    Crash,
    Drop,
    Duplicate,
    Write,
    Timeout,
}

/// Explore `P` from `initial` (see [`Explorable::explore_scenario`]) within `bounds`.
///
/// # Errors
/// The initial scenario does not build for `P`.
pub fn explore<P: Explorable>(
    initial: &Scenario,
    bounds: &Bounds,
) -> Result<Report, ScenarioError> {
    let mut world = initial.build::<P>()?;
    world.run_until(Tick::ZERO);
    let budgets = Budgets {
        crashes: bounds.crashes,
        drops: bounds.drops,
        duplicates: bounds.duplicates,
        writes: bounds.writes,
        timeouts: bounds.timeouts,
    };
    let mut report = Report {
        complete: true,
        ..Report::default()
    };
    let mut found: BTreeMap<String, Counterexample> = BTreeMap::new();
    let mut seen: ProbeSet<u64> = ProbeSet::default();
    let mut canon = fingerprint::Canon::default();
    let msgs = message_hashes(&mut canon, &world, &[]);
    seen.insert(fingerprint::fingerprint(
        &mut canon,
        &world,
        &multiset(&msgs),
        &budgets.words(),
    ));
    report.unique_states = 1;
    note_violations(&world, 0, initial, &mut found);
    if bounds.stop_at_first && !found.is_empty() {
        report.counterexamples = found.into_values().collect();
        report.complete = false;
        return Ok(report);
    }
    let mut frontier: VecDeque<Entry<P>> = VecDeque::new();
    frontier.push_back(Entry {
        world,
        budgets,
        depth: 0,
        msgs,
    });
    'search: while let Some(entry) = frontier.pop_front() {
        report.max_depth = report.max_depth.max(entry.depth);
        if entry.depth >= bounds.max_depth {
            report.complete = false;
            continue;
        }
        for (input, spend) in choices(&entry.world, &entry.msgs, entry.budgets) {
            let mut next = entry.world.clone();
            let before = next.violations().len();
            next.apply(input);
            next.run_until(Tick::ZERO);
            report.states += 1;
            let mut budgets = entry.budgets;
            match spend {
                Spend::Nothing => {}
                Spend::Crash => budgets.crashes -= 1,
                Spend::Drop => budgets.drops -= 1,
                Spend::Duplicate => budgets.duplicates -= 1,
                Spend::Write => budgets.writes -= 1,
                Spend::Timeout => budgets.timeouts = budgets.timeouts.saturating_sub(1),
            }
            let msgs = message_hashes(&mut canon, &next, &entry.msgs);
            let network = multiset(&msgs);
            if !seen.insert(fingerprint::fingerprint(
                &mut canon,
                &next,
                &network,
                &budgets.words(),
            )) {
                continue;
            }
            report.unique_states += 1;
            if next.violations().len() > before {
                note_violations(&next, entry.depth + 1, initial, &mut found);
                if bounds.stop_at_first {
                    report.complete = false;
                    break 'search;
                }
            }
            if network_out_of_bounds(&network, bounds) || P::out_of_bounds(&next, bounds) {
                report.pruned += 1;
                continue;
            }
            frontier.push_back(Entry {
                world: next,
                budgets,
                depth: entry.depth + 1,
                msgs,
            });
            if report.unique_states >= bounds.max_states {
                report.complete = false;
                break 'search;
            }
        }
    }
    report.counterexamples = found.into_values().collect();
    report
        .counterexamples
        .sort_by(|a, b| a.depth.cmp(&b.depth).then(a.invariant.cmp(&b.invariant)));
    Ok(report)
}

/// True when the network (sorted message hashes) has too many messages in flight,
/// or too many copies of one.
fn network_out_of_bounds(hashes: &[u64], bounds: &Bounds) -> bool {
    if hashes.len() > bounds.max_in_flight {
        return true;
    }
    let mut run = 0;
    for (i, h) in hashes.iter().enumerate() {
        run = if i > 0 && hashes[i - 1] == *h {
            run + 1
        } else {
            1
        };
        if run > bounds.max_copies {
            return true;
        }
    }
    false
}

/// Every choice in `world`, in a fixed order: deliveries, drops, duplicates, timers,
/// crashes and restarts, client writes. Identical messages in flight (same sender,
/// receiver and payload) are offered once: choosing either leads to the same state.
fn choices<P: Explorable>(
    world: &World<P>,
    msgs: &[(MsgId, u64)],
    budgets: Budgets,
) -> Vec<(Input<P>, Spend)> {
    let mut out = Vec::new();
    let mut distinct = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    for &(id, h) in msgs {
        if !hashes.contains(&h) {
            hashes.push(h);
            distinct.push(id);
        }
    }
    for &id in &distinct {
        out.push((Input::Fault(Fault::DeliverNow(id)), Spend::Nothing));
    }
    if budgets.drops > 0 {
        for &id in &distinct {
            out.push((Input::Fault(Fault::Drop(id)), Spend::Drop));
        }
    }
    if budgets.duplicates > 0 {
        for &id in &distinct {
            out.push((Input::Fault(Fault::Duplicate(id)), Spend::Duplicate));
        }
    }
    for id in world.node_ids() {
        let slot = world.slot(id);
        if slot.up && budgets.timeouts > 0 {
            let mut timers: Vec<P::Timer> = slot.timers.iter().map(|t| t.timer).collect();
            timers.sort();
            for t in timers {
                let spend = if budgets.timeouts == u32::MAX {
                    Spend::Nothing
                } else {
                    Spend::Timeout
                };
                out.push((Input::FireTimer(id, t), spend));
            }
        }
    }
    for id in world.node_ids() {
        if world.is_up(id) {
            if budgets.crashes > 0 {
                out.push((Input::Fault(Fault::Crash(id)), Spend::Crash));
            }
        } else {
            out.push((Input::Fault(Fault::Restart(id)), Spend::Nothing));
        }
    }
    if budgets.writes > 0 {
        for input in P::write_choices(world) {
            out.push((input, Spend::Write));
        }
    }
    out
}

/// Record a counterexample for each invariant `world` violates that has none yet.
fn note_violations<P: ScenarioProtocol>(
    world: &World<P>,
    depth: usize,
    initial: &Scenario,
    found: &mut BTreeMap<String, Counterexample>,
) {
    for v in world.violations() {
        if found.contains_key(&v.invariant) {
            continue;
        }
        let (scenario, timing) = counterexample_scenario(world, initial, &v.invariant, depth);
        found.insert(
            v.invariant.clone(),
            Counterexample {
                invariant: v.invariant.clone(),
                detail: v.detail.clone(),
                depth,
                scenario,
                timing,
            },
        );
    }
}

/// The scenario that replays `world`'s path: the initial scenario's settings with
/// every input applied so far as a step, laid out on a timeline when possible.
fn counterexample_scenario<P: ScenarioProtocol>(
    world: &World<P>,
    initial: &Scenario,
    invariant: &str,
    depth: usize,
) -> (Scenario, timeline::Timing) {
    let mut frozen = initial.clone();
    frozen.steps = Scenario::steps_from_inputs(world);
    frozen.until_ms = 1;
    let (mut scenario, timing) = timeline::spread::<P>(&frozen, initial.steps.len());
    scenario.meta.insert(
        "title".into(),
        json!(format!("Explorer: shortest run that violates {invariant}")),
    );
    let time = if timing.gap_ms == 0 {
        "Time is frozen at 0 ms and messages never arrive by themselves: every delivery, timer, drop and crash is a step.".to_owned()
    } else {
        format!(
            "One choice every {} ms; messages take {} ms, longer than the whole run, so none arrives and no timer fires unless a step says so (deliver_now, fire).",
            timing.gap_ms, timing.latency_ms
        )
    };
    scenario.meta.insert(
        "description".into(),
        Value::String(format!(
            "Found by faultlab's exhaustive explorer ({} {}): {depth} choices after the initial workload. {time} Step back from the violation to see how it happened.",
            P::NAME,
            initial.mode
        )),
    );
    scenario
        .meta
        .insert("expect".into(), json!(format!("Violation of {invariant}.")));
    (scenario, timing)
}
