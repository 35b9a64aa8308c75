//! Seals per second for every PoW backend this machine has, one thread and all threads,
//! with the portable scalar backend as the baseline in the same run.
//!
//! Each iteration searches a fixed range at the largest difficulty (no seal meets it), so
//! every backend computes exactly the same number of seals; throughput is in seals.
#![allow(missing_docs)] // criterion_group! generates undocumented public items

use std::num::NonZeroUsize;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use taolite_core::{AccountId32, H256};
use taolite_pow::{
    Backend, Difficulty, Isa, Job, NoControl, NonceRange, Rule, Scalar, Simd, Threads, Work,
};

/// Seals per iteration: large enough to amortise thread start-up, small enough for a
/// short measurement time (≈ 20 ms on one scalar core).
const SEALS: u64 = 1 << 16;

fn job() -> Job {
    let work = Work::new(&H256([7; 32]), &AccountId32([9; 32]));
    Job::new(
        work,
        &Difficulty::from_limbs([u64::MAX; 4]),
        Rule::LittleEndian,
    )
}

fn bench_backend(c: &mut Criterion, group_name: &str, label: &str, backend: &(dyn Backend + Sync)) {
    let job = job();
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(SEALS));
    group.bench_function(BenchmarkId::from_parameter(label), |b| {
        let mut start = 0u64;
        b.iter(|| {
            let report = backend.search(&job, NonceRange::new(start, SEALS), &NoControl);
            start = start.wrapping_add(SEALS);
            report
        })
    });
    group.finish();
}

fn seals(c: &mut Criterion) {
    let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let mut single: Vec<(String, Box<dyn Backend + Sync>)> =
        vec![("scalar".to_string(), Box::new(Scalar))];
    let mut threaded: Vec<(String, Box<dyn Backend + Sync>)> = vec![(
        "scalar".to_string(),
        Box::new(Threads::new(Scalar, cores).with_chunk(SEALS / 16)),
    )];
    for isa in [Isa::Avx2, Isa::Avx512] {
        if let Some(simd) = Simd::with_isa(isa) {
            single.push((format!("simd-{}", isa.name()), Box::new(simd)));
            threaded.push((
                format!("simd-{}", isa.name()),
                Box::new(Threads::new(simd, cores).with_chunk(SEALS / 16)),
            ));
        }
    }
    for (label, backend) in &single {
        bench_backend(c, "pow/seals/1-thread", label, backend.as_ref());
    }
    let group = format!("pow/seals/{cores}-threads");
    for (label, backend) in &threaded {
        bench_backend(c, &group, label, backend.as_ref());
    }
    #[cfg(feature = "gpu")]
    gpu(c);
}

/// Seals per iteration of the GPU group: enough for the adaptive batch to grow past its
/// first dispatch, so the number is throughput rather than submit latency.
#[cfg(feature = "gpu")]
const GPU_SEALS: u64 = 1 << 20;

/// The wgpu backend, with the one-thread scalar backend as the baseline in the same group.
/// On a CPU Vulkan implementation (lavapipe) this measures that rasteriser, not a GPU.
#[cfg(feature = "gpu")]
fn gpu(c: &mut Criterion) {
    let gpu = match taolite_pow::Gpu::new() {
        Ok(gpu) => gpu,
        Err(e) => {
            println!("SKIP pow/seals/gpu: {e}");
            return;
        }
    };
    println!("gpu adapter: {}", gpu.adapter_name());
    let job = job();
    let mut group = c.benchmark_group("pow/seals/gpu");
    group.throughput(Throughput::Elements(GPU_SEALS));
    group.sample_size(10);
    let backends: [(&str, &(dyn Backend + Sync)); 2] = [("scalar", &Scalar), ("gpu", &gpu)];
    for (label, backend) in backends {
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            let mut start = 0u64;
            b.iter(|| {
                let report = backend.search(&job, NonceRange::new(start, GPU_SEALS), &NoControl);
                start = start.wrapping_add(GPU_SEALS);
                report
            })
        });
    }
    group.finish();
}

criterion_group!(benches, seals);
criterion_main!(benches);
