package jsontest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi"
)

// plain is a decoder whose refusal is not a kpi error.
type plain struct{}

func (*plain) UnmarshalJSON([]byte) error { return errors.New("no") }

// drift reads a number one more than it is written: it never reads back
// as itself.
type drift int

func (d *drift) UnmarshalJSON(b []byte) error {
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("%w: drift", kpi.ErrInvalid)
	}
	*d = drift(n + 1)
	return nil
}

// wordy refuses everything with 2 000 bytes of text.
type wordy struct{}

func (*wordy) UnmarshalJSON([]byte) error {
	return fmt.Errorf("%w: %s", kpi.ErrInvalid, strings.Repeat("x", 2000))
}

// TestReread runs Reread on decoders that keep its promise (kpi's
// MoneyInterval, accepting and refusing; a plain slice given text that is
// not JSON) and on decoders that break it, each a fatal failure.
func TestReread(t *testing.T) {
	tests := []struct {
		name   string
		run    func(tb testing.TB) bool // reports whether a value was read
		read   bool
		fatals int
	}{
		{"read and stable", func(tb testing.TB) bool {
			return Reread[kpi.MoneyInterval](tb, []byte(`{"lo":"1.50","hi":"2","level":0.95,"method":"m"}`)) != nil
		}, true, 0},
		{"refused with ErrInvalid", func(tb testing.TB) bool {
			return Reread[kpi.MoneyInterval](tb, []byte(`{"lo":"1e1000000000"}`)) != nil
		}, false, 0},
		{"not JSON, into a plain slice", func(tb testing.TB) bool { return Reread[[]int](tb, []byte(`[1,`)) != nil }, false, 0},
		{"an object, into a plain slice", func(tb testing.TB) bool { return Reread[[]int](tb, []byte(`{"a":1}`)) != nil }, false, 0},
		{"a plain slice stable", func(tb testing.TB) bool { return Reread[[]int](tb, []byte(`[1, 2]`)) != nil }, true, 0},
		{"refused without ErrInvalid", func(tb testing.TB) bool { return Reread[plain](tb, []byte(`{}`)) != nil }, false, 1},
		{"changes when read back", func(tb testing.TB) bool { return Reread[drift](tb, []byte(`1`)) != nil }, false, 1},
		{"an error of 2 000 bytes", func(tb testing.TB) bool { return Reread[wordy](tb, []byte(`{}`)) != nil }, false, 1},
		{"does not marshal", func(tb testing.TB) bool { return Reread[chan int](tb, []byte(`null`)) != nil }, false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeTB{TB: t}
			assert.Equal(t, tc.read, tc.run(f))
			assert.Equal(t, tc.fatals, f.fatals, "fatals")
			assert.Zero(t, f.errors, "errors")
		})
	}
}
