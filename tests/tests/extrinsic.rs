//! Vector tests for taolite-codec: every file under `$TAOLITE_VECTORS/extrinsic`.
//!
//! Each JSON file is dispatched on its name; an unknown file fails the test so a new
//! vector set cannot be skipped silently. Failures name the file and the case.

use std::path::Path;

use serde_json::Value;
use taolite_codec::call::{Call, CallKind, CallTable};
use taolite_codec::era::Era;
use taolite_codec::extensions::{Implicit, TxParams};
use taolite_codec::extrinsic::{
    self, Ed25519Signer, Extrinsic, FnSigner, SignerOutput, SigningPayload,
};
use taolite_codec::scale::{Reader, SliceOutput};
use taolite_codec::{json, MultiAddress, MultiSignature, SignatureScheme};
use taolite_core::hex;
use taolite_core::AccountId32;
use taolite_tests::{json_files, read_json, vectors_root};

fn h(v: &Value) -> Vec<u8> {
    hex::decode_vec(v.as_str().expect("hex string")).expect("valid hex")
}

fn num(v: &Value) -> u128 {
    match v {
        Value::Number(n) => n.as_u64().expect("u64") as u128,
        Value::String(s) => s.parse().expect("decimal string"),
        _ => panic!("not a number: {v}"),
    }
}

fn hx(bytes: &[u8]) -> String {
    hex::encode_prefixed(bytes)
}

