//! Synthetic subnets for the Yuma epoch benchmarks (`benches/yuma.rs`) and the profiling
//! example (`examples/yuma_prof.rs`), so both time the same inputs.
#![allow(missing_docs)]

use taolite_yuma::{EpochInput, SparseRows};

/// xorshift64*: deterministic inputs without a dependency.
pub struct Rng(u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }
}

#[derive(Clone, Copy)]
pub struct Config {
    pub n: u16,
    /// Either a fraction of the `n × n` matrix…
    pub density: f64,
    /// …or, when set, a total number of weights spread over the validators.
    pub total_weights: Option<usize>,
    pub yuma3: bool,
    pub liquid_alpha: bool,
}

impl Config {
    pub fn label(&self) -> String {
        let shape = match self.total_weights {
            Some(t) => format!("n{}_{}w", self.n, t),
            None => format!("n{}_{}pct", self.n, (self.density * 100.0).round()),
        };
        let mode = if self.yuma3 { "yuma3" } else { "yuma" };
        let la = if self.liquid_alpha { "_la" } else { "" };
        format!("{shape}_{mode}{la}")
    }
}

/// A subnet where every uid is a validator that sets weights (the worst case: no row is
/// masked away), rows sorted and max-upscaled as the chain stores them, bonds of the
/// same density as if from earlier epochs.
pub fn synth(c: Config) -> EpochInput {
    let n = usize::from(c.n);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ u64::from(c.n));
    // Entries of row i: the total spread evenly, the first rows taking the remainder.
    let per_row = |i: usize| match c.total_weights {
        Some(t) => (t / n.max(1) + usize::from(i < t % n.max(1))).max(1),
        None => ((c.density * n as f64).round() as usize).max(1),
    };
    let sparse_rows = |rng: &mut Rng, upscale: bool| {
        let mut rows = SparseRows::with_capacity(n, n * per_row(0));
        for i in 0..n {
            let per_row = per_row(i);
            let mut cols: Vec<u16> = if per_row >= n {
                (0..c.n).collect()
            } else {
                let mut picked: Vec<u16> =
                    (0..per_row).map(|_| rng.below(n as u64) as u16).collect();
                picked.sort_unstable();
                picked.dedup();
                picked
            };
            let vals: Vec<u64> = cols.iter().map(|_| 1 + rng.below(65535)).collect();
            let max = vals.iter().copied().max().unwrap_or(1);
            for (j, v) in cols.drain(..).zip(vals) {
                let v = if upscale { v * 65535 / max } else { v };
                rows.push_entry(j, v.max(1) as u16);
            }
            rows.finish_row().unwrap();
        }
        rows
    };
    let weights = sparse_rows(&mut rng, true);
    let bonds = sparse_rows(&mut rng, false);
    EpochInput {
        n: c.n,
        current_block: 1_000_000,
        tempo: 360,
        activity_cutoff_factor_milli: 13_889,
        last_update: (0..n).map(|_| 999_000 + rng.below(1000)).collect(),
        has_hotkey: vec![true; n],
        block_at_registration: (0..n).map(|_| 900_000 + rng.below(99_000)).collect(),
        alpha_stake: (0..n).map(|_| 1_000_000_000 + rng.below(1 << 50)).collect(),
        tao_stake: (0..n).map(|_| rng.below(1 << 40)).collect(),
        tao_weight: u64::MAX / 6,
        stake_threshold: 0,
        owner_uid: Some(0),
        validator_permit: vec![true; n],
        max_allowed_validators: c.n,
        weights,
        bonds,
        kappa: 32_767,
        bonds_penalty: 32_767,
        bonds_moving_average: 900_000,
        yuma3_enabled: c.yuma3,
        liquid_alpha_enabled: c.liquid_alpha,
        alpha_low: 45_875,
        alpha_high: 58_982,
        alpha_sigmoid_steepness: 1000,
        commit_reveal_enabled: false,
        reveal_period: 1,
        current_epoch_index: 2777,
        v2_commits: Vec::new(),
        v4_commits: Vec::new(),
        last_mechanism_step_block: 999_640,
        rao_emission: 1_000_000_000,
    }
}

pub fn dense(n: u16, density: f64, yuma3: bool, liquid_alpha: bool) -> Config {
    Config {
        n,
        density,
        total_weights: None,
        yuma3,
        liquid_alpha,
    }
}

pub fn sparse(n: u16, total: usize, yuma3: bool, liquid_alpha: bool) -> Config {
    Config {
        n,
        density: 0.0,
        total_weights: Some(total),
        yuma3,
        liquid_alpha,
    }
}
