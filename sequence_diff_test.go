package kpi_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/kpiflow/kpi"
)

// newcombe returns Newcombe's (1998, method 10) interval for pB − pA at
// the two-sided level whose normal quantile is z, from the Wilson
// intervals of the arms written out here:
//
//	centre = (x + z²/2)/(n + z²),  half = z·sqrt(x·(n − x)/n + z²/4)/(n + z²)
//	lo = d − sqrt((pB − lB)² + (uA − pA)²),  hi = d + sqrt((uB − pB)² + (pA − lA)²)
func newcombe(xa, na, xb, nb int64, z float64) (lo, hi float64) {
	wilson := func(x, n int64) (p, l, u float64) {
		fx, fn, z2 := float64(x), float64(n), z*z
		c := (fx + z2/2) / (fn + z2)
		h := z * math.Sqrt(fx*(fn-fx)/fn+z2/4) / (fn + z2)
		return fx / fn, c - h, c + h
	}
	pa, la, ua := wilson(xa, na)
	pb, lb, ub := wilson(xb, nb)
	d := pb - pa
	return d - math.Hypot(pb-lb, ua-pa), d + math.Hypot(ub-pb, pa-la)
}

// diffCoverage streams one Bernoulli trial per arm per look at rates pa
// and pb and returns the shares of streams in which the sequence, and the
// fixed-level Newcombe interval checked at every look, ever excluded the
// true difference pb − pa.
func diffCoverage(t *testing.T, streams, looks int, pa, pb, alpha float64) (seq, fixed float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	z := distuv.UnitNormal.Quantile(1 - alpha/2)
	one, zero := must(kpi.NewRate(1, 1)), must(kpi.NewRate(0, 1))
	draw := func(p float64) (kpi.Rate, int64) {
		if rng.Float64() < p {
			return one, 1
		}
		return zero, 0
	}
	truth := pb - pa
	var bad, badFixed int
	for range streams {
		s := kpi.DiffSequence{Alpha: alpha}
		var xa, xb int64
		seqOut, fixedOut := false, false
		for n := int64(1); n <= int64(looks); n++ {
			ra, ia := draw(pa)
			rb, ib := draw(pb)
			xa, xb = xa+ia, xb+ib
			if err := s.Add(ra, rb); err != nil {
				t.Fatal(err) // not require: its t.Helper costs more than the look
			}
			if !seqOut {
				out, err := s.Excludes(truth)
				if err != nil {
					t.Fatal(err)
				}
				seqOut = out
			}
			if !fixedOut {
				lo, hi := newcombe(xa, n, xb, n, z)
				fixedOut = truth < lo || truth > hi
			}
			if seqOut && fixedOut {
				break
			}
		}
		if seqOut {
			bad++
		}
		if fixedOut {
			badFixed++
		}
	}
	return float64(bad) / float64(streams), float64(badFixed) / float64(streams)
}

// TestDiffSequenceCoverage simulates A/B tests watched at every look: the
// chance that the sequence ever excludes the true difference stays at
// most α, and the fixed-level Newcombe interval's does not. It runs the
// 10 000 streams of 2 000 looks of DiffSequence's documentation (about 5
// s of one core), 1 000 streams with -short, and 200 under the race
// detector.
func TestDiffSequenceCoverage(t *testing.T) {
	streams := 10000
	switch {
	case raceEnabled:
		streams = 200
	case testing.Short():
		streams = 1000
	}
	tests := []struct {
		name   string
		pa, pb float64
		alpha  float64
	}{
		{"equal rates 0.3, alpha 0.05", 0.3, 0.3, 0.05},
		{"rates 0.10 and 0.15, alpha 0.05", 0.10, 0.15, 0.05},
		{"rates 0.5 and 0.4, alpha 0.1", 0.5, 0.4, 0.1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seq, fixed := diffCoverage(t, streams, 2000, tc.pa, tc.pb, tc.alpha)
			t.Logf("%d streams of 2000 looks: sequence %.4f, fixed-level Newcombe %.4f", streams, seq, fixed)
			assert.LessOrEqual(t, seq, tc.alpha)
			assert.Greater(t, fixed, 2*tc.alpha)
		})
	}
}

