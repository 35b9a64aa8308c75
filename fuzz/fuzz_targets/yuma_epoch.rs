//! The epoch on arbitrary storage-shaped inputs (n ≤ 64): it must never refuse or panic,
//! and its output must satisfy the invariants in `common/yuma_checks.rs` (lengths, hotkey
//! presence, activity, stake bounds, permit count, bonds only with a permit, emissions
//! within the rao given).
//!
//! Values are drawn from small pools near the interesting edges (0, 65535, u64 near 2^63,
//! blocks around the current block) so the stages' branches are reached often.
#![no_main]

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use taolite_yuma::{EpochInput, SparseRows, V2Commits, V4Commits};

#[path = "common/yuma_checks.rs"]
mod yuma_checks;

const MAX_N: u16 = 64;

fn u16_value(u: &mut Unstructured<'_>) -> Result<u16> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => 0,
        1 => u16::MAX,
        2 => u.int_in_range(0..=16)?,
        _ => u.arbitrary()?,
    })
}

fn stake(u: &mut Unstructured<'_>) -> Result<u64> {
    Ok(match u.int_in_range(0..=4u8)? {
        0 => 0,
        1 => u.int_in_range(0..=1_000_000_000)?,
        2 => u.int_in_range(0..=1u64 << 50)?,
        3 => u64::MAX - u.int_in_range(0..=1u64 << 62)?,
        _ => u.arbitrary()?,
    })
}

/// A block near `current` (within a few tempos either side), or anything.
fn block(u: &mut Unstructured<'_>, current: u64) -> Result<u64> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => 0,
        1 => current.saturating_sub(u.int_in_range(0..=2000)?),
        2 => current.saturating_add(u.int_in_range(0..=50)?),
        _ => u.arbitrary()?,
    })
}

fn rows(u: &mut Unstructured<'_>, n: u16) -> Result<SparseRows<u16>> {
    let count = u.int_in_range(0..=n + 2)?;
    let mut rows = SparseRows::new();
    for _ in 0..count {
        let len = u.int_in_range(0..=n + 1)?;
        let sorted = u.ratio(3u8, 4)?;
        let mut row: Vec<(u16, u16)> = Vec::with_capacity(usize::from(len));
        for _ in 0..len {
            // Mostly in range; sometimes ≥ n, which storage can hold.
            let uid = if u.ratio(15u8, 16)? {
                u.int_in_range(0..=n.max(1) - 1)?
            } else {
                u.int_in_range(n..=n + 4)?
            };
            row.push((uid, u16_value(u)?));
        }
        if sorted {
            row.sort_by_key(|(j, _)| *j);
            row.dedup_by_key(|(j, _)| *j);
        }
        rows.push_row(row).expect("few entries");
    }
    Ok(rows)
}

fn option_uid(u: &mut Unstructured<'_>, n: u16) -> Result<Option<u16>> {
    Ok(match u.int_in_range(0..=3u8)? {
        0 => None,
        1 => Some(u.arbitrary()?),
        _ => Some(u.int_in_range(0..=n)?),
    })
}

