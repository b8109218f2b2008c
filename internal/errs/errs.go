// Package errs builds the errors of kpi's sub-packages. It is not API: every
// error a sub-package returns is a *kpi.Error made here, so that each names
// the function the caller called, the argument or field, and its real value.
package errs

import (
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/money"
)

// Invalid returns bad input: a *kpi.Error wrapping kpi.ErrInvalid.
//
//	fn: arg value: reason
func Invalid(fn, arg string, value any, reason string) error {
	return &kpi.Error{Func: fn, Arg: arg, Value: value, Reason: reason, Err: kpi.ErrInvalid}
}

// Undefined returns a quantity that valid data leave undefined: a
// *kpi.Error wrapping kpi.ErrUndefined.
func Undefined(fn, arg string, value any, reason string) error {
	return &kpi.Error{Func: fn, Arg: arg, Value: value, Reason: reason, Err: kpi.ErrUndefined}
}

// Class returns a *kpi.Error of the given class, a package sentinel that
// wraps kpi.ErrInvalid or kpi.ErrUndefined.
func Class(fn, arg string, value any, reason string, class error) error {
	return &kpi.Error{Func: fn, Arg: arg, Value: value, Reason: reason, Err: class}
}

// Zero returns the error of a method called on a zero value that needs its
// constructor: "fn: receiver zero value: use ctor".
func Zero(fn, receiver, ctor string) error {
	return &kpi.Error{Func: fn, Arg: receiver, Value: "zero value", Reason: "use " + ctor, Err: kpi.ErrInvalid}
}

// Level checks a confidence level (or any probability that must lie
// strictly inside (0, 1)) named arg, and returns nil when it does.
func Level(fn, arg string, v float64) error {
	if v > 0 && v < 1 {
		return nil // NaN fails both comparisons
	}
	return Invalid(fn, arg, v, "must lie in (0, 1)")
}

// Method checks an interval method, and returns nil for one of kpi's
// constants, Wilson through Jeffreys.
func Method(fn, arg string, m kpi.Method) error {
	if m >= kpi.Wilson && m <= kpi.Jeffreys {
		return nil
	}
	return Invalid(fn, arg, m, "unknown interval method")
}

// Finite checks that v is neither NaN nor infinite.
func Finite(fn, arg string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Invalid(fn, arg, v, "must be finite")
	}
	return nil
}

// The library's time range, kpi.MinYear through kpi.MaxYear, in Unix
// seconds: [minUnix, endUnix).
var (
	minUnix = time.Date(kpi.MinYear, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	endUnix = time.Date(kpi.MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()

	// TimeReason is the reason Time gives, for callers that build the
	// error themselves.
	TimeReason = fmt.Sprintf("outside the years %d to %d (kpi.MinYear, kpi.MaxYear)", kpi.MinYear, kpi.MaxYear)
)

// InRange reports whether t lies in the library's time range, from
// kpi.MinYear through kpi.MaxYear.
func InRange(t time.Time) bool {
	s := t.Unix()
	return s >= minUnix && s < endUnix
}

// Time checks that t lies in the library's time range, from kpi.MinYear
// through kpi.MaxYear, and returns nil when it does. The zero time.Time (year
// 1) lies outside; callers for which it means "unknown" test IsZero first.
func Time(fn, arg string, t time.Time) error {
	if InRange(t) {
		return nil
	}
	return Invalid(fn, arg, t.UTC().Format(time.RFC3339Nano), TimeReason)
}

// Money checks that d lies within the bound on every amount of money the
// library accepts, at most 30 digits before the point and 18 after it
// (internal/money.Check), and returns nil when it does. The error quotes d
// without writing out a huge exponent's digits.
func Money(fn, arg string, d decimal.Decimal) error {
	if why := money.Check(d); why != "" {
		return Invalid(fn, arg, money.Text(d), why)
	}
	return nil
}
