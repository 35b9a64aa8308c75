//! Sparse rows in one flat compressed-row layout.
//!
//! The chain stores weights and bonds as one `Vec<(u16, value)>` per uid. Keeping all rows
//! in a single entry array with row offsets costs one allocation instead of `n`, keeps
//! rows contiguous for the cache, and encodes to SCALE as two flat vectors.

use alloc::vec::Vec;
use parity_scale_codec::{Decode, Encode};

/// Rows of `(uid, value)` entries in storage order, stored as row offsets plus one flat
/// entry array (compressed sparse rows).
///
/// Row `i` is `entries[offsets[i]..offsets[i + 1]]`; `offsets` starts with 0 and never
/// decreases. A value decoded from untrusted bytes may break that rule: [`Self::is_valid`]
/// says so, and the accessors then return empty rows instead of panicking.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SparseRows<T> {
    offsets: Vec<u32>,
    entries: Vec<(u16, T)>,
}

/// Returned when rows would hold more entries than the `u32` offsets can address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyEntries;

impl core::fmt::Display for TooManyEntries {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("sparse rows hold more than u32::MAX entries")
    }
}

impl core::error::Error for TooManyEntries {}

impl<T> Default for SparseRows<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> SparseRows<T> {
    /// No rows at all.
    pub fn new() -> Self {
        Self {
            offsets: alloc::vec![0],
            entries: Vec::new(),
        }
    }

    /// No rows, with room reserved for `rows` rows and `entries` entries.
    pub fn with_capacity(rows: usize, entries: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows.saturating_add(1));
        offsets.push(0);
        Self {
            offsets,
            entries: Vec::with_capacity(entries),
        }
    }

    /// Builds rows from their offsets and entries; `None` unless the layout is valid.
    pub fn from_parts(offsets: Vec<u32>, entries: Vec<(u16, T)>) -> Option<Self> {
        let rows = Self { offsets, entries };
        rows.is_valid().then_some(rows)
    }

    /// Whether the offsets start at 0, never decrease and end at the entry count.
    pub fn is_valid(&self) -> bool {
        self.offsets.first() == Some(&0)
            && self.offsets.windows(2).all(|w| w.first() <= w.get(1))
            && self.offsets.last().map(|&last| last as usize) == Some(self.entries.len())
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Total number of entries over all rows.
    pub fn nnz(&self) -> usize {
        self.entries.len()
    }

    /// Row `i` in storage order; empty when `i` is out of range (or the layout invalid).
    pub fn row(&self, i: usize) -> &[(u16, T)] {
        let (Some(&start), Some(&end)) = (self.offsets.get(i), self.offsets.get(i.wrapping_add(1)))
        else {
            return &[];
        };
        self.entries
            .get(start as usize..end as usize)
            .unwrap_or(&[])
    }

    /// Iterates over the rows in order.
    pub fn iter_rows(&self) -> impl Iterator<Item = &[(u16, T)]> + '_ {
        (0..self.rows()).map(move |i| self.row(i))
    }

    /// Appends one entry to the row under construction (the last one begun by
    /// [`Self::finish_row`]'s predecessor); call [`Self::finish_row`] to close it.
    pub fn push_entry(&mut self, uid: u16, value: T) {
        self.entries.push((uid, value));
    }

    /// Closes the row under construction (possibly empty).
    pub fn finish_row(&mut self) -> Result<(), TooManyEntries> {
        let end = u32::try_from(self.entries.len()).map_err(|_| TooManyEntries)?;
        self.offsets.push(end);
        Ok(())
    }

    /// Appends a whole row.
    pub fn push_row<I: IntoIterator<Item = (u16, T)>>(
        &mut self,
        row: I,
    ) -> Result<(), TooManyEntries> {
        self.entries.extend(row);
        self.finish_row()
    }

    /// Appends a row of `len` entries that `fill` writes by position into slots of
    /// `(0, T::default())`: for loops that vectorise, which an iterator's `extend`
    /// may not. Nothing is appended when the entries would overflow the offsets.
    pub(crate) fn push_row_filled(
        &mut self,
        len: usize,
        fill: impl FnOnce(&mut [(u16, T)]),
    ) -> Result<(), TooManyEntries>
    where
        T: Default + Clone,
    {
        let start = self.entries.len();
        let end = start.checked_add(len).ok_or(TooManyEntries)?;
        u32::try_from(end).map_err(|_| TooManyEntries)?;
        self.entries.resize(end, (0, T::default()));
        if let Some(slots) = self.entries.get_mut(start..) {
            fill(slots);
        }
        self.finish_row()
    }

    /// Builds rows from nested vectors (convenient in tests and for JSON).
    pub fn from_nested<R, I>(rows: R) -> Result<Self, TooManyEntries>
    where
        R: IntoIterator<Item = I>,
        I: IntoIterator<Item = (u16, T)>,
    {
        let mut out = Self::new();
        for row in rows {
            out.push_row(row)?;
        }
        Ok(out)
    }

    /// Maps every value, keeping the layout.
    pub fn map<U>(&self, mut f: impl FnMut(&T) -> U) -> SparseRows<U> {
        SparseRows {
            offsets: self.offsets.clone(),
            entries: self.entries.iter().map(|(j, v)| (*j, f(v))).collect(),
        }
    }

    /// Row offsets (length rows + 1).
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// All entries of all rows, row after row.
    pub fn entries(&self) -> &[(u16, T)] {
        &self.entries
    }

    /// Drops every row, keeping the allocations.
    pub fn clear(&mut self) {
        self.offsets.clear();
        self.offsets.push(0);
        self.entries.clear();
    }
}

