#![cfg(not(target_arch = "wasm32"))]
//! Time travel: `History::world_at(n)` is exactly the state a fresh replay reaches
//! after `n` events, for random runs, random inputs and random `n`.

use faultlab_sim::Fault;
use faultlab_sim::demo::{Demo, DemoConfig};
use faultlab_sim::trace::digest;
use faultlab_sim::{History, Input, MsgId, NetConfig, NodeId, Seed, Tick, Ticks, World};
use proptest::prelude::*;

/// A comparable fingerprint of a world's observable state.
fn fingerprint(w: &World<Demo>) -> String {
    let nodes: Vec<String> = w
        .node_ids()
        .map(|id| {
            let s = w.slot(id);
            let timers: Vec<u64> = s.timers.iter().map(|t| t.fires_at.0).collect();
            format!("{:?}/{}/{:?}", s.node, s.up, timers)
        })
        .collect();
    let msgs: Vec<String> = w
        .in_flight()
        .map(|e| format!("{}:{}>{}@{}", e.id, e.from, e.to, e.deliver_at))
        .collect();
    format!(
        "ev={} nodes={nodes:?} msgs={msgs:?} viol={:?}",
        w.events(),
        w.violations()
    )
}

fn input_strategy() -> impl Strategy<Value = (u64, u8, u16, u16)> {
    (100u64..8_000, 0u8..9, 0u16..5, 0u16..5)
}

