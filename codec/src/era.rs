//! Transaction mortality (`Era`), the explicit bytes of the CheckMortality extension.
//!
//! A mortal transaction is valid for `period` blocks starting at its birth block; the
//! signature covers the birth block's hash, so it cannot be replayed on another fork.

use core::fmt;

use parity_scale_codec::Output;

use crate::error::DecodeError;
use crate::scale::Reader;

/// Longest period the encoding can express.
pub const MAX_PERIOD: u64 = 1 << 16;
/// Shortest period the encoding can express.
pub const MIN_PERIOD: u64 = 4;

/// When a transaction is valid.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Era {
    /// Valid forever (one byte `0x00`; the implicit hash is the genesis hash).
    Immortal,
    /// Valid for a window of blocks.
    Mortal(Mortal),
}

/// A validated mortal era: `period` a power of two in `[4, 65536]`, `phase < period`,
/// and `phase` a multiple of the quantization step `max(period / 4096, 1)`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Mortal {
    period: u64,
    phase: u64,
}

impl Mortal {
    /// The window length in blocks.
    pub fn period(&self) -> u64 {
        self.period
    }

    /// The birth block modulo the period.
    pub fn phase(&self) -> u64 {
        self.phase
    }

    /// The birth block for a transaction prepared at block `current`: the latest block
    /// `<= current` (or `phase` itself) whose number is `phase` modulo `period`.
    pub fn birth(&self, current: u64) -> u64 {
        let base = current.max(self.phase).saturating_sub(self.phase);
        let periods = base.checked_div(self.period).unwrap_or(0);
        periods
            .saturating_mul(self.period)
            .saturating_add(self.phase)
    }

    /// The first block at which the transaction is no longer valid.
    pub fn death(&self, current: u64) -> u64 {
        self.birth(current).saturating_add(self.period)
    }

    fn quantum(period: u64) -> u64 {
        (period >> 12).max(1)
    }

    fn to_u16(self) -> u16 {
        let low = u64::from(self.period.trailing_zeros().saturating_sub(1).clamp(1, 15));
        let high = self
            .phase
            .checked_div(Self::quantum(self.period))
            .unwrap_or(0);
        // period <= 2^16 and phase < period, so phase / quantum < 4096 fits in 12 bits.
        u16::try_from(low | (high << 4)).unwrap_or(u16::MAX)
    }

    fn from_u16(e: u16) -> Result<Self, DecodeError> {
        let period = 2u64 << (e & 0xF);
        let phase = u64::from(e >> 4).saturating_mul(Self::quantum(period));
        if period >= MIN_PERIOD && phase < period {
            Ok(Self { period, phase })
        } else {
            Err(DecodeError::BadEra)
        }
    }
}

impl Era {
    /// A mortal era for a transaction prepared at block `current`, valid for at least
    /// `period` blocks: the period is rounded up to a power of two and clamped to
    /// `[4, 65536]`, the phase is `current mod period`, quantized for periods above 4096.
    pub fn mortal(period: u64, current: u64) -> Self {
        let period = period
            .checked_next_power_of_two()
            .unwrap_or(MAX_PERIOD)
            .clamp(MIN_PERIOD, MAX_PERIOD);
        let phase = current.checked_rem(period).unwrap_or(0);
        let quantum = Mortal::quantum(period);
        let phase = phase
            .checked_div(quantum)
            .unwrap_or(0)
            .saturating_mul(quantum);
        Self::Mortal(Mortal { period, phase })
    }

    /// The birth block (`current` rounded down to the phase; 0 when immortal). The
    /// signature must cover this block's hash.
    pub fn birth(&self, current: u64) -> u64 {
        match self {
            Self::Immortal => 0,
            Self::Mortal(m) => m.birth(current),
        }
    }

    /// The first invalid block (`u64::MAX` when immortal).
    pub fn death(&self, current: u64) -> u64 {
        match self {
            Self::Immortal => u64::MAX,
            Self::Mortal(m) => m.death(current),
        }
    }

    /// 1 byte when immortal, 2 when mortal.
    pub fn encoded_len(&self) -> usize {
        match self {
            Self::Immortal => 1,
            Self::Mortal(_) => 2,
        }
    }

    /// Appends the SCALE encoding.
    pub fn encode_to(&self, out: &mut dyn Output) {
        match self {
            Self::Immortal => out.push_byte(0),
            Self::Mortal(m) => out.write(&m.to_u16().to_le_bytes()),
        }
    }

    /// Reads an era, rejecting encodings the runtime rejects.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let first = *r.rest().first().ok_or(DecodeError::Truncated)?;
        if first == 0 {
            r.take(1)?;
            return Ok(Self::Immortal);
        }
        let e = u16::from_le_bytes(r.array()?);
        Mortal::from_u16(e).map(Self::Mortal)
    }

    /// Decodes exactly `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, &crate::call::CallTable::SPEC_425);
        let era = Self::decode(&mut r)?;
        r.finish()?;
        Ok(era)
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Immortal => write!(f, "immortal"),
            Self::Mortal(m) => write!(f, "mortal(period {}, phase {})", m.period, m.phase),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn worked_examples_from_the_spec() {
        let mut buf = [0u8; 2];
        let era = Era::mortal(64, 1000);
        let mut out = crate::scale::SliceOutput::new(&mut buf);
        era.encode_to(&mut out);
        assert_eq!(buf, [0x85, 0x02]);
        assert_eq!(era.birth(1000), 1000);
        let era = Era::mortal(65536, 12_345_678);
        assert_eq!(era.birth(12_345_678), 12_345_664);
    }

    proptest! {
        #[test]
        fn encode_decode_round_trip(period in 0u64..200_000, current in any::<u64>()) {
            let era = Era::mortal(period, current);
            let mut buf = [0u8; 2];
            let mut out = crate::scale::SliceOutput::new(&mut buf);
            era.encode_to(&mut out);
            prop_assert_eq!(Era::from_bytes(&buf), Ok(era));
            let birth = era.birth(current);
            prop_assert!(birth <= current);
            prop_assert!(era.death(current) > current);
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..4)) {
            let _ = Era::from_bytes(&bytes);
        }
    }
}
