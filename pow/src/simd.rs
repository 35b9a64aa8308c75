//! The vector backend: many nonces per instruction stream, instruction set chosen at run
//! time.
//!
//! Per batch, SHA-256 runs with one nonce per 32-bit lane (8 on AVX2, 16 on AVX-512),
//! its digests are byte-swapped and interleaved into 64-bit Keccak lanes (two Keccak
//! batches per SHA batch), and each seal's most significant limb under the rule is
//! compared with the target's; the rare candidate gets the exact 256-bit test.

use crate::difficulty::Rule;
use crate::scalar::Scalar;
use crate::search::{Backend, Control, Job, NonceRange, Outcome, Report, Solution};

/// An instruction set the vector backend can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// No usable vector unit: the portable [`Scalar`] backend.
    Scalar,
    /// AVX2: SHA-256 ×8, Keccak-f ×4.
    Avx2,
    /// AVX-512 F+BW: SHA-256 ×16, Keccak-f ×8 (`vprol`, `vpternlog`).
    Avx512,
}

impl Isa {
    /// Whether this CPU can run `self`.
    pub fn is_available(self) -> bool {
        match self {
            Self::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Self::Avx2 => std::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "x86_64")]
            Self::Avx512 => {
                std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512bw")
            }
            #[cfg(not(target_arch = "x86_64"))]
            Self::Avx2 | Self::Avx512 => false,
        }
    }

    /// The fastest instruction set this CPU has.
    pub fn best() -> Self {
        [Self::Avx512, Self::Avx2]
            .into_iter()
            .find(|isa| isa.is_available())
            .unwrap_or(Self::Scalar)
    }

    /// A short name for logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Scalar => "scalar",
            Self::Avx2 => "avx2",
            Self::Avx512 => "avx512",
        }
    }
}

/// Batches between two calls of the [`Control`] hooks (4096 nonces, ≈ 0.2–1 ms).
const NONCES_PER_CHECK: u64 = 4096;

/// The vector backend, bound to an instruction set this CPU has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Simd {
    isa: Isa,
}

impl Default for Simd {
    fn default() -> Self {
        Self::detect()
    }
}

impl Simd {
    /// The fastest instruction set this CPU has (falls back to scalar).
    pub fn detect() -> Self {
        Self { isa: Isa::best() }
    }

    /// A specific instruction set, if this CPU has it.
    pub fn with_isa(isa: Isa) -> Option<Self> {
        isa.is_available().then_some(Self { isa })
    }

    /// The instruction set in use.
    pub fn isa(&self) -> Isa {
        self.isa
    }
}

impl Backend for Simd {
    fn name(&self) -> &'static str {
        match self.isa {
            Isa::Scalar => "simd-scalar",
            Isa::Avx2 => "simd-avx2",
            Isa::Avx512 => "simd-avx512",
        }
    }

    fn search(&self, job: &Job, range: NonceRange, control: &dyn Control) -> Report {
        #[cfg(target_arch = "x86_64")]
        {
            let tail = crate::lanes::message_tail(job.work.block_and_key_hash());
            match self.isa {
                Isa::Avx512 => {
                    return search_lanes::<16>(job, range, control, |first| {
                        // SAFETY: `Simd` only holds `Isa::Avx512` after `is_available`
                        // confirmed AVX-512F and AVX-512BW on this CPU.
                        unsafe { crate::lanes::x86::seals_avx512(&tail, first) }
                    });
                }
                Isa::Avx2 => {
                    return search_lanes::<8>(job, range, control, |first| {
                        // SAFETY: `Simd` only holds `Isa::Avx2` after `is_available`
                        // confirmed AVX2 on this CPU.
                        unsafe { crate::lanes::x86::seals_avx2(&tail, first) }
                    });
                }
                Isa::Scalar => {}
            }
        }
        Scalar.search(job, range, control)
    }
}

/// The batch loop shared by every lane width: `seals(first)` returns the Keccak output
/// lanes 0..3 of the `N` nonces `first, first + 1, …`.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
#[inline(always)]
fn search_lanes<const N: usize>(
    job: &Job,
    range: NonceRange,
    control: &dyn Control,
    seals: impl Fn(u64) -> [[u64; 4]; N],
) -> Report {
    let width = N as u64;
    let top_limit = job.target.top_limb();
    let mut done = 0u64;
    let mut since_check = 0u64;
    while done < range.count {
        if done == 0 || since_check >= NONCES_PER_CHECK {
            if since_check > 0 {
                control.progress(since_check);
            }
            since_check = 0;
            if control.should_stop() {
                return Report {
                    outcome: Outcome::Stopped,
                    hashes: done,
                };
            }
        }
        let first = range.nonce_at(done);
        let in_range = range.count.saturating_sub(done).min(width);
        let batch = seals(first);
        done = done.saturating_add(in_range);
        since_check = since_check.saturating_add(in_range);
        for (offset, lanes) in (0..in_range).zip(batch.iter()) {
            let value = limbs_under_rule(lanes, job.rule);
            if value[3] <= top_limit && job.target.is_met_by_limbs(&value) {
                control.progress(since_check);
                return Report {
                    outcome: Outcome::Found(Solution {
                        nonce: first.wrapping_add(offset),
                        seal: seal_bytes(lanes),
                    }),
                    hashes: done,
                };
            }
        }
    }
    control.progress(since_check);
    Report {
        outcome: Outcome::Exhausted,
        hashes: done,
    }
}

/// Keccak output lanes 0..3 (seal bytes read little-endian) as the number `rule` reads,
/// limbs least significant first.
#[inline(always)]
fn limbs_under_rule(lanes: &[u64; 4], rule: Rule) -> [u64; 4] {
    match rule {
        Rule::LittleEndian => *lanes,
        Rule::LegacyBigEndian => {
            let [l0, l1, l2, l3] = *lanes;
            [
                l3.swap_bytes(),
                l2.swap_bytes(),
                l1.swap_bytes(),
                l0.swap_bytes(),
            ]
        }
    }
}

fn seal_bytes(lanes: &[u64; 4]) -> [u8; 32] {
    let mut seal = [0u8; 32];
    for (chunk, lane) in seal.chunks_exact_mut(8).zip(lanes.iter()) {
        chunk.copy_from_slice(&lane.to_le_bytes());
    }
    seal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::Work;

    /// Every lane of every available pipeline equals the scalar seal, across the 2^32
    /// carry and the 2^64 wrap.
    #[test]
    fn lanes_match_scalar_seals() {
        let work = Work::from_block_and_key_hash([0xa7; 32]);
        let tail = crate::lanes::message_tail(work.block_and_key_hash());
        for first in [0u64, 0xffff_fff9, u64::MAX - 5, 0x0123_4567_89ab_cdef] {
            if Isa::Avx2.is_available() {
                // SAFETY: AVX2 was detected just above.
                let rows = unsafe { crate::lanes::x86::seals_avx2(&tail, first) };
                for (i, row) in rows.iter().enumerate() {
                    assert_eq!(seal_bytes(row), work.seal(first.wrapping_add(i as u64)));
                }
            }
            if Isa::Avx512.is_available() {
                // SAFETY: AVX-512F/BW were detected just above.
                let rows = unsafe { crate::lanes::x86::seals_avx512(&tail, first) };
                for (i, row) in rows.iter().enumerate() {
                    assert_eq!(seal_bytes(row), work.seal(first.wrapping_add(i as u64)));
                }
            }
        }
    }
}
