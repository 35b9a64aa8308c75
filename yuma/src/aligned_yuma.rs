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

use crate::arith::{part_quotient, PartDivisor, RowDivisor};
use crate::batches::BatchedRows;
use crate::cpu::{self, Isa, Kernel};
use crate::epoch::{lists_columns, StoredRow};
use crate::proportion::{clip_and_weigh_lanes, clip_bound, proportion, Rate, ONE_BITS};
use crate::rows::keep_positive;

/// The clipping pass (§4.8–§4.9 and ΔB's column sums of §4.11) on aligned rows.
///
/// Its terms — `stake × clipped weight` for the ranks, `weight for bonds × stake` for
/// ΔB's column totals — are non-negative and at most 2^32, so they gather in exact
/// per-column u64 batches; [`YumaClip::flush`] adds them to the saturating sums (see
/// [`crate::batches`]) and must run before any general row adds to those.
pub(crate) struct YumaClip<'w> {
    sums: ClipSums,
    penalty: Rate,
    batched: BatchedRows<'w>,
}

/// The clip bounds and the pending sums, one flat array each, so that a row of every
/// column is a loop of vector steps ([`ClipRow`]).
struct ClipSums {
    bound: Vec<u64>,
    pending_rank: Vec<u64>,
    pending_delta: Vec<u64>,
}

impl<'w> YumaClip<'w> {
    /// `None` unless the bonds penalty is a proportion.
    pub(crate) fn new(consensus: &[I32F32], penalty: I32F32) -> Option<Self> {
        Some(Self {
            sums: ClipSums {
                bound: consensus.iter().map(clip_bound).collect(),
                pending_rank: vec![0; consensus.len()],
                pending_delta: vec![0; consensus.len()],
            },
            penalty: Rate::new(proportion(penalty)?)?,
            batched: BatchedRows::new(),
        })
    }

    /// Clips an aligned row of a validator with the given stake and returns its
    /// validator trust (the wrapping sum of clipped weights); `None` when the stake is
    /// not a proportion (the row is then the general code's).
    pub(crate) fn row(&mut self, row: StoredRow<'w>, stake: I32F32) -> Option<I32F32> {
        self.row_on(row, stake, Isa::Best)
    }

    /// [`Self::row`] with its loop compiled for `isa` (the tests run both copies).
    fn row_on(&mut self, row: StoredRow<'w>, stake: I32F32, isa: Isa) -> Option<I32F32> {
        let stake = Rate::new(proportion(stake)?)?;
        self.batched.add(row.0);
        let kernel = ClipRow {
            sums: &mut self.sums,
            penalty: self.penalty,
            stake,
            row,
        };
        // Clipped weights are below 2^32 and a row has under 2^32 entries: the u64 sum
        // is exact and its bits are the chain's wrapping I32F32 sum.
        Some(I32F32::from_bits(cpu::run(isa, kernel) as i64))
    }

    /// Adds the batches to the saturating sums and empties them.
    pub(crate) fn flush(&mut self, ranks: &mut [I32F32], delta_totals: &mut [I32F32]) {
        let ClipSums {
            pending_rank,
            pending_delta,
            ..
        } = &mut self.sums;
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

/// The loop of [`YumaClip::row`]: per entry the clipped weight `b` and the weight for
/// bonds `x`, `stake × b` to the column's rank and `x × stake` to its ΔB total. A row
/// of every column reads the columns by position (vector steps); returns the trust
/// bits.
struct ClipRow<'k> {
    sums: &'k mut ClipSums,
    penalty: Rate,
    stake: Rate,
    row: StoredRow<'k>,
}

impl Kernel for ClipRow<'_> {
    type Output = u64;

