//! The few fixed-point rules of the epoch that are not single `fixed` operations.
//!
//! Everything here follows spec §3 and §3.7: plain sums wrap (the chain's release build),
//! normalisation divides each element by the sum with the chain's safe division, and
//! u16 proportions floor.

use taolite_core::fixed::{safe_div, I32F32, I64F64, I96F32};

/// I32F32 of 65535, the denominator of every u16 proportion.
pub(crate) const U16_MAX_FIXED: I32F32 = I32F32::from_bits(65_535_i64 << 32);

/// `I32F32(v) safe÷ I32F32(65535)`: a stored u16 proportion as a fraction (truncating).
pub fn u16_proportion(v: u16) -> I32F32 {
    // (v·2^32)·2^32 / (65535·2^32) = v·2^32 / 65535: the same truncated quotient in u64.
    I32F32::from_bits(((u64::from(v) << 32) / 65_535) as i64)
}

/// `⌊x ×sat 65535⌋` clamped into u16: a fraction as the chain persists it (a floor).
pub fn proportion_to_u16(x: I32F32) -> u16 {
    let bits = x.to_bits();
    if (0..=1 << 32).contains(&bits) {
        // x·65535 is exact (below 2^48) and its floor is at most 65535.
        return ((bits as u64).wrapping_mul(65_535) >> 32) as u16;
    }
    mul(x, U16_MAX_FIXED).saturating_to_num::<u16>()
}

/// The plain (wrapping) sum of a slice, as the chain's release build computes `.sum()`:
/// core's rule ([`taolite_core::fixed::wrapping_sum`]) over a borrowed slice.
pub fn wrapping_sum(values: &[I32F32]) -> I32F32 {
    taolite_core::fixed::wrapping_sum(values.iter().copied())
}

/// `a ×sat b` in I32F32 (the product's floor, saturated), from one 64×64→128-bit
/// multiply: `fixed` widens the product to 128 bits shifted by 32 and checks that for
/// overflow, which is several multiplies. Any product of two i64 fits an i128, so only
/// the final narrowing can fail, and then the saturating result is taken from `fixed`.
#[inline]
pub(crate) fn mul(a: I32F32, b: I32F32) -> I32F32 {
    let product = i128::from(a.to_bits()).wrapping_mul(i128::from(b.to_bits())) >> 32;
    match i64::try_from(product) {
        Ok(bits) => I32F32::from_bits(bits),
        Err(_) => a.saturating_mul(b),
    }
}

/// `inplace_normalize`: divide every element by the wrapping sum, unless it is zero.
pub fn normalize(values: &mut [I32F32]) {
    let sum = wrapping_sum(values);
    if sum != I32F32::ZERO {
        for v in values.iter_mut() {
            *v = safe_div(*v, sum);
        }
    }
}

/// `inplace_normalize_64`: [`normalize`] in I64F64.
pub fn normalize_64(values: &mut [I64F64]) {
    let sum = values
        .iter()
        .fold(I64F64::ZERO, |acc, v| acc.wrapping_add(*v));
    if sum != I64F64::ZERO {
        for v in values.iter_mut() {
            *v = safe_div(*v, sum);
        }
    }
}

/// Saturating division for divisors known to be non-zero; zero for a zero divisor
/// instead of the panic `fixed` would raise.
pub(crate) fn saturating_div(a: I32F32, b: I32F32) -> I32F32 {
    if b == I32F32::ZERO {
        I32F32::ZERO
    } else {
        a.saturating_div(b)
    }
}

/// `⌊I96F32(x) ×sat I96F32(rao)⌋` as u64: one uid's share of the emission in rao.
pub fn emission_share(x: I32F32, rao_emission: u64) -> u64 {
    I96F32::saturating_from_num(x)
        .saturating_mul(I96F32::saturating_from_num(rao_emission))
        .saturating_to_num::<u64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u16_conversions_follow_the_spec_examples() {
        assert_eq!(u16_proportion(32767).to_bits(), 2_147_450_879);
        assert_eq!(u16_proportion(65535), I32F32::ONE);
        assert_eq!(u16_proportion(1).to_bits(), 65_537);
        assert_eq!(proportion_to_u16(u16_proportion(1)), 0);
        assert_eq!(proportion_to_u16(I32F32::ONE), 65535);
        assert_eq!(proportion_to_u16(I32F32::from_num(-1)), 0);
        assert_eq!(proportion_to_u16(I32F32::from_num(2)), 65535);
    }

    #[test]
    fn normalisation_skips_zero_sums_and_divides_each_element() {
        let mut v = [I32F32::ZERO; 3];
        normalize(&mut v);
        assert_eq!(v, [I32F32::ZERO; 3]);
        let mut v = [I32F32::ONE, I32F32::ONE, I32F32::ONE];
        normalize(&mut v);
        assert_eq!(v[0].to_bits(), 1_431_655_765);
    }
}

