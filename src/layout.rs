//! Pure geometry and formatting for the cluster view: where nodes sit on the ring,
//! where a message in flight is at a given virtual time, how much of a timer is left,
//! the hull around a partition group, and the speed slider's log scale.
//!
//! Everything here is a plain function of numbers so it is tested natively. It must
//! not touch the DOM, the world or the clock.

// Geometry converts between counts, virtual milliseconds and SVG coordinates; the
// values involved are small (≤ 9 nodes, ≤ 2^52 ms), so the casts are exact in practice.
#![allow(clippy::cast_precision_loss)]

use std::f64::consts::PI;

use crate::num::{fixed, sin_cos, trimmed};

/// The SVG's logical size (a square viewBox).
pub const VIEW: f64 = 600.0;
/// Centre of the ring.
pub const CENTRE: f64 = VIEW / 2.0;

/// A point in SVG coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Horizontal, left to right.
    pub x: f64,
    /// Vertical, top to bottom.
    pub y: f64,
}

impl Point {
    #[must_use]
    /// Linear interpolation from `self` (t = 0) to `to` (t = 1).
    pub fn lerp(self, to: Point, t: f64) -> Point {
        Point {
            x: self.x + (to.x - self.x) * t,
            y: self.y + (to.y - self.y) * t,
        }
    }

    /// Euclidean distance.
    pub fn dist(self, other: Point) -> f64 {
        crate::num::hypot(self.x - other.x, self.y - other.y)
    }
}

/// A cut line shorter than this (SVG units) is a click, not a cut.
pub const MIN_CUT: f64 = 40.0;

/// The two groups a cut drawn from `a` to `b` makes of the nodes at `positions`
/// (indices): those left of the line through `a` and `b`, and those right of it.
/// `None` when the line is shorter than [`MIN_CUT`] or leaves every node on one side,
/// so that a stray drag never partitions anything.
pub fn cut_sides(a: Point, b: Point, positions: &[Point]) -> Option<(Vec<usize>, Vec<usize>)> {
    if a.dist(b) < MIN_CUT {
        return None;
    }
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for (i, p) in positions.iter().enumerate() {
        // The sign of the cross product (b - a) × (p - a) says which side p is on.
        let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        if cross < 0.0 {
            left.push(i);
        } else {
            right.push(i);
        }
    }
    (!left.is_empty() && !right.is_empty()).then_some((left, right))
}

/// A pointer position (client pixels) in the view's coordinates, for an SVG showing
/// `0 0 VIEW VIEW` with `preserveAspectRatio="xMidYMid meet"` in the box at
/// (`left`, `top`) of `width` × `height` pixels.
pub fn view_point(client: (f64, f64), left: f64, top: f64, width: f64, height: f64) -> Point {
    let (scale, ox, oy) = view_fit(width, height);
    Point {
        x: (client.0 - left - ox) / scale,
        y: (client.1 - top - oy) / scale,
    }
}

/// Where the square view sits in a `width` x `height` box (`preserveAspectRatio`
/// `xMidYMid meet`): its scale, and the offsets of its left and top edges.
pub fn view_fit(width: f64, height: f64) -> (f64, f64, f64) {
    let scale = (width.min(height) / VIEW).max(1e-9);
    (
        scale,
        (width - VIEW * scale) / 2.0,
        (height - VIEW * scale) / 2.0,
    )
}

/// The ring's radius for `n` nodes: larger rings for more nodes, always inside the view.
pub fn ring_radius(n: usize) -> f64 {
    match n {
        0..=3 => 170.0,
        4..=5 => 200.0,
        _ => 225.0,
    }
}

/// A node circle's radius for `n` nodes: smaller when there are more of them.
pub fn node_radius(n: usize) -> f64 {
    match n {
        0..=5 => 44.0,
        6..=7 => 38.0,
        _ => 33.0,
    }
}

/// Where node `i` of `n` sits: evenly spaced on the ring, node 0 at the top, clockwise.
pub fn node_position(i: usize, n: usize) -> Point {
    let r = ring_radius(n);
    let n = n.max(1) as f64;
    let angle = -PI / 2.0 + 2.0 * PI * (i as f64) / n;
    polar(
        Point {
            x: CENTRE,
            y: CENTRE,
        },
        r,
        angle,
    )
}

/// How far along its path a message is at virtual time `now` (0 at `sent_at`, 1 at
/// `deliver_at`), clamped to `[0, 1]`.
pub fn flight_progress(sent_at: u64, deliver_at: u64, now: f64) -> f64 {
    if deliver_at <= sent_at {
        return 1.0;
    }
    crate::num::clamp(
        (now - sent_at as f64) / (deliver_at - sent_at) as f64,
        0.0,
        1.0,
    )
}