// BenchmarkDiffSequenceExcludes tests a difference near the estimate,
// which the χ² shortcut settles, and one far from it, which needs the
// restricted rates and four logarithms.
func BenchmarkDiffSequenceExcludes(b *testing.B) {
	s := kpi.DiffSequence{Alpha: 0.05}
	_ = s.Add(must(kpi.NewRate(300, 1000)), must(kpi.NewRate(330, 1000)))
	for _, c := range []struct {
		name string
		d    float64
	}{{"near", 0}, {"far", 0.1}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			start := cpuTime()
			defer reportCPU(b, start)
			for b.Loop() {
				_, _ = s.Excludes(c.d)
			}
		})
	}
}

func BenchmarkDiffSequenceInterval(b *testing.B) {
	s := kpi.DiffSequence{Alpha: 0.05}
	_ = s.Add(must(kpi.NewRate(300, 1000)), must(kpi.NewRate(330, 1000)))
	b.ReportAllocs()
	start := cpuTime()
	defer reportCPU(b, start)
	for b.Loop() {
		_, _, _ = s.Interval()
	}
}

// diffProfile returns, independently of the package, the largest
// log-likelihood of the two arms under pB − pA = d, by golden-section
// search over pA (the sum is concave in pA), and the sequence's bound
// log B(1 + S_A, 1 + F_A) + log B(1 + S_B, 1 + F_B) + log α from
// math.Lgamma.
func diffProfile(xa, na, xb, nb int64, d, alpha float64) (prof, bound float64) {
	ll := func(x, n int64, p float64) float64 {
		var l float64
		if x > 0 {
			l += float64(x) * math.Log(p)
		}
		if n > x {
			l += float64(n-x) * math.Log1p(-p)
		}
		return l
	}
	f := func(pa float64) float64 { return ll(xa, na, pa) + ll(xb, nb, pa+d) }
	lo, hi := math.Max(0, -d), math.Min(1, 1-d)
	g := (math.Sqrt(5) - 1) / 2
	for range 200 {
		m1, m2 := hi-g*(hi-lo), lo+g*(hi-lo)
		if f(m1) < f(m2) {
			lo = m1
		} else {
			hi = m2
		}
	}
	lb := func(x, n int64) float64 {
		a, _ := math.Lgamma(1 + float64(x))
		b, _ := math.Lgamma(1 + float64(n-x))
		c, _ := math.Lgamma(2 + float64(n))
		return a + b - c
	}
	return f((lo + hi) / 2), lb(xa, na) + lb(xb, nb) + math.Log(alpha)
}

// TestDiffSequenceInterval checks the interval against its definition: at
// each end inside (−1, 1) the profile log-likelihood, found here by a
// golden-section search, equals the bound; the interval contains the
// estimate; just outside it Excludes is true; and at fixed rates it
// shrinks as the trials grow. The ends are also R 4.2.2's, from the
// definition solved with optimize and uniroot (tol = 1e-13):
//
//	ll <- function(x, n, p) (if (x > 0) x*log(p) else 0) + (if (n > x) (n-x)*log1p(-p) else 0)
//	prof <- function(d, xa, na, xb, nb) optimize(function(pa) ll(xa, na, pa) + ll(xb, nb, pa+d),
//	    c(max(0, -d), min(1, 1-d)), maximum = TRUE, tol = 1e-13)$objective
//	bound <- lbeta(1+xa, 1+na-xa) + lbeta(1+xb, 1+nb-xb) + log(0.05)
//	uniroot(function(d) prof(d, xa, na, xb, nb) - bound, c(-1+1e-9, xb/nb - xa/na), tol = 1e-13)$root  # lo; hi likewise
func TestDiffSequenceInterval(t *testing.T) {
	tests := []struct {
		name           string
		xa, na, xb, nb int64
		lo, hi         float64 // R 4.2.2, see above; NaN: not computed
	}{
		{"30 of 100 against 40 of 100", 30, 100, 40, 100, -0.1568104919, 0.3489014845},
		{"300 of 1000 against 400 of 1000", 300, 1000, 400, 1000, 0.0068609111, 0.1921156717},
		{"476 of 8000 against 648 of 8000", 476, 8000, 648, 8000, 0.0010272872, 0.0421829714},
		{"3000 of 10000 against 4000 of 10000", 3000, 10000, 4000, 10000, math.NaN(), math.NaN()},
		{"unequal arms", 12, 150, 40, 300, -0.0901242324, 0.1739123720},
		{"none against all", 0, 20, 20, 20, 0.5936512255, 1},
		{"one arm only", 0, 0, 7, 10, -0.7332594549, 0.9633597096},
	}
	prev := 3.0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := kpi.DiffSequence{Alpha: 0.05}
			require.NoError(t, s.Add(must(kpi.NewRate(tc.xa, tc.na)), must(kpi.NewRate(tc.xb, tc.nb))))
			lo, hi, err := s.Interval()
			require.NoError(t, err)
			est := 0.0
			if tc.na > 0 {
				est = float64(tc.xb)/float64(tc.nb) - float64(tc.xa)/float64(tc.na)
			}
			assert.LessOrEqual(t, lo, est)
			assert.GreaterOrEqual(t, hi, est)
			if !math.IsNaN(tc.lo) {
				assert.InDelta(t, tc.lo, lo, 1e-7) // R's optimize converges slowly to a bound of the range
				assert.InDelta(t, tc.hi, hi, 1e-7)
			}
			for _, end := range []float64{lo, hi} {
				if end > -1 && end < 1 {
					prof, bound := diffProfile(tc.xa, tc.na, tc.xb, tc.nb, end, 0.05)
					assert.InDelta(t, bound, prof, 1e-6, "end %v", end)
				}
			}
			for _, d := range []float64{lo - 1e-6, hi + 1e-6} {
				if d >= -1 && d <= 1 {
					out, err := s.Excludes(d)
					require.NoError(t, err)
					assert.True(t, out, "d = %v just outside", d)
				}
			}
			if tc.na > 0 && tc.xa*10 == tc.na*3 {
				assert.Less(t, hi-lo, prev)
				prev = hi - lo
			}
		})
	}
}

