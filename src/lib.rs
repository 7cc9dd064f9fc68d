//! # faultlab-web
//!
//! The page: a Yew app that runs faultlab's engine in the browser and draws it. The
//! state layer (`lab`, `state`) and the geometry (`layout`) are plain Rust with native
//! tests; `components` are thin views that render a lab and dispatch actions; `browser`
//! holds the few calls into the DOM (URL, downloads, files, clock).

pub mod app;
pub mod bench;
pub mod browser;
pub mod bus;
pub mod components;
pub mod hunt;
pub mod lab;
pub mod layout;
pub mod named_scenario;
pub mod num;
pub mod plugin;
pub mod raft_view;
pub mod share;
pub mod spacetime;
pub mod state;
pub mod tour;
pub mod twopc_view;

/// Mount the app on the page's body, after installing a panic hook that reports a
/// panic on the console (the e2e tests fail on any console error).
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        browser::console_error(&format!("faultlab panicked: {info}"));
    }));
    yew::Renderer::<app::App>::new().render();
}
