//! The cluster view: nodes on a ring with their role or state and a shrinking timer
//! arc, partitions as hulls around each group, cut links, messages in flight moving
//! from sender to receiver on virtual time, and recently dropped messages.
//!
//! Dragging across the empty part of the view draws a cut: on release, the nodes on
//! either side of the line become two partition groups (mouse, pen or touch; a short
//! drag is a click). Only the gesture's line lives here; the split itself is
//! [`cut_sides`], and the partition an input like any other.

use faultlab_sim::{DropReason, EventKind, Message, MsgId, NodeId, RequestId};
use wasm_bindgen::JsCast;
use yew::{
    Callback, Html, KeyboardEvent, MouseEvent, NodeRef, PointerEvent, UseStateHandle, classes,
    component, html, use_effect, use_mut_ref, use_node_ref, use_state,
};

use super::LabProps;
use super::bus_canvas::BusCanvas;
use crate::lab::{Fault, Selection};
use crate::layout::{
    Point, VIEW, arc_path, convex_hull, cut_sides, flight_progress, message_ends, message_position,
    node_position, node_radius, points_attr, polar, self_message_position, timer_remaining,
    view_point,
};
use crate::num::fixed;
use crate::plugin::{LabProtocol, NodeView, VoteDot, rpc_slot};
use crate::state::{Action, LabAction};

/// From this many messages in flight on, each is drawn as a single dot.
const DENSE_AT: usize = 64;
/// How long (virtual ms) a dropped message stays visible where it died.
const DROP_FLASH_MS: f64 = 600.0;
/// How far back in the trace to look for recent drops.
const DROP_LOOKBACK: usize = 4_000;

struct DropMark {
    id: MsgId,
    at: Point,
    age: f64,
    rpc: String,
    reason: DropReason,
}

/// A node as the cluster view draws it.
struct NodeDraw {
    id: NodeId,
    name: String,
    up: bool,
    /// Frozen by a pause fault (up, but nothing runs).
    paused: bool,
    /// Its clock rate, if skewed (1.0 is true time).
    skew: Option<f64>,
    view: NodeView,
    /// The main timer's `(set_at, fires_at)`, if armed.
    timer: Option<(u64, u64)>,
}

/// A message in flight as the cluster view draws it.
struct MsgDraw {
    id: MsgId,
    from: NodeId,
    to: NodeId,
    sent_at: u64,
    deliver_at: u64,
    rpc: &'static str,
    slot: usize,
    reply: bool,
    copy: bool,
    glyph: Option<&'static str>,
    request: Option<RequestId>,
    /// The element slot it is drawn in while the bus is dense (see [`Lanes`]).
    lane: usize,
}

/// Stable element slots for the dots of a dense bus.
///
/// Why: at the top speed a message lives less than a frame, so keying the dots by
/// message id replaced every SVG element on every frame (create, style, remove: most of
/// the frame). A message keeps its lane while it is in flight, and a delivered
/// message's lane goes to a new one, preferably of the same kind (RPC and direction),
/// so that a frame mostly moves and renumbers the elements it already has rather than
/// restyling them. The dots are drawn in lane order, so the element list keeps its
/// order from frame to frame.
#[derive(Default)]
struct Lanes {
    /// Per lane: the message it draws (none: free) and the kind it last drew.
    lanes: Vec<(Option<MsgId>, u16)>,
}

impl Lanes {
    /// Give every message of `msgs` its lane, releasing those of messages gone, and
    /// return the messages' indices in lane order. (Plain vectors and linear searches:
    /// a few hundred lanes, and no map or sort code in the bundle for them.)
    fn assign(&mut self, msgs: &mut [MsgDraw]) -> Vec<usize> {
        let mut by_lane: Vec<Option<usize>> = vec![None; self.lanes.len()];
        for m in msgs.iter_mut() {
            m.lane = usize::MAX;
        }
        for (lane, (held, _)) in self.lanes.iter_mut().enumerate() {
            let Some(id) = *held else { continue };
            if let Some(i) = msgs.iter().position(|m| m.id == id) {
                msgs[i].lane = lane;
                by_lane[lane] = Some(i);
            } else {
                *held = None;
            }
        }
        for (i, m) in msgs.iter_mut().enumerate() {
            if m.lane != usize::MAX {
                continue;
            }
            let k = dense_kind(m);
            let free = |same: bool| {
                self.lanes
                    .iter()
                    .position(|&(held, kind)| held.is_none() && (!same || kind == k))
            };
            let lane = free(true).or_else(|| free(false)).unwrap_or_else(|| {
                self.lanes.push((None, k));
                by_lane.push(None);
                self.lanes.len() - 1
            });
            self.lanes[lane] = (Some(m.id), k);
            by_lane[lane] = Some(i);
            m.lane = lane;
        }
        by_lane.into_iter().flatten().collect()
    }

