package kpi

import (
	"fmt"
	"math"
)

// Rate is a proportion: successes out of trials, such as 96 MQLs out of 240
// leads. It is an immutable value. The zero Rate has no trials; its value and
// intervals are undefined and say so with ErrUndefined.
type Rate struct {
	successes, trials int64
}

// NewRate returns the rate successes/trials.
//
// Special cases:
//
//	NewRate(s, t) with s < 0 or t < 0 returns an error wrapping ErrInvalid
//	NewRate(s, t) with s > t returns an error wrapping ErrInvalid
//	NewRate(0, 0) is valid: a rate with no trials, whose value is undefined
func NewRate(successes, trials int64) (Rate, error) {
	switch {
	case trials < 0:
		return Rate{}, invalid("kpi.NewRate", "trials", trials, "negative count")
	case successes < 0:
		return Rate{}, invalid("kpi.NewRate", "successes", successes, "negative count")
	case successes > trials:
		return Rate{}, invalid("kpi.NewRate", "successes", successes, fmt.Sprintf("exceeds trials %d", trials))
	}
	return Rate{successes: successes, trials: trials}, nil
}

// Successes returns the number of successes.
func (r Rate) Successes() int64 { return r.successes }

// Trials returns the number of trials.
func (r Rate) Trials() int64 { return r.trials }

// Value returns the point estimate successes/trials.
//
// Special case: a rate with zero trials has no value; Value returns 0 and an
// error wrapping ErrUndefined.
func (r Rate) Value() (float64, error) {
	if r.trials == 0 {
		return 0, undefined("kpi.Rate.Value", "trials", 0, "a rate with no trials has no value")
	}
	return r.p(), nil
}

// p is successes/trials without the zero-trials check.
func (r Rate) p() float64 { return float64(r.successes) / float64(r.trials) }

// String formats the rate as "successes/trials (percent)", with the percent
// to two decimal places, such as "96/240 (40.00%)"; a rate with no trials
// prints as "0/0 (undefined)".
func (r Rate) String() string {
	if r.trials == 0 {
		return "0/0 (undefined)"
	}
	return fmt.Sprintf("%d/%d (%.2f%%)", r.successes, r.trials, 100*r.p())
}

// checkUnit reports whether v lies in the open interval (0, 1).
func checkUnit(v float64) bool { return v > 0 && v < 1 && !math.IsNaN(v) }
