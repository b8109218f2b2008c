package kpi

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// Comparison compares rate B with rate A: this month against last month, a
// variant against a control, one segment against another. Differences are
// B − A. The p-values are for the alternative in Alternative: two-sided
// as Compare makes them, one-sided after Sided.
//
// With pA = xA/nA, pB = xB/nB, N = nA + nB and the pooled rate
// p̄ = (xA + xB)/N, the statistics are:
//
//	Diff   = pB − pA
//	Z      = (pB − pA) / sqrt(p̄(1 − p̄)(1/nA + 1/nB))
//	ZP     = 2·Φ(−|Z|)
//	ChiSquare = Z², the Pearson chi-square of the 2×2 table, 1 degree of freedom
//	Yates  = Σ (|O − E| − min(½, |O − E|))² / E over the four cells
//
// Z and its p equal statsmodels' proportions_ztest([xB, xA], [nB, nA]);
// ChiSquare and Yates with their p-values equal R's prop.test and
// chisq.test(correct = FALSE / TRUE) on the table
// [[xA, nA − xA], [xB, nB − xB]]; FisherP equals R's fisher.test on it.
//
// Degenerate tables: when both rates are 0 or both are 1 (p̄ is 0 or 1),
// nothing distinguishes the two samples and the statistics are 0/0. Compare
// then reports Z = 0, ChiSquare = 0, Yates = 0 and all their p-values as 1
// (R reports NaN); Fisher's p is 1, as R reports. ProbBBetter stays well
// defined.
type Comparison struct {
	A, B Rate

	// Alternative is the direction the p-values test: TwoSided from
	// Compare, Less or Greater (B below or above A) from Sided.
	Alternative Alternative

	Diff float64 // pB − pA

	Z  float64 // pooled two-proportion z statistic, positive when B is higher
	ZP float64 // p-value of Z

	ChiSquare  float64 // Pearson chi-square without continuity correction
	ChiSquareP float64 // its p-value, 1 degree of freedom

	Yates  float64 // Pearson chi-square with Yates' continuity correction
	YatesP float64 // its p-value, 1 degree of freedom

	FisherP float64 // Fisher's exact test (R's fisher.test)

	// ProbBBetter is the posterior probability that B's true rate exceeds
	// A's under independent Beta(1, 1) priors, P(θB > θA), computed exactly
	// as the finite sum
	//
	//	Σ_{i=0}^{αB−1} B(αA + i, βA + βB) / ((βB + i)·B(1 + i, βB)·B(αA, βA))
	//
	// with αA = xA + 1, βA = nA − xA + 1 and the same for B (Miller 2015,
	// "Formulas for Bayesian A/B testing").
	ProbBBetter float64
}

// Compare compares rate b with rate a. See Comparison for the statistics.
//
// Errors: a rate with zero trials returns an error wrapping ErrUndefined;
// a rate with more than MaxTrials trials one wrapping ErrInvalid.
func Compare(a, b Rate) (Comparison, error) {
	if a.trials > MaxTrials {
		return Comparison{}, invalid("kpi.Compare", "a.trials", a.trials, "exceeds MaxTrials (2^40)")
	}
	if b.trials > MaxTrials {
		return Comparison{}, invalid("kpi.Compare", "b.trials", b.trials, "exceeds MaxTrials (2^40)")
	}
	if a.trials == 0 {
		return Comparison{}, undefined("kpi.Compare", "a.trials", 0, "a rate with no trials cannot be compared")
	}
	if b.trials == 0 {
		return Comparison{}, undefined("kpi.Compare", "b.trials", 0, "a rate with no trials cannot be compared")
	}
	c := Comparison{A: a, B: b}
	pa, pb := a.p(), b.p()
	c.Diff = pb - pa

	na, nb := float64(a.trials), float64(b.trials)
	xa, xb := float64(a.successes), float64(b.successes)
	n := na + nb
	s := xa + xb
	if s == 0 || s == n {
		c.ZP, c.ChiSquareP, c.YatesP, c.FisherP = 1, 1, 1, 1
	} else {
		pool := s / n
		c.Z = (pb - pa) / math.Sqrt(pool*(1-pool)*(1/na+1/nb))
		c.ZP = math.Erfc(math.Abs(c.Z) / math.Sqrt2)
		c.ChiSquare = c.Z * c.Z
		c.ChiSquareP = chiSquare1Survival(c.ChiSquare)
		// Expected counts of the four cells and Yates' corrected sum.
		cells := [4][2]float64{
			{xa, na * s / n}, {na - xa, na * (n - s) / n},
			{xb, nb * s / n}, {nb - xb, nb * (n - s) / n},
		}
		for _, oe := range cells {
			d := math.Abs(oe[0] - oe[1])
			d -= math.Min(0.5, d)
			c.Yates += d * d / oe[1]
		}
		c.YatesP = chiSquare1Survival(c.Yates)
		c.FisherP = fisherTwoSided(a.successes, a.trials-a.successes, b.successes, b.trials-b.successes)
	}
	c.ProbBBetter = probBBetter(a.successes+1, a.trials-a.successes+1, b.successes+1, b.trials-b.successes+1)
	return c, nil
}

