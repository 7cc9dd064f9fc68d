//! The space-time diagram view: the stage's alternative to the cluster ring. It lays
//! out the active lab with [`crate::spacetime`] and draws it as SVG, with zoom, pan
//! (wheel, drag, keys, buttons), click-to-seek and an SVG export.
//!
//! It owns only view state (zoom, where it is pinned, its size in pixels); the run
//! changes only through [`LabAction::Seek`]. Geometry lives in `crate::spacetime`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::{
    Callback, Html, KeyboardEvent, MouseEvent, NodeRef, PointerEvent, Properties, UseStateHandle,
    WheelEvent, classes, component, html, use_effect, use_effect_with, use_memo, use_mut_ref,
    use_node_ref, use_state, use_state_eq,
};

use super::LabProps;
use crate::browser;
use crate::spacetime::{
    Arrow, Diagram, End, Frame, GUTTER, Lane, Mark, MarkKind, SpacetimeProtocol, View, ZOOMS,
    diagram, seconds,
};
use crate::state::{Action, LabAction, Notice};

/// Pixels one arrow key press pans.
const KEY_STEP: f64 = 48.0;
/// Movement (px) after which a press is a drag, not a click.
const DRAG_SLOP: f64 = 4.0;

/// What the user is looking at: the zoom and pin, and the cursor the pin was set at
/// (when the cursor moves by other means, the view follows it again).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Viewing {
    view: View,
    pinned_at: Option<u64>,
}

impl Viewing {
    /// The view at `cursor`: a pin holds only while the cursor is where it was set.
    fn at(self, cursor: u64) -> View {
        if self.pinned_at == Some(cursor) {
            self.view
        } else {
            View {
                pin: None,
                ..self.view
            }
        }
    }
}

/// The space-time diagram of a lab.
#[component]
pub fn SpaceTime<P: SpacetimeProtocol>(props: &LabProps<P>) -> Html {
    let lab = &props.lab;
    let viewing = use_state(|| Viewing {
        view: View::default(),
        pinned_at: None,
    });
    let frame = use_state_eq(|| Frame {
        width: 640.0,
        height: 520.0,
    });
    let cursor = lab.cursor();
    let view = viewing.at(cursor);
    let d = {
        let lab = lab.clone();
        use_memo(
            (lab.version, cursor, view, *frame),
            move |(_, _, view, frame)| diagram(&lab, *view, *frame),
        )
    };
    // A pin set at another cursor is forgotten, so that coming back to that event
    // later follows the cursor too.
    {
        let viewing = viewing.clone();
        use_effect_with(cursor, move |c| {
            if viewing.pinned_at.is_some_and(|p| p != *c) {
                viewing.set(Viewing {
                    pinned_at: None,
                    view: View {
                        pin: None,
                        ..viewing.view
                    },
                });
            }
        });
    }
    let file_name = format!(
        "faultlab-{}-seed{}-event{cursor}-spacetime.svg",
        lab.tab_name, lab.recipe.seed
    );
    html! {
        <Panel diagram={d} viewing={viewing} frame={frame} file_name={file_name}
            playing={lab.playing} on_action={props.on_action.clone()} />
    }
}

/// Props of [`Panel`].
#[derive(Properties)]
struct PanelProps {
    diagram: Rc<Diagram>,
    viewing: UseStateHandle<Viewing>,
    frame: UseStateHandle<Frame>,
    file_name: String,
    playing: bool,
    on_action: Callback<Action>,
}

impl PartialEq for PanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.diagram, &other.diagram)
            && self.viewing == other.viewing
            && self.frame == other.frame
            && self.file_name == other.file_name
            && self.playing == other.playing
            && self.on_action == other.on_action
    }
}

