//! A deliberately straightforward dense port of the epoch: the benchmark baseline.
//!
//! Every matrix is a dense `Vec<Vec<I32F32>>` of `n × n`, each stage allocates a new
//! one, and the weighted median runs the chain's partition search on a dense score
//! column per uid, the way a line-by-line port of the chain's code would. It agrees
//! with [`crate::epoch`] on ordinary storage (rows sorted by uid, no zero-valued
//! entries, no uid ≥ n); it does not reproduce the storage-order quirks, which is one
//! reason the production code is sparse. Not for production use.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::needless_range_loop
)]

use alloc::vec;
use alloc::vec::Vec;
use taolite_core::fixed::{exp_safe, safe_div, I32F32, I64F64, I96F32, U96F32};

use crate::arith::{normalize, normalize_64, proportion_to_u16, u16_proportion, wrapping_sum};
use crate::error::EpochError;
use crate::input::EpochInput;
use crate::output::{EpochOutput, NeuronTerms};
use crate::sparse::SparseRows;

type Matrix = Vec<Vec<I32F32>>;

fn zeros(n: usize) -> Matrix {
    vec![vec![I32F32::ZERO; n]; n]
}

fn col_normalize(m: &mut Matrix, n: usize) {
    for j in 0..n {
        let mut sum = I32F32::ZERO;
        for row in m.iter() {
            sum = sum.saturating_add(row[j]);
        }
        if sum != I32F32::ZERO {
            for row in m.iter_mut() {
                row[j] = safe_div(row[j], sum);
            }
        }
    }
}

/// The chain's partition search for one column (spec §4.7).
fn weighted_median(stake: &[I32F32], score: &[I32F32], minority: I32F32, sigma: I32F32) -> I32F32 {
    let mut partition: Vec<usize> = (0..stake.len()).collect();
    let (mut lo, mut hi) = (I32F32::ZERO, sigma);
    loop {
        if partition.is_empty() {
            return I32F32::ZERO;
        }
        if partition.len() == 1 {
            return score[partition[0]];
        }
        let pivot = score[partition[partition.len() / 2]];
        let lower: Vec<usize> = partition
            .iter()
            .copied()
            .filter(|&k| score[k] < pivot)
            .collect();
        let upper: Vec<usize> = partition
            .iter()
            .copied()
            .filter(|&k| score[k] > pivot)
            .collect();
        let lo_sum = lower
            .iter()
            .fold(I32F32::ZERO, |a, &k| a.saturating_add(stake[k]));
        let hi_sum = upper
            .iter()
            .fold(I32F32::ZERO, |a, &k| a.saturating_add(stake[k]));
        if minority < lo.saturating_add(lo_sum) && !lower.is_empty() {
            hi = lo.saturating_add(lo_sum);
            partition = lower;
        } else if hi.saturating_sub(hi_sum) <= minority && !upper.is_empty() {
            lo = hi.saturating_sub(hi_sum);
            partition = upper;
        } else {
            return pivot;
        }
    }
}

fn sigmoid_alpha(input: &EpochInput, c: I32F32, w: I32F32, b: I32F32) -> I32F32 {
    let (low, high) = (
        u16_proportion(input.alpha_low),
        u16_proportion(input.alpha_high),
    );
    let steep = I32F32::from_num(input.alpha_sigmoid_steepness);
    let clamp01 = |v: I32F32| v.min(I32F32::ONE).max(I32F32::ZERO);
    let diff = if w >= b {
        clamp01(w.saturating_sub(c))
    } else {
        clamp01(b.saturating_sub(w))
    };
    let x = steep
        .saturating_div(I32F32::from_num(-100))
        .saturating_mul(diff.saturating_sub(I32F32::from_num(0.5)));
    let sigmoid = I32F32::ONE.saturating_div(I32F32::ONE.saturating_add(exp_safe(x)));
    low.saturating_add(sigmoid.saturating_mul(high.saturating_sub(low)))
        .min(high)
        .max(low)
}

