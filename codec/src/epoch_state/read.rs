//! A dump's storage to the `EpochInput` the chain's epoch would read.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use taolite_core::fixed::{safe_div, U96F32};
use taolite_core::AccountId32;
use taolite_yuma::{EpochInput, SparseRows, V2Commits, V4Commits};

use super::dump::StateDump;
use super::error::StateError;
use super::items::{account, split_part, Store};
use crate::storage::{netuid_index, Hasher, KeyPart, StorageValue};

/// The hotkeys of a subnet by uid (`Keys`, every entry, also uids ≥ n), checked unique.
pub(crate) struct Hotkeys {
    /// `uid → hotkey`, ascending uid.
    pub(crate) by_uid: BTreeMap<u16, AccountId32>,
    /// `hotkey → uid`.
    pub(crate) by_key: BTreeMap<AccountId32, u16>,
}

pub(crate) fn hotkeys(store: &Store<'_>, netuid: u16) -> Result<Hotkeys, StateError> {
    let mut by_uid = BTreeMap::new();
    let mut by_key = BTreeMap::new();
    for (rest, key, value) in store.entries("Keys", &[KeyPart::U16(netuid)])? {
        let uid = uid_key(rest).ok_or_else(|| malformed_key("Keys", key))?;
        let StorageValue::AccountId(hotkey) = value else {
            return Err(malformed_key("Keys", key));
        };
        if let Some(first) = by_key.insert(hotkey, uid) {
            return Err(StateError::DuplicateHotkey { first, second: uid });
        }
        by_uid.insert(uid, hotkey);
    }
    Ok(Hotkeys { by_uid, by_key })
}

fn malformed_key(item: &'static str, key: &[u8]) -> StateError {
    StateError::MalformedKey {
        item,
        key: key.to_vec(),
    }
}

/// A trailing `Identity(u16)` key part.
fn uid_key(rest: &[u8]) -> Option<u16> {
    let bytes: [u8; 2] = rest.try_into().ok()?;
    Some(u16::from_le_bytes(bytes))
}

/// Checks the subnet and mechanism exist; returns the storage index.
pub(crate) fn storage_index(store: &Store<'_>, dump: &StateDump) -> Result<u16, StateError> {
    let net = [KeyPart::U16(dump.netuid)];
    if !store.bool("NetworksAdded", &net)? {
        return Err(StateError::SubnetNotAdded {
            netuid: dump.netuid,
        });
    }
    let count = mechanism_count(store, dump.netuid)?;
    let not_active = StateError::MechanismNotActive {
        netuid: dump.netuid,
        mechanism: dump.mechanism,
        count,
    };
    if dump.mechanism >= count {
        return Err(not_active);
    }
    netuid_index(dump.netuid, dump.mechanism).ok_or(not_active)
}

fn mechanism_count(store: &Store<'_>, netuid: u16) -> Result<u8, StateError> {
    let count = store
        .with(
            "MechanismCountCurrent",
            &[KeyPart::U16(netuid)],
            |v| match v {
                StorageValue::U8(x) => Some(x),
                _ => None,
            },
        )?
        .unwrap_or(1);
    Ok(count)
}

/// The chain's `split_emissions`: mechanism `mechanism`'s share of `total` given
/// `MechanismCountCurrent` and `MechanismEmissionSplit` (`None` = even split); rounding
/// losses go to mechanism 0.
pub fn split_emission(total: u64, count: u8, split: Option<&[u16]>, mechanism: u8) -> u64 {
    let count = usize::from(count);
    let mut shares: Vec<u64> = match split {
        Some(split) => split
            .iter()
            .map(|s| {
                // s ≤ 65535, so the quotient ≤ total and fits u64.
                let q = u128::from(total)
                    .saturating_mul(u128::from(*s))
                    .checked_div(65535)
                    .unwrap_or(0);
                u64::try_from(q).unwrap_or(u64::MAX)
            })
            .collect(),
        None => {
            let per = total.checked_div(count as u64).unwrap_or(0);
            vec![per; count]
        }
    };
    shares.resize(count, 0);
    // The chain sums with a plain (release-build wrapping) `sum()`.
    let given = shares.iter().fold(0u64, |a, b| a.wrapping_add(*b));
    let rounding = total.saturating_sub(given);
    if let Some(first) = shares.first_mut() {
        *first = first.saturating_add(rounding);
    }
    shares.get(usize::from(mechanism)).copied().unwrap_or(0)
}

