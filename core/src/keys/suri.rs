//! Secret URIs: `phrase ( "//" hard | "/" soft )* [ "///" password ]`, parsed the way
//! sp-core's `AddressUri` does (itself the replacement for sp-core's regular
//! expression `^([a-zA-Z0-9 ]+)?((//?[^/]+)*)(///(.*))?$`), without allocating.

use core::fmt;

use super::junction::DeriveJunction;

/// The Substrate development phrase; a secret URI with no phrase (e.g. `//Alice`)
/// means this phrase.
pub const DEV_PHRASE: &str =
    "bottom drive obey lake curtain smoke basket hold race lonely fit walk";

/// Most junctions a secret URI may have, so that following a path is bounded work.
pub const MAX_JUNCTIONS: usize = 64;

/// A parsed secret URI; it borrows the text it was parsed from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SecretUri<'a> {
    phrase: Option<&'a str>,
    path: &'a str,
    password: Option<&'a str>,
    junction_count: usize,
}

/// The root secret a secret URI names.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RootSecret<'a> {
    /// A BIP39 mnemonic (the words are checked later, when the key is made).
    Mnemonic(&'a str),
    /// `0x` followed by hex: a mini secret given directly (the text after `0x`).
    SeedHex(&'a str),
}

impl<'a> SecretUri<'a> {
    /// Splits a secret URI into phrase, junctions and password.
    ///
    /// The phrase may contain ASCII letters, digits and spaces; each junction is one
    /// or two `/` followed by at least one character other than `/`; `///` starts the
    /// password, which runs to the end and may not contain a line feed.
    pub fn parse(uri: &'a str) -> Result<Self, SuriError> {
        let phrase_len = uri
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == ' '))
            .unwrap_or(uri.len());
        let (phrase, mut rest) = uri.split_at(phrase_len);
        let mut path_len = 0usize;
        let mut junction_count = 0usize;
        let mut password = None;
        while !rest.is_empty() {
            let offset = uri.len().saturating_sub(rest.len());
            if let Some(pass) = rest.strip_prefix("///") {
                if let Some(index) = pass.find('\n') {
                    return Err(SuriError::LineFeedInPassword {
                        index: offset.saturating_add(3).saturating_add(index),
                    });
                }
                password = Some(pass);
                break;
            }
            let (hard, code) = match rest.strip_prefix("//") {
                Some(code) => (true, code),
                None => match rest.strip_prefix('/') {
                    Some(code) => (false, code),
                    None => {
                        let character = rest.chars().next().unwrap_or('\0');
                        return Err(SuriError::InvalidPhraseCharacter {
                            character,
                            index: offset,
                        });
                    }
                },
            };
            let code_len = code.find('/').unwrap_or(code.len());
            if code_len == 0 {
                return Err(SuriError::EmptyJunction {
                    index: offset,
                    hard,
                });
            }
            junction_count = junction_count.saturating_add(1);
            if junction_count > MAX_JUNCTIONS {
                return Err(SuriError::TooManyJunctions { max: MAX_JUNCTIONS });
            }
            rest = code.get(code_len..).unwrap_or("");
            path_len = uri
                .len()
                .saturating_sub(rest.len())
                .saturating_sub(phrase_len);
        }
        let path = uri
            .get(phrase_len..phrase_len.saturating_add(path_len))
            .unwrap_or("");
        Ok(Self {
            phrase: if phrase.is_empty() {
                None
            } else {
                Some(phrase)
            },
            path,
            password,
            junction_count,
        })
    }

    /// The phrase as written; `None` means the development phrase.
    pub fn phrase_as_written(&self) -> Option<&'a str> {
        self.phrase
    }

    /// The phrase, with an absent one replaced by [`DEV_PHRASE`].
    pub fn phrase(&self) -> &'a str {
        self.phrase.unwrap_or(DEV_PHRASE)
    }

    /// What the phrase names: a mnemonic, or (`0x…`) a mini secret in hex.
    pub fn root_secret(&self) -> RootSecret<'a> {
        let phrase = self.phrase();
        match phrase.strip_prefix("0x") {
            Some(hex) => RootSecret::SeedHex(hex),
            None => RootSecret::Mnemonic(phrase),
        }
    }

    /// The password after `///`, if any (`Some("")` for a trailing `///`).
    pub fn password(&self) -> Option<&'a str> {
        self.password
    }

    /// The derivation path text, e.g. `//Alice/stash`.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// How many junctions the path has (at most [`MAX_JUNCTIONS`]).
    pub fn junction_count(&self) -> usize {
        self.junction_count
    }

    /// The junctions in order, with their chain codes.
    pub fn junctions(&self) -> Junctions<'a> {
        Junctions { rest: self.path }
    }
}

impl fmt::Debug for SecretUri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The phrase, the password and even the path are secret material.
        write!(
            f,
            "SecretUri({} junctions, password: {})",
            self.junction_count,
            self.password.is_some()
        )
    }
}

/// Iterator over the junctions of a parsed path (no allocation).
#[derive(Clone)]
pub struct Junctions<'a> {
    rest: &'a str,
}

