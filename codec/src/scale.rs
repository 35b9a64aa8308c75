//! SCALE building blocks: a bounded reader, allocation-free outputs, and [`Field`], the
//! trait every argument and storage value implements so that calls can be encoded,
//! decoded zero-copy and rendered from one description.
//!
//! Variable-length values decode to borrowed views ([`Seq`], [`Bytes`]) of the input:
//! nothing is allocated, so an untrusted length can never reserve more memory than the
//! input already occupies.

use core::fmt;

pub use parity_scale_codec::{Compact, Output};

use parity_scale_codec::Decode;
use taolite_core::{AccountId32, H256};

use crate::call::CallTable;
use crate::error::{BufferTooSmall, DecodeError};

/// A cursor over untrusted input. Carries the call table (for nested calls) and the
/// current call nesting depth.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
    table: &'a CallTable,
    depth: u8,
}

impl<'a> Reader<'a> {
    /// Starts reading `bytes`, resolving call indices through `table`.
    pub fn new(bytes: &'a [u8], table: &'a CallTable) -> Self {
        Self {
            rest: bytes,
            table,
            depth: 0,
        }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The call table used for nested calls.
    pub fn table(&self) -> &'a CallTable {
        self.table
    }

    pub(crate) fn depth(&self) -> u8 {
        self.depth
    }

    pub(crate) fn set_depth(&mut self, depth: u8) {
        self.depth = depth;
    }

    pub(crate) fn with_depth(bytes: &'a [u8], table: &'a CallTable, depth: u8) -> Self {
        Self {
            rest: bytes,
            table,
            depth,
        }
    }

    /// Fails with [`DecodeError::TrailingBytes`] unless everything was read.
    pub fn finish(&self) -> Result<(), DecodeError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes {
                count: self.rest.len(),
            })
        }
    }

    /// Takes the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.rest.len() {
            return Err(DecodeError::Truncated);
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    /// Takes everything that is left.
    pub fn take_rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.rest)
    }

    /// Takes the next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let bytes = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(u8::from_le_bytes(self.array()?))
    }

    /// A compact integer of type `T`, rejecting non-minimal forms (via parity-scale-codec).
    pub fn compact<T>(&mut self) -> Result<T, DecodeError>
    where
        Compact<T>: Decode,
    {
        let first = *self.rest.first().ok_or(DecodeError::Truncated)?;
        let needed = match first & 0b11 {
            0b00 => 1,
            0b01 => 2,
            0b10 => 4,
            _ => usize::from(first >> 2).saturating_add(5),
        };
        if needed > self.rest.len() {
            return Err(DecodeError::Truncated);
        }
        let mut input = self.rest;
        let value = Compact::<T>::decode(&mut input).map_err(|_| DecodeError::BadCompact)?;
        self.rest = input;
        Ok(value.0)
    }

    /// A `Vec` length prefix, checked against what the input can still hold when every
    /// item needs at least `min_item_len` bytes.
    pub fn length(&mut self, min_item_len: usize) -> Result<u32, DecodeError> {
        let declared = self.compact::<u32>()?;
        let needed = usize::try_from(declared)
            .ok()
            .and_then(|n| n.checked_mul(min_item_len));
        match needed {
            Some(needed) if needed <= self.rest.len() => Ok(declared),
            _ => Err(DecodeError::Oversize {
                declared,
                available: self.rest.len(),
            }),
        }
    }
}

/// An [`Output`] that only counts bytes: how long an encoding will be.
#[derive(Default, Debug)]
pub struct Counter(pub usize);

impl Output for Counter {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.saturating_add(bytes.len());
    }
}

/// An [`Output`] into a caller buffer. Writes past the end are dropped and remembered.
#[derive(Debug)]
pub struct SliceOutput<'b> {
    buf: &'b mut [u8],
    pos: usize,
    overflow: bool,
}

