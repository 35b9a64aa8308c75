package taolite

import (
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func h32(t *testing.T, s string) [32]byte {
	var out [32]byte
	b := unhex(t, s)
	if len(b) != 32 {
		t.Fatalf("%q is not 32 bytes", s)
	}
	copy(out[:], b)
	return out
}

func TestVectorsPowSeal(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "pow", "seal.json")
	var file struct {
		Cases []struct {
			ID         string `json:"id"`
			BlockHash  string `json:"block_hash"`
			Hotkey     string `json:"hotkey"`
			Nonce      uint64 `json:"nonce"`
			Seal       string `json:"seal"`
			Difficulty string `json:"difficulty"`
			Meets      bool   `json:"meets"`
			MeetsBE    bool   `json:"meets_legacy_be"`
		} `json:"cases"`
		DifficultyCases []struct {
			ID         string `json:"id"`
			Hash       string `json:"hash"`
			Difficulty string `json:"difficulty"`
			Meets      bool   `json:"meets"`
			MeetsBE    bool   `json:"meets_legacy_be"`
		} `json:"difficulty_cases"`
	}
	readJSON(t, path, &file)
	if len(file.Cases) == 0 || len(file.DifficultyCases) == 0 {
		t.Fatalf("%s: no cases", path)
	}
	for _, c := range file.Cases {
		block, key, want := h32(t, c.BlockHash), h32(t, c.Hotkey), h32(t, c.Seal)
		seal, err := PowSeal(block, key, c.Nonce)
		if err != nil || seal != want {
			t.Errorf("%s %s: seal %x, %v", path, c.ID, seal, err)
			continue
		}
		for _, rule := range []struct {
			rule  PowRule
			meets bool
		}{{PowRuleCurrent, c.Meets}, {PowRuleLegacy, c.MeetsBE}} {
			meets, err := PowMeetsDifficulty(seal, c.Difficulty, rule.rule)
			if err != nil || meets != rule.meets {
				t.Errorf("%s %s rule %d: meets %v, %v", path, c.ID, rule.rule, meets, err)
			}
			err = PowVerify(block, key, c.Nonce, seal, c.Difficulty, rule.rule)
			if rule.meets && err != nil || !rule.meets && statusOf(err) != StatusPowDifficulty {
				t.Errorf("%s %s rule %d: verify %v", path, c.ID, rule.rule, err)
			}
		}
		if err := PowVerify(block, key, c.Nonce+1, seal, "0", PowRuleCurrent); statusOf(err) != StatusPowInvalidSeal {
			t.Errorf("%s %s: another nonce's seal accepted: %v", path, c.ID, err)
		}
	}
	for _, c := range file.DifficultyCases {
		hash := h32(t, c.Hash)
		for _, rule := range []struct {
			rule  PowRule
			meets bool
		}{{PowRuleCurrent, c.Meets}, {PowRuleLegacy, c.MeetsBE}} {
			meets, err := PowMeetsDifficulty(hash, c.Difficulty, rule.rule)
			if err != nil || meets != rule.meets {
				t.Errorf("%s %s rule %d: meets %v, %v", path, c.ID, rule.rule, meets, err)
			}
		}
	}
}

// fullSearchLimit is the longest search (in seals) run from a case's start nonce.
const fullSearchLimit = 20000

