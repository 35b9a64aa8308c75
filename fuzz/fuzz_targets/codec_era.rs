//! Era decoding against a straightforward model of sp-runtime's rules: a first byte of 0
//! is immortal; otherwise two bytes e, period = 2 << (e mod 16), phase = (e >> 4) ×
//! max(period >> 12, 1), valid when period ≥ 4 and phase < period. Decoded eras re-encode
//! to their bytes; `Era::mortal` eras decode back to themselves and contain their block.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use taolite_codec::era::{Era, MAX_PERIOD, MIN_PERIOD};

#[derive(Arbitrary, Debug)]
struct Case {
    bytes: Vec<u8>,
    period: u64,
    current: u64,
}

/// `Some((period, phase))` for mortal, `Some((0, 0))` for immortal, `None` if invalid.
fn model(bytes: &[u8]) -> Option<(u64, u64)> {
    match bytes {
        [0] => Some((0, 0)),
        [lo, hi] if *lo != 0 => {
            let e = u16::from_le_bytes([*lo, *hi]);
            let period = 2u64 << (e % 16);
            let phase = u64::from(e >> 4) * (period >> 12).max(1);
            (period >= 4 && phase < period).then_some((period, phase))
        }
        _ => None,
    }
}

fn encode(era: &Era) -> Vec<u8> {
    let mut out = Vec::new();
    era.encode_to(&mut out);
    assert_eq!(out.len(), era.encoded_len());
    out
}

fuzz_target!(|case: Case| {
    let decoded = Era::from_bytes(&case.bytes);
    let expected = model(&case.bytes);
    match (&decoded, expected) {
        (Ok(Era::Immortal), Some((0, 0))) => {}
        (Ok(Era::Mortal(m)), Some((period, phase))) => {
            assert_eq!((m.period(), m.phase()), (period, phase));
        }
        (Err(_), None) => {}
        _ => panic!(
            "from_bytes({:?}) = {decoded:?}, model says {expected:?}",
            case.bytes
        ),
    }
    if let Ok(era) = decoded {
        assert_eq!(encode(&era), case.bytes, "re-encoding differs");
        let birth = era.birth(case.current);
        let death = era.death(case.current);
        assert!(birth <= death);
    }

    let era = Era::mortal(case.period, case.current);
    let bytes = encode(&era);
    assert_eq!(
        Era::from_bytes(&bytes),
        Ok(era),
        "mortal era does not decode back"
    );
    let Era::Mortal(m) = era else {
        panic!("Era::mortal made an immortal era");
    };
    assert!(m.period().is_power_of_two() && (MIN_PERIOD..=MAX_PERIOD).contains(&m.period()));
    assert!(
        m.period() >= case.period.min(MAX_PERIOD),
        "period shrank below the request"
    );
    let birth = era.birth(case.current);
    let death = era.death(case.current);
    assert!(
        birth <= case.current,
        "birth {birth} after current {}",
        case.current
    );
    if death != u64::MAX {
        assert!(
            case.current < death,
            "current {} not before death {death}",
            case.current
        );
    }
    assert_eq!(birth % m.period(), m.phase(), "birth not at the phase");
});
