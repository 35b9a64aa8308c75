//! Working storage for the stages: a compressed-row matrix of fixed-point values and a
//! reusable dense row accumulator.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::cpu::Kernel;
use crate::epoch::MASKED;
use crate::error::EpochError;
use crate::sparse::SparseRows;

/// The values of a [`Csr`]. Bonds are almost always in (0, 1], i.e. bits in
/// `1..=2^32`, which fit a `u32` as `bits − 1`: half the memory of I32F32. The first
/// value outside that range widens the whole array to I32F32.
enum Values {
    Narrow(Vec<u32>),
    Wide(Vec<I32F32>),
}

const NARROW_MAX: i64 = 1 << 32;

fn narrow(v: I32F32) -> Option<u32> {
    let bits = v.to_bits();
    if (1..=NARROW_MAX).contains(&bits) {
        u32::try_from(bits.wrapping_sub(1)).ok()
    } else {
        None
    }
}

fn widen(v: u32) -> I32F32 {
    I32F32::from_bits(i64::from(v).wrapping_add(1))
}

/// [`crate::arith::proportion_to_u16`] of a narrow value: its bits are in `1..=2^32`,
/// a proportion, so the product with 65535 is exact in u64 and needs no range test.
#[inline(always)]
pub(crate) fn narrow_proportion_to_u16(v: u32) -> u16 {
    ((u64::from(v).wrapping_add(1)).wrapping_mul(65_535) >> 32) as u16
}

/// A narrow row as stored bonds: every value through [`narrow_proportion_to_u16`],
/// written by position (a loop of vector steps, see [`crate::cpu`]).
pub(crate) struct NarrowRowToU16<'k> {
    pub(crate) cols: &'k [u16],
    pub(crate) vals: &'k [u32],
    pub(crate) out: &'k mut [(u16, u16)],
}

impl Kernel for NarrowRowToU16<'_> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        for ((slot, &j), &x) in self.out.iter_mut().zip(self.cols).zip(self.vals) {
            *slot = (j, narrow_proportion_to_u16(x));
        }
    }
}

/// Drops the zero entries of a narrow row appended from `start` on, in place. Each
/// value `v` is stored as `v − 1`, so `u32::MAX` is v = 0 or v = 2^32; it is 0 for
/// sure when the entry has neither a weight (its slot in `weights`, aligned with the
/// entries, is [`MASKED`]) nor a bond (0 in `bonds`). Only for the
/// others, which are rare, does `positive(column, weight, bond)` take the steps
/// again. Without such an entry the loop has no branch on the data (a branch per
/// entry mispredicts on rows with many zeros).
pub(crate) fn keep_positive(
    (cols, vals): (&mut Vec<u16>, &mut Vec<u32>),
    start: usize,
    (weights, bonds): (&[u32], &[(u16, u16)]),
    positive: impl Fn(u16, u32, u16) -> bool,
) {
    let written = vals.get(start..).unwrap_or(&[]);
    let doubtful = written
        .iter()
        .zip(weights)
        .zip(bonds)
        .fold(0u32, |any, ((&x, &w), b)| {
            any | u32::from((x == u32::MAX) & ((w != MASKED) | (b.1 != 0)))
        });
    let mut kept = start;
    let entries = weights.iter().zip(bonds).zip(start..);
    for ((&w, &(_, bond)), k) in entries {
        let (Some(&j), Some(&x)) = (cols.get(k), vals.get(k)) else {
            break;
        };
        let keep = if doubtful == 0 {
            x != u32::MAX
        } else {
            x != u32::MAX || positive(j, w, bond)
        };
        // Written unconditionally (kept ≤ k), kept only when positive.
        if let (Some(c), Some(v)) = (cols.get_mut(kept), vals.get_mut(kept)) {
            *c = j;
            *v = x;
        }
        kept = kept.wrapping_add(usize::from(keep));
    }
    cols.truncate(kept);
    vals.truncate(kept);
}

impl Values {
    #[inline]
    fn get(&self, k: usize) -> I32F32 {
        match self {
            Self::Narrow(v) => v.get(k).map_or(I32F32::ZERO, |x| widen(*x)),
            Self::Wide(v) => v.get(k).copied().unwrap_or(I32F32::ZERO),
        }
    }

    fn widened(v: &[u32]) -> Vec<I32F32> {
        v.iter().map(|x| widen(*x)).collect()
    }

    #[inline]
    fn push(&mut self, value: I32F32) {
        match (&mut *self, narrow(value)) {
            (Self::Narrow(v), Some(x)) => v.push(x),
            (Self::Wide(v), _) => v.push(value),
            (Self::Narrow(_), None) => self.widen_then_push(value),
        }
    }

