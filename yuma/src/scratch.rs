//! Memory kept from one epoch to the next, for callers that run many.

use alloc::vec::Vec;

use crate::error::EpochError;
use crate::input::EpochInput;
use crate::output::EpochOutput;
use crate::rows::CsrBuffers;

/// The epoch's two large working arrays (the normalised weights and the bonds EMA),
/// kept between calls.
///
/// [`crate::epoch`] allocates them anew each time and frees them before it returns.
/// At full density they are most of the epoch's memory, and fresh memory costs page
/// faults on first touch. glibc's allocator hands free memory at the top of the heap
/// back to the system once it exceeds a threshold that grows with the largest block
/// freed so far; in a process that runs only epochs of one size, measured here, about
/// a third of a back-to-back n = 256 full-density epoch went to faulting the same
/// pages in again. A scratch
/// keeps the arrays instead, for a verifier or simulator that runs many epochs. The
/// results are the same bits as [`crate::epoch`]'s; the price is that the arrays stay
/// allocated, sized for the largest input so far, until the scratch is dropped.
///
/// ```
/// # fn demo(inputs: &[taolite_yuma::EpochInput]) -> Result<(), taolite_yuma::EpochError> {
/// let mut scratch = taolite_yuma::EpochScratch::new();
/// for input in inputs {
///     assert_eq!(scratch.epoch(input)?, taolite_yuma::epoch(input)?);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Default)]
pub struct EpochScratch {
    pub(crate) values: Vec<u32>,
    pub(crate) ema: CsrBuffers,
}

impl EpochScratch {
    /// An empty scratch: the first epoch allocates the arrays.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs [`crate::epoch`] on `input` in this scratch's arrays.
    pub fn epoch(&mut self, input: &EpochInput) -> Result<EpochOutput, EpochError> {
        crate::epoch::epoch_reusing(input, self)
    }
}

impl core::fmt::Debug for EpochScratch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EpochScratch")
            .field("weight_slots", &self.values.capacity())
            .finish_non_exhaustive()
    }
}
