//! The weighted medians of dense enough matrices by buckets of scores (see the parent
//! module): no transposition, three passes over the rows, and a select inside the
//! crossing bucket only.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use core::ops::Range;

use super::{score_of, validator_of, weighted_select, Voters, INDEX_BITS};
use crate::cpu::{self, Isa, Kernel};
use crate::epoch::{lists_columns, StoredRow, MASKED};
use crate::split::{self, Split};

/// log2 of the buckets per column in [`medians_by_buckets`]. 64 buckets measured
/// 10 % faster than 32 for a whole n = 256 epoch at full density: the crossing bucket
/// holds half as many candidates to gather and sort (about four of 256 voters).
const BUCKET_BITS: u32 = 6;
pub(super) const BUCKETS: usize = 1 << BUCKET_BITS;
/// The low bits that index a bucket.
const BUCKET_MASK: u32 = (1 << BUCKET_BITS) - 1;

/// A weight as a score: a removed entry scores 0, like a validator without an entry.
#[inline(always)]
fn score(v: u32) -> u32 {
    if v == MASKED {
        0
    } else {
        v
    }
}

/// A bucket sum packs the share total (below 2^48) under the count of scores (below
/// 2^16).
const COUNT_SHIFT: u32 = 48;
const MASS_MASK: u64 = (1 << COUNT_SHIFT) - 1;

/// [`AddShares`] takes a full row's entries in chunks of this many columns: a chunk's
/// bucket indices are computed as vector steps before they are used one by one.
const CHUNK: usize = 64;

/// [`GatherCandidates`] tests a full row's columns this many at a time: their
/// matches become the bits of one word, and only the set bits are visited (with one
/// score in 64 inside its chosen bucket, about one per chunk).
const TEST_CHUNK: usize = 64;

/// Each column's bucket geometry: a score `v` falls in bucket `(v − low) >> shift`,
/// below [`BUCKETS`].
struct Geometry {
    /// The smallest score (0 when some voter has no entry in the column).
    low: Vec<u32>,
    shift: Vec<u32>,
}

impl Geometry {
    #[inline(always)]
    fn bucket(low: u32, shift: u32, v: u32) -> u32 {
        // low ≤ v ≤ high, so the bucket is below BUCKETS (the shift's choice) and the
        // mask changes nothing; it keeps the index in range for any input.
        (v.wrapping_sub(low) >> (shift & 31)) & BUCKET_MASK
    }
}

/// The second pass: adds each voter's share (under a count of 1) to the bucket of its
/// score in every column, for rows holding the columns from `first` on.
struct AddShares<'k> {
    rows: &'k [StoredRow<'k>],
    shares: &'k [u64],
    first: usize,
    geometry: &'k Geometry,
    sums: &'k mut [[u64; BUCKETS]],
}

impl Kernel for AddShares<'_> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let Geometry { low, shift } = self.geometry;
        let n = self.sums.len();
        let columns = self.first..self.first.wrapping_add(n);
        let rows = || self.rows.iter().zip(self.shares);
        for (&(entries, values), &share) in rows() {
            if lists_columns(entries, columns.clone()) {
                continue;
            }
            let add = share | 1 << COUNT_SHIFT;
            for (&(j, _), &v) in entries.iter().zip(values) {
                let k = usize::from(j).wrapping_sub(self.first);
                if let (Some(&l), Some(&s), Some(sums)) =
                    (low.get(k), shift.get(k), self.sums.get_mut(k))
                {
                    let b = Geometry::bucket(l, s, score(v)) as usize;
                    if let Some(sum) = sums.get_mut(b) {
                        *sum = sum.wrapping_add(add);
                    }
                }
            }
        }
        // Rows listing every column go a chunk of columns at a time through all the
        // rows: a chunk's bucket sums (32 KB) stay in the first-level data cache, where
        // all n columns' sums (n × 512 bytes) may not.
        let chunks = low
            .chunks(CHUNK)
            .zip(shift.chunks(CHUNK))
            .zip(self.sums.chunks_mut(CHUNK));
        for (chunk, ((low, shift), sums)) in chunks.enumerate() {
            let start = chunk.wrapping_mul(CHUNK);
            let chunk_columns = start..start.wrapping_add(low.len());
            let sums = sums.as_flattened_mut();
            for (&(entries, values), &share) in rows() {
                if !lists_columns(entries, columns.clone()) {
                    continue;
                }
                if let Some(values) = values.get(chunk_columns.clone()) {
                    add_chunk(values, low, shift, sums, share | 1 << COUNT_SHIFT);
                }
            }
        }
    }
}

