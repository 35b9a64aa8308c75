package taolite

import (
	"bytes"
	hexlib "encoding/hex"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type signedVector struct {
	Name   string `json:"name"`
	Signer struct {
		Scheme    string `json:"scheme"`
		Source    string `json:"source"`
		PublicKey string `json:"public_key"`
		SS58      string `json:"ss58"`
	} `json:"signer"`
	Call struct {
		Pallet string `json:"pallet"`
		Call   string `json:"call"`
		Hex    string `json:"hex"`
	} `json:"call"`
	Nonce uint32 `json:"nonce"`
	Tip   string `json:"tip"`
	Era   struct {
		Kind            string `json:"kind"`
		RequestedPeriod uint64 `json:"requested_period"`
		Current         uint64 `json:"current"`
	} `json:"era"`
	SpecVersion        uint32  `json:"spec_version"`
	TransactionVersion uint32  `json:"transaction_version"`
	GenesisHash        string  `json:"genesis_hash"`
	BirthBlockHash     string  `json:"birth_block_hash"`
	MetadataHash       *string `json:"metadata_hash"`
	SignatureHex       string  `json:"signature_hex"`
	ExtrinsicHex       string  `json:"extrinsic_hex"`
	ExtrinsicHash      string  `json:"extrinsic_hash"`
}

func (v *signedVector) params(t *testing.T) TxParams {
	tip, err := strconv.ParseUint(v.Tip, 10, 64)
	if err != nil {
		t.Fatalf("%s: tip %q", v.Name, v.Tip)
	}
	p := TxParams{
		Nonce: v.Nonce,
		Tip:   tip,
		Chain: ChainContext{
			SpecVersion:        v.SpecVersion,
			TransactionVersion: v.TransactionVersion,
			GenesisHash:        h32(t, v.GenesisHash),
			BirthBlockHash:     h32(t, v.BirthBlockHash),
		},
	}
	if v.Era.Kind == "mortal" {
		p.EraPeriod, p.EraCurrentBlock = v.Era.RequestedPeriod, v.Era.Current
	}
	if v.MetadataHash != nil {
		m := h32(t, *v.MetadataHash)
		p.Chain.MetadataHash = &m
	}
	return p
}

func TestVectorsSignedExtrinsics(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "extrinsic", "signed.json")
	var file struct {
		Vectors []signedVector `json:"vectors"`
		Bare    struct {
			Hex string `json:"hex"`
		} `json:"bare_extrinsic"`
	}
	readJSON(t, path, &file)
	if len(file.Vectors) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	for _, v := range file.Vectors {
		name := path + " " + v.Name
		p := v.params(t)
		ext := unhex(t, v.ExtrinsicHex)
		// The vector's extrinsic verifies, and decodes to its inputs.
		if err := VerifyExtrinsic(ext, p.Chain); err != nil {
			t.Errorf("%s: vector extrinsic does not verify: %v", name, err)
		}
		decoded, err := DecodeExtrinsic(ext)
		if err != nil {
			t.Errorf("%s: decode: %v", name, err)
			continue
		}
		var doc struct {
			Hash    string `json:"hash"`
			Signed  bool   `json:"signed"`
			Signer  string `json:"signer"`
			Scheme  string `json:"scheme"`
			Nonce   uint32 `json:"nonce"`
			Tip     string `json:"tip"`
			CallHex string `json:"call_hex"`
			Call    struct {
				Pallet string `json:"pallet"`
				Call   string `json:"call"`
			} `json:"call"`
		}
		if err := json.Unmarshal([]byte(decoded), &doc); err != nil {
			t.Errorf("%s: decoded JSON: %v", name, err)
			continue
		}
		if doc.Hash != v.ExtrinsicHash || !doc.Signed || doc.Signer != v.Signer.SS58 || doc.Scheme != v.Signer.Scheme ||
			doc.Nonce != v.Nonce || doc.Tip != v.Tip || doc.CallHex != v.Call.Hex ||
			doc.Call.Pallet != v.Call.Pallet || doc.Call.Call != v.Call.Call {
			t.Errorf("%s: decoded %s", name, decoded)
		}
		text, err := RenderExtrinsic(ext)
		if err != nil || !strings.Contains(text, v.Call.Pallet+"."+v.Call.Call+"(") || !strings.Contains(text, v.Signer.SS58) {
			t.Errorf("%s: render %q, %v", name, text, err)
		}
		// A changed signature byte, or another spec version, is a mismatch.
		bad := append([]byte(nil), ext...)
		sigAt := bytes.Index(bad, unhex(t, v.SignatureHex))
		bad[sigAt+5] ^= 1
		if err := VerifyExtrinsic(bad, p.Chain); statusOf(err) != StatusSignatureMismatch && statusOf(err) != StatusInvalidSignature {
			t.Errorf("%s: corrupted signature: %v", name, err)
		}
		other := p.Chain
		other.SpecVersion++
		if err := VerifyExtrinsic(ext, other); statusOf(err) != StatusSignatureMismatch {
			t.Errorf("%s: wrong spec version: %v", name, err)
		}
		if v.Signer.Scheme != "sr25519" {
			continue
		}
		// Our own signature: differs from the vector only inside the 64 signature bytes.
		k, err := KeypairFromURI(v.Signer.Source)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ours, err := k.SignExtrinsic(unhex(t, v.Call.Hex), p)
		k.Close()
		if err != nil {
			t.Errorf("%s: sign: %v", name, err)
			continue
		}
		if err := VerifyExtrinsic(ours, p.Chain); err != nil {
			t.Errorf("%s: our extrinsic does not verify: %v", name, err)
		}
		if len(ours) != len(ext) || !bytes.Equal(ours[:sigAt], ext[:sigAt]) || !bytes.Equal(ours[sigAt+64:], ext[sigAt+64:]) {
			t.Errorf("%s: ours differs outside the signature:\n%x\n%x", name, ours, ext)
		}
	}
	bare := unhex(t, file.Bare.Hex)
	if text, err := RenderExtrinsic(bare); err != nil || !strings.Contains(text, "System.remark(") || !strings.Contains(text, "bare") {
		t.Errorf("bare extrinsic: %q %v", text, err)
	}
	if err := VerifyExtrinsic(bare, ChainContext{}); statusOf(err) != StatusInvalidArgument {
		t.Errorf("verify of a bare extrinsic: %v", err)
	}
}

