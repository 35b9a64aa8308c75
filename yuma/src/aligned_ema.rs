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
use crate::cpu::{self, Isa, Kernel};
use crate::epoch::{lists_columns, same_columns, StoredRow, MASKED};
use crate::error::EpochError;
use crate::proportion::{clip_and_weigh_lanes, clip_bound, proportion, Rate, ONE_BITS};
use crate::rows::{keep_positive, Csr};
use crate::spread::Spread;

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod wide;

/// The columns' inputs and running sums, one flat array each, so that the usual full
/// row is a loop of vector steps ([`FullRow`]).
#[derive(Clone)]
struct Columns {
    /// Consensus bits, a negative one as 0 (a clip treats them alike).
    bound: Vec<u64>,
    /// All ones when a stored bond towards this column survives the registration
    /// mask, else 0.
    bond_mask: Vec<u64>,
    /// `bound` capped at `u32::MAX` and `bond_mask` in 32 bits, for the kernel in
    /// 32-bit lanes (`wide`).
    narrow_bound: Vec<u32>,
    narrow_bond_mask: Vec<u32>,
    /// Saturating sums of the EMA entries emitted so far, in row order, up to the
    /// last [`AlignedEma::flush`].
    total: Vec<I32F32>,
    /// EMA entries and `stake × clipped weight` terms of the rows taken in integer
    /// steps (zipped or merged) since the last flush: plain sums of non-negative terms
    /// of at most 2^32 each, so exact in u64 for any number of rows below 2^31. Adding
    /// such a batch to a saturating sum in one step equals adding its terms one by one
    /// (none is negative).
    pending_total: Vec<u64>,
    pending_rank: Vec<u64>,
}

/// One column's constants, and its pending sums to add to.
struct ColumnAt<'c> {
    bound: u64,
    bond_mask: u64,
    pending_total: &'c mut u64,
    pending_rank: &'c mut u64,
}

impl Columns {
    fn len(&self) -> usize {
        self.bound.len()
    }

    /// Column `j`, when `j < n`.
    #[inline(always)]
    fn at(&mut self, j: usize) -> Option<ColumnAt<'_>> {
        Some(ColumnAt {
            bound: *self.bound.get(j)?,
            bond_mask: *self.bond_mask.get(j)?,
            pending_total: self.pending_total.get_mut(j)?,
            pending_rank: self.pending_rank.get_mut(j)?,
        })
    }
}

/// The per-epoch constants of the merge, and the sums built while rows are emitted:
/// the EMA's column totals and the ranks. A clone taken before any row starts a part
/// of the rows with the same constants.
#[derive(Clone)]
pub(crate) struct AlignedEma<'w> {
    columns: Columns,
    /// Saturating sums of `stake × clipped weight` so far, in row order (§4.9).
    ranks: Vec<I32F32>,
    /// The rows whose columns hold pending sums.
    batched: BatchedRows<'w>,
    rates: Rates,
    /// Room to lay a merged row over every column (see [`spread_row`]).
    spread: Spread,
}

/// The bonds penalty `p`, the EMA's `α` and `1 − α`.
#[derive(Clone, Copy)]
struct Rates {
    penalty: Rate,
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
        let n = consensus.len().min(bond_kept.len());
        let bound: Vec<u64> = consensus.iter().take(n).map(clip_bound).collect();
        let bond_mask: Vec<u64> = bond_kept
            .iter()
            .take(n)
            .map(|&kept| if kept { u64::MAX } else { 0 })
            .collect();
        let columns = Columns {
            narrow_bound: bound
                .iter()
                .map(|&b| b.min(u32::MAX.into()) as u32)
                .collect(),
            narrow_bond_mask: bond_mask.iter().map(|&m| m as u32).collect(),
            bound,
            bond_mask,
            total: vec![I32F32::ZERO; n],
            pending_total: vec![0; n],
            pending_rank: vec![0; n],
        };
        Some(Self {
            columns,
            ranks: vec![I32F32::ZERO; n],
            batched: BatchedRows::new(),
            // Laid out by the first row that needs it.
            spread: Spread::default(),
            rates: Rates {
                penalty: Rate::new(penalty)?,
                alpha: Rate::new(alpha)?,
                keep: Rate::new(ONE_BITS.wrapping_sub(alpha))?,
            },
        })
    }
}

