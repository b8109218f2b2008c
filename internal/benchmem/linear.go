package benchmem

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// LinearBound is the most that a cost measured at 10n may be of the same
// cost at n for the cost to count as linear. A cost a + b·n gives at most
// 10; the rest is room for the growth of slices and maps: a slice that
// append grows to N elements has allocated about 2N elements while it
// doubled (below 256) and tends to 5N beyond, where it grows by a
// quarter, so a slice as long as the input lifts the ratio of bytes above
// 10 (scoring's nots reach 11.4 at 999 and 9 990 deep on Go 1.26). A cost
// of n² gives 100, and even one of n·log n about 13 at n ≈ 10³.
const LinearBound = 12

// Allocs returns the allocations (testing.AllocsPerRun) and the bytes
// allocated (the rise of runtime.MemStats.TotalAlloc) per call of f,
// averaged over runs calls after a warm-up call. Counts and bytes do not
// depend on the speed or the load of the machine, as a time would.
func Allocs(runs int, f func()) (allocs, bytes float64) {
	allocs = testing.AllocsPerRun(runs, f) // calls f once more to warm up
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&m1)
	return allocs, float64(m1.TotalAlloc-m0.TotalAlloc) / float64(runs)
}

// TB is the part of testing.TB that AssertLinear uses.
type TB interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
}

// AssertLinear measures with Allocs the calls that at(1) and at(10)
// return, the cost at n and at 10n (at builds its input outside the
// measured call), logs both ratios and reports, failing t otherwise,
// whether each is within LinearBound.
func AssertLinear(t TB, runs int, at func(scale int) func()) bool {
	t.Helper()
	a1, b1 := Allocs(runs, at(1))
	a10, b10 := Allocs(runs, at(10))
	t.Logf("allocs %.0f → %.0f (×%.2f), bytes %.0f → %.0f (×%.2f)", a1, a10, a10/a1, b1, b10, b10/b1)
	okA := assert.LessOrEqual(t, a10, LinearBound*a1, "allocations at 10n against n")
	okB := assert.LessOrEqual(t, b10, LinearBound*b1, "bytes allocated at 10n against n")
	return okA && okB
}
