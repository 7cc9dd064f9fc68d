//! The explorer's state fingerprint: the same state reached by two delivery orders
//! has one fingerprint (so it is explored once), and a different state another.

use faultlab_sim::Fault;
use faultlab_sim::explore::Explorable;
use faultlab_sim::explore::fingerprint::{Canon, fingerprint, network};
use faultlab_sim::twopc::TwoPc;
use faultlab_sim::{Input, MsgId, Tick, World};

fn start() -> World<TwoPc> {
    let initial = TwoPc::explore_scenario("textbook", Some(3)).expect("explorer config");
    let mut world = initial.build::<TwoPc>().expect("builds");
    world.run_until(Tick::ZERO);
    world
}

fn choose(world: &mut World<TwoPc>, input: Input<TwoPc>) {
    world.apply(input);
    world.run_until(Tick::ZERO);
}

fn print(world: &World<TwoPc>) -> u64 {
    let mut c = Canon::default();
    let msgs = network(&mut c, world);
    fingerprint(&mut c, world, &msgs, &[])
}

#[test]
fn two_orders_of_independent_deliveries_reach_one_fingerprint() {
    let w = start();
    let ids: Vec<MsgId> = w.in_flight().map(|e| e.id).collect();
    assert_eq!(
        ids.len(),
        2,
        "the coordinator's two VoteRequests are in flight"
    );
    let mut ab = w.clone();
    choose(&mut ab, Input::Fault(Fault::DeliverNow(ids[0])));
    let after_a = print(&ab);
    choose(&mut ab, Input::Fault(Fault::DeliverNow(ids[1])));
    let mut ba = w.clone();
    choose(&mut ba, Input::Fault(Fault::DeliverNow(ids[1])));
    choose(&mut ba, Input::Fault(Fault::DeliverNow(ids[0])));
    // Different message ids and event counts, same state.
    assert_eq!(print(&ab), print(&ba));
    assert_ne!(
        print(&ab),
        after_a,
        "a different state has another fingerprint"
    );
    assert_ne!(print(&w), after_a);
}

#[test]
fn a_fired_timer_that_changes_nothing_else_is_still_a_new_state() {
    let w = start();
    let coordinator = w.node_ids().next().expect("a coordinator");
    let timer = w.slot(coordinator).timers[0].timer;
    let mut fired = w.clone();
    choose(&mut fired, Input::FireTimer(coordinator, timer));
    assert_ne!(
        print(&fired),
        print(&w),
        "the vote timeout aborts the transaction"
    );
}
