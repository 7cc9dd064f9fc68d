//! The world: the clock, the event queue, the bus, timers, faults and the RNG.
//!
//! It is the only place that resolves latency, loss, duplication and timer spread, and
//! the only place that mutates a node (by calling its handlers and applying the
//! effects they return). Events are ordered by `(time, phase, seq)`: protocol events
//! (deliveries, timers) come before inputs at the same millisecond, and ties are
//! broken by insertion order, so the order never depends on a hash or an address.
//!
//! What it must not do: know anything about a particular protocol, read a wall
//! clock, or iterate an unordered collection.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::sorted::SortedMap;

use serde::Serialize;

use crate::bus::{DropReason, Envelope, NetConfig, Topology};
use crate::ctx::{Ctx, Effect};
use crate::fault::Fault;
use crate::id::{MsgId, NodeId, RequestId};
use crate::input::Input;
use crate::invariant::{Checker, Finding, Violation};
use crate::protocol::{Lost, Message, Node, Protocol};
use crate::rng::{Seed, SimRng};
use crate::time::{Tick, Ticks};
use crate::trace::{EventKind, TraceEvent};

/// Phase of a queue item: protocol events run before inputs at the same time.
const PHASE_PROTOCOL: u8 = 0;
const PHASE_INPUT: u8 = 1;

#[derive(Clone, Debug)]
enum Pending {
    Deliver(MsgId),
    Timer(NodeId),
    Input(usize),
}

#[derive(Clone, Debug)]
struct QueueItem {
    at: Tick,
    phase: u8,
    seq: u64,
    what: Pending,
}

