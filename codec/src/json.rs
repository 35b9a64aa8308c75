//! Call arguments as JSON, both ways (`std`): the form of the vectors' `args` and of the
//! CLI's `--args`. Walks [`Ty`], so every typed call is covered by one code path.
//!
//! Integers are JSON numbers or decimal strings (u64 amounts exceed 2^53); amounts may
//! also be decimal strings with a point, read as TAO/alpha with 9 decimals. Accounts
//! are `0x` + 64 hex digits or SS58; byte strings are `0x` hex; `Option` is `null` or
//! the value; tuples are arrays; nested calls are `0x` hex or `{pallet, call, args}`.

use std::string::{String, ToString};
use std::vec::Vec;
use std::{format, vec};

use serde_json::{Map, Value};
use taolite_core::AccountId32;

use crate::call::{Call, CallKind, CallTable};
use crate::error::DecodeError;
use crate::scale::{fmt_units, write_compact_u32, write_compact_u64, OutputRef, Reader, Ty};

/// A JSON argument that does not fit its type; the text names the argument path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonArgError(pub String);

impl core::fmt::Display for JsonArgError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for JsonArgError {}

fn err<T>(path: &str, what: impl core::fmt::Display) -> Result<T, JsonArgError> {
    Err(JsonArgError(format!("{path}: {what}")))
}

fn int(path: &str, v: &Value) -> Result<u128, JsonArgError> {
    match v {
        Value::Number(n) => match n.as_u64() {
            Some(x) => Ok(u128::from(x)),
            None => err(path, "expected a non-negative integer"),
        },
        Value::String(s) => s
            .parse::<u128>()
            .or_else(|_| err(path, format_args!("not an integer: {s:?}"))),
        _ => err(path, "expected an integer"),
    }
}

fn signed_int(path: &str, v: &Value) -> Result<i128, JsonArgError> {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(x) => Ok(i128::from(x)),
            None => err(path, "expected an integer"),
        },
        Value::String(s) => s
            .parse::<i128>()
            .or_else(|_| err(path, format_args!("not an integer: {s:?}"))),
        _ => err(path, "expected an integer"),
    }
}

/// An amount in 10^-9 units: an integer, or a decimal string with a point (`"1.5"`).
fn amount(path: &str, v: &Value) -> Result<u64, JsonArgError> {
    if let Value::String(s) = v {
        if let Some((whole, frac)) = s.split_once('.') {
            if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return err(path, format_args!("at most 9 decimals: {s:?}"));
            }
            let whole: u64 = whole
                .parse()
                .or_else(|_| err(path, format_args!("not an amount: {s:?}")))?;
            let frac_units =
                frac.bytes()
                    .chain(core::iter::repeat(b'0'))
                    .take(9)
                    .fold(0u64, |acc, b| {
                        acc.saturating_mul(10)
                            .saturating_add(u64::from(b.saturating_sub(b'0')))
                    });
            return whole
                .checked_mul(1_000_000_000)
                .and_then(|w| w.checked_add(frac_units))
                .map_or_else(|| err(path, "amount overflows u64"), Ok);
        }
    }
    let x = int(path, v)?;
    u64::try_from(x).or_else(|_| err(path, "amount overflows u64"))
}

fn bounded(path: &str, v: &Value, max: u128) -> Result<u128, JsonArgError> {
    let x = int(path, v)?;
    if x > max {
        return err(path, format_args!("{x} exceeds {max}"));
    }
    Ok(x)
}

fn hex_bytes(path: &str, v: &Value) -> Result<Vec<u8>, JsonArgError> {
    match v {
        Value::String(s) => {
            taolite_core::hex::decode_vec(s).or_else(|e| err(path, format_args!("bad hex: {e}")))
        }
        _ => err(path, "expected a 0x hex string"),
    }
}

fn account(path: &str, v: &Value) -> Result<AccountId32, JsonArgError> {
    match v {
        Value::String(s) => s
            .parse::<AccountId32>()
            .or_else(|e| err(path, format_args!("bad account: {e}"))),
        _ => err(path, "expected an account (0x hex or SS58)"),
    }
}

