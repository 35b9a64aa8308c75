//! Differential tests: taolite-core's fixed point against substrate-fixed 0.6.0.
//!
//! The chain computes the epoch with substrate-fixed 0.6.0; taolite uses the `fixed` crate
//! (same layouts) plus the functions of `taolite_core::fixed`. Every operation the epoch can
//! reach runs on both sides with the same bit patterns, and the raw bits (or `None`) are
//! compared. Random cases (10,000 per property, each property covering one operation in its
//! saturating, checked and wrapping forms) mix uniform bit patterns, log-uniform magnitudes,
//! values next to integers and powers of two. Every pair of edge values (0, ±1 ulp, ±1, MIN,
//! MAX, 2^k and 2^k ± 1 ulp and 2^k ± 1 for every k) also runs exhaustively.
//!
//! Two modes. The chain builds substrate-fixed without debug assertions or overflow checks;
//! under `cargo test --release` this file does too, and then also compares the chain's plain
//! `+ - * /`, `from_num`, `to_num` and `round` (which wrap) with taolite's explicit wrapping
//! forms. A debug `cargo test` cannot observe those (substrate-fixed panics instead of
//! wrapping) nor some 128-bit products (a debug-only assertion in substrate-fixed fires);
//! every product is then still checked against an exact double-width model. See
//! `substrate_fixed_is_built_like_the_chain`.
//!
//! `exp` has its own file, `fixed_exp_differential.rs`.

use core::fmt::Debug;

use proptest::prelude::*;
use proptest::sample::select;
use substrate_fixed::traits::{
    Fixed as ChainFixed, FromFixed as ChainFromFixed, ToFixed as ChainToFixed,
};
use substrate_fixed::types as chain;
use taolite_core::fixed::{
    safe_div, wrapping_sum, Fixed, FromFixed, ToFixed, I32F32, I64F64, I96F32, U96F32,
};

/// Random cases per property (the floor asked for is 10,000 per operation).
const CASES: u32 = 10_000;

// ---------------------------------------------------------------------------------------
// Bit patterns
// ---------------------------------------------------------------------------------------

/// A primitive integer used as the bit pattern of a fixed-point type.
trait Bits: Copy + Debug + PartialEq + Arbitrary + 'static {
    const BITS: u32;
    const ZERO: Self;
    const MIN: Self;
    const MAX: Self;
    /// 2^k, wrapping (for a signed type 2^(BITS−1) is MIN).
    fn pow2(k: u32) -> Self;
    /// A small signed delta, sign-extended (−1 is all ones for unsigned types).
    fn small(delta: i8) -> Self;
    fn add(self, other: Self) -> Self;
    fn neg(self) -> Self;
    /// Shift right (arithmetic for signed types): log-uniform magnitudes.
    fn shr(self, shift: u32) -> Self;
    /// Clears the `frac` lowest bits: the value becomes an integer.
    fn integer_part(self, frac: u32) -> Self;
    fn is_negative(self) -> bool;
    /// Independent model of a fixed-point product: ⌊self · other / 2^frac⌋ computed exactly
    /// in double width, as (its low bits, whether it fits).
    fn exact_mul(self, other: Self, frac: u32) -> (Self, bool);
}

macro_rules! impl_bits {
    ($($t:ty => $exact:ident),*) => {$(
        impl Bits for $t {
            const BITS: u32 = <$t>::BITS;
            const ZERO: Self = 0;
            const MIN: Self = <$t>::MIN;
            const MAX: Self = <$t>::MAX;
            fn pow2(k: u32) -> Self { (1 as $t).wrapping_shl(k) }
            fn small(delta: i8) -> Self { i128::from(delta) as $t }
            fn add(self, other: Self) -> Self { self.wrapping_add(other) }
            fn neg(self) -> Self { self.wrapping_neg() }
            fn shr(self, shift: u32) -> Self { self.wrapping_shr(shift) }
            fn integer_part(self, frac: u32) -> Self { self & (!(0 as $t)).wrapping_shl(frac) }
            #[allow(unused_comparisons)]
            fn is_negative(self) -> bool { self < 0 }
            fn exact_mul(self, other: Self, frac: u32) -> (Self, bool) { $exact(self, other, frac) }
        }
    )*};
}
impl_bits!(i64 => exact_mul_i64, i128 => exact_mul_i128, u128 => exact_mul_u128);

