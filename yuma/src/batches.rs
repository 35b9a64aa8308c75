//! Which columns hold batched sums: the bookkeeping shared by the fast paths that add
//! exact u64 batches to the chain's saturating per-column sums
//! ([`crate::aligned_ema`], [`crate::aligned_yuma`]).
//!
//! A batch of non-negative terms added in one step equals its terms added one by one,
//! but only if no other term reaches the sum in between; so batches are settled before
//! any general row adds to the sums. Settling visits only the columns of the rows
//! batched since the last settlement — all columns once those rows hold `n` entries —
//! so it never costs more than the batched rows themselves.

use alloc::vec::Vec;

/// The rows batched since the last settlement.
#[derive(Clone)]
pub(crate) struct BatchedRows<'w> {
    rows: Vec<&'w [(u16, u16)]>,
    entries: usize,
}

impl<'w> BatchedRows<'w> {
    pub(crate) fn new() -> Self {
        Self {
            rows: Vec::new(),
            entries: 0,
        }
    }

    /// Records that a row's columns now hold batched terms.
    pub(crate) fn add(&mut self, row: &'w [(u16, u16)]) {
        self.rows.push(row);
        self.entries = self.entries.saturating_add(row.len());
    }

    /// Calls `settle` for every column in `0..n` that may hold a batch (a column may
    /// come more than once: settling empties its batch), then forgets the rows.
    pub(crate) fn settle(&mut self, n: usize, mut settle: impl FnMut(usize)) {
        if self.entries >= n {
            (0..n).for_each(settle);
        } else {
            for &(j, _) in self.rows.iter().flat_map(|row| row.iter()) {
                settle(usize::from(j));
            }
        }
        self.rows.clear();
        self.entries = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn settles_the_batched_columns_or_all_of_them() {
        let (a, b) = ([(1u16, 0u16), (3, 0)], [(3u16, 0u16), (7, 0)]);
        let mut batched = BatchedRows::new();
        batched.add(&a);
        batched.add(&b);
        let mut seen = vec![];
        batched.settle(10, |j| seen.push(j));
        assert_eq!(seen, [1, 3, 3, 7]);
        // Settled rows are forgotten.
        seen.clear();
        batched.settle(10, |j| seen.push(j));
        assert!(seen.is_empty());
        // As many batched entries as columns: every column, once.
        batched.add(&a);
        batched.add(&b);
        batched.settle(4, |j| seen.push(j));
        assert_eq!(seen, [0, 1, 2, 3]);
    }
}
