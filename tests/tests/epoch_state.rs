//! The storage side of the offline epoch verifier: every yuma vector written as a chain
//! state dump (inputs before the epoch's block, outputs after it), read back, rerun and
//! verified; single flipped bytes are reported; malformed dumps give typed errors.

use std::path::Path;

use serde::Deserialize;
use taolite_codec::epoch_state::{
    compare_stored, encode_input, encode_output, epoch_input, split_emission, stored_output,
    verify_state, StateDump, StateError,
};
use taolite_codec::storage::{self, KeyPart};
use taolite_core::AccountId32;
use taolite_tests::json_files;
use taolite_yuma::case::{Case, UnitTests};
use taolite_yuma::{compare, epoch, EpochInput, EpochOutput};

const NETUID: u16 = 3;

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn cases() -> Vec<(String, Case)> {
    json_files("yuma/cases")
        .into_iter()
        .map(|p| {
            let case: Case = serde_json::from_str(&read_text(&p))
                .unwrap_or_else(|e| panic!("{}: not a case: {e}", p.display()));
            (p.display().to_string(), case)
        })
        .collect()
}

fn report(kind: &str, failures: &[String], checked: usize) {
    if !failures.is_empty() {
        let shown: Vec<&str> = failures.iter().take(100).map(String::as_str).collect();
        panic!(
            "{} failures over {checked} {kind}:\n{}",
            failures.len(),
            shown.join("\n")
        );
    }
    assert!(checked > 0, "no {kind} were checked");
}

/// Through JSON and back, as the CLI reads it.
fn via_json(dump: &StateDump) -> StateDump {
    let text = serde_json::to_string(&dump.to_json_value()).unwrap();
    StateDump::from_json(&text).unwrap()
}

/// The input fields storage holds as given (uids without a hotkey read 0 stake and
/// registration; commits are re-keyed by hotkey and compared through the epoch).
fn same_storage_fields(a: &EpochInput, b: &EpochInput) -> Result<(), String> {
    macro_rules! same {
        ($($f:ident),*) => {$(
            if a.$f != b.$f {
                return Err(format!("{} differs: {:?} vs {:?}", stringify!($f), a.$f, b.$f));
            }
        )*};
    }
    same!(
        n,
        current_block,
        tempo,
        activity_cutoff_factor_milli,
        last_update,
        has_hotkey,
        tao_weight,
        stake_threshold,
        owner_uid,
        validator_permit,
        max_allowed_validators,
        weights,
        bonds,
        kappa,
        bonds_penalty,
        bonds_moving_average,
        yuma3_enabled,
        liquid_alpha_enabled,
        alpha_low,
        alpha_high,
        alpha_sigmoid_steepness,
        commit_reveal_enabled,
        reveal_period,
        current_epoch_index,
        last_mechanism_step_block,
        rao_emission
    );
    for (uid, has) in a.has_hotkey.iter().enumerate() {
        let masked = |v: &[u64]| if *has { v.get(uid).copied() } else { Some(0) };
        for (name, x, y) in [
            (
                "block_at_registration",
                &a.block_at_registration,
                &b.block_at_registration,
            ),
            ("alpha_stake", &a.alpha_stake, &b.alpha_stake),
            ("tao_stake", &a.tao_stake, &b.tao_stake),
        ] {
            if masked(x) != y.get(uid).copied() {
                return Err(format!("{name}[{uid}] differs"));
            }
        }
    }
    Ok(())
}

