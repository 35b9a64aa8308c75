//! The offline verifier: rerun the epoch and list every uid and field that differs from
//! what a node claims it computed.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::anomaly::{anomalies, Anomaly};
use crate::epoch::epoch;
use crate::error::EpochError;
use crate::input::EpochInput;
use crate::output::{EpochOutput, NeuronTerms};

/// One differing value: which uid, which field, expected and computed (as text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The uid (`None` for a difference in the output's shape).
    pub uid: Option<u16>,
    /// The output field, named as in the vectors' schema.
    pub field: &'static str,
    /// The claimed value.
    pub expected: String,
    /// The value the epoch computes.
    pub computed: String,
}

impl core::fmt::Display for Difference {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.uid {
            Some(uid) => write!(f, "uid {uid} {}: ", self.field)?,
            None => write!(f, "{}: ", self.field)?,
        }
        write!(f, "expected {}, computed {}", self.expected, self.computed)
    }
}

/// The verifier's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Set when the epoch refused the input; then nothing was compared.
    pub error: Option<EpochError>,
    /// Every differing value, in uid order.
    pub differences: Vec<Difference>,
    /// Storage anomalies in the input: warnings, not errors (the chain accepts them).
    pub anomalies: Vec<Anomaly>,
}

impl Report {
    /// True when the epoch ran and every value matched.
    pub fn is_match(&self) -> bool {
        self.error.is_none() && self.differences.is_empty()
    }
}

/// Runs the epoch on `input` and compares every field of every uid with `expected`.
pub fn verify(input: &EpochInput, expected: &EpochOutput) -> Report {
    let anomalies = anomalies(input);
    match epoch(input) {
        Ok(computed) => Report {
            error: None,
            differences: compare(expected, &computed),
            anomalies,
        },
        Err(e) => Report {
            error: Some(e),
            differences: Vec::new(),
            anomalies,
        },
    }
}

fn push<T: PartialEq + core::fmt::Debug>(
    out: &mut Vec<Difference>,
    uid: u16,
    field: &'static str,
    expected: T,
    computed: T,
) {
    if expected != computed {
        out.push(Difference {
            uid: Some(uid),
            field,
            expected: format!("{expected:?}"),
            computed: format!("{computed:?}"),
        });
    }
}

fn compare_terms(out: &mut Vec<Difference>, uid: u16, e: &NeuronTerms, c: &NeuronTerms) {
    push(out, uid, "uid", e.uid, c.uid);
    push(out, uid, "incentive", e.incentive, c.incentive);
    push(out, uid, "dividend", e.dividend, c.dividend);
    push(out, uid, "consensus", e.consensus, c.consensus);
    push(
        out,
        uid,
        "validator_trust",
        e.validator_trust,
        c.validator_trust,
    );
    push(out, uid, "stake_weight", e.stake_weight, c.stake_weight);
    push(out, uid, "active", e.active, c.active);
    push(
        out,
        uid,
        "new_validator_permit",
        e.new_validator_permit,
        c.new_validator_permit,
    );
    push(
        out,
        uid,
        "server_emission",
        e.server_emission,
        c.server_emission,
    );
    push(
        out,
        uid,
        "validator_emission",
        e.validator_emission,
        c.validator_emission,
    );
    push(out, uid, "emission", e.emission, c.emission);
    push(out, uid, "stake", e.stake, c.stake);
}

/// Every difference between two outputs (expected first).
pub fn compare(expected: &EpochOutput, computed: &EpochOutput) -> Vec<Difference> {
    let mut out = Vec::new();
    if expected.terms.len() != computed.terms.len() {
        out.push(Difference {
            uid: None,
            field: "terms (length)",
            expected: format!("{}", expected.terms.len()),
            computed: format!("{}", computed.terms.len()),
        });
    }
    for (i, (e, c)) in expected.terms.iter().zip(&computed.terms).enumerate() {
        let uid = i as u16;
        match (e, c) {
            (Some(e), Some(c)) => compare_terms(&mut out, uid, e, c),
            (None, None) => {}
            (e, c) => out.push(Difference {
                uid: Some(uid),
                field: "terms",
                expected: String::from(if e.is_some() { "a record" } else { "null" }),
                computed: String::from(if c.is_some() { "a record" } else { "null" }),
            }),
        }
        if e.is_some() || c.is_some() {
            push(&mut out, uid, "bond", expected.bond(i), computed.bond(i));
        }
    }
    out
}
