//! The page's reading of a tour file: its scenario and, per stop, the caption, the
//! highlight and the stored `event` the stop shows. The page seeks straight to that
//! event, so it needs neither the anchor grammar ([`super::anchor`]) nor the walk
//! ([`super::walk`]): `at` and `expect` are accepted as keys and otherwise skipped.
//!
//! Whether a stored event is right is not this module's business: the native tests
//! resolve every anchor ([`super::verify`]) and refuse a stored number that differs.
//! It must not step a world.

use serde_json::Value;

use crate::scenario::{Scenario, ScenarioError};

use super::{
    Highlight, STOP_KEYS, check_keys, optional_text, parse_head, parse_highlight, stored_event,
    text_field, titled_scenario,
};

/// A tour as the page shows it: stops pinned to stored event numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct PinnedTour {
    /// The tour's id (its file name without `.json`).
    pub name: String,
    /// The title shown on the card.
    pub title: String,
    /// `"raft"` or `"2pc"`.
    pub protocol: String,
    /// The run the tour narrates.
    pub scenario: Scenario,
    /// The stops, in order.
    pub stops: Vec<PinnedStop>,
}

/// One stop as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedStop {
    /// A short heading (a few words).
    pub title: Option<String>,
    /// A few sentences in the papers' vocabulary.
    pub caption: String,
    /// The event the stop shows (the number its anchor resolves to).
    pub event: u64,
    /// What the page should point at.
    pub highlight: Highlight,
}

impl PinnedTour {
    /// Parse a tour file called `name` (its id) from JSON text, for showing.
    ///
    /// # Errors
    /// A [`ScenarioError`] naming the offending field, e.g. a stop without its stored
    /// `event` (`stops[2].event`).
    pub fn parse(name: &str, text: &str) -> Result<PinnedTour, ScenarioError> {
        Self::parse_with(name, text, None)
    }

    /// [`PinnedTour::parse`], with the text of the named scenario the tour refers to
    /// ([`PinnedTour::scenario_name`]) when the caller fetched it: the page's
    /// WebAssembly carries the text of almost no named scenario.
    ///
    /// # Errors
    /// As [`PinnedTour::parse`]; the named scenario's own errors under `scenario`.
    pub fn parse_with(
        name: &str,
        text: &str,
        named_scenario: Option<&str>,
    ) -> Result<PinnedTour, ScenarioError> {
        let value = crate::scenario::parse_json(text)?;
        let (head, items) = parse_head(&value, named_scenario)?;
        let stops = items
            .iter()
            .enumerate()
            .map(|(i, s)| parse_stop(s).map_err(|e| e.under(&format!("stops[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PinnedTour {
            name: name.to_owned(),
            title: head.title,
            protocol: head.protocol,
            scenario: head.scenario,
            stops,
        })
    }

    /// The named scenario a tour file refers to (`"scenario": "<name>"`), if it parses
    /// and names one: what the page fetches before [`PinnedTour::parse_with`].
    pub fn scenario_name(text: &str) -> Option<String> {
        let value: Value = serde_json::from_str(text).ok()?;
        value.get("scenario")?.as_str().map(str::to_owned)
    }

    /// The scenario as a JSON value, titled for the lab (as [`super::Tour::scenario_value`]).
    pub fn scenario_value(&self) -> Value {
        titled_scenario(&self.scenario, &self.title)
    }
}

fn parse_stop(value: &Value) -> Result<PinnedStop, ScenarioError> {
    let obj = value
        .as_object()
        .ok_or_else(|| ScenarioError::new("", "a stop must be an object"))?;
    check_keys(obj, STOP_KEYS)?;
    let event = stored_event(obj)?.ok_or_else(|| {
        ScenarioError::new(
            "event",
            "missing: the event number the stop's anchor resolves to \
             (`cargo test -p faultlab-sim --test tours` prints it)",
        )
    })?;
    let highlight = match obj.get("highlight") {
        None => Highlight::default(),
        Some(v) => parse_highlight(v).map_err(|e| e.under("highlight"))?,
    };
    Ok(PinnedStop {
        title: optional_text(obj, "title")?,
        caption: text_field(obj, "caption")?,
        event,
        highlight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tour(stops: &str) -> String {
        format!(
            r#"{{"format": "faultlab-tour/1", "title": "t", "protocol": "raft", "summary": "s",
                "scenario": {{"format": "faultlab-scenario/1", "protocol": "raft", "seed": 1}},
                "stops": {stops}}}"#
        )
    }

    #[test]
    fn reads_captions_highlights_and_stored_events_and_skips_anchors() {
        let t = PinnedTour::parse(
            "x",
            &tour(
                r#"[{"title": "a", "caption": "c", "at": {"start": true}, "event": 0},
                    {"caption": "d", "at": {"no-such-kind": 1}, "event": 12,
                     "highlight": {"nodes": ["3"], "rpc": "RequestVote"},
                     "expect": {"anything": true}}]"#,
            ),
        )
        .expect("parses");
        assert_eq!(t.stops.len(), 2);
        assert_eq!(t.stops[1].event, 12);
        assert_eq!(t.stops[1].highlight.nodes, ["3"]);
        assert_eq!(t.stops[0].title.as_deref(), Some("a"));
    }

    #[test]
    fn a_stop_without_its_event_is_refused_by_field() {
        let e = PinnedTour::parse("x", &tour(r#"[{"caption": "c", "at": {"start": true}}]"#))
            .expect_err("no event");
        assert_eq!(e.field, "stops[0].event");
        let e = PinnedTour::parse("x", &tour(r#"[{"caption": "c", "event": -1}]"#))
            .expect_err("negative");
        assert_eq!(e.field, "stops[0].event");
        let e = PinnedTour::parse("x", "{ nope").expect_err("not JSON");
        assert!(e.message.contains("not valid JSON"), "{e}");
    }
}