/// encode → JSON → decode → epoch → the vector's expected output, and the encoded
/// outputs verify against the rerun.
fn round_trip(name: &str, input: &EpochInput, expected: &EpochOutput, failures: &mut Vec<String>) {
    let in_dump = match encode_input(input, NETUID, 0) {
        Ok(d) => via_json(&d),
        Err(e) => return failures.push(format!("{name}: encode: {e}")),
    };
    let decoded = match epoch_input(&in_dump) {
        Ok(i) => i,
        Err(e) => return failures.push(format!("{name}: decode: {e}")),
    };
    if let Err(e) = same_storage_fields(input, &decoded) {
        failures.push(format!("{name}: decoded input: {e}"));
    }
    match epoch(&decoded) {
        Ok(out) => {
            for d in compare(expected, &out).iter().take(5) {
                failures.push(format!("{name}: epoch on decoded storage: {d}"));
            }
        }
        Err(e) => failures.push(format!("{name}: epoch refused decoded input: {e}")),
    }
    let out_dump = via_json(&encode_output(input, expected, NETUID, 0).unwrap());
    match verify_state(&in_dump, &out_dump) {
        Ok(report) if report.is_match() => {}
        Ok(report) => failures.push(format!(
            "{name}: verify_state: {:?} {:?}",
            report.epoch_error,
            report
                .differences
                .iter()
                .take(5)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        )),
        Err(e) => failures.push(format!("{name}: verify_state: {e}")),
    }
}

#[test]
fn every_case_round_trips_through_storage() {
    let mut failures = Vec::new();
    let all = cases();
    for (file, case) in &all {
        round_trip(file, &case.input, &case.expected, &mut failures);
    }
    report("cases", &failures, all.len());
}

