//! AVX2 and AVX-512 lane types and the per-batch seal pipelines built on them.
//!
//! Safety model: the vector types below are only created inside the `#[target_feature]`
//! pipeline functions at the bottom of this file, and those are only called after
//! `is_x86_feature_detected!` confirmed the features (see `crate::simd`). Every intrinsic
//! call therefore runs on a CPU that has the instruction. The trait methods are
//! `#[inline(always)]` so they compile inside the feature-enabled pipeline functions.

use core::arch::x86_64::*;

use super::{keccak, sha256, Lane64, Word32};

/// Eight 32-bit lanes in one AVX2 register.
#[derive(Clone, Copy)]
pub(crate) struct U32x8(__m256i);

/// Four 64-bit lanes in one AVX2 register.
#[derive(Clone, Copy)]
pub(crate) struct U64x4(__m256i);

/// Sixteen 32-bit lanes in one AVX-512 register.
#[derive(Clone, Copy)]
pub(crate) struct U32x16(__m512i);

/// Eight 64-bit lanes in one AVX-512 register.
#[derive(Clone, Copy)]
pub(crate) struct U64x8(__m512i);

impl Word32 for U32x8 {
    #[inline(always)]
    fn splat(value: u32) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe { _mm256_set1_epi32(value as i32) })
    }
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe { _mm256_add_epi32(self.0, other.0) })
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe { _mm256_xor_si256(self.0, other.0) })
    }
    #[inline(always)]
    fn rotr(self, bits: u32) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc); `bits` is a
        // constant at every call site, so the shifts compile to immediate forms.
        Self(unsafe {
            let right = _mm_cvtsi32_si128(bits as i32);
            let left = _mm_cvtsi32_si128(32i32.wrapping_sub(bits as i32));
            _mm256_or_si256(
                _mm256_srl_epi32(self.0, right),
                _mm256_sll_epi32(self.0, left),
            )
        })
    }
    #[inline(always)]
    fn shr(self, bits: u32) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe { _mm256_srl_epi32(self.0, _mm_cvtsi32_si128(bits as i32)) })
    }
    #[inline(always)]
    fn xor3(self, b: Self, c: Self) -> Self {
        self.xor(b).xor(c)
    }
    #[inline(always)]
    fn choose(self, f: Self, g: Self) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe { _mm256_xor_si256(g.0, _mm256_and_si256(self.0, _mm256_xor_si256(f.0, g.0))) })
    }
    #[inline(always)]
    fn majority(self, b: Self, c: Self) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe {
            _mm256_or_si256(
                _mm256_and_si256(self.0, b.0),
                _mm256_and_si256(c.0, _mm256_or_si256(self.0, b.0)),
            )
        })
    }
}

impl Lane64 for U64x4 {
    #[inline(always)]
    fn splat(value: u64) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe { _mm256_set1_epi64x(value as i64) })
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe { _mm256_xor_si256(self.0, other.0) })
    }
    #[inline(always)]
    fn xor5(self, b: Self, c: Self, d: Self, e: Self) -> Self {
        self.xor(b).xor(c).xor(d).xor(e)
    }
    #[inline(always)]
    fn chi(self, b: Self, c: Self) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc).
        Self(unsafe { _mm256_xor_si256(self.0, _mm256_andnot_si256(b.0, c.0)) })
    }
    #[inline(always)]
    fn rotl(self, bits: u32) -> Self {
        // SAFETY: AVX2 is present wherever these types exist (module doc); `bits` is a
        // constant at every call site, so the shifts compile to immediate forms.
        Self(unsafe {
            let left = _mm_cvtsi32_si128(bits as i32);
            let right = _mm_cvtsi32_si128(64i32.wrapping_sub(bits as i32));
            _mm256_or_si256(
                _mm256_sll_epi64(self.0, left),
                _mm256_srl_epi64(self.0, right),
            )
        })
    }
}