fn input(u: &mut Unstructured<'_>) -> Result<EpochInput> {
    let n = u.int_in_range(0..=MAX_N)?;
    let nn = usize::from(n);
    let current_block: u64 = u.int_in_range(0..=10_000_000)?;
    let tempo = if u.ratio(1u8, 8)? {
        u.arbitrary()?
    } else {
        u.int_in_range(1..=360)?
    };
    let per_uid = |u: &mut Unstructured<'_>,
                   f: &mut dyn FnMut(&mut Unstructured<'_>) -> Result<u64>|
     -> Result<Vec<u64>> { (0..nn).map(|_| f(u)).collect() };
    let has_hotkey: Vec<bool> = (0..nn).map(|_| u.ratio(7u8, 8)).collect::<Result<_>>()?;
    let lu_len = u.int_in_range(0..=nn + 2)?;
    let last_update = (0..lu_len)
        .map(|_| block(u, current_block))
        .collect::<Result<_>>()?;
    let block_at_registration = per_uid(u, &mut |u| block(u, current_block))?;
    let alpha_stake = per_uid(u, &mut stake)?;
    let tao_stake = per_uid(u, &mut stake)?;
    let permit_len = match u.int_in_range(0..=3u8)? {
        0 => 0,
        1 => u.int_in_range(0..=nn + 2)?,
        _ => nn,
    };
    let validator_permit = (0..permit_len)
        .map(|_| u.ratio(1u8, 2))
        .collect::<Result<_>>()?;
    let weights = rows(u, n)?;
    let bonds = rows(u, n)?;
    let v2_count = u.int_in_range(0..=4u8)?;
    let mut v2_commits = Vec::new();
    for _ in 0..v2_count {
        let uid = option_uid(u, n)?;
        let len = u.int_in_range(0..=3u8)?;
        let commits = (0..len)
            .map(|_| {
                Ok((
                    u.int_in_range(0..=current_block / 100 + 2)?,
                    block(u, current_block)?,
                ))
            })
            .collect::<Result<_>>()?;
        v2_commits.push(V2Commits { uid, commits });
    }
    let v4_count = u.int_in_range(0..=3u8)?;
    let mut v4_commits = Vec::new();
    for _ in 0..v4_count {
        let commit_epoch = u.int_in_range(0..=current_block / 100 + 2)?;
        let len = u.int_in_range(0..=3u8)?;
        let commits = (0..len)
            .map(|_| Ok((option_uid(u, n)?, block(u, current_block)?)))
            .collect::<Result<_>>()?;
        v4_commits.push(V4Commits {
            commit_epoch,
            commits,
        });
    }
    Ok(EpochInput {
        n,
        current_block,
        tempo,
        activity_cutoff_factor_milli: if u.ratio(1u8, 8)? {
            u.arbitrary()?
        } else {
            u.int_in_range(0..=20_000)?
        },
        last_update,
        has_hotkey,
        block_at_registration,
        alpha_stake,
        tao_stake,
        tao_weight: match u.int_in_range(0..=3u8)? {
            0 => 0,
            1 => u64::MAX,
            2 => 971_718_665_099_567_868,
            _ => u.arbitrary()?,
        },
        stake_threshold: match u.int_in_range(0..=2u8)? {
            0 => 0,
            1 => u.int_in_range(0..=1u64 << 40)?,
            _ => u.arbitrary()?,
        },
        owner_uid: option_uid(u, n)?,
        validator_permit,
        max_allowed_validators: if u.ratio(1u8, 4)? {
            u.arbitrary()?
        } else {
            u.int_in_range(0..=n + 1)?
        },
        weights,
        bonds,
        kappa: u16_value(u)?,
        bonds_penalty: u16_value(u)?,
        bonds_moving_average: match u.int_in_range(0..=3u8)? {
            0 => 900_000,
            1 => u.int_in_range(0..=1_000_000)?,
            2 => u.int_in_range(1_000_000..=2_000_000)?,
            _ => u.arbitrary()?,
        },
        yuma3_enabled: u.arbitrary()?,
        liquid_alpha_enabled: u.arbitrary()?,
        alpha_low: u16_value(u)?,
        alpha_high: u16_value(u)?,
        alpha_sigmoid_steepness: u.arbitrary()?,
        commit_reveal_enabled: u.arbitrary()?,
        reveal_period: u.int_in_range(0..=4)?,
        current_epoch_index: current_block / 100,
        v2_commits,
        v4_commits,
        last_mechanism_step_block: block(u, current_block)?,
        rao_emission: match u.int_in_range(0..=2u8)? {
            0 => 1_000_000_000,
            1 => u64::MAX,
            _ => u.arbitrary()?,
        },
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(input) = input(&mut u) else {
        return;
    };
    yuma_checks::run_and_check(&input, true);
});
