//! Bus and crash semantics: nothing reaches a crashed node and its timers stay silent;
//! durable state survives a restart and volatile state does not; a partition blocks
//! exactly the cross-group messages; loss and duplication rates hold statistically;
//! per-message drop / deliver-now / duplicate do what they say.

use faultlab_sim::Fault;
use faultlab_sim::bus::DropReason;
use faultlab_sim::demo::{Demo, DemoConfig, DemoMsg, DemoRequest, DemoResponse};
use faultlab_sim::{EventKind, Input, NetConfig, NodeId, Seed, Tick, Ticks, TraceEvent, World};

fn world(seed: u64, net: NetConfig) -> World<Demo> {
    World::new(Seed(seed), DemoConfig::default(), net)
}

fn collect(w: &mut World<Demo>, until: u64) -> Vec<TraceEvent<Demo>> {
    let mut all = Vec::new();
    w.run_until_with(Tick(until), |evs| all.extend_from_slice(evs));
    all
}

#[test]
fn crashed_node_receives_nothing_and_fires_no_timers() {
    let mut w = world(11, NetConfig::default());
    w.run_until(Tick(2_000));
    w.apply(Input::Fault(Fault::Crash(NodeId(2))));
    assert!(w.slot(NodeId(2)).timers.is_empty());
    let events = collect(&mut w, 12_000);
    for ev in &events {
        match &ev.kind {
            EventKind::Delivered { to, .. } => {
                assert_ne!(*to, NodeId(2), "delivered to a crashed node");
            }
            EventKind::TimerFired { node, .. } => {
                assert_ne!(*node, NodeId(2), "timer fired on a crashed node");
            }
            EventKind::Sent { from, .. } => assert_ne!(*from, NodeId(2), "a crashed node sent"),
            _ => {}
        }
    }
    let down_drops = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Dropped {
                    to: NodeId(2),
                    reason: DropReason::NodeDown,
                    ..
                }
            )
        })
        .count();
    assert!(
        down_drops > 0,
        "peers kept pinging the crashed node and those pings died"
    );
}

#[test]
fn durable_state_survives_restart_and_volatile_does_not() {
    let mut w = world(5, NetConfig::default());
    w.run_until(Tick(10_000));
    let before = w.node(NodeId(1)).clone();
    assert!(before.pings_sent > 0 && before.pongs_received > 0);
    w.apply(Input::Fault(Fault::Crash(NodeId(1))));
    w.run_until(Tick(11_000));
    w.apply(Input::Fault(Fault::Restart(NodeId(1))));
    let after = w.node(NodeId(1));
    assert_eq!(
        after.pings_sent, before.pings_sent,
        "durable counter survives"
    );
    assert_eq!(after.pongs_received, 0, "volatile counter is lost");
    assert!(
        !w.slot(NodeId(1)).timers.is_empty(),
        "on_start re-armed its timer"
    );
}

#[test]
fn partition_blocks_exactly_cross_group_messages() {
    let mut w = world(21, NetConfig::default());
    w.run_until(Tick(1_000));
    let a = [NodeId(0), NodeId(1)];
    w.apply(Input::Fault(Fault::Partition(vec![a.to_vec()])));
    let side = |n: NodeId| a.contains(&n);
    let events = collect(&mut w, 20_000);
    let (mut within, mut across) = (0, 0);
    for ev in &events {
        match &ev.kind {
            EventKind::Delivered { from, to, .. } => {
                assert_eq!(
                    side(*from),
                    side(*to),
                    "a cross-group message was delivered"
                );
                within += 1;
            }
            EventKind::Dropped {
                from,
                to,
                reason: DropReason::Partition,
                ..
            } => {
                assert_ne!(side(*from), side(*to), "a same-group message was blocked");
                across += 1;
            }
            _ => {}
        }
    }
    assert!(
        within > 50 && across > 50,
        "both kinds occurred: {within} within, {across} across"
    );
    w.apply(Input::Fault(Fault::Heal));
    let healed = collect(&mut w, 30_000);
    assert!(healed.iter().any(
        |e| matches!(&e.kind, EventKind::Delivered { from, to, .. } if side(*from) != side(*to))
    ));
}

