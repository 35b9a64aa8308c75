//! Registration proof of work: the seal, the chain's check, and a cancellable solver
//! handle with a progress callback.
//!
//! Difficulties cross the boundary as text, decimal or `0x` hexadecimal, exactly as the
//! chain's RPC and the shared vectors show them; any value up to 2^256 − 1 is accepted.

use core::ffi::{c_char, c_void};
use core::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, TryLockError};

use taolite_core::{AccountId32, H256};
use taolite_pow::{
    Backend, Control, Difficulty, Job, NonceRange, Outcome, PowError, Rule, Scalar, Simd, Threads,
    Work,
};

use crate::boundary::{guard, input_array, input_str, output_array, Failure};
use crate::handle;
use crate::status::TaoliteStatus;

/// How seal bytes are read as a number before the difficulty test.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaolitePowRule {
    /// Little-endian: the chain since v3.1.6 (mid-2025).
    Current = 0,
    /// Big-endian: chains up to v3.1.5, the Python SDK and cubit.
    Legacy = 1,
}

/// Which solver a `TaolitePowSolver` runs.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaolitePowBackend {
    /// The fastest: the vector kernel (AVX-512/AVX2, chosen at run time) on `threads`
    /// workers (0 = one per core; 1 = the calling thread only).
    Auto = 0,
    /// The portable one-nonce-at-a-time kernel on the calling thread (`threads` 0 or 1).
    Scalar = 1,
    /// The vector kernel on the calling thread (`threads` 0 or 1); scalar on CPUs
    /// without AVX2.
    Simd = 2,
    /// The portable kernel on `threads` workers (0 = one per core).
    Threads = 3,
}

/// The progress callback of `taolite_pow_solve`: `hashes_done` is the number of seals
/// computed so far in this solve; return false to stop the search (the solve then
/// returns `TAOLITE_STATUS_CANCELLED`). It is called from the solver's worker threads,
/// never from two threads at once.
pub type TaolitePowProgress =
    Option<unsafe extern "C" fn(user: *mut c_void, hashes_done: u64) -> bool>;

/// The backends behind one solver handle.
enum Solver {
    Scalar(Scalar),
    Simd(Simd),
    Threads(Threads<Scalar>),
    ThreadsSimd(Threads<Simd>),
}

impl Solver {
    fn backend(&self) -> &dyn Backend {
        match self {
            Self::Scalar(b) => b,
            Self::Simd(b) => b,
            Self::Threads(b) => b,
            Self::ThreadsSimd(b) => b,
        }
    }
}

/// A nonce solver: a backend, a cancellation flag, and a lock that runs one solve at a
/// time. Opaque to C.
pub struct TaolitePowSolver {
    solver: Solver,
    cancel: AtomicBool,
    running: Mutex<()>,
}

fn workers(threads: u32) -> Result<NonZeroUsize, Failure> {
    match threads {
        0 => Ok(std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)),
        n => usize::try_from(n)
            .ok()
            .and_then(NonZeroUsize::new)
            .ok_or_else(|| Failure::new(TaoliteStatus::InvalidArgument, "bad thread count")),
    }
}

fn single_thread(threads: u32, what: &str) -> Result<(), Failure> {
    if threads > 1 {
        return Err(Failure::new(
            TaoliteStatus::InvalidArgument,
            format!("the {what} backend runs on the calling thread: threads must be 0 or 1, not {threads}"),
        ));
    }
    Ok(())
}

/// Reads the difficulty text (decimal, or hexadecimal after `0x`).
///
/// # Safety
/// `difficulty` must hold `difficulty_len` readable bytes.
unsafe fn read_difficulty(
    difficulty: *const c_char,
    difficulty_len: usize,
) -> Result<Difficulty, Failure> {
    // SAFETY: forwarded contract.
    let text = unsafe { input_str(difficulty, difficulty_len, "difficulty") }?;
    Difficulty::parse(text).map_err(|e| Failure::new(TaoliteStatus::InvalidArgument, e.to_string()))
}

