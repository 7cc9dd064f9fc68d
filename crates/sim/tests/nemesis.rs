//! The nemesis faults, one by one: a pause freezes a node and loses nothing, a delay
//! or a reorder holds one message past newer ones, a skewed clock stretches timers, a
//! slow link adds latency until healed, the reorder rate holds messages back; then the
//! chaos plans that mix them (swarm testing) and the file format that writes them.

use faultlab_sim::bus::DropReason;
use faultlab_sim::chaos::{self, ChaosOptions, Faults};
use faultlab_sim::demo::{Demo, DemoConfig};
use faultlab_sim::raft::{Raft, RaftConfig};
use faultlab_sim::{
    EventKind, Fault, FaultClass, Input, MsgId, NetConfig, NodeId, Scenario, Seed, Tick, Ticks,
    TraceEvent, World,
};

const N2: NodeId = NodeId(2);

fn world(seed: u64) -> World<Demo> {
    World::new(Seed(seed), DemoConfig::default(), NetConfig::default())
}

fn collect(w: &mut World<Demo>, until: u64) -> Vec<TraceEvent<Demo>> {
    let mut all = Vec::new();
    w.run_until_with(Tick(until), |evs| all.extend_from_slice(evs));
    all
}

fn fault(w: &mut World<Demo>, f: Fault) -> Vec<TraceEvent<Demo>> {
    let mut all = Vec::new();
    w.apply(Input::Fault(f));
    all.extend_from_slice(w.last_events());
    all
}

/// Messages in flight to `node`, in arrival order (then id order).
fn to(w: &World<Demo>, node: NodeId) -> Vec<MsgId> {
    let mut v: Vec<(Tick, MsgId)> = w
        .in_flight()
        .filter(|e| e.to == node)
        .map(|e| (e.deliver_at, e.id))
        .collect();
    v.sort_unstable();
    v.into_iter().map(|(_, id)| id).collect()
}

#[test]
fn a_paused_node_runs_nothing_and_loses_nothing() {
    let mut w = world(3);
    w.run_until(Tick(2_000));
    fault(&mut w, Fault::Pause(N2));
    let before = format!("{:?}", w.node(N2));
    let during = collect(&mut w, 8_000);
    for ev in &during {
        match &ev.kind {
            EventKind::Delivered { to, .. } => assert_ne!(*to, N2, "delivered to a paused node"),
            EventKind::TimerFired { node, .. } => {
                assert_ne!(*node, N2, "a paused node's timer fired");
            }
            EventKind::Sent { from, .. } => assert_ne!(*from, N2, "a paused node sent"),
            EventKind::Dropped { to, .. } => {
                assert_ne!(*to, N2, "a paused node's inbox lost a message");
            }
            _ => {}
        }
    }
    assert!(w.is_up(N2) && w.is_paused(N2));
    assert_eq!(
        format!("{:?}", w.node(N2)),
        before,
        "its state is frozen, not lost"
    );
    let inbox = to(&w, N2);
    assert!(
        inbox.len() > 5,
        "peers kept sending to it: {} waiting",
        inbox.len()
    );
    assert!(!w.is_healed(), "a paused node is an active fault");

    // Resume: the inbox arrives now, in arrival order, and the overdue timer fires.
    w.apply(Input::Fault(Fault::Resume(N2)));
    let mut after = Vec::new();
    while w.next_event_at() == Some(Tick(8_000)) {
        w.step();
        after.extend_from_slice(w.last_events());
    }
    let delivered: Vec<MsgId> = after
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Delivered { msg, to: N2, .. } => Some(msg),
            _ => None,
        })
        .collect();
    assert_eq!(
        delivered, inbox,
        "every waiting message, in order, at the resume"
    );
    assert!(
        after
            .iter()
            .any(|e| matches!(e.kind, EventKind::TimerFired { node: N2, .. })),
        "its overdue ping timer fired"
    );
    assert!(!w.is_paused(N2));
}

#[test]
fn a_crash_while_paused_loses_the_inbox_at_the_door() {
    let mut w = world(4);
    w.run_until(Tick(2_000));
    fault(&mut w, Fault::Pause(N2));
    w.run_until(Tick(5_000));
    let inbox = to(&w, N2);
    assert!(!inbox.is_empty());
    fault(&mut w, Fault::Crash(N2));
    let mut dead = Vec::new();
    while w.next_event_at() == Some(Tick(5_000)) {
        w.step();
        dead.extend(w.last_events().iter().filter_map(|e| match e.kind {
            EventKind::Dropped {
                msg,
                reason: DropReason::NodeDown,
                ..
            } => Some(msg),
            _ => None,
        }));
    }
    assert_eq!(dead, inbox);
    assert!(!w.is_paused(N2) && !w.is_up(N2));
}

