//! The axon's check of a request (spec A.5 step 3): signature, hotkeys, nonce freshness
//! and monotonicity. [`VerifyConfig::SDK`] reproduces bittensor's `default_verify`
//! decision for decision; [`VerifyConfig::STRICT`] closes its gaps (missing signature,
//! nonces from the future, requests addressed to another hotkey).
//!
//! Works on header strings and needs no allocator; the caller keeps the last accepted
//! nonce per endpoint key ([`RequestHeaders::endpoint_key`]).

use core::fmt;

use taolite_core::hex::HexError;
use taolite_core::keys::{PublicKey, Signature};
use taolite_core::ss58::{self, Ss58Error, BITTENSOR_PREFIX};
use taolite_core::AccountId32;

use super::limits::MAX_HEADER_VALUE_LEN;
use super::message::{render, render_wrapped, DendriteMessage};

/// Four seconds of clock skew allowed on top of the request's timeout (`ALLOWED_DELTA`).
pub const ALLOWED_DELTA_NS: u64 = 4_000_000_000;
/// Dendrites from SDK 7.2.0 on get the freshness window (`V_7_2_0`).
pub const FRESHNESS_MIN_VERSION: u64 = 7_002_000;
/// The Synapse model's default timeout, used when the header is missing.
pub const DEFAULT_TIMEOUT_SECONDS: f64 = 12.0;

/// Checks an sr25519 signature (`substrate` context) over message bytes.
pub trait SignatureVerifier {
    /// True when `signature` by `public_key` signs exactly `message`.
    fn verify(&self, public_key: &[u8; 32], message: &[u8], signature: &Signature) -> bool;
}

impl<F: Fn(&[u8; 32], &[u8], &Signature) -> bool> SignatureVerifier for F {
    fn verify(&self, public_key: &[u8; 32], message: &[u8], signature: &Signature) -> bool {
        self(public_key, message, signature)
    }
}

/// taolite-core's sr25519 verification.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sr25519;

impl SignatureVerifier for Sr25519 {
    fn verify(&self, public_key: &[u8; 32], message: &[u8], signature: &Signature) -> bool {
        PublicKey::from_bytes(public_key)
            .map(|key| key.verify(message, signature).is_ok())
            .unwrap_or(false)
    }
}

/// Which rules the verifier applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyConfig {
    /// Reject a request without `bt_header_dendrite_signature` (the SDK skips the check).
    pub require_signature: bool,
    /// Also accept a signature over `<Bytes>message</Bytes>` (bittensor-wallet does).
    pub accept_bytes_wrapper: bool,
    /// Require the nonce, version and timeout headers in canonical form and present uuid
    /// and body hash headers (the SDK parses leniently and signs `None` / `""`).
    pub require_canonical: bool,
    /// Require the dendrite hotkey in SS58 prefix 42.
    pub require_bittensor_prefix: bool,
    /// Require `bt_header_axon_hotkey` to name our hotkey (the SDK only uses its own key
    /// in the message, so a mismatch shows up as a signature mismatch).
    pub require_addressed_to_us: bool,
    /// Apply the freshness window to every version (the SDK skips it below 7.2.0).
    pub freshness_for_all_versions: bool,
    /// Reject nonces more than this many ns ahead of our clock (the SDK has no bound).
    pub max_future_ns: Option<u64>,
}

impl VerifyConfig {
    /// bittensor SDK 10.2.0 `Axon.default_verify`, quirks included.
    pub const SDK: Self = Self {
        require_signature: false,
        accept_bytes_wrapper: true,
        require_canonical: false,
        require_bittensor_prefix: false,
        require_addressed_to_us: false,
        freshness_for_all_versions: false,
        max_future_ns: None,
    };

    /// taolite's default: every request signed, canonical, addressed to us and fresh.
    pub const STRICT: Self = Self {
        require_signature: true,
        accept_bytes_wrapper: false,
        require_canonical: true,
        require_bittensor_prefix: true,
        require_addressed_to_us: true,
        freshness_for_all_versions: true,
        max_future_ns: Some(ALLOWED_DELTA_NS),
    };
}

impl Default for VerifyConfig {
    fn default() -> Self {
        Self::STRICT
    }
}

