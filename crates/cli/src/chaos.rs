//! `faultlab-cli chaos`: a sweep over seeds with random faults and client load, in
//! parallel on every core (rayon). Each failing seed is listed with the one `run`
//! command that reproduces it; the first [`WITH_SCENARIO`] also with the chaos run as
//! a scenario file (its faults and client load as steps) and the page link that opens
//! it at its first violation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::Instant;

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::{Checker, Scenario, ScenarioProtocol, Seed, Tick};
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::args::{ChaosArgs, ProtocolArgs, parse_seeds};
use crate::dispatch::{self, with_protocol};
use crate::share::finished_url;

/// How many failing seeds carry a `scenario` and a `url` (each is the whole run, a few
/// tens of kB).
pub(crate) const WITH_SCENARIO: usize = 3;

/// The outcome of one seed.
#[derive(Debug, Clone)]
pub(crate) struct SeedOutcome {
    pub(crate) seed: u64,
    pub(crate) events: u64,
    pub(crate) invariants: Vec<String>,
    /// Whether some check could not decide (neither a pass nor a violation).
    pub(crate) inconclusive: bool,
    pub(crate) panic: Option<String>,
}

pub(crate) fn main(args: &ChaosArgs) -> Result<ExitCode, String> {
    with_protocol!(args.proto.protocol.as_str(), chaos_with(args))
}

/// Run one seed, catching a panic as an outcome rather than a crash of the sweep.
pub(crate) fn run_seed<P: ScenarioProtocol>(
    seed: u64,
    config: &P::Config,
    options: &ChaosOptions,
) -> SeedOutcome {
    let result = catch_unwind(AssertUnwindSafe(|| {
        chaos::run::<P>(Seed(seed), config.clone(), options)
    }));
    match result {
        Ok(world) => SeedOutcome {
            seed,
            events: world.events(),
            invariants: world
                .violations()
                .iter()
                .map(|v| v.invariant.clone())
                .collect(),
            inconclusive: !world.checker().inconclusive().is_empty(),
            panic: None,
        },
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "panic".to_owned());
            SeedOutcome {
                seed,
                events: 0,
                invariants: Vec::new(),
                inconclusive: false,
                panic: Some(message),
            }
        }
    }
}

/// Seed `seed` of a sweep as a scenario file: the chaos plan's faults and client load
/// as steps, which `run --scenario` replays to the same run (same world, same
/// inputs in the same order), and the index of the run's first violation.
pub(crate) fn seed_scenario<P: ScenarioProtocol>(
    seed: u64,
    config: &P::Config,
    options: &ChaosOptions,
) -> (Scenario, Option<u64>) {
    let world = chaos::run::<P>(Seed(seed), config.clone(), options);
    let mut sc = Scenario::from_world(&world, options.until.0, None);
    let first = world.violations().iter().min_by_key(|v| v.event);
    let names: Vec<&str> = world
        .violations()
        .iter()
        .map(|v| v.invariant.as_str())
        .collect();
    sc.meta.insert(
        "title".into(),
        json!(format!("Chaos seed {seed}: {}", names.join(", "))),
    );
    sc.meta.insert(
        "description".into(),
        json!(format!(
            "A failing seed of `faultlab-cli chaos` ({} faults, client load, a heal phase and a quiet window at the end), as a scenario: every fault and client request is a step.",
            options.faults.to_list()
        )),
    );
    if let Some(v) = first {
        sc.meta.insert(
            "expect".into(),
            json!(format!(
                "Violation of {} at event {} ({} ms): {}",
                v.invariant, v.event, v.at_ms, v.detail
            )),
        );
    }
    (sc, first.map(|v| v.event))
}

/// The `run` command that reproduces `seed` of a sweep.
pub(crate) fn repro_command<P: ScenarioProtocol>(
    proto: &ProtocolArgs,
    config: &P::Config,
    seed: u64,
    faults: Faults,
    until_ms: u64,
) -> String {
    let (mode, _) = P::mode_of(config);
    let mut cmd = format!("faultlab-cli run --protocol {} --mode {mode}", P::NAME);
    for b in &proto.bugs {
        let _ = write!(cmd, " --bug {b}");
    }
    if let Some(n) = proto.nodes {
        let _ = write!(cmd, " --nodes {n}");
    }
    let _ = write!(
        cmd,
        " --seed {seed} --faults {} --until-ms {until_ms}",
        faults.to_list()
    );
    cmd
}

