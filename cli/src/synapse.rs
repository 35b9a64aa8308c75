//! `taolite synapse …` (to be filled in).

use std::process::ExitCode;

use clap::Subcommand;

use crate::CliError;

#[derive(Subcommand)]
pub(crate) enum SynapseCommand {
    /// Not yet implemented.
    Todo,
}

pub(crate) fn run(command: SynapseCommand) -> Result<ExitCode, CliError> {
    match command {
        SynapseCommand::Todo => Err("not yet implemented".into()),
    }
}
