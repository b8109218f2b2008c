package funnel_test

import (
	"encoding"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// FuzzUnmarshalText reads fuzzed text as each of the funnel package's
// named values: Verdict, Mode, Counting and Grain. Text that is not a
// name is an error wrapping kpi.ErrInvalid, under 300 bytes, quoting the
// text (or, for Mode, the unknown part) when it is short; a name read
// back is written as the same text by MarshalText. A Mode may repeat or
// reorder its flags, so for it the text written must read back as the
// same Mode, and MarshalText must equal String.
func FuzzUnmarshalText(f *testing.F) {
	for _, s := range []string{"BelowConfident", "Met", "unique", "totals", "day", "quarter", "default",
		"strict_order", "strict_increase|strict_order", "strict_once|strict_once", "strict_order|", "|",
		"", "Day", "unique ", "Verdict(9)", strings.Repeat("strict_once|", 1000), strings.Repeat("x", 10000), "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		var (
			v   funnel.Verdict
			c   funnel.Counting
			g   funnel.Grain
			m   funnel.Mode
			all = []struct {
				name string
				u    encoding.TextUnmarshaler
				m    func() encoding.TextMarshaler
			}{
				{"verdict", &v, func() encoding.TextMarshaler { return v }},
				{"counting", &c, func() encoding.TextMarshaler { return c }},
				{"grain", &g, func() encoding.TextMarshaler { return g }},
			}
		)
		for _, e := range all {
			if err := e.u.UnmarshalText(text); err != nil {
				checkTextError(t, e.name, err, text)
				continue
			}
			back, err := e.m().MarshalText()
			require.NoError(t, err, e.name)
			assert.Equal(t, string(text), string(back), e.name)
		}
		if err := m.UnmarshalText(text); err != nil {
			// The error names the first part that is not a flag's name.
			var part []byte
			for p := range strings.SplitSeq(string(text), "|") {
				switch p {
				case "strict_order", "strict_deduplication", "strict_increase", "strict_once":
					continue
				}
				part = []byte(p)
				break
			}
			checkTextError(t, "mode", err, part)
			return
		}
		back, err := m.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, m.String(), string(back))
		var again funnel.Mode
		require.NoError(t, again.UnmarshalText(back))
		assert.Equal(t, m, again, "mode %q written as %q", text, back)
	})
}

func checkTextError(t *testing.T, name string, err error, text []byte) {
	t.Helper()
	require.ErrorIs(t, err, kpi.ErrInvalid, name)
	msg := err.Error()
	assert.Less(t, len(msg), 300, "%s: error text of %d bytes", name, len(msg))
	if q := fmt.Sprintf("%q", text); len(q) <= 96 { // longer values are cut
		assert.Contains(t, msg, q, name)
	}
}
