//! Typed runtime calls of node-subtensor, a raw call for everything else, and the
//! (pallet index, call index) table as data.
//!
//! Every typed call is declared once in `call/list.rs`; the declaration generates the
//! [`Call`] variant, its [`CallKind`], its default indices in [`CallTable::SPEC_425`],
//! its argument names and types, its encoder, decoder and human rendering.

mod list;

use core::fmt;

use parity_scale_codec::Output;

use crate::error::{BufferTooSmall, DecodeError};
use crate::scale::{encode_into, Bytes, Counter, Field, Reader, Ty};

pub use list::{Call, CallKind};

/// Deepest nesting of calls (batches inside batches) a decoder accepts; bounds stack use
/// on untrusted input. The runtime itself refuses batches nested in batches.
pub const MAX_CALL_DEPTH: u8 = 8;

/// (pallet index, call index) for every [`CallKind`]: the runtime's numbering as data.
///
/// Start from [`CallTable::SPEC_425`] and override single entries with
/// [`CallTable::set`] when a runtime renumbers a call, or mark a kind the runtime does
/// not have with [`CallTable::unset`] (a table read from metadata does both); decoding
/// takes the first present kind whose entry matches.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CallTable {
    entries: [(u8, u8); CallKind::COUNT],
    present: [bool; CallKind::COUNT],
}

impl CallTable {
    /// The numbering of node-subtensor spec 425 (spec/extrinsic.md section 5).
    pub const SPEC_425: CallTable = CallTable {
        entries: CallKind::SPEC_425_INDICES,
        present: [true; CallKind::COUNT],
    };

    /// The (pallet index, call index) of `kind`. For a kind marked absent with
    /// [`CallTable::unset`] these are its last known indices; use [`CallTable::get`]
    /// to tell.
    pub fn indices(&self, kind: CallKind) -> (u8, u8) {
        self.entries
            .get(kind as usize)
            .copied()
            .unwrap_or((u8::MAX, u8::MAX))
    }

    /// The (pallet index, call index) of `kind`, or `None` when the runtime lacks it.
    pub fn get(&self, kind: CallKind) -> Option<(u8, u8)> {
        self.contains(kind).then(|| self.indices(kind))
    }

    /// Whether the runtime has `kind` (false only after [`CallTable::unset`]).
    pub fn contains(&self, kind: CallKind) -> bool {
        self.present.get(kind as usize).copied().unwrap_or(false)
    }

    /// Overrides the indices of `kind` (and marks it present).
    pub fn set(&mut self, kind: CallKind, pallet: u8, call: u8) {
        if let Some(entry) = self.entries.get_mut(kind as usize) {
            *entry = (pallet, call);
        }
        if let Some(present) = self.present.get_mut(kind as usize) {
            *present = true;
        }
    }

    /// Marks `kind` as missing from the runtime: decoding never yields it (its old
    /// indices may belong to another call there).
    pub fn unset(&mut self, kind: CallKind) {
        if let Some(present) = self.present.get_mut(kind as usize) {
            *present = false;
        }
    }

    /// The present kind numbered (`pallet`, `call`), if any.
    pub fn kind_of(&self, pallet: u8, call: u8) -> Option<CallKind> {
        CallKind::ALL
            .iter()
            .zip(self.entries.iter().zip(self.present.iter()))
            .find(|(_, (&entry, &present))| present && entry == (pallet, call))
            .map(|(&kind, _)| kind)
    }
}

impl Default for CallTable {
    fn default() -> Self {
        Self::SPEC_425
    }
}

impl CallKind {
    /// Finds a kind by its pallet and call names (`"SubtensorModule"`, `"set_weights"`).
    pub fn by_name(pallet: &str, call: &str) -> Option<CallKind> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.pallet_name() == pallet && k.call_name() == call)
    }

    /// The argument names in order, paired with their SCALE types.
    pub fn args(self) -> &'static [(&'static str, &'static Ty)] {
        self.arg_list()
    }
}

