//! The raw storage of one subnet at one block.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// Schema name of the JSON form.
pub const DUMP_SCHEMA: &str = "taolite.state-dump.v1";

/// Epoch inputs that no storage value holds at the dumped block (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EpochOverrides {
    /// The block the epoch runs in (default `block_number + 1`).
    pub current_block: Option<u64>,
    /// Alpha the subnet distributes, before the split between mechanisms (default: the
    /// pending emission items of the dump).
    pub rao_emission: Option<u64>,
    /// The look-ahead epoch index (default `SubnetEpochIndex + 1`).
    pub current_epoch_index: Option<u64>,
}

/// Raw storage (`key → value`) of one subnet at one block, sorted by key as the chain
/// iterates it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateDump {
    /// The subnet.
    pub netuid: u16,
    /// The mechanism whose epoch is checked.
    pub mechanism: u8,
    /// The block whose post-state this is.
    pub block_number: u64,
    /// That block's hash (informational).
    pub block_hash: [u8; 32],
    /// Values not held by storage at this block.
    pub epoch: EpochOverrides,
    /// Present keys and their SCALE values.
    pub storage: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl StateDump {
    /// An empty dump of `netuid` / `mechanism` at `block_number`.
    pub fn new(netuid: u16, mechanism: u8, block_number: u64) -> Self {
        Self {
            netuid,
            mechanism,
            block_number,
            ..Self::default()
        }
    }

    /// The value at `key`, if present.
    pub fn get(&self, key: &[u8]) -> Option<&[u8]> {
        self.storage.get(key).map(Vec::as_slice)
    }

    /// Every present `(key, value)` whose key starts with `prefix`, in key order.
    pub fn prefixed<'a, 'p>(
        &'a self,
        prefix: &'p [u8],
    ) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + use<'a, 'p> {
        self.storage
            .range::<[u8], _>((
                core::ops::Bound::Included(prefix),
                core::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
    }

    /// Sets `key` to `value`, returning the previous value.
    pub fn insert(&mut self, key: &[u8], value: Vec<u8>) -> Option<Vec<u8>> {
        self.storage.insert(key.to_vec(), value)
    }
}
