//! How the Raft tab shows `faultlab_sim::raft::Raft`: roles and terms for the cluster
//! view (a candidate's ballot as dots around it), RPC glyphs (`+` granted or
//! matched, `−` refused), the client forms for the seven music-queue operations, the
//! named scenarios, and the Raft panels: the log grid (index × node, cells in their
//! term's shade, committed solid and uncommitted dashed, the commit index and the
//! leader's `matchIndex`/`nextIndex` marked) and each replica's music queue and history
//! with the rows that differ from the majority highlighted.
//!
//! Terms are told apart by number and by a pattern (`term-k`, k = term mod 6), never
//! by hue alone. It reads the protocol's public state only; it must not change a world.

use faultlab_sim::raft::{Command, Raft, RaftMsg, RaftTimer, Role, Track};
use faultlab_sim::world::ArmedTimer;
use faultlab_sim::{NodeId, RequestId, World};
use yew::{Callback, Html, Properties, component, html, use_effect_with, use_node_ref};

use crate::components::protocol_view::ProtocolView;
use crate::lab::{Lab, Selection};
use crate::plugin::{FieldKind, FieldSpec, LabProtocol, NodeView, OpSpec, VoteDot};
use crate::state::{Action, LabAction};

/// How many term shades/patterns there are (`term-0` … `term-5`).
pub const TERM_STYLES: u64 = 6;

const ID: FieldSpec = FieldSpec {
    name: "id",
    label: "Track id",
    kind: FieldKind::Text,
    default: "t1",
    required: true,
};

const OPS: &[OpSpec] = &[
    OpSpec {
        op: "add",
        label: "Add track",
        fields: &[
            ID,
            FieldSpec {
                name: "title",
                label: "Title",
                kind: FieldKind::Text,
                default: "Blue in Green",
                required: true,
            },
            FieldSpec {
                name: "artist",
                label: "Artist",
                kind: FieldKind::Text,
                default: "Miles Davis",
                required: false,
            },
            FieldSpec {
                name: "duration",
                label: "Duration (s)",
                kind: FieldKind::Int,
                default: "337",
                required: true,
            },
        ],
    },
    OpSpec {
        op: "remove",
        label: "Remove track",
        fields: &[ID],
    },
    OpSpec {
        op: "vote",
        label: "Vote",
        fields: &[
            ID,
            FieldSpec {
                name: "up",
                label: "Up-vote (untick for a down-vote)",
                kind: FieldKind::Bool,
                default: "true",
                required: false,
            },
        ],
    },
    OpSpec {
        op: "queue",
        label: "Get queue",
        fields: &[],
    },
    OpSpec {
        op: "metadata",
        label: "Get metadata",
        fields: &[ID],
    },
    OpSpec {
        op: "play",
        label: "Play next",
        fields: &[],
    },
    OpSpec {
        op: "history",
        label: "Get history",
        fields: &[],
    },
];

/// The CSS class of a term's shade and pattern.
pub fn term_class(term: u64) -> String {
    format!("term-{}", term % TERM_STYLES)
}

