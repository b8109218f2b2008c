package kpi

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mathext"
)

// BinomialTest is the exact binomial test of a rate against a target rate
// p0: is the true rate below, above, or different from the target? With X
// binomial(n, p0) and x the observed successes, the p-values are
//
//	Less     = P(X ≤ x)
//	Greater  = P(X ≥ x)
//	TwoSided = Σ P(X = i) over the i with P(X = i) ≤ P(X = x)·(1 + 1e−7)
//
// which are R's binom.test(x, n, p0, alternative = "less", "greater",
// "two.sided")$p.value.
type BinomialTest struct {
	Target   float64 // the target rate p0
	Less     float64 // p-value for the alternative "the rate is below the target"
	Greater  float64 // p-value for the alternative "the rate is above the target"
	TwoSided float64 // p-value for the alternative "the rate differs from the target"
}

// Test runs the exact binomial test of the rate against target, the rate
// the true one is compared with (a service level agreed between marketing
// and sales, say). See BinomialTest for the p-values.
//
// Special cases: target 0 and 1 are allowed and give p-values of 0 or 1.
//
// Errors: a rate with zero trials returns an error wrapping ErrUndefined; a
// target outside [0, 1], or NaN, one wrapping ErrInvalid.
func (r Rate) Test(target float64) (BinomialTest, error) {
	const fn = "kpi.Rate.Test"
	if r.trials == 0 {
		return BinomialTest{}, undefined(fn, "trials", 0, "a rate with no trials cannot be tested")
	}
	if !(target >= 0 && target <= 1) {
		return BinomialTest{}, invalid(fn, "target", target, "must lie in [0, 1]")
	}
	x, n := r.successes, r.trials
	t := BinomialTest{Target: target}
	switch target {
	case 0: // X = 0 always
		t.Less, t.Greater, t.TwoSided = 1, indicator(x == 0), indicator(x == 0)
		return t, nil
	case 1: // X = n always
		t.Less, t.Greater, t.TwoSided = indicator(x == n), 1, indicator(x == n)
		return t, nil
	}
	t.Less = binomCDF(x, n, target)
	t.Greater = binomSurvival(x, n, target)

	// The two-sided p-value, following R's binom.test: the tail on the
	// observed side plus the terms on the far side of the mean that are no
	// likelier than the observed one. Those form a tail too, found by
	// binary search since the terms fall monotonically away from the mean.
	m := float64(n) * target
	fx := float64(x)
	logThr := binomLogPMF(x, n, target) + math.Log(relErr)
	switch {
	case fx == m:
		t.TwoSided = 1
	case fx < m:
		// Terms i = ceil(m) … n are non-increasing; y of them are ≤ d.
		start := int64(math.Ceil(m))
		k := sort.Search(int(n-start+1), func(j int) bool {
			return binomLogPMF(start+int64(j), n, target) <= logThr
		})
		y := n - start + 1 - int64(k)
		t.TwoSided = t.Less
		if y > 0 {
			t.TwoSided += binomSurvival(n-y+1, n, target)
		}
	default:
		// Terms i = 0 … floor(m) are non-decreasing; y of them are ≤ d.
		end := int64(math.Floor(m))
		y := int64(sort.Search(int(end+1), func(j int) bool {
			return binomLogPMF(int64(j), n, target) > logThr
		}))
		t.TwoSided = t.Greater
		if y > 0 {
			t.TwoSided += binomCDF(y-1, n, target)
		}
	}
	t.TwoSided = math.Min(1, t.TwoSided)
	return t, nil
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// binomCDF returns P(X ≤ x) for X binomial(n, p), 0 < p < 1.
func binomCDF(x, n int64, p float64) float64 {
	if x >= n {
		return 1
	}
	if x < 0 {
		return 0
	}
	return mathext.RegIncBeta(float64(n-x), float64(x+1), 1-p)
}

// binomSurvival returns P(X ≥ x) for X binomial(n, p), 0 < p < 1.
func binomSurvival(x, n int64, p float64) float64 {
	if x <= 0 {
		return 1
	}
	if x > n {
		return 0
	}
	return mathext.RegIncBeta(float64(x), float64(n-x+1), p)
}

// binomLogPMF returns log P(X = x) for X binomial(n, p), 0 < p < 1.
func binomLogPMF(x, n int64, p float64) float64 {
	fx, fn := float64(x), float64(n)
	a, _ := math.Lgamma(fn + 1)
	b, _ := math.Lgamma(fx + 1)
	c, _ := math.Lgamma(fn - fx + 1)
	return a - b - c + fx*math.Log(p) + (fn-fx)*math.Log1p(-p)
}
