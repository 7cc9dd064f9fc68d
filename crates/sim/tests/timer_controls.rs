//! Align and spread timers (`RaftScope`'s A and T keys): every armed main timeout is
//! re-armed at one instant, or spaced apart in order; in Raft, aligned election
//! timeouts produce a split vote and spread ones a single candidate.

use faultlab_sim::Fault;
use faultlab_sim::demo::{Demo, DemoConfig};
use faultlab_sim::raft::Raft;
use faultlab_sim::raft::note::RaftNote;
use faultlab_sim::{EventKind, Input, NetConfig, Scenario, ScenarioProtocol, Seed, Tick, World};

fn deadlines(w: &World<Demo>) -> Vec<u64> {
    w.node_ids()
        .filter_map(|id| w.slot(id).timers.first().map(|t| t.fires_at.0))
        .collect()
}

#[test]
fn align_puts_every_main_timer_at_the_earliest_deadline() {
    let mut w = World::<Demo>::new(Seed(1), DemoConfig::default(), NetConfig::default());
    w.run_until(Tick(1_000));
    let earliest = *deadlines(&w).iter().min().expect("armed");
    w.apply(Input::Fault(Fault::AlignTimers));
    assert!(
        deadlines(&w).iter().all(|&d| d == earliest),
        "{:?}",
        deadlines(&w)
    );
    // The re-armed timers really fire there (the old queue entries are stale).
    w.run_until(Tick(earliest));
    let fired = w.last_events().len();
    assert!(fired > 0);
}

#[test]
fn spread_spaces_main_timers_apart_in_order() {
    let mut w = World::<Demo>::new(Seed(2), DemoConfig::default(), NetConfig::default());
    w.run_until(Tick(1_000));
    w.apply(Input::Fault(Fault::SpreadTimers));
    let mut d = deadlines(&w);
    d.sort_unstable();
    let gap = 2 * NetConfig::default().latency_max.0 + 50;
    assert!(d.windows(2).all(|p| p[1] - p[0] == gap), "{d:?}");
}

fn candidates_per_term(bugs: &[String], input: Input<Raft>) -> usize {
    let config = Raft::configure("textbook", 5, bugs, None).expect("config");
    let net = Raft::default_net(&config);
    let mut w = World::<Raft>::new(Seed(5), config, net);
    w.run_until(Tick(8_000));
    let leader = w
        .node_ids()
        .find(|id| w.node(*id).role() == faultlab_sim::raft::types::Role::Leader)
        .expect("a leader by 8 s");
    w.apply(Input::Fault(Fault::Crash(leader)));
    w.apply(input);
    let mut candidates = Vec::new();
    w.run_until_with(Tick(20_000), |evs| {
        for e in evs {
            if let EventKind::Note {
                node,
                note: RaftNote::BecameCandidate { term },
            } = &e.kind
            {
                candidates.push((*term, *node));
            }
        }
    });
    let first_term = candidates.first().map(|c| c.0).expect("an election");
    candidates.iter().filter(|c| c.0 == first_term).count()
}

#[test]
fn aligned_election_timeouts_split_the_vote_and_spread_ones_do_not() {
    assert!(
        candidates_per_term(&[], Input::Fault(Fault::AlignTimers)) >= 2,
        "aligned timers: several candidates in one term"
    );
    assert_eq!(
        candidates_per_term(&[], Input::Fault(Fault::SpreadTimers)),
        1,
        "spread timers: one candidate"
    );
}

#[test]
fn scenario_steps_for_timer_controls_round_trip() {
    let text = r#"{"format":"faultlab-scenario/1","protocol":"raft","until_ms":9000,"steps":[
        {"at_ms":4000,"align_timers":true},{"at_ms":6000,"spread_timers":true}]}"#;
    let s = Scenario::parse(text).expect("valid");
    let mut w = s.build::<Raft>().expect("builds");
    w.run_until(Tick(9_000));
    assert!(w.inputs().iter().all(|i| i.applied));
    assert_eq!(Scenario::from_world(&w, 9_000, None).steps, s.steps);
    let bad = r#"{"format":"faultlab-scenario/1","protocol":"raft","steps":[{"at_ms":1,"align_timers":"yes"}]}"#;
    assert!(
        Scenario::parse(bad)
            .expect_err("rejected")
            .to_string()
            .contains("steps[0].align_timers: must be true")
    );
}
