// Seal search kernel for taolite-pow's `Gpu` backend.
//
// seal = Keccak-256(SHA-256(LE64(nonce) ‖ BH)), tested against the difficulty limit, for
// `count` consecutive nonces per dispatch. Only 32-bit integers: Keccak lanes are
// vec2<u32> (x = low word, y = high word). Every nonce of one dispatch shares the high
// 32 bits (the host splits batches at low-word carries), so one atomicMax of
// `0xffffffff − offset` (offset from `base_low`) yields the batch's first solving nonce.

struct Params {
    // BH = Keccak-256(block_hash ‖ key) as eight big-endian words (SHA-256 W2..W9).
    bh: array<vec4<u32>, 2>,
    // The largest passing value ⌊(2^256 − 1) / d⌋, 32-bit words, least significant first.
    limit: array<vec4<u32>, 2>,
    // High 32 bits of every nonce in this dispatch.
    nonce_high: u32,
    // Low 32 bits of the dispatch's first nonce.
    base_low: u32,
    // Nonces in this dispatch (base_low + count ≤ 2^32).
    count: u32,
    // 0: little-endian seal value (chain ≥ v3.1.6); 1: legacy big-endian.
    rule: u32,
}

// A read-only storage buffer, not a uniform: lavapipe specialises (re-JITs and keeps)
// a shader per distinct uniform content, which would be one variant per dispatch.
@group(0) @binding(0) var<storage, read> params: Params;
// 0xffffffff − (smallest solving offset from base_low), or 0 when none: the host zeroes
// it before each dispatch, and atomicMax keeps the smallest offset.
@group(0) @binding(1) var<storage, read_write> first_hit: atomic<u32>;

const WORKGROUP_SIZE: u32 = 64u;
// Nonces each invocation tests (keep in sync with NONCES_PER_INVOCATION in gpu.rs).
const NONCES_PER_INVOCATION: u32 = 16u;

fn bswap(x: u32) -> u32 {
    return (x << 24u) | ((x << 8u) & 0x00ff0000u) | ((x >> 8u) & 0x0000ff00u) | (x >> 24u);
}

// ---- SHA-256, one block -------------------------------------------------------------

struct Sha {
    a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32, h: u32,
}

fn rotr(x: u32, n: u32) -> u32 {
    return (x >> n) | (x << (32u - n));
}

fn small_sigma0(x: u32) -> u32 {
    return rotr(x, 7u) ^ rotr(x, 18u) ^ (x >> 3u);
}

fn small_sigma1(x: u32) -> u32 {
    return rotr(x, 17u) ^ rotr(x, 19u) ^ (x >> 10u);
}

// One compression round; `kw` is K[t] + W[t].
fn sha_round(s: Sha, kw: u32) -> Sha {
    let big_sigma1 = rotr(s.e, 6u) ^ rotr(s.e, 11u) ^ rotr(s.e, 25u);
    let choose = s.g ^ (s.e & (s.f ^ s.g));
    let t1 = s.h + big_sigma1 + choose + kw;
    let big_sigma0 = rotr(s.a, 2u) ^ rotr(s.a, 13u) ^ rotr(s.a, 22u);
    let majority = (s.a & s.b) | (s.c & (s.a | s.b));
    return Sha(t1 + big_sigma0 + majority, s.a, s.b, s.c, s.d + t1, s.e, s.f, s.g);
}

const SHA_IV = Sha(
    0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
    0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
);

