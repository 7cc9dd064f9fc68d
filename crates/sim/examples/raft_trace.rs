//! Print the log lines and final logs of one Raft chaos seed:
//! `cargo run --release -p faultlab-sim --example raft_trace -- SEED [mode] [from_ms] [to_ms] [bug,...]`.

use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::log::render;
use faultlab_sim::raft::{Bug, Mode, Raft, RaftConfig};
use faultlab_sim::trace::EventKind;
use faultlab_sim::{Seed, Tick};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mode = args.get(2).map_or("textbook", String::as_str);
    let from: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
    let to: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(60_000);
    let mut config = RaftConfig::new(5, Mode::from_name(mode).expect("mode"));
    if let Some(bugs) = args.get(5) {
        for b in bugs.split(',').filter(|b| !b.is_empty()) {
            config = config.with_bug(Bug::from_name(b).expect("bug"));
        }
    }
    let faults =
        std::env::var("FAULTS").map_or(Faults::ALL, |f| Faults::parse(&f).expect("faults"));
    let options = ChaosOptions::new(faults, Tick(60_000));
    let mut w = chaos::world::<Raft>(Seed(seed), config, &options);
    let mut events = Vec::new();
    w.run_until_with(Tick(to), |evs| {
        events.extend(evs.iter().filter(|e| e.at.0 >= from).cloned())
    });
    w.finish();
    for ev in &events {
        match &ev.kind {
            EventKind::Input(i) => println!("{:>6} INPUT {:?}", ev.at.0, i),
            EventKind::Crashed { node } => println!("{:>6} CRASH {}", ev.at.0, node.index() + 1),
            EventKind::Restarted { node } => {
                println!("{:>6} RESTART {}", ev.at.0, node.index() + 1)
            }
            EventKind::Response { id, response, .. } => {
                println!("{:>6} RESPONSE {id} {response:?}", ev.at.0)
            }
            EventKind::Delivered {
                from, to, payload, ..
            } if std::env::var("MSGS").is_ok() => {
                println!(
                    "{:>6} DELIVER {}->{} {payload:?}",
                    ev.at.0,
                    from.index() + 1,
                    to.index() + 1
                );
            }
            _ => {}
        }
        for l in render::<Raft>(w.config(), std::slice::from_ref(ev)) {
            if !l.text.contains("AppendEntries") || std::env::var("AE").is_ok() {
                println!("{:>6} [Node {}] {}", l.at.0, l.node.index() + 1, l.text);
            }
        }
    }
    for id in w.node_ids() {
        let s = w.node(id).server();
        let terms: Vec<u64> = s.log().entries().iter().map(|e| e.term.0).collect();
        println!(
            "Node {} up={} role={:?} term={} commit={} applied={} log={terms:?}",
            id.index() + 1,
            w.is_up(id),
            s.role(),
            s.current_term().0,
            s.commit_index().0,
            s.last_applied().0
        );
    }
    println!("violations: {:?}", w.violations());
    if std::env::var("LIN").is_ok() {
        use faultlab_sim::raft::invariants::linearizability::check;
        let h = w
            .checker()
            .linearizability
            .history_with(std::env::var("BOUNDED").is_ok());
        for op in &h {
            if op.result.is_none() {
                println!(
                    "applied_at {} {:?}",
                    op.id,
                    w.checker().linearizability.applied_at(op.id)
                );
            }
            println!(
                "op {} call {} ret {} {:?} -> {:?}",
                op.id,
                op.call,
                if op.ret == u64::MAX {
                    -1
                } else {
                    op.ret as i64
                },
                op.op,
                op.result
            );
        }
        let budget: u64 = std::env::var("LIN")
            .ok()
            .and_then(|b| b.parse().ok())
            .unwrap_or(2_000_000);
        let (v, steps, stuck) = check(&h, budget);
        println!(
            "verdict {v:?} steps {steps} stuck {stuck:?} ops {} unknown {}",
            h.len(),
            h.iter().filter(|o| o.result.is_none()).count()
        );
    }
}
