//! Protocol dispatch: turns a protocol name into a call of a generic function
//! instantiated for that protocol, and builds a protocol configuration from the
//! shared flags.

use std::fmt::Write as _;

use faultlab_sim::ScenarioProtocol;

use crate::args::{ExploreArgs, ProtocolArgs};

/// Call `$f::<P>($args…)` for the protocol named `$name`, or fail with the list of
/// protocols.
macro_rules! with_protocol {
    ($name:expr, $f:ident ( $($arg:expr),* )) => {
        match $name {
            "raft" => $f::<faultlab_sim::raft::Raft>($($arg),*),
            "2pc" => $f::<faultlab_sim::twopc::TwoPc>($($arg),*),
            "demo" => $f::<faultlab_sim::demo::Demo>($($arg),*),
            other => Err(format!("--protocol: unknown protocol \"{other}\" (expected raft or 2pc)")),
        }
    };
}
pub(crate) use with_protocol;

/// The configuration the flags describe (mode, bugs, nodes), validated by the protocol.
pub(crate) fn config<P: ScenarioProtocol>(args: &ProtocolArgs) -> Result<P::Config, String> {
    if args.bugs.iter().any(|b| b == "help" || b == "list") {
        print!("{}", bug_help::<P>());
        std::process::exit(0);
    }
    let mode = args
        .mode
        .clone()
        .unwrap_or_else(|| P::modes()[0].to_owned());
    let nodes = args.nodes.unwrap_or(P::DEFAULT_NODES);
    P::configure(&mode, nodes, &args.bugs, None).map_err(|e| format!("--{e}"))
}

/// The bug toggles of `P`, one per line, for `--bug help`.
pub(crate) fn bug_help<P: ScenarioProtocol>() -> String {
    let mut s = format!(
        "{} modes: {}\n{} bug toggles (--bug NAME):\n",
        P::NAME,
        P::modes().join(", "),
        P::NAME
    );
    for b in P::bugs() {
        let _ = writeln!(s, "  {:32} [{}] {}", b.name, b.seed_ref, b.summary);
    }
    s
}

/// `explore`: exhaustive search of a small configuration (Raft and 2PC).
pub(crate) fn explore(args: &ExploreArgs) -> Result<std::process::ExitCode, String> {
    match args.proto.protocol.as_str() {
        "raft" => crate::explore::main::<faultlab_sim::raft::Raft>(args),
        "2pc" => crate::explore::main::<faultlab_sim::twopc::TwoPc>(args),
        other => Err(format!(
            "--protocol: explore supports raft and 2pc, not \"{other}\""
        )),
    }
}

/// Chaos throughput of every protocol (textbook, all faults, 60 s per seed), in runs
/// per second across all cores, plus the projected time for 10,000 seeds.
pub(crate) fn bench_chaos(seeds: u64, out: &mut serde_json::Map<String, serde_json::Value>) {
    bench_one::<faultlab_sim::raft::Raft>("raft", seeds, out);
    bench_one::<faultlab_sim::twopc::TwoPc>("twopc", seeds, out);
}

fn bench_one<P: ScenarioProtocol>(
    key: &str,
    seeds: u64,
    out: &mut serde_json::Map<String, serde_json::Value>,
) {
    use faultlab_sim::Tick;
    use faultlab_sim::chaos::{ChaosOptions, Faults};
    use rayon::prelude::*;

    let Ok(config) = P::configure(P::modes()[0], P::DEFAULT_NODES, &[], None) else {
        return;
    };
    let options = ChaosOptions::new(Faults::ALL, Tick(60_000));
    let start = std::time::Instant::now();
    let outcomes: Vec<crate::chaos::SeedOutcome> = (0..seeds)
        .into_par_iter()
        .map(|s| crate::chaos::run_seed::<P>(s, &config, &options))
        .collect();
    let secs = start.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss)]
    let rate = seeds as f64 / secs.max(1e-9);
    let bad = outcomes
        .iter()
        .filter(|o| !o.invariants.is_empty() || o.panic.is_some())
        .count();
    out.insert(
        format!("{key}_chaos_runs_per_sec"),
        serde_json::json!(rate.round()),
    );
    out.insert(
        format!("{key}_chaos_10k_projected_s"),
        serde_json::json!((10_000.0 / rate * 10.0).round() / 10.0),
    );
    out.insert(format!("{key}_chaos_failing_runs"), serde_json::json!(bad));
}
