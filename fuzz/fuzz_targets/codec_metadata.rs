//! Runtime metadata (V14/V15) from an untrusted node or file: decoding must never panic
//! nor allocate beyond its heap budget, and what a decoded runtime reports must be
//! consistent — every call kind is either present or missing, the table numbers exactly
//! the present kinds as `call_indices` finds them by name, and the usable table is the
//! table minus kinds whose argument types differ.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_codec::call::CallKind;
use taolite_codec::metadata::Metadata;

fuzz_target!(|data: &[u8]| {
    let Ok(metadata) = Metadata::decode(data) else {
        return;
    };
    let _ = metadata.runtime_version();
    let report = metadata.check();
    assert_eq!(
        report.present.len() + report.missing.len(),
        CallKind::COUNT,
        "every kind is present or missing"
    );
    for &kind in &report.present {
        assert_eq!(
            metadata.call_indices(kind.pallet_name(), kind.call_name()),
            report.table.get(kind),
            "{kind:?}: the table and the lookup by name disagree"
        );
    }
    for &kind in &report.missing {
        assert!(!report.table.contains(kind), "{kind:?} is missing but numbered");
    }
    let usable = report.usable_table();
    for &kind in CallKind::ALL {
        assert_eq!(usable.contains(kind), report.is_usable(kind), "{kind:?}");
    }
});
