//! The synapse vectors (`$TAOLITE_VECTORS/synapse`) through taolite-codec's public API:
//! header form byte for byte, body hashes, signed messages, signatures both ways, every
//! `negative[]` outcome under the SDK-compatible and the strict verifier, and the
//! envelope bytes. Every file is walked; failures name the file and the case.

use std::path::Path;

use serde_json::Value;
use taolite_codec::synapse::{
    body_hash_from_json, parse_json, py_strs_from_json, sha3_256, sign_axon, sign_dendrite,
    verify_request, AxonMessage, BodyHash, DendriteMessage, Envelope, PyValue, RequestHeaders,
    Sr25519, SynapseHeaders, Uuid, VerifyConfig, VerifyError,
};
use taolite_core::hex::{decode_array, decode_vec};
use taolite_core::keys::{Keypair, PublicKey, Signature};
use taolite_core::AccountId32;
use taolite_tests::{json_files, read_json};

type Headers = Vec<(String, String)>;

/// Collects failures so one run reports every broken case.
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    checks: usize,
}

impl Report {
    fn check(&mut self, ok: bool, file: &str, case: &str, what: impl FnOnce() -> String) {
        self.checks += 1;
        if !ok {
            self.failures.push(format!("{file} [{case}]: {}", what()));
        }
    }

    fn eq<T: PartialEq + std::fmt::Debug>(
        &mut self,
        file: &str,
        case: &str,
        field: &str,
        got: T,
        want: T,
    ) {
        let ok = got == want;
        self.check(ok, file, case, || {
            format!("{field}: got {got:?}, expected {want:?}")
        });
    }
}

fn hex32(s: &str) -> [u8; 32] {
    decode_array(s).unwrap_or_else(|e| panic!("bad 32-byte hex {s}: {e}"))
}

fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("field {key} is not a string or number: {other}"),
    }
}

/// Header dicts in file order: serde_json's map is sorted, so the ordered lists come
/// from taolite's own order-preserving JSON reader.
fn ordered_dict(value: &PyValue) -> Headers {
    let PyValue::Dict(entries) = value else {
        panic!("headers are not an object")
    };
    entries
        .iter()
        .map(|(k, v)| match v {
            PyValue::Str(s) => (k.clone(), s.clone()),
            other => panic!("header {k} is not a string: {other:?}"),
        })
        .collect()
}

fn dict_get<'a>(value: &'a PyValue, key: &str) -> &'a PyValue {
    match value {
        PyValue::Dict(entries) => entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("missing key {key}")),
        _ => panic!("not an object where {key} was expected"),
    }
}

fn list_items(value: &PyValue) -> &[PyValue] {
    match value {
        PyValue::List(items) => items,
        _ => panic!("not a list"),
    }
}

fn header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn set_header(headers: &mut Headers, name: &str, value: String) {
    let slot = headers
        .iter_mut()
        .find(|(k, _)| k == name)
        .unwrap_or_else(|| panic!("no header {name} to mutate"));
    slot.1 = value;
}

fn sorted(mut headers: Headers) -> Headers {
    headers.sort();
    headers
}

/// Applies a `negative[]` mutation to a copy of the headers; returns the headers and
/// whether the case is a replay (verify twice, the second time with the first nonce stored).
fn mutate(headers: &Headers, mutation: &str) -> (Headers, bool) {
    let mut out = headers.clone();
    let replace_last_char = |s: &str| {
        let mut chars: Vec<char> = s.chars().collect();
        let last = chars.last_mut().expect("empty header");
        *last = if *last == '0' { '1' } else { '0' };
        chars.into_iter().collect::<String>()
    };
    match mutation {
        m if m.starts_with("computed_body_hash tampered") => {
            let hash = header(&out, "computed_body_hash")
                .expect("no body hash")
                .to_string();
            set_header(&mut out, "computed_body_hash", replace_last_char(&hash));
        }
        m if m.starts_with("dendrite nonce changed") => {
            let nonce: u64 = header(&out, "bt_header_dendrite_nonce")
                .unwrap()
                .parse()
                .unwrap();
            set_header(
                &mut out,
                "bt_header_dendrite_nonce",
                (nonce + 1).to_string(),
            );
        }
        m if m.starts_with("dendrite uuid changed") => {
            let uuid = header(&out, "bt_header_dendrite_uuid").unwrap().to_string();
            set_header(
                &mut out,
                "bt_header_dendrite_uuid",
                replace_last_char(&uuid),
            );
        }
        m if m.starts_with("signature bit flipped") => {
            let mut sig: [u8; 64] =
                decode_array(header(&out, "bt_header_dendrite_signature").unwrap()).unwrap();
            sig[0] ^= 1;
            set_header(
                &mut out,
                "bt_header_dendrite_signature",
                Signature(sig).to_string(),
            );
        }
        m if m.starts_with("signature header removed") => {
            out.retain(|(k, _)| k != "bt_header_dendrite_signature");
        }
        m if m.starts_with("replay of an accepted request") => return (out, true),
        m if m.starts_with("nonce too old")
            || m.starts_with("nonce fresh at the edge")
            || m.starts_with("nonce from the future") => {}
        other => panic!("unknown mutation {other:?}: teach this test what it means"),
    }
    (out, false)
}