    fn clear(&mut self) {
        self.lanes.clear();
    }
}

/// What a dense dot's class and `data-rpc` depend on: its RPC and direction.
fn dense_kind(m: &MsgDraw) -> u16 {
    let rpc = u16::try_from(m.slot).unwrap_or(u16::MAX / 2);
    rpc * 2 + u16::from(m.reply)
}

/// Everything the cluster view draws, read from a world. The SVG is built from this by
/// [`render`], which is not generic, so the page carries one copy of it, not one per
/// protocol.
struct ClusterModel {
    names: Vec<String>,
    groups: Vec<Vec<NodeId>>,
    cuts: Vec<(NodeId, NodeId)>,
    /// Slow links and their extra latency (ms).
    slow: Vec<(NodeId, NodeId, u64)>,
    nodes: Vec<NodeDraw>,
    msgs: Vec<MsgDraw>,
    /// The order `msgs` are drawn in (by lane on a dense bus).
    order: Vec<usize>,
    drops: Vec<DropMark>,
    selected: Option<Selection>,
    now: f64,
    /// Whether the run plays (a dense bus is then painted on the canvas).
    playing: bool,
}

impl ClusterModel {
    /// Whether each message is drawn as a single dot.
    fn dense(&self) -> bool {
        self.msgs.len() > DENSE_AT
    }

    /// Whether the dots are painted on the canvas (a dense bus, playing).
    fn playing_bus(&self) -> bool {
        self.playing && self.dense()
    }
}

/// The SVG cluster view of a lab.
#[component]
pub fn ClusterView<P: LabProtocol>(props: &LabProps<P>) -> Html {
    let lab = &props.lab;
    let now = lab.view_ms();
    let drops = recent_drops(lab, now);
    let mut model = lab.with_world(|w| ClusterModel {
        names: w.node_ids().map(|id| w.node_name(id)).collect(),
        groups: w.topology().groups(),
        cuts: w.topology().cut_links().collect(),
        slow: w
            .topology()
            .slow_links()
            .map(|((a, b), t)| (a, b, t.as_ms()))
            .collect(),
        nodes: w
            .node_ids()
            .map(|id| {
                let up = w.is_up(id);
                NodeDraw {
                    id,
                    name: w.node_name(id),
                    up,
                    paused: w.is_paused(id),
                    skew: Some(w.slot(id).skew).filter(|s| (s - 1.0).abs() > 1e-9),
                    view: P::node_view(w, id),
                    timer: if up { P::main_timer(w, id) } else { None }
                        .map(|t| (t.set_at.as_ms(), t.fires_at.as_ms())),
                }
            })
            .collect(),
        msgs: w
            .in_flight()
            .map(|env| MsgDraw {
                id: env.id,
                from: env.from,
                to: env.to,
                sent_at: env.sent_at.as_ms(),
                deliver_at: env.deliver_at.as_ms(),
                rpc: env.msg.rpc(),
                slot: rpc_slot::<P>(env.msg.rpc()),
                reply: env.msg.is_reply(),
                copy: env.copy_of.is_some(),
                glyph: P::msg_glyph(&env.msg),
                request: P::msg_request(&env.msg),
                lane: 0,
            })
            .collect(),
        order: Vec::new(),
        drops,
        selected: lab.selected,
        now,
        playing: lab.playing,
    });
    let lanes = use_mut_ref(Lanes::default);
    model.order = if model.dense() {
        lanes.borrow_mut().assign(&mut model.msgs)
    } else {
        lanes.borrow_mut().clear();
        (0..model.msgs.len()).collect()
    };
    let cut = use_state(|| None::<(Point, Point)>);
    let svg = use_node_ref();
    let gesture = CutGesture {
        line: *cut,
        handlers: cut_handlers(&cut, &svg, model.names.len(), &props.on_action),
        svg,
    };
    // A playing dense bus is drawn on a canvas over the view (see `crate::bus`): the
    // render below places the dots and lists the hooks, and this effect paints the dots
    // and writes the hooks once the DOM is written.
    let bus = Bus {
        frame: use_mut_ref(BusFrame::default),
        hooks: use_node_ref(),
    };
    let canvas = use_node_ref();
    {
        let painter = use_mut_ref(BusCanvas::default);
        let (canvas, frame, hooks) = (canvas.clone(), bus.frame.clone(), bus.hooks.clone());
        use_effect(move || {
            let mut frame = frame.borrow_mut();
            // Hooks first: the painter reads the layout, which is then up to date for
            // the rest of the frame.
            if let Some(g) = hooks.cast::<web_sys::Element>()
                && (frame.hooks_shown || !frame.hooks.is_empty())
            {
                crate::browser::set_hooks(&g, &frame.hooks);
                frame.hooks_shown = !frame.hooks.is_empty();
            }
            if let Some(c) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                painter.borrow_mut().paint(&c, &frame.dots);
            }
        });
    }
    html! {
        <>
            { render(&model, &props.on_action, &gesture, &bus) }
            <canvas class="cluster__bus" ref={canvas} hidden={!model.playing_bus()} aria-hidden="true" />
        </>
    }
}

