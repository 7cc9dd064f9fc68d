//! The few places the page talks to the browser: the clock and the animation-frame
//! loop that drive playback and the hunt, the URL fragment, downloads, the page's style
//! rules (for exports), reading an uploaded file, fetching a file served beside the
//! page (a guided tour), and the console.
//!
//! Everything else in the app is plain Rust. On a native build (the unit tests) these
//! functions do nothing, so the state layer stays testable without a browser.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// A `requestAnimationFrame` loop that calls `tick` once per frame until dropped (the
/// wasm-bindgen guide's pattern: the callback re-arms itself and frees itself when
/// told to stop).
pub struct FrameLoop {
    stop: Rc<Cell<bool>>,
}

type Frame = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;

fn request(frame: &Frame) {
    if let (Some(w), Some(c)) = (web_sys::window(), frame.borrow().as_ref()) {
        let _ = w.request_animation_frame(c.as_ref().unchecked_ref());
    }
}

impl FrameLoop {
    /// Start the loop: `tick` runs at the start of every animation frame.
    pub fn start(mut tick: impl FnMut() + 'static) -> Self {
        let stop = Rc::new(Cell::new(false));
        let frame: Frame = Rc::new(RefCell::new(None));
        let again = Rc::clone(&frame);
        let stopped = Rc::clone(&stop);
        *frame.borrow_mut() = Some(Closure::new(move || {
            if stopped.get() {
                // Break the cycle: the closure is freed once it returns.
                drop(again.borrow_mut().take());
                return;
            }
            tick();
            request(&again);
        }));
        request(&frame);
        FrameLoop { stop }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        self.stop.set(true);
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use wasm_bindgen::JsCast;

    pub(super) fn console_error(text: &str) {
        web_sys::console::error_1(&text.into());
    }

    pub(super) fn now_ms() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or_else(js_sys::Date::now, |p| p.now())
    }

    pub(super) fn current_hash() -> String {
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default()
    }

    pub(super) fn replace_hash(fragment: &str) {
        let Some(w) = web_sys::window() else { return };
        if w.location().hash().ok().as_deref() == Some(fragment) {
            return;
        }
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment));
        }
    }

    pub(super) fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
        let window = web_sys::window().ok_or("no window")?;
        let document = window.document().ok_or("no document")?;
        let parts = js_sys::Array::of1(&text.into());
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
            .map_err(|_| "could not create the file")?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)
            .map_err(|_| "could not create a link")?;
        let a: web_sys::HtmlAnchorElement = document
            .create_element("a")
            .map_err(|_| "could not create a link")?
            .dyn_into()
            .map_err(|_| "could not create a link")?;
        a.set_href(&url);
        a.set_download(filename);
        a.click();
        let _ = web_sys::Url::revoke_object_url(&url);
        Ok(())
    }

    pub(super) fn style_rules(keep: &dyn Fn(&str) -> bool) -> String {
        use js_sys::Reflect;
        let get = |v: &wasm_bindgen::JsValue, key: &str| Reflect::get(v, &key.into()).ok();
        // Lengths of DOM lists: small non-negative integers.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let count = |v: &wasm_bindgen::JsValue| {
            get(v, "length")
                .and_then(|l| l.as_f64())
                .map_or(0, |l| l.max(0.0).min(f64::from(u32::MAX)) as u32)
        };
        let mut out = String::new();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return out;
        };
        let Some(sheets) = get(&doc, "styleSheets") else {
            return out;
        };
        for i in 0..count(&sheets) {
            // A sheet from another origin refuses `cssRules`: it is skipped.
            let Some(rules) = Reflect::get_u32(&sheets, i)
                .ok()
                .and_then(|sheet| get(&sheet, "cssRules"))
            else {
                continue;
            };
            for j in 0..count(&rules) {
                if let Some(text) = Reflect::get_u32(&rules, j)
                    .ok()
                    .and_then(|r| get(&r, "cssText"))
                    .and_then(|t| t.as_string())
                    && keep(&text)
                {
                    out.push_str(&text);
                    out.push('\n');
                }
            }
        }
        out
    }

    thread_local! {
        /// The body of [`set_hooks`](super::set_hooks), compiled once.
        static SET_HOOKS: js_sys::Function = js_sys::Function::new_with_args(
            "g,s",
            "const v=s?s.split(' '):[];let c=g.firstElementChild;\
             for(let i=0;i<v.length;i+=2){\
             if(!c)c=g.appendChild(document.createElementNS('http://www.w3.org/2000/svg','circle'));\
             if(c._m!==v[i])c.setAttribute('data-msg',c._m=v[i]);\
             if(c._r!==v[i+1])c.setAttribute('data-rpc',c._r=v[i+1]);\
             c=c.nextElementSibling}\
             while(c){const n=c.nextElementSibling;c.remove();c=n}",
        );
    }

    pub(super) fn set_hooks(g: &web_sys::Element, pairs: &str) {
        SET_HOOKS.with(|f| {
            let _ = f.call2(&wasm_bindgen::JsValue::NULL, g, &pairs.into());
        });
    }

    pub(super) async fn read_file(file: web_sys::File) -> Result<String, String> {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .map_err(|_| "the file could not be read".to_owned())?;
        text.as_string()
            .ok_or_else(|| "the file is not text".to_owned())
    }

    pub(super) async fn fetch_text(url: &str) -> Result<String, String> {
        use wasm_bindgen_futures::JsFuture;
        let window = web_sys::window().ok_or("no window")?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
            .await
            .map_err(|_| "the request failed (offline?)".to_owned())?
            .dyn_into()
            .map_err(|_| "the answer is not an HTTP response".to_owned())?;
        if !response.ok() {
            return Err(format!(
                "HTTP {} {}",
                response.status(),
                response.status_text()
            ));
        }
        let body = response
            .text()
            .map_err(|_| "the answer could not be read".to_owned())?;
        JsFuture::from(body)
            .await
            .map_err(|_| "the answer could not be read".to_owned())?
            .as_string()
            .ok_or_else(|| "the answer is not text".to_owned())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub(super) fn console_error(text: &str) {
        let _ = text;
    }
    pub(super) fn now_ms() -> f64 {
        0.0
    }
    pub(super) fn current_hash() -> String {
        String::new()
    }
    pub(super) fn replace_hash(fragment: &str) {
        let _ = fragment;
    }
    pub(super) fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
        let _ = (filename, mime, text);
        Err("downloads need a browser".into())
    }
    pub(super) fn style_rules(keep: &dyn Fn(&str) -> bool) -> String {
        let _ = keep;
        String::new()
    }
    pub(super) fn set_hooks(g: &web_sys::Element, pairs: &str) {
        let _ = (g, pairs);
    }
    #[allow(clippy::unused_async)]
    pub(super) async fn read_file(file: web_sys::File) -> Result<String, String> {
        let _ = file;
        Err("reading files needs a browser".into())
    }
    #[allow(clippy::unused_async)]
    pub(super) async fn fetch_text(url: &str) -> Result<String, String> {
        let _ = url;
        Err("fetching needs a browser".into())
    }
}

