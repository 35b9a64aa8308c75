package taolite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// caseFiles lists every JSON file of a vectors folder, sorted, failing when there is none.
func caseFiles(t *testing.T, parts ...string) []string {
	dir := filepath.Join(append([]string{vectorsRoot(t)}, parts...)...)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no vector files in %s (%v)", dir, err)
	}
	sort.Strings(files)
	return files
}

// epochScale converts one case document (or step) to SCALE input and expected output.
func epochScale(t *testing.T, name string, doc []byte) ([]byte, []byte) {
	input, err := EpochInputFromJSON(doc)
	if err != nil {
		t.Fatalf("%s: input: %v", name, err)
	}
	expected, err := EpochOutputFromJSON(doc)
	if err != nil {
		t.Fatalf("%s: expected: %v", name, err)
	}
	return input, expected
}

func checkEpoch(t *testing.T, name string, input, expected []byte) {
	computed, err := EpochRun(input)
	if err != nil {
		t.Errorf("%s: run: %v", name, err)
		return
	}
	if !bytes.Equal(computed, expected) {
		report, _ := EpochVerify(input, expected)
		t.Errorf("%s: output differs from the chain's:\n%s", name, report)
		return
	}
	if report, err := EpochVerify(input, expected); err != nil || report != "" {
		t.Errorf("%s: verify of the chain's output: %v %q", name, err, report)
	}
}

func TestVectorsEpochCases(t *testing.T) {
	for _, path := range caseFiles(t, "yuma", "cases") {
		doc, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		input, expected := epochScale(t, path, doc)
		checkEpoch(t, path, input, expected)
	}
}

func TestVectorsEpochUnitSequences(t *testing.T) {
	path := filepath.Join(vectorsRoot(t), "yuma", "unit", "epoch_tests.json")
	var file struct {
		Tests []struct {
			Test  string            `json:"test"`
			Steps []json.RawMessage `json:"steps"`
		} `json:"tests"`
	}
	readJSON(t, path, &file)
	if len(file.Tests) == 0 {
		t.Fatalf("%s: no tests", path)
	}
	for _, test := range file.Tests {
		for i, step := range test.Steps {
			name := fmt.Sprintf("%s %s step %d", path, test.Test, i)
			input, expected := epochScale(t, name, step)
			checkEpoch(t, name, input, expected)
		}
	}
}

func TestEpochMismatchReport(t *testing.T) {
	files := caseFiles(t, "yuma", "cases")
	a, _ := os.ReadFile(files[len(files)-1])
	b, _ := os.ReadFile(files[len(files)/2])
	input, expected := epochScale(t, files[len(files)-1], a)
	_, other := epochScale(t, files[len(files)/2], b)
	report, err := EpochVerify(input, other)
	if statusOf(err) != StatusEpochMismatch || !strings.Contains(report, "expected") {
		t.Fatalf("mismatch not reported: %v %q", err, report)
	}
	text, err := EpochOutputToJSON(expected)
	if err != nil || !strings.HasPrefix(text, `{"terms":`) {
		t.Fatalf("output to JSON: %v %.40q", err, text)
	}
	again, err := EpochOutputFromJSON([]byte(text))
	if err != nil || !bytes.Equal(again, expected) {
		t.Errorf("JSON round trip changed the output: %v", err)
	}
	if _, err := EpochRun(input[:len(input)-1]); statusOf(err) != StatusDecodeFailed {
		t.Errorf("truncated input: %v", err)
	}
	if _, err := EpochInputFromJSON([]byte(`{"n": 1}`)); statusOf(err) != StatusDecodeFailed {
		t.Errorf("incomplete JSON: %v", err)
	} else if !strings.Contains(err.Error(), "missing field") {
		t.Errorf("message does not name the problem: %v", err)
	}
}
