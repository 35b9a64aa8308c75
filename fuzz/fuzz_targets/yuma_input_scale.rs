//! `EpochInput` SCALE decoding (what the FFI accepts) must never panic or over-allocate;
//! what decodes re-encodes to the bytes consumed, and the epoch on it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{Decode, Encode};
use taolite_yuma::EpochInput;

#[path = "common/yuma_checks.rs"]
mod yuma_checks;

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    let Ok(input) = EpochInput::decode(&mut rest) else {
        return;
    };
    let consumed = &data[..data.len() - rest.len()];
    assert_eq!(
        input.encode(),
        consumed,
        "re-encoding differs from the bytes decoded"
    );
    let n = usize::from(input.n);
    let shaped = input.has_hotkey.len() == n
        && input.block_at_registration.len() == n
        && input.alpha_stake.len() == n
        && input.tao_stake.len() == n
        && input.weights.is_valid()
        && input.bonds.is_valid();
    yuma_checks::run_and_check(&input, shaped);
});