/// The toolbar and the drawing (not generic: one copy in the bundle).
#[component]
fn Panel(props: &PanelProps) -> Html {
    let viewport: NodeRef = use_node_ref();
    let svg: NodeRef = use_node_ref();
    let drag = use_mut_ref(|| None::<(f64, Rc<Diagram>, View)>);
    let dragged = use_mut_ref(|| false);
    let d = &props.diagram;
    let cursor = d.cursor;
    let view = props.viewing.at(cursor);

    // Size the drawing to its box: after every render (a notice line above the
    // workspace shrinks it without resizing the window; the frame is compared by
    // value, so an unchanged size renders nothing) and whenever the window resizes.
    let measure = {
        let viewport = viewport.clone();
        let frame = props.frame.clone();
        Rc::new(move || {
            if let Some(el) = viewport.cast::<Element>() {
                let (w, h) = (el.client_width(), el.client_height());
                if w > 0 && h > 0 {
                    frame.set(Frame {
                        width: f64::from(w),
                        height: f64::from(h),
                    });
                }
            }
        })
    };
    {
        let measure = Rc::clone(&measure);
        use_effect(move || measure());
    }
    {
        let measure = Rc::clone(&measure);
        use_effect_with((), move |()| {
            let listener = web_sys::window()
                .map(|w| gloo_events::EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }

    let set_view = {
        let viewing = props.viewing.clone();
        let on_action = props.on_action.clone();
        let playing = props.playing;
        Rc::new(move |v: View| {
            // Scrolling away from the cursor means looking at something: stop there.
            if playing && v.pin.is_some() {
                on_action.emit(Action::Lab(LabAction::Pause));
            }
            viewing.set(Viewing {
                view: v,
                pinned_at: v.pin.map(|_| cursor),
            });
        })
    };
    let pan = {
        let set_view = Rc::clone(&set_view);
        let d = Rc::clone(d);
        Rc::new(move |dy: f64| set_view(d.panned(view, dy)))
    };
    let zoom = {
        let set_view = Rc::clone(&set_view);
        // Zooming keeps the moment at the anchor where it is.
        let anchor = d.anchor.t;
        let following = view.pin.is_none();
        Rc::new(move |zoom_in: bool| {
            let mut v = view.zoomed(zoom_in);
            if !following {
                v.pin = Some(anchor);
            }
            set_view(v);
        })
    };
    let page = (d.frame.height - d.top()) * 0.8;
    let button = |f: Rc<dyn Fn()>| Callback::from(move |_: MouseEvent| f());
    let on_zoom_out = {
        let zoom = Rc::clone(&zoom);
        button(Rc::new(move || zoom(false)))
    };
    let on_zoom_in = {
        let zoom = Rc::clone(&zoom);
        button(Rc::new(move || zoom(true)))
    };
    let on_earlier = {
        let pan = Rc::clone(&pan);
        button(Rc::new(move || pan(-page)))
    };
    let on_later = {
        let pan = Rc::clone(&pan);
        button(Rc::new(move || pan(page)))
    };
    let on_follow = {
        let set_view = Rc::clone(&set_view);
        button(Rc::new(move || set_view(View { pin: None, ..view })))
    };
    let on_export = {
        let svg = svg.clone();
        let name = props.file_name.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            let result = svg
                .cast::<Element>()
                .ok_or_else(|| "the diagram is not on the page".to_owned())
                .and_then(|el| browser::download_as(&name, "image/svg+xml", &standalone(&el)));
            if let Err(e) = result {
                on_action.emit(Action::Notify(Notice::error(format!("Export failed: {e}"))));
            }
        })
    };

    // Seeking: a click (not the end of a drag) on anything with an event.
    let seek_from = {
        let on_action = props.on_action.clone();
        let viewing = props.viewing.clone();
        let anchor = d.anchor.t;
        Rc::new(move |target: Option<web_sys::EventTarget>| -> bool {
            let n = target
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|el| el.closest("[data-spacetime-event]").ok().flatten())
                .and_then(|el| el.get_attribute("data-spacetime-event"))
                .and_then(|s| s.parse::<u64>().ok());
            let Some(n) = n else { return false };
            // Keep the drawing still under the pointer: pin it where it is, at the
            // event being sought.
            viewing.set(Viewing {
                view: View {
                    pin: Some(anchor),
                    ..view
                },
                pinned_at: Some(n),
            });
            on_action.emit(Action::Lab(LabAction::Seek(n)));
            true
        })
    };
    let on_click = {
        let seek_from = Rc::clone(&seek_from);
        let dragged = dragged.clone();
        Callback::from(move |e: MouseEvent| {
            if std::mem::take(&mut *dragged.borrow_mut()) {
                return;
            }
            seek_from(e.target());
        })
    };
    let on_key = {
        let pan = Rc::clone(&pan);
        let zoom = Rc::clone(&zoom);
        let seek_from = Rc::clone(&seek_from);
        let set_view = Rc::clone(&set_view);
        Callback::from(move |e: KeyboardEvent| {
            let handled = match e.key().as_str() {
                "ArrowUp" => {
                    pan(-KEY_STEP);
                    true
                }
                "ArrowDown" => {
                    pan(KEY_STEP);
                    true
                }
                "PageUp" => {
                    pan(-page);
                    true
                }
                "PageDown" => {
                    pan(page);
                    true
                }
                "+" | "=" => {
                    zoom(true);
                    true
                }
                "-" | "_" => {
                    zoom(false);
                    true
                }
                "End" => {
                    set_view(View { pin: None, ..view });
                    true
                }
                "Enter" | " " => seek_from(e.target()),
                _ => false,
            };
            if handled {
                e.prevent_default();
                e.stop_propagation();
            }
        })
    };
    let on_wheel = {
        let pan = Rc::clone(&pan);
        let zoom = Rc::clone(&zoom);
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let unit = match e.delta_mode() {
                1 => 16.0,
                2 => page,
                _ => 1.0,
            };
            let dy = e.delta_y() * unit;
            if e.ctrl_key() {
                zoom(dy < 0.0);
            } else if dy != 0.0 {
                pan(dy);
            }
        })
    };
    let on_down = {
        let drag = drag.clone();
        let d = Rc::clone(d);
        Callback::from(move |e: PointerEvent| {
            if e.pointer_type() == "mouse" && e.button() == 0 {
                *drag.borrow_mut() = Some((f64::from(e.client_y()), Rc::clone(&d), view));
            }
        })
    };
    let on_move = {
        let drag = drag.clone();
        let dragged = dragged.clone();
        let set_view = Rc::clone(&set_view);
        Callback::from(move |e: PointerEvent| {
            let Some((y0, start, v)) = drag.borrow().clone() else {
                return;
            };
            let dy = f64::from(e.client_y()) - y0;
            if dy.abs() < DRAG_SLOP && !*dragged.borrow() {
                return;
            }
            if !std::mem::replace(&mut *dragged.borrow_mut(), true)
                && let Some(el) = e
                    .current_target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
            {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            // The drawing follows the pointer: dragging down shows earlier times.
            set_view(start.panned(v, -dy));
        })
    };
    let on_up = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| {
            drag.borrow_mut().take();
        })
    };

    let following = view.pin.is_none();
    let zoom_label = format!("{} px/ms", ZOOMS[view.zoom.min(ZOOMS.len() - 1)]);
    let n = d.lanes.len();
    html! {
        <div class="spacetime">
            <div class="st-bar" role="toolbar" aria-label="Space-time diagram">
                <div class="st-group">
                    <button class="btn btn--small btn--icon" aria-label="Zoom out" title="Zoom out (−)"
                        disabled={view.zoom == 0} onclick={on_zoom_out}>{ "−" }</button>
                    <span class="st-zoom" aria-live="polite">{ zoom_label }</span>
                    <button class="btn btn--small btn--icon" aria-label="Zoom in" title="Zoom in (+)"
                        disabled={view.zoom + 1 >= ZOOMS.len()} onclick={on_zoom_in}>{ "+" }</button>
                </div>
                <div class="st-group">
                    <button class="btn btn--small" aria-label="Earlier" title="Scroll to earlier times (Page Up)" onclick={on_earlier}>{ "↑ Earlier" }</button>
                    <button class="btn btn--small" aria-label="Later" title="Scroll to later times (Page Down)" onclick={on_later}>{ "↓ Later" }</button>
                    <button class="btn btn--small" aria-label="Follow the cursor" title="Keep the cursor in view (End)"
                        aria-pressed={following.to_string()} disabled={following} onclick={on_follow}>{ "Follow" }</button>
                </div>
                <span class="st-hint">{ "click an event to go there" }</span>
                <button class="btn btn--small" aria-label="Export SVG" title="Download this diagram as an SVG file" onclick={on_export}>{ "Export SVG" }</button>
            </div>
            <div class="st-viewport" ref={viewport} tabindex="0" title="Wheel or drag to scroll; click an event to go there"
                aria-label="Space-time diagram: ↑ ↓ scroll, + − zoom, Enter on a mark goes to its event"
                onclick={on_click} onkeydown={on_key} onwheel={on_wheel}
                onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up.clone()} onpointercancel={on_up}>
                <svg ref={svg} xmlns="http://www.w3.org/2000/svg" class="st__svg"
                    width={f1(d.frame.width)} height={f1(d.frame.height)}
                    viewBox={format!("0 0 {} {}", f1(d.frame.width), f1(d.frame.height))}
                    role="group" aria-label={format!("Space-time diagram of {n} nodes at event {cursor}")}
                    data-spacetime-cursor={cursor.to_string()}>
                    <title>{ format!("faultlab space-time diagram, event {cursor}, t = {} s", seconds(d.now_ms)) }</title>
                    { drawing(d) }
                </svg>
            </div>
        </div>
    }
}