    #[inline(always)]
    fn run(self) -> u64 {
        let ClipSums {
            bound,
            pending_rank,
            pending_delta,
        } = self.sums;
        let (penalty, stake) = (self.penalty, self.stake);
        let (entries, values) = self.row;
        let mut trust = 0u64;
        if lists_columns(entries, 0..bound.len()) {
            let sums = pending_rank.iter_mut().zip(pending_delta.iter_mut());
            for ((&bound, (rank, delta)), &w) in bound.iter().zip(sums).zip(values) {
                let (b, x) = clip_and_weigh_lanes(w, bound, penalty);
                trust = trust.wrapping_add(u64::from(b));
                *rank = rank.wrapping_add(stake.times_u32(b));
                *delta = delta.wrapping_add(stake.times_u32(x));
            }
        } else {
            for (&(j, _), &w) in entries.iter().zip(values) {
                let j = usize::from(j);
                let (Some(&bound), Some(rank), Some(delta)) = (
                    bound.get(j),
                    pending_rank.get_mut(j),
                    pending_delta.get_mut(j),
                ) else {
                    // Beyond n: a removed weight.
                    continue;
                };
                let (b, x) = clip_and_weigh_lanes(w, bound, penalty);
                trust = trust.wrapping_add(u64::from(b));
                *rank = rank.wrapping_add(stake.times_u32(b));
                *delta = delta.wrapping_add(stake.times_u32(x));
            }
        }
        trust
    }
}

/// The columns' constants of the EMA, one flat array each (which the vector loop
/// loads).
struct EmaColumns {
    bound: Vec<u64>,
    /// ΔB's column total and `2^32 / total` ([`part_quotient`]); 0 and 0 for a zero
    /// total (which divides nothing: its entries are 0, and any other fails the row).
    delta_total: Vec<u64>,
    delta_scale: Vec<f64>,
    /// The stored bonds' column sum as a [`RowDivisor`]'s parts; a zero sum (every
    /// stored bond of the column is then 0) as `v·2^32`, no division.
    bond_excess: Vec<u64>,
    bond_down: Vec<u32>,
    bond_up: Vec<u32>,
    /// All ones when stored bonds towards this column survive the registration mask.
    kept: Vec<u64>,
}

