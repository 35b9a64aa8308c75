//! `exp` and `exp_safe` against substrate-fixed 0.6.0's `transcendental::exp`, with the
//! epoch's `exp_safe` wrapper (clamp to [−20, 20], `0`/`MAX` on failure) reproduced on top
//! of it as the chain writes it.
//!
//! Coverage: a dense grid over the whole clamped range (every `GRID_STRIDE`-th bit pattern
//! of [−20, 20], split in two halves that run in parallel), every bit pattern in windows
//! around the special points (0, ±1, ±0.5, every integer up to ±20), random points in and
//! out of the range, and the special points themselves.

use proptest::prelude::*;
use substrate_fixed::transcendental;
use substrate_fixed::types as chain;
use taolite_core::fixed::{exp, exp_safe, I32F32};

/// One unit of I32F32.
const ONE: i64 = 1 << 32;
/// The clamp bounds of `exp_safe`, as bits.
const LIMIT: i64 = 20 * ONE;
/// Stride of the dense grid, in ulps. Odd, so the grid visits every residue of the low bits.
/// 40·2^32 / 85_899 ≈ 2.0 million points across the range (about 11 µs per point in a
/// debug build, so roughly 11 s per half on one core).
const GRID_STRIDE: i64 = 85_899;
/// Half-width, in ulps, of the exhaustive windows around the special points.
const WINDOW: i64 = 1_024;

/// substrate-fixed's `exp`, I32F32 in and out, with its `Err` as `None`.
fn chain_exp(bits: i64) -> Option<i64> {
    transcendental::exp::<chain::I32F32, chain::I32F32>(chain::I32F32::from_bits(bits))
        .ok()
        .map(chain::I32F32::to_bits)
}

/// The rest of the epoch's `exp_safe` once `exp` of the clamped input is known.
fn chain_exp_safe_tail(safe_input: chain::I32F32, exp_result: Option<i64>) -> i64 {
    match exp_result {
        Some(bits) => bits,
        None if safe_input <= chain::I32F32::from_num(0) => chain::I32F32::from_num(0).to_bits(),
        None => chain::I32F32::max_value().to_bits(),
    }
}

/// The epoch's `exp_safe` as the chain writes it, over substrate-fixed's `exp`.
fn chain_exp_safe(bits: i64) -> i64 {
    let input = chain::I32F32::from_bits(bits);
    let min_input = chain::I32F32::saturating_from_num(-20);
    let max_input = chain::I32F32::saturating_from_num(20);
    let mut safe_input = input;
    if input < min_input {
        safe_input = min_input;
    } else if max_input < input {
        safe_input = max_input;
    }
    chain_exp_safe_tail(safe_input, chain_exp(safe_input.to_bits()))
}

/// Compares `exp` and `exp_safe` at one input anywhere in the I32F32 range.
fn check_anywhere(bits: i64) {
    let x = I32F32::from_bits(bits);
    assert_eq!(
        exp(x).map(I32F32::to_bits),
        chain_exp(bits),
        "exp(bits {bits})"
    );
    assert_eq!(
        exp_safe(x).to_bits(),
        chain_exp_safe(bits),
        "exp_safe(bits {bits})"
    );
}

/// Compares `exp` and `exp_safe` at one input inside [−20, 20], where the clamp is the
/// identity, computing substrate-fixed's series only once.
fn check_in_range(bits: i64) {
    assert!((-LIMIT..=LIMIT).contains(&bits));
    let x = I32F32::from_bits(bits);
    let theirs = chain_exp(bits);
    assert!(
        theirs.is_some(),
        "substrate exp fails inside the clamp at bits {bits}"
    );
    assert_eq!(exp(x).map(I32F32::to_bits), theirs, "exp(bits {bits})");
    let theirs_safe = chain_exp_safe_tail(chain::I32F32::from_bits(bits), theirs);
    assert_eq!(exp_safe(x).to_bits(), theirs_safe, "exp_safe(bits {bits})");
}

fn dense_grid(from: i64, to: i64) -> usize {
    let mut count = 0;
    let mut bits = from;
    while bits <= to {
        check_in_range(bits);
        count += 1;
        bits += GRID_STRIDE;
    }
    count
}

#[test]
fn dense_grid_negative_half() {
    let count = dense_grid(-LIMIT, -1);
    assert!(count >= 1_000_000, "{count} points");
}

#[test]
fn dense_grid_positive_half() {
    // Start one ulp above zero plus half a stride so the halves interleave differently.
    let count = dense_grid(1 + GRID_STRIDE / 2, LIMIT);
    assert!(count >= 1_000_000, "{count} points");
}

/// Every bit pattern within `WINDOW` ulps of 0, ±0.5 and every integer in [−20, 20] (which
/// includes ±1 and ±20 and, beyond ±20, the clamp).
#[test]
fn windows_around_special_points() {
    let mut centres = vec![ONE / 2, -ONE / 2];
    centres.extend((-20..=20).map(|k| k * ONE));
    for centre in centres {
        for bits in centre - WINDOW..=centre + WINDOW {
            if (-LIMIT..=LIMIT).contains(&bits) {
                check_in_range(bits);
            } else {
                check_anywhere(bits);
            }
        }
    }
}

#[test]
fn special_points() {
    let points = [
        0,
        1,
        -1,
        ONE,
        ONE - 1,
        ONE + 1,
        -ONE,
        -ONE - 1,
        -ONE + 1,
        LIMIT,
        LIMIT - 1,
        LIMIT + 1,
        -LIMIT,
        -LIMIT - 1,
        -LIMIT + 1,
        21 * ONE,
        -21 * ONE,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
        i64::MAX - ONE,
        i64::MIN + ONE,
    ];
    for bits in points {
        check_anywhere(bits);
    }
    // The spec's values (§3.6): e truncated to 23 bits at exactly 1, the series at 1 − ulp,
    // and the series (not the reciprocal of the constant) at −1.
    assert_eq!(exp_safe(I32F32::ONE).to_bits(), 11_674_931_200);
    assert_eq!(
        exp_safe(I32F32::from_bits(ONE - 1)).to_bits(),
        11_674_931_544
    );
    assert_eq!(exp_safe(-I32F32::ONE).to_bits(), 1_580_030_169);
    // The clamp: anything beyond ±20 is exp(±20).
    assert_eq!(exp_safe(I32F32::MAX), exp_safe(I32F32::from_bits(LIMIT)));
    assert_eq!(exp_safe(I32F32::MIN), exp_safe(I32F32::from_bits(-LIMIT)));
    // Outside the clamp the bare series overflows on both sides.
    assert_eq!(exp(I32F32::from_bits(21 * ONE)), None);
    assert_eq!(chain_exp(21 * ONE), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn random_in_range(bits in -LIMIT..=LIMIT) {
        check_in_range(bits);
    }

    #[test]
    fn random_near_integers(k in -20i64..=20, delta in -100_000i64..=100_000) {
        let bits = (k * ONE + delta).clamp(-LIMIT, LIMIT);
        check_in_range(bits);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// Anywhere in I32F32: beyond the clamp `exp` overflows (on both sides alike) and
    /// `exp_safe` clamps.
    #[test]
    fn random_anywhere(bits in prop_oneof![
        any::<i64>(),
        (any::<i64>(), 0u32..64).prop_map(|(v, s)| v >> s),
    ]) {
        check_anywhere(bits);
    }
}