/// Why a request was rejected; the variant names the check that failed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VerifyError {
    /// A header this check reads appears twice.
    DuplicateHeader(&'static str),
    /// A header value is longer than the header limit.
    HeaderTooLong(&'static str),
    /// A header this configuration needs is missing.
    MissingHeader(&'static str),
    /// The dendrite hotkey is not an SS58 address.
    InvalidHotkey(Ss58Error),
    /// The nonce is not an integer in 0..2^64 (or, strict, not in canonical form).
    InvalidNonce,
    /// The version header is not an integer.
    InvalidVersion,
    /// The timeout header is not a float.
    InvalidTimeout,
    /// The request names another axon hotkey than ours.
    WrongAxon,
    /// A first request from this endpoint whose nonce is older than now − 4 s − timeout.
    NonceTooOld {
        /// The request's nonce.
        nonce: u64,
        /// Our clock.
        now_ns: u64,
        /// 4 s plus the timeout, in seconds, as the SDK reports it.
        allowed_delta_seconds: f64,
    },
    /// A nonce further in the future than the configuration allows.
    NonceFromFuture {
        /// The request's nonce.
        nonce: u64,
        /// Our clock.
        now_ns: u64,
    },
    /// A nonce not above the last one accepted from this endpoint (a replay).
    NonceNotIncreasing {
        /// The request's nonce.
        nonce: u64,
        /// The last nonce accepted.
        last: u64,
    },
    /// The signature header is not 64 bytes of hex.
    InvalidSignatureEncoding(HexError),
    /// The signature does not sign this message with this hotkey.
    SignatureMismatch,
    /// The signing message would exceed the message limit.
    MessageTooLong,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateHeader(name) => write!(f, "header {name:?} appears more than once"),
            Self::HeaderTooLong(name) => write!(f, "header {name:?} is too long"),
            Self::MissingHeader(name) => write!(f, "header {name:?} is missing"),
            Self::InvalidHotkey(e) => write!(f, "dendrite hotkey is not an SS58 address: {e}"),
            Self::InvalidNonce => f.write_str("dendrite nonce is not a valid integer"),
            Self::InvalidVersion => f.write_str("dendrite version is not a valid integer"),
            Self::InvalidTimeout => f.write_str("timeout is not a valid float"),
            Self::WrongAxon => f.write_str("request is addressed to another axon hotkey"),
            Self::NonceTooOld {
                nonce,
                now_ns,
                allowed_delta_seconds,
            } => {
                let age = i128::from(*now_ns).saturating_sub(i128::from(*nonce)) as f64 / 1e9;
                write!(
                    f,
                    "Nonce is too old: acceptable delta is {allowed_delta_seconds:.2} seconds \
                     but request was {age:.2} seconds old"
                )
            }
            Self::NonceFromFuture { nonce, now_ns } => {
                write!(f, "nonce {nonce} is too far ahead of the clock ({now_ns})")
            }
            Self::NonceNotIncreasing { nonce, last } => write!(
                f,
                "Nonce is too old, a newer one was last processed ({nonce} <= {last})"
            ),
            Self::InvalidSignatureEncoding(e) => write!(f, "signature header: {e}"),
            Self::SignatureMismatch => f.write_str("Signature mismatch"),
            Self::MessageTooLong => f.write_str("signing message too long"),
        }
    }
}

impl core::error::Error for VerifyError {}

/// The headers `default_verify` reads, borrowed from the request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestHeaders<'a> {
    /// `timeout`.
    pub timeout: Option<&'a str>,
    /// `bt_header_dendrite_version`.
    pub dendrite_version: Option<&'a str>,
    /// `bt_header_dendrite_nonce`.
    pub dendrite_nonce: Option<&'a str>,
    /// `bt_header_dendrite_hotkey`.
    pub dendrite_hotkey: Option<&'a str>,
    /// `bt_header_dendrite_uuid`.
    pub dendrite_uuid: Option<&'a str>,
    /// `bt_header_dendrite_signature`.
    pub dendrite_signature: Option<&'a str>,
    /// `computed_body_hash`.
    pub computed_body_hash: Option<&'a str>,
    /// `bt_header_axon_hotkey`.
    pub axon_hotkey: Option<&'a str>,
}