fn array<'v>(path: &str, v: &'v Value) -> Result<&'v Vec<Value>, JsonArgError> {
    v.as_array()
        .map_or_else(|| err(path, "expected an array"), Ok)
}

/// Appends the SCALE encoding of `v` read as `ty`.
pub fn encode_value(
    ty: &Ty,
    v: &Value,
    table: &CallTable,
    path: &str,
    out: &mut Vec<u8>,
) -> Result<(), JsonArgError> {
    match ty {
        Ty::Bool => match v {
            Value::Bool(b) => out.push(u8::from(*b)),
            _ => return err(path, "expected true or false"),
        },
        Ty::U8 => out.push(bounded(path, v, u8::MAX.into())? as u8),
        Ty::U16 => {
            out.extend_from_slice(&(bounded(path, v, u16::MAX.into())? as u16).to_le_bytes())
        }
        Ty::U32 => {
            out.extend_from_slice(&(bounded(path, v, u32::MAX.into())? as u32).to_le_bytes())
        }
        Ty::U64 => {
            out.extend_from_slice(&(bounded(path, v, u64::MAX.into())? as u64).to_le_bytes())
        }
        Ty::U128 => out.extend_from_slice(&int(path, v)?.to_le_bytes()),
        Ty::I16 => {
            let x =
                i16::try_from(signed_int(path, v)?).or_else(|_| err(path, "out of i16 range"))?;
            out.extend_from_slice(&x.to_le_bytes());
        }
        Ty::I64 => {
            let x =
                i64::try_from(signed_int(path, v)?).or_else(|_| err(path, "out of i64 range"))?;
            out.extend_from_slice(&x.to_le_bytes());
        }
        Ty::Tao | Ty::Alpha | Ty::Price => out.extend_from_slice(&amount(path, v)?.to_le_bytes()),
        Ty::CompactTao => write_compact_u64(amount(path, v)?, &mut OutputRef(out)),
        Ty::AccountId => out.extend_from_slice(&account(path, v)?.0),
        Ty::MultiAddress => {
            out.push(0);
            out.extend_from_slice(&account(path, v)?.0);
        }
        Ty::H256 => {
            let b = hex_bytes(path, v)?;
            if b.len() != 32 {
                return err(path, "expected 32 bytes");
            }
            out.extend_from_slice(&b);
        }
        Ty::Bytes => {
            let b = hex_bytes(path, v)?;
            write_compact_u32(crate::scale::len_u32(b.len()), &mut OutputRef(out));
            out.extend_from_slice(&b);
        }
        Ty::Compact(inner) => {
            let max = match inner {
                Ty::U16 => u16::MAX.into(),
                Ty::U32 => u32::MAX.into(),
                Ty::U64 => u64::MAX.into(),
                _ => u128::MAX,
            };
            let x = bounded(path, v, max)?;
            parity_scale_codec::Encode::encode_to(&parity_scale_codec::Compact(x), out);
        }
        Ty::Option(inner) => {
            if v.is_null() {
                out.push(0);
            } else {
                out.push(1);
                encode_value(inner, v, table, path, out)?;
            }
        }
        Ty::Vec(inner) => {
            let items = array(path, v)?;
            write_compact_u32(crate::scale::len_u32(items.len()), &mut OutputRef(out));
            for (i, item) in items.iter().enumerate() {
                encode_value(inner, item, table, &format!("{path}[{i}]"), out)?;
            }
        }
        Ty::Set(inner) => {
            // Canonical form: encode every item, then sort and deduplicate the encodings
            // by value (items here are fixed-width little-endian integers).
            let mut encoded = Vec::new();
            for (i, item) in array(path, v)?.iter().enumerate() {
                let mut one = Vec::new();
                encode_value(inner, item, table, &format!("{path}[{i}]"), &mut one)?;
                encoded.push(one);
            }
            encoded.sort_by(|a, b| a.iter().rev().cmp(b.iter().rev()));
            encoded.dedup();
            write_compact_u32(crate::scale::len_u32(encoded.len()), &mut OutputRef(out));
            for one in encoded {
                out.extend_from_slice(&one);
            }
        }
        Ty::Tuple(types) => {
            let items = array(path, v)?;
            if items.len() != types.len() {
                return err(path, format_args!("expected a {}-tuple", types.len()));
            }
            for (i, (t, item)) in types.iter().zip(items).enumerate() {
                encode_value(t, item, table, &format!("{path}.{i}"), out)?;
            }
        }
        Ty::Call => match v {
            Value::String(_) => {
                let b = hex_bytes(path, v)?;
                Call::decode_or_raw(&b, table)
                    .or_else(|e| err(path, format_args!("not a call: {e}")))?;
                out.extend_from_slice(&b);
            }
            Value::Object(obj) => {
                let field = |name: &str| obj.get(name).and_then(Value::as_str);
                let (Some(pallet), Some(call)) = (field("pallet"), field("call")) else {
                    return err(path, "a nested call needs \"pallet\" and \"call\"");
                };
                let kind = CallKind::by_name(pallet, call).map_or_else(
                    || err(path, format_args!("unknown call {pallet}.{call}")),
                    Ok,
                )?;
                let empty = Value::Object(Map::new());
                let args = obj.get("args").unwrap_or(&empty);
                out.extend_from_slice(&encode_call(kind, args, table)?);
            }
            _ => return err(path, "expected a call (0x hex or {pallet, call, args})"),
        },
    }
    Ok(())
}

