//! The stake-weighted median of every weight column (spec §4.7).
//!
//! The chain runs a partition search over a dense `columns × validators` score matrix.
//! Its result has a closed form (the smallest score whose cumulative stake strictly
//! exceeds `σ − κ`, else the largest score), which needs only each column's explicit
//! entries: validators without an entry all score zero, and their stake is the rest of
//! σ. Two ways to find it, both exact:
//! - dense enough matrices of precomputed rows (64+ entries per column on average) sum
//!   the shares into 64 score buckets per column and select only inside the bucket
//!   where the cumulative share crosses `σ − κ` ([`buckets`]): three passes
//!   over the rows, and a heap of the bucket sums and the candidates;
//! - every other matrix gathers its columns with a counting sort and selects in each
//!   with a quickselect ([`medians_in_blocks`]): `O(nnz + n)` expected time and 8 bytes
//!   per validator entry, in at most two blocks of columns.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::arith::{normalize, wrapping_sum};
use crate::epoch::{StoredRow, Weights, MASKED};
use crate::split::Split;

mod buckets;
#[cfg(test)]
use buckets::medians_by_buckets_on;
use buckets::{medians_by_buckets, BUCKETS};

/// Bits kept for the validator index in a sort key; scores take the bits above.
const INDEX_BITS: u32 = 16;
/// Largest score the key can hold: W values are at most 65535 (spec §4.6), i.e. below
/// 2^48 as I32F32 bits.
const MAX_SCORE_BITS: i64 = (1 << 48) - 1;

/// Matrices with at most this many validator entries gather all their keys at once.
const SINGLE_BLOCK_KEYS: usize = 1 << 16;

/// One sort key: the score's bits above the validator's index, so sorting the keys
/// sorts by score.
fn key(score: I32F32, validator: usize) -> u64 {
    let bits = score.to_bits().clamp(0, MAX_SCORE_BITS) as u64;
    (bits << INDEX_BITS) | (validator as u64 & 0xffff)
}

fn score_of(key: u64) -> I32F32 {
    I32F32::from_bits((key >> INDEX_BITS) as i64)
}

fn validator_of(key: u64) -> usize {
    (key & 0xffff) as usize
}

/// The validators that vote in the median (positive active stake), their stake
/// shares and the two sums the median compares with.
pub(crate) struct Voters {
    /// Uids of the voting validators, ascending.
    validators: Vec<usize>,
    /// Their active stake, normalised (the chain's `use_stake`).
    share: Vec<I32F32>,
    /// The wrapping sum of the shares.
    sigma: I32F32,
    /// `σ − κ`, saturating.
    minority: I32F32,
}

impl Voters {
    /// `None` when nobody votes (every median is then 0).
    fn new(active_stake: &[I32F32], kappa: I32F32) -> Option<Self> {
        let validators: Vec<usize> = (0..active_stake.len())
            .filter(|&i| active_stake.get(i).is_some_and(|s| *s > I32F32::ZERO))
            .collect();
        if validators.is_empty() {
            return None;
        }
        let mut share: Vec<I32F32> = validators
            .iter()
            .filter_map(|&i| active_stake.get(i).copied())
            .collect();
        normalize(&mut share);
        let sigma = wrapping_sum(&share);
        Some(Self {
            validators,
            share,
            sigma,
            minority: sigma.saturating_sub(kappa),
        })
    }
}

/// Consensus per column `0..n`.
pub(crate) fn weighted_median_columns(
    weights: &Weights<'_>,
    active_stake: &[I32F32],
    kappa: I32F32,
    split: Split,
) -> Vec<I32F32> {
    let n = weights.n();
    let Some(voters) = Voters::new(active_stake, kappa) else {
        return vec![I32F32::ZERO; n];
    };
    let voting_rows: Option<Vec<StoredRow<'_>>> = voters
        .validators
        .iter()
        .map(|&i| weights.aligned_row(i))
        .collect();
    if let Some(rows) = voting_rows {
        // Buckets pay off once columns hold more than a few entries each.
        let entries: usize = rows.iter().map(|(e, _)| e.len()).sum();
        if entries / BUCKETS >= n {
            if let Some(consensus) = medians_by_buckets(&rows, &voters, n, split) {
                return consensus;
            }
        }
    }
    medians_in_blocks(weights, &voters, None)
}

