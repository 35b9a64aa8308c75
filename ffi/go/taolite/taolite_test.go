package taolite

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const aliceSS58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
const aliceHex = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"

// vectorsRoot is $TAOLITE_VECTORS, or ../shared/vectors beside the repository root;
// a relative TAOLITE_VECTORS is taken relative to the repository root.
func vectorsRoot(t *testing.T) string {
	repo, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	root := os.Getenv("TAOLITE_VECTORS")
	if root == "" {
		root = filepath.Join("..", "shared", "vectors")
	}
	if !filepath.IsAbs(root) {
		root = filepath.Join(repo, root)
	}
	return root
}

func unhex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func readJSON(t *testing.T, path string, into interface{}) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("cannot read %s: %v", path, err)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("%s is not valid JSON for this test: %v", path, err)
	}
}

func statusOf(err error) Status {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return StatusOK
}

func TestHashes(t *testing.T) {
	if got := hex.EncodeToString(func() []byte { h := Sha256(nil); return h[:] }()); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("sha256 of empty input: %s", got)
	}
	if got := Twox128([]byte("System")); hex.EncodeToString(got[:]) != "26aa394eea5630e07c48ae0c9558cef7" {
		t.Errorf("twox128(System): %x", got)
	}
	k := Keccak256(nil)
	if hex.EncodeToString(k[:]) != "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" {
		t.Errorf("keccak256 of empty input: %x", k)
	}
	_ = Blake2_256([]byte("x"))
}

func TestKeypairAliceSignVerifyClose(t *testing.T) {
	k, err := KeypairFromURI("//Alice")
	if err != nil {
		t.Fatal(err)
	}
	pk, err := k.PublicKey()
	if err != nil || hex.EncodeToString(pk[:]) != aliceHex {
		t.Fatalf("public key %x, %v", pk, err)
	}
	addr, err := k.SS58(42)
	if err != nil || addr != aliceSS58 {
		t.Fatalf("address %q, %v", addr, err)
	}
	sig, err := k.Sign([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(pk, []byte("hello"), sig); err != nil {
		t.Errorf("own signature does not verify: %v", err)
	}
	if err := Verify(pk, []byte("hellO"), sig); statusOf(err) != StatusSignatureMismatch {
		t.Errorf("changed message: %v", err)
	}
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	if err := k.Close(); statusOf(err) != StatusInvalidHandle {
		t.Errorf("double close: %v", err)
	}
	if _, err := k.PublicKey(); statusOf(err) != StatusInvalidHandle {
		t.Errorf("use after close: %v", err)
	}
}

func TestBadInputIsAnError(t *testing.T) {
	if _, err := KeypairFromURI("//Alice//"); statusOf(err) != StatusInvalidURI {
		t.Errorf("malformed URI: %v", err)
	}
	if _, err := KeypairFromMnemonic("bottom drive obey", ""); statusOf(err) != StatusInvalidMnemonic {
		t.Errorf("short mnemonic: %v", err)
	}
	if _, _, err := SS58Decode(aliceSS58[:47] + "X"); statusOf(err) != StatusInvalidSS58 {
		t.Errorf("bad checksum: %v", err)
	} else if !strings.Contains(err.Error(), "checksum") {
		t.Errorf("message does not say what was wrong: %v", err)
	}
	if _, err := SS58Encode([32]byte{}, 16384); statusOf(err) != StatusInvalidSS58 {
		t.Errorf("prefix out of range: %v", err)
	}
}

func TestVectorsSS58(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "keys", "ss58.json")
	var file struct {
		Vectors []struct {
			Address   string `json:"address"`
			Valid     bool   `json:"valid"`
			Format    uint16 `json:"format"`
			PublicKey string `json:"public_key"`
		} `json:"vectors"`
	}
	readJSON(t, path, &file)
	if len(file.Vectors) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	for i, v := range file.Vectors {
		prefix, account, err := SS58Decode(v.Address)
		if !v.Valid {
			if err == nil {
				t.Errorf("%s case %d (%s): invalid address accepted", path, i, v.Address)
			}
			continue
		}
		if err != nil || prefix != v.Format || hex.EncodeToString(account[:]) != strings.TrimPrefix(v.PublicKey, "0x") {
			t.Errorf("%s case %d (%s): got %d %x %v", path, i, v.Address, prefix, account, err)
			continue
		}
		again, err := SS58Encode(account, prefix)
		if err != nil || again != v.Address {
			t.Errorf("%s case %d: re-encoded %q, %v", path, i, again, err)
		}
	}
}

func TestVectorsDerivation(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "keys", "derivation_sr25519.json")
	var file struct {
		Vectors []struct {
			Suri      string            `json:"suri"`
			PublicKey string            `json:"public_key"`
			SS58      map[string]string `json:"ss58"`
		} `json:"vectors"`
	}
	readJSON(t, path, &file)
	if len(file.Vectors) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	for i, v := range file.Vectors {
		k, err := KeypairFromURI(v.Suri)
		if err != nil {
			t.Errorf("%s case %d (%q): %v", path, i, v.Suri, err)
			continue
		}
		pk, err := k.PublicKey()
		if err != nil || "0x"+hex.EncodeToString(pk[:]) != v.PublicKey {
			t.Errorf("%s case %d (%q): public key %x, %v", path, i, v.Suri, pk, err)
		}
		if addr, err := k.SS58(42); err != nil || addr != v.SS58["42"] {
			t.Errorf("%s case %d (%q): ss58 %q, %v", path, i, v.Suri, addr, err)
		}
		if err := k.Close(); err != nil {
			t.Error(err)
		}
	}
}

func TestVectorsSignatures(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "keys", "signatures_sr25519.json")
	var file struct {
		Vectors []struct {
			PublicKey string `json:"public_key"`
			Message   string `json:"message"`
			Signature string `json:"signature"`
			Valid     bool   `json:"valid"`
			Case      string `json:"case"`
		} `json:"vectors"`
	}
	readJSON(t, path, &file)
	if len(file.Vectors) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	for i, v := range file.Vectors {
		var pk [32]byte
		var sig [64]byte
		copy(pk[:], unhex(t, v.PublicKey))
		copy(sig[:], unhex(t, v.Signature))
		err := Verify(pk, unhex(t, v.Message), sig)
		if (err == nil) != v.Valid {
			t.Errorf("%s case %d (%s): valid=%v but got %v", path, i, v.Case, v.Valid, err)
		}
	}
}