func TestDiffSequenceExcludes(t *testing.T) {
	tests := []struct {
		name           string
		xa, na, xb, nb int64
		d              float64
		want           bool
	}{
		{"no trials", 0, 0, 0, 0, 0, false},
		{"the estimate", 30, 100, 40, 100, 0.1, false},
		{"no difference, small samples", 30, 100, 40, 100, 0, false},
		{"no difference, large samples", 3000, 10000, 4000, 10000, 0, true},
		{"a far difference", 30, 100, 40, 100, -0.5, true},
		{"d = 1 after a failure of B", 0, 10, 9, 10, 1, true},
		{"d = 1 with A all failures and B all successes", 0, 3, 3, 3, 1, false},
		{"one arm only, d = -1", 0, 0, 7, 10, -1, true},
		{"one arm only, d = -0.5", 0, 0, 7, 10, -0.5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := kpi.DiffSequence{Alpha: 0.05}
			require.NoError(t, s.Add(must(kpi.NewRate(tc.xa, tc.na)), must(kpi.NewRate(tc.xb, tc.nb))))
			got, err := s.Excludes(tc.d)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if tc.na > 0 && tc.nb > 0 {
				prof, bound := diffProfile(tc.xa, tc.na, tc.xb, tc.nb, tc.d, 0.05)
				assert.Equal(t, tc.want, prof <= bound, "profile %v, bound %v", prof, bound)
			}
		})
	}
}

func TestDiffSequenceRejects(t *testing.T) {
	tests := []struct {
		name           string
		xa, na, xb, nb int64
		margin         float64
		alt            kpi.Alternative
		want           bool
	}{
		{"no trials", 0, 0, 0, 0, 0, kpi.TwoSided, false},
		{"a difference, two-sided", 3000, 10000, 4000, 10000, 0, kpi.TwoSided, true},
		{"B better", 3000, 10000, 4000, 10000, 0, kpi.Greater, true},
		{"B worse: wrong side", 3000, 10000, 4000, 10000, 0, kpi.Less, false},
		{"non-inferior by 1 point", 4000, 10000, 4000, 10000, -0.05, kpi.Greater, true},
		{"not shown non-inferior", 40, 100, 40, 100, -0.05, kpi.Greater, false},
		{"lower churn by a margin", 2000, 10000, 1000, 10000, -0.05, kpi.Less, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := kpi.DiffSequence{Alpha: 0.05}
			require.NoError(t, s.Add(must(kpi.NewRate(tc.xa, tc.na)), must(kpi.NewRate(tc.xb, tc.nb))))
			got, err := s.Rejects(tc.margin, tc.alt)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			lo, hi, err := s.Interval()
			require.NoError(t, err)
			switch tc.alt {
			case kpi.Greater:
				assert.Equal(t, tc.want, lo > tc.margin, "interval [%v, %v]", lo, hi)
			case kpi.Less:
				assert.Equal(t, tc.want, hi < tc.margin, "interval [%v, %v]", lo, hi)
			}
		})
	}
}

