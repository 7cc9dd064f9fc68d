//! The space-time diagram's layout (`ShiViz` style): one vertical lifeline per node,
//! time running down, every message an arrow from its send to its delivery, drops as
//! ✕ where the message died, crashes, restarts, network changes, state changes and
//! client requests as marks on the lifelines, and a "now" line at the cursor.
//!
//! Only the stretch of the run around an anchor (the cursor, or where the user panned
//! to) is laid out: [`timescale`] finds the trace indices that reach the screen, so the
//! cost follows what is visible, not the run's length. Events after the cursor (when
//! viewing the past) are laid out too and flagged `future`, drawn faintly.
//!
//! This module owns the geometry: lanes, arrows, marks and labels with coordinates in
//! CSS pixels. It is plain Rust with native tests; it must not touch the DOM, the
//! clock or the lab's state (it reads a lab, never changes it).

// Geometry reads best in its own letters: x, y, t (time), k (px per ms), n (lanes).
#![allow(clippy::many_single_char_names)]

pub mod happening;
pub mod notes;
pub mod svg;
pub mod timescale;

use faultlab_sim::{DropReason, MsgId, NodeId, SortedMap};

use happening::{Happened, Happening, NetChange, Wire};
pub use happening::{SpacetimeProtocol, StateMark};
use timescale::{Anchor, Beat, Break, TimeScale};

use crate::lab::Lab;
use crate::layout::Point;
use crate::num::Dec;

/// Zoom levels: pixels per millisecond of time with messages in flight.
pub const ZOOMS: [f64; 7] = [0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
/// The zoom a fresh diagram starts at (1 px per ms: Raft's 10–40 ms messages are
/// clearly slanted).
pub const DEFAULT_ZOOM: usize = 3;
/// Where the now line sits when following the cursor (fraction of the plot's height);
/// below it, the run's future when viewing the past.
pub const NOW_AT: f64 = 0.8;
/// Width of the time axis on the left (px).
pub const GUTTER: f64 = 54.0;
/// Room right of the last lane, for self-messages and labels (px).
pub const RIGHT_PAD: f64 = 16.0;
/// Header height with one-line node names (px).
const HEADER_ONE: f64 = 44.0;
/// Header height when some names wrap onto two lines (px).
const HEADER_TWO: f64 = 56.0;
/// Trace events laid out at most on each side of the anchor.
const BUDGET: usize = 20_000;
/// Arrows drawn at most (a dense chaos run stays responsive; zoom in to see all).
const MAX_ARROWS: usize = 1_500;
/// Time labels at least this far apart (px).
const LABEL_SPACING: f64 = 38.0;
/// Mark labels that overlap horizontally are at least this far apart (px); a label that
/// fits nowhere is left out (its mark keeps its glyph and tooltip).
const MARK_LABEL_SPACING: f64 = 13.0;
/// Shortest drawn stub of a message dropped as it left (px).
const DROP_STUB: f64 = 12.0;
/// Where an arrow whose send is out of reach starts, above the plot (px).
const ABOVE: f64 = 24.0;

/// How the user is looking at the diagram: the zoom, and whether it follows the
/// cursor or is pinned at a moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Index into [`ZOOMS`].
    pub zoom: usize,
    /// The virtual time (ms) drawn where the now line would be; `None` follows the
    /// cursor.
    pub pin: Option<f64>,
}

impl Default for View {
    fn default() -> Self {
        View {
            zoom: DEFAULT_ZOOM,
            pin: None,
        }
    }
}

impl View {
    /// Pixels per ms of busy time.
    pub fn px_per_ms(self) -> f64 {
        ZOOMS[self.zoom.min(ZOOMS.len() - 1)]
    }

    /// One zoom step in (`true`) or out, keeping the anchor.
    #[must_use]
    pub fn zoomed(self, zoom_in: bool) -> View {
        let zoom = if zoom_in {
            (self.zoom + 1).min(ZOOMS.len() - 1)
        } else {
            self.zoom.saturating_sub(1)
        };
        View { zoom, ..self }
    }
}

/// The drawing's size in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// A node at the cursor, as the lane header shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneInfo {
    /// The node's name as the page shows it.
    pub name: String,
    /// Its role or state at the cursor (`LEADER`, `READY`).
    pub state: String,
    /// The cluster view's CSS modifier for that state.
    pub class: &'static str,
    /// Up at the cursor.
    pub up: bool,
}

/// One lifeline's header and position.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// Its node.
    pub node: NodeId,
    /// The lifeline's x.
    pub x: f64,
    /// The name, on one or two lines.
    pub name: Vec<String>,
    /// The name's font size (px).
    pub name_px: f64,
    /// The full name.
    pub full_name: String,
    /// Role or state at the cursor, shortened to fit.
    pub state: String,
    /// Its font size (px).
    pub state_px: f64,
    /// Its CSS modifier.
    pub class: &'static str,
    /// Up at the cursor.
    pub up: bool,
}

/// A stretch of a lifeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Lane index.
    pub lane: usize,
    /// Top.
    pub y0: f64,
    /// Bottom.
    pub y1: f64,
    /// The node was up (solid) or crashed (dashed).
    pub up: bool,
}

/// How an arrow ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// At the receiver: it was delivered.
    Delivered,
    /// Where it died: an ✕.
    Dropped(DropReason),
    /// Still in flight at the cursor: open-ended on the now line.
    InFlight,
    /// Beyond what was laid out (or still in flight at the head): at its planned
    /// delivery, without a head.
    Unknown,
}

