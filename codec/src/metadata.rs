//! Runtime metadata (V14/V15, feature `metadata`): the call table, the argument types and
//! the extension list read from a node's `RuntimeMetadataPrefixed`, so that a runtime
//! upgrade needs a metadata file, not a new release.
//!
//! [`Metadata::decode`] checks the `meta` magic and the version byte itself, then decodes
//! the V14 or V15 structure with frame-metadata through parity-scale-codec under a heap
//! budget proportional to the input (a crafted length prefix cannot reserve more).
//! [`Metadata::check`] compares the runtime with the typed calls of [`crate::call`] and
//! the extensions of [`crate::extensions`]: which kinds exist and at which indices,
//! which arguments differ (names, or types resolved structurally through the type
//! registry), and whether the extension bytes are still the ones this crate writes.
//! Differences are reported as data; only undecodable input is an error.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::Cell;
use core::fmt;

use frame_metadata::{v14, v15, META_RESERVED};
use parity_scale_codec::{Decode, MemTrackingInput};
use scale_info::form::PortableForm;
use scale_info::{Field, PortableRegistry, Type, TypeDef, TypeDefPrimitive, Variant};

use crate::call::{Call, CallKind, CallTable};
use crate::scale::{Bytes, Field as _, Reader, Ty};

/// Largest metadata accepted, in bytes. Real runtimes are a few hundred KiB (spec 343:
/// 256 KiB); the cap keeps a hostile file from costing more than a bounded heap.
pub const MAX_METADATA_LEN: usize = 16 << 20;

/// Heap the decoded vectors may reserve per input byte (parity-scale-codec reports every
/// vector reservation to the input). The spec-343 file needs 2.9; the densest possible
/// input (a vector of empty strings, each 1 byte decoding to a 24-byte `String`) 24.
const HEAP_PER_INPUT_BYTE: usize = 48;

/// Nesting followed when resolving a type (newtypes, sequences, tuples); bounds the work
/// on registries whose types refer to themselves.
const MAX_TYPE_DEPTH: u8 = 24;

/// Type lookups one [`Metadata::check`] may make. The spec-343 file needs 1,459; the
/// budget stops crafted registries (a chain of types each holding the previous one
/// twice) from costing exponential time. Once spent, types no longer resolve and
/// compare as different.
const TYPE_LOOKUP_BUDGET: u32 = 200_000;

/// Length at which a type rendering in a report is cut.
const MAX_DESCRIPTION_LEN: usize = 200;

/// Why bytes are not usable runtime metadata; names what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MetadataError {
    /// Fewer than 5 bytes: no room for the magic and the version byte.
    Truncated,
    /// The first four bytes are not `meta`.
    BadMagic([u8; 4]),
    /// A metadata version other than 14 or 15.
    UnsupportedVersion(u8),
    /// Larger than [`MAX_METADATA_LEN`].
    TooLarge {
        /// Input length.
        len: usize,
    },
    /// The decoded structures would need more heap than the budget for this input size.
    HeapBudget {
        /// The budget in bytes.
        budget: usize,
    },
    /// The V14/V15 structure does not decode.
    Malformed {
        /// Metadata version.
        version: u8,
        /// parity-scale-codec's description.
        reason: String,
    },
    /// The structure decoded but bytes were left over.
    TrailingBytes {
        /// How many bytes were left.
        count: usize,
    },
}

impl fmt::Display for MetadataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated => write!(f, "metadata too short for its magic and version"),
            Self::BadMagic(m) => {
                write!(f, "not runtime metadata: magic {m:02x?}, expected \"meta\"")
            }
            Self::UnsupportedVersion(v) => {
                write!(f, "metadata version {v} is not supported (only 14 and 15)")
            }
            Self::TooLarge { len } => write!(
                f,
                "metadata of {len} bytes exceeds the {MAX_METADATA_LEN}-byte limit"
            ),
            Self::HeapBudget { budget } => {
                write!(f, "metadata would need more than {budget} bytes of heap")
            }
            Self::Malformed { version, reason } => {
                write!(f, "malformed V{version} metadata: {reason}")
            }
            Self::TrailingBytes { count } => {
                write!(f, "{count} trailing bytes after the metadata")
            }
        }
    }
}

impl core::error::Error for MetadataError {}

/// One pallet as the metadata describes it.
#[derive(Debug, Clone)]
pub struct Pallet {
    /// Name in `construct_runtime!` (`SubtensorModule`).
    pub name: String,
    /// Pallet index: the first byte of its calls.
    pub index: u8,
    /// Type id of the pallet's call enum, if it has calls.
    pub calls: Option<u32>,
    /// Constants: name, type id and SCALE value.
    pub constants: Vec<(String, u32, Vec<u8>)>,
}

/// One transaction extension (signed extension) as listed in the metadata.
#[derive(Debug, Clone)]
pub struct ExtensionEntry {
    /// Its identifier (`CheckNonce`).
    pub identifier: String,
    /// Type id of the bytes it puts in the extrinsic (explicit).
    pub explicit: u32,
    /// Type id of the bytes it only signs (implicit, "additional signed").
    pub implicit: u32,
}

/// Decoded V14 or V15 runtime metadata, reduced to what a signer needs.
#[derive(Debug, Clone)]
pub struct Metadata {
    version: u8,
    types: PortableRegistry,
    pallets: Vec<Pallet>,
    call_ty: Option<u32>,
    extrinsic_version: u8,
    extensions: Vec<ExtensionEntry>,
}

/// The runtime's `System.Version` constant (`RuntimeVersion`), leading fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeVersion {
    /// `spec_name` (`node-subtensor`).
    pub spec_name: String,
    /// `spec_version`: signed over by CheckSpecVersion.
    pub spec_version: u32,
    /// `transaction_version`: signed over by CheckTxVersion.
    pub transaction_version: u32,
}

/// The pallets and signed extensions of a V14 or V15 metadata value: the two versions
/// declare the same fields in distinct types, so one conversion is written for both.
macro_rules! pallets_and_extensions {
    ($m:expr) => {{
        let pallets = $m
            .pallets
            .into_iter()
            .map(|p| Pallet {
                name: p.name,
                index: p.index,
                calls: p.calls.map(|c| c.ty.id),
                constants: p
                    .constants
                    .into_iter()
                    .map(|c| (c.name, c.ty.id, c.value))
                    .collect(),
            })
            .collect();
        let extensions = $m
            .extrinsic
            .signed_extensions
            .into_iter()
            .map(|e| ExtensionEntry {
                identifier: e.identifier,
                explicit: e.ty.id,
                implicit: e.additional_signed.id,
            })
            .collect();
        (pallets, extensions)
    }};
}

impl Metadata {
    /// Decodes `RuntimeMetadataPrefixed` bytes (what `state_getMetadata` returns), with
    /// a heap budget of 48 bytes per input byte (plus 64 KiB).
    pub fn decode(bytes: &[u8]) -> Result<Self, MetadataError> {
        let budget = bytes
            .len()
            .saturating_mul(HEAP_PER_INPUT_BYTE)
            .saturating_add(1 << 16);
        Self::decode_with_heap_budget(bytes, budget)
    }

