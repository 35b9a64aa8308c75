//! Synapse benchmarks: dendrite signing and axon verification rates, header list
//! encode/decode, envelope encode/decode and the body hash, each next to a baseline
//! measured in the same run (the bare sr25519 operation, a plain copy of the header list,
//! SHA3-256 of the raw body). Prints a table of medians and ratios at the end.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use taolite_codec::synapse::{
    body_hash_from_json, parse_json, sha3_256, sign_dendrite, verify_request, DendriteMessage,
    Envelope, PyValue, RequestHeaders, Sr25519, SynapseHeaders, VerifyConfig,
};
use taolite_core::keys::Keypair;
use taolite_core::AccountId32;

const NONCE: u64 = 1_750_000_000_125_456_795;
const NOW: u64 = 1_750_000_001_125_456_795;
const BODY: &str = r#"{"name": "TextPrompt", "timeout": 30.0, "messages": ["Hello, world!", "it's \"quoted\"", "caf\u00e9 \u2603", "tab\tnew\nline"], "seed": 1234, "temperature": 0.1, "completion": ""}"#;
const HASH_FIELDS: [&str; 3] = ["messages", "seed", "temperature"];

/// A realistic request header list (vector 2's shape), unsigned.
fn unsigned_headers(axon: &Keypair) -> Vec<(String, String)> {
    let pairs = [
        ("name", "TextPrompt"),
        ("timeout", "30.0"),
        ("bt_header_axon_ip", "198.51.100.20"),
        ("bt_header_axon_port", "8091"),
        ("bt_header_dendrite_ip", "203.0.113.7"),
        ("bt_header_dendrite_version", "10002000"),
        (
            "bt_header_dendrite_uuid",
            "5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a",
        ),
        ("bt_header_input_obj_messages", "W10="),
        ("header_size", "464"),
        ("total_size", "3705"),
    ];
    let mut headers: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let hotkey = axon.public().to_ss58(42).expect("ss58").to_string();
    headers.insert(4, ("bt_header_axon_hotkey".into(), hotkey));
    headers
}

