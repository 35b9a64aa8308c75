//! bittensor Synapse requests: body hash, dendrite signing, axon verification.
//!
//! Headers cross the boundary as a JSON object of header name to string value, in the
//! order `Synapse.to_headers()` produces (order is kept both ways; a repeated name is
//! refused). The body is the exact JSON text the dendrite POSTs; the hashed fields are
//! a JSON array of field names in the Synapse class's order.

use core::ffi::c_char;

use taolite_codec::synapse::{
    body_hash_from_json, parse_json_unique_keys, sign_dendrite, verify_request, BodyHash, PyValue,
    RequestHeaders, Sr25519, SynapseHeaders, VerifyConfig, VerifyError,
};
use taolite_core::AccountId32;

use crate::boundary::{guard, input_str, output_array, output_text, Failure};
use crate::handle;
use crate::keys::TaoliteKeypair;
use crate::status::TaoliteStatus;

fn decode_failed(what: &str, e: impl core::fmt::Display) -> Failure {
    Failure::new(TaoliteStatus::DecodeFailed, format!("{what}: {e}"))
}

/// Parses the header JSON object (order kept, repeated names refused).
fn parse_headers(text: &str) -> Result<Vec<(String, String)>, Failure> {
    let PyValue::Dict(entries) =
        parse_json_unique_keys(text).map_err(|e| decode_failed("headers", e))?
    else {
        return Err(decode_failed("headers", "not a JSON object"));
    };
    entries
        .into_iter()
        .map(|(name, value)| match value {
            PyValue::Str(value) => Ok((name, value)),
            _ => Err(decode_failed(
                "headers",
                format!("header {name:?} is not a JSON string"),
            )),
        })
        .collect()
}

/// Header pairs as a JSON object, in order.
fn headers_json(pairs: &[(String, String)]) -> Result<String, Failure> {
    let quote = |text: &String| {
        serde_json::to_string(text)
            .map_err(|e| Failure::new(TaoliteStatus::InvalidArgument, e.to_string()))
    };
    let mut out = String::from("{");
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        out.push_str(&quote(name)?);
        out.push_str(": ");
        out.push_str(&quote(value)?);
    }
    out.push('}');
    Ok(out)
}

/// The body hash of `body` over `hash_fields` (a JSON array of names), or `None` when no
/// body is given.
fn body_hash(body: &str, hash_fields: &str) -> Result<Option<BodyHash>, Failure> {
    if body.is_empty() {
        if !hash_fields.is_empty() {
            return Err(Failure::new(
                TaoliteStatus::InvalidArgument,
                "hash_fields given without a body",
            ));
        }
        return Ok(None);
    }
    let fields: Vec<String> = if hash_fields.is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(hash_fields).map_err(|e| decode_failed("hash_fields", e))?
    };
    let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
    body_hash_from_json(body, &fields)
        .map(Some)
        .map_err(|e| decode_failed("body", e))
}

/// Writes `computed_body_hash` of a request body: SHA3-256 over the SHA3-256 hex digests
/// of CPython's `str()` of each hashed field, as bittensor computes it.
///
/// `body` is the JSON body; `hash_fields` a JSON array of the hashed field names in class
/// order (NULL or `[]` for none).
///
/// # Safety
/// `body` and `hash_fields` must hold their lengths in readable bytes; `out` 32 writable
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_synapse_body_hash(
    body: *const c_char,
    body_len: usize,
    hash_fields: *const c_char,
    hash_fields_len: usize,
    out: *mut u8,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let body = unsafe { input_str(body, body_len, "body") }?;
        // SAFETY: the caller's contract above.
        let fields = unsafe { input_str(hash_fields, hash_fields_len, "hash_fields") }?;
        let hash = match body_hash(body, fields)? {
            Some(hash) => hash,
            None => return Err(decode_failed("body", "empty")),
        };
        // SAFETY: the caller's contract above.
        unsafe { output_array(out, &hash.0, "out") }
    })
}

