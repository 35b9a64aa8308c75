//! What the epoch reads from chain storage, in the chain's own units.

use alloc::vec::Vec;
use parity_scale_codec::{Decode, Encode};

use crate::sparse::SparseRows;

/// One committing hotkey's queue of CR-v2 commits (`WeightCommits`), in storage order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct V2Commits {
    /// The hotkey's uid on this subnet; `None` when it is not registered (ignored).
    pub uid: Option<u16>,
    /// `(commit_epoch, commit_block)` pairs in queue order.
    pub commits: Vec<(u64, u64)>,
}

/// One epoch key's list of timelocked commits (`TimelockedWeightCommits`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct V4Commits {
    /// The epoch under which the commits are stored.
    pub commit_epoch: u64,
    /// `(uid, commit_block)` pairs; `uid` is `None` for hotkeys not registered here.
    pub commits: Vec<(Option<u16>, u64)>,
}

/// Everything one call of the chain's epoch reads from storage, for one mechanism of one
/// subnet. Field names and units follow the shared vectors' schema (spec §2).
///
/// Vectors of per-uid values (`has_hotkey`, `block_at_registration`, `alpha_stake`,
/// `tao_stake`) must have length `n`; `last_update`, `validator_permit`, `weights` and
/// `bonds` may have any length, as storage allows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EpochInput {
    /// Number of uids (`SubnetworkN`).
    pub n: u16,
    /// Block at which the epoch runs.
    pub current_block: u64,
    /// Subnet tempo in blocks.
    pub tempo: u16,
    /// `ActivityCutoffFactorMilli`: cutoff = max(1, factor × tempo / 1000) blocks.
    pub activity_cutoff_factor_milli: u32,
    /// `LastUpdate` as stored (any length).
    pub last_update: Vec<u64>,
    /// Whether `Keys[(netuid, uid)]` exists, per uid.
    pub has_hotkey: Vec<bool>,
    /// `BlockAtRegistration` per uid.
    pub block_at_registration: Vec<u64>,
    /// Inherited alpha stake per uid.
    pub alpha_stake: Vec<u64>,
    /// Inherited root (TAO) stake per uid.
    pub tao_stake: Vec<u64>,
    /// Global `TaoWeight`; the weight is `tao_weight / (2^64 − 1)`.
    pub tao_weight: u64,
    /// Global `StakeThreshold`.
    pub stake_threshold: u64,
    /// Uid of the subnet owner's hotkey, if set and registered (may be ≥ n).
    pub owner_uid: Option<u16>,
    /// `ValidatorPermit` as stored (any length).
    pub validator_permit: Vec<bool>,
    /// `MaxAllowedValidators` (k of the top-k permit rule).
    pub max_allowed_validators: u16,
    /// `Weights` rows in storage order.
    pub weights: SparseRows<u16>,
    /// `Bonds` rows in storage order.
    pub bonds: SparseRows<u16>,
    /// `Kappa` (consensus majority × 65535).
    pub kappa: u16,
    /// `BondsPenalty` (× 65535).
    pub bonds_penalty: u16,
    /// `BondsMovingAverage` in parts per million.
    pub bonds_moving_average: u64,
    /// `Yuma3On`.
    pub yuma3_enabled: bool,
    /// `LiquidAlphaOn`.
    pub liquid_alpha_enabled: bool,
    /// Lower liquid-alpha bound (× 65535).
    pub alpha_low: u16,
    /// Upper liquid-alpha bound (× 65535).
    pub alpha_high: u16,
    /// `AlphaSigmoidSteepness`.
    pub alpha_sigmoid_steepness: i16,
    /// `CommitRevealWeightsEnabled`.
    pub commit_reveal_enabled: bool,
    /// `RevealPeriodEpochs`.
    pub reveal_period: u64,
    /// The look-ahead epoch index used for commit expiry.
    pub current_epoch_index: u64,
    /// CR-v2 commit queues.
    pub v2_commits: Vec<V2Commits>,
    /// Timelocked commit lists.
    pub v4_commits: Vec<V4Commits>,
    /// `LastMechansimStepBlock`: block of the previous successful epoch, 0 if none.
    pub last_mechanism_step_block: u64,
    /// Alpha (rao) this mechanism distributes in this epoch.
    pub rao_emission: u64,
}
