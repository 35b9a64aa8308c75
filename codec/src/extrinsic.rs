//! Signed and bare extrinsics (format v4): signing payload, build and sign into a caller
//! buffer without an allocator, decode, verify.
//!
//! ```text
//! signed = Compact(len) ++ 0x84 ++ MultiAddress::Id(signer) ++ MultiSignature ++ explicit ++ call
//! bare   = Compact(len) ++ 0x04 ++ call
//! payload = call ++ explicit ++ implicit; signed as is up to 256 bytes, else its Blake2-256
//! ```

use core::fmt;

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use parity_scale_codec::Output;
use taolite_core::{AccountId32, H256};

use crate::address::{MultiAddress, MultiSignature, SignatureScheme};
use crate::call::{Call, CallTable};
use crate::error::{BufferTooSmall, DecodeError};
use crate::extensions::{Explicit, Implicit, MetadataHashMode, TxParams};
use crate::scale::{len_u32, write_compact_u32, Counter, Field, Reader, SliceOutput};

/// Payloads up to this length are signed as they are; longer ones as their Blake2-256.
pub const MAX_RAW_PAYLOAD: usize = 256;

/// Version byte of a signed v4 extrinsic.
pub const SIGNED_V4: u8 = 0x84;
/// Version byte of a bare (unsigned) v4 extrinsic.
pub const BARE_V4: u8 = 0x04;

/// The exact bytes a signature covers: the payload itself, or its Blake2-256 hash.
#[derive(Clone, Copy)]
pub struct SignedMessage {
    buf: [u8; MAX_RAW_PAYLOAD],
    len: usize,
    hashed: bool,
}

impl SignedMessage {
    /// True when the payload was longer than 256 bytes and this is its hash.
    pub fn is_hashed(&self) -> bool {
        self.hashed
    }

    /// The message bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

impl AsRef<[u8]> for SignedMessage {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for SignedMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        taolite_core::hex::fmt_prefixed(self.as_bytes(), f)
    }
}

struct HashOutput(Blake2b<U32>);

impl Output for HashOutput {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// Builds the message to sign from the parts of the payload, streaming into Blake2-256
/// when it is long: needs no buffer beyond 256 bytes of stack.
pub fn signed_message(write_payload: impl Fn(&mut dyn Output)) -> SignedMessage {
    let mut counter = Counter::default();
    write_payload(&mut counter);
    let mut msg = SignedMessage {
        buf: [0u8; MAX_RAW_PAYLOAD],
        len: 0,
        hashed: false,
    };
    if counter.0 <= MAX_RAW_PAYLOAD {
        let mut out = SliceOutput::new(&mut msg.buf);
        write_payload(&mut out);
        msg.len = out.written().unwrap_or(0);
    } else {
        let mut hasher = HashOutput(Blake2b::<U32>::new());
        write_payload(&mut hasher);
        let hash: [u8; 32] = hasher.0.finalize().into();
        if let Some(dst) = msg.buf.get_mut(..32) {
            dst.copy_from_slice(&hash);
        }
        msg.len = 32;
        msg.hashed = true;
    }
    msg
}

/// The signing payload as the signer sees it.
#[derive(Clone, Copy, Debug)]
pub struct SigningPayload<'p> {
    bytes: &'p [u8],
}

impl<'p> SigningPayload<'p> {
    /// Wraps complete payload bytes (`call ++ explicit ++ implicit`).
    pub fn new(bytes: &'p [u8]) -> Self {
        Self { bytes }
    }

    /// The full payload: a signer that shows the call decodes it from here.
    pub fn bytes(&self) -> &'p [u8] {
        self.bytes
    }

    /// The bytes to sign: the payload, or its Blake2-256 when longer than 256 bytes.
    pub fn message(&self) -> SignedMessage {
        signed_message(|out| out.write(self.bytes))
    }
}

/// What a signer returns: its public key (the account id) and a 64-byte signature.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SignerOutput {
    /// The signer's public key; for sr25519 and ed25519 it is the account id.
    pub public: [u8; 32],
    /// The signature over [`SigningPayload::message`].
    pub signature: [u8; 64],
}

