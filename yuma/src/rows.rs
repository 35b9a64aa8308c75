//! Working storage for the stages: a compressed-row matrix of fixed-point values and a
//! reusable dense row accumulator.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::error::EpochError;
use crate::sparse::SparseRows;

/// A compressed-row matrix of I32F32 values, columns and values in separate arrays
/// (10 bytes per entry instead of 16 for `(u16, I32F32)` pairs).
pub(crate) struct Csr {
    offsets: Vec<u32>,
    cols: Vec<u16>,
    vals: Vec<I32F32>,
}

impl Csr {
    pub(crate) fn with_capacity(rows: usize, entries: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows.saturating_add(1));
        offsets.push(0);
        Self {
            offsets,
            cols: Vec::with_capacity(entries),
            vals: Vec::with_capacity(entries),
        }
    }

    pub(crate) fn push(&mut self, j: u16, v: I32F32) {
        self.cols.push(j);
        self.vals.push(v);
    }

    pub(crate) fn finish_row(&mut self) -> Result<(), EpochError> {
        let end = u32::try_from(self.cols.len()).map_err(|_| EpochError::TooManyEntries)?;
        self.offsets.push(end);
        Ok(())
    }

    pub(crate) fn nnz(&self) -> usize {
        self.cols.len()
    }

    fn range(&self, i: usize) -> core::ops::Range<usize> {
        match (self.offsets.get(i), self.offsets.get(i.wrapping_add(1))) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// Row `i` as `(column, value)` pairs in stored order.
    pub(crate) fn row(&self, i: usize) -> impl Iterator<Item = (usize, I32F32)> + '_ {
        let r = self.range(i);
        let cols = self.cols.get(r.clone()).unwrap_or(&[]);
        let vals = self.vals.get(r).unwrap_or(&[]);
        cols.iter().zip(vals).map(|(j, v)| (usize::from(*j), *v))
    }

    /// Visits every entry as `(row, column, value)`, rows in order.
    pub(crate) fn for_each(&self, mut f: impl FnMut(usize, usize, I32F32)) {
        for i in 0..self.offsets.len().saturating_sub(1) {
            for (j, v) in self.row(i) {
                f(i, j, v);
            }
        }
    }

    /// Replaces every value by `f(row, column, value)`.
    pub(crate) fn map_in_place(&mut self, mut f: impl FnMut(usize, usize, I32F32) -> I32F32) {
        for i in 0..self.offsets.len().saturating_sub(1) {
            let r = self.range(i);
            let (Some(cols), Some(vals)) = (self.cols.get(r.clone()), self.vals.get_mut(r)) else {
                continue;
            };
            for (j, v) in cols.iter().zip(vals.iter_mut()) {
                *v = f(i, usize::from(*j), *v);
            }
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
