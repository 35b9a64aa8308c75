//! The stake-weighted median of every weight column (spec §4.7).
//!
//! The chain runs a partition search over a dense `columns × validators` score matrix.
//! Its result has a closed form (the smallest score whose cumulative stake strictly
//! exceeds `σ − κ`, else the largest score), which needs only each column's explicit
//! entries: validators without an entry all score zero, and their stake is the rest of
//! σ. So the columns are gathered with a counting sort and each sorted on its own:
//! `O(nnz log nnz + n)` time and 8 bytes per validator entry.

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::I32F32;

use crate::arith::{normalize, wrapping_sum};
use crate::epoch::Weights;

/// Bits kept for the validator index in a sort key; scores take the bits above.
const INDEX_BITS: u32 = 16;
/// Largest score the key can hold: W values are at most 65535 (spec §4.6), i.e. below
/// 2^48 as I32F32 bits.
const MAX_SCORE_BITS: i64 = (1 << 48) - 1;

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

/// Consensus per column `0..n`.
pub(crate) fn weighted_median_columns(
    weights: &Weights<'_>,
    active_stake: &[I32F32],
    kappa: I32F32,
) -> Vec<I32F32> {
    let n = weights.n();
    let mut consensus = vec![I32F32::ZERO; n];
    let validators: Vec<usize> = (0..n)
        .filter(|&i| active_stake.get(i).is_some_and(|s| *s > I32F32::ZERO))
        .collect();
    if validators.is_empty() {
        return consensus;
    }
    let mut share: Vec<I32F32> = validators
        .iter()
        .filter_map(|&i| active_stake.get(i).copied())
        .collect();
    normalize(&mut share);
    let sigma = wrapping_sum(&share);
    let minority = sigma.saturating_sub(kappa);

    // Counting sort of the validators' entries by column. A row holding a column twice
    // counts once (its later value wins), tracked by the last validator seen per column.
    let mut count = vec![0u32; n];
    let mut last_validator = vec![u32::MAX; n];
    for (k, &i) in validators.iter().enumerate() {
        weights.for_each(i, |j, _| {
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
    let mut keys = vec![0u64; total];
    let mut next = start.clone();
    last_validator.fill(u32::MAX);
    let mut last_position = vec![0usize; n];
    for (k, &i) in validators.iter().enumerate() {
        weights.for_each(i, |j, w| {
            let (Some(last), Some(pos), Some(nx)) = (
                last_validator.get_mut(j),
                last_position.get_mut(j),
                next.get_mut(j),
            ) else {
                return;
            };
            if *last == k as u32 {
                if let Some(slot) = keys.get_mut(*pos) {
                    *slot = key(w, k);
                }
            } else {
                *last = k as u32;
                *pos = *nx;
                if let Some(slot) = keys.get_mut(*nx) {
                    *slot = key(w, k);
                }
                *nx = nx.saturating_add(1);
            }
        });
    }
    drop(last_validator);
    drop(last_position);

    let voters = validators.len();
    for (j, c) in consensus.iter_mut().enumerate() {
        let (Some(&a), Some(&b)) = (start.get(j), start.get(j.wrapping_add(1))) else {
            continue;
        };
        let Some(column) = keys.get_mut(a..b) else {
            continue;
        };
        *c = column_median(column, &share, voters, sigma, minority);
    }
    consensus
}

/// The closed form of the chain's weighted median for one column.
fn column_median(
    column: &mut [u64],
    share: &[I32F32],
    voters: usize,
    sigma: I32F32,
    minority: I32F32,
) -> I32F32 {
    column.sort_unstable();
    let share_of = |key: u64| {
        share
            .get(validator_of(key))
            .copied()
            .unwrap_or(I32F32::ZERO)
    };
    // Cumulative shares are exact integer sums of bits, at most σ: no overflow.
    let mut cumulative = I32F32::ZERO;
    let mut rest = column.iter().peekable();
    if column.len() < voters {
        // The silent validators score zero; explicit zeros join their group.
        let explicit: I32F32 = column
            .iter()
            .fold(I32F32::ZERO, |acc, k| acc.wrapping_add(share_of(*k)));
        cumulative = sigma.wrapping_sub(explicit);
        while let Some(k) = rest.next_if(|k| score_of(**k) == I32F32::ZERO) {
            cumulative = cumulative.wrapping_add(share_of(*k));
        }
        if cumulative > minority {
            return I32F32::ZERO;
        }
    }
    while let Some(&first) = rest.next() {
        let score = score_of(first);
        cumulative = cumulative.wrapping_add(share_of(first));
        while let Some(k) = rest.next_if(|k| score_of(**k) == score) {
            cumulative = cumulative.wrapping_add(share_of(*k));
        }
        if cumulative > minority {
            return score;
        }
    }
    column.last().map_or(I32F32::ZERO, |k| score_of(*k))
}
