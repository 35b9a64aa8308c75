//! Hex decoding must never panic and must agree with a straightforward reference:
//! optional `0x`/`0X`, an even number of ASCII hex digits of either case.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_core::hex;

fn reference(text: &str) -> Option<Vec<u8>> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text)
        .as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    digits
        .chunks(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let ours = hex::decode_vec(text).ok();
    assert_eq!(ours, reference(text), "decode_vec disagrees on {text:?}");
    if let Some(bytes) = &ours {
        let again = hex::encode_prefixed(bytes);
        assert_eq!(hex::decode_vec(&again).as_ref(), Ok(bytes));
        assert!(again.eq_ignore_ascii_case(&format!("0x{}", hex::strip_prefix(text))));
    }
    // The fixed-size forms agree with the vector form.
    let fixed = hex::decode_array::<32>(text).ok();
    assert_eq!(fixed.map(Vec::from), ours.clone().filter(|b| b.len() == 32));
    let mut buf = [0u8; 4];
    let small = hex::decode_to_slice(text, &mut buf)
        .ok()
        .map(|()| Vec::from(buf));
    assert_eq!(small, ours.filter(|b| b.len() == 4));
});
