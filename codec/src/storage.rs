//! Storage keys and values of the items an epoch (Yuma consensus) reads and writes.
//!
//! `key = twox_128(pallet) ++ twox_128(item) ++ hasher(SCALE(key_1)) ++ …`. Every item is
//! described as data in [`ITEMS`] (hashers, key types, value type, default), so a
//! verifier can build any key and decode any value, including absent values that
//! `ValueQuery` items replace with their default.

use core::fmt;

use taolite_core::hash::{blake2_128, twox_128, twox_64};
use taolite_core::{AccountId32, H256};

use crate::call::CallTable;
use crate::error::DecodeError;
use crate::scale::{Bytes, Field, Reader, Seq};

/// How a key part is hashed into the storage key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Hasher {
    /// The SCALE bytes as they are.
    Identity,
    /// `twox_64(x) ++ x`.
    Twox64Concat,
    /// `blake2_128(x) ++ x`.
    Blake2_128Concat,
}

impl Hasher {
    /// The metadata name (`"Blake2_128Concat"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "Identity",
            Self::Twox64Concat => "Twox64Concat",
            Self::Blake2_128Concat => "Blake2_128Concat",
        }
    }
}

/// The SCALE type of a key part.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KeyType {
    /// `u16`: `NetUid`, `NetUidStorageIndex` (`mecid * 4096 + netuid`) or a uid.
    U16,
    /// `u64` (e.g. an epoch number).
    U64,
    /// A 32-byte account id.
    AccountId,
}

/// One key part's value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KeyPart {
    /// A `u16` key.
    U16(u16),
    /// A `u64` key.
    U64(u64),
    /// An account key.
    Account(AccountId32),
}

impl KeyPart {
    fn key_type(&self) -> KeyType {
        match self {
            Self::U16(_) => KeyType::U16,
            Self::U64(_) => KeyType::U64,
            Self::Account(_) => KeyType::AccountId,
        }
    }
}

/// Longest key any item here needs: 32-byte prefix and three 48-byte hashed parts.
pub const MAX_KEY_LEN: usize = 32 + 3 * 48;

/// A storage key built on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct StorageKey {
    buf: [u8; MAX_KEY_LEN],
    len: usize,
}

impl fmt::Debug for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        taolite_core::hex::fmt_prefixed(self.as_bytes(), f)
    }
}

/// Why a key could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// The item takes another number of key parts.
    WrongKeyCount {
        /// Parts the item takes.
        expected: usize,
        /// Parts given.
        given: usize,
    },
    /// A key part has the wrong type.
    WrongKeyType {
        /// Position of the part.
        index: usize,
    },
    /// The key would exceed [`MAX_KEY_LEN`].
    TooLong,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongKeyCount { expected, given } => {
                write!(f, "item takes {expected} key parts, {given} given")
            }
            Self::WrongKeyType { index } => write!(f, "key part {index} has the wrong type"),
            Self::TooLong => write!(f, "storage key too long"),
        }
    }
}

impl core::error::Error for KeyError {}

impl StorageKey {
    /// `twox_128(pallet) ++ twox_128(item)`: the key of a plain value, and the prefix
    /// of every entry of a map.
    pub fn prefix(pallet: &str, item: &str) -> Self {
        let mut key = Self {
            buf: [0u8; MAX_KEY_LEN],
            len: 0,
        };
        // 32 bytes always fit.
        let _ = key.append(&twox_128(pallet.as_bytes()));
        let _ = key.append(&twox_128(item.as_bytes()));
        key
    }

    fn append(&mut self, bytes: &[u8]) -> Result<(), KeyError> {
        let end = self.len.checked_add(bytes.len()).ok_or(KeyError::TooLong)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(KeyError::TooLong)?;
        dst.copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }

    /// Appends `hasher(encoded)`, where `encoded` is the SCALE encoding of a key part.
    pub fn push(&mut self, hasher: Hasher, encoded: &[u8]) -> Result<(), KeyError> {
        match hasher {
            Hasher::Identity => {}
            Hasher::Twox64Concat => self.append(&twox_64(encoded))?,
            Hasher::Blake2_128Concat => self.append(&blake2_128(encoded))?,
        }
        self.append(encoded)
    }

