//! Column-wise steps on a narrow EMA matrix (every value in (0, 1], stored as
//! `bits − 1`, rows strictly ascending as the EMA builds them): original Yuma's column
//! sums and maxima (§4.11) in exact integers, and every value divided in place by a
//! per-column total it is part of.
//!
//! On such values the chain's saturating I32F32 column sums are exact u64 sums (a
//! column holds at most one entry per row, each at most 2^32), a maximum is an integer
//! maximum, and the division of a value by a total it is part of is a
//! [`part_quotient`]. A row of every column reads the columns by position: a loop of
//! vector steps ([`crate::cpu`]).

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::arith::{part_quotient, PartDivisor};
use crate::cpu::{self, Isa, Kernel};
use crate::proportion::{proportion, Rate};
use crate::rows::Csr;

/// The row offsets, columns and narrow values of a [`Csr`].
type Arrays<'a> = (&'a [u32], &'a [u16], &'a [u32]);

/// Every row's entry range, and whether the row lists exactly the columns `0..n`
/// (strictly ascending rows: by their length and ends).
fn rows<'a>(
    offsets: &'a [u32],
    cols: &'a [u16],
    n: usize,
) -> impl Iterator<Item = (core::ops::Range<usize>, bool)> + 'a {
    offsets.windows(2).map(move |w| {
        let range = match w {
            [a, b] => *a as usize..*b as usize,
            _ => 0..0,
        };
        let c = cols.get(range.clone()).unwrap_or(&[]);
        let full = c.len() == n
            && c.first().is_none_or(|&j| j == 0)
            && c.last()
                .is_none_or(|&j| usize::from(j) == n.wrapping_sub(1));
        (range, full)
    })
}

/// Original Yuma's column normalisation (§4.11): every value divided by its column's
/// saturating sum, in place. `None`, with nothing written, when the matrix is not
/// narrow or a quotient would leave it (below 2^−32: a column whose smallest value
/// is below its sum's 2^−32 part).
pub(crate) fn normalise(ema: &mut Csr, n: usize) -> Option<()> {
    normalise_on(ema, n, Isa::Best)
}

fn normalise_on(ema: &mut Csr, n: usize, isa: Isa) -> Option<()> {
    let arrays = ema.narrow_arrays()?;
    let mut sums = vec![0u64; n];
    let mut minima = vec![u32::MAX; n];
    let kernel = SumsAndMinima {
        arrays,
        sums: &mut sums,
        minima: &mut minima,
    };
    cpu::run(isa, kernel);
    // The terms are non-negative, so the saturating sum is the exact one (a column
    // holds at most one entry per row: at most 2^16 · 2^32, never capped).
    let divisors = sums
        .iter()
        .zip(&minima)
        .map(|(&sum, &least)| {
            // Every quotient of the column is at least ⌊least · 2^32 / sum⌋ ≥ 1.
            let narrow = (u128::from(least) + 1) << 32 >= u128::from(sum);
            let total = I32F32::from_bits(i64::try_from(sum).ok()?);
            match PartDivisor::new(total) {
                Some(d) if narrow => Some(d.raw()),
                // An empty column: nothing to divide.
                None if sum == 0 => Some((0, 0.0)),
                _ => None,
            }
        })
        .collect::<Option<Vec<_>>>()?;
    divide_in_place(ema, &Divisors::from_pairs(&divisors), isa)
}

/// The storage upscale (§4.11): every value divided by its column's maximum, in
/// place. `None`, with nothing written, when the matrix is not narrow.
pub(crate) fn upscale(ema: &mut Csr, n: usize) -> Option<()> {
    upscale_on(ema, n, Isa::Best)
}

