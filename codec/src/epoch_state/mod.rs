//! Chain storage to a `taolite_yuma::EpochInput` and back: the storage side of the offline
//! epoch verifier (feature `yuma`).
//!
//! # The dump format
//!
//! A [`StateDump`] is the raw storage a node returns for one subnet at one block, as JSON
//! (schema `taolite.state-dump.v1`, read and written with the `std` feature):
//!
//! ```json
//! {
//!   "schema": "taolite.state-dump.v1",
//!   "netuid": 1,
//!   "mechanism": 0,
//!   "block_number": 4999,
//!   "block_hash": "0x…32 bytes…",
//!   "epoch": { "current_block": 5000, "rao_emission": 1000000000, "current_epoch_index": 12 },
//!   "storage": [["0x<key>", "0x<value>"], ["0x<key>", null], …]
//! }
//! ```
//!
//! * `storage` holds `[key, value]` pairs exactly as `state_getStorage` /
//!   `state_queryStorageAt` return them (a `null` value, or a key left out, is an absent key:
//!   the item's chain default applies). Keys are the full storage keys; duplicates are
//!   refused. Keys of items the epoch does not read are ignored.
//! * `mechanism` (default 0) selects the mechanism whose epoch is checked
//!   (`NetUidStorageIndex = mechanism × 4096 + netuid`).
//! * `epoch` is optional, and so is each of its fields: values that no storage item holds
//!   at the dumped block (see below).
//!
//! ## Which block
//!
//! The chain runs a subnet's epoch in `on_initialize` of block N. Dump the **inputs** at
//! block N − 1 (the state block N starts from; `block_number` = N − 1), and the
//! **outputs** at block N (the state after the epoch persisted its results). Extrinsics of
//! block N run after the epoch and may change the outputs (a registration resets a uid's
//! entries); such changes are reported as differences.
//!
//! ## What a dumper must fetch (all in pallet `SubtensorModule` unless named)
//!
//! Plain values at `netuid`: `NetworksAdded`, `SubnetworkN`, `Tempo`,
//! `ActivityCutoffFactorMilli`, `ValidatorPermit`, `MaxAllowedValidators`, `Kappa`,
//! `BondsPenalty`, `BondsMovingAverage`, `Yuma3On`, `LiquidAlphaOn`, `AlphaValues`,
//! `AlphaSigmoidSteepness`, `CommitRevealWeightsEnabled`, `RevealPeriodEpochs`,
//! `LastMechansimStepBlock`, `SubnetEpochIndex`, `MechanismCountCurrent`,
//! `MechanismEmissionSplit`, `PendingServerEmission`, `PendingValidatorEmission`,
//! `PendingRootAlphaDivs`, `SubnetOwnerHotkey`; globals `TaoWeight`, `StakeThreshold`;
//! at the storage index: `LastUpdate`. Whole prefixes (`state_getKeysPaged`): `Keys` and
//! `BlockAtRegistration` under `netuid`; `Weights`, `Bonds`, `WeightCommits`,
//! `TimelockedWeightCommits` under the storage index. Then, per hotkey found in `Keys`:
//! `TotalHotkeyAlpha(hotkey, netuid)`, `TotalHotkeyAlpha(hotkey, 0)`,
//! `ChildKeys(hotkey, netuid)`, `ParentKeys(hotkey, netuid)`, and for every parent `p`
//! listed, `TotalHotkeyAlpha(p, netuid)` and `TotalHotkeyAlpha(p, 0)`; finally
//! `Uids(netuid, owner hotkey)`. [`required_keys`] lists the first round.
//!
//! The outputs dump needs `Incentive` and the `Bonds` prefix at the storage index, and
//! `Active`, `Emission`, `Consensus`, `Dividends`, `ValidatorTrust`, `ValidatorPermit`,
//! `StakeWeight` at `netuid`.
//!
//! ## Inputs that are not one storage value
//!
//! * `current_block`: `epoch.current_block`, else `block_number + 1`.
//! * `current_epoch_index`: `epoch.current_epoch_index`, else `SubnetEpochIndex + 1` (the
//!   chain advances the counter just before it runs the epoch).
//! * `rao_emission`: the chain passes `PendingServerEmission + PendingValidatorEmission +
//!   PendingRootAlphaDivs` *as drained in block N* (after block N's own emission was added)
//!   to `epoch_with_mechanisms`, which splits it between mechanisms
//!   (`MechanismCountCurrent`, `MechanismEmissionSplit`). `epoch.rao_emission` gives that
//!   subnet total; without it the pending sum found in the dump is used, which is exact
//!   only for a dump of the state the drain reads.
//! * `alpha_stake`, `tao_stake`: computed from `TotalHotkeyAlpha`, `ChildKeys` and
//!   `ParentKeys` exactly as the chain inherits stake (U96F32, saturating).
//! * `has_hotkey`, `owner_uid`, commit uids: from `Keys`, `SubnetOwnerHotkey` and `Uids`.
//!
//! The encoder ([`encode_input`]) writes the inverse: one hotkey account per uid, the stake
//! as `TotalHotkeyAlpha` without child or parent keys, `rao_emission` as
//! `PendingServerEmission`, `current_block − 1` as the block and `current_epoch_index − 1`
//! as `SubnetEpochIndex` (0 values go to the `epoch` overrides). What storage cannot hold is
//! documented on [`encode_input`].

mod dump;
mod encode;
mod error;
mod items;
mod read;
mod stored;

#[cfg(feature = "std")]
mod json;

pub use dump::{EpochOverrides, StateDump, DUMP_SCHEMA};
pub use encode::{encode_input, encode_output, hotkey_account, EncodeError};
pub use error::StateError;
pub use items::{required_keys, Query};
#[cfg(feature = "std")]
pub use json::DumpJsonError;
pub use read::{epoch_input, split_emission};
pub use stored::{compare_stored, stored_output, verify_state, StateReport, StoredOutput};
