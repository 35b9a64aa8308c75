//! `taolite key …` (to be filled in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum KeyCommand {
    /// Not yet implemented.
    Todo,
}

pub(crate) fn run(command: KeyCommand) -> Result<ExitCode, CliError> {
    match command {
        KeyCommand::Todo => Err("not yet implemented".into()),
    }
}
