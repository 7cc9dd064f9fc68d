//! Chaos schedules: a random but seeded plan of faults and client load, generic over
//! the protocol. The same `(seed, options)` always yields the same plan, so a failing
//! chaos seed is reproduced by `faultlab-cli run --seed N --faults …`.
//!
//! The plan draws from its own RNG stream (derived from the seed), separate from the
//! world's, so that the faults do not shift the world's latency draws and vice versa.
//! Every plan ends with a heal phase — all nodes restarted, partitions healed, loss and
//! duplication off — well before `until`, so liveness and termination checks have a
//! fault-free window to judge.

use serde::{Deserialize, Serialize};

use crate::id::NodeId;
use crate::input::Input;
use crate::protocol::Protocol;
use crate::rng::{Seed, SimRng};
use crate::scenario::ScenarioProtocol;
use crate::time::{Tick, Ticks};
use crate::world::World;

/// Which faults a chaos run may inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::struct_excessive_bools)]
pub struct Faults {
    /// Crash and restart nodes.
    pub crash: bool,
    /// Partition the network.
    pub partition: bool,
    /// Lose messages.
    pub drop: bool,
    /// Duplicate messages.
    pub duplicate: bool,
}

impl Faults {
    /// Every fault.
    pub const ALL: Faults = Faults {
        crash: true,
        partition: true,
        drop: true,
        duplicate: true,
    };
    /// No fault (client load only).
    pub const NONE: Faults = Faults {
        crash: false,
        partition: false,
        drop: false,
        duplicate: false,
    };

    /// Parse a comma-separated list (`"crash,partition,drop,duplicate"`, `"all"`, `"none"`).
    ///
    /// # Errors
    /// The unknown name.
    pub fn parse(list: &str) -> Result<Faults, String> {
        let mut f = Faults::NONE;
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "all" => f = Faults::ALL,
                "none" => {}
                "crash" => f.crash = true,
                "partition" => f.partition = true,
                "drop" => f.drop = true,
                "duplicate" => f.duplicate = true,
                other => {
                    return Err(format!(
                        "unknown fault \"{other}\" (expected crash, partition, drop, duplicate, all or none)"
                    ));
                }
            }
        }
        Ok(f)
    }

    /// The list form accepted by [`Faults::parse`].
    pub fn to_list(self) -> String {
        let mut v = Vec::new();
        if self.crash {
            v.push("crash");
        }
        if self.partition {
            v.push("partition");
        }
        if self.drop {
            v.push("drop");
        }
        if self.duplicate {
            v.push("duplicate");
        }
        if v.is_empty() {
            "none".into()
        } else {
            v.join(",")
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

/// A seeded plan of timed inputs.
#[allow(clippy::many_single_char_names)] // n, t, f, k: counts and loop variables
pub fn plan<P: ScenarioProtocol>(
    seed: Seed,
    config: &P::Config,
    options: &ChaosOptions,
) -> Vec<(Tick, Input<P>)> {
    let mut rng = SimRng::new(Seed(seed.0 ^ 0x9E37_79B9_7F4A_7C15));
    let n = P::node_count(config);
    let heal_at = Tick(options.until.0.saturating_sub(options.quiet.0));
    let mut out: Vec<(Tick, Input<P>)> = Vec::new();
    let f = options.faults;
    let any_fault = f.crash || f.partition || f.drop || f.duplicate;

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

    // Faults, until the heal.
    let mut faults: Vec<(Tick, Input<P>)> = Vec::new();
    if any_fault {
        let mut t = rng.range_inclusive(500, options.fault_every.0.max(501));
        while t < heal_at.0 {
            let node = NodeId::from_index(
                usize::try_from(rng.range_inclusive(0, n as u64 - 1)).unwrap_or(0),
            );
            let kinds: Vec<u8> = [
                (f.crash, 0u8),
                (f.crash, 1),
                (f.partition, 2),
                (f.partition, 3),
                (f.drop, 4),
                (f.duplicate, 5),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, k)| *k)
            .collect();
            let k =
                kinds[usize::try_from(rng.range_inclusive(0, kinds.len() as u64 - 1)).unwrap_or(0)];
            let input = match k {
                0 => Input::Crash(node),
                1 => Input::Restart(node),
                2 => {
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
                        Input::Isolate(node)
                    } else {
                        Input::Partition(vec![a, b])
                    }
                }
                3 => Input::Heal,
                4 => Input::DropRate(
                    f64::from(u32::try_from(rng.range_inclusive(0, 30)).unwrap_or(0)) / 100.0,
                ),
                _ => Input::DuplicateRate(
                    f64::from(u32::try_from(rng.range_inclusive(0, 20)).unwrap_or(0)) / 100.0,
                ),
            };
            faults.push((Tick(t), input));
            t += rng
                .range_inclusive(options.fault_every.0 / 2, options.fault_every.0 * 3 / 2)
                .max(1);
        }
        faults.push((heal_at, Input::Heal));
        faults.push((heal_at, Input::DropRate(0.0)));
        faults.push((heal_at, Input::DuplicateRate(0.0)));
        for i in 0..n {
            faults.push((heal_at, Input::Restart(NodeId::from_index(i))));
        }
    }
    merge(out, faults)
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
