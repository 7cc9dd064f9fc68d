//! The space-time diagram view: the stage's alternative to the cluster ring, and the
//! stage's "Cluster | Space-time" switch. It lays out the active lab with
//! [`crate::spacetime`], inserts the drawing's SVG markup ([`crate::spacetime::svg`]),
//! and handles zoom, scrolling (wheel, drag, keys, buttons), click-to-seek and the SVG
//! export.
//!
//! It owns only view state (zoom, where it is pinned, its size in pixels); the run
//! changes only through [`LabAction::Seek`] (and [`LabAction::Pause`] when the user
//! scrolls away while it plays). Geometry lives in `crate::spacetime`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::{
    AttrValue, Callback, Html, KeyboardEvent, MouseEvent, NodeRef, PointerEvent, Properties,
    WheelEvent, component, html, use_effect, use_effect_with, use_memo, use_mut_ref, use_node_ref,
    use_state, use_state_eq,
};

use super::parts::{Btn, button};
use crate::browser;
use crate::lab::Lab;
use crate::num::Dec;
use crate::spacetime::{Diagram, Frame, SpacetimeProtocol, View, ZOOMS, diagram, svg};
use crate::state::{Action, LabAction, Notice};

/// [`ZOOMS`] as the toolbar shows them.
const ZOOM_LABELS: [&str; ZOOMS.len()] = [
    "⅛ px/ms",
    "¼ px/ms",
    "½ px/ms",
    "1 px/ms",
    "2 px/ms",
    "4 px/ms",
    "8 px/ms",
];
/// Pixels one arrow key press pans.
const KEY_STEP: f64 = 48.0;
/// Movement (px) after which a press is a drag, not a click.
const DRAG_SLOP: f64 = 4.0;

/// A laid-out diagram and its SVG markup.
type Drawn = Rc<(Diagram, AttrValue)>;

/// The drawing's pointer and focus state between renders.
#[derive(Default)]
struct Gestures {
    /// A press: where (client y), on which drawing, at which view.
    drag: Option<(f64, Drawn, View)>,
    /// Whether the press moved far enough to be a drag (its click does not seek).
    dragged: bool,
    /// The mark to focus again after the drawing is redrawn (its markup is replaced as
    /// a whole, so a mark chosen with the keyboard would lose the focus). Kept as (its
    /// selector, its event, the cursor when it was chosen) until the run moves
    /// elsewhere.
    refocus: Option<(String, String, u64)>,
    /// The cursor at the last render (to notice that it moved).
    seen_cursor: Option<u64>,
}

/// A scroll or zoom of the drawing.
#[derive(Clone, Copy)]
enum Move {
    /// Scroll by this many pixels (down: later).
    Pan(f64),
    /// Zoom in (`true`) or out.
    Zoom(bool),
    /// Follow the cursor again.
    Follow,
}

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

/// The space-time diagram of a lab. Only this function is generic (how to lay the
/// lab out); the component behind it is compiled once for every protocol.
pub fn space_time<P: SpacetimeProtocol>(lab: &Lab<P>, on_action: &Callback<Action>) -> Html {
    let run = lab.clone();
    let layout: Rc<dyn Fn(View, Frame) -> Diagram> = Rc::new(move |v, f| diagram(&run, v, f));
    let file_name = format!(
        "faultlab-{}-seed{}-event{}-spacetime.svg",
        lab.tab_name,
        lab.recipe.seed,
        lab.cursor()
    );
    html! {
        <SpaceTime layout={layout} version={lab.version} cursor={lab.cursor()} playing={lab.playing}
            file_name={file_name} on_action={on_action.clone()} />
    }
}

/// Props of [`SpaceTime`].
#[derive(Properties)]
pub struct SpaceTimeProps {
    /// Lays the lab out (compared through `version`).
    pub layout: Rc<dyn Fn(View, Frame) -> Diagram>,
    /// The lab's version: the diagram is laid out again when it changes.
    pub version: u64,
    /// The lab's cursor.
    pub cursor: u64,
    /// Whether the lab is playing.
    pub playing: bool,
    /// The export's file name.
    pub file_name: String,
    /// Where actions go.
    pub on_action: Callback<Action>,
}

impl PartialEq for SpaceTimeProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.cursor == other.cursor
            && self.playing == other.playing
            && self.file_name == other.file_name
            && self.on_action == other.on_action
    }
}

