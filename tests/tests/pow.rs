//! PoW vectors (`$TAOLITE_VECTORS/pow`) through the public API, and one backend suite run
//! against every backend this machine can run.
//!
//! The solved vectors are searched over their whole range in release builds
//! (`cargo test --release -p taolite-tests --test pow`); debug builds search the last
//! `DEBUG_WINDOW` nonces before each answer (there is no solution between the vector's
//! start and its answer, so the first solution in that window is the same nonce).

use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde_json::Value;
use taolite_core::hex::decode_array;
use taolite_core::{AccountId32, H256};
use taolite_pow::{
    meets_difficulty, verify, Backend, Control, Difficulty, Isa, Job, NoControl, NonceRange,
    Outcome, PowError, Rule, Scalar, Simd, Threads, Work,
};
use taolite_tests::{json_files, read_json};

/// Nonces searched before each solved vector's answer in debug builds.
const DEBUG_WINDOW: u64 = 1 << 11;

type DynBackend = Box<dyn Backend + Sync>;

/// Every backend this machine can run, with a label for failure messages.
fn backends() -> Vec<(String, DynBackend)> {
    let two = NonZeroUsize::new(2).unwrap_or(NonZeroUsize::MIN);
    let mut all: Vec<(String, DynBackend)> = vec![
        ("scalar".into(), Box::new(Scalar)),
        (
            "threads(scalar, 2, chunk 1000)".into(),
            Box::new(Threads::new(Scalar, two).with_chunk(1000)),
        ),
    ];
    for isa in [Isa::Scalar, Isa::Avx2, Isa::Avx512] {
        match Simd::with_isa(isa) {
            Some(simd) => {
                all.push((format!("simd({})", isa.name()), Box::new(simd)));
                all.push((
                    format!("threads(simd({}), 3, chunk 997)", isa.name()),
                    Box::new(Threads::new(simd, two.saturating_add(1)).with_chunk(997)),
                ));
            }
            None => println!("skipping simd({}): not supported by this CPU", isa.name()),
        }
    }
    #[cfg(feature = "gpu")]
    if let Some(gpu) = gpu::shared() {
        all.push(("gpu".into(), Box::new(gpu)));
        all.push(("gpu(batch 1000)".into(), Box::new(gpu::small_batches())));
    }
    all
}

/// The GPU backend, opened once per test binary and shared by every test.
#[cfg(feature = "gpu")]
mod gpu {
    use std::sync::OnceLock;

    use taolite_pow::{Gpu, GpuError};

    static GPU: OnceLock<Option<Gpu>> = OnceLock::new();
    static SMALL: OnceLock<Option<Gpu>> = OnceLock::new();

    /// Opens an adapter; no adapter at all is a skip, every other failure fails the test.
    fn open(batch: Option<u64>) -> Option<Gpu> {
        match Gpu::new() {
            Ok(gpu) => {
                println!("gpu adapter: {}", gpu.adapter_name());
                Some(match batch {
                    Some(batch) => gpu.with_batch(batch),
                    None => gpu,
                })
            }
            Err(error @ (GpuError::NoAdapter(_) | GpuError::NoBackend)) => {
                println!("SKIP gpu backend: {error}");
                None
            }
            Err(error) => panic!("gpu backend failed to start: {error}"),
        }
    }

    /// Adaptive batch size (what a miner uses).
    pub(super) fn shared() -> Option<&'static Gpu> {
        GPU.get_or_init(|| open(None)).as_ref()
    }

    /// 1000 nonces per dispatch, so the vector ranges cross batch boundaries.
    pub(super) fn small_batches() -> &'static Gpu {
        SMALL
            .get_or_init(|| open(Some(1000)))
            .as_ref()
            .unwrap_or_else(|| panic!("gpu opened once but not twice"))
    }
}

fn hex32(case: &Value, field: &str, at: &str) -> [u8; 32] {
    let text = case[field]
        .as_str()
        .unwrap_or_else(|| panic!("{at}: `{field}` is not a string"));
    decode_array(text).unwrap_or_else(|e| panic!("{at}: `{field}`: {e}"))
}

fn hex_bytes(case: &Value, field: &str, at: &str) -> Vec<u8> {
    let text = case[field]
        .as_str()
        .unwrap_or_else(|| panic!("{at}: `{field}` is not a string"));
    taolite_core::hex::decode_vec(text).unwrap_or_else(|e| panic!("{at}: `{field}`: {e}"))
}

