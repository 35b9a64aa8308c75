//! sr25519 (schnorrkel on Ristretto255) key pairs and public keys, as Substrate uses
//! them: Ed25519-mode expansion, HDKD hard and soft junctions, the `substrate` signing
//! context.

use core::fmt;

use rand_core::{CryptoRng, RngCore};
use schnorrkel::context::attach_rng;
use schnorrkel::derive::{ChainCode, Derivation};
use schnorrkel::{ExpansionMode, MiniSecretKey};
use zeroize::Zeroizing;

use super::error::KeyError;
use super::junction::{DeriveJunction, CHAIN_CODE_LEN};
use super::mini_secret::MiniSecret;
use super::signature::{Signature, SignatureError, SIGNATURE_LEN};
use super::suri::{RootSecret, SecretUri};
use crate::account::AccountId32;
use crate::ss58::{Ss58Address, Ss58Error};

/// The signing context Substrate uses for every sr25519 signature.
pub const SIGNING_CONTEXT: &[u8] = b"substrate";

/// Bytes in an sr25519 public key.
pub const PUBLIC_KEY_LEN: usize = 32;

/// Bytes in a schnorrkel secret key: the scalar (little endian) ++ the nonce seed.
pub const SECRET_KEY_LEN: usize = 64;

/// A copy of a 64-byte secret key that zeroizes when dropped.
pub type SecretKeyBytes = Zeroizing<[u8; SECRET_KEY_LEN]>;

/// polkadot-js wraps raw messages in these tags before signing them.
#[cfg(feature = "alloc")]
const BYTES_OPEN: &[u8] = b"<Bytes>";
#[cfg(feature = "alloc")]
const BYTES_CLOSE: &[u8] = b"</Bytes>";

/// An sr25519 public key, checked to be a valid Ristretto point.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(schnorrkel::PublicKey);

impl PublicKey {
    /// A public key from its 32-byte compressed encoding.
    pub fn from_bytes(bytes: &[u8; PUBLIC_KEY_LEN]) -> Result<Self, KeyError> {
        schnorrkel::PublicKey::from_bytes(bytes)
            .map(Self)
            .map_err(|_| KeyError::InvalidPublicKey)
    }

    /// The 32-byte compressed encoding.
    pub fn to_bytes(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.0.to_bytes()
    }

    /// The account id: for sr25519, the public key itself.
    pub fn account_id(&self) -> AccountId32 {
        AccountId32(self.to_bytes())
    }

    /// The SS58 address for a network prefix (42 for Bittensor).
    pub fn to_ss58(&self, prefix: u16) -> Result<Ss58Address, Ss58Error> {
        crate::ss58::encode(&self.to_bytes(), prefix)
    }

    /// Verifies a signature of `message` under the `substrate` context.
    ///
    /// Rejects (with the reason) a missing marker bit, a non-canonical `s`, an `R`
    /// that is not a point, and any signature by another key or of another message.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), SignatureError> {
        let parsed = schnorrkel::Signature::from_bytes(&signature.0).map_err(|e| match e {
            schnorrkel::SignatureError::NotMarkedSchnorrkel => SignatureError::MissingMarker,
            schnorrkel::SignatureError::ScalarFormatError => SignatureError::NonCanonicalScalar,
            _ => SignatureError::WrongLength {
                found: SIGNATURE_LEN,
            },
        })?;
        if self
            .0
            .verify(
                schnorrkel::signing_context(SIGNING_CONTEXT).bytes(message),
                &parsed,
            )
            .is_ok()
        {
            return Ok(());
        }
        // Only on failure: tell an undecodable R apart from a plain mismatch.
        let mut r = [0u8; 32];
        for (dst, src) in r.iter_mut().zip(signature.0.iter()) {
            *dst = *src;
        }
        if curve25519_dalek::ristretto::CompressedRistretto(r)
            .decompress()
            .is_none()
        {
            return Err(SignatureError::InvalidR);
        }
        Err(SignatureError::Mismatch)
    }

    /// Verifies plainly, then (only if that fails) as a signature of
    /// `<Bytes>` ++ message ++ `</Bytes>`, the form polkadot-js extensions sign and
    /// bittensor's wallet accepts. Opt-in: a plain Substrate verifier does not do this.
    #[cfg(feature = "alloc")]
    pub fn verify_allowing_bytes_wrapper(
        &self,
        message: &[u8],
        signature: &Signature,
    ) -> Result<(), SignatureError> {
        let plain = self.verify(message, signature);
        if plain != Err(SignatureError::Mismatch) {
            return plain;
        }
        let mut wrapped = alloc::vec::Vec::with_capacity(
            message
                .len()
                .saturating_add(BYTES_OPEN.len())
                .saturating_add(BYTES_CLOSE.len()),
        );
        wrapped.extend_from_slice(BYTES_OPEN);
        wrapped.extend_from_slice(message);
        wrapped.extend_from_slice(BYTES_CLOSE);
        self.verify(&wrapped, signature)
    }

    /// The child public key for a soft junction's chain code.
    pub fn derive_soft(&self, chain_code: &[u8; CHAIN_CODE_LEN]) -> Self {
        Self(self.0.derived_key_simple(ChainCode(*chain_code), []).0)
    }

    /// Follows a path of soft junctions; a hard junction is an error.
    pub fn derive<I>(&self, path: I) -> Result<Self, KeyError>
    where
        I: IntoIterator<Item = DeriveJunction>,
    {
        let mut key = *self;
        for (position, junction) in path.into_iter().enumerate() {
            match junction {
                DeriveJunction::Soft(code) => key = key.derive_soft(&code),
                DeriveJunction::Hard(_) => {
                    return Err(KeyError::HardJunctionOnPublicKey { position })
                }
            }
        }
        Ok(key)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PublicKey(")?;
        crate::hex::fmt_prefixed(&self.to_bytes(), f)?;
        f.write_str(")")
    }
}

