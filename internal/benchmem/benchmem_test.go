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