impl<'a> Call<'a> {
    /// Appends `pallet ++ call ++ args`, numbering with `table`.
    pub fn encode_to(&self, table: &CallTable, out: &mut dyn Output) {
        self.encode_field(table, out);
    }

    /// The encoded length in bytes.
    pub fn encoded_len(&self, table: &CallTable) -> usize {
        let mut counter = Counter::default();
        self.encode_field(table, &mut counter);
        counter.0
    }

    /// Encodes into the front of `out` without allocating; returns the length written.
    pub fn encode_into(&self, table: &CallTable, out: &mut [u8]) -> Result<usize, BufferTooSmall> {
        encode_into(out, |o| self.encode_field(table, o))
    }

    /// Encodes into a new vector.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self, table: &CallTable) -> alloc::vec::Vec<u8> {
        let mut out = alloc::vec::Vec::with_capacity(self.encoded_len(table));
        self.encode_field(table, &mut out);
        out
    }

    /// Decodes exactly `bytes` as one call; unknown indices are an error.
    pub fn decode(bytes: &'a [u8], table: &'a CallTable) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, table);
        let call = Self::decode_field(&mut r)?;
        r.finish()?;
        Ok(call)
    }

    /// Decodes exactly `bytes` as one call; a call whose indices the table does not know
    /// becomes [`Call::Raw`] (possible only at the top level, where the call's end is the
    /// end of the input).
    pub fn decode_or_raw(bytes: &'a [u8], table: &'a CallTable) -> Result<Self, DecodeError> {
        match Self::decode(bytes, table) {
            Err(DecodeError::UnknownCall { pallet, call })
                if Self::starts_unknown(bytes, table) =>
            {
                let args = bytes.get(2..).unwrap_or_default();
                Ok(Self::Raw {
                    pallet,
                    call,
                    args: Bytes(args),
                })
            }
            other => other,
        }
    }

    fn starts_unknown(bytes: &[u8], table: &CallTable) -> bool {
        match bytes {
            [p, c, ..] => table.kind_of(*p, *c).is_none(),
            _ => false,
        }
    }

    /// A [`fmt::Display`] form for humans: `Pallet.call(name: value, ...)`, accounts in
    /// SS58, amounts with 9 decimals.
    pub fn display(&self) -> CallDisplay<'_, 'a> {
        CallDisplay(self)
    }
}

/// Human-readable rendering of a [`Call`], see [`Call::display`].
pub struct CallDisplay<'c, 'a>(&'c Call<'a>);

impl fmt::Display for CallDisplay<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.render(f)
    }
}

impl<'a> Field<'a> for Call<'a> {
    const MIN_LEN: usize = 2;
    const TYPE: &'static Ty = &Ty::Call;

    fn encode_field(&self, table: &CallTable, out: &mut dyn Output) {
        match self {
            Self::Raw { pallet, call, args } => {
                out.push_byte(*pallet);
                out.push_byte(*call);
                out.write(args.0);
            }
            typed => {
                if let Some(kind) = typed.kind() {
                    let (pallet, call) = table.indices(kind);
                    out.push_byte(pallet);
                    out.push_byte(call);
                }
                typed.encode_args(table, out);
            }
        }
    }

    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let depth = r.depth();
        if depth >= MAX_CALL_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        let pallet = r.u8()?;
        let call = r.u8()?;
        let kind = r
            .table()
            .kind_of(pallet, call)
            .ok_or(DecodeError::UnknownCall { pallet, call })?;
        r.set_depth(depth.saturating_add(1));
        let decoded = Self::decode_args(kind, r);
        r.set_depth(depth);
        decoded
    }

    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Raw { pallet, call, args } => {
                write!(f, "pallet{pallet}.call{call}(")?;
                args.render(f)?;
                write!(f, ")")
            }
            typed => typed.render_typed(f),
        }
    }
}
