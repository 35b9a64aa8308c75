//! Splitting a stage's rows or columns into contiguous parts, which run on rayon's
//! thread pool with the feature `parallel` and one after another without it.
//!
//! How many parts a stage gets depends only on the input's size and the pool's size,
//! never on timing, and every stage merges its parts exactly (concatenation, or u64
//! sums that cannot round), so the epoch's output is the same for any number of
//! parts. The tests run whole epochs with several fixed part counts to check that.

use alloc::vec::Vec;
use core::ops::Range;

/// Entries below which a part costs less than handing it to another thread. Waking a
/// sleeping pool thread can take a hundred microseconds or more (measured on a
/// two-vCPU virtual machine), about what a stage spends on 2^16 entries: an n = 256
/// subnet at full density stays on one thread, n = 512 splits.
const MIN_ENTRIES_PER_PART: usize = 1 << 16;

/// How the stages of one epoch choose their parts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Splitting {
    /// One part per pool thread, as long as each part holds enough entries.
    Auto,
    /// Exactly this many parts (at least one), whatever the size: for tests.
    #[cfg_attr(not(any(test, feature = "naive")), allow(dead_code))]
    Fixed(usize),
}

impl Splitting {
    /// The parts for a stage over `entries` stored entries.
    pub(crate) fn for_entries(self, entries: usize) -> Split {
        let parts = match self {
            Self::Auto => threads().min(entries / MIN_ENTRIES_PER_PART),
            Self::Fixed(parts) => parts,
        };
        Split {
            parts: parts.max(1),
        }
    }
}

/// A number of parts, at least one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Split {
    parts: usize,
}

impl Split {
    /// Whether the stage runs as a single part (the serial code).
    pub(crate) fn is_single(self) -> bool {
        self.parts == 1
    }

    /// As many parts times `k`: for stages that run their parts in waves.
    pub(crate) fn times(self, k: usize) -> Self {
        Self {
            parts: self.parts.saturating_mul(k).max(1),
        }
    }

    /// How many parts.
    pub(crate) fn parts(self) -> usize {
        self.parts
    }

    /// `0..len` cut into this many contiguous ranges (some may be empty) of about equal
    /// weight, where `weight_before(k)` is the total weight of items `0..k` — such as
    /// row offsets — and never decreases.
    pub(crate) fn ranges(
        self,
        len: usize,
        weight_before: impl Fn(usize) -> usize,
    ) -> Vec<Range<usize>> {
        let total = weight_before(len) as u128;
        let parts = self.parts as u128;
        let mut ranges = Vec::with_capacity(self.parts);
        let mut start = 0usize;
        for p in 1..=self.parts {
            let end = if p == self.parts {
                len
            } else {
                // The first k ≥ start whose prefix holds the p-th share of the weight.
                let goal = total
                    .saturating_mul(p as u128)
                    .checked_div(parts)
                    .unwrap_or(0) as usize;
                let (mut lo, mut hi) = (start, len);
                while lo < hi {
                    let mid = lo.wrapping_add(hi.wrapping_sub(lo) / 2);
                    if weight_before(mid) < goal {
                        lo = mid.wrapping_add(1);
                    } else {
                        hi = mid;
                    }
                }
                lo
            };
            ranges.push(start..end);
            start = end;
        }
        ranges
    }
}

/// `items` cut into consecutive pieces as long as the consecutive `ranges` (such as
/// those of [`Split::ranges`]), each piece with the index of its first item. A piece
/// past the end of `items` is empty.
pub(crate) fn cut<'s, T>(mut items: &'s [T], ranges: &[Range<usize>]) -> Vec<(usize, &'s [T])> {
    let mut pieces = Vec::with_capacity(ranges.len());
    for range in ranges {
        let (piece, rest) = items.split_at(range.len().min(items.len()));
        pieces.push((range.start, piece));
        items = rest;
    }
    pieces
}

/// [`cut`] for a mutable slice: disjoint pieces that parts can write at once.
pub(crate) fn cut_mut<'s, T>(
    mut items: &'s mut [T],
    ranges: &[Range<usize>],
) -> Vec<(usize, &'s mut [T])> {
    let mut pieces = Vec::with_capacity(ranges.len());
    for range in ranges {
        let all = core::mem::take(&mut items);
        let (piece, rest) = all.split_at_mut(range.len().min(all.len()));
        pieces.push((range.start, piece));
        items = rest;
    }
    pieces
}

/// The pool's threads; 1 without the feature `parallel`.
fn threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}

/// `f` of every input, in input order; on the pool's threads with the feature
/// `parallel`.
pub(crate) fn map<I: Send, T: Send>(inputs: Vec<I>, f: impl Fn(I) -> T + Sync + Send) -> Vec<T> {
    #[cfg(feature = "parallel")]
    if inputs.len() > 1 {
        use rayon::iter::{IntoParallelIterator, ParallelIterator};
        return inputs.into_par_iter().map(f).collect();
    }
    inputs.into_iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    proptest! {
        /// The ranges tile `0..len` in order, and none starts before its weight share.
        #[test]
        fn ranges_tile_the_items(
            weights in proptest::collection::vec(0usize..100, 0..50),
            parts in 1usize..6,
        ) {
            let prefix: Vec<usize> = core::iter::once(0)
                .chain(weights.iter().scan(0, |acc, w| { *acc += w; Some(*acc) }))
                .collect();
            let ranges = Splitting::Fixed(parts)
                .for_entries(0)
                .ranges(weights.len(), |k| prefix[k]);
            prop_assert_eq!(ranges.len(), parts);
            let mut next = 0;
            for r in &ranges {
                prop_assert_eq!(r.start, next);
                prop_assert!(r.end >= r.start);
                next = r.end;
            }
            prop_assert_eq!(next, weights.len());
        }
    }

    #[test]
    fn cut_follows_the_ranges() {
        let items = [1, 2, 3, 4, 5];
        let pieces = cut(&items, &[0..2, 2..2, 2..4, 4..9]);
        assert_eq!(
            pieces,
            [
                (0, &[1, 2][..]),
                (2, &[][..]),
                (2, &[3, 4][..]),
                (4, &[5][..])
            ]
        );
        let mut items = items;
        for (first, piece) in cut_mut(&mut items, &[0..3, 3..5]) {
            piece.iter_mut().for_each(|x| *x += first * 10);
        }
        assert_eq!(items, [1, 2, 3, 34, 35]);
    }

    #[test]
    fn map_keeps_the_input_order() {
        assert_eq!(map(vec![1, 2, 3, 4], |x| x * 10), [10, 20, 30, 40]);
    }

    #[test]
    fn small_inputs_stay_in_one_part() {
        assert!(Splitting::Auto.for_entries(100).is_single());
        assert!(!Splitting::Fixed(3).for_entries(0).is_single());
    }
}
