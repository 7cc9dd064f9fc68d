//! The named Raft scenarios shipped with faultlab (`crates/sim/scenarios/raft/`),
//! compiled in for native builds (the CLI, the tests and the explorer); the page lists
//! them from [`crate::scenario::catalog`] and fetches a file when it is opened. Each file carries its
//! own `title`, `description`, `watch` and `expect` metadata; `expect` is either
//! `"no violations"` or `"violation: <invariant>[, <invariant>…]"`, which the tests
//! assert (the listed invariants must fire; others may too).

/// Every scenario: `(name, JSON text)`, by name. Native builds only.
#[cfg(not(target_arch = "wasm32"))]
pub fn all() -> Vec<(&'static str, &'static str)> {
    vec![
        ("figure8", include_str!("../../scenarios/raft/figure8.json")),
        (
            "figure8-commit-by-counting",
            include_str!("../../scenarios/raft/figure8-commit-by-counting.json"),
        ),
        (
            "leader-crash-mid-replication",
            include_str!("../../scenarios/raft/leader-crash-mid-replication.json"),
        ),
        (
            "leader-isolated-minority",
            include_str!("../../scenarios/raft/leader-isolated-minority.json"),
        ),
        (
            "restart-durable",
            include_str!("../../scenarios/raft/restart-durable.json"),
        ),
        (
            "restart-empty-as-submitted-q4",
            include_str!("../../scenarios/raft/restart-empty-as-submitted-q4.json"),
        ),
        (
            "tc1-heartbeat-timeout",
            include_str!("../../scenarios/raft/tc1-heartbeat-timeout.json"),
        ),
        (
            "tc2-election-timeout",
            include_str!("../../scenarios/raft/tc2-election-timeout.json"),
        ),
        (
            "tc3-forwarding",
            include_str!("../../scenarios/raft/tc3-forwarding.json"),
        ),
        (
            "tc3-forwarding-as-submitted-q4",
            include_str!("../../scenarios/raft/tc3-forwarding-as-submitted-q4.json"),
        ),
        (
            "tc4-deleting-node",
            include_str!("../../scenarios/raft/tc4-deleting-node.json"),
        ),
        (
            "tc5-add-new-node",
            include_str!("../../scenarios/raft/tc5-add-new-node.json"),
        ),
    ]
}

/// The scenario called `name`. Native builds only.
#[cfg(not(target_arch = "wasm32"))]
pub fn get(name: &str) -> Option<&'static str> {
    all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text)
}

/// What a scenario's `expect` says: `None` for "no violations", else the invariants.
pub fn expected_violations(expect: &str) -> Option<Vec<String>> {
    let rest = expect
        .strip_prefix("violation:")
        .or_else(|| expect.strip_prefix("violations:"))?;
    Some(
        rest.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}
