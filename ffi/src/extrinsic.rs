//! Calls, signed extrinsics and storage keys (node-subtensor spec 425 numbering).
//!
//! Calls cross the boundary as their SCALE bytes (`pallet ++ call ++ args`): the typed
//! helpers and `taolite_call_from_json` build them, `taolite_extrinsic_sign` signs any
//! of them. Decoding renders to JSON or to the text a hardware signer shows.

use core::ffi::c_char;
use core::fmt::Write as _;

use serde_json::{Map, Value};
use taolite_codec::address::{MultiAddress, SignatureScheme};
use taolite_codec::call::{Call, CallKind, CallTable};
use taolite_codec::era::Era;
use taolite_codec::extensions::{Implicit, MetadataHashMode, TxParams};
use taolite_codec::extrinsic::{
    extrinsic_hash, sign_encoded_call_into, Extrinsic, FnSigner, SignedLayout, SignerOutput,
    SigningPayload, UnknownCalls, VerifyError,
};
use taolite_codec::scale::{Alpha, CompactTao, Seq, Tao};
use taolite_codec::storage::{self, KeyPart};
use taolite_core::{AccountId32, H256};

use crate::boundary::{
    guard, input, input_array, input_str, output_bytes, output_text, Failure, FfiResult,
};
use crate::handle;
use crate::keys::TaoliteKeypair;
use crate::status::TaoliteStatus;

/// What the chain adds to every signature without sending it: the runtime versions, the
/// genesis hash, the era's birth block hash and the optional metadata hash.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TaoliteChainContext {
    /// Runtime `spec_version` (425 for the pinned runtime).
    pub spec_version: u32,
    /// Runtime `transaction_version` (1).
    pub transaction_version: u32,
    /// The chain's genesis hash.
    pub genesis_hash: [u8; 32],
    /// Hash of the mortal era's birth block; ignored for immortal transactions, which
    /// sign the genesis hash instead.
    pub birth_block_hash: [u8; 32],
    /// 1 to sign `metadata_hash` (CheckMetadataHash mode 1), 0 for mode 0.
    pub has_metadata_hash: u8,
    /// The runtime's metadata digest, read when `has_metadata_hash` is 1.
    pub metadata_hash: [u8; 32],
}

/// Everything a signer decides besides the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TaoliteTxParams {
    /// The sender's next account nonce.
    pub nonce: u32,
    /// Tip in rao.
    pub tip: u64,
    /// 0 for an immortal transaction; otherwise valid for at least this many blocks
    /// (rounded up to a power of two in 4..=65536).
    pub era_period: u64,
    /// The block a mortal transaction is based on (its birth block is derived from it).
    pub era_current_block: u64,
    /// The implicit, signed-but-not-sent data.
    pub chain: TaoliteChainContext,
}

/// The type of one storage key part.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaoliteKeyKind {
    /// A `u16` (netuid, `mecid * 4096 + netuid`, or a uid) in `value`.
    U16 = 0,
    /// A `u64` (an epoch number) in `value`.
    U64 = 1,
    /// A 32-byte account id in `account`.
    Account = 2,
}

/// One storage key part; `kind` is a `TaoliteKeyKind` value.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TaoliteKeyPart {
    /// Which field holds the value.
    pub kind: u32,
    /// The integer value for `U16` and `U64`.
    pub value: u64,
    /// The account id for `ACCOUNT`.
    pub account: [u8; 32],
}

fn invalid(message: impl Into<String>) -> Failure {
    Failure::new(TaoliteStatus::InvalidArgument, message)
}

fn decode_failed(what: &str, e: impl core::fmt::Display) -> Failure {
    Failure::new(TaoliteStatus::DecodeFailed, format!("{what}: {e}"))
}

fn metadata_hash(chain: &TaoliteChainContext) -> Result<Option<[u8; 32]>, Failure> {
    match chain.has_metadata_hash {
        0 => Ok(None),
        1 => Ok(Some(chain.metadata_hash)),
        other => Err(invalid(format!(
            "has_metadata_hash must be 0 or 1, not {other}"
        ))),
    }
}

