//! The vectors' JSON schema (`EpochInput` and a whole `Case`) must never panic when parsed;
//! what parses serialises back to JSON that parses to the same value, and the epoch on a
//! parsed input never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_yuma::case::Case;
use taolite_yuma::EpochInput;

#[path = "common/yuma_checks.rs"]
mod yuma_checks;

fuzz_target!(|data: &[u8]| {
    let input = match serde_json::from_slice::<Case>(data) {
        Ok(case) => {
            let json = serde_json::to_vec(&case).expect("a parsed case serialises");
            let again: Case = serde_json::from_slice(&json).expect("serialised case parses");
            assert_eq!(again, case, "case JSON round trip");
            case.input
        }
        Err(_) => match serde_json::from_slice::<EpochInput>(data) {
            Ok(input) => input,
            Err(_) => return,
        },
    };
    let json = serde_json::to_vec(&input).expect("a parsed input serialises");
    let again: EpochInput = serde_json::from_slice(&json).expect("serialised input parses");
    assert_eq!(again, input, "input JSON round trip");
    // JSON rows are always a valid layout; only the per-uid lengths may be off.
    let n = usize::from(input.n);
    let shaped = [
        input.has_hotkey.len(),
        input.block_at_registration.len(),
        input.alpha_stake.len(),
        input.tao_stake.len(),
    ]
    .iter()
    .all(|&len| len == n);
    // Bound the work per input: n ≤ 4096 keeps one run in milliseconds.
    if n <= 4096 {
        yuma_checks::run_and_check(&input, shaped);
    }
});
