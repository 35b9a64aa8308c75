//! Typed access to the dump through the storage layer's item table.

use alloc::vec::Vec;

use taolite_core::AccountId32;

use super::dump::StateDump;
use super::error::StateError;
use crate::error::DecodeError;
use crate::storage::{
    self, Absent, Hasher, KeyPart, KeyType, StorageItem, StorageKey, StorageValue, ValueType,
};

const ST: &str = "SubtensorModule";
const NET: &[(Hasher, KeyType)] = &[(Hasher::Identity, KeyType::U16)];

/// Items the epoch's scheduler reads that the storage layer's table does not list.
const EXTRA: &[StorageItem] = &[
    extra("SubnetEpochIndex"),
    extra("PendingServerEmission"),
    extra("PendingValidatorEmission"),
    extra("PendingRootAlphaDivs"),
];

const fn extra(name: &'static str) -> StorageItem {
    StorageItem {
        pallet: ST,
        name,
        keys: NET,
        value: ValueType::U64,
        value_name: "u64",
        absent: Absent::Default(StorageValue::U64(0)),
    }
}

/// The description of a `SubtensorModule` item by name.
pub(crate) fn item(name: &'static str) -> Result<&'static StorageItem, StateError> {
    storage::item(ST, name)
        .or_else(|| EXTRA.iter().find(|i| i.name == name))
        .ok_or(StateError::UnknownItem { item: name })
}

/// The full key of `name` at `parts`.
pub(crate) fn key(name: &'static str, parts: &[KeyPart]) -> Result<StorageKey, StateError> {
    item(name)?
        .key(parts)
        .map_err(|_| StateError::UnknownItem { item: name })
}

/// The prefix of `name` followed by its first `parts.len()` key parts.
pub(crate) fn partial_key(name: &'static str, parts: &[KeyPart]) -> Result<StorageKey, StateError> {
    let it = item(name)?;
    let mut key = it.prefix();
    for ((hasher, _), part) in it.keys.iter().zip(parts) {
        key.push_part(*hasher, part)
            .map_err(|_| StateError::UnknownItem { item: name })?;
    }
    Ok(key)
}

fn wrong_type(name: &'static str, key: &StorageKey) -> StateError {
    StateError::MalformedValue {
        item: name,
        key: key.as_bytes().to_vec(),
        error: DecodeError::UnknownVariant {
            what: "storage value type",
            index: 0,
        },
    }
}

/// One entry under a prefix: the key after the prefix, the full key, the decoded value.
pub(crate) type Entry<'a> = (&'a [u8], &'a [u8], StorageValue<'a>);

/// Reads typed values out of a dump; absent keys give the chain's defaults.
pub(crate) struct Store<'a>(pub(crate) &'a StateDump);

impl<'a> Store<'a> {
    /// The decoded value of `name` at `parts` (its default when absent; `None` for an
    /// absent `OptionQuery` item).
    pub(crate) fn value(
        &self,
        name: &'static str,
        parts: &[KeyPart],
    ) -> Result<(StorageKey, Option<StorageValue<'a>>), StateError> {
        let it = item(name)?;
        let key = key(name, parts)?;
        let value = decode(it, &key, self.0.get(key.as_bytes()))?;
        Ok((key, value))
    }

    /// Whether `name` at `parts` is present.
    pub(crate) fn contains(
        &self,
        name: &'static str,
        parts: &[KeyPart],
    ) -> Result<bool, StateError> {
        Ok(self.0.get(key(name, parts)?.as_bytes()).is_some())
    }

    /// A `u8`/`u16`/`u32`/`u64` item widened to `u64`.
    pub(crate) fn uint(
        &self,
        name: &'static str,
        parts: &[KeyPart],
    ) -> Result<Option<u64>, StateError> {
        let (key, value) = self.value(name, parts)?;
        match value {
            None => Ok(None),
            Some(StorageValue::U8(x)) => Ok(Some(u64::from(x))),
            Some(StorageValue::U16(x)) => Ok(Some(u64::from(x))),
            Some(StorageValue::U32(x)) => Ok(Some(u64::from(x))),
            Some(StorageValue::U64(x)) => Ok(Some(x)),
            Some(_) => Err(wrong_type(name, &key)),
        }
    }

    /// A `u16` item (defaults included).
    pub(crate) fn u16(&self, name: &'static str, parts: &[KeyPart]) -> Result<u16, StateError> {
        let (key, value) = self.value(name, parts)?;
        match value {
            Some(StorageValue::U16(x)) => Ok(x),
            _ => Err(wrong_type(name, &key)),
        }
    }

    /// A `u64` item (defaults included).
    pub(crate) fn u64(&self, name: &'static str, parts: &[KeyPart]) -> Result<u64, StateError> {
        let (key, value) = self.value(name, parts)?;
        match value {
            Some(StorageValue::U64(x)) => Ok(x),
            _ => Err(wrong_type(name, &key)),
        }
    }

    /// A `bool` item (defaults included).
    pub(crate) fn bool(&self, name: &'static str, parts: &[KeyPart]) -> Result<bool, StateError> {
        let (key, value) = self.value(name, parts)?;
        match value {
            Some(StorageValue::Bool(x)) => Ok(x),
            _ => Err(wrong_type(name, &key)),
        }
    }

