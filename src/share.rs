//! Sharing links: the run's scenario, base64url-encoded in the URL fragment
//! (`#s=<base64url of the faultlab-scenario/1 JSON>`).
//!
//! This module owns the encoding and the parsing of a fragment into a JSON value, with
//! errors that say what is wrong with the link. It must not touch the DOM (the app
//! reads and writes `location.hash`) or build worlds.

use serde_json::Value;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encode bytes as unpadded base64url (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[idx as usize]));
        }
    }
    out
}

/// Decode unpadded (or padded) base64url.
///
/// # Errors
/// A character outside the alphabet, or a length that cannot be base64.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return Err("the link's data has a length that cannot be base64".into());
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => {
                return Err(format!(
                    "the link's data is not base64url (character '{}' at position {i})",
                    char::from(c).escape_default()
                ));
            }
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap_or(0));
        }
    }
    Ok(out)
}

/// The fragment for a scenario value.
pub fn fragment_for(scenario: &Value) -> String {
    format!("#s={}", base64url_encode(scenario.to_string().as_bytes()))
}

/// Parse a URL fragment. `Ok(None)` when it carries no run (empty, or no `s=`).
///
/// # Errors
/// What is wrong with the link, in words.
pub fn parse_fragment(hash: &str) -> Result<Option<Value>, String> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if hash.is_empty() {
        return Ok(None);
    }
    let Some(data) = hash.split('&').find_map(|kv| kv.strip_prefix("s=")) else {
        return Err(format!(
            "this link's fragment \"#{}\" carries no run (expected #s=…)",
            truncate(hash, 40)
        ));
    };
    let bytes = base64url_decode(data)?;
    let text =
        String::from_utf8(bytes).map_err(|_| "the link's data is not UTF-8 text".to_owned())?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| format!("the link's data is not valid JSON ({e})"))?;
    Ok(Some(value))
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn base64url_round_trips() {
        for len in 0..20 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| u8::try_from(i * 37 % 256).expect("fits"))
                .collect();
            let enc = base64url_encode(&bytes);
            assert!(!enc.contains('=') && !enc.contains('+') && !enc.contains('/'));
            assert_eq!(base64url_decode(&enc).expect("decodes"), bytes);
        }
        assert_eq!(base64url_encode(b"hello"), "aGVsbG8");
    }

    #[test]
    fn fragments() {
        let v = json!({"format": "faultlab-scenario/1", "protocol": "raft", "seed": 3});
        assert_eq!(parse_fragment(&fragment_for(&v)).expect("ok"), Some(v));
        assert_eq!(parse_fragment("").expect("ok"), None);
        assert_eq!(parse_fragment("#").expect("ok"), None);
        assert!(
            parse_fragment("#garbage")
                .expect_err("no s=")
                .contains("carries no run")
        );
        assert!(
            parse_fragment("#s=%%%")
                .expect_err("bad b64")
                .contains("base64url")
        );
        assert!(
            parse_fragment("#s=aGVsbG8")
                .expect_err("not json")
                .contains("JSON")
        );
    }
}
