//! Expectations: what a stop's caption claims about the world at its event, in a form
//! the tests check. A claim the engine no longer makes true fails [`super::verify`].
//!
//! ```json
//! "expect": {
//!   "nodes": {"3": {"role": "leader", "term": 1, "up": true},
//!             "grpc-node2": {"state": "READY", "blocked": true}},
//!   "violations": ["election_safety"] }
//! ```
//!
//! - `nodes`: per node (display name), a JSON subset of the node's report — the same
//!   object `faultlab-cli run --json` prints (`ScenarioProtocol::node_report`) plus
//!   `"up"`. Raft reports `role`, `term`, `voted_for`, `commit_index`, `log_len`,
//!   `log_terms`, `leader`…; 2PC reports `state` (the page's `data-state`), `blocked`,
//!   `locks`, `pictures`… A key the report does not have is an error, not a pass.
//! - `violations`: exactly the invariants violated so far (at or before this event),
//!   in any order; `[]` claims that every invariant still holds.
//!
//! It owns the claims and their checking; it must not step a world.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::scenario::{ScenarioError, ScenarioProtocol};
use crate::world::World;

use super::check_keys;
use super::pattern::subset;

/// What a stop claims.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expect {
    /// Per node (display name): a subset of its report.
    pub nodes: BTreeMap<String, Map<String, Value>>,
    /// Exactly the invariants violated so far, if claimed.
    pub violations: Option<Vec<String>>,
}

impl Expect {
    /// Parse an `expect` object.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the offending field.
    pub fn from_value(value: &Value) -> Result<Expect, ScenarioError> {
        let obj = value
            .as_object()
            .ok_or_else(|| ScenarioError::new("", "must be an object"))?;
        check_keys(obj, &["nodes", "violations"])?;
        let mut nodes = BTreeMap::new();
        match obj.get("nodes") {
            None => {}
            Some(Value::Object(per_node)) => {
                for (name, claims) in per_node {
                    let claims = claims.as_object().ok_or_else(|| {
                        ScenarioError::new(
                            format!("nodes.{name}"),
                            "must be an object of report fields",
                        )
                    })?;
                    nodes.insert(name.clone(), claims.clone());
                }
            }
            Some(_) => {
                return Err(ScenarioError::new(
                    "nodes",
                    "must be an object: node name -> report fields",
                ));
            }
        }
        let violations = match obj.get("violations") {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        v.as_str().map(str::to_owned).ok_or_else(|| {
                            ScenarioError::new(
                                format!("violations[{i}]"),
                                "must be an invariant name",
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => {
                return Err(ScenarioError::new(
                    "violations",
                    "must be an array of invariant names",
                ));
            }
        };
        if nodes.is_empty() && violations.is_none() {
            return Err(ScenarioError::new(
                "",
                "claims nothing (nodes or violations)",
            ));
        }
        Ok(Expect { nodes, violations })
    }

    /// Check the claims against `world`. The error names the claim (relative to the
    /// `expect` object) and says what the world has instead.
    ///
    /// # Errors
    /// A [`ScenarioError`] for the first claim that does not hold.
    pub fn check<P: ScenarioProtocol>(&self, world: &World<P>) -> Result<(), ScenarioError> {
        for (name, claims) in &self.nodes {
            let id = world
                .node_by_name(name)
                .ok_or_else(|| ScenarioError::new(format!("nodes.{name}"), "no such node"))?;
            let mut report = P::node_report(world, id);
            report.insert("up".into(), Value::Bool(world.is_up(id)));
            for (key, want) in claims {
                let field = format!("nodes.{name}.{key}");
                let Some(got) = report.get(key) else {
                    let keys: Vec<&str> = report.keys().map(String::as_str).collect();
                    return Err(ScenarioError::new(
                        field,
                        format!("not in the node report (it has: {})", keys.join(", ")),
                    ));
                };
                if !subset(want, got) {
                    return Err(ScenarioError::new(
                        field,
                        format!("expected {want}, but the node has {got}"),
                    ));
                }
            }
        }
        if let Some(want) = &self.violations {
            let mut got: Vec<&str> = world
                .violations()
                .iter()
                .map(|v| v.invariant.as_str())
                .collect();
            got.sort_unstable();
            let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
            want.sort_unstable();
            if got != want {
                return Err(ScenarioError::new(
                    "violations",
                    format!("expected {want:?}, but the run has {got:?}"),
                ));
            }
        }
        Ok(())
    }
}