fn upscale_on(ema: &mut Csr, n: usize, isa: Isa) -> Option<()> {
    let arrays = ema.narrow_arrays()?;
    // The largest `bits − 1`, plus one: 0 stays for an empty column, as the chain's
    // maximum from 0.
    let mut maxima = vec![0u64; n];
    let kernel = Maxima {
        arrays,
        maxima: &mut maxima,
    };
    cpu::run(isa, kernel);
    // A value v of a column with maximum m gives ⌊v · 2^32 / m⌋ ≥ 1 (v ≥ 1, m ≤ 2^32):
    // every quotient stays narrow.
    let divisors = maxima
        .iter()
        .map(|&m| match PartDivisor::new(I32F32::from_bits(m as i64)) {
            Some(d) => d.raw(),
            None => (0, 0.0),
        })
        .collect::<Vec<_>>();
    divide_in_place(ema, &Divisors::from_pairs(&divisors), isa)
}

/// Per column, a [`part_quotient`]'s total and scale in two flat arrays, which a
/// vector loop loads directly (an array of pairs it would have to take apart).
struct Divisors {
    totals: Vec<u64>,
    scales: Vec<f64>,
}

impl Divisors {
    fn from_pairs(pairs: &[(u64, f64)]) -> Self {
        Self {
            totals: pairs.iter().map(|d| d.0).collect(),
            scales: pairs.iter().map(|d| d.1).collect(),
        }
    }
}

/// Divides every value by its column's `(total, scale)` ([`part_quotient`]) in place,
/// for totals that each value is part of and quotients the callers showed narrow.
fn divide_in_place(ema: &mut Csr, divisors: &Divisors, isa: Isa) -> Option<()> {
    let (offsets, cols, vals) = ema.narrow_arrays_mut()?;
    let kernel = DivideInPlace {
        offsets,
        cols,
        vals,
        divisors,
    };
    cpu::run(isa, kernel);
    Some(())
}

struct SumsAndMinima<'k> {
    arrays: Arrays<'k>,
    sums: &'k mut [u64],
    minima: &'k mut [u32],
}

impl Kernel for SumsAndMinima<'_> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let (offsets, cols, vals) = self.arrays;
        let (sums, minima) = (self.sums, self.minima);
        for (range, full) in rows(offsets, cols, sums.len()) {
            let (Some(c), Some(v)) = (cols.get(range.clone()), vals.get(range)) else {
                continue;
            };
            if full {
                for ((s, m), &x) in sums.iter_mut().zip(minima.iter_mut()).zip(v) {
                    // x + 1 ≤ 2^32, at most one per row: no wrap.
                    *s = s.wrapping_add(u64::from(x)).wrapping_add(1);
                    *m = (*m).min(x);
                }
            } else {
                for (&j, &x) in c.iter().zip(v) {
                    let j = usize::from(j);
                    if let (Some(s), Some(m)) = (sums.get_mut(j), minima.get_mut(j)) {
                        *s = s.wrapping_add(u64::from(x)).wrapping_add(1);
                        *m = (*m).min(x);
                    }
                }
            }
        }
    }
}

struct Maxima<'k> {
    arrays: Arrays<'k>,
    maxima: &'k mut [u64],
}

impl Kernel for Maxima<'_> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let (offsets, cols, vals) = self.arrays;
        let maxima = self.maxima;
        for (range, full) in rows(offsets, cols, maxima.len()) {
            let (Some(c), Some(v)) = (cols.get(range.clone()), vals.get(range)) else {
                continue;
            };
            if full {
                for (m, &x) in maxima.iter_mut().zip(v) {
                    *m = (*m).max(u64::from(x).wrapping_add(1));
                }
            } else {
                for (&j, &x) in c.iter().zip(v) {
                    if let Some(m) = maxima.get_mut(usize::from(j)) {
                        *m = (*m).max(u64::from(x).wrapping_add(1));
                    }
                }
            }
        }
    }
}

struct DivideInPlace<'k> {
    offsets: &'k [u32],
    cols: &'k [u16],
    vals: &'k mut [u32],
    divisors: &'k Divisors,
}

impl DivideInPlace<'_> {
    /// A value's quotient, stored as `bits − 1`: in `[1, 2^32]` for the callers'
    /// divisors, so the narrow form holds it.
    #[inline(always)]
    fn quotient(total: u64, scale: f64, x: u32) -> u32 {
        let e = u64::from(x).wrapping_add(1);
        let (q, _) = part_quotient(total, scale, e, f64::from(x) + 1.0);
        q.wrapping_sub(1) as u32
    }
}