impl Word32 for U32x16 {
    #[inline(always)]
    fn splat(value: u32) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_set1_epi32(value as i32) })
    }
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_add_epi32(self.0, other.0) })
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_xor_si512(self.0, other.0) })
    }
    #[inline(always)]
    fn rotr(self, bits: u32) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc); a constant
        // splat count compiles to `vprord` with an immediate.
        Self(unsafe { _mm512_rorv_epi32(self.0, _mm512_set1_epi32(bits as i32)) })
    }
    #[inline(always)]
    fn shr(self, bits: u32) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_srl_epi32(self.0, _mm_cvtsi32_si128(bits as i32)) })
    }
    #[inline(always)]
    fn xor3(self, b: Self, c: Self) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_ternarylogic_epi32::<0x96>(self.0, b.0, c.0) })
    }
    #[inline(always)]
    fn choose(self, f: Self, g: Self) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_ternarylogic_epi32::<0xca>(self.0, f.0, g.0) })
    }
    #[inline(always)]
    fn majority(self, b: Self, c: Self) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_ternarylogic_epi32::<0xe8>(self.0, b.0, c.0) })
    }
}

impl Lane64 for U64x8 {
    #[inline(always)]
    fn splat(value: u64) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_set1_epi64(value as i64) })
    }
    #[inline(always)]
    fn xor(self, other: Self) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_xor_si512(self.0, other.0) })
    }
    #[inline(always)]
    fn xor5(self, b: Self, c: Self, d: Self, e: Self) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe {
            let abc = _mm512_ternarylogic_epi64::<0x96>(self.0, b.0, c.0);
            _mm512_ternarylogic_epi64::<0x96>(abc, d.0, e.0)
        })
    }
    #[inline(always)]
    fn chi(self, b: Self, c: Self) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc).
        Self(unsafe { _mm512_ternarylogic_epi64::<0xd2>(self.0, b.0, c.0) })
    }
    #[inline(always)]
    fn rotl(self, bits: u32) -> Self {
        // SAFETY: AVX-512F is present wherever these types exist (module doc); a constant
        // splat count compiles to `vprolq` with an immediate.
        Self(unsafe { _mm512_rolv_epi64(self.0, _mm512_set1_epi64(i64::from(bits))) })
    }
}

/// Nonce lanes `first_nonce + i` as the SHA-256 words W0 (low half) and W1 (high half).
#[inline(always)]
fn nonce_words<const N: usize>(first_nonce: u64) -> ([u32; N], [u32; N]) {
    let mut low = [0u32; N];
    let mut high = [0u32; N];
    for (i, (lo, hi)) in low.iter_mut().zip(high.iter_mut()).enumerate() {
        let nonce = first_nonce.wrapping_add(i as u64);
        *lo = (nonce as u32).swap_bytes();
        *hi = ((nonce >> 32) as u32).swap_bytes();
    }
    (low, high)
}

/// The Keccak state for one 32-byte message: lanes 0..3 given, pad bytes in 4 and 16.
#[inline(always)]
fn keccak_state<V: Lane64>(message: [V; 4]) -> [V; 25] {
    let mut state = [V::splat(0); 25];
    let [m0, m1, m2, m3] = message;
    state[0] = m0;
    state[1] = m1;
    state[2] = m2;
    state[3] = m3;
    state[4] = V::splat(0x01);
    state[16] = V::splat(0x8000_0000_0000_0000);
    state
}

/// The full message block for `N` consecutive nonces.
#[inline(always)]
fn message_block<V: Word32>(low: V, high: V, tail: &[u32; 14]) -> [V; 16] {
    let t = tail;
    [
        low,
        high,
        V::splat(t[0]),
        V::splat(t[1]),
        V::splat(t[2]),
        V::splat(t[3]),
        V::splat(t[4]),
        V::splat(t[5]),
        V::splat(t[6]),
        V::splat(t[7]),
        V::splat(t[8]),
        V::splat(t[9]),
        V::splat(t[10]),
        V::splat(t[11]),
        V::splat(t[12]),
        V::splat(t[13]),
    ]
}

/// Nonce lane of each 64-bit lane after `unpacklo_epi32` / `unpackhi_epi32` (they
/// interleave within 128-bit blocks).
const AVX2_LOW_LANES: [usize; 4] = [0, 1, 4, 5];
const AVX2_HIGH_LANES: [usize; 4] = [2, 3, 6, 7];
const AVX512_LOW_LANES: [usize; 8] = [0, 1, 4, 5, 8, 9, 12, 13];
const AVX512_HIGH_LANES: [usize; 8] = [2, 3, 6, 7, 10, 11, 14, 15];

