//! Original Yuma's clipping pass and bonds EMA (spec §4.8–§4.11) for the usual
//! storage, in plain integer arithmetic: the counterpart of [`crate::aligned_ema`]
//! for Yuma with its column-normalised ΔB and bonds.
//!
//! On a precomputed aligned weight row (values below `2^32 − 1`, a removed entry
//! counting as 0) with a stake, bonds penalty and `α` in `[0, 1]`, every I32F32 step is
//! an exact integer step: a clip is a minimum, the weight for bonds is
//! `x = a − ⌈p·(a − b)⌉`, products of proportions are floors, and the column
//! normalisations divide a part of a column by that column's total
//! ([`PartDivisor`]) or a stored bond by its column's integer sum ([`RowDivisor`]).
//! The caller keeps the general code for every other row and parameter.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::arith::{PartDivisor, RowDivisor};
use crate::batches::BatchedRows;
use crate::epoch::StoredRow;
use crate::proportion::{clip_and_weigh, clip_bound, mul_floor, proportion, ONE_BITS};

/// The clipping pass (§4.8–§4.9 and ΔB's column sums of §4.11) on aligned rows.
///
/// Its terms — `stake × clipped weight` for the ranks, `weight for bonds × stake` for
/// ΔB's column totals — are non-negative and at most 2^32, so they gather in exact
/// per-column u64 batches; [`YumaClip::flush`] adds them to the saturating sums (see
/// [`crate::batches`]) and must run before any general row adds to those.
pub(crate) struct YumaClip<'w> {
    consensus: Vec<u64>,
    penalty: u64,
    pending_rank: Vec<u64>,
    pending_delta: Vec<u64>,
    batched: BatchedRows<'w>,
}

impl<'w> YumaClip<'w> {
    /// `None` unless the bonds penalty is a proportion.
    pub(crate) fn new(consensus: &[I32F32], penalty: I32F32) -> Option<Self> {
        Some(Self {
            consensus: consensus.iter().map(clip_bound).collect(),
            penalty: proportion(penalty)?,
            pending_rank: vec![0; consensus.len()],
            pending_delta: vec![0; consensus.len()],
            batched: BatchedRows::new(),
        })
    }

    /// Clips an aligned row of a validator with the given stake and returns its
    /// validator trust (the wrapping sum of clipped weights); `None` when the stake is
    /// not a proportion (the row is then the general code's).
    pub(crate) fn row(
        &mut self,
        (entries, values): StoredRow<'w>,
        stake: I32F32,
    ) -> Option<I32F32> {
        let stake = proportion(stake)?;
        self.batched.add(entries);
        let mut trust = 0u64;
        for (&(j, _), &w) in entries.iter().zip(values) {
            let j = usize::from(j);
            let (Some(&c), Some(rank), Some(delta)) = (
                self.consensus.get(j),
                self.pending_rank.get_mut(j),
                self.pending_delta.get_mut(j),
            ) else {
                // Beyond n: a removed weight.
                continue;
            };
            let (b, x) = clip_and_weigh(w, c, self.penalty);
            // Clipped weights are below 2^32 and a row has under 2^32 entries: the u64
            // sum is exact and its bits are the chain's wrapping I32F32 sum.
            trust = trust.wrapping_add(b);
            *rank = rank.wrapping_add(mul_floor(stake, b));
            *delta = delta.wrapping_add(mul_floor(x, stake));
        }
        Some(I32F32::from_bits(trust as i64))
    }

    /// Adds the batches to the saturating sums and empties them.
    pub(crate) fn flush(&mut self, ranks: &mut [I32F32], delta_totals: &mut [I32F32]) {
        let (pending_rank, pending_delta) = (&mut self.pending_rank, &mut self.pending_delta);
        self.batched.settle(pending_rank.len(), |j| {
            if let (Some(r), Some(d), Some(rank), Some(delta)) = (
                ranks.get_mut(j),
                delta_totals.get_mut(j),
                pending_rank.get_mut(j),
                pending_delta.get_mut(j),
            ) {
                // A batch holds at most n terms of at most 2^32: below 2^63.
                *r = r.saturating_add(I32F32::from_bits(*rank as i64));
                *d = d.saturating_add(I32F32::from_bits(*delta as i64));
                *rank = 0;
                *delta = 0;
            }
        });
    }
}

