//! 2PC explorer configurations: one coordinator (`http-node1`) and two to four
//! participants, each of which holds `demo.png`; the coordinator runs `delete2pc` on
//! it. Crash budget 1 and one timeout per path by default, no drops or duplicates (the coordinator's retries
//! and the termination protocol are the 2PC answers to a lost message; a crash is
//! what 2PC is about).

use serde_json::json;

use crate::explore::{Bounds, Explorable, FROZEN_LATENCY_MS};
use crate::scenario::{FORMAT, Scenario, ScenarioError};
use crate::twopc::TwoPc;

/// The default cluster: one coordinator and three participants.
pub const DEFAULT_NODES: usize = 4;

impl Explorable for TwoPc {
    fn explore_scenario(mode: &str, nodes: Option<usize>) -> Result<Scenario, ScenarioError> {
        let total = nodes.unwrap_or(DEFAULT_NODES);
        if !(3..=5).contains(&total) {
            return Err(ScenarioError::new(
                "nodes",
                format!(
                    "the 2PC explorer runs 1 coordinator and 2 to 4 participants (3 to 5 nodes), got {total}"
                ),
            ));
        }
        let participants = total - 1;
        let mut steps =
            vec![json!({"at_ms": 0, "latency_ms": [FROZEN_LATENCY_MS, FROZEN_LATENCY_MS]})];
        for p in 1..=participants {
            steps.push(json!({"at_ms": 0, "client": {
                "node": format!("grpc-node{p}"), "op": "upload", "filename": "demo.png"}}));
        }
        steps.push(json!({"at_ms": 0, "client": {
            "node": "http-node1", "op": "delete2pc", "filename": "demo.png"}}));
        Scenario::from_value(&json!({
            "format": FORMAT,
            "protocol": "2pc",
            "mode": mode,
            "seed": 1,
            "nodes": total,
            "until_ms": 1,
            "config": {"http_nodes": 1, "grpc_nodes": participants},
            "steps": steps,
        }))
    }

    fn default_bounds(nodes: Option<usize>) -> Bounds {
        Bounds {
            // Room for the coordinator's fan-out to every participant plus its own
            // phase hand-off; more only adds interleavings of retries.
            max_in_flight: nodes.unwrap_or(DEFAULT_NODES),
            crashes: 1,
            drops: 0,
            duplicates: 0,
            writes: 0,
            // One timeout per path: enough for the coordinator to give up on a crashed
            // participant, or for a READY participant to run one termination round.
            // Every further retry round multiplies the interleavings.
            timeouts: 1,
            ..Bounds::default()
        }
    }
}
