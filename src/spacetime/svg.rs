//! The space-time diagram as SVG markup: the content of its `<svg>` element, written
//! as one string from a laid-out [`Diagram`].
//!
//! The page inserts it as raw markup (a few hundred elements that change together on
//! every step: one string costs far less code and time than a tree of `html!` nodes),
//! and the export wraps the same content. This module owns the markup: element
//! order (shafts under their ends, marks on top, the header last), classes (`.st__*`,
//! styled by `static/spacetime.css`), the data hooks for tests (`data-spacetime-event`,
//! `data-spacetime-msg`, `data-rpc`, `data-end`, `data-mark`, `data-lane`) and
//! escaping. It must not lay anything out or touch the DOM.

use std::fmt::Write;

use super::{Arrow, Diagram, End, GUTTER, Mark, MarkKind, seconds};
use crate::num::Dec;

/// Text made safe for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The markup inside the diagram's `<svg>` element.
pub fn markup(d: &Diagram) -> String {
    let mut s = String::with_capacity(256 + 400 * (d.arrows.len() + d.marks.len()));
    // Writing to a String cannot fail.
    let _ = write_markup(&mut s, d);
    s
}

fn write_markup(s: &mut String, d: &Diagram) -> std::fmt::Result {
    let (w, h) = (d.frame.width, d.frame.height);
    let top = d.top();
    let plot_w = w - GUTTER;
    write!(
        s,
        "<title>faultlab space-time diagram, event {}, t = {} s</title>\
         <rect class=\"st__bg\" width=\"{w}\" height=\"{h}\"/><g class=\"st__breaks\">",
        d.cursor,
        seconds(d.now_ms),
        w = Dec(w, 1),
        h = Dec(h, 1)
    )?;
    for b in &d.breaks {
        let (y0, y1) = (b.y0.max(top), b.y1.min(h));
        write!(
            s,
            "<g class=\"st__break\"><rect x=\"{gutter}\" y=\"{y0}\" width=\"{plot_w}\" height=\"{}\"/>",
            Dec((y1 - y0).max(0.0), 1),
            gutter = Dec(GUTTER, 1),
            y0 = Dec(y0, 1),
            plot_w = Dec(plot_w, 1)
        )?;
        if y1 - y0 >= 11.0 {
            write!(
                s,
                "<text x=\"{}\" y=\"{}\">idle {} s</text>",
                Dec(GUTTER + 6.0, 1),
                Dec(f64::midpoint(y0, y1), 1),
                seconds(b.ms)
            )?;
        }
        s.push_str("</g>");
    }
    s.push_str("</g><g class=\"st__lifelines\">");
    for seg in &d.lifelines {
        let x = d.lanes.get(seg.lane).map_or(0.0, |l| l.x);
        write!(
            s,
            "<line class=\"st__life{}\" x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\"/>",
            if seg.up { "" } else { " st__life--down" },
            Dec(seg.y0, 1),
            Dec(seg.y1, 1),
            x = Dec(x, 1)
        )?;
    }
    s.push_str("</g>");
    let now_visible = d.now_visible();
    if now_visible && d.now_y < h {
        write!(
            s,
            "<rect class=\"st__future\" x=\"{gutter}\" y=\"{}\" width=\"{plot_w}\" height=\"{}\"/>",
            Dec(d.now_y, 1),
            Dec(h - d.now_y, 1),
            gutter = Dec(GUTTER, 1),
            plot_w = Dec(plot_w, 1)
        )?;
    }
    s.push_str("<g class=\"st__rules\">");
    for r in &d.rules {
        let label = escape(&r.label);
        write!(
            s,
            "<g class=\"st__rule{}{}\" data-spacetime-event=\"{}\" data-net=\"{label}\">\
             <title>{label} (event {})</title>\
             <line x1=\"{gutter}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{label}</text></g>",
            if r.heal { " st__rule--heal" } else { "" },
            flags(r.future, r.current),
            r.event,
            r.event,
            Dec(w - 4.0, 1),
            Dec(r.y, 1),
            Dec(r.y, 1),
            Dec(w - 6.0, 1),
            Dec(r.y - 4.0, 1),
            gutter = Dec(GUTTER, 1)
        )?;
    }
    s.push_str("</g><g class=\"st__arrows\">");
    for a in &d.arrows {
        arrow(s, a, d)?;
    }
    s.push_str("</g><g class=\"st__ends\">");
    for a in &d.arrows {
        ends(s, a)?;
    }
    s.push_str("</g><g class=\"st__marks\">");
    for m in &d.marks {
        mark(s, m, d)?;
    }
    s.push_str("</g>");
    if now_visible {
        write!(
            s,
            "<g class=\"st__now\" data-spacetime-now=\"{c}\">\
             <line x1=\"{}\" x2=\"{w}\" y1=\"{y}\" y2=\"{y}\"/>\
             <text class=\"st__now-time\" x=\"{}\" y=\"{y}\">{}</text>\
             <text class=\"st__now-event\" x=\"{}\" y=\"{}\">event {c}</text></g>",
            Dec(GUTTER - 4.0, 1),
            Dec(GUTTER - 8.0, 1),
            seconds(d.now_ms),
            Dec(w - 6.0, 1),
            Dec(d.now_y + 12.0, 1),
            c = d.cursor,
            w = Dec(w, 1),
            y = Dec(d.now_y, 1)
        )?;
    }
    s.push_str("<g class=\"st__axis\">");
    for l in &d.labels {
        write!(
            s,
            "<line x1=\"{}\" x2=\"{gutter}\" y1=\"{y}\" y2=\"{y}\"/>\
             <text x=\"{}\" y=\"{y}\">{}</text>",
            Dec(GUTTER - 4.0, 1),
            Dec(GUTTER - 8.0, 1),
            l.text,
            gutter = Dec(GUTTER, 1),
            y = Dec(l.y, 1)
        )?;
    }
    write!(
        s,
        "</g><g class=\"st__header\"><rect width=\"{w}\" height=\"{top}\"/>\
         <line x1=\"0\" x2=\"{w}\" y1=\"{}\" y2=\"{}\"/>\
         <text class=\"st__unit\" x=\"{}\" y=\"{}\">t (s)</text>",
        Dec(top - 0.5, 1),
        Dec(top - 0.5, 1),
        Dec(GUTTER - 8.0, 1),
        Dec(top - 10.0, 1),
        w = Dec(w, 1),
        top = Dec(top, 1)
    )?;
    for l in &d.lanes {
        let name = escape(&l.full_name);
        let state = escape(&l.state);
        write!(
            s,
            "<g class=\"st__lane st__state--{}{}\" data-lane=\"{name}\" data-up=\"{}\">\
             <title>node {name}: {state}</title>",
            l.class,
            if l.up { "" } else { " st__lane--down" },
            l.up
        )?;
        #[allow(clippy::cast_precision_loss)]
        let name_y = top - 30.0 - 13.0 * (l.name.len() as f64 - 1.0);
        let mut y = name_y;
        for part in &l.name {
            write!(
                s,
                "<text class=\"st__name\" x=\"{}\" y=\"{y}\"",
                Dec(l.x, 1),
                y = Dec(y, 1)
            )?;
            if l.name_px < 12.0 {
                write!(s, " style=\"font-size:{}px\"", Dec(l.name_px, 1))?;
            }
            write!(s, ">{}</text>", escape(part))?;
            y += 13.0;
        }
        write!(
            s,
            "<text class=\"st__role\" x=\"{}\" y=\"{}\"",
            Dec(l.x, 1),
            Dec(top - 10.0, 1)
        )?;
        if l.state_px < 9.0 {
            write!(s, " style=\"font-size:{}px\"", Dec(l.state_px, 1))?;
        }
        write!(s, ">{}</text></g>", escape(&l.state))?;
    }
    s.push_str("</g>");
    Ok(())
}

