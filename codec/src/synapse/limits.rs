//! Size limits for headers and envelopes. Every allocation is bounded by the input; these
//! bound it further to what an HTTP server would accept anyway.

/// Longest header name or value accepted (uvicorn/h11 refuse header blocks past 16 KiB).
pub const MAX_HEADER_VALUE_LEN: usize = 16 * 1024;

/// Most headers accepted in one request.
pub const MAX_HEADER_COUNT: usize = 256;

/// Longest signing message: nonce, two SS58 hotkeys, uuid and body hash, with room for
/// non-canonical header texts and the `<Bytes>…</Bytes>` wrapper.
pub const MAX_MESSAGE_LEN: usize = 1024;
