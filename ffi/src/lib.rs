//! The C ABI of taolite.
//!
//! A thin translation layer: every exported function checks its pointers, calls a library
//! crate, and maps the outcome to a [`TaoliteStatus`]. The conventions are written at the
//! top of the generated header `ffi/include/taolite.h` and in `ffi/README.md`.
//!
//! Every `extern "C"` function is `unsafe` to call from Rust because it dereferences raw
//! pointers supplied by the caller; the safety contract is the C contract in the header.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

mod boundary;
mod handle;
mod status;

pub mod epoch;
pub mod extrinsic;
pub mod hash;
pub mod keys;
pub mod pow;
pub mod ss58;
pub mod synapse;

pub use boundary::taolite_last_error;
pub use status::TaoliteStatus;
