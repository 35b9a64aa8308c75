//! Fixed-size values of the envelope that have no home in taolite-core.
//! (Signatures are taolite-core's [`taolite_core::keys::Signature`].)

use core::fmt;

/// A 16-byte UUID, written in bittensor's (Python's `str(uuid)`) lowercase `8-4-4-4-12` form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// Parses exactly the canonical lowercase form; anything else is `None`.
    pub fn parse_canonical(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 36 {
            return None;
        }
        let mut out = [0u8; 16];
        let mut digits = bytes
            .iter()
            .enumerate()
            .filter(|(index, _)| !matches!(index, 8 | 13 | 18 | 23));
        for slot in &mut out {
            let (_, hi) = digits.next()?;
            let (_, lo) = digits.next()?;
            *slot = (lower_hex_digit(*hi)? << 4) | lower_hex_digit(*lo)?;
        }
        let dashes_in_place = [8usize, 13, 18, 23]
            .iter()
            .all(|&i| bytes.get(i) == Some(&b'-'));
        dashes_in_place.then_some(Self(out))
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, byte) in self.0.iter().enumerate() {
            if matches!(index, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uuid({self})")
    }
}

/// The value of one lowercase hex digit.
pub(crate) fn lower_hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => b.checked_sub(b'0'),
        b'a'..=b'f' => b.checked_sub(b'a' - 10),
        _ => None,
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn uuid_round_trip_and_rejects() {
        let text = "5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a";
        let uuid = Uuid::parse_canonical(text).unwrap();
        assert_eq!(uuid.to_string(), text);
        for bad in [
            "5ECBD69C-1CEC-11EE-B0DC-E29CE36FEC1A",
            "5ecbd69c1cec11eeb0dce29ce36fec1a",
            "5ecbd69c-1cec-11ee-b0dc-e29ce36fec1",
            "5ecbd69c-1cec-11ee-b0dc_e29ce36fec1a",
            "{5ecbd69c-1cec-11ee-b0dc-e29ce36fec1}",
        ] {
            assert_eq!(Uuid::parse_canonical(bad), None, "{bad}");
        }
    }
}
