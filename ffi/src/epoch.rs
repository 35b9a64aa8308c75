//! The Yuma epoch over SCALE bytes: run it, verify a claimed result, and convert the
//! shared vectors' JSON to the SCALE form.
//!
//! Inputs and outputs cross the boundary as the SCALE encoding of `taolite_yuma`'s
//! `EpochInput` and `EpochOutput`, so a C caller needs no struct layout of its own.

use core::ffi::c_char;
use core::fmt::Write as _;

use parity_scale_codec::{DecodeAll, Encode};
use serde::Deserialize;
use serde_json::Value;
use taolite_yuma::{EpochInput, EpochOutput};

use crate::boundary::{guard, input, input_str, output_bytes, output_text, Failure};
use crate::status::TaoliteStatus;

fn decode_failed(what: &str, e: impl core::fmt::Display) -> Failure {
    Failure::new(TaoliteStatus::DecodeFailed, format!("{what}: {e}"))
}

/// Decodes exactly `bytes` (no trailing bytes) as `T`.
fn decode_scale<T: DecodeAll>(bytes: &[u8], what: &str) -> Result<T, Failure> {
    T::decode_all(&mut &*bytes).map_err(|e| decode_failed(what, e))
}

/// The member `key` of a case object, or the whole document when it has no such member.
fn case_member<'v>(document: &'v Value, key: &str) -> &'v Value {
    document.get(key).unwrap_or(document)
}

fn parse_json(text: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| decode_failed("json", e))
}

/// Runs the epoch on a SCALE-encoded `EpochInput` and writes the SCALE-encoded
/// `EpochOutput`.
///
/// Follows the buffer convention; a call with too small a buffer runs the epoch and
/// reports the needed length, so size the buffer generously when n is large. An input
/// that chain storage could never hold (a per-uid vector whose length is not n, broken
/// sparse-row offsets) returns `TAOLITE_STATUS_INVALID_ARGUMENT`; bytes that do not
/// decode return `TAOLITE_STATUS_DECODE_FAILED`.
///
/// # Safety
/// `input_scale` must hold `input_len` readable bytes; `out`/`out_len`/`out_written`
/// follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_epoch_run(
    input_scale: *const u8,
    input_len: usize,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let bytes = unsafe { input(input_scale, input_len, "input_scale") }?;
        if out_written.is_null() {
            return Err(Failure::new(
                TaoliteStatus::NullPointer,
                "out_written is NULL",
            ));
        }
        let epoch_input: EpochInput = decode_scale(bytes, "epoch input (SCALE)")?;
        let output = taolite_yuma::epoch(&epoch_input)
            .map_err(|e| Failure::new(TaoliteStatus::InvalidArgument, e.to_string()))?;
        // SAFETY: the caller's contract above.
        unsafe { output_bytes(&output.encode(), out, out_len, out_written) }
    })
}

