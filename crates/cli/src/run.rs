//! `faultlab-cli run`: one simulation, from flags or a scenario file, optionally with
//! a chaos seed's fault plan (which is how a failing chaos seed is reproduced).

use std::process::ExitCode;

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::{Scenario, ScenarioProtocol, Seed, Tick, TraceEvent};

use crate::args::RunArgs;
use crate::dispatch::{self, with_protocol};
use crate::report;

pub(crate) fn main(args: &RunArgs) -> Result<ExitCode, String> {
    let scenario = match &args.scenario {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("--scenario {path}: {e}"))?;
            Some(Scenario::parse(&text).map_err(|e| format!("{path}: {e}"))?)
        }
        None => None,
    };
    let protocol = match &scenario {
        Some(s) => s.protocol.clone(),
        None => args.proto.protocol.clone(),
    };
    with_protocol!(protocol.as_str(), run_with(args, scenario))
}

fn run_with<P: ScenarioProtocol>(
    args: &RunArgs,
    scenario: Option<Scenario>,
) -> Result<ExitCode, String> {
    #[allow(clippy::single_match_else)] // two real branches: from a file, from flags
    let mut scenario = match scenario {
        Some(mut s) => {
            if s.protocol != P::NAME {
                return Err(format!(
                    "--protocol {} does not match the scenario's protocol {}",
                    P::NAME,
                    s.protocol
                ));
            }
            if let Some(m) = &args.proto.mode {
                s.mode.clone_from(m);
            }
            if !args.proto.bugs.is_empty() {
                s.bugs.clone_from(&args.proto.bugs);
            }
            if args.proto.nodes.is_some() {
                s.nodes = args.proto.nodes;
            }
            if let Some(u) = args.until_ms {
                s.until_ms = u;
            }
            s
        }
        None => {
            // Validate the flags through the protocol first, for flag-shaped errors.
            dispatch::config::<P>(&args.proto)?;
            Scenario {
                protocol: P::NAME.to_owned(),
                mode: args
                    .proto
                    .mode
                    .clone()
                    .unwrap_or_else(|| P::modes()[0].to_owned()),
                bugs: args.proto.bugs.clone(),
                seed: args.seed,
                nodes: args.proto.nodes,
                until_ms: args
                    .until_ms
                    .unwrap_or(faultlab_sim::scenario::DEFAULT_UNTIL_MS),
                config: None,
                meta: serde_json::Map::new(),
                steps: Vec::new(),
            }
        }
    };
    if args.scenario.is_some() && args.seed != 0 {
        scenario.seed = args.seed;
    }
    let mut world = scenario.build::<P>().map_err(|e| e.to_string())?;
    if let Some(list) = &args.faults {
        let faults = Faults::parse(list).map_err(|e| format!("--faults: {e}"))?;
        let options = ChaosOptions::new(faults, Tick(scenario.until_ms));
        for (at, input) in chaos::plan::<P>(Seed(scenario.seed), world.config(), &options) {
            world.schedule(at, input);
        }
    }
    let mut trace: Vec<TraceEvent<P>> = world.last_events().to_vec();
    world.run_until_with(Tick(scenario.until_ms), |evs| trace.extend_from_slice(evs));
    world.finish();

    if let Some(path) = &args.trace_out {
        let value = serde_json::json!({
            "format": "faultlab-trace/1",
            "scenario": scenario.to_value(),
            "events": trace,
        });
        let text = serde_json::to_string(&value).map_err(|e| format!("--trace-out: {e}"))?;
        std::fs::write(path, text).map_err(|e| format!("--trace-out {path}: {e}"))?;
    }
    let report = report::run_report(&world, &trace);
    if args.proto.json {
        println!("{report}");
    } else {
        print_human(&report, args.tail);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_human(report: &serde_json::Value, tail: usize) {
    let get = |k: &str| report.get(k).cloned().unwrap_or_default();
    println!(
        "{} ({}) seed {}: {} events, {} ms",
        get("protocol").as_str().unwrap_or("?"),
        get("mode").as_str().unwrap_or("?"),
        get("seed"),
        get("events"),
        get("end_ms")
    );
    let violations = get("violations");
    match violations.as_array() {
        Some(v) if !v.is_empty() => {
            for x in v {
                println!(
                    "VIOLATION {} at event {} ({} ms): {}",
                    x["invariant"].as_str().unwrap_or("?"),
                    x["event"],
                    x["at_ms"],
                    x["detail"].as_str().unwrap_or("")
                );
            }
        }
        _ => println!("no invariant violated"),
    }
    for x in get("inconclusive").as_array().into_iter().flatten() {
        println!(
            "INCONCLUSIVE {}: {}",
            x["invariant"].as_str().unwrap_or("?"),
            x["detail"].as_str().unwrap_or("")
        );
    }
    if let Some(nodes) = get("nodes").as_array() {
        for n in nodes {
            println!("  {n}");
        }
    }
    if let Some(clients) = get("clients").as_array() {
        println!("clients: {} requests", clients.len());
        for c in clients.iter().rev().take(10).rev() {
            println!("  {c}");
        }
    }
    if let Some(log) = get("log").as_array() {
        println!("log (last {tail} of {} lines):", log.len());
        for l in log.iter().skip(log.len().saturating_sub(tail)) {
            println!(
                "  [{:>6} ms] {}",
                l["at_ms"],
                l["line"].as_str().unwrap_or("")
            );
        }
    }
}