/// The chain's stake inheritance: `initial − Σ initial × p_c + Σ parent_p × p_p`, each
/// proportion `p / (2^64 − 1)`, all in saturating U96F32, floored back to u64.
fn inherit(initial: u64, children: &[u64], parents: &[(u64, u64)]) -> u64 {
    let max = U96F32::saturating_from_num(u64::MAX);
    let proportion = |p: u64| safe_div(U96F32::saturating_from_num(p), max);
    let initial = U96F32::saturating_from_num(initial);
    let to_children = children.iter().fold(U96F32::ZERO, |acc, p| {
        acc.saturating_add(initial.saturating_mul(proportion(*p)))
    });
    let from_parents = parents.iter().fold(U96F32::ZERO, |acc, (p, stake)| {
        acc.saturating_add(U96F32::saturating_from_num(*stake).saturating_mul(proportion(*p)))
    });
    initial
        .saturating_sub(to_children)
        .saturating_add(from_parents)
        .saturating_to_num::<u64>()
}

fn proportions(
    store: &Store<'_>,
    name: &'static str,
    hotkey: AccountId32,
    netuid: u16,
) -> Result<Vec<(u64, AccountId32)>, StateError> {
    Ok(store
        .with(
            name,
            &[KeyPart::Account(hotkey), KeyPart::U16(netuid)],
            |v| match v {
                StorageValue::Proportions(seq) => Some(seq.iter().collect::<Vec<_>>()),
                _ => None,
            },
        )?
        .unwrap_or_default())
}

fn total_alpha(store: &Store<'_>, hotkey: AccountId32, netuid: u16) -> Result<u64, StateError> {
    store.u64(
        "TotalHotkeyAlpha",
        &[KeyPart::Account(hotkey), KeyPart::U16(netuid)],
    )
}

/// `(alpha, tao)` inherited stake of `hotkey` on `netuid`, as the chain's
/// `get_inherited_for_hotkey_on_subnet` and `get_tao_inherited_for_hotkey_on_subnet`.
fn inherited_stake(
    store: &Store<'_>,
    hotkey: AccountId32,
    netuid: u16,
) -> Result<(u64, u64), StateError> {
    let children: Vec<u64> = proportions(store, "ChildKeys", hotkey, netuid)?
        .iter()
        .map(|(p, _)| *p)
        .collect();
    let parents = proportions(store, "ParentKeys", hotkey, netuid)?;
    let mut alpha_parents = Vec::with_capacity(parents.len());
    let mut tao_parents = Vec::with_capacity(parents.len());
    for (p, parent) in &parents {
        alpha_parents.push((*p, total_alpha(store, *parent, netuid)?));
        tao_parents.push((*p, total_alpha(store, *parent, 0)?));
    }
    let own_alpha = total_alpha(store, hotkey, netuid)?;
    let alpha = if netuid == 0 {
        own_alpha
    } else {
        inherit(own_alpha, &children, &alpha_parents)
    };
    let tao = inherit(total_alpha(store, hotkey, 0)?, &children, &tao_parents);
    Ok((alpha, tao))
}

fn rows(store: &Store<'_>, name: &'static str, index: u16) -> Result<SparseRows<u16>, StateError> {
    let mut by_uid: BTreeMap<u16, Vec<(u16, u16)>> = BTreeMap::new();
    for (rest, key, value) in store.entries(name, &[KeyPart::U16(index)])? {
        let uid = uid_key(rest).ok_or_else(|| malformed_key(name, key))?;
        let StorageValue::Sparse(seq) = value else {
            return Err(malformed_key(name, key));
        };
        by_uid.insert(uid, seq.iter().collect());
    }
    let count = by_uid
        .last_key_value()
        .map_or(0, |(uid, _)| usize::from(*uid).saturating_add(1));
    let entries = by_uid
        .values()
        .map(Vec::len)
        .fold(0usize, usize::saturating_add);
    let mut out = SparseRows::with_capacity(count, entries);
    for uid in 0..count {
        let row = u16::try_from(uid)
            .ok()
            .and_then(|u| by_uid.remove(&u))
            .unwrap_or_default();
        out.push_row(row).map_err(|_| malformed_key(name, &[]))?;
    }
    Ok(out)
}