/// A message drawn as an arrow (a message in flight at the cursor while viewing the
/// past is two: the past up to the now line, and its future, faint).
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    /// What it carries.
    pub wire: Wire,
    /// A duplicate made by the bus or the user.
    pub copy: bool,
    /// Start.
    pub from: Point,
    /// End.
    pub to: Point,
    /// For a message to the sender itself: the x the loop bulges out to.
    pub bulge: Option<f64>,
    /// The send's event, when it was laid out and this arrow starts there.
    pub send_event: Option<u64>,
    /// The event at `to` (delivery or drop), when known.
    pub end_event: Option<u64>,
    /// How it ends.
    pub end: End,
    /// After the cursor (drawn faintly).
    pub future: bool,
    /// Sent or ended at the cursor.
    pub current: bool,
}

impl Arrow {
    /// The SVG path of its shaft.
    pub fn path(&self) -> String {
        let (a, b) = (self.from, self.to);
        match self.bulge {
            Some(bx) => format!(
                "M{} {}C{bx} {} {bx} {} {} {}",
                Dec(a.x, 1),
                Dec(a.y, 1),
                Dec(a.y, 1),
                Dec(b.y, 1),
                Dec(b.x, 1),
                Dec(b.y, 1),
                bx = Dec(bx, 1)
            ),
            None => format!(
                "M{} {}L{} {}",
                Dec(a.x, 1),
                Dec(a.y, 1),
                Dec(b.x, 1),
                Dec(b.y, 1)
            ),
        }
    }

    /// The SVG path of its head (delivered and in-flight messages), pointing along
    /// the shaft's last stretch.
    pub fn head(&self) -> Option<String> {
        if !matches!(self.end, End::Delivered | End::InFlight) {
            return None;
        }
        let tip = self.to;
        let back = match self.bulge {
            Some(bx) => Point { x: bx, y: tip.y },
            None => self.from,
        };
        let (dx, dy) = (tip.x - back.x, tip.y - back.y);
        let len = dx.hypot(dy);
        if len < 1e-6 {
            return None;
        }
        let (ux, uy) = (dx / len, dy / len);
        let (l, w) = (8.0, 4.0);
        let base = Point {
            x: tip.x - ux * l,
            y: tip.y - uy * l,
        };
        Some(format!(
            "M{} {}L{} {}L{} {}",
            Dec(base.x - uy * w, 1),
            Dec(base.y + ux * w, 1),
            Dec(tip.x, 1),
            Dec(tip.y, 1),
            Dec(base.x + uy * w, 1),
            Dec(base.y - ux * w, 1)
        ))
    }
}

/// What a mark on a lifeline stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// The node crashed.
    Crash,
    /// The node restarted.
    Restart,
    /// A role or state change.
    State,
    /// A client request arrived.
    Request,
    /// A client request was answered.
    Response,
    /// The user forced the node's main timeout.
    Timeout,
    /// A pause, a resume or a clock skew.
    Fault,
}

impl MarkKind {
    /// The CSS modifier and `data-mark` value.
    pub fn name(self) -> &'static str {
        match self {
            MarkKind::Crash => "crash",
            MarkKind::Restart => "restart",
            MarkKind::State => "state",
            MarkKind::Request => "request",
            MarkKind::Response => "response",
            MarkKind::Timeout => "timeout",
            MarkKind::Fault => "fault",
        }
    }
}

/// A mark on a lifeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Lane index.
    pub lane: usize,
    /// Where.
    pub y: f64,
    /// What.
    pub kind: MarkKind,
    /// The words drawn beside it (empty when it would overlap the previous label).
    pub label: String,
    /// The label goes on the left of the lifeline (it would run off the right edge).
    pub label_left: bool,
    /// A CSS modifier (state marks: the state's class).
    pub class: &'static str,
    /// The tooltip.
    pub detail: String,
    /// Its event.
    pub event: u64,
    /// After the cursor.
    pub future: bool,
    /// At the cursor.
    pub current: bool,
}

/// A network change, drawn across every lifeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Where.
    pub y: f64,
    /// `partition 1 2 | 3 4 5`, `heal`…
    pub label: String,
    /// A heal or restored link (drawn green) rather than a cut.
    pub heal: bool,
    /// Its event.
    pub event: u64,
    /// After the cursor.
    pub future: bool,
    /// At the cursor.
    pub current: bool,
}

/// A time label on the axis.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeLabel {
    /// Where.
    pub y: f64,
    /// Seconds, `12.345`.
    pub text: String,
}

/// Everything the diagram draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    /// The size.
    pub frame: Frame,
    /// Height of the lane header; the plot is below it.
    pub header: f64,
    /// Lifeline headers.
    pub lanes: Vec<Lane>,
    /// Lifelines, up and down stretches.
    pub lifelines: Vec<Segment>,
    /// Messages.
    pub arrows: Vec<Arrow>,
    /// Marks on lifelines.
    pub marks: Vec<Mark>,
    /// Network changes.
    pub rules: Vec<Rule>,
    /// Time labels.
    pub labels: Vec<TimeLabel>,
    /// Squeezed idle stretches (within the plot).
    pub breaks: Vec<Break>,
    /// The now line's y (may lie outside the plot when panned away).
    pub now_y: f64,
    /// The cursor's event.
    pub cursor: u64,
    /// The cursor's virtual time (ms).
    pub now_ms: f64,
    /// The anchor (the pin, or the cursor).
    pub anchor: Anchor,
    /// The time axis.
    pub scale: TimeScale,
    /// Trace events laid out.
    pub scanned: usize,
    /// The latest time the view may be pinned at (ms).
    pub end_ms: f64,
}

impl Diagram {
    /// Top of the plot.
    pub fn top(&self) -> f64 {
        self.header
    }