/// Adds `add` to the bucket sum of each of a chunk's scores (at most [`CHUNK`]
/// columns, `sums` their bucket sums laid flat).
#[inline(always)]
fn add_chunk(values: &[u32], low: &[u32], shift: &[u32], sums: &mut [u64], add: u64) {
    // Each entry's slot among the chunk's bucket sums, laid flat.
    let mut slots = [0u16; CHUNK];
    let columns = slots.iter_mut().zip(values).zip(low).zip(shift);
    for (k, (((slot, &v), &l), &s)) in columns.enumerate() {
        let bucket = Geometry::bucket(l, s, score(v));
        *slot = ((k << BUCKET_BITS) as u32 | bucket) as u16;
    }
    let slots = slots.get(..values.len()).unwrap_or(&[]);
    if let Ok(sums) = <&mut [u64; CHUNK * BUCKETS]>::try_from(&mut *sums) {
        // A whole chunk: the masked slot is provably in range, so the compiler drops
        // the bounds test: one add per entry.
        for &slot in slots {
            let slot = usize::from(slot) & (CHUNK * BUCKETS - 1);
            if let Some(sum) = sums.get_mut(slot) {
                *sum = sum.wrapping_add(add);
            }
        }
    } else {
        for &slot in slots {
            if let Some(sum) = sums.get_mut(usize::from(slot)) {
                *sum = sum.wrapping_add(add);
            }
        }
    }
}

/// The third pass: writes the key of every score inside its column's chosen bucket
/// at the column's cursor (columns without one have the bucket [`u32::MAX`], which no
/// score falls in). A full row tests a chunk of columns as vector steps into a word
/// of match bits and visits its set bits only: the usual chunk holds one or two
/// matches (one bucket in 64), so the branches are per match, not per column.
struct GatherCandidates<'k> {
    rows: &'k [StoredRow<'k>],
    first: usize,
    geometry: &'k Geometry,
    chosen: &'k [u32],
    cursor: &'k mut [u32],
    keys: &'k mut [u64],
}

impl GatherCandidates<'_> {
    #[inline(always)]
    fn put(keys: &mut [u64], cursor: &mut u32, v: u32, voter: usize) {
        if let Some(slot) = keys.get_mut(*cursor as usize) {
            *slot = (u64::from(v) << INDEX_BITS) | voter as u64;
        }
        *cursor = cursor.wrapping_add(1);
    }
}

/// Bit `k` of the result is set when column `k` of the chunk (at most
/// [`TEST_CHUNK`] columns) has its score inside its chosen bucket. A whole chunk is
/// a loop of fixed length over arrays, which compiles to vector compares whose lane
/// masks are the bits.
#[inline(always)]
fn chunk_matches(values: &[u32], low: &[u32], shift: &[u32], chosen: &[u32]) -> u64 {
    type Lanes<'a> = &'a [u32; TEST_CHUNK];
    let whole = (
        Lanes::try_from(values),
        Lanes::try_from(low),
        Lanes::try_from(shift),
        Lanes::try_from(chosen),
    );
    if let (Ok(values), Ok(low), Ok(shift), Ok(chosen)) = whole {
        let mut bits = 0u64;
        let columns = values.iter().zip(low).zip(shift).zip(chosen);
        for (k, (((&v, &l), &s), &c)) in columns.enumerate() {
            bits |= u64::from(Geometry::bucket(l, s, score(v)) == c) << k;
        }
        return bits;
    }
    let mut bits = 0u64;
    let columns = values.iter().zip(low).zip(shift).zip(chosen);
    for (k, (((&v, &l), &s), &c)) in columns.enumerate().take(TEST_CHUNK) {
        bits |= u64::from(Geometry::bucket(l, s, score(v)) == c) << k;
    }
    bits
}

