//! The error for making and deriving keys from user input.

use core::fmt;

use super::mnemonic::MnemonicError;
use super::suri::SuriError;

/// Why a key could not be made, read or derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// The secret URI is malformed.
    Suri(SuriError),
    /// The phrase is not a valid BIP39 English mnemonic.
    Mnemonic(MnemonicError),
    /// A `0x…` seed that is not 32 bytes of hex.
    SeedHex(crate::hex::HexError),
    /// A 64-byte secret key whose scalar half is not canonical.
    InvalidSecretKey,
    /// 32 bytes that are not a valid compressed Ristretto point.
    InvalidPublicKey,
    /// A hard junction asked of a public key (hard derivation needs the secret).
    HardJunctionOnPublicKey {
        /// 0-based position of the junction in the path.
        position: usize,
    },
    /// A soft junction asked of a key type that has none (ed25519).
    SoftJunctionUnsupported {
        /// 0-based position of the junction in the path.
        position: usize,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Suri(e) => fmt::Display::fmt(e, f),
            Self::Mnemonic(e) => fmt::Display::fmt(e, f),
            Self::SeedHex(e) => write!(f, "0x seed must be 32 bytes of hex: {e}"),
            Self::InvalidSecretKey => f.write_str(
                "secret key's first 32 bytes are not a canonical scalar (not below the group order)",
            ),
            Self::InvalidPublicKey => {
                f.write_str("public key is not a valid compressed Ristretto point")
            }
            Self::HardJunctionOnPublicKey { position } => write!(
                f,
                "junction {position} is hard (//); a public key can only follow soft (/) junctions"
            ),
            Self::SoftJunctionUnsupported { position } => write!(
                f,
                "junction {position} is soft (/); this key type supports only hard (//) junctions"
            ),
        }
    }
}

impl core::error::Error for KeyError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Self::Suri(e) => Some(e),
            Self::Mnemonic(e) => Some(e),
            Self::SeedHex(e) => Some(e),
            _ => None,
        }
    }
}

impl From<SuriError> for KeyError {
    fn from(e: SuriError) -> Self {
        Self::Suri(e)
    }
}

impl From<MnemonicError> for KeyError {
    fn from(e: MnemonicError) -> Self {
        Self::Mnemonic(e)
    }
}