impl LabProtocol for Raft {
    const RPCS: &'static [&'static str] = &[
        "RequestVote",
        "AppendEntries",
        "AddTrack",
        "RemoveTrack",
        "VoteTrack",
        "PlayNext",
        "GetQueue",
        "GetMetadata",
        "GetHistory",
    ];

    fn node_view(world: &World<Self>, id: NodeId) -> NodeView {
        let node = world.node(id);
        let role = node.role();
        let votes = if role == Role::Candidate && world.is_up(id) {
            ballot(world, id)
        } else {
            Vec::new()
        };
        let (label, class) = match role {
            Role::Follower => ("Follower", "follower"),
            Role::Candidate => ("Candidate", "candidate"),
            Role::Leader => ("Leader", "leader"),
        };
        NodeView {
            role: Some(role.as_str()),
            state: None,
            label: label.to_owned(),
            term: Some(node.term().0),
            class,
            votes,
        }
    }

    fn main_timer(world: &World<Self>, id: NodeId) -> Option<&ArmedTimer<RaftTimer>> {
        // Followers and candidates show their election deadline, leaders their next
        // heartbeat (RaftScope draws the same arc).
        let timers = &world.slot(id).timers;
        timers
            .iter()
            .find(|t| t.timer == RaftTimer::Election)
            .or_else(|| timers.iter().find(|t| t.timer == RaftTimer::Heartbeat))
    }

    fn msg_glyph(msg: &RaftMsg) -> Option<&'static str> {
        match msg {
            RaftMsg::RequestVoteResponse { vote_granted, .. } => {
                Some(if *vote_granted { "+" } else { "−" })
            }
            RaftMsg::AppendEntriesResponse { success, .. } => {
                Some(if *success { "+" } else { "−" })
            }
            RaftMsg::AppendEntries { entries, .. } if !entries.is_empty() => Some("E"),
            _ => None,
        }
    }

    fn msg_request(msg: &RaftMsg) -> Option<RequestId> {
        match msg {
            RaftMsg::Forward { request, .. } | RaftMsg::ForwardReply { request, .. } => {
                Some(*request)
            }
            _ => None,
        }
    }

    fn node_extra(world: &World<Self>, id: NodeId) -> Vec<(String, String)> {
        let node = world.node(id);
        if node.role() != Role::Leader {
            return Vec::new();
        }
        let per_peer = |v: &[faultlab_sim::raft::LogIndex]| {
            world
                .node_ids()
                .filter(|&p| p != id)
                .map(|p| format!("{}: {}", world.node_name(p), v[p.index()]))
                .collect::<Vec<_>>()
                .join(", ")
        };
        vec![
            ("nextIndex".to_owned(), per_peer(&node.next_index())),
            ("matchIndex".to_owned(), per_peer(&node.match_index())),
        ]
    }

    fn client_ops() -> &'static [OpSpec] {
        OPS
    }

    fn leader(world: &World<Self>) -> Option<NodeId> {
        world
            .node_ids()
            .filter(|&id| world.is_up(id) && world.node(id).role() == Role::Leader)
            .max_by_key(|&id| world.node(id).term())
    }
}

/// A candidate's ballot: granted, still in flight (its `RequestVote` or the answer),
/// or refused (answered no, or lost).
fn ballot(world: &World<Raft>, id: NodeId) -> Vec<(NodeId, VoteDot)> {
    let server = world.node(id).server();
    let term = server.current_term();
    let granted = server.votes_granted();
    world
        .node_ids()
        .filter(|&p| p != id)
        .map(|p| {
            if granted.contains(&p) {
                return (p, VoteDot::Granted);
            }
            let pending = world.in_flight().any(|e| match &e.msg {
                RaftMsg::RequestVote { term: t, .. } => e.from == id && e.to == p && *t == term,
                RaftMsg::RequestVoteResponse { .. } => e.from == p && e.to == id,
                _ => false,
            });
            if pending {
                (p, VoteDot::InFlight)
            } else {
                (p, VoteDot::Refused)
            }
        })
        .collect()
}

impl ProtocolView for Raft {
    fn panels(lab: &Lab<Self>, on_action: &Callback<Action>) -> Html {
        // Each panel gets what it draws in a form cheap to compare, so that it is not
        // redrawn on the frames that do not change it.
        let (grid, queues) = lab.with_world(|w| (grid_shown(w), queues_shown(w)));
        html! {
            <>
                <LogGrid lab={lab.clone()} on_action={on_action.clone()} shown={grid} />
                <Queues lab={lab.clone()} on_action={on_action.clone()} shown={queues} />
            </>
        }
    }
}

/// Props of a Raft panel: the lab it reads, and `shown`, everything the panel draws
/// from it in a form cheap to compare. The panel re-renders only when `shown` (or the
/// run) changes, not on every frame of the play loop that moves the lab's version.
#[derive(Properties)]
struct BodyProps<K: PartialEq + 'static> {
    lab: Lab<Raft>,
    on_action: Callback<Action>,
    shown: K,
}

impl<K: PartialEq + 'static> PartialEq for BodyProps<K> {
    fn eq(&self, other: &Self) -> bool {
        self.shown == other.shown
            && self.lab.same_run(&other.lab)
            && self.on_action == other.on_action
    }
}

