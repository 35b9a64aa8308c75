//! 32-byte identifiers: `AccountId32` (an sr25519/ed25519 public key) and `H256` (a hash).

use core::fmt;
use core::str::FromStr;

use crate::hex::{self, HexError};
use crate::ss58::{self, Ss58Address, Ss58Error, BITTENSOR_PREFIX};

/// A Substrate account id: for Bittensor keys, the sr25519 public key itself.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct AccountId32(pub [u8; 32]);

/// A 256-bit hash (block hashes, extrinsic hashes).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct H256(pub [u8; 32]);

/// Why text could not be read as an account id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountParseError {
    /// It started with `0x` but was not 32 bytes of hex.
    Hex(HexError),
    /// It was read as an SS58 address and was not a valid one.
    Ss58(Ss58Error),
}

impl fmt::Display for AccountParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hex(e) => write!(f, "account id: {e}"),
            Self::Ss58(e) => write!(f, "account id: {e}"),
        }
    }
}

impl core::error::Error for AccountParseError {}

impl AccountId32 {
    /// Decodes an SS58 address of any prefix.
    pub fn from_ss58(address: &str) -> Result<Self, Ss58Error> {
        ss58::decode(address).map(|(_, id)| Self(id))
    }

    /// Encodes as SS58 with `prefix`.
    pub fn to_ss58(&self, prefix: u16) -> Result<Ss58Address, Ss58Error> {
        ss58::encode(&self.0, prefix)
    }

    /// Encodes as SS58 with Bittensor's prefix 42.
    pub fn to_ss58_bittensor(&self) -> Ss58Address {
        // 42 is always in range, so the error branch cannot be taken.
        ss58::encode(&self.0, BITTENSOR_PREFIX).unwrap_or(Ss58Address::EMPTY)
    }
}

impl Ss58Address {
    /// An empty address, used only where an encoding cannot fail.
    const EMPTY: Self = Self::empty();
}

impl FromStr for AccountId32 {
    type Err = AccountParseError;

    /// `0x` + 64 hex digits, or an SS58 address of any prefix.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.starts_with("0x") || s.starts_with("0X") {
            hex::decode_array(s)
                .map(Self)
                .map_err(AccountParseError::Hex)
        } else {
            Self::from_ss58(s).map_err(AccountParseError::Ss58)
        }
    }
}

impl fmt::Display for AccountId32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_ss58_bittensor(), f)
    }
}

impl fmt::Debug for AccountId32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId32(")?;
        hex::fmt_prefixed(&self.0, f)?;
        write!(f, ")")
    }
}

impl FromStr for H256 {
    type Err = HexError;

    /// 64 hex digits with an optional `0x`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        hex::decode_array(s).map(Self)
    }
}

impl fmt::Display for H256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        hex::fmt_prefixed(&self.0, f)
    }
}

impl fmt::Debug for H256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "H256({self})")
    }
}

impl From<[u8; 32]> for AccountId32 {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl From<[u8; 32]> for H256 {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl AsRef<[u8]> for AccountId32 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for H256 {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ss58_and_hex_alike() {
        let a: AccountId32 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
            .parse()
            .unwrap();
        let b: AccountId32 = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
            .parse()
            .unwrap();
        assert_eq!(a, b);
    }
}
