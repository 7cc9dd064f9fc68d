//! The log panel: every node's log lines in the assignment's formats, rendered from the
//! trace up to the cursor, filterable by node and RPC, auto-scrolling, with the lines
//! of the event being viewed highlighted.

use faultlab_sim::log;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::{
    Callback, Html, NodeRef, TargetCast, component, html, use_effect_with, use_node_ref, use_state,
};

use super::LabProps;
use crate::layout::time_label;
use crate::plugin::LabProtocol;

/// Trace entries rendered per frame (the newest ones up to the cursor).
const TRACE_WINDOW: usize = 6_000;
/// Lines shown at most (the newest ones that pass the filters).
const MAX_LINES: usize = 400;

/// The log panel.
#[component]
pub fn LogPanel<P: LabProtocol>(props: &LabProps<P>) -> Html {
    let node_filter = use_state(|| None::<u16>);
    let rpc_filter = use_state(|| None::<String>);
    let follow = use_state(|| true);
    let scroller: NodeRef = use_node_ref();
    let lab = &props.lab;
    let cursor = lab.cursor();

    let (names, lines) = lab.with_world(|w| {
        let names: Vec<String> = w.node_ids().map(|id| w.node_name(id)).collect();
        let lines = lab.with_trace(|trace| {
            let start = trace.len().saturating_sub(TRACE_WINDOW);
            let mut lines = log::render::<P>(w.config(), &trace[start..]);
            lines.retain(|l| {
                node_filter.is_none_or(|n| l.node.0 == n)
                    && rpc_filter
                        .as_ref()
                        .is_none_or(|r| l.rpc.as_deref() == Some(r.as_str()))
            });
            let skip = lines.len().saturating_sub(MAX_LINES);
            lines.drain(..skip);
            lines
        });
        (names, lines)
    });

    {
        let scroller = scroller.clone();
        let follow = *follow;
        let version = lab.version;
        use_effect_with((cursor, lines.len(), follow, version), move |_| {
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
                { for lines.iter().map(|l| {
                    let current = l.event == cursor;
                    let name = names.get(l.node.index()).cloned().unwrap_or_default();
                    html! {
                        <li class={if current { "log__line log__line--current" } else { "log__line" }}
                            data-event={l.event.to_string()} data-log-node={name.clone()}>
                            <span class="log__time">{ time_label(ms(l.at.as_ms())) }</span>
                            <span class={format!("log__node node-chip node-chip--{}", l.node.0 % 9)}>{ name }</span>
                            <span class="log__text">{ l.text.clone() }</span>
                        </li>
                    }
                }) }
                if lines.is_empty() {
                    <li class="log__empty">{ "No log lines yet." }</li>
                }
            </ol>
        </section>
    }
}

fn ms(v: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let f = v as f64;
    f
}
