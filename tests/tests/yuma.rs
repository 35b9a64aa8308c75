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
use taolite_yuma::{compare, epoch, epoch_with_trace, EpochOutput, EpochScratch};

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
    // One scratch for every case: its arrays carry over between inputs of every size.
    let mut scratch = EpochScratch::new();
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
        match scratch.epoch(&case.input) {
            Ok(reused) if reused == output => {}
            _ => failures.push(format!(
                "{file} ({}): the epoch in a reused scratch differs",
                case.name
            )),
        }
        // Cut into parts (threads with the feature `parallel`), the same again.
        for parts in [2, 3] {
            match taolite_yuma::epoch_in_parts(&case.input, parts) {
                Ok(split) if split == output => {}
                _ => failures.push(format!(
                    "{file} ({}): the epoch in {parts} parts differs",
                    case.name
                )),
            }
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

/// The dense baseline agrees with the production epoch on the cases that hold ordinary
/// storage (the quirks of unsorted rows, zero entries and anomalies are sparse-only).
#[test]
fn naive_dense_port_agrees_on_ordinary_cases() {
    const QUIRKS: [&str; 4] = [
        "unsorted-rows",
        "zero-entries",
        "storage-anomaly",
        "release-wrap",
    ];
    let mut compared = 0;
    let mut failures = Vec::new();
    for path in json_files("yuma/cases") {
        let case: Case = serde_json::from_str(&read_text(&path)).unwrap();
        if case.input.n > 64 || case.tags.iter().any(|t| QUIRKS.contains(&t.as_str())) {
            continue;
        }
        compared += 1;
        let dense = taolite_yuma::naive::epoch_dense(&case.input).unwrap();
        for d in compare(&case.expected, &dense) {
            failures.push(format!("{} ({}): {d}", path.display(), case.name));
        }
    }
    report("ordinary cases (dense port)", &failures, compared);
}

mod properties {
    use proptest::collection::vec;
    use proptest::prelude::*;
    use taolite_yuma::{epoch, epoch_with_trace, EpochInput, SparseRows, V2Commits, V4Commits};

    fn rows(max_rows: usize, max_uid: u16) -> impl Strategy<Value = SparseRows<u16>> {
        vec(vec((0..max_uid, any::<u16>()), 0..8), 0..max_rows)
            .prop_map(|r| SparseRows::from_nested(r).unwrap())
    }

    prop_compose! {
        /// Anything storage can hold for a small subnet: vectors of any length where
        /// storage allows it, rows unsorted with duplicates, zeros and uids ≥ n,
        /// hyperparameters over their full ranges.
        fn storage_shaped()(n in 0u16..10)(
            n in Just(n),
            blocks in (0u64..2000, any::<u16>(), any::<u32>()),
            last_update in vec(prop_oneof![0u64..2000, any::<u64>()], 0..14),
            per_uid in vec((any::<bool>(), 0u64..2000, prop_oneof![0u64..1_000_000, any::<u64>()], any::<u64>()), n as usize),
            tao in (any::<u64>(), prop_oneof![Just(0u64), any::<u64>()]),
            owner in proptest::option::of(0u16..12),
            permit in vec(any::<bool>(), 0..14),
            k in 0u16..12,
            weights in rows(14, 12),
            bonds in rows(14, 12),
            params in (any::<u16>(), any::<u16>(), prop_oneof![0u64..1_000_000, any::<u64>()], any::<bool>(), any::<bool>()),
            alpha in (any::<u16>(), any::<u16>(), any::<i16>()),
            commits in (any::<bool>(), 0u64..4, 0u64..30, vec((proptest::option::of(0u16..12), vec((0u64..30, 0u64..2000), 0..3)), 0..4), vec((0u64..30, vec((proptest::option::of(0u16..12), 0u64..2000), 0..3)), 0..3)),
            tail in (0u64..2000, any::<u64>()),
        ) -> EpochInput {
            EpochInput {
                n,
                current_block: blocks.0,
                tempo: blocks.1,
                activity_cutoff_factor_milli: blocks.2,
                last_update,
                has_hotkey: per_uid.iter().map(|p| p.0).collect(),
                block_at_registration: per_uid.iter().map(|p| p.1).collect(),
                alpha_stake: per_uid.iter().map(|p| p.2).collect(),
                tao_stake: per_uid.iter().map(|p| p.3).collect(),
                tao_weight: tao.0,
                stake_threshold: tao.1,
                owner_uid: owner,
                validator_permit: permit,
                max_allowed_validators: k,
                weights,
                bonds,
                kappa: params.0,
                bonds_penalty: params.1,
                bonds_moving_average: params.2,
                yuma3_enabled: params.3,
                liquid_alpha_enabled: params.4,
                alpha_low: alpha.0,
                alpha_high: alpha.1,
                alpha_sigmoid_steepness: alpha.2,
                commit_reveal_enabled: commits.0,
                reveal_period: commits.1,
                current_epoch_index: commits.2,
                v2_commits: commits.3.into_iter().map(|(uid, commits)| V2Commits { uid, commits }).collect(),
                v4_commits: commits.4.into_iter().map(|(commit_epoch, commits)| V4Commits { commit_epoch, commits }).collect(),
                last_mechanism_step_block: tail.0,
                rao_emission: tail.1,
            }
        }
    }

    prop_compose! {
        /// Ordinary storage: full-length vectors, rows sorted by uid without zeros or
        /// uids ≥ n, stakes that cannot wrap; `lo ≤ n < hi`.
        fn ordinary_sized(lo: u16, hi: u16)(n in lo..hi)(
            n in Just(n),
            seed in vec((1u64..1000, 0u64..1_000_000_000_000, any::<bool>(), 0u64..100), n as usize),
            density in vec(vec(any::<bool>(), n as usize), n as usize),
            bond_density in vec(vec(any::<bool>(), n as usize), n as usize),
            values in vec(1u16.., (n as usize) * (n as usize)),
            params in (any::<u16>(), any::<u16>(), 0u64..=1_000_000, any::<bool>(), any::<bool>(), any::<u16>(), any::<u16>(), any::<i16>()),
            k in 0u16..hi,
        ) -> EpochInput {
            let n_us = n as usize;
            let row = |mask: &Vec<bool>, i: usize| -> Vec<(u16, u16)> {
                (0..n_us).filter(|j| mask[*j]).map(|j| (j as u16, values[i * n_us + j])).collect()
            };
            EpochInput {
                n,
                current_block: 1000,
                tempo: 100,
                activity_cutoff_factor_milli: 5000,
                last_update: seed.iter().map(|s| 500 + s.0 / 2).collect(),
                has_hotkey: vec![true; n_us],
                block_at_registration: seed.iter().map(|s| s.3 * 5).collect(),
                alpha_stake: seed.iter().map(|s| s.1).collect(),
                tao_stake: seed.iter().map(|s| s.1 / 3).collect(),
                tao_weight: u64::MAX / 5,
                stake_threshold: 1000,
                owner_uid: None,
                validator_permit: seed.iter().map(|s| s.2).collect(),
                max_allowed_validators: k,
                weights: SparseRows::from_nested((0..n_us).map(|i| row(&density[i], i))).unwrap(),
                bonds: SparseRows::from_nested((0..n_us).map(|i| row(&bond_density[i], i))).unwrap(),
                kappa: params.0,
                bonds_penalty: params.1,
                bonds_moving_average: params.2,
                yuma3_enabled: params.3,
                liquid_alpha_enabled: params.4,
                alpha_low: params.5,
                alpha_high: params.6,
                alpha_sigmoid_steepness: params.7,
                commit_reveal_enabled: false,
                reveal_period: 1,
                current_epoch_index: 10,
                v2_commits: Vec::new(),
                v4_commits: Vec::new(),
                last_mechanism_step_block: 0,
                rao_emission: 1_000_000_000,
            }
        }
    }

    /// Ordinary storage of up to 11 uids.
    fn ordinary() -> impl Strategy<Value = EpochInput> {
        ordinary_sized(1, 12)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The sparse epoch equals the dense port on ordinary storage large enough for
        /// the consensus to take its bucketed medians (half-full rows of 64 to 80 uids,
        /// all of them validators).
        #[test]
        fn sparse_equals_dense_at_bucket_sizes(
            input in ordinary_sized(64, 80),
            stake in vec(1u64..1 << 40, 80),
            full in prop_oneof![Just(None), vec(any::<u16>(), 80 * 80).prop_map(Some)],
        ) {
            // Every uid an active validator with stake: each column has ~n/2 voters, or
            // all n when every row is full.
            let mut input = input;
            let n = usize::from(input.n);
            if let Some(values) = full {
                input.weights = SparseRows::from_nested(
                    (0..n).map(|i| (0..n).map(|j| (j as u16, values[i * 80 + j])).collect::<Vec<_>>()),
                )
                .unwrap();
            }
            input.validator_permit = vec![true; n];
            input.max_allowed_validators = input.n;
            input.last_update = vec![input.current_block; n];
            input.alpha_stake = stake[..n].to_vec();
            let sparse = epoch(&input).unwrap();
            let dense = taolite_yuma::naive::epoch_dense(&input).unwrap();
            let diffs = taolite_yuma::compare(&dense, &sparse);
            prop_assert!(diffs.is_empty(), "{:?}", diffs);
            let (traced, _) = epoch_with_trace(&input).unwrap();
            prop_assert_eq!(&sparse, &traced);
            for parts in [2, 3] {
                prop_assert_eq!(&taolite_yuma::epoch_in_parts(&input, parts).unwrap(), &sparse, "{} parts", parts);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Storage-shaped input never errs; the emission shares never exceed what is
        /// distributed; terms exist exactly for uids with a hotkey; bonds rows only
        /// for new permits; the traced run gives the same output.
        #[test]
        fn a_reused_scratch_changes_nothing(a in storage_shaped(), b in storage_shaped()) {
            let mut scratch = taolite_yuma::EpochScratch::new();
            // a, then b in a's arrays, then a in arrays grown (or not) for b.
            for (k, input) in [&a, &b, &a].into_iter().enumerate() {
                prop_assert_eq!(scratch.epoch(input).unwrap(), epoch(input).unwrap(), "call {}", k);
            }
        }

        #[test]
        fn storage_shaped_inputs_run_and_stay_bounded(input in storage_shaped()) {
            let out = epoch(&input).unwrap();
            let n = usize::from(input.n);
            prop_assert_eq!(out.terms.len(), n);
            prop_assert_eq!(out.bonds.rows(), n);
            let terms: Vec<_> = out.terms.iter().flatten().collect();
            // Small subnets: no sum in the epoch can wrap, so the shares are fractions.
            if input.alpha_stake.iter().all(|s| *s < 1 << 60) && input.tao_stake.iter().all(|s| *s < 1 << 60) {
                for total in [
                    terms.iter().map(|t| u128::from(t.server_emission)).sum::<u128>(),
                    terms.iter().map(|t| u128::from(t.validator_emission)).sum::<u128>(),
                    terms.iter().map(|t| u128::from(t.emission)).sum::<u128>(),
                ] {
                    prop_assert!(total <= u128::from(input.rao_emission), "{} > {}", total, input.rao_emission);
                }
            }
            for (i, t) in out.terms.iter().enumerate() {
                prop_assert_eq!(t.is_some(), input.has_hotkey[i]);
                if let Some(t) = t {
                    prop_assert_eq!(usize::from(t.uid), i);
                    if !t.new_validator_permit {
                        prop_assert!(out.bond(i).is_empty());
                    }
                }
            }
            for parts in [2, 3] {
                prop_assert_eq!(&taolite_yuma::epoch_in_parts(&input, parts).unwrap(), &out, "{} parts", parts);
            }
            let (traced, _) = epoch_with_trace(&input).unwrap();
            prop_assert_eq!(traced, out);
        }

        /// Per-uid vectors of the wrong length are refused, not a panic.
        #[test]
        fn wrong_lengths_are_errors(mut input in storage_shaped(), extra in 1usize..3) {
            input.alpha_stake.extend(std::iter::repeat_n(0, extra));
            prop_assert!(epoch(&input).is_err());
        }

        /// SCALE and JSON carry every input exactly.
        #[test]
        fn inputs_round_trip(input in storage_shaped()) {
            use parity_scale_codec::{Decode, Encode};
            let bytes = input.encode();
            prop_assert_eq!(&EpochInput::decode(&mut &bytes[..]).unwrap(), &input);
            let json = serde_json::to_string(&input).unwrap();
            prop_assert_eq!(&serde_json::from_str::<EpochInput>(&json).unwrap(), &input);
        }

        /// Full rows (every validator weights and bonds every uid, as on busy subnets)
        /// take the zipped integer paths of the plain epoch; the traced epoch does not.
        /// Both, and the dense port, must agree — with masks, extreme penalties and
        /// moving averages, zero stakes and consensus, in both Yuma variants.
        #[test]
        fn full_rows_agree_with_traced_and_dense(
            input in ordinary(),
            values in vec(any::<u16>(), 144),
            bond_values in vec(prop_oneof![4 => any::<u16>(), 1 => Just(u16::MAX), 1 => Just(0)], 144),
            registered in vec(prop_oneof![Just(0u64), 0u64..1200], 12),
            bpm in prop_oneof![Just(0u16), Just(u16::MAX), any::<u16>()],
            bma in prop_oneof![Just(0u64), Just(1_000_000u64), 0u64..1_000_000, any::<u64>()],
        ) {
            let mut input = input;
            let n = usize::from(input.n);
            let full = |v: &[u16]| {
                SparseRows::from_nested((0..n).map(|i| (0..n).map(|j| (j as u16, v[i * 12 + j])).collect::<Vec<_>>())).unwrap()
            };
            input.weights = full(&values);
            input.bonds = full(&bond_values);
            input.block_at_registration = registered[..n].to_vec();
            input.bonds_penalty = bpm;
            input.bonds_moving_average = bma;
            input.liquid_alpha_enabled = false;
            let plain = epoch(&input).unwrap();
            let (traced, _) = epoch_with_trace(&input).unwrap();
            prop_assert_eq!(&plain, &traced);
            for parts in [2, 3] {
                prop_assert_eq!(&taolite_yuma::epoch_in_parts(&input, parts).unwrap(), &plain, "{} parts", parts);
            }
            if bma <= 1_000_000 {
                let dense = taolite_yuma::naive::epoch_dense(&input).unwrap();
                let diffs = taolite_yuma::compare(&dense, &plain);
                prop_assert!(diffs.is_empty(), "{:?}", diffs);
            }
        }

        /// The sparse epoch equals the dense port on ordinary storage.
        #[test]
        fn sparse_equals_dense_on_ordinary_storage(input in ordinary()) {
            let sparse = epoch(&input).unwrap();
            let dense = taolite_yuma::naive::epoch_dense(&input).unwrap();
            let diffs = taolite_yuma::compare(&dense, &sparse);
            prop_assert!(diffs.is_empty(), "{:?}", diffs);
        }

        /// Without liquid alpha every EMA rebuilds rows in ascending uid order (spec §7.1),
        /// whatever the storage order of weights and bonds.
        #[test]
        fn bonds_rows_are_sorted_without_liquid_alpha(input in storage_shaped()) {
            let mut input = input;
            input.liquid_alpha_enabled = false;
            let out = epoch(&input).unwrap();
            for i in 0..out.bonds.rows() {
                let row = out.bond(i);
                prop_assert!(row.windows(2).all(|w| w[0].0 < w[1].0), "row {} not ascending: {:?}", i, row);
            }
        }
    }
}