impl PartialEq for QueueItem {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for QueueItem {}
impl PartialOrd for QueueItem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for QueueItem {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}
impl QueueItem {
    fn key(&self) -> (Tick, u8, u64) {
        (self.at, self.phase, self.seq)
    }
}

/// A timer armed on a node.
#[derive(Clone, Debug, Serialize)]
pub struct ArmedTimer<T> {
    /// Which timer.
    pub timer: T,
    /// When it was armed.
    pub set_at: Tick,
    /// When it fires.
    pub fires_at: Tick,
    #[serde(skip)]
    slot: u64,
}

/// One node's slot in the world: its state machine, whether it is up, and its timers.
#[derive(Clone, Debug)]
pub struct NodeSlot<P: Protocol> {
    /// The state machine (its last state, if the node is down).
    pub node: P::Node,
    /// False while crashed.
    pub up: bool,
    /// The durable state saved at the crash, used on restart.
    pub saved: Option<P::Durable>,
    /// The durable state as of the node's last [`Effect::Sync`] (`None` if it never
    /// synced): what survives a [`Fault::PowerLoss`].
    pub synced: Option<P::Durable>,
    /// Armed timers.
    pub timers: Vec<ArmedTimer<P::Timer>>,
    /// True while paused ([`Fault::Pause`]): up, but frozen. Its due timers and the
    /// messages that reach it wait until it resumes.
    pub paused: bool,
    /// Its clock's rate: every timer it arms runs `skew` times as long ([`Fault::Skew`]).
    pub skew: f64,
    /// Client requests that reached it while paused, in arrival order.
    held_requests: Vec<(RequestId, P::Request)>,
}

impl<P: Protocol> NodeSlot<P> {
    /// A slot for a node that is up, running on true time, with no timer armed.
    pub fn new(node: P::Node) -> Self {
        NodeSlot {
            node,
            up: true,
            saved: None,
            synced: None,
            timers: Vec::new(),
            paused: false,
            skew: 1.0,
            held_requests: Vec::new(),
        }
    }
}

/// An input scheduled for a time, pending or already applied.
#[derive(Clone, Debug, Serialize)]
#[serde(bound = "")]
pub struct ScheduledInput<P: Protocol> {
    /// When it applies.
    pub at: Tick,
    /// The input.
    pub input: Input<P>,
    /// Whether it has been applied yet.
    pub applied: bool,
}

/// A simulated cluster running protocol `P`.
#[derive(Debug)]
pub struct World<P: Protocol> {
    seed: Seed,
    config: P::Config,
    net: NetConfig,
    topology: Topology,
    rng: SimRng,
    now: Tick,
    seq: u64,
    events: u64,
    next_index: u64,
    next_msg: u64,
    next_request: u64,
    queue: BinaryHeap<Reverse<QueueItem>>,
    slots: Vec<NodeSlot<P>>,
    in_flight: SortedMap<MsgId, Envelope<P::Msg>>,
    pending_requests: SortedMap<RequestId, (NodeId, P::Request)>,
    inputs: Vec<ScheduledInput<P>>,
    last_fault_at: Option<Tick>,
    checker: P::Checker,
    violations: Vec<Violation>,
    step_events: Vec<TraceEvent<P>>,
    effects: Vec<Effect<P>>,
    check: bool,
}

// By hand, to leave out `effects`: it is empty between steps (a handler's effects are
// drained before the step ends), so a clone starts with an empty one instead of
// carrying a clone of every effect kind per protocol.
impl<P: Protocol> Clone for World<P> {
    fn clone(&self) -> Self {
        debug_assert!(self.effects.is_empty(), "worlds are cloned between steps");
        World {
            seed: self.seed,
            config: self.config.clone(),
            net: self.net.clone(),
            topology: self.topology.clone(),
            rng: self.rng.clone(),
            now: self.now,
            seq: self.seq,
            events: self.events,
            next_index: self.next_index,
            next_msg: self.next_msg,
            next_request: self.next_request,
            queue: self.queue.clone(),
            slots: self.slots.clone(),
            in_flight: self.in_flight.clone(),
            pending_requests: self.pending_requests.clone(),
            inputs: self.inputs.clone(),
            last_fault_at: self.last_fault_at,
            checker: self.checker.clone(),
            violations: self.violations.clone(),
            step_events: self.step_events.clone(),
            effects: Vec::new(),
            check: self.check,
        }
    }
}

impl<P: Protocol> World<P> {
    /// A new world: every node boots at time 0 and arms its first timers (step 0).
    pub fn new(seed: Seed, config: P::Config, net: NetConfig) -> Self {
        let n = P::node_count(&config);
        let slots = (0..n)
            .map(|i| NodeSlot::new(P::Node::boot(NodeId::from_index(i), &config, None)))
            .collect();
        let mut world = World {
            seed,
            config,
            net: net.normalised(),
            topology: Topology::connected(n),
            rng: SimRng::new(seed),
            now: Tick::ZERO,
            seq: 0,
            events: 0,
            next_index: 0,
            next_msg: 0,
            next_request: 0,
            queue: BinaryHeap::new(),
            slots,
            in_flight: SortedMap::new(),
            pending_requests: SortedMap::new(),
            inputs: Vec::new(),
            last_fault_at: None,
            checker: P::Checker::default(),
            violations: Vec::new(),
            step_events: Vec::new(),
            effects: Vec::new(),
            check: true,
        };
        for i in 0..n {
            let id = NodeId::from_index(i);
            world.record(EventKind::Booted { node: id });
            world.run_handler(id, |node: &mut P::Node, ctx| node.on_start(ctx));
        }
        world.after_step();
        world
    }

    /// Turn invariant checking off (benchmarks of the bare engine) or back on.
    pub fn set_checking(&mut self, on: bool) {
        self.check = on;
    }

    // ----- reading -------------------------------------------------------------------

    /// The run's seed.
    pub fn seed(&self) -> Seed {
        self.seed
    }

    /// The current virtual time.
    pub fn now(&self) -> Tick {
        self.now
    }

    /// Events processed so far (step 0, the boot, is not counted).
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The protocol configuration in force.
    pub fn config(&self) -> &P::Config {
        &self.config
    }

    /// The network configuration in force.
    pub fn net(&self) -> &NetConfig {
        &self.net
    }

    /// Who can talk to whom.
    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.slots.len()
    }