    /// Appends one typed key part.
    pub fn push_part(&mut self, hasher: Hasher, part: &KeyPart) -> Result<(), KeyError> {
        match part {
            KeyPart::U16(x) => self.push(hasher, &x.to_le_bytes()),
            KeyPart::U64(x) => self.push(hasher, &x.to_le_bytes()),
            KeyPart::Account(a) => self.push(hasher, &a.0),
        }
    }

    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

impl AsRef<[u8]> for StorageKey {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// The type of a stored value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ValueType {
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `i16`.
    I16,
    /// `bool`.
    Bool,
    /// `AccountId32`.
    AccountId,
    /// `(u16, u16)`.
    U16Pair,
    /// `Vec<u16>`.
    VecU16,
    /// `Vec<u64>`.
    VecU64,
    /// `Vec<bool>`.
    VecBool,
    /// `Vec<(u16, u16)>`: a sparse weights or bonds row.
    Sparse,
    /// `Vec<(u64, AccountId32)>`: child or parent keys with proportions.
    Proportions,
    /// `VecDeque<(H256, u64, u64, u64)>`: weight commits.
    WeightCommits,
    /// `VecDeque<(AccountId32, u64, Vec<u8>, u64)>`: timelocked weight commits.
    TimelockedCommits,
    /// `U64F64` stored as its `u128` bits.
    U64F64,
    /// `SafeFloat { mantissa: u128, exponent: i64 }`.
    SafeFloat,
    /// `AccountInfo<u32, AccountData<u64>>`.
    AccountInfo,
}

/// `System.Account`'s value.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct AccountInfo {
    /// Transactions sent.
    pub nonce: u32,
    /// Consumer references.
    pub consumers: u32,
    /// Provider references.
    pub providers: u32,
    /// Sufficient references.
    pub sufficients: u32,
    /// Free balance in rao.
    pub free: u64,
    /// Reserved balance in rao.
    pub reserved: u64,
    /// Frozen balance in rao.
    pub frozen: u64,
    /// Extra flags.
    pub flags: u128,
}