fn u64_field(case: &Value, field: &str, at: &str) -> u64 {
    case[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{at}: `{field}` is not a u64"))
}

fn bool_field(case: &Value, field: &str, at: &str) -> bool {
    case[field]
        .as_bool()
        .unwrap_or_else(|| panic!("{at}: `{field}` is not a bool"))
}

fn difficulty(case: &Value, at: &str) -> Difficulty {
    let text = case["difficulty"]
        .as_str()
        .unwrap_or_else(|| panic!("{at}: `difficulty` is not a string"));
    Difficulty::parse(text).unwrap_or_else(|e| panic!("{at}: {e}"))
}

fn cases<'a>(doc: &'a Value, field: &str, file: &Path) -> &'a Vec<Value> {
    doc[field]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no `{field}` array", file.display()))
}

fn case_label(file: &Path, case: &Value) -> String {
    format!(
        "{} case {}",
        file.display(),
        case["id"].as_str().unwrap_or("<no id>")
    )
}

/// Every file of the folder, with its schema.
fn vector_files() -> Vec<(std::path::PathBuf, Value)> {
    json_files("pow")
        .into_iter()
        .map(|path| {
            let doc = read_json(&path);
            (path, doc)
        })
        .collect()
}

fn schema(doc: &Value) -> &str {
    doc["schema"].as_str().unwrap_or("")
}

/// Sums progress reports and stops after `stop_after` seals, if set.
struct Counting {
    seen: AtomicU64,
    stop_after: Option<u64>,
}

impl Counting {
    fn new(stop_after: Option<u64>) -> Self {
        Self {
            seen: AtomicU64::new(0),
            stop_after,
        }
    }
}

impl Control for Counting {
    fn should_stop(&self) -> bool {
        self.stop_after
            .is_some_and(|limit| self.seen.load(Ordering::Relaxed) >= limit)
    }

    fn progress(&self, hashes: u64) {
        self.seen.fetch_add(hashes, Ordering::Relaxed);
    }
}

#[test]
fn every_file_has_a_known_schema() {
    for (file, doc) in vector_files() {
        assert!(
            matches!(
                schema(&doc),
                "taolite-pow-seal-v1" | "taolite-pow-solved-v1"
            ),
            "{}: unknown schema {:?}",
            file.display(),
            doc["schema"]
        );
    }
}

