package kpi

import (
	"math"
	"strconv"
)

// Sequence is an always-valid confidence sequence for one rate watched
// as its data come in (a KPI on a dashboard, looked at every day): with
// probability at least 1 − Alpha its interval contains the true rate at
// every look at once, however often and whenever one looks, and may be
// stopped on at any time. A fixed-level interval checked at every look
// does not keep its level: the chance that it ever excludes the truth
// grows with the looks.
//
// The construction is the beta-binomial mixture martingale (Robbins 1970;
// Howard et al. 2021, "Time-uniform, nonparametric, nonasymptotic
// confidence sequences", §3): after n trials with S successes,
//
//	M(p) = B(a + S, b + n − S) / B(a, b) / (p^S·(1 − p)^(n−S))
//
// is a nonnegative martingale with mean 1 under the true rate p, so by
// Ville's inequality P(sup M(p) ≥ 1/α) ≤ α, and the sequence is
//
//	{p : M(p) < 1/α} = {p : S·log p + (n − S)·log(1 − p) > log B(a + S, b + n − S) − log B(a, b) − log(1/α)}
//
// an interval around S/n. The prior Beta(a, b) is the tuning parameter:
// it is Beta(1, 1), uniform, here, which spends the error evenly over
// effects of every size. The validity is exact, not asymptotic.
//
// Simulated (TestSequenceCoverage with KPI_FULL_SIMULATION=1: 10 000
// streams of 2 000 looks at one Bernoulli trial each, PCG seed (1, 2)):
// at a true rate of 0.3 and α = 0.05 the sequence excluded the true rate
// at some look in 3.91 % of the streams, at most α as promised, while the
// 95 % Wilson interval checked at every look excluded it in 57.1 %; at a
// rate of 0.05 and α = 0.1, 7.65 % against 73.6 %. The normal test run
// repeats the simulation on 1 000 streams.
//
// The zero Sequence has no Alpha and returns errors; set Alpha. Every
// method first refuses, wrapping ErrInvalid, counts no Add could have
// made (the fields are exported for storage and may be set by hand):
// Trials outside [0, MaxTrials], Successes outside [0, Trials].
type Sequence struct {
	Alpha     float64 `json:"alpha"`     // the error rate over all looks, such as 0.05
	Successes int64   `json:"successes"` // the successes seen so far
	Trials    int64   `json:"trials"`    // the trials seen so far
}

// valid reports whether the Sequence is usable: four comparisons (NaN
// fails both of Alpha's), inlined in Add; fail names the field at fault.
func (s *Sequence) valid() bool {
	return s.Alpha > 0 && s.Alpha < 1 && uint64(s.Trials) <= MaxTrials && uint64(s.Successes) <= uint64(s.Trials)
}

// check returns nil for a usable Sequence, and otherwise fail's error.
func (s *Sequence) check(fn string) error {
	if s.valid() {
		return nil
	}
	return s.fail(fn)
}

func (s *Sequence) fail(fn string) error {
	switch {
	case !checkUnit(s.Alpha):
		return invalid(fn, "Alpha", s.Alpha, "must lie in (0, 1)")
	case s.Trials < 0 || s.Trials > MaxTrials:
		return invalid(fn, "Trials", s.Trials, "must lie in [0, MaxTrials]")
	case s.Successes < 0 || s.Successes > s.Trials:
		return invalid(fn, "Successes", s.Successes, "must lie in [0, Trials "+strconv.FormatInt(s.Trials, 10)+"]")
	}
	return nil
}

// sum returns a + b, both in [0, MaxInt64], exactly: it is at most
// 2⁶⁴ − 2, so it does not wrap as the int64 sum does. It is for error
// texts, which name the total a check refused.
func sum(a, b int64) uint64 { return uint64(a) + uint64(b) }

// Add adds a period's counts (or one trial: NewRate(1, 1) for a success)
// to the sequence. It does not allocate and takes constant time.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); Trials outside
// [0, MaxTrials] or Successes outside [0, Trials] (fields set by hand); a
// total beyond MaxTrials. The sequence is unchanged on error.
func (s *Sequence) Add(r Rate) error {
	const fn = "kpi.Sequence.Add"
	if !s.valid() {
		return s.fail(fn)
	}
	if r.trials > MaxTrials-s.Trials {
		return invalid(fn, "trials", sum(s.Trials, r.trials), "more than MaxTrials trials in all")
	}
	s.Successes += r.successes
	s.Trials += r.trials
	return nil
}

// logBound returns log B(1 + S, 1 + n − S) − log(1/α): the sequence holds
// the p whose log-likelihood S·log p + (n − S)·log(1 − p) exceeds it.
func (s *Sequence) logBound() float64 {
	return lbeta(1+float64(s.Successes), 1+float64(s.Trials-s.Successes)) + math.Log(s.Alpha)
}

// Interval returns the sequence's interval [lo, hi] now: with probability
// at least 1 − Alpha, every interval it ever returns holds the true rate.
// Before any trial it is [0, 1]. It takes about a hundred logarithms.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); counts out of range.
func (s *Sequence) Interval() (lo, hi float64, err error) {
	if err := s.check("kpi.Sequence.Interval"); err != nil {
		return 0, 1, err
	}
	if s.Trials == 0 {
		return 0, 1, nil
	}
	bound := s.logBound()
	ph := float64(s.Successes) / float64(s.Trials)
	lo, hi = 0, 1
	in := func(p float64) float64 { return binomLogLik(s.Successes, s.Trials, p) - bound } // > 0 inside
	if s.Successes > 0 && in(0x1p-1000) < 0 {
		lo = bisect(in, 0x1p-1000, ph)
	}
	if s.Successes < s.Trials && in(1-0x1p-53) < 0 {
		hi = bisect(func(p float64) float64 { return -in(p) }, ph, 1-0x1p-53)
	}
	return lo, hi, nil
}

// Excludes reports whether the sequence excludes the rate p now: the
// sequential test of "the rate is p", which may be run at every look and
// whose chance of ever rejecting a true p is at most Alpha. It takes
// constant time.
//
// Errors, wrapping ErrInvalid: Alpha outside (0, 1); counts out of range;
// p outside [0, 1].
func (s *Sequence) Excludes(p float64) (bool, error) {
	const fn = "kpi.Sequence.Excludes"
	if err := s.check(fn); err != nil {
		return false, err
	}
	if !(p >= 0 && p <= 1) {
		return false, invalid(fn, "p", p, "must lie in [0, 1]")
	}
	if s.Trials == 0 {
		return false, nil
	}
	if (p == 0 && s.Successes > 0) || (p == 1 && s.Successes < s.Trials) {
		return true, nil
	}
	return binomLogLik(s.Successes, s.Trials, p) <= s.logBound(), nil
}
