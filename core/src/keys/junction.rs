//! Derivation junctions (`//hard`, `/soft`) and their 32-byte chain codes, as sp-core
//! computes them from the junction text.

use core::fmt;

use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};

/// Bytes in a chain code.
pub const CHAIN_CODE_LEN: usize = 32;

/// One step of a derivation path: the chain code and whether the step is hard.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeriveJunction {
    /// `//code`: needs the secret key; the child is unrelated to the parent's public key.
    Hard([u8; CHAIN_CODE_LEN]),
    /// `/code`: can be followed from the public key alone.
    Soft([u8; CHAIN_CODE_LEN]),
}

impl DeriveJunction {
    /// A hard junction for the text after `//`.
    pub fn hard(code: &str) -> Self {
        Self::Hard(chain_code(code))
    }

    /// A soft junction for the text after `/`.
    pub fn soft(code: &str) -> Self {
        Self::Soft(chain_code(code))
    }

    /// The junction's chain code.
    pub fn chain_code(&self) -> &[u8; CHAIN_CODE_LEN] {
        match self {
            Self::Hard(code) | Self::Soft(code) => code,
        }
    }

    /// Whether this is a hard junction.
    pub fn is_hard(&self) -> bool {
        matches!(self, Self::Hard(_))
    }
}

impl fmt::Debug for DeriveJunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_hard() { "Hard(" } else { "Soft(" })?;
        crate::hex::fmt_prefixed(self.chain_code(), f)?;
        f.write_str(")")
    }
}

/// sp-core's chain code for junction text.
///
/// Text that Rust's `u64` parser accepts (decimal digits, optionally a leading `+`)
/// becomes that number as 8 little-endian bytes. Any other text becomes its SCALE
/// encoding (`Compact(len) ++ UTF-8`), zero-padded to 32 bytes, or replaced by its
/// Blake2b-256 when the encoding is longer than 32 bytes.
pub fn chain_code(code: &str) -> [u8; CHAIN_CODE_LEN] {
    let mut out = [0u8; CHAIN_CODE_LEN];
    if let Ok(number) = code.parse::<u64>() {
        for (dst, src) in out.iter_mut().zip(number.to_le_bytes()) {
            *dst = src;
        }
        return out;
    }
    let mut prefix = [0u8; MAX_COMPACT_LEN];
    let prefix_len = compact_len(code.len() as u64, &mut prefix);
    let prefix = prefix.get(..prefix_len).unwrap_or(&[]);
    if prefix_len.saturating_add(code.len()) > CHAIN_CODE_LEN {
        return Blake2b::<U32>::new()
            .chain_update(prefix)
            .chain_update(code.as_bytes())
            .finalize()
            .into();
    }
    for (dst, src) in out.iter_mut().zip(prefix.iter().chain(code.as_bytes())) {
        *dst = *src;
    }
    out
}

/// Longest SCALE compact encoding of a `u64`: a mode byte and 8 value bytes.
const MAX_COMPACT_LEN: usize = 9;

/// Writes SCALE's compact encoding of `value` into `out`, returns its length.
fn compact_len(value: u64, out: &mut [u8; MAX_COMPACT_LEN]) -> usize {
    let (word, len): (u64, usize) = match value {
        0..=0x3f => (value << 2, 1),
        0x40..=0x3fff => ((value << 2) | 0b01, 2),
        0x4000..=0x3fff_ffff => ((value << 2) | 0b10, 4),
        _ => {
            let bytes = 8usize.saturating_sub((value.leading_zeros() / 8) as usize);
            let mode = ((bytes.saturating_sub(4) as u8) << 2) | 0b11;
            let [head, tail @ ..] = out;
            *head = mode;
            for (dst, src) in tail.iter_mut().zip(value.to_le_bytes()).take(bytes) {
                *dst = src;
            }
            return bytes.saturating_add(1);
        }
    };
    for (dst, src) in out.iter_mut().zip(word.to_le_bytes()).take(len) {
        *dst = src;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(value: u64) -> ([u8; MAX_COMPACT_LEN], usize) {
        let mut out = [0u8; MAX_COMPACT_LEN];
        let len = compact_len(value, &mut out);
        (out, len)
    }

    #[test]
    fn compact_matches_scale() {
        assert_eq!(&compact(0).0[..1], &[0]);
        assert_eq!(&compact(63).0[..1], &[0xfc]);
        let (b, n) = compact(64);
        assert_eq!(&b[..n], &[0x01, 0x01]);
        let (b, n) = compact(16383);
        assert_eq!(&b[..n], &[0xfd, 0xff]);
        let (b, n) = compact(16384);
        assert_eq!(&b[..n], &[0x02, 0x00, 0x01, 0x00]);
        let (b, n) = compact(1 << 30);
        assert_eq!(&b[..n], &[0x03, 0x00, 0x00, 0x00, 0x40]);
        let (b, n) = compact(u64::MAX);
        assert_eq!(
            &b[..n],
            &[0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
    }

    #[test]
    fn numbers_and_strings() {
        let mut five = [0u8; 32];
        five[0] = 5;
        assert_eq!(chain_code("5"), five);
        assert_eq!(chain_code("+5"), five);
        assert_eq!(chain_code("005"), five);
        let mut alice = [0u8; 32];
        alice[..6].copy_from_slice(b"\x14Alice");
        assert_eq!(chain_code("Alice"), alice);
        assert_eq!(chain_code(""), [0u8; 32]);
        assert_ne!(chain_code("-5"), five);
    }
}