fn to_input(kind: u8, a: u16, b: u16, msg_base: u64) -> Input<Demo> {
    match kind {
        0 => Input::Fault(Fault::Crash(NodeId(a))),
        1 => Input::Fault(Fault::Restart(NodeId(a))),
        2 => Input::Fault(Fault::Partition(vec![vec![NodeId(a), NodeId(b)]])),
        3 => Input::Fault(Fault::Heal),
        4 => Input::Fault(Fault::DropRate(f64::from(a) / 10.0)),
        5 => Input::Fault(Fault::DuplicateRate(f64::from(b) / 10.0)),
        6 => Input::Fault(Fault::Drop(MsgId(msg_base))),
        7 => Input::Fault(Fault::DeliverNow(MsgId(msg_base))),
        _ => Input::Fault(Fault::Timeout(NodeId(a))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn seek_equals_fresh_replay(seed in 0u64..1_000, inputs in prop::collection::vec(input_strategy(), 0..12), probes in prop::collection::vec(0u64..2_000, 1..6), interval in 1u64..200) {
        let make = || World::<Demo>::new(Seed(seed), DemoConfig::default(), NetConfig { latency_min: Ticks(5), latency_max: Ticks(80), ..NetConfig::default() });
        // Record a run with user inputs applied interactively, as the page does.
        let mut sorted = inputs.clone();
        sorted.sort_by_key(|i| i.0);
        let mut h = History::with_interval(make(), interval);
        let mut reference: Vec<(u64, Input<Demo>)> = Vec::new();
        for (at, kind, a, b) in &sorted {
            h.run_until(Tick(*at));
            let input = to_input(*kind, *a, *b, h.head().in_flight().next().map_or(0, |e| e.id.0));
            reference.push((h.len(), input.clone()));
            h.apply(input);
        }
        h.run_until(Tick(10_000));
        let total = h.len();
        for p in probes {
            let n = p % (total + 1);
            let seeked = h.world_at(n);
            // A fresh replay: same seed, inputs scheduled at the same points.
            let mut fresh = make();
            let mut pending = reference.iter().peekable();
            let mut times: Vec<Tick> = h.head().inputs().iter().map(|s| s.at).collect();
            times.reverse();
            while fresh.events() < n {
                while let Some((after, input)) = pending.peek() {
                    if *after > fresh.events() { break; }
                    let at = times.pop().expect("one time per input");
                    fresh.schedule(at, input.clone());
                    pending.next();
                }
                if !fresh.step() { break; }
            }
            prop_assert_eq!(fingerprint(&seeked), fingerprint(&fresh));
            prop_assert_eq!(digest(h.trace_until(n)), {
                let mut again = History::with_interval(make(), 1_000_000);
                let mut pending = reference.iter().peekable();
                let mut times: Vec<Tick> = h.head().inputs().iter().map(|s| s.at).collect();
                times.reverse();
                while again.len() < n {
                    while let Some((after, input)) = pending.peek() {
                        if *after > again.len() { break; }
                        let at = times.pop().expect("one time per input");
                        again.schedule(at, input.clone());
                        pending.next();
                    }
                    if !again.step() { break; }
                }
                digest(again.trace())
            });
        }
    }
}

#[test]
fn truncate_then_fork_continues_from_the_cursor() {
    let mut h = History::with_interval(
        World::<Demo>::new(Seed(3), DemoConfig::default(), NetConfig::default()),
        16,
    );
    h.run_until(Tick(4_000));
    h.apply(Input::Fault(Fault::Crash(NodeId(1))));
    h.run_until(Tick(8_000));
    let at = h.len() / 3;
    let before = fingerprint(&h.world_at(at));
    h.truncate(at);
    assert_eq!(h.len(), at);
    assert_eq!(fingerprint(h.head()), before);
    // The crash was in the discarded future: node 1 is up after the fork.
    if h.head().now() < Tick(4_000) {
        h.run_until(Tick(8_000));
        assert!(
            h.head().is_up(NodeId(1)),
            "the forked run drops the future crash"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// A history that keeps only the newest part of its trace shows exactly what a full
    /// history shows for every event it kept, never grows past its limit by more than a
    /// few checkpoint intervals, and forks from a kept event just as a full one does.
    #[test]
    fn a_bounded_history_agrees_with_a_full_one_on_what_it_kept(seed in 0u64..1_000, inputs in prop::collection::vec(input_strategy(), 0..8), probes in prop::collection::vec(0u64..1_000_000, 1..8), interval in 8u64..128, limit in 200usize..3_000) {
        let make = || World::<Demo>::new(Seed(seed), DemoConfig::default(), NetConfig { latency_min: Ticks(5), latency_max: Ticks(80), ..NetConfig::default() });
        let mut sorted = inputs.clone();
        sorted.sort_by_key(|i| i.0);
        let mut full = History::with_interval(make(), interval);
        let mut kept = History::with_interval(make(), interval);
        kept.retain_trace(limit);
        let mut most = 0;
        let mut stored = 0;
        for (at, kind, a, b) in &sorted {
            for h in [&mut full, &mut kept] {
                h.run_until(Tick(*at));
            }
            let input = to_input(*kind, *a, *b, full.head().in_flight().next().map_or(0, |e| e.id.0));
            full.apply(input.clone());
            kept.apply(input);
            most = most.max(kept.trace().len());
        }
        // Run on until the full trace is several times the limit, over enough
        // checkpoint intervals that some can be forgotten (the newest four never are).
        let mut t = 10_000;
        while (full.trace().len() < 4 * limit || full.len() < 8 * interval) && t < 10_000_000 {
            t += 500;
            full.run_until(Tick(t));
            kept.run_until(Tick(t));
            most = most.max(kept.trace().len());
            stored = stored.max(kept.stored_entries());
        }
        prop_assert_eq!(full.len(), kept.len());
        prop_assert_eq!(fingerprint(full.head()), fingerprint(kept.head()));
        let first = kept.first_event();
        prop_assert!(first > 0, "a trace of {} entries is over the limit of {}", full.trace().len(), limit);
        // Bounded: the limit, plus what a few checkpoint intervals and one input add.
        let per_event = full.trace().len() / usize::try_from(full.len()).unwrap_or(1).max(1) + 1;
        let slack = 6 * usize::try_from(interval).unwrap_or(0) * per_event * 4;
        prop_assert!(most <= limit + slack, "{} entries kept, limit {}", most, limit);
        // In memory: what is kept, plus at most one chunk (a sixteenth of the limit).
        prop_assert!(stored <= limit + slack + (limit / 16).max(16), "{} entries stored, limit {}", stored, limit);
        let offset = usize::try_from(kept.trace()[0].index).unwrap_or(0);
        for p in probes {
            let n = first + p % (kept.len() - first + 1);
            prop_assert_eq!(fingerprint(&kept.world_at(n)), fingerprint(&full.world_at(n)));
            prop_assert_eq!(digest(kept.trace_until(n)), digest(full.trace_until(n).range(offset..)));
            prop_assert_eq!(digest(kept.events_of(n)), digest(full.events_of(n)));
        }
        // Before the oldest event kept: the oldest event kept, and nothing of the trace.
        if first > 0 {
            prop_assert_eq!(fingerprint(&kept.world_at(first - 1)), fingerprint(&kept.world_at(first)));
            prop_assert!(kept.events_of(first - 1).is_empty());
            prop_assert!(kept.trace_until(first - 1).is_empty());
        }
        // A fork from a kept event continues exactly as the full history's fork.
        let at = first + (kept.len() - first) / 2;
        full.truncate(at);
        kept.truncate(at);
        full.apply(Input::Fault(Fault::Crash(NodeId(2))));
        kept.apply(Input::Fault(Fault::Crash(NodeId(2))));
        full.run_until(Tick(t + 5_000));
        kept.run_until(Tick(t + 5_000));
        prop_assert_eq!(fingerprint(full.head()), fingerprint(kept.head()));
        let offset = usize::try_from(kept.trace()[0].index).unwrap_or(0);
        prop_assert_eq!(digest(kept.trace()), digest(full.trace().range(offset..)));
    }
}
