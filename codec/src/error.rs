//! Typed errors for decoding, encoding, signing and verifying.

use core::fmt;

/// Why bytes could not be decoded; every variant names what was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended inside a value.
    Truncated,
    /// A complete value was read but bytes were left over.
    TrailingBytes {
        /// How many bytes were left.
        count: usize,
    },
    /// A compact integer was not in its shortest form or did not fit its type.
    BadCompact,
    /// A length prefix promised more items than the rest of the input can hold.
    Oversize {
        /// The item count the prefix declared.
        declared: u32,
        /// The bytes left in the input.
        available: usize,
    },
    /// A `bool` byte other than 0 or 1.
    InvalidBool(u8),
    /// An `Option` tag other than 0 or 1.
    InvalidOption(u8),
    /// An enum index this runtime does not define (`what` names the enum).
    UnknownVariant {
        /// The enum being decoded.
        what: &'static str,
        /// The index byte found.
        index: u8,
    },
    /// A (pallet index, call index) pair that is not in the call table.
    UnknownCall {
        /// Pallet index byte.
        pallet: u8,
        /// Call index byte.
        call: u8,
    },
    /// An era encoding the runtime rejects (period below 4 or phase not below period).
    BadEra,
    /// An extrinsic version byte other than signed v4 (`0x84`) or bare v4 (`0x04`).
    UnsupportedVersion(u8),
    /// The extrinsic's compact length prefix disagrees with the bytes that follow.
    LengthMismatch {
        /// Length the prefix declared.
        declared: u32,
        /// Bytes that actually follow the prefix.
        actual: usize,
    },
    /// Calls nested deeper than [`crate::call::MAX_CALL_DEPTH`].
    TooDeep,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated => write!(f, "input ends inside a value"),
            Self::TrailingBytes { count } => write!(f, "{count} trailing bytes after the value"),
            Self::BadCompact => write!(f, "compact integer not minimal or out of range"),
            Self::Oversize {
                declared,
                available,
            } => write!(
                f,
                "length prefix declares {declared} items but only {available} bytes remain"
            ),
            Self::InvalidBool(b) => write!(f, "invalid bool byte {b:#04x}"),
            Self::InvalidOption(b) => write!(f, "invalid Option tag {b:#04x}"),
            Self::UnknownVariant { what, index } => write!(f, "unknown {what} variant {index}"),
            Self::UnknownCall { pallet, call } => {
                write!(f, "unknown call: pallet index {pallet}, call index {call}")
            }
            Self::BadEra => write!(f, "invalid era encoding"),
            Self::UnsupportedVersion(v) => write!(f, "unsupported extrinsic version byte {v:#04x}"),
            Self::LengthMismatch { declared, actual } => write!(
                f,
                "extrinsic length prefix says {declared} bytes but {actual} follow"
            ),
            Self::TooDeep => write!(f, "calls nested too deeply"),
        }
    }
}

impl core::error::Error for DecodeError {}

/// Why encoding into a caller buffer failed. Nothing is written when this is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferTooSmall {
    /// Bytes the encoding needs.
    pub needed: usize,
    /// Bytes the buffer has.
    pub available: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "buffer too small: need {} bytes, have {}",
            self.needed, self.available
        )
    }
}

impl core::error::Error for BufferTooSmall {}