    /// [`Metadata::decode`] with an explicit budget for the vectors the decoded
    /// structures reserve, for hosts with little memory.
    pub fn decode_with_heap_budget(bytes: &[u8], budget: usize) -> Result<Self, MetadataError> {
        if bytes.len() > MAX_METADATA_LEN {
            return Err(MetadataError::TooLarge { len: bytes.len() });
        }
        let (magic, rest) = bytes
            .split_first_chunk::<4>()
            .ok_or(MetadataError::Truncated)?;
        if u32::from_le_bytes(*magic) != META_RESERVED {
            return Err(MetadataError::BadMagic(*magic));
        }
        let (&version, body) = rest.split_first().ok_or(MetadataError::Truncated)?;
        match version {
            14 => {
                let m: v14::RuntimeMetadataV14 = decode_all(body, version, budget)?;
                Ok(Self::from_v14(m))
            }
            15 => {
                let m: v15::RuntimeMetadataV15 = decode_all(body, version, budget)?;
                Ok(Self::from_v15(m))
            }
            other => Err(MetadataError::UnsupportedVersion(other)),
        }
    }

    fn from_v14(m: v14::RuntimeMetadataV14) -> Self {
        let (pallets, extensions) = pallets_and_extensions!(m);
        // V14 names the outer call enum only as the `Call` parameter of the extrinsic
        // type; failing that, it is the enum named `RuntimeCall`.
        let call_ty = m
            .types
            .resolve(m.extrinsic.ty.id)
            .and_then(|t| {
                t.type_params
                    .iter()
                    .find(|p| p.name == "Call")
                    .and_then(|p| p.ty)
            })
            .map(|t| t.id)
            .or_else(|| {
                m.types
                    .types
                    .iter()
                    .find(|t| {
                        matches!(t.ty.type_def, TypeDef::Variant(_))
                            && t.ty
                                .path
                                .segments
                                .last()
                                .is_some_and(|s| s == "RuntimeCall")
                    })
                    .map(|t| t.id)
            });
        Self {
            version: 14,
            types: m.types,
            pallets,
            call_ty,
            extrinsic_version: m.extrinsic.version,
            extensions,
        }
    }

    fn from_v15(m: v15::RuntimeMetadataV15) -> Self {
        let (pallets, extensions) = pallets_and_extensions!(m);
        Self {
            version: 15,
            types: m.types,
            pallets,
            call_ty: Some(m.outer_enums.call_enum_ty.id),
            extrinsic_version: m.extrinsic.version,
            extensions,
        }
    }

    /// The metadata version (14 or 15).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The extrinsic format version the runtime declares (4 for subtensor).
    pub fn extrinsic_version(&self) -> u8 {
        self.extrinsic_version
    }

    /// The pallets in metadata order.
    pub fn pallets(&self) -> &[Pallet] {
        &self.pallets
    }

    /// The transaction extensions in the order their bytes are written.
    pub fn extensions(&self) -> &[ExtensionEntry] {
        &self.extensions
    }

    /// The type registry the ids in this metadata refer to.
    pub fn types(&self) -> &PortableRegistry {
        &self.types
    }

    /// The pallet called `name`.
    pub fn pallet(&self, name: &str) -> Option<&Pallet> {
        self.pallets.iter().find(|p| p.name == name)
    }

    /// `spec_name`, `spec_version` and `transaction_version` from the `System.Version`
    /// constant, when present and well formed.
    pub fn runtime_version(&self) -> Option<RuntimeVersion> {
        let system = self.pallet("System")?;
        let (_, _, value) = system.constants.iter().find(|(n, _, _)| n == "Version")?;
        let table = CallTable::SPEC_425;
        let mut r = Reader::new(value, &table);
        let spec_name = Bytes::decode_field(&mut r).ok()?;
        let spec_name = core::str::from_utf8(spec_name.0).ok()?.to_string();
        let _impl_name = Bytes::decode_field(&mut r).ok()?;
        let _authoring_version = r.array::<4>().ok()?;
        let spec_version = u32::from_le_bytes(r.array().ok()?);
        let _impl_version = r.array::<4>().ok()?;
        let apis = r.length(12).ok()?;
        r.take(usize::try_from(apis).ok()?.checked_mul(12)?).ok()?;
        let transaction_version = u32::from_le_bytes(r.array().ok()?);
        Some(RuntimeVersion {
            spec_name,
            spec_version,
            transaction_version,
        })
    }

    /// The (pallet index, call index) of `pallet`.`call`, by name.
    pub fn call_indices(&self, pallet: &str, call: &str) -> Option<(u8, u8)> {
        let p = self.pallet(pallet)?;
        let variant = self.call_variant(p, call)?;
        Some((p.index, variant.index))
    }

    /// A [`Call::Raw`] for `pallet`.`call` with already encoded `args`, numbered by this
    /// metadata: for calls this crate has no typed form of.
    pub fn raw_call<'a>(&self, pallet: &str, call: &str, args: &'a [u8]) -> Option<Call<'a>> {
        let (pallet, call) = self.call_indices(pallet, call)?;
        Some(Call::Raw {
            pallet,
            call,
            args: Bytes(args),
        })
    }

    fn call_variant(&self, pallet: &Pallet, call: &str) -> Option<&Variant<PortableForm>> {
        let ty = self.types.resolve(pallet.calls?)?;
        match &ty.type_def {
            TypeDef::Variant(v) => v.variants.iter().find(|v| v.name == call),
            _ => None,
        }
    }

    /// Compares the runtime with this crate's typed calls and extensions.
    pub fn check(&self) -> MetadataReport {
        let types = Types::new(&self.types, self.call_ty);
        let mut table = CallTable::SPEC_425;
        let mut present = Vec::new();
        let mut missing = Vec::new();
        let mut mismatches = Vec::new();
        for &kind in CallKind::ALL {
            let found = self
                .pallet(kind.pallet_name())
                .and_then(|p| Some((p.index, self.call_variant(p, kind.call_name())?)));
            match found {
                Some((pallet, variant)) => {
                    table.set(kind, pallet, variant.index);
                    present.push(kind);
                    compare_args(&types, kind, &variant.fields, &mut mismatches);
                }
                None => {
                    table.unset(kind);
                    missing.push(kind);
                }
            }
        }
        MetadataReport {
            table,
            present,
            missing,
            mismatches,
            extensions: check_extensions(&types, &self.extensions),
        }
    }
}

