//! ed25519 keys as Substrate uses them (a `MultiSignature` may carry one).
//!
//! The seed is the same mini secret sr25519 uses; key pair and signatures are RFC 8032
//! (deterministic). Hard junctions: `seed' = blake2b_256(SCALE(("Ed25519HDKD", seed,
//! chain_code)))`; there are no soft junctions.

use core::fmt;

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};

use super::error::KeyError;
use super::junction::{DeriveJunction, CHAIN_CODE_LEN};
use super::mini_secret::MiniSecret;
use super::signature::{Signature, SignatureError};
use super::suri::{RootSecret, SecretUri};
use crate::account::AccountId32;
use crate::ss58::{Ss58Address, Ss58Error};

/// SCALE encoding of the string "Ed25519HDKD": compact length 11 (`0x2c`), then UTF-8.
const HDKD_LABEL: &[u8] = b"\x2cEd25519HDKD";

/// An ed25519 public key (a valid curve point).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ed25519PublicKey(VerifyingKey);

impl Ed25519PublicKey {
    /// A public key from its 32-byte encoding.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        VerifyingKey::from_bytes(bytes)
            .map(Self)
            .map_err(|_| KeyError::InvalidPublicKey)
    }

    /// The 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The account id: for ed25519, the public key itself.
    pub fn account_id(&self) -> AccountId32 {
        AccountId32(self.to_bytes())
    }

    /// The SS58 address for a network prefix.
    pub fn to_ss58(&self, prefix: u16) -> Result<Ss58Address, Ss58Error> {
        crate::ss58::encode(&self.to_bytes(), prefix)
    }

    /// Verifies an RFC 8032 signature of `message` with ed25519-dalek's `verify`.
    ///
    /// The chain verifies with ed25519-zebra (ZIP 215 rules); both accept every honest
    /// signature, but crafted edge cases (small-order points, non-canonical point
    /// encodings) may be judged differently.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), SignatureError> {
        let signature = ed25519_dalek::Signature::from_bytes(&signature.0);
        self.0
            .verify(message, &signature)
            .map_err(|_| SignatureError::Mismatch)
    }
}

impl fmt::Debug for Ed25519PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ed25519PublicKey(")?;
        crate::hex::fmt_prefixed(&self.to_bytes(), f)?;
        f.write_str(")")
    }
}

/// An ed25519 key pair; the seed zeroizes on drop and `Debug` hides it.
#[derive(Clone)]
pub struct Ed25519Keypair {
    signing: SigningKey,
    seed: MiniSecret,
}

impl Ed25519Keypair {
    /// The key pair for a 32-byte seed.
    pub fn from_mini_secret(seed: &MiniSecret) -> Self {
        Self {
            signing: SigningKey::from_bytes(seed.as_bytes()),
            seed: seed.clone(),
        }
    }

    /// The key pair a secret URI names (hard junctions only), as sp-core's ed25519
    /// `Pair::from_string`; a password after a `0x` seed is ignored, as there.
    pub fn from_suri(uri: &str) -> Result<Self, KeyError> {
        let uri = SecretUri::parse(uri)?;
        let seed = match uri.root_secret() {
            RootSecret::SeedHex(hex) => {
                MiniSecret::from_bytes(crate::hex::decode_array(hex).map_err(KeyError::SeedHex)?)
            }
            RootSecret::Mnemonic(phrase) => {
                MiniSecret::from_phrase(phrase, uri.password().unwrap_or(""))?
            }
        };
        Self::from_mini_secret(&seed).derive(uri.junctions())
    }

    /// The child for a hard junction.
    pub fn derive_hard(&self, chain_code: &[u8; CHAIN_CODE_LEN]) -> Self {
        let child: [u8; 32] = Blake2b::<U32>::new()
            .chain_update(HDKD_LABEL)
            .chain_update(self.seed.as_bytes())
            .chain_update(chain_code)
            .finalize()
            .into();
        Self::from_mini_secret(&MiniSecret::from_bytes(child))
    }

    /// Follows a path of hard junctions; a soft junction is an error.
    pub fn derive<I>(&self, path: I) -> Result<Self, KeyError>
    where
        I: IntoIterator<Item = DeriveJunction>,
    {
        let mut key = self.clone();
        for (position, junction) in path.into_iter().enumerate() {
            match junction {
                DeriveJunction::Hard(code) => key = key.derive_hard(&code),
                DeriveJunction::Soft(_) => {
                    return Err(KeyError::SoftJunctionUnsupported { position })
                }
            }
        }
        Ok(key)
    }

    /// The public key.
    pub fn public(&self) -> Ed25519PublicKey {
        Ed25519PublicKey(self.signing.verifying_key())
    }

    /// The 32-byte seed.
    pub fn seed(&self) -> &MiniSecret {
        &self.seed
    }

    /// Signs `message` (RFC 8032: the same message always gives the same signature).
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature(self.signing.sign(message).to_bytes())
    }
}

impl fmt::Debug for Ed25519Keypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ed25519Keypair { public: ")?;
        crate::hex::fmt_prefixed(&self.public().to_bytes(), f)?;
        f.write_str(", secret: hidden }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alice_matches_the_spec() {
        let alice = Ed25519Keypair::from_suri("//Alice").unwrap();
        assert_eq!(
            alice.public().to_bytes(),
            crate::hex::decode_array::<32>(
                "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"
            )
            .unwrap()
        );
        let signature = alice.sign(b"x");
        assert_eq!(alice.sign(b"x"), signature);
        assert_eq!(alice.public().verify(b"x", &signature), Ok(()));
        assert_eq!(
            alice.public().verify(b"y", &signature),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            Ed25519Keypair::from_suri("//Alice/soft").unwrap_err(),
            KeyError::SoftJunctionUnsupported { position: 1 }
        );
    }
}
