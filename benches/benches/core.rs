//! Benchmarks of taolite-core: hashes on chain-sized inputs, SS58, keys.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use taolite_core::{hash, ss58};

fn hashes(c: &mut Criterion) {
    let mut group = c.benchmark_group("hash");
    // 40 bytes: the PoW's SHA-256 input; 64: the PoW's Keccak input and storage-key parts;
    // 256: a signing payload at the Blake2 threshold.
    let input = [0x5au8; 256];
    for (name, len) in [("40B", 40usize), ("64B", 64), ("256B", 256)] {
        let data = &input[..len];
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_function(format!("sha256/{name}"), |b| {
            b.iter(|| hash::sha256(black_box(data)))
        });
        group.bench_function(format!("keccak256/{name}"), |b| {
            b.iter(|| hash::keccak256(black_box(data)))
        });
        group.bench_function(format!("blake2_256/{name}"), |b| {
            b.iter(|| hash::blake2_256(black_box(data)))
        });
    }
    let key = [7u8; 32];
    group.throughput(Throughput::Bytes(32));
    group.bench_function("blake2_128/32B", |b| {
        b.iter(|| hash::blake2_128(black_box(&key)))
    });
    group.bench_function("twox_64/32B", |b| b.iter(|| hash::twox_64(black_box(&key))));
    group.bench_function("twox_128/32B", |b| {
        b.iter(|| hash::twox_128(black_box(&key)))
    });
    group.bench_function("twox_256/32B", |b| {
        b.iter(|| hash::twox_256(black_box(&key)))
    });
    group.finish();
}

fn ss58_codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("ss58");
    let account = [0xd4u8; 32];
    let address = ss58::encode(&account, 42).unwrap();
    group.bench_function("encode", |b| {
        b.iter(|| ss58::encode(black_box(&account), 42))
    });
    group.bench_function("decode", |b| {
        b.iter(|| ss58::decode(black_box(address.as_str())))
    });
    group.finish();
}

criterion_group!(benches, hashes, ss58_codec);
criterion_main!(benches);
