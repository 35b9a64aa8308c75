//! Python's `repr(float)`, which bittensor puts in the `timeout` header and which body
//! hashes see for every float: the shortest round-trip digits, positional between 1e-4
//! and 1e16, scientific with a signed two-digit exponent outside, `.0` on integral values.
//!
//! Rust's `{}` agrees on the digits but not on the layout (`12` vs `12.0`, `1e16` vs
//! `1e+16`), so the layout is done here from the digits of `{:e}`.

use core::fmt::{self, Write};

use super::text_buf::{renders_as, TextBuf};

/// Displays an `f64` exactly as CPython's `repr()` / `str()` does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PyFloat(pub f64);

impl fmt::Display for PyFloat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_py_float(self.0, f)
    }
}

/// Writes `repr(value)` as CPython prints it.
pub fn write_py_float<W: Write + ?Sized>(value: f64, out: &mut W) -> fmt::Result {
    if value.is_nan() {
        return out.write_str("nan");
    }
    if value.is_infinite() {
        return out.write_str(if value < 0.0 { "-inf" } else { "inf" });
    }
    // `{:e}` gives the shortest round-trip digits: `-1.2345e-5`, `1e16`, `0e0`.
    let mut scientific = TextBuf::<40>::new();
    write!(scientific, "{value:e}")?;
    let text = scientific.as_str();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = unsigned.split_once('e').ok_or(fmt::Error)?;
    let exponent: i32 = exponent.parse().map_err(|_| fmt::Error)?;
    let (first, rest) = match mantissa.split_once('.') {
        Some((first, rest)) => (first, rest),
        None => (mantissa, ""),
    };
    if negative {
        out.write_char('-')?;
    }
    // Position of the decimal point relative to the digit string (value = 0.DIGITS x 10^point).
    let point = exponent.checked_add(1).ok_or(fmt::Error)?;
    if point > -4 && point <= 16 {
        write_positional(first, rest, point, out)
    } else {
        out.write_str(first)?;
        if !rest.is_empty() {
            out.write_char('.')?;
            out.write_str(rest)?;
        }
        let sign = if exponent < 0 { '-' } else { '+' };
        write!(out, "e{sign}{:02}", exponent.unsigned_abs())
    }
}

/// Positional layout of the digits `first ‖ rest` with the decimal point after `point` digits.
fn write_positional<W: Write + ?Sized>(
    first: &str,
    rest: &str,
    point: i32,
    out: &mut W,
) -> fmt::Result {
    let digits_len = first.len().saturating_add(rest.len());
    if point <= 0 {
        out.write_str("0.")?;
        for _ in 0..point.unsigned_abs() {
            out.write_char('0')?;
        }
        out.write_str(first)?;
        return out.write_str(rest);
    }
    let point = usize::try_from(point).map_err(|_| fmt::Error)?;
    let mut written = 0usize;
    for digit in first.chars().chain(rest.chars()) {
        if written == point {
            out.write_char('.')?;
        }
        out.write_char(digit)?;
        written = written.saturating_add(1);
    }
    if point >= digits_len {
        for _ in digits_len..point {
            out.write_char('0')?;
        }
        out.write_str(".0")?;
    }
    Ok(())
}

/// The value of `text` when `text` is exactly `repr()` of a finite `f64`, else `None`.
///
/// This is the envelope's test for storing a float header as 8 bytes instead of text.
pub fn parse_canonical_py_float(text: &str) -> Option<f64> {
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    renders_as(text, |w| write_py_float(value, w)).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(value: f64) -> TextBuf<64> {
        let mut buf = TextBuf::<64>::new();
        write_py_float(value, &mut buf).unwrap();
        buf
    }

    #[test]
    fn matches_cpython_repr() {
        let cases: &[(f64, &str)] = &[
            (12.0, "12.0"),
            (0.1, "0.1"),
            (1.0, "1.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (9999999999999998.0, "9999999999999998.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (123456.789, "123456.789"),
            (1.5e300, "1.5e+300"),
            (2e-7, "2e-07"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-2.5, "-2.5"),
            (0.015823841094970703, "0.015823841094970703"),
            (f64::NAN, "nan"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for &(value, expected) in cases {
            assert_eq!(repr(value).as_str(), expected, "repr of {value:e}");
        }
    }

    #[test]
    fn canonical_parse_rejects_other_spellings() {
        assert_eq!(parse_canonical_py_float("12.0"), Some(12.0));
        assert_eq!(parse_canonical_py_float("1e-05"), Some(1e-5));
        for text in [
            "12", "1e-5", "1e16", "+1.0", "1.50", "nan", "inf", " 1.0", "0.10",
        ] {
            assert_eq!(parse_canonical_py_float(text), None, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn repr_round_trips(bits in proptest::prelude::any::<u64>()) {
            let value = f64::from_bits(bits);
            let text = repr(value);
            if value.is_finite() {
                let parsed: f64 = text.as_str().parse().unwrap();
                proptest::prop_assert_eq!(parsed.to_bits(), value.to_bits());
                proptest::prop_assert_eq!(parse_canonical_py_float(text.as_str()).map(f64::to_bits), Some(bits));
            }
        }
    }
}
