package kpi

import (
	"math"
	"strconv"
)

// DiffSequence is an always-valid confidence sequence for the difference
// d = pB − pA of two rates watched as their data come in (an A/B test of
// two landing pages read every week): with probability at least 1 − Alpha
// its interval contains the true difference at every look at once,
// however often and whenever one looks, and the test may stop at the first
// look that decides. A fixed-level interval for the difference checked at
// every look does not keep its level.
//
// The construction is exact, not asymptotic. Each arm has the
// beta-binomial mixture martingale of Sequence, with S successes and F
// failures so far,
//
//	M_A(pA) = B(1 + S_A, 1 + F_A) / (pA^S_A·(1 − pA)^F_A),   M_B(pB) likewise
//
// The arms' trials are independent given the past (a look's size may
// depend on what earlier looks showed, not on its own outcomes), so the
// product M_A(pA)·M_B(pB) is a nonnegative martingale with mean 1 under
// the true pair of rates; by Ville's inequality the pairs where it stays below 1/α
// hold the true pair at every look with probability at least 1 − α, and
// so do their differences. The sequence is that set seen along pB − pA:
//
//	{d : max over pA of ℓ_A(pA) + ℓ_B(pA + d) > log B(1 + S_A, 1 + F_A) + log B(1 + S_B, 1 + F_B) − log(1/α)}
//
// with ℓ the arms' log-likelihoods S·log p + F·log(1 − p). The maximum is
// at the rates Farrington and Manning's score test uses (the root of a
// cubic, in closed form; see TestMargin), so testing one d takes constant
// time. The profile is concave in d, so the set is an interval around
// p̂B − p̂A. Read as a test of "the difference is d", it rejects when the
// mixture's likelihood exceeds 1/α times the largest likelihood under
// that d: a likelihood-ratio test in the manner of universal inference
// (Wasserman, Ramdas and Balakrishnan 2020, PNAS 117(29)), which may be
// run at every look.
//
// The tuning parameter is the mixing prior, Beta(1, 1) for each arm as in
// Sequence: it spends the error evenly over rates of every size and is not
// tuned to a planned sample size. The price of exactness is width: the
// set of pairs is projected, so the sequence is conservative (the figures
// below stay well under α). Howard, Ramdas, McAuliffe and Sekhon's (2021,
// Ann. Statist. 49(2)) normal-mixture boundary with a plug-in variance, as
// GrowthBook uses, is narrower near the sample size its mixing variance is
// tuned for, but is valid only as the samples grow: a plug-in variance
// p̂(1 − p̂) is 0 until an arm has seen both a success and a failure.
//
// Simulated (TestDiffSequenceCoverage: 10 000 streams of 2 000 looks at
// one trial per arm each, PCG seed (3, 4)): with both rates at 0.3 and
// α = 0.05 the sequence excluded the true difference at some look in
// 0.88 % of the streams, at most α as promised, while the 95 % Newcombe
// interval checked at every look excluded it in 56.8 %; with rates 0.10
// and 0.15 (α = 0.05), 0.12 % against 46.8 %; with rates 0.5 and 0.4 and
// α = 0.1, 2.09 % against 83.5 %. The width that buys this: after 8 000
// trials an arm at 476 and 648 successes the sequence is [0.0010,
// 0.0422], 2.6 times as wide as the 95 % Newcombe interval [0.0136,
// 0.0294].
//
// The zero DiffSequence has no Alpha and returns errors; set Alpha.
// Every method first refuses, wrapping ErrInvalid, an arm set by hand to
// more than MaxTrials trials (NewRate allows up to MaxInt64).
type DiffSequence struct {
	Alpha float64 `json:"alpha"` // the error rate over all looks, such as 0.05
	A     Rate    `json:"a"`     // the control's trials so far
	B     Rate    `json:"b"`     // the variant's trials so far
}

// valid reports whether the DiffSequence is usable: four comparisons (NaN
// fails both of Alpha's), inlined in Add; fail names the field at fault.
func (s *DiffSequence) valid() bool {
	return s.Alpha > 0 && s.Alpha < 1 && s.A.trials <= MaxTrials && s.B.trials <= MaxTrials
}

// check returns nil for a usable DiffSequence, and otherwise fail's error.
func (s *DiffSequence) check(fn string) error {
	if s.valid() {
		return nil
	}
	return s.fail(fn)
}

func (s *DiffSequence) fail(fn string) error {
	switch {
	case !checkUnit(s.Alpha):
		return invalid(fn, "Alpha", s.Alpha, "must lie in (0, 1)")
	case s.A.trials > MaxTrials:
		return invalid(fn, "A.trials", s.A.trials, "more than MaxTrials")
	case s.B.trials > MaxTrials:
		return invalid(fn, "B.trials", s.B.trials, "more than MaxTrials")
	}
	return nil
}

