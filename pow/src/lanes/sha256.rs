//! SHA-256 compression of one 64-byte block from the standard initial value, generic over
//! the lane type: one independent message per lane.

use super::Word32;

/// The SHA-256 round constants.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The SHA-256 initial hash value.
const IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

#[inline(always)]
fn big_sigma0<V: Word32>(x: V) -> V {
    x.rotr(2).xor3(x.rotr(13), x.rotr(22))
}

#[inline(always)]
fn big_sigma1<V: Word32>(x: V) -> V {
    x.rotr(6).xor3(x.rotr(11), x.rotr(25))
}

#[inline(always)]
fn small_sigma0<V: Word32>(x: V) -> V {
    x.rotr(7).xor3(x.rotr(18), x.shr(3))
}

#[inline(always)]
fn small_sigma1<V: Word32>(x: V) -> V {
    x.rotr(17).xor3(x.rotr(19), x.shr(10))
}

/// One round; the caller rotates the variable names instead of moving values.
macro_rules! round {
    ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $t:literal, $w:expr) => {
        let t1 = $h
            .add(big_sigma1($e))
            .add($e.choose($f, $g))
            .add(V::splat(K[$t]))
            .add($w);
        let t2 = big_sigma0($a).add($a.majority($b, $c));
        $d = $d.add(t1);
        $h = t1.add(t2);
    };
}

