//! The keys vectors (`$TAOLITE_VECTORS/keys`) through taolite-core's public API.
//!
//! Every file of the folder is walked; each known file has every case checked, and a
//! failure names the file and the case. An unknown file fails the test. What a file
//! holds that taolite does not implement (yet) is printed as NOT COVERED, never
//! passed silently.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use taolite_core::hex::{decode_array, decode_vec, encode_prefixed};
use taolite_core::keys::rand_core;
use taolite_core::keys::{
    chain_code, Ed25519Keypair, Ed25519PublicKey, Entropy, Keypair, MiniSecret, PublicKey,
    SecretUri, Signature, SignatureError,
};
use taolite_core::ss58;
use taolite_tests::{json_files, read_json};

/// Collects failures so one run reports every broken case, not just the first.
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    not_covered: Vec<String>,
    cases: usize,
}

impl Report {
    fn fail(&mut self, file: &str, case: &str, what: String) {
        self.failures.push(format!("{file} [{case}]: {what}"));
    }

    fn check_eq<T: PartialEq + std::fmt::Debug>(
        &mut self,
        file: &str,
        case: &str,
        field: &str,
        got: T,
        expected: T,
    ) {
        if got != expected {
            self.fail(
                file,
                case,
                format!("{field}: got {got:?}, expected {expected:?}"),
            );
        }
    }
}

fn str_field<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("vector field {field:?} is not a string in {value}"))
}

fn array<'a>(doc: &'a Value, field: &str) -> &'a Vec<Value> {
    doc[field]
        .as_array()
        .unwrap_or_else(|| panic!("vector file has no array {field:?}"))
}

fn hex32(value: &Value, field: &str) -> [u8; 32] {
    decode_array(str_field(value, field))
        .unwrap_or_else(|e| panic!("field {field:?} is not 32 bytes of hex: {e}"))
}

fn hex_bytes(value: &Value, field: &str) -> Vec<u8> {
    decode_vec(str_field(value, field)).unwrap_or_else(|e| panic!("field {field:?}: {e}"))
}

fn hex_lower(bytes: &[u8]) -> String {
    encode_prefixed(bytes)
}

/// A deterministic RNG for the soft-derivation nonces: the public key and the secret
/// scalar must not depend on it, which these tests also show.
struct CountingRng(u64);

impl rand_core::RngCore for CountingRng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.0
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for CountingRng {}

