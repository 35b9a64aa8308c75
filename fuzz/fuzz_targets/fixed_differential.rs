//! taolite_core::fixed against substrate-fixed 0.6.0 (the chain's crate), raw bits compared:
//! every operation the epoch uses on I32F32, I64F64, I96F32 and U96F32 in its saturating,
//! checked and wrapping forms, the conversions between them and to integers, the chain's
//! safe division and `exp` / `exp_safe`.
//!
//! substrate-fixed's 128-bit multiply (`mul_overflow` for i128 bits: I64F64, I96F32)
//! carries a `debug_assert!` that fires on correct inputs (a negative carry shifted up);
//! the chain builds without debug assertions, so under `cfg(debug_assertions)` (cargo
//! fuzz's default) those multiplications are skipped. `scripts/fuzz-campaign.sh` also
//! runs this target from a build without debug assertions (`-O`), which covers them.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use substrate_fixed::transcendental;
use substrate_fixed::types as chain;
use taolite_core::fixed::{exp, exp_safe, safe_div, I32F32, I64F64, I96F32, U96F32};

#[derive(Arbitrary, Debug)]
struct Case {
    op: u8,
    a: i128,
    b: i128,
    /// Shifts that move the bit patterns towards small magnitudes, where results stay
    /// in range and the arithmetic (not only the overflow paths) is compared.
    shift_a: u8,
    shift_b: u8,
}

/// Compares the same binary operation on `$ours` and `$theirs` (both built from the same
/// bits) and asserts equal results, mapping each side with `$bits`.
macro_rules! same {
    ($name:expr, $ours:expr, $theirs:expr) => {{
        let (ours, theirs) = ($ours, $theirs);
        assert_eq!(ours, theirs, "{} differs", $name);
    }};
}

macro_rules! binary_ops {
    ($case:expr, $ty:ident, $bits:ty, $wide_mul:expr) => {{
        let a = (($case.a >> ($case.shift_a % 120)) as $bits);
        let b = (($case.b >> ($case.shift_b % 120)) as $bits);
        let (x, y) = ($ty::from_bits(a), $ty::from_bits(b));
        let (p, q) = (chain::$ty::from_bits(a), chain::$ty::from_bits(b));
        let bits = |v: $ty| v.to_bits();
        let cbits = |v: chain::$ty| v.to_bits();
        same!(
            concat!(stringify!($ty), " saturating_add"),
            bits(x.saturating_add(y)),
            cbits(p.saturating_add(q))
        );
        same!(
            concat!(stringify!($ty), " saturating_sub"),
            bits(x.saturating_sub(y)),
            cbits(p.saturating_sub(q))
        );
        same!(
            concat!(stringify!($ty), " wrapping_add"),
            bits(x.wrapping_add(y)),
            cbits(p.wrapping_add(q))
        );
        same!(
            concat!(stringify!($ty), " wrapping_sub"),
            bits(x.wrapping_sub(y)),
            cbits(p.wrapping_sub(q))
        );
        same!(
            concat!(stringify!($ty), " checked_add"),
            x.checked_add(y).map(bits),
            p.checked_add(q).map(cbits)
        );
        if !($wide_mul && cfg!(debug_assertions)) {
            same!(
                concat!(stringify!($ty), " saturating_mul"),
                bits(x.saturating_mul(y)),
                cbits(p.saturating_mul(q))
            );
            same!(
                concat!(stringify!($ty), " checked_mul"),
                x.checked_mul(y).map(bits),
                p.checked_mul(q).map(cbits)
            );
            same!(
                concat!(stringify!($ty), " wrapping_mul"),
                bits(x.wrapping_mul(y)),
                cbits(p.wrapping_mul(q))
            );
        }
        same!(
            concat!(stringify!($ty), " checked_div"),
            x.checked_div(y).map(bits),
            p.checked_div(q).map(cbits)
        );
        same!(
            concat!(stringify!($ty), " safe_div"),
            bits(safe_div(x, y)),
            p.checked_div(q).map(cbits).unwrap_or(0)
        );
        if b != 0 {
            same!(
                concat!(stringify!($ty), " saturating_div"),
                bits(x.saturating_div(y)),
                cbits(p.saturating_div(q))
            );
        }
        same!(concat!(stringify!($ty), " cmp"), x.cmp(&y), p.cmp(&q));
    }};
}

