//! The chain's fixed-point arithmetic.
//!
//! Subtensor computes the epoch with substrate-fixed 0.6.0. taolite uses the `fixed` crate's
//! types of the same layouts ([`I32F32`], [`I64F64`], [`I96F32`], [`U96F32`]): their
//! saturating, checked and wrapping operations and conversions give the same bits as
//! substrate-fixed's, which `core/tests/fixed_differential.rs` checks operation by operation
//! (random and edge cases, raw bits compared). What `fixed` lacks lives here:
//!
//! * [`safe_div`]: the chain's division rule — checked division with `None → 0`, so division
//!   by zero *and* an overflowing quotient both give zero;
//! * [`wrapping_sum`]: the chain's plain `iter().sum()`, which wraps in its release build;
//! * [`exp`] / [`exp_safe`]: substrate-fixed's 30-term series `exp` (the `fixed` crate has no
//!   `exp`), reproduced step by step because bit-exactness demands its rounding sequence.
//!
//! # Which `fixed` method is which chain operation
//!
//! The runtime is built without overflow checks, so the chain's plain operators and plain
//! `from_num`/`to_num` **wrap**. In `fixed` (as in substrate-fixed) the plain forms panic on
//! overflow when debug assertions are on; call the explicit wrapping form so that debug and
//! release builds of taolite both agree with the chain.
//!
//! | chain (substrate-fixed 0.6.0, release build) | taolite |
//! |---|---|
//! | `a + b`, `a - b` (wrap) | `a.wrapping_add(b)`, `a.wrapping_sub(b)` |
//! | `v.iter().sum()` (wraps) | [`wrapping_sum`] |
//! | `a.saturating_add(b)`, `saturating_sub`, `checked_add`, `checked_sub` | same names |
//! | `a * b` (floor, wraps) | `a.wrapping_mul(b)` |
//! | `a.saturating_mul(b)`, `checked_mul` (floor to the ulp) | same names |
//! | `a.safe_div(b)` (`primitives/safe-math`) | [`safe_div`] |
//! | `a.checked_div(b)` (truncating; `None` on zero or overflow) | same name |
//! | `a.saturating_div(b)` (panics on a zero divisor in both crates) | same name, non-zero divisors only |
//! | `-a`, `saturating_neg`, `checked_neg` | `wrapping_neg`, same names |
//! | `T::from_num(x)` (wraps; fixed → fixed floors first) | `T::wrapping_from_num(x)` |
//! | `T::saturating_from_num(x)`, `checked_from_num` | same names |
//! | `x.to_num::<u64>()` (floors, wraps) | `x.wrapping_to_num::<u64>()` |
//! | `x.saturating_to_num::<u64>()` (floors, clamps; negative → 0 for unsigned) | same name |
//! | `T::max_value()`, `T::min_value()` | `T::MAX`, `T::MIN` |
//! | `transcendental::exp`, epoch `exp_safe` | [`exp`], [`exp_safe`] |
//!
//! The integer sides covered are u16, i16, u32, u64, i64, u128 and i128; the fixed sides
//! convert among all four types in both directions. No operation of `fixed` 1.31 was found to
//! differ from substrate-fixed 0.6.0 as the chain builds it, so none is reimplemented on raw
//! bits. (substrate-fixed built *with* debug assertions is not the chain: its 128-bit
//! multiply then panics on some products with negative factors that its release build, and
//! `fixed`, compute exactly.)

pub use fixed::traits::{Fixed, FromFixed, ToFixed};
pub use fixed::types::{I32F32, I64F64, I96F32, U96F32};

/// The chain's `safe_div`: `a / b` truncating toward zero, or zero when `b` is zero or
/// the quotient does not fit.
pub fn safe_div<F: Fixed>(a: F, b: F) -> F {
    a.checked_div(b).unwrap_or(F::ZERO)
}

/// The chain's plain sum of fixed-point values: a left fold with wrapping addition from
/// zero, which is what `iter().sum()` computes in the chain's release build.
pub fn wrapping_sum<F: Fixed, I: IntoIterator<Item = F>>(values: I) -> F {
    values
        .into_iter()
        .fold(F::ZERO, |sum, value| sum.wrapping_add(value))
}

/// substrate-fixed's value for `exp(1)`: e truncated to 23 fractional bits (its constant
/// type is I9F23), which the library returns for an input of exactly one instead of
/// evaluating its series. Built from the 126-fraction-bit constant the same way.
const E_AT_ONE: I32F32 = {
    let e_i9f23 = fixed::consts::E.to_bits() >> (126 - 23);
    // e < 3, so the 23-bit-fraction value fits an i64 with room to spare.
    I32F32::from_bits((e_i9f23 as i64) << (32 - 23))
};

/// One past the last series index: the series runs for i = 2 .. 32 (I32F32's number of
/// fractional bits, as substrate-fixed uses `2..D::frac_nbits()`).
const SERIES_END: i32 = 32;

/// The clamp bounds of the epoch's `exp_safe`, ±20.
const EXP_SAFE_MIN: I32F32 = I32F32::from_bits(-20 << 32);
const EXP_SAFE_MAX: I32F32 = I32F32::from_bits(20 << 32);

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
    let mut result = x.checked_add(I32F32::ONE)?;
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
/// for non-positive inputs and `I32F32::MAX` for positive ones (never reached inside the
/// clamp, kept because the chain has it).
pub fn exp_safe(x: I32F32) -> I32F32 {
    let clamped = x.clamp(EXP_SAFE_MIN, EXP_SAFE_MAX);
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
        assert_eq!(E_AT_ONE.to_bits(), 22_802_600 << 9);
        assert_eq!(
            exp_safe(I32F32::ONE - I32F32::DELTA).to_bits(),
            11_674_931_544
        );
        assert_eq!(exp_safe(-I32F32::ONE).to_bits(), 1_580_030_169);
    }

    #[test]
    fn exp_fails_only_outside_the_clamp() {
        assert_eq!(exp(I32F32::MIN), None);
        assert_eq!(exp(I32F32::MAX), None);
        assert_eq!(exp_safe(I32F32::MIN), exp_safe(EXP_SAFE_MIN));
        assert_eq!(exp_safe(I32F32::MAX), exp_safe(EXP_SAFE_MAX));
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

    #[test]
    fn wrapping_sum_wraps_like_the_release_build() {
        assert_eq!(wrapping_sum([I32F32::MAX, I32F32::DELTA]), I32F32::MIN);
        assert_eq!(wrapping_sum::<I64F64, _>([]), I64F64::ZERO);
        assert_eq!(
            wrapping_sum([I32F32::ONE, I32F32::ONE, -I32F32::ONE]),
            I32F32::ONE
        );
    }
}
