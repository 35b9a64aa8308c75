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

use crate::arith::mul;
use crate::batches::BatchedRows;
use crate::epoch::{lists_columns, StoredRow, MASKED};
use crate::error::EpochError;
use crate::proportion::{
    clip_and_weigh, clip_bound, proportion, u16_proportion_bits, Rate, ONE_BITS,
};
use crate::rows::Csr;

/// One column's inputs and running sums.
#[derive(Clone, Copy)]
struct Column {
    /// Consensus bits, a negative one as 0 (a clip treats them alike).
    consensus: u64,
    /// All ones when a stored bond towards this column survives the registration
    /// mask, else 0.
    bond_mask: u64,
    /// Saturating sum of the EMA entries emitted so far, in row order, up to the
    /// last [`AlignedEma::flush`].
    total: I32F32,
    /// EMA entries and `stake × clipped weight` terms of the rows taken in integer
    /// steps (zipped or merged) since the last flush: plain sums of non-negative terms
    /// of at most 2^32 each, so exact in u64 for any number of rows below 2^31. Adding
    /// such a batch to a saturating sum in one step equals adding its terms one by one
    /// (none is negative).
    pending_total: u64,
    pending_rank: u64,
}

/// The per-epoch constants of the merge, and the sums built while rows are emitted:
/// the EMA's column totals and the ranks. A clone taken before any row starts a part
/// of the rows with the same constants.
#[derive(Clone)]
pub(crate) struct AlignedEma<'w> {
    columns: Vec<Column>,
    /// Saturating sums of `stake × clipped weight` so far, in row order (§4.9).
    ranks: Vec<I32F32>,
    /// The rows whose columns hold pending sums.
    batched: BatchedRows<'w>,
    rates: Rates,
}

/// The bonds penalty `p` (I32F32 bits in `[0, 2^32]`), the EMA's `α` and `1 − α`.
#[derive(Clone, Copy)]
struct Rates {
    penalty: u64,
    alpha: Rate,
    keep: Rate,
}

impl AlignedEma<'_> {
    /// `None` unless the penalty and `α` are proportions in `[0, 1]`, which the integer
    /// steps need. (Any consensus works: a clip never raises a weight.) `bond_kept[j]`
    /// says whether a stored bond towards `j` survives the registration mask.
    pub(crate) fn new(
        consensus: &[I32F32],
        bond_kept: &[bool],
        penalty: I32F32,
        alpha: I32F32,
    ) -> Option<Self> {
        let (penalty, alpha) = (proportion(penalty)?, proportion(alpha)?);
        let columns = consensus
            .iter()
            .zip(bond_kept)
            .map(|(c, &kept)| Column {
                consensus: clip_bound(c),
                bond_mask: if kept { u64::MAX } else { 0 },
                total: I32F32::ZERO,
                pending_total: 0,
                pending_rank: 0,
            })
            .collect();
        Some(Self {
            columns,
            ranks: vec![I32F32::ZERO; consensus.len()],
            batched: BatchedRows::new(),
            rates: Rates {
                penalty,
                alpha: Rate::new(alpha)?,
                keep: Rate::new(ONE_BITS.wrapping_sub(alpha))?,
            },
        })
    }
}

impl Rates {
    /// One entry of the merge, for a stored weight `w` ([`MASKED`] or missing counts
    /// as 0) and a stored bond (a missing one counts as 0): the clipped weight (§4.8)
    /// and the EMA value `⌊α·x⌋ + ⌊(1 − α)·P⌋` (module docs: at most 2^32).
    #[inline(always)]
    fn entry(&self, column: &Column, w: u32, bond: u16) -> (u64, u64) {
        let (b, x) = clip_and_weigh(w, column.consensus, self.penalty);
        // x ≤ a < 2^32 and a stored bond's proportion is at most 2^32: both rates apply.
        let old = self.keep.times(u16_proportion_bits(bond)) & column.bond_mask;
        (b, self.alpha.times(x).wrapping_add(old))
    }
}

