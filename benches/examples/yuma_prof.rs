//! Runs one synthetic epoch configuration many times, for profilers (callgrind, perf):
//! `yuma_prof N DENSITY YUMA3 LA ITERS [REUSE]`, where DENSITY ≤ 1 is a fraction of the
//! n × n matrix and above 1 a total number of weights, and REUSE = 1 runs the epochs in
//! one `EpochScratch`. Prints the peak heap of one epoch and
//! the median and minimum times.
#![allow(missing_docs)]

use std::time::Instant;

use taolite_benches::peak_heap;
use taolite_benches::yuma_inputs::{dense, sparse, synth};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or_else(|| default.into());
    let n: u16 = arg(0, "256").parse().expect("N");
    let density: f64 = arg(1, "1").parse().expect("DENSITY");
    let yuma3 = arg(2, "1") == "1";
    let la = arg(3, "0") == "1";
    let iters: usize = arg(4, "200").parse().expect("ITERS");
    let reuse = arg(5, "0") == "1";
    let config = if density > 1.0 {
        sparse(n, density as usize, yuma3, la)
    } else {
        dense(n, density, yuma3, la)
    };
    let input = synth(config);
    let (_, peak) = peak_heap(|| taolite_yuma::epoch(&input).expect("epoch"));
    println!(
        "peak heap {:.2} MB = {:.2} x the stored weights",
        peak as f64 / 1e6,
        peak as f64 / (input.weights.nnz() * 4) as f64
    );
    let mut scratch = taolite_yuma::EpochScratch::new();
    let mut times: Vec<f64> = (0..iters)
        .map(|_| {
            let start = Instant::now();
            let input = std::hint::black_box(&input);
            let output = if reuse {
                scratch.epoch(input)
            } else {
                taolite_yuma::epoch(input)
            };
            std::hint::black_box(output.expect("epoch"));
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{}{}: median {:.3} ms, min {:.3} ms over {iters}",
        config.label(),
        if reuse { " (scratch reused)" } else { "" },
        times[times.len() / 2],
        times[0]
    );
}
