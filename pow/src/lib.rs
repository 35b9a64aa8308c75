//! Registration proof of work for subtensor: the seal hash, the chain's difficulty test
//! and nonce solvers.
//!
//! * [`Work`] hashes the block and key once; [`Work::seal`] gives one nonce's seal.
//! * [`Difficulty`], [`Target`] and [`Rule`] decide exactly as the chain does, in the
//!   current little-endian rule or the legacy big-endian one.
//! * [`verify`] checks a submitted solution in the chain's order.
//! * [`Backend`] searches nonce ranges: [`Scalar`] (portable, `no_std`), `Threads`
//!   (feature `threads`), `Simd` (feature `simd`, AVX2/AVX-512 chosen at run time) and
//!   `Gpu` (feature `gpu`, wgpu).
#![no_std]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod difficulty;
#[cfg(feature = "gpu")]
pub mod gpu;
#[cfg(feature = "simd")]
mod lanes;
pub mod scalar;
pub mod search;
#[cfg(feature = "simd")]
pub mod simd;
#[cfg(feature = "threads")]
pub mod threads;
pub mod work;

pub use difficulty::{
    meets_difficulty, seal_value, Difficulty, DifficultyParseError, Rule, Target,
};
#[cfg(feature = "gpu")]
pub use gpu::{Gpu, GpuError};
pub use scalar::Scalar;
pub use search::{Backend, Control, Job, NoControl, NonceRange, Outcome, Report, Solution};
#[cfg(feature = "simd")]
pub use simd::{Isa, Simd};
#[cfg(feature = "threads")]
pub use threads::Threads;
pub use work::{verify, PowError, Work};
