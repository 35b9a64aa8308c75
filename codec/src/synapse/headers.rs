//! The typed header set of a Synapse request, and its conversion to and from the HTTP
//! header list that bittensor's `Synapse.to_headers()` produces (order preserved).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use taolite_core::AccountId32;

use super::body_hash::BodyHash;
use super::field::Field;
use super::limits::{MAX_HEADER_COUNT, MAX_HEADER_VALUE_LEN};
use super::types::Uuid;
use taolite_core::keys::Signature;

/// The TerminalInfo field names, in the order `to_headers()` emits them.
pub const TERMINAL_FIELDS: [&str; 10] = [
    "status_code",
    "status_message",
    "process_time",
    "ip",
    "port",
    "version",
    "nonce",
    "uuid",
    "hotkey",
    "signature",
];

/// Header-name prefix of the axon's TerminalInfo.
pub const AXON_PREFIX: &str = "bt_header_axon_";
/// Header-name prefix of the dendrite's TerminalInfo.
pub const DENDRITE_PREFIX: &str = "bt_header_dendrite_";
/// Header-name prefix of the required-field placeholders.
pub const INPUT_OBJ_PREFIX: &str = "bt_header_input_obj_";

/// One side's TerminalInfo (`bt_header_axon_*` or `bt_header_dendrite_*`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TerminalInfo {
    /// HTTP-like status (100 on receipt, then 200/4xx/5xx).
    pub status_code: Field<u64>,
    /// Human-readable status, e.g. `Success`.
    pub status_message: Field<String>,
    /// Seconds spent in the handler.
    pub process_time: Field<f64>,
    /// IPv4 or IPv6 text.
    pub ip: Field<String>,
    /// TCP port.
    pub port: Field<u64>,
    /// SDK version as an integer (major·10⁶ + minor·10³ + patch).
    pub version: Field<u64>,
    /// `time.time_ns()` when signed or received.
    pub nonce: Field<u64>,
    /// The sender object's uuid1.
    pub uuid: Field<Uuid>,
    /// SS58 hotkey (prefix 42).
    pub hotkey: Field<AccountId32>,
    /// sr25519 signature, `0x` + 128 hex.
    pub signature: Field<Signature>,
}

impl TerminalInfo {
    fn from_texts(texts: &[Option<&str>]) -> Self {
        let text = |i: usize| texts.get(i).copied().flatten();
        Self {
            status_code: Field::from_header(text(0)),
            status_message: Field::from_header(text(1)),
            process_time: Field::from_header(text(2)),
            ip: Field::from_header(text(3)),
            port: Field::from_header(text(4)),
            version: Field::from_header(text(5)),
            nonce: Field::from_header(text(6)),
            uuid: Field::from_header(text(7)),
            hotkey: Field::from_header(text(8)),
            signature: Field::from_header(text(9)),
        }
    }

    fn absent_flags(&self) -> [bool; 10] {
        [
            self.status_code.is_absent(),
            self.status_message.is_absent(),
            self.process_time.is_absent(),
            self.ip.is_absent(),
            self.port.is_absent(),
            self.version.is_absent(),
            self.nonce.is_absent(),
            self.uuid.is_absent(),
            self.hotkey.is_absent(),
            self.signature.is_absent(),
        ]
    }

    /// The header texts in [`TERMINAL_FIELDS`] order (`None` for absent ones).
    pub fn texts(&self) -> [Option<String>; 10] {
        [
            self.status_code.text(),
            self.status_message.text(),
            self.process_time.text(),
            self.ip.text(),
            self.port.text(),
            self.version.text(),
            self.nonce.text(),
            self.uuid.text(),
            self.hotkey.text(),
            self.signature.text(),
        ]
    }
}

/// Every header of a Synapse request or response, typed (spec A.2).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SynapseHeaders {
    /// The Synapse class name, also the URL path.
    pub name: Field<String>,
    /// Request timeout in seconds.
    pub timeout: Field<f64>,
    /// The axon's TerminalInfo.
    pub axon: TerminalInfo,
    /// The dendrite's TerminalInfo.
    pub dendrite: TerminalInfo,
    /// `(field, base64 JSON of a default value)` placeholders, in header order; the field
    /// name is the header name after [`INPUT_OBJ_PREFIX`], verbatim.
    pub input_obj: Vec<(String, String)>,
    /// CPython `sys.getsizeof` artefact: carried, never recomputed.
    pub header_size: Field<u64>,
    /// CPython `sys.getsizeof` artefact: carried, never recomputed.
    pub total_size: Field<u64>,
    /// The body hash the dendrite signed.
    pub computed_body_hash: Field<BodyHash>,
    /// Every other header, verbatim and in order.
    pub extra: Vec<(String, String)>,
}

