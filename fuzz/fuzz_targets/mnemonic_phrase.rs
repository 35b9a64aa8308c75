//! BIP39 phrase parsing must never panic. A phrase that parses must re-render (single
//! spaces) to words that parse to the same entropy; raw entropy of a valid length must
//! render to a phrase that parses back to it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taolite_core::keys::{Entropy, MnemonicError};

fn rendered(entropy: &Entropy) -> String {
    entropy.words().collect::<Vec<_>>().join(" ")
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the mode so one corpus serves both directions.
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        let Ok(phrase) = core::str::from_utf8(rest) else {
            return;
        };
        match Entropy::from_phrase(phrase) {
            Ok(entropy) => {
                let words = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(rendered(&entropy), words, "words do not re-render");
                assert_eq!(Entropy::from_phrase(&words), Ok(entropy));
            }
            Err(MnemonicError::UnknownWord { position, .. }) => {
                let count = phrase.split_whitespace().count();
                assert!(
                    position >= 1 && position <= count,
                    "position {position} of {count}"
                );
            }
            Err(_) => {}
        }
    } else {
        match Entropy::from_bytes(rest) {
            Ok(entropy) => {
                assert_eq!(entropy.as_bytes(), rest);
                let phrase = rendered(&entropy);
                assert_eq!(phrase.split(' ').count(), rest.len() * 3 / 4);
                assert_eq!(Entropy::from_phrase(&phrase), Ok(entropy));
            }
            Err(_) => assert!(![16, 20, 24, 28, 32].contains(&rest.len())),
        }
    }
});