/// What the SDK's error string says, as our error kind.
fn sdk_error_matches(error: &VerifyError, sdk: &str) -> bool {
    match error {
        VerifyError::SignatureMismatch => sdk == "Signature mismatch",
        VerifyError::NonceTooOld { .. } => sdk == error.to_string(),
        VerifyError::NonceNotIncreasing { .. } => {
            sdk == "Nonce is too old, a newer one was last processed"
        }
        _ => false,
    }
}

fn verify(
    headers: &Headers,
    own: &AccountId32,
    now: u64,
    last: Option<u64>,
    config: &VerifyConfig,
) -> Result<u64, VerifyError> {
    let request = RequestHeaders::from_headers(headers)?;
    verify_request(&request, own, now, last, config, &Sr25519).map(|a| a.nonce)
}

fn check_vector(report: &mut Report, file: &str, index: usize, v: &Value, ordered: &PyValue) {
    let case = format!(
        "vectors[{index}] {}",
        v["synapse_class"].as_str().unwrap_or("?")
    );
    let case = case.as_str();
    let headers = ordered_dict(dict_get(ordered, "headers"));
    let body = v["body_json"].as_str().expect("body_json");
    let fields: Vec<&str> = v["required_hash_fields"]
        .as_array()
        .expect("required_hash_fields")
        .iter()
        .map(|f| f.as_str().expect("field name"))
        .collect();

    // Header form: parse and re-emit byte-identically, in order.
    let typed = match SynapseHeaders::from_headers(&headers) {
        Ok(typed) => typed,
        Err(e) => return report.check(false, file, case, || format!("from_headers: {e}")),
    };
    report.eq(
        file,
        case,
        "to_headers",
        typed.to_headers(),
        headers.clone(),
    );

    // Body hash from the JSON body.
    match py_strs_from_json(body, &fields) {
        Ok(strs) => {
            let inputs = v["hash_inputs"].as_array().expect("hash_inputs");
            report.eq(file, case, "hash_inputs count", strs.len(), inputs.len());
            for (got, input) in strs.iter().zip(inputs) {
                let field = input["field"].as_str().unwrap_or("?");
                report.eq(
                    file,
                    case,
                    &format!("py_str of {field}"),
                    got.as_str(),
                    input["py_str"].as_str().unwrap(),
                );
                report.eq(
                    file,
                    case,
                    &format!("sha3 of {field}"),
                    BodyHash(sha3_256(got)),
                    BodyHash(hex32(input["sha3_256"].as_str().unwrap())),
                );
            }
        }
        Err(e) => report.check(false, file, case, || format!("py_strs_from_json: {e}")),
    }
    let want_hash = BodyHash(hex32(&text(v, "body_hash")));
    match body_hash_from_json(body, &fields) {
        Ok(hash) => report.eq(file, case, "body_hash", hash, want_hash),
        Err(e) => report.check(false, file, case, || format!("body_hash_from_json: {e}")),
    }
    report.eq(
        file,
        case,
        "computed_body_hash header",
        typed.computed_body_hash.typed().copied(),
        Some(want_hash),
    );

    // The signed message, rebuilt from the header strings.
    let nonce: u64 = header(&headers, "bt_header_dendrite_nonce")
        .unwrap()
        .parse()
        .unwrap();
    let message = DendriteMessage {
        nonce,
        dendrite_hotkey: header(&headers, "bt_header_dendrite_hotkey").unwrap(),
        axon_hotkey: header(&headers, "bt_header_axon_hotkey").unwrap(),
        uuid: header(&headers, "bt_header_dendrite_uuid").unwrap(),
        body_hash: header(&headers, "computed_body_hash").unwrap(),
    }
    .to_string();
    report.eq(
        file,
        case,
        "signed_message",
        message.as_str(),
        v["signed_message"].as_str().unwrap(),
    );

    // The vector's signature verifies with the vector's public key.
    let dendrite_public = hex32(&text(&v["dendrite"], "public_key"));
    let axon_public = hex32(&text(&v["axon"], "public_key"));
    let signature = Signature(decode_array(&text(v, "signature")).unwrap());
    let key = PublicKey::from_bytes(&dendrite_public).unwrap();
    report.check(
        key.verify(message.as_bytes(), &signature).is_ok(),
        file,
        case,
        || "vector signature does not verify".into(),
    );

    // default_verify's verdict at the vector's clock, SDK and strict.
    let own = AccountId32(axon_public);
    let now: u64 = text(v, "verify_now_ns").parse().unwrap();
    let expect_accept = v["verify_result"].as_str() == Some("accept");
    for (label, config) in [("sdk", VerifyConfig::SDK), ("strict", VerifyConfig::STRICT)] {
        let got = verify(&headers, &own, now, None, &config);
        report.check(got.is_ok() == expect_accept, file, case, || {
            format!("{label} verify: {got:?}")
        });
    }

    // Every negative case.
    for negative in v["negative"].as_array().expect("negative") {
        let mutation = negative["mutation"].as_str().expect("mutation");
        let neg_case = format!("{case} / {mutation}");
        let now: u64 = text(negative, "now_ns").parse().unwrap();
        let (mutated, replay) = mutate(&headers, mutation);
        let want_accept = negative["result"].as_str() == Some("accept");
        for (label, config) in [("sdk", VerifyConfig::SDK), ("strict", VerifyConfig::STRICT)] {
            let result = if replay {
                let first = verify(&mutated, &own, now, None, &config);
                let want_first = negative["first_result"].as_str() == Some("accept");
                report.check(first.is_ok() == want_first, file, &neg_case, || {
                    format!("{label} first: {first:?}")
                });
                verify(&mutated, &own, now, first.ok(), &config)
            } else {
                verify(&mutated, &own, now, None, &config)
            };
            let strict_differs = label == "strict"
                && (mutation.starts_with("signature header removed")
                    || mutation.starts_with("nonce from the future"));
            if strict_differs {
                let expected_error = if mutation.starts_with("signature header removed") {
                    matches!(
                        result,
                        Err(VerifyError::MissingHeader("bt_header_dendrite_signature"))
                    )
                } else {
                    matches!(result, Err(VerifyError::NonceFromFuture { .. }))
                };
                report.check(expected_error, file, &neg_case, || {
                    format!("strict should reject: {result:?}")
                });
                continue;
            }
            match (&result, want_accept) {
                (Ok(_), true) => report.check(true, file, &neg_case, String::new),
                (Err(e), false) => {
                    let sdk = negative["error"].as_str().unwrap_or("");
                    report.check(sdk_error_matches(e, sdk), file, &neg_case, || {
                        format!("{label}: error {e:?} ({e}) does not match SDK's {sdk:?}")
                    });
                }
                _ => report.check(false, file, &neg_case, || {
                    format!("{label}: got {result:?}, SDK says {}", negative["result"])
                }),
            }
        }
    }

    // Axon-side receipt signature.
    let axon_side = &v["axon_side"];
    let axon_nonce: u64 = text(axon_side, "axon_nonce").parse().unwrap();
    let axon_uuid = text(axon_side, "axon_uuid");
    let axon_message = AxonMessage {
        nonce: axon_nonce,
        dendrite_hotkey: header(&headers, "bt_header_dendrite_hotkey").unwrap(),
        axon_hotkey: header(&headers, "bt_header_axon_hotkey").unwrap(),
        uuid: &axon_uuid,
    }
    .to_string();
    report.eq(
        file,
        case,
        "axon message",
        axon_message.as_str(),
        axon_side["message"].as_str().unwrap(),
    );
    let axon_signature = Signature(decode_array(&text(axon_side, "signature")).unwrap());
    let axon_key = PublicKey::from_bytes(&axon_public).unwrap();
    report.check(
        axon_key
            .verify(axon_message.as_bytes(), &axon_signature)
            .is_ok(),
        file,
        case,
        || "axon signature does not verify".into(),
    );

    // Our own signatures, from the vector's key URIs.
    let dendrite_pair = Keypair::from_suri(&text(&v["dendrite"], "uri")).expect("dendrite uri");
    report.eq(
        file,
        case,
        "dendrite public key from uri",
        dendrite_pair.public().to_bytes(),
        dendrite_public,
    );
    let mut ours = typed.clone();
    match sign_dendrite(&mut ours, &dendrite_pair, nonce, want_hash) {
        Ok(sig) => {
            let mut ours_headers = ours.to_headers();
            report.check(
                key.verify(message.as_bytes(), &sig).is_ok(),
                file,
                case,
                || "our dendrite signature does not verify over the vector message".into(),
            );
            // Apart from the (randomized) signature, our headers equal the SDK's.
            set_header(
                &mut ours_headers,
                "bt_header_dendrite_signature",
                text(v, "signature"),
            );
            report.eq(
                file,
                case,
                "headers after sign_dendrite",
                ours_headers,
                headers.clone(),
            );
            let signed = ours.to_headers();
            for (label, config) in [("sdk", VerifyConfig::SDK), ("strict", VerifyConfig::STRICT)] {
                let got = verify(&signed, &own, now_for(v), None, &config);
                report.check(got == Ok(nonce), file, case, || {
                    format!("{label} verify of our signature: {got:?}")
                });
            }
        }
        Err(e) => report.check(false, file, case, || format!("sign_dendrite: {e}")),
    }
    let axon_pair = Keypair::from_suri(&text(&v["axon"], "uri")).expect("axon uri");
    let mut receipt = typed.clone();
    match sign_axon(
        &mut receipt,
        &axon_pair,
        axon_nonce,
        Uuid::parse_canonical(&axon_uuid).unwrap(),
    ) {
        Ok(sig) => {
            report.check(
                axon_key.verify(axon_message.as_bytes(), &sig).is_ok(),
                file,
                case,
                || "our axon signature does not verify".into(),
            );
            report.eq(
                file,
                case,
                "axon status code",
                receipt.axon.status_code.typed().copied(),
                axon_side["status_code"].as_u64(),
            );
        }
        Err(e) => report.check(false, file, case, || format!("sign_axon: {e}")),
    }

    // Envelope bytes, with and without body, and back.
    let with_body = Envelope {
        headers: typed.clone(),
        body: Some(body.as_bytes().to_vec()),
    };
    check_envelope(
        report,
        file,
        case,
        &with_body,
        &text(v, "envelope_hex"),
        &headers,
    );
    let no_body = Envelope {
        headers: typed,
        body: None,
    };
    check_envelope(
        report,
        file,
        case,
        &no_body,
        &text(v, "envelope_no_body_hex"),
        &headers,
    );
}