/// What the log grid draws: the leader, then per node whether it is up, its commit
/// index, the leader's `matchIndex`/`nextIndex` for it, its log length, and each
/// entry's term and request (an entry is its index, term and command; a command is
/// told apart by its request id, the leader's no-op by `u64::MAX`).
fn grid_shown(w: &World<Raft>) -> Vec<u64> {
    let leader = Raft::leader(w);
    let leader_node = leader.map(|l| w.node(l));
    let mut out = vec![leader.map_or(u64::MAX, |l| u64::from(l.0))];
    for id in w.node_ids() {
        let node = w.node(id);
        let (m, nx) = match leader_node {
            Some(ln) => (
                ln.match_index()[id.index()].0,
                ln.next_index()[id.index()].0,
            ),
            None => (0, 0),
        };
        let log = node.log();
        out.extend([
            u64::from(w.is_up(id)),
            node.commit_index().0,
            m,
            nx,
            log.len() as u64,
        ]);
        for e in log.entries() {
            let request = match &*e.command {
                Command::Noop => u64::MAX,
                Command::Client { request, .. } => request.0,
            };
            out.extend([e.term.0, request]);
        }
    }
    out
}

/// One replica as the queue panel draws it: up, role, `lastApplied`, queue, history.
type ReplicaShown = (bool, Role, u64, Vec<Track>, Vec<Track>);

/// What the queue panel draws, per replica.
fn queues_shown(w: &World<Raft>) -> Vec<ReplicaShown> {
    w.node_ids()
        .map(|id| {
            let node = w.node(id);
            let m = node.machine();
            (
                w.is_up(id),
                node.role(),
                node.last_applied().0,
                m.queue.clone(),
                m.history.clone(),
            )
        })
        .collect()
}

fn entry_text(cmd: &Command) -> String {
    match cmd {
        Command::Noop => "no-op (a new leader's first entry)".to_owned(),
        Command::Client { request, op } => {
            let detail = match op {
                faultlab_sim::raft::Op::Add(t) => format!(" {} \"{}\"", t.id, t.title),
                faultlab_sim::raft::Op::Remove { id } | faultlab_sim::raft::Op::Metadata { id } => {
                    format!(" {id}")
                }
                faultlab_sim::raft::Op::Vote { id, up } => {
                    format!(" {id} {}", if *up { "up" } else { "down" })
                }
                _ => String::new(),
            };
            format!("{}{detail} (request {})", cmd.cmd(), request.0)
        }
    }
}

