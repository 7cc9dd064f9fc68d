//! Debug helper: print a scenario's log (`cargo test --test twopc_dump -- --ignored --nocapture`).
use faultlab_sim::twopc::TwoPc;
use faultlab_sim::{Scenario, ScenarioProtocol, log};

#[test]
#[ignore = "debug output only"]
fn dump() {
    let path = std::env::var("SCEN").unwrap_or_else(|_| "scenarios/2pc/seed-demo.json".into());
    let text = std::fs::read_to_string(&path).expect("scenario file");
    let mut s = Scenario::parse(&text).expect("parse");
    if let Ok(m) = std::env::var("MODE") {
        s.mode = m;
    }
    let mut w = s.build::<TwoPc>().expect("build");
    let mut trace = Vec::new();
    w.run_until_with(faultlab_sim::Tick(s.until_ms), |ev| {
        trace.extend_from_slice(ev);
    });
    w.finish();
    for ev in &trace {
        if let faultlab_sim::EventKind::Sent {
            msg,
            from,
            to,
            payload,
            ..
        } = &ev.kind
        {
            println!(
                "   [{}ms] msg {} {:?}->{:?} {:?}",
                ev.at.0,
                msg.0,
                from.0,
                to.0,
                faultlab_sim::Message::rpc(payload)
            );
        }
        for l in log::render::<TwoPc>(w.config(), std::slice::from_ref(ev)) {
            println!("{:>6}ms {:<11} {}", l.at.0, w.node_name(l.node), l.text);
        }
        if let faultlab_sim::EventKind::Response { node, response, .. } = &ev.kind {
            println!(
                "{:>6}ms {:<11} RESPONSE {:?}",
                ev.at.0,
                w.node_name(*node),
                response
            );
        }
        if let faultlab_sim::EventKind::Input(i) = &ev.kind {
            println!("{:>6}ms INPUT {}", ev.at.0, i.label());
        }
    }
    for id in w.node_ids() {
        println!("{} {:?}", w.node_name(id), TwoPc::node_report(&w, id));
    }
    println!("violations: {:#?}", w.violations());
}
