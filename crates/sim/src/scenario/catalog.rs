//! The named scenarios shipped with faultlab (`crates/sim/scenarios/<protocol>/*.json`)
//! as the page's scenario picker lists them, without reading a file.
//!
//! [`SCENARIOS`] holds each file's name, protocol and title, copied from the file (a
//! test holds the copy to the files, so they cannot drift). The files' text is compiled
//! in only for native builds ([`text`]: the CLI, the tests and the explorer), plus the
//! one scenario the page starts on ([`crate::twopc::scenarios::SEED_DEMO`], so that
//! startup needs no fetch). The page fetches any other scenario's file when the user
//! opens it (`scenarios/<protocol>/<name>.json`), as it does a guided tour's, so the
//! files' ~30 KB of steps and prose are not in its WebAssembly.
//!
//! It owns the list only; a file added to `scenarios/` must be listed here too (a test
//! compares the two).

/// A named scenario as the picker lists it, known without its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioInfo {
    /// Its id: the file name without `.json`.
    pub name: &'static str,
    /// `"raft"` or `"2pc"`: the folder it is in.
    pub protocol: &'static str,
    /// The file's `title`.
    pub title: &'static str,
}

/// Every named scenario, by protocol, in the order the picker lists them.
pub const SCENARIOS: &[ScenarioInfo] = &[
    ScenarioInfo {
        name: "figure8",
        protocol: "raft",
        title: "Raft Figure 8 (§5.4.2): the commit rule",
    },
    ScenarioInfo {
        name: "figure8-commit-by-counting",
        protocol: "raft",
        title: "Raft Figure 8 with the naive commit rule",
    },
    ScenarioInfo {
        name: "leader-crash-mid-replication",
        protocol: "raft",
        title: "The leader crashes in the middle of replicating a write",
    },
    ScenarioInfo {
        name: "leader-isolated-minority",
        protocol: "raft",
        title: "A leader cut off in a minority keeps accepting writes",
    },
    ScenarioInfo {
        name: "restart-durable",
        protocol: "raft",
        title: "Restart with durable state (textbook)",
    },
    ScenarioInfo {
        name: "restart-empty-as-submitted-q4",
        protocol: "raft",
        title: "The same restart in as-submitted Q4: empty state",
    },
    ScenarioInfo {
        name: "tc1-heartbeat-timeout",
        protocol: "raft",
        title: "TC1: heartbeat timeout",
    },
    ScenarioInfo {
        name: "tc2-election-timeout",
        protocol: "raft",
        title: "TC2: election timeout after a split vote",
    },
    ScenarioInfo {
        name: "tc3-forwarding",
        protocol: "raft",
        title: "TC3: forwarding a write from a follower",
    },
    ScenarioInfo {
        name: "tc3-forwarding-as-submitted-q4",
        protocol: "raft",
        title: "TC3 as submitted (Q4): forwarding, exactly as the sample log",
    },
    ScenarioInfo {
        name: "tc4-deleting-node",
        protocol: "raft",
        title: "TC4: deleting the leader",
    },
    ScenarioInfo {
        name: "tc5-add-new-node",
        protocol: "raft",
        title: "TC5: a node rejoins and catches up",
    },
    ScenarioInfo {
        name: "seed-demo",
        protocol: "2pc",
        title: "The seed's demo: delete-2pc commits",
    },
    ScenarioInfo {
        name: "participant-lacks-picture",
        protocol: "2pc",
        title: "One participant lacks the picture: abort",
    },
    ScenarioInfo {
        name: "participant-crash-during-voting",
        protocol: "2pc",
        title: "A participant crashes during voting",
    },
    ScenarioInfo {
        name: "participant-crash-after-vote",
        protocol: "2pc",
        title: "A participant crashes after voting commit, before the decision",
    },
    ScenarioInfo {
        name: "coordinator-crash-in-wait",
        protocol: "2pc",
        title: "The coordinator crashes in WAIT: blocking, then recovery",
    },
    ScenarioInfo {
        name: "coordinator-crash-after-decision",
        protocol: "2pc",
        title: "The coordinator crashes after logging the decision, before sending it",
    },
    ScenarioInfo {
        name: "lost-global-commit",
        protocol: "2pc",
        title: "A lost GlobalCommit: the cooperative termination protocol",
    },
    ScenarioInfo {
        name: "two-coordinators",
        protocol: "2pc",
        title: "Two coordinators on the same file: the txid-blind abort (P-5)",
    },
    ScenarioInfo {
        name: "plain-delete-of-ready-picture",
        protocol: "2pc",
        title: "A plain delete of a READY-locked picture: no isolation (P-6)",
    },
];

/// `protocol`'s named scenarios, in picker order.
pub fn of(protocol: &str) -> impl Iterator<Item = &'static ScenarioInfo> {
    SCENARIOS.iter().filter(move |s| s.protocol == protocol)
}

/// The entry of `protocol`'s scenario called `name`.
pub fn info(protocol: &str, name: &str) -> Option<&'static ScenarioInfo> {
    of(protocol).find(|s| s.name == name)
}

/// The text of `protocol`'s scenario called `name`, when it is compiled in: every
/// scenario in native builds, only the page's start scenario in the page's.
pub fn text(protocol: &str, name: &str) -> Option<&'static str> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let all = match protocol {
            "raft" => crate::raft::scenarios::all(),
            "2pc" => crate::twopc::scenarios::all(),
            _ => return None,
        };
        all.into_iter().find(|(n, _)| *n == name).map(|(_, t)| t)
    }
    #[cfg(target_arch = "wasm32")]
    {
        (protocol == "2pc" && name == crate::twopc::scenarios::SEED_DEMO_NAME)
            .then_some(crate::twopc::scenarios::SEED_DEMO)
    }
}

// The texts are compiled in for native builds only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    /// The picker's copy of each file's name, protocol and title is the file's.
    #[test]
    fn the_picker_list_matches_the_scenario_files() {
        for protocol in ["raft", "2pc"] {
            let listed: Vec<&str> = of(protocol).map(|s| s.name).collect();
            let embedded: Vec<&str> = match protocol {
                "raft" => crate::raft::scenarios::all(),
                _ => crate::twopc::scenarios::all(),
            }
            .into_iter()
            .map(|(n, _)| n)
            .collect();
            assert_eq!(
                listed, embedded,
                "SCENARIOS and {protocol}'s all() list the same scenarios in order"
            );
            let dir = format!("{}/scenarios/{protocol}", env!("CARGO_MANIFEST_DIR"));
            let mut files: Vec<String> = std::fs::read_dir(&dir)
                .expect("the scenario folder exists")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .filter_map(|f| f.strip_suffix(".json").map(str::to_owned))
                .collect();
            files.sort();
            let mut sorted = listed.clone();
            sorted.sort_unstable();
            assert_eq!(
                files, sorted,
                "every file in {dir} is listed, and nothing else"
            );
            for info in of(protocol) {
                let text =
                    std::fs::read_to_string(format!("{dir}/{}.json", info.name)).expect("readable");
                assert_eq!(Some(text.as_str()), super::text(protocol, info.name));
                let sc = Scenario::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", info.name));
                assert_eq!(sc.protocol, protocol, "{}", info.name);
                assert_eq!(
                    Some(info.title),
                    sc.meta_str("title"),
                    "catalog::SCENARIOS entry for {}: copy its title from the file",
                    info.name
                );
            }
        }
        assert!(
            SCENARIOS
                .iter()
                .all(|s| s.protocol == "raft" || s.protocol == "2pc")
        );
    }
}