/// What was wrong with a header list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// The same header (compared case-insensitively) appears twice.
    Duplicate {
        /// The header name, lower-cased.
        name: String,
    },
    /// More headers than [`MAX_HEADER_COUNT`].
    TooMany {
        /// How many were given.
        count: usize,
    },
    /// A header name or value longer than [`MAX_HEADER_VALUE_LEN`].
    TooLong {
        /// The header name (cut to the limit).
        name: String,
        /// Its value's (or name's) length in bytes.
        length: usize,
    },
    /// A header that the operation needs is missing.
    Missing {
        /// The header name.
        name: &'static str,
    },
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duplicate { name } => write!(f, "header {name:?} appears more than once"),
            Self::TooMany { count } => {
                write!(f, "{count} headers exceed the limit of {MAX_HEADER_COUNT}")
            }
            Self::TooLong { name, length } => write!(
                f,
                "header {name:?} is {length} bytes, over the limit of {MAX_HEADER_VALUE_LEN}"
            ),
            Self::Missing { name } => write!(f, "required header {name:?} is missing"),
        }
    }
}

impl core::error::Error for HeaderError {}

/// Why a header set would not survive `to_headers` then `from_headers` unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoundTripError {
    /// An extra header that names a known field: it would be read back as that field.
    NotCanonical,
    /// The emitted list would break a header rule.
    Header(HeaderError),
}

/// Where a header goes in [`SynapseHeaders`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderSlot {
    /// One of the fixed headers, by index into the 25 known names.
    Known(usize),
    /// A `bt_header_input_obj_*` placeholder.
    InputObj,
    /// Anything else.
    Extra,
}

const NAME: usize = 0;
const TIMEOUT: usize = 1;
const AXON_FIRST: usize = 2;
const DENDRITE_FIRST: usize = 12;
const HEADER_SIZE: usize = 22;
const TOTAL_SIZE: usize = 23;
const COMPUTED_BODY_HASH: usize = 24;
const KNOWN_COUNT: usize = 25;

/// Classifies a lower-cased header name.
pub(crate) fn classify(lower: &str) -> HeaderSlot {
    let terminal = |rest: &str, first: usize| {
        TERMINAL_FIELDS
            .iter()
            .position(|f| *f == rest)
            .map_or(HeaderSlot::Extra, |i| {
                HeaderSlot::Known(first.saturating_add(i))
            })
    };
    match lower {
        "name" => HeaderSlot::Known(NAME),
        "timeout" => HeaderSlot::Known(TIMEOUT),
        "header_size" => HeaderSlot::Known(HEADER_SIZE),
        "total_size" => HeaderSlot::Known(TOTAL_SIZE),
        "computed_body_hash" => HeaderSlot::Known(COMPUTED_BODY_HASH),
        _ => {
            if let Some(rest) = lower.strip_prefix(AXON_PREFIX) {
                terminal(rest, AXON_FIRST)
            } else if let Some(rest) = lower.strip_prefix(DENDRITE_PREFIX) {
                terminal(rest, DENDRITE_FIRST)
            } else if lower.starts_with(INPUT_OBJ_PREFIX) {
                HeaderSlot::InputObj
            } else {
                HeaderSlot::Extra
            }
        }
    }
}

/// Checks count, sizes and case-insensitive duplicates of a header list.
pub(crate) fn check_header_list<'a, I>(pairs: I) -> Result<(), HeaderError>
where
    I: ExactSizeIterator<Item = (&'a str, &'a str)>,
{
    if pairs.len() > MAX_HEADER_COUNT {
        return Err(HeaderError::TooMany { count: pairs.len() });
    }
    let mut lower_names: Vec<String> = Vec::with_capacity(pairs.len());
    for (name, value) in pairs {
        let longest = name.len().max(value.len());
        if longest > MAX_HEADER_VALUE_LEN {
            let cut = name
                .char_indices()
                .take_while(|(i, _)| *i < 64)
                .map(|(_, c)| c)
                .collect();
            return Err(HeaderError::TooLong {
                name: cut,
                length: longest,
            });
        }
        lower_names.push(name.to_ascii_lowercase());
    }
    lower_names.sort_unstable();
    for pair in lower_names.windows(2) {
        if let [a, b] = pair {
            if a == b {
                return Err(HeaderError::Duplicate { name: a.clone() });
            }
        }
    }
    Ok(())
}