    /// Any value, checked by `pick`; `None` when absent without a default.
    pub(crate) fn with<T>(
        &self,
        name: &'static str,
        parts: &[KeyPart],
        pick: impl FnOnce(StorageValue<'a>) -> Option<T>,
    ) -> Result<Option<T>, StateError> {
        let (key, value) = self.value(name, parts)?;
        match value {
            None => Ok(None),
            Some(v) => pick(v).map(Some).ok_or_else(|| wrong_type(name, &key)),
        }
    }

    /// Every present entry under `name`'s prefix and leading `parts`: the rest of the key
    /// after that prefix, the full key, and the decoded value.
    pub(crate) fn entries(
        &self,
        name: &'static str,
        parts: &[KeyPart],
    ) -> Result<Vec<Entry<'a>>, StateError> {
        let it = item(name)?;
        let prefix = partial_key(name, parts)?;
        let plen = prefix.as_bytes().len();
        let mut out = Vec::new();
        for (k, v) in self.0.prefixed(prefix.as_bytes()) {
            let value = it
                .value
                .decode(v)
                .map_err(|error| StateError::MalformedValue {
                    item: name,
                    key: k.to_vec(),
                    error,
                })?;
            out.push((k.get(plen..).unwrap_or_default(), k, value));
        }
        Ok(out)
    }
}

fn decode<'a>(
    it: &'static StorageItem,
    key: &StorageKey,
    bytes: Option<&'a [u8]>,
) -> Result<Option<StorageValue<'a>>, StateError> {
    it.decode_value(bytes)
        .map_err(|error| StateError::MalformedValue {
            item: it.name,
            key: key.as_bytes().to_vec(),
            error,
        })
}

/// Splits the rest of a key made of `hasher(part)` for one hashed part of `len` bytes,
/// checking the hash; returns the part's bytes and what follows.
pub(crate) fn split_part(hasher: Hasher, rest: &[u8], len: usize) -> Option<(&[u8], &[u8])> {
    let hash_len = match hasher {
        Hasher::Identity => 0,
        Hasher::Twox64Concat => 8,
        Hasher::Blake2_128Concat => 16,
    };
    let (hash, rest) = rest.split_at_checked(hash_len)?;
    let (part, rest) = rest.split_at_checked(len)?;
    let ok = match hasher {
        Hasher::Identity => true,
        Hasher::Twox64Concat => hash == taolite_core::hash::twox_64(part).as_slice(),
        Hasher::Blake2_128Concat => hash == taolite_core::hash::blake2_128(part).as_slice(),
    };
    ok.then_some((part, rest))
}

/// An account from 32 key bytes.
pub(crate) fn account(bytes: &[u8]) -> Option<AccountId32> {
    bytes.try_into().ok().map(AccountId32)
}

/// One entry of the dumper's first round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    /// Read this key (`state_getStorage`).
    Key(&'static str, StorageKey),
    /// List every key under this prefix (`state_getKeysPaged`) and read them.
    Prefix(&'static str, StorageKey),
}

/// The keys and prefixes an epoch-input dump of `netuid` / `mechanism` needs before the
/// hotkeys are known (the second round is described in the module docs).
pub fn required_keys(netuid: u16, mechanism: u8) -> Result<Vec<Query>, StateError> {
    let index = storage::netuid_index(netuid, mechanism).ok_or(StateError::MechanismNotActive {
        netuid,
        mechanism,
        count: 0,
    })?;
    let net = [KeyPart::U16(netuid)];
    let idx = [KeyPart::U16(index)];
    let mut out = Vec::new();
    for name in [
        "NetworksAdded",
        "SubnetworkN",
        "Tempo",
        "ActivityCutoffFactorMilli",
        "ValidatorPermit",
        "MaxAllowedValidators",
        "Kappa",
        "BondsPenalty",
        "BondsMovingAverage",
        "Yuma3On",
        "LiquidAlphaOn",
        "AlphaValues",
        "AlphaSigmoidSteepness",
        "CommitRevealWeightsEnabled",
        "RevealPeriodEpochs",
        "LastMechansimStepBlock",
        "SubnetEpochIndex",
        "MechanismCountCurrent",
        "MechanismEmissionSplit",
        "PendingServerEmission",
        "PendingValidatorEmission",
        "PendingRootAlphaDivs",
        "SubnetOwnerHotkey",
    ] {
        out.push(Query::Key(name, key(name, &net)?));
    }
    for name in ["TaoWeight", "StakeThreshold"] {
        out.push(Query::Key(name, key(name, &[])?));
    }
    out.push(Query::Key("LastUpdate", key("LastUpdate", &idx)?));
    for name in ["Keys", "BlockAtRegistration"] {
        out.push(Query::Prefix(name, partial_key(name, &net)?));
    }
    for name in [
        "Weights",
        "Bonds",
        "WeightCommits",
        "TimelockedWeightCommits",
    ] {
        out.push(Query::Prefix(name, partial_key(name, &idx)?));
    }
    Ok(out)
}
