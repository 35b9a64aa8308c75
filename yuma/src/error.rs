//! Why an epoch input is refused: only shapes chain storage can never hold.

use crate::sparse::TooManyEntries;

/// An input the chain's storage could never produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EpochError {
    /// A per-uid vector whose length is not `n` (storage holds one value per uid).
    LengthMismatch {
        /// The input field.
        field: &'static str,
        /// `n`.
        expected: usize,
        /// The vector's length.
        actual: usize,
    },
    /// Sparse rows whose offsets are not a valid layout (only from decoded bytes).
    InvalidSparseLayout {
        /// The input field.
        field: &'static str,
    },
    /// More than `u32::MAX` entries in one matrix.
    TooManyEntries,
}

impl core::fmt::Display for EpochError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::LengthMismatch {
                field,
                expected,
                actual,
            } => write!(f, "{field} has {actual} entries, expected n = {expected}"),
            Self::InvalidSparseLayout { field } => {
                write!(
                    f,
                    "{field}: row offsets are not a valid compressed-row layout"
                )
            }
            Self::TooManyEntries => f.write_str("a matrix holds more than u32::MAX entries"),
        }
    }
}

impl core::error::Error for EpochError {}

impl From<TooManyEntries> for EpochError {
    fn from(_: TooManyEntries) -> Self {
        Self::TooManyEntries
    }
}
