package km

import (
	"math"
	"math/rand/v2"
	"testing"
)

// benchKeys returns n keys of times in days, as the funnel package packs
// them: whole seconds up to 14 days, two in three events.
func benchKeys(n int) []uint64 {
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([]uint64, n)
	for i := range keys {
		days := float64(rng.IntN(14*24*3600)) / (24 * 3600)
		keys[i] = Key(math.Float64bits(days), rng.IntN(3) > 0)
	}
	return keys
}

// BenchmarkSort sorts 1 million keys with scratch space reused.
func BenchmarkSort(b *testing.B) {
	src := benchKeys(1 << 20)
	keys := make([]uint64, len(src))
	scratch := make([]uint64, len(src))
	b.ReportAllocs()
	for b.Loop() {
		copy(keys, src)
		scratch = Sort(keys, scratch)
	}
}

// BenchmarkWalk walks 1 million sorted keys, the points discarded.
func BenchmarkWalk(b *testing.B) {
	keys := benchKeys(1 << 20)
	Sort(keys, nil)
	z := Z(0.95)
	b.ReportAllocs()
	for b.Loop() {
		Walk(keys, z, LogLog, func(Point) {})
	}
}

// BenchmarkBounds is the log-log interval alone.
func BenchmarkBounds(b *testing.B) {
	z := Z(0.95)
	s := 0.7
	for b.Loop() {
		s = 1 - s*0.5
		_, _ = Bounds(s, 0.01, z, LogLog)
	}
}