fn exact_mul_i64(a: i64, b: i64, frac: u32) -> (i64, bool) {
    let wide = (i128::from(a) * i128::from(b)) >> frac;
    (wide as i64, i64::try_from(wide).is_ok())
}

/// The full 256-bit product of two 128-bit magnitudes, as (high, low) halves.
fn widening_mul_u128(a: u128, b: u128) -> (u128, u128) {
    const LOW: u128 = u64::MAX as u128;
    let (a1, a0, b1, b0) = (a >> 64, a & LOW, b >> 64, b & LOW);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let middle = (p00 >> 64) + (p01 & LOW) + (p10 & LOW);
    let low = (p00 & LOW) | (middle << 64);
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
    (high, low)
}

/// Shifts the 256-bit (high, low) right by 0 < frac < 128 bits, as (high, low).
fn shr_256(high: u128, low: u128, frac: u32, arithmetic: bool) -> (u128, u128) {
    let new_low = (low >> frac) | (high << (128 - frac));
    let new_high = if arithmetic {
        ((high as i128) >> frac) as u128
    } else {
        high >> frac
    };
    (new_high, new_low)
}

fn exact_mul_u128(a: u128, b: u128, frac: u32) -> (u128, bool) {
    let (high, low) = widening_mul_u128(a, b);
    let (high, low) = shr_256(high, low, frac, false);
    (low, high == 0)
}

fn exact_mul_i128(a: i128, b: i128, frac: u32) -> (i128, bool) {
    let (mut high, mut low) = widening_mul_u128(a.unsigned_abs(), b.unsigned_abs());
    if (a < 0) != (b < 0) {
        // Two's complement negation of the 256-bit magnitude.
        let (negated_low, borrow) = (!low).overflowing_add(1);
        high = (!high).wrapping_add(u128::from(borrow));
        low = negated_low;
    }
    let (high, low) = shr_256(high, low, frac, true);
    let sign_extension = if (low as i128) < 0 { u128::MAX } else { 0 };
    (low as i128, high == sign_extension)
}

