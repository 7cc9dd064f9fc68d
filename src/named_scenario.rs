//! Named scenarios on the page: the picker lists them from
//! `faultlab_sim::scenario::catalog::SCENARIOS` (names and titles compiled in), and a
//! scenario's file (`scenarios/<protocol>/<name>.json`, copied beside the page by trunk)
//! is fetched only when it is chosen, so the page's WebAssembly carries none of their
//! steps and prose (the 2PC tab's start scenario aside: see `AppState::fresh`).
//!
//! Opening one is two actions, as for a guided tour: [`ScenarioAction::Open`] marks the
//! tab's lab as loading it, which the picker shows (it fetches the file as it sends the
//! action); [`ScenarioAction::Loaded`] brings the text, or why it could not be had. The
//! run goes on meanwhile. A failed load leaves the run as it was, with a notice naming
//! the problem; an answer for a scenario the lab no longer waits for (the user chose
//! another, or rebuilt the run) is ignored.
//!
//! It must not touch the DOM, fetch, or read a clock (it is part of the reducer).

use faultlab_sim::scenario::catalog::ScenarioInfo;
use serde_json::Value;

use crate::lab::Lab;
use crate::plugin::LabProtocol;
use crate::state::{AppState, Opening, Tab};

/// Where the page fetches a named scenario's file from (relative to the page;
/// index.html has trunk copy `crates/sim/scenarios/` to `dist/scenarios/`).
pub fn file_url(info: &ScenarioInfo) -> String {
    format!("scenarios/{}/{}.json", info.protocol, info.name)
}