/// An sr25519 key pair. The secret half zeroizes on drop (schnorrkel's own `Drop`,
/// and [`MiniSecret`]'s); `Debug` prints only the public key.
#[derive(Clone)]
pub struct Keypair {
    pair: schnorrkel::Keypair,
    /// The mini secret this pair was expanded from, when known (sp-core's "seed").
    seed: Option<MiniSecret>,
}

impl Keypair {
    /// Expands a mini secret in Ed25519 mode, as Substrate always does.
    pub fn from_mini_secret(seed: &MiniSecret) -> Self {
        Self {
            pair: expand(seed),
            seed: Some(seed.clone()),
        }
    }

    /// A key pair from a 64-byte schnorrkel secret key (scalar ++ nonce), e.g. a
    /// bittensor keyfile's `privateKey`.
    pub fn from_secret_key_bytes(bytes: &[u8; SECRET_KEY_LEN]) -> Result<Self, KeyError> {
        let secret =
            schnorrkel::SecretKey::from_bytes(bytes).map_err(|_| KeyError::InvalidSecretKey)?;
        Ok(Self {
            pair: secret.to_keypair(),
            seed: None,
        })
    }

    /// A key pair from a BIP39 mnemonic and password (no path).
    pub fn from_phrase(phrase: &str, password: &str) -> Result<Self, KeyError> {
        Ok(Self::from_mini_secret(&MiniSecret::from_phrase(
            phrase, password,
        )?))
    }

    /// The key pair a secret URI names, exactly as sp-core's `Pair::from_string`.
    ///
    /// `rng` supplies the random nonce half of soft-derived secret keys (schnorrkel
    /// draws it at random; it never changes the public key). As in sp-core, a
    /// password after a `0x` seed is ignored: the seed is the key.
    pub fn from_suri_with_rng<R>(uri: &str, rng: R) -> Result<Self, KeyError>
    where
        R: RngCore + CryptoRng,
    {
        let uri = SecretUri::parse(uri)?;
        let root = match uri.root_secret() {
            RootSecret::SeedHex(hex) => Self::from_mini_secret(&MiniSecret::from_bytes(
                crate::hex::decode_array(hex).map_err(KeyError::SeedHex)?,
            )),
            RootSecret::Mnemonic(phrase) => {
                Self::from_phrase(phrase, uri.password().unwrap_or(""))?
            }
        };
        Ok(root.derive_with_rng(uri.junctions(), rng))
    }

    /// [`Self::from_suri_with_rng`] with the operating system's RNG.
    #[cfg(feature = "std")]
    pub fn from_suri(uri: &str) -> Result<Self, KeyError> {
        Self::from_suri_with_rng(uri, rand_core::OsRng)
    }

    /// The child for a hard junction: schnorrkel's `hard_derive_mini_secret_key`
    /// over the secret scalar, expanded again in Ed25519 mode. Deterministic.
    pub fn derive_hard(&self, chain_code: &[u8; CHAIN_CODE_LEN]) -> Self {
        let (child, _) = self
            .pair
            .secret
            .hard_derive_mini_secret_key(Some(ChainCode(*chain_code)), []);
        let seed = MiniSecret::from_bytes(child.to_bytes());
        Self {
            pair: expand(&seed),
            // As sp-core: once a soft junction dropped the seed, it stays unknown.
            seed: self.seed.as_ref().map(|_| seed),
        }
    }

