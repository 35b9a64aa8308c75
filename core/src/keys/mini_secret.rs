//! The 32-byte mini secret (Substrate's "seed") and how a mnemonic becomes one.
//!
//! substrate-bip39: `PBKDF2-HMAC-SHA512(password = entropy, salt = "mnemonic" ++ raw
//! UTF-8 password, 2048 rounds)`, first 32 of the 64 output bytes. A full 64-byte
//! PBKDF2 output is exactly one PBKDF2 block, so the block is computed here directly
//! with `hmac`: the salt is fed in pieces, which keeps this allocation-free for any
//! password length. The result is checked against the `pbkdf2` crate in the tests.

use core::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha512;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::mnemonic::{Entropy, MnemonicError};

/// Bytes in a mini secret.
pub const MINI_SECRET_LEN: usize = 32;

/// PBKDF2 rounds substrate-bip39 uses.
const PBKDF2_ROUNDS: u32 = 2048;

/// The BIP39 salt prefix; the user password follows it as raw bytes (no NFKD).
const SALT_PREFIX: &[u8] = b"mnemonic";

/// A 32-byte sr25519/ed25519 mini secret, zeroized on drop; its `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct MiniSecret([u8; MINI_SECRET_LEN]);

impl MiniSecret {
    /// Wraps 32 secret bytes (e.g. a `0x…` seed from a secret URI).
    pub fn from_bytes(bytes: [u8; MINI_SECRET_LEN]) -> Self {
        Self(bytes)
    }

    /// The mini secret for a BIP39 phrase and password, as substrate-bip39 computes it.
    pub fn from_phrase(phrase: &str, password: &str) -> Result<Self, MnemonicError> {
        let entropy = Entropy::from_phrase(phrase)?;
        Ok(Self::from_entropy(&entropy, password))
    }

    /// The mini secret for BIP39 entropy and a password (raw UTF-8, not normalized).
    pub fn from_entropy(entropy: &Entropy, password: &str) -> Self {
        let mut block = pbkdf2_sha512_first_block(
            entropy.as_bytes(),
            &[SALT_PREFIX, password.as_bytes()],
            PBKDF2_ROUNDS,
        );
        let mut secret = [0u8; MINI_SECRET_LEN];
        for (dst, src) in secret.iter_mut().zip(block.iter()) {
            *dst = *src;
        }
        block.zeroize();
        Self(secret)
    }

    /// The secret bytes. Handle with care: copies are not zeroized for you.
    pub fn as_bytes(&self) -> &[u8; MINI_SECRET_LEN] {
        &self.0
    }
}

impl fmt::Debug for MiniSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MiniSecret(hidden)")
    }
}

/// The first 64-byte block of PBKDF2-HMAC-SHA512, with the salt given in parts.
fn pbkdf2_sha512_first_block(password: &[u8], salt_parts: &[&[u8]], rounds: u32) -> [u8; 64] {
    let mut out = [0u8; 64];
    // HMAC accepts keys of any length, so this never takes the `Err` branch; were it
    // to, the all-zero result would fail every vector test rather than pass silently.
    let Ok(keyed) = Hmac::<Sha512>::new_from_slice(password) else {
        return out;
    };
    let mut mac = keyed.clone();
    for part in salt_parts {
        mac.update(part);
    }
    mac.update(&1u32.to_be_bytes());
    let mut block: [u8; 64] = mac.finalize().into_bytes().into();
    out.copy_from_slice(&block);
    for _ in 1..rounds {
        let mut mac = keyed.clone();
        mac.update(&block);
        block = mac.finalize().into_bytes().into();
        for (acc, b) in out.iter_mut().zip(block.iter()) {
            *acc ^= b;
        }
    }
    block.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dev_phrase_mini_secret() {
        let secret = MiniSecret::from_phrase(super::super::DEV_PHRASE, "").unwrap();
        assert_eq!(
            secret.as_bytes(),
            &crate::hex::decode_array::<32>(
                "fac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e"
            )
            .unwrap()
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        extern crate std;
        let text = std::format!("{:?}", MiniSecret::from_bytes([0xab; 32]));
        assert!(!text.contains("ab"), "{text}");
    }

    proptest! {
        #[test]
        fn equals_the_pbkdf2_crate(
            key in prop::collection::vec(any::<u8>(), 0..40),
            password in prop::collection::vec(any::<u8>(), 0..200),
            rounds in 1u32..40,
        ) {
            let mut salt = [0u8; 208];
            salt[..8].copy_from_slice(SALT_PREFIX);
            salt[8..8 + password.len()].copy_from_slice(&password);
            let mut expected = [0u8; 64];
            pbkdf2::pbkdf2_hmac::<Sha512>(&key, &salt[..8 + password.len()], rounds, &mut expected);
            prop_assert_eq!(
                pbkdf2_sha512_first_block(&key, &[SALT_PREFIX, &password], rounds),
                expected
            );
        }
    }
}
