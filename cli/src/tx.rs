//! `taolite tx build|sign|decode`: encode a call, sign an extrinsic, read one back.
//!
//! Call arguments come from `--args '<JSON object or array>'` and/or repeated
//! `--arg name=value` (the value is read as JSON when it parses, else as a string).
//! Integers beyond 2^53 go in strings; amounts may be written `"1.5"` (TAO/alpha with
//! 9 decimals) or as integers in rao; accounts as SS58 or `0x` hex.
//!
//! `--metadata FILE` (raw `RuntimeMetadataPrefixed` bytes, or the hex string
//! `state_getMetadata` returns) numbers the calls as that runtime does, defaults
//! `--spec-version`/`--tx-version` to its `System.Version`, and warns on stderr about
//! typed calls it lacks or whose arguments differ.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{Map, Value};
use taolite_codec::call::{Call, CallKind, CallTable};
use taolite_codec::era::Era;
use taolite_codec::extensions::{TxParams, FINNEY_GENESIS};
use taolite_codec::extrinsic::{self, Extrinsic, Signer, UnknownCalls};
use taolite_codec::json;
use taolite_codec::metadata::{ExtensionStatus, Metadata, MetadataReport, RuntimeVersion};
use taolite_codec::MultiAddress;
use taolite_core::hex;
use taolite_core::H256;

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum TxCommand {
    /// Encode a call and print its hex (or its human form with --human).
    Build {
        #[command(flatten)]
        call: Box<CallArgs>,
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
        call: Box<CallArgs>,
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
        /// Runtime metadata file: decode with that runtime's call numbering.
        #[arg(long)]
        metadata: Option<PathBuf>,
    },
    /// List the typed calls with their indices and argument types.
    List {
        /// Runtime metadata file: that runtime's indices; `-` marks calls it lacks and
        /// `!` calls whose argument types differ.
        #[arg(long)]
        metadata: Option<PathBuf>,
    },
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
    /// Runtime metadata file (raw or hex): number calls as that runtime does and check
    /// that it has the call with these argument types.
    #[arg(long)]
    metadata: Option<PathBuf>,
    /// Pre-encoded arguments for a call with no typed form here, numbered by name from
    /// --metadata (`Pallet.call_name --args-hex 0x...`).
    #[arg(long, requires = "metadata", conflicts_with_all = ["args", "arg", "call_hex"])]
    args_hex: Option<String>,
}