/// Compresses the block `w` (16 big-endian message words) from the initial value and
/// returns the digest words `H0..H7`. Fully unrolled: every index is a constant.
#[inline(always)]
pub(crate) fn compress_one_block<V: Word32>(mut w: [V; 16]) -> [V; 8] {
    let mut a = V::splat(IV[0]);
    let mut b = V::splat(IV[1]);
    let mut c = V::splat(IV[2]);
    let mut d = V::splat(IV[3]);
    let mut e = V::splat(IV[4]);
    let mut f = V::splat(IV[5]);
    let mut g = V::splat(IV[6]);
    let mut h = V::splat(IV[7]);
    round!(a, b, c, d, e, f, g, h, 0, w[0]);
    round!(h, a, b, c, d, e, f, g, 1, w[1]);
    round!(g, h, a, b, c, d, e, f, 2, w[2]);
    round!(f, g, h, a, b, c, d, e, 3, w[3]);
    round!(e, f, g, h, a, b, c, d, 4, w[4]);
    round!(d, e, f, g, h, a, b, c, 5, w[5]);
    round!(c, d, e, f, g, h, a, b, 6, w[6]);
    round!(b, c, d, e, f, g, h, a, 7, w[7]);
    round!(a, b, c, d, e, f, g, h, 8, w[8]);
    round!(h, a, b, c, d, e, f, g, 9, w[9]);
    round!(g, h, a, b, c, d, e, f, 10, w[10]);
    round!(f, g, h, a, b, c, d, e, 11, w[11]);
    round!(e, f, g, h, a, b, c, d, 12, w[12]);
    round!(d, e, f, g, h, a, b, c, 13, w[13]);
    round!(c, d, e, f, g, h, a, b, 14, w[14]);
    round!(b, c, d, e, f, g, h, a, 15, w[15]);
    w[0] = w[0]
        .add(small_sigma0(w[1]))
        .add(w[9])
        .add(small_sigma1(w[14]));
    round!(a, b, c, d, e, f, g, h, 16, w[0]);
    w[1] = w[1]
        .add(small_sigma0(w[2]))
        .add(w[10])
        .add(small_sigma1(w[15]));
    round!(h, a, b, c, d, e, f, g, 17, w[1]);
    w[2] = w[2]
        .add(small_sigma0(w[3]))
        .add(w[11])
        .add(small_sigma1(w[0]));
    round!(g, h, a, b, c, d, e, f, 18, w[2]);
    w[3] = w[3]
        .add(small_sigma0(w[4]))
        .add(w[12])
        .add(small_sigma1(w[1]));
    round!(f, g, h, a, b, c, d, e, 19, w[3]);
    w[4] = w[4]
        .add(small_sigma0(w[5]))
        .add(w[13])
        .add(small_sigma1(w[2]));
    round!(e, f, g, h, a, b, c, d, 20, w[4]);
    w[5] = w[5]
        .add(small_sigma0(w[6]))
        .add(w[14])
        .add(small_sigma1(w[3]));
    round!(d, e, f, g, h, a, b, c, 21, w[5]);
    w[6] = w[6]
        .add(small_sigma0(w[7]))
        .add(w[15])
        .add(small_sigma1(w[4]));
    round!(c, d, e, f, g, h, a, b, 22, w[6]);
    w[7] = w[7]
        .add(small_sigma0(w[8]))
        .add(w[0])
        .add(small_sigma1(w[5]));
    round!(b, c, d, e, f, g, h, a, 23, w[7]);
    w[8] = w[8]
        .add(small_sigma0(w[9]))
        .add(w[1])
        .add(small_sigma1(w[6]));
    round!(a, b, c, d, e, f, g, h, 24, w[8]);
    w[9] = w[9]
        .add(small_sigma0(w[10]))
        .add(w[2])
        .add(small_sigma1(w[7]));
    round!(h, a, b, c, d, e, f, g, 25, w[9]);
    w[10] = w[10]
        .add(small_sigma0(w[11]))
        .add(w[3])
        .add(small_sigma1(w[8]));
    round!(g, h, a, b, c, d, e, f, 26, w[10]);
    w[11] = w[11]
        .add(small_sigma0(w[12]))
        .add(w[4])
        .add(small_sigma1(w[9]));
    round!(f, g, h, a, b, c, d, e, 27, w[11]);
    w[12] = w[12]
        .add(small_sigma0(w[13]))
        .add(w[5])
        .add(small_sigma1(w[10]));
    round!(e, f, g, h, a, b, c, d, 28, w[12]);
    w[13] = w[13]
        .add(small_sigma0(w[14]))
        .add(w[6])
        .add(small_sigma1(w[11]));
    round!(d, e, f, g, h, a, b, c, 29, w[13]);
    w[14] = w[14]
        .add(small_sigma0(w[15]))
        .add(w[7])
        .add(small_sigma1(w[12]));
    round!(c, d, e, f, g, h, a, b, 30, w[14]);
    w[15] = w[15]
        .add(small_sigma0(w[0]))
        .add(w[8])
        .add(small_sigma1(w[13]));
    round!(b, c, d, e, f, g, h, a, 31, w[15]);
    w[0] = w[0]
        .add(small_sigma0(w[1]))
        .add(w[9])
        .add(small_sigma1(w[14]));
    round!(a, b, c, d, e, f, g, h, 32, w[0]);
    w[1] = w[1]
        .add(small_sigma0(w[2]))
        .add(w[10])
        .add(small_sigma1(w[15]));
    round!(h, a, b, c, d, e, f, g, 33, w[1]);
    w[2] = w[2]
        .add(small_sigma0(w[3]))
        .add(w[11])
        .add(small_sigma1(w[0]));
    round!(g, h, a, b, c, d, e, f, 34, w[2]);
    w[3] = w[3]
        .add(small_sigma0(w[4]))
        .add(w[12])
        .add(small_sigma1(w[1]));
    round!(f, g, h, a, b, c, d, e, 35, w[3]);
    w[4] = w[4]
        .add(small_sigma0(w[5]))
        .add(w[13])
        .add(small_sigma1(w[2]));
    round!(e, f, g, h, a, b, c, d, 36, w[4]);
    w[5] = w[5]
        .add(small_sigma0(w[6]))
        .add(w[14])
        .add(small_sigma1(w[3]));
    round!(d, e, f, g, h, a, b, c, 37, w[5]);
    w[6] = w[6]
        .add(small_sigma0(w[7]))
        .add(w[15])
        .add(small_sigma1(w[4]));
    round!(c, d, e, f, g, h, a, b, 38, w[6]);
    w[7] = w[7]
        .add(small_sigma0(w[8]))
        .add(w[0])
        .add(small_sigma1(w[5]));
    round!(b, c, d, e, f, g, h, a, 39, w[7]);
    w[8] = w[8]
        .add(small_sigma0(w[9]))
        .add(w[1])
        .add(small_sigma1(w[6]));
    round!(a, b, c, d, e, f, g, h, 40, w[8]);
    w[9] = w[9]
        .add(small_sigma0(w[10]))
        .add(w[2])
        .add(small_sigma1(w[7]));
    round!(h, a, b, c, d, e, f, g, 41, w[9]);
    w[10] = w[10]
        .add(small_sigma0(w[11]))
        .add(w[3])
        .add(small_sigma1(w[8]));
    round!(g, h, a, b, c, d, e, f, 42, w[10]);
    w[11] = w[11]
        .add(small_sigma0(w[12]))
        .add(w[4])
        .add(small_sigma1(w[9]));
    round!(f, g, h, a, b, c, d, e, 43, w[11]);
    w[12] = w[12]
        .add(small_sigma0(w[13]))
        .add(w[5])
        .add(small_sigma1(w[10]));
    round!(e, f, g, h, a, b, c, d, 44, w[12]);
    w[13] = w[13]
        .add(small_sigma0(w[14]))
        .add(w[6])
        .add(small_sigma1(w[11]));
    round!(d, e, f, g, h, a, b, c, 45, w[13]);
    w[14] = w[14]
        .add(small_sigma0(w[15]))
        .add(w[7])
        .add(small_sigma1(w[12]));
    round!(c, d, e, f, g, h, a, b, 46, w[14]);
    w[15] = w[15]
        .add(small_sigma0(w[0]))
        .add(w[8])
        .add(small_sigma1(w[13]));
    round!(b, c, d, e, f, g, h, a, 47, w[15]);
    w[0] = w[0]
        .add(small_sigma0(w[1]))
        .add(w[9])
        .add(small_sigma1(w[14]));
    round!(a, b, c, d, e, f, g, h, 48, w[0]);
    w[1] = w[1]
        .add(small_sigma0(w[2]))
        .add(w[10])
        .add(small_sigma1(w[15]));
    round!(h, a, b, c, d, e, f, g, 49, w[1]);
    w[2] = w[2]
        .add(small_sigma0(w[3]))
        .add(w[11])
        .add(small_sigma1(w[0]));
    round!(g, h, a, b, c, d, e, f, 50, w[2]);
    w[3] = w[3]
        .add(small_sigma0(w[4]))
        .add(w[12])
        .add(small_sigma1(w[1]));
    round!(f, g, h, a, b, c, d, e, 51, w[3]);
    w[4] = w[4]
        .add(small_sigma0(w[5]))
        .add(w[13])
        .add(small_sigma1(w[2]));
    round!(e, f, g, h, a, b, c, d, 52, w[4]);
    w[5] = w[5]
        .add(small_sigma0(w[6]))
        .add(w[14])
        .add(small_sigma1(w[3]));
    round!(d, e, f, g, h, a, b, c, 53, w[5]);
    w[6] = w[6]
        .add(small_sigma0(w[7]))
        .add(w[15])
        .add(small_sigma1(w[4]));
    round!(c, d, e, f, g, h, a, b, 54, w[6]);
    w[7] = w[7]
        .add(small_sigma0(w[8]))
        .add(w[0])
        .add(small_sigma1(w[5]));
    round!(b, c, d, e, f, g, h, a, 55, w[7]);
    w[8] = w[8]
        .add(small_sigma0(w[9]))
        .add(w[1])
        .add(small_sigma1(w[6]));
    round!(a, b, c, d, e, f, g, h, 56, w[8]);
    w[9] = w[9]
        .add(small_sigma0(w[10]))
        .add(w[2])
        .add(small_sigma1(w[7]));
    round!(h, a, b, c, d, e, f, g, 57, w[9]);
    w[10] = w[10]
        .add(small_sigma0(w[11]))
        .add(w[3])
        .add(small_sigma1(w[8]));
    round!(g, h, a, b, c, d, e, f, 58, w[10]);
    w[11] = w[11]
        .add(small_sigma0(w[12]))
        .add(w[4])
        .add(small_sigma1(w[9]));
    round!(f, g, h, a, b, c, d, e, 59, w[11]);
    w[12] = w[12]
        .add(small_sigma0(w[13]))
        .add(w[5])
        .add(small_sigma1(w[10]));
    round!(e, f, g, h, a, b, c, d, 60, w[12]);
    w[13] = w[13]
        .add(small_sigma0(w[14]))
        .add(w[6])
        .add(small_sigma1(w[11]));
    round!(d, e, f, g, h, a, b, c, 61, w[13]);
    w[14] = w[14]
        .add(small_sigma0(w[15]))
        .add(w[7])
        .add(small_sigma1(w[12]));
    round!(c, d, e, f, g, h, a, b, 62, w[14]);
    w[15] = w[15]
        .add(small_sigma0(w[0]))
        .add(w[8])
        .add(small_sigma1(w[13]));
    round!(b, c, d, e, f, g, h, a, 63, w[15]);
    [
        a.add(V::splat(IV[0])),
        b.add(V::splat(IV[1])),
        c.add(V::splat(IV[2])),
        d.add(V::splat(IV[3])),
        e.add(V::splat(IV[4])),
        f.add(V::splat(IV[5])),
        g.add(V::splat(IV[6])),
        h.add(V::splat(IV[7])),
    ]
}