/// Reads the caller's parameters into the codec's.
///
/// # Safety
/// `params` must be NULL or point to a readable `TaoliteTxParams`.
unsafe fn read_params(params: *const TaoliteTxParams) -> Result<TxParams, Failure> {
    if params.is_null() {
        return Err(Failure::new(TaoliteStatus::NullPointer, "params is NULL"));
    }
    // SAFETY: non-NULL and readable by the caller's contract; every field is plain data
    // valid for any bit pattern.
    let p = unsafe { core::ptr::read_unaligned(params) };
    let era = match p.era_period {
        0 => Era::Immortal,
        period => Era::mortal(period, p.era_current_block),
    };
    Ok(TxParams {
        nonce: p.nonce,
        tip: p.tip,
        era,
        spec_version: p.chain.spec_version,
        transaction_version: p.chain.transaction_version,
        genesis_hash: H256(p.chain.genesis_hash),
        birth_block_hash: H256(p.chain.birth_block_hash),
        metadata_hash: metadata_hash(&p.chain)?,
    })
}

/// Checks that call bytes are one well-formed call (unknown indices are kept raw).
fn check_call(call: &[u8]) -> FfiResult {
    Call::decode_or_raw(call, &CallTable::SPEC_425)
        .map(|_| ())
        .map_err(|e| decode_failed("call", e))
}

/// Builds and signs a signed (v4) extrinsic for SCALE call bytes with an sr25519 key
/// pair, and writes the complete extrinsic (with its length prefix).
///
/// The call is checked to be one well-formed call first (`TAOLITE_STATUS_DECODE_FAILED`
/// otherwise; a call with indices this runtime does not know is signed as it is).
/// Signatures are randomized, so two calls give different bytes.
///
/// # Safety
/// `keypair` must be a live handle; `call` must hold `call_len` readable bytes; `params`
/// must point to a readable `TaoliteTxParams`; `out`/`out_len`/`out_written` follow the
/// buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_extrinsic_sign(
    keypair: *const TaoliteKeypair,
    call: *const u8,
    call_len: usize,
    params: *const TaoliteTxParams,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let keypair = unsafe { handle::borrow(keypair, "keypair") }?;
        // SAFETY: the caller's contract above.
        let call = unsafe { input(call, call_len, "call") }?;
        // SAFETY: the caller's contract above.
        let params = unsafe { read_params(params) }?;
        check_call(call)?;
        let keypair = &keypair.keypair;
        let mut signer = FnSigner::new(SignatureScheme::Sr25519, |payload: &SigningPayload<'_>| {
            Ok::<_, core::convert::Infallible>(SignerOutput {
                public: keypair.public().to_bytes(),
                signature: keypair.sign(payload.message().as_bytes()).0,
            })
        });
        let mut buffer = vec![0u8; SignedLayout::new(call.len(), &params).buffer_len()];
        let len = sign_encoded_call_into(call, &params, &mut signer, &mut buffer)
            .map_err(|e| Failure::new(TaoliteStatus::InvalidArgument, e.to_string()))?;
        let extrinsic = buffer.get(..len).unwrap_or_default();
        // SAFETY: the caller's contract above.
        unsafe { output_bytes(extrinsic, out, out_len, out_written) }
    })
}

/// Writes the SCALE bytes of a typed call.
///
/// # Safety
/// `out`/`out_len`/`out_written` follow the buffer convention.
unsafe fn write_call(
    call: &Call<'_>,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> FfiResult {
    let bytes = call.to_vec(&CallTable::SPEC_425);
    // SAFETY: forwarded contract.
    unsafe { output_bytes(&bytes, out, out_len, out_written) }
}

/// Reads `count` u16 values; NULL is accepted for `count` 0.
///
/// # Safety
/// `values` must be NULL or hold `count` readable, aligned `u16`s.
unsafe fn input_u16s<'a>(
    values: *const u16,
    count: usize,
    what: &str,
) -> Result<&'a [u16], Failure> {
    if count == 0 {
        return Ok(&[]);
    }
    if values.is_null() {
        return Err(Failure::new(
            TaoliteStatus::NullPointer,
            format!("{what} is NULL with count {count}"),
        ));
    }
    if !values.is_aligned() {
        return Err(invalid(format!("{what} is not aligned for uint16_t")));
    }
    if count > isize::MAX as usize / 2 {
        return Err(invalid(format!("{what} count {count} is impossibly large")));
    }
    // SAFETY: non-NULL, aligned, count bounded, readable by the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(values, count) })
}

/// `SubtensorModule.set_weights(netuid, dests, weights, version_key)`: `count` uids and
/// their u16 weights, as given (normalise them first: the chain max-upscales each row).
///
/// # Safety
/// `dests` and `weights` must hold `count` readable `uint16_t` each (NULL for 0);
/// `out`/`out_len`/`out_written` follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_call_set_weights(
    netuid: u16,
    dests: *const u16,
    weights: *const u16,
    count: usize,
    version_key: u64,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let dests = unsafe { input_u16s(dests, count, "dests") }?;
        // SAFETY: the caller's contract above.
        let weights = unsafe { input_u16s(weights, count, "weights") }?;
        let call = Call::SetWeights {
            netuid,
            dests: Seq::Items(dests),
            weights: Seq::Items(weights),
            version_key,
        };
        // SAFETY: the caller's contract above.
        unsafe { write_call(&call, out, out_len, out_written) }
    })
}