/// Seals of the 8 nonces `first_nonce ..` as Keccak output lanes 0..3 (the seal bytes
/// read little-endian), one row per nonce in nonce order.
///
/// `tail` is [`super::message_tail`] of the work item.
#[target_feature(enable = "avx2")]
pub(crate) fn seals_avx2(tail: &[u32; 14], first_nonce: u64) -> [[u64; 4]; 8] {
    let (low, high) = nonce_words::<8>(first_nonce);
    // SAFETY: [u32; 8] and __m256i have the same size and every bit pattern is valid for
    // both; AVX2 was detected before this function was called.
    let (low, high) = unsafe {
        (
            U32x8(core::mem::transmute::<[u32; 8], __m256i>(low)),
            U32x8(core::mem::transmute::<[u32; 8], __m256i>(high)),
        )
    };
    let h = sha256::compress_one_block(message_block(low, high, tail));
    let swap = _mm256_setr_epi8(
        3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8,
        15, 14, 13, 12,
    );
    let mut first = [U64x4::splat(0); 4];
    let mut second = [U64x4::splat(0); 4];
    for ((pair, a), b) in h
        .chunks_exact(2)
        .zip(first.iter_mut())
        .zip(second.iter_mut())
    {
        if let [even, odd] = pair {
            let lo = _mm256_shuffle_epi8(even.0, swap);
            let hi = _mm256_shuffle_epi8(odd.0, swap);
            *a = U64x4(_mm256_unpacklo_epi32(lo, hi));
            *b = U64x4(_mm256_unpackhi_epi32(lo, hi));
        }
    }
    let mut out = [[0u64; 4]; 8];
    for (message, lanes) in [(first, AVX2_LOW_LANES), (second, AVX2_HIGH_LANES)] {
        let mut state = keccak_state(message);
        keccak::f1600(&mut state);
        for (limb, word) in state.iter().take(4).enumerate() {
            // SAFETY: __m256i and [u64; 4] have the same size; any bits are valid u64s.
            let values = unsafe { core::mem::transmute::<__m256i, [u64; 4]>(word.0) };
            for (value, &lane) in values.iter().zip(lanes.iter()) {
                if let Some(slot) = out.get_mut(lane).and_then(|row| row.get_mut(limb)) {
                    *slot = *value;
                }
            }
        }
    }
    out
}

/// Seals of the 16 nonces `first_nonce ..`, as [`seals_avx2`] does for 8.
#[target_feature(enable = "avx512f,avx512bw")]
pub(crate) fn seals_avx512(tail: &[u32; 14], first_nonce: u64) -> [[u64; 4]; 16] {
    let (low, high) = nonce_words::<16>(first_nonce);
    // SAFETY: [u32; 16] and __m512i have the same size and every bit pattern is valid
    // for both; AVX-512F/BW were detected before this function was called.
    let (low, high) = unsafe {
        (
            U32x16(core::mem::transmute::<[u32; 16], __m512i>(low)),
            U32x16(core::mem::transmute::<[u32; 16], __m512i>(high)),
        )
    };
    let h = sha256::compress_one_block(message_block(low, high, tail));
    let swap = _mm512_set4_epi32(0x0c0d_0e0f, 0x0809_0a0b, 0x0405_0607, 0x0001_0203);
    let mut first = [U64x8::splat(0); 4];
    let mut second = [U64x8::splat(0); 4];
    for ((pair, a), b) in h
        .chunks_exact(2)
        .zip(first.iter_mut())
        .zip(second.iter_mut())
    {
        if let [even, odd] = pair {
            let lo = _mm512_shuffle_epi8(even.0, swap);
            let hi = _mm512_shuffle_epi8(odd.0, swap);
            *a = U64x8(_mm512_unpacklo_epi32(lo, hi));
            *b = U64x8(_mm512_unpackhi_epi32(lo, hi));
        }
    }
    let mut out = [[0u64; 4]; 16];
    for (message, lanes) in [(first, AVX512_LOW_LANES), (second, AVX512_HIGH_LANES)] {
        let mut state = keccak_state(message);
        keccak::f1600(&mut state);
        for (limb, word) in state.iter().take(4).enumerate() {
            // SAFETY: __m512i and [u64; 8] have the same size; any bits are valid u64s.
            let values = unsafe { core::mem::transmute::<__m512i, [u64; 8]>(word.0) };
            for (value, &lane) in values.iter().zip(lanes.iter()) {
                if let Some(slot) = out.get_mut(lane).and_then(|row| row.get_mut(limb)) {
                    *slot = *value;
                }
            }
        }
    }
    out
}
