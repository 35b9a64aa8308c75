//! The difficulty test: a 256-bit difficulty, the byte-order rule, and the precomputed limit.
//!
//! The chain accepts a seal when `value(seal) · difficulty ≤ 2^256 − 1` (`overflowing_mul`
//! on `U256` does not overflow). For `d ≥ 1` that is the same as
//! `value(seal) ≤ ⌊(2^256 − 1) / d⌋`, so [`Target`] divides once per difficulty and every
//! seal then costs one comparison, usually of a single 64-bit limb.

use core::fmt;
use core::str::FromStr;

/// How the 32 seal bytes are read as a number before the difficulty test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Rule {
    /// `Σ seal[i] · 256^i`: the chain since v3.1.6 (2025-06-30, `U256::from_little_endian`).
    #[default]
    LittleEndian,
    /// `Σ seal[i] · 256^(31−i)`: chains up to v3.1.5, the Python SDK and cubit.
    LegacyBigEndian,
}

/// An unsigned 256-bit difficulty, stored as four 64-bit limbs, least significant first.
///
/// On chain the stored difficulty is a `u64`, but the check takes any `U256`, so this type
/// holds the full range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Difficulty {
    /// Limbs, least significant first.
    limbs: [u64; 4],
}

impl Difficulty {
    /// Difficulty 1: every seal passes.
    pub const ONE: Self = Self::from_u64(1);

    /// The faucet's fixed difficulty (`do_faucet`).
    pub const FAUCET: Self = Self::from_u64(1_000_000);

    /// A difficulty as the chain stores it (`u64`).
    pub const fn from_u64(value: u64) -> Self {
        Self {
            limbs: [value, 0, 0, 0],
        }
    }

    /// A difficulty from its four 64-bit limbs, least significant first.
    pub const fn from_limbs(limbs: [u64; 4]) -> Self {
        Self { limbs }
    }

    /// The four 64-bit limbs, least significant first.
    pub const fn limbs(&self) -> [u64; 4] {
        self.limbs
    }

    /// The value as a `u64`, when it fits (every on-chain difficulty does).
    pub fn to_u64(&self) -> Option<u64> {
        match self.limbs {
            [low, 0, 0, 0] => Some(low),
            _ => None,
        }
    }

    /// The value as an `f64`, for estimates (expected hashes per solution ≈ difficulty).
    pub fn to_f64(&self) -> f64 {
        const TWO_64: f64 = 18_446_744_073_709_551_616.0;
        self.limbs
            .iter()
            .rev()
            .fold(0.0, |acc, &limb| acc * TWO_64 + limb as f64)
    }

    /// Parses decimal digits, or hexadecimal after a `0x`/`0X` prefix.
    ///
    /// Leading zeros are accepted; anything that does not fit in 256 bits is an error.
    pub fn parse(text: &str) -> Result<Self, DifficultyParseError> {
        let (digits, radix) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            Some(hex) => (hex, 16u32),
            None => (text, 10u32),
        };
        if digits.is_empty() {
            return Err(DifficultyParseError::Empty);
        }
        let mut limbs = [0u64; 4];
        for (position, byte) in digits.bytes().enumerate() {
            let digit = char::from(byte)
                .to_digit(radix)
                .ok_or(DifficultyParseError::InvalidDigit { position, byte })?;
            if !mul_add_small(&mut limbs, u64::from(radix), u64::from(digit)) {
                return Err(DifficultyParseError::TooLarge);
            }
        }
        Ok(Self { limbs })
    }

    fn is_zero(&self) -> bool {
        self.limbs == [0; 4]
    }
}

/// `limbs = limbs · factor + addend`; false when the result does not fit in 256 bits.
fn mul_add_small(limbs: &mut [u64; 4], factor: u64, addend: u64) -> bool {
    let mut carry = u128::from(addend);
    for limb in limbs.iter_mut() {
        // (2^64 − 1)² + (2^64 − 1) < 2^128: this cannot wrap.
        let wide = u128::from(*limb)
            .wrapping_mul(u128::from(factor))
            .wrapping_add(carry);
        *limb = wide as u64;
        carry = wide >> 64;
    }
    carry == 0
}

