//! The Yuma epoch: the sparse production code against the naive dense port, across
//! subnet sizes, weight densities and the Yuma / Yuma3 / liquid-alpha branches; plus the
//! peak heap of one epoch, counted by a wrapping global allocator.
#![allow(missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use taolite_yuma::naive::epoch_dense;
use taolite_yuma::{epoch, EpochInput, SparseRows};

/// Counts live heap bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the
// counters are plain atomics and never affect the returned memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap bytes allocated on top of what was live before `f` ran, at the worst moment.
fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(before))
}

/// xorshift64*: deterministic inputs without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

#[derive(Clone, Copy)]
struct Config {
    n: u16,
    /// Either a fraction of the `n × n` matrix…
    density: f64,
    /// …or, when set, a total number of weights spread over the validators.
    total_weights: Option<usize>,
    yuma3: bool,
    liquid_alpha: bool,
}

impl Config {
    fn label(&self) -> String {
        let shape = match self.total_weights {
            Some(t) => format!("n{}_{}w", self.n, t),
            None => format!("n{}_{}pct", self.n, (self.density * 100.0).round()),
        };
        let mode = if self.yuma3 { "yuma3" } else { "yuma" };
        let la = if self.liquid_alpha { "_la" } else { "" };
        format!("{shape}_{mode}{la}")
    }
}

/// A subnet where every uid is a validator that sets weights (the worst case: no row is
/// masked away), rows sorted and max-upscaled as the chain stores them, bonds of the
/// same density as if from earlier epochs.
fn synth(c: Config) -> EpochInput {
    let n = usize::from(c.n);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ u64::from(c.n));
    // Entries of row i: the total spread evenly, the first rows taking the remainder.
    let per_row = |i: usize| match c.total_weights {
        Some(t) => (t / n.max(1) + usize::from(i < t % n.max(1))).max(1),
        None => ((c.density * n as f64).round() as usize).max(1),
    };
    let sparse_rows = |rng: &mut Rng, upscale: bool| {
        let mut rows = SparseRows::with_capacity(n, n * per_row(0));
        for i in 0..n {
            let per_row = per_row(i);
            let mut cols: Vec<u16> = if per_row >= n {
                (0..c.n).collect()
            } else {
                let mut picked: Vec<u16> =
                    (0..per_row).map(|_| rng.below(n as u64) as u16).collect();
                picked.sort_unstable();
                picked.dedup();
                picked
            };
            let vals: Vec<u64> = cols.iter().map(|_| 1 + rng.below(65535)).collect();
            let max = vals.iter().copied().max().unwrap_or(1);
            for (j, v) in cols.drain(..).zip(vals) {
                let v = if upscale { v * 65535 / max } else { v };
                rows.push_entry(j, v.max(1) as u16);
            }
            rows.finish_row().unwrap();
        }
        rows
    };
    let weights = sparse_rows(&mut rng, true);
    let bonds = sparse_rows(&mut rng, false);
    EpochInput {
        n: c.n,
        current_block: 1_000_000,
        tempo: 360,
        activity_cutoff_factor_milli: 13_889,
        last_update: (0..n).map(|_| 999_000 + rng.below(1000)).collect(),
        has_hotkey: vec![true; n],
        block_at_registration: (0..n).map(|_| 900_000 + rng.below(99_000)).collect(),
        alpha_stake: (0..n).map(|_| 1_000_000_000 + rng.below(1 << 50)).collect(),
        tao_stake: (0..n).map(|_| rng.below(1 << 40)).collect(),
        tao_weight: u64::MAX / 6,
        stake_threshold: 0,
        owner_uid: Some(0),
        validator_permit: vec![true; n],
        max_allowed_validators: c.n,
        weights,
        bonds,
        kappa: 32_767,
        bonds_penalty: 32_767,
        bonds_moving_average: 900_000,
        yuma3_enabled: c.yuma3,
        liquid_alpha_enabled: c.liquid_alpha,
        alpha_low: 45_875,
        alpha_high: 58_982,
        alpha_sigmoid_steepness: 1000,
        commit_reveal_enabled: false,
        reveal_period: 1,
        current_epoch_index: 2777,
        v2_commits: Vec::new(),
        v4_commits: Vec::new(),
        last_mechanism_step_block: 999_640,
        rao_emission: 1_000_000_000,
    }
}