fn derivation_sr25519(file: &str, doc: &Value, report: &mut Report) {
    for (i, v) in array(doc, "vectors").iter().enumerate() {
        report.cases += 1;
        let suri = str_field(v, "suri");
        let case = format!("vectors[{i}] {suri:?}");
        let case = case.as_str();

        // The parts of the URI.
        match SecretUri::parse(suri) {
            Ok(parsed) => {
                report.check_eq(
                    file,
                    case,
                    "phrase",
                    parsed.phrase(),
                    str_field(v, "phrase"),
                );
                report.check_eq(file, case, "path", parsed.path(), str_field(v, "path"));
                report.check_eq(
                    file,
                    case,
                    "password",
                    parsed.password().unwrap_or(""),
                    str_field(v, "password"),
                );
                let junctions: Vec<_> = parsed.junctions().collect();
                let expected = array(v, "junctions");
                report.check_eq(
                    file,
                    case,
                    "junction count",
                    junctions.len(),
                    expected.len(),
                );
                for (j, (got, want)) in junctions.iter().zip(expected).enumerate() {
                    let hard = str_field(want, "kind") == "hard";
                    report.check_eq(
                        file,
                        case,
                        &format!("junctions[{j}].kind hard"),
                        got.is_hard(),
                        hard,
                    );
                    report.check_eq(
                        file,
                        case,
                        &format!("junctions[{j}].chain_code"),
                        hex_lower(got.chain_code()),
                        str_field(want, "chain_code").to_owned(),
                    );
                }
            }
            Err(e) => report.fail(file, case, format!("SecretUri::parse failed: {e}")),
        }

        // Entropy and the root mini secret.
        match Entropy::from_phrase(str_field(v, "phrase")) {
            Ok(entropy) => {
                report.check_eq(
                    file,
                    case,
                    "entropy",
                    hex_lower(entropy.as_bytes()),
                    str_field(v, "entropy").to_owned(),
                );
                let mini = MiniSecret::from_entropy(&entropy, str_field(v, "password"));
                report.check_eq(
                    file,
                    case,
                    "mini_secret",
                    hex_lower(mini.as_bytes()),
                    str_field(v, "mini_secret").to_owned(),
                );
            }
            Err(e) => report.fail(file, case, format!("mnemonic rejected: {e}")),
        }

        // The final key, twice with different nonce randomness.
        let pairs = (
            Keypair::from_suri_with_rng(suri, CountingRng(1)),
            Keypair::from_suri_with_rng(suri, CountingRng(2)),
        );
        let (pair, other) = match pairs {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                report.fail(file, case, format!("Keypair::from_suri failed: {e}"));
                continue;
            }
        };
        let public = pair.public().to_bytes();
        report.check_eq(
            file,
            case,
            "public_key",
            hex_lower(&public),
            str_field(v, "public_key").to_owned(),
        );
        report.check_eq(
            file,
            case,
            "public_key (other nonce rng)",
            other.public(),
            pair.public(),
        );
        let secret = pair.secret_key_bytes();
        report.check_eq(
            file,
            case,
            "secret_scalar",
            hex_lower(&secret[..32]),
            str_field(v, "secret_scalar").to_owned(),
        );
        match v["secret_key"].as_str() {
            Some(expected) => {
                report.check_eq(
                    file,
                    case,
                    "secret_key",
                    hex_lower(&secret[..]),
                    expected.to_owned(),
                );
                let again = Keypair::from_secret_key_bytes(&secret).map(|k| k.public().to_bytes());
                report.check_eq(file, case, "public from secret_key", again, Ok(public));
            }
            None => {
                // After a soft junction only the nonce half is random.
                report.check_eq(
                    file,
                    case,
                    "secret_scalar (other nonce rng)",
                    hex_lower(&other.secret_key_bytes()[..32]),
                    hex_lower(&secret[..32]),
                );
            }
        }

        let formats = v["ss58"]
            .as_object()
            .unwrap_or_else(|| panic!("{file} {case}: ss58 is not an object"));
        for (format, address) in formats {
            let prefix: u16 = format.parse().expect("ss58 format key is a number");
            let address = address.as_str().expect("ss58 address is a string");
            report.check_eq(
                file,
                case,
                &format!("ss58[{format}]"),
                pair.public().to_ss58(prefix).map(|a| a.as_str().to_owned()),
                Ok(address.to_owned()),
            );
            report.check_eq(
                file,
                case,
                &format!("ss58[{format}] decoded"),
                ss58::decode(address),
                Ok((prefix, public)),
            );
        }

        // Our signer's signatures verify (sr25519 signing is randomized: round trip).
        let message = format!("taolite signs {suri}");
        let signature = pair.sign_with_rng(message.as_bytes(), CountingRng(7));
        let verified =
            PublicKey::from_bytes(&public).map(|p| p.verify(message.as_bytes(), &signature));
        report.check_eq(file, case, "sign-then-verify", verified, Ok(Ok(())));
    }

    for (i, v) in array(doc, "password_normalization").iter().enumerate() {
        report.cases += 1;
        let case = format!("password_normalization[{i}]");
        let password = str_field(v, "password");
        report.check_eq(
            file,
            &case,
            "password_utf8",
            hex_lower(password.as_bytes()),
            str_field(v, "password_utf8").to_owned(),
        );
        let expected = match str_field(v, "library_result") {
            "raw" => str_field(v, "mini_secret_raw_password"),
            other => {
                report.fail(file, &case, format!("unknown library_result {other:?}"));
                continue;
            }
        };
        let got = MiniSecret::from_phrase(str_field(v, "phrase"), password)
            .map(|m| hex_lower(m.as_bytes()));
        report.check_eq(
            file,
            &case,
            "mini_secret",
            got.clone(),
            Ok(expected.to_owned()),
        );
        report.check_eq(
            file,
            &case,
            "differs from the NFKD result",
            got.as_deref() != Ok(str_field(v, "mini_secret_if_nfkd")),
            true,
        );
    }

    for (i, v) in array(doc, "soft_public_derivation").iter().enumerate() {
        report.cases += 1;
        let junction = str_field(v, "junction");
        let case = format!("soft_public_derivation[{i}] {junction:?}");
        let Some(code) = junction.strip_prefix('/').filter(|c| !c.starts_with('/')) else {
            report.fail(file, &case, "junction is not a soft junction".to_owned());
            continue;
        };
        let cc = chain_code(code);
        report.check_eq(
            file,
            &case,
            "chain_code",
            hex_lower(&cc),
            str_field(v, "chain_code").to_owned(),
        );
        let child = PublicKey::from_bytes(&hex32(v, "parent_public_key"))
            .map(|parent| parent.derive_soft(&cc).to_bytes());
        report.check_eq(
            file,
            &case,
            "child_public_key",
            child,
            Ok(hex32(v, "child_public_key")),
        );
    }
}

