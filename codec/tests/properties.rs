//! Property tests: every typed call, extrinsic and storage value round-trips through
//! encode/decode, and no decoder panics on arbitrary bytes.

use proptest::prelude::*;
use taolite_codec::call::{Call, CallKind, CallTable};
use taolite_codec::era::Era;
use taolite_codec::extensions::TxParams;
use taolite_codec::extrinsic::{self, Ed25519Signer, Extrinsic, UnknownCalls};
use taolite_codec::scale::{Compact, Reader, Ty};
use taolite_codec::storage::ValueType;
use taolite_codec::{json, DecodeError};
use taolite_core::H256;

/// Valid SCALE bytes for `ty`.
fn bytes_of(ty: &'static Ty, depth: u32) -> BoxedStrategy<Vec<u8>> {
    fn le<const N: usize>() -> BoxedStrategy<Vec<u8>> {
        proptest::collection::vec(any::<u8>(), N).boxed()
    }
    fn compact<T: parity_scale_codec::Encode>(v: T) -> Vec<u8>
    where
        Compact<T>: parity_scale_codec::Encode,
    {
        parity_scale_codec::Encode::encode(&Compact(v))
    }
    match ty {
        Ty::Bool => any::<bool>().prop_map(|b| vec![u8::from(b)]).boxed(),
        Ty::U8 => le::<1>(),
        Ty::U16 => le::<2>(),
        Ty::U32 => le::<4>(),
        Ty::U64 | Ty::Tao | Ty::Alpha | Ty::Price | Ty::I64 => le::<8>(),
        Ty::I16 => le::<2>(),
        Ty::U128 => le::<16>(),
        Ty::AccountId | Ty::H256 => le::<32>(),
        Ty::Bytes => proptest::collection::vec(any::<u8>(), 0..80)
            .prop_map(|b| {
                let mut out = compact::<u32>(b.len() as u32);
                out.extend(b);
                out
            })
            .boxed(),
        Ty::CompactTao => any::<u64>().prop_map(compact::<u64>).boxed(),
        Ty::Compact(inner) => match inner {
            Ty::U16 => any::<u16>().prop_map(compact::<u16>).boxed(),
            Ty::U32 => any::<u32>().prop_map(compact::<u32>).boxed(),
            Ty::U64 => any::<u64>().prop_map(compact::<u64>).boxed(),
            _ => any::<u128>().prop_map(compact::<u128>).boxed(),
        },
        Ty::Option(inner) => prop_oneof![
            Just(vec![0u8]),
            bytes_of(inner, depth).prop_map(|b| {
                let mut out = vec![1u8];
                out.extend(b);
                out
            })
        ]
        .boxed(),
        Ty::Vec(inner) | Ty::Set(inner) => proptest::collection::vec(bytes_of(inner, depth), 0..6)
            .prop_map(|items| {
                let mut out = compact::<u32>(items.len() as u32);
                for i in items {
                    out.extend(i);
                }
                out
            })
            .boxed(),
        Ty::Tuple(types) => {
            let parts: Vec<BoxedStrategy<Vec<u8>>> =
                types.iter().map(|t| bytes_of(t, depth)).collect();
            parts.prop_map(|ps| ps.concat()).boxed()
        }
        Ty::MultiAddress => le::<32>()
            .prop_map(|a| {
                let mut out = vec![0u8];
                out.extend(a);
                out
            })
            .boxed(),
        Ty::Call => call_bytes(depth + 1),
    }
}

/// Valid bytes of any typed call (nested calls up to depth 2).
fn call_bytes(depth: u32) -> BoxedStrategy<Vec<u8>> {
    let kinds: Vec<CallKind> = CallKind::ALL
        .iter()
        .copied()
        .filter(|k| depth < 2 || !k.args().iter().any(|(_, t)| contains_call(t)))
        .collect();
    proptest::sample::select(kinds)
        .prop_flat_map(move |kind| {
            let parts: Vec<BoxedStrategy<Vec<u8>>> = kind
                .args()
                .iter()
                .map(|(_, t)| bytes_of(t, depth))
                .collect();
            let (p, c) = CallTable::SPEC_425.indices(kind);
            parts.prop_map(move |ps| {
                let mut out = vec![p, c];
                out.extend(ps.concat());
                out
            })
        })
        .boxed()
}

