//! Client-side weight helpers, bit-exact with the bittensor SDK and the chain:
//! the u16 normalisation done before `set_weights`, and the commit-reveal hash.

use core::fmt;

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use taolite_core::{AccountId32, H256};

use crate::call::CallTable;
use crate::scale::{Field, Output, Seq};
use crate::storage::netuid_index;

/// Why weights could not be normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightsError {
    /// A weight is negative.
    NegativeWeight,
    /// A weight is NaN or infinite.
    NotFinite,
    /// A uid is negative.
    NegativeUid,
    /// A uid does not fit `u16`.
    UidTooLarge,
    /// `uids` and `weights` differ in length.
    LengthMismatch,
    /// The output buffers are shorter than the input.
    OutputTooSmall,
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NegativeWeight => "a weight is negative",
            Self::NotFinite => "a weight is NaN or infinite",
            Self::NegativeUid => "a uid is negative",
            Self::UidTooLarge => "a uid exceeds 65535",
            Self::LengthMismatch => "uids and weights differ in length",
            Self::OutputTooSmall => "output buffers are shorter than the input",
        })
    }
}

impl core::error::Error for WeightsError {}

/// Python's `round` on a non-negative float: to nearest, ties to even.
fn round_half_even(x: f64) -> u64 {
    // x is in [0, 65535] here, so the truncating cast is exact on the integer part.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let floor = x as u64;
    #[allow(clippy::cast_precision_loss)]
    let frac = x - floor as f64;
    if frac > 0.5 || (frac == 0.5 && floor % 2 == 1) {
        floor.saturating_add(1)
    } else {
        floor
    }
}

/// The SDK's `convert_weights_and_uids_for_emit`: weights (float32) are scaled so the
/// largest becomes 65535, rounded half to even, and zeros are dropped with their uid.
/// All-zero input gives no weights. Writes into the caller's buffers and returns how
/// many entries were written.
pub fn normalize_for_emit(
    uids: &[i64],
    weights: &[f32],
    out_uids: &mut [u16],
    out_weights: &mut [u16],
) -> Result<usize, WeightsError> {
    if weights.iter().any(|w| !w.is_finite()) {
        return Err(WeightsError::NotFinite);
    }
    if weights.iter().any(|&w| w < 0.0) {
        return Err(WeightsError::NegativeWeight);
    }
    if uids.iter().any(|&u| u < 0) {
        return Err(WeightsError::NegativeUid);
    }
    if uids.len() != weights.len() {
        return Err(WeightsError::LengthMismatch);
    }
    if uids.iter().any(|&u| u > i64::from(u16::MAX)) {
        return Err(WeightsError::UidTooLarge);
    }
    if out_uids.len() < uids.len() || out_weights.len() < uids.len() {
        return Err(WeightsError::OutputTooSmall);
    }
    // Non-negative values sum to zero exactly when all are zero.
    if weights.iter().all(|&w| w == 0.0) {
        return Ok(0);
    }
    let max = weights.iter().map(|&w| f64::from(w)).fold(0.0f64, f64::max);
    let mut n = 0usize;
    for (&uid, &w) in uids.iter().zip(weights) {
        let scaled = round_half_even(f64::from(w) / max * 65535.0);
        if scaled == 0 {
            continue;
        }
        let (Some(u), Some(v)) = (out_uids.get_mut(n), out_weights.get_mut(n)) else {
            return Err(WeightsError::OutputTooSmall);
        };
        *u = u16::try_from(uid).map_err(|_| WeightsError::UidTooLarge)?;
        *v = u16::try_from(scaled).unwrap_or(u16::MAX);
        n = n.saturating_add(1);
    }
    Ok(n)
}

struct HashOutput(Blake2b<U32>);

impl Output for HashOutput {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// The hash `commit_weights` / `commit_mechanism_weights` commit to, exactly as the
/// chain recomputes it at reveal: `blake2_256(SCALE((hotkey, netuid_index, uids, values,
/// salt, version_key)))` with `netuid_index = mecid * 4096 + netuid`. `None` when the
/// index does not fit u16.
pub fn commit_hash(
    hotkey: &AccountId32,
    netuid: u16,
    mecid: u8,
    uids: &[u16],
    values: &[u16],
    salt: &[u16],
    version_key: u64,
) -> Option<H256> {
    let index = netuid_index(netuid, mecid)?;
    let table = &CallTable::SPEC_425;
    let mut h = HashOutput(Blake2b::<U32>::new());
    hotkey.encode_field(table, &mut h);
    index.encode_field(table, &mut h);
    Seq::Items(uids).encode_field(table, &mut h);
    Seq::Items(values).encode_field(table, &mut h);
    Seq::Items(salt).encode_field(table, &mut h);
    version_key.encode_field(table, &mut h);
    Some(H256(h.0.finalize().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_even() {
        assert_eq!(round_half_even(0.5), 0);
        assert_eq!(round_half_even(1.5), 2);
        assert_eq!(round_half_even(2.5), 2);
        assert_eq!(round_half_even(2.4999), 2);
        assert_eq!(round_half_even(65535.0), 65535);
    }

    #[test]
    fn rejects_bad_input() {
        let mut u = [0u16; 4];
        let mut w = [0u16; 4];
        assert_eq!(
            normalize_for_emit(&[0], &[-1.0], &mut u, &mut w),
            Err(WeightsError::NegativeWeight)
        );
        assert_eq!(
            normalize_for_emit(&[-1], &[1.0], &mut u, &mut w),
            Err(WeightsError::NegativeUid)
        );
        assert_eq!(
            normalize_for_emit(&[0], &[f32::NAN], &mut u, &mut w),
            Err(WeightsError::NotFinite)
        );
        assert_eq!(
            normalize_for_emit(&[0, 1], &[1.0], &mut u, &mut w),
            Err(WeightsError::LengthMismatch)
        );
        assert_eq!(
            normalize_for_emit(&[70000], &[1.0], &mut u, &mut w),
            Err(WeightsError::UidTooLarge)
        );
    }
}
