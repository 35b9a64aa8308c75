//! Multi-lane SHA-256 and Keccak-f[1600] kernels, written once over lane traits.
//!
//! They are hand-written rather than taken from a hashing crate because the solver needs
//! bit-exact hashes of many independent nonces per instruction stream (one nonce per
//! SIMD lane), which no general-purpose hashing crate offers. The same generic code runs
//! on plain `u32`/`u64` (tested against RustCrypto) and on the x86 vector types.

pub(crate) mod keccak;
pub(crate) mod sha256;
// The x86 kernels use AVX-512 intrinsics (stable since Rust 1.89) and safe
// `#[target_feature]` functions (1.86): the `simd` feature needs Rust 1.89, the rest of
// the crate keeps the workspace's 1.85.
#[cfg(target_arch = "x86_64")]
#[clippy::msrv = "1.89"]
pub(crate) mod x86;

/// A vector of 32-bit words, one per lane, as SHA-256 needs them.
pub(crate) trait Word32: Copy {
    /// Every lane set to `value`.
    fn splat(value: u32) -> Self;
    /// Lane-wise wrapping addition.
    fn add(self, other: Self) -> Self;
    /// Lane-wise xor.
    fn xor(self, other: Self) -> Self;
    /// Lane-wise right rotation by a constant.
    fn rotr(self, bits: u32) -> Self;
    /// Lane-wise logical right shift by a constant.
    fn shr(self, bits: u32) -> Self;
    /// `a ^ b ^ c`.
    fn xor3(self, b: Self, c: Self) -> Self;
    /// `self ? f : g` bit by bit (SHA-256 `Ch`).
    fn choose(self, f: Self, g: Self) -> Self;
    /// Bitwise majority of three (SHA-256 `Maj`).
    fn majority(self, b: Self, c: Self) -> Self;
}

/// A vector of 64-bit words, one per lane, as Keccak-f[1600] needs them.
pub(crate) trait Lane64: Copy {
    /// Every lane set to `value`.
    fn splat(value: u64) -> Self;
    /// Lane-wise xor.
    fn xor(self, other: Self) -> Self;
    /// `self ^ b ^ c ^ d ^ e` (theta's column parity).
    fn xor5(self, b: Self, c: Self, d: Self, e: Self) -> Self;
    /// `self ^ (!b & c)` (chi).
    fn chi(self, b: Self, c: Self) -> Self;
    /// Lane-wise left rotation by a constant in 1..64.
    fn rotl(self, bits: u32) -> Self;
}

impl Word32 for u32 {
    #[inline(always)]
    fn splat(value: u32) -> Self {
        value
    }
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        self ^ other
    }
    #[inline(always)]
    fn rotr(self, bits: u32) -> Self {
        self.rotate_right(bits)
    }
    #[inline(always)]
    fn shr(self, bits: u32) -> Self {
        self.wrapping_shr(bits)
    }
    #[inline(always)]
    fn xor3(self, b: Self, c: Self) -> Self {
        self ^ b ^ c
    }
    #[inline(always)]
    fn choose(self, f: Self, g: Self) -> Self {
        (self & f) ^ (!self & g)
    }
    #[inline(always)]
    fn majority(self, b: Self, c: Self) -> Self {
        (self & b) ^ (self & c) ^ (b & c)
    }
}

impl Lane64 for u64 {
    #[inline(always)]
    fn splat(value: u64) -> Self {
        value
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        self ^ other
    }
    #[inline(always)]
    fn xor5(self, b: Self, c: Self, d: Self, e: Self) -> Self {
        self ^ b ^ c ^ d ^ e
    }
    #[inline(always)]
    fn chi(self, b: Self, c: Self) -> Self {
        self ^ (!b & c)
    }
    #[inline(always)]
    fn rotl(self, bits: u32) -> Self {
        self.rotate_left(bits)
    }
}

/// The SHA-256 message words of one nonce's 40-byte pre-seal, minus the nonce words:
/// `W2..W9` from the block-and-key hash, then the constant padding `W10..W15`.
pub(crate) fn message_tail(block_and_key_hash: &[u8; 32]) -> [u32; 14] {
    let mut words = [0u32; 14];
    for (word, chunk) in words.iter_mut().zip(block_and_key_hash.chunks_exact(4)) {
        *word = u32::from_be_bytes(chunk.try_into().unwrap_or([0; 4]));
    }
    // W10 = 0x80000000 (padding bit), W11..W14 = 0, W15 = 320 (message bits).
    words[8] = 0x8000_0000;
    words[13] = 320;
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::Work;
    use taolite_core::hash::{keccak256, sha256};

    /// The generic kernels on plain integers agree with RustCrypto.
    #[test]
    fn scalar_lanes_match_rustcrypto() {
        let work = Work::from_block_and_key_hash([0x5a; 32]);
        let tail = message_tail(work.block_and_key_hash());
        for nonce in [
            0u64,
            1,
            0xffff_ffff,
            0x1_0000_0000,
            u64::MAX,
            0x0123_4567_89ab_cdef,
        ] {
            let mut w = [0u32; 16];
            w[0] = (nonce as u32).swap_bytes();
            w[1] = ((nonce >> 32) as u32).swap_bytes();
            w[2..].copy_from_slice(&tail);
            let h = sha256::compress_one_block(w);
            let mut digest = [0u8; 32];
            for (chunk, word) in digest.chunks_exact_mut(4).zip(h) {
                chunk.copy_from_slice(&word.to_be_bytes());
            }
            assert_eq!(digest, sha256(&work.pre_seal(nonce)));

            let mut state = [0u64; 25];
            for (lane, chunk) in state.iter_mut().zip(digest.chunks_exact(8)) {
                *lane = u64::from_le_bytes(chunk.try_into().unwrap());
            }
            state[4] = 1;
            state[16] = 0x8000_0000_0000_0000;
            keccak::f1600(&mut state);
            let mut seal = [0u8; 32];
            for (chunk, lane) in seal.chunks_exact_mut(8).zip(state) {
                chunk.copy_from_slice(&lane.to_le_bytes());
            }
            assert_eq!(seal, keccak256(&digest));
            assert_eq!(seal, work.seal(nonce));
        }
    }
}
