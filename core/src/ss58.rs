//! SS58 addresses: Base58 of `prefix ‖ account id ‖ checksum`, the checksum being the first
//! two bytes of Blake2b-512("SS58PRE" ‖ prefix ‖ account id). Only 32-byte account ids.
//!
//! Decoding follows sp-core: a one-byte prefix for 0..=63, a two-byte prefix for
//! 64..=16383, a first byte with bit 7 set is reserved and rejected.

use core::fmt;

use crate::hash::blake2_512_parts;

/// The prefix Bittensor uses (addresses start with `5`), also Substrate's generic one.
pub const BITTENSOR_PREFIX: u16 = 42;
/// The largest prefix that fits the two-byte form.
pub const MAX_PREFIX: u16 = 16383;

const CHECKSUM_LEN: usize = 2;
const CHECKSUM_DOMAIN: &[u8] = b"SS58PRE";
const ACCOUNT_LEN: usize = 32;
/// Longest body: two prefix bytes, 32 id bytes, 2 checksum bytes.
const MAX_BODY: usize = 2 + ACCOUNT_LEN + CHECKSUM_LEN;
/// Base58 of 36 bytes is at most 50 characters.
const MAX_ADDRESS: usize = 50;

/// What was wrong with an SS58 address or prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ss58Error {
    /// A character outside the Base58 alphabet (which excludes `0`, `O`, `I` and `l`).
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its position in the address.
        index: usize,
    },
    /// The decoded body has a length that no 32-byte account address has.
    BadLength {
        /// Bytes decoded.
        found: usize,
    },
    /// The address is longer than any 32-byte account address.
    TooLong,
    /// The first byte has bit 7 set, which SS58 reserves.
    ReservedPrefix {
        /// The first decoded byte.
        first_byte: u8,
    },
    /// The checksum does not match the body.
    BadChecksum,
    /// A prefix above 16383 cannot be encoded.
    PrefixOutOfRange {
        /// The prefix asked for.
        prefix: u16,
    },
    /// The address is valid but carries another prefix than the one required.
    UnexpectedPrefix {
        /// The prefix required.
        expected: u16,
        /// The prefix found.
        found: u16,
    },
}

impl fmt::Display for Ss58Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCharacter { character, index } => write!(
                f,
                "invalid base58 character {character:?} at position {index} of the SS58 address"
            ),
            Self::BadLength { found } => write!(
                f,
                "SS58 address decodes to {found} bytes; a 32-byte account needs 35 or 36"
            ),
            Self::TooLong => f.write_str("SS58 address is too long for a 32-byte account"),
            Self::ReservedPrefix { first_byte } => {
                write!(
                    f,
                    "SS58 prefix byte {first_byte:#04x} is reserved (bit 7 set)"
                )
            }
            Self::BadChecksum => f.write_str("SS58 checksum does not match"),
            Self::PrefixOutOfRange { prefix } => {
                write!(f, "SS58 prefix {prefix} is above the maximum {MAX_PREFIX}")
            }
            Self::UnexpectedPrefix { expected, found } => {
                write!(f, "SS58 address has prefix {found}, expected {expected}")
            }
        }
    }
}

impl core::error::Error for Ss58Error {}

/// An encoded address, held inline so that encoding needs no allocator.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ss58Address {
    bytes: [u8; MAX_ADDRESS],
    len: usize,
}

impl Ss58Address {
    pub(crate) const fn empty() -> Self {
        Self {
            bytes: [0u8; MAX_ADDRESS],
            len: 0,
        }
    }

