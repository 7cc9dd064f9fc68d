//! The validity checker fires. No seed flaw breaks validity (the submitted coordinator
//! also required every vote), so the teaching toggle `commit-on-vote-timeout` — silence
//! read as a yes — is what shows the checker is not dead code, in a scenario and in a
//! chaos sweep; textbook mode stays clean on the same inputs.

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::twopc::TwoPc;
use faultlab_sim::{Scenario, ScenarioProtocol, Seed, Tick};

const SCENARIO: &str = include_str!("../scenarios/2pc/participant-crash-during-voting.json");

fn invariants(bugs: &[&str]) -> Vec<String> {
    let mut s = Scenario::parse(SCENARIO).expect("shipped scenario parses");
    s.bugs = bugs.iter().map(|b| (*b).to_owned()).collect();
    let mut w = s.build::<TwoPc>().expect("builds");
    w.run_until(Tick(s.until_ms));
    w.finish();
    w.violations()
        .iter()
        .map(|v| format!("{}: {}", v.invariant, v.detail))
        .collect()
}

#[test]
fn validity_fires_when_silence_counts_as_a_yes() {
    assert!(
        invariants(&[]).is_empty(),
        "textbook: {:?}",
        invariants(&[])
    );
    let found = invariants(&["commit-on-vote-timeout"]);
    assert!(
        found.iter().any(|v| v.starts_with("validity: ")),
        "validity must fire: {found:?}"
    );
}

#[test]
fn validity_fires_in_a_chaos_sweep_and_only_with_the_toggle() {
    let options = ChaosOptions::new(Faults::ALL, Tick(60_000));
    let count = |bugs: &[String]| {
        let config = TwoPc::configure("textbook", 6, bugs, None).expect("valid config");
        (0..40u64)
            .filter(|s| {
                chaos::run::<TwoPc>(Seed(*s), config.clone(), &options)
                    .violations()
                    .iter()
                    .any(|v| v.invariant == "validity")
            })
            .count()
    };
    assert_eq!(count(&[]), 0);
    assert!(count(&["commit-on-vote-timeout".to_owned()]) > 0);
}

#[test]
fn the_teaching_toggle_is_not_part_of_the_as_submitted_preset() {
    let config = TwoPc::configure("as-submitted", 6, &[], None).expect("valid");
    let (mode, bugs) = TwoPc::mode_of(&config);
    assert_eq!(mode, "as-submitted");
    assert!(!bugs.iter().any(|b| b == "commit-on-vote-timeout"));
    assert!(
        TwoPc::bugs()
            .iter()
            .any(|b| b.name == "commit-on-vote-timeout")
    );
}