/// Signs a request as a dendrite with `keypair`: sets `bt_header_dendrite_nonce` (`nonce`,
/// Unix nanoseconds), `bt_header_dendrite_hotkey`, `computed_body_hash` and
/// `bt_header_dendrite_signature`, and writes the signed header JSON (order kept).
///
/// The headers need `bt_header_axon_hotkey` and `bt_header_dendrite_uuid`. With a `body`
/// the body hash is computed from it and `hash_fields`; without one (NULL, length 0) the
/// request's `computed_body_hash` header is signed as it is.
///
/// # Safety
/// `keypair` must be a live handle; the texts must hold their lengths in readable bytes;
/// `out`/`out_len`/`out_written` follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_synapse_sign(
    keypair: *const TaoliteKeypair,
    headers: *const c_char,
    headers_len: usize,
    body: *const c_char,
    body_len: usize,
    hash_fields: *const c_char,
    hash_fields_len: usize,
    nonce: u64,
    out: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let keypair = unsafe { handle::borrow(keypair, "keypair") }?;
        // SAFETY: the caller's contract above.
        let headers = unsafe { input_str(headers, headers_len, "headers") }?;
        // SAFETY: the caller's contract above.
        let body = unsafe { input_str(body, body_len, "body") }?;
        // SAFETY: the caller's contract above.
        let fields = unsafe { input_str(hash_fields, hash_fields_len, "hash_fields") }?;
        let pairs = parse_headers(headers)?;
        let mut parsed =
            SynapseHeaders::from_headers(&pairs).map_err(|e| decode_failed("headers", e))?;
        let hash = match body_hash(body, fields)? {
            Some(hash) => hash,
            None => *parsed.computed_body_hash.typed().ok_or_else(|| {
                Failure::new(
                    TaoliteStatus::InvalidArgument,
                    "give a body or a computed_body_hash header of 64 hex digits",
                )
            })?,
        };
        sign_dendrite(&mut parsed, &keypair.keypair, nonce, hash)
            .map_err(|e| Failure::new(TaoliteStatus::InvalidArgument, e.to_string()))?;
        let text = headers_json(&parsed.to_headers())?;
        // SAFETY: the caller's contract above.
        unsafe { output_text(&text, out, out_len, out_written) }
    })
}

/// Verifies a request as an axon does at time `now_ns` (Unix nanoseconds), given the
/// last nonce accepted from the same dendrite hotkey and uuid (`has_last_nonce` false
/// for a first request). `sdk_rules` true decides exactly as bittensor's
/// `Axon.default_verify` (which accepts unsigned requests and nonces from the future);
/// false applies taolite's strict rules. `axon_hotkey` is our SS58 hotkey; NULL with
/// length 0 takes the request's `bt_header_axon_hotkey`. With a `body`, its hash over
/// `hash_fields` must equal the request's `computed_body_hash`.
///
/// `TAOLITE_STATUS_OK` stores the accepted nonce in `*out_nonce` (if not NULL): keep it
/// as the endpoint's last nonce. `TAOLITE_STATUS_SIGNATURE_MISMATCH`,
/// `TAOLITE_STATUS_INVALID_SIGNATURE` (malformed signature header) or
/// `TAOLITE_STATUS_REQUEST_REJECTED` (any other check; the last error names it).
///
/// # Safety
/// The texts must hold their lengths in readable bytes; `out_nonce` must be NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn taolite_synapse_verify(
    headers: *const c_char,
    headers_len: usize,
    body: *const c_char,
    body_len: usize,
    hash_fields: *const c_char,
    hash_fields_len: usize,
    axon_hotkey: *const c_char,
    axon_hotkey_len: usize,
    now_ns: u64,
    last_nonce: u64,
    has_last_nonce: bool,
    sdk_rules: bool,
    out_nonce: *mut u64,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let headers = unsafe { input_str(headers, headers_len, "headers") }?;
        // SAFETY: the caller's contract above.
        let body = unsafe { input_str(body, body_len, "body") }?;
        // SAFETY: the caller's contract above.
        let fields = unsafe { input_str(hash_fields, hash_fields_len, "hash_fields") }?;
        // SAFETY: the caller's contract above.
        let own = unsafe { input_str(axon_hotkey, axon_hotkey_len, "axon_hotkey") }?;
        let pairs = parse_headers(headers)?;
        let request = RequestHeaders::from_headers(&pairs)
            .map_err(|e| Failure::new(TaoliteStatus::RequestRejected, e.to_string()))?;
        let own = match (own, request.axon_hotkey) {
            ("", Some(text)) => text,
            ("", None) => {
                return Err(Failure::new(
                    TaoliteStatus::InvalidArgument,
                    "give axon_hotkey or a bt_header_axon_hotkey header",
                ))
            }
            (text, _) => text,
        };
        let own = AccountId32::from_ss58(own)
            .map_err(|e| Failure::new(TaoliteStatus::InvalidSs58, e.to_string()))?;
        if let Some(hash) = body_hash(body, fields)? {
            let claimed = request.computed_body_hash.unwrap_or("");
            if claimed != hash.to_string() {
                return Err(Failure::new(
                    TaoliteStatus::RequestRejected,
                    format!("body hash {hash} does not match computed_body_hash {claimed:?}"),
                ));
            }
        }
        let config = if sdk_rules {
            VerifyConfig::SDK
        } else {
            VerifyConfig::STRICT
        };
        let last = has_last_nonce.then_some(last_nonce);
        let accepted =
            verify_request(&request, &own, now_ns, last, &config, &Sr25519).map_err(|e| {
                let status = match e {
                    VerifyError::SignatureMismatch => TaoliteStatus::SignatureMismatch,
                    VerifyError::InvalidSignatureEncoding(_) => TaoliteStatus::InvalidSignature,
                    _ => TaoliteStatus::RequestRejected,
                };
                Failure::new(status, format!("{e:?}: {e}"))
            })?;
        if !out_nonce.is_null() {
            // SAFETY: checked non-NULL; writable by the caller's contract.
            unsafe { *out_nonce = accepted.nonce };
        }
        Ok(())
    })
}
