//! Guided tours on the page: which tour is running, its stops pinned to events, the
//! stop shown, and whether the run has left the tour. The tours themselves are data
//! (`faultlab_sim::tour`, compiled-in JSON); this module turns one into a lab opened on
//! its scenario and moves that lab between the stops with the lab's own seek.
//!
//! A tour follows its run, not the other way round: any action that changes the run
//! (a crash, a client request, a new seed or scenario) forks it like any action does,
//! and the tour is then marked as left, so the card never narrates a run it no longer
//! describes. Stepping or scrubbing does not leave it (the card offers a way back).
//!
//! It must not touch the DOM or read a clock (it is part of the reducer).

use std::rc::Rc;

use faultlab_sim::scenario::Scenario;
use faultlab_sim::tour::{self, Highlight, Tour, catalog};
use serde_json::{Value, json};

use crate::lab::Lab;
use crate::plugin::LabProtocol;
use crate::state::{AppState, RaftP, Tab, TwoPcP};

/// The scenario-link keys that carry a tour (`_`-prefixed keys are ignored by other
/// readers of the scenario format).
const LINK_TOUR: &str = "_tour";
const LINK_STOP: &str = "_stop";

/// A tour as the menu lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourEntry {
    /// Its id (file name).
    pub name: &'static str,
    /// Its title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// The tab it runs in.
    pub tab: Tab,
}

/// Every shipped tour that parses, in catalog order.
pub fn entries() -> Vec<TourEntry> {
    catalog::all()
        .into_iter()
        .filter_map(|(name, text)| {
            let t = Tour::parse(name, text).ok()?;
            Some(TourEntry {
                name,
                tab: Tab::from_protocol(&t.protocol)?,
                title: t.title,
                summary: t.summary,
            })
        })
        .collect()
}

/// One stop as the card shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopView {
    /// Short heading.
    pub title: Option<String>,
    /// The caption.
    pub caption: String,
    /// The event the stop shows.
    pub event: u64,
    /// What to point at.
    pub highlight: Highlight,
}

/// What the user does with a tour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TourAction {
    /// Start a tour by name (at its first stop).
    Start(String),
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

/// The tour being taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourRun {
    /// Its id.
    pub name: &'static str,
    /// Its title.
    pub title: String,
    /// The tab it runs in.
    pub tab: Tab,
    /// Its stops, pinned to events.
    pub stops: Rc<Vec<StopView>>,
    /// The stop shown (0-based).
    pub current: usize,
    /// The user changed the run: the stops no longer describe it.
    pub left: bool,
}

impl TourRun {
    /// The stop shown.
    pub fn stop(&self) -> &StopView {
        // `current` is always a valid index: stops are never empty (the format refuses
        // a tour without stops) and moves are clamped.
        &self.stops[self.current.min(self.stops.len().saturating_sub(1))]
    }
}

/// Apply a tour action. `Ok(Some(text))` is an information notice.
///
/// # Errors
/// A tour that does not parse or resolve (a bug the native tests catch), named.
pub fn reduce(s: &mut AppState, action: TourAction) -> Result<Option<String>, String> {
    match action {
        TourAction::Start(name) => start(s, &name, 0).map(|_| None),
        TourAction::Restart => match s.tour.as_ref().map(|t| t.name) {
            Some(name) => start(s, name, 0).map(|_| None),
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
            if t.left {
                return Ok(None);
            }
            let last = t.stops.len().saturating_sub(1);
            t.current = match action {
                TourAction::Next => (t.current + 1).min(last),
                TourAction::Previous => t.current.saturating_sub(1),
                _ => t.current.min(last),
            };
            let (tab, event) = (t.tab, t.stop().event);
            s.tab = tab;
            match tab {
                Tab::Raft => goto(&mut s.raft, event),
                Tab::TwoPc => goto(&mut s.twopc, event),
            }
            Ok(None)
        }
    }
}