fuzz_target!(|case: Case| {
    match case.op % 8 {
        0 => binary_ops!(case, I32F32, i64, false),
        1 => binary_ops!(case, I64F64, i128, true),
        2 => binary_ops!(case, I96F32, i128, true),
        3 => binary_ops!(case, U96F32, u128, false),
        4 => {
            // exp over the whole I32F32 range, and exp_safe with the chain's clamp.
            let bits = (case.a >> (case.shift_a % 64)) as i64;
            let theirs =
                transcendental::exp::<chain::I32F32, chain::I32F32>(chain::I32F32::from_bits(bits))
                    .ok()
                    .map(chain::I32F32::to_bits);
            same!(
                "exp",
                exp(I32F32::from_bits(bits)).map(I32F32::to_bits),
                theirs
            );
            let clamped = bits.clamp(-20 << 32, 20 << 32);
            let safe = transcendental::exp::<chain::I32F32, chain::I32F32>(
                chain::I32F32::from_bits(clamped),
            )
            .map(chain::I32F32::to_bits)
            .unwrap_or(if clamped <= 0 { 0 } else { i64::MAX });
            same!(
                "exp_safe",
                exp_safe(I32F32::from_bits(bits)).to_bits(),
                safe
            );
        }
        5 => {
            // Fixed-to-fixed conversions, both directions, saturating and wrapping.
            let wide = case.a >> (case.shift_a % 120);
            let narrow = (case.b >> (case.shift_b % 64)) as i64;
            let (w, cw) = (I64F64::from_bits(wide), chain::I64F64::from_bits(wide));
            let (s, cs) = (I32F32::from_bits(narrow), chain::I32F32::from_bits(narrow));
            same!(
                "I64F64→I32F32 saturating",
                I32F32::saturating_from_num(w).to_bits(),
                chain::I32F32::saturating_from_num(cw).to_bits()
            );
            same!(
                "I64F64→I32F32 wrapping",
                I32F32::wrapping_from_num(w).to_bits(),
                chain::I32F32::wrapping_from_num(cw).to_bits()
            );
            same!(
                "I32F32→I64F64 saturating",
                I64F64::saturating_from_num(s).to_bits(),
                chain::I64F64::saturating_from_num(cs).to_bits()
            );
            same!(
                "I32F32→I96F32 saturating",
                I96F32::saturating_from_num(s).to_bits(),
                chain::I96F32::saturating_from_num(cs).to_bits()
            );
            same!(
                "I96F32→I32F32 wrapping",
                I32F32::wrapping_from_num(I96F32::from_bits(wide)).to_bits(),
                chain::I32F32::wrapping_from_num(chain::I96F32::from_bits(wide)).to_bits()
            );
            let unsigned = wide as u128;
            same!(
                "U96F32→I64F64 saturating",
                I64F64::saturating_from_num(U96F32::from_bits(unsigned)).to_bits(),
                chain::I64F64::saturating_from_num(chain::U96F32::from_bits(unsigned)).to_bits()
            );
            same!(
                "I32F32→u16 saturating",
                s.saturating_to_num::<u16>(),
                cs.saturating_to_num::<u16>()
            );
            same!(
                "I32F32→u64 saturating",
                s.saturating_to_num::<u64>(),
                cs.saturating_to_num::<u64>()
            );
            same!(
                "I64F64→u64 saturating",
                w.saturating_to_num::<u64>(),
                cw.saturating_to_num::<u64>()
            );
            same!(
                "I64F64→u64 wrapping",
                w.wrapping_to_num::<u64>(),
                cw.wrapping_to_num::<u64>()
            );
        }
        6 => {
            // Integer-to-fixed conversions the epoch reads storage with.
            let v = case.a as u64;
            let h = case.b as u16;
            let i = case.b as i16;
            same!(
                "I64F64 from u64 saturating",
                I64F64::saturating_from_num(v).to_bits(),
                chain::I64F64::saturating_from_num(v).to_bits()
            );
            same!(
                "I64F64 from u64 wrapping",
                I64F64::wrapping_from_num(v).to_bits(),
                chain::I64F64::wrapping_from_num(v).to_bits()
            );
            same!(
                "I96F32 from u64 saturating",
                I96F32::saturating_from_num(v).to_bits(),
                chain::I96F32::saturating_from_num(v).to_bits()
            );
            same!(
                "U96F32 from u64 saturating",
                U96F32::saturating_from_num(v).to_bits(),
                chain::U96F32::saturating_from_num(v).to_bits()
            );
            same!(
                "I32F32 from u64 wrapping",
                I32F32::wrapping_from_num(v).to_bits(),
                chain::I32F32::wrapping_from_num(v).to_bits()
            );
            same!(
                "I32F32 from u16 saturating",
                I32F32::saturating_from_num(h).to_bits(),
                chain::I32F32::saturating_from_num(h).to_bits()
            );
            same!(
                "I32F32 from i16 saturating",
                I32F32::saturating_from_num(i).to_bits(),
                chain::I32F32::saturating_from_num(i).to_bits()
            );
        }
        _ => {
            // The emission path: ⌊I96F32(x) sat× I96F32(rao)⌋ as u64 (spec §4.13).
            let x = (case.a >> (case.shift_a % 64)) as i64;
            let rao = case.b as u64;
            if cfg!(debug_assertions) {
                return; // an I96F32 (i128) multiplication, see the module docs
            }
            let ours = I96F32::saturating_from_num(I32F32::from_bits(x))
                .saturating_mul(I96F32::saturating_from_num(rao))
                .saturating_to_num::<u64>();
            let theirs = chain::I96F32::saturating_from_num(chain::I32F32::from_bits(x))
                .saturating_mul(chain::I96F32::saturating_from_num(rao))
                .saturating_to_num::<u64>();
            same!("emission share", ours, theirs);
            same!(
                "yuma emission_share",
                taolite_yuma::arith::emission_share(I32F32::from_bits(x), rao),
                theirs
            );
        }
    }
});
