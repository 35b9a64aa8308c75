//! Why a dump could not be turned into an epoch input.

use alloc::vec::Vec;
use core::fmt;

use crate::error::DecodeError;

/// A dump that does not describe a runnable epoch; every variant names the item and key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StateError {
    /// A stored value did not decode as the item's type.
    MalformedValue {
        /// The storage item.
        item: &'static str,
        /// The full storage key.
        key: Vec<u8>,
        /// What was wrong with the bytes.
        error: DecodeError,
    },
    /// A key under an item's prefix does not have that item's key layout.
    MalformedKey {
        /// The storage item.
        item: &'static str,
        /// The full storage key.
        key: Vec<u8>,
    },
    /// `NetworksAdded(netuid)` is not true: the subnet does not exist at this block.
    SubnetNotAdded {
        /// The subnet.
        netuid: u16,
    },
    /// The mechanism index is not below `MechanismCountCurrent(netuid)`, or
    /// `mechanism × 4096 + netuid` does not fit a `u16`.
    MechanismNotActive {
        /// The subnet.
        netuid: u16,
        /// The mechanism asked for.
        mechanism: u8,
        /// `MechanismCountCurrent`.
        count: u8,
    },
    /// Two uids share a hotkey: the chain skips the epoch entirely in that state.
    DuplicateHotkey {
        /// The first uid holding the hotkey.
        first: u16,
        /// The second uid holding it.
        second: u16,
    },
    /// `block_number + 1` overflows `u64`.
    BlockOverflow,
    /// The two dumps of a verification name different subnets or mechanisms.
    DumpMismatch,
    /// The storage layer's table has no item of this name.
    UnknownItem {
        /// The item asked for.
        item: &'static str,
    },
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedValue { item, key, error } => {
                write!(f, "{item}: value at key ")?;
                taolite_core::hex::fmt_prefixed(key, f)?;
                write!(f, " is malformed: {error}")
            }
            Self::MalformedKey { item, key } => {
                write!(f, "{item}: key ")?;
                taolite_core::hex::fmt_prefixed(key, f)?;
                write!(f, " does not have the item's layout")
            }
            Self::SubnetNotAdded { netuid } => {
                write!(f, "NetworksAdded({netuid}) is not set: no such subnet")
            }
            Self::MechanismNotActive {
                netuid,
                mechanism,
                count,
            } => write!(
                f,
                "mechanism {mechanism} of subnet {netuid} does not exist (MechanismCountCurrent = {count})"
            ),
            Self::DuplicateHotkey { first, second } => write!(
                f,
                "Keys: uids {first} and {second} share a hotkey (the chain skips this epoch)"
            ),
            Self::BlockOverflow => write!(f, "block_number + 1 overflows u64"),
            Self::DumpMismatch => write!(f, "the dumps are of different subnets or mechanisms"),
            Self::UnknownItem { item } => write!(f, "no storage item named {item}"),
        }
    }
}

impl core::error::Error for StateError {}
