package kpi

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Sentinel errors. Every error the library returns for bad input wraps
// ErrInvalid, and every error for a quantity the data leave undefined wraps
// ErrUndefined, so callers can tell the two apart with errors.Is whatever
// package the error came from.
var (
	// ErrInvalid marks bad input: a negative count, successes above trials,
	// a confidence level outside (0, 1), an unknown method, NaN or infinite
	// numbers, mismatched lengths.
	ErrInvalid = errors.New("invalid input")

	// ErrUndefined marks a quantity that valid data leave undefined: the
	// value of a rate with zero trials, the lift over a zero rate.
	ErrUndefined = errors.New("undefined")
)

// Error describes bad input or an undefined quantity: which function was
// called, which argument or field was wrong, its value, and why.
//
// Err is the class: ErrInvalid, ErrUndefined, or a sentinel of a
// sub-package that wraps one of them; errors.Is sees it through Unwrap.
// The message reads
//
//	Func: Arg Value: Reason
//
// for example `kpi.NewRate: successes 12: exceeds trials 10`. When Reason is
// empty the message ends with Err's text instead.
type Error struct {
	Func   string // the function or method, such as "kpi.NewRate"
	Arg    string // the argument or field, such as "successes"
	Value  any    // the offending value
	Reason string // what is wrong with it; optional
	Err    error  // the class, for errors.Is
}

// Error returns the message "Func: Arg Value: Reason". An Arg or a value
// whose text is longer than 96 bytes is cut there, at a character
// boundary, and followed by "…" and its length, such as "aaaa… (10000000
// bytes)", so that an error about a huge or deeply nested input stays
// readable; a reason longer than 256 bytes, which only the text of
// another error that quotes input can be (encoding/json's "unknown field"
// names the key whole), is cut the same way.
func (e *Error) Error() string {
	reason := e.Reason
	if reason == "" && e.Err != nil {
		reason = e.Err.Error()
	}
	return e.Func + ": " + cut(e.Arg, maxValueText) + " " + cut(fmt.Sprint(e.Value), maxValueText) + ": " + cut(reason, maxReasonText)
}

// maxValueText is the most bytes of a value's text an error message
// quotes, maxReasonText the most of its reason (which may be another
// error's text that quotes input, such as encoding/json's unknown field).
const (
	maxValueText  = 96
	maxReasonText = 256
)

// cut shortens s to max bytes, at a rune boundary, followed by its
// length.
func cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// Unwrap returns the error's class, so that errors.Is(err, kpi.ErrInvalid)
// and the like work.
func (e *Error) Unwrap() error { return e.Err }

func invalid(fn, arg string, value any, reason string) error {
	return &Error{Func: fn, Arg: arg, Value: value, Reason: reason, Err: ErrInvalid}
}

func undefined(fn, arg string, value any, reason string) error {
	return &Error{Func: fn, Arg: arg, Value: value, Reason: reason, Err: ErrUndefined}
}

// count is a total of counts summed in float64, as an error names it: the
// integer while it is exact (up to 2⁵³), and "about" its four leading
// digits past that, where int64(n) would be rounded or, from 2⁶³, wrap.
func count(n float64) any {
	if n <= 1<<53 {
		return int64(n)
	}
	return "about " + strconv.FormatFloat(n, 'g', 4, 64)
}
