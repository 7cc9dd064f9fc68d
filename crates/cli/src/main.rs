//! `faultlab-cli`: the native runner. The same engine as the page, without a browser.
//!
//! Subcommands: `run` (one run, from flags or a scenario file), `chaos` (a parallel
//! sweep over seeds), `explore` (exhaustive search of small configurations) and
//! `bench` (engine throughput). Every subcommand takes `--json` and then prints one
//! JSON object on stdout; errors go to stderr with a non-zero exit.
//!
//! This crate owns argument parsing, parallelism and output formats; it must not
//! contain protocol logic (that lives in `faultlab-sim`).

mod args;
mod bench;
mod chaos;
mod dispatch;
mod explore;
mod report;
mod run;
mod share;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => run::main(&a),
        Command::Chaos(a) => chaos::main(&a),
        Command::Bench(a) => bench::main(&a),
        Command::Explore(a) => dispatch::explore(&a),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
