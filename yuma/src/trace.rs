//! Intermediate vectors of one epoch, in the form of the vectors' `trace` fields.
//!
//! Fixed-point values are raw bit patterns (`i64` for I32F32, `i128` for I64F64) so a
//! divergence from the chain can be located to the stage and the ulp. Every field is
//! optional: a reference trace may carry a subset, and the Yuma-only or commit-reveal
//! fields are absent when the branch does not run.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::sparse::SparseRows;

/// Intermediate values after each stage of the epoch (spec §4; README `trace`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
#[allow(missing_docs)] // field names are the schema's; each maps to a spec section
pub struct Trace {
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub total_stake_i64f64: Option<Vec<i128>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub stake_normalized_i64f64: Option<Vec<i128>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub stake_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub active_stake_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub weights_normalized_i32f32: Option<SparseRows<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub consensus_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub clipped_weights_i32f32: Option<SparseRows<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub validator_trust_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub ranks_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub incentive_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub weights_for_bonds_i32f32: Option<SparseRows<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub bonds_prepared_i32f32: Option<SparseRows<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub bonds_delta_i32f32: Option<SparseRows<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub ema_bonds_i32f32: Option<SparseRows<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub ema_bonds_final_i32f32: Option<SparseRows<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub dividends_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub normalized_server_emission_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub normalized_validator_emission_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub normalized_combined_emission_i32f32: Option<Vec<i64>>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub commit_blocks: Option<Vec<u64>>,
}

/// One place where two traces differ: the field, and the first differing position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceDifference {
    /// Trace field name, as in the schema.
    pub field: &'static str,
    /// What differs (index, row, values).
    pub detail: String,
}

impl core::fmt::Display for TraceDifference {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "trace.{}: {}", self.field, self.detail)
    }
}

fn compare_vec<T: PartialEq + core::fmt::Debug>(
    field: &'static str,
    expected: &Option<Vec<T>>,
    actual: &Option<Vec<T>>,
    out: &mut Vec<TraceDifference>,
) {
    let Some(expected) = expected else { return };
    let Some(actual) = actual else {
        out.push(TraceDifference {
            field,
            detail: String::from("missing from the computed trace"),
        });
        return;
    };
    if expected.len() != actual.len() {
        out.push(TraceDifference {
            field,
            detail: format!(
                "length {} expected, {} computed",
                expected.len(),
                actual.len()
            ),
        });
    }
    if let Some((i, (e, a))) = expected
        .iter()
        .zip(actual.iter())
        .enumerate()
        .find(|(_, (e, a))| e != a)
    {
        out.push(TraceDifference {
            field,
            detail: format!("first difference at uid {i}: expected {e:?}, computed {a:?}"),
        });
    }
}

fn compare_rows(
    field: &'static str,
    expected: &Option<SparseRows<i64>>,
    actual: &Option<SparseRows<i64>>,
    out: &mut Vec<TraceDifference>,
) {
    let Some(expected) = expected else { return };
    let Some(actual) = actual else {
        out.push(TraceDifference {
            field,
            detail: String::from("missing from the computed trace"),
        });
        return;
    };
    if expected.rows() != actual.rows() {
        out.push(TraceDifference {
            field,
            detail: format!(
                "{} rows expected, {} computed",
                expected.rows(),
                actual.rows()
            ),
        });
    }
    for i in 0..expected.rows().min(actual.rows()) {
        let (e, a) = (expected.row(i), actual.row(i));
        if e != a {
            out.push(TraceDifference {
                field,
                detail: format!("first difference in row {i}: expected {e:?}, computed {a:?}"),
            });
            return;
        }
    }
}

impl Trace {
    /// Every field present in `expected` that differs in `self` (first difference each).
    pub fn differences_from(&self, expected: &Trace) -> Vec<TraceDifference> {
        let mut out = Vec::new();
        let (e, a) = (expected, self);
        compare_vec(
            "total_stake_i64f64",
            &e.total_stake_i64f64,
            &a.total_stake_i64f64,
            &mut out,
        );
        compare_vec(
            "stake_normalized_i64f64",
            &e.stake_normalized_i64f64,
            &a.stake_normalized_i64f64,
            &mut out,
        );
        compare_vec("stake_i32f32", &e.stake_i32f32, &a.stake_i32f32, &mut out);
        compare_vec(
            "active_stake_i32f32",
            &e.active_stake_i32f32,
            &a.active_stake_i32f32,
            &mut out,
        );
        compare_rows(
            "weights_normalized_i32f32",
            &e.weights_normalized_i32f32,
            &a.weights_normalized_i32f32,
            &mut out,
        );
        compare_vec(
            "consensus_i32f32",
            &e.consensus_i32f32,
            &a.consensus_i32f32,
            &mut out,
        );
        compare_rows(
            "clipped_weights_i32f32",
            &e.clipped_weights_i32f32,
            &a.clipped_weights_i32f32,
            &mut out,
        );
        compare_vec(
            "validator_trust_i32f32",
            &e.validator_trust_i32f32,
            &a.validator_trust_i32f32,
            &mut out,
        );
        compare_vec("ranks_i32f32", &e.ranks_i32f32, &a.ranks_i32f32, &mut out);
        compare_vec(
            "incentive_i32f32",
            &e.incentive_i32f32,
            &a.incentive_i32f32,
            &mut out,
        );
        compare_rows(
            "weights_for_bonds_i32f32",
            &e.weights_for_bonds_i32f32,
            &a.weights_for_bonds_i32f32,
            &mut out,
        );
        compare_rows(
            "bonds_prepared_i32f32",
            &e.bonds_prepared_i32f32,
            &a.bonds_prepared_i32f32,
            &mut out,
        );
        compare_rows(
            "bonds_delta_i32f32",
            &e.bonds_delta_i32f32,
            &a.bonds_delta_i32f32,
            &mut out,
        );
        compare_rows(
            "ema_bonds_i32f32",
            &e.ema_bonds_i32f32,
            &a.ema_bonds_i32f32,
            &mut out,
        );
        compare_rows(
            "ema_bonds_final_i32f32",
            &e.ema_bonds_final_i32f32,
            &a.ema_bonds_final_i32f32,
            &mut out,
        );
        compare_vec(
            "dividends_i32f32",
            &e.dividends_i32f32,
            &a.dividends_i32f32,
            &mut out,
        );
        compare_vec(
            "normalized_server_emission_i32f32",
            &e.normalized_server_emission_i32f32,
            &a.normalized_server_emission_i32f32,
            &mut out,
        );
        compare_vec(
            "normalized_validator_emission_i32f32",
            &e.normalized_validator_emission_i32f32,
            &a.normalized_validator_emission_i32f32,
            &mut out,
        );
        compare_vec(
            "normalized_combined_emission_i32f32",
            &e.normalized_combined_emission_i32f32,
            &a.normalized_combined_emission_i32f32,
            &mut out,
        );
        compare_vec(
            "commit_blocks",
            &e.commit_blocks,
            &a.commit_blocks,
            &mut out,
        );
        out
    }
}
