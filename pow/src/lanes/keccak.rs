//! Keccak-f[1600], generic over the lane type: one independent state per lane.

use super::Lane64;

/// The iota round constants.
const ROUND_CONSTANTS: [u64; 24] = [
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808a,
    0x8000000080008000,
    0x000000000000808b,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008a,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000a,
    0x000000008000808b,
    0x800000000000008b,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800a,
    0x800000008000000a,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
];

/// The 24-round permutation; lane `x + 5y` of the state is `a[x + 5y]`.
#[inline(always)]
pub(crate) fn f1600<V: Lane64>(a: &mut [V; 25]) {
    for round_constant in ROUND_CONSTANTS {
        round(a, round_constant);
    }
}

/// theta, rho and pi (into `b`), chi and iota, unrolled with constant indices.
#[inline(always)]
fn round<V: Lane64>(a: &mut [V; 25], round_constant: u64) {
    let c0 = a[0].xor5(a[5], a[10], a[15], a[20]);
    let c1 = a[1].xor5(a[6], a[11], a[16], a[21]);
    let c2 = a[2].xor5(a[7], a[12], a[17], a[22]);
    let c3 = a[3].xor5(a[8], a[13], a[18], a[23]);
    let c4 = a[4].xor5(a[9], a[14], a[19], a[24]);
    let d0 = c4.xor(c1.rotl(1));
    let d1 = c0.xor(c2.rotl(1));
    let d2 = c1.xor(c3.rotl(1));
    let d3 = c2.xor(c4.rotl(1));
    let d4 = c3.xor(c0.rotl(1));
    let b0 = a[0].xor(d0);
    let b1 = a[6].xor(d1).rotl(44);
    let b2 = a[12].xor(d2).rotl(43);
    let b3 = a[18].xor(d3).rotl(21);
    let b4 = a[24].xor(d4).rotl(14);
    let b5 = a[3].xor(d3).rotl(28);
    let b6 = a[9].xor(d4).rotl(20);
    let b7 = a[10].xor(d0).rotl(3);
    let b8 = a[16].xor(d1).rotl(45);
    let b9 = a[22].xor(d2).rotl(61);
    let b10 = a[1].xor(d1).rotl(1);
    let b11 = a[7].xor(d2).rotl(6);
    let b12 = a[13].xor(d3).rotl(25);
    let b13 = a[19].xor(d4).rotl(8);
    let b14 = a[20].xor(d0).rotl(18);
    let b15 = a[4].xor(d4).rotl(27);
    let b16 = a[5].xor(d0).rotl(36);
    let b17 = a[11].xor(d1).rotl(10);
    let b18 = a[17].xor(d2).rotl(15);
    let b19 = a[23].xor(d3).rotl(56);
    let b20 = a[2].xor(d2).rotl(62);
    let b21 = a[8].xor(d3).rotl(55);
    let b22 = a[14].xor(d4).rotl(39);
    let b23 = a[15].xor(d0).rotl(41);
    let b24 = a[21].xor(d1).rotl(2);
    a[0] = b0.chi(b1, b2);
    a[1] = b1.chi(b2, b3);
    a[2] = b2.chi(b3, b4);
    a[3] = b3.chi(b4, b0);
    a[4] = b4.chi(b0, b1);
    a[5] = b5.chi(b6, b7);
    a[6] = b6.chi(b7, b8);
    a[7] = b7.chi(b8, b9);
    a[8] = b8.chi(b9, b5);
    a[9] = b9.chi(b5, b6);
    a[10] = b10.chi(b11, b12);
    a[11] = b11.chi(b12, b13);
    a[12] = b12.chi(b13, b14);
    a[13] = b13.chi(b14, b10);
    a[14] = b14.chi(b10, b11);
    a[15] = b15.chi(b16, b17);
    a[16] = b16.chi(b17, b18);
    a[17] = b17.chi(b18, b19);
    a[18] = b18.chi(b19, b15);
    a[19] = b19.chi(b15, b16);
    a[20] = b20.chi(b21, b22);
    a[21] = b21.chi(b22, b23);
    a[22] = b22.chi(b23, b24);
    a[23] = b23.chi(b24, b20);
    a[24] = b24.chi(b20, b21);
    a[0] = a[0].xor(V::splat(round_constant));
}
