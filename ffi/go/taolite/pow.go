package taolite

/*
#include "taolite.h"
extern bool taoliteGoProgress(void *user, uint64_t hashes_done);
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// PowRule is how seal bytes are read as a number before the difficulty test.
type PowRule uint32

// The rules.
const (
	PowRuleCurrent PowRule = C.TAOLITE_POW_RULE_CURRENT // little-endian, the chain since mid-2025
	PowRuleLegacy  PowRule = C.TAOLITE_POW_RULE_LEGACY  // big-endian, older chains and the Python SDK
)

// PowBackend selects a solver's kernel and threading.
type PowBackend uint32

// The backends.
const (
	PowBackendAuto    PowBackend = C.TAOLITE_POW_BACKEND_AUTO
	PowBackendScalar  PowBackend = C.TAOLITE_POW_BACKEND_SCALAR
	PowBackendSIMD    PowBackend = C.TAOLITE_POW_BACKEND_SIMD
	PowBackendThreads PowBackend = C.TAOLITE_POW_BACKEND_THREADS
)

func ptr32(b *[32]byte) *C.uint8_t {
	return (*C.uint8_t)(unsafe.Pointer(&b[0]))
}

// PowSeal is the seal (the extrinsic's work) of a nonce for a block hash and key.
func PowSeal(blockHash, key [32]byte, nonce uint64) ([32]byte, error) {
	var out [32]byte
	err := call(func() cStatus {
		return C.taolite_pow_seal(ptr32(&blockHash), ptr32(&key), C.uint64_t(nonce), ptr32(&out))
	})
	return out, err
}

// PowMeetsDifficulty says whether a seal meets a difficulty (decimal or 0x hex text).
func PowMeetsDifficulty(seal [32]byte, difficulty string, rule PowRule) (bool, error) {
	var meets C.bool
	d, dn := stringPtr(difficulty)
	err := call(func() cStatus {
		return C.taolite_pow_meets_difficulty(ptr32(&seal), d, dn, C.uint32_t(rule), &meets)
	})
	return bool(meets), err
}

// PowVerify checks a submitted solution as the chain does; nil means valid.
func PowVerify(blockHash, key [32]byte, nonce uint64, work [32]byte, difficulty string, rule PowRule) error {
	d, dn := stringPtr(difficulty)
	return call(func() cStatus {
		return C.taolite_pow_verify(ptr32(&blockHash), ptr32(&key), C.uint64_t(nonce), ptr32(&work), d, dn,
			C.uint32_t(rule))
	})
}

// Solver searches nonces; Close frees it. Cancel may be called from any goroutine.
type Solver struct {
	handle *C.TaolitePowSolver
}

// NewSolver makes a solver; threads 0 means one worker per core (AUTO and THREADS).
func NewSolver(backend PowBackend, threads uint32) (*Solver, error) {
	var handle *C.TaolitePowSolver
	if err := call(func() cStatus { return C.taolite_pow_solver_new(C.uint32_t(backend), C.uint32_t(threads), &handle) }); err != nil {
		return nil, err
	}
	return &Solver{handle: handle}, nil
}

// Close frees the solver. Closing twice returns an error.
func (s *Solver) Close() error {
	if s.handle == nil {
		return &Error{Status: StatusInvalidHandle, Message: "solver is already closed"}
	}
	err := call(func() cStatus { return C.taolite_pow_solver_free(s.handle) })
	s.handle = nil
	return err
}

// Cancel stops the running Solve (or the next one); safe from any goroutine.
func (s *Solver) Cancel() error {
	return call(func() cStatus { return C.taolite_pow_cancel(s.handle) })
}

//export taoliteGoProgress
func taoliteGoProgress(user unsafe.Pointer, hashesDone C.uint64_t) C.bool {
	progress := (*(*cgo.Handle)(user)).Value().(func(uint64) bool)
	return C.bool(progress(uint64(hashesDone)))
}

// Solve searches count nonces from start for the first whose seal meets difficulty.
// progress (may be nil) gets the seals computed so far, from the solver's threads; it
// returns false to stop, and Solve then fails with StatusCancelled.
func (s *Solver) Solve(blockHash, key [32]byte, difficulty string, rule PowRule, start, count uint64,
	progress func(hashesDone uint64) bool) (nonce uint64, found bool, err error) {
	var cNonce C.uint64_t
	var cFound C.bool
	d, dn := stringPtr(difficulty)
	var callback C.TaolitePowProgress
	var user unsafe.Pointer
	if progress != nil {
		handle := new(cgo.Handle)
		*handle = cgo.NewHandle(progress)
		defer handle.Delete()
		callback = C.TaolitePowProgress(C.taoliteGoProgress)
		user = unsafe.Pointer(handle)
		defer runtime.KeepAlive(handle)
	}
	err = call(func() cStatus {
		return C.taolite_pow_solve(s.handle, ptr32(&blockHash), ptr32(&key), d, dn, C.uint32_t(rule),
			C.uint64_t(start), C.uint64_t(count), callback, user, &cNonce, &cFound)
	})
	return uint64(cNonce), bool(cFound), err
}