/// `SubtensorModule.add_stake(hotkey, netuid, amount_staked)`: stake `amount_rao` TAO
/// (in rao) to `hotkey` on `netuid`.
///
/// # Safety
/// `hotkey` must hold 32 readable bytes; `out`/`out_len`/`out_written` follow the buffer
/// convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_call_add_stake(
    hotkey: *const u8,
    netuid: u16,
    amount_rao: u64,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let hotkey = unsafe { input_array::<32>(hotkey, "hotkey") }?;
        let call = Call::AddStake {
            hotkey: AccountId32(*hotkey),
            netuid,
            amount_staked: Tao(amount_rao),
        };
        // SAFETY: the caller's contract above.
        unsafe { write_call(&call, out, out_len, out_written) }
    })
}

/// `SubtensorModule.remove_stake(hotkey, netuid, amount_unstaked)`: unstake
/// `amount_alpha` (in 10^-9 alpha) from `hotkey` on `netuid`.
///
/// # Safety
/// `hotkey` must hold 32 readable bytes; `out`/`out_len`/`out_written` follow the buffer
/// convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_call_remove_stake(
    hotkey: *const u8,
    netuid: u16,
    amount_alpha: u64,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let hotkey = unsafe { input_array::<32>(hotkey, "hotkey") }?;
        let call = Call::RemoveStake {
            hotkey: AccountId32(*hotkey),
            netuid,
            amount_unstaked: Alpha(amount_alpha),
        };
        // SAFETY: the caller's contract above.
        unsafe { write_call(&call, out, out_len, out_written) }
    })
}

/// A TAO transfer of `amount_rao` to `dest`: `Balances.transfer_keep_alive` when
/// `keep_alive` is true (the sender stays above the existential deposit), else
/// `Balances.transfer_allow_death`.
///
/// # Safety
/// `dest` must hold 32 readable bytes; `out`/`out_len`/`out_written` follow the buffer
/// convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_call_transfer(
    dest: *const u8,
    amount_rao: u64,
    keep_alive: bool,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let dest = MultiAddress::Id(AccountId32(*unsafe { input_array::<32>(dest, "dest") }?));
        let value = CompactTao(amount_rao);
        let call = if keep_alive {
            Call::TransferKeepAlive { dest, value }
        } else {
            Call::TransferAllowDeath { dest, value }
        };
        // SAFETY: the caller's contract above.
        unsafe { write_call(&call, out, out_len, out_written) }
    })
}

/// Any typed call from its pallet and call names (`"SubtensorModule"`, `"set_weights"`)
/// and its arguments as JSON: an object by argument name or an array in order. Integers
/// are numbers or decimal strings, amounts may be `"1.5"` (9 decimals), accounts SS58 or
/// `0x` hex, bytes `0x` hex, `Option` null or the value.
///
/// # Safety
/// The three texts must hold their lengths in readable bytes; `out`/`out_len`/
/// `out_written` follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_call_from_json(
    pallet: *const c_char,
    pallet_len: usize,
    call: *const c_char,
    call_len: usize,
    args_json: *const c_char,
    args_json_len: usize,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let pallet = unsafe { input_str(pallet, pallet_len, "pallet") }?;
        // SAFETY: the caller's contract above.
        let call = unsafe { input_str(call, call_len, "call") }?;
        // SAFETY: the caller's contract above.
        let args = unsafe { input_str(args_json, args_json_len, "args_json") }?;
        let kind = CallKind::by_name(pallet, call)
            .ok_or_else(|| invalid(format!("unknown call {pallet}.{call}")))?;
        let args: Value = serde_json::from_str(args).map_err(|e| decode_failed("args_json", e))?;
        let bytes = taolite_codec::json::encode_call(kind, &args, &CallTable::SPEC_425)
            .map_err(|e| invalid(e.to_string()))?;
        // SAFETY: the caller's contract above.
        unsafe { output_bytes(&bytes, out, out_len, out_written) }
    })
}

/// Decodes a complete extrinsic (unknown calls kept raw).
fn decode(bytes: &[u8]) -> Result<Extrinsic<'_>, Failure> {
    Extrinsic::decode_with(bytes, &CallTable::SPEC_425, UnknownCalls::Raw)
        .map_err(|e| decode_failed("extrinsic", e))
}