impl<'a> RequestHeaders<'a> {
    /// Picks the verified headers out of a header list (names case-insensitive).
    pub fn from_headers<K: AsRef<str>, V: AsRef<str>>(
        pairs: &'a [(K, V)],
    ) -> Result<Self, VerifyError> {
        let mut out = Self::default();
        for (name, value) in pairs {
            let (name, value) = (name.as_ref(), value.as_ref());
            let slot = match () {
                () if name.eq_ignore_ascii_case("timeout") => Some(("timeout", &mut out.timeout)),
                () if name.eq_ignore_ascii_case("bt_header_dendrite_version") => {
                    Some(("bt_header_dendrite_version", &mut out.dendrite_version))
                }
                () if name.eq_ignore_ascii_case("bt_header_dendrite_nonce") => {
                    Some(("bt_header_dendrite_nonce", &mut out.dendrite_nonce))
                }
                () if name.eq_ignore_ascii_case("bt_header_dendrite_hotkey") => {
                    Some(("bt_header_dendrite_hotkey", &mut out.dendrite_hotkey))
                }
                () if name.eq_ignore_ascii_case("bt_header_dendrite_uuid") => {
                    Some(("bt_header_dendrite_uuid", &mut out.dendrite_uuid))
                }
                () if name.eq_ignore_ascii_case("bt_header_dendrite_signature") => {
                    Some(("bt_header_dendrite_signature", &mut out.dendrite_signature))
                }
                () if name.eq_ignore_ascii_case("computed_body_hash") => {
                    Some(("computed_body_hash", &mut out.computed_body_hash))
                }
                () if name.eq_ignore_ascii_case("bt_header_axon_hotkey") => {
                    Some(("bt_header_axon_hotkey", &mut out.axon_hotkey))
                }
                () => None,
            };
            if let Some((canonical_name, slot)) = slot {
                if value.len() > MAX_HEADER_VALUE_LEN {
                    return Err(VerifyError::HeaderTooLong(canonical_name));
                }
                if slot.replace(value).is_some() {
                    return Err(VerifyError::DuplicateHeader(canonical_name));
                }
            }
        }
        Ok(out)
    }

    /// The `(dendrite hotkey, dendrite uuid)` texts under which the SDK stores the last
    /// nonce (`f"{hotkey}:{uuid}"`); keep one last nonce per pair.
    pub fn endpoint_key(&self) -> (Option<&'a str>, Option<&'a str>) {
        (self.dendrite_hotkey, self.dendrite_uuid)
    }
}

/// A request that passed every check; store `nonce` as the endpoint's last nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    /// The request's nonce.
    pub nonce: u64,
    /// The dendrite's account.
    pub dendrite: AccountId32,
}

/// An integer as pydantic reads it from a header: decimal digits, leading zeros allowed.
fn parse_lenient_u64(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |acc, b| {
        let digit = u64::from(b.checked_sub(b'0').filter(|d| *d <= 9)?);
        acc.checked_mul(10)?.checked_add(digit)
    })
}

fn parse_u64(text: &str, canonical: bool) -> Option<u64> {
    if canonical && text.len() > 1 && text.starts_with('0') {
        return None;
    }
    parse_lenient_u64(text)
}

/// Python's `nonce <= now - ALLOWED_DELTA - timeout * 1e9`, evaluated as CPython does:
/// the integer difference is rounded to a float, the float subtraction rounds again,
/// and the comparison of the integer nonce with that float is exact.
pub fn nonce_is_stale(nonce: u64, now_ns: u64, timeout_seconds: f64) -> bool {
    let timeout = if timeout_seconds == 0.0 {
        0.0
    } else {
        timeout_seconds
    };
    let base = i128::from(now_ns).saturating_sub(i128::from(ALLOWED_DELTA_NS));
    // i128 -> f64 rounds to nearest, ties to even, as CPython's int -> float does.
    let window = (base as f64) - timeout * 1e9;
    if window.is_nan() {
        return false;
    }
    if window < 0.0 {
        return false;
    }
    // 2^64 as a float: every u64 is below it.
    if window >= 18_446_744_073_709_551_616.0 {
        return true;
    }
    // For 0 <= window < 2^64 truncation is the floor, and an integer is <= window
    // exactly when it is <= floor(window).
    nonce <= window as u64
}