    /// Whether the now line is inside the plot.
    pub fn now_visible(&self) -> bool {
        self.now_y >= self.header && self.now_y <= self.frame.height
    }

    /// The view after panning by `dy` px (positive: later).
    pub fn panned(&self, view: View, dy: f64) -> View {
        let t = crate::num::clamp(self.scale.time_at(self.anchor.y + dy), 0.0, self.end_ms);
        View {
            pin: Some(t),
            ..view
        }
    }
}

/// What the layout reads: accessors over the run's trace (all of it, past the cursor
/// too), the nodes at the cursor, and the cursor.
pub struct Source<'a> {
    /// Trace length.
    pub len: usize,
    /// Time (and due time of a send) of trace entry `i`.
    pub beat: &'a dyn Fn(usize) -> Beat,
    /// Trace entry `i` as the diagram sees it.
    pub happened: &'a dyn Fn(usize) -> Happened,
    /// Which nodes were up before trace entry `i`.
    pub up_before: &'a dyn Fn(usize) -> Vec<bool>,
    /// The nodes at the cursor.
    pub lanes: Vec<LaneInfo>,
    /// The cursor's event.
    pub cursor: u64,
    /// The newest event of the run.
    pub head: u64,
    /// The cursor's virtual time (ms).
    pub now_ms: f64,
}

/// A message's life as far as the laid-out events tell.
struct Flight {
    wire: Wire,
    copy: bool,
    /// `(time, event)` of the send, if laid out.
    sent: Option<(f64, u64)>,
    /// When it is due (ms): its delivery time, or when it was expedited.
    due: f64,
    /// `(time, event, how)` of its end, if laid out.
    end: Option<(f64, u64, End)>,
}

impl Flight {
    fn sent(wire: Wire, copy: bool, sent: (f64, u64), due: f64) -> Flight {
        Flight {
            wire,
            copy,
            sent: Some(sent),
            due,
            end: None,
        }
    }

    /// Record a message's end (its send may lie before what was laid out).
    fn end(flights: &mut SortedMap<MsgId, Flight>, wire: Wire, end: (f64, u64, End)) {
        let f = flights.entry(wire.msg).or_insert(Flight {
            wire,
            copy: false,
            sent: None,
            due: end.0,
            end: None,
        });
        f.end = Some(end);
    }
}

/// Split a name that does not fit a lane onto two lines at its last `-`, and pick a
/// font size (px) that fits.
fn fit_name(name: &str, lane_w: f64) -> (Vec<String>, f64) {
    let room = (lane_w - 6.0).max(10.0);
    let size_for = |chars: usize| {
        #[allow(clippy::cast_precision_loss)]
        let c = chars.max(1) as f64;
        (room / (c * 0.62)).min(12.0)
    };
    let whole = name.chars().count();
    if size_for(whole) >= 12.0 {
        return (vec![name.to_owned()], 12.0);
    }
    if let Some(i) = name.rfind('-') {
        let (a, b) = (&name[..=i], &name[i + 1..]);
        let longest = a.chars().count().max(b.chars().count());
        return (vec![a.to_owned(), b.to_owned()], size_for(longest).max(8.0));
    }
    (vec![name.to_owned()], size_for(whole).max(8.0))
}

/// A state word that fits a lane, and its font size (px): whole at up to 9 px, down
/// to 7.5 px, else its first letter.
fn fit_state(state: &str, lane_w: f64) -> (String, f64) {
    // Bold capitals with letter spacing: about 0.8 em each.
    #[allow(clippy::cast_precision_loss)]
    let em = state.chars().count().max(1) as f64 * 0.8;
    let px = ((lane_w - 14.0) / em).min(9.0);
    if px >= 7.5 {
        (state.to_owned(), px)
    } else {
        (state.chars().take(1).collect(), 9.0)
    }
}

fn net_label(change: &NetChange, names: &[String]) -> (String, bool) {
    let name = |n: &NodeId| names.get(n.index()).map_or("?", String::as_str);
    match change {
        NetChange::Partition(groups) => {
            let parts: Vec<String> = groups
                .iter()
                .map(|g| g.iter().map(name).collect::<Vec<_>>().join(" "))
                .collect();
            (format!("partition {}", parts.join(" | ")), false)
        }
        NetChange::Isolate(n) => (format!("isolate {}", name(n)), false),
        NetChange::Link(a, b, up) => (
            format!(
                "{} {}–{}",
                if *up { "link" } else { "cut" },
                name(a),
                name(b)
            ),
            *up,
        ),
        NetChange::Slow(a, b, 0) => (format!("fast {}–{}", name(a), name(b)), true),
        NetChange::Slow(a, b, extra) => {
            (format!("slow {}–{} +{extra} ms", name(a), name(b)), false)
        }
        NetChange::Heal => ("heal".to_owned(), true),
    }
}