#[cfg(feature = "serde")]
mod json {
    //! JSON form: an array of rows, each an array of `[uid, value]` pairs.

    use super::SparseRows;
    use core::fmt;
    use core::marker::PhantomData;
    use serde::de::{DeserializeSeed, SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl<T: Serialize> Serialize for SparseRows<T> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut seq = serializer.serialize_seq(Some(self.rows()))?;
            for row in self.iter_rows() {
                seq.serialize_element(row)?;
            }
            seq.end()
        }
    }

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for SparseRows<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_seq(RowsVisitor(PhantomData))
        }
    }

    struct RowsVisitor<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for RowsVisitor<T> {
        type Value = SparseRows<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of rows of [uid, value] pairs")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut rows = SparseRows::new();
            while seq.next_element_seed(RowSeed(&mut rows))?.is_some() {
                rows.finish_row().map_err(serde::de::Error::custom)?;
            }
            Ok(rows)
        }
    }

    /// Appends one row's entries straight into the flat entry array.
    struct RowSeed<'a, T>(&'a mut SparseRows<T>);

    impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for RowSeed<'_, T> {
        type Value = ();

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_seq(self)
        }
    }

    impl<'de, T: Deserialize<'de>> Visitor<'de> for RowSeed<'_, T> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a row of [uid, value] pairs")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some((uid, value)) = seq.next_element::<(u16, T)>()? {
                self.0.push_entry(uid, value);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn rows_round_trip_through_offsets() {
        let rows = SparseRows::from_nested(vec![vec![(1u16, 5u16)], vec![], vec![(0, 1), (2, 3)]])
            .unwrap();
        assert_eq!(rows.rows(), 3);
        assert_eq!(rows.row(0), &[(1, 5)]);
        assert!(rows.row(1).is_empty());
        assert_eq!(rows.row(2), &[(0, 1), (2, 3)]);
        assert!(rows.row(3).is_empty());
        assert!(rows.is_valid());
    }

    #[test]
    fn invalid_layout_is_detected_and_harmless() {
        assert!(SparseRows::<u16>::from_parts(vec![0, 3], vec![(0, 1)]).is_none());
        let bad: SparseRows<u16> = SparseRows {
            offsets: vec![0, 5, 1],
            entries: vec![(0, 1)],
        };
        assert!(!bad.is_valid());
        assert!(bad.row(0).is_empty());
        assert!(bad.row(1).is_empty());
    }
}