#[test]
fn every_extrinsic_vector_file() {
    let mut checked = 0;
    for path in json_files("extrinsic") {
        let doc = read_json(&path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        match name.as_str() {
            "compact.json" => compact(&path, &doc),
            "era.json" => era(&path, &doc),
            "hashes.json" => hashes(&path, &doc),
            "calls.json" => calls(&path, &doc),
            "signed.json" => signed(&path, &doc),
            "storage_keys.json" => storage_keys(&path, &doc),
            "weights.json" => weights(&path, &doc),
            other => panic!("{}: no test handles vector file {other}", path.display()),
        }
        checked += 1;
    }
    assert!(checked >= 7, "expected at least 7 extrinsic vector files");
}

fn compact(path: &Path, doc: &Value) {
    for (i, v) in doc["vectors"].as_array().unwrap().iter().enumerate() {
        let case = format!("{} case {i} (value {})", path.display(), v["value"]);
        let value = num(&v["value"]);
        let expected = h(&v["hex"]);
        let encoded = parity_scale_codec_encode(value);
        assert_eq!(hx(&encoded), hx(&expected), "{case}: encoding");
        let table = CallTable::SPEC_425;
        let mut r = Reader::new(&expected, &table);
        assert_eq!(r.compact::<u128>(), Ok(value), "{case}: decode");
        r.finish().unwrap_or_else(|e| panic!("{case}: {e}"));
        if let Ok(small) = u64::try_from(value) {
            let mut r = Reader::new(&expected, &table);
            assert_eq!(r.compact::<u64>(), Ok(small), "{case}: decode as u64");
        } else {
            let mut r = Reader::new(&expected, &table);
            assert!(r.compact::<u64>().is_err(), "{case}: must not fit u64");
        }
    }
}

fn parity_scale_codec_encode(value: u128) -> Vec<u8> {
    // Through the codec's JSON path, which uses parity-scale-codec's Compact.
    let mut out = Vec::new();
    json::encode_value(
        &taolite_codec::scale::Ty::Compact(&taolite_codec::scale::Ty::U128),
        &Value::String(value.to_string()),
        &CallTable::SPEC_425,
        "value",
        &mut out,
    )
    .unwrap();
    out
}

fn era_bytes(era: &Era) -> Vec<u8> {
    let mut buf = [0u8; 2];
    let mut out = SliceOutput::new(&mut buf);
    era.encode_to(&mut out);
    buf[..era.encoded_len()].to_vec()
}

fn era(path: &Path, doc: &Value) {
    for (i, v) in doc["vectors"].as_array().unwrap().iter().enumerate() {
        let case = format!("{} vectors[{i}] {}", path.display(), v["hex"]);
        let bytes = h(&v["hex"]);
        let decoded = Era::from_bytes(&bytes).unwrap_or_else(|e| panic!("{case}: {e}"));
        if v["kind"] == "immortal" {
            assert_eq!(decoded, Era::Immortal, "{case}");
            assert_eq!(era_bytes(&Era::Immortal), bytes, "{case}");
            continue;
        }
        let current = num(&v["current"]) as u64;
        let built = Era::mortal(num(&v["requested_period"]) as u64, current);
        assert_eq!(hx(&era_bytes(&built)), hx(&bytes), "{case}: encode");
        assert_eq!(built, decoded, "{case}: decode");
        let Era::Mortal(m) = decoded else {
            panic!("{case}: expected mortal")
        };
        assert_eq!(u128::from(m.period()), num(&v["period"]), "{case}: period");
        assert_eq!(u128::from(m.phase()), num(&v["phase"]), "{case}: phase");
        assert_eq!(
            u128::from(decoded.birth(current)),
            num(&v["birth"]),
            "{case}: birth"
        );
        assert_eq!(
            u128::from(decoded.death(current)),
            num(&v["death"]),
            "{case}: death"
        );
    }
    for (i, v) in doc["decode_checks"].as_array().unwrap().iter().enumerate() {
        let case = format!("{} decode_checks[{i}] {}", path.display(), v["hex"]);
        let result = Era::from_bytes(&h(&v["hex"]));
        assert_eq!(
            result.is_ok(),
            v["valid"].as_bool().unwrap(),
            "{case}: {result:?}"
        );
    }
}

fn hashes(path: &Path, doc: &Value) {
    use taolite_core::hash;
    for (i, v) in doc["vectors"].as_array().unwrap().iter().enumerate() {
        let case = format!("{} case {i}", path.display());
        let input = h(&v["input_hex"]);
        assert_eq!(hx(&hash::twox_64(&input)), v["twox64"], "{case}: twox64");
        assert_eq!(hx(&hash::twox_128(&input)), v["twox128"], "{case}: twox128");
        assert_eq!(
            hx(&hash::blake2_128(&input)),
            v["blake2_128"],
            "{case}: blake2_128"
        );
        assert_eq!(
            hx(&hash::blake2_256(&input)),
            v["blake2_256"],
            "{case}: blake2_256"
        );
    }
}

/// The vectors' type names, normalised to the codec's `Ty` display.
fn normalise_type(t: &str) -> String {
    t.replace("NetUid", "u16")
        .replace("MechId", "u8")
        .replace(' ', "")
}

fn calls(path: &Path, doc: &Value) {
    let table = CallTable::SPEC_425;
    for (i, v) in doc["vectors"].as_array().unwrap().iter().enumerate() {
        let case = format!("{} case {i} {}.{}", path.display(), v["pallet"], v["call"]);
        let expected = h(&v["hex"]);
        let kind = CallKind::by_name(v["pallet"].as_str().unwrap(), v["call"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{case}: no typed call"));
        assert_eq!(
            table.indices(kind),
            (num(&v["pallet_index"]) as u8, num(&v["call_index"]) as u8),
            "{case}: indices"
        );
        let spec_args: Vec<(String, String)> = v["arg_types"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a[0].as_str().unwrap().to_string(),
                    normalise_type(a[1].as_str().unwrap()),
                )
            })
            .collect();
        let ours: Vec<(String, String)> = kind
            .args()
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        assert_eq!(ours, spec_args, "{case}: argument names and types");

        // JSON arguments -> bytes.
        let built =
            json::encode_call(kind, &v["args"], &table).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(hx(&built), hx(&expected), "{case}: encode from JSON args");

        // bytes -> typed call -> bytes, into a caller buffer.
        let call = Call::decode(&expected, &table).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(call.kind(), Some(kind), "{case}: decoded kind");
        let mut buf = vec![0u8; expected.len()];
        let n = call.encode_into(&table, &mut buf).unwrap();
        assert_eq!(hx(&buf[..n]), hx(&expected), "{case}: re-encode");
        assert!(
            call.encode_into(&table, &mut buf[..expected.len() - 1])
                .is_err(),
            "{case}: short buffer must fail"
        );
        // typed call -> JSON -> bytes.
        let back = json::call_json(&call, &table).unwrap();
        let rebuilt = json::encode_call(kind, &back["args"], &table)
            .unwrap_or_else(|e| panic!("{case}: {e} in {back}"));
        assert_eq!(hx(&rebuilt), hx(&expected), "{case}: JSON round trip");
        // Human form names the call and every argument.
        let text = call.display().to_string();
        assert!(
            text.starts_with(&format!(
                "{}.{}(",
                v["pallet"].as_str().unwrap(),
                v["call"].as_str().unwrap()
            )),
            "{case}: {text}"
        );
        for (name, _) in kind.args() {
            assert!(
                text.contains(&format!("{name}: ")),
                "{case}: {text} lacks {name}"
            );
        }
        // Any truncation is an error, never a panic.
        for cut in 0..expected.len() {
            assert!(
                Call::decode(&expected[..cut], &table).is_err(),
                "{case}: cut at {cut}"
            );
        }
        let mut longer = expected.clone();
        longer.push(0);
        assert!(
            matches!(
                Call::decode(&longer, &table),
                Err(taolite_codec::DecodeError::TrailingBytes { count: 1 })
            ),
            "{case}: trailing byte"
        );
    }
}

fn params_of(v: &Value) -> TxParams {
    let era = match v["era"]["kind"].as_str().unwrap() {
        "immortal" => Era::Immortal,
        _ => Era::mortal(
            num(&v["era"]["requested_period"]) as u64,
            num(&v["era"]["current"]) as u64,
        ),
    };
    TxParams {
        nonce: num(&v["nonce"]) as u32,
        tip: num(&v["tip"]) as u64,
        era,
        spec_version: num(&v["spec_version"]) as u32,
        transaction_version: num(&v["transaction_version"]) as u32,
        genesis_hash: v["genesis_hash"].as_str().unwrap().parse().unwrap(),
        birth_block_hash: v["birth_block_hash"].as_str().unwrap().parse().unwrap(),
        metadata_hash: match &v["metadata_hash"] {
            Value::Null => None,
            m => Some(h(m).try_into().unwrap()),
        },
    }
}

fn encode_with(f: impl Fn(&mut dyn taolite_codec::scale::Output)) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out);
    out
}