/// A decoded storage value; variable-length ones borrow from the input.
#[derive(Clone, Copy, PartialEq, Debug)]
#[allow(missing_docs)] // each variant carries the value of the ValueType of the same name
pub enum StorageValue<'a> {
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    I16(i16),
    Bool(bool),
    AccountId(AccountId32),
    U16Pair(u16, u16),
    VecU16(Seq<'a, u16>),
    VecU64(Seq<'a, u64>),
    VecBool(Seq<'a, bool>),
    Sparse(Seq<'a, (u16, u16)>),
    Proportions(Seq<'a, (u64, AccountId32)>),
    WeightCommits(Seq<'a, (H256, u64, u64, u64)>),
    TimelockedCommits(Seq<'a, (AccountId32, u64, Bytes<'a>, u64)>),
    U64F64(u128),
    SafeFloat { mantissa: u128, exponent: i64 },
    AccountInfo(AccountInfo),
}

impl ValueType {
    /// Decodes exactly `bytes` as this type.
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Result<StorageValue<'a>, DecodeError> {
        let mut r = Reader::new(bytes, &CallTable::SPEC_425);
        let r = &mut r;
        let v = match self {
            Self::U8 => StorageValue::U8(Field::decode_field(r)?),
            Self::U16 => StorageValue::U16(Field::decode_field(r)?),
            Self::U32 => StorageValue::U32(Field::decode_field(r)?),
            Self::U64 => StorageValue::U64(Field::decode_field(r)?),
            Self::I16 => StorageValue::I16(Field::decode_field(r)?),
            Self::Bool => StorageValue::Bool(Field::decode_field(r)?),
            Self::AccountId => StorageValue::AccountId(Field::decode_field(r)?),
            Self::U16Pair => {
                let (a, b) = Field::decode_field(r)?;
                StorageValue::U16Pair(a, b)
            }
            Self::VecU16 => StorageValue::VecU16(Field::decode_field(r)?),
            Self::VecU64 => StorageValue::VecU64(Field::decode_field(r)?),
            Self::VecBool => StorageValue::VecBool(Field::decode_field(r)?),
            Self::Sparse => StorageValue::Sparse(Field::decode_field(r)?),
            Self::Proportions => StorageValue::Proportions(Field::decode_field(r)?),
            Self::WeightCommits => StorageValue::WeightCommits(Field::decode_field(r)?),
            Self::TimelockedCommits => StorageValue::TimelockedCommits(Field::decode_field(r)?),
            Self::U64F64 => StorageValue::U64F64(Field::decode_field(r)?),
            Self::SafeFloat => StorageValue::SafeFloat {
                mantissa: Field::decode_field(r)?,
                exponent: Field::decode_field(r)?,
            },
            Self::AccountInfo => StorageValue::AccountInfo(AccountInfo {
                nonce: Field::decode_field(r)?,
                consumers: Field::decode_field(r)?,
                providers: Field::decode_field(r)?,
                sufficients: Field::decode_field(r)?,
                free: Field::decode_field(r)?,
                reserved: Field::decode_field(r)?,
                frozen: Field::decode_field(r)?,
                flags: Field::decode_field(r)?,
            }),
        };
        r.finish()?;
        Ok(v)
    }
}

impl StorageValue<'_> {
    /// Appends the SCALE encoding (what the chain stores).
    pub fn encode_to(&self, out: &mut dyn crate::scale::Output) {
        let t = &CallTable::SPEC_425;
        match self {
            Self::U8(x) => x.encode_field(t, out),
            Self::U16(x) => x.encode_field(t, out),
            Self::U32(x) => x.encode_field(t, out),
            Self::U64(x) => x.encode_field(t, out),
            Self::I16(x) => x.encode_field(t, out),
            Self::Bool(x) => x.encode_field(t, out),
            Self::AccountId(x) => x.encode_field(t, out),
            Self::U16Pair(a, b) => (*a, *b).encode_field(t, out),
            Self::VecU16(x) => x.encode_field(t, out),
            Self::VecU64(x) => x.encode_field(t, out),
            Self::VecBool(x) => x.encode_field(t, out),
            Self::Sparse(x) => x.encode_field(t, out),
            Self::Proportions(x) => x.encode_field(t, out),
            Self::WeightCommits(x) => x.encode_field(t, out),
            Self::TimelockedCommits(x) => x.encode_field(t, out),
            Self::U64F64(x) => x.encode_field(t, out),
            Self::SafeFloat { mantissa, exponent } => {
                mantissa.encode_field(t, out);
                exponent.encode_field(t, out);
            }
            Self::AccountInfo(a) => {
                for x in [a.nonce, a.consumers, a.providers, a.sufficients] {
                    x.encode_field(t, out);
                }
                for x in [a.free, a.reserved, a.frozen] {
                    x.encode_field(t, out);
                }
                a.flags.encode_field(t, out);
            }
        }
    }
}

/// What reading an absent key yields.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Absent {
    /// `ValueQuery`: this default.
    Default(StorageValue<'static>),
    /// `OptionQuery`: no value.
    None,
    /// `ValueQuery` whose default is a runtime constant not pinned here.
    RuntimeConstant,
}

/// One storage item described as data.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct StorageItem {
    /// Pallet name in `construct_runtime!`.
    pub pallet: &'static str,
    /// Item name, exact spelling (typos included).
    pub name: &'static str,
    /// The hasher and type of every key part.
    pub keys: &'static [(Hasher, KeyType)],
    /// The stored value's type.
    pub value: ValueType,
    /// The value type as the vectors and metadata name it.
    pub value_name: &'static str,
    /// What an absent key means.
    pub absent: Absent,
}

impl StorageItem {
    /// The full key for `parts`, checked against the item's key types.
    pub fn key(&self, parts: &[KeyPart]) -> Result<StorageKey, KeyError> {
        if parts.len() != self.keys.len() {
            return Err(KeyError::WrongKeyCount {
                expected: self.keys.len(),
                given: parts.len(),
            });
        }
        let mut key = StorageKey::prefix(self.pallet, self.name);
        for (index, ((hasher, ty), part)) in self.keys.iter().zip(parts).enumerate() {
            if part.key_type() != *ty {
                return Err(KeyError::WrongKeyType { index });
            }
            key.push_part(*hasher, part)?;
        }
        Ok(key)
    }

    /// The prefix shared by all entries (for `state_getKeysPaged`).
    pub fn prefix(&self) -> StorageKey {
        StorageKey::prefix(self.pallet, self.name)
    }

    /// Decodes a value read from the chain; `None` bytes (absent key) give the item's
    /// default, or `Ok(None)` for `OptionQuery` items and runtime-constant defaults.
    pub fn decode_value<'a>(
        &self,
        bytes: Option<&'a [u8]>,
    ) -> Result<Option<StorageValue<'a>>, DecodeError> {
        match (bytes, self.absent) {
            (Some(b), _) => self.value.decode(b).map(Some),
            (None, Absent::Default(v)) => Ok(Some(v)),
            (None, _) => Ok(None),
        }
    }
}

