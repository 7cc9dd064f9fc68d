//! Quick smoke runs used while developing (kept as a cheap sanity test).

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::log::render;
use faultlab_sim::raft::{Raft, RaftConfig};
use faultlab_sim::{Scenario, Seed, Tick};

#[test]
fn smoke_scenario() {
    let text = r#"{"format":"faultlab-scenario/1","protocol":"raft","seed":1,"until_ms":12000,
      "steps":[{"at_ms":5000,"client":{"node":"2","op":"add","id":"8","title":"Forwarding Test","artist":"Test Case 3-2","duration":180}},
               {"at_ms":6000,"client":{"node":"3","op":"queue"}},
               {"at_ms":7000,"client":{"node":"3","op":"vote","id":"8","up":true}}]}"#;
    let mut w = Scenario::parse(text).expect("parse").build::<Raft>().expect("build");
    let mut events = Vec::new();
    w.run_until_with(Tick(12_000), |evs| events.extend_from_slice(evs));
    w.finish();
    for l in render::<Raft>(w.config(), &events) {
        if std::env::var("SHOW").is_ok() {
            println!("{:>6} [Node {}] {}", l.at.0, l.node.index() + 1, l.text);
        }
    }
    assert!(w.violations().is_empty(), "{:?}", w.violations());
}

#[test]
fn smoke_chaos() {
    for seed in 0..20 {
        let w = chaos::run::<Raft>(Seed(seed), RaftConfig::default(), &ChaosOptions::new(Faults::ALL, Tick(60_000)));
        assert!(w.violations().is_empty(), "seed {seed}: {:?}", w.violations());
    }
}
