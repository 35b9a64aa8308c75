//! What every solver shares: the job, the nonce range, the control hooks and the result.

use core::sync::atomic::{AtomicBool, Ordering};

use crate::difficulty::{Difficulty, Rule, Target};
use crate::work::Work;

/// Everything a backend needs to test a nonce: the work item, the precomputed target and
/// the byte-order rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// Block hash and key, hashed once.
    pub work: Work,
    /// `⌊(2^256 − 1) / difficulty⌋`.
    pub target: Target,
    /// How seal bytes are read as a number.
    pub rule: Rule,
}

impl Job {
    /// Builds a job, dividing once for the target.
    pub fn new(work: Work, difficulty: &Difficulty, rule: Rule) -> Self {
        Self {
            work,
            target: Target::new(difficulty),
            rule,
        }
    }

    /// Whether `nonce` solves this job (full seal and exact test).
    pub fn check(&self, nonce: u64) -> Option<Solution> {
        let seal = self.work.seal(nonce);
        self.target
            .is_met_by(&seal, self.rule)
            .then_some(Solution { nonce, seal })
    }
}

/// `count` consecutive nonces from `start` (inclusive) to `start + count` (exclusive),
/// counted modulo 2^64: a range may wrap from `u64::MAX` to 0.
///
/// `count = 0` is empty; at most `2^64 − 1` nonces fit in one range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NonceRange {
    /// The first nonce searched.
    pub start: u64,
    /// How many nonces are searched.
    pub count: u64,
}

impl NonceRange {
    /// `count` nonces from `start`, wrapping after `u64::MAX`.
    pub const fn new(start: u64, count: u64) -> Self {
        Self { start, count }
    }

    /// Every nonce but one, starting at `start` (the largest range there is).
    pub const fn all_from(start: u64) -> Self {
        Self {
            start,
            count: u64::MAX,
        }
    }

    /// The nonce `offset` places after `start`.
    pub const fn nonce_at(&self, offset: u64) -> u64 {
        self.start.wrapping_add(offset)
    }

    /// The part of this range from `offset` on, at most `len` nonces long.
    pub fn sub_range(&self, offset: u64, len: u64) -> Self {
        Self {
            start: self.nonce_at(offset),
            count: len.min(self.count.saturating_sub(offset)),
        }
    }
}

/// A nonce and its seal, which meets the job's difficulty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Solution {
    /// The nonce.
    pub nonce: u64,
    /// Its seal (the extrinsic's `work`).
    pub seal: [u8; 32],
}

/// How a search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The first solution in nonce order within the range.
    Found(Solution),
    /// The whole range was searched without a solution.
    Exhausted,
    /// The control asked to stop before the range was finished and no solution is known
    /// to be the first one.
    Stopped,
}

/// The result of a search: how it ended, and how many seals were computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// How the search ended.
    pub outcome: Outcome,
    /// Seals computed for nonces inside the range (a lane-parallel backend may compute a
    /// few past the solution inside its last batch).
    pub hashes: u64,
}

impl Report {
    /// The solution, if one was found.
    pub fn solution(&self) -> Option<Solution> {
        match self.outcome {
            Outcome::Found(solution) => Some(solution),
            Outcome::Exhausted | Outcome::Stopped => None,
        }
    }
}

/// Hooks a running search calls between batches (about a millisecond of work or less).
///
/// `Sync` because [`crate::Threads`] calls it from every worker.
pub trait Control: Sync {
    /// Return true to stop the search (a new block arrived, the user pressed Ctrl-C).
    fn should_stop(&self) -> bool {
        false
    }

    /// `hashes` more seals were computed since the last call on this thread.
    fn progress(&self, hashes: u64) {
        let _ = hashes;
    }
}

/// Never stops, reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoControl;

impl Control for NoControl {}

/// A cancellation flag: set it (from any thread) to stop the search.
impl Control for AtomicBool {
    fn should_stop(&self) -> bool {
        self.load(Ordering::Relaxed)
    }
}

/// A nonce searcher. Every implementation returns the same answer for the same job and
/// range: the solution with the smallest offset from `range.start`.
pub trait Backend {
    /// A short name for logs and benchmarks.
    fn name(&self) -> &'static str;

    /// Searches `range` for the first nonce (in range order) whose seal meets the job.
    fn search(&self, job: &Job, range: NonceRange, control: &dyn Control) -> Report;
}

impl<B: Backend + ?Sized> Backend for &B {
    fn name(&self) -> &'static str {
        (**self).name()
    }

    fn search(&self, job: &Job, range: NonceRange, control: &dyn Control) -> Report {
        (**self).search(job, range, control)
    }
}