fn rule_of(rule: TaolitePowRule) -> Rule {
    match rule {
        TaolitePowRule::Current => Rule::LittleEndian,
        TaolitePowRule::Legacy => Rule::LegacyBigEndian,
    }
}

/// Reads a rule passed as its integer value: C may pass any integer in an enum slot.
fn read_rule(rule: u32) -> Result<Rule, Failure> {
    match rule {
        0 => Ok(rule_of(TaolitePowRule::Current)),
        1 => Ok(rule_of(TaolitePowRule::Legacy)),
        other => Err(Failure::new(
            TaoliteStatus::InvalidArgument,
            format!("unknown rule {other}"),
        )),
    }
}

/// Reads the 32-byte block hash and key and builds the work item.
///
/// # Safety
/// Both pointers must be NULL or hold 32 readable bytes.
unsafe fn read_work(block_hash: *const u8, key: *const u8) -> Result<Work, Failure> {
    // SAFETY: forwarded contract.
    let block_hash = unsafe { input_array::<32>(block_hash, "block_hash") }?;
    // SAFETY: forwarded contract.
    let key = unsafe { input_array::<32>(key, "key") }?;
    Ok(Work::new(&H256(*block_hash), &AccountId32(*key)))
}

/// Writes the seal of `nonce`: Keccak-256(SHA-256(LE64(nonce) ‖ Keccak-256(block_hash ‖
/// key))), the `work` a registration extrinsic carries. `key` is the hotkey (`register`)
/// or the coldkey (`faucet`).
///
/// # Safety
/// `block_hash` and `key` must hold 32 readable bytes; `out` 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_pow_seal(
    block_hash: *const u8,
    key: *const u8,
    nonce: u64,
    out: *mut u8,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let work = unsafe { read_work(block_hash, key) }?;
        // SAFETY: the caller's contract above.
        unsafe { output_array(out, &work.seal(nonce), "out") }
    })
}

/// Whether a 32-byte seal meets `difficulty` under `rule` (a `TaolitePowRule` value), as
/// the chain decides: `*out_meets` is set to true or false and the call returns OK.
///
/// # Safety
/// `seal` must hold 32 readable bytes; `difficulty` `difficulty_len` readable bytes;
/// `out_meets` must be writable.
#[no_mangle]
pub unsafe extern "C" fn taolite_pow_meets_difficulty(
    seal: *const u8,
    difficulty: *const c_char,
    difficulty_len: usize,
    rule: u32,
    out_meets: *mut bool,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let seal = unsafe { input_array::<32>(seal, "seal") }?;
        // SAFETY: the caller's contract above.
        let difficulty = unsafe { read_difficulty(difficulty, difficulty_len) }?;
        let rule = read_rule(rule)?;
        if out_meets.is_null() {
            return Err(Failure::new(
                TaoliteStatus::NullPointer,
                "out_meets is NULL",
            ));
        }
        let meets = taolite_pow::meets_difficulty(seal, &difficulty, rule);
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { *out_meets = meets };
        Ok(())
    })
}