/// Put each mark's label right of its lifeline, else left, else (it would cover
/// another label or a glyph) leave it out: the glyph stays, with the words in its
/// tooltip. Marks are placed in time order.
fn place_labels(marks: &mut [Mark], lanes: &[Lane], width: f64) {
    const GLYPH: f64 = 8.0;
    let x_of = |m: &Mark| lanes.get(m.lane).map_or(0.0, |l| l.x);
    // Boxes taken so far, as (x0, x1, y): every glyph, then each label placed.
    let mut taken: Vec<(f64, f64, f64)> = marks
        .iter()
        .map(|m| (x_of(m) - GLYPH, x_of(m) + GLYPH, m.y))
        .collect();
    for m in marks.iter_mut() {
        if m.label.is_empty() {
            continue;
        }
        let x = x_of(m);
        // Labels are 9.5 px bold capitals: about 0.7 em per character.
        #[allow(clippy::cast_precision_loss)]
        let w = m.label.chars().count() as f64 * 9.5 * 0.7;
        let free = |(a, b): (f64, f64)| {
            a >= 0.0
                && b <= width - 2.0
                && !taken
                    .iter()
                    .any(|&(ta, tb, ty)| a < tb && ta < b && (ty - m.y).abs() < MARK_LABEL_SPACING)
        };
        let right = (x + 9.0, x + 9.0 + w);
        let left = (x - 9.0 - w, x - 9.0);
        let side = if free(right) {
            Some((right, false))
        } else if free(left) {
            Some((left, true))
        } else {
            None
        };
        match side {
            Some(((a, b), on_left)) => {
                taken.push((a, b, m.y));
                m.label_left = on_left;
            }
            None => m.label.clear(),
        }
    }
}

