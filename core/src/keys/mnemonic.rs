//! BIP39 English mnemonics to entropy (and back), with errors that say what is wrong.
//!
//! Substrate derives keys from the mnemonic's *entropy*, not from the BIP39 seed, so
//! the entropy is what this module hands on (see [`super::MiniSecret::from_entropy`]).

use core::fmt;

use bip39::{Language, Mnemonic};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Largest BIP39 entropy: 32 bytes for 24 words.
pub const MAX_ENTROPY_LEN: usize = 32;

/// Word counts BIP39 allows (16, 20, 24, 28 or 32 bytes of entropy).
const WORD_COUNTS: [usize; 5] = [12, 15, 18, 21, 24];

/// Longest piece of an unknown word kept for the error message.
const WORD_TEXT_MAX: usize = 24;

/// The entropy behind a mnemonic: 16 to 32 bytes, zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Entropy {
    bytes: [u8; MAX_ENTROPY_LEN],
    len: usize,
}

impl Entropy {
    /// Parses a BIP39 English mnemonic (words separated by any whitespace, lower case,
    /// as the word list spells them) and checks its checksum.
    pub fn from_phrase(phrase: &str) -> Result<Self, MnemonicError> {
        let found = phrase.split_whitespace().count();
        if !WORD_COUNTS.contains(&found) {
            return Err(MnemonicError::WordCount { found });
        }
        let mnemonic = Mnemonic::parse_in_normalized(Language::English, phrase).map_err(|e| {
            match e {
                bip39::Error::UnknownWord(index) => MnemonicError::UnknownWord {
                    position: index.saturating_add(1),
                    word: WordText::new(phrase.split_whitespace().nth(index).unwrap_or("")),
                },
                bip39::Error::InvalidChecksum => MnemonicError::BadChecksum,
                // The word count was checked above and only English is compiled in, so
                // the remaining variants cannot come from a parse; report the count.
                _ => MnemonicError::WordCount { found },
            }
        })?;
        let (mut array, len) = mnemonic.to_entropy_array();
        let entropy = Self::from_bytes(array.get(..len).unwrap_or(&[]));
        array.zeroize();
        entropy
    }

    /// Wraps raw entropy: 16, 20, 24, 28 or 32 bytes.
    pub fn from_bytes(entropy: &[u8]) -> Result<Self, MnemonicError> {
        let len = entropy.len();
        if !WORD_COUNTS.iter().any(|&words| entropy_len(words) == len) {
            return Err(MnemonicError::EntropyLength { found: len });
        }
        let mut bytes = [0u8; MAX_ENTROPY_LEN];
        bytes
            .get_mut(..len)
            .ok_or(MnemonicError::EntropyLength { found: len })?
            .copy_from_slice(entropy);
        Ok(Self { bytes, len })
    }

    /// The entropy bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// The mnemonic words for this entropy, in order (e.g. to show a new key's phrase).
    pub fn words(&self) -> impl Iterator<Item = &'static str> + '_ {
        let list = Language::English.word_list();
        let bits = self.len.saturating_mul(8);
        let checksum = crate::hash::sha256(self.as_bytes());
        let word_count = WORD_COUNTS
            .into_iter()
            .find(|&words| entropy_len(words) == self.len)
            .unwrap_or(0);
        (0..word_count).map(move |word| {
            let mut index = 0usize;
            for bit in word.saturating_mul(11)..word.saturating_mul(11).saturating_add(11) {
                let set = if bit < bits {
                    bit_at(&self.bytes, bit)
                } else {
                    bit_at(&checksum, bit.saturating_sub(bits))
                };
                index = (index << 1) | usize::from(set);
            }
            list.get(index).copied().unwrap_or("")
        })
    }
}

/// Entropy bytes for a word count: 4 bytes per 3 words.
fn entropy_len(words: usize) -> usize {
    (words / 3).saturating_mul(4)
}

/// Bit `index` of `bytes`, most significant bit first (BIP39's order).
fn bit_at(bytes: &[u8], index: usize) -> u8 {
    let byte = bytes.get(index / 8).copied().unwrap_or(0);
    (byte << (index % 8)) >> 7
}

impl PartialEq for Entropy {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Entropy {}

impl fmt::Debug for Entropy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Entropy({} bytes, hidden)", self.len)
    }
}

