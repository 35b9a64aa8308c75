#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from the shared vectors.

Usage: fuzz-seed.py VECTORS_DIR CORPUS_DIR

Every target gets a folder CORPUS_DIR/<target>; files are named by the SHA-1 of their
content, so re-running is idempotent. Nothing here is committed (fuzz/corpus is ignored).
"""
import hashlib
import json
import os
import struct
import sys

vectors, corpus = sys.argv[1], sys.argv[2]
written = {}


def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        written[target] = written.get(target, 0) + 1


def load(*parts):
    with open(os.path.join(vectors, *parts)) as f:
        return json.load(f)


def strings(value):
    """Every string anywhere in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(value=v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(value=v)


def hex_bytes(text):
    if isinstance(text, str) and text.startswith("0x"):
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            return None
    return None


def compact(n):
    if n < 1 << 6:
        return bytes([n << 2])
    if n < 1 << 14:
        return struct.pack("<H", (n << 2) | 1)
    if n < 1 << 30:
        return struct.pack("<I", (n << 2) | 2)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "little")
    return bytes([((len(raw) - 4) << 2) | 3]) + raw


# --- keys: SS58, secret URIs, mnemonics, hex -------------------------------------------
for name in sorted(os.listdir(os.path.join(vectors, "keys"))):
    if not name.endswith(".json"):
        continue
    for text in strings(load("keys", name)):
        if len(text) > 4096:
            continue
        if 40 <= len(text) <= 60 and text.isalnum():
            seed("ss58_decode", text)
        if text.startswith("0x"):
            seed("hex_decode", text)
        if "/" in text or text.count(" ") >= 11:
            seed("suri_parse", text)
        if text.count(" ") in (11, 14, 17, 20, 23):
            seed("mnemonic_phrase", b"\x00" + text.encode())
for case in load("keys", "derivation_sr25519.json")["vectors"]:
    entropy = hex_bytes(case.get("entropy"))
    if entropy:
        seed("mnemonic_phrase", b"\x01" + entropy)

# --- extrinsic: calls, extrinsics, era, compact, storage values --------------------------
for case in load("extrinsic", "calls.json")["vectors"]:
    call = hex_bytes(case.get("hex"))
    if call:
        seed("codec_call", call)
for case in load("extrinsic", "signed.json")["vectors"]:
    for key, target in (("extrinsic_hex", "codec_extrinsic"), ("era_hex", "codec_era")):
        data = hex_bytes(case.get(key))
        if data:
            seed(target, data)
    call = hex_bytes(case.get("call", {}).get("hex"))
    if call:
        seed("codec_call", call)
# Runtime metadata files, whole (the target's max_len admits them).
metadata_dir = os.path.join(vectors, "extrinsic", "metadata")
if os.path.isdir(metadata_dir):
    for name in sorted(os.listdir(metadata_dir)):
        if name.endswith(".scale"):
            with open(os.path.join(metadata_dir, name), "rb") as f:
                seed("codec_metadata", f.read())
era = load("extrinsic", "era.json")
for case in era.get("vectors", []) + era.get("decode_checks", []):
    data = hex_bytes(case.get("hex"))
    if data is not None:
        # codec_era takes arbitrary bytes: a length-prefixed Vec<u8> first.
        seed("codec_era", bytes([len(data)]) + data + bytes(16))
for case in load("extrinsic", "compact.json")["vectors"]:
    data = hex_bytes(case.get("hex"))
    if data is not None:
        seed("codec_compact", data)
        seed("codec_compact", data + bytes(int(case["value"]) if str(case["value"]).isdigit() and int(case["value"]) < 300 else 0))
# Storage values: one per value type the items use, selector byte first.
sparse = compact(3) + b"".join(struct.pack("<HH", j, 65535 - j) for j in range(3))
for selector in range(64):
    for value in (b"", b"\x01", struct.pack("<Q", 900_000), sparse, compact(2) + bytes(64),
                  compact(1) + bytes(32) + struct.pack("<QQQ", 1, 2, 3)):
        seed("codec_storage_value", bytes([selector]) + value)