fn signed(path: &Path, doc: &Value) {
    let table = CallTable::SPEC_425;
    for v in doc["vectors"].as_array().unwrap() {
        let case = format!("{} case {}", path.display(), v["name"]);
        let params = params_of(v);
        let call_bytes = h(&v["call"]["hex"]);
        let call = Call::decode(&call_bytes, &table).unwrap_or_else(|e| panic!("{case}: {e}"));
        let explicit = params.explicit();
        let implicit = params.implicit();
        assert_eq!(
            hx(&encode_with(|o| explicit.era.encode_to(o))),
            v["era_hex"],
            "{case}: era"
        );
        assert_eq!(
            hx(&encode_with(|o| explicit.encode_to(o))),
            v["explicit_hex"],
            "{case}: explicit"
        );
        assert_eq!(
            hx(&encode_with(|o| implicit.encode_to(o))),
            v["implicit_hex"],
            "{case}: implicit"
        );
        if let Era::Mortal(_) = params.era {
            let current = num(&v["era"]["current"]) as u64;
            assert_eq!(
                u128::from(params.era.birth(current)),
                num(&v["era"]["birth_block"]),
                "{case}: birth"
            );
        }

        // Payload and message.
        let mut payload = vec![0u8; 2048];
        let n = extrinsic::write_signing_payload(&call, &table, &params, &mut payload).unwrap();
        let payload = &payload[..n];
        assert_eq!(hx(payload), v["payload_hex"], "{case}: payload");
        assert_eq!(n as u128, num(&v["payload_len"]), "{case}: payload_len");
        let message = SigningPayload::new(payload).message();
        assert_eq!(
            message.is_hashed(),
            v["payload_hashed"].as_bool().unwrap(),
            "{case}: hashed"
        );
        assert_eq!(
            hx(message.as_bytes()),
            v["signed_message_hex"],
            "{case}: message"
        );

        let public: [u8; 32] = h(&v["signer"]["public_key"]).try_into().unwrap();
        let scheme = match v["signer"]["scheme"].as_str().unwrap() {
            "sr25519" => SignatureScheme::Sr25519,
            "ed25519" => SignatureScheme::Ed25519,
            s => panic!("{case}: scheme {s}"),
        };
        let signature: [u8; 64] = h(&v["signature_hex"]).try_into().unwrap();
        let multi = MultiSignature::from_slice(scheme, &signature).unwrap();
        assert_eq!(
            hx(&encode_with(|o| multi.encode_to(o))),
            v["multisignature_hex"],
            "{case}: multisig"
        );
        extrinsic::verify_signature(&multi, &public, message.as_bytes())
            .unwrap_or_else(|e| panic!("{case}: vector signature: {e}"));
        assert_eq!(
            AccountId32(public).to_string(),
            v["signer"]["ss58"].as_str().unwrap(),
            "{case}: ss58"
        );

        // Build with the vector's signature through the signer callback.
        let expected = h(&v["extrinsic_hex"]);
        let layout = extrinsic::SignedLayout::new(call_bytes.len(), &params);
        assert_eq!(layout.extrinsic_len, expected.len(), "{case}: layout");
        let seen = std::cell::RefCell::new(Vec::new());
        let mut fixed = FnSigner::new(scheme, |p: &SigningPayload<'_>| {
            *seen.borrow_mut() = p.bytes().to_vec();
            Ok::<_, std::convert::Infallible>(SignerOutput { public, signature })
        });
        let mut buf = vec![0u8; layout.buffer_len()];
        let n = extrinsic::sign_into(&call, &table, &params, &mut fixed, &mut buf)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            hx(&seen.borrow()),
            v["payload_hex"],
            "{case}: payload given to the signer"
        );
        assert_eq!(hx(&buf[..n]), hx(&expected), "{case}: extrinsic");
        let mut short = vec![0u8; layout.buffer_len() - 1];
        assert!(
            extrinsic::sign_into(&call, &table, &params, &mut fixed, &mut short).is_err(),
            "{case}: short buffer must fail"
        );
        assert!(
            short.iter().all(|&b| b == 0),
            "{case}: nothing written on failure"
        );
        assert_eq!(
            hx(&extrinsic::extrinsic_hash(&expected).0),
            v["extrinsic_hash"],
            "{case}: hash"
        );

        // Pre-encoded call path and the assemble path agree.
        let mut buf2 = vec![0u8; layout.buffer_len()];
        let n2 =
            extrinsic::sign_encoded_call_into(&call_bytes, &params, &mut fixed, &mut buf2).unwrap();
        assert_eq!(hx(&buf2[..n2]), hx(&expected), "{case}: encoded-call path");
        let mut buf3 = vec![0u8; expected.len()];
        let n3 = extrinsic::assemble_signed_into(
            &call_bytes,
            &AccountId32(public),
            &multi,
            &explicit,
            &mut buf3,
        )
        .unwrap();
        assert_eq!(hx(&buf3[..n3]), hx(&expected), "{case}: assemble path");

        // Sign with our own key where the scheme is deterministic.
        if scheme == SignatureScheme::Ed25519 {
            let source = v["signer"]["source"].as_str().unwrap();
            let seed_hex = source.rsplit(' ').next().unwrap();
            let seed: [u8; 32] = hex::decode_array(seed_hex).unwrap();
            let mut key = Ed25519Signer::from_seed(&seed);
            assert_eq!(key.public(), public, "{case}: ed25519 public key");
            let mut own = vec![0u8; layout.buffer_len()];
            let n = extrinsic::sign_into(&call, &table, &params, &mut key, &mut own).unwrap();
            assert_eq!(
                hx(&own[..n]),
                hx(&expected),
                "{case}: own ed25519 signature"
            );
        }

        // Sign with our own sr25519 key: only the 64 signature bytes may differ.
        if scheme == SignatureScheme::Sr25519 {
            let mut key =
                taolite_core::keys::Keypair::from_suri(v["signer"]["source"].as_str().unwrap())
                    .unwrap_or_else(|e| panic!("{case}: {e}"));
            assert_eq!(
                key.public().to_bytes(),
                public,
                "{case}: sr25519 public key"
            );
            let mut own = vec![0u8; layout.buffer_len()];
            let n = extrinsic::sign_into(&call, &table, &params, &mut key, &mut own).unwrap();
            let own = &own[..n];
            assert_eq!(own.len(), expected.len(), "{case}: own length");
            let sig_at = expected.len() - call_bytes.len() - explicit.encoded_len() - 64;
            let differing: Vec<usize> = (0..own.len()).filter(|&i| own[i] != expected[i]).collect();
            assert!(
                differing
                    .iter()
                    .all(|&i| (sig_at..sig_at + 64).contains(&i)),
                "{case}: own extrinsic differs outside the signature at {differing:?}"
            );
            Extrinsic::decode(own, &table)
                .unwrap()
                .verify(&implicit)
                .unwrap_or_else(|e| panic!("{case}: own signature: {e}"));
        } else {
            let seed_hex = v["signer"]["source"]
                .as_str()
                .unwrap()
                .rsplit(' ')
                .next()
                .unwrap();
            let mut key = taolite_core::keys::Ed25519Keypair::from_mini_secret(
                &taolite_core::keys::MiniSecret::from_bytes(hex::decode_array(seed_hex).unwrap()),
            );
            let mut own = vec![0u8; layout.buffer_len()];
            let n = extrinsic::sign_into(&call, &table, &params, &mut key, &mut own).unwrap();
            assert_eq!(hx(&own[..n]), hx(&expected), "{case}: core ed25519 key");
        }

        // Decode back to all parts and verify.
        let decoded =
            Extrinsic::decode(&expected, &table).unwrap_or_else(|e| panic!("{case}: {e}"));
        let part = decoded.signature.expect("signed");
        assert_eq!(
            part.address,
            MultiAddress::Id(AccountId32(public)),
            "{case}: address"
        );
        assert_eq!(part.signature, multi, "{case}: signature");
        assert_eq!(part.explicit, explicit, "{case}: explicit");
        assert_eq!(decoded.call, call, "{case}: call");
        assert_eq!(decoded.call_bytes, &call_bytes[..], "{case}: call bytes");
        decoded
            .verify(&implicit)
            .unwrap_or_else(|e| panic!("{case}: verify: {e}"));
        let wrong = Implicit {
            spec_version: implicit.spec_version + 1,
            ..implicit
        };
        assert!(
            decoded.verify(&wrong).is_err(),
            "{case}: wrong spec version must fail"
        );
        let mut tampered = expected.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        if let Ok(t) = Extrinsic::decode_with(&tampered, &table, extrinsic::UnknownCalls::Raw) {
            assert!(
                t.verify(&implicit).is_err(),
                "{case}: tampered call must fail"
            );
        }
        for cut in 0..expected.len() {
            assert!(
                Extrinsic::decode(&expected[..cut], &table).is_err(),
                "{case}: cut {cut}"
            );
        }
    }

    let bare = &doc["bare_extrinsic"];
    let bytes = h(&bare["hex"]);
    let case = format!("{} bare_extrinsic", path.display());
    let decoded = Extrinsic::decode(&bytes, &table).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert!(decoded.signature.is_none(), "{case}: unsigned");
    assert!(
        matches!(decoded.call, Call::Remark { remark } if remark.0 == b"bare"),
        "{case}: {:?}",
        decoded.call
    );
    let mut buf = vec![0u8; bytes.len()];
    let n = extrinsic::bare_into(&decoded.call, &table, &mut buf).unwrap();
    assert_eq!(hx(&buf[..n]), hx(&bytes), "{case}: re-encode");
    assert_eq!(
        decoded.verify(&TxParams::finney_immortal(0).implicit()),
        Err(extrinsic::VerifyError::Unsigned)
    );
}

