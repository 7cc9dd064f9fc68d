//! The named 2PC scenarios (`crates/sim/scenarios/2pc/*.json`), compiled in so the
//! page and the CLI can offer them without a file system.

/// Every named scenario: `(name, JSON text)`, in teaching order.
pub fn all() -> Vec<(&'static str, &'static str)> {
    vec![
        ("seed-demo", include_str!("../../scenarios/2pc/seed-demo.json")),
    ]
}
