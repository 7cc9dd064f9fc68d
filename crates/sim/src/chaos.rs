//! Chaos schedules: a random but seeded plan of faults and client load, generic over
//! the protocol. The same `(seed, options)` always yields the same plan, so a failing
//! chaos seed is reproduced by `faultlab-cli run --seed N --faults …`.
//!
//! The plan draws from its own RNG stream (derived from the seed), separate from the
//! world's, so that the faults do not shift the world's latency draws and vice versa.
//! Plans are a nemesis in Jepsen's sense, and swarm-tested: each seed draws its own mix
//! of the allowed fault classes and their rates ([`Swarm`]), so some seeds are all
//! partitions, some all pauses and seconds-long link delays, some a little of
//! everything. Delays and reordering outlive an election timeout, so a reply can
//! reach a leader of a later term.
//!
//! Every plan ends with a heal phase — all nodes resumed, restarted and back on true
//! time, partitions and slow links healed, loss, duplication and reordering off — well
//! before `until`, so liveness and termination checks have a fault-free window to judge.

use serde::{Deserialize, Serialize};

use crate::fault::{Fault, FaultClass};
use crate::id::NodeId;
use crate::input::Input;
use crate::protocol::Protocol;
use crate::rng::{Seed, SimRng};
use crate::scenario::ScenarioProtocol;
use crate::time::{Tick, Ticks};
use crate::world::World;

/// Which fault classes a chaos run may inject: a set over [`FaultClass`], named by its
/// table (`"crash,delay"`, `"all"`, `"none"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faults(u16);

impl Faults {
    /// Every fault class.
    pub const ALL: Faults = Faults((1 << FaultClass::ALL.len()) - 1);
    /// No fault (client load only).
    pub const NONE: Faults = Faults(0);

    /// The set of `classes`.
    pub fn of(classes: &[FaultClass]) -> Faults {
        let mut f = Faults::NONE;
        for c in classes {
            f.insert(*c);
        }
        f
    }

    /// Whether `class` is in the set.
    pub fn has(self, class: FaultClass) -> bool {
        self.0 & (1 << class as u16) != 0
    }

    /// Add `class`.
    pub fn insert(&mut self, class: FaultClass) {
        self.0 |= 1 << class as u16;
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The classes in the set, in table order.
    pub fn iter(self) -> impl Iterator<Item = FaultClass> {
        FaultClass::ALL.into_iter().filter(move |c| self.has(*c))
    }

    /// Parse a comma-separated list of class names, `all` or `none`.
    ///
    /// # Errors
    /// The unknown name, with the valid ones.
    pub fn parse(list: &str) -> Result<Faults, String> {
        let mut f = Faults::NONE;
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "all" => f = Faults::ALL,
                "none" => {}
                name => match FaultClass::from_name(name) {
                    Some(c) => f.insert(c),
                    None => {
                        return Err(format!(
                            "unknown fault \"{name}\" (expected {}, all or none)",
                            FaultClass::NAMES.join(", ")
                        ));
                    }
                },
            }
        }
        Ok(f)
    }

    /// The list form accepted by [`Faults::parse`].
    pub fn to_list(self) -> String {
        if self == Faults::ALL {
            return "all".into();
        }
        let names: Vec<&str> = self.iter().map(FaultClass::name).collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(",")
        }
    }
}

/// Options of a chaos run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChaosOptions {
    /// Which faults to inject.
    pub faults: Faults,
    /// Run length.
    pub until: Tick,
    /// Mean gap between fault actions.
    pub fault_every: Ticks,
    /// Mean gap between client requests.
    pub request_every: Ticks,
    /// Length of the fault-free window at the end.
    pub quiet: Ticks,
}

impl ChaosOptions {
    /// Defaults for a run of `until`: a fault every ~2 s, a request every ~400 ms, and
    /// the last 20 s (or a third of the run) fault-free.
    pub fn new(faults: Faults, until: Tick) -> Self {
        let quiet = Ticks(20_000.min(until.0 / 3));
        ChaosOptions {
            faults,
            until,
            fault_every: Ticks(2_000),
            request_every: Ticks(400),
            quiet,
        }
    }
}

/// The mix one seed draws (swarm testing, Groce et al., ISSTA 2012): which of the
/// allowed fault classes it uses, and how hard each one hits. A seed that leaves most
/// classes out explores its few much more deeply than a seed that spreads thin over
/// all of them, which is what finds bugs that one fault masks in another.
#[derive(Clone, Debug)]
struct Swarm {
    classes: Vec<FaultClass>,
    /// Mean gap between fault actions.
    every: u64,
    max_drop: u64,
    max_duplicate: u64,
    max_reorder: u64,
    /// Longest extra latency on a slow link.
    max_delay: u64,
    /// Longest pause.
    max_pause: u64,
}

