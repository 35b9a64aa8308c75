//! The `taolite` command-line tool: thin translation from arguments to the library crates.
//!
//! Exit codes: 0 success, 1 a check failed (a signature or vector that does not verify),
//! 2 bad usage or input.

mod epoch;
mod key;
mod pow;
mod synapse;
mod tx;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Check, sign and mine for the Bittensor network without trusting a node.
#[derive(Parser)]
#[command(name = "taolite", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// sr25519 keys: inspect a secret URI, sign, verify, convert SS58.
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// The Yuma consensus epoch: run, verify, trace, bench.
    #[command(subcommand)]
    Epoch(epoch::EpochCommand),
    /// Registration proof of work: solve, verify, bench.
    #[command(subcommand)]
    Pow(pow::PowCommand),
    /// Extrinsics: build, sign and decode subtensor calls.
    #[command(subcommand)]
    Tx(tx::TxCommand),
    /// Synapse requests: sign and verify the dendrite/axon envelope.
    #[command(subcommand)]
    Synapse(synapse::SynapseCommand),
}

/// Errors a subcommand reports; printed on stderr with exit code 2.
pub(crate) type CliError = Box<dyn std::error::Error>;

/// Rust ignores SIGPIPE, so printing into a closed pipe (`taolite … | head`) would
/// panic; restore the default action so the tool ends quietly like other Unix tools.
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    default_sigpipe();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Key(cmd) => key::run(cmd),
        Command::Epoch(cmd) => epoch::run(cmd),
        Command::Pow(cmd) => pow::run(cmd),
        Command::Tx(cmd) => tx::run(cmd),
        Command::Synapse(cmd) => synapse::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