impl From<u64> for Difficulty {
    fn from(value: u64) -> Self {
        Self::from_u64(value)
    }
}

impl FromStr for Difficulty {
    type Err = DifficultyParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Difficulty {
    /// Decimal, as the vectors and the chain's RPC show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // 2^256 − 1 has 78 decimal digits.
        let mut digits = [0u8; 78];
        let mut used = 0usize;
        let mut value = self.limbs;
        loop {
            let remainder = div_small(&mut value, 10);
            if let Some(slot) = digits.get_mut(used) {
                *slot = b'0'.wrapping_add(remainder as u8);
            }
            used = used.saturating_add(1);
            if value == [0; 4] || used >= digits.len() {
                break;
            }
        }
        let shown = digits.get(..used).unwrap_or(&[]);
        for &digit in shown.iter().rev() {
            fmt::Write::write_char(f, char::from(digit))?;
        }
        Ok(())
    }
}

/// `value /= divisor` (divisor ≥ 1), returning the remainder.
fn div_small(value: &mut [u64; 4], divisor: u64) -> u64 {
    let divisor = u128::from(divisor.max(1));
    let mut remainder = 0u128;
    for limb in value.iter_mut().rev() {
        let wide = (remainder << 64) | u128::from(*limb);
        *limb = wide.checked_div(divisor).unwrap_or(0) as u64;
        remainder = wide.checked_rem(divisor).unwrap_or(0);
    }
    remainder as u64
}

/// Why text could not be read as a [`Difficulty`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DifficultyParseError {
    /// No digits (an empty string, or a bare `0x`).
    Empty,
    /// A character that is not a digit of the radix in use.
    InvalidDigit {
        /// Byte offset after any `0x` prefix.
        position: usize,
        /// The offending byte.
        byte: u8,
    },
    /// The value does not fit in 256 bits.
    TooLarge,
}

impl fmt::Display for DifficultyParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("difficulty: no digits"),
            Self::InvalidDigit { position, byte } => write!(
                f,
                "difficulty: invalid digit {:?} at position {position}",
                char::from(*byte)
            ),
            Self::TooLarge => f.write_str("difficulty: does not fit in 256 bits"),
        }
    }
}

impl core::error::Error for DifficultyParseError {}

/// The largest seal value that passes a difficulty: `⌊(2^256 − 1) / d⌋`, or `2^256 − 1`
/// for `d = 0` (the chain's product is then 0, which never overflows).
///
/// Compute it once per difficulty; [`Target::is_met_by`] is then a 256-bit comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    /// Limbs of the limit, least significant first.
    limit: [u64; 4],
}

impl Target {
    /// Divides `2^256 − 1` by `difficulty` (bit-serial long division, run once per block).
    pub fn new(difficulty: &Difficulty) -> Self {
        if difficulty.is_zero() {
            return Self {
                limit: [u64::MAX; 4],
            };
        }
        let divisor = difficulty.limbs;
        let mut quotient = [0u64; 4];
        let mut remainder = [0u64; 4];
        // Every bit of the dividend 2^256 − 1 is one, so each step shifts a one in.
        for bit in (0..256u32).rev() {
            let overflow = shift_left_one(&mut remainder, 1);
            if overflow || !less_than(&remainder, &divisor) {
                // remainder < divisor before the shift, so the true value after it is
                // below 2·divisor and the wrapping subtraction lands below divisor.
                sub_assign(&mut remainder, &divisor);
                set_bit(&mut quotient, bit);
            }
        }
        Self { limit: quotient }
    }

    /// The limit's limbs, least significant first (for kernels that compare limbs).
    pub const fn limbs(&self) -> [u64; 4] {
        self.limit
    }

    /// The most significant limb: a solver may compare only this and confirm the rare
    /// tie with [`Target::is_met_by_limbs`].
    pub const fn top_limb(&self) -> u64 {
        self.limit[3]
    }

    /// Whether a seal passes under `rule`: exactly the chain's decision.
    pub fn is_met_by(&self, seal: &[u8; 32], rule: Rule) -> bool {
        self.is_met_by_limbs(&seal_value(seal, rule))
    }

