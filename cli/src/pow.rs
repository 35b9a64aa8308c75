//! `taolite pow …` (to be filled in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum PowCommand {
    /// Not yet implemented.
    Todo,
}

pub(crate) fn run(command: PowCommand) -> Result<ExitCode, CliError> {
    match command {
        PowCommand::Todo => Err("not yet implemented".into()),
    }
}