/// Encodes `kind` with arguments from `args` (an object by name, or an array in order).
/// Argument names may be given without the chain's leading underscore.
pub fn encode_call(
    kind: CallKind,
    args: &Value,
    table: &CallTable,
) -> Result<Vec<u8>, JsonArgError> {
    let (pallet, call) = table.indices(kind);
    let mut out = vec![pallet, call];
    let spec = kind.args();
    let name = format!("{}.{}", kind.pallet_name(), kind.call_name());
    match args {
        Value::Array(items) => {
            if items.len() != spec.len() {
                return err(&name, format_args!("expected {} arguments", spec.len()));
            }
            for ((arg, ty), v) in spec.iter().zip(items) {
                encode_value(ty, v, table, &format!("{name}.{arg}"), &mut out)?;
            }
        }
        Value::Object(obj) => {
            for key in obj.keys() {
                if !spec
                    .iter()
                    .any(|(arg, _)| arg == key || arg.trim_start_matches('_') == key)
                {
                    return err(&name, format_args!("unknown argument {key:?}"));
                }
            }
            for (arg, ty) in spec {
                let v = obj
                    .get(*arg)
                    .or_else(|| obj.get(arg.trim_start_matches('_')));
                let v = match (v, ty) {
                    (Some(v), _) => v,
                    (None, Ty::Option(_)) => &Value::Null,
                    (None, _) => return err(&name, format_args!("missing argument {arg:?}")),
                };
                encode_value(ty, v, table, &format!("{name}.{arg}"), &mut out)?;
            }
        }
        _ => return err(&name, "arguments must be a JSON object or array"),
    }
    Ok(out)
}