/// The toolbar and the drawing: the diagram's view state, its layout (memoised) and
/// the handlers that scroll, zoom, seek and export it. (One component, not a layout
/// component and a drawing one: every new layout redraws the drawing anyway.)
#[component]
pub fn SpaceTime(props: &SpaceTimeProps) -> Html {
    let viewing = use_state(|| Viewing {
        view: View::default(),
        pinned_at: None,
    });
    let frame = use_state_eq(|| Frame {
        width: 640.0,
        height: 520.0,
    });
    let cursor = props.cursor;
    let view = viewing.at(cursor);
    let d = {
        let layout = Rc::clone(&props.layout);
        use_memo(
            (props.version, cursor, view, *frame),
            move |(_, _, view, frame)| {
                let d = layout(*view, *frame);
                let markup = AttrValue::from(svg::markup(&d));
                (d, markup)
            },
        )
    };
    let viewport: NodeRef = use_node_ref();
    let svg: NodeRef = use_node_ref();
    let gestures = use_mut_ref(Gestures::default);
    let drawn = &d;
    let d = &drawn.0;
    let cursor = d.cursor;
    let view = viewing.at(cursor);

    // Size the drawing to its box: on mount and whenever the window resizes. (Not
    // after every render: where the drawing's own size feeds back into its box, as
    // without the stylesheet, that would grow it forever. A box that changes otherwise
    // just scales the drawing until the next resize.)
    let measure = {
        let viewport = viewport.clone();
        let frame = frame.clone();
        move || {
            if let Some(el) = viewport.cast::<Element>() {
                let (w, h) = (el.client_width(), el.client_height());
                if w > 0 && h > 0 {
                    frame.set(Frame {
                        width: f64::from(w),
                        height: f64::from(h),
                    });
                }
            }
        }
    };
    {
        let gestures = gestures.clone();
        let svg = svg.clone();
        let viewing = viewing.clone();
        use_effect(move || {
            // A pin set at another cursor is forgotten once the cursor moves, so that
            // coming back to that event later follows the cursor too.
            let moved = gestures.borrow_mut().seen_cursor.replace(cursor) != Some(cursor);
            if moved && viewing.pinned_at.is_some_and(|p| p != cursor) {
                viewing.set(Viewing {
                    pinned_at: None,
                    view: View {
                        pin: None,
                        ..viewing.view
                    },
                });
            }
            // A redraw replaces the marks: give the focus back to the chosen one
            // while the run stays at its event (the view may redraw more than once).
            let wanted = gestures.borrow().refocus.clone();
            if let Some((sel, event, from)) = wanted {
                if event != cursor.to_string() {
                    if cursor != from {
                        gestures.borrow_mut().refocus.take();
                    }
                } else if let Some(root) = svg.cast::<Element>() {
                    let lost = active_element().is_none_or(|a| !root.contains(Some(&a)));
                    if lost && let Ok(Some(el)) = root.query_selector(&sel) {
                        focus(&el);
                    }
                }
            }
        });
    }
    {
        use_effect_with((), move |()| {
            measure();
            let listener = web_sys::window()
                .map(|w| gloo_events::EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }

    let set_view = {
        let viewing = viewing.clone();
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
    let page = (d.frame.height - d.top()) * 0.8;
    // Every scroll and zoom (buttons, keys, wheel) goes through one function.
    let go: Rc<dyn Fn(Move)> = {
        let set_view = Rc::clone(&set_view);
        let drawn = Rc::clone(drawn);
        // Zooming keeps the moment at the anchor where it is.
        let anchor = d.anchor.t;
        let following = view.pin.is_none();
        Rc::new(move |m: Move| {
            set_view(match m {
                Move::Pan(dy) => drawn.0.panned(view, dy),
                Move::Zoom(zoom_in) => {
                    let mut v = view.zoomed(zoom_in);
                    if !following {
                        v.pin = Some(anchor);
                    }
                    v
                }
                Move::Follow => View { pin: None, ..view },
            });
        })
    };
    let click = |m: Move| {
        let go = Rc::clone(&go);
        Callback::from(move |_: MouseEvent| go(m))
    };
    let on_export = {
        let svg = svg.clone();
        let size = d.frame;
        let name = props.file_name.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            let result = svg
                .cast::<Element>()
                .ok_or_else(|| "the diagram is not on the page".to_owned())
                .and_then(|el| {
                    browser::download_as(&name, "image/svg+xml", &standalone(&el, size))
                });
            if let Err(e) = result {
                on_action.emit(Action::Notify(Notice::error(format!("Export failed: {e}"))));
            }
        })
    };

    // Seeking: a click (not the end of a drag) on anything with an event.
    let seek_from = {
        let on_action = props.on_action.clone();
        let viewing = viewing.clone();
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
        let gestures = gestures.clone();
        Callback::from(move |e: MouseEvent| {
            if std::mem::take(&mut gestures.borrow_mut().dragged) {
                return;
            }
            seek_from(e.target());
        })
    };
    let on_key = {
        let gestures = gestures.clone();
        let go = Rc::clone(&go);
        let seek_from = Rc::clone(&seek_from);
        Callback::from(move |e: KeyboardEvent| {
            // Any other key (Tab…) hands the focus back to the user.
            gestures.borrow_mut().refocus.take();
            let key = e.key();
            let step = match key.as_str() {
                "ArrowUp" => Some(Move::Pan(-KEY_STEP)),
                "ArrowDown" => Some(Move::Pan(KEY_STEP)),
                "PageUp" => Some(Move::Pan(-page)),
                "PageDown" => Some(Move::Pan(page)),
                "+" | "=" => Some(Move::Zoom(true)),
                "-" | "_" => Some(Move::Zoom(false)),
                "End" => Some(Move::Follow),
                _ => None,
            };
            let handled = if let Some(m) = step {
                go(m);
                true
            } else if key == "Enter" || key == " " {
                let mark = e
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .filter(|el| el.has_attribute("data-mark"));
                gestures.borrow_mut().refocus = mark.and_then(|el| {
                    let ev = el.get_attribute("data-spacetime-event")?;
                    let kind = el.get_attribute("data-mark")?;
                    let sel = format!("[data-mark=\"{kind}\"][data-spacetime-event=\"{ev}\"]");
                    Some((sel, ev, cursor))
                });
                seek_from(e.target())
            } else {
                false
            };
            if handled {
                e.prevent_default();
                e.stop_propagation();
            }
        })
    };
    let on_wheel = {
        let go = Rc::clone(&go);
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let unit = match e.delta_mode() {
                1 => 16.0,
                2 => page,
                _ => 1.0,
            };
            let dy = e.delta_y() * unit;
            if e.ctrl_key() {
                go(Move::Zoom(dy < 0.0));
            } else if dy != 0.0 {
                go(Move::Pan(dy));
            }
        })
    };
    let on_down = {
        let gestures = gestures.clone();
        let drawn = Rc::clone(drawn);
        Callback::from(move |e: PointerEvent| {
            let mut g = gestures.borrow_mut();
            g.refocus = None;
            if e.pointer_type() == "mouse" && e.button() == 0 {
                g.drag = Some((f64::from(e.client_y()), Rc::clone(&drawn), view));
            }
        })
    };
    let on_move = {
        let viewport = viewport.clone();
        let gestures = gestures.clone();
        let set_view = Rc::clone(&set_view);
        Callback::from(move |e: PointerEvent| {
            let Some((y0, start, v)) = gestures.borrow().drag.clone() else {
                return;
            };
            let dy = f64::from(e.client_y()) - y0;
            if dy.abs() < DRAG_SLOP && !gestures.borrow().dragged {
                return;
            }
            // A drag holds the pointer on the viewport: the drawing under it is
            // replaced as it scrolls, and events must not follow a removed element.
            if !std::mem::replace(&mut gestures.borrow_mut().dragged, true)
                && let Some(el) = viewport.cast::<Element>()
            {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            // The drawing follows the pointer: dragging down shows earlier times.
            set_view(start.0.panned(v, -dy));
        })
    };
    let on_up = {
        let gestures = gestures.clone();
        Callback::from(move |_: PointerEvent| {
            gestures.borrow_mut().drag.take();
        })
    };

    let following = view.pin.is_none();
    let zoom_label = ZOOM_LABELS[view.zoom.min(ZOOM_LABELS.len() - 1)];
    let n = d.lanes.len();
    let size = (
        format!("{}", Dec(d.frame.width, 0)),
        format!("{}", Dec(d.frame.height, 0)),
    );
    html! {
        <div class="spacetime">
            <div class="st-bar" role="toolbar" aria-label="Space-time diagram">
                <div class="st-group">
                    { tool("btn btn--small btn--icon", "Zoom out", "−", "Zoom out (−)", view.zoom == 0, click(Move::Zoom(false))) }
                    <span class="st-zoom" aria-live="polite">{ zoom_label }</span>
                    { tool("btn btn--small btn--icon", "Zoom in", "+", "Zoom in (+)", view.zoom + 1 >= ZOOMS.len(), click(Move::Zoom(true))) }
                </div>
                <div class="st-group">
                    { tool("btn btn--small", "Earlier", "↑ Earlier", "Scroll to earlier times (Page Up)", false, click(Move::Pan(-page))) }
                    { tool("btn btn--small", "Later", "↓ Later", "Scroll to later times (Page Down)", false, click(Move::Pan(page))) }
                    { button("btn btn--small", "Follow", Btn {
                        aria_label: Some("Follow the cursor"),
                        title: Some("Keep the cursor in view (End)".into()),
                        disabled: following,
                        pressed: Some(if following { "true" } else { "false" }),
                    }, click(Move::Follow)) }
                </div>
                <span class="st-hint">{ "click an event to go there" }</span>
                { tool("btn btn--small", "Export SVG", "Export SVG", "Download this diagram as an SVG file", false, on_export) }
            </div>
            <div class="st-viewport" ref={viewport} tabindex="0" title="Wheel or drag to scroll; click an event to go there"
                aria-label="Space-time diagram: ↑ ↓ scroll, + − zoom, Enter on a mark goes to its event"
                onclick={on_click} onkeydown={on_key} onwheel={on_wheel}
                onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up.clone()} onpointercancel={on_up}>
                <svg ref={svg} xmlns="http://www.w3.org/2000/svg" class="st__svg"
                    viewBox={format!("0 0 {} {}", size.0, size.1)}
                    role="group" aria-label={format!("Space-time diagram of {n} nodes at event {cursor}")}
                    data-spacetime-cursor={cursor.to_string()}>
                    { Html::from_html_unchecked(drawn.1.clone()) }
                </svg>
            </div>
        </div>
    }
}