fn storage_keys(path: &Path, doc: &Value) {
    use taolite_codec::storage::{self, KeyPart, KeyType};
    for (i, v) in doc["vectors"].as_array().unwrap().iter().enumerate() {
        let case = format!("{} case {i} {}.{}", path.display(), v["pallet"], v["item"]);
        let item = storage::item(v["pallet"].as_str().unwrap(), v["item"].as_str().unwrap())
            .unwrap_or_else(|| panic!("{case}: item not described"));
        assert_eq!(
            hx(item.prefix().as_bytes()),
            v["prefix_hex"],
            "{case}: prefix"
        );
        assert_eq!(item.value_name, v["value_type"], "{case}: value type");
        let keys = v["keys"].as_array().unwrap();
        assert_eq!(item.keys.len(), keys.len(), "{case}: key count");
        let mut parts = Vec::new();
        for (j, (k, (hasher, ty))) in keys.iter().zip(item.keys).enumerate() {
            assert_eq!(hasher.name(), k["hasher"], "{case}: hasher of key {j}");
            let part = match k["type"].as_str().unwrap() {
                "u16" => KeyPart::U16(num(&k["value"]) as u16),
                "u64" => KeyPart::U64(num(&k["value"]) as u64),
                "AccountId" => KeyPart::Account(AccountId32(h(&k["value"]).try_into().unwrap())),
                t => panic!("{case}: key type {t}"),
            };
            let expected_ty = match part {
                KeyPart::U16(_) => KeyType::U16,
                KeyPart::U64(_) => KeyType::U64,
                KeyPart::Account(_) => KeyType::AccountId,
            };
            assert_eq!(*ty, expected_ty, "{case}: type of key {j}");
            parts.push(part);
        }
        let key = item.key(&parts).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(hx(key.as_bytes()), v["key_hex"], "{case}: key");
        if !parts.is_empty() {
            assert!(
                item.key(&parts[1..]).is_err(),
                "{case}: too few key parts must fail"
            );
        }
        // An absent value gives the default (or nothing for OptionQuery items); the
        // default re-encodes and decodes to itself.
        if let Some(default) = item.decode_value(None).unwrap() {
            let bytes = encode_with(|o| default.encode_to(o));
            assert_eq!(
                item.decode_value(Some(&bytes)).unwrap(),
                Some(default),
                "{case}: default"
            );
        }
    }
}

