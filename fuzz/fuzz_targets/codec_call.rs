//! Call decoding (typed, and with the raw fallback) must never panic; a decoded call
//! re-encodes to exactly its input bytes (SCALE has one encoding per value and the decoder
//! rejects the rest), and renders for humans and as JSON without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_codec::call::{Call, CallTable};
use taolite_codec::json::call_json;

fn check(call: &Call<'_>, bytes: &[u8], table: &CallTable) {
    assert_eq!(call.to_vec(table), bytes, "re-encoding differs: {call:?}");
    assert_eq!(call.encoded_len(table), bytes.len());
    let mut small = [0u8; 8];
    match call.encode_into(table, &mut small) {
        Ok(len) => assert_eq!(&small[..len], bytes),
        Err(e) => assert_eq!(e.needed, bytes.len()),
    }
    let _ = call.display().to_string();
    let _ = call_json(call, table).expect("a decoded call renders as JSON");
    if let Some(kind) = call.kind() {
        assert_eq!(table.kind_of(bytes[0], bytes[1]), Some(kind));
    }
}

fuzz_target!(|data: &[u8]| {
    let table = CallTable::SPEC_425;
    let typed = Call::decode(data, &table);
    if let Ok(call) = &typed {
        check(call, data, &table);
    }
    match Call::decode_or_raw(data, &table) {
        Ok(call) => {
            check(&call, data, &table);
            if let Ok(typed) = typed {
                assert_eq!(call, typed, "raw fallback changed a typed call");
            }
        }
        Err(_) => assert!(typed.is_err()),
    }
});