/// Checks a submitted solution in the chain's order: `work` must meet `difficulty`
/// under `rule` (else `TAOLITE_STATUS_POW_DIFFICULTY_NOT_MET`), then be the seal of
/// `(block_hash, key, nonce)` (else `TAOLITE_STATUS_POW_INVALID_SEAL`). The block window
/// (one of the last three blocks) is the caller's to check.
///
/// # Safety
/// `block_hash`, `key` and `work` must hold 32 readable bytes; `difficulty`
/// `difficulty_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn taolite_pow_verify(
    block_hash: *const u8,
    key: *const u8,
    nonce: u64,
    work: *const u8,
    difficulty: *const c_char,
    difficulty_len: usize,
    rule: u32,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let block_hash = unsafe { input_array::<32>(block_hash, "block_hash") }?;
        // SAFETY: the caller's contract above.
        let key = unsafe { input_array::<32>(key, "key") }?;
        // SAFETY: the caller's contract above.
        let work = unsafe { input_array::<32>(work, "work") }?;
        // SAFETY: the caller's contract above.
        let difficulty = unsafe { read_difficulty(difficulty, difficulty_len) }?;
        let rule = read_rule(rule)?;
        taolite_pow::verify(
            &H256(*block_hash),
            &AccountId32(*key),
            nonce,
            work,
            &difficulty,
            rule,
        )
        .map_err(|e| {
            let status = match e {
                PowError::InvalidDifficulty => TaoliteStatus::PowDifficultyNotMet,
                PowError::InvalidSeal => TaoliteStatus::PowInvalidSeal,
            };
            Failure::new(status, e.to_string())
        })
    })
}

/// Creates a solver. `backend` is a `TaolitePowBackend` value; `threads` is the number of
/// worker threads (0 = one per core) for AUTO and THREADS, and must be 0 or 1 for SCALAR
/// and SIMD. Free it with `taolite_pow_solver_free`.
///
/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn taolite_pow_solver_new(
    backend: u32,
    threads: u32,
    out: *mut *mut TaolitePowSolver,
) -> TaoliteStatus {
    guard(|| {
        if out.is_null() {
            return Err(Failure::new(TaoliteStatus::NullPointer, "out is NULL"));
        }
        let solver = match backend {
            0 if threads == 1 => Solver::Simd(Simd::detect()),
            0 => Solver::ThreadsSimd(Threads::new(Simd::detect(), workers(threads)?)),
            1 => {
                single_thread(threads, "SCALAR")?;
                Solver::Scalar(Scalar)
            }
            2 => {
                single_thread(threads, "SIMD")?;
                Solver::Simd(Simd::detect())
            }
            3 => Solver::Threads(Threads::new(Scalar, workers(threads)?)),
            other => {
                return Err(Failure::new(
                    TaoliteStatus::InvalidArgument,
                    format!("unknown backend {other}"),
                ))
            }
        };
        let solver = TaolitePowSolver {
            solver,
            cancel: AtomicBool::new(false),
            running: Mutex::new(()),
        };
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { *out = handle::create(solver) };
        Ok(())
    })
}

/// Frees a solver. NULL is accepted; a second free returns
/// `TAOLITE_STATUS_INVALID_HANDLE`. It must not be freed while a solve runs on it.
///
/// # Safety
/// `solver` must be NULL or a pointer this library returned.
#[no_mangle]
pub unsafe extern "C" fn taolite_pow_solver_free(solver: *mut TaolitePowSolver) -> TaoliteStatus {
    // SAFETY: the caller's contract above.
    guard(|| unsafe { handle::release(solver, "solver") })
}

/// Asks the solves running on `solver` to stop; safe to call from any thread while
/// `taolite_pow_solve` runs on another. A running solve returns
/// `TAOLITE_STATUS_CANCELLED` within about a millisecond of work; a request made while
/// no solve runs cancels the next one. Each solve clears the request when it returns.
///
/// # Safety
/// `solver` must be a live handle.
#[no_mangle]
pub unsafe extern "C" fn taolite_pow_cancel(solver: *const TaolitePowSolver) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let solver = unsafe { handle::borrow(solver, "solver") }?;
        solver.cancel.store(true, Ordering::Release);
        Ok(())
    })
}

/// The solve's view of the caller: the cancel flag and the progress callback, which
/// runs on one worker at a time (others skip it and their counts are carried over).
struct CallbackControl<'a> {
    cancel: &'a AtomicBool,
    stopped_by_callback: AtomicBool,
    hashes: AtomicU64,
    callback: TaolitePowProgress,
    user: *mut c_void,
    in_callback: Mutex<()>,
}