fn contains_call(t: &Ty) -> bool {
    match t {
        Ty::Call => true,
        Ty::Vec(i) | Ty::Set(i) | Ty::Option(i) | Ty::Compact(i) => contains_call(i),
        Ty::Tuple(ts) => ts.iter().any(|t| contains_call(t)),
        _ => false,
    }
}

fn params() -> impl Strategy<Value = TxParams> {
    (
        any::<u32>(),
        any::<u64>(),
        prop_oneof![Just(None), (0u64..70_000, any::<u32>()).prop_map(Some)],
        any::<u32>(),
        any::<[u8; 32]>(),
        any::<[u8; 32]>(),
        proptest::option::of(any::<[u8; 32]>()),
    )
        .prop_map(|(nonce, tip, era, spec, genesis, birth, meta)| TxParams {
            nonce,
            tip,
            era: era.map_or(Era::Immortal, |(p, c)| Era::mortal(p, u64::from(c))),
            spec_version: spec,
            transaction_version: 1,
            genesis_hash: H256(genesis),
            birth_block_hash: H256(birth),
            metadata_hash: meta,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_call_round_trips(bytes in call_bytes(0)) {
        let table = CallTable::SPEC_425;
        let call = Call::decode(&bytes, &table).unwrap();
        prop_assert_eq!(call.to_vec(&table), bytes.clone());
        let mut buf = vec![0u8; bytes.len()];
        prop_assert_eq!(call.encode_into(&table, &mut buf), Ok(bytes.len()));
        prop_assert_eq!(&buf, &bytes);
        let _ = call.display().to_string();
        // JSON arguments round trip.
        let kind = call.kind().unwrap();
        let j = json::call_json(&call, &table).unwrap();
        let rebuilt = json::encode_call(kind, &j["args"], &table).unwrap();
        // The JSON path writes sets sorted; any call that may hold one (a set argument
        // or a nested call) is compared after one normalising pass instead.
        let may_hold_set = kind
            .args()
            .iter()
            .any(|(_, t)| matches!(t, Ty::Set(_)) || contains_call(t));
        if may_hold_set {
            let again = Call::decode(&rebuilt, &table).unwrap();
            let j2 = json::call_json(&again, &table).unwrap();
            let rebuilt2 = json::encode_call(kind, &j2["args"], &table).unwrap();
            prop_assert_eq!(rebuilt2, rebuilt);
        } else {
            prop_assert_eq!(rebuilt, bytes.clone());
        }
        // Every truncation is an error.
        for cut in 0..bytes.len() {
            prop_assert!(Call::decode(&bytes[..cut], &table).is_err());
        }
    }

    #[test]
    fn signed_extrinsics_round_trip(call in call_bytes(1), params in params(), seed in any::<[u8; 32]>()) {
        let table = CallTable::SPEC_425;
        let mut key = Ed25519Signer::from_seed(&seed);
        let layout = extrinsic::SignedLayout::new(call.len(), &params);
        let mut buf = vec![0u8; layout.buffer_len()];
        let n = extrinsic::sign_encoded_call_into(&call, &params, &mut key, &mut buf).unwrap();
        prop_assert_eq!(n, layout.extrinsic_len);
        let x = Extrinsic::decode(&buf[..n], &table).unwrap();
        prop_assert_eq!(x.call_bytes, &call[..]);
        prop_assert_eq!(x.signature.unwrap().explicit, params.explicit());
        prop_assert_eq!(x.verify(&params.implicit()), Ok(()));
        let mut again = vec![0u8; n];
        let part = x.signature.unwrap();
        let taolite_codec::MultiAddress::Id(who) = part.address else { panic!("not an id") };
        let m = extrinsic::assemble_signed_into(x.call_bytes, &who, &part.signature, &part.explicit, &mut again).unwrap();
        prop_assert_eq!(&again[..m], &buf[..n]);
    }

    #[test]
    fn call_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let table = CallTable::SPEC_425;
        if let Ok(call) = Call::decode_or_raw(&bytes, &table) {
            // Whatever decodes re-encodes to the same bytes: decoding is canonical.
            prop_assert_eq!(call.to_vec(&table), bytes.clone());
            let _ = call.display().to_string();
        }
    }

    #[test]
    fn typed_prefix_then_garbage_never_panics(
        kind in proptest::sample::select(CallKind::ALL.to_vec()),
        tail in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let (p, c) = CallTable::SPEC_425.indices(kind);
        let mut bytes = vec![p, c];
        bytes.extend(tail);
        let table = CallTable::SPEC_425;
        if let Ok(call) = Call::decode(&bytes, &table) {
            prop_assert_eq!(call.to_vec(&table), bytes);
        }
    }

    #[test]
    fn extrinsic_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let table = CallTable::SPEC_425;
        if let Ok(x) = Extrinsic::decode_with(&bytes, &table, UnknownCalls::Raw) {
            let _ = x.verify(&TxParams::finney_immortal(0).implicit());
        }
    }

    #[test]
    fn storage_values_never_panic_and_round_trip(
        ty in proptest::sample::select(taolite_codec::storage::ITEMS.iter().map(|i| i.value).collect::<Vec<ValueType>>()),
        bytes in proptest::collection::vec(any::<u8>(), 0..120),
    ) {
        if let Ok(v) = ty.decode(&bytes) {
            let mut out = Vec::new();
            v.encode_to(&mut out);
            prop_assert_eq!(out, bytes);
        }
    }

    #[test]
    fn compact_matches_parity_scale_codec(bytes in proptest::collection::vec(any::<u8>(), 0..20)) {
        let table = CallTable::SPEC_425;
        let mut r = Reader::new(&bytes, &table);
        let ours = r.compact::<u64>().ok();
        let theirs = <Compact<u64> as parity_scale_codec::Decode>::decode(&mut &bytes[..]).ok().map(|c| c.0);
        prop_assert_eq!(ours, theirs);
    }
}