/// Exact division of many non-negative I32F32 values by one fixed positive divisor,
/// bit-equal to [`safe_div`] but without a 128-bit division per call.
///
/// The quotient `⌊a·2^32 / b⌋` is first estimated with a floating-point reciprocal
/// and then corrected with exact integer remainders until `0 ≤ n − q·b < b`; if that
/// does not settle within a few rounds the exact 128-bit division is used. So the
/// result is always exact; the float only saves time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Divisor {
    divisor: I32F32,
    /// 2^32 / divisor: the quotient's estimate from the dividend's bits.
    scale: f64,
    /// 1 / divisor: corrections from remainders.
    reciprocal: f64,
}

/// Correction rounds before falling back to the exact 128-bit division.
const DIVISOR_ROUNDS: u32 = 4;

/// A [`Divisor`] for many divisions, with exact integer reciprocals (two 128-bit
/// divisions once, then a few multiplies per division).
///
/// Dividends below 1 (bits `x < 2^32`, the usual proportions) take a multiply-shift:
/// with `N = x·2^32 < 2^64`, `l` the bit length of the divisor `d` and
/// `m = ⌈2^(64+l) / d⌉ = 2^(64+l)/d + e`, `0 ≤ e < 1`, the value `N·m / 2^(64+l)`
/// is `N/d` plus an error below `2^64 / 2^(64+l) = 2^−l < 1/d`; the fraction of `N/d`
/// is at most `1 − 1/d`, so the floor is exact. `m ≤ 2^65 + 1` is kept as
/// `m_hi·2^64 + m_lo`, and `⌊N·m / 2^64⌋ = N·m_hi + ⌊N·m_lo / 2^64⌋` exactly.
/// Other dividends go to the [`Divisor`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct ExactDivisor {
    base: Divisor,
    /// `m` in 64-bit halves and the bit length `l` (0 when the divisor is not positive).
    m_lo: u64,
    m_hi: u64,
    shift: u32,
    /// For an integer divisor `s < 2^31`: integer dividends `v < 2^16` (stored u16s,
    /// as in the bonds' column normalisation) divide as `⌊v·2^32 / s⌋`, exactly.
    integer: Option<RowDivisor>,
}

impl ExactDivisor {
    pub(crate) fn new(divisor: I32F32) -> Self {
        let mut out = Self {
            base: Divisor::new(divisor),
            m_lo: 0,
            m_hi: 0,
            shift: 0,
            integer: None,
        };
        let bits = divisor.to_bits();
        if let Ok(d) = u64::try_from(bits) {
            let l = u64::BITS.saturating_sub(d.leading_zeros());
            // d < 2^63, so l ≤ 63 and 64 + l < 128: the power is representable.
            if let (true, Some(power)) = (d > 0, 1_u128.checked_shl(64_u32.saturating_add(l))) {
                let m = power.div_ceil(u128::from(d));
                out.m_lo = m as u64;
                out.m_hi = (m >> 64) as u64;
                out.shift = l;
            }
        }
        if bits > 0 && bits & 0xffff_ffff == 0 {
            out.integer = RowDivisor::new((bits >> 32) as u64);
        }
        out
    }

    /// The divisor itself.
    pub(crate) fn divisor(&self) -> I32F32 {
        self.base.divisor
    }

