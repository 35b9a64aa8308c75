//! Keys as Substrate and Bittensor use them: BIP39 mnemonics, secret URIs, sr25519
//! (and ed25519, which a `MultiSignature` may carry).
//!
//! The path from what a user types to a signature:
//!
//! 1. [`SecretUri::parse`] splits `phrase//hard/soft///password` without allocating.
//! 2. [`Entropy::from_phrase`] checks the BIP39 English words and checksum, and
//!    [`MiniSecret::from_entropy`] runs substrate-bip39's PBKDF2 over the *entropy*.
//! 3. [`Keypair`] expands the mini secret in schnorrkel's Ed25519 mode, applies hard
//!    and soft [`DeriveJunction`]s, signs and verifies with the `substrate` context.
//!
//! Everything secret zeroizes on drop and has a `Debug` that prints no secret.
//! Without `std` every operation that needs randomness (signing, soft derivation of a
//! secret key) takes a caller RNG; `std` adds conveniences that use the OS RNG.

mod ed25519;
mod error;
mod junction;
mod mini_secret;
mod mnemonic;
mod signature;
mod sr25519;
mod suri;

/// The RNG traits signing and soft derivation take, re-exported so callers implement
/// the same version schnorrkel uses.
pub use rand_core;

pub use ed25519::{Ed25519Keypair, Ed25519PublicKey};
pub use error::KeyError;
pub use junction::{chain_code, DeriveJunction, CHAIN_CODE_LEN};
pub use mini_secret::{MiniSecret, MINI_SECRET_LEN};
pub use mnemonic::{Entropy, MnemonicError, WordText, MAX_ENTROPY_LEN};
pub use signature::{Signature, SignatureError, SIGNATURE_LEN};
pub use sr25519::{
    Keypair, PublicKey, SecretKeyBytes, PUBLIC_KEY_LEN, SECRET_KEY_LEN, SIGNING_CONTEXT,
};
pub use suri::{Junctions, RootSecret, SecretUri, SuriError, DEV_PHRASE, MAX_JUNCTIONS};