/// The SVG's content.
fn drawing(d: &Diagram) -> Html {
    let (w, h) = (d.frame.width, d.frame.height);
    let top = d.top();
    let plot_w = w - GUTTER;
    let now_visible = d.now_visible();
    html! {
        <>
            <rect class="st__bg" width={f1(w)} height={f1(h)} />
            <g class="st__breaks">
                { for d.breaks.iter().map(|b| {
                    let (y0, y1) = (b.y0.max(top), b.y1.min(h));
                    html! {
                        <g class="st__break">
                            <rect x={f1(GUTTER)} y={f1(y0)} width={f1(plot_w)} height={f1((y1 - y0).max(0.0))} />
                            if y1 - y0 >= 11.0 {
                                <text x={f1(GUTTER + 6.0)} y={f1(f64::midpoint(y0, y1))}>{ format!("idle {} s", seconds(b.ms)) }</text>
                            }
                        </g>
                    }
                }) }
            </g>
            <g class="st__lifelines">
                { for d.lifelines.iter().map(|s| {
                    let x = f1(d.lanes.get(s.lane).map_or(0.0, |l| l.x));
                    html! {
                        <line class={if s.up { "st__life" } else { "st__life st__life--down" }}
                            x1={x.clone()} x2={x} y1={f1(s.y0)} y2={f1(s.y1)} />
                    }
                }) }
            </g>
            if now_visible && d.now_y < h {
                <rect class="st__future" x={f1(GUTTER)} y={f1(d.now_y)} width={f1(plot_w)} height={f1(h - d.now_y)} />
            }
            <g class="st__rules">
                { for d.rules.iter().map(|r| html! {
                    <g class={classes!("st__rule", r.heal.then_some("st__rule--heal"), r.future.then_some("st__future-item"), r.current.then_some("st__current"))}
                        data-spacetime-event={r.event.to_string()} data-net={r.label.clone()}>
                        <title>{ format!("{} (event {})", r.label, r.event) }</title>
                        <line x1={f1(GUTTER)} x2={f1(w - 4.0)} y1={f1(r.y)} y2={f1(r.y)} />
                        <text x={f1(w - 6.0)} y={f1(r.y - 4.0)}>{ r.label.clone() }</text>
                    </g>
                }) }
            </g>
            <g class="st__arrows">{ for d.arrows.iter().map(|a| arrow(a, &d.lanes)) }</g>
            <g class="st__ends">{ for d.arrows.iter().map(ends) }</g>
            <g class="st__marks">{ for d.marks.iter().map(|m| mark(m, d)) }</g>
            if now_visible {
                <g class="st__now" data-spacetime-now={d.cursor.to_string()}>
                    <line x1={f1(GUTTER - 4.0)} x2={f1(w)} y1={f1(d.now_y)} y2={f1(d.now_y)} />
                    <text class="st__now-time" x={f1(GUTTER - 8.0)} y={f1(d.now_y)}>{ seconds(d.now_ms) }</text>
                    <text class="st__now-event" x={f1(w - 6.0)} y={f1(d.now_y + 12.0)}>{ format!("event {}", d.cursor) }</text>
                </g>
            }
            <g class="st__axis">
                { for d.labels.iter().map(|l| html! {
                    <g>
                        <line x1={f1(GUTTER - 4.0)} x2={f1(GUTTER)} y1={f1(l.y)} y2={f1(l.y)} />
                        <text x={f1(GUTTER - 8.0)} y={f1(l.y)}>{ l.text.clone() }</text>
                    </g>
                }) }
            </g>
            <g class="st__header">
                <rect width={f1(w)} height={f1(top)} />
                <line x1="0" x2={f1(w)} y1={f1(top - 0.5)} y2={f1(top - 0.5)} />
                <text class="st__unit" x={f1(GUTTER - 8.0)} y={f1(top - 10.0)}>{ "t (s)" }</text>
                { for d.lanes.iter().map(|l| {
                    let lines = l.name.len();
                    #[allow(clippy::cast_precision_loss)]
                    let name_y = top - 30.0 - 13.0 * (lines as f64 - 1.0);
                    let size = (l.name_px < 12.0).then(|| format!("font-size:{:.1}px", l.name_px));
                    html! {
                        <g class={classes!("st__lane", format!("st__state--{}", l.class), (!l.up).then_some("st__lane--down"))}
                            data-lane={l.full_name.clone()} data-up={l.up.to_string()}>
                            <title>{ format!("node {}: {}", l.full_name, l.state) }</title>
                            { for l.name.iter().enumerate().map(|(i, part)| {
                                #[allow(clippy::cast_precision_loss)]
                                let y = name_y + 13.0 * i as f64;
                                html! { <text class="st__name" x={f1(l.x)} y={f1(y)} style={size.clone()}>{ part.clone() }</text> }
                            }) }
                            <text class="st__role" x={f1(l.x)} y={f1(top - 10.0)}
                                style={(l.state_px < 9.0).then(|| format!("font-size:{:.1}px", l.state_px))}>{ l.state.clone() }</text>
                        </g>
                    }
                }) }
            </g>
        </>
    }
}