/// A playing dense bus: what the cluster view's effect draws, and the hooks' element.
struct Bus {
    frame: std::rc::Rc<std::cell::RefCell<BusFrame>>,
    hooks: NodeRef,
}

/// What a playing dense bus shows this frame.
#[derive(Default)]
struct BusFrame {
    /// The dots (also what a click on the bus is picked from).
    dots: Vec<crate::bus::Dot>,
    /// Every message's hook, for [`crate::browser::set_hooks`].
    hooks: String,
    /// Whether the hooks' element has children.
    hooks_shown: bool,
}

/// The cut being drawn, and the pointer handlers that draw it.
struct CutGesture {
    line: Option<(Point, Point)>,
    svg: NodeRef,
    handlers: [Callback<PointerEvent>; 3],
}

/// `[down, move, up]` handlers for the cut gesture on the SVG referenced by `svg`.
fn cut_handlers(
    cut: &UseStateHandle<Option<(Point, Point)>>,
    svg: &NodeRef,
    n: usize,
    on_action: &Callback<Action>,
) -> [Callback<PointerEvent>; 3] {
    let at = {
        let svg = svg.clone();
        move |e: &PointerEvent| svg_point(&svg, e)
    };
    let down = {
        let (cut, at) = (cut.clone(), at.clone());
        Callback::from(move |e: PointerEvent| {
            // Only on empty space: nodes and messages keep their clicks.
            let on_item = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| {
                    el.closest("[data-node],[data-msg],[data-drop]")
                        .ok()
                        .flatten()
                })
                .is_some();
            if e.is_primary() && !on_item {
                cut.set(at(&e).map(|p| (p, p)));
            }
        })
    };
    let moved = {
        let (cut, at) = (cut.clone(), at.clone());
        Callback::from(move |e: PointerEvent| {
            if let (Some((a, _)), Some(p)) = (*cut, at(&e)) {
                e.prevent_default();
                cut.set(Some((a, p)));
            }
        })
    };
    let up = {
        let (cut, on_action) = (cut.clone(), on_action.clone());
        Callback::from(move |e: PointerEvent| {
            let Some((a, _)) = *cut else { return };
            let b = at(&e).unwrap_or(a);
            cut.set(None);
            let pos: Vec<Point> = (0..n).map(|i| node_position(i, n)).collect();
            if let Some((one, other)) = cut_sides(a, b, &pos) {
                let ids = |v: Vec<usize>| v.into_iter().map(NodeId::from_index).collect();
                on_action.emit(Action::Lab(LabAction::Fault(Fault::Partition(vec![
                    ids(one),
                    ids(other),
                ]))));
            }
        })
    };
    [down, moved, up]
}

/// Where a mouse or pointer event happened, in the coordinates of the view.
fn svg_point(svg: &NodeRef, e: &MouseEvent) -> Option<Point> {
    let el = svg.cast::<web_sys::Element>()?;
    let r = el.get_bounding_client_rect();
    Some(view_point(
        (f64::from(e.client_x()), f64::from(e.client_y())),
        r.left(),
        r.top(),
        r.width(),
        r.height(),
    ))
}

/// Where message `env`'s dot is at `now`.
fn dot_point(env: &MsgDraw, pos: &[Point], r: f64, now: f64) -> Point {
    let (from, to) = (pos[env.from.index()], pos[env.to.index()]);
    let t = flight_progress(env.sent_at, env.deliver_at, now);
    if env.from == env.to {
        self_message_position(from, r, t)
    } else {
        message_position(from, to, r, t)
    }
}