/// Anything that signs a payload: a key pair in memory, or a hardware device that only
/// ever sees the payload.
pub trait Signer {
    /// The signer's own error.
    type Error: fmt::Debug + fmt::Display;
    /// The scheme of the signatures it produces (sr25519 or ed25519).
    fn scheme(&self) -> SignatureScheme;
    /// Signs `payload.message()` (or hashes `payload.bytes()` itself).
    fn sign(&mut self, payload: &SigningPayload<'_>) -> Result<SignerOutput, Self::Error>;
}

/// A signer from a scheme and a callback, e.g. the bridge to a hardware device.
pub struct FnSigner<F> {
    scheme: SignatureScheme,
    callback: F,
}

impl<F, E> FnSigner<F>
where
    F: FnMut(&SigningPayload<'_>) -> Result<SignerOutput, E>,
    E: fmt::Debug + fmt::Display,
{
    /// A signer of `scheme` that calls `callback` for every payload.
    pub fn new(scheme: SignatureScheme, callback: F) -> Self {
        Self { scheme, callback }
    }
}

impl<F, E> Signer for FnSigner<F>
where
    F: FnMut(&SigningPayload<'_>) -> Result<SignerOutput, E>,
    E: fmt::Debug + fmt::Display,
{
    type Error = E;
    fn scheme(&self) -> SignatureScheme {
        self.scheme
    }
    fn sign(&mut self, payload: &SigningPayload<'_>) -> Result<SignerOutput, E> {
        (self.callback)(payload)
    }
}

/// An ed25519 key in memory. Signatures are deterministic (RFC 8032), which makes
/// extrinsics signed with it reproducible byte for byte.
pub struct Ed25519Signer(ed25519_dalek::SigningKey);

impl Ed25519Signer {
    /// The key for a 32-byte seed (Substrate's ed25519 "mini secret").
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(ed25519_dalek::SigningKey::from_bytes(seed))
    }

    /// The public key, which is also the account id.
    pub fn public(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }
}

impl Signer for Ed25519Signer {
    type Error = core::convert::Infallible;
    fn scheme(&self) -> SignatureScheme {
        SignatureScheme::Ed25519
    }
    fn sign(&mut self, payload: &SigningPayload<'_>) -> Result<SignerOutput, Self::Error> {
        let message = payload.message();
        let signature = ed25519_dalek::Signer::sign(&self.0, message.as_bytes());
        Ok(SignerOutput {
            public: self.public(),
            signature: signature.to_bytes(),
        })
    }
}

/// Why a signed extrinsic could not be built. Nothing is left in the buffer on error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignError<E> {
    /// The output buffer is too short.
    Buffer(BufferTooSmall),
    /// The signer's scheme cannot sign for an account (ECDSA ids are hashed keys).
    UnsupportedScheme(SignatureScheme),
    /// The signer failed.
    Signer(E),
}

impl<E: fmt::Display> fmt::Display for SignError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Buffer(e) => write!(f, "{e}"),
            Self::UnsupportedScheme(s) => write!(f, "cannot sign extrinsics with {}", s.name()),
            Self::Signer(e) => write!(f, "signer failed: {e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> core::error::Error for SignError<E> {}

fn compact_len(n: u32) -> usize {
    let mut c = Counter::default();
    write_compact_u32(n, &mut c);
    c.0
}

/// Bytes of a signed extrinsic's fixed part after the length prefix: version byte,
/// `MultiAddress::Id` (33) and a 64-byte `MultiSignature` (65).
const SIGNED_HEADER_LEN: usize = 1 + 33 + 65;

/// The lengths involved in signing one extrinsic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignedLayout {
    /// Encoded call length.
    pub call_len: usize,
    /// Signing payload length.
    pub payload_len: usize,
    /// Final extrinsic length, including the compact length prefix.
    pub extrinsic_len: usize,
}

impl SignedLayout {
    /// The layout for a call of `call_len` bytes signed with `params`.
    pub fn new(call_len: usize, params: &TxParams) -> Self {
        let explicit_len = params.explicit().encoded_len();
        let payload_len = call_len
            .saturating_add(explicit_len)
            .saturating_add(params.implicit().encoded_len());
        let body = SIGNED_HEADER_LEN
            .saturating_add(explicit_len)
            .saturating_add(call_len);
        let extrinsic_len = compact_len(len_u32(body)).saturating_add(body);
        Self {
            call_len,
            payload_len,
            extrinsic_len,
        }
    }