/// ` st__future-item` and ` st__current` as they apply.
fn flags(future: bool, current: bool) -> &'static str {
    match (future, current) {
        (false, false) => "",
        (true, false) => " st__future-item",
        (false, true) => " st__current",
        (true, true) => " st__future-item st__current",
    }
}

fn end_name(end: End) -> &'static str {
    match end {
        End::Delivered => "delivered",
        End::Dropped(_) => "dropped",
        End::InFlight => "in-flight",
        End::Unknown => "later",
    }
}

/// One message's shaft and head, with its tooltip.
fn arrow(s: &mut String, a: &Arrow, d: &Diagram) -> std::fmt::Result {
    let w = &a.wire;
    let name = |i: usize| d.lanes.get(i).map_or("?", |l| l.full_name.as_str());
    let end = end_name(a.end);
    write!(
        s,
        "<g class=\"st__arrow rpc-{} st__arrow--{end}{}{}{}\" data-rpc=\"{}\" data-spacetime-msg=\"{}\" data-end=\"{end}\"",
        w.slot,
        if w.reply { " st__arrow--reply" } else { "" },
        if a.copy { " st__arrow--copy" } else { "" },
        flags(a.future, a.current),
        w.rpc,
        w.msg.0
    )?;
    // The shaft seeks to the message's end when known, else to its send.
    if let Some(e) = a.end_event.or(a.send_event) {
        write!(s, " data-spacetime-event=\"{e}\"")?;
    }
    let path = a.path();
    write!(
        s,
        "><title>{}{}{} {} → {} (message {})</title>\
         <path class=\"st__hit\" d=\"{path}\"/><path class=\"st__shaft\" d=\"{path}\"/>",
        w.rpc,
        if w.reply { " reply" } else { "" },
        if a.copy { " copy" } else { "" },
        escape(name(w.from.index())),
        escape(name(w.to.index())),
        w.msg.0
    )?;
    if let Some(head) = a.head() {
        write!(s, "<path class=\"st__head\" d=\"{head}\"/>")?;
    }
    s.push_str("</g>");
    Ok(())
}

