//! JSON text to [`PyValue`] exactly as Python's `json.loads` reads it, because the body
//! hash is defined on the Python objects: integers stay arbitrary-size integers, numbers
//! with a fraction or exponent become floats, `NaN` / `Infinity` are accepted, a repeated
//! key keeps its first position and its last value.
//!
//! Our own small parser instead of serde_json: it keeps integer digits exactly and object
//! order without changing serde_json's features for the whole workspace, it works without
//! `std`, and its depth and sizes are bounded by the input.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::py_value::{PyValue, MAX_DEPTH};

/// CPython (3.11+) refuses to convert integers longer than this many digits from text.
pub const MAX_INT_DIGITS: usize = 4300;

/// Why a body is not JSON that Python would load (and hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// The text ended inside a value.
    UnexpectedEnd,
    /// A character that cannot start or continue a value here.
    UnexpectedCharacter,
    /// Text after the one top-level value.
    TrailingData,
    /// A malformed number.
    BadNumber,
    /// An integer longer than [`MAX_INT_DIGITS`] digits.
    IntegerTooLong,
    /// A malformed escape sequence in a string.
    BadEscape,
    /// A UTF-16 surrogate without its partner: Python could load it but never hash it.
    LoneSurrogate,
    /// A raw control character inside a string.
    ControlCharacter,
    /// Containers nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A key repeated in one object (only from [`parse_json_unique_keys`]).
    DuplicateKey,
}

/// A JSON error and the byte offset where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    /// What was wrong.
    pub kind: JsonErrorKind,
    /// Byte offset into the text.
    pub offset: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            JsonErrorKind::UnexpectedEnd => "unexpected end of JSON",
            JsonErrorKind::UnexpectedCharacter => "unexpected character in JSON",
            JsonErrorKind::TrailingData => "data after the JSON value",
            JsonErrorKind::BadNumber => "malformed JSON number",
            JsonErrorKind::IntegerTooLong => "JSON integer has more than 4300 digits",
            JsonErrorKind::BadEscape => "malformed escape in JSON string",
            JsonErrorKind::LoneSurrogate => "unpaired UTF-16 surrogate in JSON string",
            JsonErrorKind::ControlCharacter => "raw control character in JSON string",
            JsonErrorKind::TooDeep => "JSON nested too deeply",
            JsonErrorKind::DuplicateKey => "repeated key in JSON object",
        };
        write!(f, "{what} at byte {}", self.offset)
    }
}

impl core::error::Error for JsonError {}

/// Parses one JSON document the way `json.loads` does.
pub fn parse_json(text: &str) -> Result<PyValue, JsonError> {
    parse(text, false)
}

/// Like [`parse_json`], but a key repeated in one object is an error: for inputs such as
/// header lists, where a repeat is a mistake rather than something to merge.
pub fn parse_json_unique_keys(text: &str) -> Result<PyValue, JsonError> {
    parse(text, true)
}

fn parse(text: &str, unique_keys: bool) -> Result<PyValue, JsonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        unique_keys,
    };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos != parser.bytes.len() {
        return Err(parser.error(JsonErrorKind::TrailingData));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    unique_keys: bool,
}

