//! The call declarations: one line per call, everything else is generated.

use core::fmt;

use parity_scale_codec::{Compact, Output};
use taolite_core::{AccountId32, H256};

use super::CallTable;
use crate::address::MultiAddress;
use crate::error::DecodeError;
use crate::scale::{Alpha, Bytes, CompactTao, Field, Price, Reader, Seq, Tao, Ty, U16Set};

macro_rules! define_calls {
    ($lt:lifetime;
     $($(#[$doc:meta])* $variant:ident = $pallet:literal $pidx:literal . $name:literal $cidx:literal
        { $($field:ident : $ty:ty),* $(,)? })*
    ) => {
        /// A runtime call: typed for the calls a Bittensor operator uses, raw otherwise.
        /// Variable-length arguments borrow from the caller or from decoded input.
        #[derive(Clone, Copy, PartialEq, Debug)]
        #[allow(missing_docs)] // argument names are the chain's own, listed in CallKind::args
        pub enum Call<$lt> {
            $($(#[$doc])* $variant { $($field: $ty),* },)*
            /// Any call as bytes: pallet index, call index and its encoded arguments.
            Raw {
                /// Pallet index.
                pallet: u8,
                /// Call index within the pallet.
                call: u8,
                /// SCALE-encoded arguments.
                args: Bytes<$lt>,
            },
        }

        /// Which typed call a [`Call`] is; the key into a [`CallTable`].
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        pub enum CallKind {
            $($(#[$doc])* $variant,)*
        }

        impl CallKind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [CallKind] = &[$(CallKind::$variant),*];
            /// How many kinds there are.
            pub const COUNT: usize = Self::ALL.len();
            pub(super) const SPEC_425_INDICES: [(u8, u8); Self::COUNT] = [$(($pidx, $cidx)),*];

            /// The pallet name in `construct_runtime!`.
            pub fn pallet_name(self) -> &'static str {
                match self { $(Self::$variant => $pallet,)* }
            }

            /// The call name.
            pub fn call_name(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            #[allow(clippy::extra_unused_lifetimes)] // the lifetime names the argument types
            pub(super) fn arg_list<$lt>(self) -> &'static [(&'static str, &'static Ty)] {
                match self {
                    $(Self::$variant => &[$((stringify!($field), <$ty as Field<$lt>>::TYPE)),*],)*
                }
            }
        }

        impl<$lt> Call<$lt> {
            /// The kind of a typed call; `None` for [`Call::Raw`].
            pub fn kind(&self) -> Option<CallKind> {
                match self {
                    $(Self::$variant { .. } => Some(CallKind::$variant),)*
                    Self::Raw { .. } => None,
                }
            }

            pub(super) fn encode_args(&self, table: &CallTable, out: &mut dyn Output) {
                let _ = (&table, &out);
                match self {
                    $(Self::$variant { $($field),* } => {
                        $(Field::encode_field($field, table, out);)*
                    })*
                    Self::Raw { args, .. } => out.write(args.0),
                }
            }

            pub(super) fn decode_args(kind: CallKind, r: &mut Reader<$lt>) -> Result<Self, DecodeError> {
                let _ = &r;
                Ok(match kind {
                    $(CallKind::$variant => Self::$variant {
                        $($field: <$ty as Field<$lt>>::decode_field(r)?),*
                    },)*
                })
            }

            pub(super) fn render_typed(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(Self::$variant { $($field),* } => {
                        write!(f, "{}.{}(", $pallet, $name)?;
                        let mut first = true;
                        $(
                            if !first { write!(f, ", ")?; }
                            first = false;
                            write!(f, "{}: ", stringify!($field))?;
                            Field::render($field, f)?;
                        )*
                        let _ = first;
                        write!(f, ")")
                    })*
                    Self::Raw { .. } => Ok(()),
                }
            }
        }
    };
}

define_calls! { 'a;
    /// `System.remark`.
    Remark = "System" 0 . "remark" 0 { remark: Bytes<'a> }
    /// `System.remark_with_event`.
    RemarkWithEvent = "System" 0 . "remark_with_event" 7 { remark: Bytes<'a> }

    /// Transfer, may reap the sender.
    TransferAllowDeath = "Balances" 5 . "transfer_allow_death" 0 { dest: MultiAddress<'a>, value: CompactTao }
    /// Root-only transfer between two accounts.
    ForceTransfer = "Balances" 5 . "force_transfer" 2 { source: MultiAddress<'a>, dest: MultiAddress<'a>, value: CompactTao }
    /// Transfer that keeps the sender above the existential deposit.
    TransferKeepAlive = "Balances" 5 . "transfer_keep_alive" 3 { dest: MultiAddress<'a>, value: CompactTao }
    /// Transfer the whole free balance.
    TransferAll = "Balances" 5 . "transfer_all" 4 { dest: MultiAddress<'a>, keep_alive: bool }
    /// Burn free balance.
    Burn = "Balances" 5 . "burn" 10 { value: CompactTao, keep_alive: bool }

    /// Set the caller's weights on a subnet.
    SetWeights = "SubtensorModule" 7 . "set_weights" 0 { netuid: u16, dests: Seq<'a, u16>, weights: Seq<'a, u16>, version_key: u64 }
    /// Set weights for one mechanism of a subnet.
    SetMechanismWeights = "SubtensorModule" 7 . "set_mechanism_weights" 119 { netuid: u16, mecid: u8, dests: Seq<'a, u16>, weights: Seq<'a, u16>, version_key: u64 }
    /// Set weights on several subnets (the only call with compact inner values).
    BatchSetWeights = "SubtensorModule" 7 . "batch_set_weights" 80 { netuids: Seq<'a, Compact<u16>>, weights: Seq<'a, Seq<'a, (Compact<u16>, Compact<u16>)>>, version_keys: Seq<'a, Compact<u64>> }
    /// Commit a weights hash (commit-reveal).
    CommitWeights = "SubtensorModule" 7 . "commit_weights" 96 { netuid: u16, commit_hash: H256 }
    /// Commit a weights hash for one mechanism.
    CommitMechanismWeights = "SubtensorModule" 7 . "commit_mechanism_weights" 115 { netuid: u16, mecid: u8, commit_hash: H256 }
    /// Commit weight hashes on several subnets.
    BatchCommitWeights = "SubtensorModule" 7 . "batch_commit_weights" 100 { netuids: Seq<'a, Compact<u16>>, commit_hashes: Seq<'a, H256> }
    /// Reveal committed weights.
    RevealWeights = "SubtensorModule" 7 . "reveal_weights" 97 { netuid: u16, uids: Seq<'a, u16>, values: Seq<'a, u16>, salt: Seq<'a, u16>, version_key: u64 }
    /// Reveal committed weights for one mechanism.
    RevealMechanismWeights = "SubtensorModule" 7 . "reveal_mechanism_weights" 116 { netuid: u16, mecid: u8, uids: Seq<'a, u16>, values: Seq<'a, u16>, salt: Seq<'a, u16>, version_key: u64 }
    /// Reveal several commits on one subnet.
    BatchRevealWeights = "SubtensorModule" 7 . "batch_reveal_weights" 98 { netuid: u16, uids_list: Seq<'a, Seq<'a, u16>>, values_list: Seq<'a, Seq<'a, u16>>, salts_list: Seq<'a, Seq<'a, u16>>, version_keys: Seq<'a, u64> }
    /// Commit timelock-encrypted weights (opaque ciphertext).
    CommitTimelockedWeights = "SubtensorModule" 7 . "commit_timelocked_weights" 113 { netuid: u16, commit: Bytes<'a>, reveal_round: u64, commit_reveal_version: u16 }
    /// Commit timelock-encrypted weights for one mechanism.
    CommitTimelockedMechanismWeights = "SubtensorModule" 7 . "commit_timelocked_mechanism_weights" 118 { netuid: u16, mecid: u8, commit: Bytes<'a>, reveal_round: u64, commit_reveal_version: u16 }
    /// Commit CRv3 weights for one mechanism.
    CommitCrv3MechanismWeights = "SubtensorModule" 7 . "commit_crv3_mechanism_weights" 117 { netuid: u16, mecid: u8, commit: Bytes<'a>, reveal_round: u64 }
    /// Register a hotkey; the PoW arguments are still encoded but ignored by the chain.
    Register = "SubtensorModule" 7 . "register" 6 { netuid: u16, _block_number: u64, _nonce: u64, _work: Bytes<'a>, hotkey: AccountId32, _coldkey: AccountId32 }
    /// Testnet faucet (PoW). Declared in every build (the spec-343 metadata lists it);
    /// only `pow-faucet` builds dispatch it, others answer `FaucetDisabled`.
    Faucet = "SubtensorModule" 7 . "faucet" 60 { block_number: u64, nonce: u64, work: Bytes<'a> }
    /// Register a hotkey by burning TAO.
    BurnedRegister = "SubtensorModule" 7 . "burned_register" 7 { netuid: u16, hotkey: AccountId32 }
    /// Burned registration with a price limit.
    RegisterLimit = "SubtensorModule" 7 . "register_limit" 134 { netuid: u16, hotkey: AccountId32, limit_price: Price }
    /// Register a hotkey on the root network.
    RootRegister = "SubtensorModule" 7 . "root_register" 62 { hotkey: AccountId32 }
    /// Create a subnet.
    RegisterNetwork = "SubtensorModule" 7 . "register_network" 59 { hotkey: AccountId32 }
    /// Announce an axon endpoint.
    ServeAxon = "SubtensorModule" 7 . "serve_axon" 4 { netuid: u16, version: u32, ip: u128, port: u16, ip_type: u8, protocol: u8, placeholder1: u8, placeholder2: u8 }
    /// Announce an axon endpoint with its TLS certificate.
    ServeAxonTls = "SubtensorModule" 7 . "serve_axon_tls" 40 { netuid: u16, version: u32, ip: u128, port: u16, ip_type: u8, protocol: u8, placeholder1: u8, placeholder2: u8, certificate: Bytes<'a> }
    /// Announce a Prometheus endpoint.
    ServePrometheus = "SubtensorModule" 7 . "serve_prometheus" 5 { netuid: u16, version: u32, ip: u128, port: u16, ip_type: u8 }
    /// Stake TAO to a hotkey on a subnet.
    AddStake = "SubtensorModule" 7 . "add_stake" 2 { hotkey: AccountId32, netuid: u16, amount_staked: Tao }
    /// Unstake alpha from a hotkey on a subnet.
    RemoveStake = "SubtensorModule" 7 . "remove_stake" 3 { hotkey: AccountId32, netuid: u16, amount_unstaked: Alpha }
    /// Stake with a price limit.
    AddStakeLimit = "SubtensorModule" 7 . "add_stake_limit" 88 { hotkey: AccountId32, netuid: u16, amount_staked: Tao, limit_price: Price, allow_partial: bool }
    /// Unstake with a price limit.
    RemoveStakeLimit = "SubtensorModule" 7 . "remove_stake_limit" 89 { hotkey: AccountId32, netuid: u16, amount_unstaked: Alpha, limit_price: Price, allow_partial: bool }
    /// Unstake everything on a subnet with an optional price limit.
    RemoveStakeFullLimit = "SubtensorModule" 7 . "remove_stake_full_limit" 103 { hotkey: AccountId32, netuid: u16, limit_price: Option<Price> }
    /// Stake and burn the bought alpha.
    AddStakeBurn = "SubtensorModule" 7 . "add_stake_burn" 132 { hotkey: AccountId32, netuid: u16, amount: Tao, limit: Option<Price> }
    /// Unstake everything from a hotkey.
    UnstakeAll = "SubtensorModule" 7 . "unstake_all" 83 { hotkey: AccountId32 }
    /// Unstake all alpha from a hotkey into root.
    UnstakeAllAlpha = "SubtensorModule" 7 . "unstake_all_alpha" 84 { hotkey: AccountId32 }
    /// Move stake between hotkeys and subnets.
    MoveStake = "SubtensorModule" 7 . "move_stake" 85 { origin_hotkey: AccountId32, destination_hotkey: AccountId32, origin_netuid: u16, destination_netuid: u16, alpha_amount: Alpha }
    /// Give stake to another coldkey.
    TransferStake = "SubtensorModule" 7 . "transfer_stake" 86 { destination_coldkey: AccountId32, hotkey: AccountId32, origin_netuid: u16, destination_netuid: u16, alpha_amount: Alpha }
    /// Swap stake between subnets.
    SwapStake = "SubtensorModule" 7 . "swap_stake" 87 { hotkey: AccountId32, origin_netuid: u16, destination_netuid: u16, alpha_amount: Alpha }
    /// Swap stake with a price limit.
    SwapStakeLimit = "SubtensorModule" 7 . "swap_stake_limit" 90 { hotkey: AccountId32, origin_netuid: u16, destination_netuid: u16, alpha_amount: Alpha, limit_price: Price, allow_partial: bool }
    /// Set child hotkeys with proportions (fractions of u64::MAX).
    SetChildren = "SubtensorModule" 7 . "set_children" 67 { hotkey: AccountId32, netuid: u16, children: Seq<'a, (u64, AccountId32)> }
    /// Set the childkey take.
    SetChildkeyTake = "SubtensorModule" 7 . "set_childkey_take" 75 { hotkey: AccountId32, netuid: u16, take: u16 }
    /// Raise the delegate take.
    IncreaseTake = "SubtensorModule" 7 . "increase_take" 66 { hotkey: AccountId32, take: u16 }
    /// Lower the delegate take.
    DecreaseTake = "SubtensorModule" 7 . "decrease_take" 65 { hotkey: AccountId32, take: u16 }
    /// Swap a hotkey (deprecated form).
    SwapHotkey = "SubtensorModule" 7 . "swap_hotkey" 70 { hotkey: AccountId32, new_hotkey: AccountId32, netuid: Option<u16> }
    /// Swap a hotkey, optionally keeping stake.
    SwapHotkeyV2 = "SubtensorModule" 7 . "swap_hotkey_v2" 72 { hotkey: AccountId32, new_hotkey: AccountId32, netuid: Option<u16>, keep_stake: bool }
    /// Start emissions on a new subnet.
    StartCall = "SubtensorModule" 7 . "start_call" 92 { netuid: u16 }
    /// Set the hotkey that receives auto-staked rewards.
    SetColdkeyAutoStakeHotkey = "SubtensorModule" 7 . "set_coldkey_auto_stake_hotkey" 114 { netuid: u16, hotkey: AccountId32 }
    /// Claim root dividends (subnets as a sorted set).
    ClaimRoot = "SubtensorModule" 7 . "claim_root" 121 { subnets: U16Set<'a> }

    /// Dispatch calls in order, stop at the first error.
    Batch = "Utility" 11 . "batch" 0 { calls: Seq<'a, Call<'a>> }
    /// Dispatch calls atomically.
    BatchAll = "Utility" 11 . "batch_all" 2 { calls: Seq<'a, Call<'a>> }
    /// Dispatch calls, continuing past errors.
    ForceBatch = "Utility" 11 . "force_batch" 4 { calls: Seq<'a, Call<'a>> }
}