/// Edge bit patterns of a type with `frac` fractional bits: 0, ±1 and ±2 ulp, ±1 and
/// ±1 ± 1 or 2 ulp, MIN, MAX and their neighbours; then for every k: 2^k, 2^k ± 1 ulp and
/// (above the fraction) 2^k ± 1, each also negated. The powers of two contain every integer
/// range limit (u16, u32, u64, i64 ...) and every multiplication overflow boundary.
fn edges<B: Bits>(frac: u32) -> Vec<B> {
    let one = B::pow2(frac);
    let mut all = vec![
        B::ZERO,
        B::MIN,
        B::MIN.add(B::small(1)),
        B::MAX,
        B::MAX.add(B::small(-1)),
    ];
    for delta in -2..=2 {
        all.push(B::small(delta));
        all.push(one.add(B::small(delta)));
        all.push(one.neg().add(B::small(delta)));
    }
    for k in 0..B::BITS {
        let p = B::pow2(k);
        let mut around = vec![p, p.add(B::small(1)), p.add(B::small(-1))];
        if k > frac {
            around.push(p.add(one));
            around.push(p.add(one.neg()));
        }
        for v in around {
            all.push(v);
            all.push(v.neg());
        }
    }
    let mut unique: Vec<B> = Vec::with_capacity(all.len());
    for v in all {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    unique
}

/// Random bit patterns: uniform; log-uniform magnitudes (a uniform pattern shifted right);
/// integers of log-uniform size give or take a few ulps; powers of two give or take a few
/// ulps, either sign; and the edge list.
fn bits<B: Bits>(frac: u32) -> BoxedStrategy<B> {
    prop_oneof![
        any::<B>(),
        (any::<B>(), 0..B::BITS).prop_map(|(v, s)| v.shr(s)),
        (any::<B>(), 0..B::BITS, -8i8..=8)
            .prop_map(move |(v, s, d)| v.shr(s).integer_part(frac).add(B::small(d))),
        (0..B::BITS, -4i8..=4, any::<bool>()).prop_map(|(k, d, negate)| {
            let v = B::pow2(k).add(B::small(d));
            if negate {
                v.neg()
            } else {
                v
            }
        }),
        select(edges::<B>(frac)),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------
// Checks: one function per operation family, generic over the type pair
// ---------------------------------------------------------------------------------------

/// `ours` is the `fixed` 1.x type, `theirs` the substrate-fixed 0.6.0 type of the same layout.
trait Pair {
    type B: Bits;
    type Ours: Fixed<Bits = Self::B> + ToFixed;
    type Theirs: ChainFixed<Bits = Self::B> + ChainToFixed;
    const FRAC: u32;
    const NAME: &'static str;
}

macro_rules! pair {
    ($pair:ident, $ours:ty, $theirs:ty, $bits:ty, $frac:expr) => {
        struct $pair;
        impl Pair for $pair {
            type B = $bits;
            type Ours = $ours;
            type Theirs = $theirs;
            const FRAC: u32 = $frac;
            const NAME: &'static str = stringify!($ours);
        }
    };
}
pair!(P32, I32F32, chain::I32F32, i64, 32);
pair!(P64, I64F64, chain::I64F64, i128, 64);
pair!(P96, I96F32, chain::I96F32, i128, 32);
pair!(PU96, U96F32, chain::U96F32, u128, 32);

fn ours<P: Pair>(bits: P::B) -> P::Ours {
    P::Ours::from_bits(bits)
}
fn theirs<P: Pair>(bits: P::B) -> P::Theirs {
    P::Theirs::from_bits(bits)
}

/// Compares an optional result: `None` on both sides, or the same bits.
fn same_opt<P: Pair>(op: &str, args: &[P::B], a: Option<P::Ours>, b: Option<P::Theirs>) {
    assert_eq!(
        a.map(Fixed::to_bits),
        b.map(ChainFixed::to_bits),
        "{} {op}{args:?}",
        P::NAME
    );
}

/// Compares a plain result's bits.
fn same<P: Pair>(op: &str, args: &[P::B], a: P::Ours, b: P::Theirs) {
    assert_eq!(a.to_bits(), b.to_bits(), "{} {op}{args:?}", P::NAME);
}

/// Addition and subtraction: saturating (chain `saturating_add/sub`), checked, and wrapping
/// (the chain's plain `+`/`-` in its release build).
fn check_add_sub<P: Pair>(a: P::B, b: P::B) {
    let (x, y, p, q) = (ours::<P>(a), ours::<P>(b), theirs::<P>(a), theirs::<P>(b));
    let args = &[a, b];
    same::<P>(
        "saturating_add",
        args,
        x.saturating_add(y),
        p.saturating_add(q),
    );
    same::<P>(
        "saturating_sub",
        args,
        x.saturating_sub(y),
        p.saturating_sub(q),
    );
    same::<P>("wrapping_add", args, x.wrapping_add(y), p.wrapping_add(q));
    same::<P>("wrapping_sub", args, x.wrapping_sub(y), p.wrapping_sub(q));
    same_opt::<P>("checked_add", args, x.checked_add(y), p.checked_add(q));
    same_opt::<P>("checked_sub", args, x.checked_sub(y), p.checked_sub(q));
    if chain_like() {
        same::<P>("release +", args, x.wrapping_add(y), p + q);
        same::<P>("release -", args, x.wrapping_sub(y), p - q);
    }
}

/// Multiplication (floor to the ulp): saturating, checked, wrapping; compared with
/// substrate-fixed and with an exact double-width model.
///
/// substrate-fixed's 128-bit multiply trips its own `debug_assert!` on some products with
/// negative factors, although its release build — the chain's — computes them right. In a
/// debug build those cases cannot be observed and are compared with the exact model only;
/// see [`substrate_fixed_is_built_like_the_chain`].
fn check_mul<P: Pair>(a: P::B, b: P::B) {
    let (x, y, p, q) = (ours::<P>(a), ours::<P>(b), theirs::<P>(a), theirs::<P>(b));
    let args = &[a, b];
    let ours = (x.saturating_mul(y), x.checked_mul(y), x.wrapping_mul(y));

    let (low, fits) = a.exact_mul(b, P::FRAC);
    let saturated = if a.is_negative() != b.is_negative() {
        P::B::MIN
    } else {
        P::B::MAX
    };
    let model = (if fits { low } else { saturated }, fits.then_some(low), low);
    let ours_bits = (
        ours.0.to_bits(),
        ours.1.map(Fixed::to_bits),
        ours.2.to_bits(),
    );
    assert_eq!(ours_bits, model, "{} exact model of mul{args:?}", P::NAME);

    let chain = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        (p.saturating_mul(q), p.checked_mul(q), p.wrapping_mul(q))
    }));
    if let Ok((saturating, checked, wrapping)) = chain {
        same::<P>("saturating_mul", args, ours.0, saturating);
        same_opt::<P>("checked_mul", args, ours.1, checked);
        same::<P>("wrapping_mul", args, ours.2, wrapping);
    }
    if chain_like() {
        same::<P>("release *", args, ours.2, p * q);
    }
}

