//! The named 2PC scenarios (`crates/sim/scenarios/2pc/*.json`), compiled in so the
//! page and the CLI can offer them without a file system.

/// Every named scenario: `(name, JSON text)`, in teaching order.
pub fn all() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "seed-demo",
            include_str!("../../scenarios/2pc/seed-demo.json"),
        ),
        (
            "participant-lacks-picture",
            include_str!("../../scenarios/2pc/participant-lacks-picture.json"),
        ),
        (
            "participant-crash-during-voting",
            include_str!("../../scenarios/2pc/participant-crash-during-voting.json"),
        ),
        (
            "participant-crash-after-vote",
            include_str!("../../scenarios/2pc/participant-crash-after-vote.json"),
        ),
        (
            "coordinator-crash-in-wait",
            include_str!("../../scenarios/2pc/coordinator-crash-in-wait.json"),
        ),
        (
            "coordinator-crash-after-decision",
            include_str!("../../scenarios/2pc/coordinator-crash-after-decision.json"),
        ),
        (
            "lost-global-commit",
            include_str!("../../scenarios/2pc/lost-global-commit.json"),
        ),
        (
            "two-coordinators",
            include_str!("../../scenarios/2pc/two-coordinators.json"),
        ),
        (
            "plain-delete-of-ready-picture",
            include_str!("../../scenarios/2pc/plain-delete-of-ready-picture.json"),
        ),
    ]
}