impl<'b> SliceOutput<'b> {
    /// Writes from the start of `buf`.
    pub fn new(buf: &'b mut [u8]) -> Self {
        Self {
            buf,
            pos: 0,
            overflow: false,
        }
    }

    /// Bytes written so far, or `None` if anything did not fit.
    pub fn written(&self) -> Option<usize> {
        (!self.overflow).then_some(self.pos)
    }
}

impl Output for SliceOutput<'_> {
    fn write(&mut self, bytes: &[u8]) {
        let end = self.pos.checked_add(bytes.len());
        match end.and_then(|end| self.buf.get_mut(self.pos..end)) {
            Some(dst) if !self.overflow => {
                dst.copy_from_slice(bytes);
                self.pos = self.pos.saturating_add(bytes.len());
            }
            _ => self.overflow = true,
        }
    }
}

/// Encodes with `write` into the front of `out`, after measuring: on a short buffer
/// nothing is written and the needed length is reported.
pub fn encode_into(
    out: &mut [u8],
    write: impl Fn(&mut dyn Output),
) -> Result<usize, BufferTooSmall> {
    let mut counter = Counter::default();
    write(&mut counter);
    let needed = counter.0;
    if needed > out.len() {
        return Err(BufferTooSmall {
            needed,
            available: out.len(),
        });
    }
    let mut output = SliceOutput::new(out);
    write(&mut output);
    output.written().ok_or(BufferTooSmall {
        needed,
        available: out.len(),
    })
}

/// A value that is a call argument or a storage value: encodes, decodes zero-copy from a
/// [`Reader`], and renders for humans.
pub trait Field<'a>: Sized + Copy {
    /// The fewest bytes one value can occupy; bounds length prefixes (never 0).
    const MIN_LEN: usize;
    /// The SCALE type, for generic tools (JSON arguments, generators, listings).
    const TYPE: &'static Ty;
    /// Appends the SCALE encoding (`table` resolves nested call indices).
    fn encode_field(&self, table: &CallTable, out: &mut dyn Output);
    /// Reads one value.
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError>;
    /// Writes the value for a human: SS58 for accounts, hex for bytes and hashes.
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

macro_rules! int_field {
    ($($t:ty => $ty:ident),*) => {$(
        impl<'a> Field<'a> for $t {
            const MIN_LEN: usize = core::mem::size_of::<$t>();
            const TYPE: &'static Ty = &Ty::$ty;
            fn encode_field(&self, _: &CallTable, out: &mut dyn Output) {
                out.write(&self.to_le_bytes());
            }
            fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
                Ok(<$t>::from_le_bytes(r.array()?))
            }
            fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{self}")
            }
        }
    )*};
}
int_field!(u8 => U8, u16 => U16, u32 => U32, u64 => U64, u128 => U128, i16 => I16, i64 => I64);

impl<'a> Field<'a> for bool {
    const MIN_LEN: usize = 1;
    const TYPE: &'static Ty = &Ty::Bool;
    fn encode_field(&self, _: &CallTable, out: &mut dyn Output) {
        out.push_byte(u8::from(*self));
    }
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(DecodeError::InvalidBool(b)),
        }
    }
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl<'a> Field<'a> for AccountId32 {
    const MIN_LEN: usize = 32;
    const TYPE: &'static Ty = &Ty::AccountId;
    fn encode_field(&self, _: &CallTable, out: &mut dyn Output) {
        out.write(&self.0);
    }
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        Ok(Self(r.array()?))
    }
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl<'a> Field<'a> for H256 {
    const MIN_LEN: usize = 32;
    const TYPE: &'static Ty = &Ty::H256;
    fn encode_field(&self, _: &CallTable, out: &mut dyn Output) {
        out.write(&self.0);
    }
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        Ok(Self(r.array()?))
    }
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl<'a, T: Field<'a>> Field<'a> for Option<T> {
    const MIN_LEN: usize = 1;
    const TYPE: &'static Ty = &Ty::Option(T::TYPE);
    fn encode_field(&self, table: &CallTable, out: &mut dyn Output) {
        match self {
            None => out.push_byte(0),
            Some(v) => {
                out.push_byte(1);
                v.encode_field(table, out);
            }
        }
    }
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(None),
            1 => T::decode_field(r).map(Some),
            b => Err(DecodeError::InvalidOption(b)),
        }
    }
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            None => write!(f, "None"),
            Some(v) => v.render(f),
        }
    }
}

