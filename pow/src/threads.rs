//! Spreads one search over OS threads, each running an inner backend on a chunk.
//!
//! Chunks of the range are handed out in increasing order from one counter, so when a
//! solution is found every lower chunk is either finished or still running. Running
//! chunks above the best solution stop at their next batch; running chunks below it
//! finish; then the lowest solution of the whole range is known.

use core::num::NonZeroUsize;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use crate::search::{Backend, Control, Job, NonceRange, Outcome, Report, Solution};

/// Nonces per chunk handed to one worker (≈ 10–30 ms of work on one core).
pub const DEFAULT_CHUNK: u64 = 1 << 16;

/// Runs the inner backend `B` on several threads.
#[derive(Debug, Clone)]
pub struct Threads<B> {
    inner: B,
    threads: NonZeroUsize,
    chunk: u64,
}

impl<B: Backend + Sync> Threads<B> {
    /// `threads` workers, each running `inner`.
    pub fn new(inner: B, threads: NonZeroUsize) -> Self {
        Self {
            inner,
            threads,
            chunk: DEFAULT_CHUNK,
        }
    }

    /// One worker per core the OS gives this process.
    pub fn all_cores(inner: B) -> Self {
        let threads = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
        Self::new(inner, threads)
    }

    /// Changes the number of nonces per chunk (at least 1).
    pub fn with_chunk(mut self, chunk: u64) -> Self {
        self.chunk = chunk.max(1);
        self
    }

    /// The number of workers.
    pub fn threads(&self) -> NonZeroUsize {
        self.threads
    }
}

/// State the workers share.
struct Shared<'a> {
    outer: &'a dyn Control,
    /// Index of the next chunk to hand out.
    next_chunk: AtomicU64,
    /// Smallest offset (from the range start) of any solution found, or `u64::MAX`.
    best_offset: AtomicU64,
    /// The solution at `best_offset`.
    best: Mutex<Option<(u64, Solution)>>,
    /// Smallest chunk start that the outer control interrupted, or `u64::MAX`.
    lowest_interrupted: AtomicU64,
    hashes: AtomicU64,
}

/// The control one chunk's inner search sees: stop when the caller says so, or when a
/// solution below this chunk is already known.
struct ChunkControl<'a> {
    shared: &'a Shared<'a>,
    chunk_start: u64,
    outer_stopped: AtomicBool,
}

impl Control for ChunkControl<'_> {
    fn should_stop(&self) -> bool {
        if self.shared.best_offset.load(Ordering::Acquire) < self.chunk_start {
            return true;
        }
        if self.shared.outer.should_stop() {
            self.outer_stopped.store(true, Ordering::Relaxed);
            return true;
        }
        false
    }

    fn progress(&self, hashes: u64) {
        self.shared.outer.progress(hashes);
    }
}

impl<B: Backend + Sync> Backend for Threads<B> {
    fn name(&self) -> &'static str {
        "threads"
    }

    fn search(&self, job: &Job, range: NonceRange, control: &dyn Control) -> Report {
        let shared = Shared {
            outer: control,
            next_chunk: AtomicU64::new(0),
            best_offset: AtomicU64::new(u64::MAX),
            best: Mutex::new(None),
            lowest_interrupted: AtomicU64::new(u64::MAX),
            hashes: AtomicU64::new(0),
        };
        let chunks = range.count.div_ceil(self.chunk);
        let workers = u64::try_from(self.threads.get())
            .unwrap_or(u64::MAX)
            .min(chunks);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| self.work(job, range, chunks, &shared));
            }
        });
        let hashes = shared.hashes.load(Ordering::Relaxed);
        let best = shared.best.lock().map(|guard| *guard).unwrap_or(None);
        let interrupted = shared.lowest_interrupted.load(Ordering::Relaxed);
        let outcome = match best {
            Some((offset, solution)) if offset < interrupted => Outcome::Found(solution),
            _ if interrupted != u64::MAX => Outcome::Stopped,
            _ => Outcome::Exhausted,
        };
        Report { outcome, hashes }
    }
}

impl<B: Backend + Sync> Threads<B> {
    /// One worker: take chunks in order until none is left or none can matter.
    fn work(&self, job: &Job, range: NonceRange, chunks: u64, shared: &Shared<'_>) {
        loop {
            let index = shared.next_chunk.fetch_add(1, Ordering::Relaxed);
            if index >= chunks {
                return;
            }
            let chunk_start = index.saturating_mul(self.chunk);
            if shared.best_offset.load(Ordering::Acquire) < chunk_start {
                return;
            }
            let chunk = range.sub_range(chunk_start, self.chunk);
            let control = ChunkControl {
                shared,
                chunk_start,
                outer_stopped: AtomicBool::new(false),
            };
            let report = if control.should_stop() {
                Report {
                    outcome: Outcome::Stopped,
                    hashes: 0,
                }
            } else {
                self.inner.search(job, chunk, &control)
            };
            shared.hashes.fetch_add(report.hashes, Ordering::Relaxed);
            match report.outcome {
                Outcome::Found(solution) => {
                    let offset =
                        chunk_start.saturating_add(solution.nonce.wrapping_sub(chunk.start));
                    self.record(shared, offset, solution);
                }
                Outcome::Stopped if control.outer_stopped.load(Ordering::Relaxed) => {
                    shared
                        .lowest_interrupted
                        .fetch_min(chunk_start, Ordering::Relaxed);
                    return;
                }
                Outcome::Stopped | Outcome::Exhausted => {}
            }
        }
    }

    fn record(&self, shared: &Shared<'_>, offset: u64, solution: Solution) {
        if let Ok(mut best) = shared.best.lock() {
            let better = match *best {
                Some((known, _)) => offset < known,
                None => true,
            };
            if better {
                *best = Some((offset, solution));
            }
        }
        shared.best_offset.fetch_min(offset, Ordering::Release);
    }
}