impl Kernel for DivideInPlace<'_> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let (offsets, cols, vals) = (self.offsets, self.cols, self.vals);
        let Divisors { totals, scales } = self.divisors;
        for (range, full) in rows(offsets, cols, totals.len().min(scales.len())) {
            let (Some(c), Some(v)) = (cols.get(range.clone()), vals.get_mut(range)) else {
                continue;
            };
            if full {
                for ((x, &total), &scale) in v.iter_mut().zip(totals).zip(scales) {
                    *x = Self::quotient(total, scale, *x);
                }
            } else {
                for (&j, x) in c.iter().zip(v.iter_mut()) {
                    let j = usize::from(j);
                    if let (Some(&total), Some(&scale)) = (totals.get(j), scales.get(j)) {
                        *x = Self::quotient(total, scale, *x);
                    }
                }
            }
        }
    }
}

/// Per row, `Σ_j incentive_j · value_ij` (§4.11's dividends, saturating sums of
/// I32F32 products) for incentives in `[0, 1]`: each product is at most its
/// incentive and a row's sum below 2^63, so it is a plain sum of floored products.
/// `None` when the matrix is not narrow or an incentive is outside `[0, 1]`.
pub(crate) fn weighted_row_sums(ema: &Csr, incentive: &[I32F32]) -> Option<Vec<I32F32>> {
    weighted_row_sums_on(ema, incentive, Isa::Best)
}

fn weighted_row_sums_on(ema: &Csr, incentive: &[I32F32], isa: Isa) -> Option<Vec<I32F32>> {
    let arrays = ema.narrow_arrays()?;
    let rates = incentive
        .iter()
        .map(|&i| proportion(i).and_then(Rate::new))
        .collect::<Option<Vec<_>>>()?;
    let mut sums = Vec::with_capacity(arrays.0.len().saturating_sub(1));
    cpu::run(
        isa,
        WeightedRowSums {
            arrays,
            rates: &rates,
            sums: &mut sums,
        },
    );
    Some(sums)
}

struct WeightedRowSums<'k> {
    arrays: Arrays<'k>,
    rates: &'k [Rate],
    sums: &'k mut Vec<I32F32>,
}

