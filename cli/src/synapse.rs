//! `taolite synapse …`: sign and verify bittensor Synapse requests given as header JSON
//! (an object of header name to string, order kept) and an optional JSON body, and
//! convert them to and from taolite's compact envelope.

use std::io::Read;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use taolite_codec::synapse::{
    body_hash_from_json, parse_json_unique_keys, sign_dendrite, verify_request, BodyHash, Envelope,
    PyValue, RequestHeaders, Sr25519, SynapseHeaders, VerifyConfig,
};
use taolite_core::hex::{decode_vec, encode_prefixed};
use taolite_core::keys::Keypair;
use taolite_core::AccountId32;

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum SynapseCommand {
    /// Sign a request as a dendrite: sets the nonce, hotkey, body hash and signature
    /// headers and prints the signed header JSON.
    Sign(SignArgs),
    /// Verify a request as an axon (bittensor's `default_verify`). Exit code 0:
    /// accepted; 1: rejected, naming the check that failed.
    Verify(VerifyArgs),
    /// Encode headers (and optionally the body) as a taolite envelope, printed as hex.
    Encode(EncodeArgs),
    /// Decode a hex envelope to header JSON (and the body, with --body-out).
    Decode(DecodeArgs),
}

#[derive(Args)]
pub(crate) struct BodyArgs {
    /// The JSON body file (`-` for stdin); its hash fields give `computed_body_hash`.
    #[arg(long)]
    body: Option<String>,
    /// A required hash field of the Synapse class, in class order (repeat the option).
    #[arg(long = "hash-field")]
    hash_fields: Vec<String>,
}

#[derive(Args)]
pub(crate) struct SignArgs {
    /// Header JSON file (`-` for stdin). Needs `bt_header_axon_hotkey` and
    /// `bt_header_dendrite_uuid`.
    #[arg(long)]
    headers: String,
    #[command(flatten)]
    body: BodyArgs,
    /// Secret URI of the dendrite hotkey, e.g. `//Alice` or a mnemonic with a path.
    #[arg(long)]
    key: String,
    /// Nonce in Unix nanoseconds (default: now).
    #[arg(long)]
    nonce: Option<u64>,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// Header JSON file (`-` for stdin).
    #[arg(long)]
    headers: String,
    #[command(flatten)]
    body: BodyArgs,
    /// The verifying axon's hotkey (SS58); default: the request's `bt_header_axon_hotkey`.
    #[arg(long)]
    axon_hotkey: Option<String>,
    /// The axon's clock in Unix nanoseconds (default: now).
    #[arg(long)]
    now: Option<u64>,
    /// The last nonce accepted from this dendrite hotkey and uuid, if any.
    #[arg(long)]
    last_nonce: Option<u64>,
    /// Decide exactly as the bittensor SDK does (accepts unsigned requests, nonces from
    /// the future…) instead of taolite's strict rules.
    #[arg(long)]
    sdk: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(crate) struct EncodeArgs {
    /// Header JSON file (`-` for stdin).
    #[arg(long)]
    headers: String,
    /// Body file to carry in the envelope (`-` for stdin).
    #[arg(long)]
    body: Option<String>,
}

#[derive(Args)]
pub(crate) struct DecodeArgs {
    /// The envelope as hex (`0x` optional), or `-` to read it from stdin.
    envelope: String,
    /// Write the carried body to this file.
    #[arg(long)]
    body_out: Option<String>,
}

pub(crate) fn run(command: SynapseCommand) -> Result<ExitCode, CliError> {
    match command {
        SynapseCommand::Sign(args) => sign(&args),
        SynapseCommand::Verify(args) => verify(&args),
        SynapseCommand::Encode(args) => encode(&args),
        SynapseCommand::Decode(args) => decode(&args),
    }
}

/// A file's text, or stdin's for `-`.
fn read_input(path: &str) -> Result<String, CliError> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}").into())
    }
}

/// A header JSON object, in file order (header order matters to bittensor's form).
fn read_headers(path: &str) -> Result<Vec<(String, String)>, CliError> {
    let text = read_input(path)?;
    let PyValue::Dict(entries) = parse_json_unique_keys(&text)? else {
        return Err("headers must be a JSON object of name to string".into());
    };
    entries
        .into_iter()
        .map(|(name, value)| match value {
            PyValue::Str(value) => Ok((name, value)),
            _ => Err(format!("header {name:?} is not a JSON string").into()),
        })
        .collect()
}

/// Header pairs as a JSON object, in order.
fn headers_json(pairs: &[(String, String)]) -> Result<String, CliError> {
    let mut out = String::from("{");
    for (index, (name, value)) in pairs.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        out.push_str(&serde_json::to_string(name)?);
        out.push_str(": ");
        out.push_str(&serde_json::to_string(value)?);
    }
    out.push('}');
    Ok(out)
}