fn now_for(v: &Value) -> u64 {
    text(v, "verify_now_ns").parse().unwrap()
}

fn check_envelope(
    report: &mut Report,
    file: &str,
    case: &str,
    envelope: &Envelope,
    hex: &str,
    headers: &Headers,
) {
    let want = decode_vec(hex).expect("envelope hex");
    let got = envelope.encode();
    report.eq(
        file,
        case,
        "envelope bytes",
        taolite_core::hex::encode_prefixed(&got),
        taolite_core::hex::encode_prefixed(&want),
    );
    let mut buf = vec![0u8; want.len()];
    report.eq(
        file,
        case,
        "encode_to_slice",
        envelope
            .encode_to_slice(&mut buf)
            .map(|n| buf[..n].to_vec()),
        Ok(want.clone()),
    );
    match Envelope::decode(&want) {
        Ok(decoded) => {
            report.eq(
                file,
                case,
                "decoded headers",
                decoded.headers.to_headers(),
                headers.clone(),
            );
            report.eq(
                file,
                case,
                "decoded body",
                decoded.body.clone(),
                envelope.body.clone(),
            );
        }
        Err(e) => report.check(false, file, case, || format!("decode: {e}")),
    }
}

fn check_raw_case(report: &mut Report, file: &str, index: usize, v: &Value, ordered: &PyValue) {
    let case = format!(
        "envelope_raw_cases[{index}] {}",
        v["case"].as_str().unwrap_or("?")
    );
    let headers = ordered_dict(dict_get(ordered, "headers"));
    let typed = match SynapseHeaders::from_headers(&headers) {
        Ok(typed) => typed,
        Err(e) => return report.check(false, file, &case, || format!("from_headers: {e}")),
    };
    let envelope = Envelope {
        headers: typed,
        body: None,
    };
    let want = decode_vec(&text(v, "envelope_hex")).expect("envelope hex");
    report.eq(
        file,
        &case,
        "envelope bytes",
        taolite_core::hex::encode_prefixed(&envelope.encode()),
        taolite_core::hex::encode_prefixed(&want),
    );
    match Envelope::decode(&want) {
        Ok(decoded) => {
            // A dict: same keys and values; the order is to_headers()' order.
            let got = decoded.headers.to_headers();
            report.eq(
                file,
                &case,
                "decoded header set",
                sorted(got.clone()),
                sorted(headers.clone()),
            );
            report.eq(
                file,
                &case,
                "decoded order",
                got,
                envelope.headers.to_headers(),
            );
        }
        Err(e) => report.check(false, file, &case, || format!("decode: {e}")),
    }
}