    /// `safe_div(a, divisor)`.
    #[inline(always)]
    pub(crate) fn divide(&self, a: I32F32) -> I32F32 {
        let a_bits = a.to_bits();
        if self.shift > 0 && (0..1 << 32).contains(&a_bits) {
            let wide = u128::from((a_bits as u64) << 32);
            // N·m_hi < 2^66 and ⌊N·m_lo / 2^64⌋ < 2^64: no overflow.
            let t = wide
                .wrapping_mul(u128::from(self.m_hi))
                .wrapping_add(wide.wrapping_mul(u128::from(self.m_lo)) >> 64);
            let q = t.checked_shr(self.shift).unwrap_or(u128::MAX);
            if let Ok(q) = i64::try_from(q) {
                return I32F32::from_bits(q);
            }
        }
        if let (Some(integer), true) = (self.integer, a_bits & 0xffff_ffff == 0) {
            if let Ok(v) = u16::try_from(a_bits >> 32) {
                // ⌊v·2^64 / (s·2^32)⌋ = ⌊v·2^32 / s⌋ < 2^48: no overflow to saturate.
                return I32F32::from_bits(integer.divide(v) as i64);
            }
        }
        self.base.divide(a)
    }
}

impl Divisor {
    pub(crate) fn new(divisor: I32F32) -> Self {
        let bits = divisor.to_bits();
        let (scale, reciprocal) = if bits > 0 {
            (4_294_967_296.0 / bits as f64, 1.0 / bits as f64)
        } else {
            (0.0, 0.0)
        };
        Self {
            divisor,
            scale,
            reciprocal,
        }
    }

    /// `safe_div(a, divisor)`.
    #[inline]
    pub(crate) fn divide(&self, a: I32F32) -> I32F32 {
        let (a_bits, d_bits) = (a.to_bits(), self.divisor.to_bits());
        if a_bits < 0 || d_bits <= 0 {
            return safe_div(a, self.divisor);
        }
        let (x, d) = (a_bits as u64, d_bits as u64);
        // The quotient a·2^32 / d must fit i64: x·2^32 < d·2^63, i.e. x < d·2^31.
        if u128::from(x) >= u128::from(d) << 31 {
            return I32F32::ZERO;
        }
        let numerator = u128::from(x) << 32;
        let d_wide = u128::from(d);
        // Estimate, then correct with exact remainders until 0 ≤ numerator − q·d < d.
        // Signed conversions: one instruction each (the bits are below 2^63 here).
        let mut q = (a_bits as f64 * self.scale) as i64 as u64;
        for _ in 0..DIVISOR_ROUNDS {
            let product = u128::from(q).wrapping_mul(d_wide);
            if product > numerator {
                let Ok(excess) = i64::try_from(product.wrapping_sub(numerator)) else {
                    break;
                };
                let step = ((excess as f64 * self.reciprocal) as i64).max(1) as u64;
                q = q.saturating_sub(step);
            } else {
                let rest = numerator.wrapping_sub(product);
                if rest < d_wide {
                    return I32F32::from_bits(q as i64);
                }
                let Ok(rest) = i64::try_from(rest) else {
                    break;
                };
                let step = ((rest as f64 * self.reciprocal) as i64).max(1) as u64;
                q = q.saturating_add(step);
            }
        }
        safe_div(a, self.divisor)
    }
}

/// Exact `⌊v·2^32 / s⌋` for a u16 `v` and one fixed integer `s` in `1..2^31`: the row
/// normalisation of stored weights, `I32F32(v) safe÷ I32F32(s)`, as a multiply and a
/// shift instead of a 128-bit division.
///
/// With `b` the bit length of `s` and `m = ⌈2^(48+b) / s⌉ = 2^(48+b)/s + e`,
/// `0 ≤ e < 1`, a numerator `x = v·2^32 < 2^48` gives
/// `x·m / 2^(48+b) = x/s + x·e/2^(48+b)`, where the error term is below `2^−b < 1/s`.
/// The fraction of `x/s` is at most `1 − 1/s`, so the floor is unchanged. `m` is at
/// in `(2^48, 2^49]` (as `2^(b−1) ≤ s < 2^b`). Written `m = 2^48 + m'`, the product
/// `v·m / 2^(16+b)` splits into `v·m' / 2^(16+b)`, whose `v·m' < 2^64` fits a u64, and
/// `v·2^48 / 2^(16+b) = v·2^(32−b)`, an integer (b ≤ 31) that leaves the floor alone:
/// two 64-bit steps instead of a 128-bit product.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowDivisor {
    /// `m − 2^48`.
    excess: u64,
    /// `16 + b` and `32 − b`.
    down: u32,
    up: u32,
}