/// Calls `f(j, w, bond)` for every column of the union of an aligned weight row and a
/// bond row whose stored columns strictly ascend, in column order; a side without an
/// entry at `j` gives [`MASKED`] or a bond of 0.
#[inline(always)]
fn merge(
    (w_entries, w_values): StoredRow<'_>,
    bonds: &[(u16, u16)],
    mut f: impl FnMut(usize, u32, u16),
) {
    let (mut p, mut q) = (0usize, 0usize);
    loop {
        let jw = w_entries.get(p).map_or(u32::MAX, |e| u32::from(e.0));
        let jb = bonds.get(q).map_or(u32::MAX, |e| u32::from(e.0));
        let j = jw.min(jb);
        if j == u32::MAX {
            break;
        }
        let (has_w, has_b) = (jw == j, jb == j);
        let w = match (has_w, w_values.get(p)) {
            (true, Some(&w)) => w,
            _ => MASKED,
        };
        let bond = match (has_b, bonds.get(q)) {
            (true, Some(&(_, b))) => b,
            _ => 0,
        };
        p = p.wrapping_add(usize::from(has_w));
        q = q.wrapping_add(usize::from(has_b));
        f(j as usize, w, bond);
    }
}

impl<'w> AlignedEma<'w> {
    /// Merges the aligned weight row with a bond row whose stored columns strictly
    /// ascend; appends the positive EMA entries to `out` and adds them to the column
    /// totals. On the way, clips the row (§4.8): adds `stake × clipped weight` to the
    /// ranks and returns the row's wrapping sum of clipped weights, its validator
    /// trust. A dropped or masked weight adds 0 to both. Rows must come in order (the
    /// sums saturate).
    #[inline(never)]
    pub(crate) fn row(
        &mut self,
        weights: StoredRow<'w>,
        bonds: &'w [(u16, u16)],
        stake: I32F32,
        out: &mut Csr,
    ) -> Result<I32F32, EpochError> {
        let (w_entries, w_values) = weights;
        // Both rows strictly ascend, so two rows listing every column `0..n` agree
        // without a compare per entry.
        let n = self.columns.len();
        let same_columns = (lists_columns(w_entries, 0..n) && lists_columns(bonds, 0..n))
            || (w_entries.len() == bonds.len()
                && w_entries.iter().zip(bonds).all(|(w, b)| w.0 == b.0));
        let stake_rate = proportion(stake).and_then(Rate::new);
        let zip = same_columns;
        if let (Some(stake), Some((cols, vals))) = (stake_rate, out.narrow_parts()) {
            let trust = if zip {
                zipped_row(
                    &mut self.columns,
                    self.rates,
                    (w_entries, w_values),
                    bonds,
                    stake,
                    cols,
                    vals,
                )
            } else {
                merged_row(
                    &mut self.columns,
                    self.rates,
                    (w_entries, w_values),
                    bonds,
                    stake,
                    cols,
                    vals,
                )
            };
            // Both rows' columns hold pending sums now.
            self.batched.add(w_entries);
            if !zip {
                self.batched.add(bonds);
            }
            out.finish_row()?;
            return Ok(I32F32::from_bits(trust as i64));
        }
        // A stake outside [0, 1] or a wide EMA: I32F32 ranks and saturating sums.
        self.flush();
        let (rates, columns, ranks) = (self.rates, &mut self.columns, &mut self.ranks);
        let mut trust = 0u64;
        merge((w_entries, w_values), bonds, |j, w, bond| {
            let (Some(column), Some(rank)) = (columns.get_mut(j), ranks.get_mut(j)) else {
                // Beyond n: a masked weight and a bond the registration mask drops.
                return;
            };
            let (b, v) = rates.entry(column, w, bond);
            // Clipped weights are below 2^32 and a row has under 2^32 entries: the u64
            // sum is exact and its bits are the chain's wrapping I32F32 sum.
            trust = trust.wrapping_add(b);
            *rank = rank.saturating_add(mul(stake, I32F32::from_bits(b as i64)));
            if v > 0 {
                let value = I32F32::from_bits(v as i64);
                out.push(j as u16, value);
                column.total = column.total.saturating_add(value);
            }
        });
        out.finish_row()?;
        Ok(I32F32::from_bits(trust as i64))
    }

    /// Adds the integer rows' pending sums to the saturating ones, which must happen
    /// before any other row adds to them (its terms may be negative or large).
    fn flush(&mut self) {
        fn settle(c: &mut Column, r: &mut I32F32) {
            // Pending sums are below 2^63 (see `Column`): valid I32F32 bits.
            c.total = c
                .total
                .saturating_add(I32F32::from_bits(c.pending_total as i64));
            *r = r.saturating_add(I32F32::from_bits(c.pending_rank as i64));
            c.pending_total = 0;
            c.pending_rank = 0;
        }
        let (columns, ranks) = (&mut self.columns, &mut self.ranks);
        self.batched.settle(columns.len(), |j| {
            if let (Some(c), Some(r)) = (columns.get_mut(j), ranks.get_mut(j)) {
                settle(c, r);
            }
        });
    }

