//! Property tests across the synapse modules: header lists and envelopes round-trip
//! losslessly, decoders never panic, an independent sr25519 implementation accepts
//! what we sign.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;

const KNOWN: &[&str] = &[
    "name",
    "timeout",
    "header_size",
    "total_size",
    "computed_body_hash",
    "bt_header_axon_status_code",
    "bt_header_axon_process_time",
    "bt_header_axon_ip",
    "bt_header_axon_port",
    "bt_header_axon_hotkey",
    "bt_header_dendrite_version",
    "bt_header_dendrite_nonce",
    "bt_header_dendrite_uuid",
    "bt_header_dendrite_hotkey",
    "bt_header_dendrite_signature",
    "bt_header_input_obj_messages",
    "bt_header_input_obj_seed",
    "bt_header_axon_future_field",
    "x-forwarded-for",
    "content-type",
];

/// Header values that hit the typed forms, their near misses, and arbitrary text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u64>().prop_map(|v| v.to_string()),
        any::<u64>().prop_map(|v| format!("0{v}")),
        any::<f64>().prop_map(|v| PyFloat(v).to_string()),
        any::<f64>().prop_map(|v| v.to_string()),
        any::<[u8; 16]>().prop_map(|b| Uuid(b).to_string()),
        any::<[u8; 16]>().prop_map(|b| Uuid(b).to_string().to_uppercase()),
        any::<[u8; 32]>()
            .prop_map(|b| taolite_core::AccountId32(b).to_ss58_bittensor().to_string()),
        any::<[u8; 32]>().prop_map(|b| BodyHash(b).to_string()),
        any::<[u8; 64]>().prop_map(|b| Signature(b).to_string()),
        ".{0,40}",
    ]
}

fn header_list() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        proptest::sample::select(KNOWN).prop_map(String::from),
        "[a-z_]{1,24}",
    ];
    proptest::collection::vec((name, value()), 0..24).prop_map(|pairs| {
        // Drop repeated names: a list with duplicates is (correctly) rejected.
        let mut seen = Vec::new();
        pairs
            .into_iter()
            .filter(|(k, _)| {
                let lower = k.to_ascii_lowercase();
                let fresh = !seen.contains(&lower);
                seen.push(lower);
                fresh
            })
            .collect()
    })
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

proptest! {
    #[test]
    fn header_lists_round_trip(pairs in header_list(), body in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64))) {
        let typed = SynapseHeaders::from_headers(&pairs).unwrap();
        let emitted = typed.to_headers();
        prop_assert_eq!(sorted(emitted.clone()), sorted(pairs));
        let envelope = Envelope { headers: typed, body };
        let bytes = envelope.encode();
        prop_assert_eq!(bytes.len(), envelope.encoded_len());
        let decoded = Envelope::decode(&bytes).unwrap();
        prop_assert_eq!(decoded.headers.to_headers(), emitted);
        prop_assert_eq!(&decoded.body, &envelope.body);
        prop_assert_eq!(decoded.encode(), bytes.clone());
        let mut small = alloc::vec![0u8; bytes.len().saturating_sub(1)];
        prop_assert_eq!(envelope.encode_to_slice(&mut small), Err(BufferTooSmall { needed: bytes.len() }));
    }

    #[test]
    fn envelope_decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(envelope) = Envelope::decode(&bytes) {
            // Whatever decodes is the unique encoding of its headers.
            prop_assert_eq!(envelope.encode(), bytes);
        }
    }

    #[test]
    fn mutated_envelopes_never_panic(index in 0usize..300, byte in any::<u8>(), cut in 0usize..300) {
        let mut bytes = taolite_core::hex::decode_vec(SAMPLE_ENVELOPE).unwrap();
        if let Some(b) = bytes.get_mut(index) {
            *b = byte;
        }
        bytes.truncate(bytes.len().saturating_sub(cut % 8));
        if let Ok(envelope) = Envelope::decode(&bytes) {
            prop_assert_eq!(envelope.encode(), bytes);
        }
    }

    #[test]
    fn json_reader_never_panics(text in ".{0,200}") {
        if let Ok(value) = parse_json(&text) {
            let mut out = String::new();
            let _ = value.write_py_str(&mut out);
        }
    }

    #[test]
    fn json_like_text_never_panics(text in r#"[\[\]{}",:0-9eE.+\-a-z\\ ]{0,80}"#) {
        let _ = parse_json(&text);
        let _ = body_hash_from_json(&text, &["a"]);
    }

    #[test]
    fn verify_never_panics(pairs in header_list(), now in any::<u64>(), last in proptest::option::of(any::<u64>())) {
        let own = taolite_core::AccountId32([7u8; 32]);
        if let Ok(request) = RequestHeaders::from_headers(&pairs) {
            for config in [VerifyConfig::SDK, VerifyConfig::STRICT] {
                let _ = verify_request(&request, &own, now, last, &config, &Sr25519);
            }
        }
    }
}

/// Vector 0's envelope without body (shared/vectors/synapse), as mutation seed.
const SAMPLE_ENVELOPE: &str = "0x01011444756d6d7901000000000000284000000001343139382e35312e3130302e3230016d7e000000018eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a4800000000012c3230332e302e3131332e37000142796202011315cd4a6cba3f4918015ecbd69c1cec11eeb0dce29ce36fec1a01d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d01d23ca783b53a44b4116b3923e89cbfa92bb57f602ee55efae695c914e4b3467931a2e414fc05bf671b7f384ac635a4e97ff365d576fb42509a4095bb2dbe1980042c64756d6d795f696e707574104d413d3d01410701252f014adc92a2d30b60490fd7b501c488fea6d9c10ee8525c0193e2757acd8d2d3b5f0000";

