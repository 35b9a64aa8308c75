//! The few SCALE primitives the envelope needs (compact integers, length-prefixed bytes),
//! with a decoder that rejects every non-canonical form so each envelope has exactly one
//! encoding, and never allocates more than the input it was given.

use core::fmt;

/// Why envelope bytes could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The input ended inside a value.
    UnexpectedEnd {
        /// Byte offset where more input was needed.
        offset: usize,
    },
    /// A compact integer in a longer form than needed, or too large for its type.
    NonCanonicalCompact {
        /// Byte offset of the compact integer.
        offset: usize,
    },
    /// A tag byte (version, `Field`, `Option`) with an unknown value.
    BadTag {
        /// Byte offset of the tag.
        offset: usize,
        /// The tag found.
        tag: u8,
    },
    /// A string that is not UTF-8.
    InvalidUtf8 {
        /// Byte offset of the string's first byte.
        offset: usize,
    },
    /// A value longer than the envelope allows.
    TooLong {
        /// Byte offset of the length prefix.
        offset: usize,
        /// The length announced.
        length: usize,
    },
    /// Bytes left after the envelope.
    TrailingBytes {
        /// Byte offset of the first extra byte.
        offset: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnexpectedEnd { offset } => write!(f, "envelope ends early at byte {offset}"),
            Self::NonCanonicalCompact { offset } => {
                write!(f, "non-canonical compact integer at byte {offset}")
            }
            Self::BadTag { offset, tag } => write!(f, "unknown tag {tag:#04x} at byte {offset}"),
            Self::InvalidUtf8 { offset } => write!(f, "string at byte {offset} is not UTF-8"),
            Self::TooLong { offset, length } => {
                write!(
                    f,
                    "length {length} at byte {offset} exceeds the envelope limit"
                )
            }
            Self::TrailingBytes { offset } => {
                write!(f, "unexpected bytes after the envelope at byte {offset}")
            }
        }
    }
}

impl core::error::Error for DecodeError {}

/// A cursor over envelope bytes.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes { offset: self.pos })
        }
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(DecodeError::UnexpectedEnd { offset: self.pos })?;
        let slice = self
            .data
            .get(self.pos..end)
            .ok_or(DecodeError::UnexpectedEnd { offset: self.pos })?;
        self.pos = end;
        Ok(slice)
    }

    pub(crate) fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or(DecodeError::UnexpectedEnd { offset: self.pos })?;
        self.pos = self.pos.saturating_add(1);
        Ok(b)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N)?);
        Ok(out)
    }

    /// A canonical `Compact<u64>`.
    pub(crate) fn compact_u64(&mut self) -> Result<u64, DecodeError> {
        let start = self.pos;
        let bad = DecodeError::NonCanonicalCompact { offset: start };
        let first = self.byte()?;
        let value = match first & 0b11 {
            0b00 => u64::from(first >> 2),
            0b01 => {
                let raw = u16::from_le_bytes(self.array_at::<2>(start)?);
                let value = u64::from(raw >> 2);
                if value < 1 << 6 {
                    return Err(bad);
                }
                value
            }
            0b10 => {
                let raw = u32::from_le_bytes(self.array_at::<4>(start)?);
                let value = u64::from(raw >> 2);
                if value < 1 << 14 {
                    return Err(bad);
                }
                value
            }
            _ => {
                let len = usize::from(first >> 2).saturating_add(4);
                if len > 8 {
                    return Err(bad);
                }
                self.pos = start.saturating_add(1);
                let bytes = self.bytes(len)?;
                let mut le = [0u8; 8];
                for (slot, b) in le.iter_mut().zip(bytes) {
                    *slot = *b;
                }
                let value = u64::from_le_bytes(le);
                let top_is_zero = bytes.last().is_none_or(|b| *b == 0);
                if value < 1 << 30 || (len > 4 && top_is_zero) {
                    return Err(bad);
                }
                value
            }
        };
        Ok(value)
    }

    /// Reads `N` bytes starting at `start` (which the caller already consumed one of).
    fn array_at<const N: usize>(&mut self, start: usize) -> Result<[u8; N], DecodeError> {
        self.pos = start;
        self.array::<N>()
    }

    /// A `Compact<u32>` length no larger than `max` nor than the remaining input.
    pub(crate) fn length(&mut self, max: usize) -> Result<usize, DecodeError> {
        let offset = self.pos;
        let value = self.compact_u64()?;
        if value > u64::from(u32::MAX) {
            return Err(DecodeError::NonCanonicalCompact { offset });
        }
        let length = usize::try_from(value).map_err(|_| DecodeError::TooLong {
            offset,
            length: usize::MAX,
        })?;
        if length > max {
            return Err(DecodeError::TooLong { offset, length });
        }
        if length > self.remaining() {
            return Err(DecodeError::UnexpectedEnd { offset: self.pos });
        }
        Ok(length)
    }

    /// A length-prefixed UTF-8 string of at most `max` bytes.
    pub(crate) fn str(&mut self, max: usize) -> Result<&'a str, DecodeError> {
        let length = self.length(max)?;
        let offset = self.pos;
        let bytes = self.bytes(length)?;
        core::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8 { offset })
    }
}