func TestVectorsPowSolved(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "pow", "solved.json")
	var file struct {
		Cases []struct {
			ID          string `json:"id"`
			BlockHash   string `json:"block_hash"`
			Hotkey      string `json:"hotkey"`
			Difficulty  string `json:"difficulty"`
			StartNonce  uint64 `json:"start_nonce"`
			FirstNonce  uint64 `json:"first_nonce"`
			Seal        string `json:"seal"`
			Hashes      uint64 `json:"hashes"`
			LegacyFirst uint64 `json:"legacy_be_first_nonce"`
			LegacySeal  string `json:"legacy_be_seal"`
		} `json:"cases"`
	}
	readJSON(t, path, &file)
	if len(file.Cases) == 0 {
		t.Fatalf("%s: no cases", path)
	}
	auto, err := NewSolver(PowBackendAuto, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer auto.Close()
	var all []*Solver
	for _, b := range []PowBackend{PowBackendScalar, PowBackendSIMD, PowBackendThreads} {
		s, err := NewSolver(b, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		all = append(all, s)
	}
	for _, c := range file.Cases {
		block, key := h32(t, c.BlockHash), h32(t, c.Hotkey)
		// The range from the start up to and including the answer: found exactly at its
		// end. The library is a debug build here, so long searches (in seals) start
		// closer to the answer; they still cover a window on both sides of it.
		from, count := c.StartNonce, c.Hashes
		if count > fullSearchLimit {
			from, count = c.FirstNonce-(fullSearchLimit-1), fullSearchLimit
		}
		nonce, found, err := auto.Solve(block, key, c.Difficulty, PowRuleCurrent, from, count, nil)
		if err != nil || !found || nonce != c.FirstNonce {
			t.Errorf("%s %s: solve gave %d %v %v, want %d", path, c.ID, nonce, found, err, c.FirstNonce)
		}
		if seal, _ := PowSeal(block, key, c.FirstNonce); seal != h32(t, c.Seal) {
			t.Errorf("%s %s: seal %x", path, c.ID, seal)
		}
		// One nonce short: exhausted.
		if _, found, err := auto.Solve(block, key, c.Difficulty, PowRuleCurrent, from, count-1, nil); found || err != nil {
			t.Errorf("%s %s: range without the answer gave %v %v", path, c.ID, found, err)
		}
		// Every backend agrees on the last 4096 nonces before the answer.
		from = c.FirstNonce - 4095
		if c.Hashes < 4096 {
			from = c.StartNonce
		}
		for _, s := range all {
			nonce, found, err := s.Solve(block, key, c.Difficulty, PowRuleCurrent, from, 8192, nil)
			if err != nil || !found || nonce != c.FirstNonce {
				t.Errorf("%s %s: backend gave %d %v %v", path, c.ID, nonce, found, err)
			}
		}
		// The legacy rule's answer: verified, and first in the window before it.
		legacyFrom := c.LegacyFirst - 2047
		if c.LegacyFirst-c.StartNonce < 2047 {
			legacyFrom = c.StartNonce
		}
		nonce, found, err = auto.Solve(block, key, c.Difficulty, PowRuleLegacy, legacyFrom, 4096, nil)
		if err != nil || !found || nonce != c.LegacyFirst {
			t.Errorf("%s %s: legacy solve gave %d %v %v", path, c.ID, nonce, found, err)
		}
		if err := PowVerify(block, key, c.LegacyFirst, h32(t, c.LegacySeal), c.Difficulty, PowRuleLegacy); err != nil {
			t.Errorf("%s %s: legacy seal: %v", path, c.ID, err)
		}
	}
}

func TestPowCancelFromAnotherGoroutine(t *testing.T) {
	s, err := NewSolver(PowBackendAuto, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var calls atomic.Int64
	go func() {
		time.Sleep(50 * time.Millisecond)
		if err := s.Cancel(); err != nil {
			t.Error(err)
		}
	}()
	huge := strings.Repeat("f", 64)
	_, _, err = s.Solve([32]byte{1}, [32]byte{2}, "0x"+huge, PowRuleCurrent, 0, ^uint64(0), func(uint64) bool {
		calls.Add(1)
		return true
	})
	if statusOf(err) != StatusCancelled {
		t.Fatalf("cancelled solve: %v", err)
	}
	if calls.Load() == 0 {
		t.Error("progress was never reported")
	}
	// Returning false from progress stops the search too.
	_, _, err = s.Solve([32]byte{1}, [32]byte{2}, "0x"+huge, PowRuleCurrent, 0, ^uint64(0), func(uint64) bool { return false })
	if statusOf(err) != StatusCancelled {
		t.Fatalf("solve stopped by progress: %v", err)
	}
	if _, err := NewSolver(PowBackendScalar, 4); statusOf(err) != StatusInvalidArgument {
		t.Errorf("scalar with 4 threads: %v", err)
	}
	if _, _, err := s.Solve([32]byte{}, [32]byte{}, "12a", PowRuleCurrent, 0, 1, nil); statusOf(err) != StatusInvalidArgument {
		t.Errorf("bad difficulty: %v", err)
	}
}
