//! The shared vectors' JSON schema (`taolite.yuma.epoch-case.v1` and the unit-test
//! sequences): a case is an input, the chain's output and optionally its trace.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::input::EpochInput;
use crate::output::{EpochOutput, NeuronTerms};
use crate::sparse::SparseRows;
use crate::trace::Trace;

/// One single-epoch case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Schema name, `taolite.yuma.epoch-case.v1`.
    #[serde(default)]
    pub schema: String,
    /// Case name.
    #[serde(default)]
    pub name: String,
    /// What the case exercises.
    #[serde(default)]
    pub description: String,
    /// Tags (see the vectors' README).
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the epoch reads.
    pub input: EpochInput,
    /// What the chain's epoch returned.
    pub expected: EpochOutput,
    /// The chain's intermediate vectors, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Trace>,
}

/// One step of a multi-epoch unit-test sequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStep {
    /// The state the epoch reads at this step.
    pub input: EpochInput,
    /// What the chain's epoch returned.
    pub expected: EpochOutput,
}

/// One upstream epoch unit test replayed as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitTest {
    /// Upstream test name.
    pub test: String,
    /// Where the replay was thinned, if it was.
    #[serde(default)]
    pub note: Option<String>,
    /// The epochs in order.
    pub steps: Vec<UnitStep>,
}

/// The file `unit/epoch_tests.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitTests {
    /// Schema name, `taolite.yuma.unit-epoch-tests.v1`.
    #[serde(default)]
    pub schema: String,
    /// The tests.
    pub tests: Vec<UnitTest>,
}

/// JSON shape of one term: the record plus its bonds row.
#[derive(Serialize, Deserialize)]
struct TermJson {
    uid: u16,
    incentive: u16,
    dividend: u16,
    consensus: u16,
    validator_trust: u16,
    stake_weight: u16,
    active: bool,
    new_validator_permit: bool,
    server_emission: u64,
    validator_emission: u64,
    emission: u64,
    stake: u64,
    bond: Vec<(u16, u16)>,
}

#[derive(Serialize, Deserialize)]
struct OutputJson {
    terms: Vec<Option<TermJson>>,
}

impl Serialize for EpochOutput {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let terms = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| {
                t.as_ref().map(|t| TermJson {
                    uid: t.uid,
                    incentive: t.incentive,
                    dividend: t.dividend,
                    consensus: t.consensus,
                    validator_trust: t.validator_trust,
                    stake_weight: t.stake_weight,
                    active: t.active,
                    new_validator_permit: t.new_validator_permit,
                    server_emission: t.server_emission,
                    validator_emission: t.validator_emission,
                    emission: t.emission,
                    stake: t.stake,
                    bond: self.bond(i).to_vec(),
                })
            })
            .collect();
        OutputJson { terms }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for EpochOutput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = OutputJson::deserialize(deserializer)?;
        let mut terms = Vec::with_capacity(json.terms.len());
        let mut bonds = SparseRows::new();
        for t in json.terms {
            match t {
                None => terms.push(None),
                Some(t) => {
                    for (j, v) in t.bond {
                        bonds.push_entry(j, v);
                    }
                    terms.push(Some(NeuronTerms {
                        uid: t.uid,
                        incentive: t.incentive,
                        dividend: t.dividend,
                        consensus: t.consensus,
                        validator_trust: t.validator_trust,
                        stake_weight: t.stake_weight,
                        active: t.active,
                        new_validator_permit: t.new_validator_permit,
                        server_emission: t.server_emission,
                        validator_emission: t.validator_emission,
                        emission: t.emission,
                        stake: t.stake,
                    }));
                }
            }
            bonds.finish_row().map_err(serde::de::Error::custom)?;
        }
        Ok(EpochOutput { terms, bonds })
    }
}
