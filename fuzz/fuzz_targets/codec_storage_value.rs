//! Storage value decoding for every value type the epoch verifier reads must never panic;
//! what decodes re-encodes to exactly its input, and every item's absent default
//! encodes and decodes back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_codec::storage::{Absent, StorageValue, ITEMS};

fn encode(value: &StorageValue<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    value.encode_to(&mut out);
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let item = &ITEMS[usize::from(selector) % ITEMS.len()];
    match item.decode_value(Some(bytes)) {
        Ok(Some(value)) => {
            assert_eq!(
                encode(&value),
                bytes,
                "{}.{} re-encoding",
                item.pallet,
                item.name
            );
            assert_eq!(item.value.decode(&encode(&value)), Ok(value));
            // Rendering walks every element of variable-length values.
            let _ = format!("{value:?}");
        }
        Ok(None) => panic!(
            "{}.{}: present bytes decoded to nothing",
            item.pallet, item.name
        ),
        Err(_) => {}
    }
    if let Absent::Default(default) = item.absent {
        assert_eq!(item.decode_value(None), Ok(Some(default)));
        let again = encode(&default);
        assert_eq!(
            item.value.decode(&again),
            Ok(default),
            "{}.{} default",
            item.pallet,
            item.name
        );
    }
});