/// The buffer was too small; `needed` bytes would have fitted the whole envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferTooSmall {
    /// Bytes the complete encoding needs.
    pub needed: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "buffer too small: the envelope needs {} bytes",
            self.needed
        )
    }
}

impl core::error::Error for BufferTooSmall {}

/// Where encoded bytes go: a counter, a caller's slice, or a vector.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);

    fn put_byte(&mut self, b: u8) {
        self.put(&[b]);
    }

    fn put_compact(&mut self, value: u64) {
        if value < 1 << 6 {
            // The guard keeps both conversions lossless.
            self.put_byte((value as u8) << 2);
        } else if value < 1 << 14 {
            self.put(&(((value as u16) << 2) | 0b01).to_le_bytes());
        } else if value < 1 << 30 {
            self.put(&(((value as u32) << 2) | 0b10).to_le_bytes());
        } else {
            let significant = 8usize.saturating_sub((value.leading_zeros() / 8) as usize);
            let len = significant.max(4);
            self.put_byte((((len.saturating_sub(4)) as u8) << 2) | 0b11);
            let le = value.to_le_bytes();
            self.put(le.get(..len).unwrap_or(&le));
        }
    }

    fn put_str(&mut self, text: &str) {
        self.put_compact(text.len() as u64);
        self.put(text.as_bytes());
    }
}

/// Counts bytes without storing them.
pub(crate) struct CountSink(pub(crate) usize);

impl Sink for CountSink {
    fn put(&mut self, bytes: &[u8]) {
        self.0 = self.0.saturating_add(bytes.len());
    }
}

/// Writes into a caller's slice, remembering whether everything fitted.
pub(crate) struct SliceSink<'a> {
    pub(crate) buf: &'a mut [u8],
    pub(crate) len: usize,
    pub(crate) overflow: bool,
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len());
        match self.buf.get_mut(self.len..end) {
            Some(slot) if !self.overflow => {
                slot.copy_from_slice(bytes);
                self.len = end;
            }
            _ => self.overflow = true,
        }
    }
}

impl Sink for alloc::vec::Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn encode(value: u64) -> Vec<u8> {
        let mut out = Vec::new();
        out.put_compact(value);
        out
    }

    #[test]
    fn compact_matches_known_encodings() {
        assert_eq!(encode(0), [0x00]);
        assert_eq!(encode(63), [0xfc]);
        assert_eq!(encode(64), [0x01, 0x01]);
        assert_eq!(encode(8091), [0x6d, 0x7e]);
        assert_eq!(encode(10_002_000), [0x42, 0x79, 0x62, 0x02]);
        assert_eq!(encode(1 << 30), [0x03, 0, 0, 0, 0x40]);
        assert_eq!(
            encode(u64::MAX),
            [0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
    }

    #[test]
    fn non_canonical_compacts_are_rejected() {
        for bytes in [
            &[0x01, 0x00][..],
            &[0x02, 0, 0, 0],
            &[0x03, 0xff, 0xff, 0xff, 0x3f],
            &[0x07, 0, 0, 0, 0x40, 0],
            &[0x17, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        ] {
            assert!(
                matches!(
                    Reader::new(bytes).compact_u64(),
                    Err(DecodeError::NonCanonicalCompact { .. })
                ),
                "{bytes:x?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn compact_round_trips(value in proptest::prelude::any::<u64>()) {
            let bytes = encode(value);
            let mut reader = Reader::new(&bytes);
            proptest::prop_assert_eq!(reader.compact_u64().unwrap(), value);
            proptest::prop_assert!(reader.finish().is_ok());
        }
    }
}