// SAFETY: `user` is only handed back to the caller's callback, whose contract
// (documented on `taolite_pow_solve`) is to accept calls from the solver's threads; the
// mutex keeps those calls from overlapping.
unsafe impl Sync for CallbackControl<'_> {}

impl Control for CallbackControl<'_> {
    fn should_stop(&self) -> bool {
        self.cancel.load(Ordering::Acquire) || self.stopped_by_callback.load(Ordering::Acquire)
    }

    fn progress(&self, hashes: u64) {
        let total = self
            .hashes
            .fetch_add(hashes, Ordering::AcqRel)
            .saturating_add(hashes);
        let Some(callback) = self.callback else {
            return;
        };
        let _serial = match self.in_callback.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return,
        };
        // SAFETY: the caller supplied this callback and user pointer for this solve.
        if !unsafe { callback(self.user, total) } {
            self.stopped_by_callback.store(true, Ordering::Release);
        }
    }
}

/// Searches `count` nonces from `start_nonce` (wrapping after 2^64 − 1) for the first one,
/// in nonce order, whose seal meets `difficulty` under `rule` (a `TaolitePowRule` value).
///
/// On `TAOLITE_STATUS_OK`, `*out_found` says whether one was found and `*out_nonce` holds
/// it (0 when not found). `TAOLITE_STATUS_CANCELLED` when `taolite_pow_cancel` was called
/// or `progress` returned false; nothing is written then. `progress` may be NULL; `user`
/// is passed to it unchanged. One solve runs at a time on a solver: a second call waits.
///
/// # Safety
/// `solver` must be a live handle; `block_hash` and `key` must hold 32 readable bytes;
/// `difficulty` `difficulty_len` readable bytes; `out_nonce` and `out_found` must be
/// writable; `progress`, if not NULL, must be callable from any thread with `user`.
#[no_mangle]
pub unsafe extern "C" fn taolite_pow_solve(
    solver: *const TaolitePowSolver,
    block_hash: *const u8,
    key: *const u8,
    difficulty: *const c_char,
    difficulty_len: usize,
    rule: u32,
    start_nonce: u64,
    count: u64,
    progress: TaolitePowProgress,
    user: *mut c_void,
    out_nonce: *mut u64,
    out_found: *mut bool,
) -> TaoliteStatus {
    guard(|| {
        // SAFETY: the caller's contract above.
        let solver = unsafe { handle::borrow(solver, "solver") }?;
        // SAFETY: the caller's contract above.
        let work = unsafe { read_work(block_hash, key) }?;
        // SAFETY: the caller's contract above.
        let difficulty = unsafe { read_difficulty(difficulty, difficulty_len) }?;
        let rule = read_rule(rule)?;
        if out_nonce.is_null() || out_found.is_null() {
            return Err(Failure::new(
                TaoliteStatus::NullPointer,
                "out_nonce or out_found is NULL",
            ));
        }
        let _one_at_a_time = solver
            .running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let control = CallbackControl {
            cancel: &solver.cancel,
            stopped_by_callback: AtomicBool::new(false),
            hashes: AtomicU64::new(0),
            callback: progress,
            user,
            in_callback: Mutex::new(()),
        };
        let job = Job::new(work, &difficulty, rule);
        let report =
            solver
                .solver
                .backend()
                .search(&job, NonceRange::new(start_nonce, count), &control);
        solver.cancel.store(false, Ordering::Release);
        let (found, nonce) = match report.outcome {
            Outcome::Found(solution) => (true, solution.nonce),
            Outcome::Exhausted => (false, 0),
            Outcome::Stopped => {
                return Err(Failure::new(
                    TaoliteStatus::Cancelled,
                    format!(
                        "search cancelled after {} seals without a solution",
                        report.hashes
                    ),
                ))
            }
        };
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe {
            *out_nonce = nonce;
            *out_found = found;
        }
        Ok(())
    })
}