// TestDiffSequenceAdd: adding looks one by one gives the totals, and the
// sequence depends on them only.
func TestDiffSequenceAdd(t *testing.T) {
	tests := []struct {
		name  string
		looks [][4]int64 // xa, na, xb, nb
	}{
		{"one look", [][4]int64{{30, 100, 40, 100}}},
		{"three looks", [][4]int64{{10, 30, 12, 30}, {10, 40, 14, 40}, {10, 30, 14, 30}}},
		{"a look without A", [][4]int64{{30, 100, 30, 90}, {0, 0, 10, 10}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := kpi.DiffSequence{Alpha: 0.05}
			for _, l := range tc.looks {
				require.NoError(t, s.Add(must(kpi.NewRate(l[0], l[1])), must(kpi.NewRate(l[2], l[3]))))
			}
			assert.Equal(t, "30/100 (30.00%) 40/100 (40.00%)", s.A.String()+" "+s.B.String())
			one := kpi.DiffSequence{Alpha: 0.05}
			require.NoError(t, one.Add(s.A, s.B))
			lo, hi, err := s.Interval()
			require.NoError(t, err)
			lo1, hi1, err := one.Interval()
			require.NoError(t, err)
			assert.Equal(t, []float64{lo1, hi1}, []float64{lo, hi})
		})
	}
}

func TestDiffSequenceMerge(t *testing.T) {
	tests := []struct {
		name string
		a, b [4]int64
	}{
		{"two partitions", [4]int64{10, 50, 20, 50}, [4]int64{20, 50, 20, 50}},
		{"an empty partition", [4]int64{30, 100, 40, 100}, [4]int64{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := kpi.DiffSequence{Alpha: 0.05}
			q := kpi.DiffSequence{Alpha: 0.05}
			require.NoError(t, p.Add(must(kpi.NewRate(tc.a[0], tc.a[1])), must(kpi.NewRate(tc.a[2], tc.a[3]))))
			require.NoError(t, q.Add(must(kpi.NewRate(tc.b[0], tc.b[1])), must(kpi.NewRate(tc.b[2], tc.b[3]))))
			before := q
			require.NoError(t, p.Merge(&q))
			assert.Equal(t, before, q)
			assert.Equal(t, must(kpi.NewRate(30, 100)), p.A)
			assert.Equal(t, must(kpi.NewRate(40, 100)), p.B)
		})
	}
}

