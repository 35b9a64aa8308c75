//! SS58 decoding must never panic, and whatever decodes must re-encode to the same text
//! (for the canonical prefix form).
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_core::ss58;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok((prefix, account)) = ss58::decode(text) {
        let again = ss58::encode(&account, prefix).expect("decoded prefix is encodable");
        assert_eq!(ss58::decode(again.as_str()), Ok((prefix, account)));
    }
});