#[test]
fn sample_envelope_decodes() {
    let bytes = taolite_core::hex::decode_vec(SAMPLE_ENVELOPE).unwrap();
    let envelope = Envelope::decode(&bytes).unwrap();
    assert_eq!(envelope.encode(), bytes);
}

#[test]
fn duplicate_and_oversize_headers_are_typed_errors() {
    let dup = [("name", "A"), ("Name", "B")];
    assert_eq!(
        SynapseHeaders::from_headers(&dup),
        Err(HeaderError::Duplicate {
            name: "name".to_string()
        })
    );
    let long = "x".repeat(MAX_HEADER_VALUE_LEN + 1);
    let oversize = [("name", long.as_str())];
    assert!(matches!(
        SynapseHeaders::from_headers(&oversize),
        Err(HeaderError::TooLong { .. })
    ));
    let many: Vec<(String, String)> = (0..=MAX_HEADER_COUNT)
        .map(|i| (format!("h{i}"), String::new()))
        .collect();
    assert_eq!(
        SynapseHeaders::from_headers(&many),
        Err(HeaderError::TooMany {
            count: MAX_HEADER_COUNT + 1
        })
    );
    let dup_nonce = [
        ("bt_header_dendrite_nonce", "1"),
        ("BT_HEADER_DENDRITE_NONCE", "2"),
    ];
    assert_eq!(
        RequestHeaders::from_headers(&dup_nonce),
        Err(VerifyError::DuplicateHeader("bt_header_dendrite_nonce"))
    );
}

#[test]
fn non_canonical_envelopes_are_rejected() {
    let mut headers = SynapseHeaders::default();
    // An extra header that names a known field would re-encode as that field.
    headers.extra.push(("NAME".to_string(), "x".to_string()));
    let bytes = Envelope {
        headers,
        body: None,
    }
    .encode();
    assert_eq!(Envelope::decode(&bytes), Err(EnvelopeError::NotCanonical));
    // A raw timeout whose text is canonical must have been typed.
    let headers = SynapseHeaders {
        timeout: Field::Raw("12.0".to_string()),
        ..SynapseHeaders::default()
    };
    let bytes = Envelope {
        headers,
        body: None,
    }
    .encode();
    assert!(matches!(
        Envelope::decode(&bytes),
        Err(EnvelopeError::Decode(DecodeError::BadTag { .. }))
    ));
    // A typed NaN timeout has no canonical text.
    let headers = SynapseHeaders {
        timeout: Field::Typed(f64::NAN),
        ..SynapseHeaders::default()
    };
    let bytes = Envelope {
        headers,
        body: None,
    }
    .encode();
    assert!(Envelope::decode(&bytes).is_err());
}

/// Our signatures checked by schnorrkel directly, not through taolite-core.
#[test]
fn independent_sr25519_accepts_our_signatures() {
    use schnorrkel::{signing_context, PublicKey as SkPublic, Signature as SkSignature};
    let pair = taolite_core::keys::Keypair::from_suri("//Alice").unwrap();
    let bob = taolite_core::keys::Keypair::from_suri("//Bob").unwrap();
    let mut headers = SynapseHeaders::from_headers(&[
        ("name", "Dummy"),
        (
            "bt_header_axon_hotkey",
            bob.public().to_ss58(42).unwrap().as_str(),
        ),
        (
            "bt_header_dendrite_uuid",
            "5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a",
        ),
    ])
    .unwrap();
    let hash = body_hash_from_json(r#"{"x": 1}"#, &["x"]).unwrap();
    let signature = sign_dendrite(&mut headers, &pair, 1_750_000_000_123_456_789, hash).unwrap();
    let message = DendriteMessage {
        nonce: 1_750_000_000_123_456_789,
        dendrite_hotkey: pair.public().to_ss58(42).unwrap().as_str(),
        axon_hotkey: bob.public().to_ss58(42).unwrap().as_str(),
        uuid: "5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a",
        body_hash: &hash.to_string(),
    }
    .to_string();
    let public = SkPublic::from_bytes(&pair.public().to_bytes()).unwrap();
    let sk_sig = SkSignature::from_bytes(&signature.0).unwrap();
    assert!(public
        .verify(
            signing_context(b"substrate").bytes(message.as_bytes()),
            &sk_sig
        )
        .is_ok());
    assert!(public
        .verify(signing_context(b"substrate").bytes(b"other"), &sk_sig)
        .is_err());

    // And our verifier: accepts, then rejects a replay and a signature by another key.
    let pairs = headers.to_headers();
    let request = RequestHeaders::from_headers(&pairs).unwrap();
    let own = taolite_core::AccountId32(bob.public().to_bytes());
    let now = 1_750_000_001_000_000_000;
    let accepted =
        verify_request(&request, &own, now, None, &VerifyConfig::STRICT, &Sr25519).unwrap();
    assert_eq!(
        verify_request(
            &request,
            &own,
            now,
            Some(accepted.nonce),
            &VerifyConfig::STRICT,
            &Sr25519
        ),
        Err(VerifyError::NonceNotIncreasing {
            nonce: accepted.nonce,
            last: accepted.nonce
        })
    );
    let mut forged = headers.clone();
    sign_dendrite(&mut forged, &bob, 1_750_000_000_123_456_789, hash).unwrap();
    forged.dendrite.hotkey = headers.dendrite.hotkey.clone();
    let forged_pairs = forged.to_headers();
    let forged_request = RequestHeaders::from_headers(&forged_pairs).unwrap();
    assert_eq!(
        verify_request(
            &forged_request,
            &own,
            now,
            None,
            &VerifyConfig::SDK,
            &Sr25519
        ),
        Err(VerifyError::SignatureMismatch)
    );
}