impl SynapseHeaders {
    /// Reads an HTTP header list. Names are matched case-insensitively; unknown headers
    /// are kept in [`Self::extra`] verbatim and in order.
    pub fn from_headers<K: AsRef<str>, V: AsRef<str>>(
        pairs: &[(K, V)],
    ) -> Result<Self, HeaderError> {
        check_header_list(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))?;
        let mut known: [Option<&str>; KNOWN_COUNT] = [None; KNOWN_COUNT];
        let mut headers = SynapseHeaders::default();
        for (name, value) in pairs {
            let (name, value) = (name.as_ref(), value.as_ref());
            match classify(&name.to_ascii_lowercase()) {
                HeaderSlot::Known(index) => {
                    if let Some(slot) = known.get_mut(index) {
                        *slot = Some(value);
                    }
                }
                HeaderSlot::InputObj => {
                    let field = name.get(INPUT_OBJ_PREFIX.len()..).unwrap_or("");
                    headers
                        .input_obj
                        .push((String::from(field), String::from(value)));
                }
                HeaderSlot::Extra => headers
                    .extra
                    .push((String::from(name), String::from(value))),
            }
        }
        let text = |i: usize| known.get(i).copied().flatten();
        headers.name = Field::from_header(text(NAME));
        headers.timeout = Field::from_header(text(TIMEOUT));
        headers.axon =
            TerminalInfo::from_texts(known.get(AXON_FIRST..DENDRITE_FIRST).unwrap_or(&[]));
        headers.dendrite =
            TerminalInfo::from_texts(known.get(DENDRITE_FIRST..HEADER_SIZE).unwrap_or(&[]));
        headers.header_size = Field::from_header(text(HEADER_SIZE));
        headers.total_size = Field::from_header(text(TOTAL_SIZE));
        headers.computed_body_hash = Field::from_header(text(COMPUTED_BODY_HASH));
        Ok(headers)
    }

    /// Checks, without rendering any value, that [`Self::to_headers`] would give a list
    /// that [`Self::from_headers`] accepts and classifies back into the same fields: extra
    /// names that are not known headers, no repeated names, counts and sizes in limits.
    /// Typed values always render canonically, so this is what keeps decoding unique.
    pub(crate) fn check_round_trip(&self) -> Result<(), RoundTripError> {
        let known_present = [
            self.name.is_absent(),
            self.timeout.is_absent(),
            self.header_size.is_absent(),
            self.total_size.is_absent(),
            self.computed_body_hash.is_absent(),
        ]
        .iter()
        .chain(self.axon.absent_flags().iter())
        .chain(self.dendrite.absent_flags().iter())
        .filter(|absent| !**absent)
        .count();
        let count = known_present
            .saturating_add(self.input_obj.len())
            .saturating_add(self.extra.len());
        if count > MAX_HEADER_COUNT {
            return Err(RoundTripError::Header(HeaderError::TooMany { count }));
        }
        let mut names: Vec<String> =
            Vec::with_capacity(self.input_obj.len().saturating_add(self.extra.len()));
        for (field, _) in &self.input_obj {
            let mut name = String::from(INPUT_OBJ_PREFIX);
            name.push_str(field);
            if name.len() > MAX_HEADER_VALUE_LEN {
                return Err(RoundTripError::Header(HeaderError::TooLong {
                    name: String::from(INPUT_OBJ_PREFIX),
                    length: name.len(),
                }));
            }
            names.push(name.to_ascii_lowercase());
        }
        for (name, _) in &self.extra {
            let lower = name.to_ascii_lowercase();
            if classify(&lower) != HeaderSlot::Extra {
                return Err(RoundTripError::NotCanonical);
            }
            names.push(lower);
        }
        names.sort_unstable();
        for pair in names.windows(2) {
            if let [a, b] = pair {
                if a == b {
                    return Err(RoundTripError::Header(HeaderError::Duplicate {
                        name: a.clone(),
                    }));
                }
            }
        }
        Ok(())
    }

    /// The HTTP header list, in `to_headers()` order followed by the extra headers.
    pub fn to_headers(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut push = |name: String, value: Option<String>| {
            if let Some(value) = value {
                out.push((name, value));
            }
        };
        push(String::from("name"), self.name.text());
        push(String::from("timeout"), self.timeout.text());
        for (prefix, side) in [(AXON_PREFIX, &self.axon), (DENDRITE_PREFIX, &self.dendrite)] {
            for (field, value) in TERMINAL_FIELDS.iter().zip(side.texts()) {
                let mut name = String::from(prefix);
                name.push_str(field);
                push(name, value);
            }
        }
        for (field, value) in &self.input_obj {
            let mut name = String::from(INPUT_OBJ_PREFIX);
            name.push_str(field);
            push(name, Some(value.clone()));
        }
        push(String::from("header_size"), self.header_size.text());
        push(String::from("total_size"), self.total_size.text());
        push(
            String::from("computed_body_hash"),
            self.computed_body_hash.text(),
        );
        for (name, value) in &self.extra {
            push(name.clone(), Some(value.clone()));
        }
        out
    }
}
