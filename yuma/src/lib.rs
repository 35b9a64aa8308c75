//! The Yuma consensus epoch, bit-exact with subtensor.
//!
//! [`epoch`] reproduces the chain's production (sparse) epoch for one mechanism of one
//! subnet: from what storage holds ([`EpochInput`], the chain's own units) to what the
//! chain persists per uid ([`EpochOutput`]). Every rounding, wrap and saturation of the
//! chain's fixed-point code is reproduced (see the spec in the repository's vectors).
//! [`epoch_with_trace`] also returns the intermediate vectors, and [`verify`] reruns an
//! epoch to check a claimed result field by field.
//!
//! The cost grows with the number of stored weights and bonds plus `n log n`, never
//! with `n²`: masked weights are a view over storage, the weighted median is computed
//! per column from its explicit entries, and liquid alpha only for present entries.
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

#[cfg(feature = "alloc")]
mod aligned_ema;
#[cfg(feature = "alloc")]
mod aligned_yuma;
#[cfg(feature = "alloc")]
pub mod anomaly;
#[cfg(feature = "alloc")]
pub mod arith;
#[cfg(feature = "alloc")]
mod batches;
#[cfg(all(feature = "alloc", feature = "serde"))]
pub mod case;
#[cfg(feature = "alloc")]
mod consensus;
#[cfg(feature = "alloc")]
mod cpu;
#[cfg(feature = "alloc")]
mod dividends;
#[cfg(feature = "alloc")]
mod epoch;
#[cfg(feature = "alloc")]
mod error;
#[cfg(feature = "alloc")]
mod exp;
#[cfg(feature = "alloc")]
mod input;
#[cfg(feature = "alloc")]
mod liquid_alpha;
#[cfg(feature = "naive")]
pub mod naive;
#[cfg(feature = "alloc")]
mod narrow_columns;
#[cfg(feature = "alloc")]
mod output;
#[cfg(feature = "alloc")]
mod proportion;
#[cfg(feature = "alloc")]
mod rows;
#[cfg(feature = "alloc")]
mod scratch;
#[cfg(feature = "alloc")]
pub mod sparse;
#[cfg(feature = "alloc")]
mod split;
#[cfg(feature = "alloc")]
mod spread;
#[cfg(feature = "alloc")]
mod trace;
#[cfg(feature = "alloc")]
mod verify;

#[cfg(feature = "alloc")]
pub use anomaly::{anomalies, Anomaly};
#[cfg(feature = "naive")]
pub use epoch::epoch_in_parts;
#[cfg(feature = "alloc")]
pub use epoch::{epoch, epoch_with_trace};
#[cfg(feature = "alloc")]
pub use error::EpochError;
#[cfg(feature = "alloc")]
pub use input::{EpochInput, V2Commits, V4Commits};
#[cfg(feature = "alloc")]
pub use output::{EpochOutput, NeuronTerms};
#[cfg(feature = "alloc")]
pub use scratch::EpochScratch;
#[cfg(feature = "alloc")]
pub use sparse::SparseRows;
#[cfg(feature = "alloc")]
pub use trace::{Trace, TraceDifference};
#[cfg(feature = "alloc")]
pub use verify::{compare, verify, Difference, Report};
