//! The texts that dendrites and axons sign (spec A.4, A.5). Both are built from header
//! strings, so they are the same whether the request came as HTTP headers or as an
//! envelope.

use core::fmt;

use super::limits::MAX_MESSAGE_LEN;
use super::text_buf::TextBuf;

/// What a dendrite signs: `{nonce}.{dendrite hotkey}.{axon hotkey}.{uuid}.{body hash}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DendriteMessage<'a> {
    /// `time.time_ns()` at signing, as an integer.
    pub nonce: u64,
    /// The dendrite's SS58 hotkey text.
    pub dendrite_hotkey: &'a str,
    /// The target axon's SS58 hotkey text.
    pub axon_hotkey: &'a str,
    /// The dendrite's uuid text.
    pub uuid: &'a str,
    /// The `computed_body_hash` text.
    pub body_hash: &'a str,
}

impl fmt::Display for DendriteMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}.{}",
            self.nonce, self.dendrite_hotkey, self.axon_hotkey, self.uuid, self.body_hash
        )
    }
}

/// What an axon signs on receipt: `{axon nonce}.{dendrite hotkey}.{axon hotkey}.{axon uuid}`
/// (no body hash; the SDK's dendrite never checks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AxonMessage<'a> {
    /// `time.time_ns()` on receipt.
    pub nonce: u64,
    /// The requesting dendrite's hotkey text.
    pub dendrite_hotkey: &'a str,
    /// The axon's own hotkey text.
    pub axon_hotkey: &'a str,
    /// The axon's uuid text.
    pub uuid: &'a str,
}

impl fmt::Display for AxonMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}",
            self.nonce, self.dendrite_hotkey, self.axon_hotkey, self.uuid
        )
    }
}

/// A signing message longer than [`MAX_MESSAGE_LEN`] (only possible with absurd header texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageTooLong;

impl fmt::Display for MessageTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signing message exceeds {MAX_MESSAGE_LEN} bytes")
    }
}

impl core::error::Error for MessageTooLong {}

/// A rendered message on the stack.
pub(crate) type MessageBuf = TextBuf<MAX_MESSAGE_LEN>;

/// Renders a message into a stack buffer.
pub(crate) fn render(message: &dyn fmt::Display) -> Result<MessageBuf, MessageTooLong> {
    let mut buf = MessageBuf::new();
    fmt::write(&mut buf, format_args!("{message}")).map_err(|_| MessageTooLong)?;
    Ok(buf)
}

/// The `<Bytes>…</Bytes>` wrapping that bittensor-wallet's `verify` also accepts.
pub(crate) fn render_wrapped(message: &str) -> Result<MessageBuf, MessageTooLong> {
    let mut buf = MessageBuf::new();
    fmt::write(&mut buf, format_args!("<Bytes>{message}</Bytes>")).map_err(|_| MessageTooLong)?;
    Ok(buf)
}
