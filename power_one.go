package kpi

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// PowerOne returns the power of the design's test of one rate against
// target when the true rate is p and n trials are seen: the chance that
// the test rejects "the rate is the target". See Sizing for the formulas.
// An effect the other way from the alternative gives a power below Alpha.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1), an unknown
// Alternative or Sizing, target or p outside (0, 1), n < 1.
func (d Design) PowerOne(target, p float64, n int64) (float64, error) {
	const fn = "kpi.Design.PowerOne"
	if err := d.checkOne(fn, target, p, false); err != nil {
		return 0, err
	}
	if n < 1 || n > MaxTrials {
		return 0, invalid(fn, "n", n, "must lie in [1, MaxTrials]")
	}
	return d.powerOne(target, p, float64(n)), nil
}

func (d Design) checkOne(fn string, target, p float64, forSize bool) error {
	if err := d.check(fn, forSize); err != nil {
		return err
	}
	if err := checkRate(fn, "target", target); err != nil {
		return err
	}
	return checkRate(fn, "p", p)
}

func (d Design) powerOne(p0, p, n float64) float64 {
	switch d.Sizing {
	case Arcsine:
		return d.arcsinePower(d.effect(arcsineH(p, p0)), n)
	case Exact:
		return exactPower(int64(n), p0, p, d.Alternative, d.Alpha)
	}
	e := d.effect(p - p0)
	return normalSurvival((d.zAlpha()*math.Sqrt(p0*(1-p0)) - e*math.Sqrt(n)) / math.Sqrt(p*(1-p)))
}

// SizeOne returns the number of trials the design's test of one rate
// against target needs to reach Power when the true rate is p: the
// smallest n whose power is at least Power. Size.N is the real-valued
// solution of the normal and arcsine formulas,
//
//	Normal:  √N = (z_α·√(p₀q₀) + z_β·√(pq)) / |p − p₀|
//	Arcsine: √N = (z_α + z_β) / |h|   (one-sided; two-sided solved numerically)
//
// and Size.A = ⌈N⌉. For Exact, whose power is saw-toothed, A is the
// smallest n at which the exact test reaches Power (n − 1 does not; a
// larger n may fall below it again). The search starts at the smallest n
// at which the randomized most powerful test reaches Power, a lower bound
// since no non-randomized test is more powerful, and steps up from there.
//
// "How many MQLs do we need to tell whether the 50 % SLA is missed, if
// the true rate is 42 %?" is Design{Alpha: 0.05, Power: 0.8, Alternative:
// Less, Sizing: Exact}.SizeOne(0.5, 0.42).
//
// Errors, wrapping ErrInvalid: those of PowerOne; Power outside (0, 1),
// not above Alpha or above MaxPower; an effect of 0, or one the other way
// from a one-sided alternative, for which no number of trials is enough; a
// size beyond MaxTrials (2²⁰ for Exact).
func (d Design) SizeOne(target, p float64) (Size, error) {
	const fn = "kpi.Design.SizeOne"
	if err := d.checkOne(fn, target, p, true); err != nil {
		return Size{}, err
	}
	e := d.effect(p - target)
	if !(e > 0) {
		return Size{}, invalid(fn, "p", p, "no number of trials detects this effect: it is 0 or the other way from "+d.Alternative.String())
	}
	n := d.normalOneSize(target, p)
	switch d.Sizing {
	case Arcsine:
		h := d.effect(arcsineH(p, target))
		n = (d.zAlpha() + mathext.NormalQuantile(d.Power)) / h
		n *= n
		if d.Alternative == TwoSided {
			n = bisect(func(m float64) float64 { return d.arcsinePower(h, m) - d.Power }, 0, n)
		}
	case Exact:
		if n > maxExact {
			return Size{}, invalid(fn, "p", p, "the exact test would need more than 2^20 trials: use the Normal sizing")
		}
		a := exactSize(target, p, d.Alternative, d.Alpha, d.Power, n)
		if a > maxExact {
			return Size{}, invalid(fn, "p", p, "the exact test would need more than 2^20 trials: use the Normal sizing")
		}
		return Size{A: a, N: float64(a)}, nil
	}
	if !(n <= maxSize) {
		return Size{}, invalid(fn, "p", p, "needs more than MaxTrials trials")
	}
	return Size{A: max(1, int64(math.Ceil(n))), N: n}, nil
}

