//! Guided tours on the page: which tour is running, its stops pinned to events, the
//! stop shown, and whether the run has left the tour. The tours themselves are data:
//! the menu lists them from `faultlab_sim::tour::catalog::TOURS` (names, titles and
//! summaries compiled in), and a tour's file (`tours/<name>.json`, copied beside the
//! page by trunk) is fetched only when it is opened, so the page's WebAssembly carries
//! none of their prose. This module turns a loaded tour into a lab opened on its
//! scenario and moves that lab between the stops with the lab's own seek; each stop's
//! event is the one stored in the file ([`PinnedTour`]: the native tests hold it to the
//! stop's anchor), so the page never resolves anchors itself.
//!
//! Opening a tour is two actions: [`TourAction::Start`] (or a link carrying a tour)
//! marks it as loading, which the tour card shows and answers by fetching the file;
//! [`TourAction::Loaded`] brings the text (or why it could not be had). A tour that
//! names a scenario (`"scenario": "figure8"`) needs that scenario's file too, which the
//! page's WebAssembly does not carry either: the card fetches it right after the tour's
//! ([`TourFiles`]), so the tour opens in one step, as one with an inline scenario does.
//! A failed load
//! closes the tour with a notice naming the problem and leaves both runs as they were.
//!
//! A tour follows its run, not the other way round: any action that changes the run
//! (a crash, a client request, a new seed or scenario) forks it like any action does,
//! and the tour is then marked as left, so the card never narrates a run it no longer
//! describes. Stepping or scrubbing does not leave it (the card offers a way back).
//!
//! It must not touch the DOM, fetch, or read a clock (it is part of the reducer).

use std::rc::Rc;

use faultlab_sim::scenario::Scenario;
use faultlab_sim::tour::{PinnedTour, catalog};
use serde_json::{Value, json};

use crate::lab::Lab;
use crate::plugin::LabProtocol;
use crate::state::{AppState, Tab};

/// One stop as the card shows it: its caption, highlight and stored event.
pub use faultlab_sim::tour::PinnedStop as StopView;

/// The scenario-link keys that carry a tour (`_`-prefixed keys are ignored by other
/// readers of the scenario format).
const LINK_TOUR: &str = "_tour";
const LINK_STOP: &str = "_stop";

/// Where the page fetches tour `name`'s file from (relative to the page; index.html
/// has trunk copy `crates/sim/tours/` to `dist/tours/`).
pub fn file_url(name: &str) -> String {
    format!("tours/{name}.json")
}

/// A tour as the menu lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourEntry {
    /// Its id (file name).
    pub name: &'static str,
    /// Its title.
    pub title: &'static str,
    /// One or two sentences.
    pub summary: &'static str,
    /// The tab it runs in.
    pub tab: Tab,
}

/// Every shipped tour, in catalog order, without reading a file.
pub fn entries() -> Vec<TourEntry> {
    catalog::TOURS
        .iter()
        .filter_map(|t| {
            Some(TourEntry {
                name: t.name,
                title: t.title,
                summary: t.summary,
                tab: Tab::from_protocol(t.protocol)?,
            })
        })
        .collect()
}

/// What the user does with a tour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TourAction {
    /// Start a tour by name (at its first stop, once its file has loaded).
    Start(String),
    /// Tour `name`'s files arrived (their texts), or could not be fetched (why).
    Loaded(String, Result<TourFiles, String>),
    /// The next stop.
    Next,
    /// The previous stop.
    Previous,
    /// Show the current stop again (after stepping away from it).
    Return,
    /// Start the same tour again (after the run left it).
    Restart,
    /// Close the tour; the run stays as it is.
    Exit,
}

/// A tour's file and, when it names a scenario, that scenario's file, as fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourFiles {
    /// The tour file's text.
    pub tour: String,
    /// The text of the named scenario it refers to, if it names one (else the scenario
    /// is inline, or compiled in: native builds).
    pub scenario: Option<String>,
}

impl From<String> for TourFiles {
    /// A tour file alone (its scenario inline, or compiled in).
    fn from(tour: String) -> Self {
        TourFiles {
            tour,
            scenario: None,
        }
    }
}