/// Reruns the epoch on a SCALE-encoded `EpochInput` and compares every field of every uid
/// with a SCALE-encoded expected `EpochOutput`.
///
/// * `TAOLITE_STATUS_OK`: every value matches; nothing is written and `*out_written` is 0.
/// * `TAOLITE_STATUS_EPOCH_MISMATCH`: values differ; `out_report` receives a
///   NUL-terminated report, one difference per line (`uid 3 incentive: expected 5,
///   computed 6`).
/// * `TAOLITE_STATUS_BUFFER_TOO_SMALL`: values differ and the report needs
///   `*out_written` bytes (a match never needs a buffer).
/// * `TAOLITE_STATUS_INVALID_ARGUMENT`: the epoch refused the input (nothing compared).
///
/// # Safety
/// `input_scale` and `expected_scale` must hold their lengths in readable bytes;
/// `out_report`/`out_len`/`out_written` follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_epoch_verify(
    input_scale: *const u8,
    input_len: usize,
    expected_scale: *const u8,
    expected_len: usize,
    out_report: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let input_bytes = unsafe { input(input_scale, input_len, "input_scale") }?;
        // SAFETY: the caller's contract above.
        let expected_bytes = unsafe { input(expected_scale, expected_len, "expected_scale") }?;
        if out_written.is_null() {
            return Err(Failure::new(
                TaoliteStatus::NullPointer,
                "out_written is NULL",
            ));
        }
        let epoch_input: EpochInput = decode_scale(input_bytes, "epoch input (SCALE)")?;
        let expected: EpochOutput = decode_scale(expected_bytes, "expected output (SCALE)")?;
        let report = taolite_yuma::verify(&epoch_input, &expected);
        if let Some(e) = report.error {
            return Err(Failure::new(
                TaoliteStatus::InvalidArgument,
                format!("the epoch refused the input: {e}"),
            ));
        }
        let Some(first) = report.differences.first() else {
            // SAFETY: checked non-NULL; writable by the caller's contract.
            unsafe { *out_written = 0 };
            return Ok(());
        };
        let mut text = String::new();
        for difference in &report.differences {
            // Writing to a String cannot fail.
            let _ = writeln!(text, "{difference}");
        }
        // SAFETY: the caller's contract above.
        unsafe { output_text(&text, out_report, out_len, out_written) }?;
        Err(Failure::new(
            TaoliteStatus::EpochMismatch,
            format!(
                "{} values differ from the expected output; first: {first}",
                report.differences.len()
            ),
        ))
    })
}

/// Converts an epoch input from the shared vectors' JSON schema to SCALE.
///
/// `json` is either a whole case (`taolite.yuma.epoch-case.v1`, whose `input` member is
/// used) or an input object alone. Malformed JSON or a schema mismatch returns
/// `TAOLITE_STATUS_DECODE_FAILED` naming the field.
///
/// # Safety
/// `json` must hold `json_len` readable bytes; `out`/`out_len`/`out_written` follow the
/// buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_epoch_input_from_json(
    json: *const c_char,
    json_len: usize,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let text = unsafe { input_str(json, json_len, "json") }?;
        let document = parse_json(text)?;
        let epoch_input = EpochInput::deserialize(case_member(&document, "input"))
            .map_err(|e| decode_failed("epoch input (JSON)", e))?;
        // SAFETY: the caller's contract above.
        unsafe { output_bytes(&epoch_input.encode(), out, out_len, out_written) }
    })
}

/// Converts an epoch output from the shared vectors' JSON schema to SCALE.
///
/// `json` is either a whole case (whose `expected` member is used) or an output object
/// (`{"terms": [...]}`) alone.
///
/// # Safety
/// `json` must hold `json_len` readable bytes; `out`/`out_len`/`out_written` follow the
/// buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_epoch_output_from_json(
    json: *const c_char,
    json_len: usize,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let text = unsafe { input_str(json, json_len, "json") }?;
        let document = parse_json(text)?;
        let output = EpochOutput::deserialize(case_member(&document, "expected"))
            .map_err(|e| decode_failed("epoch output (JSON)", e))?;
        // SAFETY: the caller's contract above.
        unsafe { output_bytes(&output.encode(), out, out_len, out_written) }
    })
}

/// Converts a SCALE-encoded `EpochOutput` to the shared vectors' JSON schema
/// (`{"terms": [...]}`), as NUL-terminated text.
///
/// # Safety
/// `output_scale` must hold `output_len` readable bytes; `out`/`out_len`/`out_written`
/// follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_epoch_output_to_json(
    output_scale: *const u8,
    output_len: usize,
    out: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let bytes = unsafe { input(output_scale, output_len, "output_scale") }?;
        let output: EpochOutput = decode_scale(bytes, "epoch output (SCALE)")?;
        let text = serde_json::to_string(&output)
            .map_err(|e| Failure::new(TaoliteStatus::InvalidArgument, e.to_string()))?;
        // SAFETY: the caller's contract above.
        unsafe { output_text(&text, out, out_len, out_written) }
    })
}