// Add adds a look's counts of each arm: a for A, the control, and b for B
// (the zero Rate for an arm without trials in this look). It does not
// allocate and takes constant time.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); an arm's total beyond
// MaxTrials. The sequence is unchanged on error.
func (s *DiffSequence) Add(a, b Rate) error {
	const fn = "kpi.DiffSequence.Add"
	if !s.valid() {
		return s.fail(fn)
	}
	return s.add(fn, a, b)
}

func (s *DiffSequence) add(fn string, a, b Rate) error {
	if a.trials > MaxTrials-s.A.trials {
		return invalid(fn, "a.trials", sum(s.A.trials, a.trials), "more than MaxTrials trials in all")
	}
	if b.trials > MaxTrials-s.B.trials {
		return invalid(fn, "b.trials", sum(s.B.trials, b.trials), "more than MaxTrials trials in all")
	}
	s.A = Rate{successes: s.A.successes + a.successes, trials: s.A.trials + a.trials}
	s.B = Rate{successes: s.B.successes + b.successes, trials: s.B.trials + b.trials}
	return nil
}

// Merge adds everything o holds, as if o's looks had been added one by one
// (the sequence depends on the totals only), and leaves o unchanged.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); o's Alpha different
// from s's; o the same sequence as s; an arm's total beyond MaxTrials. The
// sequence is unchanged on error.
func (s *DiffSequence) Merge(o *DiffSequence) error {
	const fn = "kpi.DiffSequence.Merge"
	if err := s.check(fn); err != nil {
		return err
	}
	switch {
	case o == nil:
		return invalid(fn, "o", "nil", "nothing to merge")
	case o == s:
		return invalid(fn, "o", "itself", "merge a copy to count the trials twice")
	case o.Alpha != s.Alpha:
		return invalid(fn, "o.Alpha", o.Alpha, "differs from Alpha "+strconv.FormatFloat(s.Alpha, 'g', -1, 64))
	}
	return s.add(fn, o.A, o.B)
}

// logBound returns log B(1 + S_A, 1 + F_A) + log B(1 + S_B, 1 + F_B) −
// log(1/α): the sequence holds the d whose profile log-likelihood exceeds
// it.
func (s *DiffSequence) logBound() float64 {
	return lbeta(1+float64(s.A.successes), 1+float64(s.A.trials-s.A.successes)) +
		lbeta(1+float64(s.B.successes), 1+float64(s.B.trials-s.B.successes)) + math.Log(s.Alpha)
}

// binomLogLik returns x·log p + (n − x)·log(1 − p), the log-likelihood of
// x successes in n trials at rate p up to its constant, with 0·log 0 taken
// as 0. Sequence and DiffSequence both bound it.
func binomLogLik(x, n int64, p float64) float64 {
	s, f := float64(x), float64(n-x)
	var l float64
	if s > 0 {
		l += s * math.Log(p)
	}
	if f > 0 {
		l += f * math.Log1p(-p)
	}
	return l
}

// profile returns the largest log-likelihood of the two arms under
// pB − pA = d: at the Farrington–Manning restricted rates when both arms
// have trials, and at the arm's own rate moved into the constrained range
// when only one has.
func (s *DiffSequence) profile(d float64) float64 {
	lo, hi := math.Max(0, d), math.Min(1, 1+d) // the range of pB = pA + d
	var pb float64
	switch {
	case s.A.trials == 0:
		pb = math.Max(lo, math.Min(hi, s.B.p()))
	case s.B.trials == 0:
		pb = math.Max(lo, math.Min(hi, s.A.p()+d))
	default:
		pb = fmRestricted(s.B.p(), s.A.p(), float64(s.B.trials), float64(s.A.trials), d)
	}
	return binomLogLik(s.A.successes, s.A.trials, math.Max(0, math.Min(1, pb-d))) + binomLogLik(s.B.successes, s.B.trials, pb)
}

// estimate returns p̂B − p̂A, taking an arm without trials at the rate
// of the other: the profile's maximum.
func (s *DiffSequence) estimate() float64 {
	var pa, pb float64
	switch {
	case s.A.trials == 0:
		pb = s.B.p()
		pa = pb
	case s.B.trials == 0:
		pa = s.A.p()
		pb = pa
	default:
		pa, pb = s.A.p(), s.B.p()
	}
	return pb - pa
}

