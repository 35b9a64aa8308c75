//! Signing a request (dendrite) or a receipt (axon) with a key held here or elsewhere:
//! a hardware signer only has to implement [`Signer`] (or wrap a callback in [`FnSigner`]).

use core::fmt;

use taolite_core::keys::Signature;

use super::message::{render, MessageTooLong};

/// Something that holds an sr25519 hotkey and signs with the `substrate` context.
pub trait Signer {
    /// Why signing failed (a device refused, a cable came loose…).
    type Error: fmt::Debug + fmt::Display;
    /// The 32-byte public key; its SS58 (prefix 42) is the hotkey header.
    fn public_key(&self) -> [u8; 32];
    /// Signs `message` bytes.
    fn sign(&self, message: &[u8]) -> Result<Signature, Self::Error>;
}

/// A taolite-core keypair signs with the OS RNG.
#[cfg(feature = "std")]
impl Signer for taolite_core::keys::Keypair {
    type Error = core::convert::Infallible;

    fn public_key(&self) -> [u8; 32] {
        self.public().to_bytes()
    }

    fn sign(&self, message: &[u8]) -> Result<Signature, Self::Error> {
        Ok(taolite_core::keys::Keypair::sign(self, message))
    }
}

/// A [`Signer`] from a public key and a signing callback.
pub struct FnSigner<F> {
    /// The signer's public key.
    pub public_key: [u8; 32],
    /// Signs message bytes.
    pub sign: F,
}

impl<F, E> Signer for FnSigner<F>
where
    F: Fn(&[u8]) -> Result<Signature, E>,
    E: fmt::Debug + fmt::Display,
{
    type Error = E;

    fn public_key(&self) -> [u8; 32] {
        self.public_key
    }

    fn sign(&self, message: &[u8]) -> Result<Signature, E> {
        (self.sign)(message)
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError<E> {
    /// A header the message needs is missing.
    MissingHeader(&'static str),
    /// The message would exceed the message limit.
    MessageTooLong,
    /// The signer failed.
    Signer(E),
}

impl<E: fmt::Display> fmt::Display for SignError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader(name) => write!(f, "cannot sign: header {name:?} is missing"),
            Self::MessageTooLong => f.write_str("cannot sign: message too long"),
            Self::Signer(e) => write!(f, "signer failed: {e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for SignError<E> {}

impl<E> From<MessageTooLong> for SignError<E> {
    fn from(_: MessageTooLong) -> Self {
        Self::MessageTooLong
    }
}

/// Signs any message (e.g. a [`super::DendriteMessage`]) without allocating.
pub fn sign_message<S: Signer + ?Sized>(
    signer: &S,
    message: &dyn fmt::Display,
) -> Result<Signature, SignError<S::Error>> {
    let text = render(message)?;
    signer.sign(text.as_bytes()).map_err(SignError::Signer)
}

#[cfg(feature = "alloc")]
pub use with_headers::*;

#[cfg(feature = "alloc")]
mod with_headers {
    use taolite_core::keys::Signature;
    use taolite_core::AccountId32;

    use super::{sign_message, SignError, Signer};
    use crate::synapse::body_hash::BodyHash;
    use crate::synapse::field::Field;
    use crate::synapse::headers::SynapseHeaders;
    use crate::synapse::message::{AxonMessage, DendriteMessage};
    use crate::synapse::types::Uuid;

    /// Signs a request as the dendrite does: sets the dendrite nonce and hotkey and the
    /// body hash, signs [`DendriteMessage`] over the axon hotkey and dendrite uuid
    /// headers, and sets the signature. On error the headers are unchanged.
    pub fn sign_dendrite<S: Signer + ?Sized>(
        headers: &mut SynapseHeaders,
        signer: &S,
        nonce: u64,
        body_hash: BodyHash,
    ) -> Result<Signature, SignError<S::Error>> {
        let hotkey = AccountId32(signer.public_key());
        let hotkey_text = hotkey.to_ss58_bittensor();
        let axon_hotkey = headers
            .axon
            .hotkey
            .text()
            .ok_or(SignError::MissingHeader("bt_header_axon_hotkey"))?;
        let uuid = headers
            .dendrite
            .uuid
            .text()
            .ok_or(SignError::MissingHeader("bt_header_dendrite_uuid"))?;
        let hash_text = alloc::format!("{body_hash}");
        let message = DendriteMessage {
            nonce,
            dendrite_hotkey: hotkey_text.as_str(),
            axon_hotkey: &axon_hotkey,
            uuid: &uuid,
            body_hash: &hash_text,
        };
        let signature = sign_message(signer, &message)?;
        headers.dendrite.nonce = Field::Typed(nonce);
        headers.dendrite.hotkey = Field::Typed(hotkey);
        headers.computed_body_hash = Field::Typed(body_hash);
        headers.dendrite.signature = Field::Typed(signature);
        Ok(signature)
    }

    /// Signs a receipt as the axon's middleware does: [`AxonMessage`] with the axon's
    /// nonce and uuid and the request's dendrite hotkey; sets the axon nonce, uuid,
    /// signature and status code 100. On error the headers are unchanged.
    pub fn sign_axon<S: Signer + ?Sized>(
        headers: &mut SynapseHeaders,
        signer: &S,
        nonce: u64,
        uuid: Uuid,
    ) -> Result<Signature, SignError<S::Error>> {
        let own = AccountId32(signer.public_key()).to_ss58_bittensor();
        let dendrite_hotkey = headers
            .dendrite
            .hotkey
            .text()
            .ok_or(SignError::MissingHeader("bt_header_dendrite_hotkey"))?;
        let uuid_text = alloc::format!("{uuid}");
        let message = AxonMessage {
            nonce,
            dendrite_hotkey: &dendrite_hotkey,
            axon_hotkey: own.as_str(),
            uuid: &uuid_text,
        };
        let signature = sign_message(signer, &message)?;
        headers.axon.nonce = Field::Typed(nonce);
        headers.axon.uuid = Field::Typed(uuid);
        headers.axon.status_code = Field::Typed(100);
        headers.axon.signature = Field::Typed(signature);
        Ok(signature)
    }
}