    #[cold]
    fn widen_then_push(&mut self, value: I32F32) {
        if let Self::Narrow(v) = self {
            let mut wide = Self::widened(v);
            wide.push(value);
            *self = Self::Wide(wide);
        }
    }
}

/// A compressed-row matrix of I32F32 values, columns and values in separate arrays
/// (6 bytes per entry for values in (0, 1], 10 otherwise).
pub(crate) struct Csr {
    offsets: Vec<u32>,
    cols: Vec<u16>,
    vals: Values,
}

/// The arrays of a finished [`Csr`], kept to build the next one in (see
/// [`crate::EpochScratch`]): emptied, with their capacity.
#[derive(Default)]
pub(crate) struct CsrBuffers {
    offsets: Vec<u32>,
    cols: Vec<u16>,
    vals: Vec<u32>,
}

impl Csr {
    pub(crate) fn with_capacity(rows: usize, entries: usize) -> Self {
        Self::reusing(CsrBuffers::default(), rows, entries)
    }

    /// An empty matrix in `buffers`' arrays, grown to hold `rows` rows and `entries`
    /// entries when they are smaller.
    pub(crate) fn reusing(buffers: CsrBuffers, rows: usize, entries: usize) -> Self {
        let CsrBuffers {
            mut offsets,
            mut cols,
            mut vals,
        } = buffers;
        offsets.clear();
        cols.clear();
        vals.clear();
        offsets.reserve(rows.saturating_add(1));
        cols.reserve(entries);
        vals.reserve(entries);
        offsets.push(0);
        Self {
            offsets,
            cols,
            vals: Values::Narrow(vals),
        }
    }

