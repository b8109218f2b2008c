package kpi

import (
	"math"
)

// relErr is R's tolerance for "as or less likely than the observed table"
// in fisher.test and binom.test: terms up to d·(1 + 1e−7) count.
const relErr = 1 + 1e-7

// tiny is where the sums stop following a term: below it float64 turns
// subnormal, loses precision and slows down a hundredfold, and dividing a
// subnormal by a ratio near 1 can leave it unchanged for ever.
const tiny = 0x1p-1000 // about 9.3e−302

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
	for i := mode; i < x && obs >= tiny; i++ {
		obs *= up(i)
	}
	for i := mode; i > x && obs >= tiny; i-- {
		obs /= up(i - 1)
	}
	if obs < tiny {
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
			if r < tiny {
				break // the rest of this side is below 1e−301
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

// smallBeta is the largest beta parameter for which probBBetter uses the
// finite sum scaled by its largest term computed through lbeta. The log of
// that term is a difference of numbers of order n·log n, so its absolute
// error grows like n·1e−16: 1e−11 at this bound, 4e−7 at 2³².
const smallBeta = 1 << 17

// probBBetter returns P(θB > θA) for θA ~ Beta(aA, bA) and θB ~ Beta(aB,
// bB) with whole parameters, by the finite sum of Comparison.ProbBBetter.
//
// For small samples the sum's terms are scaled by the largest, computed
// through lbeta. For large ones that scale loses digits, so the terms are
// read instead as the probabilities of a beta-negative-binomial variable,
// which sum to 1 over all i ≥ 0 (see probBetaNegBin); of the four ways of
// writing the probability (swapping the samples, or successes with
// failures) the one with the largest bA is used, so that the terms fall
// fast beyond their bulk.
func probBBetter(aA, bA, aB, bB int64) float64 {
	m := max(aA, bA, aB, bB)
	if m <= smallBeta {
		return finiteBetaSum(aA, bA, aB, bB)
	}
	switch m {
	case bA:
		return probBetaNegBin(aA, bA, aB, bB)
	case bB: // 1 − P(θA > θB)
		return 1 - probBetaNegBin(aB, bB, aA, bA)
	case aB: // with φ = 1 − θ: P(θB > θA) = P(φA > φB), φ ~ Beta(b, a)
		return probBetaNegBin(bB, aB, bA, aA)
	default: // aA: 1 − P(φB > φA)
		return 1 - probBetaNegBin(bA, aA, bB, aB)
	}
}

// finiteBetaSum sums the terms t(i), i = 0 … aB − 1, of
// Comparison.ProbBBetter. They are unimodal in i; the sum starts at the
// largest term, found in closed form, and goes outward with the ratio of
// neighbouring terms
//
//	t(i+1)/t(i) = (aA + i)(bB + i) / ((aA + bA + bB + i)(1 + i))
//
// until they no longer change it.
func finiteBetaSum(aA, bA, aB, bB int64) float64 {
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

// probBetaNegBin returns the same probability as finiteBetaSum without
// computing any term absolutely. The term t(i) is the probability that X =
// i for X beta-negative-binomial with parameters r = bB, α = bA, β = aA:
//
//	t(i) = C(i + bB − 1, i) · B(aA + i, bA + bB) / B(aA, bA)
//
// so the terms sum to 1 over all i ≥ 0 and P(θB > θA) = P(X < aB). The
// terms are taken relative to the largest and summed outward from it on
// both sides of aB − 1 until they no longer change the side that is
// reported: lower/(lower + upper) when it is the smaller, 1 − upper/(lower
// + upper) otherwise. The terms fall like i^−(bA+1) far out, which is fast
// because the caller makes bA large.
func probBetaNegBin(aA, bA, aB, bB int64) float64 {
	fa, fb, ga, gb := float64(aA), float64(bA), float64(aB), float64(bB)
	s := fa + fb + gb
	ratio := func(i float64) float64 { return (fa + i) * (gb + i) / ((s + i) * (1 + i)) }
	peak := math.Max(0, math.Ceil((fa*gb-s)/(fb+1)))
	cut := ga - 1 // the last i of the lower sum

	var lower, upper float64
	add := func(i, r float64) {
		if i <= cut {
			lower += r
		} else {
			upper += r
		}
	}
	add(peak, 1)
	r := 1.0
	for i := peak + 1; ; i++ {
		r *= ratio(i - 1)
		add(i, r)
		if r < tiny || (i > cut && r < negligible*upper) {
			break
		}
	}
	r = 1.0
	for i := peak - 1; i >= 0; i-- {
		r /= ratio(i)
		add(i, r)
		if r < tiny || (i <= cut && r < negligible*lower) {
			break
		}
	}
	total := lower + upper
	if lower <= upper {
		return lower / total
	}
	return 1 - upper/total
}
