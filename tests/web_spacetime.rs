//! Browser test of the space-time diagram: the app switches its stage to the
//! diagram, draws one lifeline per node and the messages of the run, and a click on an
//! event seeks the run there.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn html(el: Option<web_sys::Element>, what: &str) -> web_sys::HtmlElement {
    el.unwrap_or_else(|| panic!("{what} is on the page"))
        .dyn_into::<web_sys::HtmlElement>()
        .expect("an HTML element")
}

fn click(el: &web_sys::Element) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("click", &init).expect("event");
    el.dispatch_event(&ev).expect("dispatched");
}

fn counter(root: &web_sys::Element) -> u64 {
    root.query_selector("[data-testid=event-counter]")
        .expect("query")
        .and_then(|e| e.text_content())
        .and_then(|t| t.trim().parse().ok())
        .expect("an event counter")
}

#[wasm_bindgen_test]
async fn the_stage_shows_a_space_time_diagram_that_seeks_on_click() {
    let document = gloo_utils::document();
    let root = document.create_element("div").expect("a div");
    root.set_attribute("style", "width:1200px;height:800px")
        .expect("style");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    yew::Renderer::<faultlab_web::app::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    html(
        root.query_selector("button[aria-label=Pause]")
            .expect("query"),
        "Pause",
    )
    .click();
    yew::scheduler::flush().await;
    let step = html(
        root.query_selector("button[aria-label=Step]")
            .expect("query"),
        "Step",
    );
    for _ in 0..40 {
        step.click();
        yew::scheduler::flush().await;
    }
    let space_time = root
        .query_selector_all(".st-switch__btn")
        .expect("query")
        .item(1)
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .expect("the Space-time switch");
    assert_eq!(space_time.text_content().as_deref(), Some("Space-time"));
    space_time.click();
    yew::scheduler::flush().await;

    let svg = root
        .query_selector("svg.st__svg")
        .expect("query")
        .expect("the diagram");
    assert!(
        svg.get_attribute("aria-label")
            .is_some_and(|l| l.contains("5 nodes")),
        "labelled"
    );
    assert_eq!(
        root.query_selector_all("[data-lane]")
            .expect("query")
            .length(),
        5
    );
    assert!(root.query_selector("[data-node]").expect("query").is_none());
    let arrows = root
        .query_selector_all(".st__arrow[data-rpc]")
        .expect("query");
    assert!(arrows.length() > 0, "messages are drawn");

    // Click the earliest drawn send: the run goes to its event.
    let sends = root.query_selector_all(".st__send").expect("query");
    let first = sends
        .item(0)
        .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        .expect("a send");
    let event: u64 = first
        .get_attribute("data-spacetime-event")
        .and_then(|e| e.parse().ok())
        .expect("an event number");
    assert!(event < counter(&root));
    click(&first);
    yew::scheduler::flush().await;
    assert_eq!(counter(&root), event);
    assert_eq!(
        svg.get_attribute("data-spacetime-cursor"),
        Some(event.to_string())
    );
    root.remove();
}