/// The tour being taken.
#[derive(Clone, Debug)]
pub struct TourRun {
    /// Its id.
    pub name: &'static str,
    /// Its title.
    pub title: &'static str,
    /// The tab it runs in.
    pub tab: Tab,
    /// Its stops, pinned to events (none while its file loads).
    pub stops: Rc<Vec<StopView>>,
    /// The stop shown (0-based); while loading, the stop to show once loaded.
    pub current: usize,
    /// The user changed the run: the stops no longer describe it.
    pub left: bool,
    /// The run the tour narrates, once loaded (Restart reopens it without a fetch).
    scenario: Option<Rc<Scenario>>,
}

/// Compared for the card's props on every frame: the stops and the run are shared
/// (`Rc`) and never changed in place, so the same pointer means the same content, and
/// a deep comparison of every stop and of the scenario is not worth its code.
impl PartialEq for TourRun {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.tab == other.tab
            && self.current == other.current
            && self.left == other.left
            && Rc::ptr_eq(&self.stops, &other.stops)
            && match (&self.scenario, &other.scenario) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl TourRun {
    /// A tour whose file is being fetched, to open at stop `current`.
    fn loading(name: &str, current: usize) -> Result<TourRun, String> {
        let info =
            catalog::info(name).ok_or_else(|| format!("there is no tour called \"{name}\""))?;
        let tab = Tab::from_protocol(info.protocol)
            .ok_or_else(|| format!("tour {name}: unknown protocol \"{}\"", info.protocol))?;
        Ok(TourRun {
            name: info.name,
            title: info.title,
            tab,
            stops: Rc::new(Vec::new()),
            current,
            left: false,
            scenario: None,
        })
    }

    /// Whether its file is still being fetched (the card says so and fetches it).
    pub fn is_loading(&self) -> bool {
        self.scenario.is_none()
    }

    /// The stop shown; `None` while loading.
    pub fn stop(&self) -> Option<&StopView> {
        self.stops.get(self.current)
    }
}

/// Apply a tour action. `Ok(Some(text))` is an information notice.
///
/// # Errors
/// An unknown tour, or a tour file that could not be fetched or does not parse, named.
pub fn reduce(s: &mut AppState, action: TourAction) -> Result<Option<String>, String> {
    match action {
        TourAction::Start(name) => {
            let t = TourRun::loading(&name, 0)?;
            // The card says what the tour is; an old notice would only push it down.
            s.notice = None;
            s.tab = t.tab;
            s.tour = Some(t);
            Ok(None)
        }
        TourAction::Loaded(name, text) => {
            let Some(t) = s.tour.as_ref().filter(|t| t.is_loading() && t.name == name) else {
                // A late answer for a tour that was closed or replaced meanwhile.
                return Ok(None);
            };
            let t = t.clone();
            let loaded = text
                .and_then(|files| {
                    PinnedTour::parse_with(&name, &files.tour, files.scenario.as_deref())
                        .map_err(|e| format!("{} is not a valid tour: {e}", file_url(&name)))
                })
                .and_then(|p| {
                    if p.protocol != t.tab.protocol() {
                        return Err(format!(
                            "{} is a {} tour, but the menu lists it under {}",
                            file_url(&name),
                            p.protocol,
                            t.tab.protocol()
                        ));
                    }
                    let sc = Scenario::from_value(&p.scenario_value())
                        .map_err(|e| format!("{}: scenario: {e}", file_url(&name)))?;
                    show(s, &t, Rc::new(sc), Rc::new(p.stops), t.current)
                });
            let title = t.title;
            loaded.map(|()| None).map_err(|e| {
                // The runs are untouched: a failed load only closes the tour.
                s.tour = None;
                format!("could not load \"{title}\" ({e})")
            })
        }
        TourAction::Restart => match s.tour.clone() {
            Some(t) => match &t.scenario {
                Some(sc) => show(s, &t, Rc::clone(sc), Rc::clone(&t.stops), 0).map(|()| None),
                None => Ok(None),
            },
            None => Ok(None),
        },
        TourAction::Exit => {
            s.tour = None;
            Ok(None)
        }
        TourAction::Next | TourAction::Previous | TourAction::Return => {
            let Some(t) = &mut s.tour else {
                return Ok(None);
            };
            if t.left || t.is_loading() {
                return Ok(None);
            }
            let last = t.stops.len().saturating_sub(1);
            t.current = match action {
                TourAction::Next => (t.current + 1).min(last),
                TourAction::Previous => t.current.saturating_sub(1),
                _ => t.current.min(last),
            };
            let Some(event) = t.stop().map(|st| st.event) else {
                return Ok(None);
            };
            let tab = t.tab;
            s.tab = tab;
            match tab {
                Tab::Raft => goto(&mut s.raft, event),
                Tab::TwoPc => goto(&mut s.twopc, event),
            }
            Ok(None)
        }
    }
}

/// Show tour `t` (loaded: its scenario and stops) at stop `stop` (clamped): its
/// scenario opens in its tab, paused at the stop's event.
fn show(
    s: &mut AppState,
    t: &TourRun,
    scenario: Rc<Scenario>,
    stops: Rc<Vec<StopView>>,
    stop: usize,
) -> Result<(), String> {
    let current = stop.min(stops.len().saturating_sub(1));
    let event = stops
        .get(current)
        .map(|st| st.event)
        .ok_or_else(|| format!("tour {} has no stops", t.name))?;
    match t.tab {
        Tab::Raft => s.raft = open(&s.raft, &scenario, event)?,
        Tab::TwoPc => s.twopc = open(&s.twopc, &scenario, event)?,
    }
    s.tab = t.tab;
    // The card says what the tour is; an old notice would only push it down.
    s.notice = None;
    s.tour = Some(TourRun {
        name: t.name,
        title: t.title,
        tab: t.tab,
        stops,
        current,
        left: false,
        scenario: Some(scenario),
    });
    Ok(())
}

fn open<P: LabProtocol>(current: &Lab<P>, sc: &Scenario, event: u64) -> Result<Lab<P>, String> {
    let mut lab = Lab::<P>::from_scenario(current.tab_name, sc)?;
    lab.speed_log = current.speed_log;
    lab.version = current.version + 1;
    goto(&mut lab, event);
    Ok(lab)
}

/// Show event `event` of the lab's run, paused: run the head there if it is not
/// recorded yet, seek back to it otherwise.
fn goto<P: LabProtocol>(lab: &mut Lab<P>, event: u64) {
    if event > lab.head_events() {
        lab.run_to_event(event);
    } else {
        lab.seek(event);
    }
    lab.playing = false;
    lab.version += 1;
}

/// What [`follow`] compares: the number of inputs of the tour's run before an action
/// (the history is shared between states, so it must be read before the action).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunMark(usize);

/// The mark of the tour's run, if a tour is running.
pub fn mark(s: &AppState) -> Option<RunMark> {
    let t = s.tour.as_ref()?;
    Some(RunMark(match t.tab {
        Tab::Raft => inputs(&s.raft),
        Tab::TwoPc => inputs(&s.twopc),
    }))
}

/// After any action but a tour's: mark the tour as left when its tab's run was
/// replaced (a rebuild, another scenario) or given a new input (a fork). A tour still
/// loading has no run yet (loading it opens its own).
pub fn follow(before: &AppState, mark: Option<RunMark>, after: &mut AppState) {
    let (Some(t), Some(was), Some(RunMark(n))) = (&mut after.tour, &before.tour, mark) else {
        return;
    };
    if t.is_loading() || !Rc::ptr_eq(&t.stops, &was.stops) {
        // The action (a link) started this tour: its run is the tour's own.
        return;
    }
    let same = match t.tab {
        Tab::Raft => before.raft.same_run(&after.raft) && inputs(&after.raft) == n,
        Tab::TwoPc => before.twopc.same_run(&after.twopc) && inputs(&after.twopc) == n,
    };
    if !same {
        t.left = true;
    }
}

fn inputs<P: LabProtocol>(lab: &Lab<P>) -> usize {
    lab.with_head(|w| w.inputs().len())
}

/// Add the tour and stop to a scenario link, so a shared link reopens the tour there.
pub fn tag_link(s: &AppState, value: &mut Value) {
    if let (Some(t), Value::Object(o)) = (&s.tour, value)
        && !t.left
        && !t.is_loading()
        && t.tab == s.tab
    {
        o.insert(LINK_TOUR.into(), json!(t.name));
        o.insert(LINK_STOP.into(), json!(t.current + 1));
    }
}

/// If a link carries a tour, start loading it, to open at the link's stop (the link's
/// run is shown meanwhile: the caller opens it). `None` when the link has no tour.
pub fn open_link(s: &mut AppState, value: &Value) -> Option<Result<(), String>> {
    let name = value.get(LINK_TOUR)?.as_str()?;
    let stop = value
        .get(LINK_STOP)
        .and_then(Value::as_u64)
        .and_then(|k| usize::try_from(k).ok())
        .unwrap_or(1);
    Some(TourRun::loading(name, stop.saturating_sub(1)).map(|t| {
        s.tab = t.tab;
        s.tour = Some(t);
    }))
}

// The tours' texts are compiled in for native builds only (the tests).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use faultlab_sim::tour::Tour;
    use faultlab_sim::tour::expect::Expect;

