package jsontest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the output of the tests")

// Golden compares got with the file testdata/name, and with -update
// writes got there instead. It reports whether they agree.
func Golden(t interface {
	Helper()
	Errorf(format string, args ...any)
}, name string, got []byte) bool {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Errorf("jsontest: %v", err)
			return false
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Errorf("jsontest: %v", err)
			return false
		}
		return true
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("jsontest: %v (run go test -update to write it)", err)
		return false
	}
	if !bytes.Equal(want, got) {
		t.Errorf("jsontest: output differs from %s (go test -update rewrites it):\n got: %s\nwant: %s", path, got, want)
		return false
	}
	return true
}