impl Kernel for GatherCandidates<'_> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let Geometry { low, shift } = self.geometry;
        let n = self.chosen.len();
        for (voter, &(entries, values)) in self.rows.iter().enumerate() {
            if lists_columns(entries, self.first..self.first.wrapping_add(n)) {
                let chunks = values
                    .chunks(TEST_CHUNK)
                    .zip(low.chunks(TEST_CHUNK).zip(shift.chunks(TEST_CHUNK)))
                    .zip(
                        self.chosen
                            .chunks(TEST_CHUNK)
                            .zip(self.cursor.chunks_mut(TEST_CHUNK)),
                    );
                for ((values, (low, shift)), (chosen, cursor)) in chunks {
                    let mut matches = chunk_matches(values, low, shift, chosen);
                    while matches != 0 {
                        let k = matches.trailing_zeros() as usize;
                        matches &= matches.wrapping_sub(1);
                        if let (Some(&v), Some(cursor)) = (values.get(k), cursor.get_mut(k)) {
                            Self::put(self.keys, cursor, score(v), voter);
                        }
                    }
                }
            } else {
                for (&(j, _), &v) in entries.iter().zip(values) {
                    let k = usize::from(j).wrapping_sub(self.first);
                    if let (Some(&l), Some(&s), Some(&c), Some(cursor)) = (
                        low.get(k),
                        shift.get(k),
                        self.chosen.get(k),
                        self.cursor.get_mut(k),
                    ) {
                        let v = score(v);
                        if Geometry::bucket(l, s, v) == c {
                            Self::put(self.keys, cursor, v, voter);
                        }
                    }
                }
            }
        }
    }
}

/// Each column's smallest and largest score and how many voters have an entry there:
/// the first pass of [`medians_of_columns`], in flat arrays so that the usual full row
/// is a loop of vector minimums and maximums.
struct ScoreRanges {
    low: Vec<u32>,
    high: Vec<u32>,
    present: Vec<u32>,
}

impl ScoreRanges {
    /// The ranges of the `n` columns from `first` over the rows (holding only those
    /// columns' entries).
    fn of(rows: &[StoredRow<'_>], first: usize, n: usize, isa: Isa) -> Self {
        cpu::run(isa, RangesOf { rows, first, n })
    }
}

/// The kernel of [`ScoreRanges::of`].
struct RangesOf<'k> {
    rows: &'k [StoredRow<'k>],
    first: usize,
    n: usize,
}

impl Kernel for RangesOf<'_> {
    type Output = ScoreRanges;

    #[inline(always)]
    fn run(self) -> ScoreRanges {
        let Self { rows, first, n } = self;
        let mut ranges = ScoreRanges {
            low: vec![u32::MAX; n],
            high: vec![0; n],
            present: vec![0; n],
        };
        // Rows that list every column add 1 to every count: counted once at the end.
        let mut full_rows = 0u32;
        for &(entries, values) in rows {
            if lists_columns(entries, first..first.wrapping_add(n)) {
                full_rows = full_rows.wrapping_add(1);
                for ((low, high), &v) in ranges.low.iter_mut().zip(&mut ranges.high).zip(values) {
                    let v = score(v);
                    *low = (*low).min(v);
                    *high = (*high).max(v);
                }
            } else {
                for (&(j, _), &v) in entries.iter().zip(values) {
                    let k = usize::from(j).wrapping_sub(first);
                    if let (Some(low), Some(high), Some(present)) = (
                        ranges.low.get_mut(k),
                        ranges.high.get_mut(k),
                        ranges.present.get_mut(k),
                    ) {
                        let v = score(v);
                        *low = (*low).min(v);
                        *high = (*high).max(v);
                        *present = present.wrapping_add(1);
                    }
                }
            }
        }
        for present in &mut ranges.present {
            *present = present.wrapping_add(full_rows);
        }
        ranges
    }
}

/// The entries of an aligned row (strictly ascending columns) in `columns`.
fn restrict<'r>((entries, values): StoredRow<'r>, columns: &Range<usize>) -> StoredRow<'r> {
    // The columns ascend: with the first and the last inside, all are (the usual
    // case, one part of every column), and no search is needed.
    let inside = |e: &(u16, u16)| columns.contains(&usize::from(e.0));
    if entries.first().is_none_or(inside) && entries.last().is_none_or(inside) {
        return (entries, values);
    }
    let start = entries.partition_point(|e| usize::from(e.0) < columns.start);
    let end = entries.partition_point(|e| usize::from(e.0) < columns.end);
    match (entries.get(start..end), values.get(start..end)) {
        (Some(e), Some(v)) => (e, v),
        _ => (&[], &[]),
    }
}