/// One message arrow.
fn arrow(a: &Arrow, lanes: &[Lane]) -> Html {
    let w = &a.wire;
    let end_name = match a.end {
        End::Delivered => "delivered",
        End::Dropped(_) => "dropped",
        End::InFlight => "in-flight",
        End::Unknown => "later",
    };
    let name = |i: usize| lanes.get(i).map_or("?", |l| l.full_name.as_str());
    let title = format!(
        "{}{}{} {} → {} (message {})",
        w.rpc,
        if w.reply { " reply" } else { "" },
        if a.copy { " copy" } else { "" },
        name(w.from.index()),
        name(w.to.index()),
        w.msg.0
    );
    // The shaft seeks to the message's end when known, else to its send.
    let shaft_event = a.end_event.or(a.send_event);
    let class = classes!(
        "st__arrow",
        format!("rpc-{}", w.slot),
        w.reply.then_some("st__arrow--reply"),
        a.copy.then_some("st__arrow--copy"),
        a.future.then_some("st__future-item"),
        a.current.then_some("st__current"),
        format!("st__arrow--{end_name}"),
    );
    let path = a.path();
    html! {
        <g class={class} data-rpc={w.rpc} data-spacetime-msg={w.msg.0.to_string()} data-end={end_name}
            data-spacetime-event={shaft_event.map(|e| e.to_string())}>
            <title>{ title }</title>
            <path class="st__hit" d={path.clone()} />
            <path class="st__shaft" d={path} />
            if let Some(head) = a.head() {
                <path class="st__head" d={head} />
            }
        </g>
    }
}