// SHA-256 of the 40-byte message LE64(nonce) ‖ BH, padded to one block (spec §1).
fn sha256_pre_seal(nonce_low: u32, nonce_high: u32) -> array<u32, 8> {
    var w0 = bswap(nonce_low);
    var w1 = bswap(nonce_high);
    var w2 = params.bh[0].x;
    var w3 = params.bh[0].y;
    var w4 = params.bh[0].z;
    var w5 = params.bh[0].w;
    var w6 = params.bh[1].x;
    var w7 = params.bh[1].y;
    var w8 = params.bh[1].z;
    var w9 = params.bh[1].w;
    var w10 = 0x80000000u;
    var w11 = 0u;
    var w12 = 0u;
    var w13 = 0u;
    var w14 = 0u;
    var w15 = 320u;
    var s = SHA_IV;
    s = sha_round(s, 0x428a2f98u + w0);
    s = sha_round(s, 0x71374491u + w1);
    s = sha_round(s, 0xb5c0fbcfu + w2);
    s = sha_round(s, 0xe9b5dba5u + w3);
    s = sha_round(s, 0x3956c25bu + w4);
    s = sha_round(s, 0x59f111f1u + w5);
    s = sha_round(s, 0x923f82a4u + w6);
    s = sha_round(s, 0xab1c5ed5u + w7);
    s = sha_round(s, 0xd807aa98u + w8);
    s = sha_round(s, 0x12835b01u + w9);
    s = sha_round(s, 0x243185beu + w10);
    s = sha_round(s, 0x550c7dc3u + w11);
    s = sha_round(s, 0x72be5d74u + w12);
    s = sha_round(s, 0x80deb1feu + w13);
    s = sha_round(s, 0x9bdc06a7u + w14);
    s = sha_round(s, 0xc19bf174u + w15);
    w0 = small_sigma1(w14) + w9 + small_sigma0(w1) + w0;
    s = sha_round(s, 0xe49b69c1u + w0);
    w1 = small_sigma1(w15) + w10 + small_sigma0(w2) + w1;
    s = sha_round(s, 0xefbe4786u + w1);
    w2 = small_sigma1(w0) + w11 + small_sigma0(w3) + w2;
    s = sha_round(s, 0x0fc19dc6u + w2);
    w3 = small_sigma1(w1) + w12 + small_sigma0(w4) + w3;
    s = sha_round(s, 0x240ca1ccu + w3);
    w4 = small_sigma1(w2) + w13 + small_sigma0(w5) + w4;
    s = sha_round(s, 0x2de92c6fu + w4);
    w5 = small_sigma1(w3) + w14 + small_sigma0(w6) + w5;
    s = sha_round(s, 0x4a7484aau + w5);
    w6 = small_sigma1(w4) + w15 + small_sigma0(w7) + w6;
    s = sha_round(s, 0x5cb0a9dcu + w6);
    w7 = small_sigma1(w5) + w0 + small_sigma0(w8) + w7;
    s = sha_round(s, 0x76f988dau + w7);
    w8 = small_sigma1(w6) + w1 + small_sigma0(w9) + w8;
    s = sha_round(s, 0x983e5152u + w8);
    w9 = small_sigma1(w7) + w2 + small_sigma0(w10) + w9;
    s = sha_round(s, 0xa831c66du + w9);
    w10 = small_sigma1(w8) + w3 + small_sigma0(w11) + w10;
    s = sha_round(s, 0xb00327c8u + w10);
    w11 = small_sigma1(w9) + w4 + small_sigma0(w12) + w11;
    s = sha_round(s, 0xbf597fc7u + w11);
    w12 = small_sigma1(w10) + w5 + small_sigma0(w13) + w12;
    s = sha_round(s, 0xc6e00bf3u + w12);
    w13 = small_sigma1(w11) + w6 + small_sigma0(w14) + w13;
    s = sha_round(s, 0xd5a79147u + w13);
    w14 = small_sigma1(w12) + w7 + small_sigma0(w15) + w14;
    s = sha_round(s, 0x06ca6351u + w14);
    w15 = small_sigma1(w13) + w8 + small_sigma0(w0) + w15;
    s = sha_round(s, 0x14292967u + w15);
    w0 = small_sigma1(w14) + w9 + small_sigma0(w1) + w0;
    s = sha_round(s, 0x27b70a85u + w0);
    w1 = small_sigma1(w15) + w10 + small_sigma0(w2) + w1;
    s = sha_round(s, 0x2e1b2138u + w1);
    w2 = small_sigma1(w0) + w11 + small_sigma0(w3) + w2;
    s = sha_round(s, 0x4d2c6dfcu + w2);
    w3 = small_sigma1(w1) + w12 + small_sigma0(w4) + w3;
    s = sha_round(s, 0x53380d13u + w3);
    w4 = small_sigma1(w2) + w13 + small_sigma0(w5) + w4;
    s = sha_round(s, 0x650a7354u + w4);
    w5 = small_sigma1(w3) + w14 + small_sigma0(w6) + w5;
    s = sha_round(s, 0x766a0abbu + w5);
    w6 = small_sigma1(w4) + w15 + small_sigma0(w7) + w6;
    s = sha_round(s, 0x81c2c92eu + w6);
    w7 = small_sigma1(w5) + w0 + small_sigma0(w8) + w7;
    s = sha_round(s, 0x92722c85u + w7);
    w8 = small_sigma1(w6) + w1 + small_sigma0(w9) + w8;
    s = sha_round(s, 0xa2bfe8a1u + w8);
    w9 = small_sigma1(w7) + w2 + small_sigma0(w10) + w9;
    s = sha_round(s, 0xa81a664bu + w9);
    w10 = small_sigma1(w8) + w3 + small_sigma0(w11) + w10;
    s = sha_round(s, 0xc24b8b70u + w10);
    w11 = small_sigma1(w9) + w4 + small_sigma0(w12) + w11;
    s = sha_round(s, 0xc76c51a3u + w11);
    w12 = small_sigma1(w10) + w5 + small_sigma0(w13) + w12;
    s = sha_round(s, 0xd192e819u + w12);
    w13 = small_sigma1(w11) + w6 + small_sigma0(w14) + w13;
    s = sha_round(s, 0xd6990624u + w13);
    w14 = small_sigma1(w12) + w7 + small_sigma0(w15) + w14;
    s = sha_round(s, 0xf40e3585u + w14);
    w15 = small_sigma1(w13) + w8 + small_sigma0(w0) + w15;
    s = sha_round(s, 0x106aa070u + w15);
    w0 = small_sigma1(w14) + w9 + small_sigma0(w1) + w0;
    s = sha_round(s, 0x19a4c116u + w0);
    w1 = small_sigma1(w15) + w10 + small_sigma0(w2) + w1;
    s = sha_round(s, 0x1e376c08u + w1);
    w2 = small_sigma1(w0) + w11 + small_sigma0(w3) + w2;
    s = sha_round(s, 0x2748774cu + w2);
    w3 = small_sigma1(w1) + w12 + small_sigma0(w4) + w3;
    s = sha_round(s, 0x34b0bcb5u + w3);
    w4 = small_sigma1(w2) + w13 + small_sigma0(w5) + w4;
    s = sha_round(s, 0x391c0cb3u + w4);
    w5 = small_sigma1(w3) + w14 + small_sigma0(w6) + w5;
    s = sha_round(s, 0x4ed8aa4au + w5);
    w6 = small_sigma1(w4) + w15 + small_sigma0(w7) + w6;
    s = sha_round(s, 0x5b9cca4fu + w6);
    w7 = small_sigma1(w5) + w0 + small_sigma0(w8) + w7;
    s = sha_round(s, 0x682e6ff3u + w7);
    w8 = small_sigma1(w6) + w1 + small_sigma0(w9) + w8;
    s = sha_round(s, 0x748f82eeu + w8);
    w9 = small_sigma1(w7) + w2 + small_sigma0(w10) + w9;
    s = sha_round(s, 0x78a5636fu + w9);
    w10 = small_sigma1(w8) + w3 + small_sigma0(w11) + w10;
    s = sha_round(s, 0x84c87814u + w10);
    w11 = small_sigma1(w9) + w4 + small_sigma0(w12) + w11;
    s = sha_round(s, 0x8cc70208u + w11);
    w12 = small_sigma1(w10) + w5 + small_sigma0(w13) + w12;
    s = sha_round(s, 0x90befffau + w12);
    w13 = small_sigma1(w11) + w6 + small_sigma0(w14) + w13;
    s = sha_round(s, 0xa4506cebu + w13);
    w14 = small_sigma1(w12) + w7 + small_sigma0(w15) + w14;
    s = sha_round(s, 0xbef9a3f7u + w14);
    w15 = small_sigma1(w13) + w8 + small_sigma0(w0) + w15;
    s = sha_round(s, 0xc67178f2u + w15);
    return array<u32, 8>(
        SHA_IV.a + s.a, SHA_IV.b + s.b, SHA_IV.c + s.c, SHA_IV.d + s.d,
        SHA_IV.e + s.e, SHA_IV.f + s.f, SHA_IV.g + s.g, SHA_IV.h + s.h,
    );
}