macro_rules! tuple_field {
    ($($name:ident),+) => {
        impl<'a, $($name: Field<'a>),+> Field<'a> for ($($name,)+) {
            const MIN_LEN: usize = 0 $(+ $name::MIN_LEN)+;
            const TYPE: &'static Ty = &Ty::Tuple(&[$($name::TYPE),+]);
            #[allow(non_snake_case)]
            fn encode_field(&self, table: &CallTable, out: &mut dyn Output) {
                let ($($name,)+) = self;
                $($name.encode_field(table, out);)+
            }
            fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
                Ok(($($name::decode_field(r)?,)+))
            }
            #[allow(non_snake_case)]
            fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let ($($name,)+) = self;
                write!(f, "(")?;
                let mut first = true;
                $(
                    if !first { write!(f, ", ")?; }
                    first = false;
                    $name.render(f)?;
                )+
                let _ = first;
                write!(f, ")")
            }
        }
    };
}
tuple_field!(A, B);
tuple_field!(A, B, C, D);

macro_rules! compact_field {
    ($($t:ty),*) => {$(
        impl<'a> Field<'a> for Compact<$t> {
            const MIN_LEN: usize = 1;
            const TYPE: &'static Ty = &Ty::Compact(<$t as Field<'a>>::TYPE);
            fn encode_field(&self, _: &CallTable, out: &mut dyn Output) {
                parity_scale_codec::Encode::encode_to(self, &mut OutputRef(out));
            }
            fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
                r.compact::<$t>().map(Compact)
            }
            fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}
compact_field!(u16, u32, u64, u128);

/// Lets a `&mut dyn Output` stand where parity-scale-codec wants a sized `Output`.
pub(crate) struct OutputRef<'o>(pub(crate) &'o mut dyn Output);

impl Output for OutputRef<'_> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
}

/// Appends `Compact(n)`.
pub(crate) fn write_compact_u32(n: u32, out: &mut dyn Output) {
    parity_scale_codec::Encode::encode_to(&Compact(n), &mut OutputRef(out));
}

/// Appends `Compact(n)` for a 64-bit value.
pub(crate) fn write_compact_u64(n: u64, out: &mut dyn Output) {
    parity_scale_codec::Encode::encode_to(&Compact(n), &mut OutputRef(out));
}

/// A length as a `u32` compact prefix. Lengths above `u32::MAX` cannot be SCALE-encoded
/// and cannot occur for in-memory slices on the targets we support; they saturate.
pub(crate) fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// `Vec<u8>` / `BoundedVec<u8, N>`: a byte string borrowed from the input.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Bytes<'a>(pub &'a [u8]);

impl fmt::Debug for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        taolite_core::hex::fmt_prefixed(self.0, f)
    }
}

impl<'a> Field<'a> for Bytes<'a> {
    const MIN_LEN: usize = 1;
    const TYPE: &'static Ty = &Ty::Bytes;
    fn encode_field(&self, _: &CallTable, out: &mut dyn Output) {
        write_compact_u32(len_u32(self.0.len()), out);
        out.write(self.0);
    }
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let n = r.length(1)?;
        let n = usize::try_from(n).map_err(|_| DecodeError::Truncated)?;
        r.take(n).map(Bytes)
    }
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        taolite_core::hex::fmt_prefixed(self.0, f)
    }
}