func (d Design) normalOneSize(p0, p float64) float64 {
	e := d.effect(p - p0)
	// At a power close to Alpha the numerator can be negative: every n
	// reaches the power.
	s := math.Max(0, (d.zAlpha()*math.Sqrt(p0*(1-p0))+mathext.NormalQuantile(d.Power)*math.Sqrt(p*(1-p)))/e)
	return s * s
}

// DetectableOne returns the smallest true rate that the design's test of
// one rate against target detects with probability Power after n trials:
// the minimum detectable effect is its distance from target. For Greater
// and TwoSided it is the rate above target, for Less the rate below.
// The rate is the float64 nearest the crossing whose power is at least
// Power. The search runs to 10⁻¹² from 0 or 1, or, for a target nearer an
// end than that, to target·10⁻¹² and to the float64 just under 1.
//
// Errors: those of PowerOne and of Power as in SizeOne (ErrInvalid); when
// no rate short of 0 or 1 reaches Power with n trials, an error wrapping
// ErrUndefined.
func (d Design) DetectableOne(target float64, n int64) (float64, error) {
	const fn = "kpi.Design.DetectableOne"
	if err := d.checkOne(fn, target, 0.5, true); err != nil {
		return 0, err
	}
	if n < 1 || n > MaxTrials {
		return 0, invalid(fn, "n", n, "must lie in [1, MaxTrials]")
	}
	f := func(p float64) float64 { return d.powerOne(target, p, float64(n)) - d.Power }
	lo, hi := detectRange(target)
	if d.Alternative == Less {
		if f(lo) < 0 {
			return 0, undefined(fn, "n", n, "no rate above 0 reaches the power")
		}
		// Power falls as p rises towards the target.
		return bisectDown(f, lo, target), nil
	}
	if f(hi) < 0 {
		return 0, undefined(fn, "n", n, "no rate below 1 reaches the power")
	}
	return bisect(f, target, hi), nil
}

// Periods returns how many periods (weeks, months) of perPeriod trials
// each the design's test of one rate against target needs before it can
// tell, with probability Power, that the true rate p differs from it: the
// smallest k whose k·perPeriod trials reach Power. This is the question
// an SLA check asks: "at 40 MQLs a week, how many weeks until we know?".
//
// Errors: those of SizeOne, and perPeriod < 1 (ErrInvalid).
func (d Design) Periods(target, p float64, perPeriod int64) (int64, error) {
	const fn = "kpi.Design.Periods"
	if perPeriod < 1 || perPeriod > MaxTrials {
		return 0, invalid(fn, "perPeriod", perPeriod, "must lie in [1, MaxTrials]")
	}
	s, err := d.SizeOne(target, p)
	if err != nil {
		return 0, err
	}
	k := (s.A + perPeriod - 1) / perPeriod
	if d.Sizing == Exact { // saw-toothed: k·perPeriod may fall below
		for float64(k*perPeriod) <= maxExact && exactPower(k*perPeriod, target, p, d.Alternative, d.Alpha) < d.Power {
			k++
		}
	}
	return k, nil
}

// exactPower returns the power of the exact binomial test of p0 with n
// trials at level alpha when the true rate is p. Greater mirrors Less by
// counting failures; TwoSided adds both tails at alpha/2.
func exactPower(n int64, p0, p float64, alt Alternative, alpha float64) float64 {
	switch alt {
	case Less:
		return binomCDFOrZero(critLow(n, p0, alpha), n, p)
	case Greater:
		return binomCDFOrZero(critLow(n, 1-p0, alpha), n, 1-p)
	}
	return binomCDFOrZero(critLow(n, p0, alpha/2), n, p) + binomCDFOrZero(critLow(n, 1-p0, alpha/2), n, 1-p)
}

func binomCDFOrZero(c, n int64, p float64) float64 {
	if c < 0 {
		return 0
	}
	return binomCDF(c, n, p)
}

