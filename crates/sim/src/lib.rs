//! # faultlab-sim
//!
//! faultlab's deterministic simulation engine, shared by the page, the CLI and the
//! tests. It owns virtual time, the message bus, faults, the trace, invariant checking
//! and time travel; protocols plug in through [`Protocol`] and [`Node`].
//!
//! ## Determinism contract
//!
//! Same seed + same inputs ⇒ the same trace, natively and in the browser, bit for bit.
//! To keep that true, code in this crate:
//! 1. never reads a clock (`std::time`, `Instant`, `SystemTime`): time is [`Tick`];
//! 2. never uses OS or thread randomness: the [`World`] owns one seeded
//!    `Xoshiro256PlusPlus` ([`SimRng`]) and protocol nodes never see it;
//! 3. iterates only ordered collections (`Vec`, [`SortedMap`], [`SortedSet`], `BTreeMap`,
//!    `BTreeSet`);
//! 4. draws random numbers as explicit `u64` ranges, never through `usize`;
//! 5. depends on nothing web (no yew, web-sys, js-sys, gloo, wasm-bindgen) and starts
//!    no thread.
//!
//! ## Model (sans-I/O)
//!
//! A node is a state machine. The world calls it with one event at a time — a
//! delivered message, a fired timer, a client request, a restart — and the node
//! answers with [`Effect`]s through its [`Ctx`]. The world alone turns effects into
//! queue entries, drawing latency, loss and timer spread from its RNG.
#![warn(missing_docs)]

pub mod bus;
pub mod chaos;
pub mod ctx;
pub mod demo;
pub mod explore;
pub mod fault;
pub mod golden;
pub mod hash;
pub mod history;
pub mod id;
pub mod input;
pub mod invariant;
pub mod log;
pub mod protocol;
pub mod raft;
pub mod rng;
pub mod scenario;
pub mod sorted;
pub mod testkit;
pub mod text;
pub mod time;
pub mod tour;
pub mod trace;
pub mod trace_store;
pub mod twopc;
pub mod world;

pub use bus::{DropReason, Envelope, NetConfig, Topology};
pub use ctx::{Ctx, Effect};
pub use explore::{Bounds, Counterexample, Explorable, Report as ExploreReport};
pub use fault::{Fault, FaultClass, FaultKind};
pub use history::History;
pub use id::{MsgId, NodeId, RequestId};
pub use input::Input;
pub use invariant::{Checker, Finding, NoChecks, Violation};
pub use log::LogLine;
pub use protocol::{Lost, Message, Node, Protocol};
pub use rng::{Seed, SimRng};
pub use scenario::{BugInfo, Scenario, ScenarioError, ScenarioProtocol};
pub use sorted::{SortedMap, SortedSet};
pub use time::{Tick, Ticks};
pub use trace::{EventKind, TraceEvent};
pub use trace_store::TraceView;
pub use world::{NodeSlot, World};
