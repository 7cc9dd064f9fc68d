//! Number formatting and the few transcendental functions the page draws with, kept
//! out of Rust's float formatter and libm.
//!
//! Why: the page's bundle is counted in gzip bytes (≤ 350 KB). `format!("{x:.1}")`
//! pulls in core's Grisu/Dragon float printer and `f64::sin` pulls in libm's argument
//! reduction; together they cost about 20 KB of wasm for numbers that only position
//! SVG shapes. [`fixed`] prints with integer arithmetic, and on wasm32 the trigonometry
//! goes to the browser's `Math`, which is already there. Natively (tests) the same
//! functions use `std`, so layout tests stay exact.
//!
//! It owns only formatting and geometry helpers; it must not be used by the engine,
//! whose determinism must not depend on the browser.

/// `v` with exactly `decimals` digits after the point (at most 6), rounded half away
/// from zero: `fixed(1.25, 1) == "1.3"`, `fixed(-0.04, 1) == "0.0"`. Not-a-number and
/// infinities print as `0`, since an SVG attribute must stay parseable.
pub fn fixed(v: f64, decimals: u32) -> String {
    Dec(v, decimals).to_string()
}

/// `f64` shown with a fixed number of decimals inside `format!`/`write!` without
/// core's float printer: `format!("{}", Dec(1.25, 1)) == "1.3"`, same rounding as
/// [`fixed`], written straight into the formatter (no temporary `String`).
#[derive(Clone, Copy, Debug)]
pub struct Dec(pub f64, pub u32);

impl std::fmt::Display for Dec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.1.min(6);
        let scale = 10u64.pow(d);
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        let scaled = if self.0.is_finite() {
            (self.0 * scale as f64).round() as i64
        } else {
            0
        };
        let abs = scaled.unsigned_abs();
        let sign = if scaled < 0 { "-" } else { "" };
        if d == 0 {
            write!(f, "{sign}{abs}")
        } else {
            write!(
                f,
                "{sign}{}.{:0w$}",
                abs / scale,
                abs % scale,
                w = d as usize
            )
        }
    }
}

/// [`fixed`] without trailing zeros or a trailing point: `trimmed(2.50, 2) == "2.5"`.
pub fn trimmed(v: f64, decimals: u32) -> String {
    let s = fixed(v, decimals);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// Sine and cosine of `a` (radians).
pub fn sin_cos(a: f64) -> (f64, f64) {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Math::sin(a), js_sys::Math::cos(a))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        a.sin_cos()
    }
}

/// `atan2(y, x)` in radians.
pub fn atan2(y: f64, x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::atan2(y, x)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        y.atan2(x)
    }
}

/// `10^x`.
pub fn pow10(x: f64) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::pow(10.0, x)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        10f64.powf(x)
    }
}

/// Parses a plain decimal such as `12`, `0.5` or `.25` (no sign, no exponent, at most
/// 15 significant digits), correctly rounded like `str::parse::<f64>`.
///
/// Why not `str::parse`: core's float parser links a 17 KB table of powers of five into
/// the page for two form fields. A mantissa below 2^53 and a power of ten up to 10^22
/// are both exact in `f64`, so one IEEE division rounds correctly.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let digits = || int.bytes().chain(frac.bytes());
    if !digits().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut significant = 0;
    for b in digits() {
        if mantissa > 0 || b != b'0' {
            significant += 1;
        }
        if significant > 15 {
            return None;
        }
        mantissa = mantissa * 10 + u64::from(b - b'0');
    }
    let scale = u32::try_from(frac.len()).ok().filter(|&k| k <= 22)?;
    #[allow(clippy::cast_precision_loss)]
    let m = mantissa as f64;
    #[allow(clippy::cast_precision_loss)]
    let p = 10u64.checked_pow(scale).map_or(1e22, |p| p as f64);
    Some(m / p)
}