impl Parser<'_> {
    fn error(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            kind,
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn advance(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.bytes.len());
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.advance(1);
        }
    }

    fn eat_literal(&mut self, literal: &str) -> bool {
        let end = self.pos.saturating_add(literal.len());
        if self.bytes.get(self.pos..end) == Some(literal.as_bytes()) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), JsonError> {
        match self.peek() {
            Some(b) if b == byte => {
                self.advance(1);
                Ok(())
            }
            Some(_) => Err(self.error(JsonErrorKind::UnexpectedCharacter)),
            None => Err(self.error(JsonErrorKind::UnexpectedEnd)),
        }
    }

    fn value(&mut self, depth: usize) -> Result<PyValue, JsonError> {
        match self.peek() {
            None => Err(self.error(JsonErrorKind::UnexpectedEnd)),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(PyValue::Str),
            Some(b'-' | b'0'..=b'9') => {
                if self.eat_literal("-Infinity") {
                    Ok(PyValue::Float(f64::NEG_INFINITY))
                } else {
                    self.number()
                }
            }
            Some(_) => {
                if self.eat_literal("true") {
                    Ok(PyValue::Bool(true))
                } else if self.eat_literal("false") {
                    Ok(PyValue::Bool(false))
                } else if self.eat_literal("null") {
                    Ok(PyValue::None)
                } else if self.eat_literal("NaN") {
                    Ok(PyValue::Float(f64::NAN))
                } else if self.eat_literal("Infinity") {
                    Ok(PyValue::Float(f64::INFINITY))
                } else {
                    Err(self.error(JsonErrorKind::UnexpectedCharacter))
                }
            }
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            Err(self.error(JsonErrorKind::TooDeep))
        } else {
            Ok(depth.saturating_add(1))
        }
    }

    fn array(&mut self, depth: usize) -> Result<PyValue, JsonError> {
        let inner = self.enter(depth)?;
        self.advance(1);
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.advance(1);
            return Ok(PyValue::List(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(inner)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.advance(1),
                Some(b']') => {
                    self.advance(1);
                    return Ok(PyValue::List(items));
                }
                Some(_) => return Err(self.error(JsonErrorKind::UnexpectedCharacter)),
                None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<PyValue, JsonError> {
        let inner = self.enter(depth)?;
        self.advance(1);
        let mut entries: Vec<(String, PyValue)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.advance(1);
            return Ok(PyValue::Dict(entries));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(match self.peek() {
                    None => self.error(JsonErrorKind::UnexpectedEnd),
                    Some(_) => self.error(JsonErrorKind::UnexpectedCharacter),
                });
            }
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            self.skip_whitespace();
            let value = self.value(inner)?;
            entries.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.advance(1),
                Some(b'}') => {
                    self.advance(1);
                    let merged_len = entries.len();
                    let merged = merge_repeated_keys(entries);
                    if self.unique_keys && merged.len() != merged_len {
                        return Err(self.error(JsonErrorKind::DuplicateKey));
                    }
                    return Ok(PyValue::Dict(merged));
                }
                Some(_) => return Err(self.error(JsonErrorKind::UnexpectedCharacter)),
                None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.advance(1);
        }
        self.pos.saturating_sub(start)
    }

    fn number(&mut self) -> Result<PyValue, JsonError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.advance(1);
        }
        let int_start = self.pos;
        match self.peek() {
            Some(b'0') => self.advance(1),
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error(JsonErrorKind::BadNumber)),
        }
        let int_end = self.pos;
        let mut is_float = false;
        if self.peek() == Some(b'.')
            && matches!(
                self.bytes.get(self.pos.saturating_add(1)),
                Some(b'0'..=b'9')
            )
        {
            self.advance(1);
            self.digits();
            is_float = true;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            let mark = self.pos;
            self.advance(1);
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.advance(1);
            }
            if self.digits() == 0 {
                // Python's number pattern simply stops before a bare `e`.
                self.pos = mark;
            } else {
                is_float = true;
            }
        }
        let literal = self
            .text
            .get(start..self.pos)
            .ok_or(self.error(JsonErrorKind::BadNumber))?;
        if is_float {
            let value: f64 = literal
                .parse()
                .map_err(|_| self.error(JsonErrorKind::BadNumber))?;
            return Ok(PyValue::Float(value));
        }
        let digits = self
            .text
            .get(int_start..int_end)
            .ok_or(self.error(JsonErrorKind::BadNumber))?;
        if digits.len() > MAX_INT_DIGITS {
            return Err(JsonError {
                kind: JsonErrorKind::IntegerTooLong,
                offset: start,
            });
        }
        let mut canonical = String::with_capacity(digits.len().saturating_add(1));
        if negative && digits != "0" {
            canonical.push('-');
        }
        canonical.push_str(digits);
        Ok(PyValue::Int(canonical))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let end = self.pos.saturating_add(4);
        let digits = self
            .text
            .get(self.pos..end)
            .ok_or(self.error(JsonErrorKind::BadEscape))?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error(JsonErrorKind::BadEscape));
        }
        let value =
            u32::from_str_radix(digits, 16).map_err(|_| self.error(JsonErrorKind::BadEscape))?;
        self.pos = end;
        Ok(value)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.advance(1);
        let mut out = String::new();
        loop {
            // Copy the run of plain characters in one go.
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.advance(1);
            }
            let run = self
                .text
                .get(run_start..self.pos)
                .ok_or(self.error(JsonErrorKind::UnexpectedCharacter))?;
            out.push_str(run);
            match self.peek() {
                None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
                Some(b'"') => {
                    self.advance(1);
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.advance(1);
                    let escaped = self
                        .peek()
                        .ok_or(self.error(JsonErrorKind::UnexpectedEnd))?;
                    self.advance(1);
                    let ch = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error(JsonErrorKind::BadEscape)),
                    };
                    out.push(ch);
                }
                Some(_) => return Err(self.error(JsonErrorKind::ControlCharacter)),
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = if (0xd800..0xdc00).contains(&first) {
            if !self.eat_literal("\\u") {
                return Err(self.error(JsonErrorKind::LoneSurrogate));
            }
            let second = self.hex4()?;
            if !(0xdc00..0xe000).contains(&second) {
                return Err(self.error(JsonErrorKind::LoneSurrogate));
            }
            let high = first.wrapping_sub(0xd800);
            let low = second.wrapping_sub(0xdc00);
            0x10000u32.wrapping_add(high << 10).wrapping_add(low)
        } else {
            first
        };
        char::from_u32(code).ok_or(self.error(JsonErrorKind::LoneSurrogate))
    }
}

