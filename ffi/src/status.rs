//! Status codes: one value per error kind the library can report.

/// The outcome of every exported function.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaoliteStatus {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL (with a non-zero length, or an output).
    NullPointer = 1,
    /// The output buffer is too small; the needed length was stored.
    BufferTooSmall = 2,
    /// A handle was NULL where one is required, already freed, or never created.
    InvalidHandle = 3,
    /// An argument is out of range or malformed in a way no more specific code covers.
    InvalidArgument = 4,
    /// Text that must be UTF-8 was not.
    InvalidUtf8 = 5,
    /// Malformed hex.
    InvalidHex = 6,
    /// Malformed SS58 address (character, length, checksum or prefix).
    InvalidSs58 = 7,
    /// Malformed or unknown mnemonic (word, checksum, word count).
    InvalidMnemonic = 8,
    /// Malformed secret URI.
    InvalidUri = 9,
    /// A key or signature that is not a valid encoding.
    InvalidKey = 10,
    /// A signature that is malformed (marker bit clear, non-canonical scalar, bad point).
    InvalidSignature = 11,
    /// A well-formed signature that does not verify for this key and message.
    SignatureMismatch = 12,
    /// Bytes that do not decode (SCALE, JSON, headers).
    DecodeFailed = 13,
    /// The operation was cancelled by the caller.
    Cancelled = 14,
    /// An internal panic was caught at the boundary; the library state is unchanged.
    Panic = 15,
    /// The epoch's result differs from the expected output; a report lists every difference.
    EpochMismatch = 16,
    /// A proof-of-work seal that does not meet the difficulty (the chain's first check).
    PowDifficultyNotMet = 17,
    /// Proof-of-work `work` that is not the seal of this block, key and nonce.
    PowInvalidSeal = 18,
    /// A Synapse request the axon refuses (stale or replayed nonce, wrong axon, missing or
    /// malformed header, body hash mismatch); the last error names the check.
    RequestRejected = 19,
}