impl Iterator for Junctions<'_> {
    type Item = DeriveJunction;

    fn next(&mut self) -> Option<DeriveJunction> {
        let (hard, after) = match self.rest.strip_prefix("//") {
            Some(after) => (true, after),
            None => (false, self.rest.strip_prefix('/')?),
        };
        let end = after.find('/').unwrap_or(after.len());
        let (code, rest) = after.split_at(end);
        self.rest = rest;
        Some(if hard {
            DeriveJunction::hard(code)
        } else {
            DeriveJunction::soft(code)
        })
    }
}

/// Why a secret URI could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuriError {
    /// A character that may not appear in a phrase (only ASCII letters, digits and
    /// spaces may) or where a `/` should start a junction.
    InvalidPhraseCharacter {
        /// The character found.
        character: char,
        /// Its byte offset in the URI.
        index: usize,
    },
    /// `/` or `//` with nothing after it before the next `/` or the end.
    EmptyJunction {
        /// Byte offset of the junction's first `/`.
        index: usize,
        /// Whether it was a hard (`//`) junction.
        hard: bool,
    },
    /// More junctions than [`MAX_JUNCTIONS`].
    TooManyJunctions {
        /// The limit.
        max: usize,
    },
    /// The password contains a line feed, which sp-core does not accept.
    LineFeedInPassword {
        /// Byte offset of the line feed in the URI.
        index: usize,
    },
}

impl fmt::Display for SuriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidPhraseCharacter { character, index } => write!(
                f,
                "secret URI has {character:?} at byte {index}: a phrase holds only ASCII \
                 letters, digits and spaces, and a path starts with '/'"
            ),
            Self::EmptyJunction { index, hard } => write!(
                f,
                "secret URI has an empty {} junction at byte {index}",
                if *hard { "hard (//)" } else { "soft (/)" }
            ),
            Self::TooManyJunctions { max } => {
                write!(f, "secret URI has more than {max} junctions")
            }
            Self::LineFeedInPassword { index } => {
                write!(f, "secret URI password has a line feed at byte {index}")
            }
        }
    }
}

impl core::error::Error for SuriError {}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use proptest::prelude::*;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    fn parts(uri: &str) -> (Option<&str>, Vec<DeriveJunction>, Option<&str>) {
        let parsed = SecretUri::parse(uri).unwrap();
        (
            parsed.phrase_as_written(),
            parsed.junctions().collect(),
            parsed.password(),
        )
    }

    #[test]
    fn the_cases_sp_core_documents() {
        assert_eq!(parts("///"), (None, Vec::new(), Some("")));
        assert_eq!(parts("////////"), (None, Vec::new(), Some("/////")));
        assert_eq!(
            parts("sdasd///asda"),
            (Some("sdasd"), Vec::new(), Some("asda"))
        );
        assert_eq!(
            parts("sdasd/xx//a/b//c///pass"),
            (
                Some("sdasd"),
                Vec::from([
                    DeriveJunction::soft("xx"),
                    DeriveJunction::hard("a"),
                    DeriveJunction::soft("b"),
                    DeriveJunction::hard("c"),
                ]),
                Some("pass")
            )
        );
        assert_eq!(
            parts("sdasd/asd.a"),
            (
                Some("sdasd"),
                Vec::from([DeriveJunction::soft("asd.a")]),
                None
            )
        );
        assert_eq!(
            SecretUri::parse("sdasd//"),
            Err(SuriError::EmptyJunction {
                index: 5,
                hard: true
            })
        );
        assert_eq!(
            SecretUri::parse("sdasd/"),
            Err(SuriError::EmptyJunction {
                index: 5,
                hard: false
            })
        );
        assert_eq!(
            SecretUri::parse("sd.asd//asd.a"),
            Err(SuriError::InvalidPhraseCharacter {
                character: '.',
                index: 2
            })
        );
        assert_eq!(
            SecretUri::parse("///a\n"),
            Err(SuriError::LineFeedInPassword { index: 4 })
        );
    }

    #[test]
    fn dev_phrase_and_seed() {
        let alice = SecretUri::parse("//Alice").unwrap();
        assert_eq!(alice.phrase(), DEV_PHRASE);
        assert_eq!(alice.path(), "//Alice");
        let seed = SecretUri::parse("0xabcd//x").unwrap();
        assert!(seed.root_secret() == RootSecret::SeedHex("abcd"));
    }

    #[test]
    fn junction_limit() {
        let ok: String = "/a".repeat(MAX_JUNCTIONS);
        assert_eq!(
            SecretUri::parse(&ok).unwrap().junctions().count(),
            MAX_JUNCTIONS
        );
        let too_many = format!("{ok}/a");
        assert_eq!(
            SecretUri::parse(&too_many),
            Err(SuriError::TooManyJunctions { max: MAX_JUNCTIONS })
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_path_round_trips(uri in "[a-z0-9 /.\\n]{0,40}|\\PC{0,40}") {
            if let Ok(parsed) = SecretUri::parse(&uri) {
                let mut rebuilt = String::from(parsed.phrase_as_written().unwrap_or(""));
                rebuilt.push_str(parsed.path());
                if let Some(password) = parsed.password() {
                    rebuilt.push_str("///");
                    rebuilt.push_str(password);
                }
                prop_assert_eq!(&rebuilt, &uri);
                prop_assert_eq!(parsed.junctions().count(), parsed.junction_count());
            }
        }
    }
}