    /// The buffer a signing call needs: the payload is staged in the same buffer before
    /// the extrinsic replaces it, so this is the larger of the two.
    pub fn buffer_len(&self) -> usize {
        self.extrinsic_len.max(self.payload_len)
    }
}

/// Writes `call ++ explicit ++ implicit` into `out` (what a hardware signer receives).
pub fn write_signing_payload(
    call: &Call<'_>,
    table: &CallTable,
    params: &TxParams,
    out: &mut [u8],
) -> Result<usize, BufferTooSmall> {
    let explicit = params.explicit();
    let implicit = params.implicit();
    crate::scale::encode_into(out, |o| {
        call.encode_to(table, o);
        explicit.encode_to(o);
        implicit.encode_to(o);
    })
}

/// Builds, signs and encodes a signed extrinsic for `call` into `out`; returns its length.
///
/// Needs no allocator: the payload is staged in `out` (see [`SignedLayout::buffer_len`]),
/// handed to `signer`, then replaced by the extrinsic.
pub fn sign_into<S: Signer>(
    call: &Call<'_>,
    table: &CallTable,
    params: &TxParams,
    signer: &mut S,
    out: &mut [u8],
) -> Result<usize, SignError<S::Error>> {
    let call_len = call.encoded_len(table);
    sign_parts_into(call_len, |o| call.encode_to(table, o), params, signer, out)
}

/// [`sign_into`] for a call that is already encoded (`pallet ++ call ++ args`).
pub fn sign_encoded_call_into<S: Signer>(
    call: &[u8],
    params: &TxParams,
    signer: &mut S,
    out: &mut [u8],
) -> Result<usize, SignError<S::Error>> {
    sign_parts_into(call.len(), |o| o.write(call), params, signer, out)
}

fn sign_parts_into<S: Signer>(
    call_len: usize,
    write_call: impl Fn(&mut dyn Output),
    params: &TxParams,
    signer: &mut S,
    out: &mut [u8],
) -> Result<usize, SignError<S::Error>> {
    let scheme = signer.scheme();
    if scheme == SignatureScheme::Ecdsa {
        return Err(SignError::UnsupportedScheme(scheme));
    }
    let layout = SignedLayout::new(call_len, params);
    let needed = layout.buffer_len();
    let available = out.len();
    let out = out
        .get_mut(..needed)
        .ok_or(SignError::Buffer(BufferTooSmall { needed, available }))?;
    let explicit = params.explicit();
    let implicit = params.implicit();

    // 1. Stage the payload at the front of the buffer and sign it.
    let mut staged = SliceOutput::new(out);
    write_call(&mut staged);
    explicit.encode_to(&mut staged);
    implicit.encode_to(&mut staged);
    let signed = match staged.written() {
        Some(len) if len == layout.payload_len => {
            let payload = SigningPayload::new(out.get(..len).unwrap_or_default());
            signer.sign(&payload)
        }
        _ => {
            out.fill(0);
            return Err(SignError::Buffer(BufferTooSmall { needed, available }));
        }
    };
    let signed = match signed {
        Ok(s) => s,
        Err(e) => {
            out.fill(0);
            return Err(SignError::Signer(e));
        }
    };
    let signature = match scheme {
        SignatureScheme::Ed25519 => MultiSignature::Ed25519(signed.signature),
        _ => MultiSignature::Sr25519(signed.signature),
    };

    // 2. Move the call (the payload's head) to the extrinsic's tail, then write the head.
    let head_len = layout.extrinsic_len.saturating_sub(call_len);
    let written = write_signed_head(
        out,
        head_len,
        call_len,
        &AccountId32(signed.public),
        &signature,
        &explicit,
    );
    if written != Some(layout.extrinsic_len) {
        out.fill(0);
        return Err(SignError::Buffer(BufferTooSmall { needed, available }));
    }
    if let Some(rest) = out.get_mut(layout.extrinsic_len..) {
        rest.fill(0);
    }
    Ok(layout.extrinsic_len)
}

/// With the call at `out[..call_len]`, moves it to `out[head_len..]` and writes the
/// signed head before it. Returns the total length, or `None` if it does not fit.
fn write_signed_head(
    out: &mut [u8],
    head_len: usize,
    call_len: usize,
    signer: &AccountId32,
    signature: &MultiSignature,
    explicit: &Explicit,
) -> Option<usize> {
    let total = head_len.checked_add(call_len)?;
    if total > out.len() || call_len > out.len() {
        return None;
    }
    out.copy_within(..call_len, head_len);
    let head = out.get_mut(..head_len)?;
    let mut o = SliceOutput::new(head);
    write_compact_u32(len_u32(signed_body_len(explicit, call_len)), &mut o);
    o.push_byte(SIGNED_V4);
    MultiAddress::Id(*signer).encode_field(&CallTable::SPEC_425, &mut o);
    signature.encode_to(&mut o);
    explicit.encode_to(&mut o);
    (o.written()? == head_len).then_some(total)
}

fn signed_body_len(explicit: &Explicit, call_len: usize) -> usize {
    SIGNED_HEADER_LEN
        .saturating_add(explicit.encoded_len())
        .saturating_add(call_len)
}

/// Assembles a signed extrinsic from a signature made elsewhere (e.g. returned by a
/// device for the payload from [`write_signing_payload`]).
pub fn assemble_signed_into(
    call: &[u8],
    signer: &AccountId32,
    signature: &MultiSignature,
    explicit: &Explicit,
    out: &mut [u8],
) -> Result<usize, BufferTooSmall> {
    let body = 1usize
        .saturating_add(33)
        .saturating_add(signature.encoded_len())
        .saturating_add(explicit.encoded_len())
        .saturating_add(call.len());
    crate::scale::encode_into(out, |o| {
        write_compact_u32(len_u32(body), o);
        o.push_byte(SIGNED_V4);
        MultiAddress::Id(*signer).encode_field(&CallTable::SPEC_425, o);
        signature.encode_to(o);
        explicit.encode_to(o);
        o.write(call);
    })
}

/// Encodes a bare (unsigned) extrinsic: `Compact(len) ++ 0x04 ++ call`.
pub fn bare_into(
    call: &Call<'_>,
    table: &CallTable,
    out: &mut [u8],
) -> Result<usize, BufferTooSmall> {
    let body = call.encoded_len(table).saturating_add(1);
    crate::scale::encode_into(out, |o| {
        write_compact_u32(len_u32(body), o);
        o.push_byte(BARE_V4);
        call.encode_to(table, o);
    })
}

/// Blake2-256 of the complete extrinsic, length prefix included: the hash RPCs report.
pub fn extrinsic_hash(extrinsic: &[u8]) -> H256 {
    H256(taolite_core::hash::blake2_256(extrinsic))
}

/// The signer, signature and explicit extensions of a signed extrinsic.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SignaturePart<'a> {
    /// Who signed.
    pub address: MultiAddress<'a>,
    /// The signature.
    pub signature: MultiSignature,
    /// Era, nonce, tip, metadata-hash mode.
    pub explicit: Explicit,
}