/// An arrow's clickable ends: the send dot, and the ✕ of a drop or the delivery point.
/// They are drawn above every shaft, so that a later arrow never hides them.
fn ends(a: &Arrow) -> Html {
    let w = &a.wire;
    let msg = w.msg.0.to_string();
    let faint = a.future.then_some("st__future-item");
    let rpc = format!("rpc-{}", w.slot);
    html! {
        <>
            if let Some(e) = a.send_event {
                <circle class={classes!("st__send", rpc.clone(), w.reply.then_some("st__send--reply"), faint)}
                    cx={f1(a.from.x)} cy={f1(a.from.y)} r="2.6"
                    data-spacetime-event={e.to_string()} data-spacetime-msg={msg.clone()} />
            }
            if let (End::Dropped(reason), Some(e)) = (a.end, a.end_event) {
                <g class={classes!("st__drop", faint, a.current.then_some("st__current"))}
                    transform={format!("translate({} {})", f1(a.to.x), f1(a.to.y))}
                    data-spacetime-event={e.to_string()} data-spacetime-msg={msg}
                    data-reason={format!("{reason:?}").to_lowercase()}>
                    <title>{ format!("{} dropped ({}), event {e}", w.rpc, format!("{reason:?}").to_lowercase()) }</title>
                    <circle r="6" />
                    <path d="M-3 -3L3 3M3 -3L-3 3" />
                </g>
            } else if let (End::Delivered, Some(e)) = (a.end, a.end_event) {
                <circle class="st__recv" cx={f1(a.to.x)} cy={f1(a.to.y)} r="5"
                    data-spacetime-event={e.to_string()} data-spacetime-msg={msg} />
            }
        </>
    }
}

