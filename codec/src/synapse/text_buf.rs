//! A fixed-capacity string on the stack, so canonical-text checks, float formatting and
//! signing messages need no allocator.

use core::fmt;

/// Up to `N` bytes of UTF-8 text; writing past the capacity fails with [`fmt::Error`]
/// and leaves what was written before.
#[derive(Clone)]
pub(crate) struct TextBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> TextBuf<N> {
    /// An empty buffer.
    pub(crate) const fn new() -> Self {
        Self {
            bytes: [0u8; N],
            len: 0,
        }
    }

    /// The bytes written so far.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// The text written so far.
    pub(crate) fn as_str(&self) -> &str {
        // Only whole `&str`s are ever appended, so the contents are always UTF-8.
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl<const N: usize> fmt::Write for TextBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A [`fmt::Write`] that compares what is written against an expected text, so
/// "does this value render to exactly this header?" needs no buffer.
pub(crate) struct MatchWriter<'a> {
    rest: &'a str,
    matched: bool,
}

impl<'a> MatchWriter<'a> {
    pub(crate) fn new(expected: &'a str) -> Self {
        Self {
            rest: expected,
            matched: true,
        }
    }

    /// True when everything written equals the whole expected text.
    pub(crate) fn finish(self) -> bool {
        self.matched && self.rest.is_empty()
    }
}

impl fmt::Write for MatchWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match self.rest.strip_prefix(s) {
            Some(rest) => {
                self.rest = rest;
                Ok(())
            }
            None => {
                self.matched = false;
                Err(fmt::Error)
            }
        }
    }
}

/// True when `render` writes exactly `expected`.
pub(crate) fn renders_as(
    expected: &str,
    render: impl FnOnce(&mut MatchWriter<'_>) -> fmt::Result,
) -> bool {
    let mut writer = MatchWriter::new(expected);
    render(&mut writer).is_ok() && writer.finish()
}
