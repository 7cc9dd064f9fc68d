//! Command-line arguments (clap derive). Names follow DESIGN.md §6.

use clap::{Args, Parser, Subcommand};

/// faultlab's native runner: the same deterministic engine as the page.
#[derive(Parser, Debug)]
#[command(name = "faultlab-cli", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Run one simulation (from flags or a scenario file) and report its final state.
    Run(RunArgs),
    /// Sweep many seeds with random faults and client load, in parallel.
    Chaos(ChaosArgs),
    /// Exhaustively explore a small configuration for invariant violations.
    Explore(ExploreArgs),
    /// Measure engine throughput and time travel.
    Bench(BenchArgs),
}

/// Protocol selection shared by `run`, `chaos` and `explore`.
#[derive(Args, Debug, Clone)]
pub(crate) struct ProtocolArgs {
    /// `raft` or `2pc`.
    #[arg(long, default_value = "raft")]
    pub(crate) protocol: String,
    /// Protocol mode. Raft: textbook, assignment, as-submitted-q3, as-submitted-q4.
    /// 2PC: textbook, as-submitted.
    #[arg(long)]
    pub(crate) mode: Option<String>,
    /// A single bug toggle on top of the mode (repeatable). `faultlab-cli bugs` style
    /// listing: run with `--bug help`.
    #[arg(long = "bug")]
    pub(crate) bugs: Vec<String>,
    /// Number of nodes (Raft 3–9, default 5; 2PC at least 5, default 6).
    #[arg(long)]
    pub(crate) nodes: Option<usize>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Args, Debug)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) proto: ProtocolArgs,
    /// The run's seed.
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    /// Run length in virtual ms (default: the scenario's, or 30000).
    #[arg(long)]
    pub(crate) until_ms: Option<u64>,
    /// A `faultlab-scenario/1` file; flags given explicitly override its fields.
    #[arg(long)]
    pub(crate) scenario: Option<String>,
    /// Write the full trace as JSON to this file.
    #[arg(long)]
    pub(crate) trace_out: Option<String>,
    /// Add the chaos plan of this seed (the faults a `chaos` sweep injects), e.g.
    /// `crash,partition,drop,duplicate` — how a failing chaos seed is reproduced.
    #[arg(long)]
    pub(crate) faults: Option<String>,
    /// How many log lines to print in human output (all of them with --json).
    #[arg(long, default_value_t = 40)]
    pub(crate) tail: usize,
}

#[derive(Args, Debug)]
pub(crate) struct ChaosArgs {
    #[command(flatten)]
    pub(crate) proto: ProtocolArgs,
    /// Seed range, `A..B` (B exclusive) or a single seed.
    #[arg(long, default_value = "0..1000")]
    pub(crate) seeds: String,
    /// Fault classes to inject (comma-separated): crash, partition, drop, duplicate, delay,
    /// reorder, pause, skew, disk (power loss: only synced writes survive); or all, none.
    /// Each seed draws its own mix of these (swarm testing).
    #[arg(long, default_value = "all")]
    pub(crate) faults: String,
    /// Virtual run length per seed, ms.
    #[arg(long, default_value_t = 60_000)]
    pub(crate) until_ms: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub(crate) threads: Option<usize>,
    /// How many failing seeds to list with their reproducing command.
    #[arg(long, default_value_t = 10)]
    pub(crate) show: usize,
    /// Base URL of the page for the failing seeds' links.
    #[arg(long, default_value = "http://127.0.0.1:8080/")]
    pub(crate) base_url: String,
}

#[derive(Args, Debug)]
pub(crate) struct ExploreArgs {
    #[command(flatten)]
    pub(crate) proto: ProtocolArgs,
    /// Crash budget per path (restarts are free). Default 1.
    #[arg(long)]
    pub(crate) crashes: Option<u32>,
    /// Drop budget per path. Default 0.
    #[arg(long)]
    pub(crate) drops: Option<u32>,
    /// Duplicate budget per path. Default 0.
    #[arg(long)]
    pub(crate) duplicates: Option<u32>,
    /// Client-write budget per path (Raft). Default 1.
    #[arg(long)]
    pub(crate) writes: Option<u32>,
    /// Timer firings per path (default: 2PC 1, Raft unbounded).
    #[arg(long)]
    pub(crate) timeouts: Option<u32>,
    /// Prune states with more messages in flight (default: 2PC participants + 1, Raft 6).
    #[arg(long)]
    pub(crate) max_in_flight: Option<usize>,
    /// Prune states with a Raft term above this. Default 3.
    #[arg(long)]
    pub(crate) max_term: Option<u64>,
    /// Prune states with a Raft log longer than this. Default 2.
    #[arg(long)]
    pub(crate) max_log: Option<usize>,
    /// Maximum depth (choices) to explore. Default 64.
    #[arg(long)]
    pub(crate) max_depth: Option<usize>,
    /// Stop after this many unique states (the result is then incomplete).
    #[arg(long, default_value_t = 2_000_000)]
    pub(crate) max_states: u64,
    /// Stop at the first violation (a shortest counterexample; the search is then
    /// incomplete).
    #[arg(long)]
    pub(crate) first: bool,
    /// Base URL of the page for counterexample links.
    #[arg(long, default_value = "http://127.0.0.1:8080/")]
    pub(crate) base_url: String,
}

#[derive(Args, Debug)]
pub(crate) struct BenchArgs {
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub(crate) json: bool,
    /// Seeds per chaos throughput measurement.
    #[arg(long, default_value_t = 2_000)]
    pub(crate) chaos_seeds: u64,
    /// Quick mode: smaller workloads (for smoke tests).
    #[arg(long)]
    pub(crate) quick: bool,
}

/// Parse `A..B`, `A..=B` or `A` into a half-open range.
pub(crate) fn parse_seeds(text: &str) -> Result<std::ops::Range<u64>, String> {
    let bad = || format!("--seeds: expected A..B (e.g. 0..10000) or a single seed, got \"{text}\"");
    let num = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
    if let Some((a, b)) = text.split_once("..=") {
        let (a, b) = (num(a)?, num(b)?);
        if b < a {
            return Err(bad());
        }
        Ok(a..b + 1)
    } else if let Some((a, b)) = text.split_once("..") {
        let (a, b) = (num(a)?, num(b)?);
        if b < a {
            return Err(bad());
        }
        Ok(a..b)
    } else {
        let a = num(text)?;
        Ok(a..a + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_seeds;

    #[test]
    fn seed_ranges() {
        assert_eq!(parse_seeds("0..10000"), Ok(0..10_000));
        assert_eq!(parse_seeds("5..=7"), Ok(5..8));
        assert_eq!(parse_seeds("42"), Ok(42..43));
        assert!(parse_seeds("9..3").is_err());
        assert!(parse_seeds("a..b").is_err());
    }
}
