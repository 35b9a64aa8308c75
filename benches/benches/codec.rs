//! Extrinsic throughput for `set_weights` with 256 uids: encode, sign, decode, verify.
//!
//! Baselines in the same run: copying the already-encoded call (encode), a bare
//! sr25519 signature / verification of the same signed message (sign, verify), and
//! Blake2-256 of the payload (the hashing every sign and verify includes).
//!
//! Runtime metadata: decoding every file of `$TAOLITE_VECTORS/extrinsic/metadata`
//! under the heap budget, and checking it against the typed calls, with frame-metadata's
//! own unbounded decode of the same bytes as the baseline.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use taolite_codec::call::{Call, CallTable};
use taolite_codec::era::Era;
use taolite_codec::extensions::TxParams;
use taolite_codec::extrinsic::{self, Extrinsic, SigningPayload};
use taolite_codec::scale::Seq;
use taolite_core::keys::Keypair;

const UIDS: usize = 256;

fn setup() -> (Vec<u16>, Vec<u16>, TxParams, Keypair) {
    let dests: Vec<u16> = (0..UIDS as u16).collect();
    let weights: Vec<u16> = (0..UIDS as u16).map(|i| i.wrapping_mul(257)).collect();
    let mut params = TxParams::finney_immortal(7);
    params.era = Era::mortal(64, 5_000_000);
    params.birth_block_hash = taolite_core::H256([0xab; 32]);
    let key = Keypair::from_suri("//Alice").expect("dev key");
    (dests, weights, params, key)
}

fn bench(c: &mut Criterion) {
    let (dests, weights, params, mut key) = setup();
    let table = CallTable::SPEC_425;
    let call = Call::SetWeights {
        netuid: 1,
        dests: Seq::Items(&dests),
        weights: Seq::Items(&weights),
        version_key: 1_000_000,
    };
    let call_bytes = call.to_vec(&table);
    let layout = extrinsic::SignedLayout::new(call_bytes.len(), &params);
    let mut buf = vec![0u8; layout.buffer_len()];
    let n = extrinsic::sign_into(&call, &table, &params, &mut key, &mut buf).expect("sign");
    let ext = buf[..n].to_vec();
    let mut payload = vec![0u8; layout.payload_len];
    extrinsic::write_signing_payload(&call, &table, &params, &mut payload).expect("payload");
    let message = SigningPayload::new(&payload).message();
    let signature = key.sign(message.as_bytes());
    let public = key.public();
    let implicit = params.implicit();

    let mut g = c.benchmark_group("set_weights_256");
    g.throughput(Throughput::Elements(1));

    g.bench_function("encode_call", |b| {
        let mut out = vec![0u8; call_bytes.len()];
        b.iter(|| {
            black_box(&call)
                .encode_into(&table, &mut out)
                .expect("fits")
        })
    });
    g.bench_function("baseline_copy_encoded_call", |b| {
        let mut out = vec![0u8; call_bytes.len()];
        b.iter(|| out.copy_from_slice(black_box(&call_bytes)))
    });
    g.bench_function("sign_extrinsic", |b| {
        let mut out = vec![0u8; layout.buffer_len()];
        b.iter(|| {
            extrinsic::sign_into(black_box(&call), &table, &params, &mut key, &mut out)
                .expect("sign")
        })
    });
    g.bench_function("baseline_sr25519_sign_message", |b| {
        b.iter(|| key.sign(black_box(message.as_bytes())))
    });
    g.bench_function("baseline_blake2_256_payload", |b| {
        b.iter(|| taolite_core::hash::blake2_256(black_box(&payload)))
    });
    g.bench_function("decode_extrinsic", |b| {
        b.iter(|| Extrinsic::decode(black_box(&ext), &table).expect("decodes"))
    });
    g.bench_function("decode_and_sum_weights", |b| {
        b.iter(|| {
            let x = Extrinsic::decode(black_box(&ext), &table).expect("decodes");
            match x.call {
                Call::SetWeights { weights, .. } => weights.iter().map(u64::from).sum::<u64>(),
                _ => 0,
            }
        })
    });
    g.bench_function("verify_extrinsic", |b| {
        let x = Extrinsic::decode(&ext, &table).expect("decodes");
        b.iter(|| black_box(&x).verify(&implicit).expect("verifies"))
    });
    g.bench_function("baseline_sr25519_verify_message", |b| {
        b.iter(|| {
            public
                .verify(black_box(message.as_bytes()), &signature)
                .expect("ok")
        })
    });
    g.finish();
}

/// The vectors' root, as the tests resolve it: `TAOLITE_VECTORS`, relative paths from the
/// repository root, default `../shared/vectors`.
fn vectors_root() -> std::path::PathBuf {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = std::env::var("TAOLITE_VECTORS").unwrap_or_else(|_| "../shared/vectors".into());
    repo.join(root)
}

fn bench_metadata(c: &mut Criterion) {
    use parity_scale_codec::Decode;
    use taolite_codec::metadata::Metadata;
    let folder = vectors_root().join("extrinsic/metadata");
    let Ok(entries) = std::fs::read_dir(&folder) else {
        println!("metadata benches skipped: no folder {}", folder.display());
        return;
    };
    let mut g = c.benchmark_group("metadata");
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(format!("decode/{name}"), |b| {
            b.iter(|| Metadata::decode(black_box(&bytes)).expect("decodes"))
        });
        g.bench_function(format!("baseline_frame_metadata_decode/{name}"), |b| {
            b.iter(|| {
                frame_metadata::RuntimeMetadataPrefixed::decode(&mut black_box(&bytes[..]))
                    .expect("decodes")
            })
        });
        let metadata = Metadata::decode(&bytes).expect("decodes");
        g.bench_function(format!("check/{name}"), |b| {
            b.iter(|| black_box(&metadata).check())
        });
    }
    g.finish();
}

criterion_group!(benches, bench, bench_metadata);
criterion_main!(benches);
