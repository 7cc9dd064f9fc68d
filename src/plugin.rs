//! The seam between the page and a protocol: what the generic views need to know to
//! draw a protocol's nodes and messages and to build its client forms.
//!
//! A protocol drops into a tab by implementing [`LabProtocol`] (on top of the engine's
//! `ScenarioProtocol`). This module owns that trait and its small view types; it must
//! not render anything or hold state.

use faultlab_sim::demo::{Demo, DemoMsg};
use faultlab_sim::world::ArmedTimer;
use faultlab_sim::{NodeId, ScenarioProtocol, World};

/// How one node is drawn and tagged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeView {
    /// `data-role` (Raft: `follower|candidate|leader`).
    pub role: Option<&'static str>,
    /// `data-state` (2PC: `INIT|WAIT|READY|COMMIT|ABORT`).
    pub state: Option<String>,
    /// The word drawn under the name (`Leader`, `READY`, …).
    pub label: String,
    /// The term drawn in the circle, if the protocol has terms.
    pub term: Option<u64>,
    /// A CSS modifier for the circle (`leader`, `candidate`, `wait`, …).
    pub class: &'static str,
    /// A candidate's ballot: one dot per peer, drawn around the node.
    pub votes: Vec<(NodeId, VoteDot)>,
}

/// One peer's answer to a candidate, as a small dot beside the candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteDot {
    /// The peer granted its vote (filled).
    Granted,
    /// The request or its answer is still in flight (hollow).
    InFlight,
    /// Refused, or no answer will come (crossed).
    Refused,
}

impl VoteDot {
    /// The dot's CSS modifier and words.
    pub fn name(self) -> &'static str {
        match self {
            VoteDot::Granted => "granted",
            VoteDot::InFlight => "in-flight",
            VoteDot::Refused => "refused",
        }
    }
}

/// The kind of a client form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A whole number.
    Int,
    /// A checkbox.
    Bool,
}

/// One field of a client operation's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The JSON key (as in scenario files).
    pub name: &'static str,
    /// The visible label.
    pub label: &'static str,
    /// Its kind.
    pub kind: FieldKind,
    /// The initial value.
    pub default: &'static str,
    /// Whether the form refuses an empty value (text) or a value below 1 (numbers).
    pub required: bool,
}

/// A client operation as the page offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpSpec {
    /// The scenario file's `op` value.
    pub op: &'static str,
    /// The button label.
    pub label: &'static str,
    /// The form's fields (besides the target node).
    pub fields: &'static [FieldSpec],
}

/// What a protocol adds so that the page can show it.
pub trait LabProtocol: ScenarioProtocol {
    /// Every RPC name, in legend order; a message's colour is its position here.
    const RPCS: &'static [&'static str];

    /// How node `id` is drawn right now.
    fn node_view(world: &World<Self>, id: NodeId) -> NodeView;

    /// The timer drawn as the shrinking arc around a node (Raft: the election timer).
    fn main_timer(world: &World<Self>, id: NodeId) -> Option<&ArmedTimer<Self::Timer>> {
        world.slot(id).timers.first()
    }

    /// A glyph drawn on a message (`+` granted, `−` refused), if any.
    fn msg_glyph(msg: &Self::Msg) -> Option<&'static str> {
        let _ = msg;
        None
    }

    /// The client request a message carries (Raft: a forwarded request), so that the
    /// page can tie the message to the request's outcome.
    fn msg_request(msg: &Self::Msg) -> Option<faultlab_sim::RequestId> {
        let _ = msg;
        None
    }

    /// Extra rows for the node panel beyond `node_report` (Raft: nextIndex/matchIndex
    /// per peer).
    fn node_extra(world: &World<Self>, id: NodeId) -> Vec<(String, String)> {
        let _ = (world, id);
        Vec::new()
    }

    /// Client operations offered in the node panel.
    fn client_ops() -> &'static [OpSpec];

    /// The node whose client form `C` opens, and the leader `R` restarts.
    fn leader(world: &World<Self>) -> Option<NodeId> {
        let _ = world;
        None
    }
}

/// The colour slot of an RPC (0-based, cycling over the palette).
pub fn rpc_slot<P: LabProtocol>(rpc: &str) -> usize {
    P::RPCS
        .iter()
        .position(|r| *r == rpc)
        .unwrap_or(P::RPCS.len())
        % 10
}

impl LabProtocol for Demo {
    const RPCS: &'static [&'static str] = &["Ping", "Pong"];

    fn node_view(world: &World<Self>, id: NodeId) -> NodeView {
        let node = world.node(id);
        NodeView {
            role: Some("follower"),
            state: None,
            label: format!(
                "{} ping{}",
                node.pings_sent,
                if node.pings_sent == 1 { "" } else { "s" }
            ),
            term: None,
            class: "follower",
            votes: Vec::new(),
        }
    }

    fn msg_glyph(msg: &DemoMsg) -> Option<&'static str> {
        match msg {
            DemoMsg::Pong { .. } => Some("+"),
            DemoMsg::Ping { .. } => None,
        }
    }

    fn client_ops() -> &'static [OpSpec] {
        &[OpSpec {
            op: "stats",
            label: "Stats",
            fields: &[],
        }]
    }
}