// ---- Keccak-f[1600] on 32-bit halves --------------------------------------------------

// Rotate a 64-bit lane left by 0 < n < 32.
fn rotl_low(v: vec2<u32>, n: u32) -> vec2<u32> {
    return vec2<u32>((v.x << n) | (v.y >> (32u - n)), (v.y << n) | (v.x >> (32u - n)));
}

// Rotate a 64-bit lane left by 32 < n < 64: swap the halves, then rotate by n − 32.
fn rotl_high(v: vec2<u32>, n: u32) -> vec2<u32> {
    return rotl_low(v.yx, n - 32u);
}

const ROUND_CONSTANTS = array<vec2<u32>, 24>(
    vec2<u32>(0x00000001u, 0x00000000u), vec2<u32>(0x00008082u, 0x00000000u),
    vec2<u32>(0x0000808au, 0x80000000u), vec2<u32>(0x80008000u, 0x80000000u),
    vec2<u32>(0x0000808bu, 0x00000000u), vec2<u32>(0x80000001u, 0x00000000u),
    vec2<u32>(0x80008081u, 0x80000000u), vec2<u32>(0x00008009u, 0x80000000u),
    vec2<u32>(0x0000008au, 0x00000000u), vec2<u32>(0x00000088u, 0x00000000u),
    vec2<u32>(0x80008009u, 0x00000000u), vec2<u32>(0x8000000au, 0x00000000u),
    vec2<u32>(0x8000808bu, 0x00000000u), vec2<u32>(0x0000008bu, 0x80000000u),
    vec2<u32>(0x00008089u, 0x80000000u), vec2<u32>(0x00008003u, 0x80000000u),
    vec2<u32>(0x00008002u, 0x80000000u), vec2<u32>(0x00000080u, 0x80000000u),
    vec2<u32>(0x0000800au, 0x00000000u), vec2<u32>(0x8000000au, 0x80000000u),
    vec2<u32>(0x80008081u, 0x80000000u), vec2<u32>(0x00008080u, 0x80000000u),
    vec2<u32>(0x80000001u, 0x00000000u), vec2<u32>(0x80008008u, 0x80000000u),
);