/// Original Yuma's EMA rows (§4.11) for aligned weight rows whose bond row lists the
/// same columns.
pub(crate) struct YumaEma {
    columns: EmaColumns,
    penalty: Rate,
    alpha: Rate,
    keep: Rate,
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
        let n = consensus
            .len()
            .min(delta_totals.len())
            .min(bond_totals.len())
            .min(bond_kept.len());
        let mut columns = EmaColumns {
            bound: Vec::with_capacity(n),
            delta_total: Vec::with_capacity(n),
            delta_scale: Vec::with_capacity(n),
            bond_excess: Vec::with_capacity(n),
            bond_down: Vec::with_capacity(n),
            bond_up: Vec::with_capacity(n),
            kept: Vec::with_capacity(n),
        };
        for (((c, d), t), &kept) in consensus
            .iter()
            .zip(delta_totals)
            .zip(bond_totals)
            .zip(bond_kept)
        {
            // A zero total divides only zero entries (to 0), as a total of 0 with a
            // scale of 0 does; any other entry fails the row.
            let (total, scale) = if *d == I32F32::ZERO {
                (0, 0.0)
            } else {
                PartDivisor::new(*d)?.raw()
            };
            let (excess, down, up) = match t.to_bits() {
                0 => (0, 0, 32),
                bits if bits & 0xffff_ffff == 0 => RowDivisor::new((bits >> 32) as u64)?.parts(),
                _ => return None,
            };
            columns.bound.push(clip_bound(c));
            columns.delta_total.push(total);
            columns.delta_scale.push(scale);
            columns.bond_excess.push(excess);
            columns.bond_down.push(down);
            columns.bond_up.push(up);
            columns.kept.push(if kept { u64::MAX } else { 0 });
        }
        let alpha = proportion(alpha)?;
        Some(Self {
            columns,
            penalty: Rate::new(proportion(penalty)?)?,
            alpha: Rate::new(alpha)?,
            keep: Rate::new(ONE_BITS.wrapping_sub(alpha))?,
        })
    }

    /// Appends one row of the EMA, `α·ΔB + (1 − α)·B` per column, its positive entries
    /// in the rows' column order, to a narrow matrix's arrays (values stored as
    /// `bits − 1`); `false` when the stake is not a proportion or a quotient leaves
    /// `[0, 1]` (then nothing was appended and the row is the general code's).
    pub(crate) fn row(
        &self,
        weights: StoredRow<'_>,
        bonds: &[(u16, u16)],
        stake: I32F32,
        out: (&mut Vec<u16>, &mut Vec<u32>),
    ) -> bool {
        self.row_on(weights, bonds, stake, out, Isa::Best)
    }

    /// [`Self::row`] with its loop compiled for `isa` (the tests run both copies).
    fn row_on(
        &self,
        weights: StoredRow<'_>,
        bonds: &[(u16, u16)],
        stake: I32F32,
        (cols, vals): (&mut Vec<u16>, &mut Vec<u32>),
        isa: Isa,
    ) -> bool {
        let Some(stake) = proportion(stake).and_then(Rate::new) else {
            return false;
        };
        let (entries, values) = weights;
        // Every entry is written as if it were kept, then the zero ones are dropped.
        let start = cols.len();
        cols.extend(entries.iter().map(|e| e.0));
        vals.resize(cols.len(), 0);
        let Some(out) = vals.get_mut(start..) else {
            cols.truncate(start);
            return false;
        };
        let kernel = EmaRow {
            ema: self,
            stake,
            weights: (entries, values),
            bonds,
            out,
        };
        let (valid, zeros) = cpu::run(isa, kernel);
        if !valid {
            cols.truncate(start);
            vals.truncate(start);
            return false;
        }
        if zeros > 0 {
            keep_positive((cols, vals), start, (values, bonds), |j, w, bond| {
                self.column(usize::from(j))
                    .is_some_and(|column| self.entry(column, w, bond, stake).0 > 0)
            });
        }
        true
    }

    /// Column `j`'s constants, when `j < n`.
    #[inline(always)]
    fn column(&self, j: usize) -> Option<EmaColumn> {
        let c = &self.columns;
        Some(EmaColumn {
            bound: *c.bound.get(j)?,
            total: *c.delta_total.get(j)?,
            scale: *c.delta_scale.get(j)?,
            excess: *c.bond_excess.get(j)?,
            down: *c.bond_down.get(j)?,
            up: *c.bond_up.get(j)?,
            kept: *c.kept.get(j)?,
        })
    }

    /// One entry: the EMA value `⌊α·δ⌋ + ⌊(1 − α)·P⌋` (at most 2^32) of ΔB's
    /// normalised entry `δ` and the prepared bond `P`, and whether both quotients are
    /// within `[0, 1]` (a ΔB entry is part of its column's total and a stored bond
    /// part of its column's sum, so they are unless a general row made a total
    /// smaller than its parts).
    #[inline(always)]
    fn entry(&self, column: EmaColumn, w: u32, bond: u16, stake: Rate) -> (u64, bool) {
        let (_, x) = clip_and_weigh_lanes(w, column.bound, self.penalty);
        // x < 2^32 and the stake is at most 1.
        let share = stake.times_u32(x);
        let (delta, fits) =
            part_quotient(column.total, column.scale, share, f64::from(share as u32));
        let bond = u64::from(bond);
        // 17 ≤ down ≤ 47 and 1 ≤ up ≤ 31, or 0 and 32 for no division: plain shifts
        // (the masks change nothing).
        let prepared = (bond.wrapping_mul(column.excess) >> (column.down & 63))
            .wrapping_add(bond << (column.up & 63));
        let old = self.keep.times(prepared) & column.kept;
        let e = self.alpha.times(delta).wrapping_add(old);
        (e, fits & (prepared <= ONE_BITS))
    }
}

/// One column's constants, read from [`EmaColumns`].
#[derive(Clone, Copy)]
struct EmaColumn {
    bound: u64,
    total: u64,
    scale: f64,
    excess: u64,
    down: u32,
    up: u32,
    kept: u64,
}

/// The loop of [`YumaEma::row`]: every entry's EMA value written as `e − 1` in
/// `out`, whether every entry is valid, and how many are zero. A row of every column
/// reads the columns by position (vector steps).
struct EmaRow<'k> {
    ema: &'k YumaEma,
    stake: Rate,
    weights: StoredRow<'k>,
    bonds: &'k [(u16, u16)],
    out: &'k mut [u32],
}