func TestVectorsCalls(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "extrinsic", "calls.json")
	var file struct {
		Vectors []struct {
			Pallet string          `json:"pallet"`
			Call   string          `json:"call"`
			Args   json.RawMessage `json:"args"`
			Hex    string          `json:"hex"`
		} `json:"vectors"`
	}
	readJSON(t, path, &file)
	if len(file.Vectors) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	for i, v := range file.Vectors {
		got, err := CallFromJSON(v.Pallet, v.Call, v.Args)
		if err != nil || !bytes.Equal(got, unhex(t, v.Hex)) {
			t.Errorf("%s case %d %s.%s: %x %v", path, i, v.Pallet, v.Call, got, err)
		}
	}
}

// The typed helpers give exactly what the JSON encoder gives for the same arguments.
func TestTypedCalls(t *testing.T) {
	alice := h32(t, aliceHex)
	check := func(name string, typed []byte, err error, pallet, call, args string) {
		t.Helper()
		want, jerr := CallFromJSON(pallet, call, []byte(args))
		if err != nil || jerr != nil || !bytes.Equal(typed, want) {
			t.Errorf("%s: %x (%v) vs %x (%v)", name, typed, err, want, jerr)
		}
	}
	b, err := CallSetWeights(3, []uint16{0, 5, 9}, []uint16{65535, 1, 0}, 12345678901)
	check("set_weights", b, err, "SubtensorModule", "set_weights",
		`{"netuid":3,"dests":[0,5,9],"weights":[65535,1,0],"version_key":"12345678901"}`)
	b, err = CallSetWeights(3, nil, nil, 0)
	check("set_weights empty", b, err, "SubtensorModule", "set_weights",
		`{"netuid":3,"dests":[],"weights":[],"version_key":0}`)
	b, err = CallAddStake(alice, 7, 1500000000)
	check("add_stake", b, err, "SubtensorModule", "add_stake",
		`{"hotkey":"`+aliceSS58+`","netuid":7,"amount_staked":"1.5"}`)
	b, err = CallRemoveStake(alice, 7, 42)
	check("remove_stake", b, err, "SubtensorModule", "remove_stake",
		`{"hotkey":"0x`+aliceHex+`","netuid":7,"amount_unstaked":42}`)
	b, err = CallTransfer(alice, 1000000000, true)
	check("transfer_keep_alive", b, err, "Balances", "transfer_keep_alive", `{"dest":"`+aliceSS58+`","value":"1.0"}`)
	b, err = CallTransfer(alice, 5, false)
	check("transfer_allow_death", b, err, "Balances", "transfer_allow_death", `{"dest":"`+aliceSS58+`","value":5}`)
	if _, err := CallFromJSON("Balances", "nope", []byte(`{}`)); statusOf(err) != StatusInvalidArgument {
		t.Errorf("unknown call: %v", err)
	}
	if _, err := CallFromJSON("SubtensorModule", "add_stake", []byte(`{"netuid":1}`)); statusOf(err) != StatusInvalidArgument {
		t.Errorf("missing argument: %v", err)
	}
}

func TestVectorsStorageKeys(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "extrinsic", "storage_keys.json")
	var file struct {
		Vectors []struct {
			Pallet string `json:"pallet"`
			Item   string `json:"item"`
			Keys   []struct {
				Type  string          `json:"type"`
				Value json.RawMessage `json:"value"`
			} `json:"keys"`
			KeyHex string `json:"key_hex"`
		} `json:"vectors"`
	}
	readJSON(t, path, &file)
	if len(file.Vectors) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	for i, v := range file.Vectors {
		var parts []KeyPart
		for _, k := range v.Keys {
			var part KeyPart
			switch k.Type {
			case "u16", "u64":
				part.Kind = KeyU16
				if k.Type == "u64" {
					part.Kind = KeyU64
				}
				n, err := strconv.ParseUint(strings.Trim(string(k.Value), `"`), 10, 64)
				if err != nil {
					t.Fatalf("%s case %d: key value %s", path, i, k.Value)
				}
				part.Value = n
			default:
				var s string
				if err := json.Unmarshal(k.Value, &s); err != nil {
					t.Fatalf("%s case %d: key value %s", path, i, k.Value)
				}
				part.Kind = KeyAccount
				part.Account = h32(t, s)
			}
			parts = append(parts, part)
		}
		got, err := StorageKey(v.Pallet, v.Item, parts)
		if err != nil || "0x"+hexlib.EncodeToString(got) != v.KeyHex {
			t.Errorf("%s case %d %s.%s: %x %v", path, i, v.Pallet, v.Item, got, err)
		}
	}
	if _, err := StorageKey("SubtensorModule", "Weights", []KeyPart{{Kind: KeyU16, Value: 1}}); statusOf(err) != StatusInvalidArgument {
		t.Errorf("wrong part count: %v", err)
	}
	if _, err := StorageKey("SubtensorModule", "Nope", nil); statusOf(err) != StatusInvalidArgument {
		t.Errorf("unknown item: %v", err)
	}
}