// chiSquare1Survival returns P(X > x) for X chi-square with 1 degree of
// freedom, the regularized upper incomplete gamma function Q(½, x/2).
func chiSquare1Survival(x float64) float64 {
	return mathext.GammaIncRegComp(0.5, x/2)
}

// Lift returns the relative lift pB/pA − 1.
//
// Special case: when pA = 0 the lift is undefined; Lift returns 0 and an
// error wrapping ErrUndefined.
func (c Comparison) Lift() (float64, error) {
	if c.A.successes == 0 {
		return 0, undefined("kpi.Comparison.Lift", "a.successes", 0, "lift over a zero rate is undefined")
	}
	return c.B.p()/c.A.p() - 1, nil
}

// DiffInterval returns a confidence interval for the difference pB − pA at
// the given confidence level. The method selects the construction:
//
//	Wald          pB − pA ± z·sqrt(pA(1 − pA)/nA + pB(1 − pB)/nB), clipped to [−1, 1]
//	              (R's prop.test(correct = FALSE) interval)
//	AgrestiCoull  the Agresti–Caffo interval: the Wald interval after adding one
//	              success and one failure to each sample, clipped to [−1, 1]
//	              (statsmodels' confint_proportions_2indep(method="agresti-caffo"))
//	any other     Newcombe's hybrid score (square-and-add) interval built from the
//	              two rates' own intervals [lA, uA] and [lB, uB] of that method:
//	                lower = d − sqrt((pB − lB)² + (uA − pA)²)
//	                upper = d + sqrt((uB − pB)² + (pA − lA)²)
//
// With Wilson, the default, the last is Newcombe's (1998) method 10 and
// equals statsmodels' confint_proportions_2indep(method="newcomb"); with
// WilsonCC it is his method 11; with ClopperPearson or Jeffreys it is the
// MOVER interval of Zou and Donner (2008) with those intervals.
//
// Errors: confidence outside (0, 1), an unknown method or a rate with more
// than MaxTrials trials return an error wrapping ErrInvalid.
func (c Comparison) DiffInterval(method Method, confidence float64) (lo, hi float64, err error) {
	const fn = "kpi.Comparison.DiffInterval"
	if err := checkInterval(fn, c.A, method, confidence); err != nil {
		return 0, 0, err
	}
	if err := checkInterval(fn, c.B, method, confidence); err != nil {
		return 0, 0, err
	}
	pa, pb := c.A.p(), c.B.p()
	d := pb - pa
	switch method {
	case Wald:
		z := zCrit(confidence)
		half := z * math.Sqrt(pa*(1-pa)/float64(c.A.trials)+pb*(1-pb)/float64(c.B.trials))
		return clampDiff(d - half), clampDiff(d + half), nil
	case AgrestiCoull:
		z := zCrit(confidence)
		na, nb := float64(c.A.trials)+2, float64(c.B.trials)+2
		qa, qb := (float64(c.A.successes)+1)/na, (float64(c.B.successes)+1)/nb
		dt := qb - qa
		half := z * math.Sqrt(qa*(1-qa)/na+qb*(1-qb)/nb)
		return clampDiff(dt - half), clampDiff(dt + half), nil
	}
	la, ua := interval(c.A.successes, c.A.trials, method, confidence)
	lb, ub := interval(c.B.successes, c.B.trials, method, confidence)
	lo = d - math.Hypot(pb-lb, ua-pa)
	hi = d + math.Hypot(ub-pb, pa-la)
	return clampDiff(lo), clampDiff(hi), nil
}

func clampDiff(v float64) float64 { return math.Max(-1, math.Min(1, v)) }