# --- synapse: envelopes, header lists, bodies --------------------------------------------
for case in load("synapse", "synapse.json")["vectors"]:
    for key in ("envelope_hex", "envelope_no_body_hex"):
        data = hex_bytes(case.get(key))
        if data:
            seed("synapse_envelope", data)
    body = case.get("body_json")
    if isinstance(body, str):
        seed("synapse_body_json", body)
    headers = case.get("headers")
    if isinstance(headers, dict):
        seed("synapse_body_json", json.dumps(headers))

# --- pow: difficulties as text ------------------------------------------------------------
for case in load("pow", "seal.json").get("difficulty_cases", [])[:200]:
    seed("pow_difficulty", bytes(64) + str(case.get("difficulty")).encode())

# --- yuma: JSON cases and inputs, and the inputs in SCALE ---------------------------------
def scale_input(i):
    """EpochInput in SCALE, field by field in declaration order (yuma/src/input.rs)."""
    u16, u32, u64, i16 = (lambda v: struct.pack("<H", v)), (lambda v: struct.pack("<I", v)), \
        (lambda v: struct.pack("<Q", v)), (lambda v: struct.pack("<h", v))
    boolean = lambda v: b"\x01" if v else b"\x00"
    vec = lambda items, f: compact(len(items)) + b"".join(f(x) for x in items)
    option = lambda v, f: b"\x00" if v is None else b"\x01" + f(v)

    def rows(nested):
        offsets, entries = [0], []
        for row in nested:
            entries.extend(row)
            offsets.append(len(entries))
        return vec(offsets, u32) + vec(entries, lambda e: u16(e[0]) + u16(e[1]))

    out = u16(i["n"]) + u64(i["current_block"]) + u16(i["tempo"]) + u32(i["activity_cutoff_factor_milli"])
    out += vec(i["last_update"], u64) + vec(i["has_hotkey"], boolean)
    out += vec(i["block_at_registration"], u64) + vec(i["alpha_stake"], u64) + vec(i["tao_stake"], u64)
    out += u64(i["tao_weight"]) + u64(i["stake_threshold"]) + option(i["owner_uid"], u16)
    out += vec(i["validator_permit"], boolean) + u16(i["max_allowed_validators"])
    out += rows(i["weights"]) + rows(i["bonds"])
    out += u16(i["kappa"]) + u16(i["bonds_penalty"]) + u64(i["bonds_moving_average"])
    out += boolean(i["yuma3_enabled"]) + boolean(i["liquid_alpha_enabled"])
    out += u16(i["alpha_low"]) + u16(i["alpha_high"]) + i16(i["alpha_sigmoid_steepness"])
    out += boolean(i["commit_reveal_enabled"]) + u64(i["reveal_period"]) + u64(i["current_epoch_index"])
    out += vec(i["v2_commits"], lambda c: option(c["uid"], u16) + vec(c["commits"], lambda p: u64(p[0]) + u64(p[1])))
    out += vec(i["v4_commits"], lambda c: u64(c["commit_epoch"]) + vec(c["commits"], lambda p: option(p[0], u16) + u64(p[1])))
    out += u64(i["last_mechanism_step_block"]) + u64(i["rao_emission"])
    return out


cases_dir = os.path.join(vectors, "yuma", "cases")
for name in sorted(os.listdir(cases_dir)):
    path = os.path.join(cases_dir, name)
    if not name.endswith(".json") or os.path.getsize(path) > 200_000:
        continue
    case = load("yuma", "cases", name)
    text = json.dumps(case["input"], separators=(",", ":"))
    if len(text) <= 16_384:
        seed("yuma_input_json", text)
        try:
            seed("yuma_input_scale", scale_input(case["input"]))
        except (KeyError, TypeError, struct.error) as e:
            print(f"fuzz-seed: {name}: input not encodable as SCALE ({e})", file=sys.stderr)
    if os.path.getsize(path) <= 16_384:
        seed("yuma_input_json", json.dumps(case, separators=(",", ":")))

for target in sorted(written):
    print(f"fuzz-seed: {written[target]:5d} new seeds for {target}")
