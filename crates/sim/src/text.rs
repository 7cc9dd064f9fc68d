//! Quoting user-supplied text inside messages.
//!
//! `format!("{name:?}")` would do, but `str`'s `Debug` consults core's Unicode
//! "printable" tables (about 8 KB that the page would ship for a handful of error
//! messages). [`quoted`] escapes what could make a message ambiguous — the quote, the
//! backslash and control characters — and keeps every other character as typed. It owns
//! only that; it must not be used to build anything parsed back (use serde for that).

/// `s` in double quotes, with `"`, `\` and control characters escaped the way Rust's
/// `Debug` escapes them: `quoted("a\"b\n") == r#""a\"b\n""#`.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' || c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn escapes_like_debug_for_quotes_backslashes_and_controls() {
        for s in [
            "plain.png",
            "a\"b",
            "back\\slash",
            "tab\there",
            "nl\n",
            "bell\u{7}",
            "café",
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s}");
        }
    }
}