impl RowDivisor {
    /// `None` unless `1 ≤ s < 2^31`.
    pub(crate) fn new(s: u64) -> Option<Self> {
        if s == 0 || s >= 1 << 31 {
            return None;
        }
        let b = u64::BITS.checked_sub(s.leading_zeros())?;
        let power = 1_u128.checked_shl(b.checked_add(48)?)?;
        let multiplier = u64::try_from(power.div_ceil(u128::from(s))).ok()?;
        Some(Self {
            excess: multiplier.checked_sub(1 << 48)?,
            down: b.checked_add(16)?,
            up: 32_u32.checked_sub(b)?,
        })
    }

    /// The multiplier's excess over 2^48 and the two shifts, for loops that keep
    /// them in flat arrays.
    pub(crate) fn parts(&self) -> (u64, u32, u32) {
        (self.excess, self.down, self.up)
    }

    /// `⌊v·2^32 / s⌋` as I32F32 bits.
    #[inline(always)]
    pub(crate) fn divide(&self, v: u16) -> u64 {
        let v = u64::from(v);
        // 17 ≤ down ≤ 47 and 1 ≤ up ≤ 31: plain shifts (the masks change nothing).
        (v.wrapping_mul(self.excess) >> (self.down & 63)).wrapping_add(v << (self.up & 63))
    }
}

/// Division of the parts of one positive total `d < 2^62` by that total (an entry of a
/// column of non-negative values by the column's sum): `safe_div(I32F32(e), d)` for
/// `0 ≤ e ≤ d`, from a floating-point estimate and one exact remainder.
///
/// The quotient `Q = e·2^32/d` is at most 2^32, so its estimate is within 2^−19 of
/// `Q` (three roundings of 2^−53 each), and the estimate rounded to the nearest
/// integer `r` is `⌊Q⌋` or `⌊Q⌋ + 1` (`|r − Q| ≤ 1/2 + 2^−19`). The remainder
/// `e·2^32 − r·d` then lies in `[−d, d)`, so it is exact in wrapping u64 arithmetic
/// read as i64, and its sign tells which.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PartDivisor {
    total: u64,
    /// 2^32 / total.
    scale: f64,
}

impl PartDivisor {
    /// `None` unless the total is in `1..2^62`.
    pub(crate) fn new(total: I32F32) -> Option<Self> {
        let total = u64::try_from(total.to_bits())
            .ok()
            .filter(|d| (1..1 << 62).contains(d))?;
        Some(Self {
            total,
            scale: 4_294_967_296.0 / total as f64,
        })
    }

    /// `safe_div(I32F32(e), total)` bits, or `None` when `e` exceeds the total: the
    /// tests' entry to [`part_quotient`], which the loops call with flat arrays.
    #[cfg(test)]
    pub(crate) fn divide(&self, e: u64) -> Option<u64> {
        let (q, fits) = part_quotient(self.total, self.scale, e, e as i64 as f64);
        fits.then_some(q)
    }

    /// The total and `2^32 / total`, for loops that keep them in flat arrays and call
    /// [`part_quotient`].
    pub(crate) fn raw(&self) -> (u64, f64) {
        (self.total, self.scale)
    }
}

/// [`PartDivisor`]'s quotient of `e` (`e_float` is `e` as a float) by `total` (with
/// `scale = 2^32 / total`) from the rounded estimate and one exact remainder (see the
/// type), and whether `e` is within the total (when it is not, the quotient is
/// meaningless). `total` and `scale` must come from a [`PartDivisor`], or be 0 and
/// 0 for a total that divides only 0 (to 0).
#[inline(always)]
pub(crate) fn part_quotient(total: u64, scale: f64, e: u64, e_float: f64) -> (u64, bool) {
    /// 2^52: adding it to a float in `[0, 2^52)` rounds that float to the nearest
    /// integer, which the low bits of the sum then hold.
    const ROUNDER: f64 = 4_503_599_627_370_496.0;
    let fits = e <= total;
    // For e ≤ total < 2^62 the estimate is in [0, 2^32 + 1), so the rounding trick
    // applies; a float-to-integer cast would instead need a range test for Rust's
    // saturating semantics. (For larger e the result is discarded.)
    let estimate = e_float * scale;
    let rounded = (estimate + ROUNDER)
        .to_bits()
        .wrapping_sub(ROUNDER.to_bits());
    let remainder = e.wrapping_shl(32).wrapping_sub(rounded.wrapping_mul(total)) as i64;
    (rounded.wrapping_sub(u64::from(remainder < 0)), fits)
}

