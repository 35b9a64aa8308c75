//! The GPU backend against the portable one, on ranges and difficulties chosen to hit the
//! kernel's edges: batch boundaries, the 2^32 carry of the nonce's low word, the wrap at
//! `u64::MAX`, both byte-order rules, and limits whose top words tie with the seal.
//!
//! The shared vector suite (tests/tests/pow.rs, feature `gpu` of taolite-tests) covers
//! the seal and solved vectors. Without any adapter these tests print SKIP and pass.
#![cfg(feature = "gpu")]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use taolite_core::{AccountId32, H256};
use taolite_pow::{
    Backend, Difficulty, Gpu, GpuError, Job, NoControl, NonceRange, Rule, Scalar, Work,
};

fn gpu() -> Option<&'static Gpu> {
    static GPU: OnceLock<Option<Gpu>> = OnceLock::new();
    GPU.get_or_init(|| match Gpu::new() {
        Ok(gpu) => {
            println!("gpu adapter: {}", gpu.adapter_name());
            Some(gpu.with_batch(777))
        }
        Err(error @ (GpuError::NoAdapter(_) | GpuError::NoBackend)) => {
            println!("SKIP gpu backend: {error}");
            None
        }
        Err(error) => panic!("gpu backend failed to start: {error}"),
    })
    .as_ref()
}

fn work(tag: u8) -> Work {
    Work::new(&H256([tag; 32]), &AccountId32([tag.wrapping_mul(7); 32]))
}

/// Same outcome and, when found, the same nonce and seal as the portable backend.
fn assert_same(gpu: &Gpu, job: &Job, range: NonceRange, what: &str) {
    let expected = Scalar.search(job, range, &NoControl);
    let got = gpu.search(job, range, &NoControl);
    assert_eq!(
        got.outcome, expected.outcome,
        "{what}: {range:?} {:?}",
        job.rule
    );
    assert!(got.hashes >= expected.hashes, "{what}: hashes {got:?}");
    assert!(
        got.hashes <= range.count,
        "{what}: hashes past the range {got:?}"
    );
    assert!(gpu.failure().is_none(), "{what}: {:?}", gpu.failure());
}

#[test]
fn matches_scalar_across_batch_and_carry_boundaries() {
    let Some(gpu) = gpu() else { return };
    let starts = [
        0,
        5_000,
        (1u64 << 32) - 1_500,
        (7u64 << 32) - 10,
        u64::MAX - 2_500,
        u64::MAX,
    ];
    for (tag, d) in [(1u8, 300u64), (2, 2_000), (3, 20_000)] {
        for rule in [Rule::LittleEndian, Rule::LegacyBigEndian] {
            let job = Job::new(work(tag), &Difficulty::from_u64(d), rule);
            for start in starts {
                assert_same(gpu, &job, NonceRange::new(start, 5_000), "difficulty {d}");
            }
        }
    }
}

/// Difficulties above 2^64: the limit's top words are zero, so every seal must be
/// rejected by the word-by-word comparison (no false positive from a partial compare).
#[test]
fn matches_scalar_on_multi_limb_limits() {
    let Some(gpu) = gpu() else { return };
    let range = NonceRange::new(1 << 20, 3_000);
    let mut difficulties = vec![
        Difficulty::from_limbs([0, 1 << 63, 0, 0]),
        Difficulty::from_limbs([0, 0, 1, 0]),
        Difficulty::from_limbs([0, 0, 0, 1 << 60]),
    ];
    difficulties.push(Difficulty::from_u64(600));
    for (tag, d) in (10u8..).zip(difficulties) {
        for rule in [Rule::LittleEndian, Rule::LegacyBigEndian] {
            let job = Job::new(work(tag), &d, rule);
            assert_same(gpu, &job, range, "multi-limb");
        }
    }
}

/// The adaptive batch size (what a miner uses) over a range long enough to grow it,
/// crossing a low-word carry: every nonce is searched once and progress adds up.
#[test]
fn adaptive_batches_cover_a_long_range_exactly() {
    let Some(gpu) = gpu() else { return };
    let Ok(adaptive) = Gpu::new() else {
        panic!("the gpu opened once but not twice")
    };
    // No seal meets this difficulty in practice (limit 1).
    let job = Job::new(
        work(20),
        &Difficulty::from_limbs([u64::MAX; 4]),
        Rule::LittleEndian,
    );
    let range = NonceRange::new((3u64 << 32) - 400_000, 1_000_000);
    let control = Counting::default();
    let report = adaptive.search(&job, range, &control);
    assert_eq!(report.outcome, taolite_pow::Outcome::Exhausted);
    assert_eq!(report.hashes, range.count);
    assert_eq!(control.0.load(Ordering::Relaxed), range.count);

    // A solution after the carry, found through grown batches, is the first one.
    let job = Job::new(work(21), &Difficulty::from_u64(5_000), Rule::LittleEndian);
    let range = NonceRange::new((5u64 << 32) - 100, 100_000);
    let expected = Scalar.search(&job, range, &NoControl);
    assert_eq!(
        adaptive.search(&job, range, &NoControl).outcome,
        expected.outcome
    );
    assert!(adaptive.failure().is_none() && gpu.failure().is_none());
}

/// Sums progress reports.
#[derive(Default)]
struct Counting(AtomicU64);

impl taolite_pow::Control for Counting {
    fn progress(&self, hashes: u64) {
        self.0.fetch_add(hashes, Ordering::Relaxed);
    }
}

/// Many small searches do not grow the process: each dispatch reuses the same buffers and
/// shader (with the parameters in a uniform buffer, lavapipe compiled and kept a shader
/// variant per dispatch, about 1.3 MB each).
#[cfg(target_os = "linux")]
#[test]
fn repeated_dispatches_do_not_grow_memory() {
    fn resident_kb() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no VmRSS in /proc/self/status"))
    }
    let Some(gpu) = gpu() else { return };
    let job = Job::new(
        work(30),
        &Difficulty::from_limbs([u64::MAX; 4]),
        Rule::LittleEndian,
    );
    // Warm up allocator pools first.
    for i in 0..50u64 {
        gpu.search(&job, NonceRange::new(i * 777, 777), &NoControl);
    }
    let before = resident_kb();
    for i in 0..500u64 {
        gpu.search(&job, NonceRange::new(i * 777, 777), &NoControl);
    }
    let grown = resident_kb().saturating_sub(before);
    assert!(
        grown < 64 * 1024,
        "500 dispatches grew the process by {grown} kB"
    );
}
