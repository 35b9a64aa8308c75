//! The Synapse envelope: the request bittensor's dendrites send to axons.
//!
//! * Part A of the spec, bittensor's own format: [`SynapseHeaders`] converts to and from
//!   the HTTP header list of `Synapse.to_headers()`; [`body_hash_from_json`] computes
//!   `computed_body_hash` with CPython's `str()` rules ([`PyValue`], [`PyFloat`]);
//!   [`DendriteMessage`] / [`AxonMessage`] are the signed texts; [`sign_dendrite`],
//!   [`sign_axon`] and [`verify_request`] sign and check them.
//! * Part B, taolite's compact form: [`Envelope`] encodes the same headers (and
//!   optionally the body) in SCALE, losslessly and uniquely.
//!
//! Without `alloc` the message, signing, verification, float and body-hash-from-strings
//! pieces remain; the header set and envelope need `alloc`.

mod body_hash;
mod limits;
mod message;
mod py_float;
mod sign;
mod text_buf;
mod types;
mod verify;

#[cfg(feature = "alloc")]
mod envelope;
#[cfg(feature = "alloc")]
mod field;
#[cfg(feature = "alloc")]
mod headers;
#[cfg(feature = "alloc")]
mod json;
#[cfg(feature = "alloc")]
mod py_printable;
#[cfg(feature = "alloc")]
mod py_value;
#[cfg(feature = "alloc")]
mod scale;

pub use body_hash::{body_hash_from_field_digests, body_hash_from_py_strs, sha3_256, BodyHash};
pub use limits::{MAX_HEADER_COUNT, MAX_HEADER_VALUE_LEN, MAX_MESSAGE_LEN};
pub use message::{AxonMessage, DendriteMessage, MessageTooLong};
pub use py_float::{parse_canonical_py_float, write_py_float, PyFloat};
pub use sign::{sign_message, FnSigner, SignError, Signer};
pub use taolite_core::keys::Signature;
pub use types::Uuid;
pub use verify::{
    nonce_is_stale, verify_request, Accepted, RequestHeaders, SignatureVerifier, Sr25519,
    VerifyConfig, VerifyError, ALLOWED_DELTA_NS, DEFAULT_TIMEOUT_SECONDS, FRESHNESS_MIN_VERSION,
};

#[cfg(feature = "alloc")]
pub use body_hash::{body_hash_from_json, py_strs_from_json, BodyHashError};
#[cfg(feature = "alloc")]
pub use envelope::{Envelope, EnvelopeError, ENVELOPE_VERSION};
#[cfg(feature = "alloc")]
pub use field::{Field, FieldValue};
#[cfg(feature = "alloc")]
pub use headers::{
    HeaderError, SynapseHeaders, TerminalInfo, AXON_PREFIX, DENDRITE_PREFIX, INPUT_OBJ_PREFIX,
    TERMINAL_FIELDS,
};
#[cfg(feature = "alloc")]
pub use json::{parse_json, parse_json_unique_keys, JsonError, JsonErrorKind, MAX_INT_DIGITS};
#[cfg(feature = "alloc")]
pub use py_printable::UNICODE_VERSION;
#[cfg(feature = "alloc")]
pub use py_value::{write_str_repr, PyValue, MAX_DEPTH};
#[cfg(feature = "alloc")]
pub use scale::{BufferTooSmall, DecodeError};
#[cfg(feature = "alloc")]
pub use sign::{sign_axon, sign_dendrite};

#[cfg(all(test, feature = "std"))]
mod proptests;