/// Lay the diagram out.
pub fn layout(src: &Source<'_>, view: View, frame: Frame) -> Diagram {
    let n = src.lanes.len().max(1);
    let left = GUTTER;
    let right = (frame.width - RIGHT_PAD).max(left + 10.0);
    #[allow(clippy::cast_precision_loss)]
    let lane_w = (right - left) / n as f64;
    let names: Vec<String> = src.lanes.iter().map(|l| l.name.clone()).collect();
    let lanes: Vec<Lane> = src
        .lanes
        .iter()
        .enumerate()
        .map(|(i, info)| {
            let (name, name_px) = fit_name(&info.name, lane_w);
            let (state, state_px) = fit_state(&info.state, lane_w);
            #[allow(clippy::cast_precision_loss)]
            let x = left + (i as f64 + 0.5) * lane_w;
            Lane {
                node: NodeId::from_index(i),
                x,
                name,
                name_px,
                full_name: info.name.clone(),
                state,
                state_px,
                class: info.class,
                up: info.up,
            }
        })
        .collect();
    let header = if lanes.iter().any(|l| l.name.len() > 1) {
        HEADER_TWO
    } else {
        HEADER_ONE
    };
    let top = header;
    let bottom = frame.height.max(top + 20.0);
    let plot_h = bottom - top;
    let k = view.px_per_ms();
    let anchor = Anchor {
        t: view.pin.unwrap_or(src.now_ms),
        y: top + NOW_AT * plot_h,
    };
    let (scale, span) = TimeScale::build(
        src.beat,
        src.len,
        anchor,
        anchor.y - top + plot_h,
        bottom - anchor.y + plot_h * 0.5,
        k,
        BUDGET,
    );
    let y = |t: f64| scale.y(t);
    let lane_x = |node: NodeId| lanes.get(node.index()).map_or(left, |l| l.x);
    let visible = |a: f64, b: f64| a.max(b) >= top - 2.0 && a.min(b) <= bottom + 2.0;
    let cursor = src.cursor;

    let mut flights: SortedMap<MsgId, Flight> = SortedMap::new();
    let mut marks: Vec<Mark> = Vec::new();
    let mut rules: Vec<Rule> = Vec::new();
    let mut up = (src.up_before)(span.start);
    up.resize(n, true);
    let mut seg_start = vec![top; n];
    let mut lifelines: Vec<Segment> = Vec::new();

    for i in span.start..span.end {
        let Happened { at, event, what } = (src.happened)(i);
        let future = event > cursor;
        let current = event == cursor;
        // A mark this event puts on a lifeline: (node, kind, label, class, tooltip).
        let new_mark: Option<(NodeId, MarkKind, String, &'static str, String)> = match what {
            Happening::Sent(wire, due) => {
                flights.insert(wire.msg, Flight::sent(wire, false, (at, event), due));
                None
            }
            Happening::Duplicated {
                original,
                copy,
                due,
            } => {
                if let Some(o) = flights.get(&original) {
                    let wire = Wire {
                        msg: copy,
                        ..o.wire
                    };
                    flights.insert(copy, Flight::sent(wire, true, (at, event), due));
                }
                None
            }
            Happening::Delivered(wire) => {
                Flight::end(&mut flights, wire, (at, event, End::Delivered));
                None
            }
            Happening::Dropped(wire, reason) => {
                Flight::end(&mut flights, wire, (at, event, End::Dropped(reason)));
                None
            }
            Happening::Expedited(msg) => {
                if let Some(f) = flights.get_mut(&msg) {
                    f.due = at;
                }
                None
            }
            Happening::Delayed(msg, due) => {
                if let Some(f) = flights.get_mut(&msg) {
                    f.due = due;
                }
                None
            }
            Happening::NodeFault(node, label, detail) => {
                Some((node, MarkKind::Fault, label.to_owned(), "fault", detail))
            }
            Happening::Crashed(node) | Happening::Restarted(node) => {
                let crashed = matches!(what, Happening::Crashed(_));
                let li = node.index();
                if li < n {
                    let my = crate::num::clamp(y(at), top, bottom);
                    if up[li] == crashed {
                        lifelines.push(Segment {
                            lane: li,
                            y0: seg_start[li],
                            y1: my,
                            up: up[li],
                        });
                        seg_start[li] = my;
                        up[li] = !crashed;
                    }
                }
                let kind = if crashed {
                    MarkKind::Crash
                } else {
                    MarkKind::Restart
                };
                let who = names.get(li).map_or("?", String::as_str);
                let word = kind.name();
                Some((
                    node,
                    kind,
                    word.to_owned(),
                    word,
                    format!("node {who}: {word}"),
                ))
            }
            Happening::Timeout(node) => Some((
                node,
                MarkKind::Timeout,
                "timeout".to_owned(),
                "timeout",
                "forced timeout".to_owned(),
            )),
            Happening::State(node, m) => Some((node, MarkKind::State, m.label, m.class, m.detail)),
            Happening::Request(node, id, op) => {
                let detail = format!("client request #{} ({op})", id.0);
                Some((node, MarkKind::Request, op, "request", detail))
            }
            Happening::Response(node, id) => {
                let detail = format!("answer to client request #{}", id.0);
                Some((node, MarkKind::Response, String::new(), "response", detail))
            }
            Happening::Net(change) => {
                let ry = y(at);
                if visible(ry, ry) {
                    let (label, heal) = net_label(&change, &names);
                    rules.push(Rule {
                        y: ry,
                        label,
                        heal,
                        event,
                        future,
                        current,
                    });
                }
                None
            }
            Happening::Other => None,
        };
        if let Some((node, kind, label, class, detail)) = new_mark {
            let my = y(at);
            if visible(my, my) && node.index() < n {
                marks.push(Mark {
                    lane: node.index(),
                    y: my,
                    kind,
                    label,
                    label_left: false,
                    class,
                    detail,
                    event,
                    future,
                    current,
                });
            }
        }
    }
    place_labels(&mut marks, &lanes, frame.width);
    for (li, start) in seg_start.iter().enumerate() {
        lifelines.push(Segment {
            lane: li,
            y0: *start,
            y1: bottom,
            up: up[li],
        });
    }

    let now_y = y(src.now_ms);
    let at_head = cursor >= src.head;
    let mut arrows: Vec<Arrow> = Vec::new();
    for f in flights.values() {
        let (x0, x1) = (lane_x(f.wire.from), lane_x(f.wire.to));
        let bulge =
            (f.wire.from == f.wire.to).then(|| x0 + crate::num::clamp(lane_w * 0.4, 10.0, 26.0));
        let start = match f.sent {
            Some((t, _)) => Point { x: x0, y: y(t) },
            None => Point {
                x: x0,
                y: top - ABOVE,
            },
        };
        // Where the message is at time `t`, by the fraction of its flight.
        let along = |t: f64| {
            let frac = match f.sent {
                Some((ts, _)) if f.due > ts => crate::num::clamp((t - ts) / (f.due - ts), 0.0, 1.0),
                _ => 1.0,
            };
            let x = if bulge.is_some() {
                x0
            } else {
                x0 + (x1 - x0) * frac
            };
            Point { x, y: y(t) }
        };
        let end_point = |t: f64, how: End| match how {
            End::Dropped(_) if bulge.is_none() => {
                let mut p = along(t);
                // A message that died leaving its sender (a partition) still shows
                // which way it was going.
                if (p.x - x0).abs() < DROP_STUB {
                    p.x = x0 + DROP_STUB.copysign(x1 - x0);
                }
                p
            }
            _ => Point { x: x1, y: y(t) },
        };
        let planned = Point { x: x1, y: y(f.due) };
        let send_event = f.sent.map(|(_, e)| e);
        let arrow = |from: Point, to: Point, end: End, future: bool, send, end_event| Arrow {
            wire: f.wire,
            copy: f.copy,
            from,
            to,
            bulge,
            send_event: send,
            end_event,
            end,
            future,
            current: send == Some(cursor) || end_event == Some(cursor),
        };
        let sent_past = send_event.is_none_or(|e| e <= cursor);
        match f.end {
            _ if !sent_past => {
                let (to, end, ev) = match f.end {
                    Some((t, e, how)) => (end_point(t, how), how, Some(e)),
                    None => (planned, End::Unknown, None),
                };
                arrows.push(arrow(start, to, end, true, send_event, ev));
            }
            Some((t, e, how)) if e <= cursor => {
                arrows.push(arrow(
                    start,
                    end_point(t, how),
                    how,
                    false,
                    send_event,
                    Some(e),
                ));
            }
            end => {
                // In flight at the cursor: open-ended on the now line, then (viewing
                // the past) its future, faint.
                let here = along(src.now_ms);
                arrows.push(arrow(start, here, End::InFlight, false, send_event, None));
                match end {
                    Some((t, e, how)) => {
                        arrows.push(arrow(here, end_point(t, how), how, true, None, Some(e)));
                    }
                    None if !at_head => {
                        arrows.push(arrow(here, planned, End::Unknown, true, None, None));
                    }
                    None => {}
                }
            }
        }
    }
    arrows.retain(|a| visible(a.from.y, a.to.y));
    if arrows.len() > MAX_ARROWS {
        // Keep the ones around the anchor (arrows are in send order, so roughly in
        // time order).
        let at = arrows.partition_point(|a| a.from.y < anchor.y);
        let start = at
            .saturating_sub(MAX_ARROWS / 2)
            .min(arrows.len() - MAX_ARROWS);
        arrows.drain(..start);
        arrows.truncate(MAX_ARROWS);
    }

    let mut labels: Vec<TimeLabel> = Vec::new();
    let mut last = f64::NEG_INFINITY;
    for r in scale.rows() {
        if r.y < top + 8.0 || r.y > bottom - 4.0 {
            continue;
        }
        if r.y - last >= LABEL_SPACING && (r.y - now_y).abs() >= 16.0 {
            labels.push(TimeLabel {
                y: r.y,
                text: seconds(r.t),
            });
            last = r.y;
        }
    }
    let breaks = scale
        .breaks()
        .into_iter()
        .filter(|b| b.y1 >= top && b.y0 <= bottom)
        .collect();
    let end_ms = if src.len == 0 {
        src.now_ms
    } else {
        (src.beat)(src.len - 1).at.max(src.now_ms)
    };

    Diagram {
        frame,
        header,
        lanes,
        lifelines,
        arrows,
        marks,
        rules,
        labels,
        breaks,
        now_y,
        cursor,
        now_ms: src.now_ms,
        anchor,
        scale,
        scanned: span.end - span.start,
        end_ms,
    }
}