/// What to do with a call whose indices the table does not know.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UnknownCalls {
    /// Fail with [`DecodeError::UnknownCall`].
    Reject,
    /// Keep it as [`Call::Raw`] (the call is the rest of the extrinsic).
    Raw,
}

/// A decoded extrinsic; every part borrows from the input.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Extrinsic<'a> {
    /// `Some` for signed extrinsics, `None` for bare ones.
    pub signature: Option<SignaturePart<'a>>,
    /// The decoded call.
    pub call: Call<'a>,
    /// The call's bytes as they were in the input.
    pub call_bytes: &'a [u8],
}

/// Why an extrinsic's signature does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyError {
    /// The extrinsic is bare.
    Unsigned,
    /// The signer is not `MultiAddress::Id` (the only kind subtensor resolves).
    UnsupportedAddress,
    /// ECDSA signatures are not checked here.
    UnsupportedScheme(SignatureScheme),
    /// The mode byte enables the metadata hash but no hash was supplied, or the reverse.
    MetadataHashMismatch,
    /// The account id is not a valid public key for the scheme.
    BadPublicKey,
    /// The signature is malformed or does not match.
    BadSignature,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unsigned => write!(f, "extrinsic is not signed"),
            Self::UnsupportedAddress => write!(f, "signer address is not an account id"),
            Self::UnsupportedScheme(s) => write!(f, "{} signatures are not supported", s.name()),
            Self::MetadataHashMismatch => {
                write!(f, "metadata hash mode and supplied metadata hash disagree")
            }
            Self::BadPublicKey => write!(f, "signer is not a valid public key"),
            Self::BadSignature => write!(f, "signature does not verify"),
        }
    }
}