    /// The address text.
    pub fn as_str(&self) -> &str {
        // Base58 output is ASCII; the fallback is unreachable but keeps this panic-free.
        self.bytes
            .get(..self.len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

impl fmt::Display for Ss58Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Ss58Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ss58Address({})", self.as_str())
    }
}

/// The one- or two-byte prefix encoding, and how many of the bytes are used.
fn prefix_bytes(prefix: u16) -> Result<([u8; 2], usize), Ss58Error> {
    match prefix {
        0..=63 => Ok(([prefix.to_le_bytes()[0], 0], 1)),
        64..=MAX_PREFIX => {
            let [low, high] = prefix.to_le_bytes();
            let first = ((low & 0b1111_1100) >> 2) | 0b0100_0000;
            let second = high | ((low & 0b0000_0011) << 6);
            Ok(([first, second], 2))
        }
        _ => Err(Ss58Error::PrefixOutOfRange { prefix }),
    }
}

fn checksum(prefix: &[u8], account: &[u8; 32]) -> [u8; CHECKSUM_LEN] {
    let hash = blake2_512_parts(&[CHECKSUM_DOMAIN, prefix, account]);
    [hash[0], hash[1]]
}

/// Body length for a prefix of `prefix_len` (1 or 2) bytes.
const fn body_length(prefix_len: usize) -> usize {
    // At most 36: cannot overflow.
    prefix_len.saturating_add(ACCOUNT_LEN + CHECKSUM_LEN)
}

/// Encodes a 32-byte account id with `prefix` (0..=16383).
pub fn encode(account: &[u8; 32], prefix: u16) -> Result<Ss58Address, Ss58Error> {
    let (prefix_buf, prefix_len) = prefix_bytes(prefix)?;
    let prefix = prefix_buf.get(..prefix_len).unwrap_or(&[]);
    let mut body = [0u8; MAX_BODY];
    let body_len = body_length(prefix_len);
    let (head, rest) = body.split_at_mut(prefix_len);
    head.copy_from_slice(prefix);
    let (id, sum) = rest.split_at_mut(32);
    id.copy_from_slice(account);
    if let Some(sum) = sum.get_mut(..CHECKSUM_LEN) {
        sum.copy_from_slice(&checksum(prefix, account));
    }
    let mut out = Ss58Address {
        bytes: [0u8; MAX_ADDRESS],
        len: 0,
    };
    // 36 bytes never need more than 50 Base58 digits, so this cannot fail.
    out.len = bs58::encode(body.get(..body_len).unwrap_or(&[]))
        .onto(&mut out.bytes[..])
        .map_err(|_| Ss58Error::BadLength { found: body_len })?;
    Ok(out)
}

/// Decodes an address into its prefix and 32-byte account id, checking the checksum.
/// Any prefix is accepted; see [`decode_with_prefix`] to require one.
pub fn decode(address: &str) -> Result<(u16, [u8; 32]), Ss58Error> {
    let mut body = [0u8; MAX_BODY];
    let len = match bs58::decode(address).onto(&mut body[..]) {
        Ok(len) => len,
        Err(bs58::decode::Error::BufferTooSmall) => {
            return Err(Ss58Error::TooLong);
        }
        Err(bs58::decode::Error::InvalidCharacter { character, index }) => {
            return Err(Ss58Error::InvalidCharacter { character, index })
        }
        Err(bs58::decode::Error::NonAsciiCharacter { index }) => {
            let character = address
                .get(index..)
                .and_then(|s| s.chars().next())
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            return Err(Ss58Error::InvalidCharacter { character, index });
        }
        Err(_) => return Err(Ss58Error::BadLength { found: 0 }),
    };
    let body = body.get(..len).ok_or(Ss58Error::BadLength { found: len })?;
    let (prefix, prefix_len) = match body {
        [first @ 0..=63, ..] => (u16::from(*first), 1),
        [first @ 64..=127, second, ..] => {
            let low = (first << 2) | (second >> 6);
            let high = second & 0b0011_1111;
            (u16::from_le_bytes([low, high]), 2)
        }
        [first, ..] if *first >= 128 => {
            return Err(Ss58Error::ReservedPrefix { first_byte: *first })
        }
        _ => return Err(Ss58Error::BadLength { found: len }),
    };
    if len != body_length(prefix_len) {
        return Err(Ss58Error::BadLength { found: len });
    }
    let (prefix_part, rest) = body.split_at(prefix_len);
    let (id, sum) = rest.split_at(32);
    let mut account = [0u8; 32];
    account.copy_from_slice(id);
    if sum != checksum(prefix_part, &account) {
        return Err(Ss58Error::BadChecksum);
    }
    Ok((prefix, account))
}

/// Decodes an address and requires it to carry `expected` as its prefix.
pub fn decode_with_prefix(address: &str, expected: u16) -> Result<[u8; 32], Ss58Error> {
    let (found, account) = decode(address)?;
    if found != expected {
        return Err(Ss58Error::UnexpectedPrefix { expected, found });
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

    #[test]
    fn alice_round_trips() {
        let (prefix, account) = decode(ALICE).unwrap();
        assert_eq!(prefix, 42);
        assert_eq!(encode(&account, 42).unwrap().as_str(), ALICE);
    }

    #[test]
    fn rejects_bad_checksum_and_prefix() {
        assert_eq!(
            decode("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQX"),
            Err(Ss58Error::BadChecksum)
        );
        assert_eq!(
            encode(&[0; 32], 16384),
            Err(Ss58Error::PrefixOutOfRange { prefix: 16384 })
        );
        assert_eq!(
            decode_with_prefix(ALICE, 0),
            Err(Ss58Error::UnexpectedPrefix {
                expected: 0,
                found: 42
            })
        );
    }

    proptest! {
        #[test]
        fn every_prefix_round_trips(account in any::<[u8; 32]>(), prefix in 0u16..=MAX_PREFIX) {
            let address = encode(&account, prefix).unwrap();
            prop_assert_eq!(decode(address.as_str()), Ok((prefix, account)));
        }

        #[test]
        fn decode_never_panics(s in "\\PC{0,80}") {
            let _ = decode(&s);
        }
    }
}
