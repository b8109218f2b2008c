package kpi

import (
	"math"
	"sort"
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
	Target   float64 `json:"target"`   // the target rate p0
	Less     float64 `json:"less"`     // p-value for the alternative "the rate is below the target"
	Greater  float64 `json:"greater"`  // p-value for the alternative "the rate is above the target"
	TwoSided float64 `json:"twoSided"` // p-value for the alternative "the rate differs from the target"
}

// Test runs the exact binomial test of the rate against target, the rate
// the true one is compared with (a service level agreed between marketing
// and sales, say). See BinomialTest for the p-values.
//
// Special cases: target 0 and 1 are allowed and give p-values of 0 or 1.
//
// Errors: a rate with zero trials returns an error wrapping ErrUndefined; a
// target outside [0, 1], or NaN, or more than MaxTrials trials, one
// wrapping ErrInvalid.
func (r Rate) Test(target float64) (BinomialTest, error) {
	const fn = "kpi.Rate.Test"
	if r.trials == 0 {
		return BinomialTest{}, undefined(fn, "trials", 0, "a rate with no trials cannot be tested")
	}
	if r.trials > MaxTrials {
		return BinomialTest{}, invalid(fn, "trials", r.trials, "exceeds MaxTrials (2^40)")
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
	switch {
	case x >= n:
		return 1
	case x < 0:
		return 0
	case float64(x) <= float64(n)*p:
		return binomTail(x, n, p, -1)
	}
	return 1 - binomTail(x+1, n, p, +1)
}

// binomSurvival returns P(X ≥ x) for X binomial(n, p), 0 < p < 1.
func binomSurvival(x, n int64, p float64) float64 {
	switch {
	case x <= 0:
		return 1
	case x > n:
		return 0
	case float64(x) >= float64(n)*p:
		return binomTail(x, n, p, +1)
	}
	return 1 - binomTail(x-1, n, p, -1)
}

// binomTail returns the sum of P(X = k) for k from x outward: down to 0
// when dir is −1, up to n when it is +1. x must lie on the far side of the
// mean, where the terms fall as k moves away from it. The sum starts from
// the accurately computed P(X = x) and follows the ratio of neighbouring
// terms until they no longer change it, so it costs O(√n) at most.
//
// mathext.RegIncBeta, the usual route to the binomial distribution
// function, loses accuracy when both of its parameters are large: about
// 1e−9 relative at n = 2²⁰ and whole percents at n = 2²⁴.
func binomTail(x, n int64, p float64, dir int) float64 {
	lp := binomLogPMF(x, n, p)
	if lp < math.Log(tiny) {
		return 0
	}
	q := 1 - p
	fn := float64(n)
	sum, t := 1.0, 1.0
	if dir < 0 {
		for k := float64(x); k > 0; k-- {
			t *= k * q / ((fn - k + 1) * p) // P(k−1)/P(k)
			sum += t
			if t < negligible*sum {
				break
			}
		}
	} else {
		for k := float64(x); k < fn; k++ {
			t *= (fn - k) * p / ((k + 1) * q) // P(k+1)/P(k)
			sum += t
			if t < negligible*sum {
				break
			}
		}
	}
	return math.Min(1, math.Exp(lp)*sum)
}

// binomLogPMF returns log P(X = x) for X binomial(n, p), 0 < p < 1, 0 ≤ x
// ≤ n, by Loader's saddle-point form (Loader 2000, "Fast and accurate
// computation of binomial probabilities", the form R's dbinom uses):
//
//	log P = δ(n) − δ(x) − δ(n − x) − D(x, np) − D(n − x, nq) − ½·log(2πx(n − x)/n)
//
// with δ the error of Stirling's formula and D(x, M) = x·log(x/M) + M − x,
// which stays accurate where lgamma differences would cancel.
func binomLogPMF(x, n int64, p float64) float64 {
	fx, fn := float64(x), float64(n)
	q := 1 - p
	switch x {
	case 0:
		return fn * math.Log1p(-p)
	case n:
		return fn * math.Log(p)
	}
	lc := stirlerr(fn) - stirlerr(fx) - stirlerr(fn-fx) - bd0(fx, fn*p) - bd0(fn-fx, fn*q)
	return lc - 0.5*(math.Log(2*math.Pi)+math.Log(fx)+math.Log1p(-fx/fn))
}

// stirlerr returns log(x!) − log(√(2πx)(x/e)^x) for a whole x ≥ 1.
func stirlerr(x float64) float64 {
	if x >= 10 {
		return stirlingErr(x)
	}
	lg, _ := math.Lgamma(x + 1)
	return lg - (x+0.5)*math.Log(x) + x - lnSqrt2Pi
}

// bd0 returns x·log(x/m) + m − x without cancellation when x is near m
// (Loader 2000): with v = (x − m)/(x + m) it sums the series
// (x − m)·v + 2x·Σ v^(2j+1)/(2j + 1).
func bd0(x, m float64) float64 {
	if math.Abs(x-m) >= 0.1*(x+m) {
		return x*math.Log(x/m) + m - x
	}
	v := (x - m) / (x + m)
	s := (x - m) * v
	ej := 2 * x * v
	v *= v
	for j := 1; j < 1000; j++ {
		ej *= v
		s1 := s + ej/float64(2*j+1)
		if s1 == s {
			break
		}
		s = s1
	}
	return s
}