/// What the picker does with a named scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioAction {
    /// The user chose it: its file is being fetched.
    Open(&'static ScenarioInfo),
    /// Its file arrived (the text), or could not be fetched (why).
    Loaded(&'static ScenarioInfo, Result<String, String>),
}

/// Apply a picker action. `Ok(Some(text))` is an information notice.
///
/// # Errors
/// A scenario whose file could not be fetched, or does not open, named.
pub fn reduce(s: &mut AppState, action: ScenarioAction) -> Result<Option<String>, String> {
    match action {
        ScenarioAction::Open(info) => {
            let tab = tab_of(info)?;
            match tab {
                Tab::Raft => mark(&mut s.raft, Some(info)),
                Tab::TwoPc => mark(&mut s.twopc, Some(info)),
            }
            s.tab = tab;
            Ok(None)
        }
        ScenarioAction::Loaded(info, text) => {
            let tab = tab_of(info)?;
            let waiting = match tab {
                Tab::Raft => s.raft.loading == Some(info),
                Tab::TwoPc => s.twopc.loading == Some(info),
            };
            if !waiting {
                // A late answer for a choice the user replaced meanwhile.
                return Ok(None);
            }
            match tab {
                Tab::Raft => mark(&mut s.raft, None),
                Tab::TwoPc => mark(&mut s.twopc, None),
            }
            let url = file_url(info);
            text.and_then(|text| {
                let v: Value = serde_json::from_str(&text)
                    .map_err(|e| format!("{url} is not valid JSON: {e}"))?;
                if v.get("protocol").and_then(Value::as_str) != Some(info.protocol) {
                    return Err(format!("{url} is not a {} scenario", info.protocol));
                }
                s.open_scenario(&v, Opening::File)
                    .map_err(|e| format!("{url}: {e}"))
            })
            .map(Some)
            .map_err(|e| format!("could not load \"{}\" ({e})", info.title))
        }
    }
}

fn tab_of(info: &ScenarioInfo) -> Result<Tab, String> {
    Tab::from_protocol(info.protocol)
        .ok_or_else(|| format!("unknown protocol \"{}\"", info.protocol))
}

/// Mark (or unmark) `lab` as waiting for a scenario's file; the picker redraws.
fn mark<P: LabProtocol>(lab: &mut Lab<P>, loading: Option<&'static ScenarioInfo>) {
    lab.loading = loading;
    lab.version += 1;
}

// The scenarios' texts are compiled in for native builds only (the tests).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::rc::Rc;

    use faultlab_sim::scenario::catalog;
    use yew::Reducible;

    use super::*;
    use crate::state::Action;

    fn dispatch(s: Rc<AppState>, a: Action) -> Rc<AppState> {
        s.reduce(a)
    }

    fn open(s: Rc<AppState>, info: &'static ScenarioInfo) -> Rc<AppState> {
        dispatch(s, Action::Scenario(ScenarioAction::Open(info)))
    }

    fn loaded(s: Rc<AppState>, info: &'static ScenarioInfo, r: Result<&str, &str>) -> Rc<AppState> {
        let r = r.map(str::to_owned).map_err(str::to_owned);
        dispatch(s, Action::Scenario(ScenarioAction::Loaded(info, r)))
    }

    #[test]
    fn every_named_scenario_loads_and_opens_in_its_tab() {
        for info in catalog::SCENARIOS {
            let s = open(Rc::new(AppState::fresh()), info);
            let tab = Tab::from_protocol(info.protocol).expect("a tab");
            assert_eq!(s.tab, tab);
            let waiting = match tab {
                Tab::Raft => s.raft.loading,
                Tab::TwoPc => s.twopc.loading,
            };
            assert_eq!(waiting, Some(info), "loading first");
            let text = catalog::text(info.protocol, info.name).expect("compiled in");
            let s = loaded(s, info, Ok(text));
            let notice = s.notice.clone().expect("a notice");
            assert!(!notice.error, "{}: {}", info.name, notice.text);
            let (title, loading, about) = match tab {
                Tab::Raft => (s.raft.title.clone(), s.raft.loading, s.raft.about.clone()),
                Tab::TwoPc => (
                    s.twopc.title.clone(),
                    s.twopc.loading,
                    s.twopc.about.clone(),
                ),
            };
            assert_eq!(title.as_deref(), Some(info.title));
            assert_eq!(loading, None);
            assert!(about.get("description").is_some(), "{}", info.name);
        }
    }

    #[test]
    fn a_failed_load_names_the_problem_and_leaves_the_run() {
        let info = catalog::info("raft", "figure8").expect("listed");
        for (answer, says) in [
            (Err("HTTP 404 Not Found"), "HTTP 404 Not Found"),
            (Ok("{ nope"), "is not valid JSON"),
            (
                Ok(r#"{"format": "faultlab-scenario/1", "protocol": "raft", "seed": "x"}"#),
                "seed",
            ),
        ] {
            let before = Rc::new(AppState::fresh());
            let s = loaded(open(Rc::clone(&before), info), info, answer);
            let notice = s.notice.clone().expect("a notice");
            assert!(notice.error, "{}", notice.text);
            assert!(notice.text.contains(says), "{}", notice.text);
            assert!(notice.text.contains(info.title), "{}", notice.text);
            assert!(s.raft.same_run(&before.raft), "the run is untouched");
            assert_eq!(s.raft.loading, None);
        }
    }

    #[test]
    fn a_late_answer_is_ignored() {
        let first = catalog::info("raft", "figure8").expect("listed");
        let second = catalog::info("raft", "tc1-heartbeat-timeout").expect("listed");
        let s = open(open(Rc::new(AppState::fresh()), first), second);
        let text = catalog::text("raft", "figure8").expect("compiled in");
        let s = loaded(s, first, Ok(text));
        assert_eq!(s.raft.loading, Some(second), "still waiting for the second");
        assert_eq!(s.raft.title, None);
        // Rebuilding the run (Free play) cancels the wait.
        let s = dispatch(s, Action::Lab(crate::state::LabAction::Reset));
        assert_eq!(s.raft.loading, None);
        let text = catalog::text("raft", "tc1-heartbeat-timeout").expect("compiled in");
        let s = loaded(s, second, Ok(text));
        assert_eq!(s.raft.title, None);
    }
}