/// Place the dots of a playing dense bus (see [`crate::bus`]) and list its messages'
/// hooks; on any other frame, empty both. The selected message is left out: it is drawn
/// as its own element.
fn place_bus(model: &ClusterModel, pos: &[Point], r: f64, bus: &Bus) {
    use std::fmt::Write as _;
    let mut frame = bus.frame.borrow_mut();
    frame.dots.clear();
    frame.hooks.clear();
    if !model.playing_bus() {
        return;
    }
    let BusFrame { dots, hooks, .. } = &mut *frame;
    for env in model.order.iter().map(|&i| &model.msgs[i]) {
        if model.selected == Some(Selection::Message(env.id)) {
            continue;
        }
        dots.push(crate::bus::Dot {
            id: env.id,
            at: dot_point(env, pos, r, model.now),
            kind: crate::bus::kind(env.slot, env.reply),
        });
        if !hooks.is_empty() {
            hooks.push(' ');
        }
        let _ = write!(hooks, "{} {}", env.id.0, env.rpc);
    }
}

/// The cluster's SVG.
fn render(
    model: &ClusterModel,
    on_action: &Callback<Action>,
    gesture: &CutGesture,
    bus: &Bus,
) -> Html {
    let now = model.now;
    let select = |sel: Selection| {
        let cb = on_action.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(Action::Lab(LabAction::Select(Some(sel))));
        })
    };
    let select_key = |sel: Selection| {
        let cb = on_action.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                cb.emit(Action::Lab(LabAction::Select(Some(sel))));
            }
        })
    };
    {
        let n = model.names.len();
        let r = node_radius(n);
        let pos: Vec<Point> = (0..n).map(|i| node_position(i, n)).collect();
        let groups = &model.groups;
        let partitioned = groups.len() > 1;
        let selected = model.selected;
        let hulls = if partitioned {
            groups
                .iter()
                .enumerate()
                .map(|(gi, g)| {
                    let pts: Vec<Point> = g.iter().map(|id| pos[id.index()]).collect();
                    let hull = convex_hull(&pts);
                    let label_at = if pts.len() == 1 {
                        // A lone node: the label sits between it and the centre.
                        let c = Point { x: VIEW / 2.0, y: VIEW / 2.0 };
                        let d = pts[0].dist(c).max(1.0);
                        pts[0].lerp(c, ((r + 34.0) / d).min(1.0))
                    } else {
                        centroid(&pts)
                    };
                    html! {
                        <g class={format!("hull hull--{}", gi % 4)} key={format!("hull{gi}")}>
                            if hull.len() == 1 {
                                <circle cx={fmt(hull[0].x)} cy={fmt(hull[0].y)} r={fmt(r + 22.0)} />
                            } else {
                                <polygon points={points_attr(&hull)} style={format!("stroke-width:{}", fmt(2.0 * r + 44.0))} />
                            }
                            <text class="hull__label" x={fmt(label_at.x)} y={fmt(label_at.y)}>
                                { format!("group {}", gi + 1) }
                            </text>
                        </g>
                    }
                })
                .collect::<Html>()
        } else {
            Html::default()
        };

        let cuts = model
            .cuts
            .iter()
            .map(|&(a, b)| {
                let (pa, pb) = (pos[a.index()], pos[b.index()]);
                let mid = pa.lerp(pb, 0.5);
                html! {
                    <g class="cut" key={format!("cut{}-{}", a.0, b.0)}>
                        <line x1={fmt(pa.x)} y1={fmt(pa.y)} x2={fmt(pb.x)} y2={fmt(pb.y)} />
                        <text x={fmt(mid.x)} y={fmt(mid.y)}>{ "✕" }</text>
                    </g>
                }
            })
            .collect::<Html>();
        let slow = model
            .slow
            .iter()
            .map(|&(a, b, extra)| {
                let (pa, pb) = (pos[a.index()], pos[b.index()]);
                let mid = pa.lerp(pb, 0.5);
                let label = format!("+{extra} ms");
                html! {
                    <g class="slow" key={format!("slow{}-{}", a.0, b.0)} data-slow-link={format!("{}-{}", model.names[a.index()], model.names[b.index()])}
                        data-extra-ms={extra.to_string()}>
                        <title>{ format!("slow link {}–{}: every message on it takes {extra} ms longer", model.names[a.index()], model.names[b.index()]) }</title>
                        <line x1={fmt(pa.x)} y1={fmt(pa.y)} x2={fmt(pb.x)} y2={fmt(pb.y)} />
                        <text x={fmt(mid.x)} y={fmt(mid.y - 6.0)}>{ label }</text>
                    </g>
                }
            })
            .collect::<Html>();

        // While a cut is drawn, each node shows the side it would end up on.
        let sides = gesture.line.and_then(|(a, b)| cut_sides(a, b, &pos));
        let side_of = |i: usize| {
            sides.as_ref().map(|(one, _)| {
                if one.contains(&i) {
                    "node--side-a"
                } else {
                    "node--side-b"
                }
            })
        };
        let cut_line = gesture.line.map_or_else(Html::default, |(a, b)| {
            let valid = sides.is_some();
            html! {
                <line class={classes!("cutline", valid.then_some("cutline--valid"))} data-cutline={valid.to_string()}
                    x1={fmt(a.x)} y1={fmt(a.y)} x2={fmt(b.x)} y2={fmt(b.y)} />
            }
        });
        let nodes = model
            .nodes
            .iter()
            .map(|d| {
                let id = d.id;
                let p = pos[id.index()];
                let up = d.up;
                let view = &d.view;
                let name = &d.name;
                let arc = d.timer.map(|(set_at, fires_at)| {
                    arc_path(Point { x: 0.0, y: 0.0 }, r + 7.0, timer_remaining(set_at, fires_at, now))
                });
                let paused = d.paused;
                let label = if !up {
                    "crashed".to_owned()
                } else if paused {
                    "paused".to_owned()
                } else {
                    view.label.clone()
                };
                let aria = format!(
                    "Node {name}, {}{}{}",
                    if up { "" } else { "crashed, " },
                    if paused { "paused, " } else { "" },
                    view.label
                );
                let skew = d.skew.map(|s| format!("clock ×{}", crate::num::trimmed(s, 2)));
                let class = classes!(
                    "node",
                    format!("node--{}", view.class),
                    (!up).then_some("node--down"),
                    paused.then_some("node--paused"),
                    (selected == Some(Selection::Node(id))).then_some("node--selected"),
                    side_of(id.index()),
                );
                html! {
                    <g class={class} key={format!("n{}", id.0)} data-node={name.clone()} data-up={up.to_string()}
                        data-paused={paused.then_some("true")} data-skew={skew.clone()}
                        data-role={view.role} data-state={view.state.clone()}
                        data-term={view.term.map(|t| t.to_string())}
                        transform={format!("translate({} {})", fmt(p.x), fmt(p.y))}
                        role="button" tabindex="0" aria-label={aria}
                        onclick={select(Selection::Node(id))} onkeydown={select_key(Selection::Node(id))}>
                        <circle class="node__track" r={fmt(r + 7.0)} />
                        if let Some(d) = arc {
                            <path class="node__timer" d={d} />
                        }
                        <circle class="node__body" r={fmt(r)} />
                        <text class="node__name" y="-4" style={name_style(name, r)}>{ name.clone() }</text>
                        <text class="node__label" y={fmt(r * 0.42)}>{ label }</text>
                        if let Some(s) = skew {
                            <text class="node__skew" y={fmt(r + 20.0)}>{ s }</text>
                        }
                        if let Some(term) = view.term {
                            <circle class={format!("node__termring term-{}", term % crate::raft_view::TERM_STYLES)} r={fmt(r - 4.0)} />
                            <text class="node__term" y={fmt(-r * 0.48)}>{ format!("T{term}") }</text>
                        }
                        { vote_dots(&view.votes, &model.names, r) }
                        if !up {
                            <path class="node__cross" d={format!("M {a} {a} L {b} {b} M {b} {a} L {a} {b}", a = fmt(-r * 0.5), b = fmt(r * 0.5))} />
                        }
                    </g>
                }
            })
            .collect::<Html>();

        // With many messages in flight each is drawn as one dot (no trail, arrow or
        // glyph, not focusable one by one): a busy bus stays at the frame rate.
        let dense = model.dense();
        place_bus(model, &pos, r, bus);
        let messages = model
            .order
            .iter()
            .filter(|&&i| {
                !model.playing_bus() || selected == Some(Selection::Message(model.msgs[i].id))
            })
            .map(|&i| {
                let env = &model.msgs[i];
                let from = pos[env.from.index()];
                let to = pos[env.to.index()];
                let t = flight_progress(env.sent_at, env.deliver_at, now);
                let path = |t: f64| {
                    if env.from == env.to { self_message_position(from, r, t) } else { message_position(from, to, r, t) }
                };
                let at = path(t);
                let rpc = env.rpc;
                let reply = env.reply;
                if dense {
                    let class: yew::AttrValue = if selected == Some(Selection::Message(env.id)) {
                        format!("{} msg--selected", dense_class(env.slot, reply)).into()
                    } else {
                        dense_class(env.slot, reply).into()
                    };
                    #[allow(clippy::cast_possible_truncation)]
                    let (dx, dy) = (at.x.round() as i64, at.y.round() as i64);
                    return html! {
                        <circle class={class} key={env.lane} data-msg={env.id.0.to_string()} data-rpc={rpc}
                            transform={format!("translate({dx} {dy})")} r="7" />
                    };
                }
                let ahead = path((t + 0.06).min(1.0));
                let behind = path((t - 0.12).max(0.0));
                let glyph = env.glyph;
                let request = env.request;
                let class = classes!(
                    "msg",
                    format!("rpc-{}", env.slot),
                    reply.then_some("msg--reply"),
                    env.copy.then_some("msg--copy"),
                    request.is_some().then_some("msg--client"),
                    (selected == Some(Selection::Message(env.id))).then_some("msg--selected"),
                );
                let angle = crate::num::atan2(ahead.y - at.y, ahead.x - at.x).to_degrees();
                let aria = format!(
                    "Message {} {rpc}{} from {} to {}",
                    env.id.0,
                    if reply { " reply" } else { "" },
                    model.names[env.from.index()],
                    model.names[env.to.index()]
                );
                html! {
                    <g class={class} key={format!("m{}", env.id.0)} data-msg={env.id.0.to_string()} data-rpc={rpc}
                        data-request={request.map(|q| q.0.to_string())}
                        role="button" tabindex="0" aria-label={aria}>
                        <line class="msg__trail" x1={fmt(behind.x)} y1={fmt(behind.y)} x2={fmt(at.x)} y2={fmt(at.y)} />
                        <g transform={format!("translate({} {}) rotate({})", fmt(at.x), fmt(at.y), fmt(angle))}>
                            <circle class="msg__hit" r="16" />
                            if reply {
                                <rect class="msg__dot" x="-9" y="-9" width="18" height="18" rx="4" />
                            } else {
                                <circle class="msg__dot" r="10" />
                            }
                            <path class="msg__head" d="M 12 -5 L 18 0 L 12 5" />
                        </g>
                        if let Some(g) = glyph {
                            <text class="msg__glyph" x={fmt(at.x)} y={fmt(at.y)}>{ g }</text>
                        }
                    </g>
                }
            })
            .collect::<Html>();

        let drop_marks = model
            .drops
            .iter()
            .map(|d| {
                let opacity = crate::num::clamp(1.0 - d.age / DROP_FLASH_MS, 0.15, 1.0);
                html! {
                    <g class="drop" key={format!("d{}", d.id.0)} data-dropped={d.id.0.to_string()} data-rpc={d.rpc.clone()}
                        data-reason={format!("{:?}", d.reason).to_ascii_lowercase()}
                        transform={format!("translate({} {})", fmt(d.at.x), fmt(d.at.y))}
                        style={format!("opacity:{}", fixed(opacity, 2))}>
                        <circle r="11" />
                        <path d="M -5 -5 L 5 5 M 5 -5 L -5 5" />
                    </g>
                }
            })
            .collect::<Html>();

        // One pair of handlers for every message (they are found by their `data-msg`):
        // the elements are reused from frame to frame and carry no listener of their own.
        let on_msg_click = {
            let cb = on_action.clone();
            Callback::from(move |e: MouseEvent| {
                if let Some(id) = msg_target(&e) {
                    e.stop_propagation();
                    cb.emit(Action::Lab(LabAction::Select(Some(Selection::Message(id)))));
                }
            })
        };
        let on_msg_key = {
            let cb = on_action.clone();
            Callback::from(move |e: KeyboardEvent| {
                if (e.key() == "Enter" || e.key() == " ")
                    && let Some(id) = msg_target(&e)
                {
                    e.prevent_default();
                    e.stop_propagation();
                    cb.emit(Action::Lab(LabAction::Select(Some(Selection::Message(id)))));
                }
            })
        };
        // A click on empty space deselects, unless it lands on a dot of a playing dense
        // bus (drawn on the canvas over the view, which lets clicks through): that
        // selects the message under the pointer.
        let deselect = {
            let cb = on_action.clone();
            let (svg, frame) = (gesture.svg.clone(), bus.frame.clone());
            Callback::from(move |e: MouseEvent| {
                let picked =
                    svg_point(&svg, &e).and_then(|at| crate::bus::pick(&frame.borrow().dots, at));
                cb.emit(Action::Lab(LabAction::Select(
                    picked.map(Selection::Message),
                )));
            })
        };
        html! {
            <svg class={classes!("cluster", gesture.line.is_some().then_some("cluster--cutting"))}
                viewBox={format!("0 0 {v} {v}", v = fmt(VIEW))} preserveAspectRatio="xMidYMid meet"
                role="group" aria-label={format!("Cluster of {n} nodes (drag across it to partition)")} onclick={deselect}
                ref={gesture.svg.clone()} onpointerdown={gesture.handlers[0].clone()}
                onpointermove={gesture.handlers[1].clone()} onpointerup={gesture.handlers[2].clone()}
                onpointercancel={gesture.handlers[2].clone()}>
                <g class="cluster__hulls">{ hulls }</g>
                <g class="cluster__cuts">{ cuts }{ slow }</g>
                <g class="cluster__nodes">{ nodes }</g>
                <g class="cluster__drops">{ drop_marks }</g>
                <g class="cluster__msgs" onclick={on_msg_click} onkeydown={on_msg_key}>{ messages }</g>
                <g class="cluster__hooks" display="none" aria-hidden="true" ref={bus.hooks.clone()} />
                { cut_line }
            </svg>
        }
    }
}

