package taolite

import (
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// orderedHeaders keeps a JSON object's members in order.
type orderedHeaders struct {
	names  []string
	values map[string]string
}

func (h *orderedHeaders) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	h.values = map[string]string{}
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return err
		}
		var value string
		if err := dec.Decode(&value); err != nil {
			return err
		}
		h.names = append(h.names, key.(string))
		h.values[key.(string)] = value
	}
	return nil
}

func (h *orderedHeaders) json(skip string) string {
	var parts []string
	for _, name := range h.names {
		if name == skip {
			continue
		}
		k, _ := json.Marshal(name)
		v, _ := json.Marshal(h.values[name])
		parts = append(parts, string(k)+": "+string(v))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func TestVectorsSynapse(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "synapse", "synapse.json")
	var file struct {
		Vectors []struct {
			Class      string          `json:"synapse_class"`
			HashFields json.RawMessage `json:"required_hash_fields"`
			Body       string          `json:"body_json"`
			BodyHash   string          `json:"body_hash"`
			Dendrite   struct {
				URI   string `json:"uri"`
				Nonce string `json:"nonce"`
			} `json:"dendrite"`
			Axon struct {
				Hotkey string `json:"hotkey"`
			} `json:"axon"`
			Headers   orderedHeaders `json:"headers"`
			VerifyNow string         `json:"verify_now_ns"`
			Signature string         `json:"signature"`
		} `json:"vectors"`
	}
	readJSON(t, path, &file)
	if len(file.Vectors) == 0 {
		t.Fatalf("%s: no vectors", path)
	}
	for _, v := range file.Vectors {
		name := path + " " + v.Class
		hash, err := SynapseBodyHash(v.Body, v.HashFields)
		if err != nil || hex.EncodeToString(hash[:]) != v.BodyHash {
			t.Errorf("%s: body hash %x, %v", name, hash, err)
		}
		now, _ := strconv.ParseUint(v.VerifyNow, 10, 64)
		nonce, _ := strconv.ParseUint(v.Dendrite.Nonce, 10, 64)
		headers := v.Headers.json("")
		// The SDK's own request is accepted under both rule sets, with and without the body.
		for _, sdk := range []bool{true, false} {
			got, err := SynapseVerify(headers, v.Body, v.HashFields, SynapseVerifyOptions{NowNs: now, SDKRules: sdk})
			if err != nil || got != nonce {
				t.Errorf("%s (sdk %v): verify %d, %v", name, sdk, got, err)
			}
		}
		if _, err := SynapseVerify(headers, "", nil, SynapseVerifyOptions{AxonHotkey: v.Axon.Hotkey, NowNs: now}); err != nil {
			t.Errorf("%s: verify without body: %v", name, err)
		}
		// Replay, stale clock, another body, another axon.
		if _, err := SynapseVerify(headers, "", nil, SynapseVerifyOptions{NowNs: now, LastNonce: &nonce}); statusOf(err) != StatusRequestRejected {
			t.Errorf("%s: replay: %v", name, err)
		}
		if _, err := SynapseVerify(headers, "", nil, SynapseVerifyOptions{NowNs: now + 3600e9}); statusOf(err) != StatusRequestRejected {
			t.Errorf("%s: stale: %v", name, err)
		}
		if _, err := SynapseVerify(headers, `{"x": 1}`, nil, SynapseVerifyOptions{NowNs: now}); string(v.HashFields) != "[]" && statusOf(err) != StatusRequestRejected {
			t.Errorf("%s: other body: %v", name, err)
		}
		if _, err := SynapseVerify(headers, "", nil, SynapseVerifyOptions{AxonHotkey: aliceSS58, NowNs: now, SDKRules: true}); statusOf(err) != StatusSignatureMismatch {
			t.Errorf("%s: another axon: %v", name, err)
		}
		// Sign again with the vector's key and nonce: identical headers but the signature.
		k, err := KeypairFromURI(v.Dendrite.URI)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := k.SynapseSign(v.Headers.json("bt_header_dendrite_signature"), v.Body, v.HashFields, nonce)
		k.Close()
		if err != nil {
			t.Errorf("%s: sign: %v", name, err)
			continue
		}
		var ours orderedHeaders
		if err := json.Unmarshal([]byte(signed), &ours); err != nil {
			t.Errorf("%s: signed headers are not JSON: %v", name, err)
			continue
		}
		for _, h := range v.Headers.names {
			if h != "bt_header_dendrite_signature" && ours.values[h] != v.Headers.values[h] {
				t.Errorf("%s: header %s: %q, want %q", name, h, ours.values[h], v.Headers.values[h])
			}
		}
		if sig := ours.values["bt_header_dendrite_signature"]; sig == "" || sig == v.Signature {
			t.Errorf("%s: signature header %q", name, sig)
		}
		if _, err := SynapseVerify(signed, v.Body, v.HashFields, SynapseVerifyOptions{NowNs: now}); err != nil {
			t.Errorf("%s: our signed request: %v", name, err)
		}
	}
	if _, err := SynapseVerify(`{"a": 1}`, "", nil, SynapseVerifyOptions{}); statusOf(err) != StatusDecodeFailed {
		t.Errorf("non-string header: %v", err)
	}
	if _, err := SynapseVerify(`{"a": "1", "a": "2"}`, "", nil, SynapseVerifyOptions{}); statusOf(err) != StatusDecodeFailed {
		t.Errorf("repeated header: %v", err)
	}
}
