//! Yuma3's dividend sums (spec §4.12) in integer steps: row `i`'s
//! `Σ_j (ema_ij / total_j) · incentive_j` for a narrow EMA row.
//!
//! A narrow EMA entry `e` is at most its column's total, so `e / total ≤ 1` comes from
//! a [`PartDivisor`], and its product with an incentive in `[0, 1]` is at most that
//! incentive, so the chain's saturating product is the plain floored one. Rows with
//! an entry or a column outside those bounds take the general steps (the caller's).

use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::arith::{part_quotient, ExactDivisor, PartDivisor};
use crate::cpu::{self, Isa, Kernel};
use crate::proportion::{proportion, Rate};

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod wide;

/// Per column, in flat arrays (which the vector loop loads): the total and scale of
/// its [`PartDivisor`] and its incentive as a [`Rate`]'s two parts. A column whose
/// total or incentive is outside the integer steps' bounds has the total 0 and
/// scale 0, within which no entry (at least 1) fits: its rows take the general steps.
pub(crate) struct DividendColumns {
    totals: Vec<u64>,
    scales: Vec<f64>,
    fractions: Vec<u64>,
    wholes: Vec<u64>,
    /// The totals and the incentive bits and rates as doubles, for the kernel in
    /// floating point (`wide`); empty when a total is 2^53 or more, which a double
    /// does not hold exactly.
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    float: FloatColumns,
}

/// See [`DividendColumns::float`].
#[cfg(all(feature = "std", target_arch = "x86_64"))]
#[derive(Default)]
struct FloatColumns {
    totals: Vec<f64>,
    incentives: Vec<f64>,
    rates: Vec<f64>,
}

impl DividendColumns {
    /// From the EMA's column divisors (none for a column without a positive total)
    /// and the incentives.
    pub(crate) fn new(divisors: &[Option<ExactDivisor>], incentive: &[I32F32]) -> Self {
        let n = divisors.len().min(incentive.len());
        let mut columns = Self {
            totals: Vec::with_capacity(n),
            scales: Vec::with_capacity(n),
            fractions: Vec::with_capacity(n),
            wholes: Vec::with_capacity(n),
            #[cfg(all(feature = "std", target_arch = "x86_64"))]
            float: FloatColumns::default(),
        };
        for (d, inc) in divisors.iter().zip(incentive) {
            let part = d.and_then(|d| PartDivisor::new(d.divisor()));
            let rate = proportion(*inc).and_then(Rate::new);
            let ((total, scale), rate) = match (part, rate) {
                (Some(part), Some(rate)) => (part.raw(), rate),
                _ => ((0, 0.0), Rate::ZERO),
            };
            let (fraction, whole) = rate.parts();
            columns.totals.push(total);
            columns.scales.push(scale);
            columns.fractions.push(fraction);
            columns.wholes.push(whole);
        }
        #[cfg(all(feature = "std", target_arch = "x86_64"))]
        if columns.totals.iter().all(|&t| t < 1 << 53) {
            let parts = columns.fractions.iter().zip(&columns.wholes);
            // A rate is its fraction, or 2^32 when whole (below 2^53: exact).
            let incentives: Vec<f64> = parts
                .map(|(&f, &w)| f.wrapping_add(w & (1 << 32)) as f64)
                .collect();
            columns.float = FloatColumns {
                totals: columns.totals.iter().map(|&t| t as f64).collect(),
                // I / 2^32: a power-of-two scaling, exact.
                rates: incentives.iter().map(|i| i / 4_294_967_296.0).collect(),
                incentives,
            };
        }
        columns
    }

    /// A narrow row's sum (columns `cols`, values `vals` stored as `bits − 1`), or
    /// `None` when one of its entries or columns needs the general steps.
    pub(crate) fn row_sum(&self, cols: &[u16], vals: &[u32]) -> Option<I32F32> {
        self.row_sum_on(cols, vals, Isa::Best)
    }

    /// [`Self::row_sum`] compiled for `isa` (the tests run both copies).
    fn row_sum_on(&self, cols: &[u16], vals: &[u32], isa: Isa) -> Option<I32F32> {
        cpu::run(
            isa,
            RowSum {
                columns: self,
                cols,
                vals,
                wide: isa == Isa::Best,
            },
        )
    }

