//! Hex strings as the ecosystem writes them: optional `0x` prefix, either case.

use core::fmt;

/// What was wrong with a hex string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HexError {
    /// A character that is not a hex digit, at this byte offset (after any `0x`).
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its position, counted after the optional `0x` prefix.
        index: usize,
    },
    /// An odd number of hex digits.
    OddLength,
    /// The string decodes to another number of bytes than expected.
    WrongLength {
        /// Bytes expected.
        expected: usize,
        /// Bytes the string holds.
        found: usize,
    },
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCharacter { character, index } => {
                write!(f, "invalid hex character {character:?} at position {index}")
            }
            Self::OddLength => f.write_str("hex string has an odd number of digits"),
            Self::WrongLength { expected, found } => {
                write!(f, "expected {expected} bytes of hex, found {found}")
            }
        }
    }
}

impl core::error::Error for HexError {}

/// Removes one leading `0x` or `0X`, if present.
pub fn strip_prefix(s: &str) -> &str {
    s.strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s)
}

/// Decodes hex into `out`, which must be exactly the decoded length.
pub fn decode_to_slice(s: &str, out: &mut [u8]) -> Result<(), HexError> {
    let digits = strip_prefix(s);
    if !digits.len().is_multiple_of(2) {
        return Err(HexError::OddLength);
    }
    let found = digits.len() / 2;
    if found != out.len() {
        return Err(HexError::WrongLength {
            expected: out.len(),
            found,
        });
    }
    ::hex::decode_to_slice(digits, out).map_err(|e| match e {
        ::hex::FromHexError::InvalidHexCharacter { c, index } => HexError::InvalidCharacter {
            character: c,
            index,
        },
        ::hex::FromHexError::OddLength => HexError::OddLength,
        ::hex::FromHexError::InvalidStringLength => HexError::WrongLength {
            expected: out.len(),
            found,
        },
    })
}

/// Decodes hex of exactly `N` bytes.
pub fn decode_array<const N: usize>(s: &str) -> Result<[u8; N], HexError> {
    let mut out = [0u8; N];
    decode_to_slice(s, &mut out)?;
    Ok(out)
}

/// Decodes hex of any length into a new vector.
#[cfg(feature = "alloc")]
pub fn decode_vec(s: &str) -> Result<alloc::vec::Vec<u8>, HexError> {
    let digits = strip_prefix(s);
    if !digits.len().is_multiple_of(2) {
        return Err(HexError::OddLength);
    }
    let mut out = alloc::vec![0u8; digits.len() / 2];
    decode_to_slice(digits, &mut out)?;
    Ok(out)
}

/// Encodes bytes as lowercase hex with a `0x` prefix.
#[cfg(feature = "alloc")]
pub fn encode_prefixed(bytes: &[u8]) -> alloc::string::String {
    let mut s =
        alloc::string::String::with_capacity(bytes.len().saturating_mul(2).saturating_add(2));
    s.push_str("0x");
    s.push_str(&::hex::encode(bytes));
    s
}

/// Writes bytes as lowercase hex with a `0x` prefix to a formatter, without allocating.
pub fn fmt_prefixed(bytes: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str("0x")?;
    for b in bytes {
        write!(f, "{b:02x}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_prefix_and_both_cases() {
        assert_eq!(decode_array::<2>("0xABcd"), Ok([0xab, 0xcd]));
        assert_eq!(decode_array::<2>("abCD"), Ok([0xab, 0xcd]));
    }

    #[test]
    fn reports_what_is_wrong() {
        assert_eq!(decode_array::<2>("0xabc"), Err(HexError::OddLength));
        assert_eq!(
            decode_array::<2>("0xabcdef"),
            Err(HexError::WrongLength {
                expected: 2,
                found: 3
            })
        );
        assert_eq!(
            decode_array::<2>("0xabzd"),
            Err(HexError::InvalidCharacter {
                character: 'z',
                index: 2
            })
        );
    }
}
