//! [`super::RowSum`] over a row of every column in AVX-512 floating point, eight
//! columns a step, with fused multiply-adds in place of 64-bit integer multiplies
//! (three micro-operations each here).
//!
//! Both of the row sum's floors come from a rounded estimate and an exact test:
//! - the quotient `q = ⌊e·2^32 / T⌋` from the nearest integer `r` to `e·(2^32/T)`
//!   (`⌊Q⌋` or `⌊Q⌋ + 1`, see [`crate::arith::PartDivisor`]): `q = r − [r·T > e·2^32]`;
//! - the product `⌊q·I / 2^32⌋` for the incentive bits `I ≤ 2^32` from
//!   `c = ⌊q·(I/2^32)⌋` in floating point: the rounded product is within 2^−20 of
//!   the exact one, and never below an integer the exact one reaches (integers are
//!   doubles), so `c` is the floor or one more: `c` is lowered when `q·I < c·2^32`.
//!
//! Each test is the sign of one fused multiply-add on integers exact in a double
//! (`r, q ≤ 2^32 + 1`, `T < 2^53`, `I ≤ 2^32`, `c < 2^33`) whose exact result is an
//! integer below 2^53 in magnitude or, for the first, of the sign it is rounded to
//! (one rounding never changes a sign). The sum of the products (each at most 2^32,
//! at most 2^16 of them) is exact in a double too. The tests compare this with
//! [`super::RowSum`].

use core::arch::x86_64::{
    _mm256_loadu_si256, _mm512_add_pd, _mm512_cmp_pd_mask, _mm512_cvtepu32_pd, _mm512_fmsub_pd,
    _mm512_loadu_pd, _mm512_mask_sub_pd, _mm512_mul_pd, _mm512_reduce_add_pd, _mm512_roundscale_pd,
    _mm512_set1_pd, _mm512_setzero_pd, _mm512_sub_pd, _CMP_GT_OQ, _CMP_LE_OQ, _CMP_LT_OQ,
    _MM_FROUND_NO_EXC, _MM_FROUND_TO_NEG_INF,
};

/// Columns per step.
pub(super) const LANES: usize = 8;

/// The columns' constants as doubles, all of the same length.
pub(super) struct Columns<'k> {
    /// The totals `T` (0 for a column outside the integer steps).
    pub(super) totals: &'k [f64],
    /// `2^32 / T` (0 likewise).
    pub(super) scales: &'k [f64],
    /// The incentive bits `I` and `I / 2^32`.
    pub(super) incentives: &'k [f64],
    pub(super) rates: &'k [f64],
}

/// The sum over the first `columns` columns (the largest multiple of [`LANES`]
/// within every array) of a row of every column, stored as `bits − 1` in `vals`, and
/// whether each of their entries is within its column's total (if not, the sum is
/// meaningless). Takes no column when the CPU lacks AVX-512.
pub(super) struct Taken {
    pub(super) sum: u64,
    pub(super) within: bool,
    pub(super) columns: usize,
}

/// See [`Taken`].
pub(super) fn row_sum(columns: &Columns<'_>, vals: &[u32]) -> Taken {
    if !crate::cpu::has_avx512() {
        return Taken {
            sum: 0,
            within: true,
            columns: 0,
        };
    }
    // SAFETY: the CPU supports AVX-512 F (checked just above), the only requirement
    // of the function.
    unsafe { row_sum_avx512(columns, vals) }
}

/// [`row_sum`] on AVX-512.
///
/// # Safety
/// The CPU must support AVX-512 F.
#[target_feature(enable = "avx512f")]
unsafe fn row_sum_avx512(columns: &Columns<'_>, vals: &[u32]) -> Taken {
    let Columns {
        totals,
        scales,
        incentives,
        rates,
    } = *columns;
    let len = [
        totals.len(),
        scales.len(),
        incentives.len(),
        rates.len(),
        vals.len(),
    ]
    .into_iter()
    .min()
    .unwrap_or(0);
    let steps = len / LANES;
    let one = _mm512_set1_pd(1.0);
    let two_32 = _mm512_set1_pd(4_294_967_296.0);
    // 2^52: adding it rounds a double in [0, 2^52) to the nearest integer.
    let rounder = _mm512_set1_pd(4_503_599_627_370_496.0);
    let zero = _mm512_setzero_pd();
    let mut sum = _mm512_setzero_pd();
    let mut within = u8::MAX;
    for step in 0..steps {
        let at = step.wrapping_mul(LANES);
        // SAFETY: `at + 8 ≤ len`, within every array: each load reads 8 of its
        // elements (32 bytes of u32, 64 of f64), unaligned.
        let (x, total, scale, incentive, rate) = unsafe {
            (
                _mm256_loadu_si256(vals.as_ptr().add(at).cast()),
                _mm512_loadu_pd(totals.as_ptr().add(at)),
                _mm512_loadu_pd(scales.as_ptr().add(at)),
                _mm512_loadu_pd(incentives.as_ptr().add(at)),
                _mm512_loadu_pd(rates.as_ptr().add(at)),
            )
        };
        let e = _mm512_add_pd(_mm512_cvtepu32_pd(x), one);
        within &= _mm512_cmp_pd_mask::<_CMP_LE_OQ>(e, total);
        // The quotient.
        let r = _mm512_sub_pd(_mm512_add_pd(_mm512_mul_pd(e, scale), rounder), rounder);
        let above = _mm512_fmsub_pd(r, total, _mm512_mul_pd(e, two_32));
        let q = _mm512_mask_sub_pd(r, _mm512_cmp_pd_mask::<_CMP_GT_OQ>(above, zero), r, one);
        // Its product with the incentive.
        let c = _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(
            _mm512_mul_pd(q, rate),
        );
        let excess = _mm512_fmsub_pd(q, incentive, _mm512_mul_pd(c, two_32));
        let c = _mm512_mask_sub_pd(c, _mm512_cmp_pd_mask::<_CMP_LT_OQ>(excess, zero), c, one);
        sum = _mm512_add_pd(sum, c);
    }
    Taken {
        sum: _mm512_reduce_add_pd(sum) as u64,
        within: within == u8::MAX,
        columns: steps.wrapping_mul(LANES),
    }
}
