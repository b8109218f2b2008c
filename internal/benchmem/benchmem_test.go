package benchmem

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

var sink []byte

// TestPeak measures calls whose peak is known by construction: a buffer
// of n bytes held to the end of the call, and one dropped before a second
// of the same size is made (the peak is one buffer, and at most both).
func TestPeak(t *testing.T) {
	const n = 32 << 20
	tests := []struct {
		name     string
		f        func()
		min, max int64
	}{
		{"nothing", func() {}, 0, 1 << 20},
		{"held", func() { b := make([]byte, n); b[0] = 1; runtime.KeepAlive(b) }, n, n + n/8},
		{"kept", func() { sink = make([]byte, n) }, n, n + n/8},
		{"dropped", func() {
			b := make([]byte, n)
			runtime.KeepAlive(b)
			runtime.GC()
			c := make([]byte, n)
			runtime.KeepAlive(c)
		}, n, 2*n + n/8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sink = nil
			got := Peak(tc.f)
			assert.GreaterOrEqual(t, got, tc.min)
			assert.LessOrEqual(t, got, tc.max)
		})
	}
}

// recorder is a TB that keeps what AssertLinear reports.
type recorder struct{ failed bool }

func (*recorder) Helper()                 {}
func (*recorder) Logf(string, ...any)     {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }

// TestAssertLinear checks AssertLinear on costs known by construction: a
// buffer and a slice of n pointers (linear, a ratio of 10), n² small
// allocations (a ratio of 100 in count and bytes), and n buffers of n
// bytes (bytes ×100, count ×10).
func TestAssertLinear(t *testing.T) {
	var keep [][]byte
	tests := []struct {
		name   string
		cost   func(n int)
		linear bool
	}{
		{"linear", func(n int) { sink = make([]byte, 1000*n); keep = make([][]byte, n) }, true},
		{"quadratic count", func(n int) {
			keep = make([][]byte, 0, 100*n*n)
			for range 100 * n * n {
				keep = append(keep, make([]byte, 8))
			}
		}, false},
		{"quadratic bytes", func(n int) {
			keep = keep[:0]
			for range 10 * n {
				keep = append(keep, make([]byte, 1000*n))
			}
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r recorder
			ok := AssertLinear(&r, 2, func(scale int) func() { return func() { tc.cost(scale) } })
			assert.Equal(t, tc.linear, ok)
			assert.Equal(t, !tc.linear, r.failed)
		})
	}
	_ = keep
}

// TestAllocs: a call that makes one 4 KiB buffer allocates once and
// 4 096 bytes.
func TestAllocs(t *testing.T) {
	tests := []struct {
		name          string
		f             func()
		allocs, bytes float64
	}{
		{"one buffer", func() { sink = make([]byte, 4096) }, 1, 4096},
		{"nothing", func() {}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := Allocs(10, tc.f)
			assert.Equal(t, tc.allocs, a)
			assert.InDelta(t, tc.bytes, b, 64)
		})
	}
}