/// Division (truncating): checked, the chain's `safe_div` (checked, `None` → 0), and for a
/// non-zero divisor saturating and wrapping (both panic on zero in both crates).
fn check_div<P: Pair>(a: P::B, b: P::B) {
    let (x, y, p, q) = (ours::<P>(a), ours::<P>(b), theirs::<P>(a), theirs::<P>(b));
    let args = &[a, b];
    same_opt::<P>("checked_div", args, x.checked_div(y), p.checked_div(q));
    let chain_safe_div = p.checked_div(q).unwrap_or_else(|| theirs::<P>(P::B::ZERO));
    same::<P>("safe_div", args, safe_div(x, y), chain_safe_div);
    if b != P::B::ZERO {
        same::<P>(
            "saturating_div",
            args,
            x.saturating_div(y),
            p.saturating_div(q),
        );
        same::<P>("wrapping_div", args, x.wrapping_div(y), p.wrapping_div(q));
        if chain_like() {
            same::<P>("release /", args, x.wrapping_div(y), p / q);
        }
    }
}

/// Negation and rounding to integers (saturating, checked, wrapping forms).
fn check_unary<P: Pair>(a: P::B) {
    let (x, p) = (ours::<P>(a), theirs::<P>(a));
    let args = &[a];
    same::<P>(
        "saturating_neg",
        args,
        x.saturating_neg(),
        p.saturating_neg(),
    );
    same::<P>("wrapping_neg", args, x.wrapping_neg(), p.wrapping_neg());
    same_opt::<P>("checked_neg", args, x.checked_neg(), p.checked_neg());
    same::<P>(
        "saturating_round",
        args,
        x.saturating_round(),
        p.saturating_round(),
    );
    same::<P>(
        "wrapping_round",
        args,
        x.wrapping_round(),
        p.wrapping_round(),
    );
    same_opt::<P>("checked_round", args, x.checked_round(), p.checked_round());
    same::<P>(
        "saturating_floor",
        args,
        x.saturating_floor(),
        p.saturating_floor(),
    );
    same::<P>(
        "wrapping_floor",
        args,
        x.wrapping_floor(),
        p.wrapping_floor(),
    );
    same_opt::<P>("checked_floor", args, x.checked_floor(), p.checked_floor());
    same::<P>(
        "saturating_ceil",
        args,
        x.saturating_ceil(),
        p.saturating_ceil(),
    );
    same::<P>("wrapping_ceil", args, x.wrapping_ceil(), p.wrapping_ceil());
    same_opt::<P>("checked_ceil", args, x.checked_ceil(), p.checked_ceil());
    if chain_like() {
        same::<P>("release round", args, x.wrapping_round(), p.round());
    }
}

/// Fixed → integer (`to_num` floors, then saturates, checks or wraps) for one integer type.
fn check_to_int_as<P: Pair, T>(a: P::B)
where
    T: FromFixed + ChainFromFixed + PartialEq + Debug,
{
    let (x, p) = (ours::<P>(a), theirs::<P>(a));
    let target = core::any::type_name::<T>();
    assert_eq!(
        x.saturating_to_num::<T>(),
        p.saturating_to_num::<T>(),
        "{} saturating_to_num::<{target}>({a:?})",
        P::NAME
    );
    assert_eq!(
        x.checked_to_num::<T>(),
        p.checked_to_num::<T>(),
        "{} checked_to_num::<{target}>({a:?})",
        P::NAME
    );
    assert_eq!(
        x.wrapping_to_num::<T>(),
        p.wrapping_to_num::<T>(),
        "{} wrapping_to_num::<{target}>({a:?})",
        P::NAME
    );
    if chain_like() {
        assert_eq!(
            x.wrapping_to_num::<T>(),
            p.to_num::<T>(),
            "{} release to_num::<{target}>({a:?})",
            P::NAME
        );
    }
}