    /// Whether a seal value, as limbs least significant first, is at most the limit.
    pub fn is_met_by_limbs(&self, value: &[u64; 4]) -> bool {
        !less_than(&self.limit, value)
    }
}

/// The seal read as a 256-bit number under `rule`, limbs least significant first.
pub fn seal_value(seal: &[u8; 32], rule: Rule) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    match rule {
        Rule::LittleEndian => {
            for (limb, chunk) in limbs.iter_mut().zip(seal.chunks_exact(8)) {
                *limb = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            }
        }
        Rule::LegacyBigEndian => {
            for (limb, chunk) in limbs.iter_mut().rev().zip(seal.chunks_exact(8)) {
                *limb = u64::from_be_bytes(chunk.try_into().unwrap_or([0; 8]));
            }
        }
    }
    limbs
}

/// The chain's test: does `seal` meet `difficulty` under `rule`?
///
/// Computes the [`Target`] each call; a solver testing many seals should build the
/// target once and call [`Target::is_met_by`].
pub fn meets_difficulty(seal: &[u8; 32], difficulty: &Difficulty, rule: Rule) -> bool {
    Target::new(difficulty).is_met_by(seal, rule)
}

fn less_than(a: &[u64; 4], b: &[u64; 4]) -> bool {
    a.iter().rev().cmp(b.iter().rev()) == core::cmp::Ordering::Less
}

/// `value = value << 1 | low_bit`, returning the bit shifted out of the top.
fn shift_left_one(value: &mut [u64; 4], low_bit: u64) -> bool {
    let mut carry = low_bit;
    for limb in value.iter_mut() {
        let out = *limb >> 63;
        *limb = (*limb << 1) | carry;
        carry = out;
    }
    carry == 1
}

/// `a = a − b` modulo 2^256.
fn sub_assign(a: &mut [u64; 4], b: &[u64; 4]) {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b.iter()) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        *x = d2;
        borrow = b1 || b2;
    }
}

fn set_bit(value: &mut [u64; 4], bit: u32) {
    if let Some(limb) = value.get_mut((bit / 64) as usize) {
        *limb |= 1u64 << (bit % 64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decimal_and_hex() {
        assert_eq!(Difficulty::parse("1000000"), Ok(Difficulty::FAUCET));
        assert_eq!(Difficulty::parse("0xf4240"), Ok(Difficulty::FAUCET));
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert_eq!(
            Difficulty::parse(max),
            Ok(Difficulty::from_limbs([u64::MAX; 4]))
        );
        assert_eq!(
            Difficulty::parse(
                "115792089237316195423570985008687907853269984665640564039457584007913129639936"
            ),
            Err(DifficultyParseError::TooLarge)
        );
        assert_eq!(Difficulty::parse(""), Err(DifficultyParseError::Empty));
        assert_eq!(Difficulty::parse("0x"), Err(DifficultyParseError::Empty));
        assert_eq!(
            Difficulty::parse("12a"),
            Err(DifficultyParseError::InvalidDigit {
                position: 2,
                byte: b'a'
            })
        );
    }

    #[test]
    fn displays_decimal() {
        extern crate std;
        use std::string::ToString;
        let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert_eq!(Difficulty::from_limbs([u64::MAX; 4]).to_string(), max);
        assert_eq!(Difficulty::from_u64(0).to_string(), "0");
        assert_eq!(Difficulty::FAUCET.to_string(), "1000000");
    }

    #[test]
    fn small_targets() {
        assert_eq!(Target::new(&Difficulty::from_u64(0)).limbs(), [u64::MAX; 4]);
        assert_eq!(Target::new(&Difficulty::ONE).limbs(), [u64::MAX; 4]);
        assert_eq!(
            Target::new(&Difficulty::from_u64(2)).limbs(),
            [u64::MAX, u64::MAX, u64::MAX, u64::MAX >> 1]
        );
        assert_eq!(
            Target::new(&Difficulty::from_limbs([u64::MAX; 4])).limbs(),
            [1, 0, 0, 0]
        );
    }
}