/// Where a message from `from` to `to` is drawn at progress `t`. The path starts and
/// ends at the circles' edges (not their centres), and is bent slightly to the right of
/// its direction so that a request and its reply on the same pair of nodes do not sit
/// on top of each other.
pub fn message_position(from: Point, to: Point, node_r: f64, t: f64) -> Point {
    let (a, b) = message_ends(from, to, node_r);
    let base = a.lerp(b, t);
    let bend = message_bend(a, b);
    // A parabola: zero at both ends, `bend` at the middle.
    let k = 4.0 * t * (1.0 - t);
    Point {
        x: base.x + bend.x * k,
        y: base.y + bend.y * k,
    }
}

/// Where a message from a node to itself (2PC: one phase to the other) is drawn at
/// progress `t`: once round a small loop just outside the node, away from the centre.
pub fn self_message_position(node: Point, node_r: f64, t: f64) -> Point {
    let centre = Point {
        x: CENTRE,
        y: CENTRE,
    };
    let d = node.dist(centre);
    let (ux, uy) = if d == 0.0 {
        (0.0, -1.0)
    } else {
        ((node.x - centre.x) / d, (node.y - centre.y) / d)
    };
    let loop_r = node_r * 0.45;
    let c = Point {
        x: node.x + ux * (node_r + loop_r * 0.6),
        y: node.y + uy * (node_r + loop_r * 0.6),
    };
    // Start on the node side of the loop and go round clockwise.
    let start = crate::num::atan2(-uy, -ux);
    let a = start + 2.0 * PI * crate::num::clamp(t, 0.0, 1.0);
    polar(c, loop_r, a)
}

/// The two ends of a message path: on the edges of the sender's and receiver's circles.
pub fn message_ends(from: Point, to: Point, node_r: f64) -> (Point, Point) {
    let d = from.dist(to);
    if d <= 2.0 * node_r {
        return (from, to);
    }
    let f = node_r / d;
    (from.lerp(to, f), to.lerp(from, f))
}

/// The sideways offset at the middle of a message path (to the right of travel).
fn message_bend(a: Point, b: Point) -> Point {
    let d = a.dist(b);
    if d == 0.0 {
        return Point { x: 0.0, y: 0.0 };
    }
    let off = 14.0;
    // Right-hand normal of the direction (dx, dy) in screen coordinates is (-dy, dx).
    Point {
        x: -(b.y - a.y) / d * off,
        y: (b.x - a.x) / d * off,
    }
}

/// The fraction of a timer still to run at `now` (1 when just armed, 0 when due).
pub fn timer_remaining(set_at: u64, fires_at: u64, now: f64) -> f64 {
    if fires_at <= set_at {
        return 0.0;
    }
    crate::num::clamp(
        (fires_at as f64 - now) / (fires_at - set_at) as f64,
        0.0,
        1.0,
    )
}

/// An SVG path for an arc of radius `r` around `c`, starting at 12 o'clock and running
/// clockwise over `fraction` of the circle. Empty when nothing is left.
pub fn arc_path(c: Point, r: f64, fraction: f64) -> String {
    let f = crate::num::clamp(fraction, 0.0, 1.0);
    if f <= 0.0005 {
        return String::new();
    }
    if f >= 0.9995 {
        // A full circle cannot be one arc command: draw two half arcs.
        let (x, top, bottom, r) = (f2(c.x), f2(c.y - r), f2(c.y + r), f2(r));
        return format!("M {x} {top} A {r} {r} 0 1 1 {x} {bottom} A {r} {r} 0 1 1 {x} {top}");
    }
    let angle = -PI / 2.0 + 2.0 * PI * f;
    let end = polar(c, r, angle);
    let large = i32::from(f > 0.5);
    format!(
        "M {} {} A {r} {r} 0 {large} 1 {} {}",
        f2(c.x),
        f2(c.y - r),
        f2(end.x),
        f2(end.y),
        r = f2(r)
    )
}

/// The point at `angle` (radians, clockwise from 3 o'clock in screen coordinates) on the
/// circle of radius `r` around `c`.
pub fn polar(c: Point, r: f64, angle: f64) -> Point {
    let (sin, cos) = sin_cos(angle);
    Point {
        x: c.x + r * cos,
        y: c.y + r * sin,
    }
}

