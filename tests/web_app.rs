//! Browser tests of the page: the reducer's time travel in wasm32, and the app
//! mounting and rendering its cluster and controls.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use faultlab_sim::NodeId;
use faultlab_web::lab::Fault;
use faultlab_web::state::{Action, AppState, LabAction, Tab};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn fingerprint(s: &AppState) -> String {
    s.raft.with_world(|w| {
        let nodes: Vec<String> = w
            .node_ids()
            .map(|id| format!("{:?}/{}", w.node(id), w.is_up(id)))
            .collect();
        let msgs: Vec<u64> = w.in_flight().map(|e| e.id.0).collect();
        format!("{} {nodes:?} {msgs:?}", w.events())
    })
}

#[wasm_bindgen_test]
fn reducer_step_back_and_seek_are_consistent() {
    let mut s = Rc::new(AppState::fresh()).reduce(Action::Lab(LabAction::Pause));
    for _ in 0..40 {
        s = s.reduce(Action::Lab(LabAction::Step));
    }
    let at40 = fingerprint(&s);
    s = s.reduce(Action::Lab(LabAction::Step));
    s = s.reduce(Action::Lab(LabAction::StepBack));
    assert_eq!(s.raft.cursor(), 40);
    assert_eq!(fingerprint(&s), at40);
    s = s.reduce(Action::Lab(LabAction::Seek(10)));
    s = s.reduce(Action::Lab(LabAction::Seek(40)));
    assert_eq!(fingerprint(&s), at40);
}

#[wasm_bindgen_test]
fn reducer_forks_when_acting_in_the_past() {
    let mut s = Rc::new(AppState::fresh()).reduce(Action::Lab(LabAction::Pause));
    for _ in 0..30 {
        s = s.reduce(Action::Lab(LabAction::Step));
    }
    s = s.reduce(Action::Lab(LabAction::Seek(12)));
    s = s.reduce(Action::Lab(LabAction::Fault(Fault::Crash(NodeId(0)))));
    assert!(s.raft.at_head());
    assert!(s.raft.head_events() < 30);
    assert!(!s.raft.with_world(|w| w.is_up(NodeId(0))));
    // The other tab is untouched.
    assert_eq!(s.tab, Tab::Raft);
    assert!(s.twopc.with_world(|w| w.is_up(NodeId(0))));
}

#[wasm_bindgen_test]
async fn app_mounts_and_renders_the_cluster() {
    let document = gloo_utils::document();
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    yew::Renderer::<faultlab_web::app::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let all_nodes = root.query_selector_all("[data-node]").expect("query");
    assert_eq!(all_nodes.length(), 5);
    let first = all_nodes
        .item(0)
        .expect("a node")
        .dyn_into::<web_sys::Element>()
        .expect("an element");
    assert_eq!(first.get_attribute("data-node").as_deref(), Some("1"));
    assert_eq!(first.get_attribute("data-up").as_deref(), Some("true"));
    assert_eq!(
        first.get_attribute("data-role").as_deref(),
        Some("follower")
    );

    // The control bar has its named buttons.
    for name in [
        "Pause",
        "Step",
        "Step back",
        "Step to next delivery",
        "Reset",
    ] {
        let sel = format!("button[aria-label=\"{name}\"]");
        assert!(
            root.query_selector(&sel).expect("query").is_some(),
            "button {name}"
        );
    }
    assert!(
        root.query_selector("input[aria-label=Timeline]")
            .expect("query")
            .is_some()
    );

    // Clicking Pause turns it into Play; clicking a node opens its dialog.
    let pause = root
        .query_selector("button[aria-label=Pause]")
        .expect("query")
        .expect("pause")
        .dyn_into::<web_sys::HtmlElement>()
        .expect("html");
    pause.click();
    yew::scheduler::flush().await;
    assert!(
        root.query_selector("button[aria-label=Play]")
            .expect("query")
            .is_some()
    );

    let node3 = root
        .query_selector("[data-node=\"3\"]")
        .expect("query")
        .expect("node 3");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev2 = web_sys::Event::new_with_event_init_dict("click", &init).expect("event");
    node3.dispatch_event(&ev2).expect("dispatched");
    yew::scheduler::flush().await;
    let dialog = root
        .query_selector("[role=dialog]")
        .expect("query")
        .expect("a dialog");
    assert_eq!(
        dialog.get_attribute("aria-label").as_deref(),
        Some("Node 3")
    );
    let crash = root
        .query_selector("[role=dialog] .dialog__actions button")
        .expect("query")
        .expect("crash button")
        .dyn_into::<web_sys::HtmlElement>()
        .expect("html");
    assert_eq!(crash.text_content().as_deref(), Some("Crash"));
    crash.click();
    yew::scheduler::flush().await;
    let node3 = root
        .query_selector("[data-node=\"3\"]")
        .expect("query")
        .expect("node 3");
    assert_eq!(node3.get_attribute("data-up").as_deref(), Some("false"));
    root.remove();
}
