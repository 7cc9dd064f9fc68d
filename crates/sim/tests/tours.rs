//! The guided tours (`crates/sim/tours/*.json`) against the engine: every tour parses,
//! its scenario builds, every stop resolves to an event in increasing order, every
//! claim a stop makes (`expect`) holds at that event — in the walk and in the world
//! the page shows there (a `History` replay) — and the as-submitted tours end on the
//! violation their explorer counterexample found. Every stop stores the event its
//! anchor resolves to (the page seeks to it without resolving anchors); a missing or
//! stale number fails here with the right one printed. A tour that drifts from the
//! engine fails here. Broken tours fail with errors that name the stop.

// The tours' texts are compiled in for native builds only (`catalog::all`).
#![cfg(not(target_arch = "wasm32"))]

use faultlab_sim::raft::Raft;
use faultlab_sim::scenario::{ScenarioError, ScenarioProtocol};
use faultlab_sim::tour::{self, PinnedTour, ResolvedStop, Tour, catalog};
use faultlab_sim::twopc::TwoPc;
use faultlab_sim::{History, Tick};
use serde_json::{Value, json};

fn verify(tour: &Tour) -> Result<Vec<ResolvedStop>, ScenarioError> {
    match tour.protocol.as_str() {
        "raft" => tour::verify::<Raft>(tour),
        "2pc" => tour::verify::<TwoPc>(tour),
        p => panic!("{}: unknown protocol {p}", tour.name),
    }
}

fn resolve(tour: &Tour) -> Result<Vec<ResolvedStop>, ScenarioError> {
    match tour.protocol.as_str() {
        "raft" => tour::resolve::<Raft>(tour),
        "2pc" => tour::resolve::<TwoPc>(tour),
        p => panic!("{}: unknown protocol {p}", tour.name),
    }
}

fn parsed() -> Vec<Tour> {
    catalog::all()
        .into_iter()
        .map(|(name, text)| Tour::parse(name, text).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

/// Replay the tour's scenario through a `History` (as the page does) and check each
/// stop's claims on `world_at(event)`.
fn check_on_history<P: ScenarioProtocol>(tour: &Tour, stops: &[ResolvedStop]) {
    let world = tour.scenario.build::<P>().expect("builds");
    let mut h = History::new(world);
    let last = stops.last().expect("stops").event;
    while h.len() < last {
        assert!(h.step(), "{}: the run ended before event {last}", tour.name);
    }
    for (k, (stop, at)) in tour.stops.iter().zip(stops).enumerate() {
        let w = h.world_at(at.event);
        assert_eq!(w.events(), at.event);
        assert_eq!(w.now(), Tick(at.at_ms), "{} stop {k}", tour.name);
        if let Some(x) = &stop.expect {
            x.check(&w)
                .unwrap_or_else(|e| panic!("{} stop {k} (history): {e}", tour.name));
        }
    }
}

#[test]
fn every_tour_file_is_in_the_catalog_and_named_after_it() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tours");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("tours/ exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_owned))
        .collect();
    files.sort();
    let mut listed: Vec<String> = catalog::all()
        .into_iter()
        .map(|(n, _)| n.to_owned())
        .collect();
    listed.sort();
    assert_eq!(files, listed);
    for (name, text) in catalog::all() {
        let path = format!("{dir}/{name}.json");
        assert_eq!(
            std::fs::read_to_string(&path).expect("readable"),
            text,
            "{path}"
        );
    }
}

#[test]
fn every_tour_resolves_in_order_and_its_claims_hold() {
    for t in parsed() {
        let stops = verify(&t).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert_eq!(stops.len(), t.stops.len());
        for (k, s) in stops.iter().enumerate() {
            eprintln!(
                "{:>22} stop {k}: event {:>4} at {:>6} ms  {}",
                t.name,
                s.event,
                s.at_ms,
                t.stops[k].title.as_deref().unwrap_or("")
            );
        }
        assert!(
            stops.windows(2).all(|w| w[0].event < w[1].event),
            "{}: stops must move forward: {stops:?}",
            t.name
        );
        match t.protocol.as_str() {
            "raft" => check_on_history::<Raft>(&t, &stops),
            _ => check_on_history::<TwoPc>(&t, &stops),
        }
    }
}

