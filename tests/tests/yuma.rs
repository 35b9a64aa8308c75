//! The Yuma epoch against the shared vectors: every case of `yuma/cases` (outputs and
//! traces), every step of the chain's epoch unit tests in `yuma/unit`, and the math
//! primitives that have a public counterpart.

use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;
use taolite_core::fixed::{exp_safe, I32F32, I64F64};
use taolite_tests::json_files;
use taolite_yuma::arith::{normalize, normalize_64, proportion_to_u16};
use taolite_yuma::case::{Case, UnitTests};
use taolite_yuma::{compare, epoch, epoch_with_trace, EpochOutput};

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Fails listing every failure (file, case, uid, field), at most 200 lines.
fn report(kind: &str, failures: &[String], checked: usize) {
    if !failures.is_empty() {
        let shown: Vec<&str> = failures.iter().take(200).map(String::as_str).collect();
        panic!(
            "{} failures over {checked} {kind}:\n{}",
            failures.len(),
            shown.join("\n")
        );
    }
    assert!(checked > 0, "no {kind} were checked");
}

#[test]
fn every_case_matches_outputs_and_trace() {
    let mut failures = Vec::new();
    let files = json_files("yuma/cases");
    for path in &files {
        let file = path.display();
        let case: Case = serde_json::from_str(&read_text(path))
            .unwrap_or_else(|e| panic!("{file}: not a yuma case: {e}"));
        let (output, trace) = match epoch_with_trace(&case.input) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!(
                    "{file} ({}): epoch refused the input: {e}",
                    case.name
                ));
                continue;
            }
        };
        for d in compare(&case.expected, &output) {
            failures.push(format!("{file} ({}): {d}", case.name));
        }
        if let Some(expected) = &case.trace {
            for d in trace.differences_from(expected) {
                failures.push(format!("{file} ({}): {d}", case.name));
            }
        }
        // The plain entry point must agree with the traced one.
        match epoch(&case.input) {
            Ok(plain) if plain == output => {}
            _ => failures.push(format!(
                "{file} ({}): epoch differs from epoch_with_trace",
                case.name
            )),
        }
    }
    report("cases", &failures, files.len());
}

#[test]
fn cases_round_trip_through_json_and_scale() {
    use parity_scale_codec::{Decode, Encode};
    let files = json_files("yuma/cases");
    // A handful suffices: the schema is the same for all.
    for path in files.iter().take(12) {
        let file = path.display();
        let case: Case = serde_json::from_str(&read_text(path)).unwrap();
        let json = serde_json::to_string(&case).unwrap();
        let again: Case = serde_json::from_str(&json).unwrap();
        assert_eq!(case, again, "{file}: JSON round trip changed the case");
        let bytes = case.input.encode();
        let decoded = taolite_yuma::EpochInput::decode(&mut &bytes[..]).unwrap();
        assert_eq!(
            case.input, decoded,
            "{file}: SCALE round trip changed the input"
        );
        let bytes = case.expected.encode();
        let decoded = EpochOutput::decode(&mut &bytes[..]).unwrap();
        assert_eq!(
            case.expected, decoded,
            "{file}: SCALE round trip changed the output"
        );
    }
}

fn unit_test_files() -> Vec<std::path::PathBuf> {
    json_files("yuma/unit")
        .into_iter()
        .filter(|p| read_schema(p).as_deref() == Some("taolite.yuma.unit-epoch-tests.v1"))
        .collect()
}

fn read_schema(path: &Path) -> Option<String> {
    #[derive(Deserialize)]
    struct Schema {
        schema: Option<String>,
    }
    serde_json::from_str::<Schema>(&read_text(path))
        .ok()?
        .schema
}