/// Fixed → every integer type the epoch or its callers use.
fn check_to_int<P: Pair>(a: P::B) {
    check_to_int_as::<P, u16>(a);
    check_to_int_as::<P, i16>(a);
    check_to_int_as::<P, u32>(a);
    check_to_int_as::<P, u64>(a);
    check_to_int_as::<P, i64>(a);
    check_to_int_as::<P, u128>(a);
    check_to_int_as::<P, i128>(a);
}

/// Integer → fixed: saturating, checked and wrapping (the chain's plain `from_num`).
fn check_from_int_into<P: Pair, T>(v: T)
where
    T: ToFixed + ChainToFixed + Copy + Debug,
{
    let source = core::any::type_name::<T>();
    let op = |name: &str| format!("{name}({source} {v:?})");
    same::<P>(
        &op("saturating_from_num"),
        &[],
        P::Ours::saturating_from_num(v),
        P::Theirs::saturating_from_num(v),
    );
    same::<P>(
        &op("wrapping_from_num"),
        &[],
        P::Ours::wrapping_from_num(v),
        P::Theirs::wrapping_from_num(v),
    );
    same_opt::<P>(
        &op("checked_from_num"),
        &[],
        P::Ours::checked_from_num(v),
        P::Theirs::checked_from_num(v),
    );
    if chain_like() {
        same::<P>(
            &op("release from_num"),
            &[],
            P::Ours::wrapping_from_num(v),
            P::Theirs::from_num(v),
        );
    }
}

/// Integer → each of the four fixed types.
fn check_from_int<T>(v: T)
where
    T: ToFixed + ChainToFixed + Copy + Debug,
{
    check_from_int_into::<P32, T>(v);
    check_from_int_into::<P64, T>(v);
    check_from_int_into::<P96, T>(v);
    check_from_int_into::<PU96, T>(v);
}

/// Fixed → fixed of another layout (fewer fractional bits floor, more are exact; then
/// saturate, check or wrap).
fn check_convert_into<S: Pair, D: Pair>(a: S::B) {
    let (x, p) = (ours::<S>(a), theirs::<S>(a));
    let op = |name: &str| format!("{name}({} {a:?})", S::NAME);
    same::<D>(
        &op("saturating_from_num"),
        &[],
        D::Ours::saturating_from_num(x),
        D::Theirs::saturating_from_num(p),
    );
    same::<D>(
        &op("wrapping_from_num"),
        &[],
        D::Ours::wrapping_from_num(x),
        D::Theirs::wrapping_from_num(p),
    );
    same_opt::<D>(
        &op("checked_from_num"),
        &[],
        D::Ours::checked_from_num(x),
        D::Theirs::checked_from_num(p),
    );
    if chain_like() {
        same::<D>(
            &op("release from_num"),
            &[],
            D::Ours::wrapping_from_num(x),
            D::Theirs::from_num(p),
        );
    }
}

/// Fixed → each of the four fixed types (including itself: the identity must hold).
fn check_convert<S: Pair>(a: S::B) {
    check_convert_into::<S, P32>(a);
    check_convert_into::<S, P64>(a);
    check_convert_into::<S, P96>(a);
    check_convert_into::<S, PU96>(a);
}

/// The chain's plain `iter().sum()` in its release build is a wrapping left fold from 0.
/// Where the sum does not overflow, the chain's own `Sum` (which would panic on overflow in
/// this debug build) must agree too.
fn check_sum<P: Pair>(values: &[P::B]) {
    let mine = wrapping_sum(values.iter().map(|&v| ours::<P>(v)));
    let folded = values.iter().fold(theirs::<P>(P::B::ZERO), |acc, &v| {
        acc.wrapping_add(theirs::<P>(v))
    });
    assert_eq!(
        mine.to_bits(),
        folded.to_bits(),
        "{} wrapping_sum{values:?}",
        P::NAME
    );
    let no_overflow = values.iter().try_fold(theirs::<P>(P::B::ZERO), |acc, &v| {
        acc.checked_add(theirs::<P>(v))
    });
    if let Some(exact) = no_overflow {
        assert_eq!(mine.to_bits(), exact.to_bits(), "{} sum{values:?}", P::NAME);
    }
}

// ---------------------------------------------------------------------------------------
// Random cases
// ---------------------------------------------------------------------------------------