/// Messages that died in the last [`DROP_FLASH_MS`] of virtual time, placed where they
/// were when they died.
fn recent_drops<P: LabProtocol>(lab: &crate::lab::Lab<P>, now: f64) -> Vec<DropMark> {
    lab.with_world(|w| {
        let n = w.node_count();
        let r = node_radius(n);
        lab.with_trace(|trace| {
            let start = trace.len().saturating_sub(DROP_LOOKBACK);
            let recent = trace.range(start..);
            let mut out = Vec::new();
            for ev in recent.iter().rev() {
                let at_ms = ms(ev.at.as_ms());
                if now - at_ms > DROP_FLASH_MS {
                    break;
                }
                if let EventKind::Dropped {
                    msg,
                    from,
                    to,
                    rpc,
                    reason,
                } = &ev.kind
                {
                    let (pf, pt) = (node_position(from.index(), n), node_position(to.index(), n));
                    let t = recent
                        .iter()
                        .rev()
                        .find_map(|e| match &e.kind {
                            EventKind::Sent {
                                msg: m, deliver_at, ..
                            } if m == msg => {
                                Some(flight_progress(e.at.as_ms(), deliver_at.as_ms(), at_ms))
                            }
                            _ => None,
                        })
                        .unwrap_or(1.0);
                    let at = if *from == *to {
                        message_ends(pf, pt, r).1
                    } else {
                        message_position(pf, pt, r, t)
                    };
                    out.push(DropMark {
                        id: *msg,
                        at,
                        age: (now - at_ms).max(0.0),
                        rpc: rpc.clone(),
                        reason: *reason,
                    });
                }
            }
            out
        })
    })
}