/// The page reads each stop's stored `event` (`PinnedTour`) instead of resolving its
/// anchor: every stop must store one, equal to what its anchor resolves to, and the
/// page's reading must agree with the full one.
#[test]
fn every_stop_stores_the_event_its_anchor_resolves_to() {
    let mut wrong = Vec::new();
    for (name, text) in catalog::all() {
        let t = Tour::parse(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let stops = resolve(&t).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (k, (stop, at)) in t.stops.iter().zip(&stops).enumerate() {
            if stop.event != Some(at.event) {
                let title = stop.title.as_deref().unwrap_or("");
                wrong.push(format!(
                    "{name} stops[{k}] ({title}): stored {:?}, write \"event\": {}",
                    stop.event, at.event
                ));
            }
        }
        if wrong.is_empty() {
            let pinned = PinnedTour::parse(name, text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(pinned.title, t.title);
            assert_eq!(pinned.scenario, t.scenario, "{name}");
            assert_eq!(pinned.scenario_value(), t.scenario_value(), "{name}");
            assert_eq!(pinned.stops.len(), t.stops.len());
            for (p, s) in pinned.stops.iter().zip(&t.stops) {
                assert_eq!(
                    (&p.title, &p.caption, Some(p.event), &p.highlight),
                    (&s.title, &s.caption, s.event, &s.highlight),
                    "{name}"
                );
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "stored stop events are missing or stale:\n{}",
        wrong.join("\n")
    );
}

/// A stored event that is not the anchor's is refused by `verify`, naming the number.
#[test]
fn a_stale_stored_event_names_the_right_one() {
    let v = tour_with(&json!([
        {"caption": "c", "at": {"start": true}, "event": 0},
        {"caption": "c", "at": {"note": "became_leader"}, "event": 1}
    ]));
    let e = verify_value(&v).expect_err("the leader is not elected at event 1");
    assert_eq!(e.field, "stops[1].event");
    let right = verify_value(&tour_with(
        &json!([{"caption": "c", "at": {"note": "became_leader"}}]),
    ))
    .expect("resolves")[0]
        .event;
    assert!(e.message.contains(&format!("\"event\": {right}")), "{e}");
}

#[test]
fn tours_teach_in_the_papers_words() {
    for t in parsed() {
        assert!(
            t.stops.iter().any(|s| s.caption.contains('§')
                || s.caption.contains("Figure")
                || s.caption.contains("Tanenbaum")
                || s.caption.contains("flaw")),
            "{}: cite the paper (Raft §5.x, Figure n) or the flaw",
            t.name
        );
        for (k, s) in t.stops.iter().enumerate() {
            let words = s.caption.split_whitespace().count();
            assert!(
                (8..=110).contains(&words),
                "{} stop {k}: a caption is a few sentences ({words} words)",
                t.name
            );
            assert!(
                s.title.is_some(),
                "{} stop {k}: every stop has a short title",
                t.name
            );
        }
    }
}

#[test]
fn required_tours_exist_for_both_protocols() {
    let tours = parsed();
    let names: Vec<&str> = tours.iter().map(|t| t.name.as_str()).collect();
    for want in [
        "raft-election",
        "raft-replication",
        "raft-figure8",
        "raft-figure8-naive",
        "2pc-commit",
        "2pc-abort",
        "2pc-blocking",
        "raft-as-submitted-q3",
        "raft-as-submitted-q4",
        "2pc-as-submitted",
    ] {
        assert!(names.contains(&want), "missing tour {want}");
    }
    let f8: Vec<&Tour> = tours
        .iter()
        .filter(|t| t.name.starts_with("raft-figure8"))
        .collect();
    assert!(
        f8.iter().all(|t| t
            .scenario_name
            .as_deref()
            .is_some_and(|n| n.starts_with("figure8"))),
        "the Figure 8 tours use the figure8 scenarios"
    );
}

#[test]
fn as_submitted_tours_end_on_the_explorers_violation() {
    for t in parsed()
        .into_iter()
        .filter(|t| t.scenario.mode.starts_with("as-submitted"))
    {
        let inv = t
            .violation
            .clone()
            .unwrap_or_else(|| panic!("{}: an as-submitted tour ends on a violation", t.name));
        let source = t.source.clone().unwrap_or_default();
        assert!(
            source.contains("faultlab-cli explore") && source.contains(&inv),
            "{}: source names the explore run and the invariant: {source}",
            t.name
        );
        assert!(
            t.scenario
                .meta_str("description")
                .is_some_and(|d| d.contains("explorer")),
            "{}: the scenario is the explorer's counterexample",
            t.name
        );
        let stops = verify(&t).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        let last = stops.last().expect("stops");
        let first = match t.protocol.as_str() {
            "raft" => first_violation::<Raft>(&t, &inv),
            _ => first_violation::<TwoPc>(&t, &inv),
        };
        assert_eq!(
            first,
            Some(last.event),
            "{}: the last stop is the first violation of {inv}",
            t.name
        );
    }
}

/// The event where the whole scenario first violates `inv`.
fn first_violation<P: ScenarioProtocol>(t: &Tour, inv: &str) -> Option<u64> {
    let mut w = t.scenario.build::<P>().expect("builds");
    w.run_until(Tick(t.scenario.until_ms));
    w.violations()
        .iter()
        .find(|v| v.invariant == inv)
        .map(|v| v.event)
}

// ----- broken tours are clear errors -------------------------------------------------

fn tour_with(stops: &Value) -> Value {
    json!({
        "format": "faultlab-tour/1", "title": "t", "protocol": "raft", "summary": "s",
        "scenario": {"format": "faultlab-scenario/1", "protocol": "raft", "seed": 1, "until_ms": 5000},
        "stops": stops
    })
}

fn verify_value(v: &Value) -> Result<Vec<ResolvedStop>, ScenarioError> {
    let t = Tour::from_value("test", v)?;
    tour::verify::<Raft>(&t)
}

#[test]
fn an_anchor_that_never_matches_names_its_stop() {
    let v = tour_with(&json!([
        {"caption": "c", "at": {"start": true}},
        {"caption": "c", "at": {"note": "became_leader", "node": "3"}},
        {"caption": "c", "at": {"crashed": "2"}}
    ]));
    let e = verify_value(&v).expect_err("node 2 never crashes");
    assert_eq!(e.field, "stops[2].at");
    assert!(e.message.contains("the crash of node 2"), "{e}");
    assert!(e.message.contains("until_ms = 5000"), "{e}");
}

#[test]
fn a_claim_that_does_not_hold_names_the_stop_and_field() {
    let v = tour_with(&json!([
        {"caption": "c", "at": {"note": "became_leader"},
         "expect": {"nodes": {"3": {"role": "follower"}}}}
    ]));
    let e = verify_value(&v).expect_err("node 3 leads");
    assert_eq!(e.field, "stops[0].expect.nodes.3.role");
    assert!(e.message.contains("\"leader\""), "{e}");
    let typo = tour_with(&json!([
        {"caption": "c", "at": {"start": true}, "expect": {"nodes": {"3": {"rol": "leader"}}}}
    ]));
    let e = verify_value(&typo).expect_err("no such report field");
    assert_eq!(e.field, "stops[0].expect.nodes.3.rol");
    let viol = tour_with(&json!([
        {"caption": "c", "at": {"start": true}, "expect": {"violations": ["election_safety"]}}
    ]));
    assert_eq!(
        verify_value(&viol).expect_err("no violation").field,
        "stops[0].expect.violations"
    );
}

#[test]
fn malformed_tours_are_refused_with_the_field() {
    let cases = [
        (
            tour_with(&json!([{"caption": "c", "at": {"crashed": "9"}}])),
            "stops[0].at.crashed",
        ),
        (
            tour_with(
                &json!([{"caption": "c", "at": {"start": true}, "highlight": {"nodes": ["7"]}}]),
            ),
            "stops[0].highlight.nodes[0]",
        ),
        (
            tour_with(
                &json!([{"caption": "c", "at": {"at_ms": 1}}, {"caption": "c", "at": {"start": true}}]),
            ),
            "stops[1].at.start",
        ),
        (
            tour_with(&json!([{"caption": "c", "at": {"start": true}, "colour": "red"}])),
            "stops[0].colour",
        ),
        (tour_with(&json!([])), "stops"),
        (
            json!({"format": "faultlab-tour/1", "title": "t", "protocol": "raft", "summary": "s",
                   "scenario": "no-such-scenario", "stops": [{"caption": "c", "at": {"start": true}}]}),
            "scenario",
        ),
        (
            json!({"format": "faultlab-tour/1", "title": "t", "protocol": "2pc", "summary": "s",
                   "scenario": {"format": "faultlab-scenario/1", "protocol": "raft"},
                   "stops": [{"caption": "c", "at": {"start": true}}]}),
            "scenario.protocol",
        ),
        (
            json!({"format": "faultlab-tour/1", "title": "t", "protocol": "raft", "summary": "s",
                   "scenario": "figure8", "violation": "election_safety",
                   "stops": [{"caption": "c", "at": {"start": true}}]}),
            "stops[0].at",
        ),
    ];
    for (v, field) in cases {
        let e = verify_value(&v).expect_err("refused");
        assert_eq!(e.field, field, "{e}");
    }
}

#[test]
fn nth_and_after_ms_pick_later_matches() {
    let first = tour_with(&json!([
        {"caption": "c", "at": {"delivered": "AppendEntries", "reply": false}}
    ]));
    let third = tour_with(&json!([
        {"caption": "c", "at": {"delivered": "AppendEntries", "reply": false, "nth": 3}}
    ]));
    let late = tour_with(&json!([
        {"caption": "c", "at": {"delivered": "AppendEntries", "reply": false, "after_ms": 3000}}
    ]));
    let a = verify_value(&first).expect("resolves")[0];
    let c = verify_value(&third).expect("resolves")[0];
    let l = verify_value(&late).expect("resolves")[0];
    assert!(a.event < c.event);
    assert!(l.at_ms >= 3000 && a.at_ms < 3000);
}
