//! SS58 addresses.

use core::ffi::c_char;

use taolite_core::ss58;

use crate::boundary::{guard, input_array, input_str, output_array, output_text, Failure};
use crate::status::TaoliteStatus;

fn ss58_failure(e: ss58::Ss58Error) -> Failure {
    Failure::new(TaoliteStatus::InvalidSs58, e.to_string())
}

/// Encodes a 32-byte account id as an SS58 address with `prefix` (0..=16383; Bittensor
/// uses 42), written as NUL-terminated text.
///
/// # Safety
/// `account` must hold 32 readable bytes; `out`/`out_len`/`out_written` follow the
/// buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_ss58_encode(
    account: *const u8,
    prefix: u16,
    out: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let account = unsafe { input_array::<32>(account, "account") }?;
        let address = ss58::encode(account, prefix).map_err(ss58_failure)?;
        // SAFETY: the caller's contract above.
        unsafe { output_text(address.as_str(), out, out_len, out_written) }
    })
}

/// Decodes an SS58 address of any prefix into its prefix and 32-byte account id.
///
/// # Safety
/// `address` must hold `address_len` readable bytes; `out_prefix` must be writable;
/// `out_account` must hold 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_ss58_decode(
    address: *const c_char,
    address_len: usize,
    out_prefix: *mut u16,
    out_account: *mut u8,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let address = unsafe { input_str(address, address_len, "address") }?;
        if out_prefix.is_null() {
            return Err(Failure::new(
                TaoliteStatus::NullPointer,
                "out_prefix is NULL",
            ));
        }
        let (prefix, account) = ss58::decode(address).map_err(ss58_failure)?;
        // SAFETY: the caller's contract above.
        unsafe { output_array(out_account, &account, "out_account") }?;
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { *out_prefix = prefix };
        Ok(())
    })
}
