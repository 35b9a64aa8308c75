//! Benchmarks of `taolite_core::keys`: signing, verification, derivation, mnemonics.
//!
//! Baseline in the same run: one Blake2b-256 of 32 bytes (`baseline/blake2_256_32B`),
//! so the numbers can be read as "so many hashes" on any machine.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use taolite_core::hash::blake2_256;
use taolite_core::keys::{chain_code, Entropy, Keypair, MiniSecret, DEV_PHRASE};

fn keys(c: &mut Criterion) {
    let alice = Keypair::from_suri("//Alice").expect("//Alice");
    let public = alice.public();
    let message = [0x5au8; 32];
    let signature = alice.sign(&message);
    let code = chain_code("Alice");
    let seed = *alice.mini_secret().expect("//Alice has a seed").as_bytes();
    let entropy = Entropy::from_phrase(DEV_PHRASE).expect("dev phrase");

    let mut group = c.benchmark_group("keys");
    group.bench_function("baseline/blake2_256_32B", |b| {
        b.iter(|| blake2_256(black_box(&message)))
    });
    group.bench_function("sign_32B", |b| b.iter(|| alice.sign(black_box(&message))));
    group.bench_function("verify_32B", |b| {
        b.iter(|| public.verify(black_box(&message), black_box(&signature)))
    });
    let wrapped = alice.sign(b"<Bytes>hello</Bytes>");
    group.bench_function("verify_bytes_wrapper_fallback", |b| {
        b.iter(|| public.verify_allowing_bytes_wrapper(black_box(b"hello"), black_box(&wrapped)))
    });
    group.bench_function("derive_hard", |b| {
        b.iter(|| alice.derive_hard(black_box(&code)))
    });
    group.bench_function("derive_soft_keypair", |b| {
        b.iter(|| alice.derive_soft(black_box(&code)))
    });
    group.bench_function("derive_soft_public", |b| {
        b.iter(|| public.derive_soft(black_box(&code)))
    });
    group.bench_function("keypair_from_mini_secret", |b| {
        b.iter(|| Keypair::from_mini_secret(&MiniSecret::from_bytes(black_box(seed))))
    });
    group.bench_function("mnemonic_to_entropy_12w", |b| {
        b.iter(|| Entropy::from_phrase(black_box(DEV_PHRASE)))
    });
    group.bench_function("entropy_to_mini_secret_pbkdf2", |b| {
        b.iter(|| MiniSecret::from_entropy(black_box(&entropy), black_box("")))
    });
    group.finish();
}

criterion_group!(benches, keys);
criterion_main!(benches);
