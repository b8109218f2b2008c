package kpi

import "math"

// MarginTest is the test of the difference d = pB − pA against a margin δ:
// is B not worse than A by more than |δ| (non-inferiority, δ < 0 with
// Greater), better than A by more than δ (superiority by a margin, δ > 0
// with Greater), or, with Less, the same questions for a rate where lower
// is better (churn, cost). The hypotheses are
//
//	Greater:  H₀: d ≤ δ   against  H₁: d > δ
//	Less:     H₀: d ≥ δ   against  H₁: d < δ
//	TwoSided: H₀: d = δ   against  H₁: d ≠ δ
//
// The statistic is Farrington and Manning's (1990) score statistic,
//
//	Z = (p̂B − p̂A − δ) / sqrt(p̃B(1 − p̃B)/nB + p̃A(1 − p̃A)/nA)
//
// where p̃A and p̃B = p̃A + δ are the maximum-likelihood rates under the
// constraint pB − pA = δ, the root of a cubic solved in closed form
// (Farrington and Manning 1990, eq. 5; Miettinen and Nurminen 1985). At
// δ = 0 the constrained rates are the pooled rate and Z is Compare's Z.
// P is 1 − Φ(Z) for Greater, Φ(Z) for Less and 2·Φ(−|Z|) for TwoSided.
type MarginTest struct {
	Margin      float64     `json:"margin"`      // δ, the margin for pB − pA
	Alternative Alternative `json:"alternative"` // the direction of H₁
	Z           float64     `json:"z"`           // the Farrington–Manning score statistic
	P           float64     `json:"p"`           // its p-value for Alternative
}

// TestMargin tests the difference pB − pA against the margin δ in the
// given direction; see MarginTest. "Is variant B not worse than control
// by more than 1 point?" is c.TestMargin(−0.01, Greater).
//
// The matching interval is DiffBound: B is non-inferior at level α when
// the lower bound of DiffBound(method, Greater, 1 − α) lies above δ. The
// bound and the test are different constructions and can disagree close
// to the margin; report the one the analysis plan names.
//
// Special case: when the constrained variance is 0 (δ = 0 and both rates
// 0 or both 1) nothing tells the samples apart; Z is 0 and P is 1.
//
// Errors: a margin outside (−1, 1) or NaN, an alternative that is not one
// of the constants, or a Comparison that Compare did not make return an
// error wrapping ErrInvalid.
func (c Comparison) TestMargin(margin float64, alt Alternative) (MarginTest, error) {
	const fn = "kpi.Comparison.TestMargin"
	if !(margin > -1 && margin < 1) {
		return MarginTest{}, invalid(fn, "margin", margin, "must lie in (-1, 1)")
	}
	if err := checkAlternative(fn, alt); err != nil {
		return MarginTest{}, err
	}
	if c.A.trials == 0 || c.B.trials == 0 {
		return MarginTest{}, invalid(fn, "Comparison", "zero trials", "use kpi.Compare")
	}
	t := MarginTest{Margin: margin, Alternative: alt, P: 1}
	nb, na := float64(c.B.trials), float64(c.A.trials)
	pb, pa := c.B.p(), c.A.p()
	rb := fmRestricted(pb, pa, nb, na, margin)
	ra := rb - margin
	v := rb*(1-rb)/nb + ra*(1-ra)/na
	if s := c.A.successes + c.B.successes; !(v > 0) || (margin == 0 && (s == 0 || s == c.A.trials+c.B.trials)) {
		return t, nil
	}
	t.Z = (pb - pa - margin) / math.Sqrt(v)
	switch alt {
	case Greater:
		t.P = normalSurvival(t.Z)
	case Less:
		t.P = normalSurvival(-t.Z)
	default:
		t.P = math.Erfc(math.Abs(t.Z) / math.Sqrt2)
	}
	return t, nil
}

// fmRestricted returns the maximum-likelihood p₁ under p₁ − p₂ = δ for
// samples with rates p1, p2 of n1, n2 trials, by Farrington and Manning's
// closed form: with θ = n2/n1,
//
//	a = 1 + θ
//	b = −(1 + θ + p1 + θ·p2 + δ(θ + 2))
//	c = δ² + δ(2p1 + θ + 1) + p1 + θ·p2
//	d = −p1·δ(1 + δ)
//	v = b³/(3a)³ − bc/(6a²) + d/(2a),  u = sign(v)·sqrt(b²/(3a)² − c/(3a))
//	p̃₁ = 2u·cos((π + acos(v/u³))/3) − b/(3a)
func fmRestricted(p1, p2, n1, n2, delta float64) float64 {
	th := n2 / n1
	a := 1 + th
	b := -(1 + th + p1 + th*p2 + delta*(th+2))
	c := delta*delta + delta*(2*p1+th+1) + p1 + th*p2
	d := -p1 * delta * (1 + delta)
	a3 := 3 * a
	v := b*b*b/(a3*a3*a3) - b*c/(6*a*a) + d/(2*a)
	u := math.Sqrt(math.Max(0, b*b/(a3*a3)-c/a3))
	if v < 0 {
		u = -u
	}
	var r float64
	if u == 0 {
		r = -b / a3
	} else {
		w := (math.Pi + math.Acos(math.Max(-1, math.Min(1, v/(u*u*u))))) / 3
		r = 2*u*math.Cos(w) - b/a3
	}
	// Keep the root inside the constrained range, against rounding.
	return math.Max(math.Max(0, delta), math.Min(math.Min(1, 1+delta), r))
}

// DiffBound returns the one-sided confidence interval for pB − pA at the
// given confidence level, built from the two-sided interval of DiffInterval
// at level 2·confidence − 1:
//
//	Greater:  [lo, 1],  lo the lower end of DiffInterval(method, 2·confidence − 1)
//	Less:     [−1, hi], hi its upper end
//	TwoSided: DiffInterval(method, confidence)
//
// A one-sided 95 % bound is thus an end of the two-sided 90 % interval.
// With Greater and a margin δ < 0, lo > δ shows non-inferiority at level
// 1 − confidence; see TestMargin for the test.
//
// Errors: for Less and Greater a confidence outside (½, 1); otherwise
// those of DiffInterval, and an unknown alternative; all wrap ErrInvalid
// (or ErrUndefined for a rate with no trials).
func (c Comparison) DiffBound(method Method, alt Alternative, confidence float64) (lo, hi float64, err error) {
	const fn = "kpi.Comparison.DiffBound"
	if err := checkAlternative(fn, alt); err != nil {
		return 0, 0, err
	}
	if alt == TwoSided {
		return c.DiffInterval(method, confidence)
	}
	if !(confidence > 0.5 && confidence < 1) {
		return 0, 0, invalid(fn, "confidence", confidence, "a one-sided bound needs a level in (0.5, 1)")
	}
	l, h, err := c.DiffInterval(method, 2*confidence-1)
	if err != nil {
		return 0, 0, err
	}
	if alt == Greater {
		return l, 1, nil
	}
	return -1, h, nil
}
