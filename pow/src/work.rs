//! The seal hash chain: `seal = Keccak-256(SHA-256(LE64(nonce) ‖ Keccak-256(block_hash ‖ key)))`.

use core::fmt;

use taolite_core::hash::{keccak256, sha256};
use taolite_core::{AccountId32, H256};

use crate::difficulty::{Difficulty, Rule, Target};

/// One work item: a block hash and a key, with their Keccak-256 computed once.
///
/// The key is the hotkey for the historical PoW `register` call and the coldkey for
/// `faucet`; the hash chain is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Work {
    block_and_key_hash: [u8; 32],
}

impl Work {
    /// Precomputes `Keccak-256(block_hash ‖ key)` (the chain's `hash_block_and_hotkey`).
    pub fn new(block_hash: &H256, key: &AccountId32) -> Self {
        let mut message = [0u8; 64];
        let (first, second) = message.split_at_mut(32);
        first.copy_from_slice(&block_hash.0);
        second.copy_from_slice(&key.0);
        Self {
            block_and_key_hash: keccak256(&message),
        }
    }

    /// A work item from an already computed `Keccak-256(block_hash ‖ key)`.
    pub const fn from_block_and_key_hash(block_and_key_hash: [u8; 32]) -> Self {
        Self { block_and_key_hash }
    }

    /// `Keccak-256(block_hash ‖ key)`.
    pub const fn block_and_key_hash(&self) -> &[u8; 32] {
        &self.block_and_key_hash
    }

    /// The 40-byte SHA-256 input: `LE64(nonce) ‖ Keccak-256(block_hash ‖ key)`.
    pub fn pre_seal(&self, nonce: u64) -> [u8; 40] {
        let mut message = [0u8; 40];
        let (head, tail) = message.split_at_mut(8);
        head.copy_from_slice(&nonce.to_le_bytes());
        tail.copy_from_slice(&self.block_and_key_hash);
        message
    }

    /// The seal of `nonce` (the chain's `create_seal_hash`; the extrinsic's `work`).
    pub fn seal(&self, nonce: u64) -> [u8; 32] {
        keccak256(&sha256(&self.pre_seal(nonce)))
    }
}

/// Why the chain would refuse a solution, in the order it checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowError {
    /// The submitted `work` does not meet the difficulty (`InvalidDifficulty`).
    InvalidDifficulty,
    /// The submitted `work` is not the seal of this block, key and nonce (`InvalidSeal`).
    InvalidSeal,
}

impl fmt::Display for PowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidDifficulty => f.write_str("work does not meet the difficulty"),
            Self::InvalidSeal => f.write_str("work is not the seal of this block, key and nonce"),
        }
    }
}

impl core::error::Error for PowError {}

/// Checks a submitted solution as the chain does: first that `work` meets the difficulty,
/// then that it is the seal of `(block_hash, key, nonce)`.
///
/// The block window (the block must be one of the last three) is the caller's to check:
/// it needs the chain head, which this crate does not know.
pub fn verify(
    block_hash: &H256,
    key: &AccountId32,
    nonce: u64,
    work: &[u8; 32],
    difficulty: &Difficulty,
    rule: Rule,
) -> Result<(), PowError> {
    if !Target::new(difficulty).is_met_by(work, rule) {
        return Err(PowError::InvalidDifficulty);
    }
    if Work::new(block_hash, key).seal(nonce) != *work {
        return Err(PowError::InvalidSeal);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use taolite_core::hex::decode_array;

    /// The spec's worked example (vector `s001`).
    #[test]
    fn worked_example() {
        let alice: [u8; 32] =
            decode_array("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
                .unwrap();
        let work = Work::new(&H256([0; 32]), &AccountId32(alice));
        let bh: [u8; 32] =
            decode_array("c0624595063eff7717b713bc2903b05ef476c0f969bb8e1342576dad3cf5932f")
                .unwrap();
        assert_eq!(work.block_and_key_hash(), &bh);
        let seal: [u8; 32] =
            decode_array("8f451590e942a76be6bad67804a7858b8ac3d5c04d1aa6204a10ff61c601b03f")
                .unwrap();
        assert_eq!(work.seal(0), seal);
        assert_eq!(
            verify(
                &H256([0; 32]),
                &AccountId32(alice),
                0,
                &seal,
                &Difficulty::ONE,
                Rule::LittleEndian
            ),
            Ok(())
        );
        assert_eq!(
            verify(
                &H256([0; 32]),
                &AccountId32(alice),
                1,
                &seal,
                &Difficulty::ONE,
                Rule::LittleEndian
            ),
            Err(PowError::InvalidSeal)
        );
    }
}
