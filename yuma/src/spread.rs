//! A weight row and a bond row laid over every column `0..n` by position, so that
//! two rows of different columns take the vector loops written for full rows.
//!
//! A column missing from a row reads as [`MASKED`] (a weight) or 0 (a bond), which is
//! how the chain's sparse steps treat it; the callers drop the zero results.

use alloc::vec;
use alloc::vec::Vec;

use crate::epoch::{StoredRow, MASKED};

/// The spread rows; empty until [`Spread::lay_out`], clear between rows.
#[derive(Clone, Default)]
pub(crate) struct Spread {
    /// `(j, 0)` for every column: a full row's entries (only the columns are read).
    pub(crate) entries: Vec<(u16, u16)>,
    pub(crate) weights: Vec<u32>,
    /// `(j, bond)` for every column.
    pub(crate) bonds: Vec<(u16, u16)>,
}

impl Spread {
    /// Calls `f` with a weight row and a bond row laid over the columns `0..n`
    /// (columns from `n` on left out), and leaves the spread clear again.
    pub(crate) fn with<R>(
        &mut self,
        n: usize,
        weights: StoredRow<'_>,
        bonds: &[(u16, u16)],
        f: impl FnOnce(&Self) -> R,
    ) -> R {
        self.lay_out(n);
        self.fill(weights, bonds);
        let result = f(self);
        self.clear(weights.0, bonds);
        result
    }

    /// Makes the rows `n` columns long and clear (once: [`Self::clear`] keeps them so).
    fn lay_out(&mut self, n: usize) {
        if self.weights.len() != n {
            // Columns 0..n fit u16 (n is a u16 count).
            self.entries = (0..n).map(|j| (j as u16, 0)).collect();
            self.weights = vec![MASKED; n];
            self.bonds = self.entries.clone();
        }
    }

    /// Writes a weight row and a bond row (columns from `n` on are left out).
    fn fill(&mut self, (w_entries, w_values): StoredRow<'_>, bonds: &[(u16, u16)]) {
        for (&(j, _), &w) in w_entries.iter().zip(w_values) {
            if let Some(slot) = self.weights.get_mut(usize::from(j)) {
                *slot = w;
            }
        }
        for &(j, bond) in bonds {
            if let Some(slot) = self.bonds.get_mut(usize::from(j)) {
                slot.1 = bond;
            }
        }
    }

    /// Clears what [`Self::fill`] wrote for these rows.
    fn clear(&mut self, w_entries: &[(u16, u16)], bonds: &[(u16, u16)]) {
        for &(j, _) in w_entries {
            if let Some(slot) = self.weights.get_mut(usize::from(j)) {
                *slot = MASKED;
            }
        }
        for &(j, _) in bonds {
            if let Some(slot) = self.bonds.get_mut(usize::from(j)) {
                slot.1 = 0;
            }
        }
    }

    /// Whether two rows (strictly ascending columns) are worth spreading over `n`
    /// columns: together they hold at least half of them, so the full-row loop takes
    /// at most twice their entries' steps, each far cheaper than a merge step.
    pub(crate) fn pays_off(w_entries: usize, bonds: usize, n: usize) -> bool {
        w_entries.saturating_add(bonds) >= n / 2
    }
}
