//! The bug hunt: a chaos sweep over seeds, run a few hundred events at a time so the
//! page can interleave it with its frames.
//!
//! Seed `s` of a hunt is exactly seed `s` of `faultlab-cli chaos` with the same
//! configuration (all faults, client load, [`UNTIL_MS`] of virtual time, a heal and a
//! quiet window at the end, then the end-of-run checks): [`Hunt::step`] drives the
//! same [`chaos::world`] one event at a time instead of [`chaos::run`] in one go.
//! A seed fails when any invariant breaks; the hunt stops at the first failing seed
//! (mid-run, as soon as a checker fires), so its answer is the CLI's
//! `first_failing_seed`.
//!
//! It owns the sweep and its counters. It must not read a clock (the caller sizes the
//! slices and times them), touch the DOM, or open what it found (the reducer does).
//! [`session`] is the page's hunt: which tab, and what to show.

pub mod session;

use std::ops::Range;

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::{Scenario, ScenarioProtocol, Seed, Tick, Violation, World};
use serde_json::{Value, json};

/// Virtual length of every seed's run (the CLI's `chaos` default).
pub const UNTIL_MS: u64 = 60_000;

/// Seeds a hunt tries before it reports a clean sweep.
pub const SEEDS: u64 = 1_000;

/// Counters of a hunt so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Seeds run to the end without a violation, plus the failing one once found.
    pub tried: u64,
    /// Seeds the hunt will try at most.
    pub limit: u64,
    /// Engine events processed, over every seed.
    pub events: u64,
    /// Seeds that violated an invariant (0 or 1: the hunt stops at the first).
    pub failures: u64,
    /// Seeds whose end-of-run checks could not decide (a linearizability search out
    /// of budget): neither a pass nor a failure.
    pub inconclusive: u64,
}

/// A failing seed.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The seed.
    pub seed: u64,
    /// The violations its run had when the hunt stopped (the first one first).
    pub violations: Vec<Violation>,
    /// The run as a scenario (its faults and client load as steps), with `_finish`
    /// (run the end-of-run checks) and `_event` (show the first violation) for the page.
    pub scenario: Value,
}

/// How a hunt ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A seed failed.
    Found(Found),
    /// Every seed passed.
    Clean,
}

/// A chaos sweep in progress.
#[derive(Debug)]
pub struct Hunt<P: ScenarioProtocol> {
    config: P::Config,
    /// The recipe's `config` object, copied into exported scenarios.
    config_json: Option<Value>,
    options: ChaosOptions,
    seeds: Range<u64>,
    next: u64,
    current: Option<(u64, World<P>)>,
    progress: Progress,
    outcome: Option<Outcome>,
}

impl<P: ScenarioProtocol> Hunt<P> {
    /// A hunt over `seeds` with `config` (and `config_json`, the scenario `config`
    /// object it came from).
    pub fn new(config: P::Config, config_json: Option<Value>, seeds: Range<u64>) -> Self {
        Hunt {
            config,
            config_json,
            options: ChaosOptions::new(Faults::ALL, Tick(UNTIL_MS)),
            progress: Progress {
                limit: seeds.end.saturating_sub(seeds.start),
                ..Progress::default()
            },
            next: seeds.start,
            seeds,
            current: None,
            outcome: None,
        }
    }

    /// The counters so far.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// How the hunt ended, once it has.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// The faults injected, as `faultlab-cli --faults` takes them.
    pub fn faults(&self) -> String {
        self.options.faults.to_list()
    }

    /// Process at most `budget` engine events (at least one), then return; `Some` once
    /// the hunt has ended.
    pub fn step(&mut self, budget: u64) -> Option<&Outcome> {
        let until = self.options.until;
        let mut left = budget.max(1);
        while self.outcome.is_none() && left > 0 {
            let (seed, mut world) = if let Some(current) = self.current.take() {
                current
            } else {
                if self.next >= self.seeds.end {
                    self.outcome = Some(Outcome::Clean);
                    break;
                }
                let seed = self.next;
                self.next += 1;
                let world = chaos::world::<P>(Seed(seed), self.config.clone(), &self.options);
                (seed, world)
            };
            let mut ended = false;
            while left > 0 {
                if world.next_event_at().is_none_or(|at| at > until) {
                    // The end of the run, as `chaos::run` ends it.
                    world.advance_clock(until);
                    world.finish();
                    ended = true;
                    break;
                }
                world.step();
                left -= 1;
                self.progress.events += 1;
                if !world.violations().is_empty() {
                    break;
                }
            }
            if !world.violations().is_empty() {
                self.progress.tried += 1;
                self.progress.failures += 1;
                self.outcome = Some(Outcome::Found(self.found(seed, &world)));
            } else if ended {
                self.progress.tried += 1;
                if !faultlab_sim::Checker::<P>::inconclusive(world.checker()).is_empty() {
                    self.progress.inconclusive += 1;
                }
            } else {
                self.current = Some((seed, world));
            }
        }
        self.outcome.as_ref()
    }