impl core::error::Error for VerifyError {}

/// Verifies `signature` by `public` over `message` under `scheme`.
pub fn verify_signature(
    scheme_sig: &MultiSignature,
    public: &[u8; 32],
    message: &[u8],
) -> Result<(), VerifyError> {
    match scheme_sig {
        MultiSignature::Sr25519(sig) => {
            let key =
                schnorrkel::PublicKey::from_bytes(public).map_err(|_| VerifyError::BadPublicKey)?;
            let sig =
                schnorrkel::Signature::from_bytes(sig).map_err(|_| VerifyError::BadSignature)?;
            key.verify_simple(b"substrate", message, &sig)
                .map_err(|_| VerifyError::BadSignature)
        }
        MultiSignature::Ed25519(sig) => {
            let key = ed25519_dalek::VerifyingKey::from_bytes(public)
                .map_err(|_| VerifyError::BadPublicKey)?;
            let sig = ed25519_dalek::Signature::from_bytes(sig);
            key.verify_strict(message, &sig)
                .map_err(|_| VerifyError::BadSignature)
        }
        MultiSignature::Ecdsa(_) => Err(VerifyError::UnsupportedScheme(SignatureScheme::Ecdsa)),
    }
}

impl<'a> Extrinsic<'a> {
    /// Decodes a complete extrinsic (with its length prefix); unknown calls are an error.
    pub fn decode(bytes: &'a [u8], table: &'a CallTable) -> Result<Self, DecodeError> {
        Self::decode_with(bytes, table, UnknownCalls::Reject)
    }

    /// Decodes a complete extrinsic, choosing what an unknown call becomes.
    pub fn decode_with(
        bytes: &'a [u8],
        table: &'a CallTable,
        unknown: UnknownCalls,
    ) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, table);
        let declared = r.compact::<u32>()?;
        let actual = r.rest().len();
        if usize::try_from(declared).ok() != Some(actual) {
            if usize::try_from(declared).is_ok_and(|d| d > actual) {
                return Err(DecodeError::Truncated);
            }
            return Err(DecodeError::LengthMismatch { declared, actual });
        }
        let signature = match r.u8()? {
            SIGNED_V4 => Some(SignaturePart {
                address: MultiAddress::decode_field(&mut r)?,
                signature: MultiSignature::decode(&mut r)?,
                explicit: Explicit::decode(&mut r)?,
            }),
            BARE_V4 => None,
            v => return Err(DecodeError::UnsupportedVersion(v)),
        };
        let call_bytes = r.take_rest();
        let call = match unknown {
            UnknownCalls::Reject => Call::decode(call_bytes, table)?,
            UnknownCalls::Raw => Call::decode_or_raw(call_bytes, table)?,
        };
        Ok(Self {
            signature,
            call,
            call_bytes,
        })
    }

    /// The message the signer must have signed, given the implicit data the chain adds.
    pub fn signed_message(&self, implicit: &Implicit) -> Result<SignedMessage, VerifyError> {
        let part = self.signature.as_ref().ok_or(VerifyError::Unsigned)?;
        let implicit = match (part.explicit.metadata_hash_mode, implicit.metadata_hash) {
            (MetadataHashMode::Enabled, None) => return Err(VerifyError::MetadataHashMismatch),
            (MetadataHashMode::Disabled, _) => Implicit {
                metadata_hash: None,
                ..*implicit
            },
            _ => *implicit,
        };
        let call = self.call_bytes;
        Ok(signed_message(|o| {
            o.write(call);
            part.explicit.encode_to(o);
            implicit.encode_to(o);
        }))
    }

    /// Checks the signature against the signer's account id.
    pub fn verify(&self, implicit: &Implicit) -> Result<(), VerifyError> {
        let message = self.signed_message(implicit)?;
        let part = self.signature.as_ref().ok_or(VerifyError::Unsigned)?;
        let MultiAddress::Id(account) = part.address else {
            return Err(VerifyError::UnsupportedAddress);
        };
        verify_signature(&part.signature, &account.0, message.as_bytes())
    }
}
