//! `taolite tx build|sign|decode`: encode a call, sign an extrinsic, read one back.
//!
//! Call arguments come from `--args '<JSON object or array>'` and/or repeated
//! `--arg name=value` (the value is read as JSON when it parses, else as a string).
//! Integers beyond 2^53 go in strings; amounts may be written `"1.5"` (TAO/alpha with
//! 9 decimals) or as integers in rao; accounts as SS58 or `0x` hex.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{Map, Value};
use taolite_codec::call::{Call, CallKind, CallTable};
use taolite_codec::era::Era;
use taolite_codec::extensions::{TxParams, FINNEY_GENESIS};
use taolite_codec::extrinsic::{self, Extrinsic, Signer, UnknownCalls};
use taolite_codec::json;
use taolite_codec::MultiAddress;
use taolite_core::hex;
use taolite_core::H256;

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum TxCommand {
    /// Encode a call and print its hex (or its human form with --human).
    Build {
        #[command(flatten)]
        call: CallArgs,
        /// Print `Pallet.call(arg: value, ...)` instead of hex.
        #[arg(long)]
        human: bool,
        /// Print {hex, call} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign a call into a v4 extrinsic and print its hex.
    Sign {
        #[command(flatten)]
        call: CallArgs,
        #[command(flatten)]
        tx: TxArgs,
        /// Secret URI of the signing key (phrase, `0x` seed, `//Alice`, with junctions).
        /// Prefer the TAOLITE_SURI environment variable: arguments are visible to
        /// other users of the machine.
        #[arg(long)]
        suri: Option<String>,
        /// Signature scheme of the key.
        #[arg(long, default_value = "sr25519", value_parser = ["sr25519", "ed25519"])]
        scheme: String,
        /// Print {extrinsic, hash, payload, call} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Decode an extrinsic (or, with --call, a bare call) and print it for humans.
    Decode {
        /// The bytes as hex.
        hex: String,
        /// The input is a call, not an extrinsic.
        #[arg(long)]
        call: bool,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
        /// Verify the signature (needs the implicit data: --genesis, --spec-version,
        /// --tx-version, --birth-hash for mortal extrinsics, --metadata-hash if mode 1).
        #[arg(long)]
        verify: bool,
        #[command(flatten)]
        tx: ImplicitArgs,
    },
    /// List the typed calls with their indices and argument types.
    List,
}

/// Which call and its arguments.
#[derive(Args)]
pub(crate) struct CallArgs {
    /// `Pallet.call_name`, e.g. `SubtensorModule.set_weights`.
    #[arg(required_unless_present = "call_hex")]
    call: Option<String>,
    /// Arguments as a JSON object (by name) or array (in order).
    #[arg(long)]
    args: Option<String>,
    /// One argument `name=value`; repeatable.
    #[arg(long = "arg")]
    arg: Vec<String>,
    /// A pre-encoded call as hex, instead of a name and arguments.
    #[arg(long, conflicts_with_all = ["call", "args", "arg"])]
    call_hex: Option<String>,
    /// Override a call index: `Pallet.call=PALLET_INDEX:CALL_INDEX`; repeatable.
    #[arg(long = "index")]
    index: Vec<String>,
}

/// The implicit data a signature covers.
#[derive(Args)]
pub(crate) struct ImplicitArgs {
    /// Genesis hash (default: Finney mainnet).
    #[arg(long)]
    genesis: Option<String>,
    /// Runtime spec_version.
    #[arg(long, default_value_t = 425)]
    spec_version: u32,
    /// Runtime transaction_version.
    #[arg(long, default_value_t = 1)]
    tx_version: u32,
    /// Hash of the era's birth block (required for mortal transactions).
    #[arg(long)]
    birth_hash: Option<String>,
    /// RFC-0078 metadata hash to sign (CheckMetadataHash mode 1).
    #[arg(long)]
    metadata_hash: Option<String>,
}

/// Nonce, tip and era.
#[derive(Args)]
pub(crate) struct TxArgs {
    /// Account nonce.
    #[arg(long)]
    nonce: u32,
    /// Tip in rao.
    #[arg(long, default_value_t = 0)]
    tip: u64,
    /// Mortality period in blocks (omit for an immortal transaction).
    #[arg(long, requires = "current")]
    period: Option<u64>,
    /// The block the transaction is based on (mortal only).
    #[arg(long)]
    current: Option<u64>,
    #[command(flatten)]
    implicit: ImplicitArgs,
}

fn table_with(overrides: &[String]) -> Result<CallTable, CliError> {
    let mut table = CallTable::SPEC_425;
    for o in overrides {
        let (name, idx) = o
            .split_once('=')
            .ok_or_else(|| format!("--index {o}: expected Pallet.call=P:C"))?;
        let kind = kind_by_name(name)?;
        let (p, c) = idx
            .split_once(':')
            .ok_or_else(|| format!("--index {o}: expected P:C"))?;
        table.set(kind, p.parse()?, c.parse()?);
    }
    Ok(table)
}

fn kind_by_name(name: &str) -> Result<CallKind, CliError> {
    let (pallet, call) = name
        .split_once('.')
        .ok_or_else(|| format!("{name}: expected Pallet.call_name"))?;
    CallKind::by_name(pallet, call)
        .ok_or_else(|| format!("unknown call {name} (see `taolite tx list`)").into())
}

fn call_bytes(args: &CallArgs, table: &CallTable) -> Result<Vec<u8>, CliError> {
    if let Some(h) = &args.call_hex {
        return Ok(hex::decode_vec(h)?);
    }
    let name = args.call.as_deref().ok_or("missing call name")?;
    let kind = kind_by_name(name)?;
    let mut value = match &args.args {
        Some(text) => serde_json::from_str(text)?,
        None => Value::Object(Map::new()),
    };
    if !args.arg.is_empty() {
        let obj = value
            .as_object_mut()
            .ok_or("--arg cannot be combined with an --args array")?;
        for a in &args.arg {
            let (k, v) = a
                .split_once('=')
                .ok_or_else(|| format!("--arg {a}: expected name=value"))?;
            let v = serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_string()));
            obj.insert(k.to_string(), v);
        }
    }
    Ok(json::encode_call(kind, &value, table)?)
}

