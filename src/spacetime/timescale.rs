//! The space-time diagram's vertical axis: virtual time mapped to y, with idle time
//! squeezed.
//!
//! Raft's messages take tens of milliseconds and its timers seconds, so a linear axis
//! draws every arrow flat. The scale is linear (`px_per_ms`) while a message is in
//! flight, so an arrow's slope shows its latency, and logarithmic across stretches where
//! nothing is on the wire (an idle gap of any length takes a few dozen pixels). It is
//! built from the events near an anchor only: the cost follows what is on screen, not
//! the length of the run.
//!
//! This module owns that mapping and its inverse; it must not know about protocols,
//! the DOM or the layout of lanes.

// Coordinates are f64; trace indices and virtual milliseconds stay far below 2^52.
#![allow(clippy::cast_precision_loss)]
// Geometry reads best in its own letters: t (time), y, k (px per ms), r (a row).
#![allow(clippy::many_single_char_names)]

/// Closest two distinct event times are ever drawn (px), so that they stay apart.
pub const MIN_GAP: f64 = 3.0;
/// Idle time up to this many pixels is drawn linearly; beyond, logarithmically.
pub const IDLE_LINEAR_PX: f64 = 14.0;
/// Pixels per e-fold of idle time beyond [`IDLE_LINEAR_PX`].
pub const IDLE_LOG_PX: f64 = 6.0;
/// An idle stretch drawn at least this much shorter than linear time is shown as a break.
pub const BREAK_MIN_SAVED_PX: f64 = 12.0;

/// One distinct event time and where it is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    /// Virtual time (ms).
    pub t: f64,
    /// Its y coordinate.
    pub y: f64,
    /// Until when (ms) the gap after this row had a message in flight; from there to
    /// the next row the time is idle and squeezed.
    pub busy_until: f64,
}

/// A squeezed idle stretch, for drawing a break on the axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Break {
    /// Where the idle time starts (y).
    pub y0: f64,
    /// Where it ends (y).
    pub y1: f64,
    /// How long it lasted (virtual ms).
    pub ms: f64,
}

/// Where the anchor time sits on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anchor {
    /// Virtual time (ms).
    pub t: f64,
    /// Its y coordinate.
    pub y: f64,
}

/// What a trace event contributes to the axis: its time and, for a send, when the
/// message is due (so that the gap it spans stays linear).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Beat {
    /// Virtual time of the event (ms).
    pub at: f64,
    /// Delivery time of the message it sends, if any (ms).
    pub due: Option<f64>,
}

/// The mapping between virtual time and y near an anchor.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeScale {
    rows: Vec<Row>,
    px_per_ms: f64,
}

/// How far a budget-limited build reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// First trace index laid out.
    pub start: usize,
    /// One past the last trace index laid out.
    pub end: usize,
}

/// The height (px) of `ms` of idle time.
fn idle_px(ms: f64, k: f64) -> f64 {
    let lin = ms.max(0.0) * k;
    if lin <= IDLE_LINEAR_PX {
        lin
    } else {
        IDLE_LINEAR_PX + IDLE_LOG_PX * (lin / IDLE_LINEAR_PX).ln()
    }
}

/// Inverse of [`idle_px`].
fn idle_ms(px: f64, k: f64) -> f64 {
    let px = px.max(0.0);
    if px <= IDLE_LINEAR_PX {
        px / k
    } else {
        IDLE_LINEAR_PX / k * ((px - IDLE_LINEAR_PX) / IDLE_LOG_PX).exp()
    }
}

/// The unclamped height of `dt` ms after a row whose gap is busy until `busy` ms
/// after the row.
fn raw_px(dt: f64, busy: f64, k: f64) -> f64 {
    let lin = dt.min(busy).max(0.0);
    lin * k + idle_px(dt - lin, k)
}