fn weights(path: &Path, doc: &Value) {
    use taolite_codec::weights::{commit_hash, normalize_for_emit};
    for (i, v) in doc["commit_hash"].as_array().unwrap().iter().enumerate() {
        let case = format!("{} commit_hash[{i}]", path.display());
        let list = |k: &str| -> Vec<u16> {
            v[k].as_array()
                .unwrap()
                .iter()
                .map(|x| num(x) as u16)
                .collect()
        };
        let hotkey = AccountId32(h(&v["hotkey"]).try_into().unwrap());
        assert_eq!(
            hotkey.to_string(),
            v["hotkey_ss58"].as_str().unwrap(),
            "{case}: ss58"
        );
        assert_eq!(
            taolite_codec::storage::netuid_index(num(&v["netuid"]) as u16, num(&v["mechid"]) as u8)
                .map(u128::from),
            Some(num(&v["netuid_index"])),
            "{case}: netuid_index"
        );
        let hash = commit_hash(
            &hotkey,
            num(&v["netuid"]) as u16,
            num(&v["mechid"]) as u8,
            &list("uids"),
            &list("values"),
            &list("salt"),
            num(&v["version_key"]) as u64,
        )
        .unwrap();
        assert_eq!(hx(&hash.0), v["commit_hash"], "{case}");
    }
    for (i, v) in doc["normalization"].as_array().unwrap().iter().enumerate() {
        let case = format!("{} normalization[{i}]", path.display());
        let uids: Vec<i64> = v["uids_in"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        let weights: Vec<f32> = v["weights_in_f32"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                // The SDK converts its input to float32 first; a few inputs in the
                // vectors are printed one float64 ulp away from their float32 value, so
                // convert exactly as the SDK does.
                x.as_f64().unwrap() as f32
            })
            .collect();
        let mut out_u = vec![0u16; uids.len()];
        let mut out_w = vec![0u16; uids.len()];
        let n = normalize_for_emit(&uids, &weights, &mut out_u, &mut out_w)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        let want_u: Vec<u16> = v["uids_out"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| num(x) as u16)
            .collect();
        let want_w: Vec<u16> = v["weights_out_u16"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| num(x) as u16)
            .collect();
        assert_eq!(out_u[..n], want_u[..], "{case}: uids");
        assert_eq!(out_w[..n], want_w[..], "{case}: weights");
    }
}