fn signer_text(address: &MultiAddress<'_>) -> String {
    match address {
        MultiAddress::Id(id) => id.to_string(),
        other => format!("{other:?}"),
    }
}

/// Decodes a complete extrinsic (signed or bare, with its length prefix) to JSON text:
/// `hash`, `signed`, and for signed ones `signer` (SS58), `scheme`, `signature`, `era`,
/// `nonce`, `tip` (rao, decimal string), `metadata_hash_mode`; then `call` (`{pallet,
/// call, args}` or `{pallet_index, call_index, args_hex}`), `call_hex` and `human`.
///
/// # Safety
/// `extrinsic` must hold `extrinsic_len` readable bytes; `out`/`out_len`/`out_written`
/// follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_extrinsic_decode(
    extrinsic: *const u8,
    extrinsic_len: usize,
    out: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let bytes = unsafe { input(extrinsic, extrinsic_len, "extrinsic") }?;
        let x = decode(bytes)?;
        let table = CallTable::SPEC_425;
        let call = taolite_codec::json::call_json(&x.call, &table)
            .map_err(|e| decode_failed("call", e))?;
        let mut doc = Map::new();
        let mut put = |key: &str, value: Value| {
            doc.insert(key.to_string(), value);
        };
        put(
            "hash",
            Value::from(taolite_core::hex::encode_prefixed(&extrinsic_hash(bytes).0)),
        );
        put("signed", Value::from(x.signature.is_some()));
        if let Some(part) = &x.signature {
            put("signer", Value::from(signer_text(&part.address)));
            put("scheme", Value::from(part.signature.scheme().name()));
            put(
                "signature",
                Value::from(taolite_core::hex::encode_prefixed(
                    part.signature.signature_bytes(),
                )),
            );
            put("era", Value::from(part.explicit.era.to_string()));
            put("nonce", Value::from(part.explicit.nonce));
            put("tip", Value::from(part.explicit.tip.to_string()));
            put(
                "metadata_hash_mode",
                Value::from(match part.explicit.metadata_hash_mode {
                    MetadataHashMode::Disabled => 0,
                    MetadataHashMode::Enabled => 1,
                }),
            );
        }
        put("call", call);
        put(
            "call_hex",
            Value::from(taolite_core::hex::encode_prefixed(x.call_bytes)),
        );
        put("human", Value::from(x.call.display().to_string()));
        let doc = Value::Object(doc);
        // SAFETY: the caller's contract above.
        unsafe { output_text(&doc.to_string(), out, out_len, out_written) }
    })
}

/// Renders a complete extrinsic as the text a hardware signer shows before approving:
/// the call (`Pallet.call(name: value, …)`, accounts in SS58, amounts with 9 decimals),
/// then for signed extrinsics the signer, nonce, tip, era and metadata-hash mode, one
/// `label: value` per line.
///
/// # Safety
/// `extrinsic` must hold `extrinsic_len` readable bytes; `out`/`out_len`/`out_written`
/// follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_extrinsic_render(
    extrinsic: *const u8,
    extrinsic_len: usize,
    out: *mut c_char,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let bytes = unsafe { input(extrinsic, extrinsic_len, "extrinsic") }?;
        let x = decode(bytes)?;
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = writeln!(text, "call: {}", x.call.display());
        match &x.signature {
            None => {
                let _ = writeln!(text, "signed: no (bare extrinsic)");
            }
            Some(part) => {
                let _ = writeln!(text, "signer: {}", signer_text(&part.address));
                let _ = writeln!(text, "scheme: {}", part.signature.scheme().name());
                let _ = writeln!(text, "nonce: {}", part.explicit.nonce);
                let _ = writeln!(
                    text,
                    "tip: {} TAO",
                    taolite_codec::json::tao_string(part.explicit.tip)
                );
                let _ = writeln!(text, "era: {}", part.explicit.era);
                let _ = writeln!(
                    text,
                    "metadata hash: {}",
                    match part.explicit.metadata_hash_mode {
                        MetadataHashMode::Disabled => "not signed",
                        MetadataHashMode::Enabled => "signed",
                    }
                );
            }
        }
        // SAFETY: the caller's contract above.
        unsafe { output_text(&text, out, out_len, out_written) }
    })
}

