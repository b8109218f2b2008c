// Package jsonx holds what the sub-packages' JSON forms share: strict
// decoding whose errors name the key and the value, a rate's interval in
// the shape of kpi.Interval, and null for an undefined number. It is not
// API.
package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// Decode decodes one JSON value from data into v, rejecting unknown keys
// and trailing data. Its errors are *kpi.Error values wrapping
// kpi.ErrInvalid, made by fn, that name the key path (such as
// "stages.count") and the offending value; an error a nested
// UnmarshalJSON returns is passed on as it is.
func Decode(fn string, data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return Error(fn, err)
	}
	if dec.More() {
		return errs.Invalid(fn, "JSON", "trailing data", "one value expected")
	}
	return nil
}

// Error turns an error of encoding/json into a *kpi.Error made by fn; a
// *kpi.Error is returned as it is.
func Error(fn string, err error) error {
	var ke *kpi.Error
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &ke):
		return err
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "JSON"
		}
		return errs.Invalid(fn, field, te.Value, "cannot be decoded into "+te.Type.String())
	case errors.As(err, &se):
		return errs.Invalid(fn, "JSON", fmt.Sprintf("offset %d", se.Offset), se.Error())
	}
	return errs.Invalid(fn, "JSON", "document", err.Error())
}

// RateInterval returns r's interval by method at level, or nil when it is
// undefined (a rate with no trials) or the method or level is not valid.
func RateInterval(r kpi.Rate, method kpi.Method, level float64) *kpi.Interval {
	lo, hi, err := r.Interval(method, level)
	if err != nil {
		return nil
	}
	return &kpi.Interval{Lo: lo, Hi: hi, Level: level, Method: method.String()}
}

// Float returns &v, or nil when v is NaN or infinite, for a key that is
// null when its quantity is undefined.
func Float(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