#[test]
fn a_delayed_message_arrives_late_and_a_reordered_one_after_the_newer_ones() {
    let mut w = world(5);
    w.run_until(Tick(1_000));
    while w.in_flight().next().is_none() {
        w.step();
    }
    let m = w.in_flight().next().expect("a message in flight").id;
    let due = w.message(m).expect("in flight").deliver_at;
    let evs = fault(&mut w, Fault::Delay(m, Ticks(5_000)));
    assert!(evs.iter().any(|e| matches!(
        e.kind,
        EventKind::Delayed { msg, deliver_at } if msg == m && deliver_at == due + Ticks(5_000)
    )));
    let trace = collect(&mut w, 10_000);
    let at = trace
        .iter()
        .find(|e| matches!(e.kind, EventKind::Delivered { msg, .. } if msg == m))
        .map(|e| e.at);
    assert_eq!(at, Some(due + Ticks(5_000)));

    // Reorder: every other message to node 2 now in flight arrives first.
    let mut w = world(6);
    w.run_until(Tick(1_500));
    let mut waiting = to(&w, N2);
    while waiting.len() < 2 {
        w.step();
        waiting = to(&w, N2);
    }
    let m = waiting[0];
    fault(&mut w, Fault::Reorder(m));
    let trace = collect(&mut w, 10_000);
    let order: Vec<MsgId> = trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Delivered { msg, .. } if waiting.contains(&msg) => Some(msg),
            _ => None,
        })
        .collect();
    assert_eq!(order.last(), Some(&m), "{order:?}");
    assert_eq!(order.len(), waiting.len());
}

#[test]
fn a_skewed_clock_stretches_every_timer_it_arms() {
    let mut w = world(7);
    fault(&mut w, Fault::Skew(N2, 3.0));
    let mut spans = Vec::new();
    for _ in 0..2_000 {
        w.step();
        // The timer armed at boot, before the skew, keeps its span.
        if let Some(t) = w.slot(N2).timers.first()
            && t.set_at > Tick::ZERO
            && spans.last().is_none_or(|(at, _)| *at != t.set_at)
        {
            spans.push((t.set_at, t.fires_at.since(t.set_at).0));
        }
    }
    let spans: Vec<u64> = spans.into_iter().map(|(_, s)| s).collect();
    // DemoConfig pings every 200–600 ms: skewed ×3, 600–1800 ms.
    assert!(spans.iter().all(|s| (600..=1_800).contains(s)), "{spans:?}");
    assert!(spans.iter().any(|s| *s > 600 * 2));
}

#[test]
fn a_slow_link_adds_its_latency_both_ways_until_healed() {
    let mut w = world(8);
    fault(&mut w, Fault::SlowLink(NodeId(0), NodeId(1), Ticks(3_000)));
    let trace = collect(&mut w, 5_000);
    let mut slow = 0;
    for e in &trace {
        if let EventKind::Sent {
            from,
            to,
            deliver_at,
            ..
        } = e.kind
        {
            let lat = deliver_at.since(e.at).0;
            let on_link = (from.0, to.0) == (0, 1) || (from.0, to.0) == (1, 0);
            if on_link {
                slow += 1;
                assert!((3_010..=3_040).contains(&lat), "{lat}");
            } else {
                assert!((10..=40).contains(&lat), "{lat}");
            }
        }
    }
    assert!(slow > 4);
    assert!(!w.is_healed());
    fault(&mut w, Fault::Heal);
    assert!(w.is_healed());
    assert_eq!(w.topology().extra_latency(NodeId(0), NodeId(1)), Ticks(0));
}

#[test]
fn the_reorder_rate_holds_messages_back_past_the_newer_ones() {
    let mut w = world(9);
    fault(&mut w, Fault::ReorderRate(0.5));
    let trace = collect(&mut w, 20_000);
    let lats: Vec<u64> = trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Sent { deliver_at, .. } => Some(deliver_at.since(e.at).0),
            _ => None,
        })
        .collect();
    let held = lats.iter().filter(|l| **l > 40).count();
    // Each held message gets 40..4000 ms more; about half are held.
    assert!(lats.iter().all(|l| *l <= 4_040));
    assert!(
        held * 3 > lats.len() && held * 3 < lats.len() * 2,
        "{held} of {}",
        lats.len()
    );
}