/// Virtual milliseconds as seconds with three decimals: `12.345`.
pub fn seconds(ms: f64) -> String {
    format!("{}", Dec(ms.max(0.0) / 1000.0, 3))
}

/// The diagram of a lab at its cursor.
pub fn diagram<P: SpacetimeProtocol>(lab: &Lab<P>, view: View, frame: Frame) -> Diagram {
    let lanes = lab.with_world(|w| {
        w.node_ids()
            .map(|id| {
                let v = P::node_view(w, id);
                let up = w.is_up(id);
                LaneInfo {
                    name: w.node_name(id),
                    state: if up {
                        v.label.to_ascii_uppercase()
                    } else {
                        "CRASHED".to_owned()
                    },
                    class: v.class,
                    up,
                }
            })
            .collect()
    });
    let nodes = lab.with_world(faultlab_sim::World::node_count);
    lab.with_run_trace(|trace| {
        let beat = |i: usize| happening::beat(&trace[i]);
        let happened = |i: usize| happening::happened(&trace[i]);
        let up_before = |i: usize| happening::up_before(trace, i, nodes);
        let src = Source {
            len: trace.len(),
            beat: &beat,
            happened: &happened,
            up_before: &up_before,
            lanes,
            cursor: lab.cursor(),
            head: lab.head_events(),
            now_ms: lab.view_ms(),
        };
        layout(&src, view, frame)
    })
}

#[cfg(test)]
mod tests {
    use faultlab_sim::RequestId;

    use super::*;
    use crate::lab::{Fault, Recipe};
    use crate::state::RaftP;

    const FRAME: Frame = Frame {
        width: 600.0,
        height: 600.0,
    };

    fn wire(msg: u64, from: u16, to: u16) -> Wire {
        Wire {
            msg: MsgId(msg),
            from: NodeId(from),
            to: NodeId(to),
            rpc: "Ping",
            slot: 0,
            reply: false,
        }
    }

    fn ev(at: f64, event: u64, what: Happening) -> Happened {
        Happened { at, event, what }
    }

    fn lanes(n: usize) -> Vec<LaneInfo> {
        (0..n)
            .map(|i| LaneInfo {
                name: (i + 1).to_string(),
                state: "FOLLOWER".into(),
                class: "follower",
                up: true,
            })
            .collect()
    }

