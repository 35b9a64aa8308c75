//! `taolite epoch …`: run, verify, trace and time the Yuma epoch on JSON files in the
//! shared vectors' schema.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use serde::de::IgnoredAny;
use serde::Deserialize;
use taolite_yuma::case::{Case, UnitTests};
use taolite_yuma::{
    compare, epoch, epoch_with_trace, EpochError, EpochInput, EpochOutput, EpochScratch,
};

use crate::CliError;

#[path = "epoch_state.rs"]
mod epoch_state;

const UNIT_SCHEMA: &str = "taolite.yuma.unit-epoch-tests.v1";
/// Differences printed per case before eliding the rest.
const MAX_LINES_PER_CASE: usize = 20;

#[derive(Subcommand)]
pub(crate) enum EpochCommand {
    /// Run the epoch on a case (or bare input) file and print the per-uid outputs.
    Run(RunArgs),
    /// Run cases and compare with their expected outputs (and traces where present).
    /// Exit 0 when everything matches, 1 on a mismatch, 2 on unreadable input.
    Verify(VerifyArgs),
    /// Print the intermediate vectors of the epoch as JSON (the vectors' trace form).
    Trace(TraceArgs),
    /// Time the epoch on one input (JSON parsing excluded): each call on its own, then
    /// back to back in one reused `EpochScratch`.
    Bench(BenchArgs),
    /// Verify the epoch against a node's storage: a state dump before the epoch's block and
    /// one after it. Exit 0 when every stored output matches, 1 on a difference, 2 on a bad dump.
    VerifyState(epoch_state::VerifyStateArgs),
}

#[derive(Args)]
pub(crate) struct RunArgs {
    /// A case file (its `input` is used) or a bare input object.
    file: PathBuf,
    /// Print the output as JSON (`{"terms": [...]}`) instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// Case files, unit-test sequence files, or folders of them (searched recursively).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Args)]
pub(crate) struct TraceArgs {
    /// A case file or a bare input object.
    file: PathBuf,
}

#[derive(Args)]
pub(crate) struct BenchArgs {
    /// A case file or a bare input object.
    file: PathBuf,
    /// Number of timed runs.
    #[arg(long, default_value_t = 100)]
    iters: u32,
}

pub(crate) fn run(command: EpochCommand) -> Result<ExitCode, CliError> {
    match command {
        EpochCommand::Run(args) => run_one(&args),
        EpochCommand::Verify(args) => verify_all(&args.files),
        EpochCommand::Trace(args) => trace_one(&args.file),
        EpochCommand::Bench(args) => bench_one(&args),
        EpochCommand::VerifyState(args) => epoch_state::run(&args),
    }
}

fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()).into())
}

/// Reads the epoch input of a case file, or a file holding just an input object.
fn read_input(path: &Path) -> Result<EpochInput, CliError> {
    #[derive(Deserialize)]
    struct WithInput {
        input: EpochInput,
    }
    let text = read(path)?;
    if let Ok(case) = serde_json::from_str::<WithInput>(&text) {
        return Ok(case.input);
    }
    serde_json::from_str::<EpochInput>(&text)
        .map_err(|e| format!("{}: neither a case nor an epoch input: {e}", path.display()).into())
}

