package scoring_test

import (
	"errors"
	"math"
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// FuzzReliability bins probabilities made from the fuzzer's bytes into any
// number of bins, up to and beyond 2³¹, through both the dense and the
// sorted path. The table must hold every lead once, its bins in order,
// each bin's mean prediction inside its edges, or the call must return an
// error wrapping kpi.ErrInvalid.
func FuzzReliability(f *testing.F) {
	f.Add([]byte{0, 25, 50, 128, 255, 255, 1}, 4)
	f.Add([]byte{0, 1, 2, 3}, 1<<31)
	f.Add([]byte{9, 200}, 1<<40)
	f.Add([]byte{}, 10)
	f.Add([]byte{77}, 0)
	f.Fuzz(func(t *testing.T, raw []byte, bins int) {
		probs := make([]float64, len(raw))
		conv := make([]bool, len(raw))
		for i, c := range raw {
			probs[i] = float64(c) / 255
			conv[i] = c%3 == 0
		}
		cal, err := scoring.Reliability(probs, conv, bins)
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("error of no class: %v", err)
			}
			return
		}
		var n int64
		prev := math.Inf(-1)
		for _, c := range cal {
			if !(c.Lo < c.Hi) || c.Lo < prev {
				t.Fatalf("bins out of order: %+v after %v", c, prev)
			}
			prev = c.Hi
			if c.Predicted < c.Lo-1e-12 || c.Predicted > c.Hi+1e-12 {
				t.Fatalf("mean %v outside [%v, %v]", c.Predicted, c.Lo, c.Hi)
			}
			n += c.Rate.Trials()
		}
		if n != int64(len(probs)) {
			t.Fatalf("%d leads in the table, want %d", n, len(probs))
		}
	})
}
