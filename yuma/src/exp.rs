//! substrate-fixed's `exp` on raw bits, for the liquid-alpha sigmoid's hot loop.
//!
//! `taolite_core::fixed::exp_safe` is the reference (proven against substrate-fixed);
//! this computes the same bits faster: for `x ≥ 0` every series term is non-negative,
//! so the fixed division of a term by the integer `i` is the integer division of its
//! bits by `i` (a constant here, so a multiplication), and the floor product is a
//! 128-bit multiply and an arithmetic shift. Equality with the reference is a property
//! test below.

use taolite_core::fixed::I32F32;

/// substrate-fixed's `exp(1)`: e truncated to 23 fractional bits.
const E_AT_ONE: i64 = 22_802_600 << 9;
const LIMIT: i64 = 20 << 32;

/// One series step for a compile-time `I`: `term := ⌊term·x⌋ / I`, `result += term`.
#[inline(always)]
fn step<const I: i64>(state: Option<(i64, i64)>, x: i64) -> Option<(i64, i64)> {
    let (term, result) = state?;
    let product = (i128::from(term).checked_mul(i128::from(x))?) >> 32;
    let term = i64::try_from(product).ok()?.checked_div(I)?;
    Some((term, result.checked_add(term)?))
}

fn exp_bits(x: i64) -> Option<I32F32> {
    if x == 0 {
        return Some(I32F32::ONE);
    }
    if x == 1 << 32 {
        return Some(I32F32::from_bits(E_AT_ONE));
    }
    let negative = x < 0;
    let x = if negative { x.checked_neg()? } else { x };
    let mut s = Some((x, x.wrapping_add(1 << 32)));
    s = step::<2>(s, x);
    s = step::<3>(s, x);
    s = step::<4>(s, x);
    s = step::<5>(s, x);
    s = step::<6>(s, x);
    s = step::<7>(s, x);
    s = step::<8>(s, x);
    s = step::<9>(s, x);
    s = step::<10>(s, x);
    s = step::<11>(s, x);
    s = step::<12>(s, x);
    s = step::<13>(s, x);
    s = step::<14>(s, x);
    s = step::<15>(s, x);
    s = step::<16>(s, x);
    s = step::<17>(s, x);
    s = step::<18>(s, x);
    s = step::<19>(s, x);
    s = step::<20>(s, x);
    s = step::<21>(s, x);
    s = step::<22>(s, x);
    s = step::<23>(s, x);
    s = step::<24>(s, x);
    s = step::<25>(s, x);
    s = step::<26>(s, x);
    s = step::<27>(s, x);
    s = step::<28>(s, x);
    s = step::<29>(s, x);
    s = step::<30>(s, x);
    s = step::<31>(s, x);
    let (_, result) = s?;
    let result = I32F32::from_bits(result);
    if negative {
        I32F32::ONE.checked_div(result)
    } else {
        Some(result)
    }
}

/// Same bits as `taolite_core::fixed::exp_safe`.
pub(crate) fn exp_safe(x: I32F32) -> I32F32 {
    let clamped = x.to_bits().clamp(-LIMIT, LIMIT);
    match exp_bits(clamped) {
        Some(v) => v,
        None if clamped <= 0 => I32F32::ZERO,
        None => I32F32::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use taolite_core::fixed::exp_safe as reference;

    #[test]
    fn special_points_match_the_reference() {
        for bits in [
            0,
            1,
            -1,
            1 << 32,
            (1 << 32) - 1,
            -(1 << 32),
            LIMIT,
            -LIMIT,
            i64::MAX,
            i64::MIN,
        ] {
            let x = I32F32::from_bits(bits);
            assert_eq!(exp_safe(x), reference(x), "x bits {bits}");
        }
    }

    proptest! {
        #[test]
        fn matches_the_reference_in_range(bits in -(21i64 << 32)..=(21i64 << 32)) {
            let x = I32F32::from_bits(bits);
            prop_assert_eq!(exp_safe(x), reference(x));
        }

        #[test]
        fn matches_the_reference_anywhere(bits in any::<i64>()) {
            let x = I32F32::from_bits(bits);
            prop_assert_eq!(exp_safe(x), reference(x));
        }
    }
}
