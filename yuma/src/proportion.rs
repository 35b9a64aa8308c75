//! Integer forms of the chain's I32F32 steps on proportions (values in `[0, 1]`, as
//! bits in `[0, 2^32]`), shared by the fast paths ([`crate::aligned_ema`],
//! [`crate::aligned_yuma`]). On proportions a product's floor never saturates, so
//! each step is one exact integer operation; the general code stays the reference.

use taolite_core::fixed::I32F32;

use crate::epoch::MASKED;

/// 1.0 in I32F32 bits.
pub(crate) const ONE_BITS: u64 = 1 << 32;

/// A value's bits, when it is a proportion.
pub(crate) fn proportion(x: I32F32) -> Option<u64> {
    u64::try_from(x.to_bits()).ok().filter(|&b| b <= ONE_BITS)
}

/// `⌊x·y / 2^32⌋` (the I32F32 product) for `x ≤ 2^32` and any u64 `y`: the product is
/// below 2^97 and its shifted floor fits a u64. The tests' reference for [`Rate`].
#[cfg(test)]
pub(crate) fn mul_floor(x: u64, y: u64) -> u64 {
    (u128::from(x).wrapping_mul(u128::from(y)) >> 32) as u64
}

/// A proportion `r ≤ 2^32` that multiplies other proportions: `⌊r·y / 2^32⌋` for
/// `y ≤ 2^32` in one 64-bit multiply instead of [`mul_floor`]'s 128-bit one. `r` is
/// kept as `r mod 2^32` and a mask for `r / 2^32` (0 or 1): the first's product with
/// `y` is below 2^64, and the second adds `y` itself when `r` is exactly 1. For a
/// `y` below 2^32 ([`Rate::times_u32`]) the product is 32 × 32 bits, one vector
/// instruction per lane.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rate {
    fraction: u32,
    /// All ones when `r = 2^32`, else 0.
    whole: u64,
}

impl Rate {
    pub(crate) const ZERO: Self = Self {
        fraction: 0,
        whole: 0,
    };

    /// `None` unless `r ≤ 2^32`.
    pub(crate) fn new(r: u64) -> Option<Self> {
        (r <= ONE_BITS).then_some(Self {
            fraction: r as u32,
            whole: (r >> 32).wrapping_neg(),
        })
    }

    /// `⌊r·y / 2^32⌋` for `y ≤ 2^32` (larger `y` gives a meaningless value).
    #[inline(always)]
    pub(crate) fn times(self, y: u64) -> u64 {
        Self::times_parts(u64::from(self.fraction), self.whole, y)
    }

    /// `r` itself when it is below 1 (`r < 2^32`).
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    pub(crate) fn fraction_below_one(self) -> Option<u32> {
        (self.whole == 0).then_some(self.fraction)
    }

    /// The rate's fraction and whole mask, for loops that keep them in flat arrays
    /// (an array of the struct itself defeats the vectoriser).
    pub(crate) fn parts(self) -> (u64, u64) {
        (u64::from(self.fraction), self.whole)
    }

    /// [`Self::times`] from [`Self::parts`].
    #[inline(always)]
    pub(crate) fn times_parts(fraction: u64, whole: u64, y: u64) -> u64 {
        (fraction.wrapping_mul(y) >> 32).wrapping_add(y & whole)
    }

    /// `⌈r·y / 2^32⌉` for `y < 2^32`: `f·y + 2^32 − 1 < 2^64` for the fraction `f`,
    /// and the whole part's `y·2^32` is a multiple of 2^32.
    #[inline(always)]
    pub(crate) fn times_ceil_u32(self, y: u32) -> u64 {
        let y = u64::from(y);
        (u64::from(self.fraction)
            .wrapping_mul(y)
            .wrapping_add(ONE_BITS.wrapping_sub(1))
            >> 32)
            .wrapping_add(y & self.whole)
    }

    /// `⌊r·P / 2^32⌋` for a stored u16 `v` as the proportion
    /// `P = v·65537 + [v = 65535]` (the bits of [`crate::arith::u16_proportion`], since
    /// `2^32 = 65535·65537 + 1`; at most 2^32) with 32 × 32
    /// bit products only: `v·65537` is below 2^32, and `f·P < 2^64` for the fraction
    /// `f`, so `⌊f·P/2^32⌋` is `f·(v·65537) + f·[v = 65535]` shifted.
    #[inline(always)]
    pub(crate) fn times_u16_proportion(self, v: u16) -> u64 {
        let scaled = u32::from(v).wrapping_mul(65_537);
        let edge = u64::from(v == u16::MAX);
        let fraction = u64::from(self.fraction);
        let product = fraction
            .wrapping_mul(u64::from(scaled))
            .wrapping_add(fraction & edge.wrapping_neg());
        (product >> 32).wrapping_add(u64::from(scaled).wrapping_add(edge) & self.whole)
    }

    /// [`Rate::times`] for `y < 2^32`.
    #[inline(always)]
    pub(crate) fn times_u32(self, y: u32) -> u64 {
        let y = u64::from(y);
        (u64::from(self.fraction).wrapping_mul(y) >> 32).wrapping_add(y & self.whole)
    }
}

/// A clip bound from a consensus value: a negative consensus clips like 0.
pub(crate) fn clip_bound(c: &I32F32) -> u64 {
    c.to_bits().max(0) as u64
}

