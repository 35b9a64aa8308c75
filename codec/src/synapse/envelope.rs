//! taolite's compact SCALE envelope (spec Part B): the header set of Part A, typed where
//! the text is canonical and verbatim where not, plus optionally the JSON body. Exactly
//! one encoding per header set; decoding rebuilds the identical header list.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::field::{decode_field, encode_field};
use super::headers::{HeaderError, RoundTripError, SynapseHeaders, TerminalInfo};
use super::limits::{MAX_HEADER_COUNT, MAX_HEADER_VALUE_LEN};
use super::scale::{BufferTooSmall, CountSink, DecodeError, Reader, Sink, SliceSink};

/// The only envelope version defined so far.
pub const ENVELOPE_VERSION: u8 = 0x01;

/// A Synapse request or response in taolite's binary form.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Envelope {
    /// The headers.
    pub headers: SynapseHeaders,
    /// The JSON body bytes, or `None` when only the headers are carried.
    pub body: Option<Vec<u8>>,
}

/// Why bytes are not a valid envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeError {
    /// The bytes do not follow the layout.
    Decode(DecodeError),
    /// The decoded headers break a header rule (duplicates, too many, too long).
    Headers(HeaderError),
    /// The bytes are well-formed but not the unique encoding of their headers (an extra
    /// header that names a known field, say), so they would not re-encode identically.
    NotCanonical,
}

impl fmt::Display for EnvelopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decode(e) => write!(f, "malformed envelope: {e}"),
            Self::Headers(e) => write!(f, "envelope headers: {e}"),
            Self::NotCanonical => {
                f.write_str("envelope is not the canonical encoding of its headers")
            }
        }
    }
}

impl core::error::Error for EnvelopeError {}

impl From<DecodeError> for EnvelopeError {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl From<HeaderError> for EnvelopeError {
    fn from(e: HeaderError) -> Self {
        Self::Headers(e)
    }
}

fn encode_terminal<S: Sink + ?Sized>(side: &TerminalInfo, sink: &mut S) {
    encode_field(&side.status_code, sink);
    encode_field(&side.status_message, sink);
    encode_field(&side.process_time, sink);
    encode_field(&side.ip, sink);
    encode_field(&side.port, sink);
    encode_field(&side.version, sink);
    encode_field(&side.nonce, sink);
    encode_field(&side.uuid, sink);
    encode_field(&side.hotkey, sink);
    encode_field(&side.signature, sink);
}

fn decode_terminal(reader: &mut Reader<'_>) -> Result<TerminalInfo, DecodeError> {
    Ok(TerminalInfo {
        status_code: decode_field(reader)?,
        status_message: decode_field(reader)?,
        process_time: decode_field(reader)?,
        ip: decode_field(reader)?,
        port: decode_field(reader)?,
        version: decode_field(reader)?,
        nonce: decode_field(reader)?,
        uuid: decode_field(reader)?,
        hotkey: decode_field(reader)?,
        signature: decode_field(reader)?,
    })
}

fn encode_pairs<S: Sink + ?Sized>(pairs: &[(String, String)], sink: &mut S) {
    sink.put_compact(pairs.len() as u64);
    for (name, value) in pairs {
        sink.put_str(name);
        sink.put_str(value);
    }
}

fn decode_pairs(reader: &mut Reader<'_>) -> Result<Vec<(String, String)>, DecodeError> {
    // Each pair takes at least two bytes, so the count is bounded by the input.
    let count = reader.length(MAX_HEADER_COUNT)?;
    let mut pairs = Vec::new();
    for _ in 0..count {
        let name = reader.str(MAX_HEADER_VALUE_LEN)?;
        let value = reader.str(MAX_HEADER_VALUE_LEN)?;
        pairs.push((String::from(name), String::from(value)));
    }
    Ok(pairs)
}

impl Envelope {
    fn encode_into<S: Sink + ?Sized>(&self, sink: &mut S) {
        let h = &self.headers;
        sink.put_byte(ENVELOPE_VERSION);
        encode_field(&h.name, sink);
        encode_field(&h.timeout, sink);
        encode_terminal(&h.axon, sink);
        encode_terminal(&h.dendrite, sink);
        encode_pairs(&h.input_obj, sink);
        encode_field(&h.header_size, sink);
        encode_field(&h.total_size, sink);
        encode_field(&h.computed_body_hash, sink);
        encode_pairs(&h.extra, sink);
        match &self.body {
            None => sink.put_byte(0x00),
            Some(body) => {
                sink.put_byte(0x01);
                sink.put_compact(body.len() as u64);
                sink.put(body);
            }
        }
    }

    /// Length of the encoding in bytes.
    pub fn encoded_len(&self) -> usize {
        let mut counter = CountSink(0);
        self.encode_into(&mut counter);
        counter.0
    }

    /// The encoding as a new vector.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut out);
        out
    }

    /// Encodes into `buf` without allocating; returns the length written, or the length
    /// needed when `buf` is too small (then `buf` holds nothing meaningful).
    pub fn encode_to_slice(&self, buf: &mut [u8]) -> Result<usize, BufferTooSmall> {
        let mut sink = SliceSink {
            buf,
            len: 0,
            overflow: false,
        };
        self.encode_into(&mut sink);
        if sink.overflow {
            Err(BufferTooSmall {
                needed: self.encoded_len(),
            })
        } else {
            Ok(sink.len)
        }
    }

    /// Decodes an envelope, refusing anything but the unique encoding of its headers.
    /// Allocates at most a small multiple of the input's length.
    pub fn decode(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        let mut reader = Reader::new(bytes);
        let offset = reader.offset();
        let version = reader.byte()?;
        if version != ENVELOPE_VERSION {
            return Err(DecodeError::BadTag {
                offset,
                tag: version,
            }
            .into());
        }
        let headers = SynapseHeaders {
            name: decode_field(&mut reader)?,
            timeout: decode_field(&mut reader)?,
            axon: decode_terminal(&mut reader)?,
            dendrite: decode_terminal(&mut reader)?,
            input_obj: decode_pairs(&mut reader)?,
            header_size: decode_field(&mut reader)?,
            total_size: decode_field(&mut reader)?,
            computed_body_hash: decode_field(&mut reader)?,
            extra: decode_pairs(&mut reader)?,
        };
        let offset = reader.offset();
        let body = match reader.byte()? {
            0x00 => None,
            0x01 => {
                let length = reader.length(usize::MAX)?;
                Some(Vec::from(reader.bytes(length)?))
            }
            tag => return Err(DecodeError::BadTag { offset, tag }.into()),
        };
        reader.finish()?;
        // The header list must classify back into exactly these fields.
        headers.check_round_trip().map_err(|e| match e {
            RoundTripError::NotCanonical => EnvelopeError::NotCanonical,
            RoundTripError::Header(e) => EnvelopeError::Headers(e),
        })?;
        Ok(Envelope { headers, body })
    }
}
