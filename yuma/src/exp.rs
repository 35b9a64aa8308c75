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

/// The 30 series steps `term := ⌊term·x⌋ / i`, `result += term` (i = 2..=31), applied
/// to `L` independent arguments in lockstep. Each lane is exactly the one-argument
/// series of substrate-fixed; `ok` turns false where the chain's arithmetic
/// overflows (a product leaving i64, a sum overflowing), after which the lane's value
/// is never used. The lanes' dependency chains (a multiply and a division per step)
/// overlap in the processor instead of waiting on each other.
#[inline(always)]
fn series<const L: usize>(
    term: &mut [i64; L],
    result: &mut [i64; L],
    ok: &mut [bool; L],
    x: &[i64; L],
) {
    macro_rules! steps {
        ($($i:literal)*) => {$(
            for (((t, r), ok), &x) in term.iter_mut().zip(result.iter_mut()).zip(ok.iter_mut()).zip(x) {
                // Any product of two i64 fits an i128.
                let product = i128::from(*t).wrapping_mul(i128::from(x)) >> 32;
                let fits = i64::try_from(product).is_ok();
                // For x ≥ 0 every term is non-negative: the fixed division by the integer
                // i is the integer division of the bits (by a constant).
                let next = (product as i64).wrapping_div($i);
                let (sum, overflow) = r.overflowing_add(next);
                *ok &= fits & !overflow;
                (*t, *r) = (next, sum);
            }
        )*};
    }
    steps!(2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);
}

/// How one argument starts: a value without a series, or the series for `|x|` and
/// whether its result is then inverted.
enum Start {
    Done(Option<I32F32>),
    Series { x: i64, negative: bool },
}

fn start(x: i64) -> Start {
    if x == 0 {
        return Start::Done(Some(I32F32::ONE));
    }
    if x == 1 << 32 {
        return Start::Done(Some(I32F32::from_bits(E_AT_ONE)));
    }
    let negative = x < 0;
    match if negative { x.checked_neg() } else { Some(x) } {
        Some(x) => Start::Series { x, negative },
        None => Start::Done(None),
    }
}

fn finish(result: Option<i64>, negative: bool) -> Option<I32F32> {
    let result = I32F32::from_bits(result?);
    if negative {
        I32F32::ONE.checked_div(result)
    } else {
        Some(result)
    }
}

/// The clamped argument, and the saturated value when the series overflows.
fn clamp(x: I32F32) -> i64 {
    x.to_bits().clamp(-LIMIT, LIMIT)
}

fn saturated(clamped: i64, value: Option<I32F32>) -> I32F32 {
    match value {
        Some(v) => v,
        None if clamped <= 0 => I32F32::ZERO,
        None => I32F32::MAX,
    }
}

/// Same bits as `taolite_core::fixed::exp_safe`, for one argument (the tests' form).
#[cfg(test)]
pub(crate) fn exp_safe(x: I32F32) -> I32F32 {
    let [y] = exp_safe_lanes([x]);
    y
}

/// `taolite_core::fixed::exp_safe` of `L` arguments at once, same bits (see [`series`]).
#[inline(never)]
pub(crate) fn exp_safe_lanes<const L: usize>(xs: [I32F32; L]) -> [I32F32; L] {
    let clamped = xs.map(clamp);
    let starts = clamped.map(start);
    let (mut term, mut result, mut ok, mut x) = ([0i64; L], [0i64; L], [true; L], [0i64; L]);
    for ((((t, r), x), ok), start) in term
        .iter_mut()
        .zip(result.iter_mut())
        .zip(x.iter_mut())
        .zip(ok.iter_mut())
        .zip(&starts)
    {
        if let Start::Series { x: arg, .. } = start {
            // The series starts at term x, result 1 + x.
            let (first, overflow) = arg.overflowing_add(1 << 32);
            (*t, *r, *x, *ok) = (*arg, first, *arg, !overflow);
        }
    }
    series(&mut term, &mut result, &mut ok, &x);
    let mut out = [I32F32::ZERO; L];
    for ((((o, start), r), ok), &c) in out
        .iter_mut()
        .zip(&starts)
        .zip(result)
        .zip(ok)
        .zip(&clamped)
    {
        let value = match start {
            Start::Done(v) => *v,
            Start::Series { negative, .. } => finish(ok.then_some(r), *negative),
        };
        *o = saturated(c, value);
    }
    out
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

        /// Lanes give each argument's own value, whatever its neighbours.
        #[test]
        fn lanes_match_one_at_a_time(bits in proptest::array::uniform4(prop_oneof![
            Just(0i64), Just(1i64 << 32), Just(i64::MIN), Just(i64::MAX), -(21i64 << 32)..=(21i64 << 32),
        ])) {
            let xs = bits.map(I32F32::from_bits);
            prop_assert_eq!(exp_safe_lanes(xs), xs.map(reference));
        }

        #[test]
        fn matches_the_reference_anywhere(bits in any::<i64>()) {
            let x = I32F32::from_bits(bits);
            prop_assert_eq!(exp_safe(x), reference(x));
        }
    }
}
