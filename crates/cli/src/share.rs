//! Sharing links: the page URL that opens a scenario (`<base>#s=<base64url of the
//! faultlab-scenario/1 JSON>`), printed by `explore` for each counterexample and by
//! `chaos` for its first failing seeds.
//!
//! It owns the encoding (the same tiny encoder as the web crate's `share.rs`, which
//! the CLI must not depend on) and the page-only hints a link may carry: `_event`,
//! the event the page shows once the run is open, and `_finish`, run the end-of-run
//! checks first (keys starting with `_` are ignored by every other reader). It must
//! not build or run worlds.

use serde_json::{Value, json};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5), the encoding the page decodes in `#s=`.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[idx as usize]));
        }
    }
    out
}

/// The page URL that opens `scenario`.
pub(crate) fn share_url(base: &str, scenario: &Value) -> String {
    format!("{base}#s={}", base64url(scenario.to_string().as_bytes()))
}

/// The page URL that opens `scenario` run to its end with the end-of-run checks done
/// (as `run --scenario` does), showing `event` (the first violation).
pub(crate) fn finished_url(base: &str, scenario: &Value, event: Option<u64>) -> String {
    let mut value = scenario.clone();
    if let Value::Object(o) = &mut value {
        o.insert("_finish".into(), json!(true));
        if let Some(n) = event {
            o.insert("_event".into(), json!(n));
        }
    }
    share_url(base, &value)
}

#[cfg(test)]
mod tests {
    use super::base64url;

    #[test]
    fn base64url_matches_rfc_4648_section_5() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"hello"), "aGVsbG8");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }
}