#[test]
fn the_new_step_kinds_read_and_write_as_scenario_steps() {
    let text = r#"{"format": "faultlab-scenario/1", "protocol": "raft", "seed": 1, "until_ms": 9000,
      "steps": [
        {"at_ms": 100, "pause": "2"},
        {"at_ms": 200, "resume": "2"},
        {"at_ms": 300, "skew": {"node": "3", "factor": 2.5}},
        {"at_ms": 400, "slow_link": {"a": "1", "b": "4", "extra_ms": 4000}},
        {"at_ms": 500, "reorder_rate": 0.2},
        {"at_ms": 600, "delay": {"msg": 3, "by_ms": 2500}},
        {"at_ms": 700, "reorder": 4}
      ]}"#;
    let s = Scenario::parse(text).expect("valid");
    let (_, inputs) = s.resolve::<Raft>().expect("resolves");
    let faults: Vec<Fault> = inputs
        .into_iter()
        .filter_map(|(_, i)| i.fault().cloned())
        .collect();
    assert_eq!(
        faults,
        [
            Fault::Pause(NodeId(1)),
            Fault::Resume(NodeId(1)),
            Fault::Skew(NodeId(2), 2.5),
            Fault::SlowLink(NodeId(0), NodeId(3), Ticks(4_000)),
            Fault::ReorderRate(0.2),
            Fault::Delay(MsgId(3), Ticks(2_500)),
            Fault::Reorder(MsgId(4)),
        ]
    );
    assert_eq!(Scenario::from_value(&s.to_value()), Ok(s));
}

#[test]
fn absurd_values_are_rejected_with_the_field_and_the_range() {
    let bad = |step: &str| {
        let text = format!(
            r#"{{"format": "faultlab-scenario/1", "protocol": "raft", "until_ms": 9000, "steps": [{{"at_ms": 1, {step}}}]}}"#
        );
        let s = Scenario::parse(&text).and_then(|s| s.resolve::<Raft>().map(|_| ()));
        s.expect_err("rejected").to_string()
    };
    assert_eq!(
        bad(r#""skew": {"node": "3", "factor": 1e9}"#),
        "steps[0].skew.factor: must be a number from 0.1 to 10, got 1000000000.0"
    );
    assert_eq!(
        bad(r#""delay": {"msg": 3, "by_ms": 0}"#),
        "steps[0].delay.by_ms: must be an integer number of ms from 1 to 3600000, got 0"
    );
    assert_eq!(
        bad(r#""slow_link": {"a": "1", "b": "9", "extra_ms": 10}"#),
        "steps[0].slow_link.b: unknown node \"9\" (nodes: 1, 2, 3, 4, 5)"
    );
    assert_eq!(
        bad(r#""pause": "7""#),
        "steps[0].pause: unknown node \"7\" (nodes: 1, 2, 3, 4, 5)"
    );
    assert_eq!(
        bad(r#""frobnicate": true"#)
            .split(" (expected")
            .next()
            .expect("message"),
        "steps[0].frobnicate: unknown step kind \"frobnicate\""
    );
}

#[test]
fn chaos_plans_are_a_swarm_each_seed_its_own_mix_and_all_healed() {
    let options = ChaosOptions::new(Faults::ALL, Tick(60_000));
    let config = RaftConfig::default();
    let classes_of = |seed: u64| {
        let plan = chaos::plan::<Raft>(Seed(seed), &config, &options);
        let heal = Tick(40_000);
        let mut seen: Vec<FaultClass> = Vec::new();
        for (at, input) in &plan {
            if *at >= heal {
                continue;
            }
            // A restart undoes a crash or a power loss (the disk class bounces its
            // node too), so it says nothing of which class the seed drew.
            if let Some(c) = input
                .fault()
                .filter(|f| !matches!(f, Fault::Restart(_)))
                .and_then(|f| f.kind().info().class)
                && !seen.contains(&c)
            {
                seen.push(c);
            }
        }
        seen.sort();
        (plan, seen)
    };
    let (a, _) = classes_of(11);
    let (b, _) = classes_of(11);
    assert_eq!(
        format!("{a:?}"),
        format!("{b:?}"),
        "a plan is a function of its seed"
    );
    assert!(a.is_sorted_by_key(|(t, _)| *t), "in time order");

    let mixes: Vec<Vec<FaultClass>> = (0..200).map(|s| classes_of(s).1).collect();
    for c in FaultClass::ALL {
        let n = mixes.iter().filter(|m| m.contains(&c)).count();
        assert!((60..=140).contains(&n), "{c:?} in {n} of 200 seeds");
    }
    assert!(
        mixes.iter().any(|m| m.len() <= 2),
        "some seeds focus on one or two classes"
    );
    assert!(mixes.iter().any(|m| m.len() >= 6), "some spread over most");

    // Every seed heals everything at the start of the quiet window.
    let mut w = chaos::world::<Raft>(Seed(11), config, &options);
    w.run_until(Tick(40_001));
    assert!(w.is_healed());
    assert!(w.slots().iter().all(|s| (s.skew - 1.0).abs() < 1e-12));
}
