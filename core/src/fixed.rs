//! The chain's fixed-point arithmetic.
//!
//! Subtensor computes the epoch with substrate-fixed 0.6.0. We use the `fixed` crate's
//! types of the same layout, whose saturating, checked and wrapping operations give the
//! same bits (proven in `core/tests/fixed_differential.rs`). What `fixed` does not have,
//! or has with another algorithm, lives here:
//!
//! * [`safe_div`]: the chain's division rule, checked division with `None → 0`
//!   (division by zero *and* overflow give zero);
//! * [`exp`] / [`exp_safe`]: substrate-fixed's 30-term series `exp`, reimplemented
//!   because bit-exactness demands its exact rounding sequence.
//!
//! The runtime is built without overflow checks, so its plain `+` and `from_num` wrap.
//! Call `wrapping_add` / `wrapping_from_num` explicitly where the chain uses the plain
//! forms, so that debug and release builds of taolite agree with the chain.

pub use fixed::traits::Fixed;
pub use fixed::types::{I32F32, I64F64, I96F32, U96F32};

/// The chain's `safe_div`: `a / b` truncating toward zero, or zero when `b` is zero or
/// the quotient does not fit.
pub fn safe_div<F: Fixed>(a: F, b: F) -> F {
    a.checked_div(b).unwrap_or(F::ZERO)
}

/// substrate-fixed's value for `exp(1)`: e truncated to 23 fractional bits, which the
/// library returns for an input of exactly one instead of evaluating its series.
const E_AT_ONE: I32F32 = I32F32::from_bits(22_802_600 << 9);

/// Number of fractional bits of I32F32; the series runs for i = 2 .. this (exclusive).
const SERIES_END: i32 = 32;

/// substrate-fixed 0.6.0's `transcendental::exp` for I32F32 in and out.
///
/// Taylor series with 30 terms, each term floored by the multiply and truncated by the
/// divide; negative inputs go through `1 / exp(-x)`; `0` and `1` are special-cased.
/// Returns `None` where substrate-fixed returns an error (an overflow on the way).
pub fn exp(x: I32F32) -> Option<I32F32> {
    if x == I32F32::ZERO {
        return Some(I32F32::ONE);
    }
    if x == I32F32::ONE {
        return Some(E_AT_ONE);
    }
    let negative = x < I32F32::ZERO;
    let x = if negative { x.checked_neg()? } else { x };
    // substrate-fixed adds the one with a plain `+`, which wraps in the chain's build.
    let mut result = x.wrapping_add(I32F32::ONE);
    let mut term = x;
    for i in 2..SERIES_END {
        term = term.checked_mul(x)?;
        term = term.checked_div(I32F32::checked_from_num(i)?)?;
        result = result.checked_add(term)?;
    }
    if negative {
        result = I32F32::ONE.checked_div(result)?;
    }
    Some(result)
}

/// The epoch's `exp_safe`: clamp the input to [-20, 20], then [`exp`]; on failure zero
/// for non-positive inputs and `I32F32::MAX` for positive ones.
pub fn exp_safe(x: I32F32) -> I32F32 {
    let clamped = x.clamp(I32F32::from_bits(-20 << 32), I32F32::from_bits(20 << 32));
    match exp(clamped) {
        Some(value) => value,
        None if clamped <= I32F32::ZERO => I32F32::ZERO,
        None => I32F32::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_special_cases_follow_the_spec() {
        assert_eq!(exp_safe(I32F32::ZERO), I32F32::ONE);
        assert_eq!(exp_safe(I32F32::ONE).to_bits(), 11_674_931_200);
        assert_eq!(
            exp_safe(I32F32::ONE - I32F32::DELTA).to_bits(),
            11_674_931_544
        );
        assert_eq!(exp_safe(-I32F32::ONE).to_bits(), 1_580_030_169);
    }

    #[test]
    fn safe_div_by_zero_and_on_overflow_is_zero() {
        assert_eq!(safe_div(I32F32::ONE, I32F32::ZERO), I32F32::ZERO);
        assert_eq!(safe_div(I32F32::MAX, I32F32::DELTA), I32F32::ZERO);
        assert_eq!(
            safe_div(I32F32::from_num(3), I32F32::from_num(2)),
            I32F32::from_num(1.5)
        );
    }
}