    /// The matrix's arrays, to reuse (a widened value array is dropped: a new matrix
    /// starts narrow).
    pub(crate) fn into_buffers(self) -> CsrBuffers {
        let vals = match self.vals {
            Values::Narrow(v) => v,
            Values::Wide(_) => Vec::new(),
        };
        CsrBuffers {
            offsets: self.offsets,
            cols: self.cols,
            vals,
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, j: u16, v: I32F32) {
        self.cols.push(j);
        self.vals.push(v);
    }

    /// The column array and the narrow value array (each value stored as `bits − 1`,
    /// bits in `1..=2^32`), while every value so far is narrow. The caller pushes to
    /// both, so that they stay the same length.
    pub(crate) fn narrow_parts(&mut self) -> Option<(&mut Vec<u16>, &mut Vec<u32>)> {
        match &mut self.vals {
            Values::Narrow(v) => Some((&mut self.cols, v)),
            Values::Wide(_) => None,
        }
    }

    pub(crate) fn finish_row(&mut self) -> Result<(), EpochError> {
        let end = u32::try_from(self.cols.len()).map_err(|_| EpochError::TooManyEntries)?;
        self.offsets.push(end);
        Ok(())
    }

    pub(crate) fn nnz(&self) -> usize {
        self.cols.len()
    }

    /// Where row `i` starts among the entries (rows past the last start, empty, at
    /// the end).
    pub(crate) fn row_start(&self, i: usize) -> usize {
        self.offsets
            .get(i)
            .or(self.offsets.last())
            .map_or(0, |&o| o as usize)
    }

    /// Appends the rows of `other` after this matrix's rows: the matrix of a stage
    /// computed in parts of rows, put back together.
    pub(crate) fn append(&mut self, other: Csr) -> Result<(), EpochError> {
        let base = self.cols.len();
        // Checked first, so that nothing is written on failure.
        u32::try_from(base.saturating_add(other.cols.len()))
            .map_err(|_| EpochError::TooManyEntries)?;
        let base = base as u32;
        let ends = other.offsets.get(1..).unwrap_or(&[]);
        self.offsets
            .extend(ends.iter().map(|&end| base.saturating_add(end)));
        self.cols.extend_from_slice(&other.cols);
        match (&mut self.vals, other.vals) {
            (Values::Narrow(v), Values::Narrow(w)) => v.extend_from_slice(&w),
            (Values::Wide(v), Values::Narrow(w)) => v.extend(w.iter().map(|x| widen(*x))),
            (Values::Wide(v), Values::Wide(w)) => v.extend_from_slice(&w),
            (Values::Narrow(v), Values::Wide(w)) => {
                let mut wide = Values::widened(v);
                wide.extend_from_slice(&w);
                self.vals = Values::Wide(wide);
            }
        }
        Ok(())
    }

    fn range(&self, i: usize) -> core::ops::Range<usize> {
        match (self.offsets.get(i), self.offsets.get(i.wrapping_add(1))) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// Calls `f(column, value)` for the entries of row `i` in stored order.
    #[inline]
    pub(crate) fn for_each_in_row(&self, i: usize, mut f: impl FnMut(usize, I32F32)) {
        let range = self.range(i);
        let Some(cols) = self.cols.get(range.clone()) else {
            return;
        };
        match &self.vals {
            Values::Narrow(v) => {
                for (&j, &x) in cols.iter().zip(v.get(range).unwrap_or(&[])) {
                    f(usize::from(j), widen(x));
                }
            }
            Values::Wide(v) => {
                for (&j, &x) in cols.iter().zip(v.get(range).unwrap_or(&[])) {
                    f(usize::from(j), x);
                }
            }
        }
    }

    /// Row `i`'s columns and narrow values (`bits − 1`), while every value is narrow.
    pub(crate) fn narrow_row(&self, i: usize) -> Option<(&[u16], &[u32])> {
        let range = self.range(i);
        match &self.vals {
            Values::Narrow(v) => Some((self.cols.get(range.clone())?, v.get(range)?)),
            Values::Wide(_) => None,
        }
    }

    /// Row `i` as `(column, value)` pairs in stored order.
    pub(crate) fn row(&self, i: usize) -> impl Iterator<Item = (usize, I32F32)> + '_ {
        self.range(i).map(move |k| {
            let j = self.cols.get(k).copied().unwrap_or(0);
            (usize::from(j), self.vals.get(k))
        })
    }

    /// Visits every entry as `(column, value)`, rows in order.
    pub(crate) fn for_each(&self, mut f: impl FnMut(usize, I32F32)) {
        let cols = &self.cols;
        match &self.vals {
            Values::Narrow(v) => {
                for (&j, &x) in cols.iter().zip(v) {
                    f(usize::from(j), widen(x));
                }
            }
            Values::Wide(v) => {
                for (&j, &x) in cols.iter().zip(v) {
                    f(usize::from(j), x);
                }
            }
        }
    }

    /// Replaces every value by `f(column, value)`.
    pub(crate) fn map_in_place(&mut self, mut f: impl FnMut(usize, I32F32) -> I32F32) {
        let cols = &self.cols;
        if let Values::Narrow(v) = &mut self.vals {
            let mut done = 0usize;
            for (&j, x) in cols.iter().zip(v.iter_mut()) {
                let Some(y) = narrow(f(usize::from(j), widen(*x))) else {
                    break;
                };
                *x = y;
                done = done.wrapping_add(1);
            }
            if done == v.len() {
                return;
            }
            // A value outside (0, 1]: widen, then map the rest (the first `done` are
            // mapped; `f` sees the failing entry twice, which a pure `f` allows).
            let wide = Values::widened(v);
            self.vals = Values::Wide(wide);
            if let Values::Wide(w) = &mut self.vals {
                for (&j, x) in cols.iter().zip(w.iter_mut()).skip(done) {
                    *x = f(usize::from(j), *x);
                }
            }
            return;
        }
        if let Values::Wide(w) = &mut self.vals {
            for (&j, x) in cols.iter().zip(w.iter_mut()) {
                *x = f(usize::from(j), *x);
            }
        }
    }

    /// The row offsets, the columns and the narrow values (`bits − 1`), while every
    /// value is narrow: for column-wise loops.
    pub(crate) fn narrow_arrays(&self) -> Option<(&[u32], &[u16], &[u32])> {
        match &self.vals {
            Values::Narrow(v) => Some((&self.offsets, &self.cols, v)),
            Values::Wide(_) => None,
        }
    }

    /// [`Self::narrow_arrays`], for loops that change values in place.
    pub(crate) fn narrow_arrays_mut(&mut self) -> Option<(&[u32], &[u16], &mut [u32])> {
        match &mut self.vals {
            Values::Narrow(v) => Some((&self.offsets, &self.cols, v)),
            Values::Wide(_) => None,
        }
    }

    /// The matrix as raw bits in the trace's row form.
    pub(crate) fn to_trace(&self) -> Result<SparseRows<i64>, EpochError> {
        let rows = self.offsets.len().saturating_sub(1);
        let mut out = SparseRows::with_capacity(rows, self.nnz());
        for i in 0..rows {
            out.push_row(self.row(i).map(|(j, v)| (j as u16, v.to_bits())))?;
        }
        Ok(out)
    }
}

/// A dense length-`n` accumulator that remembers which columns it touched, so that
/// clearing it and listing its columns cost the row's length, not `n`.
pub(crate) struct RowScratch {
    values: Vec<I32F32>,
    seen: Vec<bool>,
    touched: Vec<u16>,
}

impl RowScratch {
    pub(crate) fn new(n: usize) -> Self {
        Self {
            values: vec![I32F32::ZERO; n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }

    /// The row length `n`.
    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    fn mark(&mut self, j: usize) -> Option<&mut I32F32> {
        let seen = self.seen.get_mut(j)?;
        if !*seen {
            *seen = true;
            self.touched.push(j as u16);
        }
        self.values.get_mut(j)
    }

    /// Sets column `j` (ignored when `j ≥ n`); a later set wins.
    pub(crate) fn set(&mut self, j: usize, v: I32F32) {
        if let Some(slot) = self.mark(j) {
            *slot = v;
        }
    }

    /// Saturating-adds `v` to column `j` (ignored when `j ≥ n`).
    pub(crate) fn add(&mut self, j: usize, v: I32F32) {
        if let Some(slot) = self.mark(j) {
            *slot = slot.saturating_add(v);
        }
    }

    /// Calls `f(j, value)` for every touched column in ascending order, then resets.
    pub(crate) fn drain_ascending(&mut self, mut f: impl FnMut(usize, I32F32)) {
        if !self.touched.windows(2).all(|w| w.first() < w.get(1)) {
            // A dense row is cheaper to list by scanning the flags than by sorting: the
            // scan costs n, which such a row's length already is within a factor 8.
            if self.touched.len() > self.seen.len() / 8 {
                for (j, (v, s)) in self.values.iter_mut().zip(self.seen.iter_mut()).enumerate() {
                    if *s {
                        f(j, core::mem::take(v));
                        *s = false;
                    }
                }
                self.touched.clear();
                return;
            }
            self.touched.sort_unstable();
        }
        for &j in &self.touched {
            let j = usize::from(j);
            if let (Some(v), Some(s)) = (self.values.get_mut(j), self.seen.get_mut(j)) {
                f(j, core::mem::take(v));
                *s = false;
            }
        }
        self.touched.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::proportion_to_u16;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn narrow_proportion_to_u16_equals_proportion_to_u16(
            v in prop_oneof![Just(0u32), Just(u32::MAX), Just(u32::MAX - 1), any::<u32>()],
        ) {
            prop_assert_eq!(narrow_proportion_to_u16(v), proportion_to_u16(widen(v)));
        }

        /// A narrow row written as stored bonds by the kernel, on both instruction
        /// sets, equals the entries converted one by one.
        #[test]
        fn narrow_rows_convert_entry_by_entry(
            row in proptest::collection::vec((any::<u16>(), prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>()]), 0..80),
        ) {
            use crate::cpu::{self, Isa};
            let (cols, vals): (Vec<u16>, Vec<u32>) = row.iter().copied().unzip();
            let expected: Vec<(u16, u16)> = row.iter().map(|&(j, v)| (j, proportion_to_u16(widen(v)))).collect();
            for isa in [Isa::Baseline, Isa::Best] {
                let mut out = SparseRows::<u16>::new();
                let done = out.push_row_filled(cols.len(), |out| {
                    cpu::run(isa, NarrowRowToU16 { cols: &cols, vals: &vals, out });
                });
                prop_assert!(done.is_ok());
                prop_assert_eq!(out.row(0), expected.as_slice(), "{:?}", isa);
            }
        }
    }

    #[test]
    fn values_outside_zero_one_widen_without_loss() {
        let mut m = Csr::with_capacity(2, 4);
        let values = [
            I32F32::ONE,
            I32F32::DELTA,
            I32F32::from_num(0.5),
            I32F32::from_num(3),
            I32F32::ZERO,
            I32F32::from_num(-2),
        ];
        for (j, v) in values.iter().enumerate() {
            m.push(j as u16, *v);
        }
        m.finish_row().unwrap();
        let row: Vec<I32F32> = m.row(0).map(|(_, v)| v).collect();
        assert_eq!(row, values);

        let mut m = Csr::with_capacity(1, 2);
        m.push(0, I32F32::ONE);
        m.push(1, I32F32::from_num(0.25));
        m.finish_row().unwrap();
        m.map_in_place(|j, v| if j == 0 { I32F32::ZERO } else { v });
        let row: Vec<(usize, I32F32)> = m.row(0).collect();
        assert_eq!(row, [(0, I32F32::ZERO), (1, I32F32::from_num(0.25))]);
    }
}
