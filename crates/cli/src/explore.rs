//! `explore`: the exhaustive explorer of `faultlab_sim::explore` on the command line.
//!
//! This file owns the flags-to-bounds mapping, the wall-clock timing (the engine reads
//! no clock) and the output formats. It must not search anything itself.

use std::process::ExitCode;
use std::time::Instant;

use faultlab_sim::explore::{Bounds, Explorable, Report, explore};
use serde_json::{Map, Value, json};

use crate::args::ExploreArgs;
use crate::share::share_url;

/// The bounds `P` explores by default, overridden by the flags.
fn bounds<P: Explorable>(args: &ExploreArgs) -> Bounds {
    let mut b = P::default_bounds(args.proto.nodes);
    if let Some(v) = args.crashes {
        b.crashes = v;
    }
    if let Some(v) = args.drops {
        b.drops = v;
    }
    if let Some(v) = args.duplicates {
        b.duplicates = v;
        b.max_copies = b.max_copies.max(1 + v as usize);
    }
    if let Some(v) = args.writes {
        b.writes = v;
    }
    if let Some(v) = args.timeouts {
        b.timeouts = v;
    }
    if let Some(v) = args.max_term {
        b.max_term = v;
    }
    if let Some(v) = args.max_log {
        b.max_log = v;
    }
    if let Some(v) = args.max_depth {
        b.max_depth = v;
    }
    b.max_states = args.max_states;
    b.stop_at_first = args.first;
    b
}

/// A timed exploration: the report, the milliseconds it took, and the bounds used.
pub(crate) struct Timed {
    /// What the search found.
    pub(crate) report: Report,
    /// Wall-clock time.
    pub(crate) elapsed_ms: f64,
}

/// Explore `P` in `mode` plus the bug toggles `bugs` with `nodes` within `bounds`, timed.
pub(crate) fn timed<P: Explorable>(
    mode: &str,
    bugs: &[String],
    nodes: Option<usize>,
    bounds: &Bounds,
) -> Result<Timed, String> {
    let mut initial = P::explore_scenario(mode, nodes).map_err(|e| format!("--{e}"))?;
    initial.bugs = bugs.to_vec();
    // Resolve once up front so that an unknown toggle is named as the flag it came from.
    initial
        .resolve::<P>()
        .map_err(|e| format!("--bug: {}", e.message))?;
    let start = Instant::now();
    let report = explore::<P>(&initial, bounds).map_err(|e| e.to_string())?;
    Ok(Timed {
        report,
        elapsed_ms: start.elapsed().as_secs_f64() * 1000.0,
    })
}

/// States per second of a timed run.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn states_per_sec(t: &Timed) -> f64 {
    (t.report.states as f64 / (t.elapsed_ms / 1000.0).max(1e-9)).round()
}

