//! The small JSON matching rules tours use to compare what a file says with what the
//! engine serialises: variant tags (`"became_leader"` ≈ `"BecameLeader"`) and JSON
//! subsets (every key the pattern names must match; strings ignore case, so the file
//! may say `"READY"` for the `Ready` variant).
//!
//! It owns comparison only; it must not know any protocol's types.

use serde_json::Value;

/// A variant tag in canonical form: lower case, without underscores. Tags are Rust
/// identifiers, so ASCII case folding is enough (and keeps Unicode's case tables out
/// of the page).
pub(crate) fn canonical_tag(tag: &str) -> String {
    tag.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The tag and contents of an externally tagged enum value: `"election"` → (`election`,
/// null), `{"became_leader": {"term": 2}}` → (`became_leader`, `{"term": 2}`).
pub(crate) fn variant(value: &Value) -> Option<(&str, &Value)> {
    match value {
        Value::String(tag) => Some((tag.as_str(), &Value::Null)),
        Value::Object(o) if o.len() == 1 => o.iter().next().map(|(k, v)| (k.as_str(), v)),
        _ => None,
    }
}

/// Whether `value` is the variant `tag` (canonical comparison).
pub(crate) fn is_variant(value: &Value, tag: &str) -> bool {
    variant(value).is_some_and(|(t, _)| canonical_tag(t) == canonical_tag(tag))
}

/// Whether `actual` contains `pattern`: objects key by key (extra keys in `actual` are
/// fine), arrays element by element with the same length, strings without regard to
/// case, everything else equal.
pub(crate) fn subset(pattern: &Value, actual: &Value) -> bool {
    match (pattern, actual) {
        (Value::Object(p), Value::Object(a)) => p
            .iter()
            .all(|(k, pv)| a.get(k).is_some_and(|av| subset(pv, av))),
        (Value::Array(p), Value::Array(a)) => {
            p.len() == a.len() && p.iter().zip(a).all(|(pv, av)| subset(pv, av))
        }
        (Value::String(p), Value::String(a)) => p.eq_ignore_ascii_case(a),
        (Value::Number(p), Value::Number(a)) => p.as_f64() == a.as_f64(),
        _ => pattern == actual,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tags_compare_canonically() {
        assert!(is_variant(
            &json!({"BecameLeader": {"term": 1}}),
            "became_leader"
        ));
        assert!(is_variant(&json!("election"), "Election"));
        assert!(!is_variant(&json!({"a": 1, "b": 2}), "a"));
    }

    #[test]
    fn subsets_ignore_extra_keys_and_case() {
        let actual = json!({"role": "leader", "term": 3, "log": [1, 2]});
        assert!(subset(&json!({"role": "LEADER"}), &actual));
        assert!(subset(&json!({"log": [1, 2]}), &actual));
        assert!(!subset(&json!({"log": [1]}), &actual));
        assert!(!subset(&json!({"term": 2}), &actual));
        assert!(!subset(&json!({"missing": 1}), &actual));
    }
}