macro_rules! random_suite {
    ($module:ident, $pair:ty) => {
        mod $module {
            use super::*;

            fn b() -> BoxedStrategy<<$pair as Pair>::B> {
                bits::<<$pair as Pair>::B>(<$pair as Pair>::FRAC)
            }

            proptest! {
                #![proptest_config(ProptestConfig::with_cases(CASES))]

                #[test]
                fn add_sub(a in b(), c in b()) { check_add_sub::<$pair>(a, c); }

                #[test]
                fn mul(a in b(), c in b()) { check_mul::<$pair>(a, c); }

                #[test]
                fn div(a in b(), c in b()) { check_div::<$pair>(a, c); }

                #[test]
                fn neg_and_round(a in b()) { check_unary::<$pair>(a); }

                #[test]
                fn to_integers(a in b()) { check_to_int::<$pair>(a); }

                #[test]
                fn to_other_fixed_types(a in b()) { check_convert::<$pair>(a); }

                #[test]
                fn wrapping_sum(values in proptest::collection::vec(b(), 0..8)) {
                    check_sum::<$pair>(&values);
                }
            }
        }
    };
}
random_suite!(random_i32f32, P32);
random_suite!(random_i64f64, P64);
random_suite!(random_i96f32, P96);
random_suite!(random_u96f32, PU96);

/// Integers: uniform, log-uniform magnitudes, and the edges (0, ±1, MIN, MAX, 2^k ± 1).
macro_rules! int_suite {
    ($test:ident, $t:ty) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(CASES))]
            #[test]
            fn $test(v in prop_oneof![
                any::<$t>(),
                (any::<$t>(), 0..<$t>::BITS).prop_map(|(v, s)| v >> s),
                (0..<$t>::BITS, -1i8..=1).prop_map(|(k, d)| (1 as $t).wrapping_shl(k).wrapping_add(d as $t)),
            ]) {
                check_from_int::<$t>(v);
            }
        }
    };
}
int_suite!(random_from_u16, u16);
int_suite!(random_from_i16, i16);
int_suite!(random_from_u32, u32);
int_suite!(random_from_u64, u64);
int_suite!(random_from_i64, i64);
int_suite!(random_from_u128, u128);
int_suite!(random_from_i128, i128);

// ---------------------------------------------------------------------------------------
// Edges, exhaustively
// ---------------------------------------------------------------------------------------

fn all_edge_pairs<P: Pair>() {
    let list = edges::<P::B>(P::FRAC);
    assert!(
        list.len() >= 5 * P::B::BITS as usize,
        "{} edges",
        list.len()
    );
    for &a in &list {
        check_unary::<P>(a);
        check_to_int::<P>(a);
        check_convert::<P>(a);
        for &b in &list {
            check_add_sub::<P>(a, b);
            check_mul::<P>(a, b);
            check_div::<P>(a, b);
        }
    }
}

#[test]
fn edges_i32f32() {
    all_edge_pairs::<P32>();
}

#[test]
fn edges_i64f64() {
    all_edge_pairs::<P64>();
}

#[test]
fn edges_i96f32() {
    all_edge_pairs::<P96>();
}

#[test]
fn edges_u96f32() {
    all_edge_pairs::<PU96>();
}

macro_rules! int_edges {
    ($t:ty) => {{
        let mut list: Vec<$t> = vec![0, 1, <$t>::MIN, <$t>::MAX, <$t>::MAX - 1, <$t>::MIN + 1];
        for k in 0..<$t>::BITS {
            let p = (1 as $t).wrapping_shl(k);
            list.extend([p, p.wrapping_sub(1), p.wrapping_add(1)]);
        }
        for v in list {
            check_from_int::<$t>(v);
        }
    }};
}

#[test]
fn edges_from_integers() {
    int_edges!(u16);
    int_edges!(i16);
    int_edges!(u32);
    int_edges!(u64);
    int_edges!(i64);
    int_edges!(u128);
    int_edges!(i128);
}

/// Whether this binary's substrate-fixed behaves as the chain's release build: no debug
/// assertions, no overflow checks (probed once with a product that trips both otherwise).
fn chain_like() -> bool {
    static PROBE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PROBE.get_or_init(|| {
        let x = chain::I64F64::from_bits(i128::MIN + i128::from(u64::MAX));
        let y = chain::I32F32::max_value();
        std::panic::catch_unwind(|| (x.saturating_mul(x), y + y)).is_ok()
    })
}

