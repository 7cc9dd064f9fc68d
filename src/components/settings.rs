//! Settings: mode and bug toggles (reset the run), node count (resets), and the network
//! (latency range, loss and duplication rates), applied as recorded inputs.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::{Callback, Html, Properties, SubmitEvent, TargetCast, component, html, use_state};

use faultlab_sim::{NetConfig, Ticks};

use super::parts::{option, send};
use crate::lab::Fault;
use crate::lab::Recipe;
use crate::state::{Action, LabAction, Notice};
use faultlab_sim::scenario::BugInfo;

/// The network settings as typed, before validation.
pub struct NetForm {
    /// Shortest latency, ms.
    pub lo: String,
    /// Longest latency, ms.
    pub hi: String,
    /// Loss, percent.
    pub drop_pct: String,
    /// Duplication, percent.
    pub dup_pct: String,
}

/// Validate the network form into `(lo, hi, drop, dup)`.
///
/// # Errors
/// The first field that is wrong, named.
pub fn parse_net(f: &NetForm) -> Result<(u64, u64, f64, f64), String> {
    let lo: u64 = f.lo.trim().parse().map_err(|_| {
        format!(
            "Latency min: must be a whole number of ms, got \"{}\"",
            f.lo
        )
    })?;
    let hi: u64 = f.hi.trim().parse().map_err(|_| {
        format!(
            "Latency max: must be a whole number of ms, got \"{}\"",
            f.hi
        )
    })?;
    if lo == 0 {
        return Err("Latency min: must be at least 1 ms".into());
    }
    if hi < lo {
        return Err(format!(
            "Latency max ({hi} ms) must not be below latency min ({lo} ms)"
        ));
    }
    if hi > 60_000 {
        return Err("Latency max: at most 60000 ms".into());
    }
    let pct = |label: &str, t: &str| -> Result<f64, String> {
        match crate::num::parse_decimal(t.trim()) {
            Some(p) if (0.0..=100.0).contains(&p) => Ok(p / 100.0),
            _ => Err(format!(
                "{label}: must be a percentage from 0 to 100, got \"{t}\""
            )),
        }
    };
    Ok((
        lo,
        hi,
        pct("Loss", &f.drop_pct)?,
        pct("Duplication", &f.dup_pct)?,
    ))
}

/// Props of [`Settings`]: what it shows, so that it renders only when they change.
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The network configuration in force at the head.
    pub net: NetConfig,
    /// Node count.
    pub nodes: usize,
    /// The run's recipe (mode, bugs).
    pub recipe: Recipe,
    /// The protocol's modes.
    pub modes: &'static [&'static str],
    /// The protocol's bug toggles.
    pub bugs: &'static [BugInfo],
    /// Where actions go.
    pub on_action: Callback<Action>,
}