    /// All node ids, in order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + use<P> {
        (0..self.slots.len()).map(NodeId::from_index)
    }

    /// A node's slot (state, up/down, timers).
    pub fn slot(&self, id: NodeId) -> &NodeSlot<P> {
        &self.slots[id.index()]
    }

    /// Every node's slot.
    pub fn slots(&self) -> &[NodeSlot<P>] {
        &self.slots
    }

    /// A node's state machine.
    pub fn node(&self, id: NodeId) -> &P::Node {
        &self.slots[id.index()].node
    }

    /// Whether a node is up.
    pub fn is_up(&self, id: NodeId) -> bool {
        self.slots[id.index()].up
    }

    /// A node's display name.
    pub fn node_name(&self, id: NodeId) -> String {
        P::node_name(&self.config, id)
    }

    /// The node with display name `name`.
    pub fn node_by_name(&self, name: &str) -> Option<NodeId> {
        self.node_ids().find(|&id| self.node_name(id) == name)
    }

    /// Messages in flight, in id order.
    pub fn in_flight(&self) -> impl Iterator<Item = &Envelope<P::Msg>> {
        self.in_flight.values()
    }

    /// One message in flight.
    pub fn message(&self, id: MsgId) -> Option<&Envelope<P::Msg>> {
        self.in_flight.get(&id)
    }

    /// Client requests not answered yet.
    pub fn pending_requests(&self) -> impl Iterator<Item = (RequestId, NodeId, &P::Request)> {
        self.pending_requests
            .iter()
            .map(|(id, (n, r))| (*id, *n, r))
    }

    /// Every input scheduled so far, applied or not, in scheduling order.
    pub fn inputs(&self) -> &[ScheduledInput<P>] {
        &self.inputs
    }

    /// When the last fault was applied, if any.
    pub fn last_fault_at(&self) -> Option<Tick> {
        self.last_fault_at
    }

    /// True when no fault is active: every node up and running, no partition, no slow
    /// link, no loss and no reordering.
    pub fn is_healed(&self) -> bool {
        self.slots.iter().all(|s| s.up && !s.paused)
            && !self.topology.is_partitioned()
            && self.topology.slow_links().next().is_none()
            && self.net.drop_rate <= 0.0
            && self.net.reorder_rate <= 0.0
    }

    /// Whether an up node has written durable state it has not synced yet: what a
    /// power loss would take (the node panel shows it). False for a crashed node.
    pub fn has_unsynced_writes(&self, id: NodeId) -> bool {
        let slot = &self.slots[id.index()];
        slot.up && slot.synced.as_ref() != Some(&slot.node.durable())
    }

    /// Whether a node is paused.
    pub fn is_paused(&self, id: NodeId) -> bool {
        self.slots[id.index()].paused
    }

    /// Violations found so far, the first of each invariant.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The checker state (for protocol-specific reports such as a linearizability verdict).
    pub fn checker(&self) -> &P::Checker {
        &self.checker
    }

    /// The trace events produced by the last step.
    pub fn last_events(&self) -> &[TraceEvent<P>] {
        &self.step_events
    }

    /// The time of the next live event, if any (stale queue items — cancelled timers,
    /// dropped messages — are discarded on the way).
    pub fn next_event_at(&mut self) -> Option<Tick> {
        self.next_live_at()
    }

    /// Move the clock forward to `to` without processing anything (the caller has run
    /// every event due before it). Never moves the clock back.
    pub fn advance_clock(&mut self, to: Tick) {
        debug_assert!(
            self.next_live_at().is_none_or(|at| at > to),
            "events due before {to} were skipped"
        );
        self.now = self.now.max(to);
    }

    // ----- driving -------------------------------------------------------------------

    /// Schedule `input` at time `at` (clamped to now). It runs after every protocol
    /// event at that time.
    pub fn schedule(&mut self, at: Tick, input: Input<P>) {
        let at = at.max(self.now);
        let idx = self.inputs.len();
        self.inputs.push(ScheduledInput {
            at,
            input,
            applied: false,
        });
        self.push(at, PHASE_INPUT, Pending::Input(idx));
    }

    /// Apply `input` now: schedule it at the current time and run events until it has
    /// been applied (which also runs any protocol events still due at this instant).
    pub fn apply(&mut self, input: Input<P>) {
        let idx = self.inputs.len();
        self.schedule(self.now, input);
        while !self.inputs[idx].applied {
            if !self.step() {
                break;
            }
        }
    }

    /// Process the next event. Returns false when the queue is empty.
    ///
    /// Stale queue items (cancelled timers, dropped or re-slotted messages) are
    /// skipped without counting as an event.
    pub fn step(&mut self) -> bool {
        self.step_events.clear();
        loop {
            let Some(Reverse(item)) = self.queue.pop() else {
                return false;
            };
            if self.is_live(&item) {
                self.now = self.now.max(item.at);
                self.events += 1;
                self.dispatch(item);
                self.after_step();
                return true;
            }
        }
    }

    /// Run every event due at or before `until`, then move the clock to `until`.
    pub fn run_until(&mut self, until: Tick) {
        while let Some(at) = self.next_live_at() {
            if at > until {
                break;
            }
            self.step();
        }
        self.now = self.now.max(until);
    }

    /// Run every event due at or before `until`, calling `sink` with each step's events.
    pub fn run_until_with(&mut self, until: Tick, mut sink: impl FnMut(&[TraceEvent<P>])) {
        while let Some(at) = self.next_live_at() {
            if at > until {
                break;
            }
            self.step();
            sink(&self.step_events);
        }
        self.now = self.now.max(until);
    }

    /// Run the end-of-run checks (liveness, termination) and record what they find.
    pub fn finish(&mut self) {
        let mut checker = std::mem::take(&mut self.checker);
        let mut found = Vec::new();
        checker.finish(self, &mut found);
        self.checker = checker;
        self.record_findings(found);
    }

    fn next_live_at(&mut self) -> Option<Tick> {
        loop {
            let live = {
                let Reverse(item) = self.queue.peek()?;
                self.is_live(item)
            };
            if live {
                return self.queue.peek().map(|Reverse(i)| i.at);
            }
            self.queue.pop();
        }
    }

    fn is_live(&self, item: &QueueItem) -> bool {
        match &item.what {
            // Nothing reaches or fires on a paused node: its items go stale here, and
            // `resume` queues them again.
            Pending::Deliver(id) => self
                .in_flight
                .get(id)
                .is_some_and(|e| e.slot == item.seq && !self.slots[e.to.index()].paused),
            Pending::Timer(node) => {
                let slot = &self.slots[node.index()];
                !slot.paused && slot.timers.iter().any(|t| t.slot == item.seq)
            }
            Pending::Input(idx) => !self.inputs[*idx].applied,
        }
    }

    fn push(&mut self, at: Tick, phase: u8, what: Pending) -> u64 {
        self.seq += 1;
        let seq = self.seq;
        self.queue.push(Reverse(QueueItem {
            at,
            phase,
            seq,
            what,
        }));
        seq
    }

    fn record(&mut self, kind: EventKind<P>) {
        let index = self.next_index;
        self.next_index += 1;
        self.step_events.push(TraceEvent {
            index,
            event: self.events,
            at: self.now,
            kind,
        });
    }

    #[allow(clippy::needless_pass_by_value)] // the item is consumed logically: it left the queue
    fn dispatch(&mut self, item: QueueItem) {
        match item.what {
            Pending::Deliver(id) => self.deliver(id),
            Pending::Timer(node) => {
                let timers = &mut self.slots[node.index()].timers;
                let pos = timers
                    .iter()
                    .position(|t| t.slot == item.seq)
                    .expect("live timer is armed");
                let timer = timers.swap_remove(pos).timer;
                self.record(EventKind::TimerFired { node, timer });
                self.run_handler(node, |n: &mut P::Node, ctx| n.on_timer(timer, ctx));
            }
            Pending::Input(idx) => {
                self.inputs[idx].applied = true;
                let input = self.inputs[idx].input.clone();
                self.apply_input(input);
            }
        }
    }

    fn deliver(&mut self, id: MsgId) {
        let env = self
            .in_flight
            .remove(&id)
            .expect("live delivery is in flight");
        let reason = if !self.slots[env.to.index()].up {
            Some(DropReason::NodeDown)
        } else if !self.topology.can_talk(env.from, env.to) {
            Some(DropReason::Partition)
        } else if env.lost {
            Some(DropReason::Loss)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.record(EventKind::Dropped {
                msg: env.id,
                from: env.from,
                to: env.to,
                rpc: env.msg.rpc().to_owned(),
                reason,
            });
            return;
        }
        self.record(EventKind::Delivered {
            msg: env.id,
            from: env.from,
            to: env.to,
            payload: env.msg.clone(),
        });
        let from = env.from;
        let msg = env.msg;
        self.run_handler(env.to, move |n: &mut P::Node, ctx| {
            n.on_message(from, msg, ctx);
        });
    }

    /// Run one handler on node `id` and apply the effects it emitted, in order.
    fn run_handler(&mut self, id: NodeId, f: impl FnOnce(&mut P::Node, &mut Ctx<'_, P>)) {
        let mut effects = std::mem::take(&mut self.effects);
        {
            let mut ctx = Ctx::new(self.now, id, &self.config, &mut effects);
            f(&mut self.slots[id.index()].node, &mut ctx);
        }
        self.apply_effects(id, effects);
    }

    /// Apply a handler's effects in order, then keep the (emptied) buffer for the next
    /// handler. Out of line: `run_handler` is instantiated once per handler kind, and
    /// this loop need not be copied into each.
    #[inline(never)]
    fn apply_effects(&mut self, id: NodeId, mut effects: Vec<Effect<P>>) {
        for effect in effects.drain(..) {
            self.apply_effect(id, effect);
        }
        self.effects = effects;
    }

    fn apply_effect(&mut self, id: NodeId, effect: Effect<P>) {
        match effect {
            Effect::Send { to, msg } => self.send(id, to, msg, None),
            Effect::SetTimer { timer, min, max } => {
                let span = skewed(
                    self.rng.range_inclusive(min.0, max.0),
                    self.slots[id.index()].skew,
                );
                let fires_at = self.now + Ticks(span.max(1));
                // The queue item's seq doubles as the timer's slot: re-arming a timer
                // leaves the old item in the queue, where it is skipped as stale.
                let slot = self.push(fires_at, PHASE_PROTOCOL, Pending::Timer(id));
                let timers = &mut self.slots[id.index()].timers;
                timers.retain(|t| t.timer != timer);
                timers.push(ArmedTimer {
                    timer,
                    set_at: self.now,
                    fires_at,
                    slot,
                });
            }
            Effect::CancelTimer { timer } => {
                self.slots[id.index()].timers.retain(|t| t.timer != timer);
            }
            Effect::Note(note) => self.record(EventKind::Note { node: id, note }),
            Effect::Sync => {
                // Not traced: a sync changes nothing a run shows until a power loss.
                let slot = &mut self.slots[id.index()];
                slot.synced = Some(slot.node.durable());
            }
            Effect::Reply { request, response } => {
                if self.pending_requests.remove(&request).is_some() {
                    self.record(EventKind::Response {
                        id: request,
                        node: id,
                        response,
                    });
                }
            }
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, msg: P::Msg, copy_of: Option<MsgId>) {
        let (id, deliver_at) = self.next_message();
        let deliver_at = deliver_at + self.topology.extra_latency(from, to) + self.reorder_hold();
        let lost = self.rng.chance(self.net.drop_rate);
        let duplicated = copy_of.is_none() && self.rng.chance(self.net.duplicate_rate);
        self.record(EventKind::Sent {
            msg: id,
            from,
            to,
            payload: msg.clone(),
            deliver_at,
        });
        if !self.topology.can_talk(from, to) {
            // A partition is visible at once: the message dies leaving the sender.
            self.record(EventKind::Dropped {
                msg: id,
                from,
                to,
                rpc: msg.rpc().to_owned(),
                reason: DropReason::Partition,
            });
            return;
        }
        let dup_msg = duplicated.then(|| msg.clone());
        self.put_in_flight(Envelope {
            id,
            from,
            to,
            sent_at: self.now,
            deliver_at,
            lost,
            copy_of,
            msg,
            slot: 0,
        });
        if let Some(m) = dup_msg {
            self.duplicate_envelope(id, from, to, m);
        }
    }

    /// A fresh message id and a delivery time drawn from the latency range.
    fn next_message(&mut self) -> (MsgId, Tick) {
        let id = MsgId(self.next_msg);
        self.next_msg += 1;
        let latency = self
            .rng
            .range_inclusive(self.net.latency_min.0, self.net.latency_max.0);
        (id, self.now + Ticks(latency.max(1)))
    }

    /// The extra hold of a message the reorder rate picks (none for the others). No
    /// draw at all when the rate is zero, so runs without reordering keep their traces.
    fn reorder_hold(&mut self) -> Ticks {
        if self.net.reorder_rate <= 0.0 || !self.rng.chance(self.net.reorder_rate) {
            return Ticks(0);
        }
        let lo = self.net.latency_max.0;
        Ticks(
            self.rng
                .range_inclusive(lo, self.net.reorder_window.0.max(lo)),
        )
    }

    /// Queue an envelope's delivery and put it on the wire.
    fn put_in_flight(&mut self, mut env: Envelope<P::Msg>) {
        env.slot = self.push(env.deliver_at, PHASE_PROTOCOL, Pending::Deliver(env.id));
        self.in_flight.insert(env.id, env);
    }

    fn duplicate_envelope(&mut self, original: MsgId, from: NodeId, to: NodeId, msg: P::Msg) {
        let (id, deliver_at) = self.next_message();
        self.record(EventKind::Duplicated {
            msg: original,
            copy: id,
            deliver_at,
        });
        let copy_of = Some(original);
        self.put_in_flight(Envelope {
            id,
            from,
            to,
            sent_at: self.now,
            deliver_at,
            lost: false,
            copy_of,
            msg,
            slot: 0,
        });
    }

    fn apply_input(&mut self, input: Input<P>) {
        if input.is_fault() {
            self.last_fault_at = Some(self.now);
        }
        self.record(EventKind::Input(input.clone()));
        match input {
            Input::Fault(fault) => self.apply_fault(fault),
            Input::FireTimer(node, timer) => self.fire_now(node, timer),
            Input::Configure(config) => self.config = config,
            Input::Request(node, request) => {
                let id = RequestId(self.next_request);
                self.next_request += 1;
                self.record(EventKind::Request {
                    id,
                    node,
                    request: request.clone(),
                });
                let slot = &mut self.slots[node.index()];
                if !slot.up {
                    let response = P::lost_response(&request, Lost::NodeDown);
                    self.record(EventKind::Response { id, node, response });
                } else if slot.paused {
                    // It waits in the frozen node's inbox, as a message would.
                    slot.held_requests.push((id, request.clone()));
                    self.pending_requests.insert(id, (node, request));
                } else {
                    self.pending_requests.insert(id, (node, request.clone()));
                    self.run_handler(node, move |n: &mut P::Node, ctx| {
                        n.on_request(id, request, ctx);
                    });
                }
            }
        }
    }

    /// Apply one fault. Not generic in the fault, only in the world.
    fn apply_fault(&mut self, fault: Fault) {
        match fault {
            Fault::Crash(id) => self.crash(id, false),
            Fault::PowerLoss(id) => self.crash(id, true),
            Fault::Restart(id) => self.restart(id),
            Fault::Pause(id) => {
                let slot = &mut self.slots[id.index()];
                if slot.up {
                    slot.paused = true;
                }
            }
            Fault::Resume(id) => self.resume(id),
            Fault::Skew(id, factor) => {
                self.slots[id.index()].skew = factor.max(crate::fault::SKEW_RANGE.0);
            }
            Fault::Partition(groups) => self.topology.partition(&groups),
            Fault::Isolate(id) => self.topology.isolate(id),
            Fault::Link(a, b, up) => self.topology.set_link(a, b, up),
            Fault::SlowLink(a, b, extra) => self.topology.set_slow(a, b, extra),
            Fault::Heal => self.topology.heal(),
            Fault::DropRate(p) => {
                self.net = NetConfig {
                    drop_rate: p,
                    ..self.net.clone()
                }
                .normalised();
            }
            Fault::DuplicateRate(p) => {
                self.net = NetConfig {
                    duplicate_rate: p,
                    ..self.net.clone()
                }
                .normalised();
            }
            Fault::ReorderRate(p) => {
                self.net = NetConfig {
                    reorder_rate: p,
                    ..self.net.clone()
                }
                .normalised();
            }
            Fault::Latency(lo, hi) => {
                self.net = NetConfig {
                    latency_min: lo,
                    latency_max: hi,
                    ..self.net.clone()
                }
                .normalised();
            }
            Fault::Timeout(id) => {
                let slot = &self.slots[id.index()];
                if slot.up && !slot.paused {
                    self.run_handler(id, |n: &mut P::Node, ctx| n.on_force_timeout(ctx));
                }
            }
            Fault::AlignTimers => self.retime_main_timers(false),
            Fault::SpreadTimers => self.retime_main_timers(true),
            Fault::Drop(id) => {
                if let Some(env) = self.in_flight.remove(&id) {
                    self.record(EventKind::Dropped {
                        msg: id,
                        from: env.from,
                        to: env.to,
                        rpc: env.msg.rpc().to_owned(),
                        reason: DropReason::User,
                    });
                }
            }
            Fault::DeliverNow(id) => {
                if self.in_flight.contains_key(&id) {
                    self.reslot(id, self.now);
                    self.record(EventKind::Expedited { msg: id });
                }
            }
            Fault::Duplicate(id) => {
                if let Some(env) = self.in_flight.get(&id) {
                    let (from, to, msg) = (env.from, env.to, env.msg.clone());
                    self.duplicate_envelope(id, from, to, msg);
                }
            }
            Fault::Delay(id, by) => {
                if let Some(env) = self.in_flight.get(&id) {
                    let at = env.deliver_at.max(self.now) + by;
                    self.reslot(id, at);
                    self.record(EventKind::Delayed {
                        msg: id,
                        deliver_at: at,
                    });
                }
            }
            Fault::Reorder(id) => {
                if let Some(env) = self.in_flight.get(&id) {
                    // After every other message now in flight to the same receiver,
                    // and one longest latency more, so that what is sent next
                    // overtakes it too.
                    let to = env.to;
                    let last = self
                        .in_flight
                        .values()
                        .filter(|e| e.to == to && e.id != id)
                        .map(|e| e.deliver_at)
                        .max()
                        .unwrap_or(self.now)
                        .max(env.deliver_at)
                        .max(self.now);
                    let at = last + self.net.latency_max + Ticks(1);
                    self.reslot(id, at);
                    self.record(EventKind::Delayed {
                        msg: id,
                        deliver_at: at,
                    });
                }
            }
        }
    }

    /// Queue again every message in flight to `id` (a paused node's inbox, whose queue
    /// items went stale): the overdue ones now, in arrival order, the others when due.
    fn requeue_inbox(&mut self, id: NodeId) {
        let mut waiting: Vec<(Tick, MsgId)> = self
            .in_flight
            .values()
            .filter(|e| e.to == id)
            .map(|e| (e.deliver_at, e.id))
            .collect();
        waiting.sort_unstable();
        for (at, msg) in waiting {
            self.reslot(msg, at.max(self.now));
        }
    }

    /// Move a message in flight to arrive at `at` (its old queue item goes stale).
    fn reslot(&mut self, id: MsgId, at: Tick) {
        let slot = self.push(at, PHASE_PROTOCOL, Pending::Deliver(id));
        if let Some(env) = self.in_flight.get_mut(&id) {
            env.deliver_at = at;
            env.slot = slot;
        }
    }

    /// Resume a paused node: queue again what waited for it — its timers (overdue ones
    /// now, in deadline order), the messages that reached it (now, in arrival order)
    /// and the client requests it was sent (run now, in order).
    fn resume(&mut self, id: NodeId) {
        let slot = &mut self.slots[id.index()];
        if !slot.paused {
            return;
        }
        slot.paused = false;
        let now = self.now;
        let mut timers: Vec<(Tick, usize)> = slot
            .timers
            .iter()
            .enumerate()
            .map(|(i, t)| (t.fires_at.max(now), i))
            .collect();
        crate::sorted::sort_small_by_key(&mut timers, |t| *t);
        for (at, i) in timers {
            let seq = self.push(at, PHASE_PROTOCOL, Pending::Timer(id));
            let t = &mut self.slots[id.index()].timers[i];
            t.fires_at = at;
            t.slot = seq;
        }
        self.requeue_inbox(id);
        let held = std::mem::take(&mut self.slots[id.index()].held_requests);
        for (rid, request) in held {
            if self.pending_requests.contains_key(&rid) && self.slots[id.index()].up {
                self.run_handler(id, move |n: &mut P::Node, ctx| {
                    n.on_request(rid, request, ctx);
                });
            }
        }
    }

    /// Fire `node`'s armed `timer` now (disarming it first, as a due timer is), if the
    /// node is up and the timer armed.
    fn fire_now(&mut self, node: NodeId, timer: P::Timer) {
        let slot = &mut self.slots[node.index()];
        if !slot.up || slot.paused {
            return;
        }
        let Some(pos) = slot.timers.iter().position(|t| t.timer == timer) else {
            return;
        };
        slot.timers.swap_remove(pos);
        self.record(EventKind::TimerFired { node, timer });
        self.run_handler(node, |n: &mut P::Node, ctx| n.on_timer(timer, ctx));
    }

    /// Re-arm every up node's armed main timer: all at the earliest deadline (align),
    /// or spaced by more than a round trip in their current order (spread).
    fn retime_main_timers(&mut self, spread: bool) {
        let mut armed: Vec<(Tick, NodeId)> = Vec::new();
        for (i, slot) in self.slots.iter().enumerate() {
            if slot.up
                && !slot.paused
                && let Some(t) = slot.timers.iter().find(|t| P::is_main_timer(&t.timer))
            {
                armed.push((t.fires_at, NodeId::from_index(i)));
            }
        }
        // One timer per up node.
        crate::sorted::sort_small_by_key(&mut armed, |a| *a);
        let Some(&(first, _)) = armed.first() else {
            return;
        };
        let gap = Ticks(2 * self.net.latency_max.0 + 50);
        let mut at = first;
        for (_, node) in armed {
            let slot = self.push(at, PHASE_PROTOCOL, Pending::Timer(node));
            if let Some(t) = self.slots[node.index()]
                .timers
                .iter_mut()
                .find(|t| P::is_main_timer(&t.timer))
            {
                t.fires_at = at;
                t.slot = slot;
            }
            if spread {
                at += gap;
            }
        }
    }

    /// Crash `id`. A process crash (`power_loss == false`) keeps everything the node
    /// wrote, as the OS page cache survives a kill; a power loss keeps only what it
    /// last synced.
    fn crash(&mut self, id: NodeId, power_loss: bool) {
        let slot = &mut self.slots[id.index()];
        if !slot.up {
            if power_loss {
                // Down already (a killed process): the page cache it left goes now.
                slot.saved.clone_from(&slot.synced);
            }
            return;
        }
        slot.up = false;
        slot.saved = if power_loss {
            slot.synced.clone()
        } else {
            Some(slot.node.durable())
        };
        slot.timers.clear();
        slot.held_requests.clear();
        let was_paused = std::mem::replace(&mut slot.paused, false);
        self.record(EventKind::Crashed { node: id });
        if was_paused {
            // What waited in its inbox now dies at the door, as anything sent to a
            // crashed node does.
            self.requeue_inbox(id);
        }
        // Requests the node was holding now have an unknown outcome.
        let lost: Vec<(RequestId, P::Request)> = self
            .pending_requests
            .iter()
            .filter(|(_, (n, _))| *n == id)
            .map(|(r, (_, req))| (*r, req.clone()))
            .collect();
        for (rid, req) in lost {
            self.pending_requests.remove(&rid);
            let response = P::lost_response(&req, Lost::NodeCrashed);
            self.record(EventKind::Response {
                id: rid,
                node: id,
                response,
            });
        }
    }

    fn restart(&mut self, id: NodeId) {
        let slot = &mut self.slots[id.index()];
        if slot.up {
            return;
        }
        slot.node = P::Node::boot(id, &self.config, slot.saved.as_ref());
        slot.up = true;
        self.record(EventKind::Restarted { node: id });
        self.run_handler(id, |n: &mut P::Node, ctx| n.on_start(ctx));
    }

    fn after_step(&mut self) {
        if !self.check {
            return;
        }
        let mut checker = std::mem::take(&mut self.checker);
        let mut found = Vec::new();
        checker.check(self, &self.step_events, &mut found);
        self.checker = checker;
        self.record_findings(found);
    }

    fn record_findings(&mut self, found: Vec<Finding>) {
        if !found.is_empty() {
            record_findings(&mut self.violations, self.events, self.now, found);
        }
    }
}

/// Keep the first finding of each invariant as a violation at event `event`. Not
/// generic, so that every protocol shares it.
#[inline(never)]
fn record_findings(violations: &mut Vec<Violation>, event: u64, now: Tick, found: Vec<Finding>) {
    for f in found {
        if violations.iter().any(|v| v.invariant == f.invariant) {
            continue;
        }
        violations.push(Violation {
            invariant: f.invariant.to_owned(),
            event,
            at_ms: now.as_ms(),
            detail: f.detail,
        });
    }
}

/// A timer span on a clock that runs at `skew` (1.0: true time). Float arithmetic is
/// IEEE-exact here and in wasm32, so the result is the same everywhere.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::float_cmp // exactly 1.0 is "no skew", the value every node starts with
)]
fn skewed(span: u64, skew: f64) -> u64 {
    if skew == 1.0 {
        span
    } else {
        (span as f64 * skew).round().max(1.0) as u64
    }
}