impl TimeScale {
    /// Lay out the events `beats(i)` for `i` in `0..len` (in time order) around
    /// `anchor`, reaching at least `above` px over it and `below` px under it, or as
    /// far as `budget` events each way allow. Returns the scale and the trace indices
    /// it covers.
    pub fn build(
        beats: &dyn Fn(usize) -> Beat,
        len: usize,
        anchor: Anchor,
        above: f64,
        below: f64,
        px_per_ms: f64,
        budget: usize,
    ) -> (TimeScale, Span) {
        let k = px_per_ms.max(1e-6);
        // Events at or before the anchor time, by binary search (the trace is in time
        // order).
        let (mut lo, mut hi) = (0, len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if beats(mid).at <= anchor.t {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let split = lo;
        // Walk back in growing steps until the rows reach high enough: each attempt
        // lays out forward from its start so that in-flight spans are known.
        let mut back = 256.min(budget.max(1));
        let (mut rows, mut start) = loop {
            let start = split.saturating_sub(back);
            let rows = Self::forward(beats, start, split, anchor.t, k);
            let top = rows.first().map_or(0.0, |r| r.y);
            let anchor_y = rows.last().map_or(0.0, |r| r.y);
            if anchor_y - top >= above || start == 0 || back >= budget {
                break (rows, start);
            }
            back = (back * 4).min(budget);
        };
        // Place the anchor row, then continue past it.
        let shift = anchor.y - rows.last().map_or(0.0, |r| r.y);
        for r in &mut rows {
            r.y += shift;
        }
        let mut end = split;
        let mut busy = rows.last().map_or(anchor.t, |r| r.busy_until);
        while end < len && end - split < budget {
            let b = beats(end);
            let Some(&last) = rows.last() else { break };
            if b.at > last.t {
                if last.y - anchor.y > below {
                    break;
                }
                let y = last.y + gap_px(b.at - last.t, last.busy_until - last.t, k);
                rows.push(Row {
                    t: b.at,
                    y,
                    busy_until: busy.max(b.at),
                });
            }
            if let Some(due) = b.due {
                busy = busy.max(due);
            }
            if let Some(r) = rows.last_mut() {
                r.busy_until = r.busy_until.max(busy);
            }
            end += 1;
        }
        // Drop rows (and events) far above the view: they were only needed to learn
        // which gaps are busy.
        let keep_from = rows
            .iter()
            .position(|r| r.y >= anchor.y - above)
            .map_or(0, |i| i.saturating_sub(1));
        if keep_from > 0 {
            let first_t = rows[keep_from].t;
            rows.drain(..keep_from);
            while start < split && beats(start).at < first_t {
                start += 1;
            }
        }
        (TimeScale { rows, px_per_ms: k }, Span { start, end })
    }

    /// Rows for the events `start..split`, then one for the anchor time, at y from 0.
    fn forward(
        beats: &dyn Fn(usize) -> Beat,
        start: usize,
        split: usize,
        anchor_t: f64,
        k: f64,
    ) -> Vec<Row> {
        let mut rows: Vec<Row> = Vec::new();
        let mut busy = f64::NEG_INFINITY;
        for i in start..split {
            let b = beats(i);
            match rows.last() {
                Some(last) if b.at <= last.t => {}
                Some(last) => {
                    let y = last.y + gap_px(b.at - last.t, last.busy_until - last.t, k);
                    rows.push(Row {
                        t: b.at,
                        y,
                        busy_until: busy.max(b.at),
                    });
                }
                None => rows.push(Row {
                    t: b.at,
                    y: 0.0,
                    busy_until: b.at,
                }),
            }
            if let Some(due) = b.due {
                busy = busy.max(due);
            }
            if let Some(r) = rows.last_mut() {
                r.busy_until = r.busy_until.max(busy);
            }
        }
        match rows.last() {
            Some(last) if last.t >= anchor_t => {}
            Some(last) => {
                // The anchor (the cursor's time while playing) may lie between events:
                // the partial gap is drawn like any other.
                let y = last.y + raw_px(anchor_t - last.t, last.busy_until - last.t, k);
                rows.push(Row {
                    t: anchor_t,
                    y,
                    busy_until: busy.max(anchor_t),
                });
            }
            None => rows.push(Row {
                t: anchor_t,
                y: 0.0,
                busy_until: anchor_t,
            }),
        }
        rows
    }

    /// A scale from explicit rows (for tests).
    pub fn from_rows(rows: Vec<Row>, px_per_ms: f64) -> TimeScale {
        TimeScale { rows, px_per_ms }
    }

    /// The rows, in time order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Pixels per millisecond of busy time.
    pub fn px_per_ms(&self) -> f64 {
        self.px_per_ms
    }

    /// The y of virtual time `t` (ms). Beyond the rows it extrapolates: linearly above
    /// the first, as idle time below the last (nothing is known to be in flight).
    pub fn y(&self, t: f64) -> f64 {
        let k = self.px_per_ms;
        let Some(first) = self.rows.first() else {
            return 0.0;
        };
        if t <= first.t {
            return first.y - (first.t - t) * k;
        }
        let i = self.rows.partition_point(|r| r.t <= t) - 1;
        let r = self.rows[i];
        let dt = t - r.t;
        match self.rows.get(i + 1) {
            None => r.y + raw_px(dt, r.busy_until - r.t, k),
            Some(next) => {
                let full = raw_px(next.t - r.t, r.busy_until - r.t, k);
                let drawn = next.y - r.y;
                if full <= 0.0 {
                    r.y
                } else {
                    r.y + raw_px(dt, r.busy_until - r.t, k) * drawn / full
                }
            }
        }
    }

    /// The virtual time (ms) drawn at `y`: the inverse of [`TimeScale::y`].
    pub fn time_at(&self, y: f64) -> f64 {
        let k = self.px_per_ms;
        let Some(first) = self.rows.first() else {
            return 0.0;
        };
        if y <= first.y {
            return first.t - (first.y - y) / k;
        }
        let i = self.rows.partition_point(|r| r.y <= y) - 1;
        let r = self.rows[i];
        let busy = (r.busy_until - r.t).max(0.0);
        let (px, next_t) = match self.rows.get(i + 1) {
            None => (y - r.y, f64::INFINITY),
            Some(next) => {
                let full = raw_px(next.t - r.t, busy, k);
                let drawn = next.y - r.y;
                let px = if drawn <= 0.0 {
                    0.0
                } else {
                    (y - r.y) * full / drawn
                };
                (px, next.t)
            }
        };
        let t = if px <= busy * k {
            r.t + px / k
        } else {
            r.t + busy + idle_ms(px - busy * k, k)
        };
        t.min(next_t)
    }

    /// The squeezed idle stretches between rows (where the drawing saves at least
    /// [`BREAK_MIN_SAVED_PX`] over linear time).
    pub fn breaks(&self) -> Vec<Break> {
        let k = self.px_per_ms;
        self.rows
            .windows(2)
            .filter_map(|w| {
                let (a, b) = (w[0], w[1]);
                let idle_from = crate::num::clamp(a.busy_until, a.t, b.t);
                let idle = b.t - idle_from;
                if idle * k - idle_px(idle, k) < BREAK_MIN_SAVED_PX {
                    return None;
                }
                Some(Break {
                    y0: self.y(idle_from),
                    y1: b.y,
                    ms: idle,
                })
            })
            .collect()
    }
}

/// The drawn height of the gap between two consecutive distinct event times.
fn gap_px(dt: f64, busy: f64, k: f64) -> f64 {
    raw_px(dt, busy, k).max(MIN_GAP)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    fn beats(v: &[(f64, Option<f64>)]) -> impl Fn(usize) -> Beat + '_ {
        move |i| Beat {
            at: v[i].0,
            due: v[i].1,
        }
    }

    #[test]
    fn time_in_flight_is_linear_and_idle_time_is_squeezed() {
        // A send at 100 due at 130, its delivery at 130, then nothing until 1130.
        let ev = [(100.0, Some(130.0)), (130.0, None), (1130.0, None)];
        let f = beats(&ev);
        let (s, span) = TimeScale::build(
            &f,
            ev.len(),
            Anchor {
                t: 1130.0,
                y: 500.0,
            },
            1_000.0,
            100.0,
            2.0,
            1_000,
        );
        assert_eq!(span, Span { start: 0, end: 3 });
        assert!(close(s.y(1130.0), 500.0));
        // 30 ms in flight at 2 px/ms: 60 px.
        assert!(close(s.y(130.0) - s.y(100.0), 60.0));
        // A second of idle time takes far less than 2000 px, but more than the linear
        // part.
        let idle = s.y(1130.0) - s.y(130.0);
        assert!(idle > IDLE_LINEAR_PX && idle < 60.0, "{idle}");
        let breaks = s.breaks();
        assert_eq!(breaks.len(), 1);
        assert!(close(breaks[0].ms, 1000.0));
    }

    #[test]
    fn time_at_inverts_y() {
        let ev = [
            (0.0, Some(40.0)),
            (10.0, None),
            (40.0, None),
            (900.0, Some(925.0)),
            (925.0, None),
            (5_000.0, None),
        ];
        let f = beats(&ev);
        let (s, _) = TimeScale::build(
            &f,
            ev.len(),
            Anchor {
                t: 5_000.0,
                y: 700.0,
            },
            2_000.0,
            0.0,
            1.0,
            100,
        );
        for t in [
            0.0, 5.0, 10.0, 39.0, 40.0, 100.0, 899.0, 910.0, 925.0, 3_000.0, 5_000.0,
        ] {
            let back = s.time_at(s.y(t));
            assert!((back - t).abs() < 1e-6, "t={t} back={back}");
        }
        // Monotone.
        let mut last = f64::NEG_INFINITY;
        for i in 0..=500 {
            let y = s.y(f64::from(i) * 10.0);
            assert!(y >= last);
            last = y;
        }
    }

    #[test]
    fn coincident_and_close_events_stay_apart() {
        let ev = [
            (0.0, Some(50.0)),
            (0.0, Some(50.0)),
            (0.5, None),
            (50.0, None),
        ];
        let f = beats(&ev);
        let (s, _) = TimeScale::build(
            &f,
            ev.len(),
            Anchor { t: 50.0, y: 0.0 },
            500.0,
            0.0,
            1.0,
            100,
        );
        assert_eq!(s.rows().len(), 3, "two events at 0 share a row");
        assert!(s.y(0.5) - s.y(0.0) >= MIN_GAP - 1e-9);
    }

    #[test]
    fn the_anchor_can_lie_between_events_and_beyond_them() {
        let ev = [(0.0, Some(100.0)), (20.0, None)];
        let f = beats(&ev);
        let (s, _) = TimeScale::build(
            &f,
            ev.len(),
            Anchor { t: 60.0, y: 300.0 },
            500.0,
            0.0,
            1.0,
            100,
        );
        assert!(close(s.y(60.0), 300.0));
        // Still busy (due at 100): linear.
        assert!(close(s.y(60.0) - s.y(20.0), 40.0));
    }

    #[test]
    fn only_the_events_near_the_anchor_are_read() {
        // 100 000 events 10 ms apart, each sending a message due 5 ms later.
        let n = 100_000;
        let read = std::cell::Cell::new(0usize);
        let f = |i: usize| {
            read.set(read.get() + 1);
            let at = i as f64 * 10.0;
            Beat {
                at,
                due: Some(at + 5.0),
            }
        };
        let anchor = Anchor {
            t: 900_000.0,
            y: 400.0,
        };
        let (s, span) = TimeScale::build(&f, n, anchor, 400.0, 100.0, 1.0, 4_000);
        assert!(span.end - span.start < 2_000, "{span:?}");
        assert!(read.get() < 5_000, "read {} events", read.get());
        assert!(s.rows().first().expect("rows").y <= 0.0);
        assert!(s.rows().last().expect("rows").y >= 500.0);
    }
}