fn decode_all<T: Decode>(body: &[u8], version: u8, budget: usize) -> Result<T, MetadataError> {
    let mut rest = body;
    let mut input = MemTrackingInput::new(&mut rest, budget);
    let decoded = T::decode(&mut input);
    let over_budget = input.used_mem() >= budget;
    match decoded {
        Err(_) if over_budget => Err(MetadataError::HeapBudget { budget }),
        Err(e) => Err(MetadataError::Malformed {
            version,
            reason: e.to_string(),
        }),
        Ok(_) if !rest.is_empty() => Err(MetadataError::TrailingBytes { count: rest.len() }),
        Ok(value) => Ok(value),
    }
}

/// One argument of a present call whose name or type differs from this crate's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgMismatch {
    /// The call.
    pub kind: CallKind,
    /// Position of the argument (0-based).
    pub position: usize,
    /// Our argument there, if we have one.
    pub expected: Option<(&'static str, &'static Ty)>,
    /// The runtime's argument there, if it has one: name and a rendering of its type.
    pub found: Option<(String, String)>,
    /// False when only the name differs: the bytes are the same, so the typed call
    /// still encodes correctly (JSON arguments keep this crate's names).
    pub type_differs: bool,
}

impl fmt::Display for ArgMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} argument {} {}: expected ",
            self.kind.pallet_name(),
            self.kind.call_name(),
            self.position,
            if self.type_differs {
                "type"
            } else {
                "name only"
            }
        )?;
        match self.expected {
            Some((name, ty)) => write!(f, "{name}: {ty}")?,
            None => write!(f, "nothing")?,
        }
        write!(f, ", found ")?;
        match &self.found {
            Some((name, ty)) => write!(f, "{name}: {ty}"),
            None => write!(f, "nothing"),
        }
    }
}

/// How one of the runtime's extensions relates to the ones this crate writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtensionStatus {
    /// Known, and its explicit and implicit bytes have the types this crate writes.
    Known,
    /// Known, but one part has another type.
    Mismatch {
        /// `"explicit"` or `"implicit"`.
        part: &'static str,
        /// What this crate writes.
        expected: &'static str,
        /// The runtime's type.
        found: String,
    },
    /// Not known here but zero-sized in both parts: adds no bytes (acceptable).
    UnknownZeroSized,
    /// Not known here and adds bytes: this crate's extrinsics would be wrong.
    UnknownWithBytes {
        /// Type of the explicit part.
        explicit: String,
        /// Type of the implicit part.
        implicit: String,
    },
}

/// The runtime's extensions compared with this crate's (spec 425) list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionsReport {
    /// Every extension of the runtime, in order, with its status.
    pub entries: Vec<(String, ExtensionStatus)>,
    /// Extensions this crate knows that the runtime does not list.
    pub absent: Vec<&'static str>,
    /// True when the runtime's extensions that carry bytes are exactly this crate's,
    /// in the same order, with the same types: extrinsics built here are valid there.
    pub bytes_compatible: bool,
}

/// What [`Metadata::check`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataReport {
    /// The runtime's numbering for every present kind; missing kinds are unset.
    pub table: CallTable,
    /// Kinds the runtime has, in declaration order.
    pub present: Vec<CallKind>,
    /// Kinds the runtime does not have.
    pub missing: Vec<CallKind>,
    /// Argument differences of present kinds.
    pub mismatches: Vec<ArgMismatch>,
    /// The extension comparison.
    pub extensions: ExtensionsReport,
}

impl MetadataReport {
    /// Whether `kind` is present with our argument types (names may differ): safe to
    /// encode and decode with the typed form.
    pub fn is_usable(&self, kind: CallKind) -> bool {
        self.table.contains(kind)
            && !self
                .mismatches
                .iter()
                .any(|m| m.kind == kind && m.type_differs)
    }

    /// [`MetadataReport::table`] with the kinds whose argument types differ unset too,
    /// so that decoding shows their calls raw instead of reading them with wrong types.
    pub fn usable_table(&self) -> CallTable {
        let mut table = self.table;
        for m in self.mismatches.iter().filter(|m| m.type_differs) {
            table.unset(m.kind);
        }
        table
    }
}

fn compare_args(
    types: &Types<'_>,
    kind: CallKind,
    fields: &[Field<PortableForm>],
    out: &mut Vec<ArgMismatch>,
) {
    let ours = kind.args();
    let count = ours.len().max(fields.len());
    for position in 0..count {
        let expected = ours.get(position).copied();
        let theirs = fields.get(position);
        let (same_name, same_type) = match (expected, theirs) {
            (Some((name, ty)), Some(field)) => (
                field.name.as_deref() == Some(name),
                types.matches(field.ty.id, ty, 0),
            ),
            _ => (false, false),
        };
        if !(same_name && same_type) {
            out.push(ArgMismatch {
                kind,
                position,
                expected,
                found: theirs.map(|f| {
                    (
                        f.name.clone().unwrap_or_default(),
                        types.describe(f.ty.id, 0),
                    )
                }),
                type_differs: !same_type,
            });
        }
    }
}

/// The bytes one part of an extension contributes, as this crate writes them.
#[derive(Clone, Copy, Debug)]
enum Part {
    /// Nothing.
    Empty,
    /// A value of this type.
    Ty(&'static Ty),
    /// An `Era` (1 or 2 bytes).
    Era,
    /// CheckMetadataHash's mode byte (`Disabled` = 0, `Enabled` = 1).
    HashMode,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Self::Empty => "()",
            Self::Ty(Ty::U32) => "u32",
            Self::Ty(Ty::H256) => "H256",
            Self::Ty(Ty::Compact(Ty::U32)) => "Compact<u32>",
            Self::Ty(Ty::Compact(Ty::U64)) => "Compact<u64>",
            Self::Ty(Ty::Option(Ty::H256)) => "Option<[u8; 32]>",
            Self::Ty(_) => "value",
            Self::Era => "Era",
            Self::HashMode => "Mode { Disabled, Enabled }",
        }
    }
}

/// This crate's extensions (spec 425, spec/extrinsic.md 2.1): identifier, explicit part,
/// implicit part, in order.
const OUR_EXTENSIONS: [(&str, Part, Part); 13] = [
    ("CheckNonZeroSender", Part::Empty, Part::Empty),
    ("CheckSpecVersion", Part::Empty, Part::Ty(&Ty::U32)),
    ("CheckTxVersion", Part::Empty, Part::Ty(&Ty::U32)),
    ("CheckGenesis", Part::Empty, Part::Ty(&Ty::H256)),
    ("CheckMortality", Part::Era, Part::Ty(&Ty::H256)),
    ("CheckNonce", Part::Ty(&Ty::Compact(&Ty::U32)), Part::Empty),
    ("CheckWeight", Part::Empty, Part::Empty),
    (
        "ChargeTransactionPayment",
        Part::Ty(&Ty::Compact(&Ty::U64)),
        Part::Empty,
    ),
    ("SudoTransactionExtension", Part::Empty, Part::Empty),
    ("CheckShieldedTxValidity", Part::Empty, Part::Empty),
    ("SubtensorTransactionExtension", Part::Empty, Part::Empty),
    ("DrandPriority", Part::Empty, Part::Empty),
    (
        "CheckMetadataHash",
        Part::HashMode,
        Part::Ty(&Ty::Option(&Ty::H256)),
    ),
];