/// Verifies a signed extrinsic's signature (sr25519 or ed25519) against its signer,
/// given the chain data the signature covers implicitly. An immortal extrinsic signs
/// the genesis hash, so `birth_block_hash` is read only for mortal ones.
///
/// `TAOLITE_STATUS_SIGNATURE_MISMATCH` when the signature does not verify (also when the
/// context differs from what was signed); `TAOLITE_STATUS_INVALID_KEY` when the signer is
/// not a valid public key; `TAOLITE_STATUS_INVALID_ARGUMENT` for a bare extrinsic, an
/// ECDSA signature, a non-account signer or a metadata-hash mode the context does not
/// match.
///
/// # Safety
/// `extrinsic` must hold `extrinsic_len` readable bytes; `chain` must point to a readable
/// `TaoliteChainContext`.
#[no_mangle]
pub unsafe extern "C" fn taolite_extrinsic_verify(
    extrinsic: *const u8,
    extrinsic_len: usize,
    chain: *const TaoliteChainContext,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let bytes = unsafe { input(extrinsic, extrinsic_len, "extrinsic") }?;
        if chain.is_null() {
            return Err(Failure::new(TaoliteStatus::NullPointer, "chain is NULL"));
        }
        // SAFETY: non-NULL and readable by the caller's contract; plain data.
        let chain = unsafe { core::ptr::read_unaligned(chain) };
        let metadata_hash = metadata_hash(&chain)?;
        let x = decode(bytes)?;
        let immortal = x
            .signature
            .is_some_and(|part| part.explicit.era == Era::Immortal);
        let implicit = Implicit {
            spec_version: chain.spec_version,
            transaction_version: chain.transaction_version,
            genesis_hash: H256(chain.genesis_hash),
            birth_block_hash: H256(if immortal {
                chain.genesis_hash
            } else {
                chain.birth_block_hash
            }),
            metadata_hash,
        };
        x.verify(&implicit).map_err(|e| {
            let status = match e {
                VerifyError::BadSignature => TaoliteStatus::SignatureMismatch,
                VerifyError::BadPublicKey => TaoliteStatus::InvalidKey,
                _ => TaoliteStatus::InvalidArgument,
            };
            Failure::new(status, e.to_string())
        })
    })
}

/// The full storage key of an item the epoch reads or writes (or `System.Account`):
/// `twox_128(pallet) ++ twox_128(item) ++ hashed key parts`. `parts` holds `parts_count`
/// key parts in the item's order (0 for a plain value); a wrong count or type returns
/// `TAOLITE_STATUS_INVALID_ARGUMENT`, an item not described here too. A map's prefix is
/// the first 32 bytes of any of its keys.
///
/// # Safety
/// `pallet` and `item` must hold their lengths in readable bytes; `parts` must hold
/// `parts_count` readable `TaoliteKeyPart`s (NULL for 0); `out`/`out_len`/`out_written`
/// follow the buffer convention.
#[no_mangle]
pub unsafe extern "C" fn taolite_storage_key(
    pallet: *const c_char,
    pallet_len: usize,
    item: *const c_char,
    item_len: usize,
    parts: *const TaoliteKeyPart,
    parts_count: usize,
    out: *mut u8,
    out_len: usize,
    out_written: *mut usize,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let pallet = unsafe { input_str(pallet, pallet_len, "pallet") }?;
        // SAFETY: the caller's contract above.
        let item = unsafe { input_str(item, item_len, "item") }?;
        if parts_count > 8 {
            return Err(invalid(format!(
                "{parts_count} key parts: no item takes more than 3"
            )));
        }
        if parts_count > 0 && parts.is_null() {
            return Err(Failure::new(
                TaoliteStatus::NullPointer,
                format!("parts is NULL with count {parts_count}"),
            ));
        }
        let entry = storage::item(pallet, item)
            .ok_or_else(|| invalid(format!("unknown storage item {pallet}.{item}")))?;
        let mut key_parts = Vec::with_capacity(parts_count);
        for index in 0..parts_count {
            // SAFETY: index < parts_count, and parts holds parts_count readable parts;
            // read_unaligned accepts any alignment and every field is plain data.
            let part = unsafe { core::ptr::read_unaligned(parts.add(index)) };
            key_parts.push(match part.kind {
                0 => KeyPart::U16(u16::try_from(part.value).map_err(|_| {
                    invalid(format!("key part {index}: {} does not fit u16", part.value))
                })?),
                1 => KeyPart::U64(part.value),
                2 => KeyPart::Account(AccountId32(part.account)),
                other => return Err(invalid(format!("key part {index}: unknown kind {other}"))),
            });
        }
        let key = entry.key(&key_parts).map_err(|e| invalid(e.to_string()))?;
        // SAFETY: the caller's contract above.
        unsafe { output_bytes(key.as_bytes(), out, out_len, out_written) }
    })
}