/// The medians when every voter's row is a precomputed aligned row, from buckets of
/// scores instead of sorted columns: one pass finds each column's score range, one
/// adds each voter's share to the bucket of its score, which tells the bucket where the
/// cumulative share crosses `σ − κ`, and one gathers that bucket's scores alone for
/// the weighted select. Each pass reads the rows in storage order without a
/// data-dependent branch, and the heap holds the bucket sums and the candidates only.
///
/// Voters without an entry in a column score 0 there, as one block of their summed
/// share (the chain's dense score matrix holds zeros for them); the order among equal
/// scores does not change which score the cumulative share crosses at. `None` when
/// the shares are outside the bounds the packed sums need (never for normalised
/// stake) or there are more voters than a key's index holds.
pub(super) fn medians_by_buckets(
    rows: &[StoredRow<'_>],
    voters: &Voters,
    n: usize,
    split: Split,
) -> Option<Vec<I32F32>> {
    medians_by_buckets_on(rows, voters, n, split, Isa::Best)
}

/// [`medians_by_buckets`] with its passes' kernels compiled for `isa` (the tests run
/// both copies).
pub(super) fn medians_by_buckets_on(
    rows: &[StoredRow<'_>],
    voters: &Voters,
    n: usize,
    split: Split,
    isa: Isa,
) -> Option<Vec<I32F32>> {
    // Bucket sums (`COUNT_SHIFT`) need non-negative shares summing below 2^47.
    let shares: Vec<u64> = voters
        .share
        .iter()
        .map(|s| u64::try_from(s.to_bits()).ok())
        .collect::<Option<_>>()?;
    shares
        .iter()
        .try_fold(0u64, |acc, s| acc.checked_add(*s))
        .filter(|s| *s < 1 << 47)?;
    // Each part takes a range of columns, with every row cut to it.
    let parts: Vec<(Range<usize>, Vec<StoredRow<'_>>)> = split
        .ranges(n, |j| j)
        .into_iter()
        .map(|columns| {
            let cut = rows.iter().map(|&row| restrict(row, &columns)).collect();
            (columns, cut)
        })
        .collect();
    let medians = split::map(parts, |(columns, rows)| {
        medians_of_columns(&rows, &shares, voters, columns, isa)
    });
    let mut consensus = Vec::with_capacity(n);
    for part in medians {
        consensus.extend(part?);
    }
    Some(consensus)
}

/// [`medians_by_buckets`] for the columns in `columns`, whose entries alone the rows
/// hold.
#[inline(never)]
fn medians_of_columns(
    rows: &[StoredRow<'_>],
    shares: &[u64],
    voters: &Voters,
    columns: Range<usize>,
    isa: Isa,
) -> Option<Vec<I32F32>> {
    let (first, n) = (columns.start, columns.len());
    let count = u32::try_from(rows.len()).ok().filter(|c| *c < 0xffff)?;
    // The key index of the block of silent voters in a column.
    let silent_index = u64::from(count);

    let ScoreRanges {
        low: mut lowest,
        high,
        present,
    } = ScoreRanges::of(rows, first, n, isa);
    let mut shift = vec![0u32; n];
    for (((low, shift), &high), &present) in
        lowest.iter_mut().zip(&mut shift).zip(&high).zip(&present)
    {
        if present < count {
            *low = 0;
        }
        let range = high.saturating_sub(*low);
        *shift = u32::BITS
            .wrapping_sub(range.leading_zeros())
            .saturating_sub(BUCKET_BITS);
    }
    let geometry = Geometry { low: lowest, shift };

    let mut sums = vec![[0u64; BUCKETS]; n];
    let add_shares = AddShares {
        rows,
        shares,
        first,
        geometry: &geometry,
        sums: &mut sums,
    };
    cpu::run(isa, add_shares);

    // The crossing bucket of each column, its remaining target and its size; the
    // columns whose median is already known (no crossing: the largest score).
    let sigma = voters.sigma.to_bits();
    let minority = voters.minority.to_bits();
    let mut consensus = vec![I32F32::ZERO; n];
    // Per column: the bucket, the target left inside it, and the silent share.
    let mut chosen = vec![u32::MAX; n];
    let mut cursor = vec![0u32; n];
    let mut targets = vec![(0i64, 0i64); n];
    let mut starts = Vec::with_capacity(n.saturating_add(1));
    let mut candidates = 0usize;
    let columns = sums.iter().zip(&present).zip(&high);
    let state = chosen
        .iter_mut()
        .zip(cursor.iter_mut())
        .zip(targets.iter_mut());
    for (((bucket_sums, &present), &high), ((chosen, cursor), target)) in columns.zip(state) {
        let explicit = bucket_sums
            .iter()
            .fold(0u64, |acc, s| acc.wrapping_add(s & MASS_MASK));
        // σ is the exact sum of all shares here (below 2^47): silent ≥ 0.
        let silent = sigma.wrapping_sub(explicit as i64);
        let mut cumulative = 0i64;
        let mut crossing = None;
        for (b, s) in bucket_sums.iter().enumerate() {
            let mut mass = (s & MASS_MASK) as i64;
            if b == 0 && present < count {
                mass = mass.wrapping_add(silent);
            }
            if cumulative.wrapping_add(mass) > minority {
                crossing = Some((b, (s >> COUNT_SHIFT) as usize));
                break;
            }
            cumulative = cumulative.wrapping_add(mass);
        }
        let j = starts.len();
        starts.push(candidates);
        match crossing {
            Some((b, size)) => {
                *chosen = b as u32;
                *target = (minority.wrapping_sub(cumulative), silent);
                *cursor = u32::try_from(candidates).ok()?;
                // One slot more than the bucket's scores, for the silent block's key.
                candidates = candidates.checked_add(size)?.checked_add(1)?;
            }
            None => {
                if let Some(median) = consensus.get_mut(j) {
                    *median = I32F32::from_bits(i64::from(high));
                }
            }
        }
    }
    starts.push(candidates);

    let mut keys = vec![0u64; candidates];
    let gather = GatherCandidates {
        rows,
        first,
        geometry: &geometry,
        chosen: &chosen,
        cursor: &mut cursor,
        keys: &mut keys,
    };
    cpu::run(isa, gather);

    let mass = |key: u64| match validator_of(key) {
        k if k as u64 == silent_index => None,
        k => Some(shares.get(k).map_or(0, |s| *s as i64)),
    };
    let columns = chosen.iter().zip(&present).zip(&high).zip(&targets);
    for (j, ((((&chosen, &present), &high), target), median)) in
        columns.zip(consensus.iter_mut()).enumerate()
    {
        if chosen == u32::MAX {
            continue;
        }
        let (Some(&start), Some(&end)) = (starts.get(j), starts.get(j.wrapping_add(1))) else {
            continue;
        };
        let (target, silent) = *target;
        // The spare slot ends the column: the silent block, when it is in this bucket.
        let mut len = end.saturating_sub(start).saturating_sub(1);
        if chosen == 0 && present < count {
            if let Some(slot) = keys.get_mut(start.wrapping_add(len)) {
                *slot = silent_index;
            }
            len = len.saturating_add(1);
        }
        let Some(window) = keys.get_mut(start..start.saturating_add(len)) else {
            continue;
        };
        let picked = weighted_select(window, |key| mass(key).unwrap_or(silent), target);
        // The bucket's mass exceeds the target, so the select always finds a key.
        *median = picked.map_or(I32F32::from_bits(i64::from(high)), score_of);
    }
    Some(consensus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The match bits of a chunk (whole or the last, shorter one) are the columns
        /// whose score is in their chosen bucket, tested one by one.
        #[test]
        fn chunk_matches_are_the_columns_in_their_bucket(
            columns in proptest::collection::vec(
                (prop_oneof![Just(MASKED), any::<u32>()], 0u32..1000, 0u32..40, 0u32..33),
                0..=TEST_CHUNK,
            ),
        ) {
            let values: Vec<u32> = columns.iter().map(|c| c.0).collect();
            let low: Vec<u32> = columns.iter().map(|c| c.1).collect();
            let shift: Vec<u32> = columns.iter().map(|c| c.2).collect();
            let chosen: Vec<u32> = columns.iter().map(|c| c.3).collect();
            let mut expected = 0u64;
            for (k, &(v, l, s, c)) in columns.iter().enumerate() {
                if Geometry::bucket(l, s, score(v)) == c {
                    expected |= 1 << k;
                }
            }
            prop_assert_eq!(chunk_matches(&values, &low, &shift, &chosen), expected);
        }
    }
}