fn check_py_str(report: &mut Report, file: &str, index: usize, v: &Value) -> bool {
    let case = format!(
        "py_str[{index}] {}",
        v["python_type"].as_str().unwrap_or("?")
    );
    let Some(json) = v["json"].as_str() else {
        // Values JSON cannot express (tuples) are covered by codec unit tests.
        assert_eq!(
            v["python_type"].as_str(),
            Some("tuple"),
            "{file} [{case}]: json is null"
        );
        return false;
    };
    let want = v["py_str"].as_str().expect("py_str");
    match parse_json(json) {
        Ok(value) => {
            let mut got = String::new();
            value.write_py_str(&mut got).expect("render");
            report.eq(file, &case, "py_str", got.as_str(), want);
            report.eq(
                file,
                &case,
                "sha3_256",
                BodyHash(sha3_256(&got)),
                BodyHash(hex32(v["sha3_256"].as_str().unwrap())),
            );
        }
        Err(e) => report.check(false, file, &case, || format!("parse_json: {e}")),
    }
    true
}

fn run_file(path: &Path, report: &mut Report) {
    let file = path.display().to_string();
    let json = read_json(path);
    let raw_text = std::fs::read_to_string(path).expect("read");
    let ordered =
        parse_json(&raw_text).unwrap_or_else(|e| panic!("{file}: taolite JSON reader: {e}"));
    let vectors = json["vectors"]
        .as_array()
        .unwrap_or_else(|| panic!("{file}: no vectors[]"));
    let ordered_vectors = list_items(dict_get(&ordered, "vectors"));
    assert!(!vectors.is_empty(), "{file}: vectors[] is empty");
    for (index, (v, o)) in vectors.iter().zip(ordered_vectors).enumerate() {
        check_vector(report, &file, index, v, o);
    }
    if let Some(raw_cases) = json["envelope_raw_cases"].as_array() {
        let ordered_raw = list_items(dict_get(&ordered, "envelope_raw_cases"));
        for (index, (v, o)) in raw_cases.iter().zip(ordered_raw).enumerate() {
            check_raw_case(report, &file, index, v, o);
        }
    }
    if let Some(cases) = json["py_str"].as_array() {
        let mut skipped = 0;
        for (index, v) in cases.iter().enumerate() {
            if !check_py_str(report, &file, index, v) {
                skipped += 1;
            }
        }
        if skipped > 0 {
            println!("{file}: {skipped} py_str tuple case(s) have no JSON form; covered by codec unit tests");
        }
    }
}

#[test]
fn synapse_vectors() {
    let mut report = Report::default();
    for path in json_files("synapse") {
        run_file(&path, &mut report);
    }
    assert!(report.checks > 0, "no checks ran");
    assert!(
        report.failures.is_empty(),
        "{} of {} synapse checks failed:\n{}",
        report.failures.len(),
        report.checks,
        report.failures.join("\n")
    );
    println!("{} synapse checks passed", report.checks);
}
