//! The page's reducer with counterexamples: an explorer counterexample's link opens
//! paused at its violation with every step before it on the timeline, and "Find a
//! bug" opens the first failing chaos seed at its first violation (and a link to it
//! reopens it the same way).

use std::rc::Rc;

use faultlab_sim::explore::{Explorable, explore};
use faultlab_sim::twopc::TwoPc;
use faultlab_web::hunt::session::Status;
use faultlab_web::state::{Action, AppState, HuntAction, LabAction, Tab};
use yew::Reducible;

fn dispatch(s: Rc<AppState>, a: Action) -> Rc<AppState> {
    s.reduce(a)
}

#[test]
fn an_explorer_counterexample_link_lands_on_its_violation() {
    let initial = TwoPc::explore_scenario("as-submitted", Some(3)).expect("config");
    let report = explore::<TwoPc>(&initial, &TwoPc::default_bounds(Some(3))).expect("explores");
    for cx in &report.counterexamples {
        let link = faultlab_web::share::fragment_for(&cx.scenario.to_value());
        let s = AppState::from_fragment(&link);
        let notice = s.notice.clone().expect("the link says what it shows");
        assert!(
            !notice.error && notice.text.contains(&cx.invariant),
            "{notice:?}"
        );
        assert_eq!(s.tab, Tab::TwoPc);
        assert!(!s.twopc.playing, "a link opens paused");
        let v = s
            .twopc
            .with_head(|w| w.violations().to_vec())
            .into_iter()
            .find(|v| v.invariant == cx.invariant)
            .expect("the banner names the invariant");
        assert_eq!(s.twopc.cursor(), v.event, "it lands on the violation");
        assert_eq!(v.at_ms, cx.scenario.until_ms);
        // Stepping back walks through the choices, each at its own time.
        let mut s = Rc::new(s);
        let mut times = Vec::new();
        while s.twopc.cursor() > 0 {
            times.push(s.twopc.with_world(|w| w.now().0));
            s = dispatch(s, Action::Lab(LabAction::StepBack));
        }
        assert!(times.windows(2).all(|w| w[0] >= w[1]));
        assert!(
            times.iter().filter(|&&t| t > 0).count() >= cx.depth,
            "{times:?}"
        );
    }
}

fn hunt_to_the_end(mut s: Rc<AppState>) -> Rc<AppState> {
    let mut elapsed = 0.0;
    for _ in 0..100_000 {
        if !s
            .hunt
            .as_ref()
            .is_some_and(faultlab_web::hunt::session::Session::running)
        {
            return s;
        }
        elapsed += 8.0;
        s = dispatch(
            s,
            Action::Hunt(HuntAction::Slice {
                events: 2_000,
                elapsed_ms: elapsed,
            }),
        );
    }
    panic!("the hunt never ended");
}

#[test]
fn find_a_bug_opens_the_first_failing_seed_at_its_violation() {
    let mut s = Rc::new(AppState::fresh());
    s = dispatch(s, Action::SelectTab(Tab::TwoPc));
    s = dispatch(s, Action::Lab(LabAction::SetMode("as-submitted".into())));
    s = dispatch(s, Action::SelectTab(Tab::Raft));
    s = dispatch(s, Action::SelectTab(Tab::TwoPc));
    s = dispatch(s, Action::Hunt(HuntAction::Start));
    assert!(!s.twopc.playing, "the run pauses while hunting");
    // The user looks at the other tab meanwhile; the hunt still opens in its own.
    s = dispatch(s, Action::SelectTab(Tab::Raft));
    s = hunt_to_the_end(s);
    let hunt = s.hunt.clone().expect("a hunt");
    let Status::Found {
        seed,
        invariant,
        event,
        ..
    } = hunt.status.clone()
    else {
        panic!("as-submitted 2PC fails: {:?}", hunt.status);
    };
    assert_eq!(s.tab, Tab::TwoPc);
    assert_eq!(s.twopc.recipe.seed, seed);
    assert_eq!(s.twopc.recipe.mode, "as-submitted");
    assert_eq!(s.twopc.cursor(), event, "shown at the violation");
    assert!(s.twopc.finished);
    assert!(
        s.twopc
            .with_head(|w| w.violations().iter().any(|v| v.invariant == invariant))
    );
    assert_eq!(hunt.progress.failures, 1);
    assert_eq!(hunt.progress.tried, seed + 1);
    let command = hunt.command.expect("a CLI command");
    assert!(
        command.contains(&format!("--seed {seed} ")) && command.contains("--mode as-submitted"),
        "{command}"
    );
    // Its link reopens the same run at the same event with the same banner.
    let link = faultlab_web::share::fragment_for(&s.active_scenario());
    let again = AppState::from_fragment(&link);
    assert_eq!(again.notice, None);
    assert_eq!(again.twopc.cursor(), event);
    assert_eq!(
        again.twopc.with_head(|w| w.violations().to_vec()),
        s.twopc.with_head(|w| w.violations().to_vec())
    );
    let dismissed = dispatch(s, Action::Hunt(HuntAction::Dismiss));
    assert!(dismissed.hunt.is_none());
}

#[test]
fn a_hunt_can_be_cancelled() {
    let mut s = Rc::new(AppState::fresh());
    s = dispatch(s, Action::Hunt(HuntAction::Start));
    s = dispatch(
        s,
        Action::Hunt(HuntAction::Slice {
            events: 50,
            elapsed_ms: 5.0,
        }),
    );
    let events = s.hunt.as_ref().expect("a hunt").progress.events;
    assert_eq!(events, 50);
    s = dispatch(s, Action::Hunt(HuntAction::Cancel));
    s = dispatch(
        s,
        Action::Hunt(HuntAction::Slice {
            events: 50,
            elapsed_ms: 9.0,
        }),
    );
    let hunt = s.hunt.as_ref().expect("a hunt");
    assert_eq!(hunt.status, Status::Cancelled);
    assert_eq!(hunt.progress.events, events, "nothing runs after a cancel");
}
