//! The busy bus while it plays: the dots to draw, each of one of twenty kinds (RPC colour
//! and direction), and a click on the bus resolved to the message under it.
//!
//! Why a canvas: with hundreds of messages in flight at the top speed, every dot moves
//! on every frame. As one SVG element per dot, each frame restyled, re-laid out and
//! re-rasterised a few hundred elements together with the whole cluster view under
//! them (in headless chromium about 7 ms of main thread and 5 ms of raster per frame for
//! the dots alone). On a canvas laid over the view they are two filled paths per kind,
//! and the SVG under it is left alone. The per-message elements with their
//! `data-msg`/`data-rpc` hooks stay in the document (hidden while the bus plays), and
//! the moment the run pauses each dot is its own SVG element again, clickable and
//! focusable.
//!
//! Pure geometry: no DOM here (the painter is `components::bus_canvas`).

use faultlab_sim::MsgId;

use crate::layout::Point;

/// A dot's radius in view units (the same as a paused dense dot's `r`).
pub const DOT_R: f64 = 7.0;

/// How far from a dot's centre (view units) a click still picks it.
pub const PICK_R: f64 = 12.0;

/// Kinds of dot: ten RPC colour slots, each as a request or a reply.
pub const KINDS: usize = 20;

/// One dot of the busy bus.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    pub id: MsgId,
    pub at: Point,
    /// `slot % 10 * 2 + reply`: its colour slot and direction (see [`kind`]).
    pub kind: u8,
}

/// The kind of a dot of colour slot `slot` (an RPC's index in the legend).
pub fn kind(slot: usize, reply: bool) -> u8 {
    // slot % 10 < 10, so the sum is at most 19.
    u8::try_from(slot % 10 * 2 + usize::from(reply)).unwrap_or(0)
}

/// The colour slot and direction of a kind.
pub fn slot_of(kind: u8) -> (usize, bool) {
    (usize::from(kind / 2), kind % 2 == 1)
}

/// The message whose dot is nearest to `at`, if one is within [`PICK_R`]. Later dots are
/// drawn on top, so on a tie the later one wins.
pub fn pick(dots: &[Dot], at: Point) -> Option<MsgId> {
    let mut best: Option<(f64, MsgId)> = None;
    for d in dots {
        let dist = d.at.dist(at);
        if dist <= PICK_R && best.is_none_or(|(b, _)| dist <= b) {
            best = Some((dist, d.id));
        }
    }
    best.map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dot(id: u64, x: f64, y: f64, kind: u8) -> Dot {
        Dot {
            id: MsgId(id),
            at: Point { x, y },
            kind,
        }
    }

    #[test]
    fn kinds_round_trip_and_wrap_the_colour_slots() {
        for slot in 0..10 {
            for reply in [false, true] {
                assert_eq!(slot_of(kind(slot, reply)), (slot, reply));
            }
        }
        assert_eq!(kind(13, true), kind(3, true));
        assert!((0..40).all(|s| usize::from(kind(s, true)) < KINDS));
    }

    #[test]
    fn a_click_picks_the_nearest_dot_within_reach_and_the_top_one_on_a_tie() {
        let dots = [
            dot(1, 0.0, 0.0, 0),
            dot(2, 10.0, 0.0, 1),
            dot(3, 10.0, 0.0, 2),
        ];
        assert_eq!(pick(&dots, Point { x: 1.0, y: 0.0 }), Some(MsgId(1)));
        assert_eq!(pick(&dots, Point { x: 9.0, y: 1.0 }), Some(MsgId(3)));
        assert_eq!(pick(&dots, Point { x: 40.0, y: 40.0 }), None);
        assert_eq!(pick(&[], Point { x: 0.0, y: 0.0 }), None);
    }
}