/// Reads one value of type `ty` as JSON: integers beyond 2^53 as strings, accounts as
/// SS58, bytes and hashes as hex, amounts as integers.
pub fn decode_value(ty: &Ty, r: &mut Reader<'_>) -> Result<Value, DecodeError> {
    fn n<T: Into<u128>>(x: T) -> Value {
        let x: u128 = x.into();
        if x < (1u128 << 53) {
            Value::from(x as u64)
        } else {
            Value::from(x.to_string())
        }
    }
    Ok(match ty {
        Ty::Bool => Value::Bool(<bool as crate::scale::Field>::decode_field(r)?),
        Ty::U8 => n(r.u8()?),
        Ty::U16 => n(u16::from_le_bytes(r.array()?)),
        Ty::U32 => n(u32::from_le_bytes(r.array()?)),
        Ty::U64 | Ty::Tao | Ty::Alpha | Ty::Price => n(u64::from_le_bytes(r.array()?)),
        Ty::CompactTao => n(r.compact::<u64>()?),
        Ty::U128 => n(u128::from_le_bytes(r.array()?)),
        Ty::I16 => Value::from(i16::from_le_bytes(r.array()?)),
        Ty::I64 => Value::from(i64::from_le_bytes(r.array()?).to_string()),
        Ty::AccountId => Value::from(AccountId32(r.array()?).to_string()),
        Ty::H256 => Value::from(taolite_core::hex::encode_prefixed(&r.array::<32>()?)),
        Ty::Bytes => {
            let b = <crate::scale::Bytes<'_> as crate::scale::Field>::decode_field(r)?;
            Value::from(taolite_core::hex::encode_prefixed(b.0))
        }
        Ty::MultiAddress => {
            let a = <crate::address::MultiAddress<'_> as crate::scale::Field>::decode_field(r)?;
            match a {
                crate::address::MultiAddress::Id(id) => Value::from(id.to_string()),
                other => Value::from(format!("{other:?}")),
            }
        }
        Ty::Compact(inner) => match inner {
            Ty::U16 => n(r.compact::<u16>()?),
            Ty::U32 => n(r.compact::<u32>()?),
            Ty::U64 => n(r.compact::<u64>()?),
            _ => n(r.compact::<u128>()?),
        },
        Ty::Option(inner) => match r.u8()? {
            0 => Value::Null,
            1 => decode_value(inner, r)?,
            b => return Err(DecodeError::InvalidOption(b)),
        },
        Ty::Vec(inner) | Ty::Set(inner) => {
            let count = r.length(1)?;
            let mut items = Vec::new();
            for _ in 0..count {
                items.push(decode_value(inner, r)?);
            }
            Value::Array(items)
        }
        Ty::Tuple(types) => {
            let mut items = Vec::with_capacity(types.len());
            for t in types.iter() {
                items.push(decode_value(t, r)?);
            }
            Value::Array(items)
        }
        Ty::Call => {
            let call = <Call<'_> as crate::scale::Field>::decode_field(r)?;
            call_json(&call, r.table())?
        }
    })
}

/// A call as JSON: `{pallet, call, args: {name: value}}`, or for a raw call
/// `{pallet_index, call_index, args_hex}`.
pub fn call_json(call: &Call<'_>, table: &CallTable) -> Result<Value, DecodeError> {
    let bytes = call.to_vec(table);
    let Some(kind) = call.kind() else {
        let Call::Raw { pallet, call, args } = call else {
            return Ok(Value::Null);
        };
        let mut obj = Map::new();
        obj.insert("pallet_index".into(), Value::from(*pallet));
        obj.insert("call_index".into(), Value::from(*call));
        obj.insert(
            "args_hex".into(),
            Value::from(taolite_core::hex::encode_prefixed(args.0)),
        );
        return Ok(Value::Object(obj));
    };
    let mut r = Reader::new(bytes.get(2..).unwrap_or_default(), table);
    let mut args = Map::new();
    for (name, ty) in kind.args() {
        args.insert((*name).to_string(), decode_value(ty, &mut r)?);
    }
    let mut obj = Map::new();
    obj.insert("pallet".into(), Value::from(kind.pallet_name()));
    obj.insert("call".into(), Value::from(kind.call_name()));
    obj.insert("args".into(), Value::Object(args));
    Ok(Value::Object(obj))
}

/// `rao` as a decimal TAO string with 9 decimals.
pub fn tao_string(rao: u64) -> String {
    struct Units(u64);
    impl core::fmt::Display for Units {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            fmt_units(self.0, f)
        }
    }
    Units(rao).to_string()
}
