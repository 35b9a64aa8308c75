//! [`super::FullRow`] sixteen columns at a time, in the 32-bit lanes of AVX-512, for
//! the usual rates: the bonds penalty, `α`, `1 − α` and the row's stake all strictly
//! below 1.
//!
//! Why by hand: every value of an entry's steps fits 32 bits except the products'
//! intermediate 64 bits and the u64 column sums, but the compiler, seeing one u64 in
//! the loop, runs the whole loop in 64-bit lanes, eight columns per step. Here only
//! the products and the sums are widened, which halves the instructions per column.
//!
//! Why 32 bits suffice: with `α` and `1 − α` both fractions (`f_α + f_keep = 2^32`),
//! an EMA value `⌊f_α·x/2^32⌋ + ⌊f_keep·P/2^32⌋` is at most
//! `(f_α·x + f_keep·2^32)/2^32 < 2^32` for a weight for bonds `x < 2^32 − 1`; the
//! clipped weight, the weight for bonds and a stake product are below 2^32 anyway.
//! A rate of exactly 1 (`α` of 0 or 1, a penalty of 1, a stake of 1) takes the
//! general kernel.
//!
//! The tests check this kernel against [`super::FullRow`] entry for entry.

use core::arch::x86_64::{
    __m512i, _mm512_add_epi32, _mm512_add_epi64, _mm512_and_si512, _mm512_castsi512_si256,
    _mm512_cmpeq_epi32_mask, _mm512_cmpneq_epi32_mask, _mm512_cvtepu32_epi64,
    _mm512_extracti64x4_epi64, _mm512_loadu_si512, _mm512_mask_blend_epi32, _mm512_mask_mov_epi32,
    _mm512_maskz_mov_epi32, _mm512_min_epu32, _mm512_mul_epu32, _mm512_or_si512,
    _mm512_reduce_add_epi64, _mm512_reduce_min_epu32, _mm512_set1_epi32, _mm512_set1_epi64,
    _mm512_setzero_si512, _mm512_slli_epi32, _mm512_srli_epi32, _mm512_srli_epi64,
    _mm512_storeu_si512, _mm512_sub_epi32,
};

use crate::epoch::MASKED;

/// Columns per step.
pub(super) const LANES: usize = 16;

/// A stored bond row's entry is `(column, bond)`; loaded as one 32-bit word, the bond
/// sits this many bits up (the tuple's layout, read at compile time).
const BOND_SHIFT: u32 = (core::mem::offset_of!((u16, u16), 1) * 8) as u32;
const _: () =
    assert!(core::mem::size_of::<(u16, u16)>() == 4 && (BOND_SHIFT == 0 || BOND_SHIFT == 16));

/// The four rates' fractions (each rate is `f / 2^32` with `f < 2^32`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Fractions {
    pub(super) penalty: u32,
    pub(super) alpha: u32,
    pub(super) keep: u32,
    pub(super) stake: u32,
}

/// The row's arrays, one entry per column, all of the same length.
pub(super) struct Row<'k> {
    /// Clip bounds, capped at `u32::MAX` (weights are below it, so a clip is alike).
    pub(super) bound: &'k [u32],
    /// All ones where a stored bond survives the registration mask, else 0.
    pub(super) bond_mask: &'k [u32],
    pub(super) pending_total: &'k mut [u64],
    pub(super) pending_rank: &'k mut [u64],
    pub(super) weights: &'k [u32],
    pub(super) bonds: &'k [(u16, u16)],
    pub(super) out: &'k mut [u32],
}

/// What [`super::FullRow`] returns for the first `columns` columns of a row: the
/// trust bits, whether some EMA value is 0, and how many columns were taken (the
/// largest multiple of [`LANES`] within every array).
pub(super) struct Taken {
    pub(super) trust: u64,
    pub(super) any_zero: bool,
    pub(super) columns: usize,
}

/// Runs the row's whole steps of [`LANES`] columns when the CPU has AVX-512 (else
/// takes none). The caller takes the rest with the general kernel.
pub(super) fn run(rates: Fractions, row: Row<'_>) -> Taken {
    if crate::cpu::has_avx512() {
        // SAFETY: the CPU supports AVX-512 F (checked just above), the only
        // requirement of the function.
        return unsafe { run_avx512(rates, row) };
    }
    Taken {
        trust: 0,
        any_zero: false,
        columns: 0,
    }
}

/// `⌊f·a / 2^32⌋` per 32-bit lane (`f` in every lane), plus `round` (0, or 2^32 − 1 for
/// the ceiling) before the shift: even lanes from one 32 × 32-bit multiply, odd lanes
/// from another on the lanes shifted down, and the high halves blended back.
#[target_feature(enable = "avx512f")]
fn high_product(a: __m512i, f: __m512i, round: __m512i) -> __m512i {
    let even = _mm512_add_epi64(_mm512_mul_epu32(a, f), round);
    let odd = _mm512_add_epi64(_mm512_mul_epu32(_mm512_srli_epi64::<32>(a), f), round);
    _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64::<32>(even), odd)
}