// Keccak-256 of a 32-byte message given as four lanes; returns output lanes 0..3.
fn keccak256_32(m0: vec2<u32>, m1: vec2<u32>, m2: vec2<u32>, m3: vec2<u32>) -> array<vec2<u32>, 4> {
    let zero = vec2<u32>(0u, 0u);
    var a00 = m0;
    var a01 = m1;
    var a02 = m2;
    var a03 = m3;
    // Original Keccak padding: 0x01 after the message, 0x80 in the last rate byte (135).
    var a04 = vec2<u32>(1u, 0u);
    var a05 = zero;
    var a06 = zero;
    var a07 = zero;
    var a08 = zero;
    var a09 = zero;
    var a10 = zero;
    var a11 = zero;
    var a12 = zero;
    var a13 = zero;
    var a14 = zero;
    var a15 = zero;
    var a16 = vec2<u32>(0u, 0x80000000u);
    var a17 = zero;
    var a18 = zero;
    var a19 = zero;
    var a20 = zero;
    var a21 = zero;
    var a22 = zero;
    var a23 = zero;
    var a24 = zero;
    for (var r = 0u; r < 24u; r += 1u) {
        let c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
        let c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
        let c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
        let c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
        let c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
        let d0 = c4 ^ rotl_low(c1, 1u);
        let d1 = c0 ^ rotl_low(c2, 1u);
        let d2 = c1 ^ rotl_low(c3, 1u);
        let d3 = c2 ^ rotl_low(c4, 1u);
        let d4 = c3 ^ rotl_low(c0, 1u);
        let b00 = a00 ^ d0;
        let b01 = rotl_high(a06 ^ d1, 44u);
        let b02 = rotl_high(a12 ^ d2, 43u);
        let b03 = rotl_low(a18 ^ d3, 21u);
        let b04 = rotl_low(a24 ^ d4, 14u);
        let b05 = rotl_low(a03 ^ d3, 28u);
        let b06 = rotl_low(a09 ^ d4, 20u);
        let b07 = rotl_low(a10 ^ d0, 3u);
        let b08 = rotl_high(a16 ^ d1, 45u);
        let b09 = rotl_high(a22 ^ d2, 61u);
        let b10 = rotl_low(a01 ^ d1, 1u);
        let b11 = rotl_low(a07 ^ d2, 6u);
        let b12 = rotl_low(a13 ^ d3, 25u);
        let b13 = rotl_low(a19 ^ d4, 8u);
        let b14 = rotl_low(a20 ^ d0, 18u);
        let b15 = rotl_low(a04 ^ d4, 27u);
        let b16 = rotl_high(a05 ^ d0, 36u);
        let b17 = rotl_low(a11 ^ d1, 10u);
        let b18 = rotl_low(a17 ^ d2, 15u);
        let b19 = rotl_high(a23 ^ d3, 56u);
        let b20 = rotl_high(a02 ^ d2, 62u);
        let b21 = rotl_high(a08 ^ d3, 55u);
        let b22 = rotl_high(a14 ^ d4, 39u);
        let b23 = rotl_high(a15 ^ d0, 41u);
        let b24 = rotl_low(a21 ^ d1, 2u);
        a00 = b00 ^ (~b01 & b02);
        a01 = b01 ^ (~b02 & b03);
        a02 = b02 ^ (~b03 & b04);
        a03 = b03 ^ (~b04 & b00);
        a04 = b04 ^ (~b00 & b01);
        a05 = b05 ^ (~b06 & b07);
        a06 = b06 ^ (~b07 & b08);
        a07 = b07 ^ (~b08 & b09);
        a08 = b08 ^ (~b09 & b05);
        a09 = b09 ^ (~b05 & b06);
        a10 = b10 ^ (~b11 & b12);
        a11 = b11 ^ (~b12 & b13);
        a12 = b12 ^ (~b13 & b14);
        a13 = b13 ^ (~b14 & b10);
        a14 = b14 ^ (~b10 & b11);
        a15 = b15 ^ (~b16 & b17);
        a16 = b16 ^ (~b17 & b18);
        a17 = b17 ^ (~b18 & b19);
        a18 = b18 ^ (~b19 & b15);
        a19 = b19 ^ (~b15 & b16);
        a20 = b20 ^ (~b21 & b22);
        a21 = b21 ^ (~b22 & b23);
        a22 = b22 ^ (~b23 & b24);
        a23 = b23 ^ (~b24 & b20);
        a24 = b24 ^ (~b20 & b21);
        a00 = a00 ^ ROUND_CONSTANTS[r];
    }
    return array<vec2<u32>, 4>(a00, a01, a02, a03);
}

