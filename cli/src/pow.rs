//! `taolite pow …`: solve, verify and benchmark the registration proof of work.
//!
//! A thin layer over `taolite_pow`; the only logic here is presentation (progress bar,
//! the block-window budget) and choosing a backend.

use std::num::NonZeroUsize;
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use taolite_core::hex::{decode_array, encode_prefixed};
use taolite_core::{AccountId32, H256};
use taolite_pow::{
    verify, Backend, Control, Difficulty, Isa, Job, NoControl, NonceRange, Outcome, PowError, Rule,
    Scalar, Simd, Threads, Work,
};

use crate::CliError;

/// Blocks in which a solution computed on head `N` can still be included: `N+1`, `N+2`
/// (the chain requires `current − N < 3`, and block `N` itself is already built).
const BLOCK_WINDOW: f64 = 2.0;

#[derive(Subcommand)]
pub(crate) enum PowCommand {
    /// Search for a nonce whose seal meets the difficulty, with a progress bar.
    /// Exit code 0: solved; 1: the nonce space was exhausted.
    Solve(SolveArgs),
    /// Check a nonce (and optionally the submitted work) as the chain does.
    /// Exit code 0: valid; 1: invalid.
    Verify(VerifyArgs),
    /// Measure seals per second of every backend available on this machine.
    Bench(BenchArgs),
}

/// The block and key the seal is bound to, and the byte-order rule.
#[derive(Args)]
pub(crate) struct WorkArgs {
    /// Block hash of the chosen block: 32 bytes of hex (`0x` optional).
    #[arg(long)]
    block_hash: String,
    /// The key in the seal: hotkey for `register`, coldkey for `faucet`. SS58 address or
    /// 32 bytes of hex (`0x` optional).
    #[arg(long, alias = "coldkey")]
    hotkey: String,
    /// Difficulty: decimal, or hex with `0x`.
    #[arg(long)]
    difficulty: String,
    /// Read the seal big-endian, as chains before v3.1.6 (mid-2025), the Python SDK and
    /// cubit do. The default is the current chain's little-endian rule.
    #[arg(long)]
    legacy_byte_order: bool,
}

#[derive(Args)]
pub(crate) struct SolveArgs {
    #[command(flatten)]
    work: WorkArgs,
    /// Which solver to use.
    #[arg(long, value_enum, default_value_t = BackendChoice::Auto)]
    backend: BackendChoice,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<NonZeroUsize>,
    /// First nonce tried; the search wraps around after u64::MAX.
    #[arg(long, default_value_t = 0)]
    start_nonce: u64,
    /// Seconds per block, for the time budget (12 on mainnet, 0.25 on a fast localnet).
    #[arg(long, default_value_t = 12.0)]
    block_time: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    work: WorkArgs,
    /// The nonce to check.
    #[arg(long)]
    nonce: u64,
    /// The submitted `work` (32-byte seal, hex). Default: the seal of the nonce, so only
    /// the difficulty is checked.
    #[arg(long)]
    seal: Option<String>,
}

#[derive(Args)]
pub(crate) struct BenchArgs {
    /// Seconds per backend.
    #[arg(long, default_value_t = 2.0)]
    seconds: f64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BackendChoice {
    /// The fastest CPU backend: SIMD if the CPU has it, on every thread.
    Auto,
    /// Portable one-nonce-at-a-time code, on every thread.
    Scalar,
    /// AVX2 or AVX-512, on every thread; an error if the CPU has neither.
    Simd,
    /// wgpu compute shader.
    Gpu,
}

pub(crate) fn run(command: PowCommand) -> Result<ExitCode, CliError> {
    match command {
        PowCommand::Solve(args) => solve(&args),
        PowCommand::Verify(args) => verify_command(&args),
        PowCommand::Bench(args) => bench(&args),
    }
}

struct Parsed {
    block_hash: H256,
    key: AccountId32,
    difficulty: Difficulty,
    rule: Rule,
}

fn parse_work(args: &WorkArgs) -> Result<Parsed, CliError> {
    let block_hash =
        H256(decode_array(&args.block_hash).map_err(|e| format!("--block-hash: {e}"))?);
    let key = parse_key(&args.hotkey)?;
    let difficulty =
        Difficulty::parse(&args.difficulty).map_err(|e| format!("--difficulty: {e}"))?;
    let rule = if args.legacy_byte_order {
        Rule::LegacyBigEndian
    } else {
        Rule::LittleEndian
    };
    Ok(Parsed {
        block_hash,
        key,
        difficulty,
        rule,
    })
}

/// SS58 of any prefix, `0x` + hex, or 64 bare hex digits.
fn parse_key(text: &str) -> Result<AccountId32, CliError> {
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(AccountId32(
            decode_array(text).map_err(|e| format!("--hotkey: {e}"))?,
        ));
    }
    AccountId32::from_str(text).map_err(|e| format!("--hotkey: {e}").into())
}

fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::LittleEndian => "little-endian (chain ≥ v3.1.6)",
        Rule::LegacyBigEndian => "legacy big-endian",
    }
}

type DynBackend = Box<dyn Backend + Sync>;

fn choose_backend(choice: BackendChoice, threads: NonZeroUsize) -> Result<DynBackend, CliError> {
    match choice {
        BackendChoice::Auto => Ok(Box::new(Threads::new(Simd::detect(), threads))),
        BackendChoice::Scalar => Ok(Box::new(Threads::new(Scalar, threads))),
        BackendChoice::Simd => match Simd::detect() {
            simd if simd.isa() != Isa::Scalar => Ok(Box::new(Threads::new(simd, threads))),
            _ => Err("--backend simd: this CPU has neither AVX2 nor AVX-512".into()),
        },
        #[cfg(feature = "gpu")]
        BackendChoice::Gpu => match taolite_pow::Gpu::new() {
            Ok(gpu) => {
                eprintln!("gpu adapter: {}", gpu.adapter_name());
                Ok(Box::new(gpu))
            }
            Err(e) => Err(format!("--backend gpu: {e}").into()),
        },
        #[cfg(not(feature = "gpu"))]
        BackendChoice::Gpu => Err(
            "--backend gpu: this binary was built without the GPU backend (cli feature `gpu`)"
                .into(),
        ),
    }
}

fn backend_label(choice: BackendChoice) -> String {
    match choice {
        BackendChoice::Auto | BackendChoice::Simd => {
            format!("simd-{}", Simd::detect().isa().name())
        }
        BackendChoice::Scalar => "scalar".into(),
        BackendChoice::Gpu => "gpu".into(),
    }
}

/// Counts seals for the progress bar and stops on request.
struct Progress {
    hashes: AtomicU64,
    stop: AtomicBool,
}