/// Why a mnemonic was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MnemonicError {
    /// Not 12, 15, 18, 21 or 24 words.
    WordCount {
        /// Words found.
        found: usize,
    },
    /// A word that is not in the BIP39 English list.
    UnknownWord {
        /// 1-based position of the word in the phrase.
        position: usize,
        /// The word as typed (cut at 24 bytes).
        word: WordText,
    },
    /// Every word is known but the BIP39 checksum does not match.
    BadChecksum,
    /// Raw entropy that is not 16, 20, 24, 28 or 32 bytes long.
    EntropyLength {
        /// Bytes given.
        found: usize,
    },
}

impl fmt::Display for MnemonicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WordCount { found } => write!(
                f,
                "mnemonic has {found} words; BIP39 needs 12, 15, 18, 21 or 24"
            ),
            Self::UnknownWord { position, word } => write!(
                f,
                "mnemonic word {position} ({word:?}) is not in the BIP39 English word list"
            ),
            Self::BadChecksum => f.write_str("mnemonic checksum does not match its words"),
            Self::EntropyLength { found } => write!(
                f,
                "entropy is {found} bytes; BIP39 needs 16, 20, 24, 28 or 32"
            ),
        }
    }
}

impl core::error::Error for MnemonicError {}

/// A short copy of an offending word, so errors can name it without allocating.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct WordText {
    bytes: [u8; WORD_TEXT_MAX],
    len: usize,
    truncated: bool,
}

impl WordText {
    fn new(word: &str) -> Self {
        let mut len = word.len().min(WORD_TEXT_MAX);
        while !word.is_char_boundary(len) {
            len = len.saturating_sub(1);
        }
        let mut bytes = [0u8; WORD_TEXT_MAX];
        if let (Some(dst), Some(src)) = (bytes.get_mut(..len), word.as_bytes().get(..len)) {
            dst.copy_from_slice(src);
        }
        Self {
            bytes,
            len,
            truncated: len < word.len(),
        }
    }

    /// The word (or its first 24 bytes).
    pub fn as_str(&self) -> &str {
        self.bytes
            .get(..self.len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Whether the word was longer than what is kept.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }
}

impl fmt::Debug for WordText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for WordText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use proptest::prelude::*;
    use std::string::{String, ToString};
    use std::vec::Vec;

    const DEV: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

    #[test]
    fn dev_phrase_entropy() {
        let entropy = Entropy::from_phrase(DEV).unwrap();
        assert_eq!(
            entropy.as_bytes(),
            crate::hex::decode_array::<16>("1a486a5fbe53639984cb64b070755f7b").unwrap()
        );
        assert!(entropy.words().eq(DEV.split(' ')));
    }

    #[test]
    fn names_the_unknown_word() {
        let err = Entropy::from_phrase(&DEV.replace("lake", "lakes")).unwrap_err();
        match err {
            MnemonicError::UnknownWord { position, word } => {
                assert_eq!(position, 4);
                assert_eq!(word.as_str(), "lakes");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().contains("\"lakes\""));
    }

    #[test]
    fn counts_and_checksum() {
        assert_eq!(
            Entropy::from_phrase("bottom drive obey"),
            Err(MnemonicError::WordCount { found: 3 })
        );
        assert_eq!(
            Entropy::from_phrase(&DEV.replace("walk", "wall")),
            Err(MnemonicError::BadChecksum)
        );
        assert_eq!(
            Entropy::from_phrase(""),
            Err(MnemonicError::WordCount { found: 0 })
        );
    }

    #[test]
    fn long_unknown_word_is_cut_on_a_char_boundary() {
        let word: String = "ü".repeat(20);
        let phrase = DEV.replacen("bottom", &word, 1);
        match Entropy::from_phrase(&phrase) {
            Err(MnemonicError::UnknownWord { word: text, .. }) => {
                assert!(text.is_truncated());
                assert_eq!(text.as_str(), "ü".repeat(12));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    proptest! {
        #[test]
        fn entropy_round_trips_through_words(
            words in prop::sample::select(WORD_COUNTS.to_vec()),
            seed in prop::collection::vec(any::<u8>(), 32),
        ) {
            let len = entropy_len(words);
            let entropy = Entropy::from_bytes(&seed[..len]).unwrap();
            let phrase: Vec<&str> = entropy.words().collect();
            prop_assert_eq!(phrase.len(), words);
            let phrase = phrase.join(" ");
            // The reference crate agrees on the words.
            let reference = Mnemonic::from_entropy_in(Language::English, &seed[..len]).unwrap();
            prop_assert_eq!(&phrase, &reference.to_string());
            prop_assert_eq!(Entropy::from_phrase(&phrase).unwrap(), entropy);
        }

        #[test]
        fn parse_never_panics(phrase in ".{0,300}") {
            let _ = Entropy::from_phrase(&phrase);
        }
    }
}
