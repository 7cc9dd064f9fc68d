//! The page's hunt: the tab it hunts in and the recipe it started from, the sweep
//! behind it (one [`Hunt`] of that tab's protocol), the figures the hunt bar shows and
//! how the hunt ended.
//!
//! The reducer owns a session; the hunt bar drives it with slices. It must not read a
//! clock (each slice brings the real time elapsed since the start) or touch the DOM,
//! and it does not open what it found: [`Session::slice`] hands the failing run's
//! scenario back to the reducer once.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use faultlab_sim::ScenarioProtocol;
use serde_json::Value;

use crate::hunt::{Hunt, Outcome, Progress, SEEDS, UNTIL_MS};
use crate::lab::Recipe;
use crate::state::{RaftP, Tab, TwoPcP};

/// The sweep, for whichever protocol the tab runs.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one sweep per session, never moved in a hot path
enum Sweep {
    Raft(Hunt<RaftP>),
    TwoPc(Hunt<TwoPcP>),
}

impl Sweep {
    fn step(&mut self, budget: u64) -> (Progress, Option<Outcome>) {
        match self {
            Sweep::Raft(h) => {
                let o = h.step(budget).cloned();
                (h.progress(), o)
            }
            Sweep::TwoPc(h) => {
                let o = h.step(budget).cloned();
                (h.progress(), o)
            }
        }
    }
}

/// How far a hunt got.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Still sweeping.
    Running,
    /// A seed failed; its run is open in the tab.
    Found {
        /// The seed.
        seed: u64,
        /// The first invariant it broke.
        invariant: String,
        /// What the checker said.
        detail: String,
        /// The event where it broke.
        event: u64,
        /// Virtual time of that event, ms.
        at_ms: u64,
    },
    /// Every seed passed.
    Clean,
    /// The user stopped it.
    Cancelled,
}

/// A hunt on the page.
#[derive(Clone, Debug)]
pub struct Session {
    /// The tab it hunts in (where the failing run opens).
    pub tab: Tab,
    /// The mode it hunts in.
    pub mode: String,
    /// Extra bug toggles.
    pub bugs: Vec<String>,
    sweep: Rc<RefCell<Sweep>>,
    /// Seeds tried, events, failures.
    pub progress: Progress,
    /// Real time since the start, ms (from the hunt bar's clock).
    pub elapsed_ms: f64,
    /// How far it got.
    pub status: Status,
    /// The `faultlab-cli` command that reproduces the failing seed, when the recipe
    /// is one the CLI's flags can express.
    pub command: Option<String>,
    recipe: Recipe,
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sweep, &other.sweep)
            && self.progress == other.progress
            && self.elapsed_ms.to_bits() == other.elapsed_ms.to_bits()
            && self.status == other.status
    }
}

fn hunt<P: ScenarioProtocol>(recipe: &Recipe) -> Result<Hunt<P>, String> {
    let config = P::configure(
        &recipe.mode,
        recipe.nodes,
        &recipe.bugs,
        recipe.config.as_ref(),
    )
    .map_err(|e| e.to_string())?;
    Ok(Hunt::new(config, recipe.config.clone(), 0..SEEDS))
}

impl Session {
    /// A hunt in `tab` with the tab's current `recipe` (mode, bugs, nodes, settings).
    ///
    /// # Errors
    /// The recipe does not configure the protocol (cannot happen for a running lab).
    pub fn start(tab: Tab, recipe: &Recipe) -> Result<Session, String> {
        let sweep = match tab {
            Tab::Raft => Sweep::Raft(hunt::<RaftP>(recipe)?),
            Tab::TwoPc => Sweep::TwoPc(hunt::<TwoPcP>(recipe)?),
        };
        Ok(Session {
            tab,
            mode: recipe.mode.clone(),
            bugs: recipe.bugs.clone(),
            sweep: Rc::new(RefCell::new(sweep)),
            progress: Progress {
                limit: SEEDS,
                ..Progress::default()
            },
            elapsed_ms: 0.0,
            status: Status::Running,
            command: None,
            recipe: recipe.clone(),
        })
    }

    /// True while sweeping.
    pub fn running(&self) -> bool {
        self.status == Status::Running
    }

    /// Run at most `events` engine events; `elapsed_ms` is the real time since the
    /// start. Returns the failing run's scenario (JSON, with the page's `_finish` and
    /// `_event` hints) the one time a seed fails.
    pub fn slice(&mut self, events: u64, elapsed_ms: f64) -> Option<Value> {
        if !self.running() {
            return None;
        }
        self.elapsed_ms = elapsed_ms;
        let (progress, outcome) = self.sweep.borrow_mut().step(events);
        self.progress = progress;
        match outcome? {
            Outcome::Clean => {
                self.status = Status::Clean;
                None
            }
            Outcome::Found(found) => {
                let first = found.violations.first();
                self.status = Status::Found {
                    seed: found.seed,
                    invariant: first.map(|v| v.invariant.clone()).unwrap_or_default(),
                    detail: first.map(|v| v.detail.clone()).unwrap_or_default(),
                    event: first.map_or(0, |v| v.event),
                    at_ms: first.map_or(0, |v| v.at_ms),
                };
                self.command = self.command_for(found.seed);
                Some(found.scenario)
            }
        }
    }

    /// Stop sweeping.
    pub fn cancel(&mut self) {
        if self.running() {
            self.status = Status::Cancelled;
        }
    }

    /// The CLI command that reruns `seed` of this hunt (none when the recipe carries
    /// settings the flags cannot express).
    fn command_for(&self, seed: u64) -> Option<String> {
        if self.recipe.config.is_some() {
            return None;
        }
        let mut cmd = format!(
            "faultlab-cli run --protocol {} --mode {}",
            self.tab.protocol(),
            self.mode
        );
        for b in &self.bugs {
            let _ = write!(cmd, " --bug {b}");
        }
        let faults = match &*self.sweep.borrow() {
            Sweep::Raft(h) => h.faults(),
            Sweep::TwoPc(h) => h.faults(),
        };
        let _ = write!(
            cmd,
            " --nodes {} --seed {seed} --faults {faults} --until-ms {UNTIL_MS}",
            self.recipe.nodes
        );
        Some(cmd)
    }
}
