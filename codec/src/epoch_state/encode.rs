//! An `EpochInput` / `EpochOutput` written as the raw storage the chain would hold.

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use taolite_core::{AccountId32, H256};
use taolite_yuma::{EpochInput, EpochOutput};

use super::dump::StateDump;
use super::items::key;
use super::stored::record;
use super::StateError;
use crate::scale::{Bytes, Output, Seq};
use crate::storage::{netuid_index, KeyPart, StorageValue as V};

/// Why an input cannot be written as storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// Subnet 0 (root) keeps alpha and root stake in the same `TotalHotkeyAlpha` entry.
    RootSubnet,
    /// `mechanism × 4096 + netuid` does not fit a `u16`.
    BadMechanism,
    /// A storage item is missing from the table (cannot happen with this crate's table).
    Item(&'static str),
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RootSubnet => write!(f, "subnet 0 cannot hold separate alpha and root stake"),
            Self::BadMechanism => write!(f, "mechanism × 4096 + netuid does not fit u16"),
            Self::Item(name) => write!(f, "no storage item named {name}"),
        }
    }
}

impl core::error::Error for EncodeError {}

impl From<StateError> for EncodeError {
    fn from(e: StateError) -> Self {
        match e {
            StateError::UnknownItem { item } => Self::Item(item),
            _ => Self::Item("?"),
        }
    }
}

struct VecOut(Vec<u8>);

impl Output for VecOut {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }
}

fn bytes(value: V<'_>) -> Vec<u8> {
    let mut out = VecOut(Vec::new());
    value.encode_to(&mut out);
    out.0
}

fn account(tag: u8, index: u32) -> AccountId32 {
    let mut a = [0x7a; 32];
    a[0] = tag;
    a[1..5].copy_from_slice(&index.to_le_bytes());
    AccountId32(a)
}

/// The hotkey the encoder gives `uid`.
pub fn hotkey_account(uid: u16) -> AccountId32 {
    account(1, u32::from(uid))
}

/// A hotkey registered nowhere on the subnet (commits of unregistered hotkeys).
fn stranger(index: usize) -> AccountId32 {
    account(2, u32::try_from(index).unwrap_or(u32::MAX))
}

/// The owner hotkey when the owner uid has no hotkey of its own.
fn owner_account() -> AccountId32 {
    account(3, 0)
}

/// The `Keys` the encoder writes: uids below n that have a hotkey, and uids ≥ n named by
/// commits (a hotkey registered beyond `SubnetworkN`).
fn hotkeys(input: &EpochInput) -> BTreeMap<u16, AccountId32> {
    let mut keys = BTreeMap::new();
    for (uid, has) in (0..input.n).zip(&input.has_hotkey) {
        if *has {
            keys.insert(uid, hotkey_account(uid));
        }
    }
    let beyond = input.v2_commits.iter().filter_map(|c| c.uid).chain(
        input
            .v4_commits
            .iter()
            .flat_map(|c| c.commits.iter().filter_map(|e| e.0)),
    );
    for uid in beyond {
        if uid >= input.n {
            keys.insert(uid, hotkey_account(uid));
        }
    }
    keys
}

struct Writer {
    dump: StateDump,
}

impl Writer {
    fn put(
        &mut self,
        name: &'static str,
        parts: &[KeyPart],
        value: V<'_>,
    ) -> Result<(), EncodeError> {
        let k = key(name, parts)?;
        self.dump.insert(k.as_bytes(), bytes(value));
        Ok(())
    }
}