#[test]
#[allow(clippy::cast_precision_loss)] // counts are far below 2^52
fn loss_and_duplication_rates_hold_statistically() {
    let net = NetConfig {
        drop_rate: 0.2,
        duplicate_rate: 0.1,
        ..NetConfig::default()
    };
    let mut w = world(99, net);
    let events = collect(&mut w, 400_000);
    let sent = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Sent { .. }))
        .count() as f64;
    let lost = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Dropped {
                    reason: DropReason::Loss,
                    ..
                }
            )
        })
        .count() as f64;
    let dups = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Duplicated { .. }))
        .count() as f64;
    assert!(sent > 5_000.0, "enough samples: {sent}");
    // Binomial standard deviations at n≈10^4 are well under 1%; allow 2 points.
    assert!(
        (lost / sent - 0.2).abs() < 0.02,
        "loss rate {}",
        lost / sent
    );
    assert!(
        (dups / sent - 0.1).abs() < 0.02,
        "duplication rate {}",
        dups / sent
    );
    // Duplication shows up in the demo's invariant.
    assert!(
        w.violations()
            .iter()
            .any(|v| v.invariant == "no_duplicate_delivery")
    );
}

#[test]
fn clean_bus_violates_nothing() {
    let mut w = world(4, NetConfig::default());
    w.run_until(Tick(60_000));
    assert!(w.violations().is_empty());
}

#[test]
fn user_drop_deliver_now_and_duplicate() {
    let mut w = world(
        8,
        NetConfig {
            latency_min: Ticks(50),
            latency_max: Ticks(80),
            ..NetConfig::default()
        },
    );
    // Run until something is in flight.
    while w.in_flight().next().is_none() {
        assert!(w.step());
    }
    let id = w.in_flight().next().map(|e| e.id).expect("in flight");
    w.apply(Input::Fault(Fault::Drop(id)));
    assert!(w.message(id).is_none());
    assert!(w.last_events().iter().any(
        |e| matches!(e.kind, EventKind::Dropped { msg, reason: DropReason::User, .. } if msg == id)
    ));

    while w.in_flight().next().is_none() {
        assert!(w.step());
    }
    let env = w.in_flight().next().cloned().expect("in flight");
    w.apply(Input::Fault(Fault::DeliverNow(env.id)));
    assert!(w.now() < env.deliver_at);
    assert!(w.step());
    assert!(
        w.last_events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::Delivered { msg, .. } if msg == env.id)),
        "delivered at once"
    );

    while w.in_flight().next().is_none() {
        assert!(w.step());
    }
    let env = w.in_flight().next().cloned().expect("in flight");
    w.apply(Input::Fault(Fault::Duplicate(env.id)));
    let copies: Vec<_> = w
        .in_flight()
        .filter(|e| e.copy_of == Some(env.id))
        .collect();
    assert_eq!(copies.len(), 1);
    assert!(matches!(
        copies[0].msg,
        DemoMsg::Ping { .. } | DemoMsg::Pong { .. }
    ));
}

#[test]
fn client_requests_to_down_nodes_are_answered_by_the_world() {
    let mut w = world(1, NetConfig::default());
    w.apply(Input::Request(NodeId(0), DemoRequest::Stats));
    assert!(w.last_events().iter().any(|e| matches!(
        e.kind,
        EventKind::Response {
            response: DemoResponse::Stats { .. },
            ..
        }
    )));
    w.apply(Input::Fault(Fault::Crash(NodeId(0))));
    w.apply(Input::Request(NodeId(0), DemoRequest::Stats));
    assert!(w.last_events().iter().any(|e| matches!(
        e.kind,
        EventKind::Response {
            response: DemoResponse::Unavailable,
            ..
        }
    )));
}

#[test]
fn events_are_time_ordered_and_inputs_follow_protocol_events() {
    let mut w = world(
        2,
        NetConfig {
            latency_min: Ticks(1),
            latency_max: Ticks(3),
            ..NetConfig::default()
        },
    );
    w.schedule(Tick(500), Input::Fault(Fault::Crash(NodeId(0))));
    let events = collect(&mut w, 5_000);
    let mut last = Tick::ZERO;
    for ev in &events {
        assert!(ev.at >= last);
        last = ev.at;
    }
    let crash = events
        .iter()
        .position(|e| matches!(e.kind, EventKind::Input(Input::Fault(Fault::Crash(_)))))
        .expect("crash applied");
    assert!(
        events[crash + 1..]
            .iter()
            .all(|e| e.at > Tick(500) || matches!(e.kind, EventKind::Crashed { .. }))
    );
}