func TestDiffSequenceErrors(t *testing.T) {
	one := must(kpi.NewRate(1, 1))
	big := must(kpi.NewRate(0, kpi.MaxTrials))
	huge := must(kpi.NewRate(0, math.MaxInt64))
	seq := func() *kpi.DiffSequence { return &kpi.DiffSequence{Alpha: 0.05} }
	tests := []struct {
		name string
		run  func() error
		msg  string
	}{
		{"zero add", func() error { var s kpi.DiffSequence; return s.Add(one, one) }, "kpi.DiffSequence.Add: Alpha 0: must lie in (0, 1)"},
		{"zero interval", func() error { var s kpi.DiffSequence; _, _, err := s.Interval(); return err }, "kpi.DiffSequence.Interval: Alpha 0: must lie in (0, 1)"},
		{"zero excludes", func() error { var s kpi.DiffSequence; _, err := s.Excludes(0); return err }, "kpi.DiffSequence.Excludes: Alpha 0: must lie in (0, 1)"},
		{"zero rejects", func() error { var s kpi.DiffSequence; _, err := s.Rejects(0, kpi.TwoSided); return err }, "kpi.DiffSequence.Rejects: Alpha 0: must lie in (0, 1)"},
		{"zero merge", func() error { var s kpi.DiffSequence; return s.Merge(seq()) }, "kpi.DiffSequence.Merge: Alpha 0: must lie in (0, 1)"},
		{"alpha NaN", func() error { s := kpi.DiffSequence{Alpha: math.NaN()}; return s.Add(one, one) }, "kpi.DiffSequence.Add: Alpha NaN: must lie in (0, 1)"},
		{"d NaN", func() error { _, err := seq().Excludes(math.NaN()); return err }, "kpi.DiffSequence.Excludes: d NaN: must lie in [-1, 1]"},
		{"d beyond 1", func() error { _, err := seq().Excludes(1.5); return err }, "kpi.DiffSequence.Excludes: d 1.5: must lie in [-1, 1]"},
		{"margin 1", func() error { _, err := seq().Rejects(1, kpi.Greater); return err }, "kpi.DiffSequence.Rejects: margin 1: must lie in (-1, 1)"},
		{"unknown alternative", func() error { _, err := seq().Rejects(0, kpi.Alternative(7)); return err }, "kpi.DiffSequence.Rejects: alternative Alternative(7): unknown alternative"},
		{"too many in A", func() error { s := seq(); _ = s.Add(big, one); return s.Add(one, one) }, "kpi.DiffSequence.Add: a.trials 1099511627777: more than MaxTrials trials in all"},
		{"too many in B", func() error { s := seq(); _ = s.Add(one, big); return s.Add(one, one) }, "kpi.DiffSequence.Add: b.trials 1099511627777: more than MaxTrials trials in all"},
		{"merge nil", func() error { return seq().Merge(nil) }, "kpi.DiffSequence.Merge: o nil: nothing to merge"},
		{"merge itself", func() error { s := seq(); return s.Merge(s) }, "kpi.DiffSequence.Merge: o itself: merge a copy to count the trials twice"},
		{"merge another alpha", func() error { return seq().Merge(&kpi.DiffSequence{Alpha: 0.1}) }, "kpi.DiffSequence.Merge: o.Alpha 0.1: differs from Alpha 0.05"},
		{"merge too many", func() error { s := seq(); _ = s.Add(big, one); o := seq(); _ = o.Add(one, one); return s.Merge(o) }, "kpi.DiffSequence.Merge: a.trials 1099511627777: more than MaxTrials trials in all"},
		// Issue 13's probe: 2 + MaxInt64 wrapped to a negative total and
		// was taken, leaving A at 1/−2⁶³.
		{"total past MaxInt64", func() error { s := seq(); _ = s.Add(one, one); return s.Add(huge, one) }, "kpi.DiffSequence.Add: a.trials 9223372036854775808: more than MaxTrials trials in all"},
		{"merge past MaxInt64", func() error { s := seq(); _ = s.Add(one, one); return s.Merge(&kpi.DiffSequence{Alpha: 0.05, B: huge}) }, "kpi.DiffSequence.Merge: b.trials 9223372036854775808: more than MaxTrials trials in all"},
		{"arm set past MaxTrials", func() error { s := kpi.DiffSequence{Alpha: 0.05, A: huge}; _, _, err := s.Interval(); return err }, "kpi.DiffSequence.Interval: A.trials 9223372036854775807: more than MaxTrials"},
		{"arm set past MaxTrials, rejects", func() error {
			s := kpi.DiffSequence{Alpha: 0.05, B: huge}
			_, err := s.Rejects(0, kpi.TwoSided)
			return err
		}, "kpi.DiffSequence.Rejects: B.trials 9223372036854775807: more than MaxTrials"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tc.msg)
		})
	}
}

// FuzzDiffSequence: the interval lies in [−1, 1], contains the estimate,
// is never NaN, and does not widen when the same looks are added again.
func FuzzDiffSequence(f *testing.F) {
	f.Add(int64(3), int64(10), int64(5), int64(10), 0.05)
	f.Add(int64(0), int64(1), int64(1), int64(1), 0.5)
	f.Add(int64(999), int64(1000), int64(1), int64(1000), 0.01)
	f.Add(int64(0), int64(0), int64(7), int64(9), 0.2)
	f.Add(int64(1<<39), int64(1<<39), int64(0), int64(1<<39), 1e-9)
	f.Fuzz(func(t *testing.T, xa, na, xb, nb int64, alpha float64) {
		a, err := kpi.NewRate(xa, na%(1<<39))
		if err != nil {
			return
		}
		b, err := kpi.NewRate(xb, nb%(1<<39))
		if err != nil || a.Trials()+b.Trials() == 0 {
			return
		}
		s := kpi.DiffSequence{Alpha: alpha}
		if err := s.Add(a, b); err != nil {
			checkClass(t, err)
			return
		}
		lo, hi, err := s.Interval()
		require.NoError(t, err)
		est := 0.0
		if a.Trials() > 0 && b.Trials() > 0 {
			est = must(b.Value()) - must(a.Value())
		}
		if !(lo >= -1 && lo <= est && est <= hi && hi <= 1) {
			t.Fatalf("interval [%v, %v] around %v", lo, hi, est)
		}
		for _, d := range []float64{lo, est, hi, 0} {
			if _, err := s.Excludes(d); err != nil {
				t.Fatal(err)
			}
		}
		require.NoError(t, s.Add(a, b))
		lo2, hi2, err := s.Interval()
		require.NoError(t, err)
		if hi2-lo2 > hi-lo+1e-9 {
			t.Fatalf("widened from [%v, %v] to [%v, %v]", lo, hi, lo2, hi2)
		}
	})
}