    /// Column `j`'s entry `x` (stored as `bits − 1`): the floored product
    /// `⌊(e / total) · incentive⌋`, and whether `e` is within the column's total
    /// (when not, or for a column outside the integer steps, the product is
    /// meaningless).
    #[inline(always)]
    fn term(total: u64, scale: f64, fraction: u64, whole: u64, x: u32) -> (u64, bool) {
        // e = x + 1 ≤ 2^32, as a float from a u32 conversion (a vector step).
        let e = u64::from(x).wrapping_add(1);
        let (q, fits) = part_quotient(total, scale, e, f64::from(x) + 1.0);
        // q ≤ 2^32 when it fits, where the rate's product applies.
        (Rate::times_parts(fraction, whole, q), fits)
    }
}

/// The kernel of [`DividendColumns::row_sum`]. Every entry takes the same steps, and
/// the test for the general ones is a flag folded along the row: a row of every
/// column (read by position) is a loop without a data-dependent branch.
struct RowSum<'k> {
    columns: &'k DividendColumns,
    cols: &'k [u16],
    vals: &'k [u32],
    /// A row of every column starts in the AVX-512 kernel (`wide`) when the CPU has
    /// it.
    #[cfg_attr(not(all(feature = "std", target_arch = "x86_64")), allow(dead_code))]
    wide: bool,
}

