//! Extrinsic decoding must never panic; a decoded extrinsic re-encodes to its input bytes
//! (the length prefix, version byte, signer, signature, extensions and call), and
//! signature verification on it returns a verdict without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{Compact, Encode, Output};
use taolite_codec::call::CallTable;
use taolite_codec::extensions::Implicit;
use taolite_codec::extrinsic::{bare_into, Extrinsic, UnknownCalls, BARE_V4, SIGNED_V4};
use taolite_codec::scale::Field;
use taolite_core::H256;

fn reencode(x: &Extrinsic<'_>, table: &CallTable) -> Vec<u8> {
    let mut body: Vec<u8> = Vec::new();
    match &x.signature {
        None => body.push_byte(BARE_V4),
        Some(part) => {
            body.push_byte(SIGNED_V4);
            part.address.encode_field(table, &mut body);
            part.signature.encode_to(&mut body);
            part.explicit.encode_to(&mut body);
        }
    }
    body.write(x.call_bytes);
    let mut out = Compact(body.len() as u32).encode();
    out.extend_from_slice(&body);
    out
}

fuzz_target!(|data: &[u8]| {
    let table = CallTable::SPEC_425;
    let strict = Extrinsic::decode(data, &table);
    let lenient = Extrinsic::decode_with(data, &table, UnknownCalls::Raw);
    if strict.is_ok() {
        assert_eq!(strict, lenient, "raw fallback changed a typed extrinsic");
    }
    let Ok(x) = lenient else {
        return;
    };
    assert_eq!(reencode(&x, &table), data, "re-encoding differs: {x:?}");
    assert_eq!(
        x.call.to_vec(&table),
        x.call_bytes,
        "call re-encoding differs"
    );
    if x.signature.is_none() {
        let mut buf = vec![0u8; data.len()];
        assert_eq!(bare_into(&x.call, &table, &mut buf), Ok(data.len()));
        assert_eq!(buf, data);
    }
    let implicit = Implicit {
        spec_version: 425,
        transaction_version: 1,
        genesis_hash: H256([1; 32]),
        birth_block_hash: H256([1; 32]),
        metadata_hash: data.first().filter(|b| *b & 1 == 1).map(|_| [2; 32]),
    };
    let _ = x.verify(&implicit);
});
