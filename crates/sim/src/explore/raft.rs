//! Raft explorer configurations: three nodes (or five), no workload at first; the
//! explorer fires election timers, delivers votes and heartbeats and, within the
//! write budget, sends a client `add` to a leader. States whose term exceeds
//! [`Bounds::max_term`] or whose log is longer than [`Bounds::max_log`] (the §8 no-op
//! of each new leader counts) are pruned.

use serde_json::{Map, Value, json};

use crate::explore::{Bounds, Explorable, FROZEN_LATENCY_MS};
use crate::input::Input;
use crate::raft::Raft;
use crate::raft::types::Role;
use crate::scenario::{FORMAT, Scenario, ScenarioError, ScenarioProtocol};
use crate::world::World;

/// The default cluster size.
pub const DEFAULT_NODES: usize = 3;

impl Explorable for Raft {
    fn explore_scenario(mode: &str, nodes: Option<usize>) -> Result<Scenario, ScenarioError> {
        let n = nodes.unwrap_or(DEFAULT_NODES);
        Scenario::from_value(&json!({
            "format": FORMAT,
            "protocol": "raft",
            "mode": mode,
            "seed": 1,
            "nodes": n,
            "until_ms": 1,
            "steps": [{"at_ms": 0, "latency_ms": [FROZEN_LATENCY_MS, FROZEN_LATENCY_MS]}],
        }))
    }

    fn default_bounds(_nodes: Option<usize>) -> Bounds {
        Bounds {
            crashes: 1,
            drops: 0,
            duplicates: 0,
            writes: 1,
            max_in_flight: 6,
            max_term: 3,
            max_log: 2,
            ..Bounds::default()
        }
    }

    fn out_of_bounds(world: &World<Raft>, bounds: &Bounds) -> bool {
        world.slots().iter().any(|slot| {
            slot.node
                .servers()
                .any(|s| s.current_term().0 > bounds.max_term || s.log().len() > bounds.max_log)
        })
    }

    fn write_choices(world: &World<Raft>) -> Vec<Input<Raft>> {
        let mut op = Map::new();
        op.insert("op".into(), json!("add"));
        op.insert("id".into(), json!("1"));
        op.insert("title".into(), json!("Explored Song"));
        op.insert("artist".into(), json!("Explorer"));
        op.insert("duration".into(), Value::from(180));
        let Ok(request) = Raft::parse_request(&op) else {
            return Vec::new();
        };
        world
            .node_ids()
            .filter(|&id| world.is_up(id) && world.node(id).role() == Role::Leader)
            .map(|id| Input::Request(id, request.clone()))
            .collect()
    }
}
