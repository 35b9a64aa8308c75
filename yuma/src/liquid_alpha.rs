//! Yuma3 with liquid alpha: a per-entry EMA coefficient from a sigmoid (spec §4.12.3).
//!
//! The chain computes a coefficient for every `(row, column)` pair, `n²` of them, but
//! only the columns present in the row's weights or bonds are ever read, so only those
//! are computed here. The chain's cursor lookup finds an entry only when its uid is
//! strictly above every uid before it in the row (spec §7.3): the "record" entries.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::exp::exp_safe;

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
    weight_found: Vec<Option<I32F32>>,
    bond_found: Vec<Option<I32F32>>,
    alpha: Vec<Option<I32F32>>,
    decayed: Vec<I32F32>,
}

/// The sigmoid's coefficient for a buy or sell difference: a pure function of it for
/// one epoch's slope and bounds.
fn alpha_of_difference(slope: I32F32, low: I32F32, high: I32F32, diff: I32F32) -> I32F32 {
    let x = slope.saturating_mul(diff.saturating_sub(HALF));
    let sigmoid = saturating_div(I32F32::ONE, I32F32::ONE.saturating_add(exp_safe(x)));
    let alpha = low.saturating_add(sigmoid.saturating_mul(high.saturating_sub(low)));
    alpha.min(high).max(low)
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
            alpha_at_zero: alpha_of_difference(slope, low, high, I32F32::ZERO),
            weight_found: vec![None; n],
            bond_found: vec![None; n],
            alpha: vec![None; n],
            decayed: vec![I32F32::ZERO; n],
        }
    }

    /// `alpha_sigmoid(consensus, weight, bond)`.
    pub(crate) fn sigmoid_alpha(&self, consensus: I32F32, weight: I32F32, bond: I32F32) -> I32F32 {
        let clamp01 = |v: I32F32| v.min(I32F32::ONE).max(I32F32::ZERO);
        let buy = clamp01(weight.saturating_sub(consensus));
        let sell = clamp01(bond.saturating_sub(weight));
        let diff = if weight >= bond { buy } else { sell };
        if diff == I32F32::ZERO {
            return self.alpha_at_zero;
        }
        alpha_of_difference(self.slope, self.low, self.high, diff)
    }

    fn alpha_at(&mut self, j: usize) -> I32F32 {
        if let Some(Some(a)) = self.alpha.get(j) {
            return *a;
        }
        let c = self.consensus.get(j).copied().unwrap_or(I32F32::ZERO);
        let w = self
            .weight_found
            .get(j)
            .copied()
            .flatten()
            .unwrap_or(I32F32::ZERO);
        let b = self
            .bond_found
            .get(j)
            .copied()
            .flatten()
            .unwrap_or(I32F32::ZERO);
        let a = self.sigmoid_alpha(c, w, b);
        if let Some(slot) = self.alpha.get_mut(j) {
            *slot = Some(a);
        }
        a
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
