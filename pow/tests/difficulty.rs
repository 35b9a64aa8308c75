//! The precomputed limit decides exactly like the chain's 256-bit product overflow test.

use proptest::prelude::*;
use taolite_pow::{meets_difficulty, Difficulty, Rule, Target};

/// The chain's test, written the obvious way: the full 512-bit product of the seal value
/// and the difficulty, accepted when its upper 256 bits are zero (no `U256` overflow).
fn product_fits(value: &[u64; 4], difficulty: &[u64; 4]) -> bool {
    let mut product = [0u64; 8];
    for (i, &a) in value.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &b) in difficulty.iter().enumerate() {
            let sum = u128::from(a) * u128::from(b) + u128::from(product[i + j]) + carry;
            product[i + j] = sum as u64;
            carry = sum >> 64;
        }
        product[i + 4] = carry as u64;
    }
    product[4..] == [0; 4]
}

/// The seal read byte by byte as the rule says, independent of the crate's conversion.
fn value_of(seal: &[u8; 32], rule: Rule) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    for (i, &byte) in seal.iter().enumerate() {
        let position = match rule {
            Rule::LittleEndian => i,
            Rule::LegacyBigEndian => 31 - i,
        };
        limbs[position / 8] |= u64::from(byte) << (8 * (position % 8));
    }
    limbs
}

fn add_one(limbs: [u64; 4]) -> [u64; 4] {
    let mut out = limbs;
    for limb in out.iter_mut() {
        let (sum, carry) = limb.overflowing_add(1);
        *limb = sum;
        if !carry {
            break;
        }
    }
    out
}

fn sub_one(limbs: [u64; 4]) -> [u64; 4] {
    let mut out = limbs;
    for limb in out.iter_mut() {
        let (diff, borrow) = limb.overflowing_sub(1);
        *limb = diff;
        if !borrow {
            break;
        }
    }
    out
}

fn to_le_bytes(limbs: &[u64; 4]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(limbs) {
        chunk.copy_from_slice(&limb.to_le_bytes());
    }
    out
}

/// One limb: random, or a value at an edge (0, 1, powers of two and their neighbours).
fn limb() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        Just(0u64),
        Just(1u64),
        Just(u64::MAX),
        (0..64u32).prop_map(|k| 1u64 << k),
        (1..64u32).prop_map(|k| (1u64 << k) - 1),
        (0..64u32).prop_map(|k| (1u64 << k) + 1),
    ]
}

/// A 256-bit number with 0..=4 significant limbs, so small and huge values are common.
fn wide() -> impl Strategy<Value = [u64; 4]> {
    ([limb(), limb(), limb(), limb()], 0..=4usize).prop_map(|(mut limbs, used)| {
        for limb in limbs.iter_mut().skip(used) {
            *limb = 0;
        }
        limbs
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn limit_matches_product_on_random_values(value in wide(), difficulty in wide()) {
        let target = Target::new(&Difficulty::from_limbs(difficulty));
        prop_assert_eq!(target.is_met_by_limbs(&value), product_fits(&value, &difficulty));
    }

    #[test]
    fn limit_matches_product_at_the_threshold(difficulty in wide()) {
        let target = Target::new(&Difficulty::from_limbs(difficulty));
        let limit = target.limbs();
        for value in [limit, add_one(limit), sub_one(limit), [0; 4], [u64::MAX; 4]] {
            prop_assert_eq!(
                target.is_met_by_limbs(&value),
                product_fits(&value, &difficulty),
                "value {:x?} difficulty {:x?}", value, difficulty
            );
        }
        // The limit itself must pass and one more must fail (unless nothing can fail).
        prop_assert!(product_fits(&limit, &difficulty));
        if limit != [u64::MAX; 4] {
            prop_assert!(!product_fits(&add_one(limit), &difficulty));
        }
    }

    #[test]
    fn seal_rules_match_product(seal in any::<[u8; 32]>(), difficulty in wide()) {
        let d = Difficulty::from_limbs(difficulty);
        for rule in [Rule::LittleEndian, Rule::LegacyBigEndian] {
            prop_assert_eq!(
                meets_difficulty(&seal, &d, rule),
                product_fits(&value_of(&seal, rule), &difficulty)
            );
        }
    }

    #[test]
    fn seal_at_threshold_matches_product(difficulty in wide()) {
        let d = Difficulty::from_limbs(difficulty);
        let limit = Target::new(&d).limbs();
        for value in [limit, add_one(limit)] {
            let seal = to_le_bytes(&value);
            prop_assert_eq!(
                meets_difficulty(&seal, &d, Rule::LittleEndian),
                product_fits(&value, &difficulty)
            );
            let mut reversed = seal;
            reversed.reverse();
            prop_assert_eq!(
                meets_difficulty(&reversed, &d, Rule::LegacyBigEndian),
                product_fits(&value, &difficulty)
            );
        }
    }

    #[test]
    fn decimal_and_hex_round_trip(difficulty in wide()) {
        let d = Difficulty::from_limbs(difficulty);
        prop_assert_eq!(Difficulty::parse(&d.to_string()), Ok(d));
        let hex = format!(
            "0x{:016x}{:016x}{:016x}{:016x}",
            difficulty[3], difficulty[2], difficulty[1], difficulty[0]
        );
        prop_assert_eq!(Difficulty::parse(&hex), Ok(d));
    }
}