// ---------------------------------------------------------------------------------------
// Runtime metadata (`extrinsic/metadata/`): every file is decoded and compared with the
// typed calls and extensions. Expectations come from spec/extrinsic.md and calls.json:
// pallet indices never change (5.5, 2.3); call indices are fixed by explicit
// `call_index` (2.3); every call that calls.json marks cross-checked was compared with
// the spec-343 metadata and has the same index and argument list there (section 8),
// the others are missing from spec 343; extensions added since spec 343 are zero-sized,
// so the bytes are unchanged (2.3).

/// Every file under `<root>/extrinsic/metadata`, sorted; fails when there is none.
fn metadata_files() -> Vec<std::path::PathBuf> {
    let dir = vectors_root().join("extrinsic/metadata");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no metadata files in {}", dir.display());
    files
}

/// spec/extrinsic.md 5.5.
const SPEC_PALLET_INDICES: [(&str, u8); 28] = [
    ("System", 0),
    ("RandomnessCollectiveFlip", 1),
    ("Timestamp", 2),
    ("Aura", 3),
    ("Grandpa", 4),
    ("Balances", 5),
    ("TransactionPayment", 6),
    ("SubtensorModule", 7),
    ("Utility", 11),
    ("Sudo", 12),
    ("Multisig", 13),
    ("Preimage", 14),
    ("Scheduler", 15),
    ("Proxy", 16),
    ("Commitments", 18),
    ("AdminUtils", 19),
    ("SafeMode", 20),
    ("Ethereum", 21),
    ("EVM", 22),
    ("EVMChainId", 23),
    ("BaseFee", 25),
    ("Drand", 26),
    ("Crowdloan", 27),
    ("Swap", 28),
    ("Contracts", 29),
    ("MevShield", 30),
    ("AlphaAssets", 31),
    ("LimitOrders", 32),
];