    fn found(&self, seed: u64, world: &World<P>) -> Found {
        // Recorded as found, so in event order.
        let violations = world.violations().to_vec();
        // Every input of a chaos run is scheduled when it is built, so the world's
        // inputs are the whole plan even though the run stopped early.
        let mut sc = Scenario::from_world(world, self.options.until.0, self.config_json.clone());
        let names: Vec<&str> = violations.iter().map(|v| v.invariant.as_str()).collect();
        sc.meta.insert(
            "title".into(),
            json!(format!("Chaos seed {seed}: {}", names.join(", "))),
        );
        let mut value = sc.to_value();
        if let Value::Object(o) = &mut value {
            o.insert("_finish".into(), json!(true));
            if let Some(v) = violations.first() {
                o.insert("_event".into(), json!(v.event));
            }
        }
        Found {
            seed,
            violations,
            scenario: value,
        }
    }
}

#[cfg(test)]
mod tests {
    use faultlab_sim::raft::Raft;
    use faultlab_sim::twopc::TwoPc;

    use super::*;

    fn config<P: ScenarioProtocol>(mode: &str) -> P::Config {
        P::configure(mode, P::DEFAULT_NODES, &[], None).expect("a valid mode")
    }

    /// The first failing seed of `seeds`, as `faultlab-cli chaos` finds it.
    fn first_failing<P: ScenarioProtocol>(config: &P::Config, seeds: Range<u64>) -> Option<u64> {
        let options = ChaosOptions::new(Faults::ALL, Tick(UNTIL_MS));
        seeds.into_iter().find(|&s| {
            !chaos::run::<P>(Seed(s), config.clone(), &options)
                .violations()
                .is_empty()
        })
    }

    fn run_out<P: ScenarioProtocol>(hunt: &mut Hunt<P>, budget: u64) -> (Outcome, u64) {
        let mut slices = 0;
        loop {
            slices += 1;
            if let Some(o) = hunt.step(budget) {
                return (o.clone(), slices);
            }
        }
    }

    #[test]
    fn as_submitted_2pc_finds_the_clis_first_failing_seed_and_its_scenario_replays() {
        let cfg = config::<TwoPc>("as-submitted");
        let mut hunt = Hunt::<TwoPc>::new(cfg.clone(), None, 0..50);
        let (outcome, slices) = run_out(&mut hunt, 7);
        let Outcome::Found(found) = outcome else {
            panic!("as-submitted 2PC fails under chaos");
        };
        assert!(slices > 1, "the work was cut into slices");
        assert_eq!(Some(found.seed), first_failing::<TwoPc>(&cfg, 0..50));
        let p = hunt.progress();
        assert_eq!((p.tried, p.failures, p.limit), (found.seed + 1, 1, 50));
        assert!(p.events > 0);
        // The scenario reproduces the chaos run: same violation at the same event.
        let first = &found.violations[0];
        assert_eq!(found.scenario["_event"], first.event);
        assert_eq!(found.scenario["_finish"], true);
        let sc = Scenario::from_value(&found.scenario).expect("parses");
        assert_eq!((sc.seed, sc.until_ms), (found.seed, UNTIL_MS));
        let mut world = sc.build::<TwoPc>().expect("builds");
        world.run_until(Tick(sc.until_ms));
        world.finish();
        assert!(
            world
                .violations()
                .iter()
                .any(|v| v.invariant == first.invariant && v.event == first.event),
            "{:?} vs {:?}",
            world.violations(),
            first
        );
    }

    #[test]
    fn a_seed_failing_only_at_the_end_is_found_by_the_end_of_run_checks() {
        // Submitted Q4 Raft fails linearizability/liveness, judged at the end of a run.
        let cfg = config::<Raft>("as-submitted-q4");
        let mut hunt = Hunt::<Raft>::new(cfg.clone(), None, 0..10);
        let (outcome, _) = run_out(&mut hunt, 5_000);
        let Outcome::Found(found) = outcome else {
            panic!("as-submitted Q4 fails under chaos");
        };
        assert_eq!(Some(found.seed), first_failing::<Raft>(&cfg, 0..10));
    }

    #[test]
    fn textbook_sweeps_clean_and_counts_every_seed() {
        let mut hunt = Hunt::<TwoPc>::new(config::<TwoPc>("textbook"), None, 3..8);
        let (outcome, _) = run_out(&mut hunt, 10_000);
        assert_eq!(outcome, Outcome::Clean);
        let p = hunt.progress();
        assert_eq!((p.tried, p.failures, p.limit), (5, 0, 5));
        assert!(hunt.step(100).is_some(), "an ended hunt stays ended");
        assert_eq!(hunt.progress(), p);
    }

    #[test]
    fn slices_do_not_change_the_answer() {
        let cfg = config::<TwoPc>("as-submitted");
        let mut small = Hunt::<TwoPc>::new(cfg.clone(), None, 0..20);
        let mut big = Hunt::<TwoPc>::new(cfg, None, 0..20);
        let (a, _) = run_out(&mut small, 1);
        let (b, _) = run_out(&mut big, 1_000_000);
        assert_eq!(a, b);
        assert_eq!(small.progress(), big.progress());
    }
}
