//! The JSON form of a [`StateDump`] (schema `taolite.state-dump.v1`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use serde_json::{Map, Value};

use super::dump::{EpochOverrides, StateDump, DUMP_SCHEMA};

/// Why a JSON dump was refused; names the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpJsonError(pub String);

impl fmt::Display for DumpJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "state dump: {}", self.0)
    }
}

impl std::error::Error for DumpJsonError {}

fn err(msg: impl Into<String>) -> DumpJsonError {
    DumpJsonError(msg.into())
}

fn uint(obj: &Map<String, Value>, field: &str) -> Result<Option<u64>, DumpJsonError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| err(format!("`{field}` is not an unsigned integer"))),
    }
}

fn hex_bytes(s: &Value, what: &str) -> Result<Vec<u8>, DumpJsonError> {
    let s = s
        .as_str()
        .ok_or_else(|| err(format!("{what} is not a hex string")))?;
    taolite_core::hex::decode_vec(s).map_err(|e| err(format!("{what} {s:?}: {e}")))
}

impl StateDump {
    /// Parses the JSON form. Duplicate keys (after hex decoding) are refused.
    pub fn from_json(text: &str) -> Result<Self, DumpJsonError> {
        let value: Value = serde_json::from_str(text).map_err(|e| err(e.to_string()))?;
        Self::from_json_value(&value)
    }

    /// Reads an already parsed JSON value.
    pub fn from_json_value(value: &Value) -> Result<Self, DumpJsonError> {
        let obj = value.as_object().ok_or_else(|| err("not a JSON object"))?;
        match obj.get("schema").and_then(Value::as_str) {
            Some(DUMP_SCHEMA) => {}
            other => {
                return Err(err(format!(
                    "schema is {other:?}, expected {DUMP_SCHEMA:?}"
                )))
            }
        }
        let netuid = uint(obj, "netuid")?.ok_or_else(|| err("`netuid` is missing"))?;
        let netuid = u16::try_from(netuid).map_err(|_| err("`netuid` does not fit u16"))?;
        let mechanism = u8::try_from(uint(obj, "mechanism")?.unwrap_or(0))
            .map_err(|_| err("`mechanism` does not fit u8"))?;
        let block_number =
            uint(obj, "block_number")?.ok_or_else(|| err("`block_number` is missing"))?;
        let block_hash = match obj.get("block_hash") {
            None | Some(Value::Null) => [0u8; 32],
            Some(v) => hex_bytes(v, "`block_hash`")?
                .try_into()
                .map_err(|_| err("`block_hash` is not 32 bytes"))?,
        };
        let epoch = match obj.get("epoch") {
            None | Some(Value::Null) => EpochOverrides::default(),
            Some(Value::Object(e)) => EpochOverrides {
                current_block: uint(e, "current_block")?,
                rao_emission: uint(e, "rao_emission")?,
                current_epoch_index: uint(e, "current_epoch_index")?,
            },
            Some(_) => return Err(err("`epoch` is not an object")),
        };
        let pairs = obj
            .get("storage")
            .and_then(Value::as_array)
            .ok_or_else(|| err("`storage` is not an array of [key, value] pairs"))?;
        let mut dump = StateDump {
            netuid,
            mechanism,
            block_number,
            block_hash,
            epoch,
            storage: Default::default(),
        };
        for (i, pair) in pairs.iter().enumerate() {
            let (Some(k), Some(v), 2) = (
                pair.get(0),
                pair.get(1),
                pair.as_array().map_or(0, Vec::len),
            ) else {
                return Err(err(format!("storage[{i}] is not a [key, value] pair")));
            };
            let key = hex_bytes(k, &format!("storage[{i}] key"))?;
            if v.is_null() {
                if dump.storage.contains_key(&key) {
                    return Err(err(format!("storage[{i}]: key {} appears twice", k)));
                }
                continue;
            }
            let value = hex_bytes(v, &format!("storage[{i}] value"))?;
            if dump.storage.insert(key, value).is_some() {
                return Err(err(format!("storage[{i}]: key {} appears twice", k)));
            }
        }
        Ok(dump)
    }

    /// The JSON form, keys in ascending order.
    pub fn to_json_value(&self) -> Value {
        let hex = taolite_core::hex::encode_prefixed;
        let mut obj = Map::new();
        obj.insert("schema".into(), DUMP_SCHEMA.into());
        obj.insert("netuid".into(), self.netuid.into());
        obj.insert("mechanism".into(), self.mechanism.into());
        obj.insert("block_number".into(), self.block_number.into());
        obj.insert("block_hash".into(), hex(&self.block_hash).into());
        let mut epoch = Map::new();
        for (name, v) in [
            ("current_block", self.epoch.current_block),
            ("rao_emission", self.epoch.rao_emission),
            ("current_epoch_index", self.epoch.current_epoch_index),
        ] {
            if let Some(v) = v {
                epoch.insert(name.into(), v.into());
            }
        }
        if !epoch.is_empty() {
            obj.insert("epoch".into(), Value::Object(epoch));
        }
        let storage = self
            .storage
            .iter()
            .map(|(k, v)| Value::Array(alloc::vec![hex(k).into(), hex(v).into()]))
            .collect();
        obj.insert("storage".into(), Value::Array(storage));
        Value::Object(obj)
    }
}