    /// Lay out a hand-made trace of `n` nodes.
    fn run(evs: &[Happened], n: usize, cursor: u64, now_ms: f64, view: View) -> Diagram {
        let beat = |i: usize| Beat {
            at: evs[i].at,
            due: match evs[i].what {
                Happening::Sent(_, due) | Happening::Duplicated { due, .. } => Some(due),
                _ => None,
            },
        };
        let happened = |i: usize| evs[i].clone();
        let up_before = |_: usize| vec![true; n];
        let src = Source {
            len: evs.len(),
            beat: &beat,
            happened: &happened,
            up_before: &up_before,
            lanes: lanes(n),
            cursor,
            head: evs.last().map_or(0, |e| e.event),
            now_ms,
        };
        layout(&src, view, FRAME)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn a_delivered_message_runs_from_its_send_to_its_delivery() {
        let evs = [
            ev(100.0, 1, Happening::Sent(wire(1, 0, 2), 130.0)),
            ev(130.0, 2, Happening::Delivered(wire(1, 0, 2))),
        ];
        let d = run(&evs, 3, 2, 130.0, View::default());
        assert_eq!(d.lanes.len(), 3);
        assert!(d.lanes[0].x < d.lanes[1].x && d.lanes[1].x < d.lanes[2].x);
        assert_eq!(d.arrows.len(), 1);
        let a = &d.arrows[0];
        assert_eq!(a.end, End::Delivered);
        assert!(!a.future);
        assert!(close(a.from.x, d.lanes[0].x) && close(a.to.x, d.lanes[2].x));
        assert!(close(a.from.y, d.scale.y(100.0)) && close(a.to.y, d.scale.y(130.0)));
        // Time runs down, at 1 px/ms while the message is in flight.
        assert!(close(a.to.y - a.from.y, 30.0));
        assert_eq!((a.send_event, a.end_event), (Some(1), Some(2)));
        assert!(a.current, "delivered at the cursor");
        // Following the cursor: the now line is at NOW_AT of the plot.
        assert!(close(
            d.now_y,
            d.header + NOW_AT * (FRAME.height - d.header)
        ));
        assert!(close(a.to.y, d.now_y));
        assert!(a.head().is_some());
    }

    #[test]
    fn drops_end_in_a_cross_where_the_message_died() {
        let evs = [
            ev(100.0, 1, Happening::Sent(wire(1, 0, 2), 140.0)),
            // The user drops it half-way.
            ev(
                120.0,
                2,
                Happening::Dropped(wire(1, 0, 2), DropReason::User),
            ),
            // A partition kills the next one as it leaves.
            ev(150.0, 3, Happening::Sent(wire(2, 2, 0), 170.0)),
            ev(
                150.0,
                3,
                Happening::Dropped(wire(2, 2, 0), DropReason::Partition),
            ),
        ];
        let d = run(&evs, 3, 3, 150.0, View::default());
        assert_eq!(d.arrows.len(), 2);
        let user = &d.arrows[0];
        assert_eq!(user.end, End::Dropped(DropReason::User));
        assert!(close(user.to.x, f64::midpoint(d.lanes[0].x, d.lanes[2].x)));
        assert!(close(user.to.y, d.scale.y(120.0)));
        assert_eq!(user.end_event, Some(2));
        assert!(user.head().is_none(), "a cross, not an arrow head");
        let cut = &d.arrows[1];
        assert_eq!(cut.end, End::Dropped(DropReason::Partition));
        assert!(
            close(cut.to.x, d.lanes[2].x - DROP_STUB),
            "points towards node 1"
        );
        assert!(close(cut.to.y, cut.from.y));
    }

    #[test]
    fn messages_in_flight_end_open_at_the_now_line() {
        let evs = [
            ev(100.0, 1, Happening::Sent(wire(1, 0, 1), 140.0)),
            ev(140.0, 2, Happening::Delivered(wire(1, 0, 1))),
        ];
        // At the head, half-way through the flight.
        let head = run(&evs[..1], 2, 1, 120.0, View::default());
        assert_eq!(head.arrows.len(), 1);
        let a = &head.arrows[0];
        assert_eq!(a.end, End::InFlight);
        assert!(close(a.to.y, head.now_y));
        assert!(close(
            a.to.x,
            f64::midpoint(head.lanes[0].x, head.lanes[1].x)
        ));
        assert!(a.head().is_some(), "open-ended, with a head");
        // Viewing the past: the same, plus its future, faint, to the delivery.
        let past = run(&evs, 2, 1, 120.0, View::default());
        assert_eq!(past.arrows.len(), 2);
        assert_eq!(past.arrows[0].end, End::InFlight);
        assert!(!past.arrows[0].future);
        let rest = &past.arrows[1];
        assert!(rest.future);
        assert_eq!(rest.end, End::Delivered);
        assert_eq!(rest.from, past.arrows[0].to);
        assert!(close(rest.to.x, past.lanes[1].x));
        assert_eq!(rest.end_event, Some(2));
    }

    #[test]
    fn crashes_restarts_and_network_changes_are_marked() {
        let evs = [
            ev(10.0, 1, Happening::Crashed(NodeId(1))),
            ev(
                20.0,
                2,
                Happening::Net(NetChange::Partition(vec![
                    vec![NodeId(0)],
                    vec![NodeId(1), NodeId(2)],
                ])),
            ),
            ev(
                30.0,
                3,
                Happening::Request(NodeId(0), RequestId(4), "add".into()),
            ),
            ev(40.0, 4, Happening::Net(NetChange::Heal)),
            ev(50.0, 5, Happening::Restarted(NodeId(1))),
        ];
        let d = run(&evs, 3, 5, 50.0, View::default());
        let kinds: Vec<(usize, MarkKind)> = d.marks.iter().map(|m| (m.lane, m.kind)).collect();
        assert_eq!(
            kinds,
            [
                (1, MarkKind::Crash),
                (0, MarkKind::Request),
                (1, MarkKind::Restart)
            ]
        );
        let labels: Vec<&str> = d.rules.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["partition 1 | 2 3", "heal"]);
        assert!(!d.rules[0].heal && d.rules[1].heal);
        // Node 2's lifeline: up, down from the crash to the restart, up again.
        let lane1: Vec<(bool, f64, f64)> = d
            .lifelines
            .iter()
            .filter(|s| s.lane == 1)
            .map(|s| (s.up, s.y0, s.y1))
            .collect();
        assert_eq!(lane1.len(), 3);
        assert!(lane1[0].0 && !lane1[1].0 && lane1[2].0);
        assert!(close(lane1[1].1, d.scale.y(10.0)) && close(lane1[1].2, d.scale.y(50.0)));
        assert!(d.marks[2].current && !d.marks[0].current);
    }

    #[test]
    fn a_long_run_lays_out_only_what_is_visible() {
        // 120 000 events: a message every 10 ms, delivered 5 ms later.
        let mut evs = Vec::new();
        for i in 0..60_000u64 {
            #[allow(clippy::cast_precision_loss)]
            let at = i as f64 * 10.0;
            let (a, b) = (
                u16::try_from(i % 3).expect("small"),
                u16::try_from((i + 1) % 3).expect("small"),
            );
            evs.push(ev(at, 2 * i, Happening::Sent(wire(i, a, b), at + 5.0)));
            evs.push(ev(at + 5.0, 2 * i + 1, Happening::Delivered(wire(i, a, b))));
        }
        let cursor = 100_000;
        let now = evs[100_000].at;
        let d = run(&evs, 3, cursor, now, View::default());
        assert!(d.scanned < 3_000, "laid out {} events", d.scanned);
        assert!(!d.arrows.is_empty() && d.arrows.len() < 400);
        assert!(
            d.arrows
                .iter()
                .all(|a| a.to.y >= d.top() - 2.0 && a.from.y <= FRAME.height + 2.0)
        );
        // The cursor's delivery is highlighted, and later ones are faint.
        assert!(d.arrows.iter().any(|a| a.current));
        assert!(
            d.arrows
                .iter()
                .filter(|a| a.future)
                .all(|a| a.send_event.is_none_or(|e| e > cursor))
        );
        assert!(d.arrows.iter().any(|a| a.future));
        // Pan back by a screen: an earlier stretch, still bounded.
        let earlier = d.panned(View::default(), -500.0);
        let pin = earlier.pin.expect("pinned");
        assert!(pin < now - 100.0, "{pin} vs {now}");
        let e = run(&evs, 3, cursor, now, earlier);
        assert!(e.scanned < 3_000);
        assert!(close(e.scale.y(pin), e.anchor.y));
        assert!(!e.now_visible(), "the now line is below the panned view");
        let latest = e
            .arrows
            .iter()
            .filter_map(|a| a.end_event)
            .max()
            .expect("arrows");
        assert!(latest < cursor);
    }

