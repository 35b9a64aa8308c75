//! `MultiAddress` (who signs, and `dest` of Balances calls) and `MultiSignature`.

use core::fmt;

use parity_scale_codec::Output;
use taolite_core::AccountId32;

use crate::call::CallTable;
use crate::error::DecodeError;
use crate::scale::{Bytes, Field, Reader};

/// `MultiAddress<AccountId32, ()>`. Only [`MultiAddress::Id`] resolves on subtensor
/// (`AccountIdLookup`); the others decode so that any extrinsic can be read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MultiAddress<'a> {
    /// `0x00`: an account id.
    Id(AccountId32),
    /// `0x01`: an account index (the runtime's index type is `()`, so no bytes follow).
    Index,
    /// `0x02`: raw bytes.
    Raw(Bytes<'a>),
    /// `0x03`: a 32-byte address.
    Address32([u8; 32]),
    /// `0x04`: a 20-byte address.
    Address20([u8; 20]),
}

impl<'a> Field<'a> for MultiAddress<'a> {
    const MIN_LEN: usize = 1;
    const TYPE: &'static crate::scale::Ty = &crate::scale::Ty::MultiAddress;
    fn encode_field(&self, table: &CallTable, out: &mut dyn Output) {
        match self {
            Self::Id(id) => {
                out.push_byte(0);
                out.write(&id.0);
            }
            Self::Index => out.push_byte(1),
            Self::Raw(bytes) => {
                out.push_byte(2);
                bytes.encode_field(table, out);
            }
            Self::Address32(a) => {
                out.push_byte(3);
                out.write(a);
            }
            Self::Address20(a) => {
                out.push_byte(4);
                out.write(a);
            }
        }
    }
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(Self::Id(AccountId32(r.array()?))),
            1 => Ok(Self::Index),
            2 => Bytes::decode_field(r).map(Self::Raw),
            3 => Ok(Self::Address32(r.array()?)),
            4 => Ok(Self::Address20(r.array()?)),
            index => Err(DecodeError::UnknownVariant {
                what: "MultiAddress",
                index,
            }),
        }
    }
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Index => write!(f, "Index(())"),
            Self::Raw(b) => {
                write!(f, "Raw(")?;
                b.render(f)?;
                write!(f, ")")
            }
            Self::Address32(a) => {
                write!(f, "Address32(")?;
                taolite_core::hex::fmt_prefixed(a, f)?;
                write!(f, ")")
            }
            Self::Address20(a) => {
                write!(f, "Address20(")?;
                taolite_core::hex::fmt_prefixed(a, f)?;
                write!(f, ")")
            }
        }
    }
}

/// The signature schemes `MultiSignature` carries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SignatureScheme {
    /// `0x00`, 64 bytes.
    Ed25519,
    /// `0x01`, 64 bytes (Bittensor's keys).
    Sr25519,
    /// `0x02`, 65 bytes (recoverable secp256k1).
    Ecdsa,
}

impl SignatureScheme {
    /// The MultiSignature variant byte.
    pub fn index(self) -> u8 {
        match self {
            Self::Ed25519 => 0,
            Self::Sr25519 => 1,
            Self::Ecdsa => 2,
        }
    }

    /// Signature length in bytes.
    pub fn signature_len(self) -> usize {
        match self {
            Self::Ed25519 | Self::Sr25519 => 64,
            Self::Ecdsa => 65,
        }
    }

    /// Lower-case name, as in the vectors.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ed25519 => "ed25519",
            Self::Sr25519 => "sr25519",
            Self::Ecdsa => "ecdsa",
        }
    }
}

/// A signature whose length does not match its scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureLengthError {
    /// The scheme.
    pub scheme: SignatureScheme,
    /// The length given.
    pub len: usize,
}

impl fmt::Display for SignatureLengthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} signature must be {} bytes, got {}",
            self.scheme.name(),
            self.scheme.signature_len(),
            self.len
        )
    }
}

impl core::error::Error for SignatureLengthError {}

/// `MultiSignature`: a scheme byte and the signature.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MultiSignature {
    /// ed25519.
    Ed25519([u8; 64]),
    /// sr25519 (schnorrkel, context `substrate`).
    Sr25519([u8; 64]),
    /// secp256k1 recoverable.
    Ecdsa([u8; 65]),
}

impl MultiSignature {
    /// Builds from a scheme and a byte slice, checking the length.
    pub fn from_slice(scheme: SignatureScheme, bytes: &[u8]) -> Result<Self, SignatureLengthError> {
        let err = SignatureLengthError {
            scheme,
            len: bytes.len(),
        };
        Ok(match scheme {
            SignatureScheme::Ed25519 => Self::Ed25519(bytes.try_into().map_err(|_| err)?),
            SignatureScheme::Sr25519 => Self::Sr25519(bytes.try_into().map_err(|_| err)?),
            SignatureScheme::Ecdsa => Self::Ecdsa(bytes.try_into().map_err(|_| err)?),
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> SignatureScheme {
        match self {
            Self::Ed25519(_) => SignatureScheme::Ed25519,
            Self::Sr25519(_) => SignatureScheme::Sr25519,
            Self::Ecdsa(_) => SignatureScheme::Ecdsa,
        }
    }

    /// The signature bytes without the scheme byte.
    pub fn signature_bytes(&self) -> &[u8] {
        match self {
            Self::Ed25519(s) | Self::Sr25519(s) => s,
            Self::Ecdsa(s) => s,
        }
    }

    /// Encoded length (scheme byte + signature).
    pub fn encoded_len(&self) -> usize {
        self.scheme().signature_len().saturating_add(1)
    }

    /// Appends the SCALE encoding.
    pub fn encode_to(&self, out: &mut dyn Output) {
        out.push_byte(self.scheme().index());
        out.write(self.signature_bytes());
    }

    /// Reads one `MultiSignature`.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(Self::Ed25519(r.array()?)),
            1 => Ok(Self::Sr25519(r.array()?)),
            2 => Ok(Self::Ecdsa(r.array()?)),
            index => Err(DecodeError::UnknownVariant {
                what: "MultiSignature",
                index,
            }),
        }
    }
}

impl fmt::Debug for MultiSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.scheme().name())?;
        taolite_core::hex::fmt_prefixed(self.signature_bytes(), f)?;
        write!(f, ")")
    }
}