fn run_one(args: &RunArgs) -> Result<ExitCode, CliError> {
    let input = read_input(&args.file)?;
    let output = epoch(&input)?;
    warn_anomalies(&input);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        print_table(&output);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(output: &EpochOutput) {
    println!(
        "{:>5} {:>20} {:>6} {:>6} {:>6} {:>9} {:>9} {:>8} {:>8} {:>16} {:>16} {:>16} {:>5}",
        "uid",
        "stake",
        "weight",
        "active",
        "permit",
        "consensus",
        "incentive",
        "dividend",
        "v_trust",
        "server_emission",
        "validator_em",
        "emission",
        "bonds"
    );
    for (i, term) in output.terms.iter().enumerate() {
        let Some(t) = term else {
            println!("{i:>5} (no hotkey)");
            continue;
        };
        println!(
            "{:>5} {:>20} {:>6} {:>6} {:>6} {:>9} {:>9} {:>8} {:>8} {:>16} {:>16} {:>16} {:>5}",
            t.uid,
            t.stake,
            t.stake_weight,
            t.active,
            t.new_validator_permit,
            t.consensus,
            t.incentive,
            t.dividend,
            t.validator_trust,
            t.server_emission,
            t.validator_emission,
            t.emission,
            output.bond(i).len()
        );
    }
}

/// Storage anomalies go to stderr, so stdout stays a table or JSON.
fn warn_anomalies(input: &EpochInput) {
    for warning in taolite_yuma::anomalies(input) {
        eprintln!("warning: {warning}");
    }
}

fn trace_one(path: &Path) -> Result<ExitCode, CliError> {
    let input = read_input(path)?;
    let (_, trace) = epoch_with_trace(&input)?;
    warn_anomalies(&input);
    println!("{}", serde_json::to_string(&trace)?);
    Ok(ExitCode::SUCCESS)
}

fn bench_one(args: &BenchArgs) -> Result<ExitCode, CliError> {
    let input = read_input(&args.file)?;
    let iters = args.iters.max(1);
    epoch(&input)?; // warm-up, and refuse bad input before timing
    let nnz = input.weights.nnz();
    println!(
        "n = {}, {} weights, {} bonds, {iters} runs each:",
        input.n,
        nnz,
        input.bonds.nnz(),
    );
    // Each call on its own, as `epoch` is called once per tempo; then back to back in
    // one scratch, as a verifier of many epochs runs them.
    let fresh = median_and_min(iters, || epoch(&input))?;
    let mut scratch = EpochScratch::new();
    let reused = median_and_min(iters, || scratch.epoch(&input))?;
    for (label, (median, min)) in [("epoch", fresh), ("EpochScratch::epoch", reused)] {
        println!(
            "  {label:<20} median {:.3} ms, min {:.3} ms",
            median.as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3,
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The median and the minimum time of `iters` calls of `run` (its output dropped
/// outside the timing).
fn median_and_min(
    iters: u32,
    mut run: impl FnMut() -> Result<EpochOutput, EpochError>,
) -> Result<(Duration, Duration), CliError> {
    let mut times = Vec::with_capacity(iters as usize);
    for _ in 0..iters {
        let start = Instant::now();
        let out = run()?;
        times.push(start.elapsed());
        drop(std::hint::black_box(out));
    }
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let min = times.first().copied().unwrap_or_default();
    Ok((median, min))
}

/// Outcome counts of a verify run.
#[derive(Default)]
struct Tally {
    matched: usize,
    mismatched: usize,
    bad: usize,
    skipped: usize,
}

fn verify_all(paths: &[PathBuf]) -> Result<ExitCode, CliError> {
    let mut tally = Tally::default();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            collect_json(path, &mut files, &mut tally);
            files.sort();
            for file in files {
                verify_file(&file, true, &mut tally);
            }
        } else {
            verify_file(path, false, &mut tally);
        }
    }
    println!(
        "{} matched, {} mismatched, {} unreadable, {} skipped",
        tally.matched, tally.mismatched, tally.bad, tally.skipped
    );
    Ok(if tally.bad > 0 {
        ExitCode::from(2)
    } else if tally.mismatched > 0 || tally.matched == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn collect_json(dir: &Path, files: &mut Vec<PathBuf>, tally: &mut Tally) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("BAD   {}: {e}", dir.display());
            tally.bad += 1;
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, files, tally);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

/// Verifies one file. In a folder, files of another schema (an index) are skipped; a
/// file named on the command line must be a case or a unit-test sequence.
fn verify_file(path: &Path, in_folder: bool, tally: &mut Tally) {
    #[derive(Deserialize)]
    struct Probe {
        schema: Option<String>,
        input: Option<IgnoredAny>,
    }
    let file = path.display();
    let text = match read(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("BAD   {e}");
            tally.bad += 1;
            return;
        }
    };
    let probe = serde_json::from_str::<Probe>(&text).ok();
    let schema = probe.as_ref().and_then(|p| p.schema.as_deref());
    let has_input = probe.as_ref().is_some_and(|p| p.input.is_some());
    if schema == Some(UNIT_SCHEMA) {
        match serde_json::from_str::<UnitTests>(&text) {
            Ok(tests) => {
                for test in &tests.tests {
                    for (k, step) in test.steps.iter().enumerate() {
                        let name = format!("{} step {k}", test.test);
                        check(path, &name, &step.input, &step.expected, None, tally);
                    }
                }
            }
            Err(e) => {
                eprintln!("BAD   {file}: {e}");
                tally.bad += 1;
            }
        }
    } else if has_input || !in_folder {
        match serde_json::from_str::<Case>(&text) {
            Ok(case) => check(
                path,
                &case.name,
                &case.input,
                &case.expected,
                case.trace.as_ref(),
                tally,
            ),
            Err(e) => {
                eprintln!("BAD   {file}: not a yuma case: {e}");
                tally.bad += 1;
            }
        }
    } else {
        // An index or another kind of vector file next to the cases.
        println!(
            "skip  {file} (not a case: schema {})",
            schema.unwrap_or("none")
        );
        tally.skipped += 1;
    }
}

fn check(
    path: &Path,
    name: &str,
    input: &EpochInput,
    expected: &EpochOutput,
    expected_trace: Option<&taolite_yuma::Trace>,
    tally: &mut Tally,
) {
    let file = path.display();
    let (output, trace) = match epoch_with_trace(input) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("BAD   {file} ({name}): input refused: {e}");
            tally.bad += 1;
            return;
        }
    };
    let mut lines: Vec<String> = compare(expected, &output)
        .iter()
        .map(ToString::to_string)
        .collect();
    if let Some(t) = expected_trace {
        lines.extend(trace.differences_from(t).iter().map(ToString::to_string));
    }
    let warnings = taolite_yuma::anomalies(input);
    let print_warnings = || {
        for warning in &warnings {
            println!("        warning: {warning}");
        }
    };
    if lines.is_empty() {
        println!("ok    {name} ({file})");
        print_warnings();
        tally.matched += 1;
        return;
    }
    println!("FAIL  {name} ({file}): {} differences", lines.len());
    print_warnings();
    for line in lines.iter().take(MAX_LINES_PER_CASE) {
        println!("        {line}");
    }
    if lines.len() > MAX_LINES_PER_CASE {
        println!("        … {} more", lines.len() - MAX_LINES_PER_CASE);
    }
    tally.mismatched += 1;
}