/// An arrow's clickable ends: the send dot, and the ✕ of a drop or the delivery point.
/// They are drawn above every shaft, so that a later arrow never hides them.
fn ends(s: &mut String, a: &Arrow) -> std::fmt::Result {
    let w = &a.wire;
    let msg = w.msg.0;
    if let Some(e) = a.send_event {
        write!(
            s,
            "<circle class=\"st__send rpc-{}{}{}\" cx=\"{}\" cy=\"{}\" r=\"2.6\" \
             data-spacetime-event=\"{e}\" data-spacetime-msg=\"{msg}\"/>",
            w.slot,
            if w.reply { " st__send--reply" } else { "" },
            flags(a.future, false),
            Dec(a.from.x, 1),
            Dec(a.from.y, 1)
        )?;
    }
    match (a.end, a.end_event) {
        (End::Dropped(reason), Some(e)) => {
            let why = format!("{reason:?}").to_ascii_lowercase();
            write!(
                s,
                "<g class=\"st__drop{}\" transform=\"translate({} {})\" \
                 data-spacetime-event=\"{e}\" data-spacetime-msg=\"{msg}\" data-reason=\"{why}\">\
                 <title>{} dropped ({why}), event {e}</title>\
                 <circle r=\"6\"/><path d=\"M-3 -3L3 3M3 -3L-3 3\"/></g>",
                flags(a.future, a.current),
                Dec(a.to.x, 1),
                Dec(a.to.y, 1),
                w.rpc
            )?;
        }
        (End::Delivered, Some(e)) => write!(
            s,
            "<circle class=\"st__recv\" cx=\"{}\" cy=\"{}\" r=\"5\" \
             data-spacetime-event=\"{e}\" data-spacetime-msg=\"{msg}\"/>",
            Dec(a.to.x, 1),
            Dec(a.to.y, 1)
        )?,
        _ => {}
    }
    Ok(())
}

/// One mark on a lifeline: focusable, with its glyph and label.
fn mark(s: &mut String, m: &Mark, d: &Diagram) -> std::fmt::Result {
    let x = d.lanes.get(m.lane).map_or(0.0, |l| l.x);
    let detail = escape(&m.detail);
    let kind = m.kind.name();
    write!(
        s,
        "<g class=\"st__mark st__mark--{kind} st__state--{}{}\" transform=\"translate({x} {})\" \
         data-spacetime-event=\"{e}\" data-mark=\"{kind}\" role=\"button\" tabindex=\"0\" \
         aria-label=\"{detail}, event {e}\"><title>{detail} (event {e})</title>\
         <circle class=\"st__hit\" r=\"9\"/>",
        m.class,
        flags(m.future, m.current),
        Dec(m.y, 1),
        e = m.event,
        x = Dec(x, 1)
    )?;
    s.push_str(match m.kind {
        MarkKind::Crash => {
            "<rect class=\"st__glyph\" x=\"-6\" y=\"-6\" width=\"12\" height=\"12\" rx=\"2\"/>\
             <path class=\"st__glyph-cross\" d=\"M-3 -3L3 3M3 -3L-3 3\"/>"
        }
        MarkKind::Restart => "<circle class=\"st__glyph\" r=\"5.5\"/>",
        MarkKind::State => {
            "<rect class=\"st__glyph\" x=\"-4.5\" y=\"-4.5\" width=\"9\" height=\"9\" transform=\"rotate(45)\"/>"
        }
        MarkKind::Request => "<path class=\"st__glyph\" d=\"M-12 -5L-4 0L-12 5Z\"/>",
        MarkKind::Response => "<path class=\"st__glyph\" d=\"M-4 -5L-12 0L-4 5Z\"/>",
        MarkKind::Timeout => "<circle class=\"st__glyph\" r=\"4.5\"/>",
        MarkKind::Fault => "<rect class=\"st__glyph\" x=\"-5\" y=\"-5\" width=\"10\" height=\"10\"/>",
    });
    if !m.label.is_empty() {
        let (class, lx) = if m.label_left {
            ("st__label st__label--left", -9)
        } else {
            ("st__label", 9)
        };
        write!(
            s,
            "<text class=\"{class}\" x=\"{lx}\" y=\"0\">{}</text>",
            escape(&m.label)
        )?;
    }
    s.push_str("</g>");
    Ok(())
}

