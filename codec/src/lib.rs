//! SCALE codecs for subtensor calls, extrinsics, storage and the Synapse envelope.
//!
//! * [`scale`]: the building blocks (bounded zero-copy reader, caller-buffer output).
//! * [`era`], [`address`], [`extensions`]: the pieces of a signed extrinsic.
//! * [`call`]: typed subtensor / Balances / Utility calls and the call-index table.
//! * [`extrinsic`]: signing payload, build and sign into a caller buffer, decode, verify.
//! * [`weights`]: the SDK's weight normalisation and the commit-reveal hash.
//! * [`storage`]: storage keys and values of the items an epoch reads and writes.
//! * `metadata` (feature `metadata`, default): the call table, argument types and
//!   extension list read from runtime metadata (V14/V15).
//! * `epoch_state` (feature `yuma`): a state dump to a `taolite_yuma::EpochInput` and back.
//!
//! Nothing here allocates unless the `alloc` feature is used for convenience methods.
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

pub mod address;
pub mod call;
#[cfg(feature = "yuma")]
pub mod epoch_state;
pub mod era;
pub mod error;
pub mod extensions;
pub mod extrinsic;
#[cfg(feature = "std")]
pub mod json;
#[cfg(feature = "metadata")]
pub mod metadata;
pub mod scale;
pub mod signers;
pub mod storage;
pub mod synapse;
pub mod weights;

pub use address::{MultiAddress, MultiSignature, SignatureScheme};
pub use call::{Call, CallKind, CallTable};
pub use era::Era;
pub use error::{BufferTooSmall, DecodeError};
