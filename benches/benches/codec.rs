//! Benchmarks of the codec work (to be filled in).
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};

fn placeholder(_c: &mut Criterion) {}

criterion_group!(benches, placeholder);
criterion_main!(benches);