/// Open tour `name` in its tab, at stop `stop` (clamped). Returns its number of stops.
fn start(s: &mut AppState, name: &str, stop: usize) -> Result<usize, String> {
    let (name, text) = catalog::all()
        .into_iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| format!("there is no tour called \"{name}\""))?;
    let t = Tour::parse(name, text).map_err(|e| format!("tour {name}: {e}"))?;
    let tab = Tab::from_protocol(&t.protocol)
        .ok_or_else(|| format!("tour {name}: unknown protocol \"{}\"", t.protocol))?;
    let resolved = match tab {
        Tab::Raft => tour::resolve::<RaftP>(&t),
        Tab::TwoPc => tour::resolve::<TwoPcP>(&t),
    }
    .map_err(|e| format!("tour {name}: {e}"))?;
    let stops: Vec<StopView> = t
        .stops
        .iter()
        .zip(&resolved)
        .map(|(st, r)| StopView {
            title: st.title.clone(),
            caption: st.caption.clone(),
            event: r.event,
            highlight: st.highlight.clone(),
        })
        .collect();
    let current = stop.min(stops.len().saturating_sub(1));
    let event = stops
        .get(current)
        .map(|st| st.event)
        .ok_or_else(|| format!("tour {name} has no stops"))?;
    let scenario = Scenario::from_value(&t.scenario_value()).map_err(|e| e.to_string())?;
    match tab {
        Tab::Raft => s.raft = open(&s.raft, &scenario, event)?,
        Tab::TwoPc => s.twopc = open(&s.twopc, &scenario, event)?,
    }
    s.tab = tab;
    let n = stops.len();
    // The card says what the tour is; an old notice would only push it down.
    s.notice = None;
    s.tour = Some(TourRun {
        name,
        title: t.title.clone(),
        tab,
        stops: Rc::new(stops),
        current,
        left: false,
    });
    Ok(n)
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
/// replaced (a rebuild, another scenario) or given a new input (a fork).
pub fn follow(before: &AppState, mark: Option<RunMark>, after: &mut AppState) {
    let (Some(t), Some(was), Some(RunMark(n))) = (&mut after.tour, &before.tour, mark) else {
        return;
    };
    if !Rc::ptr_eq(&t.stops, &was.stops) {
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
        && t.tab == s.tab
    {
        o.insert(LINK_TOUR.into(), json!(t.name));
        o.insert(LINK_STOP.into(), json!(t.current + 1));
    }
}

/// If a link carries a tour, open it at its stop. `None` when the link has no tour.
pub fn open_link(s: &mut AppState, value: &Value) -> Option<Result<usize, String>> {
    let name = value.get(LINK_TOUR)?.as_str()?;
    let stop = value
        .get(LINK_STOP)
        .and_then(Value::as_u64)
        .and_then(|k| usize::try_from(k).ok())
        .unwrap_or(1);
    Some(start(s, name, stop.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use faultlab_sim::tour::expect::Expect;

    use super::*;
    use crate::lab::Fault;
    use crate::state::{Action, LabAction};
    use yew::Reducible;

    fn dispatch(s: Rc<AppState>, a: Action) -> Rc<AppState> {
        s.reduce(a)
    }

    fn expects(name: &str) -> Vec<Option<Expect>> {
        let t = Tour::parse(name, catalog::get(name).expect("listed")).expect("parses");
        t.stops.into_iter().map(|s| s.expect).collect()
    }

    /// Walk every tour through the reducer: each stop shows its event, and the world the
    /// page shows there satisfies the stop's claims.
    #[test]
    fn every_tour_walks_through_the_page_state() {
        let entries = entries();
        assert_eq!(entries.len(), catalog::all().len(), "every tour parses");
        for e in entries {
            let mut s = dispatch(
                Rc::new(AppState::fresh()),
                Action::Tour(TourAction::Start(e.name.to_owned())),
            );
            assert_eq!(s.tab, e.tab);
            let claims = expects(e.name);
            let n = claims.len();
            assert_eq!(s.tour.as_ref().expect("a tour").stops.len(), n);
            for (k, claim) in claims.iter().enumerate() {
                let t = s.tour.clone().expect("still touring");
                assert_eq!(t.current, k);
                assert!(!t.left);
                let event = t.stop().event;
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
            assert_eq!(cursor, t.stop().event);
            s = dispatch(s, Action::Tour(TourAction::Exit));
            assert!(s.tour.is_none());
        }
    }

    #[test]
    fn highlights_name_real_rpcs() {
        for e in entries() {
            let t = Tour::parse(e.name, catalog::get(e.name).expect("listed")).expect("parses");
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
    fn acting_on_the_run_leaves_the_tour_but_stepping_does_not() {
        let mut s = dispatch(
            Rc::new(AppState::fresh()),
            Action::Tour(TourAction::Start("raft-election".into())),
        );
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
        assert_eq!(s.raft.cursor(), s.tour.as_ref().expect("tour").stop().event);
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
        assert!(!t.left);
        assert_eq!(t.current, 0);
        s = dispatch(s, Action::Lab(LabAction::SetSeed(9)));
        assert!(s.tour.as_ref().expect("tour").left, "a rebuild leaves it");
    }

    #[test]
    fn a_link_reopens_the_tour_at_its_stop() {
        let mut s = dispatch(
            Rc::new(AppState::fresh()),
            Action::Tour(TourAction::Start("2pc-blocking".into())),
        );
        s = dispatch(s, Action::Tour(TourAction::Next));
        s = dispatch(s, Action::Tour(TourAction::Next));
        let frag = crate::share::fragment_for(&s.active_scenario());
        let opened = AppState::from_fragment(&frag);
        let t = opened.tour.clone().expect("the link carries the tour");
        assert_eq!((t.name, t.current), ("2pc-blocking", 2));
        assert_eq!(opened.tab, Tab::TwoPc);
        assert_eq!(opened.twopc.cursor(), s.twopc.cursor());
        let bad = dispatch(
            Rc::new(AppState::fresh()),
            Action::Tour(TourAction::Start("no-such-tour".into())),
        );
        assert!(bad.notice.as_ref().expect("notice").error);
        assert!(bad.tour.is_none());
    }
}
