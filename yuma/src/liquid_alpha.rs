//! Yuma3 with liquid alpha: a per-entry EMA coefficient from a sigmoid (spec §4.12.3).
//!
//! The chain computes a coefficient for every `(row, column)` pair, `n²` of them, but
//! only the columns present in the row's weights or bonds are ever read, so only those
//! are computed here. The chain's cursor lookup finds an entry only when its uid is
//! strictly above every uid before it in the row (spec §7.3): the "record" entries.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::exp::exp_safe_lanes;

use crate::arith::{saturating_div, u16_proportion};
use crate::error::EpochError;
use crate::input::EpochInput;
use crate::rows::Csr;

const HALF: I32F32 = I32F32::from_bits(1 << 31);

/// Coefficients and per-row scratch for `mat_ema_alpha_sparse`.
pub(crate) struct LiquidAlpha<'c> {
    consensus: &'c [I32F32],
    low: I32F32,
    high: I32F32,
    /// steepness sat÷ (−100), truncating toward zero.
    slope: I32F32,
    /// The coefficient at a difference of 0 (a weight at or below consensus buying, or
    /// a bond at or below the weight selling: common), computed once.
    alpha_at_zero: I32F32,
    /// The columns of the current row whose coefficient is being computed, with their
    /// differences.
    queued: Vec<(usize, I32F32)>,
    weight_found: Vec<Option<I32F32>>,
    bond_found: Vec<Option<I32F32>>,
    alpha: Vec<Option<I32F32>>,
    decayed: Vec<I32F32>,
}

/// The sigmoid's coefficients for `L` buy or sell differences: a pure function of
/// each difference for one epoch's slope and bounds. The exponentials run in lanes
/// ([`exp_safe_lanes`]): their series are long dependency chains.
fn alphas_of_differences<const L: usize>(
    slope: I32F32,
    low: I32F32,
    high: I32F32,
    diffs: [I32F32; L],
) -> [I32F32; L] {
    let exps = exp_safe_lanes(diffs.map(|d| slope.saturating_mul(d.saturating_sub(HALF))));
    exps.map(|e| {
        let sigmoid = saturating_div(I32F32::ONE, I32F32::ONE.saturating_add(e));
        let alpha = low.saturating_add(sigmoid.saturating_mul(high.saturating_sub(low)));
        alpha.min(high).max(low)
    })
}

/// Sigmoids computed together in [`LiquidAlpha::prepare_row`]: four where the
/// processor overlaps independent chains (64-bit targets), one on the small in-order
/// cores of 32-bit targets, where lanes would only add code.
const LANES: usize = if cfg!(target_pointer_width = "64") {
    4
} else {
    1
};

/// The sigmoid's input: the buy difference (weight above consensus) when the weight
/// is at least the bond, else the sell difference (bond above weight), each in [0, 1].
fn difference(consensus: I32F32, weight: I32F32, bond: I32F32) -> I32F32 {
    let clamp01 = |v: I32F32| v.min(I32F32::ONE).max(I32F32::ZERO);
    if weight >= bond {
        clamp01(weight.saturating_sub(consensus))
    } else {
        clamp01(bond.saturating_sub(weight))
    }
}

impl<'c> LiquidAlpha<'c> {
    pub(crate) fn new(input: &EpochInput, consensus: &'c [I32F32]) -> Self {
        let n = consensus.len();
        let steepness = I32F32::from_bits(i64::from(input.alpha_sigmoid_steepness) << 32);
        let low = u16_proportion(input.alpha_low);
        let high = u16_proportion(input.alpha_high);
        let slope = saturating_div(steepness, I32F32::from_bits(-100_i64 << 32));
        Self {
            consensus,
            low,
            high,
            slope,
            alpha_at_zero: {
                let [a] = alphas_of_differences(slope, low, high, [I32F32::ZERO]);
                a
            },
            queued: Vec::new(),
            weight_found: vec![None; n],
            bond_found: vec![None; n],
            alpha: vec![None; n],
            decayed: vec![I32F32::ZERO; n],
        }
    }

    /// `alpha_sigmoid(consensus, weight, bond)`.
    #[cfg(test)]
    pub(crate) fn sigmoid_alpha(&self, consensus: I32F32, weight: I32F32, bond: I32F32) -> I32F32 {
        self.alpha_of(difference(consensus, weight, bond))
    }

    /// The coefficient for one difference.
    fn alpha_of(&self, diff: I32F32) -> I32F32 {
        if diff == I32F32::ZERO {
            return self.alpha_at_zero;
        }
        let [a] = alphas_of_differences(self.slope, self.low, self.high, [diff]);
        a
    }

    /// The sigmoid's difference for column `j` of the current row.
    fn difference_at(&self, j: usize) -> I32F32 {
        let c = self.consensus.get(j).copied().unwrap_or(I32F32::ZERO);
        let found = |v: &[Option<I32F32>]| v.get(j).copied().flatten().unwrap_or(I32F32::ZERO);
        difference(c, found(&self.weight_found), found(&self.bond_found))
    }

