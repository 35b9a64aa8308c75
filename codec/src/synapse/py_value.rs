//! The Python values a Synapse body carries, and their `str()`: bittensor hashes the
//! `str()` of each required field, so the body hash depends on CPython's rendering of
//! ints, floats, bools, `None`, strings and containers.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use super::py_float::write_py_float;
use super::py_printable::is_printable_non_ascii;

/// Containers nested deeper than this are refused when rendering (and when parsing JSON),
/// so hostile input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// A value as `json.loads` / `model_dump()` gives it to Python.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int` of any size, held as its canonical decimal text (`-` sign, no leading zeros).
    Int(String),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `list`.
    List(Vec<PyValue>),
    /// A `tuple` (never produced from JSON; for callers building values by hand).
    Tuple(Vec<PyValue>),
    /// A `dict` with string keys, in insertion order.
    Dict(Vec<(String, PyValue)>),
}

impl PyValue {
    /// Writes Python's `str(self)`: strings as they are, everything else as `repr`.
    pub fn write_py_str<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        match self {
            PyValue::Str(text) => out.write_str(text),
            other => other.write_repr(out, 0),
        }
    }

    /// Writes Python's `repr(self)`.
    pub fn write_py_repr<W: Write + ?Sized>(&self, out: &mut W) -> fmt::Result {
        self.write_repr(out, 0)
    }

    fn write_repr<W: Write + ?Sized>(&self, out: &mut W, depth: usize) -> fmt::Result {
        if depth > MAX_DEPTH {
            return Err(fmt::Error);
        }
        let inner = depth.saturating_add(1);
        match self {
            PyValue::None => out.write_str("None"),
            PyValue::Bool(true) => out.write_str("True"),
            PyValue::Bool(false) => out.write_str("False"),
            PyValue::Int(digits) => out.write_str(digits),
            PyValue::Float(value) => write_py_float(*value, out),
            PyValue::Str(text) => write_str_repr(text, out),
            PyValue::List(items) => {
                out.write_char('[')?;
                write_items(items, out, inner)?;
                out.write_char(']')
            }
            PyValue::Tuple(items) => {
                out.write_char('(')?;
                write_items(items, out, inner)?;
                if items.len() == 1 {
                    out.write_char(',')?;
                }
                out.write_char(')')
            }
            PyValue::Dict(entries) => {
                out.write_char('{')?;
                for (index, (key, value)) in entries.iter().enumerate() {
                    if index > 0 {
                        out.write_str(", ")?;
                    }
                    write_str_repr(key, out)?;
                    out.write_str(": ")?;
                    value.write_repr(out, inner)?;
                }
                out.write_char('}')
            }
        }
    }
}

fn write_items<W: Write + ?Sized>(items: &[PyValue], out: &mut W, depth: usize) -> fmt::Result {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.write_str(", ")?;
        }
        item.write_repr(out, depth)?;
    }
    Ok(())
}

/// Writes CPython's `repr(str)`: single quotes unless the text has `'` and no `"`,
/// backslash escapes for the quote, `\\`, `\t`, `\n`, `\r`, `\xNN` for other ASCII
/// controls and DEL, and `\xNN` / `\uNNNN` / `\UNNNNNNNN` for non-printable non-ASCII.
pub fn write_str_repr<W: Write + ?Sized>(text: &str, out: &mut W) -> fmt::Result {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.write_char(quote)?;
    for ch in text.chars() {
        match ch {
            '\\' => out.write_str("\\\\")?,
            '\t' => out.write_str("\\t")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            c if c == quote => {
                out.write_char('\\')?;
                out.write_char(c)?;
            }
            c if c < ' ' || c == '\u{7f}' => write!(out, "\\x{:02x}", u32::from(c))?,
            c if c.is_ascii() || is_printable_non_ascii(c) => out.write_char(c)?,
            c if u32::from(c) <= 0xff => write!(out, "\\x{:02x}", u32::from(c))?,
            c if u32::from(c) <= 0xffff => write!(out, "\\u{:04x}", u32::from(c))?,
            c => write!(out, "\\U{:08x}", u32::from(c))?,
        }
    }
    out.write_char(quote)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    fn py_str(value: &PyValue) -> String {
        let mut out = String::new();
        value.write_py_str(&mut out).unwrap();
        out
    }

    fn s(text: &str) -> PyValue {
        PyValue::Str(text.to_string())
    }

    #[test]
    fn string_repr_follows_cpython() {
        let cases: &[(&str, &str)] = &[
            ("plain", "'plain'"),
            ("it's", "\"it's\""),
            ("say \"hi\"", "'say \"hi\"'"),
            ("both ' and \"", "'both \\' and \"'"),
            ("tab\tnl\n\r\\", "'tab\\tnl\\n\\r\\\\'"),
            ("\u{0}\u{7f}\u{1b}", "'\\x00\\x7f\\x1b'"),
            ("caf\u{e9} \u{2603}", "'caf\u{e9} \u{2603}'"),
            ("\u{a0}\u{ad}\u{85}", "'\\xa0\\xad\\x85'"),
            ("\u{200b}\u{2028}\u{feff}", "'\\u200b\\u2028\\ufeff'"),
            (
                "\u{e000}\u{10ffff}\u{1f600}",
                "'\\ue000\\U0010ffff\u{1f600}'",
            ),
        ];
        for &(text, expected) in cases {
            let mut out = String::new();
            write_str_repr(text, &mut out).unwrap();
            assert_eq!(out, expected, "repr of {text:?}");
        }
    }

    #[test]
    fn containers_follow_cpython() {
        let tuple1 = PyValue::Tuple(vec![PyValue::Int("1".to_string())]);
        assert_eq!(py_str(&tuple1), "(1,)");
        let tuple2 = PyValue::Tuple(vec![
            PyValue::Int("1".to_string()),
            PyValue::Int("2".to_string()),
        ]);
        assert_eq!(py_str(&tuple2), "(1, 2)");
        assert_eq!(py_str(&PyValue::Tuple(vec![])), "()");
        let dict = PyValue::Dict(vec![
            ("a".to_string(), PyValue::Int("1".to_string())),
            (
                "b".to_string(),
                PyValue::List(vec![PyValue::Float(2.5), PyValue::None, s("x'y")]),
            ),
        ]);
        assert_eq!(py_str(&dict), "{'a': 1, 'b': [2.5, None, \"x'y\"]}");
        assert_eq!(py_str(&s("top 'level'")), "top 'level'");
    }

    #[test]
    fn too_deep_is_an_error_not_a_crash() {
        let mut value = PyValue::None;
        for _ in 0..(MAX_DEPTH + 2) {
            value = PyValue::List(vec![value]);
        }
        let mut out = String::new();
        assert!(value.write_py_str(&mut out).is_err());
    }
}