fn h256(text: &Option<String>, what: &str) -> Result<Option<H256>, CliError> {
    text.as_deref()
        .map(|t| t.parse::<H256>().map_err(|e| format!("{what}: {e}").into()))
        .transpose()
}

fn params(tx: &TxArgs) -> Result<TxParams, CliError> {
    let genesis = h256(&tx.implicit.genesis, "--genesis")?.unwrap_or(FINNEY_GENESIS);
    let era = match (tx.period, tx.current) {
        (Some(p), Some(c)) => Era::mortal(p, c),
        _ => Era::Immortal,
    };
    let birth = h256(&tx.implicit.birth_hash, "--birth-hash")?;
    let birth_block_hash = match (era, birth) {
        (Era::Immortal, _) => genesis,
        (Era::Mortal(_), Some(b)) => b,
        (Era::Mortal(m), None) => {
            return Err(format!(
                "a mortal transaction needs --birth-hash: the hash of block {}",
                m.birth(tx.current.unwrap_or(0))
            )
            .into())
        }
    };
    Ok(TxParams {
        nonce: tx.nonce,
        tip: tx.tip,
        era,
        spec_version: tx.implicit.spec_version,
        transaction_version: tx.implicit.tx_version,
        genesis_hash: genesis,
        birth_block_hash,
        metadata_hash: h256(&tx.implicit.metadata_hash, "--metadata-hash")?.map(|h| h.0),
    })
}

fn sign_with<S: Signer>(call: &[u8], p: &TxParams, signer: &mut S) -> Result<Vec<u8>, CliError>
where
    S::Error: 'static + Send + Sync,
{
    let layout = extrinsic::SignedLayout::new(call.len(), p);
    let mut buf = vec![0u8; layout.buffer_len()];
    let n =
        extrinsic::sign_encoded_call_into(call, p, signer, &mut buf).map_err(|e| e.to_string())?;
    buf.truncate(n);
    Ok(buf)
}