/// `faultlab-cli explore` for protocol `P`.
pub(crate) fn main<P: Explorable>(args: &ExploreArgs) -> Result<ExitCode, String> {
    let mode = args
        .proto
        .mode
        .clone()
        .unwrap_or_else(|| P::modes()[0].to_owned());
    let mut b = bounds::<P>(args);
    let nodes = args.proto.nodes;
    if let Some(v) = args.max_in_flight {
        b.max_in_flight = v;
    }
    let t = timed::<P>(&mode, &args.proto.bugs, nodes, &b)?;
    let r = &t.report;
    let counterexamples: Vec<Value> = r
        .counterexamples
        .iter()
        .map(|c| {
            let scenario = c.scenario.to_value();
            json!({
                "invariant": c.invariant,
                "detail": c.detail,
                "depth": c.depth,
                "gap_ms": c.timing.gap_ms,
                "latency_ms": c.timing.latency_ms,
                "url": share_url(&args.base_url, &scenario),
                "scenario": scenario,
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("protocol".into(), json!(P::NAME));
    out.insert("mode".into(), json!(mode));
    out.insert("bugs".into(), json!(args.proto.bugs));
    out.insert("states".into(), json!(r.states));
    out.insert("unique_states".into(), json!(r.unique_states));
    out.insert("pruned_states".into(), json!(r.pruned));
    out.insert("states_per_sec".into(), json!(states_per_sec(&t)));
    out.insert("elapsed_ms".into(), json!(t.elapsed_ms.round()));
    out.insert("max_depth".into(), json!(r.max_depth));
    out.insert("complete".into(), json!(r.complete));
    out.insert(
        "bounds".into(),
        json!({
            "crashes": b.crashes, "drops": b.drops, "duplicates": b.duplicates,
            "writes": b.writes,
            "timeouts": if b.timeouts == u32::MAX { Value::Null } else { json!(b.timeouts) },
            "max_in_flight": b.max_in_flight, "max_copies": b.max_copies,
            "max_term": b.max_term, "max_log": b.max_log, "max_depth": b.max_depth,
            "max_states": b.max_states, "stop_at_first": b.stop_at_first,
        }),
    );
    out.insert("counterexamples".into(), Value::Array(counterexamples));
    if args.proto.json {
        println!("{}", Value::Object(out));
    } else {
        println!(
            "{} {}: {} states ({} unique, {} pruned), {:.0} states/s, depth {}, {}",
            P::NAME,
            mode,
            r.states,
            r.unique_states,
            r.pruned,
            states_per_sec(&t),
            r.max_depth,
            if r.complete {
                "bounded space exhausted"
            } else {
                "INCOMPLETE (state or depth cap hit)"
            }
        );
        if r.counterexamples.is_empty() {
            println!("no invariant violated");
        }
        for c in &r.counterexamples {
            let timing = if c.timing.gap_ms == 0 {
                "all at 0 ms".to_owned()
            } else {
                format!("{} ms apart", c.timing.gap_ms)
            };
            println!(
                "\n{} violated after {} choices ({timing}): {}\n  {}",
                c.invariant,
                c.depth,
                c.detail,
                share_url(&args.base_url, &c.scenario.to_value())
            );
        }
    }
    // Like `run` and `chaos`: a violation found is a result, not a failure.
    Ok(ExitCode::SUCCESS)
}

/// The explorer's figures for `bench`: 2PC textbook with one coordinator and three
/// participants (crash budget 1) to completion, and 3-node textbook Raft (terms ≤ 3,
/// log ≤ 2, one client write, at most three messages in flight, no crash) to
/// completion. With a crash budget, or four messages in flight, the Raft space passes
/// two million states before depth 20 (README, "Explorer"). `quick` caps both (smoke
/// tests).
pub(crate) fn bench(quick: bool, out: &mut Map<String, Value>) {
    use faultlab_sim::raft::Raft;
    use faultlab_sim::twopc::TwoPc;

    let nodes = if quick { 3 } else { 4 };
    if let Ok(t) = timed::<TwoPc>(
        "textbook",
        &[],
        Some(nodes),
        &TwoPc::default_bounds(Some(nodes)),
    ) {
        out.insert("explore_2pc_nodes".into(), json!(nodes));
        out.insert("explore_2pc_states".into(), json!(t.report.states));
        out.insert(
            "explore_2pc_unique_states".into(),
            json!(t.report.unique_states),
        );
        out.insert(
            "explore_2pc_states_per_sec".into(),
            json!(states_per_sec(&t)),
        );
        out.insert("explore_2pc_ms".into(), json!(t.elapsed_ms.round()));
        out.insert("explore_2pc_complete".into(), json!(t.report.complete));
    }
    let bounds = Bounds {
        crashes: 0,
        max_in_flight: 3,
        max_states: if quick { 20_000 } else { 2_000_000 },
        ..Raft::default_bounds(None)
    };
    if let Ok(t) = timed::<Raft>("textbook", &[], None, &bounds) {
        out.insert("explore_raft_states".into(), json!(t.report.states));
        out.insert(
            "explore_raft_unique_states".into(),
            json!(t.report.unique_states),
        );
        out.insert(
            "explore_raft_states_per_sec".into(),
            json!(states_per_sec(&t)),
        );
        out.insert("explore_raft_ms".into(), json!(t.elapsed_ms.round()));
        out.insert("explore_raft_complete".into(), json!(t.report.complete));
        out.insert(
            "explore_raft_bounds".into(),
            json!(format!(
                "3 nodes, terms <= {}, log <= {}, {} write, {} crash, <= {} in flight",
                bounds.max_term,
                bounds.max_log,
                bounds.writes,
                bounds.crashes,
                bounds.max_in_flight
            )),
        );
        out.insert(
            "explore_raft_violations".into(),
            json!(t.report.counterexamples.len()),
        );
    }
}