/// Log an error on the browser console.
pub fn console_error(text: &str) {
    imp::console_error(text);
}

/// A monotonic clock in ms (for the play loop only; the engine never sees it).
pub fn now_ms() -> f64 {
    imp::now_ms()
}

/// The URL fragment, with its `#`.
pub fn current_hash() -> String {
    imp::current_hash()
}

/// Replace the URL fragment without adding a history entry.
pub fn replace_hash(fragment: &str) {
    imp::replace_hash(fragment);
}

/// Offer `text` as a JSON file download.
///
/// # Errors
/// The browser refused to create the file.
pub fn download(filename: &str, text: &str) -> Result<(), String> {
    imp::download(filename, "application/json", text)
}

/// Offer `text` as a file download of type `mime` (`image/svg+xml`).
///
/// # Errors
/// The browser refused to create the file.
pub fn download_as(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    imp::download(filename, mime, text)
}

/// The text of the page's CSS rules that `keep` accepts, one per line (for files
/// that must render without the page, such as an exported SVG).
pub fn style_rules(keep: &dyn Fn(&str) -> bool) -> String {
    imp::style_rules(keep)
}

/// Make the children of `g` one `<circle data-msg data-rpc>` per pair of `pairs`
/// (`"<id> <rpc> <id> <rpc> …"`), reusing the circles it has and writing only the
/// attributes that change (each circle remembers what it was given in two expando
/// properties, so nothing is read back from the DOM).
///
/// Why not Yew: these are the hooks of a playing dense bus (see `crate::bus`), a few
/// hundred elements whose ids all change on every frame. Through Yew each attribute
/// write is its own call into JavaScript with two strings to decode; here the frame
/// is one call with one string. Yew renders `g` without children, so it never
/// touches these.
pub fn set_hooks(g: &web_sys::Element, pairs: &str) {
    imp::set_hooks(g, pairs);
}

/// Read an uploaded file as text.
///
/// # Errors
/// The file could not be read or is not text.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    imp::read_file(file).await
}

/// The text of `url` (relative to the page), fetched.
///
/// # Errors
/// The request failed, the server answered with an error status (named: `HTTP 404
/// Not Found`), or the body is not text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    imp::fetch_text(url).await
}