impl Kernel for WeightedRowSums<'_> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let (offsets, cols, vals) = self.arrays;
        let rates = self.rates;
        for (range, full) in rows(offsets, cols, rates.len()) {
            let (Some(c), Some(v)) = (cols.get(range.clone()), vals.get(range)) else {
                continue;
            };
            let mut sum = 0u64;
            if full {
                for (&rate, &x) in rates.iter().zip(v) {
                    sum = sum.wrapping_add(rate.times(u64::from(x).wrapping_add(1)));
                }
            } else {
                for (&j, &x) in c.iter().zip(v) {
                    // Beyond n: the chain's incentive there is 0.
                    if let Some(&rate) = rates.get(usize::from(j)) {
                        sum = sum.wrapping_add(rate.times(u64::from(x).wrapping_add(1)));
                    }
                }
            }
            self.sums.push(I32F32::from_bits(sum as i64));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::mul;
    use proptest::prelude::*;
    use taolite_core::fixed::safe_div;

    /// A narrow matrix of `n` columns: full rows and rows of some columns, values
    /// anywhere in (0, 1] with tiny ones and exact 1s.
    fn matrix() -> impl Strategy<Value = (usize, Vec<Vec<(u16, i64)>>)> {
        (1usize..24).prop_flat_map(|n| {
            let value = prop_oneof![
                1i64..=1 << 32,
                Just(1i64 << 32),
                1i64..300,
                (1i64 << 31)..(1i64 << 32),
            ];
            let row = (
                proptest::collection::vec((any::<bool>(), value), n),
                any::<bool>(),
            )
                .prop_map(|(entries, full)| {
                    entries
                        .into_iter()
                        .enumerate()
                        .filter(|(_, (keep, _))| full || *keep)
                        .map(|(j, (_, v))| (j as u16, v))
                        .collect::<Vec<_>>()
                });
            (Just(n), proptest::collection::vec(row, 0..12))
        })
    }

    fn csr(rows: &[Vec<(u16, i64)>]) -> Csr {
        let mut m = Csr::with_capacity(rows.len(), 0);
        for row in rows {
            for &(j, v) in row {
                m.push(j, I32F32::from_bits(v));
            }
            let _ = m.finish_row();
        }
        m
    }

    fn bits(m: &Csr) -> Vec<(usize, i64)> {
        let mut out = Vec::new();
        m.for_each(|j, v| out.push((j, v.to_bits())));
        out
    }

    /// The general steps: each value divided by its column's saturating sum (or
    /// maximum).
    fn divided(m: &Csr, n: usize, by_max: bool) -> Vec<(usize, i64)> {
        let mut totals = vec![I32F32::ZERO; n];
        m.for_each(|j, v| {
            if let Some(t) = totals.get_mut(j) {
                *t = if by_max {
                    (*t).max(v)
                } else {
                    t.saturating_add(v)
                };
            }
        });
        let mut out = Vec::new();
        m.for_each(|j, v| {
            let t = totals.get(j).copied().unwrap_or(I32F32::ZERO);
            let q = if t == I32F32::ZERO { v } else { safe_div(v, t) };
            out.push((j, q.to_bits()));
        });
        out
    }

    proptest! {
        /// Normalisation equals the general steps on both instruction sets, and is
        /// refused (nothing written) exactly when a quotient would be 0.
        #[test]
        fn normalise_equals_the_fixed_steps((n, rows) in matrix()) {
            let expected = divided(&csr(&rows), n, false);
            let needs_zero = expected.iter().any(|&(_, q)| q == 0);
            for isa in [Isa::Baseline, Isa::Best] {
                let mut m = csr(&rows);
                let before = bits(&m);
                let done = normalise_on(&mut m, n, isa);
                prop_assert_eq!(done.is_none(), needs_zero);
                if done.is_some() {
                    prop_assert_eq!(&bits(&m), &expected, "{:?}", isa);
                } else {
                    prop_assert_eq!(&bits(&m), &before);
                }
            }
        }

        /// The upscale equals the general steps on both instruction sets.
        #[test]
        fn upscale_equals_the_fixed_steps((n, rows) in matrix()) {
            let expected = divided(&csr(&rows), n, true);
            for isa in [Isa::Baseline, Isa::Best] {
                let mut m = csr(&rows);
                prop_assert_eq!(upscale_on(&mut m, n, isa), Some(()));
                prop_assert_eq!(&bits(&m), &expected, "{:?}", isa);
            }
        }

        /// Weighted row sums equal the chain's saturating sums of products, and are
        /// refused for an incentive outside [0, 1].
        #[test]
        fn weighted_row_sums_equal_the_fixed_steps(
            (n, rows) in matrix(),
            incentive in proptest::collection::vec(
                prop_oneof![0i64..=1 << 32, Just(1i64 << 32), Just(0i64), Just(-1i64), Just((1i64 << 32) + 1)],
                24,
            ),
        ) {
            let incentive: Vec<I32F32> = incentive.iter().take(n).map(|&b| I32F32::from_bits(b)).collect();
            let m = csr(&rows);
            let expected: Vec<I32F32> = (0..rows.len())
                .map(|i| {
                    let mut total = I32F32::ZERO;
                    m.for_each_in_row(i, |j, e| {
                        let inc = incentive.get(j).copied().unwrap_or(I32F32::ZERO);
                        total = total.saturating_add(mul(inc, e));
                    });
                    total
                })
                .collect();
            let proportions = incentive.iter().all(|i| (0..=1i64 << 32).contains(&i.to_bits()));
            for isa in [Isa::Baseline, Isa::Best] {
                let sums = weighted_row_sums_on(&m, &incentive, isa);
                prop_assert_eq!(sums.is_some(), proportions);
                if let Some(sums) = sums {
                    prop_assert_eq!(&sums, &expected, "{:?}", isa);
                }
            }
        }
    }
}
