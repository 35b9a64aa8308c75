//! `taolite epoch …` (to be filled in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum EpochCommand {
    /// Not yet implemented.
    Todo,
}

pub(crate) fn run(command: EpochCommand) -> Result<ExitCode, CliError> {
    match command {
        EpochCommand::Todo => Err("not yet implemented".into()),
    }
}
