//! Synapse HTTP headers: `SynapseHeaders::from_headers` and `RequestHeaders::from_headers`
//! must never panic; a header set that parses is lossless (its header list parses back to
//! the same set), encodes to the compact SCALE envelope and decodes back identically, and
//! the verifier gives a verdict on it without panicking.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use taolite_codec::synapse::{
    verify_request, Envelope, RequestHeaders, SynapseHeaders, VerifyConfig, AXON_PREFIX,
    DENDRITE_PREFIX, INPUT_OBJ_PREFIX, TERMINAL_FIELDS,
};
use taolite_core::AccountId32;

/// Header names the fuzzer should use often: every known name, in varied case.
fn name(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let mut name = match u.int_in_range(0..=5u8)? {
        0 => String::from(*u.choose(&[
            "name",
            "timeout",
            "header_size",
            "total_size",
            "computed_body_hash",
        ])?),
        1 => format!("{AXON_PREFIX}{}", u.choose(&TERMINAL_FIELDS)?),
        2 => format!("{DENDRITE_PREFIX}{}", u.choose(&TERMINAL_FIELDS)?),
        3 => format!("{INPUT_OBJ_PREFIX}{}", String::arbitrary(u)?),
        _ => String::arbitrary(u)?,
    };
    if u.ratio(1u8, 8)? {
        name.make_ascii_uppercase();
    }
    Ok(name)
}

/// Values close to canonical forms (numbers, hex, SS58, uuids) as well as anything.
fn value(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    Ok(match u.int_in_range(0..=6u8)? {
        0 => u64::arbitrary(u)?.to_string(),
        1 => f64::arbitrary(u)?.to_string(),
        2 => String::from("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"),
        3 => format!("0x{}", "ab".repeat(u.int_in_range(0..=64)?)),
        4 => String::from("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
        _ => String::arbitrary(u)?,
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(pairs) = (|| -> arbitrary::Result<Vec<(String, String)>> {
        let count = u.int_in_range(0..=40u8)?;
        (0..count)
            .map(|_| Ok((name(&mut u)?, value(&mut u)?)))
            .collect()
    })() else {
        return;
    };
    let now_ns: u64 = u.arbitrary().unwrap_or(0);

    if let Ok(request) = RequestHeaders::from_headers(&pairs) {
        let own = AccountId32([7; 32]);
        // No signature is checked for real here: the verifier below accepts nothing.
        let never = |_: &[u8; 32], _: &[u8], _: &taolite_core::keys::Signature| false;
        for config in [VerifyConfig::SDK, VerifyConfig::STRICT] {
            let _ = verify_request(&request, &own, now_ns, Some(now_ns / 2), &config, &never);
        }
    }

    let Ok(headers) = SynapseHeaders::from_headers(&pairs) else {
        return;
    };
    let list = headers.to_headers();
    assert_eq!(list.len(), pairs.len(), "header count changed");
    let again = SynapseHeaders::from_headers(&list).expect("our own header list parses");
    assert_eq!(again, headers, "header list round trip");
    // Every header value survives verbatim (names of known headers are lower-cased).
    for (name, value) in &pairs {
        let found = list
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && v == value);
        assert!(found, "header {name:?} lost its value");
    }
    let envelope = Envelope {
        headers,
        body: None,
    };
    let bytes = envelope.encode();
    assert_eq!(bytes.len(), envelope.encoded_len());
    assert_eq!(
        Envelope::decode(&bytes),
        Ok(envelope),
        "envelope round trip"
    );
});