/// [`weighted_median_columns`], gathering at most `block_keys` keys at a time (but at
/// least one column) when given, else as many as keeps the heap small.
#[inline(never)]
fn medians_in_blocks(
    weights: &Weights<'_>,
    voters: &Voters,
    block_keys: Option<usize>,
) -> Vec<I32F32> {
    let n = weights.n();
    let mut consensus = vec![I32F32::ZERO; n];
    let Voters {
        validators,
        share,
        sigma,
        minority,
    } = voters;
    let (sigma, minority) = (*sigma, *minority);

    // Counting sort of the validators' entries by column. A row holding a column twice
    // counts once (its later value wins), tracked by the last validator seen per column.
    let mut count = vec![0u32; n];
    let mut last_validator = vec![u32::MAX; n];
    for (k, &i) in validators.iter().enumerate() {
        if let Some((entries, values)) = weights.ascending_stored_row(i) {
            for (&(j, _), &v) in entries.iter().zip(values) {
                if let (Some(c), false) = (count.get_mut(usize::from(j)), v == MASKED) {
                    *c = c.saturating_add(1);
                }
            }
            continue;
        }
        weights.for_each_column(i, |j| {
            if let (Some(c), Some(last)) = (count.get_mut(j), last_validator.get_mut(j)) {
                if *last != k as u32 {
                    *last = k as u32;
                    *c = c.saturating_add(1);
                }
            }
        });
    }
    let mut start = Vec::with_capacity(n.saturating_add(1));
    let mut total = 0usize;
    for c in &count {
        start.push(total);
        total = total.saturating_add(*c as usize);
    }
    start.push(total);
    // The keys are gathered for one block of columns at a time, each holding at most
    // `cap` keys: with `cap ≥ total/2 + the largest column` that is at most two blocks
    // (the first closes above `cap − largest ≥ total/2`), so the keys never take more
    // than about half the bytes of the whole transposition, which keeps the epoch's
    // peak heap down at full density. Small matrices take one block.
    let largest = count.iter().copied().max().unwrap_or(0) as usize;
    let cap =
        block_keys.unwrap_or_else(|| (total / 2).saturating_add(largest).max(SINGLE_BLOCK_KEYS));
    let mut keys: Vec<u64> = Vec::new();
    let mut next = start.clone();
    last_validator.fill(u32::MAX);
    let mut last_position = vec![0usize; n];
    let voters = validators.len();
    let mut first = 0usize;
    while first < n {
        let base = start.get(first).copied().unwrap_or(total);
        let mut end = first.saturating_add(1);
        while end < n
            && start
                .get(end.saturating_add(1))
                .is_some_and(|&s| s.saturating_sub(base) <= cap)
        {
            end = end.saturating_add(1);
        }
        let size = start
            .get(end)
            .copied()
            .unwrap_or(total)
            .saturating_sub(base);
        keys.clear();
        keys.resize(size, 0);
        let block = first..end;
        // Positions in `next` and `last_position` are absolute; the block's keys start
        // at `base`.
        for (k, &i) in validators.iter().enumerate() {
            if let Some((entries, values)) = weights.aligned_row(i) {
                // Stored columns ascend: only the part of the row inside the block is read.
                let from = entries.partition_point(|e| usize::from(e.0) < first);
                let (Some(entries), Some(values)) = (entries.get(from..), values.get(from..))
                else {
                    continue;
                };
                for (&(j, _), &v) in entries.iter().zip(values) {
                    let j = usize::from(j);
                    if j >= end {
                        break;
                    }
                    if v == MASKED {
                        continue;
                    }
                    // No repeats in this row: every entry takes the column's next slot.
                    let Some(nx) = next.get_mut(j) else {
                        continue;
                    };
                    if let Some(slot) = keys.get_mut(nx.wrapping_sub(base)) {
                        // v < 2^32 - 1: no clamp needed for the score bits.
                        *slot = (u64::from(v) << INDEX_BITS) | (k as u64 & 0xffff);
                    }
                    *nx = nx.saturating_add(1);
                }
                continue;
            }
            if weights.ascending(i) {
                weights.for_each(i, |j, w| {
                    if !block.contains(&j) {
                        return;
                    }
                    // No repeats in this row: every entry takes the column's next slot.
                    let Some(nx) = next.get_mut(j) else {
                        return;
                    };
                    if let Some(slot) = keys.get_mut(nx.wrapping_sub(base)) {
                        *slot = key(w, k);
                    }
                    *nx = nx.saturating_add(1);
                });
                continue;
            }
            weights.for_each(i, |j, w| {
                if !block.contains(&j) {
                    return;
                }
                let (Some(last), Some(pos), Some(nx)) = (
                    last_validator.get_mut(j),
                    last_position.get_mut(j),
                    next.get_mut(j),
                ) else {
                    return;
                };
                if *last == k as u32 {
                    if let Some(slot) = keys.get_mut(pos.wrapping_sub(base)) {
                        *slot = key(w, k);
                    }
                } else {
                    *last = k as u32;
                    *pos = *nx;
                    if let Some(slot) = keys.get_mut(nx.wrapping_sub(base)) {
                        *slot = key(w, k);
                    }
                    *nx = nx.saturating_add(1);
                }
            });
        }
        for j in block {
            let (Some(&a), Some(&b)) = (start.get(j), start.get(j.wrapping_add(1))) else {
                continue;
            };
            let (Some(column), Some(c)) = (
                keys.get_mut(a.wrapping_sub(base)..b.wrapping_sub(base)),
                consensus.get_mut(j),
            ) else {
                continue;
            };
            *c = column_median(column, share, voters, sigma, minority);
        }
        first = end;
    }
    consensus
}