/// Adds 16 u32 lanes to 16 u64 sums.
///
/// # Safety
/// `sums` must be valid for reads and writes of 16 u64.
#[target_feature(enable = "avx512f")]
unsafe fn add_widened(sums: *mut u64, v: __m512i) {
    let low = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(v));
    let high = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64::<1>(v));
    // SAFETY: the caller's pointer is valid for 16 u64, i.e. two 64-byte blocks
    // (unaligned loads and stores).
    unsafe {
        let first = sums.cast::<__m512i>();
        let second = sums.add(8).cast::<__m512i>();
        _mm512_storeu_si512(first, _mm512_add_epi64(_mm512_loadu_si512(first), low));
        _mm512_storeu_si512(second, _mm512_add_epi64(_mm512_loadu_si512(second), high));
    }
}

/// [`run`] on AVX-512.
///
/// # Safety
/// The CPU must support AVX-512 F.
#[target_feature(enable = "avx512f")]
unsafe fn run_avx512(rates: Fractions, row: Row<'_>) -> Taken {
    let Row {
        bound,
        bond_mask,
        pending_total,
        pending_rank,
        weights,
        bonds,
        out,
    } = row;
    let len = [
        bound.len(),
        bond_mask.len(),
        pending_total.len(),
        pending_rank.len(),
        weights.len(),
        bonds.len(),
        out.len(),
    ]
    .into_iter()
    .min()
    .unwrap_or(0);
    let steps = len / LANES;
    let lane = |f: u32| _mm512_set1_epi32(f as i32);
    let (penalty, alpha, keep, stake) = (
        lane(rates.penalty),
        lane(rates.alpha),
        lane(rates.keep),
        lane(rates.stake),
    );
    let (floor, ceiling) = (_mm512_setzero_si512(), _mm512_set1_epi64(u32::MAX.into()));
    let masked = lane(MASKED);
    let bond_max = lane(u16::MAX.into());
    let low_halves = _mm512_set1_epi64(u32::MAX.into());
    let mut trust_even = _mm512_setzero_si512();
    let mut trust_odd = _mm512_setzero_si512();
    let mut smallest = lane(u32::MAX);
    for step in 0..steps {
        let at = step.wrapping_mul(LANES);
        // SAFETY: `at + 16 ≤ len`, within every array: each pointer below is valid for
        // 16 of its elements (64 bytes for the u32 arrays and the 4-byte bond entries,
        // 128 for the sums), read and written unaligned.
        unsafe {
            let w = _mm512_loadu_si512(weights.as_ptr().add(at).cast());
            let entries = _mm512_loadu_si512(bonds.as_ptr().add(at).cast());
            let bound = _mm512_loadu_si512(bound.as_ptr().add(at).cast());
            let bond_mask = _mm512_loadu_si512(bond_mask.as_ptr().add(at).cast());

            // The clip and the weight for bonds ([`clip_and_weigh_lanes`]).
            let a = _mm512_maskz_mov_epi32(_mm512_cmpneq_epi32_mask(w, masked), w);
            let b = _mm512_min_epu32(a, bound);
            let x = _mm512_sub_epi32(a, high_product(_mm512_sub_epi32(a, b), penalty, ceiling));

            // The kept bond: `⌊f_keep·P / 2^32⌋` for `P = v·65537`, or `f_keep` itself
            // for `v = 65535` (whose proportion is exactly 2^32).
            let v = if BOND_SHIFT == 16 {
                _mm512_srli_epi32::<16>(entries)
            } else {
                _mm512_and_si512(entries, bond_max)
            };
            let scaled = _mm512_or_si512(_mm512_slli_epi32::<16>(v), v);
            let old = _mm512_mask_mov_epi32(
                high_product(scaled, keep, floor),
                _mm512_cmpeq_epi32_mask(v, bond_max),
                keep,
            );
            let ema = _mm512_add_epi32(
                high_product(x, alpha, floor),
                _mm512_and_si512(old, bond_mask),
            );

            trust_even = _mm512_add_epi64(trust_even, _mm512_and_si512(b, low_halves));
            trust_odd = _mm512_add_epi64(trust_odd, _mm512_srli_epi64::<32>(b));
            smallest = _mm512_min_epu32(smallest, ema);
            add_widened(
                pending_rank.as_mut_ptr().add(at),
                high_product(b, stake, floor),
            );
            add_widened(pending_total.as_mut_ptr().add(at), ema);
            // Stored narrow as v − 1.
            _mm512_storeu_si512(
                out.as_mut_ptr().add(at).cast(),
                _mm512_sub_epi32(ema, lane(1)),
            );
        }
    }
    Taken {
        trust: _mm512_reduce_add_epi64(_mm512_add_epi64(trust_even, trust_odd)) as u64,
        any_zero: steps > 0 && _mm512_reduce_min_epu32(smallest) == 0,
        columns: steps.wrapping_mul(LANES),
    }
}
