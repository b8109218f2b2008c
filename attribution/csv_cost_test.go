package attribution_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// linearBound is the most that a cost measured at 10n may be of the same
// cost at n for the cost to count as linear. A cost a + b·n gives at most
// 10; the rest is room for the growth of slices and maps: a slice that
// append grows to N elements has allocated about 2N elements while it
// doubled (below 256) and tends to 5N beyond, where it grows by a
// quarter, so a slice as long as the input lifts the ratio of bytes above
// 10 (the nots of TestModelJSONAllocsLinear reach 11.4 at 999 and 9 990 deep on Go 1.26). A
// cost of n² gives 100, and even one of n·log n about 13 at n ≈ 10³.
const linearBound = 12

// allocCost returns the allocations (testing.AllocsPerRun) and the bytes
// allocated (the rise of runtime.MemStats.TotalAlloc) per call of f,
// averaged over runs calls after a warm-up call. Counts and bytes do not
// depend on the speed or the load of the machine, as a time would.
func allocCost(runs int, f func()) (allocs, bytes float64) {
	allocs = testing.AllocsPerRun(runs, f) // calls f once more to warm up
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&m1)
	return allocs, float64(m1.TotalAlloc-m0.TotalAlloc) / float64(runs)
}

// TestReadAllocsLinear holds issue 13's probe of Read (a value of 10⁷
// digits took 151 s to parse): reading an input 10 times larger allocates
// at most linearBound times as much, in count and in bytes, whichever way
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
			var cost [2][2]float64 // [n, 10n][allocs, bytes]
			for i, scale := range []int{1, 10} {
				data := tc.input(scale)
				cost[i][0], cost[i][1] = allocCost(2, func() {
					_, err := attribution.Read(bytes.NewReader(data), attribution.Format{})
					if tc.wantErr {
						assert.ErrorIs(t, err, kpi.ErrInvalid)
					} else {
						assert.NoError(t, err)
					}
				})
			}
			t.Logf("allocs %.0f → %.0f (×%.2f), bytes %.0f → %.0f (×%.2f)",
				cost[0][0], cost[1][0], cost[1][0]/cost[0][0], cost[0][1], cost[1][1], cost[1][1]/cost[0][1])
			assert.LessOrEqual(t, cost[1][0], linearBound*cost[0][0], "allocations at 10n against n")
			assert.LessOrEqual(t, cost[1][1], linearBound*cost[0][1], "bytes allocated at 10n against n")
		})
	}
}
