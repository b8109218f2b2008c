package kpi_test

import (
	"errors"
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
)

// checkP fails the test when p is not a probability.
func checkP(t *testing.T, name string, p float64) {
	t.Helper()
	if !(p >= 0 && p <= 1) {
		t.Fatalf("%s = %v, not in [0, 1]", name, p)
	}
}

// checkClass fails the test when err is not one of the library's classes.
func checkClass(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, kpi.ErrInvalid) && !errors.Is(err, kpi.ErrUndefined) {
		t.Fatalf("error %v wraps neither ErrInvalid nor ErrUndefined", err)
	}
}

// Intervals lie in [0, 1], are ordered, and contain the point estimate
// (Wald aside, which collapses at the edges, and Jeffreys, a posterior
// interval that need not contain it at low confidence).
func FuzzInterval(f *testing.F) {
	f.Add(int64(6), int64(25), 0, 0.95)
	f.Add(int64(0), int64(1), 4, 0.95)
	f.Add(int64(10), int64(10), 5, 0.99)
	f.Add(int64(1), int64(1000000), 1, 0.5)
	f.Add(int64(-1), int64(3), 2, 0.9)
	f.Add(int64(3), int64(2), 3, 1.5)
	f.Add(int64(3), int64(7), 9, 0.95)
	f.Fuzz(func(t *testing.T, x, n int64, m int, conf float64) {
		r, err := kpi.NewRate(x, n)
		if err != nil {
			checkClass(t, err)
			return
		}
		method := kpi.Method(m)
		lo, hi, err := r.Interval(method, conf)
		if err != nil {
			checkClass(t, err)
			return
		}
		checkP(t, "lower", lo)
		checkP(t, "upper", hi)
		if lo > hi {
			t.Fatalf("lower %v > upper %v", lo, hi)
		}
		p, err := r.Value()
		if err != nil {
			t.Fatal(err)
		}
		if method != kpi.Wald && method != kpi.Jeffreys && (p < lo-1e-12 || p > hi+1e-12) {
			t.Fatalf("%v interval [%v, %v] misses %v", method, lo, hi, p)
		}
	})
}

// Every statistic of a comparison is finite and every probability lies in
// [0, 1]; the chi-square is the square of z.
func FuzzCompare(f *testing.F) {
	f.Add(int64(10), int64(100), int64(15), int64(100))
	f.Add(int64(0), int64(10), int64(0), int64(20))
	f.Add(int64(100000), int64(1000000), int64(101000), int64(1000000))
	f.Add(int64(0), int64(0), int64(1), int64(2))
	f.Add(int64(5), int64(3), int64(1), int64(2))
	f.Fuzz(func(t *testing.T, xa, na, xb, nb int64) {
		// Keep the counts where a fuzzing run stays fast; the exact sums
		// cost about √n.
		if na > 1<<24 || nb > 1<<24 {
			return
		}
		a, errA := kpi.NewRate(xa, na)
		b, errB := kpi.NewRate(xb, nb)
		if errA != nil || errB != nil {
			checkClass(t, errors.Join(errA, errB))
			return
		}
		c, err := kpi.Compare(a, b)
		if err != nil {
			checkClass(t, err)
			return
		}
		for name, p := range map[string]float64{"ZP": c.ZP, "ChiSquareP": c.ChiSquareP, "YatesP": c.YatesP, "FisherP": c.FisherP, "ProbBBetter": c.ProbBBetter} {
			checkP(t, name, p)
		}
		for name, v := range map[string]float64{"Diff": c.Diff, "Z": c.Z, "ChiSquare": c.ChiSquare, "Yates": c.Yates} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s = %v", name, v)
			}
		}
		if math.Abs(c.Z*c.Z-c.ChiSquare) > 1e-9*math.Max(1, c.ChiSquare) {
			t.Fatalf("z² = %v, chi-square %v", c.Z*c.Z, c.ChiSquare)
		}
		lo, hi, err := c.DiffInterval(kpi.Wilson, 0.95)
		if err != nil || lo > c.Diff+1e-12 || hi < c.Diff-1e-12 {
			t.Fatalf("Newcombe interval [%v, %v] for %v: %v", lo, hi, c.Diff, err)
		}
	})
}

// Binomial p-values are probabilities, and the two one-sided ones cover
// everything: P(X ≤ x) + P(X ≥ x) ≥ 1.
func FuzzRateTest(f *testing.F) {
	f.Add(int64(40), int64(96), 0.5)
	f.Add(int64(0), int64(10), 0.0)
	f.Add(int64(10), int64(10), 1.0)
	f.Add(int64(3), int64(20), 0.05)
	f.Add(int64(3), int64(20), -0.5)
	f.Fuzz(func(t *testing.T, x, n int64, target float64) {
		if n > 1<<30 && n <= kpi.MaxTrials {
			return // valid but slow to fuzz: √n terms
		}
		r, err := kpi.NewRate(x, n)
		if err != nil {
			checkClass(t, err)
			return
		}
		bt, err := r.Test(target)
		if err != nil {
			checkClass(t, err)
			return
		}
		checkP(t, "Less", bt.Less)
		checkP(t, "Greater", bt.Greater)
		checkP(t, "TwoSided", bt.TwoSided)
		if bt.Less+bt.Greater < 1-1e-9 {
			t.Fatalf("less %v + greater %v < 1", bt.Less, bt.Greater)
		}
	})
}

// Allocated parts add up exactly to the total, have the stated places,
// and a part whose weight is zero gets nothing.
func FuzzAllocate(f *testing.F) {
	f.Add("100.00", 1.0, 1.0, 1.0, int32(2))
	f.Add("-0.07", 0.5, 0.0, 2.5, int32(2))
	f.Add("123456789012345678.90", 1e-300, 1e300, 3.0, int32(2))
	f.Add("1e39", 0.1, 0.2, 0.3, int32(30))
	f.Add("1.005", 1.0, 1.0, 1.0, int32(2))
	f.Add("5", math.NaN(), 1.0, 1.0, int32(0))
	f.Fuzz(func(t *testing.T, total string, w0, w1, w2 float64, places int32) {
		d, err := decimal.NewFromString(total)
		if err != nil {
			return
		}
		weights := []float64{w0, w1, w2}
		parts, err := kpi.Allocate(d, weights, places)
		if err != nil {
			checkClass(t, err)
			return
		}
		sum := decimal.Zero
		for i, p := range parts {
			if !p.Round(places).Equal(p) {
				t.Fatalf("part %d = %v has more than %d places", i, p, places)
			}
			if weights[i] == 0 && !p.IsZero() {
				t.Fatalf("part %d = %v for weight 0", i, p)
			}
			sum = sum.Add(p)
		}
		if !sum.Equal(d) {
			t.Fatalf("parts %v sum to %v, not %v", parts, sum, d)
		}
	})
}
