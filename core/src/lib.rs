//! taolite-core: the pieces every taolite crate shares.
//!
//! * [`fixed`]: the chain's fixed-point arithmetic, bit-exact with substrate-fixed 0.6.0.
//! * [`hash`]: SHA-256, Keccak-256, Blake2b and xxHash as Substrate uses them.
//! * [`hex`], [`account`], [`ss58`]: byte strings, account ids and addresses.
//! * [`keys`]: sr25519 keys, BIP39 mnemonics, secret URIs, signing.
//!
//! `no_std` first: with default features off nothing here allocates or needs an OS.
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

pub mod account;
pub mod fixed;
pub mod hash;
pub mod hex;
pub mod keys;
pub mod ss58;

pub use account::{AccountId32, H256};
