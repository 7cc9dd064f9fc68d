//! How the 2PC tab shows `faultlab_sim::twopc::TwoPc`: node states (INIT, WAIT, READY,
//! COMMIT, ABORT) for the cluster view, the client forms for every picture-store
//! operation, the named scenarios, and the gallery panel (each node's pictures with
//! thumbnails, likes and lock badges, and its write-ahead log).
//!
//! It reads the protocol's public state only; it must not change a world.

use std::fmt::Write as _;

use faultlab_sim::twopc::{DisplayState, Image, Rpc, TwoPc, TwoPcMsg, WalRecord};
use faultlab_sim::{NodeId, World};
use yew::{Callback, Html, Properties, component, html};

use crate::components::protocol_view::ProtocolView;
use crate::lab::{Lab, Selection};
use crate::plugin::{FieldKind, FieldSpec, LabProtocol, NodeView, OpSpec};
use crate::state::{Action, LabAction};

const FILENAME: &[FieldSpec] = &[FieldSpec {
    name: "filename",
    label: "Filename",
    kind: FieldKind::Text,
    default: "cat.png",
    required: true,
}];

const OPS: &[OpSpec] = &[
    OpSpec {
        op: "upload2pc",
        label: "Upload (2PC, every participant)",
        fields: FILENAME,
    },
    OpSpec {
        op: "delete2pc",
        label: "Delete (2PC, every participant)",
        fields: FILENAME,
    },
    OpSpec {
        op: "upload",
        label: "Upload (this node)",
        fields: FILENAME,
    },
    OpSpec {
        op: "like",
        label: "Like",
        fields: FILENAME,
    },
    OpSpec {
        op: "delete",
        label: "Delete (this node)",
        fields: FILENAME,
    },
    OpSpec {
        op: "download",
        label: "Download",
        fields: FILENAME,
    },
    OpSpec {
        op: "search",
        label: "Search",
        fields: FILENAME,
    },
    OpSpec {
        op: "list",
        label: "List",
        fields: &[],
    },
];

impl LabProtocol for TwoPc {
    const RPCS: &'static [&'static str] = &[
        "VoteRequest",
        "VoteCommit",
        "VoteAbort",
        "GlobalCommit",
        "GlobalAbort",
        "Ack",
        "DecisionRequest",
        "DecisionReply",
    ];

    fn node_view(world: &World<Self>, id: NodeId) -> NodeView {
        let node = world.node(id);
        let state = node.display_state();
        let class = match state {
            DisplayState::Init => "init",
            DisplayState::Wait => "wait",
            DisplayState::Ready => "ready",
            DisplayState::Commit => "commit",
            DisplayState::Abort => "abort",
        };
        NodeView {
            role: None,
            state: Some(state.name().to_owned()),
            label: state.name().to_owned(),
            term: None,
            class,
            votes: Vec::new(),
        }
    }

    fn msg_glyph(msg: &TwoPcMsg) -> Option<&'static str> {
        match msg.rpc {
            Rpc::VoteCommit { .. } | Rpc::GlobalCommit { .. } => Some("+"),
            Rpc::VoteAbort { .. } | Rpc::GlobalAbort { .. } => Some("−"),
            _ => None,
        }
    }

    fn client_ops() -> &'static [OpSpec] {
        OPS
    }

    fn leader(world: &World<Self>) -> Option<NodeId> {
        // The first coordinator that is up takes keyboard client requests.
        world
            .node_ids()
            .find(|&id| world.is_up(id) && world.node(id).is_coordinator())
    }
}

impl ProtocolView for TwoPc {
    fn panels(lab: &Lab<Self>, on_action: &Callback<Action>) -> Html {
        html! { <Gallery lab={lab.clone()} on_action={on_action.clone()} /> }
    }
}

/// Props of [`Gallery`].
#[derive(Properties, PartialEq)]
struct GalleryProps {
    lab: Lab<TwoPc>,
    on_action: Callback<Action>,
}