/// Each step of each upstream test, and the state the chain carries between steps: a
/// step's stored bonds are the previous step's output wherever the test did not reset
/// them (same `n`, and the uid kept its hotkey).
#[test]
fn every_unit_epoch_sequence_matches() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut carried = 0;
    let files = unit_test_files();
    assert!(!files.is_empty(), "no unit epoch test file found");
    for path in &files {
        let file = path.display();
        let tests: UnitTests = serde_json::from_str(&read_text(path))
            .unwrap_or_else(|e| panic!("{file}: not a unit epoch test file: {e}"));
        for test in &tests.tests {
            let mut previous: Option<EpochOutput> = None;
            for (k, step) in test.steps.iter().enumerate() {
                checked += 1;
                let name = format!("{file} ({} step {k})", test.test);
                let output = match epoch(&step.input) {
                    Ok(o) => o,
                    Err(e) => {
                        failures.push(format!("{name}: epoch refused the input: {e}"));
                        previous = None;
                        continue;
                    }
                };
                for d in compare(&step.expected, &output) {
                    failures.push(format!("{name}: {d}"));
                }
                if let Some(prev) = &previous {
                    let n = usize::from(step.input.n);
                    let same_shape = prev.terms.len() == n;
                    let stored_equal = (0..n).all(|i| step.input.bonds.row(i) == prev.bond(i));
                    if same_shape && stored_equal {
                        carried += 1;
                    }
                }
                previous = Some(output);
            }
        }
    }
    report("unit epoch steps", &failures, checked);
    // Most sequences carry bonds unchanged from one epoch to the next; if none did, the
    // steps would not be a sequence at all.
    assert!(carried > 0, "no step carried the previous step's bonds");
}

#[derive(Deserialize)]
struct MathFile {
    records: Vec<MathRecord>,
}

#[derive(Deserialize)]
struct MathRecord {
    test: String,
    function: String,
    inputs: Box<RawValue>,
    output: Box<RawValue>,
}

fn parse<'a, T: Deserialize<'a>>(raw: &'a RawValue, what: &str) -> T {
    serde_json::from_str(raw.get()).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// The primitives with a public counterpart; the others are exercised by every case.
#[test]
fn math_primitives_match() {
    let files: Vec<_> = json_files("yuma/unit")
        .into_iter()
        .filter(|p| read_schema(p).as_deref() == Some("taolite.yuma.unit-math.v1"))
        .collect();
    assert!(!files.is_empty(), "no math primitive file found");
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let file: MathFile = serde_json::from_str(&read_text(path)).unwrap();
        for (k, r) in file.records.iter().enumerate() {
            let what = format!(
                "{} record {k} ({} / {})",
                path.display(),
                r.test,
                r.function
            );
            #[derive(Deserialize)]
            struct X<T> {
                x: T,
            }
            let ok = match r.function.as_str() {
                "exp_safe" => {
                    let x: X<i64> = parse(&r.inputs, &what);
                    let out: i64 = parse(&r.output, &what);
                    exp_safe(I32F32::from_bits(x.x)).to_bits() == out
                }
                "fixed_proportion_to_u16" => {
                    let x: X<i64> = parse(&r.inputs, &what);
                    let out: u16 = parse(&r.output, &what);
                    proportion_to_u16(I32F32::from_bits(x.x)) == out
                }
                "fixed64_to_u64" => {
                    let x: X<i128> = parse(&r.inputs, &what);
                    let out: u64 = parse(&r.output, &what);
                    I64F64::from_bits(x.x).saturating_to_num::<u64>() == out
                }
                "inplace_normalize" => {
                    let x: X<Vec<i64>> = parse(&r.inputs, &what);
                    let out: Vec<i64> = parse(&r.output, &what);
                    let mut v: Vec<I32F32> = x.x.into_iter().map(I32F32::from_bits).collect();
                    normalize(&mut v);
                    v.iter().map(|f| f.to_bits()).collect::<Vec<_>>() == out
                }
                "inplace_normalize_64" => {
                    let x: X<Vec<i128>> = parse(&r.inputs, &what);
                    let out: Vec<i128> = parse(&r.output, &what);
                    let mut v: Vec<I64F64> = x.x.into_iter().map(I64F64::from_bits).collect();
                    normalize_64(&mut v);
                    v.iter().map(|f| f.to_bits()).collect::<Vec<_>>() == out
                }
                "vec_fixed64_to_fixed32" => {
                    #[derive(Deserialize)]
                    struct V {
                        vec: Vec<i128>,
                    }
                    let x: V = parse(&r.inputs, &what);
                    let out: Vec<i64> = parse(&r.output, &what);
                    x.vec
                        .iter()
                        .map(|b| I32F32::saturating_from_num(I64F64::from_bits(*b)).to_bits())
                        .collect::<Vec<_>>()
                        == out
                }
                "u16_to_fixed" => {
                    let x: X<u16> = parse(&r.inputs, &what);
                    let out: i64 = parse(&r.output, &what);
                    I32F32::from_num(x.x).to_bits() == out
                }
                _ => continue,
            };
            checked += 1;
            if !ok {
                failures.push(what);
            }
        }
    }
    report("math primitive records", &failures, checked);
}