/// The settings panel.
#[component]
pub fn Settings(props: &SettingsProps) -> Html {
    let net = &props.net;
    let nodes = props.nodes;
    let current = NetForm {
        lo: net.latency_min.as_ms().to_string(),
        hi: net.latency_max.as_ms().to_string(),
        drop_pct: fmt_pct(net.drop_rate),
        dup_pct: fmt_pct(net.duplicate_rate),
    };
    let error = use_state(Option::<String>::default);
    let recipe = &props.recipe;

    // Both selects: the chosen value, as an action (one handler type for both).
    let on_select = |action: fn(String) -> Option<Action>| {
        let cb = props.on_action.clone();
        Callback::from(move |e: yew::Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            if let Some(a) = action(s.value()) {
                cb.emit(a);
            }
        })
    };
    let on_nodes = on_select(|v| Some(Action::Lab(LabAction::SetNodes(v.parse().ok()?))));
    let on_mode = on_select(|v| Some(Action::Lab(LabAction::SetMode(v))));
    let on_net = {
        let cb = props.on_action.clone();
        let error = error.clone();
        let old = parse_net(&current).ok();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::HtmlFormElement = e.target_unchecked_into();
            let get = |name: &str| -> String {
                use wasm_bindgen::JsCast;
                form.elements()
                    .named_item(name)
                    .and_then(|x| x.dyn_into::<HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let typed = NetForm {
                lo: get("lat-lo"),
                hi: get("lat-hi"),
                drop_pct: get("drop"),
                dup_pct: get("dup"),
            };
            match parse_net(&typed) {
                Ok((lo, hi, drop, dup)) => {
                    error.set(None);
                    if old.is_none_or(|(a, b, _, _)| (a, b) != (lo, hi)) {
                        cb.emit(Action::Lab(LabAction::Fault(Fault::Latency(
                            Ticks(lo),
                            Ticks(hi),
                        ))));
                    }
                    if old.is_none_or(|(_, _, d, _)| (d - drop).abs() > 1e-12) {
                        cb.emit(Action::Lab(LabAction::Fault(Fault::DropRate(drop))));
                    }
                    if old.is_none_or(|(_, _, _, d)| (d - dup).abs() > 1e-12) {
                        cb.emit(Action::Lab(LabAction::Fault(Fault::DuplicateRate(dup))));
                    }
                }
                Err(problem) => {
                    error.set(Some(problem.clone()));
                    cb.emit(Action::Notify(Notice::error(problem)));
                }
            }
        })
    };
    // Typed values are replaced (the form is rebuilt) when the settings in force change.
    let key = format!(
        "{} {} {} {}",
        current.lo, current.hi, current.drop_pct, current.dup_pct
    );
    let NetForm {
        lo,
        hi,
        drop_pct,
        dup_pct,
    } = current;

    html! {
        <section class="panel settings" aria-label="Settings">
            <header class="panel__head"><h2>{ "Settings" }</h2></header>
            <div class="settings__row">
                { select_field("Mode", on_mode, props.modes.iter().map(|m| option(m, m, recipe.mode == *m)).collect()) }
                { select_field("Nodes", on_nodes, NODE_COUNTS.iter().enumerate().map(|(i, n)| option(n, n, i + 3 == nodes)).collect()) }
            </div>
            if !props.bugs.is_empty() {
                <fieldset class="bugs">
                    <legend>{ "Bug toggles (as submitted)" }</legend>
                    { for props.bugs.iter().map(|b| html! {
                        <label class="bug" key={b.name}>
                            <input type="checkbox" checked={recipe.bugs.iter().any(|x| x == b.name)}
                                onchange={send(&props.on_action, Action::Lab(LabAction::ToggleBug(b.name.to_owned())))} />
                            <span class="bug__name">{ b.name }<span class="muted">{ format!(" ({})", b.seed_ref) }</span></span>
                            <span class="bug__summary">{ b.summary }</span>
                        </label>
                    }) }
                </fieldset>
            }
            <form class="net" onsubmit={on_net} aria-label="Network" key={key}>
                <div class="settings__row">
                    { net_field("Latency min", "lat-lo", "numeric", lo) }
                    { net_field("Latency max", "lat-hi", "numeric", hi) }
                    { net_field("Loss %", "drop", "decimal", drop_pct) }
                    { net_field("Duplicate %", "dup", "decimal", dup_pct) }
                </div>
                <div class="net__foot">
                    <button class="btn" type="submit">{ "Apply network settings" }</button>
                    <p class="muted small">{ "Latency in ms. Network changes are recorded as inputs now; mode, bugs and node count restart the run." }</p>
                </div>
                if let Some(e) = &*error {
                    <p class="field-error" role="alert">{ e.clone() }</p>
                }
            </form>
        </section>
    }
}

/// The node counts offered.
const NODE_COUNTS: [&str; 7] = ["3", "4", "5", "6", "7", "8", "9"];

/// A labelled select (its accessible name is its label).
fn select_field(label: &'static str, onchange: Callback<yew::Event>, options: Html) -> Html {
    html! {
        <label class="field">
            <span>{ label }</span>
            <select class="input" aria-label={label} onchange={onchange}>{ options }</select>
        </label>
    }
}

/// One labelled input of the network form.
fn net_field(label: &'static str, name: &'static str, mode: &'static str, value: String) -> Html {
    html! {
        <label class="field"><span>{ label }</span>
            <input class="input" name={name} inputmode={mode} value={value} /></label>
    }
}

fn fmt_pct(p: f64) -> String {
    crate::num::trimmed(p * 100.0, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(lo: &str, hi: &str, d: &str, u: &str) -> NetForm {
        NetForm {
            lo: lo.into(),
            hi: hi.into(),
            drop_pct: d.into(),
            dup_pct: u.into(),
        }
    }

    #[test]
    fn network_form_validation() {
        assert_eq!(
            parse_net(&form("10", "40", "0", "5")),
            Ok((10, 40, 0.0, 0.05))
        );
        assert!(
            parse_net(&form("0", "40", "0", "0"))
                .expect_err("zero")
                .contains("at least 1")
        );
        assert!(
            parse_net(&form("50", "40", "0", "0"))
                .expect_err("order")
                .contains("below")
        );
        assert!(
            parse_net(&form("x", "40", "0", "0"))
                .expect_err("nan")
                .contains("Latency min")
        );
        assert!(
            parse_net(&form("1", "40", "120", "0"))
                .expect_err("pct")
                .contains("Loss")
        );
        assert_eq!(fmt_pct(0.05), "5");
        assert_eq!(fmt_pct(0.0), "0");
    }
}
