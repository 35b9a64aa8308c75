//! Secret URI parsing must never panic; whatever parses must split losslessly back into
//! the text it came from, with a junction count that matches the iterator.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_core::keys::{RootSecret, SecretUri, MAX_JUNCTIONS};

fuzz_target!(|data: &[u8]| {
    let Ok(uri) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = SecretUri::parse(uri) else {
        return;
    };
    let mut rebuilt = String::from(parsed.phrase_as_written().unwrap_or(""));
    rebuilt.push_str(parsed.path());
    if let Some(password) = parsed.password() {
        rebuilt.push_str("///");
        rebuilt.push_str(password);
        assert!(
            !password.contains('\n'),
            "password with a line feed accepted"
        );
    }
    assert_eq!(rebuilt, uri, "parts do not rebuild the URI");
    assert!(parsed.junction_count() <= MAX_JUNCTIONS);
    assert_eq!(parsed.junctions().count(), parsed.junction_count());
    if let Some(phrase) = parsed.phrase_as_written() {
        assert!(phrase
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' '));
    }
    match parsed.root_secret() {
        RootSecret::SeedHex(hex) => {
            assert!(parsed.phrase().starts_with("0x") && parsed.phrase().ends_with(hex))
        }
        RootSecret::Mnemonic(phrase) => assert_eq!(phrase, parsed.phrase()),
    }
    // Parsing is a pure function of the text.
    assert!(SecretUri::parse(uri) == Ok(parsed));
});