impl Kernel for RowSum<'_> {
    type Output = Option<I32F32>;

    #[inline(always)]
    fn run(self) -> Option<I32F32> {
        let DividendColumns {
            totals,
            scales,
            fractions,
            wholes,
            ..
        } = self.columns;
        let n = totals.len();
        let mut integer = true;
        let mut sum = 0u64;
        let full = self.cols.len() == n
            && self.cols.first().is_none_or(|&j| j == 0)
            && self
                .cols
                .last()
                .is_none_or(|&j| usize::from(j) == n.wrapping_sub(1));
        if full {
            // Narrow rows strictly ascend: these columns are exactly 0..n.
            #[allow(unused_mut)]
            let mut at = 0usize;
            #[cfg(all(feature = "std", target_arch = "x86_64"))]
            if self.wide && !self.columns.float.totals.is_empty() {
                let float = &self.columns.float;
                let columns = wide::Columns {
                    totals: &float.totals,
                    scales,
                    incentives: &float.incentives,
                    rates: &float.rates,
                };
                let taken = wide::row_sum(&columns, self.vals);
                (sum, integer, at) = (taken.sum, taken.within, taken.columns);
            }
            let columns = totals.iter().zip(scales).zip(fractions.iter().zip(wholes));
            let rest = self.vals.get(at..).unwrap_or(&[]);
            for (((&total, &scale), (&fraction, &whole)), &x) in columns.skip(at).zip(rest) {
                let (product, ok) = DividendColumns::term(total, scale, fraction, whole, x);
                sum = sum.wrapping_add(product);
                integer &= ok;
            }
        } else if n > 0 {
            // Every array holds n columns: an index below n reads all four in bounds,
            // so the loop is gathers and lane arithmetic, without a branch per entry.
            for (&j, &x) in self.cols.iter().zip(self.vals) {
                let j = usize::from(j);
                let inside = j < n;
                let at = if inside { j } else { 0 };
                let column = (
                    totals.get(at).copied().unwrap_or(0),
                    scales.get(at).copied().unwrap_or(0.0),
                    fractions.get(at).copied().unwrap_or(0),
                    wholes.get(at).copied().unwrap_or(0),
                );
                let (total, scale, fraction, whole) = column;
                let (product, ok) = DividendColumns::term(total, scale, fraction, whole, x);
                sum = sum.wrapping_add(if inside { product } else { 0 });
                integer &= ok & inside;
            }
        } else {
            integer = self.cols.is_empty();
        }
        // Each product is at most its incentive (≤ 2^32) and a row holds at most n
        // entries: the sum is below 2^63, the chain's wrapping I32F32 sum's bits.
        integer.then_some(I32F32::from_bits(sum as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::mul;
    use proptest::prelude::*;
    use taolite_core::fixed::safe_div;

    /// The chain's steps for one row: `Σ_j saturating(e_j / total_j) · incentive_j`
    /// in I32F32 (wrapping sum).
    fn reference(totals: &[I32F32], incentive: &[I32F32], cols: &[u16], vals: &[u32]) -> I32F32 {
        let mut sum = I32F32::ZERO;
        for (&j, &x) in cols.iter().zip(vals) {
            let j = usize::from(j);
            let e = I32F32::from_bits(i64::from(x) + 1);
            sum = sum.wrapping_add(mul(safe_div(e, totals[j]), incentive[j]));
        }
        sum
    }

    /// A column beyond the table (or any column of an empty table) sends the row to
    /// the general steps, on either instruction set.
    #[test]
    fn columns_beyond_the_table_take_the_general_steps() {
        let one = I32F32::from_bits(1 << 32);
        let divisors = [Some(ExactDivisor::new(one)); 3];
        let table = DividendColumns::new(&divisors, &[one, one, one]);
        let empty = DividendColumns::new(&[], &[]);
        for isa in [Isa::Baseline, Isa::Best] {
            assert!(table.row_sum_on(&[0, 2], &[5, 6], isa).is_some());
            assert_eq!(table.row_sum_on(&[0, 3], &[5, 6], isa), None);
            assert_eq!(empty.row_sum_on(&[0], &[5], isa), None);
            assert_eq!(empty.row_sum_on(&[], &[], isa), Some(I32F32::ZERO));
        }
    }

    /// Products `q·I` just below a multiple of 2^32 with `q·I/2^32` near 2^31, where
    /// the rounded product reaches the next integer and the floor must be lowered
    /// (and, beside them, products just above and on a multiple). A total of 1.0
    /// makes the quotient `q` the entry itself.
    #[test]
    fn products_just_below_an_integer_floor_down() {
        let mut cases = Vec::new();
        for q in [(1u32 << 31) + 1, u32::MAX, u32::MAX - 2, (1 << 31) + 12_345] {
            // The inverse of the odd q modulo 2^32, by Newton's iteration.
            let mut inverse = q;
            for _ in 0..5 {
                inverse = inverse.wrapping_mul(2u32.wrapping_sub(q.wrapping_mul(inverse)));
            }
            assert_eq!(q.wrapping_mul(inverse), 1);
            for residue in [u32::MAX, 0, 1] {
                // q·I ≡ residue (mod 2^32).
                cases.push((q, inverse.wrapping_mul(residue)));
            }
        }
        let one = I32F32::from_bits(1 << 32);
        let n = cases.len().next_multiple_of(8);
        let totals = alloc::vec![one; n];
        let incentive: Vec<I32F32> = (0..n)
            .map(|j| I32F32::from_bits(cases.get(j).map_or(0, |c| i64::from(c.1))))
            .collect();
        let divisors: Vec<Option<ExactDivisor>> =
            totals.iter().map(|&t| Some(ExactDivisor::new(t))).collect();
        let table = DividendColumns::new(&divisors, &incentive);
        let cols: Vec<u16> = (0..n as u16).collect();
        let vals: Vec<u32> = (0..n)
            .map(|j| cases.get(j).map_or(0, |c| c.0 - 1))
            .collect();
        let expected = reference(&totals, &incentive, &cols, &vals);
        for isa in [Isa::Baseline, Isa::Best] {
            assert_eq!(
                table.row_sum_on(&cols, &vals, isa),
                Some(expected),
                "{isa:?}"
            );
        }
        // Column by column too, so that one wrong floor cannot hide in the sum.
        for j in 0..cases.len() {
            let mut single = vals.clone();
            for (k, v) in single.iter_mut().enumerate() {
                if k != j {
                    *v = 0;
                }
            }
            let expected = reference(&totals, &incentive, &cols, &single);
            assert_eq!(
                table.row_sum_on(&cols, &single, Isa::Best),
                Some(expected),
                "{j}"
            );
        }
    }

    proptest! {
        /// Rows of every column over totals a double holds exactly (so that the
        /// best instruction set starts in floating point), entries at and around the
        /// edges: the sum is the chain's whenever every entry is within its total.
        #[test]
        fn full_row_sums_in_floating_point_equal_the_fixed_steps(
            columns in proptest::collection::vec(
                (prop_oneof![Just(1i64), 1i64..1 << 20, 1i64..1 << 40, (1i64 << 53) - 5..1 << 53],
                 prop_oneof![Just(0i64), Just(1i64 << 32), Just((1i64 << 32) - 1), 0i64..=1 << 32]),
                1..70,
            ),
            entries in proptest::collection::vec((any::<u32>(), 0u32..5), 70),
        ) {
            let n = columns.len();
            let totals: Vec<I32F32> = columns.iter().map(|c| I32F32::from_bits(c.0)).collect();
            let incentive: Vec<I32F32> = columns.iter().map(|c| I32F32::from_bits(c.1)).collect();
            let divisors: Vec<Option<ExactDivisor>> =
                totals.iter().map(|&t| Some(ExactDivisor::new(t))).collect();
            let table = DividendColumns::new(&divisors, &incentive);
            let cols: Vec<u16> = (0..n as u16).collect();
            let vals: Vec<u32> = entries
                .iter()
                .take(n)
                .enumerate()
                .map(|(j, &(raw, kind))| {
                    let total = totals[j].to_bits().clamp(1, 1 << 32) as u64;
                    (match kind {
                        0 => u64::from(raw) % total,
                        1 => total - 1,
                        2 => 0,
                        3 => (total - 1) / 2,
                        _ => u64::from(raw),
                    }) as u32
                })
                .collect();
            let baseline = table.row_sum_on(&cols, &vals, Isa::Baseline);
            let best = table.row_sum_on(&cols, &vals, Isa::Best);
            prop_assert_eq!(baseline, best);
            if let Some(sum) = best {
                prop_assert_eq!(sum, reference(&totals, &incentive, &cols, &vals));
            }
        }

        /// Whenever the integer steps give a sum, on either instruction set, it is the
        /// chain's; rows of every column and rows of some columns alike.
        #[test]
        fn row_sums_equal_the_fixed_steps(
            columns in proptest::collection::vec(
                (prop_oneof![Just(0i64), Just(-1), 1i64..1 << 20, 1i64..1 << 40, (1i64 << 62) - 4..1 << 62],
                 prop_oneof![Just(0i64), Just(1i64 << 32), 0i64..=1 << 32, (1i64 << 32) + 1..1 << 34]),
                1..40,
            ),
            entries in proptest::collection::vec((any::<bool>(), any::<u32>(), 0u32..4), 40),
            full in any::<bool>(),
        ) {
            let n = columns.len();
            let totals: Vec<I32F32> = columns.iter().map(|c| I32F32::from_bits(c.0)).collect();
            let incentive: Vec<I32F32> = columns.iter().map(|c| I32F32::from_bits(c.1)).collect();
            let divisors: Vec<Option<ExactDivisor>> = totals
                .iter()
                .map(|&t| (t.to_bits() > 0).then(|| ExactDivisor::new(t)))
                .collect();
            let table = DividendColumns::new(&divisors, &incentive);
            // Entries mostly within their column's total (`bits - 1` stored), some
            // above it.
            let (mut cols, mut vals) = (Vec::new(), Vec::new());
            for (j, &(present, raw, kind)) in entries.iter().take(n).enumerate() {
                if !(full || present) {
                    continue;
                }
                let total = totals[j].to_bits().clamp(1, 1 << 32) as u64;
                let x = match kind {
                    0 => raw as u64 % total,
                    1 => total - 1,
                    2 => 0,
                    _ => u64::from(raw),
                };
                cols.push(j as u16);
                vals.push(x as u32);
            }
            let expected = reference(&totals, &incentive, &cols, &vals);
            let baseline = table.row_sum_on(&cols, &vals, Isa::Baseline);
            let best = table.row_sum_on(&cols, &vals, Isa::Best);
            prop_assert_eq!(baseline, best);
            if let Some(sum) = best {
                prop_assert_eq!(sum, expected);
            }
            // Rows within every bound take the integer steps.
            let within = cols.iter().zip(&vals).all(|(&j, &x)| {
                let (t, inc) = columns[usize::from(j)];
                t > 0 && t < 1 << 62 && (0..=1 << 32).contains(&inc) && i64::from(x) < t
            });
            prop_assert_eq!(best.is_some(), within);
        }
    }
}