fn has_bytes(part: Part) -> bool {
    !matches!(part, Part::Empty)
}

fn check_extensions(types: &Types<'_>, theirs: &[ExtensionEntry]) -> ExtensionsReport {
    let mut entries = Vec::new();
    let mut their_byte_order = Vec::new();
    for e in theirs {
        let ours = OUR_EXTENSIONS.iter().find(|(id, _, _)| *id == e.identifier);
        let status = match ours {
            Some(&(id, explicit, implicit)) => {
                if has_bytes(explicit) || has_bytes(implicit) {
                    their_byte_order.push(id);
                }
                if !types.matches_part(e.explicit, explicit) {
                    ExtensionStatus::Mismatch {
                        part: "explicit",
                        expected: explicit.name(),
                        found: types.describe(e.explicit, 0),
                    }
                } else if !types.matches_part(e.implicit, implicit) {
                    ExtensionStatus::Mismatch {
                        part: "implicit",
                        expected: implicit.name(),
                        found: types.describe(e.implicit, 0),
                    }
                } else {
                    ExtensionStatus::Known
                }
            }
            None if types.is_zero_sized(e.explicit, 0) && types.is_zero_sized(e.implicit, 0) => {
                ExtensionStatus::UnknownZeroSized
            }
            None => ExtensionStatus::UnknownWithBytes {
                explicit: types.describe(e.explicit, 0),
                implicit: types.describe(e.implicit, 0),
            },
        };
        entries.push((e.identifier.clone(), status));
    }
    let absent: Vec<&'static str> = OUR_EXTENSIONS
        .iter()
        .map(|(id, _, _)| *id)
        .filter(|id| !theirs.iter().any(|e| e.identifier == *id))
        .collect();
    let our_byte_order: Vec<&str> = OUR_EXTENSIONS
        .iter()
        .filter(|(_, x, i)| has_bytes(*x) || has_bytes(*i))
        .map(|(id, _, _)| *id)
        .collect();
    let bytes_compatible = their_byte_order == our_byte_order
        && entries.iter().all(|(_, s)| {
            matches!(
                s,
                ExtensionStatus::Known | ExtensionStatus::UnknownZeroSized
            )
        });
    ExtensionsReport {
        entries,
        absent,
        bytes_compatible,
    }
}

/// Structural type comparison over a registry: two types match when they encode the
/// same bytes (newtypes such as `NetUid` or `AccountId32` are looked through).
struct Types<'r> {
    registry: &'r PortableRegistry,
    call_ty: Option<u32>,
    /// Lookups left, see [`TYPE_LOOKUP_BUDGET`].
    lookups_left: Cell<u32>,
}

impl<'r> Types<'r> {
    fn new(registry: &'r PortableRegistry, call_ty: Option<u32>) -> Self {
        Self {
            registry,
            call_ty,
            lookups_left: Cell::new(TYPE_LOOKUP_BUDGET),
        }
    }