impl Swarm {
    fn draw(rng: &mut SimRng, allowed: Faults, fault_every: Ticks) -> Swarm {
        let mut classes: Vec<FaultClass> = allowed.iter().filter(|_| rng.chance(0.5)).collect();
        let all: Vec<FaultClass> = allowed.iter().collect();
        if classes.is_empty() && !all.is_empty() {
            classes.push(all[pick(rng, all.len())]);
        }
        let every = fault_every.0.max(4);
        Swarm {
            classes,
            every: rng.range_inclusive(every / 4, every * 2),
            max_drop: rng.range_inclusive(5, 40),
            max_duplicate: rng.range_inclusive(5, 30),
            max_reorder: rng.range_inclusive(5, 40),
            max_delay: rng.range_inclusive(1_000, 12_000),
            max_pause: rng.range_inclusive(500, 8_000),
        }
    }
}

/// A uniformly drawn index below `len` (which must be positive).
fn pick(rng: &mut SimRng, len: usize) -> usize {
    usize::try_from(rng.range_inclusive(0, len as u64 - 1)).unwrap_or(0)
}

fn percent(rng: &mut SimRng, max: u64) -> f64 {
    f64::from(u32::try_from(rng.range_inclusive(0, max)).unwrap_or(0)) / 100.0
}

/// Clock rates a skewed node may run at.
const SKEWS: [f64; 6] = [0.25, 0.5, 0.75, 1.5, 2.0, 3.0];

/// A seeded plan of timed inputs.
#[allow(clippy::many_single_char_names)] // n, t: counts and loop variables
pub fn plan<P: ScenarioProtocol>(
    seed: Seed,
    config: &P::Config,
    options: &ChaosOptions,
) -> Vec<(Tick, Input<P>)> {
    let mut rng = SimRng::new(Seed(seed.0 ^ 0x9E37_79B9_7F4A_7C15));
    let n = P::node_count(config);
    let heal_at = Tick(options.until.0.saturating_sub(options.quiet.0));
    let mut out: Vec<(Tick, Input<P>)> = Vec::new();

    // Client load, over the whole run (requests in the quiet window test liveness).
    let mut t = 500u64;
    let last_request = options.until.0.saturating_sub(options.quiet.0 / 2);
    while t < last_request {
        let (node, req) = P::chaos_request(&mut rng, config);
        out.push((Tick(t), Input::Request(node, req)));
        t += rng
            .range_inclusive(options.request_every.0 / 2, options.request_every.0 * 3 / 2)
            .max(1);
    }
    if options.faults.is_empty() {
        return out;
    }
    let faults = fault_plan(&mut rng, n, heal_at, options);
    merge(
        out,
        faults
            .into_iter()
            .map(|(t, f)| (t, Input::Fault(f)))
            .collect(),
    )
}

