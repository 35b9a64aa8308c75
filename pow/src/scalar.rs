//! The portable backend: one nonce at a time through RustCrypto's SHA-256 and Keccak-256.
//!
//! It is the reference the other backends are tested against, and the fallback where no
//! vector unit is available. `no_std`, no allocation.

use crate::search::{Backend, Control, Job, NonceRange, Outcome, Report};

/// Nonces between two calls of the [`Control`] hooks (≈ 0.3 ms on a desktop core).
const BATCH: u64 = 1024;

/// One nonce at a time, in order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scalar;

impl Backend for Scalar {
    fn name(&self) -> &'static str {
        "scalar"
    }

    fn search(&self, job: &Job, range: NonceRange, control: &dyn Control) -> Report {
        let mut done = 0u64;
        while done < range.count {
            if control.should_stop() {
                return Report {
                    outcome: Outcome::Stopped,
                    hashes: done,
                };
            }
            let batch = range.sub_range(done, BATCH);
            for offset in 0..batch.count {
                if let Some(solution) = job.check(batch.nonce_at(offset)) {
                    let hashes = done.saturating_add(offset).saturating_add(1);
                    control.progress(offset.saturating_add(1));
                    return Report {
                        outcome: Outcome::Found(solution),
                        hashes,
                    };
                }
            }
            done = done.saturating_add(batch.count);
            control.progress(batch.count);
        }
        Report {
            outcome: Outcome::Exhausted,
            hashes: done,
        }
    }
}
