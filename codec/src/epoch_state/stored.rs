//! What the chain persists after an epoch, read back from a dump and compared with a rerun.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Debug;

use taolite_yuma::{epoch, Difference, EpochError, EpochInput, EpochOutput};

use super::dump::StateDump;
use super::error::StateError;
use super::items::Store;
use super::read::{epoch_input, hotkeys, storage_index};
use crate::storage::{KeyPart, StorageValue};

/// One record as the chain persists it, for one hotkey.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) incentive: u16,
    pub(crate) dividend: u16,
    pub(crate) consensus: u16,
    pub(crate) validator_trust: u16,
    pub(crate) stake_weight: u16,
    pub(crate) active: bool,
    pub(crate) permit: bool,
    pub(crate) emission: u64,
    pub(crate) bond: Vec<(u16, u16)>,
}

/// The record the chain writes for hotkey `uid`: the epoch's terms for uids below n, and
/// for a hotkey at uid ≥ n (a `Keys` entry beyond `SubnetworkN`) the chain's defaults:
/// zeros, no permit, no bonds, and `active` read from `LastUpdate` if it reaches that far.
pub(crate) fn record(uid: u16, input: &EpochInput, output: &EpochOutput) -> Record {
    let i = usize::from(uid);
    if uid < input.n {
        let Some(Some(t)) = output.terms.get(i) else {
            return Record::default();
        };
        return Record {
            incentive: t.incentive,
            dividend: t.dividend,
            consensus: t.consensus,
            validator_trust: t.validator_trust,
            stake_weight: t.stake_weight,
            active: t.active,
            permit: t.new_validator_permit,
            emission: t.emission,
            bond: output.bond(i).to_vec(),
        };
    }
    let cutoff = (u64::from(input.activity_cutoff_factor_milli)
        .saturating_mul(u64::from(input.tempo))
        / 1000)
        .max(1);
    let active = input
        .last_update
        .get(i)
        .is_some_and(|lu| lu.saturating_add(cutoff) >= input.current_block);
    Record {
        active,
        ..Record::default()
    }
}

/// The persisted epoch outputs of a dump, by position: entry `k` of every vector (and bonds
/// row `k`) belongs to the k-th hotkey in ascending uid order, `uids[k]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredOutput {
    /// The uids holding a hotkey when the epoch ran, ascending.
    pub uids: Vec<u16>,
    /// `Incentive` of the mechanism.
    pub incentive: Vec<u16>,
    /// `Dividends`.
    pub dividends: Vec<u16>,
    /// `Consensus`.
    pub consensus: Vec<u16>,
    /// `ValidatorTrust`.
    pub validator_trust: Vec<u16>,
    /// `StakeWeight`.
    pub stake_weight: Vec<u16>,
    /// `Emission` (combined, in rao).
    pub emission: Vec<u64>,
    /// `Active`.
    pub active: Vec<bool>,
    /// `ValidatorPermit` (the new permits).
    pub validator_permit: Vec<bool>,
    /// `Bonds` rows `0..uids.len()` of the mechanism.
    pub bonds: Vec<Vec<(u16, u16)>>,
    /// The subnet runs several mechanisms: the per-subnet vectors aggregate all of them and
    /// are not compared with one mechanism's epoch.
    pub aggregated: bool,
}

fn u16s(store: &Store<'_>, name: &'static str, parts: &[KeyPart]) -> Result<Vec<u16>, StateError> {
    Ok(store
        .with(name, parts, |v| match v {
            StorageValue::VecU16(seq) => Some(seq.iter().collect()),
            _ => None,
        })?
        .unwrap_or_default())
}

fn bools(
    store: &Store<'_>,
    name: &'static str,
    parts: &[KeyPart],
) -> Result<Vec<bool>, StateError> {
    Ok(store
        .with(name, parts, |v| match v {
            StorageValue::VecBool(seq) => Some(seq.iter().collect()),
            _ => None,
        })?
        .unwrap_or_default())
}

/// Reads the outputs persisted in `outputs`, positioned by the hotkeys of `inputs` (the
/// `Keys` the epoch saw).
pub fn stored_output(inputs: &StateDump, outputs: &StateDump) -> Result<StoredOutput, StateError> {
    if inputs.netuid != outputs.netuid || inputs.mechanism != outputs.mechanism {
        return Err(StateError::DumpMismatch);
    }
    let in_store = Store(inputs);
    let index = storage_index(&in_store, inputs)?;
    let count = in_store
        .uint("MechanismCountCurrent", &[KeyPart::U16(inputs.netuid)])?
        .unwrap_or(1);
    let uids: Vec<u16> = hotkeys(&in_store, inputs.netuid)?
        .by_uid
        .into_keys()
        .collect();

    let store = Store(outputs);
    let net = [KeyPart::U16(outputs.netuid)];
    let idx = [KeyPart::U16(index)];
    let mut bonds = Vec::with_capacity(uids.len());
    for k in 0..uids.len() {
        let row = u16::try_from(k).unwrap_or(u16::MAX);
        let value = store.with(
            "Bonds",
            &[KeyPart::U16(index), KeyPart::U16(row)],
            |v| match v {
                StorageValue::Sparse(seq) => Some(seq.iter().collect::<Vec<_>>()),
                _ => None,
            },
        )?;
        bonds.push(value.unwrap_or_default());
    }
    Ok(StoredOutput {
        incentive: u16s(&store, "Incentive", &idx)?,
        dividends: u16s(&store, "Dividends", &net)?,
        consensus: u16s(&store, "Consensus", &net)?,
        validator_trust: u16s(&store, "ValidatorTrust", &net)?,
        stake_weight: u16s(&store, "StakeWeight", &net)?,
        emission: store
            .with("Emission", &net, |v| match v {
                StorageValue::VecU64(seq) => Some(seq.iter().collect()),
                _ => None,
            })?
            .unwrap_or_default(),
        active: bools(&store, "Active", &net)?,
        validator_permit: bools(&store, "ValidatorPermit", &net)?,
        bonds,
        aggregated: count > 1,
        uids,
    })
}