    /// The child for a soft junction. Its public key and scalar are deterministic;
    /// its nonce half comes from `rng`, as in schnorrkel.
    pub fn derive_soft_with_rng<R>(&self, chain_code: &[u8; CHAIN_CODE_LEN], rng: R) -> Self
    where
        R: RngCore + CryptoRng,
    {
        let (pair, _) = self
            .pair
            .derived_key_simple_rng(ChainCode(*chain_code), [], rng);
        Self { pair, seed: None }
    }

    /// [`Self::derive_soft_with_rng`] with the operating system's RNG.
    #[cfg(feature = "std")]
    pub fn derive_soft(&self, chain_code: &[u8; CHAIN_CODE_LEN]) -> Self {
        self.derive_soft_with_rng(chain_code, rand_core::OsRng)
    }

    /// Follows a derivation path; `rng` feeds the nonces of soft junctions.
    pub fn derive_with_rng<I, R>(&self, path: I, mut rng: R) -> Self
    where
        I: IntoIterator<Item = DeriveJunction>,
        R: RngCore + CryptoRng,
    {
        let mut key = self.clone();
        for junction in path {
            key = match junction {
                DeriveJunction::Hard(code) => key.derive_hard(&code),
                DeriveJunction::Soft(code) => key.derive_soft_with_rng(&code, &mut rng),
            };
        }
        key
    }

    /// The public key.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.pair.public)
    }

    /// The 64-byte secret key (scalar ++ nonce) in a buffer that zeroizes on drop.
    pub fn secret_key_bytes(&self) -> SecretKeyBytes {
        Zeroizing::new(self.pair.secret.to_bytes())
    }

    /// The mini secret ("secret seed") when it is known: for keys made from a
    /// phrase or seed and followed only by hard junctions (sp-core's rule).
    pub fn mini_secret(&self) -> Option<&MiniSecret> {
        self.seed.as_ref()
    }

    /// Signs `message` under the `substrate` context. schnorrkel mixes `rng`, the
    /// secret nonce and the message into the signature nonce, so signatures differ
    /// every time and all verify.
    pub fn sign_with_rng<R>(&self, message: &[u8], rng: R) -> Signature
    where
        R: RngCore + CryptoRng,
    {
        let transcript = schnorrkel::signing_context(SIGNING_CONTEXT).bytes(message);
        Signature(self.pair.sign(attach_rng(transcript, rng)).to_bytes())
    }

    /// [`Self::sign_with_rng`] with the operating system's RNG.
    #[cfg(feature = "std")]
    pub fn sign(&self, message: &[u8]) -> Signature {
        self.sign_with_rng(message, rand_core::OsRng)
    }

    /// Verifies a signature against this pair's public key.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), SignatureError> {
        self.public().verify(message, signature)
    }
}

impl fmt::Debug for Keypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keypair { public: ")?;
        crate::hex::fmt_prefixed(&self.pair.public.to_bytes(), f)?;
        f.write_str(", secret: hidden }")
    }
}

