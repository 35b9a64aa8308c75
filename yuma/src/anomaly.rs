//! Storage anomalies: inputs the chain accepts, and whose results depend on its exact
//! handling, but that an operator would want pointed out (unsorted rows, zero entries,
//! uids ≥ n, vectors of another length than n, parameters outside policy, sums that wrap
//! in the chain's release build). The epoch reproduces all of them; `verify` and the CLI
//! list them as warnings beside the result.

use alloc::vec::Vec;
use core::fmt;

use crate::input::EpochInput;
use crate::sparse::SparseRows;

/// Which sparse matrix an anomaly was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matrix {
    /// `Weights`.
    Weights,
    /// `Bonds`.
    Bonds,
}

impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Weights => "weights",
            Self::Bonds => "bonds",
        })
    }
}

/// One kind of anomaly, with how often it occurs and where it first occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anomaly {
    /// Rows whose uids are not strictly ascending (unsorted, or a uid repeated).
    UnsortedRows {
        /// The matrix.
        matrix: Matrix,
        /// How many rows.
        rows: usize,
        /// The first such row.
        first_row: usize,
    },
    /// Entries with a zero value (kept by the chain; they matter for Yuma3 bonds).
    ZeroEntries {
        /// The matrix.
        matrix: Matrix,
        /// How many entries.
        entries: usize,
        /// Row of the first one.
        first_row: usize,
    },
    /// Entries naming a uid ≥ n (ignored by most stages, not all).
    UidsOutOfRange {
        /// The matrix.
        matrix: Matrix,
        /// How many entries.
        entries: usize,
        /// Row of the first one.
        first_row: usize,
        /// Its uid.
        first_uid: u16,
    },
    /// More rows than uids (rows ≥ n are ignored).
    RowsBeyondN {
        /// The matrix.
        matrix: Matrix,
        /// How many rows it has.
        rows: usize,
    },
    /// A stored vector whose length is not n (`last_update`, `validator_permit`).
    VectorLength {
        /// The storage item.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The number of uids.
        n: u16,
    },
    /// `alpha_low > alpha_high`: the liquid-alpha interpolation runs backwards.
    AlphaLowAboveHigh {
        /// `alpha_low` (× 65535).
        low: u16,
        /// `alpha_high` (× 65535).
        high: u16,
    },
    /// `bonds_moving_average` above 10^6 ppm: the EMA coefficient goes negative.
    BondsMovingAverageAboveOne {
        /// The value in ppm.
        value: u64,
    },
    /// The owner uid is not below n.
    OwnerUidOutOfRange {
        /// The owner's uid.
        uid: u16,
    },
    /// The stakes are large enough that the chain's I64F64 stake sum can wrap (its
    /// release build has no overflow checks), which sends every normalised stake to 0.
    StakeSumMayWrap,
}

impl fmt::Display for Anomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnsortedRows { matrix, rows, first_row } => write!(
                f,
                "{matrix}: {rows} row(s) not in strictly ascending uid order (first: row {first_row})"
            ),
            Self::ZeroEntries { matrix, entries, first_row } => write!(
                f,
                "{matrix}: {entries} zero-valued entr(ies) (first in row {first_row})"
            ),
            Self::UidsOutOfRange { matrix, entries, first_row, first_uid } => write!(
                f,
                "{matrix}: {entries} entr(ies) with uid >= n (first: uid {first_uid} in row {first_row})"
            ),
            Self::RowsBeyondN { matrix, rows } => {
                write!(f, "{matrix}: {rows} rows stored, more than n")
            }
            Self::VectorLength { field, len, n } => {
                write!(f, "{field} has length {len}, not n = {n}")
            }
            Self::AlphaLowAboveHigh { low, high } => {
                write!(f, "alpha_low {low} is above alpha_high {high}")
            }
            Self::BondsMovingAverageAboveOne { value } => write!(
                f,
                "bonds_moving_average {value} ppm is above 1000000 (negative EMA coefficient)"
            ),
            Self::OwnerUidOutOfRange { uid } => write!(f, "owner uid {uid} is not below n"),
            Self::StakeSumMayWrap => f.write_str(
                "total stake can exceed I64F64's range: the chain's stake sum wraps (release build)",
            ),
        }
    }
}

/// Every anomaly in `input`, one entry per kind and matrix, in a fixed order.
pub fn anomalies(input: &EpochInput) -> Vec<Anomaly> {
    let mut found = Vec::new();
    let n = usize::from(input.n);
    scan_rows(Matrix::Weights, &input.weights, n, &mut found);
    scan_rows(Matrix::Bonds, &input.bonds, n, &mut found);
    for (field, len) in [
        ("last_update", input.last_update.len()),
        ("validator_permit", input.validator_permit.len()),
    ] {
        if len != n {
            found.push(Anomaly::VectorLength {
                field,
                len,
                n: input.n,
            });
        }
    }
    if input.alpha_low > input.alpha_high {
        found.push(Anomaly::AlphaLowAboveHigh {
            low: input.alpha_low,
            high: input.alpha_high,
        });
    }
    if input.bonds_moving_average > 1_000_000 {
        found.push(Anomaly::BondsMovingAverageAboveOne {
            value: input.bonds_moving_average,
        });
    }
    if let Some(uid) = input.owner_uid.filter(|&uid| uid >= input.n) {
        found.push(Anomaly::OwnerUidOutOfRange { uid });
    }
    if stake_sum_may_wrap(input) {
        found.push(Anomaly::StakeSumMayWrap);
    }
    found
}