/// The message an event happened on: the nearest element with a `data-msg`.
fn msg_target(e: &web_sys::Event) -> Option<MsgId> {
    let el = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let msg = el.closest("[data-msg]").ok()??;
    msg.get_attribute("data-msg")?.parse().ok().map(MsgId)
}

/// The class of a dot on a dense bus (static strings: hundreds are set per frame).
fn dense_class(slot: usize, reply: bool) -> &'static str {
    const PLAIN: [&str; 10] = [
        "msg msg--dense rpc-0",
        "msg msg--dense rpc-1",
        "msg msg--dense rpc-2",
        "msg msg--dense rpc-3",
        "msg msg--dense rpc-4",
        "msg msg--dense rpc-5",
        "msg msg--dense rpc-6",
        "msg msg--dense rpc-7",
        "msg msg--dense rpc-8",
        "msg msg--dense rpc-9",
    ];
    const REPLY: [&str; 10] = [
        "msg msg--dense rpc-0 msg--reply",
        "msg msg--dense rpc-1 msg--reply",
        "msg msg--dense rpc-2 msg--reply",
        "msg msg--dense rpc-3 msg--reply",
        "msg msg--dense rpc-4 msg--reply",
        "msg msg--dense rpc-5 msg--reply",
        "msg msg--dense rpc-6 msg--reply",
        "msg msg--dense rpc-7 msg--reply",
        "msg msg--dense rpc-8 msg--reply",
        "msg msg--dense rpc-9 msg--reply",
    ];
    let table = if reply { &REPLY } else { &PLAIN };
    table[slot % 10]
}