/// Ed25519-mode expansion of a mini secret into a schnorrkel key pair.
#[allow(clippy::expect_used)]
fn expand(seed: &MiniSecret) -> schnorrkel::Keypair {
    MiniSecretKey::from_bytes(seed.as_bytes())
        // schnorrkel's only failure is a slice that is not 32 bytes; this is an array
        // of exactly 32, so no input reaches the panic.
        .expect("a [u8; 32] is a valid mini secret")
        .expand_to_keypair(ExpansionMode::Ed25519)
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use crate::hex::decode_array;
    use proptest::prelude::*;
    use rand_core::OsRng;
    use std::format;

    const ALICE_PUBLIC: &str = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

    fn alice() -> Keypair {
        Keypair::from_suri("//Alice").unwrap()
    }

    #[test]
    fn alice_from_the_dev_phrase() {
        let alice = alice();
        assert_eq!(
            alice.public().to_bytes(),
            decode_array::<32>(ALICE_PUBLIC).unwrap()
        );
        assert_eq!(
            alice.public().to_ss58(42).unwrap().as_str(),
            "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
        );
        // subkey's "Secret seed" for //Alice.
        assert_eq!(
            alice.mini_secret().unwrap().as_bytes(),
            &decode_array::<32>("e5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a")
                .unwrap()
        );
    }

    #[test]
    fn seed_uri_equals_phrase_uri() {
        let from_seed = Keypair::from_suri(
            "0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a",
        )
        .unwrap();
        assert_eq!(from_seed.public(), alice().public());
        assert_eq!(
            Keypair::from_suri("0x1234").unwrap_err(),
            KeyError::SeedHex(crate::hex::HexError::WrongLength {
                expected: 32,
                found: 2
            })
        );
    }

    #[test]
    fn secret_key_bytes_round_trip() {
        let alice = alice();
        let again = Keypair::from_secret_key_bytes(&alice.secret_key_bytes()).unwrap();
        assert_eq!(again.public(), alice.public());
        assert!(again.mini_secret().is_none());
        let mut bad = [0xffu8; 64];
        bad[31] = 0xff;
        assert_eq!(
            Keypair::from_secret_key_bytes(&bad).unwrap_err(),
            KeyError::InvalidSecretKey
        );
    }

    #[test]
    fn soft_derivation_agrees_between_secret_and_public() {
        let alice = alice();
        let code = crate::keys::chain_code("stash");
        assert_eq!(
            alice.derive_soft(&code).public(),
            alice.public().derive_soft(&code)
        );
        assert!(alice.derive_soft(&code).mini_secret().is_none());
        // After a soft junction the seed stays unknown, even past a hard one.
        assert!(alice
            .derive_soft(&code)
            .derive_hard(&code)
            .mini_secret()
            .is_none());
        assert_eq!(
            alice
                .public()
                .derive([DeriveJunction::soft("a"), DeriveJunction::hard("b")]),
            Err(KeyError::HardJunctionOnPublicKey { position: 1 })
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let alice = alice();
        let text = format!("{alice:?}");
        let secret = alice.secret_key_bytes();
        let scalar_hex = ::hex::encode(&secret[..32]);
        assert!(!text.contains(&scalar_hex[..8]), "{text}");
        assert!(text.contains(ALICE_PUBLIC));
    }

    #[test]
    fn rejects_each_malformation() {
        let alice = alice();
        let signature = alice.sign(b"hello");
        assert_eq!(alice.verify(b"hello", &signature), Ok(()));
        assert_eq!(
            alice.verify(b"hellO", &signature),
            Err(SignatureError::Mismatch)
        );
        let mut unmarked = signature;
        unmarked.0[63] &= 0x7f;
        assert_eq!(
            alice.verify(b"hello", &unmarked),
            Err(SignatureError::MissingMarker)
        );
        let mut big_s = signature;
        big_s.0[32..].copy_from_slice(&[0xff; 32]);
        assert_eq!(
            alice.verify(b"hello", &big_s),
            Err(SignatureError::NonCanonicalScalar)
        );
        // A y-coordinate that is not canonical (all ones) never decodes.
        let mut bad_r = signature;
        bad_r.0[..32].copy_from_slice(&[0xff; 32]);
        assert_eq!(
            alice.verify(b"hello", &bad_r),
            Err(SignatureError::InvalidR)
        );
        let bob = Keypair::from_suri("//Bob").unwrap();
        assert_eq!(
            bob.verify(b"hello", &signature),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            Signature::from_slice(&[0u8; 63]),
            Err(SignatureError::WrongLength { found: 63 })
        );
    }

    #[test]
    fn bytes_wrapper_only_when_asked() {
        let alice = alice();
        let signature = alice.sign(b"<Bytes>hi</Bytes>");
        assert_eq!(
            alice.verify(b"hi", &signature),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            alice
                .public()
                .verify_allowing_bytes_wrapper(b"hi", &signature),
            Ok(())
        );
        assert_eq!(
            alice
                .public()
                .verify_allowing_bytes_wrapper(b"ho", &signature),
            Err(SignatureError::Mismatch)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn sign_verify_round_trip_and_any_flipped_bit_fails(
            seed in any::<[u8; 32]>(),
            message in prop::collection::vec(any::<u8>(), 0..200),
            bit in 0usize..(64 * 8),
            message_bit in any::<prop::sample::Index>(),
        ) {
            let pair = Keypair::from_mini_secret(&MiniSecret::from_bytes(seed));
            let signature = pair.sign_with_rng(&message, OsRng);
            prop_assert_eq!(pair.public().verify(&message, &signature), Ok(()));

            let mut flipped = signature;
            flipped.0[bit / 8] ^= 1 << (bit % 8);
            prop_assert!(pair.public().verify(&message, &flipped).is_err());

            if !message.is_empty() {
                let mut changed = message.clone();
                let i = message_bit.index(changed.len() * 8);
                changed[i / 8] ^= 1 << (i % 8);
                prop_assert_eq!(
                    pair.public().verify(&changed, &signature),
                    Err(SignatureError::Mismatch)
                );
            }
        }

        #[test]
        fn suri_to_key_never_panics(uri in "(//?[a-zA-Z0-9+]{0,6}){0,4}(///.{0,5})?|\\PC{0,30}") {
            let _ = Keypair::from_suri(&uri);
        }
    }
}