/// Verifies a request as an axon with hotkey `own_hotkey` at time `now_ns`, given the
/// last nonce accepted from the same endpoint key.
pub fn verify_request<V: SignatureVerifier + ?Sized>(
    request: &RequestHeaders<'_>,
    own_hotkey: &AccountId32,
    now_ns: u64,
    last_nonce: Option<u64>,
    config: &VerifyConfig,
    verifier: &V,
) -> Result<Accepted, VerifyError> {
    // The SDK first builds a Keypair from the dendrite hotkey.
    let hotkey_text = request
        .dendrite_hotkey
        .ok_or(VerifyError::MissingHeader("bt_header_dendrite_hotkey"))?;
    let (prefix, dendrite_key) = ss58::decode(hotkey_text).map_err(VerifyError::InvalidHotkey)?;
    if config.require_bittensor_prefix && prefix != BITTENSOR_PREFIX {
        return Err(VerifyError::InvalidHotkey(Ss58Error::UnexpectedPrefix {
            expected: BITTENSOR_PREFIX,
            found: prefix,
        }));
    }
    let own_text = own_hotkey.to_ss58_bittensor();
    if config.require_addressed_to_us && request.axon_hotkey != Some(own_text.as_str()) {
        return Err(VerifyError::WrongAxon);
    }

    let nonce_text = request
        .dendrite_nonce
        .ok_or(VerifyError::MissingHeader("bt_header_dendrite_nonce"))?;
    let nonce = parse_u64(nonce_text, config.require_canonical).ok_or(VerifyError::InvalidNonce)?;
    let version = match request.dendrite_version {
        None => None,
        Some(text) => {
            Some(parse_u64(text, config.require_canonical).ok_or(VerifyError::InvalidVersion)?)
        }
    };
    let timeout = match request.timeout {
        None => DEFAULT_TIMEOUT_SECONDS,
        Some(text) => parse_timeout(text, config.require_canonical)?,
    };
    let uuid = match request.dendrite_uuid {
        Some(uuid) => uuid,
        None if config.require_canonical => {
            return Err(VerifyError::MissingHeader("bt_header_dendrite_uuid"))
        }
        // The SDK formats a missing uuid as Python's `None`.
        None => "None",
    };
    let body_hash = match request.computed_body_hash {
        Some(hash) => hash,
        None if config.require_canonical => {
            return Err(VerifyError::MissingHeader("computed_body_hash"))
        }
        // The Synapse model's default body hash is the empty string.
        None => "",
    };

    let fresh_rules =
        config.freshness_for_all_versions || version.is_some_and(|v| v >= FRESHNESS_MIN_VERSION);
    match last_nonce {
        None if fresh_rules && nonce_is_stale(nonce, now_ns, timeout) => {
            let timeout_or_zero = if timeout == 0.0 { 0.0 } else { timeout };
            return Err(VerifyError::NonceTooOld {
                nonce,
                now_ns,
                allowed_delta_seconds: (ALLOWED_DELTA_NS as f64 + timeout_or_zero * 1e9) / 1e9,
            });
        }
        Some(last) if nonce <= last => {
            return Err(VerifyError::NonceNotIncreasing { nonce, last });
        }
        _ => {}
    }
    if let Some(max_ahead) = config.max_future_ns {
        if nonce > now_ns.saturating_add(max_ahead) {
            return Err(VerifyError::NonceFromFuture { nonce, now_ns });
        }
    }

    let message = render(&DendriteMessage {
        nonce,
        dendrite_hotkey: hotkey_text,
        axon_hotkey: own_text.as_str(),
        uuid,
        body_hash,
    })
    .map_err(|_| VerifyError::MessageTooLong)?;
    match request.dendrite_signature {
        None if config.require_signature => {
            return Err(VerifyError::MissingHeader("bt_header_dendrite_signature"))
        }
        None => {}
        Some(text) => {
            let signature = taolite_core::hex::decode_array::<64>(text)
                .map(Signature)
                .map_err(VerifyError::InvalidSignatureEncoding)?;
            let plain = verifier.verify(&dendrite_key, message.as_bytes(), &signature);
            let wrapped = || {
                render_wrapped(message.as_str())
                    .map(|w| verifier.verify(&dendrite_key, w.as_bytes(), &signature))
                    .unwrap_or(false)
            };
            if !(plain || (config.accept_bytes_wrapper && wrapped())) {
                return Err(VerifyError::SignatureMismatch);
            }
        }
    }
    Ok(Accepted {
        nonce,
        dendrite: AccountId32(dendrite_key),
    })
}

fn parse_timeout(text: &str, canonical: bool) -> Result<f64, VerifyError> {
    if canonical {
        return super::py_float::parse_canonical_py_float(text).ok_or(VerifyError::InvalidTimeout);
    }
    text.trim()
        .parse::<f64>()
        .map_err(|_| VerifyError::InvalidTimeout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_window_edges() {
        let nonce = 1_750_000_000_123_456_789u64;
        let edge = nonce + ALLOWED_DELTA_NS + 12_000_000_000;
        assert!(nonce_is_stale(nonce, edge + 1_000_000, 12.0));
        assert!(!nonce_is_stale(nonce, edge - 1_000_000, 12.0));
        assert!(!nonce_is_stale(nonce, nonce - 60_000_000_000, 12.0));
        assert!(!nonce_is_stale(nonce, edge + 1_000_000, f64::NAN));
        assert!(!nonce_is_stale(nonce, u64::MAX, f64::INFINITY));
        assert!(nonce_is_stale(nonce, u64::MAX, 0.0));
        assert!(nonce_is_stale(0, 4_000_000_000, 0.0));
        assert!(!nonce_is_stale(0, 3_999_999_999, 0.0));
    }

    #[test]
    fn lenient_and_canonical_integers() {
        assert_eq!(parse_u64("0175", false), Some(175));
        assert_eq!(parse_u64("0175", true), None);
        assert_eq!(parse_u64("0", true), Some(0));
        assert_eq!(parse_u64("-1", false), None);
        assert_eq!(parse_u64("18446744073709551616", false), None);
    }
}