/// The epoch computed with dense `n × n` matrices (see the module documentation).
pub fn epoch_dense(input: &EpochInput) -> Result<EpochOutput, EpochError> {
    let n = usize::from(input.n);
    if input.has_hotkey.len() != n
        || input.block_at_registration.len() != n
        || input.alpha_stake.len() != n
        || input.tao_stake.len() != n
    {
        return Err(EpochError::LengthMismatch {
            field: "per-uid vectors",
            expected: n,
            actual: input.has_hotkey.len(),
        });
    }
    let owner = input.owner_uid.map(usize::from);
    let tempo = u64::from(input.tempo);
    let cutoff =
        (u64::from(input.activity_cutoff_factor_milli).saturating_mul(tempo) / 1000).max(1);
    let mut last_update = input.last_update.clone();
    last_update.resize(last_update.len().max(n), 0);
    let inactive: Vec<bool> = last_update
        .iter()
        .map(|u| u.saturating_add(cutoff) < input.current_block)
        .collect();
    let reg: Vec<u64> = (0..n)
        .map(|i| {
            if input.has_hotkey[i] {
                input.block_at_registration[i]
            } else {
                0
            }
        })
        .collect();

    let tw = I64F64::saturating_from_num(safe_div(
        U96F32::saturating_from_num(input.tao_weight),
        U96F32::saturating_from_num(u64::MAX),
    ));
    let total: Vec<I64F64> = (0..n)
        .map(|i| {
            if !input.has_hotkey[i] {
                return I64F64::ZERO;
            }
            I64F64::saturating_from_num(input.alpha_stake[i])
                .saturating_add(I64F64::saturating_from_num(input.tao_stake[i]).saturating_mul(tw))
        })
        .collect();
    let mut filtered: Vec<I64F64> = (0..n)
        .map(|i| {
            if owner != Some(i) && total[i].saturating_to_num::<u64>() < input.stake_threshold {
                I64F64::ZERO
            } else {
                total[i]
            }
        })
        .collect();
    normalize_64(&mut filtered);
    let stake: Vec<I32F32> = filtered
        .iter()
        .map(|s| I32F32::saturating_from_num(*s))
        .collect();

    let mut permit = input.validator_permit.clone();
    if let Some(o) = owner {
        if o < permit.len() {
            permit[o] = true;
        }
    }
    let k = usize::from(input.max_allowed_validators);
    let mut new_permit: Vec<bool> = stake.iter().map(|s| *s != I32F32::ZERO).collect();
    if n >= k {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| stake[i]);
        for &i in order.iter().take(n - k) {
            new_permit[i] = false;
        }
    }
    if let Some(o) = owner {
        if o < n {
            new_permit[o] = true;
        }
    }

    let mut active_stake = stake.clone();
    if !inactive.is_empty() {
        for (i, s) in active_stake.iter_mut().enumerate() {
            if inactive.get(i).copied().unwrap_or(true) {
                *s = I32F32::ZERO;
            }
        }
    }
    if !permit.is_empty() {
        for (i, s) in active_stake.iter_mut().enumerate() {
            if !permit.get(i).copied().unwrap_or(false) {
                *s = I32F32::ZERO;
            }
        }
    }
    normalize(&mut active_stake);

    let mut commit = vec![u64::MAX; n];
    if input.commit_reveal_enabled {
        let expired = |e: u64| input.current_epoch_index > e.saturating_add(input.reveal_period);
        for q in &input.v2_commits {
            if let (Some(uid), Some((_, b))) = (q.uid, q.commits.iter().find(|(e, _)| !expired(*e)))
            {
                if usize::from(uid) < n {
                    commit[usize::from(uid)] = commit[usize::from(uid)].min(*b);
                }
            }
        }
        for l in input.v4_commits.iter().filter(|l| !expired(l.commit_epoch)) {
            for (uid, b) in &l.commits {
                if let Some(u) = uid.map(usize::from).filter(|u| *u < n) {
                    commit[u] = commit[u].min(*b);
                }
            }
        }
    }

    // Dense weights with every mask, then row-normalised.
    let mut w = zeros(n);
    for (i, row) in w.iter_mut().enumerate() {
        for &(j, v) in input.weights.row(i) {
            if usize::from(j) < n {
                row[usize::from(j)] = I32F32::from_num(v);
            }
        }
    }
    for i in 0..n {
        let allowed = permit.get(i).copied().unwrap_or(false);
        for j in 0..n {
            let diag = i == j && owner != Some(i);
            if !allowed || diag || last_update[i] <= reg[j] || commit[i] < reg[j] {
                w[i][j] = I32F32::ZERO;
            }
        }
        let sum = wrapping_sum(&w[i]);
        if sum > I32F32::ZERO {
            for v in w[i].iter_mut() {
                *v = safe_div(*v, sum);
            }
        }
    }

    // Consensus: dense score columns over the validators.
    let validators: Vec<usize> = (0..n).filter(|&i| active_stake[i] > I32F32::ZERO).collect();
    let mut share: Vec<I32F32> = validators.iter().map(|&i| active_stake[i]).collect();
    normalize(&mut share);
    let sigma = wrapping_sum(&share);
    let minority = sigma.saturating_sub(u16_proportion(input.kappa));
    let consensus: Vec<I32F32> = (0..n)
        .map(|j| {
            let scores: Vec<I32F32> = validators.iter().map(|&i| w[i][j]).collect();
            weighted_median(&share, &scores, minority, sigma)
        })
        .collect();

    let mut clipped = w.clone();
    for row in clipped.iter_mut() {
        for (j, v) in row.iter_mut().enumerate() {
            if consensus[j] < *v {
                *v = consensus[j].max(I32F32::ZERO);
            }
        }
    }
    let validator_trust: Vec<I32F32> = clipped.iter().map(|r| wrapping_sum(r)).collect();
    let mut ranks = vec![I32F32::ZERO; n];
    for i in 0..n {
        for j in 0..n {
            ranks[j] = ranks[j].saturating_add(active_stake[i].saturating_mul(clipped[i][j]));
        }
    }
    let mut incentive = ranks;
    normalize(&mut incentive);

    let beta = u16_proportion(input.bonds_penalty);
    let mut wb = zeros(n);
    for i in 0..n {
        for j in 0..n {
            let a = w[i][j];
            wb[i][j] = a.saturating_add(beta.saturating_mul(clipped[i][j].saturating_sub(a)));
        }
    }

    let last_tempo = if input.last_mechanism_step_block == 0 {
        input.current_block.saturating_sub(tempo)
    } else {
        input.last_mechanism_step_block.saturating_add(1)
    };
    let mut bonds = zeros(n);
    for (i, row) in bonds.iter_mut().enumerate() {
        for &(j, v) in input.bonds.row(i) {
            let j = usize::from(j);
            if j < n && last_tempo > reg[j] {
                row[j] = if input.yuma3_enabled {
                    u16_proportion(v)
                } else {
                    I32F32::from_num(v)
                };
            }
        }
    }

    let mut dividends = vec![I32F32::ZERO; n];
    let stored: Matrix;
    if input.yuma3_enabled {
        let mut ema = zeros(n);
        if input.liquid_alpha_enabled && consensus.iter().any(|c| *c != I32F32::ZERO) {
            let mut alpha = zeros(n);
            for i in 0..n {
                for j in 0..n {
                    alpha[i][j] = sigmoid_alpha(input, consensus[j], wb[i][j], bonds[i][j]);
                }
            }
            for i in 0..n {
                for j in 0..n {
                    if wb[i][j] > I32F32::ZERO {
                        let a = alpha[i][j];
                        let decayed = I32F32::ONE.saturating_sub(a).saturating_mul(bonds[i][j]);
                        let inc = a.saturating_mul(wb[i][j]).max(I32F32::ZERO);
                        ema[i][j] = decayed.saturating_add(inc).min(I32F32::ONE);
                    }
                }
            }
        } else {
            let bma = I64F64::wrapping_from_num(input.bonds_moving_average)
                .saturating_div(I64F64::from_num(1_000_000));
            let a = I32F32::ONE.saturating_sub(I32F32::wrapping_from_num(bma));
            for i in 0..n {
                for j in 0..n {
                    ema[i][j] = a
                        .saturating_mul(wb[i][j])
                        .saturating_add(I32F32::ONE.saturating_sub(a).saturating_mul(bonds[i][j]))
                        .max(I32F32::ZERO);
                }
            }
        }
        let mut norm = ema.clone();
        col_normalize(&mut norm, n);
        for i in 0..n {
            let mut total = I32F32::ZERO;
            for j in 0..n {
                total = total.wrapping_add(norm[i][j].saturating_mul(incentive[j]));
            }
            dividends[i] = total.checked_mul(active_stake[i]).unwrap_or(I32F32::ZERO);
        }
        stored = ema;
    } else {
        col_normalize(&mut bonds, n);
        let mut delta = zeros(n);
        for i in 0..n {
            for j in 0..n {
                delta[i][j] = wb[i][j].saturating_mul(active_stake[i]);
            }
        }
        col_normalize(&mut delta, n);
        let bma = safe_div(
            I64F64::saturating_from_num(input.bonds_moving_average),
            I64F64::from_num(1_000_000),
        );
        let a = I32F32::ONE.saturating_sub(I32F32::saturating_from_num(bma));
        let mut ema = zeros(n);
        for i in 0..n {
            for j in 0..n {
                let v = a
                    .saturating_mul(delta[i][j])
                    .saturating_add(I32F32::ONE.saturating_sub(a).saturating_mul(bonds[i][j]));
                ema[i][j] = v.max(I32F32::ZERO);
            }
        }
        col_normalize(&mut ema, n);
        for i in 0..n {
            for j in 0..n {
                dividends[i] = dividends[i].saturating_add(incentive[j].saturating_mul(ema[i][j]));
            }
        }
        for j in 0..n {
            let max = ema.iter().fold(I32F32::ZERO, |m, r| m.max(r[j]));
            if max != I32F32::ZERO {
                for row in ema.iter_mut() {
                    row[j] = safe_div(row[j], max);
                }
            }
        }
        stored = ema;
    }
    normalize(&mut dividends);

    let combined: Vec<I32F32> = (0..n)
        .map(|i| incentive[i].saturating_add(dividends[i]))
        .collect();
    let sum = wrapping_sum(&combined);
    let mut server = incentive.clone();
    let mut validator = dividends.clone();
    if sum != I32F32::ZERO {
        for v in server.iter_mut().chain(validator.iter_mut()) {
            *v = safe_div(*v, sum);
        }
    }
    let mut combined_norm = combined;
    normalize(&mut combined_norm);
    if sum == I32F32::ZERO {
        let fallback = if wrapping_sum(&active_stake) == I32F32::ZERO {
            &stake
        } else {
            &active_stake
        };
        validator.clone_from(fallback);
        combined_norm.clone_from(fallback);
    }
    let rao = I96F32::saturating_from_num(input.rao_emission);
    let share_of = |x: I32F32| {
        I96F32::saturating_from_num(x)
            .saturating_mul(rao)
            .saturating_to_num::<u64>()
    };

    let mut terms = Vec::with_capacity(n);
    let mut out_bonds = SparseRows::new();
    for i in 0..n {
        if !input.has_hotkey[i] {
            terms.push(None);
            out_bonds.finish_row()?;
            continue;
        }
        terms.push(Some(NeuronTerms {
            uid: i as u16,
            incentive: proportion_to_u16(incentive[i]),
            dividend: proportion_to_u16(dividends[i]),
            consensus: proportion_to_u16(consensus[i]),
            validator_trust: proportion_to_u16(validator_trust[i]),
            stake_weight: proportion_to_u16(stake[i]),
            active: !inactive[i],
            new_validator_permit: new_permit[i],
            server_emission: share_of(server[i]),
            validator_emission: share_of(validator[i]),
            emission: share_of(combined_norm[i]),
            stake: total[i].saturating_to_num::<u64>(),
        }));
        if new_permit[i] {
            for j in 0..n {
                if stored[i][j] > I32F32::ZERO {
                    out_bonds.push_entry(j as u16, proportion_to_u16(stored[i][j]));
                }
            }
        }
        out_bonds.finish_row()?;
    }
    Ok(EpochOutput {
        terms,
        bonds: out_bonds,
    })
}