/// For a stored normalised weight `w` ([`MASKED`] counts as 0, every other value is
/// below `2^32 − 1`) and its column's clip bound: the clipped weight `b = min(a, c)`
/// (§4.8) and the weight for bonds `a + p·(b − a)` (§4.10), which is
/// `a − ⌈p·(a − b)⌉` — the I32F32 product of a negative floors — and never negative.
/// The tests' reference for [`clip_and_weigh_lanes`].
#[cfg(test)]
pub(crate) fn clip_and_weigh(w: u32, bound: u64, penalty: u64) -> (u64, u64) {
    let a = if w == MASKED { 0 } else { u64::from(w) };
    let b = a.min(bound);
    // p ≤ 2^32 and a − b < 2^32: p·(a − b) + 2^32 − 1 ≤ 2^64 − 1 fits a u64.
    let up = penalty
        .wrapping_mul(a.wrapping_sub(b))
        .wrapping_add(ONE_BITS.wrapping_sub(1))
        >> 32;
    (b, a.wrapping_sub(up))
}

/// [`clip_and_weigh`] with the penalty as a [`Rate`] and values below 2^32: the same
/// bits from 32 × 32-bit products only, so that a loop of entries vectorises.
#[inline(always)]
pub(crate) fn clip_and_weigh_lanes(w: u32, bound: u64, penalty: Rate) -> (u32, u32) {
    let a = if w == MASKED { 0 } else { w };
    // b ≤ a < 2^32, and ⌈p·(a − b)⌉ ≤ a − b, so x is in [b, a].
    let b = u64::from(a).min(bound) as u32;
    let x = a.wrapping_sub(penalty.times_ceil_u32(a.wrapping_sub(b)) as u32);
    (b, x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`crate::arith::u16_proportion`]'s bits without a division:
    /// `⌊v·2^32 / 65535⌋ = v·65537 + [v = 65535]`, since `2^32 = 65535·65537 + 1`.
    fn u16_proportion_bits(v: u16) -> u64 {
        u64::from(v)
            .wrapping_mul(65_537)
            .wrapping_add(u64::from(v == u16::MAX))
    }
    use crate::arith::{mul, u16_proportion};
    use proptest::prelude::*;

    #[test]
    fn u16_proportion_bits_equal_u16_proportion_for_every_u16() {
        for v in 0..=u16::MAX {
            assert_eq!(
                u16_proportion_bits(v),
                u16_proportion(v).to_bits() as u64,
                "{v}"
            );
        }
    }

    proptest! {
        /// Exact 0 and 1 on both sides included.
        #[test]
        fn rate_times_equals_mul_floor(
            r in prop_oneof![Just(0u64), Just(ONE_BITS), Just(ONE_BITS - 1), 0u64..=ONE_BITS],
            y in prop_oneof![Just(0u64), Just(ONE_BITS), Just(ONE_BITS - 1), 0u64..=ONE_BITS],
        ) {
            let rate = Rate::new(r);
            prop_assert!(rate.is_some());
            prop_assert_eq!(rate.map(|rate| rate.times(y)), Some(mul_floor(r, y)));
            if let Ok(small) = u32::try_from(y) {
                prop_assert_eq!(rate.map(|rate| rate.times_u32(small)), Some(mul_floor(r, y)));
                // ⌈r·y/2^32⌉, from the exact product.
                let ceil = (u128::from(r) * u128::from(y)).div_ceil(1 << 32) as u64;
                prop_assert_eq!(rate.map(|rate| rate.times_ceil_u32(small)), Some(ceil));
            }
        }

        #[test]
        fn rate_times_u16_proportion_equals_mul_floor(
            r in prop_oneof![Just(0u64), Just(ONE_BITS), Just(ONE_BITS - 1), 0u64..=ONE_BITS],
            v in prop_oneof![Just(0u16), Just(u16::MAX), Just(u16::MAX - 1), any::<u16>()],
        ) {
            let rate = Rate::new(r);
            prop_assert_eq!(
                rate.map(|rate| rate.times_u16_proportion(v)),
                Some(mul_floor(r, u16_proportion_bits(v)))
            );
            prop_assert!(Rate::new(ONE_BITS + 1).is_none());
        }

        /// The integer clip and weight for bonds equal the I32F32 steps of the
        /// general code, exact 0 and 1 included.
        #[test]
        fn clip_and_weigh_equals_the_fixed_steps(
            w in prop_oneof![Just(0u32), Just(MASKED), Just(u32::MAX - 1), any::<u32>()],
            c in prop_oneof![Just(0i64), Just(-1i64), Just(1i64 << 32), -(1i64 << 33)..(1i64 << 33)],
            p in prop_oneof![Just(0u64), Just(ONE_BITS), 0u64..=ONE_BITS],
        ) {
            let a = I32F32::from_bits(if w == MASKED { 0 } else { i64::from(w) });
            let consensus = I32F32::from_bits(c);
            let clipped = crate::epoch::clip(a, consensus).unwrap_or(I32F32::ZERO);
            let penalty = I32F32::from_bits(p as i64);
            let for_bonds = a.saturating_add(mul(penalty, clipped.saturating_sub(a)));
            let (b, x) = clip_and_weigh(w, clip_bound(&consensus), p);
            prop_assert_eq!(b as i64, clipped.to_bits());
            prop_assert_eq!(x as i64, for_bonds.to_bits());
            let lanes = Rate::new(p).map(|p| clip_and_weigh_lanes(w, clip_bound(&consensus), p));
            prop_assert_eq!(lanes, Some((b as u32, x as u32)));
        }
    }
}
