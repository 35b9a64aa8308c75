//! The weighted medians of dense enough matrices by buckets of scores (see the parent
//! module): no transposition, three passes over the rows, and a select inside the
//! crossing bucket only.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use core::ops::Range;

use super::{score_of, validator_of, weighted_select, Voters, INDEX_BITS};
use crate::epoch::{lists_columns, StoredRow, MASKED};
use crate::split::{self, Split};

/// log2 of the buckets per column in [`medians_by_buckets`].
const BUCKET_BITS: u32 = 5;
pub(super) const BUCKETS: usize = 1 << BUCKET_BITS;

/// A weight as a score: a removed entry scores 0, like a validator without an entry.
#[inline(always)]
fn score(v: u32) -> u32 {
    if v == MASKED {
        0
    } else {
        v
    }
}

/// One column's state across the passes of [`medians_by_buckets`].
#[derive(Clone, Copy)]
struct BucketColumn {
    /// Smallest and largest score (0 counts when some voter has no entry here).
    low: u32,
    high: u32,
    /// Voters with an entry here (removed ones included, scoring 0).
    present: u32,
    /// A score `v` falls in bucket `(v − low) >> shift`, below [`BUCKETS`].
    shift: u32,
    /// The bucket where the cumulative share crosses the target.
    chosen: u32,
    /// Where the next candidate of the chosen bucket goes in the candidate array.
    cursor: u32,
    /// Per bucket: the voters' shares summed, under their count (`<< COUNT_SHIFT`).
    sums: [u64; BUCKETS],
}

/// A bucket sum packs the share total (below 2^48) under the count of scores (below
/// 2^16).
const COUNT_SHIFT: u32 = 48;
const MASS_MASK: u64 = (1 << COUNT_SHIFT) - 1;

