package jsontest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/kpiflow/kpi"
)

// Refused checks that json.Unmarshal of data into v, a pointer, fails
// with an error wrapping kpi.ErrInvalid whose text holds every want and
// is shorter than 1 KiB (a bad value is quoted cut short, never whole).
// It returns the error, for checks of the caller's own.
func Refused(t testing.TB, v any, data string, want ...string) error {
	t.Helper()
	err := json.Unmarshal([]byte(data), v)
	if !errors.Is(err, kpi.ErrInvalid) {
		t.Fatalf("decoding %.80q: got %v, want an error wrapping kpi.ErrInvalid", data, err)
		return err
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not hold %q", msg, w)
		}
	}
	if len(msg) >= 1024 {
		t.Errorf("error text of %d bytes, want under 1024", len(msg))
	}
	return err
}