// ---- Difficulty test ----------------------------------------------------------------------

// Word i of value ≤ limit given that the words below compare as `below` (true: value's
// lower words ≤ limit's lower words). Chaining from the least significant word up gives
// the 256-bit comparison without arrays or branches.
fn word_at_most(value: u32, limit: u32, below: bool) -> bool {
    return value < limit || (value == limit && below);
}

// value ≤ limit for a value given as two vec4 of 32-bit words, least significant first.
fn at_most_limit(low: vec4<u32>, high: vec4<u32>) -> bool {
    let limit_low = params.limit[0];
    let limit_high = params.limit[1];
    var ok = word_at_most(low.x, limit_low.x, true);
    ok = word_at_most(low.y, limit_low.y, ok);
    ok = word_at_most(low.z, limit_low.z, ok);
    ok = word_at_most(low.w, limit_low.w, ok);
    ok = word_at_most(high.x, limit_high.x, ok);
    ok = word_at_most(high.y, limit_high.y, ok);
    ok = word_at_most(high.z, limit_high.z, ok);
    return word_at_most(high.w, limit_high.w, ok);
}

// Whether a seal (Keccak output lanes 0..3) meets the limit under the dispatch's rule.
fn meets(seal: array<vec2<u32>, 4>) -> bool {
    if params.rule == 0u {
        // Little-endian: the lanes are the value's 64-bit limbs, least significant first.
        return at_most_limit(
            vec4<u32>(seal[0].x, seal[0].y, seal[1].x, seal[1].y),
            vec4<u32>(seal[2].x, seal[2].y, seal[3].x, seal[3].y),
        );
    }
    // Big-endian: seal byte 0 is the most significant; byte-swap each word and reverse.
    return at_most_limit(
        vec4<u32>(bswap(seal[3].y), bswap(seal[3].x), bswap(seal[2].y), bswap(seal[2].x)),
        vec4<u32>(bswap(seal[1].y), bswap(seal[1].x), bswap(seal[0].y), bswap(seal[0].x)),
    );
}

// ---- Entry point --------------------------------------------------------------------------

@compute @workgroup_size(WORKGROUP_SIZE)
fn search(@builtin(global_invocation_id) id: vec3<u32>) {
    let first = id.x * NONCES_PER_INVOCATION;
    for (var k = 0u; k < NONCES_PER_INVOCATION; k += 1u) {
        let offset = first + k;
        if offset >= params.count {
            return;
        }
        let h = sha256_pre_seal(params.base_low + offset, params.nonce_high);
        // SHA-256 output words are big-endian; Keccak reads little-endian lanes.
        let seal = keccak256_32(
            vec2<u32>(bswap(h[0]), bswap(h[1])),
            vec2<u32>(bswap(h[2]), bswap(h[3])),
            vec2<u32>(bswap(h[4]), bswap(h[5])),
            vec2<u32>(bswap(h[6]), bswap(h[7])),
        );
        if meets(seal) {
            atomicMax(&first_hit, 0xffffffffu - offset);
        }
    }
}