    /// The ranks so far, for rows the general code clips (§4.9).
    pub(crate) fn ranks_mut(&mut self) -> &mut [I32F32] {
        self.flush();
        &mut self.ranks
    }

    /// Adds row `i` of `ema` (written by the general code) to the column totals.
    pub(crate) fn add_row(&mut self, ema: &Csr, i: usize) {
        self.flush();
        let columns = &mut self.columns;
        ema.for_each_in_row(i, |j, v| {
            if let Some(c) = columns.get_mut(j) {
                c.total = c.total.saturating_add(v);
            }
        });
    }

    /// The ranks and the EMA's column totals.
    pub(crate) fn into_sums(mut self) -> (Vec<I32F32>, Vec<I32F32>) {
        self.flush();
        (self.ranks, self.columns.iter().map(|c| c.total).collect())
    }
}

/// [`AlignedEma::row`] for rows whose columns differ, with a proportion stake: a merge
/// of the two ascending rows in integer steps, adding to the columns' pending sums and
/// appending the positive entries to a narrow [`Csr`]'s arrays; returns the row's
/// validator trust bits. An entry missing from one row acts as a weight of 0 (masked)
/// or a bond of 0, which adds nothing there.
#[inline(always)]
fn merged_row(
    columns: &mut [Column],
    rates: Rates,
    row: StoredRow<'_>,
    bonds: &[(u16, u16)],
    stake: Rate,
    cols: &mut Vec<u16>,
    vals: &mut Vec<u32>,
) -> u64 {
    let mut trust = 0u64;
    merge(row, bonds, |j, w, bond| {
        let Some(column) = columns.get_mut(j) else {
            // Beyond n: a masked weight and a bond the registration mask drops.
            return;
        };
        let (b, v) = rates.entry(column, w, bond);
        trust = trust.wrapping_add(b);
        column.pending_rank = column.pending_rank.wrapping_add(stake.times(b));
        if v > 0 {
            cols.push(j as u16);
            vals.push(v.wrapping_sub(1) as u32);
            column.pending_total = column.pending_total.wrapping_add(v);
        }
    });
    trust
}

/// [`AlignedEma::row`] for the usual full row: both rows list the same columns and the
/// stake is a proportion, so a zip in integer steps, adding to the columns' pending
/// sums. Appends to `cols` and `vals` (a narrow [`Csr`]'s arrays) without a
/// data-dependent branch; returns the row's validator trust bits.
#[inline(always)]
fn zipped_row(
    columns: &mut [Column],
    rates: Rates,
    (w_entries, w_values): StoredRow<'_>,
    bonds: &[(u16, u16)],
    stake: Rate,
    cols: &mut Vec<u16>,
    vals: &mut Vec<u32>,
) -> u64 {
    let mut trust = 0u64;
    let start = cols.len();
    let room = start.saturating_add(w_entries.len());
    cols.resize(room, 0);
    vals.resize(room, 0);
    let (Some(out_cols), Some(out_vals)) = (cols.get_mut(start..), vals.get_mut(start..)) else {
        return 0;
    };
    let mut kept = 0usize;
    // One entry: every step is arithmetic or a select, so the loop has no
    // data-dependent branch.
    let mut step = |column: &mut Column, j: u16, w: u32, bond: u16| {
        let (b, v) = rates.entry(column, w, bond);
        trust = trust.wrapping_add(b);
        column.pending_rank = column.pending_rank.wrapping_add(stake.times(b));
        column.pending_total = column.pending_total.wrapping_add(v);
        // Written unconditionally, kept only when positive. v ≤ 2^32 (module docs):
        // stored narrow as v − 1.
        if let (Some(c), Some(x)) = (out_cols.get_mut(kept), out_vals.get_mut(kept)) {
            *c = j;
            *x = v.wrapping_sub(1) as u32;
        }
        kept = kept.wrapping_add(usize::from(v > 0));
    };
    if lists_columns(w_entries, 0..columns.len()) {
        for (((column, &(j, _)), &w), &(_, bond)) in
            columns.iter_mut().zip(w_entries).zip(w_values).zip(bonds)
        {
            step(column, j, w, bond);
        }
    } else {
        for ((&(j, _), &w), &(_, bond)) in w_entries.iter().zip(w_values).zip(bonds) {
            if let Some(column) = columns.get_mut(usize::from(j)) {
                step(column, j, w, bond);
            }
        }
    }
    let end = start.saturating_add(kept);
    cols.truncate(end);
    vals.truncate(end);
    trust
}
