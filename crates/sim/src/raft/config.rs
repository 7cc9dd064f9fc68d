//! The Raft configuration: node count, mode, bug toggles and every timer value
//! (the assignment's defaults: heartbeat 1000 ms, election timeout uniform in
//! [1500, 3000] ms). It owns values only, no behaviour.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::scenario::ScenarioError;
use crate::time::Ticks;

use super::modes::{Bug, BugSet, Mode};

/// Raft's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaftConfig {
    /// Number of nodes (3–9).
    pub nodes: usize,
    /// The mode.
    pub mode: Mode,
    /// Every bug in force: the mode's preset plus the extra toggles.
    pub bugs: BugSet,
    /// Leader heartbeat interval, ms (assignment: 1000).
    pub heartbeat_ms: u64,
    /// Shortest election timeout, ms (assignment: 1500).
    pub election_timeout_min_ms: u64,
    /// Longest election timeout, ms (assignment: 3000).
    pub election_timeout_max_ms: u64,
    /// How long a leader holds a client write waiting for its commit before it
    /// answers `timeout` (the seed's `CLIENT_APPLY_TIMEOUT`, 5 s).
    pub commit_wait_ms: u64,
    /// How long a follower waits for the leader's answer to a forwarded request. It
    /// is longer than `commit_wait_ms` so the leader's answer, not the follower's
    /// guess, decides the outcome (the seed used 1 s: flaw R4-7).
    pub forward_timeout_ms: u64,
    /// Most entries one `AppendEntries` carries (catch-up is spread over rounds).
    pub max_entries_per_append: usize,
}

impl Default for RaftConfig {
    fn default() -> Self {
        RaftConfig {
            nodes: 5,
            mode: Mode::Textbook,
            bugs: BugSet::EMPTY,
            heartbeat_ms: 1000,
            election_timeout_min_ms: 1500,
            election_timeout_max_ms: 3000,
            commit_wait_ms: 5000,
            forward_timeout_ms: 6000,
            max_entries_per_append: 64,
        }
    }
}

impl RaftConfig {
    /// A configuration of `nodes` nodes in `mode`, with the mode's preset bugs.
    pub fn new(nodes: usize, mode: Mode) -> Self {
        RaftConfig {
            nodes,
            mode,
            bugs: mode.preset(),
            ..RaftConfig::default()
        }
    }

    /// The same configuration with `bug` switched on too.
    #[must_use]
    pub fn with_bug(mut self, bug: Bug) -> Self {
        self.bugs.insert(bug);
        self
    }

    /// Whether `bug` is on.
    pub fn has(&self, bug: Bug) -> bool {
        self.bugs.has(bug)
    }

    /// The heartbeat interval in force (300 ms with [`Bug::Heartbeat300ms`]).
    pub fn heartbeat(&self) -> Ticks {
        if self.has(Bug::Heartbeat300ms) {
            Ticks(300)
        } else {
            Ticks(self.heartbeat_ms)
        }
    }

    /// The election timeout range.
    pub fn election_timeout(&self) -> (Ticks, Ticks) {
        (
            Ticks(self.election_timeout_min_ms),
            Ticks(
                self.election_timeout_max_ms
                    .max(self.election_timeout_min_ms),
            ),
        )
    }

    /// The forward deadline in force (1 s with [`Bug::ShortForwardDeadline`]).
    pub fn forward_timeout(&self) -> Ticks {
        if self.has(Bug::ShortForwardDeadline) {
            Ticks(1000)
        } else {
            Ticks(self.forward_timeout_ms)
        }
    }

    /// A strict majority of the cluster (votes, §5.2, and commits, §5.3).
    pub fn quorum(&self) -> usize {
        if self.has(Bug::QuorumOffByOne) {
            // Classic off-by-one: `n / 2` is half, not a majority. Two disjoint
            // groups (2 + 2 of 4 nodes, 2 + 3 of 5) can each gather it, so both elect
            // a leader in one term and commit different entries: the quorum
            // intersection that §5.2 and §5.4 rely on is gone.
            self.nodes / 2
        } else {
            self.nodes / 2 + 1
        }
    }

    /// The extra bugs beyond the mode's preset, by name.
    pub fn extra_bugs(&self) -> Vec<String> {
        let preset = self.mode.preset();
        self.bugs
            .iter()
            .filter(|b| !preset.has(*b))
            .map(|b| b.name().to_owned())
            .collect()
    }

    /// Apply a scenario's `config` object: `heartbeat_ms`, `election_timeout_ms: [lo, hi]`,
    /// `commit_wait_ms`, `forward_timeout_ms`, `max_entries_per_append`.
    ///
    /// # Errors
    /// The offending field, under `config`.
    pub fn apply_json(&mut self, value: &Value) -> Result<(), ScenarioError> {
        let obj = value
            .as_object()
            .ok_or_else(|| ScenarioError::new("config", "must be an object"))?;
        let positive = |key: &str, v: &Value| -> Result<u64, ScenarioError> {
            v.as_u64().filter(|x| *x > 0).ok_or_else(|| {
                ScenarioError::new(
                    format!("config.{key}"),
                    format!("must be a positive integer (ms), got {v}"),
                )
            })
        };
        for (key, v) in obj {
            match key.as_str() {
                "heartbeat_ms" => self.heartbeat_ms = positive(key, v)?,
                "commit_wait_ms" => self.commit_wait_ms = positive(key, v)?,
                "forward_timeout_ms" => self.forward_timeout_ms = positive(key, v)?,
                "max_entries_per_append" => {
                    self.max_entries_per_append =
                        usize::try_from(positive(key, v)?).unwrap_or(usize::MAX);
                }
                "election_timeout_ms" => {
                    let pair = v.as_array().filter(|a| a.len() == 2).ok_or_else(|| {
                        ScenarioError::new(
                            "config.election_timeout_ms",
                            format!("must be [lo, hi] in ms, got {v}"),
                        )
                    })?;
                    let lo = positive("election_timeout_ms[0]", &pair[0])?;
                    let hi = positive("election_timeout_ms[1]", &pair[1])?;
                    if hi < lo {
                        return Err(ScenarioError::new(
                            "config.election_timeout_ms",
                            format!("hi ({hi}) is below lo ({lo})"),
                        ));
                    }
                    self.election_timeout_min_ms = lo;
                    self.election_timeout_max_ms = hi;
                }
                other => {
                    return Err(ScenarioError::new(
                        format!("config.{other}"),
                        "unknown setting (expected heartbeat_ms, election_timeout_ms, commit_wait_ms, forward_timeout_ms, max_entries_per_append)",
                    ));
                }
            }
        }
        Ok(())
    }
}