    use super::*;
    use crate::lab::Fault;
    use crate::state::{Action, LabAction, RaftP, TwoPcP};
    use yew::Reducible;

    fn dispatch(s: Rc<AppState>, a: Action) -> Rc<AppState> {
        s.reduce(a)
    }

    /// What the tour card does once a tour is loading: answer with the file, and the
    /// file of the named scenario it refers to.
    fn answer(s: Rc<AppState>, name: &str) -> Rc<AppState> {
        let tour = catalog::get(name).expect("listed").to_owned();
        let protocol = catalog::info(name).expect("listed").protocol;
        let scenario = PinnedTour::scenario_name(&tour).map(|n| {
            faultlab_sim::scenario::catalog::text(protocol, &n)
                .expect("a shipped scenario")
                .to_owned()
        });
        let files = TourFiles { tour, scenario };
        dispatch(
            s,
            Action::Tour(TourAction::Loaded(name.to_owned(), Ok(files))),
        )
    }

    /// Start tour `name` from the menu and let its file arrive.
    fn start(s: Rc<AppState>, name: &str) -> Rc<AppState> {
        let s = dispatch(s, Action::Tour(TourAction::Start(name.to_owned())));
        let t = s.tour.as_ref().expect("a tour");
        assert!(t.is_loading() && t.stop().is_none(), "loading first");
        answer(s, name)
    }

