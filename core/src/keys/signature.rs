//! 64-byte sr25519 signatures and the reasons one is rejected.

use core::fmt;

/// Bytes in an sr25519 signature: `R` (32) ++ `s` (32, bit 7 of byte 63 = marker).
pub const SIGNATURE_LEN: usize = 64;

/// An sr25519 signature as bytes; checked when it is verified.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature(pub [u8; SIGNATURE_LEN]);

impl Signature {
    /// A signature from a slice that must be exactly 64 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, SignatureError> {
        let array = <[u8; SIGNATURE_LEN]>::try_from(bytes)
            .map_err(|_| SignatureError::WrongLength { found: bytes.len() })?;
        Ok(Self(array))
    }

    /// A signature from `0x`-prefixed (or bare) hex of exactly 64 bytes.
    pub fn from_hex(hex: &str) -> Result<Self, SignatureError> {
        let digits = crate::hex::strip_prefix(hex);
        if digits.len() != SIGNATURE_LEN.saturating_mul(2) {
            return Err(SignatureError::WrongLength {
                found: digits.len() / 2,
            });
        }
        crate::hex::decode_array(hex)
            .map(Self)
            .map_err(SignatureError::Hex)
    }

    /// The signature bytes.
    pub fn to_bytes(&self) -> [u8; SIGNATURE_LEN] {
        self.0
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(")?;
        crate::hex::fmt_prefixed(&self.0, f)?;
        f.write_str(")")
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::hex::fmt_prefixed(&self.0, f)
    }
}

/// Why a signature did not verify (or could not be read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// Not 64 bytes.
    WrongLength {
        /// Bytes found.
        found: usize,
    },
    /// Not valid hex.
    Hex(crate::hex::HexError),
    /// Bit 7 of byte 63 is clear: not a schnorrkel signature (maybe ed25519).
    MissingMarker,
    /// The `s` half is not a canonical scalar (it is at least the group order).
    NonCanonicalScalar,
    /// The `R` half is not a valid Ristretto point encoding.
    InvalidR,
    /// Well-formed, but not a signature of this message by this key.
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength { found } => {
                write!(f, "signature is {found} bytes; sr25519 signatures are 64")
            }
            Self::Hex(e) => write!(f, "signature is not valid hex: {e}"),
            Self::MissingMarker => f.write_str(
                "signature lacks the schnorrkel marker bit (bit 7 of byte 63); not sr25519",
            ),
            Self::NonCanonicalScalar => {
                f.write_str("signature scalar s is not canonical (not below the group order)")
            }
            Self::InvalidR => f.write_str("signature point R is not a valid Ristretto encoding"),
            Self::Mismatch => f.write_str("signature does not match this public key and message"),
        }
    }
}

impl core::error::Error for SignatureError {}