fn compare_field<T: PartialEq + Debug>(
    out: &mut Vec<Difference>,
    item: &'static str,
    field: &'static str,
    stored: &[T],
    uids: &[u16],
    computed: impl Fn(usize) -> T,
) {
    if stored.len() != uids.len() {
        out.push(Difference {
            uid: None,
            field: item,
            expected: format!("{} entries", stored.len()),
            computed: format!("{} entries", uids.len()),
        });
    }
    for (k, (s, uid)) in stored.iter().zip(uids).enumerate() {
        let c = computed(k);
        if *s != c {
            out.push(Difference {
                uid: Some(*uid),
                field,
                expected: format!("{s:?}"),
                computed: format!("{c:?}"),
            });
        }
    }
}

/// Every difference between the stored outputs (`expected`) and what the chain would have
/// persisted from `computed` (the epoch rerun on `input`). Per-subnet vectors of a subnet
/// with several mechanisms are skipped (they aggregate all mechanisms).
pub fn compare_stored(
    stored: &StoredOutput,
    input: &EpochInput,
    computed: &EpochOutput,
) -> Vec<Difference> {
    let records: Vec<Record> = stored
        .uids
        .iter()
        .map(|u| record(*u, input, computed))
        .collect();
    let at = |k: usize| records.get(k).cloned().unwrap_or_default();
    let uids = &stored.uids;
    let mut out = Vec::new();
    compare_field(
        &mut out,
        "Incentive (length)",
        "incentive",
        &stored.incentive,
        uids,
        |k| at(k).incentive,
    );
    if !stored.aggregated {
        compare_field(
            &mut out,
            "Dividends (length)",
            "dividend",
            &stored.dividends,
            uids,
            |k| at(k).dividend,
        );
        compare_field(
            &mut out,
            "Consensus (length)",
            "consensus",
            &stored.consensus,
            uids,
            |k| at(k).consensus,
        );
        compare_field(
            &mut out,
            "ValidatorTrust (length)",
            "validator_trust",
            &stored.validator_trust,
            uids,
            |k| at(k).validator_trust,
        );
        compare_field(
            &mut out,
            "StakeWeight (length)",
            "stake_weight",
            &stored.stake_weight,
            uids,
            |k| at(k).stake_weight,
        );
        compare_field(
            &mut out,
            "Active (length)",
            "active",
            &stored.active,
            uids,
            |k| at(k).active,
        );
        compare_field(
            &mut out,
            "ValidatorPermit (length)",
            "new_validator_permit",
            &stored.validator_permit,
            uids,
            |k| at(k).permit,
        );
        compare_field(
            &mut out,
            "Emission (length)",
            "emission",
            &stored.emission,
            uids,
            |k| at(k).emission,
        );
    }
    compare_field(&mut out, "Bonds (rows)", "bond", &stored.bonds, uids, |k| {
        at(k).bond
    });
    out.sort_by_key(|d| d.uid);
    out
}

/// The verdict of [`verify_state`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateReport {
    /// The input decoded from the first dump.
    pub input: EpochInput,
    /// The epoch's result on it (`None` when the epoch refused the input).
    pub computed: Option<EpochOutput>,
    /// Why the epoch refused the input.
    pub epoch_error: Option<EpochError>,
    /// Every stored value that differs from the rerun, in uid order (`expected` = stored).
    pub differences: Vec<Difference>,
    /// How many hotkey records were compared.
    pub compared: usize,
    /// Stored items not compared, and why.
    pub skipped: Vec<String>,
}

impl StateReport {
    /// True when the epoch ran and every stored value matched.
    pub fn is_match(&self) -> bool {
        self.epoch_error.is_none() && self.differences.is_empty()
    }
}

/// Decodes the epoch's inputs from `inputs` (the state before the epoch's block), reruns
/// the epoch and compares with what `outputs` (the state after it) holds.
pub fn verify_state(inputs: &StateDump, outputs: &StateDump) -> Result<StateReport, StateError> {
    let input = epoch_input(inputs)?;
    let stored = stored_output(inputs, outputs)?;
    let mut skipped = Vec::new();
    if stored.aggregated {
        skipped.push(String::from(
            "Dividends, Consensus, ValidatorTrust, StakeWeight, Active, ValidatorPermit, \
             Emission: the subnet has several mechanisms and these aggregate all of them",
        ));
    }
    skipped.push(String::from(
        "server_emission, validator_emission, stake: not persisted as such",
    ));
    let compared = stored.uids.len();
    Ok(match epoch(&input) {
        Ok(computed) => StateReport {
            differences: compare_stored(&stored, &input, &computed),
            input,
            computed: Some(computed),
            epoch_error: None,
            compared,
            skipped,
        },
        Err(e) => StateReport {
            input,
            computed: None,
            epoch_error: Some(e),
            differences: Vec::new(),
            compared,
            skipped,
        },
    })
}