impl Rates {
    /// The four rates' fractions when none is exactly 1, which the kernel in 32-bit
    /// lanes needs.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    fn fractions(&self, stake: Rate) -> Option<wide::Fractions> {
        Some(wide::Fractions {
            penalty: self.penalty.fraction_below_one()?,
            alpha: self.alpha.fraction_below_one()?,
            keep: self.keep.fraction_below_one()?,
            stake: stake.fraction_below_one()?,
        })
    }

    /// One entry of the merge, for a stored weight `w` ([`MASKED`] or missing counts
    /// as 0), its column's clip bound and bond mask, and a stored bond (a missing one
    /// counts as 0): the clipped weight `b` (§4.8) and the EMA value
    /// `⌊α·x⌋ + ⌊(1 − α)·P⌋` (module docs: at most 2^32), where `x = a − ⌈p·(a − b)⌉`
    /// is the weight for bonds (§4.10, [`crate::proportion::clip_and_weigh`]).
    ///
    /// Every step is arithmetic or a select on values below 2^32 (the products are
    /// 32 × 32 bits), so a loop of entries vectorises.
    #[inline(always)]
    fn entry(&self, bound: u64, bond_mask: u64, w: u32, bond: u16) -> (u64, u64) {
        let (b, x) = clip_and_weigh_lanes(w, bound, self.penalty);
        let old = self.keep.times_u16_proportion(bond) & bond_mask;
        (u64::from(b), self.alpha.times_u32(x).wrapping_add(old))
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
        let n = self.columns.len();
        let stake_rate = proportion(stake).and_then(Rate::new);
        if let (Some(stake), Some((cols, vals))) = (stake_rate, out.narrow_parts()) {
            // Both rows strictly ascend, so two rows listing every column `0..n` agree
            // without a compare per entry.
            let full = lists_columns(w_entries, 0..n) && lists_columns(bonds, 0..n);
            let trust = if full {
                full_row(
                    &mut self.columns,
                    self.rates,
                    (w_values, bonds),
                    stake,
                    cols,
                    vals,
                    Isa::Best,
                )
            } else {
                let same = same_columns(w_entries, bonds);
                // Different rows that together hold at least half the columns are laid
                // over all of them and take the vector loop: at most twice their
                // entries' steps, each far cheaper than a step of the merge.
                let trust = if !same && Spread::pays_off(w_entries.len(), bonds.len(), n) {
                    spread_row(
                        &mut self.columns,
                        &mut self.spread,
                        self.rates,
                        (weights, bonds),
                        stake,
                        (cols, vals),
                    )
                } else {
                    let row = if same { zipped_row } else { merged_row };
                    row(
                        &mut self.columns,
                        self.rates,
                        weights,
                        bonds,
                        stake,
                        cols,
                        vals,
                    )
                };
                if !same {
                    self.batched.add(bonds);
                }
                trust
            };
            // The weight row's columns (and a merged bond row's) hold pending sums now.
            self.batched.add(w_entries);
            out.finish_row()?;
            return Ok(I32F32::from_bits(trust as i64));
        }
        // A stake outside [0, 1] or a wide EMA: I32F32 ranks and saturating sums.
        self.flush();
        let rates = self.rates;
        let Columns {
            bound,
            bond_mask,
            total,
            ..
        } = &mut self.columns;
        let ranks = &mut self.ranks;
        let mut trust = 0u64;
        merge(weights, bonds, |j, w, bond| {
            let (Some(&bound), Some(&bond_mask), Some(total), Some(rank)) = (
                bound.get(j),
                bond_mask.get(j),
                total.get_mut(j),
                ranks.get_mut(j),
            ) else {
                // Beyond n: a masked weight and a bond the registration mask drops.
                return;
            };
            let (b, v) = rates.entry(bound, bond_mask, w, bond);
            // Clipped weights are below 2^32 and a row has under 2^32 entries: the u64
            // sum is exact and its bits are the chain's wrapping I32F32 sum.
            trust = trust.wrapping_add(b);
            *rank = rank.saturating_add(mul(stake, I32F32::from_bits(b as i64)));
            if v > 0 {
                let value = I32F32::from_bits(v as i64);
                out.push(j as u16, value);
                *total = total.saturating_add(value);
            }
        });
        out.finish_row()?;
        Ok(I32F32::from_bits(trust as i64))
    }

    /// Adds the integer rows' pending sums to the saturating ones, which must happen
    /// before any other row adds to them (its terms may be negative or large).
    fn flush(&mut self) {
        let Columns {
            total,
            pending_total,
            pending_rank,
            ..
        } = &mut self.columns;
        let ranks = &mut self.ranks;
        self.batched.settle(total.len(), |j| {
            if let (Some(t), Some(pt), Some(r), Some(pr)) = (
                total.get_mut(j),
                pending_total.get_mut(j),
                ranks.get_mut(j),
                pending_rank.get_mut(j),
            ) {
                // Pending sums are below 2^63 (see `Columns`): valid I32F32 bits.
                *t = t.saturating_add(I32F32::from_bits(*pt as i64));
                *r = r.saturating_add(I32F32::from_bits(*pr as i64));
                (*pt, *pr) = (0, 0);
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
        let totals = &mut self.columns.total;
        ema.for_each_in_row(i, |j, v| {
            if let Some(t) = totals.get_mut(j) {
                *t = t.saturating_add(v);
            }
        });
    }

    /// The ranks and the EMA's column totals.
    pub(crate) fn into_sums(mut self) -> (Vec<I32F32>, Vec<I32F32>) {
        self.flush();
        (self.ranks, self.columns.total)
    }
}

/// [`AlignedEma::row`] for rows whose columns differ, with a proportion stake: a merge
/// of the two ascending rows in integer steps, adding to the columns' pending sums and
/// appending the positive entries to a narrow [`Csr`]'s arrays; returns the row's
/// validator trust bits. An entry missing from one row acts as a weight of 0 (masked)
/// or a bond of 0, which adds nothing there.
#[inline(always)]
fn merged_row(
    columns: &mut Columns,
    rates: Rates,
    row: StoredRow<'_>,
    bonds: &[(u16, u16)],
    stake: Rate,
    cols: &mut Vec<u16>,
    vals: &mut Vec<u32>,
) -> u64 {
    let mut trust = 0u64;
    merge(row, bonds, |j, w, bond| {
        let Some(column) = columns.at(j) else {
            // Beyond n: a masked weight and a bond the registration mask drops.
            return;
        };
        let (b, v) = rates.entry(column.bound, column.bond_mask, w, bond);
        trust = trust.wrapping_add(b);
        *column.pending_rank = column.pending_rank.wrapping_add(stake.times(b));
        if v > 0 {
            cols.push(j as u16);
            vals.push(v.wrapping_sub(1) as u32);
            *column.pending_total = column.pending_total.wrapping_add(v);
        }
    });
    trust
}

/// [`merged_row`]'s entries, trust and sums by [`full_row`] over the rows laid over
/// every column ([`Spread`]): a column in neither row gives the clipped weight 0 and
/// the EMA value 0, which adds nothing to any sum and is not emitted, as between the
/// merge's entries; columns from `n` on are beyond every sum in both.
fn spread_row(
    columns: &mut Columns,
    spread: &mut Spread,
    rates: Rates,
    (weights, bonds): (StoredRow<'_>, &[(u16, u16)]),
    stake: Rate,
    (cols, vals): (&mut Vec<u16>, &mut Vec<u32>),
) -> u64 {
    let n = columns.len();
    spread.with(n, weights, bonds, |spread| {
        full_row(
            columns,
            rates,
            (&spread.weights, &spread.bonds),
            stake,
            cols,
            vals,
            Isa::Best,
        )
    })
}

/// [`AlignedEma::row`] for rows that list the same columns (not all of them) with a
/// proportion stake: a zip in integer steps, adding to the columns' pending sums.
/// Appends to `cols` and `vals` (a narrow [`Csr`]'s arrays) without a data-dependent
/// branch; returns the row's validator trust bits.
#[inline(always)]
fn zipped_row(
    columns: &mut Columns,
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
    for ((&(j, _), &w), &(_, bond)) in w_entries.iter().zip(w_values).zip(bonds) {
        let Some(column) = columns.at(usize::from(j)) else {
            continue;
        };
        let (b, v) = rates.entry(column.bound, column.bond_mask, w, bond);
        trust = trust.wrapping_add(b);
        *column.pending_rank = column.pending_rank.wrapping_add(stake.times(b));
        *column.pending_total = column.pending_total.wrapping_add(v);
        // Written unconditionally, kept only when positive. v ≤ 2^32 (module docs):
        // stored narrow as v − 1.
        if let (Some(c), Some(x)) = (out_cols.get_mut(kept), out_vals.get_mut(kept)) {
            *c = j;
            *x = v.wrapping_sub(1) as u32;
        }
        kept = kept.wrapping_add(usize::from(v > 0));
    }
    let end = start.saturating_add(kept);
    cols.truncate(end);
    vals.truncate(end);
    trust
}

/// [`AlignedEma::row`] for the usual row: weights and bonds both list every column
/// `0..n`, with a proportion stake. The row's entries are written in place as if all
/// were positive, by [`FullRow`] (the vector loop); the zero entries are then dropped
/// by [`keep_positive`]. Returns the row's validator trust bits. Inlined into both
/// callers (the full rows and the spread rows), which measured 2–3 % faster than one
/// shared call.
#[inline(always)]
fn full_row(
    columns: &mut Columns,
    rates: Rates,
    (weights, bonds): (&[u32], &[(u16, u16)]),
    stake: Rate,
    cols: &mut Vec<u16>,
    vals: &mut Vec<u32>,
    isa: Isa,
) -> u64 {
    let n = columns.len();
    let start = cols.len();
    // Columns 0..n fit u16 (n is a u16 count).
    cols.extend((0..n).map(|j| j as u16));
    vals.resize(start.saturating_add(n), 0);
    let Some(out) = vals.get_mut(start..) else {
        return 0;
    };
    let (trust, any_zero) = full_row_kernels(columns, rates, stake, (weights, bonds), out, isa);
    if any_zero {
        let Columns {
            bound, bond_mask, ..
        } = &*columns;
        keep_positive((cols, vals), start, (weights, bonds), |j, w, bond| {
            let j = usize::from(j);
            match (bound.get(j), bond_mask.get(j)) {
                (Some(&bound), Some(&mask)) => rates.entry(bound, mask, w, bond).1 > 0,
                _ => false,
            }
        });
    }
    trust
}

/// The entries of a full row written in place as if all were positive: the columns
/// from 0 on in 32-bit lanes (`wide`) when the rates allow and the CPU has them, the
/// rest by [`FullRow`]. Returns the trust bits and whether some entry is zero.
#[inline(always)]
fn full_row_kernels(
    columns: &mut Columns,
    rates: Rates,
    stake: Rate,
    (weights, bonds): (&[u32], &[(u16, u16)]),
    out: &mut [u32],
    isa: Isa,
) -> (u64, bool) {
    let Columns {
        bound,
        bond_mask,
        narrow_bound,
        narrow_bond_mask,
        pending_total,
        pending_rank,
        ..
    } = columns;
    #[allow(unused_mut)]
    let mut taken = (0u64, false, 0usize);
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    if let (Isa::Best, Some(fractions)) = (isa, rates.fractions(stake)) {
        let wide = wide::run(
            fractions,
            wide::Row {
                bound: narrow_bound,
                bond_mask: narrow_bond_mask,
                pending_total,
                pending_rank,
                weights,
                bonds,
                out,
            },
        );
        taken = (wide.trust, wide.any_zero, wide.columns);
    }
    #[cfg(not(all(feature = "std", target_arch = "x86_64")))]
    let _ = (narrow_bound, narrow_bond_mask);
    let (trust, any_zero, at) = taken;
    let rest = FullRow {
        bound: bound.get(at..).unwrap_or(&[]),
        bond_mask: bond_mask.get(at..).unwrap_or(&[]),
        pending_total: pending_total.get_mut(at..).unwrap_or(&mut []),
        pending_rank: pending_rank.get_mut(at..).unwrap_or(&mut []),
        rates,
        stake,
        weights: weights.get(at..).unwrap_or(&[]),
        bonds: bonds.get(at..).unwrap_or(&[]),
        out: out.get_mut(at..).unwrap_or(&mut []),
    };
    let (rest_trust, zeros) = cpu::run(isa, rest);
    (trust.wrapping_add(rest_trust), any_zero | (zeros > 0))
}

/// The loop of [`full_row`]: every column's entry, with the column's constants and
/// pending sums read by position. Every step is arithmetic on lanes, so it compiles
/// to vector instructions (see [`crate::cpu`]). Returns the trust bits and how many
/// entries are zero (written as if positive).
struct FullRow<'k> {
    bound: &'k [u64],
    bond_mask: &'k [u64],
    pending_total: &'k mut [u64],
    pending_rank: &'k mut [u64],
    rates: Rates,
    stake: Rate,
    weights: &'k [u32],
    bonds: &'k [(u16, u16)],
    out: &'k mut [u32],
}

impl Kernel for FullRow<'_> {
    type Output = (u64, usize);

    #[inline(always)]
    fn run(self) -> (u64, usize) {
        let (rates, stake) = (self.rates, self.stake);
        let (mut trust, mut zeros) = (0u64, 0usize);
        let constants = self.bound.iter().zip(self.bond_mask.iter());
        let sums = self
            .pending_total
            .iter_mut()
            .zip(self.pending_rank.iter_mut());
        let entries = self.weights.iter().zip(self.bonds).zip(self.out.iter_mut());
        for (((&bound, &bond_mask), (total, rank)), ((&w, &(_, bond)), out)) in
            constants.zip(sums).zip(entries)
        {
            let (b, v) = rates.entry(bound, bond_mask, w, bond);
            trust = trust.wrapping_add(b);
            *rank = rank.wrapping_add(stake.times_u32(b as u32));
            *total = total.wrapping_add(v);
            // v ≤ 2^32 (module docs): stored narrow as v − 1.
            *out = v.wrapping_sub(1) as u32;
            zeros = zeros.wrapping_add(usize::from(v == 0));
        }
        (trust, zeros)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Columns with random clip bounds (a few negative consensus values included) and
    /// bond masks.
    fn columns(n: usize, seed: u64) -> Columns {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            state >> 16
        };
        let consensus: Vec<I32F32> = (0..n)
            .map(|_| I32F32::from_bits((next() % (1 << 33)) as i64 - (1 << 30)))
            .collect();
        let kept: Vec<bool> = (0..n).map(|_| next() % 4 != 0).collect();
        let fast = AlignedEma::new(&consensus, &kept, I32F32::ZERO, I32F32::ONE);
        // Penalty 0 and α 1 are proportions: never None.
        fast.map(|f| f.columns).expect("columns")
    }

    /// A weight: masked, 0, or a value below 2^32 − 1.
    fn weight() -> impl Strategy<Value = u32> {
        prop_oneof![
            Just(MASKED),
            Just(0u32),
            Just(u32::MAX - 1),
            0u32..(1 << 26),
            any::<u32>().prop_map(|w| w.min(u32::MAX - 1))
        ]
    }

    fn bond() -> impl Strategy<Value = u16> {
        prop_oneof![Just(0u16), Just(u16::MAX), any::<u16>()]
    }

    fn rate() -> impl Strategy<Value = u64> {
        prop_oneof![Just(0u64), Just(ONE_BITS), 0u64..=ONE_BITS]
    }

    proptest! {
        /// The vector loop of a full row equals the zip that looks each column up,
        /// on both compiled copies: entries (zeros removed), trust and pending sums.
        #[test]
        fn full_rows_equal_zipped_rows(
            entries in proptest::collection::vec((weight(), bond()), 1..70),
            seed in any::<u64>(),
            (penalty, alpha, stake) in (rate(), rate(), rate()),
        ) {
            let n = entries.len();
            let mut base = columns(n, seed);
            let (Some(penalty), Some(alpha), Some(keep), Some(stake)) = (
                Rate::new(penalty),
                Rate::new(alpha),
                Rate::new(ONE_BITS - alpha),
                Rate::new(stake),
            ) else {
                return Err(TestCaseError::fail("rates"));
            };
            let rates = Rates { penalty, alpha, keep };
            let w_entries: Vec<(u16, u16)> = (0..n).map(|j| (j as u16, 0)).collect();
            let weights: Vec<u32> = entries.iter().map(|e| e.0).collect();
            let bonds: Vec<(u16, u16)> = entries.iter().enumerate().map(|(j, e)| (j as u16, e.1)).collect();

            let mut zipped = base.clone();
            let (mut zc, mut zv) = (vec![7u16], vec![7u32]);
            let zt = zipped_row(&mut zipped, rates, (&w_entries, &weights), &bonds, stake, &mut zc, &mut zv);
            let (mut fc, mut fv) = (vec![7u16], vec![7u32]);
            let ft = full_row(&mut base, rates, (&weights, &bonds), stake, &mut fc, &mut fv, Isa::Best);
            prop_assert_eq!(ft, zt);
            prop_assert_eq!(&fc, &zc);
            prop_assert_eq!(&fv, &zv);
            prop_assert_eq!(&base.pending_total, &zipped.pending_total);
            prop_assert_eq!(&base.pending_rank, &zipped.pending_rank);

            // The kernels alone, on each instruction set (the best one takes the
            // columns from 0 on in 32-bit lanes when the rates allow).
            let kernel_on = |isa| {
                let mut c = columns(n, seed);
                let mut out = vec![0u32; n];
                let result = full_row_kernels(&mut c, rates, stake, (&weights, &bonds), &mut out, isa);
                (result, out, c.pending_total, c.pending_rank)
            };
            prop_assert_eq!(kernel_on(Isa::Baseline), kernel_on(Isa::Best));
        }

        /// A merged row laid over every column gives the merge's entries, trust and
        /// pending sums: rows of any two column sets (each strictly ascending, some
        /// columns beyond n), any weights and bonds (a bond of 65535 with α = 0 is an
        /// EMA value of exactly 2^32), and the spread is left clear for the next row.
        #[test]
        fn spread_rows_equal_merged_rows(
            n in 1usize..90,
            weight_row in proptest::collection::vec((any::<bool>(), weight()), 100),
            bond_row in proptest::collection::vec((any::<bool>(), bond()), 100),
            seed in any::<u64>(),
            (penalty, alpha, stake) in (rate(), rate(), rate()),
        ) {
            let (Some(penalty), Some(alpha_rate), Some(keep), Some(stake)) = (
                Rate::new(penalty),
                Rate::new(alpha),
                Rate::new(ONE_BITS - alpha),
                Rate::new(stake),
            ) else {
                return Err(TestCaseError::fail("rates"));
            };
            let rates = Rates { penalty, alpha: alpha_rate, keep };
            // Columns up to n + 9: some entries lie beyond every sum.
            let width = n + 10;
            let w_entries: Vec<(u16, u16)> = (0..width)
                .filter(|&j| weight_row[j].0)
                .map(|j| (j as u16, 0))
                .collect();
            let w_values: Vec<u32> = (0..width).filter(|&j| weight_row[j].0).map(|j| weight_row[j].1).collect();
            let bonds: Vec<(u16, u16)> = (0..width)
                .filter(|&j| bond_row[j].0)
                .map(|j| (j as u16, bond_row[j].1))
                .collect();

            let mut merged = columns(n, seed);
            let (mut mc, mut mv) = (vec![7u16], vec![7u32]);
            let mt = merged_row(&mut merged, rates, (&w_entries, &w_values), &bonds, stake, &mut mc, &mut mv);

            let mut spread_columns = columns(n, seed);
            let mut spread = Spread::default();
            // Laid out by a first (empty) row, so that its clear state can be read.
            spread.with(n, (&[], &[]), &[], |_| ());
            let clear = (spread.weights.clone(), spread.bonds.clone());
            let (mut sc, mut sv) = (vec![7u16], vec![7u32]);
            let st = spread_row(
                &mut spread_columns,
                &mut spread,
                rates,
                ((&w_entries, &w_values), &bonds),
                stake,
                (&mut sc, &mut sv),
            );
            prop_assert_eq!(st, mt);
            prop_assert_eq!(&sc, &mc);
            prop_assert_eq!(&sv, &mv);
            prop_assert_eq!(&spread_columns.pending_total, &merged.pending_total);
            prop_assert_eq!(&spread_columns.pending_rank, &merged.pending_rank);
            prop_assert_eq!((spread.weights, spread.bonds), clear);
        }

        /// One entry's integer steps equal the chain's I32F32 steps: clip, weight for
        /// bonds, the EMA of a proportion bond.
        #[test]
        fn entry_equals_the_fixed_steps(
            w in weight(),
            c in prop_oneof![Just(0i64), Just(-1i64), Just(1i64 << 32), -(1i64 << 33)..(1i64 << 33)],
            (penalty, alpha) in (rate(), rate()),
            bond in bond(),
            kept in any::<bool>(),
        ) {
            use crate::arith::{mul, u16_proportion};
            let (Some(p), Some(a_rate), Some(keep)) =
                (Rate::new(penalty), Rate::new(alpha), Rate::new(ONE_BITS - alpha))
            else {
                return Err(TestCaseError::fail("rates"));
            };
            let rates = Rates { penalty: p, alpha: a_rate, keep };
            let consensus = I32F32::from_bits(c);
            let (b, v) = rates.entry(clip_bound(&consensus), if kept { u64::MAX } else { 0 }, w, bond);

            let a = I32F32::from_bits(if w == MASKED { 0 } else { i64::from(w) });
            let clipped = crate::epoch::clip(a, consensus).unwrap_or(I32F32::ZERO);
            let for_bonds = a.saturating_add(mul(I32F32::from_bits(penalty as i64), clipped.saturating_sub(a)));
            let alpha_fixed = I32F32::from_bits(alpha as i64);
            let mut ema = mul(alpha_fixed, for_bonds);
            if kept {
                ema = ema.saturating_add(mul(I32F32::ONE.saturating_sub(alpha_fixed), u16_proportion(bond)));
            }
            prop_assert_eq!(b as i64, clipped.to_bits());
            prop_assert_eq!(v as i64, ema.to_bits());
        }
    }
}