#[test]
fn every_unit_epoch_step_round_trips_through_storage() {
    #[derive(Deserialize)]
    struct Schema {
        schema: Option<String>,
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in json_files("yuma/unit") {
        let text = read_text(&path);
        let schema: Schema = serde_json::from_str(&text).unwrap();
        if schema.schema.as_deref() != Some("taolite.yuma.unit-epoch-tests.v1") {
            continue;
        }
        let tests: UnitTests = serde_json::from_str(&text).unwrap();
        for test in &tests.tests {
            for (k, step) in test.steps.iter().enumerate() {
                checked += 1;
                let name = format!("{} ({} step {k})", path.display(), test.test);
                round_trip(&name, &step.input, &step.expected, &mut failures);
            }
        }
    }
    report("unit steps", &failures, checked);
}

fn prefix_of(name: &str) -> Vec<u8> {
    storage::item("SubtensorModule", name)
        .unwrap()
        .prefix()
        .as_bytes()
        .to_vec()
}

fn flipped(dump: &StateDump, key: &[u8], at: usize) -> StateDump {
    let mut d = dump.clone();
    if let Some(b) = d.storage.get_mut(key).and_then(|v| v.get_mut(at)) {
        *b ^= 0x01;
    }
    d
}

/// Every byte of every stored output value (last byte only for large cases) is checked:
/// flipping it gives a typed error or a difference.
#[test]
fn a_flipped_output_byte_is_reported() {
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for (file, case) in cases().iter().filter(|(_, c)| c.input.n <= 64) {
        let in_dump = encode_input(&case.input, NETUID, 0).unwrap();
        let out_dump = encode_output(&case.input, &case.expected, NETUID, 0).unwrap();
        let input = epoch_input(&in_dump).unwrap();
        let computed = epoch(&input).unwrap();
        for (key, value) in &out_dump.storage {
            let positions: Vec<usize> = if case.input.n <= 16 {
                (0..value.len()).collect()
            } else {
                vec![value.len() - 1]
            };
            for at in positions {
                checked += 1;
                let bad = flipped(&out_dump, key, at);
                let reported = match stored_output(&in_dump, &bad) {
                    Err(_) => true,
                    Ok(stored) => !compare_stored(&stored, &input, &computed).is_empty(),
                };
                if !reported {
                    failures.push(format!(
                        "{file}: flip of byte {at} at key {} not reported",
                        hex(key)
                    ));
                }
            }
        }
    }
    report("output bytes", &failures, checked);
}

fn hex(b: &[u8]) -> String {
    taolite_core::hex::encode_prefixed(b)
}

/// Flipping the last byte of any input value changes the decoded input or is a typed
/// error. (`Keys` accounts and commit tuples also hold bytes the epoch never reads, such
/// as the commit hash; they are covered by the targeted checks below.)
#[test]
fn a_flipped_input_byte_is_reported() {
    let skip = [
        prefix_of("Keys"),
        prefix_of("WeightCommits"),
        prefix_of("TimelockedWeightCommits"),
    ];
    let mut failures = Vec::new();
    let mut checked = 0usize;
    // Each flip re-decodes the whole dump: small cases keep the test quick.
    for (file, case) in cases().iter().filter(|(_, c)| c.input.n <= 32) {
        let in_dump = encode_input(&case.input, NETUID, 0).unwrap();
        let baseline = epoch_input(&in_dump).unwrap();
        for (key, value) in &in_dump.storage {
            if skip.iter().any(|p| key.starts_with(p)) || value.is_empty() {
                continue;
            }
            checked += 1;
            let bad = flipped(&in_dump, key, value.len() - 1);
            match epoch_input(&bad) {
                Err(_) => {}
                Ok(decoded) if decoded != baseline => {}
                Ok(_) => failures.push(format!("{file}: flip at key {} ignored", hex(key))),
            }
        }
    }
    report("input values", &failures, checked);
}

/// A flipped hotkey byte detaches the uid's stake; a flipped commit block changes the
/// decoded commit; end to end, a flipped stake byte is a reported difference.
#[test]
fn targeted_input_flips_are_reported() {
    let all = cases();
    let (file, case) = all
        .iter()
        .find(|(_, c)| {
            c.input.commit_reveal_enabled
                && !c.input.v2_commits.is_empty()
                && c.input.alpha_stake.iter().any(|s| *s > 0)
        })
        .expect("a commit-reveal case with stake");
    let in_dump = encode_input(&case.input, NETUID, 0).unwrap();
    let baseline = epoch_input(&in_dump).unwrap();

    let uid = case.input.alpha_stake.iter().position(|s| *s > 0).unwrap() as u16;
    let keys_key = storage::item("SubtensorModule", "Keys")
        .unwrap()
        .key(&[KeyPart::U16(NETUID), KeyPart::U16(uid)])
        .unwrap();
    let decoded = epoch_input(&flipped(&in_dump, keys_key.as_bytes(), 31)).unwrap();
    assert_ne!(
        decoded, baseline,
        "{file}: a flipped hotkey of a staked uid went unseen"
    );

    let commits = prefix_of("WeightCommits");
    let (key, value) = in_dump
        .storage
        .iter()
        .find(|(k, _)| k.starts_with(&commits))
        .unwrap();
    // Byte 1 + 32 + 8 is the first byte of the first entry's commit block.
    let decoded = epoch_input(&flipped(&in_dump, key, 1 + 32 + 8)).unwrap();
    assert!(value.len() > 41);
    assert_ne!(
        decoded, baseline,
        "{file}: a flipped commit block went unseen"
    );

    // End to end: the largest stake's top byte flipped makes the stored outputs disagree.
    let out_dump = encode_output(&case.input, &case.expected, NETUID, 0).unwrap();
    let top = (0..case.input.n)
        .max_by_key(|u| case.input.alpha_stake[*u as usize])
        .unwrap();
    let stake_key = storage::item("SubtensorModule", "TotalHotkeyAlpha")
        .unwrap()
        .key(&[
            KeyPart::Account(taolite_codec::epoch_state::hotkey_account(top)),
            KeyPart::U16(NETUID),
        ])
        .unwrap();
    let report = verify_state(&flipped(&in_dump, stake_key.as_bytes(), 6), &out_dump).unwrap();
    assert!(
        !report.is_match(),
        "{file}: a flipped stake byte was not reported"
    );
}

fn small_case() -> Case {
    cases()
        .into_iter()
        .map(|(_, c)| c)
        .find(|c| c.input.n >= 3 && c.input.has_hotkey.iter().all(|h| *h))
        .expect("a small case with hotkeys")
}

fn key(name: &str, parts: &[KeyPart]) -> Vec<u8> {
    storage::item("SubtensorModule", name)
        .unwrap()
        .key(parts)
        .unwrap()
        .as_bytes()
        .to_vec()
}

#[test]
fn malformed_and_inconsistent_dumps_are_typed_errors() {
    let case = small_case();
    let dump = encode_input(&case.input, NETUID, 0).unwrap();
    let net = [KeyPart::U16(NETUID)];

    let mut d = dump.clone();
    d.insert(&key("Tempo", &net), vec![1, 2, 3]);
    match epoch_input(&d) {
        Err(StateError::MalformedValue { item: "Tempo", .. }) => {}
        other => panic!("expected a malformed Tempo, got {other:?}"),
    }

    let mut d = dump.clone();
    let mut bad = key("Weights", &[KeyPart::U16(NETUID), KeyPart::U16(0)]);
    bad.push(9);
    d.insert(&bad, vec![0]);
    match epoch_input(&d) {
        Err(StateError::MalformedKey {
            item: "Weights", ..
        }) => {}
        other => panic!("expected a malformed Weights key, got {other:?}"),
    }

    let mut d = dump.clone();
    d.storage.remove(&key("NetworksAdded", &net));
    assert_eq!(
        epoch_input(&d),
        Err(StateError::SubnetNotAdded { netuid: NETUID })
    );

    let mut d = dump.clone();
    d.mechanism = 1;
    assert!(matches!(
        epoch_input(&d),
        Err(StateError::MechanismNotActive { count: 1, .. })
    ));

    let mut d = dump.clone();
    let first = d
        .get(&key("Keys", &[KeyPart::U16(NETUID), KeyPart::U16(0)]))
        .unwrap()
        .to_vec();
    d.insert(
        &key("Keys", &[KeyPart::U16(NETUID), KeyPart::U16(2)]),
        first,
    );
    assert_eq!(
        epoch_input(&d),
        Err(StateError::DuplicateHotkey {
            first: 0,
            second: 2
        })
    );

    // An oversize length prefix is refused without allocating for it.
    let mut d = dump.clone();
    d.insert(&key("LastUpdate", &net), vec![0xfe, 0xff, 0xff, 0xff]);
    assert!(matches!(
        epoch_input(&d),
        Err(StateError::MalformedValue {
            item: "LastUpdate",
            ..
        })
    ));

    // Dumps of different subnets are not compared.
    let mut other = encode_output(&case.input, &case.expected, NETUID, 0).unwrap();
    other.netuid = NETUID + 1;
    assert_eq!(
        verify_state(&dump, &other).unwrap_err(),
        StateError::DumpMismatch
    );
}

#[test]
fn json_dumps_refuse_duplicates_and_bad_hex() {
    let dump = encode_input(&small_case().input, NETUID, 0).unwrap();
    let mut json = dump.to_json_value();
    let pairs = json["storage"].as_array_mut().unwrap();
    let first = pairs[0].clone();
    pairs.push(first);
    assert!(StateDump::from_json(&json.to_string())
        .unwrap_err()
        .0
        .contains("twice"));
    let mut json = dump.to_json_value();
    json["storage"][0][1] = "0xzz".into();
    assert!(StateDump::from_json(&json.to_string()).is_err());
    let mut json = dump.to_json_value();
    json["schema"] = "other".into();
    assert!(StateDump::from_json(&json.to_string()).is_err());
    // A null value is an absent key.
    let mut json = dump.to_json_value();
    let tempo = hex(&key("Tempo", &[KeyPart::U16(NETUID)]));
    for pair in json["storage"].as_array_mut().unwrap() {
        if pair[0] == tempo.as_str() {
            pair[1] = serde_json::Value::Null;
        }
    }
    let parsed = StateDump::from_json(&json.to_string()).unwrap();
    assert_eq!(
        epoch_input(&parsed).unwrap().tempo,
        360,
        "absent Tempo reads the default"
    );
}

#[test]
fn stake_is_inherited_through_child_and_parent_keys() {
    let case = small_case();
    let mut dump = encode_input(&case.input, NETUID, 0).unwrap();
    let a = taolite_codec::epoch_state::hotkey_account(0);
    let parent = AccountId32([9; 32]);
    let child = AccountId32([8; 32]);
    let put = |d: &mut StateDump, name: &str, parts: &[KeyPart], v: Vec<u8>| {
        d.insert(&key(name, parts), v);
    };
    put(
        &mut dump,
        "TotalHotkeyAlpha",
        &[KeyPart::Account(a), KeyPart::U16(NETUID)],
        1000u64.to_le_bytes().to_vec(),
    );
    put(
        &mut dump,
        "TotalHotkeyAlpha",
        &[KeyPart::Account(a), KeyPart::U16(0)],
        400u64.to_le_bytes().to_vec(),
    );
    put(
        &mut dump,
        "TotalHotkeyAlpha",
        &[KeyPart::Account(parent), KeyPart::U16(NETUID)],
        500u64.to_le_bytes().to_vec(),
    );
    put(
        &mut dump,
        "TotalHotkeyAlpha",
        &[KeyPart::Account(parent), KeyPart::U16(0)],
        70u64.to_le_bytes().to_vec(),
    );
    // Vec<(u64 proportion, AccountId32)> with one entry of proportion u64::MAX (= 1).
    let one = |who: AccountId32| {
        let mut v = vec![4u8];
        v.extend(u64::MAX.to_le_bytes());
        v.extend(who.0);
        v
    };
    put(
        &mut dump,
        "ChildKeys",
        &[KeyPart::Account(a), KeyPart::U16(NETUID)],
        one(child),
    );
    put(
        &mut dump,
        "ParentKeys",
        &[KeyPart::Account(a), KeyPart::U16(NETUID)],
        one(parent),
    );
    let input = epoch_input(&dump).unwrap();
    // All own stake goes to the child, all of the parent's comes in.
    assert_eq!(input.alpha_stake[0], 500);
    assert_eq!(input.tao_stake[0], 70);
}

#[test]
fn emission_split_follows_the_chain() {
    assert_eq!(split_emission(1000, 1, None, 0), 1000);
    // Even split; the rounding loss goes to mechanism 0.
    assert_eq!(split_emission(1001, 2, None, 0), 501);
    assert_eq!(split_emission(1001, 2, None, 1), 500);
    // An explicit split, shorter than the count: missing shares are 0.
    assert_eq!(split_emission(65535, 3, Some(&[0, 65535]), 1), 65535);
    assert_eq!(split_emission(65535, 3, Some(&[0, 65535]), 2), 0);
    assert_eq!(split_emission(10, 3, Some(&[1, 1]), 0), 10);
    assert_eq!(split_emission(10, 0, None, 0), 0);
}

#[test]
fn another_mechanism_reads_its_own_storage_index() {
    let case = small_case();
    let dump = via_json(&encode_input(&case.input, NETUID, 2).unwrap());
    let decoded = epoch_input(&dump).unwrap();
    assert_eq!(decoded.rao_emission, case.input.rao_emission);
    assert_eq!(decoded.weights, case.input.weights);
    let out = epoch(&decoded).unwrap();
    assert!(compare(&case.expected, &out).is_empty());
    // Mechanism 0 of the same dump sees no weights.
    let mut zero = dump.clone();
    zero.mechanism = 0;
    let decoded0 = epoch_input(&zero).unwrap();
    assert_eq!(decoded0.weights.nnz(), 0);
    assert_eq!(decoded0.rao_emission, 0);
}