/// `Vec<T>`: either items the caller holds, or a validated span of input decoded lazily.
#[derive(Clone, Copy)]
pub enum Seq<'a, T> {
    /// Items built by the caller.
    Items(&'a [T]),
    /// Items still in their SCALE form, already validated when decoded.
    Encoded(EncodedSeq<'a>),
}

/// The encoded form of a [`Seq`]: the item count and the bytes of all items.
#[derive(Clone, Copy, Debug)]
pub struct EncodedSeq<'a> {
    count: u32,
    bytes: &'a [u8],
    table: &'a CallTable,
    depth: u8,
}

impl<'a, T: Field<'a>> Seq<'a, T> {
    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            Self::Items(items) => items.len(),
            Self::Encoded(e) => usize::try_from(e.count).unwrap_or(usize::MAX),
        }
    }

    /// True when there are no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items in order.
    pub fn iter(&self) -> SeqIter<'a, T> {
        match *self {
            Self::Items(items) => SeqIter::Items(items.iter()),
            Self::Encoded(e) => SeqIter::Encoded {
                reader: Reader::with_depth(e.bytes, e.table, e.depth),
                left: e.count,
            },
        }
    }
}

/// Iterator over a [`Seq`].
pub enum SeqIter<'a, T> {
    /// Over caller items.
    Items(core::slice::Iter<'a, T>),
    /// Over validated encoded items.
    Encoded {
        /// Cursor in the items' bytes.
        reader: Reader<'a>,
        /// Items not yet returned.
        left: u32,
    },
}

impl<'a, T: Field<'a>> Iterator for SeqIter<'a, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        match self {
            Self::Items(it) => it.next().copied(),
            Self::Encoded { reader, left } => {
                *left = left.checked_sub(1)?;
                // The span was validated when decoded, so this cannot fail; stop if it does.
                T::decode_field(reader).ok()
            }
        }
    }
}

impl<'a, T: Field<'a> + PartialEq> PartialEq for Seq<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<'a, T: Field<'a> + fmt::Debug> fmt::Debug for Seq<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, T: Field<'a>> Field<'a> for Seq<'a, T> {
    const MIN_LEN: usize = 1;
    const TYPE: &'static Ty = &Ty::Vec(T::TYPE);
    fn encode_field(&self, table: &CallTable, out: &mut dyn Output) {
        write_compact_u32(len_u32(self.len()), out);
        for item in self.iter() {
            item.encode_field(table, out);
        }
    }
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let count = r.length(T::MIN_LEN)?;
        let start = r.rest();
        for _ in 0..count {
            T::decode_field(r)?;
        }
        let used = start.len().saturating_sub(r.rest().len());
        let bytes = start.get(..used).ok_or(DecodeError::Truncated)?;
        Ok(Self::Encoded(EncodedSeq {
            count,
            bytes,
            table: r.table(),
            depth: r.depth(),
        }))
    }
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[")?;
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                write!(f, ", ")?;
            }
            item.render(f)?;
        }
        write!(f, "]")
    }
}

/// `BTreeSet<u16>` (e.g. a set of subnets). Encodes its items in the order given: pass
/// them ascending and without duplicates to get the canonical bytes the chain produces
/// (the chain also accepts other orders, as decoding a set re-sorts it).
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct U16Set<'a>(pub Seq<'a, u16>);

impl<'a> Field<'a> for U16Set<'a> {
    const MIN_LEN: usize = 1;
    const TYPE: &'static Ty = &Ty::Set(&Ty::U16);
    fn encode_field(&self, table: &CallTable, out: &mut dyn Output) {
        self.0.encode_field(table, out);
    }
    fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        Seq::decode_field(r).map(Self)
    }
    fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.render(f)
    }
}

/// Writes `rao` as a decimal amount with 9 fractional digits (1 TAO = 10^9 rao).
pub fn fmt_units(rao: u64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    const ONE: u64 = 1_000_000_000;
    write!(f, "{}.{:09}", rao / ONE, rao % ONE)
}