fn now_ns() -> Result<u64, CliError> {
    let since = SystemTime::now().duration_since(UNIX_EPOCH)?;
    Ok(u64::try_from(since.as_nanos())?)
}

/// The body hash of `--body` for `--hash-field`s, if a body was given.
fn body_hash(args: &BodyArgs) -> Result<Option<BodyHash>, CliError> {
    let Some(path) = &args.body else {
        if !args.hash_fields.is_empty() {
            return Err("--hash-field needs --body".into());
        }
        return Ok(None);
    };
    let body = read_input(path)?;
    let fields: Vec<&str> = args.hash_fields.iter().map(String::as_str).collect();
    Ok(Some(body_hash_from_json(&body, &fields)?))
}

fn sign(args: &SignArgs) -> Result<ExitCode, CliError> {
    let pairs = read_headers(&args.headers)?;
    let mut headers = SynapseHeaders::from_headers(&pairs)?;
    let hash = match body_hash(&args.body)? {
        Some(hash) => hash,
        None => *headers.computed_body_hash.typed().ok_or(
            "give --body (and --hash-field) or a computed_body_hash header of 64 hex digits",
        )?,
    };
    let keypair = Keypair::from_suri(&args.key)?;
    let nonce = match args.nonce {
        Some(nonce) => nonce,
        None => now_ns()?,
    };
    sign_dendrite(&mut headers, &keypair, nonce, hash)?;
    println!("{}", headers_json(&headers.to_headers())?);
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &VerifyArgs) -> Result<ExitCode, CliError> {
    let pairs = read_headers(&args.headers)?;
    let request = RequestHeaders::from_headers(&pairs)?;
    let axon_hotkey = match (args.axon_hotkey.as_deref(), request.axon_hotkey) {
        (Some(text), _) | (None, Some(text)) => text,
        (None, None) => return Err("give --axon-hotkey or a bt_header_axon_hotkey header".into()),
    };
    let own = AccountId32::from_ss58(axon_hotkey)?;
    let now = match args.now {
        Some(now) => now,
        None => now_ns()?,
    };
    let config = if args.sdk {
        VerifyConfig::SDK
    } else {
        VerifyConfig::STRICT
    };
    // The axon also checks that the body matches the signed body hash.
    let body_check = match body_hash(&args.body)? {
        None => Ok(()),
        Some(hash) => {
            let claimed = request.computed_body_hash.unwrap_or("");
            if claimed == hash.to_string() {
                Ok(())
            } else {
                Err(format!(
                    "body hash {hash} does not match computed_body_hash {claimed:?}"
                ))
            }
        }
    };
    let outcome = body_check.and_then(|()| {
        verify_request(&request, &own, now, args.last_nonce, &config, &Sr25519)
            .map_err(|e| format!("{e:?}: {e}"))
    });
    match (&outcome, args.json) {
        (Ok(accepted), true) => println!(
            "{}",
            serde_json::json!({
                "result": "accept",
                "nonce": accepted.nonce,
                "dendrite": accepted.dendrite.to_ss58_bittensor().as_str(),
            })
        ),
        (Ok(accepted), false) => println!(
            "accepted: nonce {} from {}",
            accepted.nonce,
            accepted.dendrite.to_ss58_bittensor()
        ),
        (Err(reason), true) => println!(
            "{}",
            serde_json::json!({ "result": "reject", "reason": reason })
        ),
        (Err(reason), false) => println!("rejected: {reason}"),
    }
    Ok(if outcome.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn encode(args: &EncodeArgs) -> Result<ExitCode, CliError> {
    let pairs = read_headers(&args.headers)?;
    let headers = SynapseHeaders::from_headers(&pairs)?;
    let body = match &args.body {
        Some(path) => Some(read_input(path)?.into_bytes()),
        None => None,
    };
    println!("{}", encode_prefixed(&Envelope { headers, body }.encode()));
    Ok(ExitCode::SUCCESS)
}

fn decode(args: &DecodeArgs) -> Result<ExitCode, CliError> {
    let text = if args.envelope == "-" {
        read_input("-")?
    } else {
        args.envelope.clone()
    };
    let envelope = Envelope::decode(&decode_vec(text.trim())?)?;
    println!("{}", headers_json(&envelope.headers.to_headers())?);
    match (&args.body_out, &envelope.body) {
        (Some(path), Some(body)) => std::fs::write(path, body)?,
        (Some(_), None) => return Err("the envelope carries no body".into()),
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}
