//! Yuma3's bonds EMA (spec §4.10 and §4.12, liquid alpha off) for the usual storage, in
//! plain integer arithmetic.
//!
//! Every value of such a row is a proportion in `[0, 1]`: the precomputed weights are
//! below 1, the consensus is a weight, the bonds penalty and the EMA's `α` are in
//! `[0, 1]`. There the chain's I32F32 steps reduce to exact u64/u128 integer steps —
//! a clip is a compare, `a + p·(b − a)` never saturates, and every product is a floor
//! (or, for the negative `p·(b − a)`, minus a ceiling) — so one merge of the weight row
//! and the bond row yields the EMA row without a fixed-point call per entry. The caller
//! falls back to the general code for any row or parameter outside those bounds.
//!
//! Bounds used below: with `a < 2^32` the weight, `x ≤ a` its weight for bonds,
//! `p ≤ 2^32` the stored bond as a proportion and `α ≤ 2^32`, an EMA entry is
//! `⌊α·x/2^32⌋ + ⌊(2^32 − α)·p/2^32⌋ ≤ α + (2^32 − α) = 2^32`.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::arith::{mul, u16_proportion};
use crate::epoch::{StoredRow, MASKED};
use crate::error::EpochError;
use crate::rows::Csr;

/// 1.0 in I32F32 bits.
const ONE_BITS: u64 = 1 << 32;

/// `⌊x·y / 2^32⌋` for `x, y ≤ 2^32`: the I32F32 product of two proportions.
#[inline(always)]
fn mul_floor(x: u64, y: u64) -> u64 {
    // x·y ≤ 2^64 fits a u128; the shifted result is at most 2^32.
    (u128::from(x).wrapping_mul(u128::from(y)) >> 32) as u64
}

/// `⌈x·y / 2^32⌉` for `x, y ≤ 2^32`.
#[inline(always)]
fn mul_ceil(x: u64, y: u64) -> u64 {
    // x·y + 2^32 − 1 < 2^65 fits a u128.
    (u128::from(x)
        .wrapping_mul(u128::from(y))
        .wrapping_add(u128::from(ONE_BITS.wrapping_sub(1)))
        >> 32) as u64
}

/// The per-epoch constants of the merge, and the EMA's column totals built while rows
/// are emitted.
pub(crate) struct AlignedEma {
    /// Consensus bits per column, negatives as 0 (a clip treats them alike).
    consensus: Vec<u64>,
    /// Whether a stored bond towards column `j` survives the registration mask; `false`
    /// for `j ≥ n`.
    bond_kept: Vec<bool>,
    penalty: u64,
    alpha: u64,
    keep: u64,
    /// Saturating column sums of every row emitted so far, in row order.
    totals: Vec<I32F32>,
}

impl AlignedEma {
    /// `None` unless the penalty and `α` are proportions in `[0, 1]`, which the integer
    /// steps need. (Any consensus works: a clip never raises a weight.)
    pub(crate) fn new(
        consensus: &[I32F32],
        bond_kept: Vec<bool>,
        penalty: I32F32,
        alpha: I32F32,
    ) -> Option<Self> {
        let proportion = |x: I32F32| u64::try_from(x.to_bits()).ok().filter(|&b| b <= ONE_BITS);
        let (penalty, alpha) = (proportion(penalty)?, proportion(alpha)?);
        let n = consensus.len();
        Some(Self {
            consensus: consensus
                .iter()
                .map(|c| c.to_bits().max(0) as u64)
                .collect(),
            bond_kept,
            penalty,
            alpha,
            keep: ONE_BITS.wrapping_sub(alpha),
            totals: vec![I32F32::ZERO; n],
        })
    }

    /// The clipped weight (0 when clipping drops it) and `α · (weight for bonds)` of a
    /// precomputed weight (a [`MASKED`] one counts as 0).
    #[inline(always)]
    fn weight_part(&self, j: usize, v: u32) -> (u64, u64) {
        let a = if v == MASKED { 0 } else { u64::from(v) };
        let c = self.consensus.get(j).copied().unwrap_or(0);
        // clip(a, c): c when c < a (0 when c ≤ 0), else a; so b ≤ a.
        let b = if c < a { c } else { a };
        // a + p·(b − a) = a − ⌈p·(a − b)⌉ (the product of a negative floors): ≥ 0.
        let x = a.wrapping_sub(mul_ceil(self.penalty, a.wrapping_sub(b)));
        (b, mul_floor(self.alpha, x))
    }

