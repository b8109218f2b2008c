package kpi

import (
	"math"
)

// relErr is R's tolerance for "as or less likely than the observed table"
// in fisher.test and binom.test: terms up to d·(1 + 1e−7) count.
const relErr = 1 + 1e-7

// negligible is the share of a running sum below which a further,
// decreasing term is dropped (2⁻⁶⁰ ≈ 8.7e−19, below float64's resolution).
const negligible = 0x1p-60

// fisherTwoSided returns the two-sided p-value of Fisher's exact test on
// the 2×2 table [[a, b], [c, d]], as R's fisher.test computes it: the sum
// of the hypergeometric probabilities of the tables with the same margins
// that are no more likely than the observed one (to a relative tolerance
// of 1e−7).
//
// The probabilities are taken relative to the mode of the distribution and
// summed outward from it with the ratio of neighbouring terms, stopping on
// each side when a term no longer changes the sums, so the cost grows with
// the spread of the distribution (about √N) rather than with N.
func fisherTwoSided(a, b, c, d int64) float64 {
	m := float64(a + b) // first row
	k := float64(a + c) // first column
	n := float64(a + b + c + d)
	lo := math.Max(0, m+k-n)
	hi := math.Min(m, k)
	// up returns P(x+1)/P(x).
	up := func(x float64) float64 { return (k - x) * (m - x) / ((x + 1) * (n - k - m + x + 1)) }
	mode := math.Floor((m + 1) * (k + 1) / (n + 2))
	mode = math.Max(lo, math.Min(hi, mode))

	// The observed term relative to the mode.
	x := float64(a)
	obs := 1.0
	for i := mode; i < x && obs > 0; i++ {
		obs *= up(i)
	}
	for i := mode; i > x && obs > 0; i-- {
		obs /= up(i - 1)
	}
	if obs == 0 {
		return 0 // the observed table is beyond float64's range: p < 1e−300
	}
	thr := obs * relErr

	total, tail := 1.0, 0.0
	if 1 <= thr {
		tail = 1
	}
	for _, dir := range [2]float64{1, -1} {
		r := 1.0
		for i := mode; ; i += dir {
			if dir > 0 {
				if i >= hi {
					break
				}
				r *= up(i)
			} else {
				if i <= lo {
					break
				}
				r /= up(i - 1)
			}
			total += r
			if r <= thr {
				tail += r
				if r < negligible*tail {
					break
				}
			}
		}
	}
	return math.Min(1, tail/total)
}

// probBBetter returns P(θB > θA) for θA ~ Beta(aA, bA) and θB ~ Beta(aB,
// bB) with integer aB, by the finite sum of Comparison.ProbBBetter. The
// terms are unimodal in i; the sum starts at the largest term, found in
// closed form, and goes outward with the ratio of neighbouring terms
//
//	t(i+1)/t(i) = (aA + i)(bB + i) / ((aA + bA + bB + i)(1 + i))
//
// until they no longer change it, so the cost grows with the spread of
// the posterior rather than with aB.
func probBBetter(aA, bA, aB, bB int64) float64 {
	fa, fb, ga, gb := float64(aA), float64(bA), float64(aB), float64(bB)
	s := fa + fb + gb
	ratio := func(i float64) float64 { return (fa + i) * (gb + i) / ((s + i) * (1 + i)) }
	// t(i+1) > t(i) exactly when i < (aA·bB − s)/(bA + 1).
	peak := math.Ceil((fa*gb - s) / (fb + 1))
	peak = math.Max(0, math.Min(ga-1, peak))
	logPeak := lbeta(fa+peak, fb+gb) - math.Log(gb+peak) -
		lbeta(1+peak, gb) - lbeta(fa, fb)

	sum := 1.0
	t := 1.0
	for i := peak; i < ga-1; i++ {
		t *= ratio(i)
		sum += t
		if t < negligible*sum {
			break
		}
	}
	t = 1.0
	for i := peak; i > 0; i-- {
		t /= ratio(i - 1)
		sum += t
		if t < negligible*sum {
			break
		}
	}
	return math.Max(0, math.Min(1, math.Exp(logPeak)*sum))
}