/// One column's constants of the EMA.
#[derive(Clone, Copy)]
struct EmaColumn {
    consensus: u64,
    /// ΔB's column total as a divisor; `None` for a zero total (no division).
    delta: Option<PartDivisor>,
    /// The stored bonds' column sum as a divisor; `None` for a zero sum (every stored
    /// bond of the column is then 0).
    bonds: Option<RowDivisor>,
    /// All ones when stored bonds towards this column survive the registration mask.
    kept: u64,
}

/// Original Yuma's EMA rows (§4.11) for aligned weight rows whose bond row lists the
/// same columns.
pub(crate) struct YumaEma {
    columns: Vec<EmaColumn>,
    penalty: u64,
    alpha: u64,
    keep: u64,
}

impl YumaEma {
    /// `None` unless the penalty and `α` are proportions and every column total is one
    /// the integer steps divide by: ΔB totals below 2^62, bond sums below 2^31
    /// (integers, as the stored bonds are).
    pub(crate) fn new(
        consensus: &[I32F32],
        delta_totals: &[I32F32],
        bond_totals: &[I32F32],
        bond_kept: &[bool],
        penalty: I32F32,
        alpha: I32F32,
    ) -> Option<Self> {
        let columns = consensus
            .iter()
            .zip(delta_totals)
            .zip(bond_totals)
            .zip(bond_kept)
            .map(|(((c, d), t), &kept)| {
                let delta = if *d == I32F32::ZERO {
                    None
                } else {
                    Some(PartDivisor::new(*d)?)
                };
                let bonds = match t.to_bits() {
                    0 => None,
                    bits if bits & 0xffff_ffff == 0 => Some(RowDivisor::new((bits >> 32) as u64)?),
                    _ => return None,
                };
                Some(EmaColumn {
                    consensus: clip_bound(c),
                    delta,
                    bonds,
                    kept: if kept { u64::MAX } else { 0 },
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let alpha = proportion(alpha)?;
        Some(Self {
            columns,
            penalty: proportion(penalty)?,
            alpha,
            keep: ONE_BITS.wrapping_sub(alpha),
        })
    }

    /// Appends one row of the EMA, `α·ΔB + (1 − α)·B` per column, its positive entries
    /// in the rows' column order, to a narrow matrix's arrays (values stored as
    /// `bits − 1`); `false` when the stake is not a proportion or a quotient leaves
    /// `[0, 1]` (then nothing was appended and the row is the general code's).
    pub(crate) fn row(
        &self,
        (entries, values): StoredRow<'_>,
        bonds: &[(u16, u16)],
        stake: I32F32,
        (cols, vals): (&mut Vec<u16>, &mut Vec<u32>),
    ) -> bool {
        let Some(stake) = proportion(stake) else {
            return false;
        };
        let start = cols.len();
        for ((&(j, _), &w), &(_, bond)) in entries.iter().zip(values).zip(bonds) {
            let Some(column) = self.columns.get(usize::from(j)) else {
                // Beyond n: nothing to store.
                continue;
            };
            let (_, x) = clip_and_weigh(w, column.consensus, self.penalty);
            let share = mul_floor(x, stake);
            // A ΔB entry is part of its column's total, and a stored bond part of its
            // column's sum (when kept): both quotients are at most 1.
            let delta = match column.delta {
                Some(d) => d.divide(share),
                None => Some(share),
            };
            let prepared = match column.bonds {
                Some(t) => t.divide(bond),
                None => u64::from(bond) << 32,
            };
            let (Some(delta), true) = (delta, prepared <= ONE_BITS) else {
                cols.truncate(start);
                vals.truncate(start);
                return false;
            };
            let old = mul_floor(self.keep, prepared) & column.kept;
            // ⌊α·δ⌋ + ⌊(1 − α)·P⌋ ≤ α + (1 − α) = 2^32.
            let e = mul_floor(self.alpha, delta).wrapping_add(old);
            if e > 0 {
                cols.push(j);
                vals.push(e.wrapping_sub(1) as u32);
            }
        }
        true
    }
}
