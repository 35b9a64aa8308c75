//! Compact integers: taolite-codec's `Reader::compact` and `Reader::length`, and the
//! Synapse envelope's own canonical compact decoder (reached through an envelope's body
//! length), against parity-scale-codec's `Compact<T>` on the same bytes. Both must accept
//! exactly the same inputs with the same values and lengths, and re-encode canonically.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity_scale_codec::{Compact, Decode, Encode};
use taolite_codec::call::CallTable;
use taolite_codec::scale::Reader;
use taolite_codec::synapse::Envelope;

/// Decodes a `Compact<T>` with both decoders and compares value and bytes consumed.
macro_rules! compare {
    ($t:ty, $data:expr) => {{
        let data: &[u8] = $data;
        let table = CallTable::SPEC_425;
        let mut ours = Reader::new(data, &table);
        let ours_value = ours.compact::<$t>().ok();
        let mut theirs = data;
        let theirs_value = Compact::<$t>::decode(&mut theirs).ok().map(|c| c.0);
        assert_eq!(
            ours_value,
            theirs_value,
            "Compact<{}> value",
            stringify!($t)
        );
        if let Some(v) = ours_value {
            assert_eq!(
                ours.rest().len(),
                theirs.len(),
                "Compact<{}> length",
                stringify!($t)
            );
            let used = data.len() - theirs.len();
            assert_eq!(
                Compact(v).encode(),
                &data[..used],
                "Compact<{}> not canonical",
                stringify!($t)
            );
        }
    }};
}

fuzz_target!(|data: &[u8]| {
    compare!(u16, data);
    compare!(u32, data);
    compare!(u64, data);
    compare!(u128, data);

    // Reader::length: a compact u32 no larger than what the rest can hold.
    let table = CallTable::SPEC_425;
    for min in [1usize, 2, 32] {
        let mut r = Reader::new(data, &table);
        let mut input = data;
        let expected = Compact::<u32>::decode(&mut input)
            .ok()
            .map(|c| c.0)
            .filter(|&n| {
                (n as usize)
                    .checked_mul(min)
                    .is_some_and(|need| need <= input.len())
            });
        assert_eq!(r.length(min).ok(), expected, "length(min {min})");
    }

    // The envelope's own decoder: an empty header set, a body tag, then `data` as the
    // body's length prefix and body. Valid exactly when `data` starts with a compact
    // length ≤ u32::MAX followed by exactly that many bytes.
    let mut bytes = Envelope::default().encode();
    assert_eq!(bytes.pop(), Some(0x00));
    bytes.push(0x01);
    bytes.extend_from_slice(data);
    let mut input = data;
    let expected = Compact::<u64>::decode(&mut input)
        .ok()
        .filter(|c| c.0 <= u64::from(u32::MAX) && c.0 == input.len() as u64)
        .map(|_| input.to_vec());
    match Envelope::decode(&bytes) {
        Ok(envelope) => {
            assert_eq!(envelope.body, expected, "envelope body");
            assert_eq!(envelope.encode(), bytes, "envelope re-encoding");
        }
        Err(e) => assert_eq!(expected, None, "envelope refused a valid body length: {e}"),
    }
});