/// A candidate's ballot as small dots on an arc above its circle, one per peer.
fn vote_dots(votes: &[(NodeId, VoteDot)], names: &[String], radius: f64) -> Html {
    if votes.is_empty() {
        return Html::default();
    }
    #[allow(clippy::cast_precision_loss)]
    let count = votes.len() as f64;
    let span = (0.22 * count).min(1.9);
    votes
        .iter()
        .enumerate()
        .map(|(i, (peer, v))| {
            #[allow(clippy::cast_precision_loss)]
            let frac = if votes.len() == 1 { 0.5 } else { i as f64 / (count - 1.0) };
            let angle = -std::f64::consts::FRAC_PI_2 - span / 2.0 + span * frac;
            let Point { x, y } = polar(Point { x: 0.0, y: 0.0 }, radius + 16.0, angle);
            html! {
                <g class={format!("vote vote--{}", v.name())} data-vote={v.name()} transform={format!("translate({} {})", fmt(x), fmt(y))}>
                    <title>{ format!("node {}: vote {}", names.get(peer.index()).map_or("?", String::as_str), v.name().replace('-', " ")) }</title>
                    <circle r="5" />
                    if *v == VoteDot::Refused {
                        <path d="M -3 -3 L 3 3 M 3 -3 L -3 3" />
                    }
                </g>
            }
        })
        .collect()
}

