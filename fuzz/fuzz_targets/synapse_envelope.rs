//! The compact SCALE envelope decoder must never panic or over-allocate; an envelope that
//! decodes is the unique encoding of its headers: it re-encodes to exactly the input, and
//! its header list parses back to the same headers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_codec::synapse::{Envelope, SynapseHeaders};

fuzz_target!(|data: &[u8]| {
    let Ok(envelope) = Envelope::decode(data) else {
        return;
    };
    assert_eq!(envelope.encode(), data, "re-encoding differs");
    assert_eq!(envelope.encoded_len(), data.len());
    let mut short = vec![0u8; data.len().saturating_sub(1)];
    assert_eq!(
        envelope.encode_to_slice(&mut short).map_err(|e| e.needed),
        Err(data.len())
    );
    let list = envelope.headers.to_headers();
    assert_eq!(
        SynapseHeaders::from_headers(&list).as_ref(),
        Ok(&envelope.headers)
    );
});