    /// `(1 − α) · u16_proportion(v)`.
    #[inline(always)]
    fn bond_part(&self, v: u16) -> u64 {
        mul_floor(self.keep, u16_proportion(v).to_bits() as u64)
    }

    /// Merges the aligned weight row with a bond row whose stored columns strictly
    /// ascend; appends the positive EMA entries to `out` and adds them to the totals.
    /// On the way, clips the row (§4.8): adds `stake × clipped weight` to `ranks`
    /// (saturating, so rows must come in order) and returns the row's wrapping sum of
    /// clipped weights, its validator trust. A dropped or masked weight adds 0 to both.
    #[inline(never)]
    pub(crate) fn row(
        &mut self,
        weights: StoredRow<'_>,
        bonds: &[(u16, u16)],
        stake: I32F32,
        ranks: &mut [I32F32],
        out: &mut Csr,
    ) -> Result<I32F32, EpochError> {
        let (w_entries, w_values) = weights;
        let mut trust = 0u64;
        let mut rank = |j: usize, clipped: u64| {
            // Clipped weights are below 2^32, a row has at most 2^32 entries: the u64
            // sum is exact, and its low 64 bits are the chain's wrapping I32F32 sum.
            trust = trust.wrapping_add(clipped);
            if let Some(r) = ranks.get_mut(j) {
                *r = r.saturating_add(mul(stake, I32F32::from_bits(clipped as i64)));
            }
        };
        let same_columns =
            w_entries.len() == bonds.len() && w_entries.iter().zip(bonds).all(|(w, b)| w.0 == b.0);
        if let (true, Some((cols, vals))) = (same_columns, out.narrow_parts()) {
            // The usual full row: both rows list the same columns; zip them.
            for ((&(j, _), &w), &(_, b)) in w_entries.iter().zip(w_values).zip(bonds) {
                let column = usize::from(j);
                let kept = self.bond_kept.get(column).copied().unwrap_or(false);
                // Each part is a proportion and their sum is at most 2^32 (module docs).
                let (clipped, new) = self.weight_part(column, w);
                rank(column, clipped);
                let v = new.wrapping_add(u64::from(kept).wrapping_mul(self.bond_part(b)));
                if v > 0 {
                    cols.push(j);
                    vals.push(v.wrapping_sub(1) as u32);
                    if let Some(t) = self.totals.get_mut(column) {
                        *t = t.saturating_add(I32F32::from_bits(v as i64));
                    }
                }
            }
            out.finish_row()?;
            return Ok(I32F32::from_bits(trust as i64));
        }
        let (mut p, mut q) = (0usize, 0usize);
        loop {
            let jw = w_entries.get(p).map_or(u32::MAX, |e| u32::from(e.0));
            let jb = bonds.get(q).map_or(u32::MAX, |e| u32::from(e.0));
            let j = jw.min(jb);
            if j == u32::MAX {
                break;
            }
            let column = j as usize;
            let mut v = 0u64;
            if jw == j {
                let w = w_values.get(p).copied().unwrap_or(MASKED);
                let (clipped, new) = self.weight_part(column, w);
                rank(column, clipped);
                v = new;
                p = p.wrapping_add(1);
            }
            if jb == j {
                if let (Some(true), Some(&(_, b))) = (self.bond_kept.get(column), bonds.get(q)) {
                    // Both parts are at most 2^32: no overflow.
                    v = v.wrapping_add(self.bond_part(b));
                }
                q = q.wrapping_add(1);
            }
            if v > 0 {
                let value = I32F32::from_bits(v as i64);
                out.push(j as u16, value);
                if let Some(t) = self.totals.get_mut(column) {
                    *t = t.saturating_add(value);
                }
            }
        }
        out.finish_row()?;
        Ok(I32F32::from_bits(trust as i64))
    }

    /// Adds row `i` of `ema` (written by the general code) to the column totals.
    pub(crate) fn add_row(&mut self, ema: &Csr, i: usize) {
        let totals = &mut self.totals;
        ema.for_each_in_row(i, |j, v| {
            if let Some(t) = totals.get_mut(j) {
                *t = t.saturating_add(v);
            }
        });
    }

    /// The saturating column sums of every emitted row.
    pub(crate) fn into_totals(self) -> Vec<I32F32> {
        self.totals
    }
}
