//! bittensor's `computed_body_hash`: SHA3-256 hex of the concatenated SHA3-256 hex digests
//! of `str(model_dump()[field])` for each required hash field, in class order.

use core::fmt::{self, Write};

use sha3::{Digest, Sha3_256};

/// The 32-byte body hash; displays as bittensor's 64 lowercase hex digits, no `0x`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BodyHash(pub [u8; 32]);

impl fmt::Display for BodyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_lower_hex(&self.0, f)
    }
}

impl fmt::Debug for BodyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BodyHash({self})")
    }
}

/// Writes bytes as lowercase hex without a prefix.
pub(crate) fn write_lower_hex<W: Write + ?Sized>(bytes: &[u8], out: &mut W) -> fmt::Result {
    for byte in bytes {
        write!(out, "{byte:02x}")?;
    }
    Ok(())
}

/// SHA3-256 of whatever is written into it, so `str()` renderings are hashed as they are
/// produced instead of being collected first.
pub(crate) struct Sha3Writer(Sha3_256);

impl Sha3Writer {
    pub(crate) fn new() -> Self {
        Self(Sha3_256::new())
    }

    pub(crate) fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

impl Write for Sha3Writer {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// SHA3-256 of the UTF-8 bytes of `text` (bittensor's per-field hash, before hex).
pub fn sha3_256(text: &str) -> [u8; 32] {
    Sha3_256::digest(text.as_bytes()).into()
}

/// Combines per-field digests into the body hash: SHA3-256 of their hex concatenation.
/// With no fields this is SHA3-256 of the empty string.
pub fn body_hash_from_field_digests<I: IntoIterator<Item = [u8; 32]>>(digests: I) -> BodyHash {
    let mut outer = Sha3Writer::new();
    for digest in digests {
        // Writing into a hasher cannot fail.
        let _ = write_lower_hex(&digest, &mut outer);
    }
    BodyHash(outer.finish())
}

/// The body hash from the Python `str()` text of each required field, in class order.
/// Needs no allocator: use it when the caller renders the fields itself.
pub fn body_hash_from_py_strs<I, S>(py_strs: I) -> BodyHash
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    body_hash_from_field_digests(py_strs.into_iter().map(|s| sha3_256(s.as_ref())))
}

#[cfg(feature = "alloc")]
pub use with_json::*;

#[cfg(feature = "alloc")]
mod with_json {
    use alloc::string::String;
    use alloc::vec::Vec;
    use core::fmt;

    use super::{body_hash_from_field_digests, Sha3Writer};
    use crate::synapse::json::{parse_json, JsonError};
    use crate::synapse::py_value::PyValue;

    /// Why a body hash could not be computed from a JSON body.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum BodyHashError {
        /// The body is not JSON that Python would load.
        Json(JsonError),
        /// The body is JSON but not an object.
        NotAnObject,
        /// A required hash field is missing from the body (its model default is unknown here).
        MissingField(String),
        /// A value could not be rendered (nested deeper than the limit).
        Render(String),
    }

    impl fmt::Display for BodyHashError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::Json(e) => write!(f, "body is not valid JSON: {e}"),
                Self::NotAnObject => f.write_str("body JSON is not an object"),
                Self::MissingField(name) => {
                    write!(f, "required hash field {name:?} is missing from the body")
                }
                Self::Render(name) => write!(f, "field {name:?} is nested too deeply to render"),
            }
        }
    }

    impl core::error::Error for BodyHashError {}

    impl From<JsonError> for BodyHashError {
        fn from(e: JsonError) -> Self {
            Self::Json(e)
        }
    }

    /// The values of `fields` in the JSON object `body`, in the order asked for.
    fn field_values<'v>(
        body: &'v PyValue,
        fields: &[&str],
    ) -> Result<Vec<&'v PyValue>, BodyHashError> {
        let PyValue::Dict(entries) = body else {
            return Err(BodyHashError::NotAnObject);
        };
        fields
            .iter()
            .map(|name| {
                entries
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value)
                    .ok_or_else(|| BodyHashError::MissingField(String::from(*name)))
            })
            .collect()
    }

    /// Python's `str()` of each required field of a JSON body (what bittensor hashes).
    pub fn py_strs_from_json(body: &str, fields: &[&str]) -> Result<Vec<String>, BodyHashError> {
        let parsed = parse_json(body)?;
        let values = field_values(&parsed, fields)?;
        values
            .iter()
            .zip(fields)
            .map(|(value, name)| {
                let mut text = String::new();
                value
                    .write_py_str(&mut text)
                    .map_err(|_| BodyHashError::Render(String::from(*name)))?;
                Ok(text)
            })
            .collect()
    }

    /// The body hash of a JSON body for the class's `required_hash_fields`, in class order.
    ///
    /// Values are taken as `json.loads` gives them; a subnet model that coerces types on
    /// validation (an int in a float field becomes `1.0`) must be rendered by the caller
    /// and hashed with [`super::body_hash_from_py_strs`].
    pub fn body_hash_from_json(
        body: &str,
        fields: &[&str],
    ) -> Result<super::BodyHash, BodyHashError> {
        let parsed = parse_json(body)?;
        let values = field_values(&parsed, fields)?;
        let mut digests = Vec::with_capacity(values.len());
        for (value, name) in values.iter().zip(fields) {
            let mut inner = Sha3Writer::new();
            value
                .write_py_str(&mut inner)
                .map_err(|_| BodyHashError::Render(String::from(*name)))?;
            digests.push(inner.finish());
        }
        Ok(body_hash_from_field_digests(digests))
    }
}

#[cfg(all(test, feature = "alloc"))]
mod tests {
    use super::*;

    #[test]
    fn no_fields_hash_is_sha3_of_empty() {
        let empty: [&str; 0] = [];
        assert_eq!(
            alloc::format!("{}", body_hash_from_py_strs(empty)),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
        );
    }

    #[test]
    fn json_and_py_str_paths_agree() {
        let body = r#"{"a": [1, 2.5, null], "b": "x", "a": {"k": true}}"#;
        let strs = py_strs_from_json(body, &["a", "b"]).unwrap();
        assert_eq!(strs, ["{'k': True}", "x"]);
        assert_eq!(
            body_hash_from_json(body, &["a", "b"]).unwrap(),
            body_hash_from_py_strs(&strs)
        );
        assert_eq!(
            body_hash_from_json(body, &["zz"]),
            Err(BodyHashError::MissingField("zz".into()))
        );
        assert_eq!(
            body_hash_from_json("[1]", &[]),
            Err(BodyHashError::NotAnObject)
        );
    }
}
