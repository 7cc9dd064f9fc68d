//! The tours shipped with faultlab (`crates/sim/tours/*.json`), compiled in so the page
//! and the tests share them, in teaching order; and the lookup of the named scenarios
//! a tour may reference.
//!
//! It owns the list only; a file added to `tours/` must be listed here too (a test
//! compares the two).

/// Every tour: `(name, JSON text)`, in the order the tour menu lists them.
pub fn all() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "raft-election",
            include_str!("../../tours/raft-election.json"),
        ),
        (
            "raft-replication",
            include_str!("../../tours/raft-replication.json"),
        ),
        (
            "raft-figure8-naive",
            include_str!("../../tours/raft-figure8-naive.json"),
        ),
        (
            "raft-figure8",
            include_str!("../../tours/raft-figure8.json"),
        ),
        (
            "raft-as-submitted-q3",
            include_str!("../../tours/raft-as-submitted-q3.json"),
        ),
        (
            "raft-as-submitted-q4",
            include_str!("../../tours/raft-as-submitted-q4.json"),
        ),
        ("2pc-commit", include_str!("../../tours/2pc-commit.json")),
        ("2pc-abort", include_str!("../../tours/2pc-abort.json")),
        (
            "2pc-blocking",
            include_str!("../../tours/2pc-blocking.json"),
        ),
        (
            "2pc-as-submitted",
            include_str!("../../tours/2pc-as-submitted.json"),
        ),
    ]
}

/// The tour called `name`.
pub fn get(name: &str) -> Option<&'static str> {
    all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text)
}

/// The text of `protocol`'s named scenario `name` (`crates/sim/scenarios/<protocol>/`).
pub fn named_scenario(protocol: &str, name: &str) -> Option<&'static str> {
    let all = match protocol {
        "raft" => crate::raft::scenarios::all(),
        "2pc" => crate::twopc::scenarios::all(),
        _ => return None,
    };
    all.into_iter().find(|(n, _)| *n == name).map(|(_, t)| t)
}
