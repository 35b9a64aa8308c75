//! The hash functions the chain uses, as thin one-shot wrappers over RustCrypto and
//! twox-hash, so callers never pick a wrong variant (Keccak vs SHA3, Blake2b output size).

use blake2::digest::consts::{U16, U32};
use blake2::{Blake2b, Blake2b512, Digest};
use sha2::Sha256;
use sha3::Keccak256;
use twox_hash::XxHash64;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// Keccak-256 with the original Keccak padding (as Ethereum and the registration PoW use),
/// not the NIST SHA3-256 padding.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// Blake2b with a 16-byte output (Substrate's `blake2_128`, used by storage hashers).
pub fn blake2_128(data: &[u8]) -> [u8; 16] {
    Blake2b::<U16>::digest(data).into()
}

/// Blake2b with a 32-byte output (Substrate's `blake2_256`: signing payloads, long junctions).
pub fn blake2_256(data: &[u8]) -> [u8; 32] {
    Blake2b::<U32>::digest(data).into()
}

/// Blake2b with a 64-byte output (SS58 checksums).
pub fn blake2_512(data: &[u8]) -> [u8; 64] {
    Blake2b512::digest(data).into()
}

/// Blake2b-512 over several parts without concatenating them first (no allocation).
pub fn blake2_512_parts(parts: &[&[u8]]) -> [u8; 64] {
    let mut hasher = Blake2b512::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// Substrate's `twox_64`: xxHash64 with seed 0, little-endian.
pub fn twox_64(data: &[u8]) -> [u8; 8] {
    XxHash64::oneshot(0, data).to_le_bytes()
}

/// Substrate's `twox_128`: xxHash64 with seeds 0 and 1, concatenated little-endian.
pub fn twox_128(data: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    twox_fill(data, &mut out);
    out
}

/// Substrate's `twox_256`: xxHash64 with seeds 0..4, concatenated little-endian.
pub fn twox_256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    twox_fill(data, &mut out);
    out
}

/// Fills `out` with consecutive 8-byte xxHash64 digests seeded 0, 1, 2, …
fn twox_fill(data: &[u8], out: &mut [u8]) {
    for (seed, chunk) in (0u64..).zip(out.chunks_exact_mut(8)) {
        chunk.copy_from_slice(&XxHash64::oneshot(seed, data).to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        ::hex::decode_to_slice(s, &mut out).unwrap();
        out
    }

    #[test]
    fn sha256_empty() {
        assert_eq!(
            sha256(b""),
            hex32("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
    }

    #[test]
    fn keccak256_empty_is_not_sha3() {
        assert_eq!(
            keccak256(b""),
            hex32("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        );
    }

    #[test]
    fn blake2_256_empty() {
        assert_eq!(
            blake2_256(b""),
            hex32("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
        );
    }

    #[test]
    fn blake2_512_parts_equals_concatenation() {
        assert_eq!(blake2_512_parts(&[b"SS58", b"PRE"]), blake2_512(b"SS58PRE"));
    }

    #[test]
    fn twox_128_of_system_is_the_known_storage_prefix() {
        // The well-known storage prefix of the `System` pallet.
        assert_eq!(twox_128(b"System"), {
            let mut out = [0u8; 16];
            ::hex::decode_to_slice("26aa394eea5630e07c48ae0c9558cef7", &mut out).unwrap();
            out
        });
    }

    #[test]
    fn twox_256_starts_with_twox_128() {
        let long = twox_256(b"Balances");
        assert_eq!(long[..16], twox_128(b"Balances"));
        assert_eq!(long[..8], twox_64(b"Balances"));
    }
}
