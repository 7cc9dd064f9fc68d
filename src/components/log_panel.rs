//! The log panel: every node's log lines in the assignment's formats, rendered from the
//! trace up to the cursor, filterable by node and RPC, auto-scrolling, with the lines
//! of the event being viewed highlighted.

use std::rc::Rc;

use faultlab_sim::LogLine;
use faultlab_sim::log;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::{
    Callback, Html, NodeRef, Properties, TargetCast, component, html, use_effect_with, use_memo,
    use_node_ref, use_state,
};

use super::LabProps;
use crate::layout::time_label;
use crate::plugin::LabProtocol;

/// How many trace entries are rendered at a time, walking back from the cursor (fewer
/// while playing: a refresh then wants only the newest few dozen lines, and formatting
/// lines that are thrown away was most of its cost).
const CHUNK: usize = 400;
const CHUNK_PLAYING: usize = 100;
/// The furthest back (in trace entries) the panel looks for lines that pass the filters.
const TRACE_WINDOW: usize = 8_000;
/// Lines shown at most (the newest ones that pass the filters).
const MAX_LINES: usize = 150;
/// Lines shown at most while playing (the newest; all of them once paused).
const MAX_LINES_PLAYING: usize = 60;
/// While playing, the lines refresh this often (real ms).
const REFRESH_MS: f64 = 250.0;

/// The log panel.
#[component]
pub fn LogPanel<P: LabProtocol>(props: &LabProps<P>) -> Html {
    let node_filter = use_state(|| None::<u16>);
    let rpc_filter = use_state(|| None::<String>);
    let follow = use_state(|| true);
    let scroller: NodeRef = use_node_ref();
    let lab = &props.lab;
    let cursor = lab.cursor();
    let names: Vec<String> = lab.with_world(|w| w.node_ids().map(|id| w.node_name(id)).collect());

    // Lines change only when the viewed event, the run or the filters do: not on every
    // frame of the play loop. While playing they refresh a few times per real second
    // (nobody reads a log at 60 frames per second, and re-laying them out every
    // frame costs more than the rest of the page).
    let playing = lab.playing;
    let moment = if playing {
        // Virtual time in steps of REFRESH_MS of real time at the current speed.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bucket = (lab.view_ms() / (REFRESH_MS * lab.speed())).floor() as u64;
        (bucket, u64::MAX)
    } else {
        (cursor, lab.head_events())
    };
    let key = (
        moment,
        playing,
        lab.with_head(|w| w.inputs().len()),
        lab.recipe.clone(),
        *node_filter,
        (*rpc_filter).clone(),
    );
    let lines = use_memo(key, |(_, playing, _, _, node_filter, rpc_filter)| {
        let (max_lines, chunk) = if *playing {
            (MAX_LINES_PLAYING, CHUNK_PLAYING)
        } else {
            (MAX_LINES, CHUNK)
        };
        lab.with_world(|w| {
            lab.with_trace(|trace| {
                let keep = |l: &LogLine| {
                    node_filter.is_none_or(|n| l.node.0 == n)
                        && rpc_filter
                            .as_ref()
                            .is_none_or(|r| l.rpc.as_deref() == Some(r.as_str()))
                };
                let mut out: Vec<LogLine> = Vec::new();
                let mut end = trace.len();
                while end > 0 && out.len() < max_lines && trace.len() - end < TRACE_WINDOW {
                    let start = end.saturating_sub(chunk);
                    let mut chunk = log::render::<P>(w.config(), trace.range(start..end));
                    chunk.retain(|l| keep(l));
                    chunk.append(&mut out);
                    out = chunk;
                    end = start;
                }
                let skip = out.len().saturating_sub(max_lines);
                out.drain(..skip);
                out
            })
        })
    });

    {
        let scroller = scroller.clone();
        let follow = *follow;
        let lines_id = Rc::as_ptr(&lines) as usize;
        use_effect_with((lines_id, follow), move |_| {
            if follow && let Some(el) = scroller.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let on_node = {
        let node_filter = node_filter.clone();
        Callback::from(move |e: yew::Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            node_filter.set(s.value().parse::<u16>().ok());
        })
    };
    let on_rpc = {
        let rpc_filter = rpc_filter.clone();
        Callback::from(move |e: yew::Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let v = s.value();
            rpc_filter.set(if v.is_empty() { None } else { Some(v) });
        })
    };
    let on_follow = {
        let follow = follow.clone();
        Callback::from(move |e: yew::Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            follow.set(i.checked());
        })
    };

    html! {
        <section class="panel log" aria-label="Node logs">
            <header class="panel__head">
                <h2>{ "Logs" }</h2>
                <div class="log__filters">
                    <select class="input input--small" aria-label="Filter by node" onchange={on_node}>
                        <option value="" selected={node_filter.is_none()}>{ "All nodes" }</option>
                        { for names.iter().enumerate().map(|(i, n)| {
                            let i = u16::try_from(i).unwrap_or(u16::MAX);
                            html! { <option value={i.to_string()} selected={*node_filter == Some(i)}>{ format!("Node {n}") }</option> }
                        }) }
                    </select>
                    <select class="input input--small" aria-label="Filter by RPC" onchange={on_rpc}>
                        <option value="" selected={rpc_filter.is_none()}>{ "All RPCs" }</option>
                        { for P::RPCS.iter().map(|r| html! {
                            <option value={*r} selected={rpc_filter.as_deref() == Some(*r)}>{ *r }</option>
                        }) }
                    </select>
                    <label class="check">
                        <input type="checkbox" checked={*follow} onchange={on_follow} />
                        <span>{ "Follow" }</span>
                    </label>
                </div>
            </header>
            <ol class="log__lines" ref={scroller} tabindex="0" aria-label="Log lines"
                style={format!("--node-col:{}ch", names.iter().map(String::len).max().unwrap_or(1) + 3)}>
                <LogLines lines={lines} names={Rc::new(names)} cursor={if playing { u64::MAX } else { cursor }} />
            </ol>
        </section>
    }
}