    fn resolve(&self, id: u32) -> Option<&'r Type<PortableForm>> {
        let left = self.lookups_left.get().checked_sub(1)?;
        self.lookups_left.set(left);
        self.registry.resolve(id)
    }

    /// Follows composites with exactly one field that carries bytes (`NetUid(u16)`,
    /// `AccountId32([u8; 32])`, `BoundedVec(Vec<u8>, PhantomData)`) to that field.
    fn look_through(&self, mut id: u32, depth: u8) -> Option<u32> {
        for _ in depth..MAX_TYPE_DEPTH {
            let Some(TypeDef::Composite(c)) = self.resolve(id).map(|t| &t.type_def) else {
                return Some(id);
            };
            let mut carrying = c
                .fields
                .iter()
                .filter(|f| !self.is_zero_sized(f.ty.id, depth.saturating_add(1)));
            match (carrying.next(), carrying.next()) {
                (Some(only), None) => id = only.ty.id,
                _ => return Some(id),
            }
        }
        None
    }

    fn is_zero_sized(&self, id: u32, depth: u8) -> bool {
        if depth >= MAX_TYPE_DEPTH {
            return false;
        }
        let next = depth.saturating_add(1);
        match self.resolve(id).map(|t| &t.type_def) {
            Some(TypeDef::Composite(c)) => {
                c.fields.iter().all(|f| self.is_zero_sized(f.ty.id, next))
            }
            Some(TypeDef::Tuple(t)) => t.fields.iter().all(|f| self.is_zero_sized(f.id, next)),
            Some(TypeDef::Array(a)) => a.len == 0 || self.is_zero_sized(a.type_param.id, next),
            Some(TypeDef::Compact(c)) => self.is_zero_sized(c.type_param.id, next),
            _ => false,
        }
    }

    fn is_primitive(&self, id: u32, prim: TypeDefPrimitive, depth: u8) -> bool {
        let Some(id) = self.look_through(id, depth) else {
            return false;
        };
        matches!(self.resolve(id).map(|t| &t.type_def), Some(TypeDef::Primitive(p)) if *p == prim)
    }

    fn matches_part(&self, id: u32, part: Part) -> bool {
        match part {
            Part::Empty => self.is_zero_sized(id, 0),
            Part::Ty(ty) => self.matches(id, ty, 0),
            Part::Era => self.is_era(id),
            Part::HashMode => self.is_hash_mode(id),
        }
    }

    /// `Era`: variant 0 without fields (immortal), 255 more with one `u8` each.
    fn is_era(&self, id: u32) -> bool {
        let Some(id) = self.look_through(id, 0) else {
            return false;
        };
        let Some(TypeDef::Variant(v)) = self.resolve(id).map(|t| &t.type_def) else {
            return false;
        };
        v.variants.len() == 256
            && v.variants.iter().all(|var| match var.fields.as_slice() {
                [] => var.index == 0,
                [one] => var.index != 0 && self.is_primitive(one.ty.id, TypeDefPrimitive::U8, 1),
                _ => false,
            })
    }

    /// CheckMetadataHash's `Mode`: exactly the field-less variants 0 and 1.
    fn is_hash_mode(&self, id: u32) -> bool {
        let Some(id) = self.look_through(id, 0) else {
            return false;
        };
        let Some(TypeDef::Variant(v)) = self.resolve(id).map(|t| &t.type_def) else {
            return false;
        };
        let mut indices: Vec<u8> = v
            .variants
            .iter()
            .filter(|var| var.fields.is_empty())
            .map(|var| var.index)
            .collect();
        indices.sort_unstable();
        v.variants.len() == 2 && indices == [0, 1]
    }

    /// The single field of variant `index`, when it has exactly one.
    fn variant_field(
        variants: &[Variant<PortableForm>],
        index: u8,
    ) -> Option<Option<&Field<PortableForm>>> {
        let var = variants.iter().find(|v| v.index == index)?;
        match var.fields.as_slice() {
            [] => Some(None),
            [one] => Some(Some(one)),
            _ => None,
        }
    }

    fn matches(&self, id: u32, ty: &Ty, depth: u8) -> bool {
        if depth >= MAX_TYPE_DEPTH {
            return false;
        }
        let next = depth.saturating_add(1);
        if let Ty::Call = ty {
            return self.call_ty.is_some()
                && (self.call_ty == Some(id) || self.call_ty == self.look_through(id, next));
        }
        if let (Ty::Tuple(items), Some(TypeDef::Composite(c))) =
            (ty, self.resolve(id).map(|t| &t.type_def))
        {
            let carrying: Vec<u32> = c
                .fields
                .iter()
                .map(|f| f.ty.id)
                .filter(|&f| !self.is_zero_sized(f, next))
                .collect();
            if carrying.len() == items.len() && items.len() != 1 {
                return carrying
                    .iter()
                    .zip(items.iter())
                    .all(|(&f, t)| self.matches(f, t, next));
            }
        }
        let Some(id) = self.look_through(id, depth) else {
            return false;
        };
        let Some(def) = self.resolve(id).map(|t| &t.type_def) else {
            return false;
        };
        let prim = |p: TypeDefPrimitive| matches!(def, TypeDef::Primitive(q) if *q == p);
        match ty {
            Ty::Bool => prim(TypeDefPrimitive::Bool),
            Ty::U8 => prim(TypeDefPrimitive::U8),
            Ty::U16 => prim(TypeDefPrimitive::U16),
            Ty::U32 => prim(TypeDefPrimitive::U32),
            Ty::U64 | Ty::Tao | Ty::Alpha | Ty::Price => prim(TypeDefPrimitive::U64),
            Ty::U128 => prim(TypeDefPrimitive::U128),
            Ty::I16 => prim(TypeDefPrimitive::I16),
            Ty::I64 => prim(TypeDefPrimitive::I64),
            Ty::AccountId | Ty::H256 => matches!(def, TypeDef::Array(a)
                if a.len == 32 && self.is_primitive(a.type_param.id, TypeDefPrimitive::U8, next)),
            Ty::Bytes => matches!(def, TypeDef::Sequence(s)
                if self.is_primitive(s.type_param.id, TypeDefPrimitive::U8, next)),
            Ty::Compact(inner) => {
                matches!(def, TypeDef::Compact(c) if self.matches(c.type_param.id, inner, next))
            }
            Ty::CompactTao => matches!(def, TypeDef::Compact(c)
                if self.is_primitive(c.type_param.id, TypeDefPrimitive::U64, next)),
            Ty::Vec(inner) | Ty::Set(inner) => {
                matches!(def, TypeDef::Sequence(s) if self.matches(s.type_param.id, inner, next))
            }
            Ty::Tuple(items) => match def {
                TypeDef::Tuple(t) => {
                    t.fields.len() == items.len()
                        && t.fields
                            .iter()
                            .zip(items.iter())
                            .all(|(f, i)| self.matches(f.id, i, next))
                }
                _ => false,
            },
            Ty::Option(inner) => match def {
                TypeDef::Variant(v) => {
                    v.variants.len() == 2
                        && Self::variant_field(&v.variants, 0) == Some(None)
                        && matches!(Self::variant_field(&v.variants, 1),
                            Some(Some(f)) if self.matches(f.ty.id, inner, next))
                }
                _ => false,
            },
            Ty::MultiAddress => match def {
                TypeDef::Variant(v) => self.is_multi_address(&v.variants, next),
                _ => false,
            },
            Ty::Call => false,
        }
    }

    /// `MultiAddress<AccountId32, ()>` as [`crate::MultiAddress`] reads it: Id(account),
    /// Index(nothing), Raw(bytes), Address32, Address20.
    fn is_multi_address(&self, variants: &[Variant<PortableForm>], depth: u8) -> bool {
        let field = |i| Self::variant_field(variants, i).flatten().map(|f| f.ty.id);
        let array = |id: Option<u32>, len: u32| {
            id.and_then(|id| self.look_through(id, depth))
                .and_then(|id| self.resolve(id))
                .is_some_and(|t| matches!(&t.type_def, TypeDef::Array(a)
                    if a.len == len && self.is_primitive(a.type_param.id, TypeDefPrimitive::U8, depth)))
        };
        variants.len() == 5
            && field(0).is_some_and(|id| self.matches(id, &Ty::AccountId, depth))
            && field(1).is_some_and(|id| self.is_zero_sized(id, depth))
            && field(2).is_some_and(|id| self.matches(id, &Ty::Bytes, depth))
            && array(field(3), 32)
            && array(field(4), 20)
    }

    /// A short rendering of a type for reports: primitives and containers spelled out,
    /// named types by the last segment of their path. At most about
    /// [`MAX_DESCRIPTION_LEN`] characters.
    fn describe(&self, id: u32, depth: u8) -> String {
        let mut out = String::new();
        self.describe_into(id, depth, &mut out);
        out
    }

    fn describe_into(&self, id: u32, depth: u8, out: &mut String) {
        if depth >= MAX_TYPE_DEPTH || out.len() >= MAX_DESCRIPTION_LEN {
            out.push('…');
            return;
        }
        let next = depth.saturating_add(1);
        let Some(t) = self.resolve(id) else {
            out.push_str(&format!("<unknown type {id}>"));
            return;
        };
        let name = t.path.segments.last().map(String::as_str);
        let list = |ids: &mut dyn Iterator<Item = u32>, out: &mut String| {
            for (i, id) in ids.enumerate() {
                if out.len() >= MAX_DESCRIPTION_LEN {
                    out.push('…');
                    break;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                self.describe_into(id, next, out);
            }
        };
        match &t.type_def {
            TypeDef::Primitive(p) => out.push_str(primitive_name(p)),
            TypeDef::Compact(c) => {
                out.push_str("Compact<");
                self.describe_into(c.type_param.id, next, out);
                out.push('>');
            }
            TypeDef::Sequence(sq) => {
                out.push_str("Vec<");
                self.describe_into(sq.type_param.id, next, out);
                out.push('>');
            }
            TypeDef::Array(a) => {
                out.push('[');
                self.describe_into(a.type_param.id, next, out);
                out.push_str(&format!("; {}]", a.len));
            }
            TypeDef::Tuple(tu) => {
                out.push('(');
                list(&mut tu.fields.iter().map(|f| f.id), out);
                out.push(')');
            }
            TypeDef::BitSequence(_) => out.push_str("BitVec"),
            TypeDef::Variant(v) if name == Some("Option") => {
                match Self::variant_field(&v.variants, 1) {
                    Some(Some(f)) => {
                        out.push_str("Option<");
                        self.describe_into(f.ty.id, next, out);
                        out.push('>');
                    }
                    _ => out.push_str("Option"),
                }
            }
            TypeDef::Variant(_) => out.push_str(name.unwrap_or("enum")),
            TypeDef::Composite(c) => {
                out.push_str(name.unwrap_or_default());
                let carrying: Vec<u32> = c
                    .fields
                    .iter()
                    .map(|f| f.ty.id)
                    .filter(|&f| !self.is_zero_sized(f, next))
                    .collect();
                let (open, close) = if carrying.len() > 1 {
                    ('{', '}')
                } else {
                    ('(', ')')
                };
                out.push(open);
                list(&mut carrying.into_iter(), out);
                out.push(close);
            }
        }
    }
}