/// The closed form of the chain's weighted median for one column: the score of the
/// first element, in ascending order, at which the cumulative share exceeds `minority`
/// (silent validators count as one block of score 0 in front); the largest score if
/// the cumulative share never does.
#[inline(never)]
fn column_median(
    column: &mut [u64],
    share: &[I32F32],
    voters: usize,
    sigma: I32F32,
    minority: I32F32,
) -> I32F32 {
    let share_of = |key: u64| share.get(validator_of(key)).map_or(0, |s| s.to_bits());
    // Shares are non-negative and sum to σ, so every partial sum is exact.
    let explicit = column
        .iter()
        .fold(0i64, |acc, k| acc.wrapping_add(share_of(*k)));
    let silent = sigma.to_bits().wrapping_sub(explicit);
    if column.len() < voters && silent > minority.to_bits() {
        return I32F32::ZERO;
    }
    let target = minority.to_bits().saturating_sub(silent);
    match weighted_select(column, share_of, target) {
        Some(key) => score_of(key),
        None => column.iter().max().map_or(I32F32::ZERO, |k| score_of(*k)),
    }
}

/// Windows at most this long are finished by sorting.
const SMALL_WINDOW: usize = 24;

/// The smallest key (in ascending order) whose cumulative mass, itself included,
/// exceeds `target`; `None` when the total mass does not. Expected linear time: a
/// quickselect that discards the side of each partition that cannot hold the answer.
/// Keys are distinct (they carry the validator index), masses non-negative.
fn weighted_select(keys: &mut [u64], mass: impl Fn(u64) -> i64, mut target: i64) -> Option<u64> {
    let mut window = keys;
    loop {
        if window.len() <= SMALL_WINDOW {
            window.sort_unstable();
            let mut cumulative = 0i64;
            for &k in window.iter() {
                cumulative = cumulative.wrapping_add(mass(k));
                if cumulative > target {
                    return Some(k);
                }
            }
            return None;
        }
        let last = window.len().saturating_sub(1);
        // Median of three as pivot, moved to the end.
        let (a, b, c) = (
            window.first().copied().unwrap_or(0),
            window.get(last / 2).copied().unwrap_or(0),
            window.last().copied().unwrap_or(0),
        );
        let pivot_at = if (a <= b) == (b <= c) {
            last / 2
        } else if (b <= a) == (a <= c) {
            0
        } else {
            last
        };
        window.swap(pivot_at, last);
        let pivot = window.last().copied().unwrap_or(0);
        // Lomuto partition without a data-dependent branch (a column's keys come in no
        // order, so a branch on `k < pivot` mispredicts half the time): every step
        // rotates the key at `i` into slot `below`, whose key (not below the pivot, or
        // `i` itself) moves to `i`, and `below` advances only past a smaller key.
        let mut below = 0usize;
        let mut below_mass = 0i64;
        for i in 0..last {
            let (Some(k), Some(displaced)) = (window.get(i).copied(), window.get(below).copied())
            else {
                break;
            };
            let smaller = k < pivot;
            if let Some(slot) = window.get_mut(i) {
                *slot = displaced;
            }
            if let Some(slot) = window.get_mut(below) {
                *slot = k;
            }
            below = below.wrapping_add(usize::from(smaller));
            below_mass = below_mass.wrapping_add(mass(k) & (i64::from(smaller)).wrapping_neg());
        }
        window.swap(below, last);
        if below_mass > target {
            window = window.get_mut(..below)?;
            continue;
        }
        target = target.wrapping_sub(below_mass);
        let pivot_mass = mass(pivot);
        if pivot_mass > target {
            return Some(pivot);
        }
        target = target.wrapping_sub(pivot_mass);
        window = window.get_mut(below.saturating_add(1)..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu::Isa;
    use crate::epoch::RowMasks;
    use crate::split::Splitting;
    use proptest::prelude::*;

    /// The definition, by sorting.
    fn by_sorting(keys: &[u64], mass: &[i64], target: i64) -> Option<u64> {
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        let mut cumulative = 0;
        sorted.into_iter().find(|k| {
            cumulative += mass[(*k & 0xffff) as usize];
            cumulative > target
        })
    }

    fn sparse_rows() -> impl Strategy<Value = (crate::sparse::SparseRows<u16>, Vec<u64>)> {
        (1usize..10).prop_flat_map(|n| {
            let row = proptest::collection::vec((0..n as u16 + 1, any::<u16>()), 0..2 * n);
            (
                proptest::collection::vec(row, n),
                proptest::collection::vec(0u64..1 << 40, n),
            )
                .prop_map(|(rows, stake)| {
                    (crate::sparse::SparseRows::from_nested(rows).unwrap(), stake)
                })
        })
    }

    /// Rows with strictly ascending columns (every column, or 80% of them), values
    /// clustered (`spread` low bits of
    /// noise over a common base) or spread, some zero; registration blocks that mask
    /// some columns away (last update is 1000); stakes, some zero.
    #[allow(clippy::type_complexity)]
    fn aligned_rows() -> impl Strategy<Value = (crate::sparse::SparseRows<u16>, Vec<u64>, Vec<u64>)>
    {
        let density = prop_oneof![Just(1.0), Just(0.8)];
        // Past 64 columns too: the gather tests full rows 64 columns at a time.
        let n = prop_oneof![3 => 1usize..40, 1 => 60usize..140];
        (n, 0u32..17, 1u16..1000, density).prop_flat_map(|(n, spread, base, density)| {
            let present = proptest::bool::weighted(density);
            let row = proptest::collection::vec((present, any::<u16>(), 0u8..8), n);
            (
                proptest::collection::vec(row, n),
                proptest::collection::vec(prop_oneof![Just(0u64), 1u64..1 << 40], n),
                proptest::collection::vec(prop_oneof![3 => Just(0u64), 1 => Just(5000u64)], n),
            )
                .prop_map(move |(rows, stake, registration)| {
                    let rows: Vec<Vec<(u16, u16)>> = rows
                        .into_iter()
                        .map(|row| {
                            row.into_iter()
                                .enumerate()
                                .filter(|(_, (present, _, _))| *present)
                                .map(|(j, (_, noise, zero))| {
                                    let noise = (u32::from(noise) & ((1 << spread) - 1)) as u16;
                                    let v = if zero == 0 {
                                        0
                                    } else {
                                        base.saturating_add(noise)
                                    };
                                    (j as u16, v)
                                })
                                .collect()
                        })
                        .collect();
                    (
                        crate::sparse::SparseRows::from_nested(rows).unwrap(),
                        stake,
                        registration,
                    )
                })
        })
    }

    proptest! {
        /// Gathering the columns in blocks, down to one column at a time, changes no
        /// median: rows in any order, with repeats and out-of-range columns.
        #[test]
        fn blocks_give_the_same_medians((rows, stake) in sparse_rows(), kappa in any::<u16>()) {
            let n = rows.rows();
            let registration = vec![0u64; n];
            let last_update = vec![1u64; n];
            let weights = Weights::new(&rows, RowMasks { registration: &registration, owner: Some(0), last_update: &last_update, commits: None }, |_| true, crate::split::Splitting::Fixed(2).for_entries(0), Vec::new());
            let mut active: Vec<I32F32> = stake.iter().map(|s| I32F32::from_bits(*s as i64)).collect();
            normalize(&mut active);
            let kappa = crate::arith::u16_proportion(kappa);
            let Some(voters) = Voters::new(&active, kappa) else {
                prop_assert!(weighted_median_columns(&weights, &active, kappa, Splitting::Fixed(2).for_entries(0)).iter().all(|c| *c == I32F32::ZERO));
                return Ok(());
            };
            let whole = medians_in_blocks(&weights, &voters, Some(usize::MAX));
            for cap in [1, 2, 5] {
                prop_assert_eq!(&medians_in_blocks(&weights, &voters, Some(cap)), &whole);
            }
            prop_assert_eq!(&weighted_median_columns(&weights, &active, kappa, Splitting::Fixed(2).for_entries(0)), &whole);
        }

        /// Buckets give the medians of sorted columns: rows of ascending columns (any
        /// density, removed entries, silent voters, scores from one tight cluster to
        /// wildly spread), zero and non-zero stake, any κ.
        #[test]
        fn buckets_give_the_same_medians(
            (rows, stake, registration) in aligned_rows(),
            kappa in any::<u16>(),
            tiny in proptest::option::of((proptest::collection::vec(0i64..4, 140), 0u32..=100)),
        ) {
            let n = rows.rows();
            let last_update = vec![1000u64; n];
            let weights = Weights::new(&rows, RowMasks { registration: &registration, owner: Some(0), last_update: &last_update, commits: None }, |_| true, crate::split::Splitting::Fixed(2).for_entries(0), Vec::new());
            let mut active: Vec<I32F32> = stake.iter().map(|s| I32F32::from_bits(*s as i64)).collect();
            normalize(&mut active);
            let kappa = crate::arith::u16_proportion(kappa);
            let Some(mut voters) = Voters::new(&active, kappa) else {
                return Ok(());
            };
            if let Some((shares, at)) = tiny {
                // Tiny integer shares and a target anywhere in 0..=σ (at percent): the
                // cumulative share often equals the target exactly.
                voters.share = voters.validators.iter().map(|&i| I32F32::from_bits(shares[i])).collect();
                voters.sigma = wrapping_sum(&voters.share);
                voters.minority = I32F32::from_bits(voters.sigma.to_bits() * i64::from(at) / 100);
            }
            let voting: Option<Vec<StoredRow<'_>>> =
                voters.validators.iter().map(|&i| weights.aligned_row(i)).collect();
            // A row left with one non-zero weight normalises to exactly 1: not aligned.
            let Some(voting) = voting else {
                return Ok(());
            };
            let blocks = Some(medians_in_blocks(&weights, &voters, None));
            for parts in [1, 2, 3] {
                for isa in [Isa::Baseline, Isa::Best] {
                    let split = Splitting::Fixed(parts).for_entries(0);
                    let buckets = medians_by_buckets_on(&voting, &voters, n, split, isa);
                    prop_assert_eq!(&buckets, &blocks, "{} parts on {:?}", parts, isa);
                }
            }
        }

        #[test]
        fn weighted_select_equals_sorting(
            scores in proptest::collection::vec(0u64..40, 0..200),
            masses in proptest::collection::vec(0i64..1000, 200),
            target in -10i64..120_000,
        ) {
            let keys: Vec<u64> = scores.iter().enumerate().map(|(k, s)| (s << 16) | k as u64).collect();
            let mut work = keys.clone();
            let got = weighted_select(&mut work, |k| masses[(k & 0xffff) as usize], target);
            prop_assert_eq!(got, by_sorting(&keys, &masses, target));
        }
    }
}