pub(crate) fn run(command: TxCommand) -> Result<ExitCode, CliError> {
    match command {
        TxCommand::List => {
            let table = CallTable::SPEC_425;
            for &kind in CallKind::ALL {
                let (p, c) = table.indices(kind);
                let args: Vec<String> = kind
                    .args()
                    .iter()
                    .map(|(n, t)| format!("{n}: {t}"))
                    .collect();
                println!(
                    "{:>3} {:>3}  {}.{}({})",
                    p,
                    c,
                    kind.pallet_name(),
                    kind.call_name(),
                    args.join(", ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        TxCommand::Build { call, human, json } => {
            let table = table_with(&call.index)?;
            let bytes = call_bytes(&call, &table)?;
            let decoded = Call::decode_or_raw(&bytes, &table)?;
            if json {
                let out = serde_json::json!({
                    "hex": hex::encode_prefixed(&bytes),
                    "call": json::call_json(&decoded, &table)?,
                    "human": decoded.display().to_string(),
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else if human {
                println!("{}", decoded.display());
            } else {
                println!("{}", hex::encode_prefixed(&bytes));
            }
            Ok(ExitCode::SUCCESS)
        }
        TxCommand::Sign {
            call,
            tx,
            suri,
            scheme,
            json,
        } => {
            let table = table_with(&call.index)?;
            let bytes = call_bytes(&call, &table)?;
            let p = params(&tx)?;
            let suri = match suri {
                Some(s) => s,
                None => {
                    std::env::var("TAOLITE_SURI").map_err(|_| "give --suri or set TAOLITE_SURI")?
                }
            };
            let ext = if scheme == "ed25519" {
                let mut key = taolite_core::keys::Ed25519Keypair::from_suri(&suri)?;
                sign_with(&bytes, &p, &mut key)?
            } else {
                let mut key = taolite_core::keys::Keypair::from_suri(&suri)?;
                sign_with(&bytes, &p, &mut key)?
            };
            let hash = extrinsic::extrinsic_hash(&ext);
            if json {
                let decoded = Call::decode_or_raw(&bytes, &table)?;
                let out = serde_json::json!({
                    "extrinsic": hex::encode_prefixed(&ext),
                    "hash": hash.to_string(),
                    "call": json::call_json(&decoded, &table)?,
                    "human": decoded.display().to_string(),
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("{}", hex::encode_prefixed(&ext));
            }
            Ok(ExitCode::SUCCESS)
        }
        TxCommand::Decode {
            hex: text,
            call,
            json,
            verify,
            tx,
        } => {
            let table = CallTable::SPEC_425;
            let bytes = hex::decode_vec(&text)?;
            if call {
                let c = Call::decode_or_raw(&bytes, &table)?;
                if json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&json::call_json(&c, &table)?)?
                    );
                } else {
                    println!("{}", c.display());
                }
                return Ok(ExitCode::SUCCESS);
            }
            let x = Extrinsic::decode_with(&bytes, &table, UnknownCalls::Raw)?;
            let verdict = if verify {
                let genesis = h256(&tx.genesis, "--genesis")?.unwrap_or(FINNEY_GENESIS);
                let immortal = x.signature.is_some_and(|s| s.explicit.era == Era::Immortal);
                let birth = match h256(&tx.birth_hash, "--birth-hash")? {
                    Some(b) => b,
                    None if immortal => genesis,
                    None => return Err("verifying a mortal extrinsic needs --birth-hash".into()),
                };
                let implicit = taolite_codec::extensions::Implicit {
                    spec_version: tx.spec_version,
                    transaction_version: tx.tx_version,
                    genesis_hash: genesis,
                    birth_block_hash: birth,
                    metadata_hash: h256(&tx.metadata_hash, "--metadata-hash")?.map(|h| h.0),
                };
                Some(x.verify(&implicit))
            } else {
                None
            };
            let hash = extrinsic::extrinsic_hash(&bytes);
            if json {
                let mut out = serde_json::json!({
                    "hash": hash.to_string(),
                    "call": json::call_json(&x.call, &table)?,
                    "call_hex": hex::encode_prefixed(x.call_bytes),
                    "human": x.call.display().to_string(),
                });
                if let Some(s) = x.signature {
                    let signer = match s.address {
                        MultiAddress::Id(id) => id.to_string(),
                        other => format!("{other:?}"),
                    };
                    out["signed"] = serde_json::json!({
                        "signer": signer,
                        "scheme": s.signature.scheme().name(),
                        "signature": hex::encode_prefixed(s.signature.signature_bytes()),
                        "era": s.explicit.era.to_string(),
                        "nonce": s.explicit.nonce,
                        "tip": s.explicit.tip.to_string(),
                        "metadata_hash_mode": format!("{:?}", s.explicit.metadata_hash_mode),
                    });
                }
                if let Some(v) = &verdict {
                    out["verified"] = Value::Bool(v.is_ok());
                }
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("hash:      {hash}");
                match x.signature {
                    None => println!("signed:    no (bare)"),
                    Some(s) => {
                        match s.address {
                            MultiAddress::Id(id) => println!("signer:    {id}"),
                            other => println!("signer:    {other:?}"),
                        }
                        println!("signature: {:?}", s.signature);
                        println!("era:       {}", s.explicit.era);
                        println!("nonce:     {}", s.explicit.nonce);
                        println!("tip:       {} TAO", json::tao_string(s.explicit.tip));
                        println!("metadata:  {:?}", s.explicit.metadata_hash_mode);
                    }
                }
                println!("call:      {}", x.call.display());
                if let Some(v) = &verdict {
                    match v {
                        Ok(()) => println!("verified:  yes"),
                        Err(e) => println!("verified:  NO ({e})"),
                    }
                }
            }
            Ok(match verdict {
                Some(Err(_)) => ExitCode::from(1),
                _ => ExitCode::SUCCESS,
            })
        }
    }
}