fn primitive_name(p: &TypeDefPrimitive) -> &'static str {
    match p {
        TypeDefPrimitive::Bool => "bool",
        TypeDefPrimitive::Char => "char",
        TypeDefPrimitive::Str => "str",
        TypeDefPrimitive::U8 => "u8",
        TypeDefPrimitive::U16 => "u16",
        TypeDefPrimitive::U32 => "u32",
        TypeDefPrimitive::U64 => "u64",
        TypeDefPrimitive::U128 => "u128",
        TypeDefPrimitive::U256 => "u256",
        TypeDefPrimitive::I8 => "i8",
        TypeDefPrimitive::I16 => "i16",
        TypeDefPrimitive::I32 => "i32",
        TypeDefPrimitive::I64 => "i64",
        TypeDefPrimitive::I128 => "i128",
        TypeDefPrimitive::I256 => "i256",
    }
}

#[cfg(test)]
mod tests {
    //! A synthetic runtime built with scale-info's derive: known answers for the
    //! comparison (renumbered, retyped, shortened, renamed and missing calls, known and
    //! unknown extensions), in both V14 and V15 form.
    #![allow(dead_code)] // the runtime's types exist only for their derived type info
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::vec;
    use core::marker::PhantomData;
    use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
    use parity_scale_codec::Encode;
    use scale_info::{meta_type, Registry, TypeInfo};

    #[derive(TypeInfo)]
    struct NetUid(u16);

    #[derive(TypeInfo)]
    struct AccountId32([u8; 32]);

    #[derive(TypeInfo)]
    struct BoundedVec<T>(Vec<T>, PhantomData<u32>);

    #[allow(non_camel_case_types)]
    #[derive(TypeInfo)]
    enum MultiAddress {
        Id(AccountId32),
        Index(#[codec(compact)] ()),
        Raw(Vec<u8>),
        Address32([u8; 32]),
        Address20([u8; 20]),
    }

    #[allow(non_camel_case_types)]
    #[derive(TypeInfo)]
    enum SubtensorCall {
        #[codec(index = 0)]
        set_weights {
            netuid: NetUid,
            dests: Vec<u16>,
            weights: Vec<u16>,
            version_key: u64,
        },
        /// Renumbered.
        #[codec(index = 9)]
        add_stake {
            hotkey: AccountId32,
            netuid: NetUid,
            amount_staked: u64,
        },
        /// Wrong amount type.
        #[codec(index = 3)]
        remove_stake {
            hotkey: AccountId32,
            netuid: NetUid,
            amount_unstaked: u32,
        },
        /// One argument short.
        #[codec(index = 7)]
        burned_register { netuid: NetUid },
        /// Renamed argument, same type.
        #[codec(index = 62)]
        root_register { hot: AccountId32 },
        #[codec(index = 113)]
        commit_timelocked_weights {
            netuid: NetUid,
            commit: BoundedVec<u8>,
            reveal_round: u64,
            commit_reveal_version: u16,
        },
        #[codec(index = 67)]
        set_children {
            hotkey: AccountId32,
            netuid: NetUid,
            children: Vec<(u64, AccountId32)>,
        },
        #[codec(index = 103)]
        remove_stake_full_limit {
            hotkey: AccountId32,
            netuid: NetUid,
            limit_price: Option<u64>,
        },
        #[codec(index = 80)]
        batch_set_weights {
            netuids: Vec<parity_scale_codec::Compact<NetUid>>,
            weights: Vec<
                Vec<(
                    parity_scale_codec::Compact<u16>,
                    parity_scale_codec::Compact<u16>,
                )>,
            >,
            version_keys: Vec<parity_scale_codec::Compact<u64>>,
        },
    }

    impl parity_scale_codec::CompactAs for NetUid {
        type As = u16;
        fn encode_as(&self) -> &u16 {
            &self.0
        }
        fn decode_from(x: u16) -> Result<Self, parity_scale_codec::Error> {
            Ok(Self(x))
        }
    }

    impl From<parity_scale_codec::Compact<NetUid>> for NetUid {
        fn from(c: parity_scale_codec::Compact<NetUid>) -> Self {
            c.0
        }
    }

    #[allow(non_camel_case_types)]
    #[derive(TypeInfo)]
    enum BalancesCall {
        #[codec(index = 3)]
        transfer_keep_alive {
            dest: MultiAddress,
            #[codec(compact)]
            value: u64,
        },
        /// `dest` is a plain account here, not a MultiAddress.
        #[codec(index = 0)]
        transfer_allow_death {
            dest: AccountId32,
            #[codec(compact)]
            value: u64,
        },
    }

    #[allow(non_camel_case_types)]
    #[derive(TypeInfo)]
    enum UtilityCall {
        #[codec(index = 2)]
        batch_all { calls: Vec<RuntimeCall> },
        /// Elements are not RuntimeCalls.
        #[codec(index = 0)]
        batch { calls: Vec<u8> },
    }

    #[derive(TypeInfo)]
    enum RuntimeCall {
        #[codec(index = 7)]
        SubtensorModule(SubtensorCall),
        #[codec(index = 5)]
        Balances(BalancesCall),
        #[codec(index = 11)]
        Utility(UtilityCall),
    }

    #[derive(TypeInfo)]
    struct UncheckedExtrinsic<Call> {
        _call: PhantomData<Call>,
    }