/// Writes `input` as the storage the chain's epoch would read for `netuid` / `mechanism`.
///
/// Only what the epoch reads is written. Mappings where storage cannot hold the input
/// as given:
/// * a uid without a hotkey stores no `BlockAtRegistration` or stake (the chain reads 0);
/// * a commit naming a uid below n that has no hotkey cannot exist on chain (a commit is
///   keyed by a hotkey, and a uid without a `Keys` entry has none): it is written as the
///   commit of an unregistered hotkey, as is a second queue naming an already used uid;
/// * timelocked lists with the same `commit_epoch` are one storage entry: concatenated;
/// * `rao_emission` goes to `PendingServerEmission`; `current_block` and
///   `current_epoch_index` to `block_number + 1` and `SubnetEpochIndex + 1`, or to the
///   dump's `epoch` overrides when they are 0;
/// * a mechanism above 0 gets all of the emission through `MechanismEmissionSplit`.
pub fn encode_input(
    input: &EpochInput,
    netuid: u16,
    mechanism: u8,
) -> Result<StateDump, EncodeError> {
    if netuid == 0 {
        return Err(EncodeError::RootSubnet);
    }
    let index = netuid_index(netuid, mechanism).ok_or(EncodeError::BadMechanism)?;
    let mut dump = StateDump::new(netuid, mechanism, input.current_block.saturating_sub(1));
    if input.current_block == 0 {
        dump.epoch.current_block = Some(0);
    }
    if input.current_epoch_index == 0 {
        dump.epoch.current_epoch_index = Some(0);
    }
    let mut w = Writer { dump };
    let net = [KeyPart::U16(netuid)];
    let idx = [KeyPart::U16(index)];

    w.put("NetworksAdded", &net, V::Bool(true))?;
    if mechanism > 0 {
        let count = mechanism.saturating_add(1);
        w.put("MechanismCountCurrent", &net, V::U8(count))?;
        let mut split = vec![0u16; usize::from(count)];
        if let Some(s) = split.get_mut(usize::from(mechanism)) {
            *s = u16::MAX;
        }
        w.put(
            "MechanismEmissionSplit",
            &net,
            V::VecU16(Seq::Items(&split)),
        )?;
    }
    w.put("SubnetworkN", &net, V::U16(input.n))?;
    w.put("Tempo", &net, V::U16(input.tempo))?;
    w.put(
        "ActivityCutoffFactorMilli",
        &net,
        V::U32(input.activity_cutoff_factor_milli),
    )?;
    w.put(
        "LastUpdate",
        &idx,
        V::VecU64(Seq::Items(&input.last_update)),
    )?;

    let keys = hotkeys(input);
    for (&uid, &hotkey) in &keys {
        w.put(
            "Keys",
            &[KeyPart::U16(netuid), KeyPart::U16(uid)],
            V::AccountId(hotkey),
        )?;
        let i = usize::from(uid);
        if uid < input.n {
            let registered = input.block_at_registration.get(i).copied().unwrap_or(0);
            let alpha = input.alpha_stake.get(i).copied().unwrap_or(0);
            let tao = input.tao_stake.get(i).copied().unwrap_or(0);
            w.put(
                "BlockAtRegistration",
                &[KeyPart::U16(netuid), KeyPart::U16(uid)],
                V::U64(registered),
            )?;
            w.put(
                "TotalHotkeyAlpha",
                &[KeyPart::Account(hotkey), KeyPart::U16(netuid)],
                V::U64(alpha),
            )?;
            w.put(
                "TotalHotkeyAlpha",
                &[KeyPart::Account(hotkey), KeyPart::U16(0)],
                V::U64(tao),
            )?;
        }
    }
    w.put("TaoWeight", &[], V::U64(input.tao_weight))?;
    w.put("StakeThreshold", &[], V::U64(input.stake_threshold))?;
    if let Some(owner) = input.owner_uid {
        let hotkey = keys.get(&owner).copied().unwrap_or_else(owner_account);
        w.put("SubnetOwnerHotkey", &net, V::AccountId(hotkey))?;
        w.put(
            "Uids",
            &[KeyPart::U16(netuid), KeyPart::Account(hotkey)],
            V::U16(owner),
        )?;
    }
    w.put(
        "ValidatorPermit",
        &net,
        V::VecBool(Seq::Items(&input.validator_permit)),
    )?;
    w.put(
        "MaxAllowedValidators",
        &net,
        V::U16(input.max_allowed_validators),
    )?;
    for (name, rows) in [("Weights", &input.weights), ("Bonds", &input.bonds)] {
        for (uid, row) in rows.iter_rows().enumerate() {
            let uid = u16::try_from(uid).map_err(|_| EncodeError::Item(name))?;
            w.put(
                name,
                &[KeyPart::U16(index), KeyPart::U16(uid)],
                V::Sparse(Seq::Items(row)),
            )?;
        }
    }
    w.put("Kappa", &net, V::U16(input.kappa))?;
    w.put("BondsPenalty", &net, V::U16(input.bonds_penalty))?;
    w.put(
        "BondsMovingAverage",
        &net,
        V::U64(input.bonds_moving_average),
    )?;
    w.put("Yuma3On", &net, V::Bool(input.yuma3_enabled))?;
    w.put("LiquidAlphaOn", &net, V::Bool(input.liquid_alpha_enabled))?;
    w.put(
        "AlphaValues",
        &net,
        V::U16Pair(input.alpha_low, input.alpha_high),
    )?;
    w.put(
        "AlphaSigmoidSteepness",
        &net,
        V::I16(input.alpha_sigmoid_steepness),
    )?;
    w.put(
        "CommitRevealWeightsEnabled",
        &net,
        V::Bool(input.commit_reveal_enabled),
    )?;
    w.put("RevealPeriodEpochs", &net, V::U64(input.reveal_period))?;
    w.put(
        "SubnetEpochIndex",
        &net,
        V::U64(input.current_epoch_index.saturating_sub(1)),
    )?;
    w.put(
        "LastMechansimStepBlock",
        &net,
        V::U64(input.last_mechanism_step_block),
    )?;
    w.put("PendingServerEmission", &net, V::U64(input.rao_emission))?;

    // Commits are keyed by hotkey: a uid's registered hotkey, else a stranger.
    let mut strangers = 0usize;
    let mut who = |uid: Option<u16>, used: &mut Vec<u16>| -> AccountId32 {
        let registered = uid
            .filter(|u| !used.contains(u))
            .and_then(|u| keys.get(&u).copied());
        match (registered, uid) {
            (Some(hotkey), Some(u)) => {
                used.push(u);
                hotkey
            }
            _ => {
                strangers = strangers.saturating_add(1);
                stranger(strangers)
            }
        }
    };
    let mut used = Vec::new();
    for queue in &input.v2_commits {
        let hotkey = who(queue.uid, &mut used);
        let entries: Vec<(H256, u64, u64, u64)> = queue
            .commits
            .iter()
            .map(|(epoch, block)| (H256([0; 32]), *epoch, *block, 0))
            .collect();
        w.put(
            "WeightCommits",
            &[KeyPart::U16(index), KeyPart::Account(hotkey)],
            V::WeightCommits(Seq::Items(&entries)),
        )?;
    }
    let mut by_epoch: BTreeMap<u64, Vec<(AccountId32, u64, Bytes<'static>, u64)>> = BTreeMap::new();
    for list in &input.v4_commits {
        let entries = by_epoch.entry(list.commit_epoch).or_default();
        for (uid, block) in &list.commits {
            // The same hotkey may appear in many timelocked entries.
            let mut fresh = Vec::new();
            entries.push((who(*uid, &mut fresh), *block, Bytes(&[]), 0));
        }
    }
    for (epoch, entries) in &by_epoch {
        w.put(
            "TimelockedWeightCommits",
            &[KeyPart::U16(index), KeyPart::U64(*epoch)],
            V::TimelockedCommits(Seq::Items(entries)),
        )?;
    }
    Ok(w.dump)
}

/// Writes what the chain persists after running `input`'s epoch with result `output`: the
/// per-subnet vectors and the mechanism's `Incentive` and `Bonds`, one entry per hotkey of
/// [`encode_input`]'s `Keys` in ascending uid order (bonds row `k` for the k-th hotkey).
/// With `mechanism` above 0 the per-subnet vectors hold this mechanism alone, as if the
/// others had no hotkeys.
pub fn encode_output(
    input: &EpochInput,
    output: &EpochOutput,
    netuid: u16,
    mechanism: u8,
) -> Result<StateDump, EncodeError> {
    let index = netuid_index(netuid, mechanism).ok_or(EncodeError::BadMechanism)?;
    let block = input.current_block;
    let mut w = Writer {
        dump: StateDump::new(netuid, mechanism, block),
    };
    let records: Vec<_> = hotkeys(input)
        .into_keys()
        .map(|u| record(u, input, output))
        .collect();
    let net = [KeyPart::U16(netuid)];
    let u16s = |f: fn(&super::stored::Record) -> u16| records.iter().map(f).collect::<Vec<u16>>();
    w.put(
        "Incentive",
        &[KeyPart::U16(index)],
        V::VecU16(Seq::Items(&u16s(|r| r.incentive))),
    )?;
    w.put(
        "Dividends",
        &net,
        V::VecU16(Seq::Items(&u16s(|r| r.dividend))),
    )?;
    w.put(
        "Consensus",
        &net,
        V::VecU16(Seq::Items(&u16s(|r| r.consensus))),
    )?;
    w.put(
        "ValidatorTrust",
        &net,
        V::VecU16(Seq::Items(&u16s(|r| r.validator_trust))),
    )?;
    w.put(
        "StakeWeight",
        &net,
        V::VecU16(Seq::Items(&u16s(|r| r.stake_weight))),
    )?;
    let emission: Vec<u64> = records.iter().map(|r| r.emission).collect();
    w.put("Emission", &net, V::VecU64(Seq::Items(&emission)))?;
    let active: Vec<bool> = records.iter().map(|r| r.active).collect();
    w.put("Active", &net, V::VecBool(Seq::Items(&active)))?;
    let permit: Vec<bool> = records.iter().map(|r| r.permit).collect();
    w.put("ValidatorPermit", &net, V::VecBool(Seq::Items(&permit)))?;
    for (k, r) in records.iter().enumerate() {
        let row = u16::try_from(k).map_err(|_| EncodeError::Item("Bonds"))?;
        w.put(
            "Bonds",
            &[KeyPart::U16(index), KeyPart::U16(row)],
            V::Sparse(Seq::Items(&r.bond)),
        )?;
    }
    Ok(w.dump)
}