/// The implicit data a signature covers.
#[derive(Args)]
pub(crate) struct ImplicitArgs {
    /// Genesis hash (default: Finney mainnet).
    #[arg(long)]
    genesis: Option<String>,
    /// Runtime spec_version [default: 425, or the --metadata runtime's].
    #[arg(long)]
    spec_version: Option<u32>,
    /// Runtime transaction_version [default: 1, or the --metadata runtime's].
    #[arg(long)]
    tx_version: Option<u32>,
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

/// A runtime read from `--metadata`: its report and version.
struct Runtime {
    metadata: Metadata,
    report: MetadataReport,
    version: Option<RuntimeVersion>,
}

/// Reads raw metadata bytes, or the `0x` hex string (optionally JSON-quoted) that
/// `state_getMetadata` returns.
fn read_metadata(path: &Path) -> Result<Metadata, CliError> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = if bytes.starts_with(b"meta") {
        bytes
    } else {
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim().trim_matches('"');
        hex::decode_vec(text).map_err(|e| {
            format!(
                "{}: neither raw metadata (\"meta\" magic) nor hex: {e}",
                path.display()
            )
        })?
    };
    Metadata::decode(&bytes).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Loads `path` and prints to stderr what differs from the typed calls and extensions.
fn load_runtime(path: &Path) -> Result<Runtime, CliError> {
    let metadata = read_metadata(path)?;
    let report = metadata.check();
    let version = metadata.runtime_version();
    let name = match &version {
        Some(v) => format!("{} spec {}", v.spec_name, v.spec_version),
        None => format!("{} (no System.Version)", path.display()),
    };
    if !report.missing.is_empty() {
        let missing: Vec<String> = report
            .missing
            .iter()
            .map(|k| format!("{}.{}", k.pallet_name(), k.call_name()))
            .collect();
        eprintln!(
            "warning: {name} lacks {} typed call(s): {}",
            missing.len(),
            missing.join(", ")
        );
    }
    for m in &report.mismatches {
        eprintln!("warning: {name}: {m}");
    }
    for (id, status) in &report.extensions.entries {
        match status {
            ExtensionStatus::Known | ExtensionStatus::UnknownZeroSized => {}
            other => eprintln!("warning: {name}: extension {id}: {other:?}"),
        }
    }
    if !report.extensions.bytes_compatible {
        eprintln!(
            "warning: {name}: its transaction extensions carry other bytes than taolite \
             writes; signed extrinsics will not be valid there"
        );
    }
    Ok(Runtime {
        metadata,
        report,
        version,
    })
}

fn load_optional(path: &Option<PathBuf>) -> Result<Option<Runtime>, CliError> {
    path.as_deref().map(load_runtime).transpose()
}

/// The table to number calls with: the metadata's (or spec 425), then `--index`.
fn table_with(runtime: Option<&Runtime>, overrides: &[String]) -> Result<CallTable, CliError> {
    let mut table = runtime.map_or(CallTable::SPEC_425, |r| r.report.table);
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

fn call_bytes(
    args: &CallArgs,
    table: &CallTable,
    runtime: Option<&Runtime>,
) -> Result<Vec<u8>, CliError> {
    if let Some(h) = &args.call_hex {
        return Ok(hex::decode_vec(h)?);
    }
    let name = args.call.as_deref().ok_or("missing call name")?;
    if let (Some(h), Some(rt)) = (&args.args_hex, runtime) {
        let (pallet, call) = name
            .split_once('.')
            .ok_or_else(|| format!("{name}: expected Pallet.call_name"))?;
        let encoded = hex::decode_vec(h)?;
        let raw = rt
            .metadata
            .raw_call(pallet, call, &encoded)
            .ok_or_else(|| format!("{name} is not a call of this runtime"))?;
        return Ok(raw.to_vec(table));
    }
    let kind = match (kind_by_name(name), runtime) {
        (Ok(kind), _) => kind,
        (Err(e), Some(rt)) => {
            let known = name
                .split_once('.')
                .and_then(|(p, c)| rt.metadata.call_indices(p, c));
            return Err(match known {
                Some(_) => format!(
                    "{name} has no typed form here; pass its encoded arguments with --args-hex"
                )
                .into(),
                None => e,
            });
        }
        (Err(e), None) => return Err(e),
    };
    if let Some(rt) = runtime {
        let overridden = args
            .index
            .iter()
            .any(|o| o.split_once('=').map(|(n, _)| n) == Some(name));
        if !table.contains(kind) && !overridden {
            return Err(format!(
                "{name} is not in this runtime's metadata (pass --index {name}=P:C to force)"
            )
            .into());
        }
        if !rt.report.is_usable(kind) && rt.report.table.contains(kind) {
            return Err(format!(
                "{name} takes other argument types in this runtime (see the warnings); \
                 encode the arguments yourself and pass --args-hex"
            )
            .into());
        }
    }
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

/// `--spec-version` / `--tx-version`, else the metadata's, else spec 425 / 1.
fn versions(args: &ImplicitArgs, runtime: Option<&Runtime>) -> (u32, u32) {
    let known = runtime.and_then(|r| r.version.as_ref());
    (
        args.spec_version
            .or(known.map(|v| v.spec_version))
            .unwrap_or(425),
        args.tx_version
            .or(known.map(|v| v.transaction_version))
            .unwrap_or(1),
    )
}

fn params(tx: &TxArgs, runtime: Option<&Runtime>) -> Result<TxParams, CliError> {
    let (spec_version, transaction_version) = versions(&tx.implicit, runtime);
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
        spec_version,
        transaction_version,
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
        TxCommand::List { metadata } => {
            let runtime = load_optional(&metadata)?;
            for &kind in CallKind::ALL {
                let (p, c, mark) = match &runtime {
                    None => {
                        let (p, c) = CallTable::SPEC_425.indices(kind);
                        (p.to_string(), c.to_string(), ' ')
                    }
                    Some(rt) => match rt.report.table.get(kind) {
                        None => ("-".to_string(), "-".to_string(), '-'),
                        Some((p, c)) if rt.report.is_usable(kind) => {
                            (p.to_string(), c.to_string(), ' ')
                        }
                        Some((p, c)) => (p.to_string(), c.to_string(), '!'),
                    },
                };
                let args: Vec<String> = kind
                    .args()
                    .iter()
                    .map(|(n, t)| format!("{n}: {t}"))
                    .collect();
                println!(
                    "{:>3} {:>3} {mark}{}.{}({})",
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
            let runtime = load_optional(&call.metadata)?;
            let table = table_with(runtime.as_ref(), &call.index)?;
            let bytes = call_bytes(&call, &table, runtime.as_ref())?;
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
            let runtime = load_optional(&call.metadata)?;
            let table = table_with(runtime.as_ref(), &call.index)?;
            let bytes = call_bytes(&call, &table, runtime.as_ref())?;
            let p = params(&tx, runtime.as_ref())?;
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
            metadata,
        } => {
            let runtime = load_optional(&metadata)?;
            let table = runtime
                .as_ref()
                .map_or(CallTable::SPEC_425, |r| r.report.usable_table());
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
                let (spec_version, transaction_version) = versions(&tx, runtime.as_ref());
                let implicit = taolite_codec::extensions::Implicit {
                    spec_version,
                    transaction_version,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec-343 metadata of the shared vectors (`$TAOLITE_VECTORS`, default
    /// `../shared/vectors` beside the repository).
    fn spec343() -> PathBuf {
        let root = std::env::var_os("TAOLITE_VECTORS")
            .filter(|r| !r.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("../shared/vectors"));
        let root = if root.is_absolute() {
            root
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(root)
        };
        root.join("extrinsic/metadata/node-subtensor-spec343-metadata-v14.scale")
    }

    fn call_args(call: &str, args: &str) -> CallArgs {
        CallArgs {
            call: Some(call.to_string()),
            args: Some(args.to_string()),
            arg: Vec::new(),
            call_hex: None,
            index: Vec::new(),
            metadata: Some(spec343()),
            args_hex: None,
        }
    }

    #[test]
    fn metadata_raw_and_hex_files_load_alike() {
        let raw = std::fs::read(spec343()).unwrap();
        let hex_file = std::env::temp_dir().join(format!("taolite-md-{}.hex", std::process::id()));
        std::fs::write(&hex_file, format!("\"{}\"\n", hex::encode_prefixed(&raw))).unwrap();
        let from_hex = load_runtime(&hex_file);
        std::fs::remove_file(&hex_file).unwrap();
        let from_hex = from_hex.unwrap();
        let from_raw = load_runtime(&spec343()).unwrap();
        assert_eq!(from_hex.report, from_raw.report);
        assert_eq!(from_raw.version.as_ref().map(|v| v.spec_version), Some(343));
    }

    #[test]
    fn versions_prefer_flags_then_metadata_then_425() {
        let rt = load_runtime(&spec343()).unwrap();
        let mut args = ImplicitArgs {
            genesis: None,
            spec_version: None,
            tx_version: None,
            birth_hash: None,
            metadata_hash: None,
        };
        assert_eq!(versions(&args, None), (425, 1));
        assert_eq!(versions(&args, Some(&rt)), (343, 1));
        args.spec_version = Some(500);
        args.tx_version = Some(2);
        assert_eq!(versions(&args, Some(&rt)), (500, 2));
    }

    #[test]
    fn calls_are_checked_against_the_runtime() {
        let rt = load_runtime(&spec343()).unwrap();
        let table = table_with(Some(&rt), &[]).unwrap();

        let ok = call_args("SubtensorModule.start_call", r#"{"netuid": 3}"#);
        assert_eq!(call_bytes(&ok, &table, Some(&rt)).unwrap(), [7, 92, 3, 0]);

        // Not in spec 343: refused unless numbered by hand.
        let mut missing = call_args(
            "SubtensorModule.swap_hotkey_v2",
            r#"[ "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                 "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", null, true ]"#,
        );
        let err = call_bytes(&missing, &table, Some(&rt)).unwrap_err();
        assert!(err.to_string().contains("not in this runtime"), "{err}");
        missing.index = vec!["SubtensorModule.swap_hotkey_v2=7:72".to_string()];
        let forced = table_with(Some(&rt), &missing.index).unwrap();
        assert_eq!(
            call_bytes(&missing, &forced, Some(&rt)).unwrap()[..2],
            [7, 72]
        );

        // A call without a typed form, numbered by name from the metadata.
        let mut raw = call_args("Sudo.sudo", "{}");
        raw.args = None;
        let err = call_bytes(&raw, &table, Some(&rt)).unwrap_err();
        assert!(err.to_string().contains("--args-hex"), "{err}");
        raw.args_hex = Some("0x000401".to_string());
        let sudo = rt.metadata.pallet("Sudo").unwrap().index;
        let sudo_call = rt.metadata.call_indices("Sudo", "sudo").unwrap().1;
        assert_eq!(
            call_bytes(&raw, &table, Some(&rt)).unwrap(),
            [sudo, sudo_call, 0, 4, 1]
        );
    }
}