/// `NetUidStorageIndex` of mechanism `mecid` on subnet `netuid`: `mecid * 4096 + netuid`,
/// `None` when it does not fit `u16` (the chain allows at most 16 mechanisms).
pub fn netuid_index(netuid: u16, mecid: u8) -> Option<u16> {
    u16::from(mecid)
        .checked_mul(4096)
        .and_then(|m| m.checked_add(netuid))
}

/// Finds an item by pallet and name.
pub fn item(pallet: &str, name: &str) -> Option<&'static StorageItem> {
    ITEMS.iter().find(|i| i.pallet == pallet && i.name == name)
}

const ST: &str = "SubtensorModule";
const NET: &[(Hasher, KeyType)] = &[(Hasher::Identity, KeyType::U16)];
const NET_UID: &[(Hasher, KeyType)] = &[
    (Hasher::Identity, KeyType::U16),
    (Hasher::Identity, KeyType::U16),
];
const NET_B2: &[(Hasher, KeyType)] = &[(Hasher::Blake2_128Concat, KeyType::U16)];
const NET_X64: &[(Hasher, KeyType)] = &[(Hasher::Twox64Concat, KeyType::U16)];
const HOT_NET: &[(Hasher, KeyType)] = &[
    (Hasher::Blake2_128Concat, KeyType::AccountId),
    (Hasher::Identity, KeyType::U16),
];

macro_rules! items {
    ($($pallet:expr, $name:literal, $keys:expr, $value:ident, $vname:literal, $absent:expr;)*) => {
        /// Every item described here: the epoch's inputs and outputs, and `System.Account`.
        pub const ITEMS: &[StorageItem] = &[$(StorageItem {
            pallet: $pallet,
            name: $name,
            keys: $keys,
            value: ValueType::$value,
            value_name: $vname,
            absent: $absent,
        }),*];
    };
}

use Absent::{Default as D, None as Opt, RuntimeConstant as Rt};
use StorageValue as V;

const EMPTY_U16: V<'static> = V::VecU16(Seq::Items(&[]));
const EMPTY_U64: V<'static> = V::VecU64(Seq::Items(&[]));
const EMPTY_BOOL: V<'static> = V::VecBool(Seq::Items(&[]));
const EMPTY_SPARSE: V<'static> = V::Sparse(Seq::Items(&[]));
const EMPTY_PROPORTIONS: V<'static> = V::Proportions(Seq::Items(&[]));