fn v2_commits(store: &Store<'_>, index: u16, keys: &Hotkeys) -> Result<Vec<V2Commits>, StateError> {
    let mut out = Vec::new();
    for (rest, key, value) in store.entries("WeightCommits", &[KeyPart::U16(index)])? {
        let hotkey = split_part(Hasher::Twox64Concat, rest, 32)
            .filter(|(_, tail)| tail.is_empty())
            .and_then(|(part, _)| account(part))
            .ok_or_else(|| malformed_key("WeightCommits", key))?;
        let StorageValue::WeightCommits(seq) = value else {
            return Err(malformed_key("WeightCommits", key));
        };
        // The chain reads the tuple as (hash, commit_epoch, commit_block, _).
        let commits = seq
            .iter()
            .map(|(_, epoch, block, _)| (epoch, block))
            .collect();
        out.push(V2Commits {
            uid: keys.by_key.get(&hotkey).copied(),
            commits,
        });
    }
    Ok(out)
}

fn v4_commits(store: &Store<'_>, index: u16, keys: &Hotkeys) -> Result<Vec<V4Commits>, StateError> {
    let mut out = Vec::new();
    for (rest, key, value) in store.entries("TimelockedWeightCommits", &[KeyPart::U16(index)])? {
        let commit_epoch = split_part(Hasher::Twox64Concat, rest, 8)
            .filter(|(_, tail)| tail.is_empty())
            .and_then(|(part, _)| part.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| malformed_key("TimelockedWeightCommits", key))?;
        let StorageValue::TimelockedCommits(seq) = value else {
            return Err(malformed_key("TimelockedWeightCommits", key));
        };
        let commits = seq
            .iter()
            .map(|(who, block, _, _)| (keys.by_key.get(&who).copied(), block))
            .collect();
        out.push(V4Commits {
            commit_epoch,
            commits,
        });
    }
    Ok(out)
}

/// The rao the epoch of `dump.mechanism` distributes (see the module docs).
fn rao_emission(store: &Store<'_>, dump: &StateDump) -> Result<u64, StateError> {
    let net = [KeyPart::U16(dump.netuid)];
    let total = match dump.epoch.rao_emission {
        Some(total) => total,
        None => store
            .u64("PendingServerEmission", &net)?
            .saturating_add(store.u64("PendingValidatorEmission", &net)?)
            .saturating_add(store.u64("PendingRootAlphaDivs", &net)?),
    };
    let count = mechanism_count(store, dump.netuid)?;
    let split = store.with("MechanismEmissionSplit", &net, |v| match v {
        StorageValue::VecU16(seq) => Some(seq.iter().collect::<Vec<u16>>()),
        _ => None,
    })?;
    Ok(split_emission(
        total,
        count,
        split.as_deref(),
        dump.mechanism,
    ))
}

