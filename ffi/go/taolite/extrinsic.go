package taolite

/*
#include "taolite.h"
*/
import "C"

import "unsafe"

// ChainContext is the data every signature covers without sending it.
type ChainContext struct {
	SpecVersion        uint32
	TransactionVersion uint32
	GenesisHash        [32]byte
	BirthBlockHash     [32]byte // read for mortal transactions only
	MetadataHash       *[32]byte
}

// TxParams are a signer's choices besides the call. EraPeriod 0 means immortal.
type TxParams struct {
	Nonce           uint32
	Tip             uint64
	EraPeriod       uint64
	EraCurrentBlock uint64
	Chain           ChainContext
}

func (c *ChainContext) toC() C.TaoliteChainContext {
	var out C.TaoliteChainContext
	out.spec_version = C.uint32_t(c.SpecVersion)
	out.transaction_version = C.uint32_t(c.TransactionVersion)
	for i := 0; i < 32; i++ {
		out.genesis_hash[i] = C.uint8_t(c.GenesisHash[i])
		out.birth_block_hash[i] = C.uint8_t(c.BirthBlockHash[i])
	}
	if c.MetadataHash != nil {
		out.has_metadata_hash = 1
		for i := 0; i < 32; i++ {
			out.metadata_hash[i] = C.uint8_t(c.MetadataHash[i])
		}
	}
	return out
}

func (p *TxParams) toC() C.TaoliteTxParams {
	var out C.TaoliteTxParams
	out.nonce = C.uint32_t(p.Nonce)
	out.tip = C.uint64_t(p.Tip)
	out.era_period = C.uint64_t(p.EraPeriod)
	out.era_current_block = C.uint64_t(p.EraCurrentBlock)
	out.chain = p.Chain.toC()
	return out
}

// SignExtrinsic builds and signs a v4 extrinsic for SCALE call bytes with the key pair.
func (k *Keypair) SignExtrinsic(call []byte, params TxParams) ([]byte, error) {
	cParams := params.toC()
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_extrinsic_sign(k.handle, bytesPtr(call), C.size_t(len(call)), &cParams, out, n, w)
	})
}

func u16Ptr(v []uint16) *C.uint16_t {
	if len(v) == 0 {
		return nil
	}
	return (*C.uint16_t)(unsafe.Pointer(&v[0]))
}

// CallSetWeights encodes SubtensorModule.set_weights.
func CallSetWeights(netuid uint16, dests, weights []uint16, versionKey uint64) ([]byte, error) {
	if len(dests) != len(weights) {
		return nil, &Error{Status: StatusInvalidArgument, Message: "dests and weights differ in length"}
	}
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_call_set_weights(C.uint16_t(netuid), u16Ptr(dests), u16Ptr(weights), C.size_t(len(dests)),
			C.uint64_t(versionKey), out, n, w)
	})
}

// CallAddStake encodes SubtensorModule.add_stake (amount in rao).
func CallAddStake(hotkey [32]byte, netuid uint16, amountRao uint64) ([]byte, error) {
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_call_add_stake(ptr32(&hotkey), C.uint16_t(netuid), C.uint64_t(amountRao), out, n, w)
	})
}

// CallRemoveStake encodes SubtensorModule.remove_stake (amount in 10^-9 alpha).
func CallRemoveStake(hotkey [32]byte, netuid uint16, amountAlpha uint64) ([]byte, error) {
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_call_remove_stake(ptr32(&hotkey), C.uint16_t(netuid), C.uint64_t(amountAlpha), out, n, w)
	})
}

// CallTransfer encodes Balances.transfer_keep_alive (keepAlive) or transfer_allow_death.
func CallTransfer(dest [32]byte, amountRao uint64, keepAlive bool) ([]byte, error) {
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_call_transfer(ptr32(&dest), C.uint64_t(amountRao), C.bool(keepAlive), out, n, w)
	})
}

// CallFromJSON encodes any typed call from its names and JSON arguments.
func CallFromJSON(pallet, call string, args []byte) ([]byte, error) {
	p, pn := stringPtr(pallet)
	c, cn := stringPtr(call)
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_call_from_json(p, pn, c, cn, charPtr(args), C.size_t(len(args)), out, n, w)
	})
}

func textOf(f func(out *C.char, n C.size_t, w *C.size_t) cStatus) (string, error) {
	out, err := sizedBytes(func(o *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return f((*C.char)(unsafe.Pointer(o)), n, w)
	})
	return trimNUL(out), err
}

// DecodeExtrinsic decodes a complete extrinsic to JSON text.
func DecodeExtrinsic(extrinsic []byte) (string, error) {
	return textOf(func(out *C.char, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_extrinsic_decode(bytesPtr(extrinsic), C.size_t(len(extrinsic)), out, n, w)
	})
}

// RenderExtrinsic renders a complete extrinsic as the text a hardware signer shows.
func RenderExtrinsic(extrinsic []byte) (string, error) {
	return textOf(func(out *C.char, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_extrinsic_render(bytesPtr(extrinsic), C.size_t(len(extrinsic)), out, n, w)
	})
}

// VerifyExtrinsic checks a signed extrinsic's signature; nil means valid.
func VerifyExtrinsic(extrinsic []byte, chain ChainContext) error {
	cChain := chain.toC()
	return call(func() cStatus {
		return C.taolite_extrinsic_verify(bytesPtr(extrinsic), C.size_t(len(extrinsic)), &cChain)
	})
}

// KeyPart is one storage key part: a U16, a U64 or an Account.
type KeyPart struct {
	Kind    uint32 // KeyU16, KeyU64 or KeyAccount
	Value   uint64
	Account [32]byte
}

// Storage key part kinds.
const (
	KeyU16     uint32 = C.TAOLITE_KEY_KIND_U16
	KeyU64     uint32 = C.TAOLITE_KEY_KIND_U64
	KeyAccount uint32 = C.TAOLITE_KEY_KIND_ACCOUNT
)

// StorageKey builds the full key of an epoch storage item.
func StorageKey(pallet, item string, parts []KeyPart) ([]byte, error) {
	cParts := make([]C.TaoliteKeyPart, len(parts))
	for i, p := range parts {
		cParts[i].kind = C.uint32_t(p.Kind)
		cParts[i].value = C.uint64_t(p.Value)
		for j := 0; j < 32; j++ {
			cParts[i].account[j] = C.uint8_t(p.Account[j])
		}
	}
	var partsPtr *C.TaoliteKeyPart
	if len(cParts) > 0 {
		partsPtr = &cParts[0]
	}
	pp, pn := stringPtr(pallet)
	ip, in := stringPtr(item)
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_storage_key(pp, pn, ip, in, partsPtr, C.size_t(len(cParts)), out, n, w)
	})
}
