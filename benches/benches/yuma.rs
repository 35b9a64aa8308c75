//! The Yuma epoch: the sparse production code against the naive dense port, across
//! subnet sizes, weight densities and the Yuma / Yuma3 / liquid-alpha branches; plus the
//! peak heap of one epoch, counted by a wrapping global allocator.
#![allow(missing_docs)]

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use taolite_benches::peak_heap;
use taolite_benches::yuma_inputs::{dense, sparse, synth, Config};
use taolite_yuma::naive::epoch_dense;
use taolite_yuma::{epoch, EpochScratch};

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
    // Original Yuma where weight and bond rows list different columns.
    for density in [0.1, 0.5] {
        configs.push(dense(256, density, false, false));
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
        // Back to back in one scratch: no fresh pages to fault in (see EpochScratch).
        let mut scratch = EpochScratch::new();
        group.bench_with_input(
            BenchmarkId::new("sparse_scratch", config.label()),
            &input,
            |b, i| b.iter(|| scratch.epoch(i).unwrap()),
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

/// Prints, for every configuration, the median of a few runs (each call on its own, and
/// back to back in one [`EpochScratch`]), the ratio of the first to the dense baseline
/// where it runs, and the epoch's peak heap against the stored weights' size.
fn summary(_c: &mut Criterion) {
    println!();
    println!(
        "{:<28} {:>9} {:>12} {:>12} {:>12} {:>8} {:>12} {:>10}",
        "config", "weights", "sparse", "scratch", "naive", "ratio", "peak heap", "÷ weights"
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
        let mut scratch = EpochScratch::new();
        let reused = median_time(runs, || scratch.epoch(&input).unwrap());
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
            "{:<28} {:>9} {:>9.3} ms {:>9.3} ms {:>12} {:>8} {:>9.2} MB {:>10.2}",
            config.label(),
            input.weights.nnz(),
            fast.as_secs_f64() * 1e3,
            reused.as_secs_f64() * 1e3,
            slow,
            ratio,
            peak as f64 / 1e6,
            peak as f64 / weights_bytes as f64
        );
    }
}

criterion_group!(benches, bench_epoch, summary);
criterion_main!(benches);