items! {
    ST, "SubnetworkN", NET, U16, "u16", D(V::U16(0));
    ST, "Keys", NET_UID, AccountId, "AccountId32", D(V::AccountId(AccountId32([0; 32])));
    ST, "Uids", &[(Hasher::Identity, KeyType::U16), (Hasher::Blake2_128Concat, KeyType::AccountId)], U16, "Option<u16>", Opt;
    ST, "Weights", NET_UID, Sparse, "Vec<(u16,u16)>", D(EMPTY_SPARSE);
    ST, "Bonds", NET_UID, Sparse, "Vec<(u16,u16)>", D(EMPTY_SPARSE);
    ST, "LastUpdate", NET, VecU64, "Vec<u64>", D(EMPTY_U64);
    ST, "BlockAtRegistration", NET_UID, U64, "u64", D(V::U64(0));
    ST, "ValidatorPermit", NET, VecBool, "Vec<bool>", D(EMPTY_BOOL);
    ST, "Active", NET, VecBool, "Vec<bool>", D(EMPTY_BOOL);
    ST, "Incentive", NET, VecU16, "Vec<u16>", D(EMPTY_U16);
    ST, "Dividends", NET, VecU16, "Vec<u16>", D(EMPTY_U16);
    ST, "Consensus", NET, VecU16, "Vec<u16>", D(EMPTY_U16);
    ST, "ValidatorTrust", NET, VecU16, "Vec<u16>", D(EMPTY_U16);
    ST, "StakeWeight", NET, VecU16, "Vec<u16>", D(EMPTY_U16);
    ST, "Emission", NET, VecU64, "Vec<u64>", D(EMPTY_U64);
    ST, "Kappa", NET, U16, "u16", D(V::U16(32767));
    ST, "BondsPenalty", NET, U16, "u16", D(V::U16(65535));
    ST, "BondsMovingAverage", NET, U64, "u64", D(V::U64(900_000));
    ST, "BondsResetOn", NET, Bool, "bool", D(V::Bool(false));
    ST, "LiquidAlphaOn", NET_B2, Bool, "bool", D(V::Bool(false));
    ST, "AlphaValues", NET, U16Pair, "(u16,u16)", D(V::U16Pair(45875, 58982));
    ST, "AlphaSigmoidSteepness", NET, I16, "i16", D(V::I16(1000));
    ST, "Yuma3On", NET_B2, Bool, "bool", D(V::Bool(false));
    ST, "Tempo", NET, U16, "u16", D(V::U16(360));
    ST, "ActivityCutoff", NET, U16, "u16", D(V::U16(5000));
    ST, "ActivityCutoffFactorMilli", NET, U32, "u32", D(V::U32(13889));
    ST, "MaxAllowedValidators", NET, U16, "u16", D(V::U16(128));
    ST, "MaxAllowedUids", NET, U16, "u16", Rt;
    ST, "ImmunityPeriod", NET, U16, "u16", Rt;
    ST, "StakeThreshold", &[], U64, "u64", D(V::U64(0));
    ST, "SubnetOwnerHotkey", NET, AccountId, "AccountId32", D(V::AccountId(AccountId32([0; 32])));
    ST, "SubnetOwner", NET, AccountId, "AccountId32", D(V::AccountId(AccountId32([0; 32])));
    ST, "CommitRevealWeightsEnabled", NET, Bool, "bool", D(V::Bool(true));
    ST, "RevealPeriodEpochs", NET_X64, U64, "u64", D(V::U64(1));
    ST, "WeightCommits", &[(Hasher::Twox64Concat, KeyType::U16), (Hasher::Twox64Concat, KeyType::AccountId)], WeightCommits, "Option<VecDeque<(H256,u64,u64,u64)>>", Opt;
    ST, "TimelockedWeightCommits", &[(Hasher::Twox64Concat, KeyType::U16), (Hasher::Twox64Concat, KeyType::U64)], TimelockedCommits, "VecDeque<(AccountId32,u64,Vec<u8>,u64)>", D(V::TimelockedCommits(Seq::Items(&[])));
    ST, "LastMechansimStepBlock", NET, U64, "u64", D(V::U64(0));
    ST, "MechanismCountCurrent", NET_X64, U8, "u8", D(V::U8(1));
    ST, "MechanismEmissionSplit", NET_X64, VecU16, "Option<Vec<u16>>", Opt;
    ST, "TaoWeight", &[], U64, "u64", D(V::U64(971_718_665_099_567_868));
    ST, "TotalHotkeyAlpha", HOT_NET, U64, "u64", D(V::U64(0));
    ST, "ParentKeys", HOT_NET, Proportions, "Vec<(u64,AccountId32)>", D(EMPTY_PROPORTIONS);
    ST, "ChildKeys", HOT_NET, Proportions, "Vec<(u64,AccountId32)>", D(EMPTY_PROPORTIONS);
    ST, "Alpha", &[(Hasher::Blake2_128Concat, KeyType::AccountId), (Hasher::Blake2_128Concat, KeyType::AccountId), (Hasher::Identity, KeyType::U16)], U64F64, "U64F64 (u128 bits)", D(V::U64F64(0));
    ST, "AlphaV2", &[(Hasher::Blake2_128Concat, KeyType::AccountId), (Hasher::Blake2_128Concat, KeyType::AccountId), (Hasher::Identity, KeyType::U16)], SafeFloat, "SafeFloat", D(V::SafeFloat { mantissa: 0, exponent: 0 });
    ST, "TotalHotkeyShares", HOT_NET, U64F64, "U64F64 (u128 bits)", D(V::U64F64(0));
    ST, "NetworksAdded", NET, Bool, "bool", D(V::Bool(false));
    "System", "Account", &[(Hasher::Blake2_128Concat, KeyType::AccountId)], AccountInfo, "AccountInfo<u32, AccountData<u64>>", D(V::AccountInfo(AccountInfo { nonce: 0, consumers: 0, providers: 0, sufficients: 0, free: 0, reserved: 0, frozen: 0, flags: 0 }));
}