impl Control for Progress {
    fn should_stop(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn progress(&self, hashes: u64) {
        self.hashes.fetch_add(hashes, Ordering::Relaxed);
    }
}

fn solve(args: &SolveArgs) -> Result<ExitCode, CliError> {
    let parsed = parse_work(&args.work)?;
    // The chain's test accepts every seal at difficulty 0 (`verify` keeps that rule), but
    // a search for it is meaningless and no subnet sets it: refuse it here.
    if parsed.difficulty == Difficulty::from_u64(0) {
        return Err("--difficulty: 0 is met by every seal; nothing to solve".into());
    }
    if !(args.block_time.is_finite() && args.block_time > 0.0) {
        return Err("--block-time must be a positive number of seconds".into());
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN));
    let backend = choose_backend(args.backend, threads)?;
    let work = Work::new(&parsed.block_hash, &parsed.key);
    let job = Job::new(work, &parsed.difficulty, parsed.rule);
    let expected = parsed.difficulty.to_f64().max(1.0);
    let budget = BLOCK_WINDOW * args.block_time;

    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
            .map_err(|e| format!("progress bar template: {e}"))?,
    );
    if args.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    if !args.json {
        eprintln!(
            "solving with {} on {threads} thread(s), difficulty {}, rule {}",
            backend_label(args.backend),
            parsed.difficulty,
            rule_name(parsed.rule)
        );
    }

    let control = Progress {
        hashes: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    };
    let started = Instant::now();
    let finished = AtomicBool::new(false);
    let report = std::thread::scope(|scope| {
        scope.spawn(|| {
            watch(
                &bar,
                &control,
                &finished,
                started,
                expected,
                budget,
                args.block_time,
            )
        });
        let report = backend.search(&job, NonceRange::all_from(args.start_nonce), &control);
        let elapsed = started.elapsed().as_secs_f64();
        finished.store(true, Ordering::Relaxed);
        (report, elapsed)
    });
    let (report, elapsed) = report;
    bar.finish_and_clear();
    let rate = report.hashes as f64 / elapsed.max(1e-9);

    match report.outcome {
        Outcome::Found(solution) => {
            let seal = encode_prefixed(&solution.seal);
            if args.json {
                let out = serde_json::json!({
                    "nonce": solution.nonce,
                    "seal": seal,
                    "block_hash": encode_prefixed(&parsed.block_hash.0),
                    "key": encode_prefixed(&parsed.key.0),
                    "difficulty": parsed.difficulty.to_string(),
                    "rule": if parsed.rule == Rule::LittleEndian { "little-endian" } else { "legacy-big-endian" },
                    "hashes": report.hashes,
                    "seconds": elapsed,
                    "hashes_per_second": rate,
                });
                println!("{out}");
            } else {
                println!("nonce:   {}", solution.nonce);
                println!("seal:    {seal}");
                println!(
                    "hashes:  {} in {elapsed:.3} s ({})",
                    report.hashes,
                    human_rate(rate)
                );
                if elapsed > budget {
                    eprintln!(
                        "warning: took {elapsed:.1} s, more than the {BLOCK_WINDOW}-block window ({budget:.1} s): the block is probably too old now"
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Exhausted | Outcome::Stopped => {
            eprintln!(
                "no solution in the searched range ({} seals)",
                report.hashes
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// Redraws the progress line until the search finishes; warns once when the measured
/// rate cannot meet the difficulty within the block window.
fn watch(
    bar: &ProgressBar,
    control: &Progress,
    finished: &AtomicBool,
    started: Instant,
    expected: f64,
    budget: f64,
    block_time: f64,
) {
    let mut warned = false;
    let mut last_draw = Instant::now();
    while !finished.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(10));
        if last_draw.elapsed() < Duration::from_millis(100) {
            continue;
        }
        last_draw = Instant::now();
        let elapsed = started.elapsed().as_secs_f64();
        let hashes = control.hashes.load(Ordering::Relaxed);
        if hashes == 0 || elapsed <= 0.0 {
            bar.tick();
            continue;
        }
        let rate = hashes as f64 / elapsed;
        let mean_time = expected / rate;
        let blocks_left = (budget - elapsed) / block_time;
        let budget_note = if blocks_left > 0.0 {
            format!("budget {blocks_left:.2} of {BLOCK_WINDOW} blocks left")
        } else {
            format!("{BLOCK_WINDOW}-block window passed: restart on a new block")
        };
        bar.set_message(format!(
            "{hashes} seals, {}, expected time per solution {}, {budget_note}",
            human_rate(rate),
            human_seconds(mean_time)
        ));
        if !warned && elapsed > 0.5 && mean_time > budget {
            warned = true;
            bar.suspend(|| {
                eprintln!(
                "warning: at {} a solution takes {} on average, longer than the {BLOCK_WINDOW}-block window ({}): \
                 it will usually be too late to submit",
                human_rate(rate),
                human_seconds(mean_time),
                human_seconds(budget)
            )
            });
        }
    }
}

fn human_rate(rate: f64) -> String {
    if rate >= 1e9 {
        format!("{:.2} G seals/s", rate / 1e9)
    } else if rate >= 1e6 {
        format!("{:.2} M seals/s", rate / 1e6)
    } else {
        format!("{:.1} k seals/s", rate / 1e3)
    }
}

fn human_seconds(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1e3)
    } else if seconds < 120.0 {
        format!("{seconds:.1} s")
    } else if seconds < 7200.0 {
        format!("{:.1} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

fn verify_command(args: &VerifyArgs) -> Result<ExitCode, CliError> {
    let parsed = parse_work(&args.work)?;
    let computed = Work::new(&parsed.block_hash, &parsed.key).seal(args.nonce);
    let submitted = match &args.seal {
        Some(text) => decode_array(text).map_err(|e| format!("--seal: {e}"))?,
        None => computed,
    };
    println!("seal:   {}", encode_prefixed(&computed));
    let verdict = verify(
        &parsed.block_hash,
        &parsed.key,
        args.nonce,
        &submitted,
        &parsed.difficulty,
        parsed.rule,
    );
    match verdict {
        Ok(()) => {
            println!(
                "valid: meets difficulty {} ({})",
                parsed.difficulty,
                rule_name(parsed.rule)
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(PowError::InvalidDifficulty) => {
            println!(
                "invalid: does not meet difficulty {} ({}) [InvalidDifficulty]",
                parsed.difficulty,
                rule_name(parsed.rule)
            );
            Ok(ExitCode::from(1))
        }
        Err(PowError::InvalidSeal) => {
            println!("invalid: the submitted seal is not this nonce's seal [InvalidSeal]");
            Ok(ExitCode::from(1))
        }
    }
}

fn bench(args: &BenchArgs) -> Result<ExitCode, CliError> {
    if !(args.seconds.is_finite() && args.seconds > 0.0) {
        return Err("--seconds must be positive".into());
    }
    let cores = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let mut backends: Vec<(String, DynBackend)> =
        vec![("scalar, 1 thread".into(), Box::new(Scalar))];
    for isa in [Isa::Avx2, Isa::Avx512] {
        if let Some(simd) = Simd::with_isa(isa) {
            backends.push((format!("simd-{}, 1 thread", isa.name()), Box::new(simd)));
        }
    }
    backends.push((
        format!("scalar, {cores} threads"),
        Box::new(Threads::new(Scalar, cores)),
    ));
    let best = Simd::detect();
    if best.isa() != Isa::Scalar {
        backends.push((
            format!("simd-{}, {cores} threads", best.isa().name()),
            Box::new(Threads::new(best, cores)),
        ));
    }
    #[cfg(feature = "gpu")]
    match taolite_pow::Gpu::new() {
        Ok(gpu) => {
            println!("gpu adapter: {}", gpu.adapter_name());
            if gpu.is_software() {
                println!("(a CPU implementation of the GPU API: its rate says nothing about GPUs)");
            }
            backends.push(("gpu".into(), Box::new(gpu)));
        }
        Err(e) => println!("(gpu skipped: {e})"),
    }
    // No seal meets the largest difficulty, so every backend computes every seal.
    let work = Work::new(&H256([1; 32]), &AccountId32([2; 32]));
    let job = Job::new(
        work,
        &Difficulty::from_limbs([u64::MAX; 4]),
        Rule::LittleEndian,
    );
    let batch = 1u64 << 18;
    let mut baseline = None;
    println!("{:<28} {:>16} {:>8}", "backend", "seals/s", "vs scalar");
    for (label, backend) in &backends {
        let started = Instant::now();
        let mut hashes = 0u64;
        let mut start = 0u64;
        while started.elapsed().as_secs_f64() < args.seconds {
            let report = backend.search(&job, NonceRange::new(start, batch), &NoControl);
            hashes = hashes.saturating_add(report.hashes);
            start = start.wrapping_add(batch);
        }
        let rate = hashes as f64 / started.elapsed().as_secs_f64();
        let base = *baseline.get_or_insert(rate);
        println!("{label:<28} {:>16} {:>7.2}x", human_rate(rate), rate / base);
    }
    #[cfg(not(feature = "gpu"))]
    println!("(gpu: not built into this binary; cli feature `gpu`)");
    Ok(ExitCode::SUCCESS)
}