    /// Computes the coefficient of every column of the row (`weights_row` and
    /// `bonds_row`, after their records are found) before the EMA reads them,
    /// [`LANES`] sigmoids at a time.
    fn prepare_row(&mut self, weights_row: &[(u16, I32F32)], bonds_row: &[(u16, I32F32)]) {
        self.queued.clear();
        for &(j, _) in bonds_row.iter().chain(weights_row) {
            let j = usize::from(j);
            if !matches!(self.alpha.get(j), Some(None)) {
                continue;
            }
            let diff = self.difference_at(j);
            let now = if diff == I32F32::ZERO {
                self.alpha_at_zero
            } else {
                self.queued.push((j, diff));
                // Marks the column as queued; the value is written below.
                I32F32::ZERO
            };
            if let Some(slot) = self.alpha.get_mut(j) {
                *slot = Some(now);
            }
        }
        for chunk in self.queued.chunks(LANES) {
            let mut diffs = [I32F32::ZERO; LANES];
            for (d, &(_, diff)) in diffs.iter_mut().zip(chunk) {
                *d = diff;
            }
            let alphas = alphas_of_differences(self.slope, self.low, self.high, diffs);
            for (&(j, _), a) in chunk.iter().zip(alphas) {
                if let Some(slot) = self.alpha.get_mut(j) {
                    *slot = Some(a);
                }
            }
        }
    }

    /// The coefficient of column `j`, computed by [`LiquidAlpha::prepare_row`].
    fn alpha_at(&self, j: usize) -> I32F32 {
        match self.alpha.get(j) {
            Some(Some(a)) => *a,
            _ => self.alpha_of(self.difference_at(j)),
        }
    }

    /// Marks the record entries of `row` in `found`.
    fn find_records(row: &[(u16, I32F32)], found: &mut [Option<I32F32>]) {
        let mut highest: Option<u16> = None;
        for &(j, v) in row {
            if highest.is_none_or(|h| j > h) {
                highest = Some(j);
                if let Some(slot) = found.get_mut(usize::from(j)) {
                    *slot = Some(v);
                }
            }
        }
    }

    /// One row of `mat_ema_alpha_sparse(weights_for_bonds, bonds, alpha)` appended to `out`.
    pub(crate) fn ema_row(
        &mut self,
        weights_row: &[(u16, I32F32)],
        bonds_row: &[(u16, I32F32)],
        out: &mut Csr,
    ) -> Result<(), EpochError> {
        Self::find_records(weights_row, &mut self.weight_found);
        Self::find_records(bonds_row, &mut self.bond_found);
        self.prepare_row(weights_row, bonds_row);
        for &(j, b) in bonds_row {
            let j = usize::from(j);
            if j >= self.decayed.len() {
                continue;
            }
            let a = self.alpha_at(j);
            if let Some(d) = self.decayed.get_mut(j) {
                *d = I32F32::ONE.saturating_sub(a).saturating_mul(b);
            }
        }
        for &(j, w) in weights_row {
            let ju = usize::from(j);
            let Some(&decayed) = self.decayed.get(ju) else {
                continue;
            };
            let a = self.alpha_at(ju);
            let increase = a.saturating_mul(w).max(I32F32::ZERO);
            let v = decayed.saturating_add(increase).min(I32F32::ONE);
            if v > I32F32::ZERO {
                out.push(j, v);
            }
        }
        out.finish_row()?;
        for &(j, _) in weights_row.iter().chain(bonds_row) {
            let j = usize::from(j);
            if let Some(s) = self.weight_found.get_mut(j) {
                *s = None;
            }
            if let Some(s) = self.bond_found.get_mut(j) {
                *s = None;
            }
            if let Some(s) = self.alpha.get_mut(j) {
                *s = None;
            }
            if let Some(s) = self.decayed.get_mut(j) {
                *s = I32F32::ZERO;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coefficients() -> EpochInput {
        EpochInput {
            alpha_low: 45_875,
            alpha_high: 58_982,
            alpha_sigmoid_steepness: 1000,
            ..EpochInput::default()
        }
    }

    /// The chain takes the buy side when the weight equals the bond (`w ≥ b`, spec
    /// §4.12.3): then α does not depend on the bond, and a weight above consensus gives
    /// another α than a weight at consensus. With `w > b` the tie would take the sell
    /// side (0 here) and both α would be equal. No shared vector pins this tie.
    #[test]
    fn a_weight_equal_to_its_bond_takes_the_buy_side() {
        let input = coefficients();
        let la = LiquidAlpha::new(&input, &[]);
        let w = I32F32::from_num(0.5);
        let c = I32F32::from_num(0.125);
        let tie = la.sigmoid_alpha(c, w, w);
        assert_eq!(tie, la.sigmoid_alpha(c, w, I32F32::ZERO));
        assert_ne!(tie, la.sigmoid_alpha(w, w, w));
        // Below the bond the sell side counts: the consensus no longer matters.
        let b = I32F32::from_num(0.75);
        assert_eq!(la.sigmoid_alpha(c, w, b), la.sigmoid_alpha(w, w, b));
    }
}