/// The log grid: one row per node, one column per index (Raft Figure 6/7), redrawn
/// when what it shows changes.
#[component]
fn LogGrid(props: &BodyProps<Vec<u64>>) -> Html {
    let scroller = use_node_ref();
    let (rows, cols, leader) = props.lab.with_world(|w| {
        let leader = Raft::leader(w);
        let cols = w
            .node_ids()
            .map(|id| w.node(id).log().len())
            .max()
            .unwrap_or(0);
        (w.node_count(), cols, leader)
    });
    // Keep the newest entries in view as the log grows (the grid scrolls sideways).
    {
        let scroller = scroller.clone();
        use_effect_with(cols, move |_| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                el.set_scroll_left(el.scroll_width());
            }
        });
    }
    let body = props.lab.with_world(|w| {
        let leader_node = leader.map(|l| w.node(l));
        w.node_ids()
            .map(|id| {
                let node = w.node(id);
                let up = w.is_up(id);
                let log = node.log();
                let commit = node.commit_index().0;
                let name = w.node_name(id);
                let (m, nx) = match (leader, leader_node) {
                    (Some(l), Some(ln)) if l != id => (
                        Some(ln.match_index()[id.index()].0),
                        Some(ln.next_index()[id.index()].0),
                    ),
                    _ => (None, None),
                };
                let cb = props.on_action.clone();
                let open = Callback::from(move |_| {
                    cb.emit(Action::Lab(LabAction::Select(Some(Selection::Node(id)))));
                });
                let cells = (1..=cols)
                    .map(|slot| {
                        let entry = log.entries().get(slot - 1);
                        let i = slot as u64;
                        let mut class = vec!["lg__cell".to_owned()];
                        let mut title = format!("index {i}");
                        let mut text = String::new();
                        if let Some(e) = entry {
                            class.push(term_class(e.term.0));
                            class.push(if i <= commit { "lg__cell--committed".into() } else { "lg__cell--pending".into() });
                            text = e.term.0.to_string();
                            title = format!(
                                "index {i}, term {}: {}{}",
                                e.term.0,
                                entry_text(&e.command),
                                if i <= commit { ", committed here" } else { ", not committed here" }
                            );
                        } else {
                            class.push("lg__cell--empty".into());
                        }
                        if i == commit {
                            class.push("lg__cell--commit".into());
                        }
                        if m == Some(i) {
                            class.push("lg__cell--match".into());
                        }
                        html! {
                            <td class={class.join(" ")} title={title} data-index={i.to_string()}>
                                { text }
                                if nx == Some(i) {
                                    <span class="lg__next" title={format!("the leader's nextIndex for {name}: {i}")}>{ "▸" }</span>
                                }
                            </td>
                        }
                    })
                    .collect::<Html>();
                // nextIndex one past every column: a marker after the grid.
                let next_after = nx.is_some_and(|n| n > cols as u64);
                html! {
                    <tr key={id.0} class={if up { "" } else { "lg__row--down" }} data-grid-node={name.clone()}
                        data-commit={commit.to_string()} data-log-len={log.len().to_string()}>
                        <th scope="row">
                            <button class="linkish" onclick={open} title="Open this node's panel">{ name.clone() }</button>
                            if leader == Some(id) { <span class="lg__crown" title="leader">{ "★" }</span> }
                        </th>
                        { cells }
                        <td class="lg__tail">
                            if next_after { <span class="lg__next" title={format!("the leader's nextIndex for {name}")}>{ "▸" }</span> }
                        </td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    let head = (1..=cols)
        .map(|i| html! { <th scope="col">{ i }</th> })
        .collect::<Html>();
    html! {
        <section class="panel loggrid" aria-label="Log grid">
            <header class="panel__head">
                <h2>{ "Replicated log" }</h2>
                <span class="muted small">{ format!("{rows} nodes · {cols} entr{}", if cols == 1 { "y" } else { "ies" }) }</span>
            </header>
            <div class="lg__scroll" ref={scroller}>
                <table class="lg">
                    <thead><tr><th scope="col" class="lg__corner">{ "node \\ index" }</th>{ head }<th class="lg__tail"></th></tr></thead>
                    <tbody>{ body }</tbody>
                </table>
            </div>
            <p class="lg__legend muted small">
                <span class="lg__key lg__cell--committed term-1">{ "1" }</span>{ "committed" }
                <span class="lg__key lg__cell--pending term-2">{ "2" }</span>{ "not yet" }
                <span class="lg__key lg__cell--commit lg__cell--committed term-3">{ "3" }</span>{ "commitIndex" }
                <span class="lg__key lg__cell--match lg__cell--committed term-4">{ "4" }</span>{ "matchIndex" }
                <span class="lg__key"><span class="lg__next">{ "▸" }</span></span>{ "nextIndex (leader's view) · digit and pattern: term" }
            </p>
        </section>
    }
}

/// A track as the queue panel compares it (id and votes).
fn track_key(t: &Track) -> (&str, i64) {
    (&t.id, t.votes)
}

/// Per position, the value most live replicas hold there (ties: the first seen).
fn majority<'a>(lists: &[&'a [Track]]) -> Vec<Option<(&'a str, i64)>> {
    let longest = lists.iter().map(|l| l.len()).max().unwrap_or(0);
    (0..longest)
        .map(|i| {
            let values: Vec<Option<(&str, i64)>> =
                lists.iter().map(|l| l.get(i).map(track_key)).collect();
            let mut best = None;
            let mut best_n = 0;
            for v in &values {
                let n = values.iter().filter(|x| *x == v).count();
                if n > best_n {
                    best_n = n;
                    best = *v;
                }
            }
            best
        })
        .collect()
}

/// Each replica's music queue and history, rows that differ from the majority marked;
/// redrawn when a replica's state machine (or role) changes.
#[component]
fn Queues(props: &BodyProps<Vec<ReplicaShown>>) -> Html {
    props.lab.with_world(|w| {
        let live: Vec<NodeId> = w.node_ids().filter(|&id| w.is_up(id)).collect();
        let queues: Vec<&[Track]> = live.iter().map(|&id| w.node(id).machine().queue.as_slice()).collect();
        let histories: Vec<&[Track]> = live.iter().map(|&id| w.node(id).machine().history.as_slice()).collect();
        let mq = majority(&queues);
        let mh = majority(&histories);
        let list = |tracks: &[Track], maj: &[Option<(&str, i64)>], what: &str, up: bool| {
            if tracks.is_empty() {
                return html! { <li class="mq__empty muted">{ format!("({what} empty)") }</li> };
            }
            tracks
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let differs = up && maj.get(i).copied().flatten() != Some(track_key(t));
                    html! {
                        <li class={if differs { "mq__track mq__track--diverged" } else { "mq__track" }}
                            title={format!("{} — {} ({} s){}", t.title, t.artist, t.duration, if differs { "; differs from the majority of live replicas" } else { "" })}>
                            <span class="mq__id">{ t.id.to_string() }</span>
                            <span class="mq__title">{ t.title.to_string() }</span>
                            <span class="mq__votes" aria-label={format!("{} votes", t.votes)}>{ format!("{:+}", t.votes) }</span>
                        </li>
                    }
                })
                .collect::<Html>()
        };
        let rows = w
            .node_ids()
            .map(|id| {
                let node = w.node(id);
                let up = w.is_up(id);
                let m = node.machine();
                let name = w.node_name(id);
                let diverged_here = up && (m.queue.iter().enumerate().any(|(i, t)| mq.get(i).copied().flatten() != Some(track_key(t)))
                    || m.queue.len() < mq.iter().filter(|x| x.is_some()).count());
                html! {
                    <li class={if up { "mq__node" } else { "mq__node mq__node--down" }} key={id.0} data-queue-node={name.clone()}
                        title={format!("Node {name} has applied its log up to index {} (lastApplied)", node.last_applied())}>
                        <div class="mq__head">
                            <b>{ name.clone() }</b>
                            <span class={format!("role-chip role-chip--{}", node.role().as_str())}>{ node.role().as_str() }</span>

                            if !up { <span class="pill pill--down">{ "crashed" }</span> }
                            if diverged_here { <span class="mq__diff" title="this replica's queue differs from the majority of live replicas">{ "≠ majority" }</span> }
                        </div>
                        <div class="mq__cols">
                            <ol class="mq__list" aria-label={format!("Queue of node {name}")}>{ list(&m.queue, &mq, "queue", up) }</ol>
                            <ol class="mq__list mq__list--history" aria-label={format!("History of node {name}")}>{ list(&m.history, &mh, "history", up) }</ol>
                        </div>
                    </li>
                }
            })
            .collect::<Html>();
        html! {
            <section class="panel mq" aria-label="Music queue per node">
                <header class="panel__head"><h2>{ "Music queue per node" }</h2><span class="muted small">{ "each replica's state machine" }</span></header>
                <div class="mq__colhead" aria-hidden="true"><span>{ "node" }</span><span>{ "queue (next first)" }</span><span>{ "history (played)" }</span></div>
                <ul class="mq__nodes">{ rows }</ul>
            </section>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::Recipe;

    #[test]
    fn the_default_run_elects_a_leader_within_a_few_seconds() {
        let mut lab = Lab::<Raft>::new("raft", Recipe::default_for::<Raft>(1)).expect("builds");
        lab.run_to_time(5_000);
        let leader = lab.with_world(Raft::leader);
        assert!(leader.is_some(), "a leader by 5 s");
        let views: Vec<NodeView> =
            lab.with_world(|w| w.node_ids().map(|id| Raft::node_view(w, id)).collect());
        assert_eq!(views.iter().filter(|v| v.role == Some("leader")).count(), 1);
    }

    #[test]
    fn every_op_has_a_form_that_parses() {
        use faultlab_sim::ScenarioProtocol;
        for op in Raft::client_ops() {
            let mut m = serde_json::Map::new();
            m.insert("op".into(), serde_json::json!(op.op));
            for f in op.fields {
                let v = match f.kind {
                    FieldKind::Text => serde_json::json!(f.default),
                    FieldKind::Int => serde_json::json!(f.default.parse::<i64>().expect("int")),
                    FieldKind::Bool => serde_json::json!(f.default == "true"),
                };
                m.insert(f.name.into(), v);
            }
            Raft::parse_request(&m).unwrap_or_else(|e| panic!("{}: {e}", op.op));
        }
        assert_eq!(Raft::client_ops().len(), 7);
    }

    #[test]
    fn majority_marks_the_odd_replica() {
        let a = vec![Track::new("1", "x", "y", 3), Track::new("2", "x", "y", 3)];
        let b = vec![Track::new("1", "x", "y", 3)];
        let m = majority(&[&a, &a, &b]);
        assert_eq!(m, vec![Some(("1", 0)), Some(("2", 0))]);
    }
}
