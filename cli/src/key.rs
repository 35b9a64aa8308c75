//! `taolite key …`: inspect a secret URI, sign, verify, convert SS58 addresses.
//!
//! A thin layer over `taolite_core::keys`; output mirrors Substrate's `subkey`.

use std::process::ExitCode;

use clap::{Args, Subcommand};
use taolite_core::hex::{decode_array, decode_vec, encode_prefixed};
use taolite_core::keys::{Keypair, PublicKey, SecretUri, Signature};
use taolite_core::ss58::{self, BITTENSOR_PREFIX};

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum KeyCommand {
    /// Show the public key, account id, SS58 address and (when known) secret seed of a
    /// secret URI such as `//Alice` or `"<mnemonic>//hard/soft///password"`.
    Inspect(InspectArgs),
    /// Sign a message with the key of a secret URI (context `substrate`); prints the
    /// 64-byte signature in hex. sr25519 signatures are randomized.
    Sign(SignArgs),
    /// Verify an sr25519 signature. Exit code 0: valid; 1: invalid.
    Verify(VerifyArgs),
    /// Decode an SS58 address (or take 0x + 32-byte hex) and re-encode it.
    Ss58(Ss58Args),
}

#[derive(Args)]
pub(crate) struct InspectArgs {
    /// Secret URI: `phrase`, `0x<32-byte seed>`, then `//hard`, `/soft`, `///password`;
    /// with no phrase the Substrate development phrase is used.
    /// With --public: an SS58 address or 0x public key, optionally with /soft junctions.
    uri: String,
    /// SS58 network prefix for the address (42 = Bittensor/Substrate).
    #[arg(long, short = 'n', default_value_t = BITTENSOR_PREFIX)]
    network_prefix: u16,
    /// The input is a public key, not a secret.
    #[arg(long)]
    public: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(crate) struct SignArgs {
    /// Secret URI of the signing key.
    uri: String,
    /// The message: text, or `0x`-prefixed hex for raw bytes.
    #[arg(long, short = 'm')]
    message: String,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// Public key: SS58 address (any prefix) or `0x` + 32-byte hex.
    public: String,
    /// The message: text, or `0x`-prefixed hex for raw bytes.
    #[arg(long, short = 'm')]
    message: String,
    /// The 64-byte signature in hex.
    #[arg(long, short = 's')]
    signature: String,
    /// Also accept a signature of `<Bytes>message</Bytes>` (polkadot-js extensions;
    /// bittensor's wallet accepts these). Off by default, as in Substrate.
    #[arg(long)]
    allow_bytes_wrapper: bool,
}

#[derive(Args)]
pub(crate) struct Ss58Args {
    /// An SS58 address (any prefix) or `0x` + 32-byte hex public key / account id.
    address: String,
    /// Network prefix to encode with.
    #[arg(long, short = 'p', default_value_t = BITTENSOR_PREFIX)]
    prefix: u16,
}

pub(crate) fn run(command: KeyCommand) -> Result<ExitCode, CliError> {
    match command {
        KeyCommand::Inspect(args) => inspect(&args),
        KeyCommand::Sign(args) => sign(&args),
        KeyCommand::Verify(args) => verify(&args),
        KeyCommand::Ss58(args) => convert_ss58(&args),
    }
}

fn inspect(args: &InspectArgs) -> Result<ExitCode, CliError> {
    let (public, seed) = if args.public {
        (public_with_path(&args.uri)?, None)
    } else {
        let pair = Keypair::from_suri(&args.uri)?;
        let seed = pair.mini_secret().map(|s| encode_prefixed(s.as_bytes()));
        (pair.public(), seed)
    };
    let public_hex = encode_prefixed(&public.to_bytes());
    let address = public.to_ss58(args.network_prefix)?;
    if args.json {
        let value = serde_json::json!({
            "secretSeed": seed,
            "publicKey": public_hex,
            "accountId": public_hex,
            "ss58Address": address.as_str(),
            "networkPrefix": args.network_prefix,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        if args.public {
            println!("Public Key URI `{}` is account:", args.uri);
        } else {
            println!("Secret Key URI `{}` is account:", args.uri);
            let seed = seed
                .as_deref()
                .unwrap_or("n/a (a soft junction makes it random)");
            println!("  Secret seed:       {seed}");
        }
        println!("  Network prefix:    {}", args.network_prefix);
        println!("  Public key (hex):  {public_hex}");
        println!("  Account ID:        {public_hex}");
        println!("  SS58 Address:      {address}");
    }
    Ok(ExitCode::SUCCESS)
}

/// An SS58 address or `0x` public key, followed by soft junctions only.
fn public_with_path(text: &str) -> Result<PublicKey, CliError> {
    let split = text.find('/').unwrap_or(text.len());
    let (base, path) = text.split_at(split);
    let public = PublicKey::from_bytes(&public_key_bytes(base)?)?;
    if path.is_empty() {
        return Ok(public);
    }
    // Parse the path with the secret URI grammar (a phrase of "x" stands in).
    let uri = format!("x{path}");
    let parsed = SecretUri::parse(&uri)?;
    if parsed.password().is_some() {
        return Err("a public key has no password (///)".into());
    }
    Ok(public.derive(parsed.junctions())?)
}

/// 32 bytes from an SS58 address (any prefix) or `0x` hex.
fn public_key_bytes(text: &str) -> Result<[u8; 32], CliError> {
    if text.starts_with("0x") {
        Ok(decode_array::<32>(text)?)
    } else {
        Ok(ss58::decode(text)?.1)
    }
}

/// Text, or raw bytes for `0x`-prefixed hex.
fn message_bytes(message: &str) -> Result<Vec<u8>, CliError> {
    if message.starts_with("0x") {
        Ok(decode_vec(message)?)
    } else {
        Ok(message.as_bytes().to_vec())
    }
}

fn sign(args: &SignArgs) -> Result<ExitCode, CliError> {
    let pair = Keypair::from_suri(&args.uri)?;
    let signature = pair.sign(&message_bytes(&args.message)?);
    println!("{signature}");
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &VerifyArgs) -> Result<ExitCode, CliError> {
    let public = PublicKey::from_bytes(&public_key_bytes(&args.public)?)?;
    let message = message_bytes(&args.message)?;
    let signature = Signature::from_hex(&args.signature)?;
    let result = if args.allow_bytes_wrapper {
        public.verify_allowing_bytes_wrapper(&message, &signature)
    } else {
        public.verify(&message, &signature)
    };
    match result {
        Ok(()) => {
            println!("valid");
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            println!("invalid: {reason}");
            Ok(ExitCode::from(1))
        }
    }
}

fn convert_ss58(args: &Ss58Args) -> Result<ExitCode, CliError> {
    let (from, bytes) = if args.address.starts_with("0x") {
        (None, decode_array::<32>(&args.address)?)
    } else {
        let (prefix, bytes) = ss58::decode(&args.address)?;
        (Some(prefix), bytes)
    };
    if let Some(prefix) = from {
        println!("Input prefix:      {prefix}");
    }
    println!("Public key (hex):  {}", encode_prefixed(&bytes));
    println!(
        "SS58 ({:>5}):      {}",
        args.prefix,
        ss58::encode(&bytes, args.prefix)?
    );
    Ok(ExitCode::SUCCESS)
}