fn kind_names(kinds: &[CallKind]) -> String {
    kinds
        .iter()
        .map(|k| format!("{}.{}", k.pallet_name(), k.call_name()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn every_metadata_file() {
    use taolite_codec::metadata::{ExtensionStatus, Metadata};

    let calls_doc = read_json(&vectors_root().join("extrinsic/calls.json"));
    let call_vectors = calls_doc["vectors"].as_array().unwrap();
    let pinned_spec = num(&calls_doc["spec_version"]) as u32;
    for path in metadata_files() {
        let file = path.display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let md = Metadata::decode(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        let version = md
            .runtime_version()
            .unwrap_or_else(|| panic!("{file}: no readable System.Version constant"));
        assert_eq!(version.spec_name, "node-subtensor", "{file}: spec_name");
        assert_eq!(
            md.extrinsic_version(),
            4,
            "{file}: extrinsic format version"
        );
        let report = md.check();

        println!(
            "{file}: metadata V{}, {} spec {} tx version {}, {} pallets",
            md.version(),
            version.spec_name,
            version.spec_version,
            version.transaction_version,
            md.pallets().len()
        );
        println!(
            "  kinds present {}/{}, missing: [{}]",
            report.present.len(),
            CallKind::COUNT,
            kind_names(&report.missing)
        );
        for m in &report.mismatches {
            println!("  mismatch: {m}");
        }
        for (id, status) in &report.extensions.entries {
            println!("  extension {id}: {status:?}");
        }
        println!("  extensions absent: {:?}", report.extensions.absent);

        // Pallet indices are never renumbered (5.5, 2.3).
        for (name, index) in SPEC_PALLET_INDICES {
            if let Some(p) = md.pallet(name) {
                assert_eq!(p.index, index, "{file}: pallet {name} index");
            }
        }
        for name in ["System", "Balances", "SubtensorModule", "Utility"] {
            assert!(md.pallet(name).is_some(), "{file}: pallet {name} missing");
        }
        // Call indices are fixed by explicit call_index (2.3): every present kind has
        // the spec-425 numbering, and the table agrees with the by-name lookup.
        for &kind in &report.present {
            assert_eq!(
                report.table.get(kind),
                Some(CallTable::SPEC_425.indices(kind)),
                "{file}: indices of {kind:?}"
            );
            assert_eq!(
                md.call_indices(kind.pallet_name(), kind.call_name()),
                report.table.get(kind),
                "{file}: by-name indices of {kind:?}"
            );
        }
        for &kind in &report.missing {
            assert_eq!(report.table.get(kind), None, "{file}: {kind:?} is missing");
            assert!(!report.table.contains(kind), "{file}: {kind:?}");
        }
        // set_weights: index (7, 0) and our argument names and types.
        assert_eq!(
            report.table.get(CallKind::SetWeights),
            Some((7, 0)),
            "{file}"
        );
        assert!(
            !report
                .mismatches
                .iter()
                .any(|m| m.kind == CallKind::SetWeights),
            "{file}: set_weights argument names and types"
        );

        // The extension bytes are unchanged since spec 343: every extension added since
        // then is zero-sized (2.3).
        assert!(
            report.extensions.bytes_compatible,
            "{file}: extension bytes differ: {:?}",
            report.extensions
        );
        for (id, status) in &report.extensions.entries {
            assert!(
                !matches!(status, ExtensionStatus::UnknownWithBytes { .. }),
                "{file}: extension {id} adds unknown bytes"
            );
        }

        // calls.json: cross-checked calls were compared with the spec-343 metadata and
        // have the same index and arguments there (section 8); the others are new.
        if version.spec_version == 343 {
            assert_eq!(
                report.extensions.entries.len(),
                11,
                "{file}: spec 343 had 11 extensions"
            );
            assert_eq!(
                report.extensions.absent,
                ["SudoTransactionExtension", "CheckShieldedTxValidity"],
                "{file}: extensions missing from spec 343"
            );
            for name in ["MevShield", "AlphaAssets", "LimitOrders"] {
                assert!(
                    md.pallet(name).is_none(),
                    "{file}: {name} is newer than 343"
                );
            }
        }
        for (i, v) in call_vectors.iter().enumerate() {
            let case = format!("{file}: calls.json case {i} {}.{}", v["pallet"], v["call"]);
            let kind =
                CallKind::by_name(v["pallet"].as_str().unwrap(), v["call"].as_str().unwrap())
                    .unwrap();
            let crosschecked = v["crosschecked_with_scalecodec"].as_bool().unwrap();
            let expect_present = version.spec_version == pinned_spec
                || (version.spec_version == 343 && crosschecked);
            let expect_missing = version.spec_version == 343 && !crosschecked;
            if expect_present {
                assert_eq!(
                    report.table.get(kind),
                    Some((num(&v["pallet_index"]) as u8, num(&v["call_index"]) as u8)),
                    "{case}: indices"
                );
                // Section 8 compared the argument lists; what the cross-check covered
                // is the bytes, i.e. the types (names are printed above when they
                // differ).
                let mismatches: Vec<String> = report
                    .mismatches
                    .iter()
                    .filter(|m| m.kind == kind && m.type_differs)
                    .map(|m| m.to_string())
                    .collect();
                assert!(mismatches.is_empty(), "{case}: {mismatches:?}");
                assert!(report.is_usable(kind), "{case}");
                // The vector's bytes decode to the same typed call with the metadata's
                // table.
                let table = report.usable_table();
                let call_bytes = h(&v["hex"]);
                let call = Call::decode(&call_bytes, &table)
                    .unwrap_or_else(|e| panic!("{case}: decode with metadata table: {e}"));
                assert_eq!(call.kind(), Some(kind), "{case}");
            }
            if expect_missing {
                assert!(report.missing.contains(&kind), "{case}: should be missing");
            }
        }
    }
}

#[test]
fn metadata_errors_are_typed() {
    use taolite_codec::metadata::{Metadata, MetadataError};

    for path in metadata_files() {
        let file = path.display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let version = bytes[4];
        // Truncated anywhere: an error naming the problem, never a panic.
        let step = (bytes.len() / 97).max(1);
        for cut in (0..bytes.len()).step_by(step).chain([bytes.len() - 1]) {
            let err = Metadata::decode(&bytes[..cut]).expect_err(&format!("{file}: cut {cut}"));
            match cut {
                0..=4 => assert_eq!(err, MetadataError::Truncated, "{file}: cut {cut}"),
                _ => assert!(
                    matches!(err, MetadataError::Malformed { version: v, .. } if v == version),
                    "{file}: cut {cut}: {err:?}"
                ),
            }
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            Metadata::decode(&longer).unwrap_err(),
            MetadataError::TrailingBytes { count: 1 },
            "{file}"
        );
        let mut bad_magic = bytes.clone();
        bad_magic[0] = b'M';
        assert_eq!(
            Metadata::decode(&bad_magic).unwrap_err(),
            MetadataError::BadMagic(*b"Meta"),
            "{file}"
        );
        for other in [0u8, 8, 13, 16, 255] {
            let mut changed = bytes.clone();
            changed[4] = other;
            assert_eq!(
                Metadata::decode(&changed).unwrap_err(),
                MetadataError::UnsupportedVersion(other),
                "{file}: version {other}"
            );
        }
    }
}

mod metadata_mutations {
    use proptest::prelude::*;
    use taolite_codec::metadata::Metadata;

    fn original() -> Vec<u8> {
        std::fs::read(&super::metadata_files()[0]).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Random byte edits of a real metadata file: decoding and checking return
        /// results or typed errors, never panic, and stay within the heap budget.
        #[test]
        fn mutated_metadata_never_panics(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
        ) {
            let mut bytes = original();
            for (at, value, op) in edits {
                let i = at.index(bytes.len());
                match op {
                    0 => bytes[i] = value,
                    1 => { bytes.insert(i, value); }
                    _ => { bytes.remove(i); }
                }
            }
            if let Ok(md) = Metadata::decode(&bytes) {
                let report = md.check();
                prop_assert_eq!(report.present.len() + report.missing.len(), taolite_codec::CallKind::COUNT);
                let _ = md.runtime_version();
            }
        }
    }
}