// Two landing pages in an A/B test, read every week: the sequence of the
// difference stays valid however often it is read.
func ExampleDiffSequence_Add() {
	s := kpi.DiffSequence{Alpha: 0.05}
	weeks := [][2]int64{{120, 160}, {118, 156}, {124, 170}, {114, 162}} // sign-ups of 2 000 visits a page a week
	for _, w := range weeks {
		_ = s.Add(must(kpi.NewRate(w[0], 2000)), must(kpi.NewRate(w[1], 2000)))
	}
	lo, hi, _ := s.Interval()
	fmt.Printf("A %v, B %v: B − A in [%.4f, %.4f]\n", s.A, s.B, lo, hi)
	// Output: A 476/8000 (5.95%), B 648/8000 (8.10%): B − A in [0.0010, 0.0422]
}

// The interval for the difference after the same 8 000 visits a page.
func ExampleDiffSequence_Interval() {
	s := kpi.DiffSequence{Alpha: 0.05}
	_ = s.Add(must(kpi.NewRate(476, 8000)), must(kpi.NewRate(648, 8000)))
	lo, hi, _ := s.Interval()
	fmt.Printf("[%.4f, %.4f]\n", lo, hi)
	// Output: [0.0010, 0.0422]
}

// The sequential test of "no difference", safe to run at every look.
func ExampleDiffSequence_Excludes() {
	s := kpi.DiffSequence{Alpha: 0.05}
	_ = s.Add(must(kpi.NewRate(476, 8000)), must(kpi.NewRate(648, 8000)))
	out, _ := s.Excludes(0)
	fmt.Println("no difference excluded:", out)
	// Output: no difference excluded: true
}

// Is page B not worse than page A by more than half a point? And better?
func ExampleDiffSequence_Rejects() {
	s := kpi.DiffSequence{Alpha: 0.05}
	_ = s.Add(must(kpi.NewRate(476, 8000)), must(kpi.NewRate(648, 8000)))
	nonInferior, _ := s.Rejects(-0.005, kpi.Greater)
	better, _ := s.Rejects(0.01, kpi.Greater)
	fmt.Println("non-inferior:", nonInferior, "better by a point:", better)
	// Output: non-inferior: true better by a point: false
}

// Two partitions of the traffic, counted apart and merged.
func ExampleDiffSequence_Merge() {
	east := kpi.DiffSequence{Alpha: 0.05}
	west := kpi.DiffSequence{Alpha: 0.05}
	_ = east.Add(must(kpi.NewRate(240, 4000)), must(kpi.NewRate(322, 4000)))
	_ = west.Add(must(kpi.NewRate(236, 4000)), must(kpi.NewRate(326, 4000)))
	_ = east.Merge(&west)
	fmt.Println(east.A, east.B)
	// Output: 476/8000 (5.95%) 648/8000 (8.10%)
}

// BenchmarkDiffSequenceAdd: the issue's target is 100 ns and no
// allocation per update.
func BenchmarkDiffSequenceAdd(b *testing.B) {
	s := kpi.DiffSequence{Alpha: 0.05}
	one, zero := must(kpi.NewRate(1, 1)), must(kpi.NewRate(0, 1))
	b.ReportAllocs()
	start := cpuTime()
	defer reportCPU(b, start)
	for b.Loop() {
		_ = s.Add(one, zero)
		if s.A.Trials() > 1<<30 {
			s = kpi.DiffSequence{Alpha: 0.05}
		}
	}
}