/// Decodes everything the chain's epoch reads for `dump.netuid` / `dump.mechanism` into an
/// `EpochInput`, with the chain's defaults for absent keys.
pub fn epoch_input(dump: &StateDump) -> Result<EpochInput, StateError> {
    let store = Store(dump);
    let index = storage_index(&store, dump)?;
    let netuid = dump.netuid;
    let net = [KeyPart::U16(netuid)];
    let idx = [KeyPart::U16(index)];
    let n = store.u16("SubnetworkN", &net)?;
    let keys = hotkeys(&store, netuid)?;

    let size = usize::from(n);
    let mut has_hotkey = vec![false; size];
    let mut block_at_registration = vec![0u64; size];
    let mut alpha_stake = vec![0u64; size];
    let mut tao_stake = vec![0u64; size];
    for (&uid, &hotkey) in keys.by_uid.range(..n) {
        let i = usize::from(uid);
        let (alpha, tao) = inherited_stake(&store, hotkey, netuid)?;
        let registered = store.u64(
            "BlockAtRegistration",
            &[KeyPart::U16(netuid), KeyPart::U16(uid)],
        )?;
        if let (Some(h), Some(b), Some(a), Some(t)) = (
            has_hotkey.get_mut(i),
            block_at_registration.get_mut(i),
            alpha_stake.get_mut(i),
            tao_stake.get_mut(i),
        ) {
            (*h, *b, *a, *t) = (true, registered, alpha, tao);
        }
    }

    let owner_uid = match store.with("SubnetOwnerHotkey", &net, |v| match v {
        StorageValue::AccountId(a) => Some(a),
        _ => None,
    })? {
        // `try_get`: only a present owner hotkey is looked up in `Uids`.
        Some(owner) if store.contains("SubnetOwnerHotkey", &net)? => store
            .uint("Uids", &[KeyPart::U16(netuid), KeyPart::Account(owner)])?
            .and_then(|u| u16::try_from(u).ok()),
        _ => None,
    };

    let (alpha_low, alpha_high) = store
        .with("AlphaValues", &net, |v| match v {
            StorageValue::U16Pair(a, b) => Some((a, b)),
            _ => None,
        })?
        .unwrap_or_default();
    let alpha_sigmoid_steepness = store
        .with("AlphaSigmoidSteepness", &net, |v| match v {
            StorageValue::I16(x) => Some(x),
            _ => None,
        })?
        .unwrap_or_default();
    let activity_cutoff_factor_milli = store
        .uint("ActivityCutoffFactorMilli", &net)?
        .and_then(|x| u32::try_from(x).ok())
        .unwrap_or_default();
    let last_update = store
        .with("LastUpdate", &idx, |v| match v {
            StorageValue::VecU64(seq) => Some(seq.iter().collect()),
            _ => None,
        })?
        .unwrap_or_default();
    let validator_permit = store
        .with("ValidatorPermit", &net, |v| match v {
            StorageValue::VecBool(seq) => Some(seq.iter().collect()),
            _ => None,
        })?
        .unwrap_or_default();

    let current_block = match dump.epoch.current_block {
        Some(b) => b,
        None => dump
            .block_number
            .checked_add(1)
            .ok_or(StateError::BlockOverflow)?,
    };
    let current_epoch_index = match dump.epoch.current_epoch_index {
        Some(e) => e,
        None => store.u64("SubnetEpochIndex", &net)?.saturating_add(1),
    };

    Ok(EpochInput {
        n,
        current_block,
        tempo: store.u16("Tempo", &net)?,
        activity_cutoff_factor_milli,
        last_update,
        has_hotkey,
        block_at_registration,
        alpha_stake,
        tao_stake,
        tao_weight: store.u64("TaoWeight", &[])?,
        stake_threshold: store.u64("StakeThreshold", &[])?,
        owner_uid,
        validator_permit,
        max_allowed_validators: store.u16("MaxAllowedValidators", &net)?,
        weights: rows(&store, "Weights", index)?,
        bonds: rows(&store, "Bonds", index)?,
        kappa: store.u16("Kappa", &net)?,
        bonds_penalty: store.u16("BondsPenalty", &net)?,
        bonds_moving_average: store.u64("BondsMovingAverage", &net)?,
        yuma3_enabled: store.bool("Yuma3On", &net)?,
        liquid_alpha_enabled: store.bool("LiquidAlphaOn", &net)?,
        alpha_low,
        alpha_high,
        alpha_sigmoid_steepness,
        commit_reveal_enabled: store.bool("CommitRevealWeightsEnabled", &net)?,
        reveal_period: store.u64("RevealPeriodEpochs", &net)?,
        current_epoch_index,
        v2_commits: v2_commits(&store, index, &keys)?,
        v4_commits: v4_commits(&store, index, &keys)?,
        last_mechanism_step_block: store.u64("LastMechansimStepBlock", &net)?,
        rao_emission: rao_emission(&store, dump)?,
    })
}
