//! [`Signer`] for taolite-core's key pairs.

use taolite_core::keys::rand_core::{CryptoRng, RngCore};
use taolite_core::keys::{Ed25519Keypair, Keypair};

use crate::address::SignatureScheme;
use crate::extrinsic::{Signer, SignerOutput, SigningPayload};

/// An sr25519 key pair with the RNG its signatures draw from (for `no_std` targets,
/// where there is no OS randomness).
pub struct Sr25519Signer<'k, R> {
    key: &'k Keypair,
    rng: R,
}

impl<'k, R: RngCore + CryptoRng> Sr25519Signer<'k, R> {
    /// Signs with `key`, mixing `rng` into every signature nonce.
    pub fn new(key: &'k Keypair, rng: R) -> Self {
        Self { key, rng }
    }
}

impl<R: RngCore + CryptoRng> Signer for Sr25519Signer<'_, R> {
    type Error = core::convert::Infallible;
    fn scheme(&self) -> SignatureScheme {
        SignatureScheme::Sr25519
    }
    fn sign(&mut self, payload: &SigningPayload<'_>) -> Result<SignerOutput, Self::Error> {
        let message = payload.message();
        let signature = self.key.sign_with_rng(message.as_bytes(), &mut self.rng);
        Ok(SignerOutput {
            public: self.key.public().to_bytes(),
            signature: signature.0,
        })
    }
}

/// sr25519 with the operating system's RNG.
#[cfg(feature = "std")]
impl Signer for Keypair {
    type Error = core::convert::Infallible;
    fn scheme(&self) -> SignatureScheme {
        SignatureScheme::Sr25519
    }
    fn sign(&mut self, payload: &SigningPayload<'_>) -> Result<SignerOutput, Self::Error> {
        let message = payload.message();
        Ok(SignerOutput {
            public: self.public().to_bytes(),
            signature: Keypair::sign(self, message.as_bytes()).0,
        })
    }
}

/// ed25519: deterministic signatures.
impl Signer for Ed25519Keypair {
    type Error = core::convert::Infallible;
    fn scheme(&self) -> SignatureScheme {
        SignatureScheme::Ed25519
    }
    fn sign(&mut self, payload: &SigningPayload<'_>) -> Result<SignerOutput, Self::Error> {
        let message = payload.message();
        Ok(SignerOutput {
            public: self.public().to_bytes(),
            signature: Ed25519Keypair::sign(self, message.as_bytes()).0,
        })
    }
}
