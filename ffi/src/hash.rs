//! Hashes: one-shot digests of a byte range into a fixed-size output.
//!
//! Written out one function per hash (not by a macro) so that cbindgen sees them.

use taolite_core::hash as h;

use crate::boundary::{guard, input, output_array};
use crate::status::TaoliteStatus;

/// Shared body: borrow the input, hash it, write the digest.
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold `N` writable bytes.
unsafe fn digest_into<const N: usize>(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
    hash: fn(&[u8]) -> [u8; N],
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: forwarded contract.
        let data = unsafe { input(data, data_len, "data") }?;
        // SAFETY: forwarded contract.
        unsafe { output_array(out, &hash(data), "out") }
    })
}

/// SHA-256.
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_sha256(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    // SAFETY: forwarded contract.
    unsafe { digest_into(data, data_len, out, h::sha256) }
}

/// Keccak-256 with the original Keccak padding (not SHA3-256).
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_keccak256(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    // SAFETY: forwarded contract.
    unsafe { digest_into(data, data_len, out, h::keccak256) }
}

/// Blake2b with a 16-byte output.
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold 16 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_blake2_128(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    // SAFETY: forwarded contract.
    unsafe { digest_into(data, data_len, out, h::blake2_128) }
}

/// Blake2b with a 32-byte output.
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_blake2_256(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    // SAFETY: forwarded contract.
    unsafe { digest_into(data, data_len, out, h::blake2_256) }
}

/// Blake2b with a 64-byte output.
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold 64 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_blake2_512(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    // SAFETY: forwarded contract.
    unsafe { digest_into(data, data_len, out, h::blake2_512) }
}

/// Substrate's twox_64 (xxHash64, seed 0, little-endian).
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold 8 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_twox_64(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    // SAFETY: forwarded contract.
    unsafe { digest_into(data, data_len, out, h::twox_64) }
}

/// Substrate's twox_128 (xxHash64 seeds 0 and 1).
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold 16 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_twox_128(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    // SAFETY: forwarded contract.
    unsafe { digest_into(data, data_len, out, h::twox_128) }
}

/// Substrate's twox_256 (xxHash64 seeds 0 to 3).
///
/// # Safety
/// `data` must hold `data_len` readable bytes (or be NULL with length 0); `out` must
/// hold 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_twox_256(
    data: *const u8,
    data_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    // SAFETY: forwarded contract.
    unsafe { digest_into(data, data_len, out, h::twox_256) }
}