/// The faults of a plan, in time order, ending with the heal. Not generic, so that
/// every protocol shares it.
fn fault_plan(
    rng: &mut SimRng,
    n: usize,
    heal_at: Tick,
    options: &ChaosOptions,
) -> Vec<(Tick, Fault)> {
    let swarm = Swarm::draw(rng, options.faults, options.fault_every);
    let node = |rng: &mut SimRng| NodeId::from_index(pick(rng, n));
    let mut faults: Vec<(Tick, Fault)> = Vec::new();
    // Undo actions (resume a pause, restore a slow link) due later, kept apart and
    // merged in as time passes, so the plan stays in time order without a sort.
    let mut later: Vec<(Tick, Fault)> = Vec::new();
    let mut t = rng.range_inclusive(500, swarm.every.max(501));
    while t < heal_at.0 {
        flush(&mut faults, &mut later, Tick(t));
        let class = swarm.classes[pick(rng, swarm.classes.len())];
        let fault = match class {
            FaultClass::Crash => match rng.range_inclusive(0, 2) {
                0 => Fault::Restart(node(rng)),
                1 => Fault::Crash(node(rng)),
                _ => {
                    // A bounce (Jepsen's kill -9 under a supervisor): the node comes
                    // back within a second, often inside the election it crashed in,
                    // which is what tests that its vote survived.
                    let a = node(rng);
                    later.push((Tick(t + rng.range_inclusive(20, 1_000)), Fault::Restart(a)));
                    Fault::Crash(a)
                }
            },
            FaultClass::Partition => match rng.range_inclusive(0, 2) {
                0 => Fault::Heal,
                1 => Fault::Isolate(node(rng)),
                _ => {
                    // A random two-way split with at least one node on each side.
                    let mut a = Vec::new();
                    let mut b = Vec::new();
                    for i in 0..n {
                        if rng.chance(0.5) {
                            a.push(NodeId::from_index(i));
                        } else {
                            b.push(NodeId::from_index(i));
                        }
                    }
                    if a.is_empty() || b.is_empty() {
                        Fault::Isolate(node(rng))
                    } else {
                        Fault::Partition(vec![a, b])
                    }
                }
            },
            FaultClass::Drop => Fault::DropRate(percent(rng, swarm.max_drop)),
            FaultClass::Duplicate => Fault::DuplicateRate(percent(rng, swarm.max_duplicate)),
            FaultClass::Reorder => Fault::ReorderRate(percent(rng, swarm.max_reorder)),
            FaultClass::Delay => {
                // A latency spike on one link, seconds long: what it carries arrives
                // after an election has come and gone.
                let a = node(rng);
                let b = NodeId::from_index((a.index() + 1 + pick(rng, n - 1)) % n);
                let extra = Ticks(rng.range_inclusive(500, swarm.max_delay));
                let until = Tick(t + rng.range_inclusive(1_000, 2 * swarm.max_delay));
                later.push((until, Fault::SlowLink(a, b, Ticks(0))));
                Fault::SlowLink(a, b, extra)
            }
            FaultClass::Pause => {
                let a = node(rng);
                let until = Tick(t + rng.range_inclusive(200, swarm.max_pause));
                later.push((until, Fault::Resume(a)));
                Fault::Pause(a)
            }
            FaultClass::Skew => Fault::Skew(node(rng), SKEWS[pick(rng, SKEWS.len())]),
            FaultClass::Disk => {
                // A power cut, bounced like a crash: the node comes back with only
                // what it synced, often inside the election it lost power in.
                let a = node(rng);
                later.push((Tick(t + rng.range_inclusive(20, 1_000)), Fault::Restart(a)));
                Fault::PowerLoss(a)
            }
        };
        faults.push((Tick(t), fault));
        t += rng
            .range_inclusive(swarm.every / 2, swarm.every * 3 / 2)
            .max(1);
    }
    flush(&mut faults, &mut later, heal_at);
    // The heal: everything back to normal, in the window liveness and termination
    // are judged in.
    faults.push((heal_at, Fault::Heal));
    for f in [
        Fault::DropRate(0.0),
        Fault::DuplicateRate(0.0),
        Fault::ReorderRate(0.0),
    ] {
        faults.push((heal_at, f));
    }
    for i in 0..n {
        let id = NodeId::from_index(i);
        if options.faults.has(FaultClass::Pause) {
            faults.push((heal_at, Fault::Resume(id)));
        }
        if options.faults.has(FaultClass::Skew) {
            faults.push((heal_at, Fault::Skew(id, 1.0)));
        }
        faults.push((heal_at, Fault::Restart(id)));
    }
    faults
}

/// Move the undo actions due before `t` into `faults`, earliest first.
fn flush(faults: &mut Vec<(Tick, Fault)>, later: &mut Vec<(Tick, Fault)>, t: Tick) {
    while let Some(i) = (0..later.len())
        .filter(|&i| later[i].0 < t)
        .min_by_key(|&i| (later[i].0, i))
    {
        faults.push(later.remove(i));
    }
}

/// Merge two plans, each in time order, into one in time order; on equal times the
/// client load comes first (what a stable sort of the concatenation gives, without a
/// sort instantiated per protocol in the page's bundle).
fn merge<P: Protocol>(
    load: Vec<(Tick, Input<P>)>,
    faults: Vec<(Tick, Input<P>)>,
) -> Vec<(Tick, Input<P>)> {
    debug_assert!(load.is_sorted_by_key(|(t, _)| *t));
    debug_assert!(faults.is_sorted_by_key(|(t, _)| *t));
    let mut out = Vec::with_capacity(load.len() + faults.len());
    let mut faults = faults.into_iter().peekable();
    for item in load {
        while let Some(f) = faults.next_if(|(t, _)| *t < item.0) {
            out.push(f);
        }
        out.push(item);
    }
    out.extend(faults);
    out
}

/// A world with a chaos plan scheduled.
pub fn world<P: ScenarioProtocol>(
    seed: Seed,
    config: P::Config,
    options: &ChaosOptions,
) -> World<P> {
    let inputs = plan::<P>(seed, &config, options);
    let net = P::default_net(&config);
    let mut w = World::new(seed, config, net);
    for (at, input) in inputs {
        w.schedule(at, input);
    }
    w
}

/// Run one chaos seed to the end (including the end-of-run checks) and return the world.
pub fn run<P: ScenarioProtocol>(seed: Seed, config: P::Config, options: &ChaosOptions) -> World<P> {
    let mut w = world::<P>(seed, config, options);
    w.run_until(options.until);
    w.finish();
    w
}
