//! What the epoch returns per uid, in the units the chain persists.

use alloc::vec::Vec;
use parity_scale_codec::{Decode, Encode};

use crate::sparse::SparseRows;

/// The terms the chain persists for one uid that has a hotkey (spec §5).
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct NeuronTerms {
    /// The uid.
    pub uid: u16,
    /// ⌊incentive × 65535⌋.
    pub incentive: u16,
    /// ⌊dividend × 65535⌋.
    pub dividend: u16,
    /// ⌊consensus × 65535⌋.
    pub consensus: u16,
    /// ⌊validator trust × 65535⌋.
    pub validator_trust: u16,
    /// ⌊normalised stake × 65535⌋.
    pub stake_weight: u16,
    /// Last update within the activity cutoff.
    pub active: bool,
    /// Validator permit for the next epoch.
    pub new_validator_permit: bool,
    /// Miner (incentive) share of the emission, in rao.
    pub server_emission: u64,
    /// Validator (dividend) share of the emission, in rao.
    pub validator_emission: u64,
    /// Combined share, normalised on its own.
    pub emission: u64,
    /// Total stake weight before threshold and normalisation, floored.
    pub stake: u64,
}

/// The epoch's result: one entry per uid `0..n` (`None` for uids without a hotkey) and
/// the bonds row the chain stores for each uid (row `uid`; empty without a new permit).
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
pub struct EpochOutput {
    /// Per-uid terms, indexed by uid.
    pub terms: Vec<Option<NeuronTerms>>,
    /// Stored bonds rows, indexed by uid, in the order the chain produces them.
    pub bonds: SparseRows<u16>,
}

impl EpochOutput {
    /// The bonds row stored for `uid`.
    pub fn bond(&self, uid: usize) -> &[(u16, u16)] {
        self.bonds.row(uid)
    }
}
