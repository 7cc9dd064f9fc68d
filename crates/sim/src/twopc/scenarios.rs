//! The named 2PC scenarios (`crates/sim/scenarios/2pc/*.json`), compiled in for native
//! builds (the CLI, the tests and the explorer). The page lists them from
//! [`crate::scenario::catalog`] and fetches a file when it is opened, except the seed's
//! demo ([`SEED_DEMO`]), which the 2PC tab starts on and so must have without waiting.

/// The name of the scenario the page's 2PC tab starts on.
pub const SEED_DEMO_NAME: &str = "seed-demo";

/// The seed's own delete-2pc demo (every participant votes commit): compiled in on
/// every target, since the page's 2PC tab starts on it.
pub const SEED_DEMO: &str = include_str!("../../scenarios/2pc/seed-demo.json");

/// Every named scenario: `(name, JSON text)`, in teaching order. Native builds only.
#[cfg(not(target_arch = "wasm32"))]
pub fn all() -> Vec<(&'static str, &'static str)> {
    vec![
        (SEED_DEMO_NAME, SEED_DEMO),
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