impl Kernel for EmaRow<'_> {
    type Output = (bool, usize);

    #[inline(always)]
    fn run(self) -> (bool, usize) {
        let EmaColumns {
            bound,
            delta_total,
            delta_scale,
            bond_excess,
            bond_down,
            bond_up,
            kept,
        } = &self.ema.columns;
        let (entries, values) = self.weights;
        let (ema, stake) = (self.ema, self.stake);
        let (mut valid, mut zeros) = (true, 0usize);
        if lists_columns(entries, 0..bound.len()) {
            let columns = bound
                .iter()
                .zip(delta_total.iter().zip(delta_scale))
                .zip(bond_excess.iter().zip(bond_down).zip(bond_up))
                .zip(kept);
            let row = values.iter().zip(self.bonds).zip(self.out.iter_mut());
            for (column, ((&w, &(_, bond)), out)) in columns.zip(row) {
                let (((&bound, (&total, &scale)), ((&excess, &down), &up)), &kept) = column;
                let column = EmaColumn {
                    bound,
                    total,
                    scale,
                    excess,
                    down,
                    up,
                    kept,
                };
                let (e, ok) = ema.entry(column, w, bond, stake);
                valid &= ok;
                zeros = zeros.wrapping_add(usize::from(e == 0));
                *out = e.wrapping_sub(1) as u32;
            }
        } else {
            let row = entries.iter().zip(values).zip(self.bonds);
            for (((&(j, _), &w), &(_, bond)), out) in row.zip(self.out.iter_mut()) {
                // Beyond n: nothing to store (the weight is removed, the bond dropped
                // by the mask), a zero entry.
                let (e, ok) = ema
                    .column(usize::from(j))
                    .map_or((0, true), |column| ema.entry(column, w, bond, stake));
                valid &= ok;
                zeros = zeros.wrapping_add(usize::from(e == 0));
                *out = e.wrapping_sub(1) as u32;
            }
        }
        (valid, zeros)
    }
}

/// The stored bonds' column sums (§4.11.2), the chain's saturating I32F32 sums of
/// `v·2^32` over the bonds the registration mask keeps (`kept[j]`), rows `0..n`.
/// The terms are non-negative, so the saturating sum is the exact u64 sum of the
/// u16 values (below 2^32 for under 2^16 rows), shifted and capped.
pub(crate) fn stored_bond_sums<'r>(
    rows: impl Iterator<Item = &'r [(u16, u16)]>,
    kept: &[bool],
) -> Vec<I32F32> {
    stored_bond_sums_on(rows, kept, Isa::Best)
}

/// [`stored_bond_sums`] with its loop compiled for `isa` (the tests run both copies).
fn stored_bond_sums_on<'r>(
    rows: impl Iterator<Item = &'r [(u16, u16)]>,
    kept: &[bool],
    isa: Isa,
) -> Vec<I32F32> {
    let mask: Vec<u64> = kept.iter().map(|&k| if k { u64::MAX } else { 0 }).collect();
    let mut sums = vec![0u64; kept.len()];
    for row in rows {
        cpu::run(
            isa,
            BondSums {
                row,
                mask: &mask,
                sums: &mut sums,
            },
        );
    }
    sums.iter()
        .map(|&s| {
            let bits = u128::from(s) << 32;
            I32F32::from_bits(i64::try_from(bits).unwrap_or(i64::MAX))
        })
        .collect()
}

/// One row of [`stored_bond_sums`]: by position when its columns are exactly `0..n`
/// in order (checked: stored rows may come in any order), else by index.
struct BondSums<'k> {
    row: &'k [(u16, u16)],
    mask: &'k [u64],
    sums: &'k mut [u64],
}