/// Each uid's total stake is at most alpha + tao (the TAO weight is ≤ 1), so a sum of
/// those below 2^63 cannot reach I64F64's integer range; at or above it, it can.
fn stake_sum_may_wrap(input: &EpochInput) -> bool {
    let bound: u128 = input
        .alpha_stake
        .iter()
        .zip(&input.tao_stake)
        .map(|(&a, &t)| u128::from(a).saturating_add(u128::from(t)))
        .fold(0u128, u128::saturating_add);
    bound >= 1u128 << 63
}

fn scan_rows(matrix: Matrix, rows: &SparseRows<u16>, n: usize, found: &mut Vec<Anomaly>) {
    let mut unsorted: Option<(usize, usize)> = None;
    let mut zeros: Option<(usize, usize)> = None;
    let mut out_of_range: Option<(usize, usize, u16)> = None;
    for (i, row) in rows.iter_rows().enumerate() {
        if row
            .windows(2)
            .any(|pair| matches!(pair, [a, b] if a.0 >= b.0))
        {
            let (count, _) = unsorted.get_or_insert((0, i));
            *count = count.saturating_add(1);
        }
        for &(uid, value) in row {
            if value == 0 {
                let (count, _) = zeros.get_or_insert((0, i));
                *count = count.saturating_add(1);
            }
            if usize::from(uid) >= n {
                let (count, _, _) = out_of_range.get_or_insert((0, i, uid));
                *count = count.saturating_add(1);
            }
        }
    }
    if let Some((rows, first_row)) = unsorted {
        found.push(Anomaly::UnsortedRows {
            matrix,
            rows,
            first_row,
        });
    }
    if let Some((entries, first_row)) = zeros {
        found.push(Anomaly::ZeroEntries {
            matrix,
            entries,
            first_row,
        });
    }
    if let Some((entries, first_row, first_uid)) = out_of_range {
        found.push(Anomaly::UidsOutOfRange {
            matrix,
            entries,
            first_row,
            first_uid,
        });
    }
    if rows.rows() > n {
        found.push(Anomaly::RowsBeyondN {
            matrix,
            rows: rows.rows(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn rows(nested: &[&[(u16, u16)]]) -> SparseRows<u16> {
        SparseRows::from_nested(nested.iter().map(|r| r.iter().copied())).unwrap()
    }

    fn input() -> EpochInput {
        EpochInput {
            n: 2,
            last_update: vec![0, 0],
            validator_permit: vec![true, false],
            has_hotkey: vec![true, true],
            block_at_registration: vec![0, 0],
            alpha_stake: vec![1, 1],
            tao_stake: vec![0, 0],
            weights: rows(&[&[(0, 1), (1, 2)], &[]]),
            bonds: rows(&[&[], &[]]),
            ..EpochInput::default()
        }
    }

    #[test]
    fn ordinary_storage_has_no_anomalies() {
        assert_eq!(anomalies(&input()), vec![]);
    }

    #[test]
    fn each_anomaly_is_found_once_with_its_first_place() {
        let mut input = input();
        input.weights = rows(&[&[(1, 5), (0, 0), (7, 1)], &[(1, 1), (1, 2)], &[]]);
        input.validator_permit = vec![];
        input.alpha_low = 2;
        input.alpha_high = 1;
        input.bonds_moving_average = 1_000_001;
        input.owner_uid = Some(9);
        input.alpha_stake = vec![u64::MAX, 1];
        assert_eq!(
            anomalies(&input),
            vec![
                Anomaly::UnsortedRows {
                    matrix: Matrix::Weights,
                    rows: 2,
                    first_row: 0
                },
                Anomaly::ZeroEntries {
                    matrix: Matrix::Weights,
                    entries: 1,
                    first_row: 0
                },
                Anomaly::UidsOutOfRange {
                    matrix: Matrix::Weights,
                    entries: 1,
                    first_row: 0,
                    first_uid: 7
                },
                Anomaly::RowsBeyondN {
                    matrix: Matrix::Weights,
                    rows: 3
                },
                Anomaly::VectorLength {
                    field: "validator_permit",
                    len: 0,
                    n: 2
                },
                Anomaly::AlphaLowAboveHigh { low: 2, high: 1 },
                Anomaly::BondsMovingAverageAboveOne { value: 1_000_001 },
                Anomaly::OwnerUidOutOfRange { uid: 9 },
                Anomaly::StakeSumMayWrap,
            ]
        );
    }
}