macro_rules! amount_field {
    ($(#[$doc:meta] $name:ident, $unit:literal, $compact:literal;)*) => {$(
        #[$doc]
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
        pub struct $name(pub u64);

        impl<'a> Field<'a> for $name {
            const MIN_LEN: usize = if $compact { 1 } else { 8 };
            const TYPE: &'static Ty = &Ty::$name;
            fn encode_field(&self, _: &CallTable, out: &mut dyn Output) {
                if $compact {
                    write_compact_u64(self.0, out);
                } else {
                    out.write(&self.0.to_le_bytes());
                }
            }
            fn decode_field(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
                if $compact {
                    r.compact::<u64>().map(Self)
                } else {
                    u64::decode_field(r).map(Self)
                }
            }
            fn render(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt_units(self.0, f)?;
                write!(f, " {}", $unit)
            }
        }
    )*};
}
amount_field! {
    /// A TAO amount in rao, encoded as a plain u64 (`TaoBalance`).
    Tao, "TAO", false;
    /// A TAO amount in rao, encoded `Compact<u64>` (Balances pallet values).
    CompactTao, "TAO", true;
    /// An alpha (subnet token) amount in its 10^-9 units, plain u64 (`AlphaBalance`).
    Alpha, "alpha", false;
    /// A limit price in rao per alpha unit (TAO per alpha scaled by 10^9), plain u64.
    Price, "TAO/alpha", false;
}

/// A SCALE type as data: what [`Field::TYPE`] describes. Lets generic code (JSON
/// arguments, random generators, listings) walk any call's arguments.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// `u8`.
    U8,
    /// `u16` (also `NetUid`, uids, weights).
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `u128`.
    U128,
    /// `i16`.
    I16,
    /// `i64`.
    I64,
    /// 32-byte account id.
    AccountId,
    /// 32-byte hash.
    H256,
    /// `Vec<u8>`.
    Bytes,
    /// `Compact<T>`.
    Compact(&'static Ty),
    /// `Option<T>`.
    Option(&'static Ty),
    /// `Vec<T>`.
    Vec(&'static Ty),
    /// `BTreeSet<T>`: encoded as a `Vec<T>` in ascending order without duplicates.
    Set(&'static Ty),
    /// A tuple.
    Tuple(&'static [&'static Ty]),
    /// `MultiAddress<AccountId32, ()>`.
    MultiAddress,
    /// A nested `RuntimeCall`.
    Call,
    /// TAO in rao, plain u64.
    Tao,
    /// TAO in rao, `Compact<u64>`.
    CompactTao,
    /// Alpha in 10^-9 units, plain u64.
    Alpha,
    /// Limit price in rao per alpha, plain u64.
    Price,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bool => write!(f, "bool"),
            Self::U8 => write!(f, "u8"),
            Self::U16 => write!(f, "u16"),
            Self::U32 => write!(f, "u32"),
            Self::U64 | Self::Tao | Self::Alpha | Self::Price => write!(f, "u64"),
            Self::U128 => write!(f, "u128"),
            Self::I16 => write!(f, "i16"),
            Self::I64 => write!(f, "i64"),
            Self::AccountId => write!(f, "AccountId"),
            Self::H256 => write!(f, "H256"),
            Self::Bytes => write!(f, "Vec<u8>"),
            Self::Compact(t) => write!(f, "Compact<{t}>"),
            Self::CompactTao => write!(f, "Compact<u64>"),
            Self::Option(t) => write!(f, "Option<{t}>"),
            Self::Vec(t) => write!(f, "Vec<{t}>"),
            Self::Set(t) => write!(f, "BTreeSet<{t}>"),
            Self::Tuple(ts) => {
                write!(f, "(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{t}")?;
                }
                write!(f, ")")
            }
            Self::MultiAddress => write!(f, "MultiAddress"),
            Self::Call => write!(f, "RuntimeCall"),
        }
    }
}
