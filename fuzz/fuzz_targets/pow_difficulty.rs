//! The seal difficulty test against a straightforward model of the chain's check: the
//! seal's value times the difficulty, multiplied out in 512 bits, must fit in 256 bits
//! (`U256::overflowing_mul` does not overflow). `meets_difficulty`, the precomputed
//! `Target` and its top-limb shortcut must all agree with it; `Difficulty::parse` must
//! never panic and must round-trip through `Display`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use taolite_pow::{meets_difficulty, seal_value, Difficulty, Rule, Target};

#[derive(Arbitrary, Debug)]
struct Case {
    seal: [u8; 32],
    difficulty: [u64; 4],
    /// How many high limbs of the difficulty to clear: on-chain difficulties are u64.
    narrow: u8,
    legacy: bool,
    text: String,
}

/// The seal's value under `rule`, as the chain reads it, built byte by byte.
fn value(seal: &[u8; 32], rule: Rule) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    for (i, &byte) in seal.iter().enumerate() {
        // Position of this byte counted from the least significant end.
        let position = match rule {
            Rule::LittleEndian => i,
            Rule::LegacyBigEndian => 31 - i,
        };
        limbs[position / 8] |= u64::from(byte) << (8 * (position % 8));
    }
    limbs
}

/// Whether a · b fits in 256 bits: schoolbook product into 8 limbs, upper half zero.
fn product_fits(a: &[u64; 4], b: &[u64; 4]) -> bool {
    let mut wide = [0u64; 8];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &y) in b.iter().enumerate() {
            let t = u128::from(x) * u128::from(y) + u128::from(wide[i + j]) + carry;
            wide[i + j] = t as u64;
            carry = t >> 64;
        }
        wide[i + 4] = carry as u64;
    }
    wide[4..].iter().all(|&l| l == 0)
}

fuzz_target!(|case: Case| {
    let mut limbs = case.difficulty;
    for limb in limbs
        .iter_mut()
        .skip(4 - usize::from(case.narrow % 4))
        .rev()
    {
        *limb = 0;
    }
    if case.narrow & 0x80 != 0 {
        limbs[1..].fill(0);
    }
    let difficulty = Difficulty::from_limbs(limbs);
    let rule = if case.legacy {
        Rule::LegacyBigEndian
    } else {
        Rule::LittleEndian
    };

    let v = value(&case.seal, rule);
    assert_eq!(seal_value(&case.seal, rule), v, "seal_value");
    let expected = product_fits(&v, &limbs);
    assert_eq!(
        meets_difficulty(&case.seal, &difficulty, rule),
        expected,
        "meets_difficulty"
    );
    let target = Target::new(&difficulty);
    assert_eq!(
        target.is_met_by(&case.seal, rule),
        expected,
        "Target::is_met_by"
    );
    // A solver's shortcut: a top limb below the target's passes and above it fails.
    if v[3] < target.top_limb() {
        assert!(expected, "top limb below the target's but the seal fails");
    }
    if v[3] > target.top_limb() {
        assert!(!expected, "top limb above the target's but the seal passes");
    }
    // The limit itself passes and one more fails (for d ≥ 2 it cannot be 2^256 − 1).
    let limit = target.limbs();
    assert!(product_fits(&limit, &limbs), "limit × d overflows");
    let mut next = limit;
    let carried = next.iter_mut().try_for_each(|l| {
        let (s, c) = l.overflowing_add(1);
        *l = s;
        if c {
            Ok(())
        } else {
            Err(())
        }
    });
    if carried.is_err() {
        assert!(!product_fits(&next, &limbs), "limit + 1 still passes");
    }

    // Parsing: never panics; what parses prints as decimal and parses back.
    if let Ok(parsed) = Difficulty::parse(&case.text) {
        let printed = parsed.to_string();
        assert_eq!(
            Difficulty::parse(&printed),
            Ok(parsed),
            "Display round trip"
        );
    }
    assert_eq!(Difficulty::parse(&difficulty.to_string()), Ok(difficulty));
});