/// Whether substrate-fixed runs here as it runs on the chain: without debug assertions and
/// overflow checks. substrate-fixed's types are generic, so most of its code is compiled in
/// *this* test crate with this crate's settings; its non-generic 128-bit helpers are compiled
/// with its own. A plain `cargo test` has both on, and then (1) its 128-bit multiply panics
/// when the two cross partial products of its 64-bit-limb algorithm sum below −2^127 (e.g.
/// x × x with x = MIN + (2^64 − 1) ulp of I64F64, ≈ −2^63, which saturates to MAX), so
/// `check_mul` compares such products with the exact model only; (2) its plain operators
/// and `from_num`/`to_num` panic on overflow instead of wrapping, so they are not compared
/// with taolite's explicit wrapping forms. The full comparison runs with
/// `cargo test --release`, or with `debug-assertions = false` and `overflow-checks = false`
/// for both `taolite-core` and `substrate-fixed` in the dev profile, e.g.
/// `cargo test -p taolite-core --test fixed_differential
/// --config 'profile.dev.package.taolite-core.debug-assertions=false' ...` (four settings).
/// This test says which mode ran but does not fail in debug mode: the exact model still
/// pins every product and the wrapping forms are still compared with substrate-fixed's own.
#[test]
fn substrate_fixed_is_built_like_the_chain() {
    if chain_like() {
        let x = chain::I64F64::from_bits(i128::MIN + i128::from(u64::MAX));
        assert_eq!(x.saturating_mul(x), chain::I64F64::max_value());
        let y = chain::I32F32::max_value();
        assert_eq!(y + y, chain::I32F32::from_bits(-2), "the release `+` wraps");
    } else {
        eprintln!(
            "NOTE: substrate-fixed runs with debug assertions / overflow checks, unlike \
             on the chain. 128-bit products it panics on are checked against the exact \
             model only, and the chain's plain operators and conversions are not compared \
             with taolite's wrapping forms. Run with --release for the full comparison."
        );
    }
}

/// The chain never divides by zero with `saturating_div` (only by non-zero constants);
/// both crates panic there, and taolite code must use [`safe_div`] or `checked_div` instead.
#[test]
fn saturating_and_wrapping_division_by_zero_panic_in_both_crates() {
    let ours_sat = std::panic::catch_unwind(|| I32F32::ONE.saturating_div(I32F32::ZERO));
    let theirs_sat = std::panic::catch_unwind(|| {
        chain::I32F32::from_num(1).saturating_div(chain::I32F32::from_num(0))
    });
    assert!(ours_sat.is_err() && theirs_sat.is_err());
    let ours_wrap = std::panic::catch_unwind(|| I64F64::ONE.wrapping_div(I64F64::ZERO));
    let theirs_wrap = std::panic::catch_unwind(|| {
        chain::I64F64::from_num(1).wrapping_div(chain::I64F64::from_num(0))
    });
    assert!(ours_wrap.is_err() && theirs_wrap.is_err());
}

/// Spot values from the spec (§3.3–3.5), so a failure of the differential machinery itself
/// (e.g. both sides wrong the same way) would still be caught on known answers.
#[test]
fn spec_examples() {
    // (−3 ulp) × 0.5 = −2 ulp (floor).
    let x = I32F32::from_bits(-3).saturating_mul(I32F32::from_bits(1 << 31));
    assert_eq!(x.to_bits(), -2);
    // (−7 ulp) ÷ 2 = −3 ulp (truncation).
    let y = I32F32::from_bits(-7).checked_div(I32F32::from_bits(2 << 32));
    assert_eq!(y.map(I32F32::to_bits), Some(-3));
    // −1 ulp of I64F64 floors to −1 ulp of I32F32.
    assert_eq!(
        I32F32::saturating_from_num(I64F64::from_bits(-1)).to_bits(),
        -1
    );
    // u64 ≥ 2^63 saturates I64F64 to MAX; the wrapping form keeps the low bits.
    assert_eq!(I64F64::saturating_from_num(u64::MAX), I64F64::MAX);
    assert_eq!(
        I64F64::wrapping_from_num(1u64 << 63).to_bits(),
        i128::MIN,
        "2^63 << 64 wraps to the sign bit"
    );
    // Kappa 32767 / 65535 = 2147450879 bits.
    let kappa = safe_div(
        I32F32::saturating_from_num(32_767u16),
        I32F32::saturating_from_num(65_535u16),
    );
    assert_eq!(kappa.to_bits(), 2_147_450_879);
    // Negative to unsigned saturates to 0.
    assert_eq!(I32F32::from_bits(-1).saturating_to_num::<u64>(), 0);
}
