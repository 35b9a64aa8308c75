//! The Synapse body's JSON loader and CPython `str()` rendering must never panic or
//! recurse without bound; whatever strict JSON serde_json accepts (not too deep, no
//! integers past Python's 4300-digit limit) the loader accepts too, and the body hash of
//! its top-level fields can be computed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_codec::synapse::{body_hash_from_json, parse_json, py_strs_from_json, PyValue};

fn depth(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let ours = parse_json(text);
    if let Ok(strict) = serde_json::from_str::<serde_json::Value>(text) {
        if depth(&strict) < 100 && longest_digit_run(text) <= 4300 {
            assert!(ours.is_ok(), "strict JSON refused: {:?}", ours.err());
        }
    }
    let Ok(value) = ours else {
        return;
    };
    let mut rendered = String::new();
    let _ = value.write_py_str(&mut rendered);
    if let PyValue::Dict(entries) = &value {
        let fields: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).take(8).collect();
        let strs = py_strs_from_json(text, &fields);
        let hash = body_hash_from_json(text, &fields);
        assert_eq!(strs.is_ok(), hash.is_ok(), "py_strs and body hash disagree");
    }
});
