// Package taolite wraps the taolite C ABI (ffi/include/taolite.h) for Go.
//
// It links the static library built by `cargo build -p taolite-ffi` (target/debug by
// default; set CGO_LDFLAGS to link another build). Errors come back as *Error values
// carrying the C status and the library's message; handles have Close methods.
package taolite

/*
#cgo CFLAGS: -I${SRCDIR}/../../include
#cgo LDFLAGS: ${SRCDIR}/../../../target/debug/libtaolite_ffi.a -lm -ldl -lpthread
#include "taolite.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// cStatus is how cgo types the C functions' TaoliteStatus return value.
type cStatus = uint32

// Status is a taolite status code (TAOLITE_STATUS_* in the header).
type Status int

// The status codes a call can return.
const (
	StatusOK                Status = C.TAOLITE_STATUS_OK
	StatusNullPointer       Status = C.TAOLITE_STATUS_NULL_POINTER
	StatusBufferTooSmall    Status = C.TAOLITE_STATUS_BUFFER_TOO_SMALL
	StatusInvalidHandle     Status = C.TAOLITE_STATUS_INVALID_HANDLE
	StatusInvalidArgument   Status = C.TAOLITE_STATUS_INVALID_ARGUMENT
	StatusInvalidUTF8       Status = C.TAOLITE_STATUS_INVALID_UTF8
	StatusInvalidHex        Status = C.TAOLITE_STATUS_INVALID_HEX
	StatusInvalidSS58       Status = C.TAOLITE_STATUS_INVALID_SS58
	StatusInvalidMnemonic   Status = C.TAOLITE_STATUS_INVALID_MNEMONIC
	StatusInvalidURI        Status = C.TAOLITE_STATUS_INVALID_URI
	StatusInvalidKey        Status = C.TAOLITE_STATUS_INVALID_KEY
	StatusInvalidSignature  Status = C.TAOLITE_STATUS_INVALID_SIGNATURE
	StatusSignatureMismatch Status = C.TAOLITE_STATUS_SIGNATURE_MISMATCH
	StatusDecodeFailed      Status = C.TAOLITE_STATUS_DECODE_FAILED
	StatusCancelled         Status = C.TAOLITE_STATUS_CANCELLED
	StatusPanic             Status = C.TAOLITE_STATUS_PANIC
	StatusEpochMismatch     Status = C.TAOLITE_STATUS_EPOCH_MISMATCH
	StatusPowDifficulty     Status = C.TAOLITE_STATUS_POW_DIFFICULTY_NOT_MET
	StatusPowInvalidSeal    Status = C.TAOLITE_STATUS_POW_INVALID_SEAL
	StatusRequestRejected   Status = C.TAOLITE_STATUS_REQUEST_REJECTED
)

// Error is a failed call: its status and the library's message.
type Error struct {
	Status  Status
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("taolite: %s (status %d)", e.Message, int(e.Status))
}

// check turns a status into an error, reading the message on the same OS thread.
// Callers lock the OS thread around the call and this read (see call).
func check(status cStatus) error {
	if status == C.TAOLITE_STATUS_OK {
		return nil
	}
	return &Error{Status: Status(status), Message: lastError()}
}

// call runs one C call and reads its error on the same OS thread, because the last
// error message is kept per thread.
func call(f func() cStatus) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return check(f())
}

func lastError() string {
	var needed C.size_t
	if C.taolite_last_error(nil, 0, &needed) != C.TAOLITE_STATUS_BUFFER_TOO_SMALL || needed == 0 {
		return ""
	}
	buf := make([]byte, int(needed))
	if C.taolite_last_error((*C.char)(unsafe.Pointer(&buf[0])), needed, &needed) != C.TAOLITE_STATUS_OK {
		return ""
	}
	return string(buf[:len(buf)-1])
}

// bytesPtr returns a C pointer to the slice's data, or nil for an empty slice.
func bytesPtr(b []byte) *C.uint8_t {
	if len(b) == 0 {
		return nil
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// stringPtr returns a C pointer to the string's bytes (not NUL-terminated), or nil.
func stringPtr(s string) (*C.char, C.size_t) {
	if len(s) == 0 {
		return nil, 0
	}
	b := []byte(s)
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// text calls f with a growing buffer until the NUL-terminated output fits.
func text(f func(out *C.char, outLen C.size_t, written *C.size_t) cStatus) (string, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	buf := make([]byte, 64)
	for {
		var written C.size_t
		status := f((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &written)
		if status == C.TAOLITE_STATUS_BUFFER_TOO_SMALL && int(written) > len(buf) {
			buf = make([]byte, int(written))
			continue
		}
		if err := check(status); err != nil {
			return "", err
		}
		return string(buf[:int(written)-1]), nil
	}
}

func hash32(f func(data *C.uint8_t, n C.size_t, out *C.uint8_t) cStatus, data []byte) [32]byte {
	var out [32]byte
	// Hashing cannot fail for a valid slice and output array.
	_ = call(func() cStatus {
		return f(bytesPtr(data), C.size_t(len(data)), (*C.uint8_t)(unsafe.Pointer(&out[0])))
	})
	return out
}

// Sha256 is SHA-256.
func Sha256(data []byte) [32]byte {
	return hash32(func(d *C.uint8_t, n C.size_t, o *C.uint8_t) cStatus { return C.taolite_sha256(d, n, o) }, data)
}

// Keccak256 is Keccak-256 with the original padding.
func Keccak256(data []byte) [32]byte {
	return hash32(func(d *C.uint8_t, n C.size_t, o *C.uint8_t) cStatus { return C.taolite_keccak256(d, n, o) }, data)
}

// Blake2_256 is Blake2b with a 32-byte output.
func Blake2_256(data []byte) [32]byte {
	return hash32(func(d *C.uint8_t, n C.size_t, o *C.uint8_t) cStatus { return C.taolite_blake2_256(d, n, o) }, data)
}

// Twox128 is Substrate's twox_128.
func Twox128(data []byte) [16]byte {
	var out [16]byte
	_ = call(func() cStatus {
		return C.taolite_twox_128(bytesPtr(data), C.size_t(len(data)), (*C.uint8_t)(unsafe.Pointer(&out[0])))
	})
	return out
}

// SS58Encode encodes a 32-byte account id with a prefix (42 for Bittensor).
func SS58Encode(account [32]byte, prefix uint16) (string, error) {
	return text(func(out *C.char, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_ss58_encode((*C.uint8_t)(unsafe.Pointer(&account[0])), C.uint16_t(prefix), out, n, w)
	})
}

// SS58Decode decodes an address of any prefix into its prefix and account id.
func SS58Decode(address string) (uint16, [32]byte, error) {
	var account [32]byte
	var prefix C.uint16_t
	ptr, n := stringPtr(address)
	err := call(func() cStatus {
		return C.taolite_ss58_decode(ptr, n, &prefix, (*C.uint8_t)(unsafe.Pointer(&account[0])))
	})
	return uint16(prefix), account, err
}

// Keypair is an sr25519 key pair held by the library; Close zeroizes and frees it.
type Keypair struct {
	handle *C.TaoliteKeypair
}

func newKeypair(f func(out **C.TaoliteKeypair) cStatus) (*Keypair, error) {
	var handle *C.TaoliteKeypair
	if err := call(func() cStatus { return f(&handle) }); err != nil {
		return nil, err
	}
	return &Keypair{handle: handle}, nil
}

// KeypairFromURI makes a key pair from a secret URI (mnemonic, 0x seed or //dev path,
// with //hard, /soft junctions and ///password).
func KeypairFromURI(uri string) (*Keypair, error) {
	ptr, n := stringPtr(uri)
	return newKeypair(func(out **C.TaoliteKeypair) cStatus { return C.taolite_keypair_from_uri(ptr, n, out) })
}

// KeypairFromMnemonic makes a key pair from a BIP39 English phrase and a password.
func KeypairFromMnemonic(phrase, password string) (*Keypair, error) {
	p, pn := stringPtr(phrase)
	w, wn := stringPtr(password)
	return newKeypair(func(out **C.TaoliteKeypair) cStatus {
		return C.taolite_keypair_from_mnemonic(p, pn, w, wn, out)
	})
}

// KeypairFromSeed makes a key pair from a 32-byte mini secret.
func KeypairFromSeed(seed [32]byte) (*Keypair, error) {
	return newKeypair(func(out **C.TaoliteKeypair) cStatus {
		return C.taolite_keypair_from_seed((*C.uint8_t)(unsafe.Pointer(&seed[0])), out)
	})
}

// Close frees the key pair and zeroizes its secret. Closing twice returns an error.
func (k *Keypair) Close() error {
	if k.handle == nil {
		return &Error{Status: StatusInvalidHandle, Message: "keypair is already closed"}
	}
	err := call(func() cStatus { return C.taolite_keypair_free(k.handle) })
	k.handle = nil
	return err
}

// PublicKey is the 32-byte public key (the account id).
func (k *Keypair) PublicKey() ([32]byte, error) {
	var out [32]byte
	err := call(func() cStatus {
		return C.taolite_keypair_public_key(k.handle, (*C.uint8_t)(unsafe.Pointer(&out[0])))
	})
	return out, err
}

// SS58 is the key's address with the given prefix.
func (k *Keypair) SS58(prefix uint16) (string, error) {
	return text(func(out *C.char, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_keypair_ss58(k.handle, C.uint16_t(prefix), out, n, w)
	})
}

// Sign signs message with the "substrate" context (randomized).
func (k *Keypair) Sign(message []byte) ([64]byte, error) {
	var out [64]byte
	err := call(func() cStatus {
		return C.taolite_keypair_sign(k.handle, bytesPtr(message), C.size_t(len(message)), (*C.uint8_t)(unsafe.Pointer(&out[0])))
	})
	return out, err
}

// Verify checks an sr25519 signature; nil means valid.
func Verify(publicKey [32]byte, message []byte, signature [64]byte) error {
	return call(func() cStatus {
		return C.taolite_sr25519_verify((*C.uint8_t)(unsafe.Pointer(&publicKey[0])), bytesPtr(message),
			C.size_t(len(message)), (*C.uint8_t)(unsafe.Pointer(&signature[0])))
	})
}

// sized calls f with a growing buffer until the output fits and returns the bytes
// written (text outputs keep their NUL; see textOut).
func sized(f func(out *C.uint8_t, outLen C.size_t, written *C.size_t) cStatus) ([]byte, cStatus, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	buf := make([]byte, 256)
	for {
		var written C.size_t
		status := f((*C.uint8_t)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &written)
		if status == C.TAOLITE_STATUS_BUFFER_TOO_SMALL && int(written) > len(buf) {
			buf = make([]byte, int(written))
			continue
		}
		if err := check(status); err != nil {
			if status == C.TAOLITE_STATUS_EPOCH_MISMATCH {
				return buf[:int(written)], status, err
			}
			return nil, status, err
		}
		return buf[:int(written)], status, nil
	}
}

// sizedBytes is sized for binary outputs.
func sizedBytes(f func(out *C.uint8_t, outLen C.size_t, written *C.size_t) cStatus) ([]byte, error) {
	out, _, err := sized(f)
	return out, err
}

// charPtr returns a C char pointer to the slice's data, or nil for an empty slice.
func charPtr(b []byte) *C.char {
	return (*C.char)(unsafe.Pointer(bytesPtr(b)))
}

// trimNUL drops the terminating NUL of a text output.
func trimNUL(b []byte) string {
	if len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return string(b)
}

// EpochInputFromJSON converts an epoch input in the shared vectors' JSON schema (a whole
// case, whose "input" member is used, or an input object) to its SCALE bytes.
func EpochInputFromJSON(json []byte) ([]byte, error) {
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_epoch_input_from_json(charPtr(json), C.size_t(len(json)), out, n, w)
	})
}

// EpochOutputFromJSON converts an epoch output in the vectors' JSON schema (a whole case,
// whose "expected" member is used, or {"terms": [...]}) to its SCALE bytes.
func EpochOutputFromJSON(json []byte) ([]byte, error) {
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_epoch_output_from_json(charPtr(json), C.size_t(len(json)), out, n, w)
	})
}

// EpochOutputToJSON converts SCALE output bytes to the vectors' JSON schema.
func EpochOutputToJSON(output []byte) (string, error) {
	out, err := sizedBytes(func(o *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_epoch_output_to_json(bytesPtr(output), C.size_t(len(output)), (*C.char)(unsafe.Pointer(o)), n, w)
	})
	return trimNUL(out), err
}

// EpochRun runs the epoch on SCALE input bytes and returns the SCALE output bytes.
func EpochRun(input []byte) ([]byte, error) {
	return sizedBytes(func(out *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_epoch_run(bytesPtr(input), C.size_t(len(input)), out, n, w)
	})
}

// EpochVerify reruns the epoch and compares it with the expected SCALE output. A nil error
// means every value matches; on a mismatch the error has StatusEpochMismatch and the
// report lists every difference, one per line.
func EpochVerify(input, expected []byte) (string, error) {
	out, _, err := sized(func(o *C.uint8_t, n C.size_t, w *C.size_t) cStatus {
		return C.taolite_epoch_verify(bytesPtr(input), C.size_t(len(input)), bytesPtr(expected),
			C.size_t(len(expected)), (*C.char)(unsafe.Pointer(o)), n, w)
	})
	return trimNUL(out), err
}