/// Calls `f` with the state of each entry's column and the entry's score, in storage
/// order, where `state[k]` belongs to column `first + k` (entries of other columns are
/// skipped): by position when the row lists exactly those columns (a full row: no
/// lookups), else by index.
#[inline(always)]
fn visit<S>(
    state: &mut [S],
    first: usize,
    (entries, values): StoredRow<'_>,
    mut f: impl FnMut(&mut S, u32),
) {
    if lists_columns(entries, first..first.wrapping_add(state.len())) {
        for (s, &v) in state.iter_mut().zip(values) {
            f(s, score(v));
        }
    } else {
        for (&(j, _), &v) in entries.iter().zip(values) {
            if let Some(s) = state.get_mut(usize::from(j).wrapping_sub(first)) {
                f(s, score(v));
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
    fn of(rows: &[StoredRow<'_>], first: usize, n: usize) -> Self {
        let mut ranges = Self {
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
        medians_of_columns(&rows, &shares, voters, columns)
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
) -> Option<Vec<I32F32>> {
    let (first, n) = (columns.start, columns.len());
    let count = u32::try_from(rows.len()).ok().filter(|c| *c < 0xffff)?;
    // The key index of the block of silent voters in a column.
    let silent_index = u64::from(count);

    let mut columns = vec![
        BucketColumn {
            low: u32::MAX,
            high: 0,
            present: 0,
            shift: 0,
            chosen: 0,
            cursor: 0,
            sums: [0; BUCKETS],
        };
        n
    ];
    let ranges = ScoreRanges::of(rows, first, n);
    for (c, ((&low, &high), &present)) in columns
        .iter_mut()
        .zip(ranges.low.iter().zip(&ranges.high).zip(&ranges.present))
    {
        (c.low, c.high, c.present) = (low, high, present);
        if c.present < count {
            c.low = 0;
        }
        let range = c.high.saturating_sub(c.low);
        c.shift = u32::BITS
            .wrapping_sub(range.leading_zeros())
            .saturating_sub(BUCKET_BITS);
    }

    for (&row, &share) in rows.iter().zip(shares) {
        let add = share | 1 << COUNT_SHIFT;
        visit(&mut columns, first, row, |c, v| {
            // low ≤ v ≤ high, so the bucket is below BUCKETS (the shift's choice) and
            // the mask changes nothing.
            let bucket = (v.wrapping_sub(c.low) >> c.shift) as usize & (BUCKETS - 1);
            if let Some(sum) = c.sums.get_mut(bucket) {
                *sum = sum.wrapping_add(add);
            }
        });
    }

    // The crossing bucket of each column, its remaining target and its size; the
    // columns whose median is already known (no crossing: the largest score).
    let sigma = voters.sigma.to_bits();
    let minority = voters.minority.to_bits();
    let mut consensus = vec![I32F32::ZERO; n];
    // Per column: the target left inside the crossing bucket, and the silent share.
    let mut targets = vec![(0i64, 0i64); n];
    let mut starts = Vec::with_capacity(n.saturating_add(1));
    let mut candidates = 0usize;
    for (j, (c, target)) in columns.iter_mut().zip(targets.iter_mut()).enumerate() {
        let bucket_sums = c.sums;
        let explicit = bucket_sums
            .iter()
            .fold(0u64, |acc, s| acc.wrapping_add(s & MASS_MASK));
        // σ is the exact sum of all shares here (below 2^47): silent ≥ 0.
        let silent = sigma.wrapping_sub(explicit as i64);
        let mut cumulative = 0i64;
        let mut crossing = None;
        for (b, s) in bucket_sums.iter().enumerate() {
            let mut mass = (s & MASS_MASK) as i64;
            if b == 0 && c.present < count {
                mass = mass.wrapping_add(silent);
            }
            if cumulative.wrapping_add(mass) > minority {
                crossing = Some((b, (s >> COUNT_SHIFT) as usize));
                break;
            }
            cumulative = cumulative.wrapping_add(mass);
        }
        starts.push(candidates);
        match crossing {
            Some((b, size)) => {
                c.chosen = b as u32;
                *target = (minority.wrapping_sub(cumulative), silent);
                c.cursor = u32::try_from(candidates).ok()?;
                // One slot more than the bucket's scores: it takes the writes of scores
                // outside the bucket, then the silent block's key.
                candidates = candidates.checked_add(size)?.checked_add(1)?;
            }
            None => {
                c.chosen = u32::MAX;
                if let Some(median) = consensus.get_mut(j) {
                    *median = I32F32::from_bits(i64::from(c.high));
                }
            }
        }
    }
    starts.push(candidates);

    let mut keys = vec![0u64; candidates];
    for (k, &row) in rows.iter().enumerate() {
        visit(&mut columns, first, row, |c, v| {
            let inside = (v.wrapping_sub(c.low) >> c.shift) == c.chosen;
            if let Some(slot) = keys.get_mut(c.cursor as usize) {
                *slot = (u64::from(v) << INDEX_BITS) | k as u64;
            }
            c.cursor = c.cursor.wrapping_add(u32::from(inside));
        });
    }

    let mass = |key: u64| match validator_of(key) {
        k if k as u64 == silent_index => None,
        k => Some(shares.get(k).map_or(0, |s| *s as i64)),
    };
    for (j, ((c, target), median)) in columns
        .iter()
        .zip(&targets)
        .zip(consensus.iter_mut())
        .enumerate()
    {
        if c.chosen == u32::MAX {
            continue;
        }
        let (Some(&start), Some(&end)) = (starts.get(j), starts.get(j.wrapping_add(1))) else {
            continue;
        };
        let (target, silent) = *target;
        // The spare slot ends the column: the silent block, when it is in this bucket.
        let mut len = end.saturating_sub(start).saturating_sub(1);
        if c.chosen == 0 && c.present < count {
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
        *median = picked.map_or(I32F32::from_bits(i64::from(c.high)), score_of);
    }
    Some(consensus)
}