    fn tour(name: &str) -> Tour {
        Tour::parse(name, catalog::get(name).expect("listed")).expect("parses")
    }

    fn expects(name: &str) -> Vec<Option<Expect>> {
        tour(name).stops.into_iter().map(|s| s.expect).collect()
    }

    fn stop_event(s: &AppState) -> u64 {
        s.tour
            .as_ref()
            .and_then(TourRun::stop)
            .expect("a loaded tour")
            .event
    }

    #[test]
    fn every_catalog_tour_is_in_the_menu_and_served_beside_the_page() {
        let entries = entries();
        assert_eq!(entries.len(), catalog::all().len());
        let index = include_str!("../index.html");
        assert!(
            index.contains(r#"<link data-trunk rel="copy-dir" href="crates/sim/tours" data-target-path="tours" />"#),
            "index.html copies the tour files to dist/tours/"
        );
        for e in entries {
            let path = format!(
                "{}/crates/sim/{}",
                env!("CARGO_MANIFEST_DIR"),
                file_url(e.name)
            );
            assert!(std::path::Path::new(&path).is_file(), "{path}");
        }
    }

    /// Walk every tour through the reducer: each stop shows its event, and the world the
    /// page shows there satisfies the stop's claims.
    #[test]
    fn every_tour_walks_through_the_page_state() {
        for e in entries() {
            let mut s = start(Rc::new(AppState::fresh()), e.name);
            assert_eq!(s.tab, e.tab);
            let claims = expects(e.name);
            let n = claims.len();
            assert_eq!(s.tour.as_ref().expect("a tour").stops.len(), n);
            for (k, claim) in claims.iter().enumerate() {
                let t = s.tour.clone().expect("still touring");
                assert_eq!(t.current, k);
                assert!(!t.left);
                let event = stop_event(&s);
                let (cursor, playing) = match e.tab {
                    Tab::Raft => (s.raft.cursor(), s.raft.playing),
                    Tab::TwoPc => (s.twopc.cursor(), s.twopc.playing),
                };
                assert_eq!(cursor, event, "{} stop {k}", e.name);
                assert!(!playing, "a tour pauses at its stops");
                if let Some(x) = claim {
                    let held = match e.tab {
                        Tab::Raft => s.raft.with_world(|w| x.check(w)),
                        Tab::TwoPc => s.twopc.with_world(|w| x.check(w)),
                    };
                    held.unwrap_or_else(|err| panic!("{} stop {k}: {err}", e.name));
                }
                s = dispatch(s, Action::Tour(TourAction::Next));
            }
            // Next at the end stays; Previous goes back one stop and seeks there.
            assert_eq!(s.tour.as_ref().expect("tour").current, n - 1);
            s = dispatch(s, Action::Tour(TourAction::Previous));
            let t = s.tour.clone().expect("tour");
            assert_eq!(t.current, n.saturating_sub(2));
            let cursor = match e.tab {
                Tab::Raft => s.raft.cursor(),
                Tab::TwoPc => s.twopc.cursor(),
            };
            assert_eq!(cursor, stop_event(&s));
            s = dispatch(s, Action::Tour(TourAction::Exit));
            assert!(s.tour.is_none());
        }
    }

    #[test]
    fn highlights_name_real_rpcs() {
        for e in entries() {
            let t = tour(e.name);
            let rpcs = match e.tab {
                Tab::Raft => <RaftP as LabProtocol>::RPCS,
                Tab::TwoPc => <TwoPcP as LabProtocol>::RPCS,
            };
            for (k, s) in t.stops.iter().enumerate() {
                if let Some(r) = &s.highlight.rpc {
                    assert!(
                        rpcs.contains(&r.as_str()),
                        "{} stop {k}: no RPC {r}",
                        e.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_failed_load_names_the_problem_and_leaves_the_runs_alone() {
        let fresh = Rc::new(AppState::fresh());
        for (answer, says) in [
            (Err("HTTP 404 Not Found".to_owned()), "HTTP 404 Not Found"),
            (
                Ok("{ not json".to_owned()),
                "tours/raft-election.json is not a valid tour",
            ),
            (
                Ok(r#"{"format": "faultlab-tour/1"}"#.to_owned()),
                "title: missing",
            ),
            (
                Ok(catalog::get("2pc-commit").expect("listed").to_owned()),
                "is a 2pc tour, but the menu lists it under raft",
            ),
        ] {
            let loading = dispatch(
                Rc::clone(&fresh),
                Action::Tour(TourAction::Start("raft-election".into())),
            );
            let s = dispatch(
                loading,
                Action::Tour(TourAction::Loaded(
                    "raft-election".into(),
                    answer.map(TourFiles::from),
                )),
            );
            let n = s.notice.clone().expect("a notice");
            assert!(n.error, "{}", n.text);
            assert!(n.text.contains("Raft: leader election"), "{}", n.text);
            assert!(n.text.contains(says), "{}", n.text);
            assert!(s.tour.is_none());
            assert!(fresh.raft.same_run(&s.raft) && fresh.twopc.same_run(&s.twopc));
            assert_eq!(s.raft.playing, fresh.raft.playing, "the run goes on");
        }
    }

    #[test]
    fn late_answers_are_ignored_and_actions_wait_for_the_file() {
        let s = dispatch(
            Rc::new(AppState::fresh()),
            Action::Tour(TourAction::Start("raft-election".into())),
        );
        let before = s.raft.cursor();
        let s = dispatch(s, Action::Tour(TourAction::Next));
        let s = dispatch(s, Action::Tour(TourAction::Restart));
        assert_eq!(s.tour.as_ref().expect("loading").current, 0);
        assert_eq!(s.raft.cursor(), before, "nothing to move to yet");
        // Another tour replaces it; the first one's file is ignored when it arrives.
        let s = dispatch(s, Action::Tour(TourAction::Start("raft-figure8".into())));
        let s = answer(s, "raft-election");
        assert!(s.tour.as_ref().expect("loading").is_loading());
        let s = answer(s, "raft-figure8");
        assert_eq!(s.tour.as_ref().expect("tour").name, "raft-figure8");
        assert!(!s.tour.as_ref().expect("tour").is_loading());
        let s = dispatch(s, Action::Tour(TourAction::Exit));
        let s = answer(s, "raft-figure8");
        assert!(s.tour.is_none(), "an answer after Exit opens nothing");
        let bad = dispatch(
            Rc::new(AppState::fresh()),
            Action::Tour(TourAction::Start("no-such-tour".into())),
        );
        assert!(bad.notice.as_ref().expect("notice").error);
        assert!(bad.tour.is_none());
    }

    #[test]
    fn acting_on_the_run_leaves_the_tour_but_stepping_does_not() {
        let mut s = start(Rc::new(AppState::fresh()), "raft-election");
        s = dispatch(s, Action::Tour(TourAction::Next));
        s = dispatch(s, Action::Lab(LabAction::Step));
        s = dispatch(s, Action::Lab(LabAction::StepBack));
        s = dispatch(s, Action::Lab(LabAction::TogglePlay));
        s = dispatch(s, Action::Tick(16.0));
        s = dispatch(s, Action::SelectTab(Tab::TwoPc));
        s = dispatch(
            s,
            Action::Lab(LabAction::Fault(Fault::Crash(faultlab_sim::NodeId(0)))),
        );
        assert!(!s.tour.as_ref().expect("tour").left, "the other tab's run");
        s = dispatch(s, Action::Tour(TourAction::Return));
        assert_eq!(s.tab, Tab::Raft, "moving in the tour shows its tab");
        assert_eq!(s.raft.cursor(), stop_event(&s));
        s = dispatch(
            s,
            Action::Lab(LabAction::Fault(Fault::Crash(faultlab_sim::NodeId(1)))),
        );
        let t = s.tour.clone().expect("tour");
        assert!(t.left, "a crash forks the run away from the tour");
        let here = s.raft.cursor();
        s = dispatch(s, Action::Tour(TourAction::Next));
        assert_eq!(s.raft.cursor(), here, "a left tour does not move the run");
        s = dispatch(s, Action::Tour(TourAction::Restart));
        let t = s.tour.clone().expect("tour");
        assert!(!t.left && !t.is_loading(), "Restart needs no fetch");
        assert_eq!(t.current, 0);
        assert_eq!(s.raft.cursor(), stop_event(&s));
        assert!(s.raft.with_world(|w| w.is_up(faultlab_sim::NodeId(1))));
        s = dispatch(s, Action::Lab(LabAction::SetSeed(9)));
        assert!(s.tour.as_ref().expect("tour").left, "a rebuild leaves it");
    }

    #[test]
    fn a_link_reopens_the_tour_at_its_stop() {
        let mut s = start(Rc::new(AppState::fresh()), "2pc-blocking");
        s = dispatch(s, Action::Tour(TourAction::Next));
        s = dispatch(s, Action::Tour(TourAction::Next));
        let frag = crate::share::fragment_for(&s.active_scenario());
        let opened = Rc::new(AppState::from_fragment(&frag));
        // The link's run shows at once, while the tour's file loads.
        let t = opened.tour.clone().expect("the link carries the tour");
        assert!(t.is_loading());
        assert_eq!((t.name, t.current), ("2pc-blocking", 2));
        assert_eq!(opened.tab, Tab::TwoPc);
        assert_eq!(opened.twopc.cursor(), s.twopc.cursor());
        let loaded = answer(opened, "2pc-blocking");
        let t = loaded.tour.clone().expect("loaded");
        assert_eq!((t.name, t.current, t.left), ("2pc-blocking", 2, false));
        assert_eq!(loaded.twopc.cursor(), s.twopc.cursor());
        assert!(loaded.notice.is_none(), "{:?}", loaded.notice);
        // A link to a tour that does not exist still opens its run, and says why the
        // tour did not come.
        let mut v = s.active_scenario();
        v[LINK_TOUR] = json!("no-such-tour");
        let odd = AppState::from_fragment(&crate::share::fragment_for(&v));
        assert!(odd.tour.is_none());
        assert!(
            odd.notice
                .as_ref()
                .expect("notice")
                .text
                .contains("no-such-tour")
        );
        assert_eq!(odd.twopc.cursor(), s.twopc.cursor());
    }
}