// critLow returns the largest c in [−1, n] with P(X ≤ c) ≤ alpha for X
// binomial(n, p0): the exact test rejects "rate p0" for "less" when x ≤ c.
// The search starts at the normal approximation's c and gallops from it,
// so that it evaluates the distribution function a few times instead of
// log₂ n times; the predicate is the same, so is the answer.
func critLow(n int64, p0, alpha float64) int64 {
	ok := func(c int64) bool { return binomCDF(c, n, p0) <= alpha } // true up to the answer
	fn := float64(n)
	g := math.Floor(fn*p0 + mathext.NormalQuantile(alpha)*math.Sqrt(fn*p0*(1-p0)) - 0.5)
	start := int64(math.Max(-1, math.Min(fn, g)))
	lo, hi := int64(-1), n // ok(lo) holds; the answer is in [lo, hi]
	if ok(start) {
		lo = start
		for step := int64(1); lo < hi; step *= 2 {
			next := min(hi, lo+step)
			if !ok(next) {
				hi = next - 1
				break
			}
			lo = next
		}
	} else {
		hi = start - 1
		for step := int64(1); ; step *= 2 {
			next := start - step
			if next <= -1 {
				break
			}
			if ok(next) {
				lo = next
				break
			}
			hi = next - 1
		}
	}
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if ok(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// randomizedPower returns the power of the randomized most powerful test
// of p0 against p < p0 at level alpha with n trials: reject when x ≤ c,
// and with probability γ when x = c + 1, where P₀(X ≤ c) + γ·P₀(X = c + 1)
// = alpha. It rises with n, and no non-randomized test of level alpha is
// more powerful.
func randomizedPower(n int64, p0, p, alpha float64) float64 {
	c := critLow(n, p0, alpha)
	base := binomCDFOrZero(c, n, p)
	if c >= n {
		return base
	}
	gamma := (alpha - binomCDFOrZero(c, n, p0)) / math.Exp(binomLogPMF(c+1, n, p0))
	return base + math.Min(1, gamma)*math.Exp(binomLogPMF(c+1, n, p))
}

// exactSize returns the smallest n at which the exact test reaches power,
// searching up from the smallest n at which an upper bound of its power
// does; guess is the normal approximation's size.
func exactSize(p0, p float64, alt Alternative, alpha, power, guess float64) int64 {
	// An upper bound of the exact power that rises with n: the randomized
	// test on the side of the effect (at alpha/2 for TwoSided, plus the
	// at most alpha/2 of the far tail).
	q0, q, a, extra := p0, p, alpha, 0.0
	if alt == Greater || (alt == TwoSided && p > p0) {
		q0, q = 1-p0, 1-p
	}
	if alt == TwoSided {
		a, extra = alpha/2, alpha/2
	}
	bound := func(n int64) bool { return randomizedPower(n, q0, q, a)+extra >= power }
	hi := max(int64(16), int64(2*guess))
	for !bound(hi) {
		if hi > maxExact {
			return maxExact + 1
		}
		hi *= 2
	}
	lo := int64(1)
	for lo < hi {
		mid := lo + (hi-lo)/2
		if bound(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return exactScan(lo, p0, p, alt, alpha, power)
}

// exactScan steps n up from start until the exact power reaches power,
// keeping the critical values from one n to the next (going from n to
// n + 1 a critical value stays or grows by one), only those of the tails
// the alternative rejects in.
func exactScan(start int64, p0, p float64, alt Alternative, alpha, power float64) int64 {
	a := alpha
	if alt == TwoSided {
		a = alpha / 2
	}
	n := start
	low, up := alt != Greater, alt != Less // the tails the test rejects in
	var cl, cu int64                       // cu counts failures
	if low {
		cl = critLow(n, p0, a)
	}
	if up {
		cu = critLow(n, 1-p0, a)
	}
	for ; n <= maxExact; n++ {
		if n > start {
			if low && binomCDF(cl+1, n, p0) <= a {
				cl++
			}
			if up && binomCDF(cu+1, n, 1-p0) <= a {
				cu++
			}
		}
		var pw float64
		switch alt {
		case Less:
			pw = binomCDFOrZero(cl, n, p)
		case Greater:
			pw = binomCDFOrZero(cu, n, 1-p)
		default:
			pw = binomCDFOrZero(cl, n, p) + binomCDFOrZero(cu, n, 1-p)
		}
		if pw >= power {
			return n
		}
	}
	return n
}