/// Python dict semantics for a repeated key: the first position, the last value.
/// Sorting keeps this O(n log n) for hostile inputs with many keys.
fn merge_repeated_keys(entries: Vec<(String, PyValue)>) -> Vec<(String, PyValue)> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        let key_a = entries.get(a).map(|e| e.0.as_str());
        let key_b = entries.get(b).map(|e| e.0.as_str());
        key_a.cmp(&key_b).then(a.cmp(&b))
    });
    let has_repeats = order.windows(2).any(|pair| match pair {
        [a, b] => entries.get(*a).map(|e| &e.0) == entries.get(*b).map(|e| &e.0),
        _ => false,
    });
    if !has_repeats {
        return entries;
    }
    // For each key: the index of its first occurrence and of its last one.
    let mut keep: Vec<Option<usize>> = alloc::vec![None; entries.len()];
    let mut run_start = 0usize;
    while let Some(&first) = order.get(run_start) {
        let key = entries.get(first).map(|e| &e.0);
        let mut run_end = run_start;
        while let Some(&next) = order.get(run_end.saturating_add(1)) {
            if entries.get(next).map(|e| &e.0) != key {
                break;
            }
            run_end = run_end.saturating_add(1);
        }
        if let (Some(slot), Some(&last)) = (keep.get_mut(first), order.get(run_end)) {
            *slot = Some(last);
        }
        run_start = run_end.saturating_add(1);
    }
    let mut slots: Vec<Option<(String, PyValue)>> = entries.into_iter().map(Some).collect();
    let mut merged = Vec::new();
    for (position, source) in keep.iter().enumerate() {
        let Some(source) = *source else { continue };
        let Some((key, first_value)) = slots.get_mut(position).and_then(Option::take) else {
            continue;
        };
        let value = if source == position {
            first_value
        } else {
            slots
                .get_mut(source)
                .and_then(Option::take)
                .map_or(first_value, |entry| entry.1)
        };
        merged.push((key, value));
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn py(text: &str) -> String {
        let mut out = String::new();
        parse_json(text).unwrap().write_py_str(&mut out).unwrap();
        out
    }

    #[test]
    fn loads_like_python() {
        assert_eq!(py("-0"), "0");
        assert_eq!(py("-0.0"), "-0.0");
        assert_eq!(py("1E5"), "100000.0");
        assert_eq!(py("1e400"), "inf");
        assert_eq!(py("[NaN, -Infinity, Infinity]"), "[nan, -inf, inf]");
        assert_eq!(
            py("123456789012345678901234567890"),
            "123456789012345678901234567890"
        );
        assert_eq!(py(r#""\ud83d\ude00\u00e9""#), "\u{1f600}\u{e9}");
        assert_eq!(py(r#"{"a": 1, "b": 2, "a": 3}"#), "{'a': 3, 'b': 2}");
        assert_eq!(py(" { } "), "{}");
    }

    #[test]
    fn rejects_what_python_rejects() {
        let cases = [
            ("01", JsonErrorKind::TrailingData),
            ("[1,]", JsonErrorKind::UnexpectedCharacter),
            ("\"a\tb\"", JsonErrorKind::ControlCharacter),
            (r#""\ud83d""#, JsonErrorKind::LoneSurrogate),
            (r#""\x41""#, JsonErrorKind::BadEscape),
            ("[1", JsonErrorKind::UnexpectedEnd),
            ("1 2", JsonErrorKind::TrailingData),
        ];
        for (text, kind) in cases {
            assert_eq!(parse_json(text).map_err(|e| e.kind), Err(kind), "{text}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(
            parse_json(&deep).map_err(|e| e.kind),
            Err(JsonErrorKind::TooDeep)
        );
        let long_int = "9".repeat(MAX_INT_DIGITS + 1);
        assert_eq!(
            parse_json(&long_int).map_err(|e| e.kind),
            Err(JsonErrorKind::IntegerTooLong)
        );
        assert_eq!(
            parse_json_unique_keys(r#"{"a": 1, "a": 2}"#).map_err(|e| e.kind),
            Err(JsonErrorKind::DuplicateKey)
        );
        assert_eq!(
            parse_json_unique_keys(r#"{"a": "x"}"#),
            Ok(PyValue::Dict(vec![(
                "a".to_string(),
                PyValue::Str("x".to_string())
            )]))
        );
    }
}