    #[derive(TypeInfo)]
    struct CheckNonce(#[codec(compact)] u32);

    #[derive(TypeInfo)]
    struct CheckSpecVersion(PhantomData<u8>);

    #[derive(TypeInfo)]
    struct NewZeroSized;

    #[derive(TypeInfo)]
    struct NewWithBytes(u8);

    #[derive(TypeInfo)]
    struct Runtime;

    struct Built {
        registry: Registry,
        call: u32,
        pallets: Vec<(&'static str, u8, Option<u32>, Vec<u8>)>,
        extrinsic: u32,
        extensions: Vec<(&'static str, u32, u32)>,
        runtime: u32,
    }

    fn build() -> Built {
        let mut registry = Registry::new();
        let mut id = |t| registry.register_type(&t).id;
        let subtensor = id(meta_type::<SubtensorCall>());
        let balances = id(meta_type::<BalancesCall>());
        let utility = id(meta_type::<UtilityCall>());
        let call = id(meta_type::<RuntimeCall>());
        let extrinsic = id(meta_type::<UncheckedExtrinsic<RuntimeCall>>());
        let unit = id(meta_type::<()>());
        let u32_id = id(meta_type::<u32>());
        let extensions = vec![
            (
                "CheckSpecVersion",
                id(meta_type::<CheckSpecVersion>()),
                u32_id,
            ),
            ("CheckNonce", id(meta_type::<CheckNonce>()), unit),
            ("NewZeroSized", id(meta_type::<NewZeroSized>()), unit),
            ("NewWithBytes", id(meta_type::<NewWithBytes>()), unit),
            ("CheckWeight", unit, u32_id),
        ];
        let runtime = id(meta_type::<Runtime>());
        let version = (
            "node-subtensor",
            "node-subtensor",
            1u32,
            999u32,
            1u32,
            vec![([1u8; 8], 2u32), ([3u8; 8], 4u32)],
            7u32,
            1u8,
        )
            .encode();
        Built {
            registry,
            call,
            pallets: vec![
                ("System", 0, None, version),
                ("Balances", 5, Some(balances), vec![]),
                ("SubtensorModule", 7, Some(subtensor), vec![]),
                ("Utility", 11, Some(utility), vec![]),
            ],
            extrinsic,
            extensions,
            runtime,
        }
    }

    fn sym(id: u32) -> scale_info::interner::UntrackedSymbol<core::any::TypeId> {
        id.into()
    }

    fn v14_bytes() -> Vec<u8> {
        v14_bytes_with(true)
    }

    /// `call_param`: whether the extrinsic type names the call enum as its `Call`
    /// parameter (else it is found by its name, `RuntimeCall`).
    fn v14_bytes_with(call_param: bool) -> Vec<u8> {
        let b = build();
        let extrinsic = if call_param { b.extrinsic } else { b.runtime };
        let m = v14::RuntimeMetadataV14 {
            types: b.registry.into(),
            pallets: b
                .pallets
                .into_iter()
                .map(|(name, index, calls, version)| v14::PalletMetadata {
                    name: name.into(),
                    storage: None,
                    calls: calls.map(|c| v14::PalletCallMetadata { ty: sym(c) }),
                    event: None,
                    constants: if version.is_empty() {
                        vec![]
                    } else {
                        vec![v14::PalletConstantMetadata {
                            name: "Version".into(),
                            ty: sym(0),
                            value: version,
                            docs: vec![],
                        }]
                    },
                    error: None,
                    index,
                })
                .collect(),
            extrinsic: v14::ExtrinsicMetadata {
                ty: sym(extrinsic),
                version: 4,
                signed_extensions: b
                    .extensions
                    .into_iter()
                    .map(|(id, ty, add)| v14::SignedExtensionMetadata {
                        identifier: id.into(),
                        ty: sym(ty),
                        additional_signed: sym(add),
                    })
                    .collect(),
            },
            ty: sym(b.runtime),
        };
        RuntimeMetadataPrefixed(META_RESERVED, RuntimeMetadata::V14(m)).encode()
    }

    fn v15_bytes() -> Vec<u8> {
        let b = build();
        let m = v15::RuntimeMetadataV15 {
            types: b.registry.into(),
            pallets: b
                .pallets
                .into_iter()
                .map(|(name, index, calls, version)| v15::PalletMetadata {
                    name: name.into(),
                    storage: None,
                    calls: calls.map(|c| v14::PalletCallMetadata { ty: sym(c) }),
                    event: None,
                    constants: if version.is_empty() {
                        vec![]
                    } else {
                        vec![v14::PalletConstantMetadata {
                            name: "Version".into(),
                            ty: sym(0),
                            value: version,
                            docs: vec![],
                        }]
                    },
                    error: None,
                    index,
                    docs: vec![],
                })
                .collect(),
            extrinsic: v15::ExtrinsicMetadata {
                version: 4,
                address_ty: sym(0),
                call_ty: sym(b.call),
                signature_ty: sym(0),
                extra_ty: sym(0),
                signed_extensions: b
                    .extensions
                    .into_iter()
                    .map(|(id, ty, add)| v15::SignedExtensionMetadata {
                        identifier: id.into(),
                        ty: sym(ty),
                        additional_signed: sym(add),
                    })
                    .collect(),
            },
            ty: sym(b.runtime),
            apis: vec![],
            outer_enums: v15::OuterEnums {
                call_enum_ty: sym(b.call),
                event_enum_ty: sym(0),
                error_enum_ty: sym(0),
            },
            custom: v15::CustomMetadata {
                map: BTreeMap::new(),
            },
        };
        RuntimeMetadataPrefixed(META_RESERVED, RuntimeMetadata::V15(m)).encode()
    }

    fn mismatched(report: &MetadataReport) -> Vec<(CallKind, usize, bool)> {
        report
            .mismatches
            .iter()
            .map(|m| (m.kind, m.position, m.type_differs))
            .collect()
    }

    fn check_synthetic(bytes: &[u8], version: u8) {
        let md = Metadata::decode(bytes).unwrap();
        assert_eq!(md.version(), version);
        assert_eq!(md.extrinsic_version(), 4);
        assert_eq!(
            md.runtime_version(),
            Some(RuntimeVersion {
                spec_name: "node-subtensor".into(),
                spec_version: 999,
                transaction_version: 7,
            })
        );
        let report = md.check();
        let t = &report.table;
        assert_eq!(t.get(CallKind::SetWeights), Some((7, 0)));
        assert_eq!(t.get(CallKind::AddStake), Some((7, 9)), "renumbered");
        assert_eq!(t.get(CallKind::TransferKeepAlive), Some((5, 3)));
        assert_eq!(t.get(CallKind::BatchAll), Some((11, 2)));
        assert_eq!(t.get(CallKind::Remark), None, "System has no calls here");
        assert_eq!(t.get(CallKind::AddStakeLimit), None);
        assert_eq!(t.kind_of(7, 2), None, "the 425 index of add_stake is free");
        assert_eq!(t.kind_of(7, 9), Some(CallKind::AddStake));
        assert_eq!(report.present.len() + report.missing.len(), CallKind::COUNT);
        assert!(report.missing.contains(&CallKind::Remark));
        assert_eq!(report.present.len(), 13);

        assert_eq!(
            mismatched(&report),
            vec![
                (CallKind::TransferAllowDeath, 0, true),
                (CallKind::BurnedRegister, 1, true),
                (CallKind::RootRegister, 0, false),
                (CallKind::RemoveStake, 2, true),
                (CallKind::Batch, 0, true),
            ]
        );
        let short = &report.mismatches[1];
        assert_eq!(short.expected.map(|e| e.0), Some("hotkey"));
        assert_eq!(short.found, None);
        let retyped = &report.mismatches[3];
        assert_eq!(
            retyped.found,
            Some(("amount_unstaked".to_string(), "u32".to_string()))
        );
        assert!(report.is_usable(CallKind::RootRegister), "name only");
        assert!(!report.is_usable(CallKind::RemoveStake));
        assert!(!report.is_usable(CallKind::Remark));
        let usable = report.usable_table();
        assert_eq!(usable.get(CallKind::RemoveStake), None);
        assert_eq!(usable.get(CallKind::RootRegister), Some((7, 62)));

        let ext = &report.extensions;
        let statuses: Vec<(&str, &ExtensionStatus)> =
            ext.entries.iter().map(|(i, s)| (i.as_str(), s)).collect();
        assert_eq!(statuses[0], ("CheckSpecVersion", &ExtensionStatus::Known));
        assert_eq!(statuses[1], ("CheckNonce", &ExtensionStatus::Known));
        assert_eq!(
            statuses[2],
            ("NewZeroSized", &ExtensionStatus::UnknownZeroSized)
        );
        assert!(matches!(
            statuses[3],
            ("NewWithBytes", ExtensionStatus::UnknownWithBytes { .. })
        ));
        assert!(matches!(
            statuses[4],
            (
                "CheckWeight",
                ExtensionStatus::Mismatch {
                    part: "implicit",
                    ..
                }
            )
        ));
        assert!(ext.absent.contains(&"CheckMortality"));
        assert!(!ext.bytes_compatible);

        let raw = md.raw_call("SubtensorModule", "add_stake", &[1, 2]);
        assert_eq!(
            raw,
            Some(Call::Raw {
                pallet: 7,
                call: 9,
                args: Bytes(&[1, 2])
            })
        );
        assert_eq!(md.raw_call("SubtensorModule", "nope", &[]), None);
        assert_eq!(md.raw_call("Nope", "add_stake", &[]), None);
    }

    #[test]
    fn synthetic_v14() {
        check_synthetic(&v14_bytes(), 14);
    }

    #[test]
    fn synthetic_v14_call_enum_found_by_name() {
        check_synthetic(&v14_bytes_with(false), 14);
    }

    #[test]
    fn synthetic_v15() {
        check_synthetic(&v15_bytes(), 15);
    }

    #[test]
    fn typed_errors() {
        let good = v14_bytes();
        assert_eq!(Metadata::decode(&[]).unwrap_err(), MetadataError::Truncated);
        assert_eq!(
            Metadata::decode(b"meta").unwrap_err(),
            MetadataError::Truncated
        );
        assert_eq!(
            Metadata::decode(b"atem\x0e").unwrap_err(),
            MetadataError::BadMagic(*b"atem")
        );
        for v in [0u8, 13, 16, 17] {
            let mut bytes = good.clone();
            bytes[4] = v;
            assert_eq!(
                Metadata::decode(&bytes).unwrap_err(),
                MetadataError::UnsupportedVersion(v)
            );
        }
        for cut in 5..good.len() {
            assert!(
                matches!(
                    Metadata::decode(&good[..cut]),
                    Err(MetadataError::Malformed { version: 14, .. })
                ),
                "cut {cut}"
            );
        }
        let mut longer = good.clone();
        longer.extend_from_slice(&[0, 0]);
        assert_eq!(
            Metadata::decode(&longer).unwrap_err(),
            MetadataError::TrailingBytes { count: 2 }
        );
        let huge = vec![0u8; MAX_METADATA_LEN + 1];
        assert_eq!(
            Metadata::decode(&huge).unwrap_err(),
            MetadataError::TooLarge {
                len: MAX_METADATA_LEN + 1
            }
        );
    }

    #[test]
    fn heap_budget() {
        let good = v14_bytes();
        assert!(Metadata::decode_with_heap_budget(&good, 1 << 20).is_ok());
        assert_eq!(
            Metadata::decode_with_heap_budget(&good, 200).unwrap_err(),
            MetadataError::HeapBudget { budget: 200 }
        );
        // The densest input (a type whose path is 100,000 empty strings) stays within
        // the default budget: it fails only because nothing follows the types.
        let mut bytes = b"meta\x0e".to_vec();
        parity_scale_codec::Compact(1u32).encode_to(&mut bytes);
        parity_scale_codec::Compact(0u32).encode_to(&mut bytes);
        parity_scale_codec::Compact(100_000u32).encode_to(&mut bytes);
        bytes.extend(core::iter::repeat_n(0u8, 100_000));
        bytes.extend_from_slice(&[0, 5, 0, 0]); // no params, primitive bool, no docs
        let err = Metadata::decode(&bytes).unwrap_err();
        assert!(
            matches!(err, MetadataError::Malformed { version: 14, .. }),
            "{err:?}"
        );
        let tight = bytes.len() * 20;
        assert_eq!(
            Metadata::decode_with_heap_budget(&bytes, tight).unwrap_err(),
            MetadataError::HeapBudget { budget: tight }
        );
    }

    /// A registry where type k holds type k-1 twice, 40 levels deep, as the argument of
    /// `set_weights`: walking it naively takes 2^40 steps. The check stays fast, reports
    /// the mismatch and cuts the rendering.
    #[test]
    fn self_multiplying_types_cost_bounded_work() {
        use scale_info::{Path, PortableType, TypeDefComposite, TypeDefPrimitive, TypeDefVariant};
        let field = |name: Option<&str>, ty: u32| Field::<PortableForm> {
            name: name.map(String::from),
            ty: ty.into(),
            type_name: None,
            docs: vec![],
        };
        let ty = |type_def| Type::<PortableForm> {
            path: Path { segments: vec![] },
            type_params: vec![],
            type_def,
            docs: vec![],
        };
        let mut types = vec![PortableType {
            id: 0,
            ty: ty(TypeDef::Primitive(TypeDefPrimitive::U16)),
        }];
        for k in 1..=40u32 {
            types.push(PortableType {
                id: k,
                ty: ty(TypeDef::Composite(TypeDefComposite {
                    fields: vec![field(None, k - 1), field(None, k - 1)],
                })),
            });
        }
        types.push(PortableType {
            id: 41,
            ty: ty(TypeDef::Variant(TypeDefVariant {
                variants: vec![Variant {
                    name: "set_weights".into(),
                    fields: vec![field(Some("netuid"), 40)],
                    index: 0,
                    docs: vec![],
                }],
            })),
        });
        let md = Metadata {
            version: 14,
            types: PortableRegistry { types },
            pallets: vec![Pallet {
                name: "SubtensorModule".into(),
                index: 7,
                calls: Some(41),
                constants: vec![],
            }],
            call_ty: None,
            extrinsic_version: 4,
            extensions: vec![],
        };
        let report = md.check();
        assert_eq!(report.table.get(CallKind::SetWeights), Some((7, 0)));
        let first = &report.mismatches[0];
        assert_eq!(first.kind, CallKind::SetWeights);
        assert!(first.type_differs);
        let (_, found) = first.found.clone().unwrap();
        assert!(found.chars().count() <= MAX_DESCRIPTION_LEN + 64, "{found}");
        assert!(found.ends_with('…') || found.contains('…'), "{found}");
    }
}