#[test]
fn typed_errors_for_bad_input() {
    let table = CallTable::SPEC_425;
    // Unknown call index.
    assert_eq!(
        Call::decode(&[7, 255], &table),
        Err(DecodeError::UnknownCall {
            pallet: 7,
            call: 255
        })
    );
    // Truncated and trailing.
    assert_eq!(
        Call::decode(&[7, 0, 1], &table),
        Err(DecodeError::Truncated)
    );
    // Oversize length: set_weights claiming 2^30-1 dests in a few bytes.
    assert!(matches!(
        Call::decode(&[7, 0, 1, 0, 0xfe, 0xff, 0xff, 0xff, 0, 0], &table),
        Err(DecodeError::Oversize {
            declared: 0x3fff_ffff,
            ..
        })
    ));
    // Non-minimal compact.
    assert_eq!(
        Call::decode(&[0, 0, 0b01, 0], &table),
        Err(DecodeError::BadCompact)
    );
    // Bad era (period 2).
    assert_eq!(Era::from_bytes(&[0x10, 0x00]), Err(DecodeError::BadEra));
    // Unsupported version, length mismatch.
    assert_eq!(
        Extrinsic::decode(&[0x0c, 0x05, 0, 0], &table),
        Err(DecodeError::UnsupportedVersion(5))
    );
    assert!(matches!(
        Extrinsic::decode(&[0x04, 0x04, 0, 0], &table),
        Err(DecodeError::LengthMismatch {
            declared: 1,
            actual: 3
        })
    ));
    // Wrong signature length.
    assert!(taolite_codec::MultiSignature::from_slice(
        taolite_codec::SignatureScheme::Sr25519,
        &[0; 63]
    )
    .is_err());
    // Nesting beyond the limit.
    let mut nested = vec![0u8, 0, 0]; // System.remark([])
    for _ in 0..10 {
        let mut outer = vec![11u8, 0, 4]; // Utility.batch, one call
        outer.extend(&nested);
        nested = outer;
    }
    assert_eq!(Call::decode(&nested, &table), Err(DecodeError::TooDeep));
}

#[test]
fn overridden_table_moves_a_call() {
    let mut table = CallTable::SPEC_425;
    table.set(CallKind::StartCall, 7, 200);
    let call = Call::StartCall { netuid: 3 };
    assert_eq!(call.to_vec(&table), vec![7, 200, 3, 0]);
    assert_eq!(Call::decode(&[7, 200, 3, 0], &table), Ok(call));
    assert!(Call::decode(&[7, 92, 3, 0], &table).is_err());
}
