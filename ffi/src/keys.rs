//! sr25519 key pairs as opaque handles, signing and verification.

use core::ffi::c_char;

use taolite_core::keys::{KeyError, Keypair, MiniSecret, PublicKey, Signature, SignatureError};

use crate::boundary::{guard, input, input_array, input_str, output_array, output_text, Failure};
use crate::handle;
use crate::status::TaoliteStatus;

/// An sr25519 key pair. Opaque to C; its secret is zeroized when freed.
pub struct TaoliteKeypair {
    pub(crate) keypair: Keypair,
}

fn key_failure(e: KeyError) -> Failure {
    let status = match e {
        KeyError::Suri(_)
        | KeyError::HardJunctionOnPublicKey { .. }
        | KeyError::SoftJunctionUnsupported { .. } => TaoliteStatus::InvalidUri,
        KeyError::Mnemonic(_) => TaoliteStatus::InvalidMnemonic,
        KeyError::SeedHex(_) => TaoliteStatus::InvalidHex,
        KeyError::InvalidSecretKey | KeyError::InvalidPublicKey => TaoliteStatus::InvalidKey,
    };
    Failure::new(status, e.to_string())
}

fn signature_failure(e: SignatureError) -> Failure {
    let status = match e {
        SignatureError::Mismatch => TaoliteStatus::SignatureMismatch,
        _ => TaoliteStatus::InvalidSignature,
    };
    Failure::new(status, e.to_string())
}

/// Stores a new handle in `*out`; on error `*out` is left untouched.
///
/// # Safety
/// `out` must be NULL or writable.
unsafe fn emit(keypair: Keypair, out: *mut *mut TaoliteKeypair) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::new(TaoliteStatus::NullPointer, "out is NULL"));
    }
    // SAFETY: checked non-NULL; writable by the caller's contract.
    unsafe { *out = handle::create(TaoliteKeypair { keypair }) };
    Ok(())
}

/// Creates a key pair from a secret URI: a mnemonic, `0x` + 64 hex digits, or a dev
/// path such as `//Alice`, followed by `//hard` and `/soft` junctions and an optional
/// `///password`. Free it with `taolite_keypair_free`.
///
/// # Safety
/// `uri` must hold `uri_len` readable bytes; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn taolite_keypair_from_uri(
    uri: *const c_char,
    uri_len: usize,
    out: *mut *mut TaoliteKeypair,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let uri = unsafe { input_str(uri, uri_len, "uri") }?;
        let keypair = Keypair::from_suri(uri).map_err(key_failure)?;
        // SAFETY: the caller's contract above.
        unsafe { emit(keypair, out) }
    })
}

/// Creates a key pair from a BIP39 English mnemonic and a password (may be empty), as
/// Substrate derives it. Free it with `taolite_keypair_free`.
///
/// # Safety
/// `phrase` and `password` must hold their lengths in readable bytes; `out` writable.
#[no_mangle]
pub unsafe extern "C" fn taolite_keypair_from_mnemonic(
    phrase: *const c_char,
    phrase_len: usize,
    password: *const c_char,
    password_len: usize,
    out: *mut *mut TaoliteKeypair,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let phrase = unsafe { input_str(phrase, phrase_len, "phrase") }?;
        // SAFETY: the caller's contract above.
        let password = unsafe { input_str(password, password_len, "password") }?;
        let keypair = Keypair::from_phrase(phrase, password).map_err(key_failure)?;
        // SAFETY: the caller's contract above.
        unsafe { emit(keypair, out) }
    })
}

/// Creates a key pair from a 32-byte mini secret (seed). Free it with
/// `taolite_keypair_free`.
///
/// # Safety
/// `seed` must hold 32 readable bytes; `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn taolite_keypair_from_seed(
    seed: *const u8,
    out: *mut *mut TaoliteKeypair,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let seed = unsafe { input_array::<32>(seed, "seed") }?;
        let keypair = Keypair::from_mini_secret(&MiniSecret::from_bytes(*seed));
        // SAFETY: the caller's contract above.
        unsafe { emit(keypair, out) }
    })
}

/// Frees a key pair and zeroizes its secret. NULL is accepted; a second free of the same
/// handle returns `TAOLITE_STATUS_INVALID_HANDLE`.
///
/// # Safety
/// `keypair` must be NULL or a pointer this library returned.
#[no_mangle]
pub unsafe extern "C" fn taolite_keypair_free(keypair: *mut TaoliteKeypair) -> TaoliteStatus {
    // SAFETY: the caller's contract above.
    guard(|| unsafe { handle::release(keypair, "keypair") })
}

/// Writes the 32-byte public key (= the account id).
///
/// # Safety
/// `keypair` must be a live handle; `out` must hold 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_keypair_public_key(
    keypair: *const TaoliteKeypair,
    out: *mut u8,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let keypair = unsafe { handle::borrow(keypair, "keypair") }?;
        // SAFETY: the caller's contract above.
        unsafe { output_array(out, &keypair.keypair.public().to_bytes(), "out") }
    })
}

/// Writes the key's SS58 address with `prefix` (42 for Bittensor) as NUL-terminated text.
///
/// # Safety
/// `keypair` must be a live handle; `out`/`out_len`/`out_written` follow the buffer
/// convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_keypair_ss58(
    keypair: *const TaoliteKeypair,
    prefix: u16,
    out: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let keypair = unsafe { handle::borrow(keypair, "keypair") }?;
        let address = keypair
            .keypair
            .public()
            .to_ss58(prefix)
            .map_err(|e| Failure::new(TaoliteStatus::InvalidSs58, e.to_string()))?;
        // SAFETY: the caller's contract above.
        unsafe { output_text(address.as_str(), out, out_len, out_written) }
    })
}

/// Signs `message` with the `substrate` signing context, using OS randomness, and writes
/// the 64-byte signature.
///
/// # Safety
/// `keypair` must be a live handle; `message` must hold `message_len` readable bytes;
/// `out` must hold 64 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_keypair_sign(
    keypair: *const TaoliteKeypair,
    message: *const u8,
    message_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let keypair = unsafe { handle::borrow(keypair, "keypair") }?;
        // SAFETY: the caller's contract above.
        let message = unsafe { input(message, message_len, "message") }?;
        let signature = keypair.keypair.sign(message);
        // SAFETY: the caller's contract above.
        unsafe { output_array(out, &signature.to_bytes(), "out") }
    })
}

/// Verifies an sr25519 signature (context `substrate`). Returns `TAOLITE_STATUS_OK` when
/// it is valid, `TAOLITE_STATUS_SIGNATURE_MISMATCH` when it is well-formed but does not
/// match, `TAOLITE_STATUS_INVALID_SIGNATURE` or `TAOLITE_STATUS_INVALID_KEY` when
/// malformed.
///
/// # Safety
/// `public_key` must hold 32 readable bytes, `signature` 64, `message` `message_len`.
#[no_mangle]
pub unsafe extern "C" fn taolite_sr25519_verify(
    public_key: *const u8,
    message: *const u8,
    message_len: usize,
    signature: *const u8,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let public_key = unsafe { input_array::<32>(public_key, "public_key") }?;
        // SAFETY: the caller's contract above.
        let message = unsafe { input(message, message_len, "message") }?;
        // SAFETY: the caller's contract above.
        let signature = unsafe { input_array::<64>(signature, "signature") }?;
        let public_key = PublicKey::from_bytes(public_key).map_err(key_failure)?;
        public_key
            .verify(message, &Signature(*signature))
            .map_err(signature_failure)
    })
}