/// Two decimals, for SVG path data.
fn f2(v: f64) -> String {
    fixed(v, 2)
}

/// The convex hull of `points` (Andrew's monotone chain), counter-clockwise in
/// screen coordinates. Fewer than three points are returned as they are.
pub fn convex_hull(points: &[Point]) -> Vec<Point> {
    let mut pts: Vec<Point> = points.to_vec();
    // A partition group's few node positions.
    faultlab_sim::sorted::sort_small_by(&mut pts, |a, b| {
        a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y))
    });
    pts.dedup_by(|a, b| (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9);
    if pts.len() < 3 {
        return pts;
    }
    let cross =
        |o: Point, a: Point, b: Point| (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    let mut lower: Vec<Point> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<Point> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// The `points` attribute of an SVG polygon or polyline.
pub fn points_attr(points: &[Point]) -> String {
    points
        .iter()
        .map(|p| format!("{},{}", fixed(p.x, 1), fixed(p.y, 1)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The speed slider's range: log10 of the speed factor.
pub const SPEED_LOG_MIN: f64 = -2.0;
/// See [`SPEED_LOG_MIN`].
pub const SPEED_LOG_MAX: f64 = 2.0;

/// The speed factor (virtual ms per real ms) for a slider value in
/// `[SPEED_LOG_MIN, SPEED_LOG_MAX]`.
pub fn speed_from_log(v: f64) -> f64 {
    crate::num::pow10(crate::num::clamp(v, SPEED_LOG_MIN, SPEED_LOG_MAX))
}

/// A speed factor as people read it: `0.25×`, `1×`, `40×`.
pub fn speed_label(speed: f64) -> String {
    let digits = if speed >= 10.0 {
        0
    } else if speed >= 1.0 {
        1
    } else {
        3
    };
    format!("{}×", trimmed(speed, digits))
}

/// Virtual milliseconds as `12.345 s`.
pub fn time_label(ms: f64) -> String {
    format!("{} s", fixed(ms.max(0.0) / 1000.0, 3))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cut_splits_the_ring_by_side_and_ignores_clicks_and_misses() {
        let n = 5;
        let pos: Vec<Point> = (0..n).map(|i| node_position(i, n)).collect();
        // A vertical line through the centre: node 0 (top) sits on it; 1 and 2 are
        // right of centre, 3 and 4 left.
        let top = Point {
            x: CENTRE + 1.0,
            y: 0.0,
        };
        let bottom = Point {
            x: CENTRE + 1.0,
            y: VIEW,
        };
        let (l, r) = cut_sides(top, bottom, &pos).expect("a real cut");
        assert_eq!((l, r), (vec![1, 2], vec![0, 3, 4]));
        // Drawn the other way round, the sides swap but the groups are the same.
        let (l2, r2) = cut_sides(bottom, top, &pos).expect("a real cut");
        assert_eq!((l2, r2), (vec![0, 3, 4], vec![1, 2]));
        // A short drag is a click.
        assert!(cut_sides(top, Point { x: top.x, y: 10.0 }, &pos).is_none());
        // A line beside the ring leaves everyone on one side.
        assert!(cut_sides(Point { x: 5.0, y: 0.0 }, Point { x: 5.0, y: VIEW }, &pos).is_none());
    }

    #[test]
    fn view_points_undo_the_letterbox() {
        // A 1000 x 500 box: the square view is 500 px wide, centred (250 px each side).
        let p = view_point((250.0, 0.0), 0.0, 0.0, 1000.0, 500.0);
        assert!((p.x - 0.0).abs() < 1e-9 && (p.y - 0.0).abs() < 1e-9);
        let q = view_point((760.0, 520.0), 10.0, 20.0, 1000.0, 500.0);
        assert!((q.x - VIEW).abs() < 1e-9 && (q.y - VIEW).abs() < 1e-9);
    }

    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn nodes_are_evenly_spaced_and_inside_the_view() {
        for n in 3..=9 {
            let pts: Vec<Point> = (0..n).map(|i| node_position(i, n)).collect();
            let r = node_radius(n);
            for p in &pts {
                assert!(p.x - r >= 0.0 && p.x + r <= VIEW, "n={n} x={}", p.x);
                assert!(p.y - r >= 0.0 && p.y + r <= VIEW, "n={n} y={}", p.y);
                assert!(close(
                    p.dist(Point {
                        x: CENTRE,
                        y: CENTRE
                    }),
                    ring_radius(n)
                ));
            }
            let side = pts[0].dist(pts[1]);
            for i in 0..n {
                assert!(close(pts[i].dist(pts[(i + 1) % n]), side), "n={n}");
                // Neighbouring circles never overlap.
                assert!(side > 2.0 * r + 10.0, "n={n}: side {side} vs radius {r}");
            }
        }
    }

    #[test]
    fn node_zero_is_at_the_top() {
        let p = node_position(0, 5);
        assert!(close(p.x, CENTRE));
        assert!(p.y < CENTRE);
    }

    #[test]
    fn flight_progress_interpolates_and_clamps() {
        assert!(close(flight_progress(100, 200, 100.0), 0.0));
        assert!(close(flight_progress(100, 200, 150.0), 0.5));
        assert!(close(flight_progress(100, 200, 250.0), 1.0));
        assert!(close(flight_progress(100, 200, 50.0), 0.0));
        assert!(close(flight_progress(100, 100, 100.0), 1.0));
    }

    #[test]
    fn messages_travel_between_circle_edges() {
        let a = Point { x: 0.0, y: 0.0 };
        let b = Point { x: 200.0, y: 0.0 };
        let start = message_position(a, b, 20.0, 0.0);
        let end = message_position(a, b, 20.0, 1.0);
        assert!(close(start.x, 20.0) && close(start.y, 0.0));
        assert!(close(end.x, 180.0) && close(end.y, 0.0));
        let mid = message_position(a, b, 20.0, 0.5);
        assert!(close(mid.x, 100.0));
        // Bent to the right of travel (downwards on screen when moving right).
        assert!(mid.y > 0.0);
        // The reply's path bends the other way: the two never coincide.
        let back = message_position(b, a, 20.0, 0.5);
        assert!(back.y < 0.0);
    }

    #[test]
    fn self_messages_loop_outside_the_node() {
        let n = node_position(0, 5);
        let r = node_radius(5);
        let start = self_message_position(n, r, 0.0);
        let mid = self_message_position(n, r, 0.5);
        let end = self_message_position(n, r, 1.0);
        assert!((start.x - end.x).abs() < 1e-9 && (start.y - end.y).abs() < 1e-9);
        // Node 0 is at the top: the loop is above it, further from the centre.
        assert!(mid.y < n.y - r);
        assert!(start.dist(n) < mid.dist(n));
    }

    #[test]
    fn timer_fraction_shrinks() {
        assert!(close(timer_remaining(0, 1000, 0.0), 1.0));
        assert!(close(timer_remaining(0, 1000, 250.0), 0.75));
        assert!(close(timer_remaining(0, 1000, 2000.0), 0.0));
        assert!(close(timer_remaining(5, 5, 5.0), 0.0));
    }

    #[test]
    fn arcs() {
        let c = Point { x: 100.0, y: 100.0 };
        assert_eq!(arc_path(c, 10.0, 0.0), "");
        assert!(arc_path(c, 10.0, 1.0).matches(" A ").count() == 2);
        let half = arc_path(c, 10.0, 0.5);
        assert!(
            half.starts_with("M 100.00 90.00 A 10.00 10.00 0 0 1 100.00 110.00"),
            "{half}"
        );
        let three_quarters = arc_path(c, 10.0, 0.75);
        assert!(
            three_quarters.contains(" 0 1 1 90.00 100.00"),
            "{three_quarters}"
        );
    }

    #[test]
    fn hull_of_a_square_with_an_inner_point() {
        let pts = [
            Point { x: 0.0, y: 0.0 },
            Point { x: 10.0, y: 0.0 },
            Point { x: 10.0, y: 10.0 },
            Point { x: 0.0, y: 10.0 },
            Point { x: 5.0, y: 5.0 },
        ];
        let hull = convex_hull(&pts);
        assert_eq!(hull.len(), 4);
        assert!(!hull.contains(&Point { x: 5.0, y: 5.0 }));
        assert_eq!(convex_hull(&pts[..2]).len(), 2);
    }

    #[test]
    fn speed_scale_and_labels() {
        assert!(close(speed_from_log(0.0), 1.0));
        assert!(close(speed_from_log(-2.0), 0.01));
        assert!(close(speed_from_log(5.0), 100.0));
        assert_eq!(speed_label(0.25), "0.25×");
        assert_eq!(speed_label(1.0), "1×");
        assert_eq!(speed_label(2.5), "2.5×");
        assert_eq!(speed_label(100.0), "100×");
        assert_eq!(speed_label(0.01), "0.01×");
        assert_eq!(time_label(12_345.0), "12.345 s");
    }
}