    #[test]
    fn mark_labels_never_overlap() {
        let state = |node: u16, at: f64, event: u64| {
            let mark = StateMark {
                label: "FOLLOWER T12".into(),
                class: "follower",
                detail: String::new(),
            };
            ev(at, event, Happening::State(NodeId(node), mark))
        };
        // Five nodes change state within 2 ms; then one more on the last lane later.
        let mut evs: Vec<Happened> = (0..5)
            .map(|i| state(i, 100.0 + f64::from(i) * 0.5, 1))
            .collect();
        evs.push(state(4, 400.0, 2));
        let d = run(&evs, 5, 2, 400.0, View::default());
        assert_eq!(d.marks.len(), 6, "every mark keeps its glyph");
        let boxes: Vec<(f64, f64, f64)> = d
            .marks
            .iter()
            .filter(|m| !m.label.is_empty())
            .map(|m| {
                let x = d.lanes[m.lane].x;
                let w = 12.0 * 9.5 * 0.7;
                if m.label_left {
                    (x - 9.0 - w, x - 9.0, m.y)
                } else {
                    (x + 9.0, x + 9.0 + w, m.y)
                }
            })
            .collect();
        assert!(boxes.len() >= 3 && boxes.len() < 6, "{boxes:?}");
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.0 >= 0.0 && a.1 <= FRAME.width, "{a:?} is on the drawing");
            for b in &boxes[i + 1..] {
                let apart = a.1 <= b.0 || b.1 <= a.0 || (a.2 - b.2).abs() >= MARK_LABEL_SPACING;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
        for a in &boxes {
            for m in &d.marks {
                let x = d.lanes[m.lane].x;
                let apart =
                    a.1 <= x - 8.0 || x + 8.0 <= a.0 || (a.2 - m.y).abs() >= MARK_LABEL_SPACING;
                assert!(apart, "{a:?} covers the glyph on lane {}", m.lane);
            }
        }
        // The last lane's lone label goes on its left, inside the drawing.
        let last = d.marks.last().expect("marks");
        assert!(last.label_left && !last.label.is_empty());
    }

    #[test]
    fn a_burst_of_messages_is_capped_around_the_anchor() {
        let mut evs = Vec::new();
        for i in 0..2_000u64 {
            evs.push(ev(100.0, 1, Happening::Sent(wire(i, 0, 1), 120.0)));
        }
        for i in 0..2_000u64 {
            evs.push(ev(120.0, 2, Happening::Delivered(wire(i, 0, 1))));
        }
        let d = run(&evs, 2, 2, 120.0, View::default());
        assert_eq!(d.arrows.len(), MAX_ARROWS);
        assert!(d.arrows.iter().all(|a| a.end == End::Delivered));
    }

    #[test]
    fn long_names_wrap_and_small_lanes_shorten_states() {
        let (lines, px) = fit_name("grpc-node2", 50.0);
        assert_eq!(lines, ["grpc-", "node2"]);
        assert!((8.0..=12.0).contains(&px));
        assert_eq!(fit_name("3", 50.0), (vec!["3".to_owned()], 12.0));
        assert_eq!(fit_state("CANDIDATE", 30.0), ("C".to_owned(), 9.0));
        assert_eq!(fit_state("LEADER", 120.0), ("LEADER".to_owned(), 9.0));
        let (word, px) = fit_state("FOLLOWER", 70.0);
        assert_eq!(word, "FOLLOWER");
        assert!((7.5..9.0).contains(&px), "{px}");
        assert_eq!(fit_state("FOLLOWER", 60.0).0, "F");
    }

    #[test]
    fn a_raft_run_shows_its_election_and_its_messages() {
        let mut lab =
            Lab::<RaftP>::new("raft", Recipe::default_for::<RaftP>(1)).expect("default recipe");
        lab.run_to_time(6_000);
        lab.fault(Fault::Crash(NodeId(2)));
        lab.run_to_time(6_500);
        let d = diagram(&lab, View::default(), FRAME);
        assert_eq!(d.lanes.len(), 5);
        assert_eq!(d.lanes[2].state, "CRASHED");
        assert!(
            d.marks
                .iter()
                .any(|m| m.kind == MarkKind::Crash && m.lane == 2)
        );
        // Every delivered arrow ends on its receiver's lifeline, at a real delivery.
        let delivered: Vec<&Arrow> = d
            .arrows
            .iter()
            .filter(|a| a.end == End::Delivered)
            .collect();
        assert!(!delivered.is_empty());
        lab.with_run_trace(|trace| {
            for a in &delivered {
                let e = a.end_event.expect("delivery event");
                let ok = trace.iter().any(|t| {
                    t.event == e
                        && matches!(&t.kind, faultlab_sim::EventKind::Delivered { msg, .. } if *msg == a.wire.msg)
                });
                assert!(ok, "arrow {:?} ends at event {e}", a.wire.msg);
                assert!(close(a.to.x, d.lanes[a.wire.to.index()].x));
            }
        });
        // The whole run is short: zoomed out and pinned early, the election shows.
        let early = View {
            zoom: 0,
            pin: Some(3_000.0),
        };
        let d = diagram(&lab, early, FRAME);
        assert!(
            d.marks
                .iter()
                .any(|m| m.kind == MarkKind::State && m.label.starts_with("LEADER")),
            "{:?}",
            d.marks
        );
        assert!(d.arrows.iter().any(|a| a.wire.rpc == "RequestVote"));
    }
}
