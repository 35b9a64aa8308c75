//! The boundary: panic capture, the per-thread last error, and caller-buffer output.

use core::ffi::c_char;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::status::TaoliteStatus;

thread_local! {
    /// The message of the last failing call on this thread.
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A failure inside an exported function: the status and the message for the caller.
pub(crate) struct Failure {
    pub(crate) status: TaoliteStatus,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: TaoliteStatus, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

pub(crate) type FfiResult = Result<(), Failure>;

fn set_last_error(message: &str) {
    LAST_ERROR.with(|cell| {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            slot.clear();
            slot.push_str(message);
        }
    });
}

/// Runs the body of an exported function: catches panics, records the error message,
/// and returns the status. Every exported function goes through here.
pub(crate) fn guard(body: impl FnOnce() -> FfiResult) -> TaoliteStatus {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => TaoliteStatus::Ok,
        Ok(Err(failure)) => {
            set_last_error(&failure.message);
            failure.status
        }
        Err(_) => {
            set_last_error("internal panic caught at the C boundary");
            TaoliteStatus::Panic
        }
    }
}

/// Borrows an input byte range. NULL is accepted only with a zero length.
///
/// # Safety
/// If `ptr` is not NULL it must point to `len` readable bytes that stay valid and
/// unmodified for the lifetime `'a`.
pub(crate) unsafe fn input<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(Failure::new(
            TaoliteStatus::NullPointer,
            format!("{what} is NULL with length {len}"),
        ));
    }
    if len > isize::MAX as usize {
        return Err(Failure::new(
            TaoliteStatus::InvalidArgument,
            format!("{what} length {len} is impossibly large"),
        ));
    }
    // SAFETY: non-NULL, length bounded by isize::MAX, validity guaranteed by the caller.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Borrows an input text range and checks it is UTF-8.
///
/// # Safety
/// As for [`input`].
pub(crate) unsafe fn input_str<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr.cast(), len, what) }?;
    core::str::from_utf8(bytes).map_err(|e| {
        Failure::new(
            TaoliteStatus::InvalidUtf8,
            format!("{what} is not UTF-8: {e}"),
        )
    })
}

/// Borrows a fixed-size input array.
///
/// # Safety
/// If `ptr` is not NULL it must point to `N` readable bytes.
pub(crate) unsafe fn input_array<'a, const N: usize>(
    ptr: *const u8,
    what: &str,
) -> Result<&'a [u8; N], Failure> {
    if ptr.is_null() {
        return Err(Failure::new(
            TaoliteStatus::NullPointer,
            format!("{what} is NULL"),
        ));
    }
    // SAFETY: non-NULL and, by the caller's contract, N readable bytes.
    Ok(unsafe { &*ptr.cast::<[u8; N]>() })
}

/// Writes a fixed-size output.
///
/// # Safety
/// If `out` is not NULL it must point to `N` writable bytes.
pub(crate) unsafe fn output_array<const N: usize>(
    out: *mut u8,
    value: &[u8; N],
    what: &str,
) -> FfiResult {
    if out.is_null() {
        return Err(Failure::new(
            TaoliteStatus::NullPointer,
            format!("{what} is NULL"),
        ));
    }
    // SAFETY: non-NULL and, by the caller's contract, N writable bytes; regions cannot
    // overlap a Rust-owned value.
    unsafe { core::ptr::copy_nonoverlapping(value.as_ptr(), out, N) };
    Ok(())
}

/// Writes a variable-length output following the buffer convention: too small a buffer
/// gets nothing written, the needed length stored, and `BufferTooSmall`.
///
/// # Safety
/// `out_written` must be NULL or writable; `out`, if not NULL, must have `out_len`
/// writable bytes.
pub(crate) unsafe fn output_bytes(
    value: &[u8],
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> FfiResult {
    if out_written.is_null() {
        return Err(Failure::new(
            TaoliteStatus::NullPointer,
            "out_written is NULL",
        ));
    }
    // SAFETY: checked non-NULL; writable by the caller's contract.
    unsafe { *out_written = value.len() };
    if value.len() > out_len {
        return Err(Failure::new(
            TaoliteStatus::BufferTooSmall,
            format!("output needs {} bytes, buffer has {out_len}", value.len()),
        ));
    }
    if value.is_empty() {
        return Ok(());
    }
    if out.is_null() {
        return Err(Failure::new(TaoliteStatus::NullPointer, "out is NULL"));
    }
    // SAFETY: out has out_len >= value.len() writable bytes.
    unsafe { core::ptr::copy_nonoverlapping(value.as_ptr(), out, value.len()) };
    Ok(())
}

/// Writes text as a NUL-terminated string, following the buffer convention (the
/// length counts the NUL).
///
/// # Safety
/// As for [`output_bytes`].
pub(crate) unsafe fn output_text(
    text: &str,
    out: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> FfiResult {
    let mut bytes = Vec::with_capacity(text.len().saturating_add(1));
    bytes.extend_from_slice(text.as_bytes());
    bytes.push(0);
    // SAFETY: forwarded contract.
    unsafe { output_bytes(&bytes, out.cast(), out_len, out_written) }
}

/// Copies the last error message of this thread into `out` as a NUL-terminated string.
///
/// Follows the buffer convention; an empty string means no call has failed on this
/// thread. Reading the message does not clear it.
///
/// # Safety
/// `out_written` must be writable; `out`, if not NULL, must have `out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_last_error(
    out: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    let message = LAST_ERROR.with(|cell| cell.try_borrow().map(|s| s.clone()).unwrap_or_default());
    match catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded contract.
        unsafe { output_text(&message, out, out_len, out_written) }
    })) {
        Ok(Ok(())) => TaoliteStatus::Ok,
        Ok(Err(failure)) => failure.status,
        Err(_) => TaoliteStatus::Panic,
    }
}
