package taolite

/*
#include "taolite.h"
*/
import "C"

// SynapseBodyHash is computed_body_hash of a JSON body over the hashed fields (class order).
func SynapseBodyHash(body string, hashFields []byte) ([32]byte, error) {
	var out [32]byte
	b, bn := stringPtr(body)
	err := call(func() cStatus {
		return C.taolite_synapse_body_hash(b, bn, charPtr(hashFields), C.size_t(len(hashFields)), ptr32(&out))
	})
	return out, err
}

// SynapseSign signs request headers (a JSON object, order kept) as a dendrite and returns
// the signed header JSON. An empty body signs the computed_body_hash header as it is;
// hashFields is a JSON array of field names (nil for none).
func (k *Keypair) SynapseSign(headers, body string, hashFields []byte, nonce uint64) (string, error) {
	h, hn := stringPtr(headers)
	b, bn := stringPtr(body)
	return textOf(func(out *C.char, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_synapse_sign(k.handle, h, hn, b, bn, charPtr(hashFields), C.size_t(len(hashFields)),
			C.uint64_t(nonce), out, n, w)
	})
}

// SynapseVerifyOptions are the axon's side of a verification.
type SynapseVerifyOptions struct {
	AxonHotkey string  // our SS58 hotkey; "" takes the request's bt_header_axon_hotkey
	NowNs      uint64  // our clock, Unix nanoseconds
	LastNonce  *uint64 // the last nonce accepted from this dendrite hotkey and uuid
	SDKRules   bool    // decide exactly as bittensor's default_verify
}

// SynapseVerify checks a request as an axon; it returns the accepted nonce.
func SynapseVerify(headers, body string, hashFields []byte, opts SynapseVerifyOptions) (uint64, error) {
	h, hn := stringPtr(headers)
	b, bn := stringPtr(body)
	a, an := stringPtr(opts.AxonHotkey)
	var last C.uint64_t
	if opts.LastNonce != nil {
		last = C.uint64_t(*opts.LastNonce)
	}
	var nonce C.uint64_t
	err := call(func() cStatus {
		return C.taolite_synapse_verify(h, hn, b, bn, charPtr(hashFields), C.size_t(len(hashFields)), a, an,
			C.uint64_t(opts.NowNs), last, C.bool(opts.LastNonce != nil), C.bool(opts.SDKRules), &nonce)
	})
	return uint64(nonce), err
}