fn dense(n: u16, density: f64, yuma3: bool, liquid_alpha: bool) -> Config {
    Config {
        n,
        density,
        total_weights: None,
        yuma3,
        liquid_alpha,
    }
}

fn sparse(n: u16, total: usize, yuma3: bool, liquid_alpha: bool) -> Config {
    Config {
        n,
        density: 0.0,
        total_weights: Some(total),
        yuma3,
        liquid_alpha,
    }
}

/// The configurations timed with criterion (sparse epoch only).
fn grid() -> Vec<Config> {
    let mut configs = Vec::new();
    for n in [64, 256, 1024, 4096] {
        for density in [0.1, 0.5, 1.0] {
            if n == 4096 && density == 0.5 {
                continue; // keeps the run short; 10% and 100% bracket it
            }
            configs.push(dense(n, density, true, false));
        }
    }
    for (yuma3, la) in [(false, false), (true, true), (false, true)] {
        configs.push(dense(256, 1.0, yuma3, la));
    }
    configs.push(sparse(1024, 1900, true, true));
    configs.push(sparse(4096, 2100, true, true));
    configs.push(sparse(4096, 2100, false, false));
    configs
}

/// The configurations where the dense baseline runs in the same binary.
fn baseline_grid() -> Vec<Config> {
    vec![
        dense(64, 1.0, true, false),
        dense(64, 1.0, false, false),
        dense(256, 1.0, true, false),
        dense(256, 1.0, false, false),
        dense(256, 1.0, true, true),
        sparse(1024, 1900, true, true),
    ]
}

fn bench_epoch(c: &mut Criterion) {
    let mut group = c.benchmark_group("yuma/epoch");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for config in grid() {
        let input = synth(config);
        group.bench_with_input(
            BenchmarkId::new("sparse", config.label()),
            &input,
            |b, i| b.iter(|| epoch(i).unwrap()),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("yuma/baseline");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for config in baseline_grid() {
        let input = synth(config);
        assert_eq!(
            epoch(&input).unwrap(),
            epoch_dense(&input).unwrap(),
            "{}: the dense baseline must compute the same epoch",
            config.label()
        );
        group.bench_with_input(
            BenchmarkId::new("sparse", config.label()),
            &input,
            |b, i| b.iter(|| epoch(i).unwrap()),
        );
        group.bench_with_input(BenchmarkId::new("naive", config.label()), &input, |b, i| {
            b.iter(|| epoch_dense(i).unwrap())
        });
    }
    group.finish();
}

fn median_time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Prints, for every configuration, the median of a few runs, the ratio to the dense
/// baseline where it runs, and the epoch's peak heap against the stored weights' size.
fn summary(_c: &mut Criterion) {
    println!();
    println!(
        "{:<28} {:>9} {:>12} {:>12} {:>8} {:>12} {:>10}",
        "config", "weights", "sparse", "naive", "ratio", "peak heap", "÷ weights"
    );
    let baseline: Vec<String> = baseline_grid().iter().map(Config::label).collect();
    let mut configs = grid();
    for b in baseline_grid() {
        if !configs.iter().any(|c| c.label() == b.label()) {
            configs.push(b);
        }
    }
    for config in configs {
        let input = synth(config);
        let weights_bytes = input.weights.nnz() * 4;
        let (_, peak) = peak_heap(|| epoch(&input).unwrap());
        let runs = if input.weights.nnz() > 1_000_000 {
            3
        } else {
            15
        };
        let fast = median_time(runs, || epoch(&input).unwrap());
        let (slow, ratio) = if baseline.contains(&config.label()) {
            let slow = median_time(5, || epoch_dense(&input).unwrap());
            (
                format!("{:.3} ms", slow.as_secs_f64() * 1e3),
                format!("{:.1}x", slow.as_secs_f64() / fast.as_secs_f64()),
            )
        } else {
            (String::from("-"), String::from("-"))
        };
        println!(
            "{:<28} {:>9} {:>9.3} ms {:>12} {:>8} {:>9.2} MB {:>10.2}",
            config.label(),
            input.weights.nnz(),
            fast.as_secs_f64() * 1e3,
            slow,
            ratio,
            peak as f64 / 1e6,
            peak as f64 / weights_bytes as f64
        );
    }
}

criterion_group!(benches, bench_epoch, summary);
criterion_main!(benches);