fn junctions(file: &str, doc: &Value, report: &mut Report) {
    for (i, v) in array(doc, "vectors").iter().enumerate() {
        report.cases += 1;
        let code = str_field(v, "code");
        let case = format!("vectors[{i}] {code:?}");
        let parses_as_u64 = code.parse::<u64>().is_ok();
        let expected_u64 = match str_field(v, "encoded_as") {
            "u64" => true,
            "str" => false,
            other => {
                report.fail(file, &case, format!("unknown encoded_as {other:?}"));
                continue;
            }
        };
        report.check_eq(file, &case, "encoded_as u64", parses_as_u64, expected_u64);
        let scale = hex_bytes(v, "scale_hex");
        let cc = chain_code(code);
        report.check_eq(
            file,
            &case,
            "chain_code",
            hex_lower(&cc),
            str_field(v, "chain_code").to_owned(),
        );
        // The chain code is the SCALE bytes padded, or their Blake2b-256 when longer.
        let from_scale = if scale.len() > 32 {
            taolite_core::hash::blake2_256(&scale)
        } else {
            let mut padded = [0u8; 32];
            padded[..scale.len()].copy_from_slice(&scale);
            padded
        };
        report.check_eq(file, &case, "chain_code from scale_hex", cc, from_scale);
    }
}

fn ss58_file(file: &str, doc: &Value, report: &mut Report) {
    for (i, v) in array(doc, "vectors").iter().enumerate() {
        report.cases += 1;
        let address = str_field(v, "address");
        let case = format!("vectors[{i}] {address:?}");
        let decoded = ss58::decode(address);
        if v["valid"].as_bool() == Some(true) {
            let prefix = v["format"].as_u64().expect("valid entries carry format") as u16;
            let public = hex32(v, "public_key");
            report.check_eq(file, &case, "decode", decoded, Ok((prefix, public)));
            report.check_eq(
                file,
                &case,
                "encode",
                ss58::encode(&public, prefix).map(|a| a.as_str().to_owned()),
                Ok(address.to_owned()),
            );
        } else if decoded.is_ok() {
            report.fail(
                file,
                &case,
                format!(
                    "accepted an invalid address ({}): {decoded:?}",
                    str_field(v, "reason")
                ),
            );
        }
    }
}

