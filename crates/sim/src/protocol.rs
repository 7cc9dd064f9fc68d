//! The seam between the engine and a protocol.
//!
//! A [`Protocol`] names the types a protocol plugs into the world (its node state
//! machine, messages, timers, client requests, durable state, configuration and
//! invariant checker) and the few pure functions the engine needs to name nodes,
//! render log lines and read scenario files. The engine never looks inside these
//! types; the protocol never touches the bus, the clock or the RNG.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::ctx::Ctx;
use crate::id::{NodeId, RequestId};
use crate::invariant::Checker;
use crate::log::LogLine;
use crate::trace::TraceEvent;

/// Why the world answers a client request on a node's behalf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Lost {
    /// The request was sent to a node that is down: connection refused.
    NodeDown,
    /// The node crashed while the request was pending: the outcome is unknown.
    NodeCrashed,
}

/// A message on the bus.
pub trait Message: Clone + Debug + Serialize + DeserializeOwned {
    /// The RPC name as the logs and the page show it (`"AppendEntries"`, `"VoteRequest"`).
    fn rpc(&self) -> &'static str;

    /// True for a response to an earlier request (drawn differently on the page).
    fn is_reply(&self) -> bool {
        false
    }
}

/// A protocol node: a sans-I/O state machine driven by the world.
///
/// Every handler gets a [`Ctx`] through which it emits effects (sends, timers, notes,
/// client replies). Handlers must be deterministic functions of `self`, their
/// arguments and `ctx.now()`.
pub trait Node<P: Protocol>: Clone + Debug {
    /// A node booting for the first time (`durable == None`) or restarting after a
    /// crash with the durable state it had declared (`Some`). Volatile state starts
    /// fresh. A protocol mode that "forgets to persist" simply ignores `durable`.
    fn boot(id: NodeId, config: &P::Config, durable: Option<&P::Durable>) -> Self;

    /// The durable part of the state: what survives a crash.
    fn durable(&self) -> P::Durable;

    /// Called once after `boot`, at the boot time: arm the first timers.
    fn on_start(&mut self, ctx: &mut Ctx<'_, P>);

    /// A message from `from` was delivered.
    fn on_message(&mut self, from: NodeId, msg: P::Msg, ctx: &mut Ctx<'_, P>);

    /// A timer this node armed has fired.
    fn on_timer(&mut self, timer: P::Timer, ctx: &mut Ctx<'_, P>);

    /// A client sent `request` to this node. Answer (now or later) with `ctx.reply(id, …)`.
    fn on_request(&mut self, id: RequestId, request: P::Request, ctx: &mut Ctx<'_, P>);

    /// The user forced this node's main timeout (an election timeout in Raft, the
    /// participant's READY timeout in 2PC). The default does nothing.
    fn on_force_timeout(&mut self, ctx: &mut Ctx<'_, P>) {
        let _ = ctx;
    }
}

/// Everything a protocol plugs into the engine.
pub trait Protocol: Clone + Debug + Sized + 'static {
    /// The node state machine.
    type Node: Node<Self>;
    /// Messages between nodes.
    type Msg: Message;
    /// Timer kinds; a node has at most one armed timer of each kind.
    type Timer: Copy + Eq + Ord + Debug + Serialize + DeserializeOwned;
    /// Protocol-specific trace notes (role changes, commits, applied entries…).
    type Note: Clone + Debug + Serialize + DeserializeOwned;
    /// A client request.
    type Request: Clone + Debug + Serialize + DeserializeOwned;
    /// A client response.
    type Response: Clone + Debug + Serialize + DeserializeOwned;
    /// The declared durable state of one node.
    type Durable: Clone + Debug + PartialEq;
    /// The protocol configuration: mode, bug toggles, node count, timer values.
    type Config: Clone + Debug + Serialize + DeserializeOwned + Send + Sync;
    /// The invariant checkers, run after every event.
    type Checker: Checker<Self>;

    /// The protocol's name in scenario files and on the command line (`"raft"`, `"2pc"`).
    const NAME: &'static str;

    /// How many nodes a world with this configuration has.
    fn node_count(config: &Self::Config) -> usize;

    /// A node's name as the logs and the page show it (`"3"`, `"grpc-node2"`).
    fn node_name(config: &Self::Config, id: NodeId) -> String;

    /// The response a client sees when the world, not the node, ends its request.
    fn lost_response(request: &Self::Request, why: Lost) -> Self::Response;

    /// Whether `timer` is a node's main timeout (Raft's election timer, a 2PC
    /// participant's READY timeout): the one `align`/`spread` timers act on, as
    /// `RaftScope`'s A and T keys do. The default says none is.
    fn is_main_timer(timer: &Self::Timer) -> bool {
        let _ = timer;
        false
    }

    /// Render the log lines an event produces (the assignment's formats), if any.
    fn log_lines(config: &Self::Config, event: &TraceEvent<Self>, out: &mut Vec<LogLine>);
}