/// `v` limited to `lo..=hi` (`lo` for NaN), like `f64::clamp` for ordered bounds.
///
/// Why not `f64::clamp`: it asserts `lo <= hi` with a message that formats both bounds
/// with `Debug`, and that one assertion links core's whole float printer (about 5 KB
/// of gzip) into the page, whose numbers are otherwise printed by [`Dec`].
pub fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// The length of `(x, y)`.
pub fn hypot(x: f64, y: f64) -> f64 {
    // sqrt is a wasm instruction; hypot's overflow care is not needed for pixels.
    (x * x + y * y).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rounds_half_away_from_zero_and_pads() {
        assert_eq!(fixed(1.25, 1), "1.3");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(fixed(0.0, 2), "0.00");
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(1.23456, 3), "1.235");
        assert_eq!(fixed(12.5, 0), "13");
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(fixed(1000.0, 1), "1000.0");
        assert_eq!(fixed(f64::NAN, 1), "0.0");
        assert_eq!(fixed(f64::INFINITY, 0), "0");
    }

    #[test]
    fn fixed_is_within_half_a_unit_of_the_value() {
        for i in -2000..2000 {
            let v = f64::from(i) * 0.137;
            for d in 0..4 {
                let s = fixed(v, d);
                let back: f64 = s.parse().expect("fixed prints a number");
                let unit = 10f64.powi(-i32::try_from(d).expect("small"));
                assert!((back - v).abs() <= unit / 2.0 + 1e-9, "{v} {d} {s}");
                let frac = s.split('.').nth(1).map_or(0, str::len);
                assert_eq!(frac, d as usize, "{s}");
            }
        }
    }

    #[test]
    fn parse_decimal_agrees_with_std() {
        for t in [
            "0", "12", "0.5", ".25", "5.", "100", "0.05", "33.333", "007.10", "0.000001",
        ] {
            assert_eq!(parse_decimal(t), t.parse::<f64>().ok(), "{t}");
        }
        for i in 0..20_000u32 {
            let t = format!("{}.{:03}", i / 1000, i % 1000);
            assert_eq!(parse_decimal(&t), t.parse::<f64>().ok(), "{t}");
        }
        for bad in [
            "",
            ".",
            "-1",
            "1e3",
            "1.2.3",
            "abc",
            " 1",
            "1,5",
            "1234567890123456",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dec_agrees_with_fixed_width_printing() {
        for i in -3000..3000 {
            let v = f64::from(i) * 0.0173;
            for d in 0..4 {
                let ours = Dec(v, d).to_string();
                let std = format!("{v:.prec$}", prec = d as usize);
                // Rounding ties may differ (half away from zero vs. exact binary value),
                // and we never print "-0.0"; otherwise they agree.
                let back: f64 = ours.parse().expect("a number");
                let unit = 10f64.powi(-i32::try_from(d).expect("small"));
                assert!(
                    (back - v).abs() <= unit / 2.0 + 1e-9,
                    "{v} {d} {ours} {std}"
                );
            }
        }
        assert_eq!(Dec(12.25, 1).to_string(), "12.3");
        assert_eq!(format!("x={}", Dec(-3.0, 1)), "x=-3.0");
    }

    #[test]
    fn trimmed_drops_trailing_zeros() {
        assert_eq!(trimmed(2.5, 2), "2.5");
        assert_eq!(trimmed(2.0, 2), "2");
        assert_eq!(trimmed(0.125, 3), "0.125");
        assert_eq!(trimmed(40.0, 0), "40");
    }

    #[test]
    fn trigonometry_agrees_with_std() {
        let (s, c) = sin_cos(1.0);
        assert!((s - 1f64.sin()).abs() < 1e-12 && (c - 1f64.cos()).abs() < 1e-12);
        assert!((atan2(1.0, -1.0) - 1f64.atan2(-1.0)).abs() < 1e-12);
        assert!((pow10(0.5) - 10f64.powf(0.5)).abs() < 1e-12);
        assert!((hypot(3.0, 4.0) - 5.0).abs() < 1e-12);
    }
}