/// A toolbar button.
fn tool(
    class: &'static str,
    aria_label: &'static str,
    text: &'static str,
    title: &'static str,
    disabled: bool,
    onclick: Callback<MouseEvent>,
) -> Html {
    button(
        class,
        text,
        Btn {
            aria_label: Some(aria_label),
            title: Some(title.into()),
            disabled,
            pressed: None,
        },
        onclick,
    )
}

/// The focused element, if any.
fn active_element() -> Option<Element> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
}

/// Focus an element (SVG elements have `focus()` too; web-sys binds it for HTML only).
fn focus(el: &Element) {
    if let Ok(f) = js_sys::Reflect::get(el, &"focus".into())
        && let Some(f) = f.dyn_ref::<js_sys::Function>()
    {
        let _ = f.call0(el);
    }
}

/// The diagram as a standalone SVG file: its markup with the page's rules for it
/// inlined, so that it renders without the page, at its size on screen. (On the page
/// the drawing has no `width`/`height`: its box sizes it, never the other way round.)
fn standalone(svg: &Element, size: Frame) -> String {
    // The drawing's own rules are the `.st__` ones (the toolbar's are `.st-`), plus the
    // palette they read: `:root` custom properties and the `.rpc-N` colours.
    let css = browser::style_rules(&|rule: &str| {
        !rule.starts_with('@')
            && (rule.starts_with(":root") || rule.contains(".st__") || rule.starts_with(".rpc-"))
    });
    let markup = svg.outer_html();
    let open = markup.find('>').map_or(0, |i| i + 1);
    let tag = &markup[..open.saturating_sub(1)];
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{tag} width=\"{}\" height=\"{}\">\
         <style><![CDATA[\n{css}]]></style>{}",
        Dec(size.width, 0),
        Dec(size.height, 0),
        &markup[open..]
    )
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
    stage_switch(props.spacetime, &props.on_change)
}

/// [`StageSwitch`]'s markup, for a caller that draws it without a component of its own.
pub fn stage_switch(spacetime: bool, on_change: &Callback<bool>) -> Html {
    let choice = |label: &'static str, value: bool| {
        let cb = on_change.clone();
        let on = spacetime == value;
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
