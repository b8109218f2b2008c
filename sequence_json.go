package kpi

import (
	"encoding/json"
	"errors"
)

// sequenceJSON and diffSequenceJSON are the wire forms of the sequences;
// pointers tell a missing key from a zero.
type sequenceJSON struct {
	Alpha     *float64 `json:"alpha"`
	Successes *int64   `json:"successes"`
	Trials    *int64   `json:"trials"`
}

type diffSequenceJSON struct {
	Alpha *float64 `json:"alpha"`
	A     *Rate    `json:"a"`
	B     *Rate    `json:"b"`
}

// MarshalJSON writes the sequence as its level and counts,
//
//	{"alpha": 0.05, "successes": 161, "trials": 400}
//
// so that a dashboard can store it and go on adding looks after loading
// it. An Alpha that is not finite is written as 0. MarshalJSON never
// fails.
func (s Sequence) MarshalJSON() ([]byte, error) {
	a := finite(s.Alpha)
	return json.Marshal(sequenceJSON{Alpha: &a, Successes: &s.Successes, Trials: &s.Trials})
}

// UnmarshalJSON reads the form MarshalJSON writes. Decoding is strict:
// every key is required, unknown keys are errors, alpha must lie in
// (0, 1), and the counts must pass NewRate with at most MaxTrials trials.
// Every error is an *Error wrapping ErrInvalid that names the key.
func (s *Sequence) UnmarshalJSON(data []byte) error {
	const fn = "kpi.Sequence.UnmarshalJSON"
	var w sequenceJSON
	if err := decodeStrict(fn, data, &w); err != nil {
		return err
	}
	switch {
	case w.Alpha == nil:
		return invalid(fn, "alpha", "missing", "required")
	case w.Successes == nil:
		return invalid(fn, "successes", "missing", "required")
	case w.Trials == nil:
		return invalid(fn, "trials", "missing", "required")
	case !checkUnit(*w.Alpha):
		return invalid(fn, "alpha", *w.Alpha, "must lie in (0, 1)")
	case *w.Trials > MaxTrials:
		return invalid(fn, "trials", *w.Trials, "exceeds MaxTrials (2^40)")
	}
	if _, err := NewRate(*w.Successes, *w.Trials); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return invalid(fn, e.Arg, e.Value, e.Reason)
		}
		return err
	}
	*s = Sequence{Alpha: *w.Alpha, Successes: *w.Successes, Trials: *w.Trials}
	return nil
}

// MarshalJSON writes the sequence as its level and the arms' rates,
//
//	{"alpha": 0.05, "a": Rate, "b": Rate}
//
// An Alpha that is not finite is written as 0. MarshalJSON never fails.
func (s DiffSequence) MarshalJSON() ([]byte, error) {
	a := finite(s.Alpha)
	return json.Marshal(diffSequenceJSON{Alpha: &a, A: &s.A, B: &s.B})
}

// UnmarshalJSON reads the form MarshalJSON writes. Decoding is strict:
// every key is required, unknown keys are errors, alpha must lie in
// (0, 1), each rate decodes as Rate does and has at most MaxTrials trials.
// Every error is an *Error wrapping ErrInvalid that names the key.
func (s *DiffSequence) UnmarshalJSON(data []byte) error {
	const fn = "kpi.DiffSequence.UnmarshalJSON"
	var w diffSequenceJSON
	if err := decodeStrict(fn, data, &w); err != nil {
		return err
	}
	switch {
	case w.Alpha == nil:
		return invalid(fn, "alpha", "missing", "required")
	case w.A == nil:
		return invalid(fn, "a", "missing", "required")
	case w.B == nil:
		return invalid(fn, "b", "missing", "required")
	case !checkUnit(*w.Alpha):
		return invalid(fn, "alpha", *w.Alpha, "must lie in (0, 1)")
	}
	if err := checkTrials(fn, "a.trials", *w.A); err != nil {
		return err
	}
	if err := checkTrials(fn, "b.trials", *w.B); err != nil {
		return err
	}
	*s = DiffSequence{Alpha: *w.Alpha, A: *w.A, B: *w.B}
	return nil
}