fn bench(c: &mut Criterion) {
    let alice = Keypair::from_suri("//Alice").expect("alice");
    let bob = Keypair::from_suri("//Bob").expect("bob");
    let own = AccountId32(bob.public().to_bytes());
    let hash = body_hash_from_json(BODY, &HASH_FIELDS).expect("hash");
    let base = SynapseHeaders::from_headers(&unsigned_headers(&bob)).expect("headers");
    let mut signed = base.clone();
    sign_dendrite(&mut signed, &alice, NONCE, hash).expect("sign");
    let signed_pairs = signed.to_headers();
    let alice_ss58 = alice.public().to_ss58(42).expect("ss58").to_string();
    let bob_ss58 = bob.public().to_ss58(42).expect("ss58").to_string();
    let hash_text = hash.to_string();
    let message = DendriteMessage {
        nonce: NONCE,
        dendrite_hotkey: &alice_ss58,
        axon_hotkey: &bob_ss58,
        uuid: "5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a",
        body_hash: &hash_text,
    }
    .to_string();
    let raw_signature = alice.sign(message.as_bytes());

    let mut group = c.benchmark_group("synapse_sign");
    group.throughput(Throughput::Elements(1));
    group.bench_function("baseline_sr25519_sign", |b| {
        b.iter(|| alice.sign(black_box(message.as_bytes())))
    });
    group.bench_function("sign_dendrite", |b| {
        b.iter(|| {
            let mut headers = base.clone();
            sign_dendrite(&mut headers, &alice, black_box(NONCE), hash).expect("sign")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("synapse_verify");
    group.throughput(Throughput::Elements(1));
    group.bench_function("baseline_sr25519_verify", |b| {
        b.iter(|| {
            alice
                .public()
                .verify(black_box(message.as_bytes()), &raw_signature)
        })
    });
    for (label, config) in [("sdk", VerifyConfig::SDK), ("strict", VerifyConfig::STRICT)] {
        group.bench_function(BenchmarkId::new("verify_request", label), |b| {
            b.iter(|| {
                let request = RequestHeaders::from_headers(black_box(&signed_pairs)).expect("req");
                verify_request(&request, &own, NOW, None, &config, &Sr25519).expect("valid")
            })
        });
    }
    group.finish();

    let envelope = Envelope {
        headers: signed.clone(),
        body: None,
    };
    let envelope_bytes = envelope.encode();
    let mut group = c.benchmark_group("synapse_headers");
    group.throughput(Throughput::Elements(1));
    group.bench_function("baseline_clone_header_list", |b| {
        b.iter(|| black_box(&signed_pairs).clone())
    });
    group.bench_function("from_headers", |b| {
        b.iter(|| SynapseHeaders::from_headers(black_box(&signed_pairs)).expect("parse"))
    });
    group.bench_function("to_headers", |b| b.iter(|| black_box(&signed).to_headers()));
    group.bench_function("envelope_encode", |b| {
        b.iter(|| black_box(&envelope).encode())
    });
    group.bench_function("envelope_decode", |b| {
        b.iter(|| Envelope::decode(black_box(&envelope_bytes)).expect("decode"))
    });
    let mut buf = vec![0u8; envelope_bytes.len()];
    group.bench_function("envelope_encode_to_slice", |b| {
        b.iter(|| envelope.encode_to_slice(black_box(&mut buf)).expect("fits"))
    });
    group.finish();

    let mut group = c.benchmark_group("synapse_body_hash");
    group.throughput(Throughput::Bytes(BODY.len() as u64));
    group.bench_function("baseline_sha3_of_body", |b| {
        b.iter(|| sha3_256(black_box(BODY)))
    });
    group.bench_function("body_hash_from_json", |b| {
        b.iter(|| body_hash_from_json(black_box(BODY), &HASH_FIELDS).expect("hash"))
    });
    group.finish();
}

/// Where criterion keeps its results: `$CARGO_TARGET_DIR/criterion`, else the target
/// directory this bench binary was built into.
fn criterion_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(PathBuf::from(dir).join("criterion"));
    }
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.parent()?.join("criterion"))
}

/// The median (ns) of one benchmark, read back from criterion's estimates.
fn median_ns(id: &str) -> Option<f64> {
    let path = criterion_dir()?.join(id).join("new").join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let PyValue::Dict(top) = parse_json(&text).ok()? else {
        return None;
    };
    let (_, PyValue::Dict(median)) = top.iter().find(|(k, _)| k == "median")? else {
        return None;
    };
    match median.iter().find(|(k, _)| k == "point_estimate")? {
        (_, PyValue::Float(v)) => Some(*v),
        (_, PyValue::Int(v)) => v.parse().ok(),
        _ => None,
    }
}

fn print_medians() {
    let rows: [(&str, &str); 11] = [
        (
            "synapse_sign/baseline_sr25519_sign",
            "synapse_sign/baseline_sr25519_sign",
        ),
        (
            "synapse_sign/sign_dendrite",
            "synapse_sign/baseline_sr25519_sign",
        ),
        (
            "synapse_verify/baseline_sr25519_verify",
            "synapse_verify/baseline_sr25519_verify",
        ),
        (
            "synapse_verify/verify_request/sdk",
            "synapse_verify/baseline_sr25519_verify",
        ),
        (
            "synapse_verify/verify_request/strict",
            "synapse_verify/baseline_sr25519_verify",
        ),
        (
            "synapse_headers/baseline_clone_header_list",
            "synapse_headers/baseline_clone_header_list",
        ),
        (
            "synapse_headers/from_headers",
            "synapse_headers/baseline_clone_header_list",
        ),
        (
            "synapse_headers/to_headers",
            "synapse_headers/baseline_clone_header_list",
        ),
        (
            "synapse_headers/envelope_encode",
            "synapse_headers/baseline_clone_header_list",
        ),
        (
            "synapse_headers/envelope_decode",
            "synapse_headers/baseline_clone_header_list",
        ),
        (
            "synapse_body_hash/body_hash_from_json",
            "synapse_body_hash/baseline_sha3_of_body",
        ),
    ];
    println!("\nsynapse medians (ratio = median / baseline median, same run)");
    println!(
        "{:<46} {:>12} {:>12} {:>8}",
        "benchmark", "median", "per second", "ratio"
    );
    for (id, baseline) in rows {
        match (median_ns(id), median_ns(baseline)) {
            (Some(ns), Some(base)) => println!(
                "{id:<46} {:>9.3} µs {:>12.0} {:>7.2}x",
                ns / 1e3,
                1e9 / ns,
                ns / base
            ),
            _ => println!("{id:<46} (no result: run without a filter)"),
        }
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    bench(&mut criterion);
    criterion.final_summary();
    print_medians();
}