fn signatures_sr25519(file: &str, doc: &Value, report: &mut Report) {
    for (i, v) in array(doc, "vectors").iter().enumerate() {
        report.cases += 1;
        let case = format!("vectors[{i}] {}", str_field(v, "case"));
        let message = hex_bytes(v, "message");
        let valid = v["valid"].as_bool().expect("valid is a bool");
        let result = PublicKey::from_bytes(&hex32(v, "public_key")).map(|public| {
            Signature::from_hex(str_field(v, "signature"))
                .and_then(|signature| public.verify(&message, &signature))
        });
        match (valid, result) {
            (true, Ok(Ok(()))) | (false, Ok(Err(_))) | (false, Err(_)) => {}
            (true, other) => {
                report.fail(file, &case, format!("valid signature rejected: {other:?}"))
            }
            (false, Ok(Ok(()))) => {
                report.fail(file, &case, "invalid signature accepted".to_owned())
            }
        }
        // The rejection reason matches the case where the case names one.
        let expected_reason = match str_field(v, "case") {
            "schnorrkel marker bit (bit 7 of byte 63) cleared" | "all-zero signature" => {
                Some(SignatureError::MissingMarker)
            }
            "non-canonical s (s + l), marker set" => Some(SignatureError::NonCanonicalScalar),
            "message changed" | "wrong public key" => Some(SignatureError::Mismatch),
            _ => None,
        };
        if let Some(reason) = expected_reason {
            let got = PublicKey::from_bytes(&hex32(v, "public_key")).map(|p| {
                Signature::from_hex(str_field(v, "signature")).and_then(|s| p.verify(&message, &s))
            });
            report.check_eq(file, &case, "rejection reason", got, Ok(Err(reason)));
        }
        // The wrapper fallback never rescues an invalid plain signature here.
        let fallback = PublicKey::from_bytes(&hex32(v, "public_key")).map(|p| {
            Signature::from_hex(str_field(v, "signature"))
                .and_then(|s| p.verify_allowing_bytes_wrapper(&message, &s))
                .is_ok()
        });
        report.check_eq(
            file,
            &case,
            "verify with <Bytes> fallback",
            fallback,
            Ok(valid),
        );
    }

    for (i, v) in array(doc, "bytes_wrapped").iter().enumerate() {
        report.cases += 1;
        let case = format!("bytes_wrapped[{i}]");
        let message = hex_bytes(v, "message");
        let public = PublicKey::from_bytes(&hex32(v, "public_key")).expect("valid public key");
        let signature = Signature::from_hex(str_field(v, "signature")).expect("64-byte signature");
        report.check_eq(
            file,
            &case,
            "plain verify",
            public.verify(&message, &signature).is_ok(),
            v["valid_raw"].as_bool().expect("valid_raw is a bool"),
        );
        report.check_eq(
            file,
            &case,
            "verify with <Bytes> fallback",
            public
                .verify_allowing_bytes_wrapper(&message, &signature)
                .is_ok(),
            v["valid_with_bytes_wrapper_fallback"]
                .as_bool()
                .expect("bool"),
        );
    }

    // Sign-then-verify with our signer for every public key's message set is done in
    // derivation_sr25519 (one signature per derived key); here also each message.
    let alice = Keypair::from_suri_with_rng("//Alice", CountingRng(3)).expect("//Alice");
    for (i, v) in array(doc, "vectors").iter().enumerate() {
        let message = hex_bytes(v, "message");
        let signature = alice.sign_with_rng(&message, CountingRng(i as u64));
        report.check_eq(
            file,
            &format!("vectors[{i}] re-signed by //Alice"),
            "sign-then-verify",
            alice.public().verify(&message, &signature),
            Ok(()),
        );
    }
}

fn keyfile(file: &str, doc: &Value, report: &mut Report) {
    // Decryption (NaCl secretbox + Argon2i) is not implemented: say so, then check the
    // plaintext keyfile contents against keys derived from the source.
    report.not_covered.push(format!(
        "{file}: encrypted_hex, argon2i_key, password, nacl_salt (keyfile decryption is not implemented)"
    ));
    for (i, v) in array(doc, "vectors").iter().enumerate() {
        report.cases += 1;
        let source = str_field(v, "source");
        let case = format!("vectors[{i}] {}", str_field(v, "source_kind"));
        let pair = match Keypair::from_suri_with_rng(source, CountingRng(5)) {
            Ok(pair) => pair,
            Err(e) => {
                report.fail(file, &case, format!("source rejected: {e}"));
                continue;
            }
        };
        let public = hex_lower(&pair.public().to_bytes());
        let ss58 = pair.public().to_ss58(42).map(|a| a.as_str().to_owned());
        report.check_eq(
            file,
            &case,
            "public_key",
            public.clone(),
            str_field(v, "public_key").to_owned(),
        );
        report.check_eq(
            file,
            &case,
            "ss58",
            ss58.clone(),
            Ok(str_field(v, "ss58").to_owned()),
        );

        let plain: BTreeMap<String, Value> =
            serde_json::from_str(str_field(v, "keyfile_json")).expect("keyfile_json is JSON");
        let mut expected = BTreeMap::new();
        expected.insert("accountId".to_owned(), Value::from(public.clone()));
        expected.insert("publicKey".to_owned(), Value::from(public.clone()));
        expected.insert(
            "privateKey".to_owned(),
            Value::from(hex_lower(&pair.secret_key_bytes()[..])),
        );
        expected.insert(
            "ss58Address".to_owned(),
            Value::from(ss58.clone().unwrap_or_default()),
        );
        if str_field(v, "source_kind") == "mnemonic" {
            expected.insert("secretPhrase".to_owned(), Value::from(source));
            let seed = pair.mini_secret().map(|m| hex_lower(m.as_bytes()));
            expected.insert(
                "secretSeed".to_owned(),
                Value::from(seed.unwrap_or_default()),
            );
        }
        report.check_eq(file, &case, "keyfile_json", plain, expected);

        let public_only: BTreeMap<String, Value> =
            serde_json::from_str(str_field(v, "public_only_keyfile_json")).expect("JSON");
        let mut expected = BTreeMap::new();
        expected.insert("accountId".to_owned(), Value::from(public.clone()));
        expected.insert("publicKey".to_owned(), Value::from(public));
        expected.insert(
            "ss58Address".to_owned(),
            Value::from(ss58.unwrap_or_default()),
        );
        report.check_eq(
            file,
            &case,
            "public_only_keyfile_json",
            public_only,
            expected,
        );
    }
}