/// The hash chain step by step, the difficulty rules, and `verify`.
#[test]
fn seal_vectors_through_the_api() {
    let mut checked = 0;
    for (file, doc) in vector_files() {
        if schema(&doc) != "taolite-pow-seal-v1" {
            continue;
        }
        for case in cases(&doc, "cases", &file) {
            let at = case_label(&file, case);
            let block_hash = H256(hex32(case, "block_hash", &at));
            let hotkey = AccountId32(hex32(case, "hotkey", &at));
            let nonce = u64_field(case, "nonce", &at);
            let work = Work::new(&block_hash, &hotkey);
            assert_eq!(
                work.block_and_key_hash(),
                &hex32(case, "block_and_hotkey_hash", &at),
                "{at}: block_and_hotkey_hash"
            );
            assert_eq!(
                nonce.to_le_bytes().to_vec(),
                hex_bytes(case, "nonce_le", &at),
                "{at}: nonce_le"
            );
            let pre_seal = work.pre_seal(nonce);
            assert_eq!(
                pre_seal.to_vec(),
                hex_bytes(case, "pre_seal", &at),
                "{at}: pre_seal"
            );
            assert_eq!(
                taolite_core::hash::sha256(&pre_seal),
                hex32(case, "sha256", &at),
                "{at}: sha256"
            );
            let seal = hex32(case, "seal", &at);
            assert_eq!(work.seal(nonce), seal, "{at}: seal");
            let d = difficulty(case, &at);
            for (rule, field) in [
                (Rule::LittleEndian, "meets"),
                (Rule::LegacyBigEndian, "meets_legacy_be"),
            ] {
                let expected = bool_field(case, field, &at);
                assert_eq!(meets_difficulty(&seal, &d, rule), expected, "{at}: {field}");
                let verdict = verify(&block_hash, &hotkey, nonce, &seal, &d, rule);
                let want = if expected {
                    Ok(())
                } else {
                    Err(PowError::InvalidDifficulty)
                };
                assert_eq!(verdict, want, "{at}: verify under {rule:?}");
            }
            if bool_field(case, "meets", &at) {
                let other = nonce.wrapping_add(1);
                assert_eq!(
                    verify(&block_hash, &hotkey, other, &seal, &d, Rule::LittleEndian),
                    Err(PowError::InvalidSeal),
                    "{at}: verify with another nonce"
                );
            }
            checked += 1;
        }
        for case in cases(&doc, "difficulty_cases", &file) {
            let at = case_label(&file, case);
            let hash = hex32(case, "hash", &at);
            let d = difficulty(case, &at);
            assert_eq!(
                meets_difficulty(&hash, &d, Rule::LittleEndian),
                bool_field(case, "meets", &at),
                "{at}: meets"
            );
            assert_eq!(
                meets_difficulty(&hash, &d, Rule::LegacyBigEndian),
                bool_field(case, "meets_legacy_be", &at),
                "{at}: meets_legacy_be"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no seal vectors found");
}

/// Every backend decides every seal case exactly: a one-nonce range finds the case's
/// nonce iff the case meets its difficulty, with the vector's seal.
#[test]
fn every_backend_on_seal_vectors() {
    let backends = backends();
    for (file, doc) in vector_files() {
        if schema(&doc) != "taolite-pow-seal-v1" {
            continue;
        }
        for case in cases(&doc, "cases", &file) {
            let at = case_label(&file, case);
            let work = Work::new(
                &H256(hex32(case, "block_hash", &at)),
                &AccountId32(hex32(case, "hotkey", &at)),
            );
            let nonce = u64_field(case, "nonce", &at);
            let seal = hex32(case, "seal", &at);
            let d = difficulty(case, &at);
            for (rule, field) in [
                (Rule::LittleEndian, "meets"),
                (Rule::LegacyBigEndian, "meets_legacy_be"),
            ] {
                let job = Job::new(work, &d, rule);
                let expected = bool_field(case, field, &at);
                for (name, backend) in &backends {
                    let report = backend.search(&job, NonceRange::new(nonce, 1), &NoControl);
                    assert_eq!(report.hashes, 1, "{at}: {name}: hashes under {rule:?}");
                    match report.outcome {
                        Outcome::Found(solution) => {
                            assert!(expected, "{at}: {name}: found a non-solution ({rule:?})");
                            assert_eq!(solution.nonce, nonce, "{at}: {name}: nonce");
                            assert_eq!(solution.seal, seal, "{at}: {name}: seal");
                        }
                        Outcome::Exhausted => {
                            assert!(!expected, "{at}: {name}: missed a solution ({rule:?})")
                        }
                        Outcome::Stopped => panic!("{at}: {name}: stopped without being asked"),
                    }
                }
            }
        }
    }
}

/// Every backend finds the first solution of every solved case, under both rules.
#[test]
fn every_backend_on_solved_vectors() {
    let backends = backends();
    let mut checked = 0;
    for (file, doc) in vector_files() {
        if schema(&doc) != "taolite-pow-solved-v1" {
            continue;
        }
        for case in cases(&doc, "cases", &file) {
            let at = case_label(&file, case);
            let work = Work::new(
                &H256(hex32(case, "block_hash", &at)),
                &AccountId32(hex32(case, "hotkey", &at)),
            );
            assert_eq!(
                work.block_and_key_hash(),
                &hex32(case, "block_and_hotkey_hash", &at),
                "{at}: block_and_hotkey_hash"
            );
            let d = difficulty(case, &at);
            let start = u64_field(case, "start_nonce", &at);
            for (rule, nonce_field, seal_field) in [
                (Rule::LittleEndian, "first_nonce", "seal"),
                (
                    Rule::LegacyBigEndian,
                    "legacy_be_first_nonce",
                    "legacy_be_seal",
                ),
            ] {
                let first = u64_field(case, nonce_field, &at);
                let seal = hex32(case, seal_field, &at);
                let hashes = first.wrapping_sub(start).wrapping_add(1);
                if rule == Rule::LittleEndian {
                    assert_eq!(hashes, u64_field(case, "hashes", &at), "{at}: hashes");
                }
                let window = if cfg!(debug_assertions) {
                    hashes.min(DEBUG_WINDOW)
                } else {
                    hashes
                };
                let from = first.wrapping_sub(window).wrapping_add(1);
                // A few nonces past the answer, so a backend that skipped it could fail.
                let range = NonceRange::new(from, window.saturating_add(100));
                let job = Job::new(work, &d, rule);
                for (name, backend) in &backends {
                    let control = Counting::new(None);
                    let report = backend.search(&job, range, &control);
                    let solution = report.solution().unwrap_or_else(|| {
                        panic!("{at}: {name}: no solution under {rule:?}: {report:?}")
                    });
                    assert_eq!(solution.nonce, first, "{at}: {name}: {nonce_field}");
                    assert_eq!(solution.seal, seal, "{at}: {name}: {seal_field}");
                    assert!(report.hashes >= window, "{at}: {name}: hashes");
                    assert_eq!(
                        control.seen.load(Ordering::Relaxed),
                        report.hashes,
                        "{at}: {name}: progress reports do not add up to hashes"
                    );
                    if name == "scalar" {
                        assert_eq!(report.hashes, window, "{at}: scalar counts exactly");
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no solved vectors found");
}

/// The obvious search, for ranges the vectors do not cover.
fn reference_search(job: &Job, range: NonceRange) -> Option<u64> {
    (0..range.count)
        .map(|offset| range.nonce_at(offset))
        .find(|&nonce| job.check(nonce).is_some())
}

fn sample_work(tag: u8) -> Work {
    Work::new(&H256([tag; 32]), &AccountId32([tag ^ 0x5a; 32]))
}

#[test]
fn difficulty_one_takes_the_first_nonce() {
    for (name, backend) in backends() {
        for (start, rule) in [
            (0, Rule::LittleEndian),
            (u64::MAX, Rule::LegacyBigEndian),
            (0xffff_ffff, Rule::LittleEndian),
        ] {
            let job = Job::new(sample_work(1), &Difficulty::ONE, rule);
            let report = backend.search(&job, NonceRange::new(start, 1000), &NoControl);
            assert_eq!(
                report.solution().map(|s| s.nonce),
                Some(start),
                "{name}: difficulty 1 from {start}"
            );
        }
    }
}

/// Ranges that cross `u64::MAX`: the first solution is after the wrap, or just before.
#[test]
fn ranges_wrap_at_u64_max() {
    let d = Difficulty::from_u64(50);
    for rule in [Rule::LittleEndian, Rule::LegacyBigEndian] {
        let job = Job::new(sample_work(2), &d, rule);
        // The last solution at or below u64::MAX: start just after it, so the first
        // solution of the range lies past the wrap.
        let last_before_wrap = (0..10_000u64)
            .map(|back| u64::MAX - back)
            .find(|&nonce| job.check(nonce).is_some())
            .unwrap_or_else(|| panic!("no solution in the last 10000 nonces under {rule:?}"));
        let mut starts = vec![last_before_wrap, u64::MAX - 2000];
        if last_before_wrap != u64::MAX {
            starts.push(last_before_wrap + 1);
        }
        for start in starts {
            let range = NonceRange::new(start, 20_000);
            let expected = reference_search(&job, range);
            assert!(expected.is_some(), "reference found nothing from {start}");
            for (name, backend) in backends() {
                let report = backend.search(&job, range, &NoControl);
                assert_eq!(
                    report.solution().map(|s| s.nonce),
                    expected,
                    "{name}: wrapping range from {start} under {rule:?}"
                );
            }
        }
        if last_before_wrap != u64::MAX {
            let expected = reference_search(&job, NonceRange::new(last_before_wrap + 1, 20_000));
            assert!(
                expected.is_some_and(|n| n < last_before_wrap),
                "the wrap case must find a nonce after 0"
            );
        }
    }
}

#[test]
fn a_range_without_solution_is_exhausted() {
    let d = Difficulty::from_u64(1 << 40);
    let range = NonceRange::new(u64::MAX - 3000, 6000);
    let job = Job::new(sample_work(3), &d, Rule::LittleEndian);
    assert_eq!(reference_search(&job, range), None, "test premise");
    for (name, backend) in backends() {
        let control = Counting::new(None);
        let report = backend.search(&job, range, &control);
        assert_eq!(report.outcome, Outcome::Exhausted, "{name}");
        assert_eq!(report.hashes, range.count, "{name}: hashes");
        assert_eq!(
            control.seen.load(Ordering::Relaxed),
            range.count,
            "{name}: progress"
        );
    }
    // An empty range computes nothing.
    for (name, backend) in backends() {
        let report = backend.search(&job, NonceRange::new(5, 0), &NoControl);
        assert_eq!(report.outcome, Outcome::Exhausted, "{name}: empty range");
        assert_eq!(report.hashes, 0, "{name}: empty range hashes");
    }
}

#[test]
fn cancellation_stops_every_backend() {
    // No seal meets the largest difficulty in practice (limit 1).
    let d = Difficulty::from_limbs([u64::MAX; 4]);
    let job = Job::new(sample_work(4), &d, Rule::LittleEndian);
    let range = NonceRange::all_from(0);
    for (name, backend) in backends() {
        let flag = AtomicBool::new(true);
        let report = backend.search(&job, range, &flag);
        assert_eq!(report.outcome, Outcome::Stopped, "{name}: pre-set flag");
        assert_eq!(report.hashes, 0, "{name}: pre-set flag computed seals");

        let control = Counting::new(Some(50_000));
        let report = backend.search(&job, range, &control);
        assert_eq!(report.outcome, Outcome::Stopped, "{name}: stop after 50000");
        assert!(
            (50_000..2_000_000).contains(&report.hashes),
            "{name}: stopped after {} seals",
            report.hashes
        );
    }
}
