//! One header of the envelope: absent, held in its compact typed form when its text is
//! the canonical text of a value, or kept verbatim otherwise, so any header dict survives
//! the binary form unchanged.

use alloc::string::String;
use core::fmt::{self, Write};

use taolite_core::ss58::{self, BITTENSOR_PREFIX};
use taolite_core::AccountId32;

use super::body_hash::{write_lower_hex, BodyHash};
use super::limits::MAX_HEADER_VALUE_LEN;
use super::py_float::{parse_canonical_py_float, write_py_float};
use super::scale::{DecodeError, Reader, Sink};
use super::text_buf::renders_as;
use super::types::{lower_hex_digit, Uuid};
use taolite_core::keys::Signature;

/// A value that a header can hold in typed form.
pub trait FieldValue: Sized {
    /// The value whose canonical text is exactly `text`, or `None` when `text` is not
    /// canonical (then the header travels as raw text).
    fn from_canonical_text(text: &str) -> Option<Self>;
    /// Writes the canonical text, the header value bittensor would send.
    fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result;
}

/// The SCALE form of a typed header value (crate-internal: the layout is the envelope's).
pub(crate) trait ScaleValue: Sized {
    /// Appends the SCALE form.
    fn encode_scale<S: Sink + ?Sized>(&self, sink: &mut S);
    /// Reads the SCALE form; values without a canonical text are refused.
    fn decode_scale(reader: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

/// Decimal, no sign, no leading zeros, below 2^64.
impl FieldValue for u64 {
    fn from_canonical_text(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.is_empty() || (bytes.len() > 1 && bytes.first() == Some(&b'0')) {
            return None;
        }
        bytes.iter().try_fold(0u64, |acc, &b| {
            let digit = u64::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
            acc.checked_mul(10)?.checked_add(digit)
        })
    }

    fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        write!(out, "{self}")
    }
}

impl ScaleValue for u64 {
    fn encode_scale<S: Sink + ?Sized>(&self, sink: &mut S) {
        sink.put_compact(*self);
    }

    fn decode_scale(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.compact_u64()
    }
}

/// Python `repr(float)` of a finite value, as 8 little-endian IEEE 754 bytes.
impl FieldValue for f64 {
    fn from_canonical_text(text: &str) -> Option<Self> {
        parse_canonical_py_float(text)
    }

    fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        write_py_float(*self, out)
    }
}

impl ScaleValue for f64 {
    fn encode_scale<S: Sink + ?Sized>(&self, sink: &mut S) {
        sink.put(&self.to_bits().to_le_bytes());
    }

    fn decode_scale(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let offset = reader.offset();
        let value = f64::from_bits(u64::from_le_bytes(reader.array()?));
        if value.is_finite() {
            Ok(value)
        } else {
            // `nan` and `inf` always travel as raw text.
            Err(DecodeError::BadTag { offset, tag: 0x01 })
        }
    }
}

/// Lowercase `8-4-4-4-12` hex.
impl FieldValue for Uuid {
    fn from_canonical_text(text: &str) -> Option<Self> {
        Uuid::parse_canonical(text)
    }

    fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        write!(out, "{self}")
    }
}

impl ScaleValue for Uuid {
    fn encode_scale<S: Sink + ?Sized>(&self, sink: &mut S) {
        sink.put(&self.0);
    }

    fn decode_scale(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.array().map(Uuid)
    }
}

/// SS58 with prefix 42, as 32 account bytes.
impl FieldValue for AccountId32 {
    fn from_canonical_text(text: &str) -> Option<Self> {
        let (prefix, account) = ss58::decode(text).ok()?;
        if prefix != BITTENSOR_PREFIX {
            return None;
        }
        let id = AccountId32(account);
        (id.to_ss58_bittensor().as_str() == text).then_some(id)
    }

    fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        out.write_str(self.to_ss58_bittensor().as_str())
    }
}

impl ScaleValue for AccountId32 {
    fn encode_scale<S: Sink + ?Sized>(&self, sink: &mut S) {
        sink.put(&self.0);
    }

    fn decode_scale(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.array().map(AccountId32)
    }
}

/// `0x` + 128 lowercase hex.
impl FieldValue for Signature {
    fn from_canonical_text(text: &str) -> Option<Self> {
        parse_lower_hex::<64>(text.strip_prefix("0x")?).map(Signature)
    }

    fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        out.write_str("0x")?;
        write_lower_hex(&self.0, out)
    }
}

impl ScaleValue for Signature {
    fn encode_scale<S: Sink + ?Sized>(&self, sink: &mut S) {
        sink.put(&self.0);
    }

    fn decode_scale(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.array().map(Signature)
    }
}

/// 64 lowercase hex, no prefix.
impl FieldValue for BodyHash {
    fn from_canonical_text(text: &str) -> Option<Self> {
        parse_lower_hex::<32>(text).map(BodyHash)
    }

    fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        write_lower_hex(&self.0, out)
    }
}

impl ScaleValue for BodyHash {
    fn encode_scale<S: Sink + ?Sized>(&self, sink: &mut S) {
        sink.put(&self.0);
    }

    fn decode_scale(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.array().map(BodyHash)
    }
}

/// Any text: always typed.
impl FieldValue for String {
    fn from_canonical_text(text: &str) -> Option<Self> {
        Some(String::from(text))
    }

    fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        out.write_str(self)
    }
}

impl ScaleValue for String {
    fn encode_scale<S: Sink + ?Sized>(&self, sink: &mut S) {
        sink.put_str(self);
    }

    fn decode_scale(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.str(MAX_HEADER_VALUE_LEN).map(String::from)
    }
}

/// Exactly `2 * N` lowercase hex digits.
pub(crate) fn parse_lower_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N.checked_mul(2)? {
        return None;
    }
    let mut out = [0u8; N];
    for (slot, pair) in out.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *slot = (lower_hex_digit(*hi)? << 4) | lower_hex_digit(*lo)?;
    }
    Some(out)
}

/// One header of the envelope (spec B.1).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// The header is not sent.
    #[default]
    Absent,
    /// The header's text is the canonical text of this value.
    Typed(T),
    /// The header's text, verbatim, when it is not canonical.
    Raw(String),
}

const TAG_ABSENT: u8 = 0x00;
const TAG_TYPED: u8 = 0x01;
const TAG_RAW: u8 = 0x02;

impl<T: FieldValue> Field<T> {
    /// The field for a header value, or [`Field::Absent`] when there is none.
    pub fn from_header(text: Option<&str>) -> Self {
        match text {
            None => Field::Absent,
            Some(text) => match T::from_canonical_text(text) {
                Some(value) => Field::Typed(value),
                None => Field::Raw(String::from(text)),
            },
        }
    }

    /// The typed value, when the header is present and canonical.
    pub fn typed(&self) -> Option<&T> {
        match self {
            Field::Typed(value) => Some(value),
            _ => None,
        }
    }

    /// True when the header is not sent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// Writes the header text; returns `Ok(false)` (writing nothing) when absent.
    pub fn write_text<W: Write + ?Sized>(&self, out: &mut W) -> Result<bool, fmt::Error> {
        match self {
            Field::Absent => Ok(false),
            Field::Typed(value) => value.write_text(out).map(|()| true),
            Field::Raw(text) => out.write_str(text).map(|()| true),
        }
    }

    /// The header text, or `None` when absent.
    pub fn text(&self) -> Option<String> {
        let mut out = String::new();
        match self.write_text(&mut out) {
            Ok(true) => Some(out),
            _ => None,
        }
    }

    /// True when the header is present with exactly this text.
    pub fn has_text(&self, expected: &str) -> bool {
        renders_as(expected, |w| match self.write_text(w) {
            Ok(true) => Ok(()),
            _ => Err(fmt::Error),
        })
    }
}

pub(crate) fn encode_field<T: ScaleValue, S: Sink + ?Sized>(field: &Field<T>, sink: &mut S) {
    match field {
        Field::Absent => sink.put_byte(TAG_ABSENT),
        Field::Typed(value) => {
            sink.put_byte(TAG_TYPED);
            value.encode_scale(sink);
        }
        Field::Raw(text) => {
            sink.put_byte(TAG_RAW);
            sink.put_str(text);
        }
    }
}

/// Reads a field; a raw text that is canonical (and so would have been typed) is
/// refused, which keeps the encoding of a header set unique.
pub(crate) fn decode_field<T: FieldValue + ScaleValue>(
    reader: &mut Reader<'_>,
) -> Result<Field<T>, DecodeError> {
    let offset = reader.offset();
    match reader.byte()? {
        TAG_ABSENT => Ok(Field::Absent),
        TAG_TYPED => T::decode_scale(reader).map(Field::Typed),
        TAG_RAW => {
            let text = reader.str(MAX_HEADER_VALUE_LEN)?;
            if T::from_canonical_text(text).is_some() {
                return Err(DecodeError::BadTag {
                    offset,
                    tag: TAG_RAW,
                });
            }
            Ok(Field::Raw(String::from(text)))
        }
        tag => Err(DecodeError::BadTag { offset, tag }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn canonical_uints() {
        assert_eq!(u64::from_canonical_text("0"), Some(0));
        assert_eq!(
            u64::from_canonical_text("18446744073709551615"),
            Some(u64::MAX)
        );
        for text in ["", "01", "-1", "+1", "18446744073709551616", "1 ", "1_0"] {
            assert_eq!(u64::from_canonical_text(text), None, "{text}");
        }
    }

    #[test]
    fn canonical_hex_forms() {
        let sig = "0x".to_string() + &"ab".repeat(64);
        assert!(Signature::from_canonical_text(&sig).is_some());
        assert!(Signature::from_canonical_text(&sig.to_uppercase()).is_none());
        assert!(Signature::from_canonical_text(&sig[2..]).is_none());
        assert!(BodyHash::from_canonical_text(&"0f".repeat(32)).is_some());
        assert!(BodyHash::from_canonical_text(&("0x".to_string() + &"0f".repeat(32))).is_none());
        assert!(BodyHash::from_canonical_text(&"0F".repeat(32)).is_none());
    }

    #[test]
    fn hotkeys_need_prefix_42() {
        let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
        assert!(AccountId32::from_canonical_text(alice).is_some());
        assert!(AccountId32::from_canonical_text(
            "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"
        )
        .is_none());
        assert!(AccountId32::from_canonical_text("not an address").is_none());
    }
}
