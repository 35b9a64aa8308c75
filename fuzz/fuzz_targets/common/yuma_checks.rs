//! Output invariants of the epoch that hold for every input storage can hold (spec §4, §5),
//! shared by the yuma targets. Each names the invariant it checks in its panic message.

use taolite_yuma::{epoch, epoch_with_trace, verify, EpochInput, EpochOutput};

/// Largest stake for which no I64F64 stake sum over 64 uids can wrap (spec §4.3).
pub const NO_WRAP_STAKE: u64 = 1 << 56;

/// The rao bound on emissions needs non-negative bonds (bma ≤ 10^6 keeps the EMA
/// coefficient in [0, 1], spec §9) and stake sums that cannot wrap.
fn emission_bound_applies(input: &EpochInput) -> bool {
    input.n <= 64
        && input.bonds_moving_average <= 1_000_000
        && input
            .alpha_stake
            .iter()
            .chain(&input.tao_stake)
            .all(|&s| s < NO_WRAP_STAKE)
}

/// Runs the epoch and checks every invariant of its output. `storage_shaped` says the
/// input's per-uid vectors have length `n` and its sparse layouts are valid, so the
/// epoch must not refuse it.
pub fn run_and_check(input: &EpochInput, storage_shaped: bool) {
    let output = match epoch(input) {
        Ok(output) => output,
        Err(e) => {
            assert!(!storage_shaped, "epoch refused a storage-shaped input: {e}");
            return;
        }
    };
    check_output(input, &output);
    let (traced, _trace) = epoch_with_trace(input).expect("traced epoch refused what epoch took");
    assert_eq!(traced, output, "epoch_with_trace output differs from epoch");
    let report = verify(input, &output);
    assert!(
        report.is_match(),
        "verify rejects epoch's own output: {report:?}"
    );
}

pub fn check_output(input: &EpochInput, output: &EpochOutput) {
    let n = usize::from(input.n);
    assert_eq!(output.terms.len(), n, "terms length is not n");
    assert_eq!(output.bonds.rows(), n, "bond rows are not n");
    assert!(output.bonds.is_valid(), "output bond layout invalid");

    let cutoff = (u64::from(input.activity_cutoff_factor_milli)
        .saturating_mul(u64::from(input.tempo))
        / 1000)
        .max(1);
    let mut permits_without_owner = 0usize;
    let (mut server_sum, mut validator_sum, mut emission_sum) = (0u128, 0u128, 0u128);
    for (i, term) in output.terms.iter().enumerate() {
        assert_eq!(
            term.is_some(),
            input.has_hotkey[i],
            "uid {i}: term presence != has_hotkey"
        );
        let Some(t) = term else {
            assert!(output.bond(i).is_empty(), "uid {i}: bonds without a hotkey");
            continue;
        };
        assert_eq!(usize::from(t.uid), i, "term uid is not its index");
        let last_update = input.last_update.get(i).copied().unwrap_or(0);
        let active = last_update.saturating_add(cutoff) >= input.current_block;
        assert_eq!(t.active, active, "uid {i}: active flag");

        // stake = ⌊alpha sat+ tao × tw⌋ with tw ≤ 1, saturating at I64F64::MAX.
        let cap = i64::MAX as u64;
        let alpha = input.alpha_stake[i].min(cap);
        let most = input.alpha_stake[i]
            .saturating_add(input.tao_stake[i])
            .min(cap);
        assert!(
            t.stake >= alpha && t.stake <= most,
            "uid {i}: stake {} outside [{alpha}, {most}]",
            t.stake
        );
        if input.tao_weight == 0 {
            assert_eq!(t.stake, alpha, "uid {i}: stake with zero tao weight");
        }

        if !t.new_validator_permit {
            assert!(
                output.bond(i).is_empty(),
                "uid {i}: bonds stored without a permit"
            );
        }
        if t.new_validator_permit && input.owner_uid != Some(t.uid) {
            permits_without_owner += 1;
            // newP_i needs S_i ≠ 0, which needs a non-zero total stake (spec §4.4).
            let total_nonzero =
                input.alpha_stake[i] > 0 || (input.tao_stake[i] > 0 && input.tao_weight > 0);
            assert!(total_nonzero, "uid {i}: permit with zero stake");
        }
        for (j, _) in output.bond(i) {
            // Bond columns come from weights (j < n) or stored bonds (any j), never beyond.
            let from_bonds = input.bonds.row(i).iter().any(|(b, _)| b == j);
            assert!(
                usize::from(*j) < n || from_bonds,
                "uid {i}: bond column {j} from nowhere"
            );
        }
        server_sum += u128::from(t.server_emission);
        validator_sum += u128::from(t.validator_emission);
        emission_sum += u128::from(t.emission);
    }
    if n >= usize::from(input.max_allowed_validators) {
        assert!(
            permits_without_owner <= usize::from(input.max_allowed_validators),
            "{permits_without_owner} permits exceed max_allowed_validators {}",
            input.max_allowed_validators
        );
    }
    if emission_bound_applies(input) {
        let rao = u128::from(input.rao_emission);
        assert!(
            server_sum + validator_sum <= rao,
            "server {server_sum} + validator {validator_sum} emission exceeds rao {rao}"
        );
        assert!(
            emission_sum <= rao,
            "emission {emission_sum} exceeds rao {rao}"
        );
    }
}