/// One mark on a lifeline.
fn mark(m: &Mark, d: &Diagram) -> Html {
    let x = d.lanes.get(m.lane).map_or(0.0, |l| l.x);
    let glyph = match m.kind {
        MarkKind::Crash => html! {
            <>
                <rect class="st__glyph" x="-6" y="-6" width="12" height="12" rx="2" />
                <path class="st__glyph-cross" d="M-3 -3L3 3M3 -3L-3 3" />
            </>
        },
        MarkKind::Restart => html! { <circle class="st__glyph" r="5.5" /> },
        MarkKind::State => {
            html! { <rect class="st__glyph" x="-4.5" y="-4.5" width="9" height="9" transform="rotate(45)" /> }
        }
        MarkKind::Request => html! { <path class="st__glyph" d="M-12 -5L-4 0L-12 5Z" /> },
        MarkKind::Response => html! { <path class="st__glyph" d="M-4 -5L-12 0L-4 5Z" /> },
        MarkKind::Timeout => html! { <circle class="st__glyph" r="4.5" /> },
    };
    let class = classes!(
        "st__mark",
        format!("st__mark--{}", m.kind.name()),
        format!("st__state--{}", m.class),
        m.future.then_some("st__future-item"),
        m.current.then_some("st__current"),
    );
    html! {
        <g class={class} transform={format!("translate({} {})", f1(x), f1(m.y))}
            data-spacetime-event={m.event.to_string()} data-mark={m.kind.name()}
            role="button" tabindex="0" aria-label={format!("{}, event {}", m.detail, m.event)}>
            <title>{ format!("{} (event {})", m.detail, m.event) }</title>
            <circle class="st__hit" r="9" />
            { glyph }
            if !m.label.is_empty() {
                <text class={if m.label_left { "st__label st__label--left" } else { "st__label" }}
                    x={if m.label_left { "-9" } else { "9" }} y="0">{ m.label.clone() }</text>
            }
        </g>
    }
}

/// The diagram as a standalone SVG file: its markup with the page's rules for it
/// inlined, so that it renders without the page.
fn standalone(svg: &Element) -> String {
    // The drawing's own rules are the `.st__` ones (the toolbar's are `.st-`), plus the
    // palette they read: `:root` custom properties and the `.rpc-N` colours.
    let css = browser::style_rules(&|rule: &str| {
        !rule.starts_with('@')
            && (rule.starts_with(":root") || rule.contains(".st__") || rule.starts_with(".rpc-"))
    });
    let markup = svg.outer_html();
    let open = markup.find('>').map_or(0, |i| i + 1);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}<style><![CDATA[\n{css}]]></style>{}",
        &markup[..open],
        &markup[open..]
    )
}

fn f1(v: f64) -> String {
    format!("{v:.1}")
}

/// Props of [`StageSwitch`].
#[derive(Properties, PartialEq)]
pub struct StageSwitchProps {
    /// Whether the space-time diagram is shown (else the cluster).
    pub spacetime: bool,
    /// Called with the choice.
    pub on_change: Callback<bool>,
}

/// The stage's "Cluster | Space-time" switch.
#[component]
pub fn StageSwitch(props: &StageSwitchProps) -> Html {
    let choice = |label: &'static str, value: bool| {
        let cb = props.on_change.clone();
        let on = props.spacetime == value;
        html! {
            <button class={if on { "st-switch__btn st-switch__btn--on" } else { "st-switch__btn" }}
                aria-pressed={on.to_string()} onclick={Callback::from(move |_: MouseEvent| cb.emit(value))}>
                { label }
            </button>
        }
    };
    html! {
        <div class="st-switch" role="group" aria-label="Stage view">
            { choice("Cluster", false) }
            { choice("Space-time", true) }
        </div>
    }
}