/// Every node's pictures (thumbnail, likes, lock badge) and write-ahead log.
#[component]
fn Gallery(props: &GalleryProps) -> Html {
    props.lab.with_world(|w| {
        let rows = w
            .node_ids()
            .map(|id| {
                let node = w.node(id);
                let name = w.node_name(id);
                let up = w.is_up(id);
                let state = node.display_state().name();
                let cb = props.on_action.clone();
                let open = Callback::from(move |_| cb.emit(Action::Lab(LabAction::Select(Some(Selection::Node(id))))));
                let wal = node.wal();
                let pictures = node
                    .pictures()
                    .iter()
                    .map(|(file, pic)| {
                        let lock = node.locks().get(file);
                        html! {
                            <li class={if lock.is_some() { "pic pic--locked" } else { "pic" }} key={file.clone()}
                                title={format!("{file}: {} like{}, uploaded on {} at {}", pic.likes, if pic.likes == 1 { "" } else { "s" }, pic.node, pic.upload_time)}>
                                { thumbnail(pic.image) }
                                <span class="pic__name">{ file.clone() }</span>
                                <span class="pic__likes" aria-label={format!("{} likes", pic.likes)}>{ format!("♥ {}", pic.likes) }</span>
                                if let Some(tx) = lock {
                                    <span class="pic__lock" title={format!("locked by transaction {tx}")}>{ format!("locked · {tx}") }</span>
                                }
                            </li>
                        }
                    })
                    .collect::<Html>();
                let wal_tail = wal.iter().rev().take(4).rev().map(wal_text).collect::<Vec<_>>();
                html! {
                    <li class={if up { "gallery__node" } else { "gallery__node gallery__node--down" }} key={id.0}>
                        <div class="gallery__head">
                            <button class="linkish" onclick={open} title="Open this node's panel">{ name.clone() }</button>
                            <span class={format!("state-chip state-chip--{}", state.to_ascii_lowercase())}>{ state }</span>
                            if !up { <span class="pill pill--down">{ "crashed" }</span> }
                            <span class="muted small">{ format!("{} picture{}", node.pictures().len(), if node.pictures().len() == 1 { "" } else { "s" }) }</span>
                        </div>
                        <ul class="pics">
                            { pictures }
                        </ul>
                        if !wal.is_empty() {
                            <div class="wal" title="Write-ahead log (durable), newest last">
                                <span class="wal__label">{ format!("WAL ({})", wal.len()) }</span>
                                { for wal_tail.into_iter().map(|t| html! { <code>{ t }</code> }) }
                            </div>
                        }
                    </li>
                }
            })
            .collect::<Html>();
        html! {
            <section class="panel gallery" aria-label="Pictures per node">
                <header class="panel__head"><h2>{ "Pictures per node" }</h2></header>
                <ul class="gallery__nodes">{ rows }</ul>
            </section>
        }
    })
}

/// A WAL record in a few words.
fn wal_text(r: &WalRecord) -> String {
    match r {
        WalRecord::Begin { tx, body, .. } => {
            format!("{tx} BEGIN {} {}", body.op.name(), body.filename)
        }
        WalRecord::Decision { tx, decision } => {
            format!("{tx} GLOBAL_{}", decision.name().to_ascii_uppercase())
        }
        WalRecord::End { tx } => format!("{tx} END"),
        WalRecord::Ready { tx, .. } => format!("{tx} READY"),
        WalRecord::Outcome { tx, decision } => {
            format!("{tx} {}", decision.name().to_ascii_uppercase())
        }
    }
}

/// The picture's 8×8 image as one SVG path (one square per set pixel).
fn thumbnail(image: Image) -> Html {
    let mut d = String::new();
    for y in 0..8 {
        for x in 0..8 {
            if image.pixel(x, y) {
                let _ = write!(d, "M{x} {y}h1v1h-1z");
            }
        }
    }
    let [r, g, b] = image.color;
    html! {
        <svg class="pic__thumb" viewBox="0 0 8 8" shape-rendering="crispEdges" aria-hidden="true">
            <rect width="8" height="8" class="pic__bg" />
            <path d={d} fill={format!("#{r:02x}{g:02x}{b:02x}")} />
        </svg>
    }
}
