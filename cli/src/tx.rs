//! `taolite tx …` (to be filled in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum TxCommand {
    /// Not yet implemented.
    Todo,
}

pub(crate) fn run(command: TxCommand) -> Result<ExitCode, CliError> {
    match command {
        TxCommand::Todo => Err("not yet implemented".into()),
    }
}