// Interval returns the sequence's interval [lo, hi] for pB − pA now: with
// probability at least 1 − Alpha, every interval it ever returns holds the
// true difference. It contains p̂B − p̂A (with an arm that has no trials
// taken at the other's rate). Before any trial it is [−1, 1]. It takes
// up to four hundred evaluations of the profile, tens of microseconds.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); an arm with more
// than MaxTrials trials.
func (s *DiffSequence) Interval() (lo, hi float64, err error) {
	if err := s.check("kpi.DiffSequence.Interval"); err != nil {
		return -1, 1, err
	}
	if s.A.trials == 0 && s.B.trials == 0 {
		return -1, 1, nil
	}
	bound := s.logBound()
	est := s.estimate()
	in := func(d float64) float64 { return s.profile(d) - bound } // > 0 inside
	lo, hi = -1, 1
	if in(-1) <= 0 {
		lo = bisect(in, -1, est)
	}
	if in(1) <= 0 {
		hi = bisect(func(d float64) float64 { return -in(d) }, est, 1)
	}
	return lo, hi, nil
}

// Excludes reports whether the sequence excludes the difference pB − pA =
// d now: the sequential test of "the difference is d", which may be run at
// every look and whose chance of ever rejecting a true d is at most Alpha.
// Excludes(0) is the test of "no difference". It takes constant time.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); an arm with more
// than MaxTrials trials; d outside [−1, 1].
func (s *DiffSequence) Excludes(d float64) (bool, error) {
	const fn = "kpi.DiffSequence.Excludes"
	if err := s.check(fn); err != nil {
		return false, err
	}
	if !(d >= -1 && d <= 1) {
		return false, invalid(fn, "d", d, "must lie in [-1, 1]")
	}
	if s.A.trials == 0 && s.B.trials == 0 {
		return false, nil
	}
	return s.excludes(d), nil
}

func (s *DiffSequence) excludes(d float64) bool {
	if d == s.estimate() || s.surelyInside(d) {
		return false
	}
	return s.profile(d) <= s.logBound()
}

// surelyInside reports, without a logarithm, that d is inside the
// sequence. The sequence excludes d when the profile deviance ℓ̂ − max ℓ
// under pB − pA = d reaches ℓ̂ − logBound, which is at least log(1/α)
// (each arm's largest log-likelihood is at least its mixture's log B).
// For any q, the deviance is at most the two arms' n·KL(p̂ ‖ p) at pA = q,
// pB = q + d, and KL ≤ χ² = (p̂ − p)²/(p(1 − p)); so d is inside when that
// sum, at q the pooled rate shifted by d, stays below log(1/α).
func (s *DiffSequence) surelyInside(d float64) bool {
	na, nb := float64(s.A.trials), float64(s.B.trials)
	xa, xb := float64(s.A.successes), float64(s.B.successes)
	qa := (xa + xb - nb*d) / (na + nb)
	qb := qa + d
	if !(qa > 0 && qa < 1 && qb > 0 && qb < 1) {
		return false
	}
	ea, eb := xa-na*qa, xb-nb*qb // n·(p̂ − q)
	chi := ea*ea/(na*qa*(1-qa)) + eb*eb/(nb*qb*(1-qb))
	return chi < 0.999*-math.Log(s.Alpha)
}

// Rejects is the sequential test of the difference against a margin δ, in
// the hypotheses of TestMargin:
//
//	Greater:  H₀: pB − pA ≤ δ, rejected when the interval lies above δ
//	Less:     H₀: pB − pA ≥ δ, rejected when the interval lies below δ
//	TwoSided: H₀: pB − pA = δ, rejected when the interval excludes δ
//
// "Is B not worse than A by more than 1 point?" is Rejects(−0.01,
// Greater), and "is there a difference?" Rejects(0, TwoSided). Whenever
// and however often it is run, the chance that it ever rejects a true H₀
// is at most Alpha: the interval is an interval, so when it lies above δ
// it excludes every difference at or below δ. It takes constant time.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); an arm with more
// than MaxTrials trials; a margin outside (−1, 1) or NaN; an alternative that is not one of the constants.
func (s *DiffSequence) Rejects(margin float64, alt Alternative) (bool, error) {
	const fn = "kpi.DiffSequence.Rejects"
	if err := s.check(fn); err != nil {
		return false, err
	}
	if !(margin > -1 && margin < 1) {
		return false, invalid(fn, "margin", margin, "must lie in (-1, 1)")
	}
	if err := checkAlternative(fn, alt); err != nil {
		return false, err
	}
	if s.A.trials == 0 && s.B.trials == 0 {
		return false, nil
	}
	est := s.estimate()
	if (alt == Greater && est <= margin) || (alt == Less && est >= margin) {
		return false, nil
	}
	return s.excludes(margin), nil
}