/// [`normalize`] with one [`Divisor`] for the sum: same bits, faster on long vectors.
pub(crate) fn normalize_fast(values: &mut [I32F32]) {
    let sum = wrapping_sum(values);
    if sum != I32F32::ZERO {
        let divisor = ExactDivisor::new(sum);
        for v in values.iter_mut() {
            *v = divisor.divide(*v);
        }
    }
}

#[cfg(test)]
mod divisor_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn divide_part_equals_safe_div_for_every_part_of_small_totals() {
        for d in 1u64..=200 {
            for e in 0..=d {
                let (a, b) = (I32F32::from_bits(e as i64), I32F32::from_bits(d as i64));
                let part = PartDivisor::new(b).and_then(|p| p.divide(e));
                assert_eq!(part, Some(safe_div(a, b).to_bits() as u64), "{e} / {d}");
            }
        }
    }

    #[test]
    fn row_divisor_is_exact_next_to_every_power_of_two() {
        for b in 0..31 {
            for s in [(1u64 << b).saturating_sub(1).max(1), 1 << b, (1 << b) + 1] {
                let d = RowDivisor::new(s);
                for v in (0..=u16::MAX).step_by(7).chain([u16::MAX - 1, u16::MAX]) {
                    let exact = (u64::from(v) << 32) / s;
                    assert_eq!(d.map(|d| d.divide(v)), Some(exact), "{v} / {s}");
                }
            }
        }
        assert!(RowDivisor::new(0).is_none() && RowDivisor::new(1 << 31).is_none());
    }

    proptest! {
        #[test]
        fn divisor_equals_safe_div(a in any::<i64>(), b in any::<i64>()) {
            let (a, b) = (I32F32::from_bits(a), I32F32::from_bits(b));
            prop_assert_eq!(ExactDivisor::new(b).divide(a), safe_div(a, b));
            prop_assert_eq!(Divisor::new(b).divide(a), safe_div(a, b));
        }

        #[test]
        fn divisor_equals_safe_div_on_proportions(a in 0i64..=(1 << 32), b in 1i64..=(1 << 40)) {
            let (a, b) = (I32F32::from_bits(a), I32F32::from_bits(b));
            prop_assert_eq!(ExactDivisor::new(b).divide(a), safe_div(a, b));
            prop_assert_eq!(Divisor::new(b).divide(a), safe_div(a, b));
        }

        #[test]
        fn divisor_equals_safe_div_on_integers(v in 0u16.., s in 1i64..(1 << 31)) {
            let a = I32F32::from_bits(i64::from(v) << 32);
            let b = I32F32::from_bits(s << 32);
            prop_assert_eq!(ExactDivisor::new(b).divide(a), safe_div(a, b));
            prop_assert_eq!(Divisor::new(b).divide(a), safe_div(a, b));
        }

        #[test]
        fn divisor_equals_safe_div_below_one(a in 0i64..(1 << 32), b in 1i64..) {
            let (a, b) = (I32F32::from_bits(a), I32F32::from_bits(b));
            prop_assert_eq!(ExactDivisor::new(b).divide(a), safe_div(a, b));
            prop_assert_eq!(Divisor::new(b).divide(a), safe_div(a, b));
        }

        #[test]
        fn divisor_equals_safe_div_on_u16_integers(v in any::<u16>(), s in 1i64..(1 << 32)) {
            let (a, b) = (I32F32::from_bits(i64::from(v) << 32), I32F32::from_bits(s << 32));
            prop_assert_eq!(ExactDivisor::new(b).divide(a), safe_div(a, b));
            prop_assert_eq!(Divisor::new(b).divide(a), safe_div(a, b));
        }

        #[test]
        fn divisor_equals_safe_div_for_small_divisors(a in 0i64..(1 << 32), b in 1i64..(1 << 34)) {
            let (a, b) = (I32F32::from_bits(a), I32F32::from_bits(b));
            prop_assert_eq!(ExactDivisor::new(b).divide(a), safe_div(a, b));
            prop_assert_eq!(Divisor::new(b).divide(a), safe_div(a, b));
        }

        /// Parts of a total, over the whole range the estimate is meant for (up to
        /// 2^62) and at its edges: a part equal to the total, parts next to multiples.
        #[test]
        fn divide_part_equals_safe_div(d in 1u64..(1 << 62), f in 0.0f64..=1.0, nudge in -2i64..=2) {
            let e = ((d as f64 * f) as i64).saturating_add(nudge).clamp(0, d as i64) as u64;
            let (a, b) = (I32F32::from_bits(e as i64), I32F32::from_bits(d as i64));
            let part = PartDivisor::new(b).map(|p| p.divide(e));
            prop_assert_eq!(part, Some(Some(safe_div(a, b).to_bits() as u64)));
        }

        /// Quotients next to a half (where rounding the estimate to the nearest
        /// integer turns between the floor and the floor + 1).
        #[test]
        fn divide_part_next_to_half_quotients(d in 1u64..(1 << 62), q in 0u64..(1 << 32), nudge in -2i64..=2) {
            // e·2^32 ≈ (q + 1/2)·d.
            let e = ((u128::from(2 * q + 1) * u128::from(d)) >> 33) as i64;
            let e = e.saturating_add(nudge).clamp(0, d as i64) as u64;
            let (a, b) = (I32F32::from_bits(e as i64), I32F32::from_bits(d as i64));
            let part = PartDivisor::new(b).map(|p| p.divide(e));
            prop_assert_eq!(part, Some(Some(safe_div(a, b).to_bits() as u64)));
        }

        #[test]
        fn divide_part_refuses_what_it_cannot_do(d in 1u64..(1 << 62), e in any::<u64>()) {
            let got = PartDivisor::new(I32F32::from_bits(d as i64)).and_then(|p| p.divide(e));
            prop_assert_eq!(got.is_some(), e <= d);
            for total in [0, -1, 1 << 62, i64::MAX] {
                prop_assert!(PartDivisor::new(I32F32::from_bits(total)).is_none());
            }
        }

        #[test]
        fn proportion_to_u16_equals_the_fixed_product(x in -(1i64 << 34)..(1 << 34)) {
            let x = I32F32::from_bits(x);
            prop_assert_eq!(
                proportion_to_u16(x),
                x.saturating_mul(U16_MAX_FIXED).saturating_to_num::<u16>()
            );
        }

        #[test]
        fn mul_equals_saturating_mul(a in any::<i64>(), b in any::<i64>()) {
            let (a, b) = (I32F32::from_bits(a), I32F32::from_bits(b));
            prop_assert_eq!(mul(a, b), a.saturating_mul(b));
        }

        #[test]
        fn mul_equals_saturating_mul_on_proportions(a in -(1i64 << 33)..(1 << 33), b in -(1i64 << 40)..(1 << 40)) {
            let (a, b) = (I32F32::from_bits(a), I32F32::from_bits(b));
            prop_assert_eq!(mul(a, b), a.saturating_mul(b));
        }

        #[test]
        fn row_divisor_equals_safe_div(v in any::<u16>(), s in 1u64..(1 << 31)) {
            let d = RowDivisor::new(s).unwrap();
            let slow = safe_div(
                I32F32::from_bits(i64::from(v) << 32),
                I32F32::from_bits((s as i64) << 32),
            );
            prop_assert_eq!(d.divide(v) as i64, slow.to_bits());
        }

        #[test]
        fn row_divisor_is_exact_near_small_and_large_divisors(
            v in any::<u16>(),
            s in prop_oneof![1u64..70_000, ((1u64 << 31) - 70_000)..(1 << 31)],
        ) {
            let d = RowDivisor::new(s).unwrap();
            prop_assert_eq!(d.divide(v), (u64::from(v) << 32) / s);
        }

        #[test]
        fn u16_proportion_equals_the_fixed_division(v in any::<u16>()) {
            let slow = safe_div(I32F32::from_num(v), I32F32::from_num(65535));
            prop_assert_eq!(u16_proportion(v), slow);
        }
    }
}
