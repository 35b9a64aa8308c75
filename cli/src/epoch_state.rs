//! `taolite epoch verify-state INPUTS OUTPUTS`: the epoch checked against a node's storage.
//!
//! INPUTS is a state dump (schema `taolite.state-dump.v1`, documented in
//! `taolite_codec::epoch_state`) of the subnet at the block before its epoch ran; OUTPUTS
//! the dump at the block the epoch ran in. The inputs are decoded, the epoch rerun, and
//! every stored output compared per hotkey. Exit 0 when all match, 1 on a difference (or
//! when the epoch refuses the decoded input), 2 on an unreadable or malformed dump.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use serde_json::json;
use taolite_codec::epoch_state::{epoch_input, verify_state, StateDump};

use crate::CliError;

/// Prints a line; a closed stdout (`| head`) ends the output instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

#[derive(Args)]
pub(crate) struct VerifyStateArgs {
    /// State dump before the epoch's block (the epoch's inputs).
    inputs: PathBuf,
    /// State dump after the epoch's block (the stored outputs). Without it, the decoded
    /// epoch input is printed as JSON in the vectors' schema.
    outputs: Option<PathBuf>,
    /// Print the verdict as JSON.
    #[arg(long)]
    json: bool,
}

fn read_dump(path: &Path) -> Result<StateDump, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    StateDump::from_json(&text).map_err(|e| format!("{}: {e}", path.display()).into())
}

pub(crate) fn run(args: &VerifyStateArgs) -> Result<ExitCode, CliError> {
    let inputs = read_dump(&args.inputs)?;
    let Some(outputs) = &args.outputs else {
        let input = epoch_input(&inputs).map_err(|e| format!("{}: {e}", args.inputs.display()))?;
        say!("{}", serde_json::to_string_pretty(&input)?);
        return Ok(ExitCode::SUCCESS);
    };
    let outputs = read_dump(outputs)?;
    let report = verify_state(&inputs, &outputs)?;
    let code = if report.is_match() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    if args.json {
        let differences: Vec<_> = report
            .differences
            .iter()
            .map(|d| json!({"uid": d.uid, "field": d.field, "stored": d.expected, "computed": d.computed}))
            .collect();
        let verdict = json!({
            "match": report.is_match(),
            "netuid": inputs.netuid,
            "mechanism": inputs.mechanism,
            "current_block": report.input.current_block,
            "compared": report.compared,
            "epoch_error": report.epoch_error.map(|e| e.to_string()),
            "differences": differences,
            "skipped": report.skipped,
        });
        say!("{}", serde_json::to_string_pretty(&verdict)?);
        return Ok(code);
    }
    say!(
        "subnet {} mechanism {}: epoch at block {}, n = {}, {} hotkey records compared",
        inputs.netuid,
        inputs.mechanism,
        report.input.current_block,
        report.input.n,
        report.compared
    );
    if let Some(e) = &report.epoch_error {
        say!("the epoch refused the decoded input: {e}");
    }
    for d in &report.differences {
        match d.uid {
            Some(uid) => say!(
                "uid {uid} {}: stored {}, computed {}",
                d.field,
                d.expected,
                d.computed
            ),
            None => say!(
                "{}: stored {}, computed {}",
                d.field,
                d.expected,
                d.computed
            ),
        }
    }
    for s in &report.skipped {
        say!("not compared: {s}");
    }
    if report.is_match() {
        say!("all stored values match");
    } else {
        say!("{} differences", report.differences.len());
    }
    Ok(code)
}
