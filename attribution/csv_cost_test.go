package attribution_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/internal/benchmem"
)

// TestReadAllocsLinear holds issue 13's probe of Read (a value of 10⁷
// digits took 151 s to parse): reading an input 10 times larger allocates
// at most benchmem.LinearBound times as much, in count and in bytes, whichever way
// the input grows — more lines, a longer path, a longer value (refused
// past 64 bytes, but read first) or a longer channel name. Each row makes
// its input at n (scale 1) and at 10n (scale 10); wantErr says whether
// Read refuses it. Without the 64-byte bound on a value, so that decimal
// parses the digits, the value row's bytes grow ×63.
func TestReadAllocsLinear(t *testing.T) {
	const head = "path;total_conversions;total_conversion_value;total_null\n"
	for _, tc := range []struct {
		name    string
		input   func(scale int) []byte
		wantErr bool
	}{
		{"lines", func(scale int) []byte { return sizeCSV(300 * scale) }, false},
		{"touches of one path", func(scale int) []byte {
			return []byte(head + "a" + strings.Repeat(" > b > c", 1000*scale) + ";1;10.00;0\n")
		}, false},
		{"digits of a value", func(scale int) []byte {
			return []byte(head + "a > b;1;" + strings.Repeat("9", 10_000*scale) + ";0\n")
		}, true},
		{"bytes of a channel name", func(scale int) []byte {
			return []byte(head + "a > " + strings.Repeat("x", 10_000*scale) + ";1;10.00;0\n")
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			benchmem.AssertLinear(t, 2, func(scale int) func() {
				data := tc.input(scale)
				return func() {
					_, err := attribution.Read(bytes.NewReader(data), attribution.Format{})
					if tc.wantErr {
						assert.ErrorIs(t, err, kpi.ErrInvalid)
					} else {
						assert.NoError(t, err)
					}
				}
			})
		})
	}
}