fn ms(v: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let f = v as f64;
    f
}

/// Props of [`LogLines`].
#[derive(Properties)]
struct LogLinesProps {
    lines: Rc<Vec<LogLine>>,
    names: Rc<Vec<String>>,
    cursor: u64,
}

impl PartialEq for LogLinesProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.lines, &other.lines)
            && self.names == other.names
            && self.cursor == other.cursor
    }
}

/// The lines themselves, re-rendered only when they change.
#[component]
fn LogLines(props: &LogLinesProps) -> Html {
    if props.lines.is_empty() {
        return html! { <li class="log__empty">{ "No log lines yet." }</li> };
    }
    html! {
        { for props.lines.iter().enumerate().map(|(i, l)| {
            let current = l.event == props.cursor;
            // Keyed by event and position within it (when paused), so that a window
            // that slides by a few lines (a step) moves a few DOM nodes instead of
            // rewriting every line.
            let nth = props.lines[..i].iter().rev().take_while(|p| p.event == l.event).count();
            let name = props.names.get(l.node.index()).cloned().unwrap_or_default();
            let mut line = html! {
                <li class={if current { "log__line log__line--current" } else { "log__line" }}
                    data-event={l.event.to_string()} data-log-node={name.clone()}>
                    <span class="log__time">{ time_label(ms(l.at.as_ms())) }</span>
                    <span class={format!("log__node node-chip node-chip--{}", l.node.0 % 9)}>{ name }</span>
                    <span class="log__text">{ l.text.clone() }</span>
                </li>
            };
            // While playing (no line is current) each refresh shows new lines: the same
            // elements then take the new text, unkeyed, which costs a third of
            // replacing them all.
            if props.cursor != u64::MAX
                && let Html::VTag(tag) = &mut line
            {
                Rc::make_mut(tag).key = Some(format!("{}.{nth}", l.event).into());
            }
            line
        }) }
    }
}