/// Long names (`grpc-node2`) get a smaller font so they fit inside the circle.
fn name_style(name: &str, r: f64) -> Option<String> {
    let len = name.chars().count();
    if len <= 3 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let size = crate::num::clamp(2.9 * r / len as f64, 9.0, 20.0);
    Some(format!("font-size:{}px", fixed(size, 1)))
}

fn centroid(pts: &[Point]) -> Point {
    let n = pts.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let k = n as f64;
    let sx: f64 = pts.iter().map(|p| p.x).sum();
    let sy: f64 = pts.iter().map(|p| p.y).sum();
    let c = Point {
        x: sx / k,
        y: sy / k,
    };
    // Pull the label towards the centre of the view so it sits inside the hull.
    c.lerp(
        Point {
            x: VIEW / 2.0,
            y: VIEW / 2.0,
        },
        0.35,
    )
}

fn fmt(v: f64) -> String {
    fixed(v, 1)
}

fn ms(v: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let f = v as f64;
    f
}

/// A node's id from its index (re-exported for the panels).
pub fn node_at(i: usize) -> NodeId {
    NodeId::from_index(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: u64, slot: usize, reply: bool) -> MsgDraw {
        MsgDraw {
            id: MsgId(id),
            from: NodeId(0),
            to: NodeId(1),
            sent_at: 0,
            deliver_at: 1,
            rpc: "AppendEntries",
            slot,
            reply,
            copy: false,
            glyph: None,
            request: None,
            lane: 0,
        }
    }

    fn lanes_of(msgs: &[MsgDraw], order: &[usize]) -> Vec<(u64, usize)> {
        order
            .iter()
            .map(|&i| (msgs[i].id.0, msgs[i].lane))
            .collect()
    }

    #[test]
    fn messages_keep_their_lane_and_new_ones_reuse_a_lane_of_their_kind() {
        let mut lanes = Lanes::default();
        let mut a = vec![msg(1, 0, false), msg(2, 1, true), msg(3, 0, false)];
        let order = lanes.assign(&mut a);
        assert_eq!(lanes_of(&a, &order), vec![(1, 0), (2, 1), (3, 2)]);
        // 1 and 2 delivered; 4 (a reply of slot 1) takes 2's lane, 5 takes 1's.
        let mut b = vec![
            msg(3, 0, false),
            msg(4, 1, true),
            msg(5, 0, false),
            msg(6, 3, false),
        ];
        let order = lanes.assign(&mut b);
        assert_eq!(lanes_of(&b, &order), vec![(5, 0), (4, 1), (3, 2), (6, 3)]);
        // Every live message has its own lane.
        let mut seen: Vec<usize> = b.iter().map(|m| m.lane).collect();
        seen.dedup();
        assert_eq!(seen.len(), b.len());
    }
}
