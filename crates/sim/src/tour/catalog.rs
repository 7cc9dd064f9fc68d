//! The tours shipped with faultlab (`crates/sim/tours/*.json`), in teaching order.
//!
//! [`TOURS`] is what the tour menu lists without reading a file: each tour's name,
//! protocol, title and summary, copied from its file (a test holds the copy to the
//! files, so they cannot drift). The files' text is compiled in only for native builds
//! ([`all`], [`get`]: the tests and tools); the page fetches a tour's file when the
//! user opens it, so its ~50 KB of prose is not in the page's WebAssembly.
//!
//! It owns the list only; a file added to `tours/` must be listed here too (a test
//! compares the two).

/// A tour as the menu lists it, known without its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TourInfo {
    /// Its id: the file name without `.json`.
    pub name: &'static str,
    /// `"raft"` or `"2pc"`.
    pub protocol: &'static str,
    /// The file's `title`.
    pub title: &'static str,
    /// The file's `summary`.
    pub summary: &'static str,
}

/// Every tour, in the order the tour menu lists them.
pub const TOURS: &[TourInfo] = &[
    TourInfo {
        name: "raft-election",
        protocol: "raft",
        title: "Raft: leader election",
        summary: "Five followers, randomised election timers, one candidate, a majority of votes; then the leader crashes, a new term elects a new leader, and the old one comes back as a follower.",
    },
    TourInfo {
        name: "raft-replication",
        protocol: "raft",
        title: "Raft: log replication and commit",
        summary: "A write goes into the leader's log, is copied by AppendEntries, commits once a majority stores it, and reaches a follower that was down; then a read goes through the log.",
    },
    TourInfo {
        name: "raft-figure8-naive",
        protocol: "raft",
        title: "Raft Figure 8: committing by counting replicas",
        summary: "The paper's Figure 8 with the naive commit rule: a leader counts replicas of an entry from an earlier term, calls it committed, and a later leader overwrites it. State Machine Safety breaks.",
    },
    TourInfo {
        name: "raft-figure8",
        protocol: "raft",
        title: "Raft Figure 8: the current-term commit rule",
        summary: "The same Figure 8 run with Raft's rule: the term-3 leader does not commit the old entry it replicated to a majority, so the later leader may overwrite it safely, and its own entry commits everything before it.",
    },
    TourInfo {
        name: "raft-as-submitted-q3",
        protocol: "raft",
        title: "What the Q3 server got wrong: two leaders in one term",
        summary: "A counterexample found by the exhaustive explorer: the submitted Q3 process runs a second, shadow Raft instance under the same node id, and the shadow wins a term that already has a leader.",
    },
    TourInfo {
        name: "raft-as-submitted-q4",
        protocol: "raft",
        title: "What the Q4 server got wrong: a restart forgets a committed entry",
        summary: "A counterexample found by the exhaustive explorer: the submitted Q4 server persists nothing, so a restarted server votes for a candidate that lacks a committed entry, and that candidate becomes leader.",
    },
    TourInfo {
        name: "2pc-commit",
        protocol: "2pc",
        title: "2PC: every participant votes commit",
        summary: "The seed's delete-2pc demo: the coordinator asks for votes, every participant is READY, the decision is logged, and GlobalCommit deletes the picture everywhere.",
    },
    TourInfo {
        name: "2pc-abort",
        protocol: "2pc",
        title: "2PC: one participant votes abort",
        summary: "The seed's abort case: one participant lacks the picture and votes VoteAbort, the coordinator aborts without waiting for the other votes, and every copy survives.",
    },
    TourInfo {
        name: "2pc-blocking",
        protocol: "2pc",
        title: "2PC blocks: the coordinator dies after deciding",
        summary: "Every participant is READY when the coordinator crashes in its decision phase. The cooperative termination protocol asks the peers, but all are READY: they are blocked, holding their locks, until the coordinator recovers.",
    },
    TourInfo {
        name: "2pc-as-submitted",
        protocol: "2pc",
        title: "What the submitted 2PC got wrong: READY is not durable",
        summary: "A counterexample found by the exhaustive explorer: a participant votes commit, crashes, and restarts with no memory of its vote or its lock.",
    },
];

/// The menu entry of the tour called `name`.
pub fn info(name: &str) -> Option<&'static TourInfo> {
    TOURS.iter().find(|t| t.name == name)
}

/// Every tour: `(name, JSON text)`, in [`TOURS`] order. Native builds only.
#[cfg(not(target_arch = "wasm32"))]
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

/// The text of the tour called `name`. Native builds only.
#[cfg(not(target_arch = "wasm32"))]
pub fn get(name: &str) -> Option<&'static str> {
    all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text)
}

// The texts (`all`) are compiled in for native builds only.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::tour::Tour;

    /// The menu's copy of each file's name, protocol, title and summary is the file's.
    #[test]
    fn the_menu_list_matches_the_tour_files() {
        let listed: Vec<&str> = TOURS.iter().map(|t| t.name).collect();
        let embedded: Vec<&str> = all().into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            listed, embedded,
            "TOURS and all() list the same tours in order"
        );
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tours");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("tours/ exists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter_map(|f| f.strip_suffix(".json").map(str::to_owned))
            .collect();
        files.sort();
        let mut sorted = listed.clone();
        sorted.sort_unstable();
        assert_eq!(
            files, sorted,
            "every file in tours/ is listed, and nothing else"
        );
        for info in TOURS {
            let text =
                std::fs::read_to_string(format!("{dir}/{}.json", info.name)).expect("readable");
            let t = Tour::parse(info.name, &text).unwrap_or_else(|e| panic!("{}: {e}", info.name));
            assert_eq!(
                (info.protocol, info.title, info.summary),
                (t.protocol.as_str(), t.title.as_str(), t.summary.as_str()),
                "catalog::TOURS entry for {}: copy it from the file",
                info.name
            );
        }
    }
}