#[cfg(test)]
mod tests {
    use faultlab_sim::{DropReason, MsgId, NodeId};

    use super::super::happening::Wire;
    use super::super::{
        Frame, Lane, Segment, Source, TimeLabel, View, happening::Happened, happening::Happening,
        layout,
    };
    use super::*;

    fn lane(i: usize, name: &str) -> Lane {
        #[allow(clippy::cast_precision_loss)]
        let x = 100.0 + 100.0 * i as f64;
        Lane {
            node: NodeId::from_index(i),
            x,
            name: vec![name.to_owned()],
            name_px: 12.0,
            full_name: name.to_owned(),
            state: "LEADER".into(),
            state_px: 9.0,
            class: "leader",
            up: true,
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }

    #[test]
    fn the_markup_carries_the_hooks_and_escapes_names() {
        let wire = Wire {
            msg: MsgId(7),
            from: NodeId(0),
            to: NodeId(1),
            rpc: "Ping",
            slot: 0,
            reply: false,
        };
        let evs = [
            Happened {
                at: 10.0,
                event: 1,
                what: Happening::Sent(wire, 30.0),
            },
            Happened {
                at: 20.0,
                event: 2,
                what: Happening::Dropped(wire, DropReason::User),
            },
        ];
        let beat = |i: usize| super::super::timescale::Beat {
            at: evs[i].at,
            due: (i == 0).then_some(30.0),
        };
        let happened = |i: usize| evs[i].clone();
        let up_before = |_: usize| vec![true, true];
        let lanes = ["<a>", "b"]
            .iter()
            .map(|n| super::super::LaneInfo {
                name: (*n).to_owned(),
                state: "FOLLOWER".into(),
                class: "follower",
                up: true,
            })
            .collect();
        let src = Source {
            len: 2,
            beat: &beat,
            happened: &happened,
            up_before: &up_before,
            lanes,
            cursor: 2,
            head: 2,
            now_ms: 20.0,
        };
        let d = layout(
            &src,
            View::default(),
            Frame {
                width: 400.0,
                height: 300.0,
            },
        );
        let m = markup(&d);
        assert!(m.contains("data-lane=\"&lt;a&gt;\""), "{m}");
        assert!(!m.contains("<a>"));
        assert!(m.contains("data-rpc=\"Ping\" data-spacetime-msg=\"7\" data-end=\"dropped\""));
        assert!(
            m.contains("data-spacetime-event=\"2\" data-spacetime-msg=\"7\" data-reason=\"user\"")
        );
        assert!(m.contains("<circle class=\"st__send rpc-0\""));
        assert_eq!(m.matches("class=\"st__life\"").count(), 2);
        assert!(m.contains("data-spacetime-now=\"2\""));
        // Well nested: every group closes.
        assert_eq!(m.matches("<g").count(), m.matches("</g>").count());
    }

    #[test]
    fn lanes_and_labels_render_their_sizes() {
        let mut d = layout(
            &Source {
                len: 0,
                beat: &|_| unreachable!("no events"),
                happened: &|_| unreachable!("no events"),
                up_before: &|_| Vec::new(),
                lanes: Vec::new(),
                cursor: 0,
                head: 0,
                now_ms: 0.0,
            },
            View::default(),
            Frame {
                width: 300.0,
                height: 200.0,
            },
        );
        d.lanes = vec![lane(0, "grpc-node1")];
        d.lanes[0].name = vec!["grpc-".into(), "node1".into()];
        d.lanes[0].name_px = 9.5;
        d.lifelines = vec![Segment {
            lane: 0,
            y0: 50.0,
            y1: 200.0,
            up: false,
        }];
        d.labels = vec![TimeLabel {
            y: 100.0,
            text: "1.000".into(),
        }];
        let m = markup(&d);
        assert!(m.contains(">grpc-</text>") && m.contains(">node1</text>"));
        assert!(m.contains("style=\"font-size:9.5px\""));
        assert!(m.contains("st__life st__life--down"));
        assert!(m.contains(">1.000</text>"));
    }
}