impl Kernel for BondSums<'_> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let (row, mask, sums) = (self.row, self.mask, self.sums);
        let in_order = row.len() == sums.len()
            && row
                .iter()
                .enumerate()
                .fold(true, |ok, (j, &(c, _))| ok & (usize::from(c) == j));
        if in_order {
            for ((s, &m), &(_, v)) in sums.iter_mut().zip(mask).zip(row) {
                *s = s.wrapping_add(u64::from(v) & m);
            }
        } else {
            for &(j, v) in row {
                let j = usize::from(j);
                if let (Some(s), Some(&m)) = (sums.get_mut(j), mask.get(j)) {
                    *s = s.wrapping_add(u64::from(v) & m);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::epoch::MASKED;
    use crate::proportion::{clip_and_weigh, mul_floor};
    use proptest::prelude::*;

    /// A row of `n` columns (every column, or some of them and one beyond `n`), with
    /// weights (removed ones too) and bonds.
    fn row(n: usize) -> impl Strategy<Value = Vec<(u16, u32, u16)>> {
        let weight = prop_oneof![
            Just(0u32),
            Just(MASKED),
            Just(u32::MAX - 1),
            any::<u32>().prop_map(|w| w.min(u32::MAX - 1))
        ];
        let bond = prop_oneof![Just(0u16), Just(u16::MAX), any::<u16>()];
        (
            proptest::collection::vec((any::<bool>(), weight, bond), n + 1),
            any::<bool>(),
        )
            .prop_map(move |(entries, full)| {
                entries
                    .into_iter()
                    .enumerate()
                    .filter(|&(j, (keep, _, _))| if full { j < n } else { keep })
                    .map(|(j, (_, w, b))| (j as u16, w, b))
                    .collect()
            })
    }

    fn rate() -> impl Strategy<Value = u64> {
        prop_oneof![
            Just(0u64),
            Just(ONE_BITS),
            Just(ONE_BITS - 1),
            0u64..=ONE_BITS
        ]
    }

    /// Columns: consensus, ΔB total, bond sum (integer), bond kept.
    type Column = (i64, i64, i64, bool);
    type Setup = (usize, Vec<(u16, u32, u16)>, Vec<Column>, (u64, u64, u64));

    fn setup() -> impl Strategy<Value = Setup> {
        (1usize..24).prop_flat_map(|n| {
            let column = (
                prop_oneof![
                    Just(0i64),
                    Just(-1i64),
                    Just(1i64 << 32),
                    -(1i64 << 33)..(1i64 << 33)
                ],
                prop_oneof![Just(0i64), 1i64..1 << 20, 1i64..1 << 36],
                prop_oneof![Just(0i64), 1i64..1 << 17],
                any::<bool>(),
            );
            (
                Just(n),
                row(n),
                proptest::collection::vec(column, n),
                (rate(), rate(), rate()),
            )
        })
    }

    proptest! {
        /// The stored bonds' column sums equal the chain's saturating I32F32 sums over
        /// the kept bonds, for rows in order, unsorted, repeated or beyond n.
        #[test]
        fn stored_bond_sums_equal_the_fixed_sums(
            n in 1usize..20,
            rows in proptest::collection::vec(
                prop_oneof![
                    proptest::collection::vec(any::<u16>(), 20).prop_map(|v| v.into_iter().enumerate().map(|(j, v)| (j as u16, v)).collect::<Vec<_>>()),
                    proptest::collection::vec((0u16..24, any::<u16>()), 0..30),
                ],
                0..8,
            ),
            kept in proptest::collection::vec(any::<bool>(), 20),
        ) {
            let rows: Vec<Vec<(u16, u16)>> = rows
                .into_iter()
                .map(|r| if r.len() == 20 { r.into_iter().take(n).collect() } else { r })
                .collect();
            let kept = &kept[..n];
            let mut expected = vec![I32F32::ZERO; n];
            for row in &rows {
                for &(j, v) in row {
                    if let (Some(s), Some(true)) = (expected.get_mut(usize::from(j)), kept.get(usize::from(j))) {
                        *s = s.saturating_add(I32F32::from_bits(i64::from(v) << 32));
                    }
                }
            }
            for isa in [Isa::Baseline, Isa::Best] {
                let got = stored_bond_sums_on(rows.iter().map(|r| r.as_slice()), kept, isa);
                prop_assert_eq!(&got, &expected, "{:?}", isa);
            }
        }

        /// The EMA row equals the per-entry integer steps it replaced (each proven
        /// equal to the chain's I32F32 steps in `proportion`), on both instruction sets;
        /// it refuses only rows those steps refuse or a zero ΔB total with a positive
        /// entry (which the general code then takes).
        #[test]
        fn ema_row_equals_the_entry_steps((_n, row, columns, (penalty, alpha, stake)) in setup()) {
            let consensus: Vec<I32F32> = columns.iter().map(|c| I32F32::from_bits(c.0)).collect();
            let delta: Vec<I32F32> = columns.iter().map(|c| I32F32::from_bits(c.1)).collect();
            let bond_sums: Vec<I32F32> = columns.iter().map(|c| I32F32::from_bits(c.2 << 32)).collect();
            let kept: Vec<bool> = columns.iter().map(|c| c.3).collect();
            let Some(ema) = YumaEma::new(
                &consensus, &delta, &bond_sums, &kept,
                I32F32::from_bits(penalty as i64), I32F32::from_bits(alpha as i64),
            ) else {
                return Err(TestCaseError::fail("parameters in range"));
            };
            // The reference: the entry steps of the scalar code this replaced.
            let mut expected = Some(Vec::new());
            let mut zero_total_share = false;
            for &(j, w, bond) in &row {
                let Some(&(c, d, t, k)) = columns.get(usize::from(j)) else { continue };
                let (_, x) = clip_and_weigh(w, clip_bound(&I32F32::from_bits(c)), penalty);
                let share = mul_floor(x, stake);
                zero_total_share |= d == 0 && share > 0;
                let delta = if d == 0 { Some(share) } else { PartDivisor::new(I32F32::from_bits(d)).and_then(|p| p.divide(share)) };
                let prepared = if t == 0 { u64::from(bond) << 32 } else { RowDivisor::new(t as u64).map_or(u64::MAX, |r| r.divide(bond)) };
                match (delta, prepared <= ONE_BITS, expected.as_mut()) {
                    (Some(delta), true, Some(out)) => {
                        let old = mul_floor(ONE_BITS - alpha, prepared) & if k { u64::MAX } else { 0 };
                        let e = mul_floor(alpha, delta) + old;
                        if e > 0 {
                            out.push((j, (e - 1) as u32));
                        }
                    }
                    _ => expected = None,
                }
            }
            let weights: Vec<(u16, u16)> = row.iter().map(|&(j, _, _)| (j, 0)).collect();
            let values: Vec<u32> = row.iter().map(|&(_, w, _)| w).collect();
            let bonds: Vec<(u16, u16)> = row.iter().map(|&(j, _, b)| (j, b)).collect();
            for isa in [Isa::Baseline, Isa::Best] {
                let (mut cols, mut vals) = (vec![9u16], vec![9u32]);
                let done = ema.row_on((&weights, &values), &bonds, I32F32::from_bits(stake as i64), (&mut cols, &mut vals), isa);
                match (&expected, done) {
                    (Some(out), true) => {
                        let got: Vec<(u16, u32)> = cols[1..].iter().copied().zip(vals[1..].iter().copied()).collect();
                        prop_assert_eq!(&got, out, "{:?}", isa);
                    }
                    (_, false) => {
                        prop_assert!(expected.is_none() || zero_total_share, "{:?} refused a valid row", isa);
                        prop_assert_eq!((&cols, &vals), (&vec![9u16], &vec![9u32]));
                    }
                    (None, true) => prop_assert!(false, "{:?} took an invalid row", isa),
                }
            }
        }

        /// The clipping row equals the per-entry integer steps on both instruction
        /// sets: trust, and after the flush the ranks and ΔB totals.
        #[test]
        fn clip_row_equals_the_entry_steps((n, row, columns, (penalty, _, stake)) in setup()) {
            let consensus: Vec<I32F32> = columns.iter().map(|c| I32F32::from_bits(c.0)).collect();
            let mut trust = 0u64;
            let mut ranks = vec![0u64; n];
            let mut deltas = vec![0u64; n];
            for &(j, w, _) in &row {
                let Some(&(c, ..)) = columns.get(usize::from(j)) else { continue };
                let (b, x) = clip_and_weigh(w, clip_bound(&I32F32::from_bits(c)), penalty);
                trust += b;
                ranks[usize::from(j)] += mul_floor(stake, b);
                deltas[usize::from(j)] += mul_floor(x, stake);
            }
            let entries: Vec<(u16, u16)> = row.iter().map(|&(j, _, _)| (j, 0)).collect();
            let values: Vec<u32> = row.iter().map(|&(_, w, _)| w).collect();
            for isa in [Isa::Baseline, Isa::Best] {
                let Some(mut clip) = YumaClip::new(&consensus, I32F32::from_bits(penalty as i64)) else {
                    return Err(TestCaseError::fail("penalty in range"));
                };
                let t = clip.row_on((&entries, &values), I32F32::from_bits(stake as i64), isa);
                prop_assert_eq!(t, Some(I32F32::from_bits(trust as i64)));
                let (mut r, mut d) = (vec![I32F32::ZERO; n], vec![I32F32::ZERO; n]);
                clip.flush(&mut r, &mut d);
                let bits = |v: &[I32F32]| v.iter().map(|x| x.to_bits() as u64).collect::<Vec<_>>();
                prop_assert_eq!(bits(&r), ranks.clone(), "{:?}", isa);
                prop_assert_eq!(bits(&d), deltas.clone(), "{:?}", isa);
            }
        }
    }
}
