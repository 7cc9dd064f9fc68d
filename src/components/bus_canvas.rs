//! The canvas laid over the cluster view that draws a busy bus while it plays (see
//! [`crate::bus`] for why). It owns only pixels: which dots to draw, and where, is
//! decided by the cluster view; the dots' colours are read once from the stylesheet's
//! `--rpc-N` properties, so the canvas and the SVG legend cannot disagree.

use std::f64::consts::TAU;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::bus::{DOT_R, Dot, KINDS, slot_of};
use crate::layout::{Point, view_fit};

/// The painter's memory between frames.
#[derive(Default)]
pub struct BusCanvas {
    ctx: Option<CanvasRenderingContext2d>,
    /// `--rpc-0` … `--rpc-9`, read on the first frame drawn.
    colours: Vec<String>,
    /// Whether the canvas holds anything (so that an idle one is cleared only once).
    dirty: bool,
    /// The dots' centres by kind, kept between frames to reuse their memory.
    kinds: Vec<Vec<Point>>,
}

impl BusCanvas {
    /// Draw `dots` (in view coordinates) on `canvas`, replacing what it showed.
    pub fn paint(&mut self, canvas: &HtmlCanvasElement, dots: &[Dot]) {
        if dots.is_empty() && !self.dirty {
            return;
        }
        let Some(ctx) = self.context(canvas) else {
            return;
        };
        // The canvas covers the view's box; its bitmap follows the box and the
        // display's pixel ratio (the layout is already up to date: the page's DOM
        // writes for this frame are done when the cluster view's effects run).
        let (w, h) = (
            f64::from(canvas.client_width()),
            f64::from(canvas.client_height()),
        );
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (pw, ph) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
        if canvas.width() != pw || canvas.height() != ph {
            canvas.set_width(pw);
            canvas.set_height(ph);
        }
        let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, f64::from(pw), f64::from(ph));
        self.dirty = !dots.is_empty();
        if dots.is_empty() {
            return;
        }
        if self.colours.is_empty() {
            self.colours = read_colours(canvas);
        }
        let (scale, ox, oy) = view_fit(w, h);
        let _ = ctx.set_transform(dpr * scale, 0.0, 0.0, dpr * scale, dpr * ox, dpr * oy);
        self.kinds.resize_with(KINDS, Vec::new);
        for centres in &mut self.kinds {
            centres.clear();
        }
        for d in dots {
            self.kinds[usize::from(d.kind) % KINDS].push(d.at);
        }
        for (kind, centres) in (0u8..).zip(&self.kinds) {
            if centres.is_empty() {
                continue;
            }
            // The look of a paused dense dot (`.msg--dense` in style.css): a request
            // is a disc of its RPC's colour, a reply is white in a thick ring of it
            // (two discs, ring then inside). Discs, not stroked circles: in software
            // a batch of fills costs a fraction of the same circles stroked, and the
            // thin white edge a paused request has is left out for the same reason.
            let (slot, reply) = slot_of(kind);
            let colour = self.colours.get(slot).map_or(FALLBACK, String::as_str);
            if reply {
                discs(&ctx, centres, DOT_R + 1.25, colour);
                discs(&ctx, centres, DOT_R - 1.25, "#fff");
            } else {
                discs(&ctx, centres, DOT_R, colour);
            }
        }
    }

    fn context(&mut self, canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
        if self.ctx.is_none() {
            self.ctx = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into().ok());
        }
        self.ctx.clone()
    }
}

/// The colour of a slot the stylesheet does not name.
const FALLBACK: &str = "#475569";

/// Fill a disc of radius `r` around each of `centres`, all in one path.
fn discs(ctx: &CanvasRenderingContext2d, centres: &[Point], r: f64, colour: &str) {
    ctx.begin_path();
    for p in centres {
        ctx.move_to(p.x + r, p.y);
        let _ = ctx.arc(p.x, p.y, r, 0.0, TAU);
    }
    ctx.set_fill_style_str(colour);
    ctx.fill();
}

/// The RPC colours the stylesheet gives the legend and the SVG dots.
fn read_colours(canvas: &HtmlCanvasElement) -> Vec<String> {
    let style = web_sys::window().and_then(|w| w.get_computed_style(canvas).ok().flatten());
    (0..10)
        .map(|i| {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(&format!("--rpc-{i}")).ok())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| FALLBACK.to_owned())
        })
        .collect()
}