fn chaos_with<P: ScenarioProtocol>(args: &ChaosArgs) -> Result<ExitCode, String> {
    let config = dispatch::config::<P>(&args.proto)?;
    let seeds = parse_seeds(&args.seeds)?;
    let faults = Faults::parse(&args.faults).map_err(|e| format!("--faults: {e}"))?;
    let options = ChaosOptions::new(faults, Tick(args.until_ms));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| format!("--threads: {e}"))?;
    // Panics are counted per seed; keep the default hook from flooding stderr.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let outcomes: Vec<SeedOutcome> = pool.install(|| {
        seeds
            .clone()
            .into_par_iter()
            .map(|seed| run_seed::<P>(seed, &config, &options))
            .collect()
    });
    let elapsed = started.elapsed();
    std::panic::set_hook(default_hook);

    let runs = outcomes.len();
    let events: u64 = outcomes.iter().map(|o| o.events).sum();
    let failing: Vec<&SeedOutcome> = outcomes
        .iter()
        .filter(|o| !o.invariants.is_empty() || o.panic.is_some())
        .collect();
    let violating = outcomes.iter().filter(|o| !o.invariants.is_empty()).count();
    let panics = outcomes.iter().filter(|o| o.panic.is_some()).count();
    let inconclusive = outcomes.iter().filter(|o| o.inconclusive).count();
    let mut by_invariant: BTreeMap<String, u64> = BTreeMap::new();
    for o in &outcomes {
        for inv in &o.invariants {
            *by_invariant.entry(inv.clone()).or_default() += 1;
        }
    }
    let (mode, bugs) = P::mode_of(&config);
    let listed: Vec<Value> = failing
        .iter()
        .take(args.show)
        .enumerate()
        .map(|(i, o)| {
            let mut entry = json!({
                "seed": o.seed,
                "invariants": o.invariants,
                "panic": o.panic,
                "command": repro_command::<P>(&args.proto, &config, o.seed, faults, args.until_ms),
            });
            if i < WITH_SCENARIO && o.panic.is_none() {
                let (sc, event) = seed_scenario::<P>(o.seed, &config, &options);
                let value = sc.to_value();
                entry["url"] = json!(finished_url(&args.base_url, &value, event));
                entry["scenario"] = value;
            }
            entry
        })
        .collect();
    let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    #[allow(clippy::cast_precision_loss)]
    let runs_per_sec = runs as f64 / elapsed.as_secs_f64().max(1e-9);
    let report = json!({
        "protocol": P::NAME,
        "mode": mode,
        "bugs": bugs,
        "seeds": format!("{}..{}", seeds.start, seeds.end),
        "faults": faults.to_list(),
        "until_ms": args.until_ms,
        "runs": runs,
        "events": events,
        "violations": violating,
        "panics": panics,
        "inconclusive": inconclusive,
        "violations_by_invariant": by_invariant,
        "first_failing_seed": failing.first().map(|o| o.seed),
        "failing": listed,
        "elapsed_ms": elapsed_ms,
        "runs_per_sec": runs_per_sec,
        "threads": pool.current_num_threads(),
    });
    if args.proto.json {
        println!("{report}");
    } else {
        println!(
            "{} ({mode}) seeds {}..{} faults {}: {runs} runs, {events} events in {elapsed_ms} ms ({runs_per_sec:.0} runs/s)",
            P::NAME,
            seeds.start,
            seeds.end,
            faults.to_list()
        );
        println!("{violating} runs with violations, {inconclusive} inconclusive, {panics} panics");
        for (inv, n) in &by_invariant {
            #[allow(clippy::cast_precision_loss)]
            let share = 100.0 * *n as f64 / runs.max(1) as f64;
            println!("  {inv:28} {n:6} runs ({share:.1}%)");
        }
        for (i, o) in failing.iter().take(args.show).enumerate() {
            let what = o
                .panic
                .as_ref()
                .map_or_else(|| o.invariants.join(", "), |p| format!("panic: {p}"));
            println!(
                "seed {} [{what}]\n  reproduce: {}",
                o.seed,
                repro_command::<P>(&args.proto, &config, o.seed, faults, args.until_ms)
            );
            if i == 0 && o.panic.is_none() {
                let (sc, event) = seed_scenario::<P>(o.seed, &config, &options);
                println!(
                    "  open: {}",
                    finished_url(&args.base_url, &sc.to_value(), event)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