fn ed25519(file: &str, doc: &Value, report: &mut Report) {
    for (i, v) in array(doc, "vectors").iter().enumerate() {
        report.cases += 1;
        let suri = str_field(v, "suri");
        let case = format!("vectors[{i}] {suri:?}");
        let pair = match Ed25519Keypair::from_suri(suri) {
            Ok(pair) => pair,
            Err(e) => {
                report.fail(
                    file,
                    &case,
                    format!("Ed25519Keypair::from_suri failed: {e}"),
                );
                continue;
            }
        };
        report.check_eq(
            file,
            &case,
            "seed",
            hex_lower(pair.seed().as_bytes()),
            str_field(v, "seed").to_owned(),
        );
        let public = pair.public();
        report.check_eq(
            file,
            &case,
            "public_key",
            hex_lower(&public.to_bytes()),
            str_field(v, "public_key").to_owned(),
        );
        report.check_eq(
            file,
            &case,
            "ss58_42",
            public.to_ss58(42).map(|a| a.as_str().to_owned()),
            Ok(str_field(v, "ss58_42").to_owned()),
        );
        let message = hex_bytes(v, "message");
        let signature = pair.sign(&message);
        report.check_eq(
            file,
            &case,
            "signature",
            hex_lower(&signature.to_bytes()),
            str_field(v, "signature").to_owned(),
        );
        let expected = Signature::from_hex(str_field(v, "signature")).expect("64-byte signature");
        let verified = Ed25519PublicKey::from_bytes(&hex32(v, "public_key"))
            .map(|p| p.verify(&message, &expected));
        report.check_eq(file, &case, "verify", verified, Ok(Ok(())));
        let mut flipped = expected;
        flipped.0[0] ^= 1;
        report.check_eq(
            file,
            &case,
            "verify with a flipped bit",
            public.verify(&message, &flipped),
            Err(SignatureError::Mismatch),
        );
    }
}

#[test]
fn every_keys_vector() {
    let mut report = Report::default();
    for path in json_files("keys") {
        let file = file_name(&path);
        let doc = read_json(&path);
        match file.as_str() {
            "derivation_sr25519.json" => derivation_sr25519(&file, &doc, &mut report),
            "junctions.json" => junctions(&file, &doc, &mut report),
            "ss58.json" => ss58_file(&file, &doc, &mut report),
            "signatures_sr25519.json" => signatures_sr25519(&file, &doc, &mut report),
            "keyfile.json" => keyfile(&file, &doc, &mut report),
            "ed25519.json" => ed25519(&file, &doc, &mut report),
            _ => report.fail(
                &file,
                "-",
                "unknown vector file: no test knows it".to_owned(),
            ),
        }
    }
    println!("keys vectors: {} cases checked", report.cases);
    for gap in &report.not_covered {
        println!("NOT COVERED: {gap}");
    }
    assert!(
        report.failures.is_empty(),
        "{} keys vector failures:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
