// Package jsonx holds what the sub-packages' JSON forms share: strict
// decoding whose errors name the key and the value, a rate's interval in
// the shape of kpi.Interval, and null for an undefined number. It is not
// API.
package jsonx

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
	"github.com/kpiflow/kpi/internal/strict"
)

// Decode decodes one JSON value from data into v, rejecting unknown keys,
// keys that match a field only when case is ignored, keys given twice in
// one object (see internal/strict) and trailing data. Its errors are *kpi.Error values wrapping
// kpi.ErrInvalid, made by fn, that name the key path with the indexes of
// arrays (such as "steps[2].within") and the offending value; an error
// that a nested UnmarshalJSON or UnmarshalText returns keeps its value
// and reason, under the path of the value it failed on.
func Decode(fn string, data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return located(fn, data, reflect.TypeOf(v), err)
	}
	if dec.More() {
		return errs.Invalid(fn, "JSON", "trailing data", "one value expected")
	}
	if path, key, reason := strict.Keys(data, reflect.TypeOf(v)); reason != "" {
		return errs.Invalid(fn, cmp.Or(path, "JSON"), strconv.Quote(key), reason)
	}
	return nil
}

// pathClass wraps the class of an error whose Arg is a key path, so that
// an enclosing Decode prefixes its own path to it.
type pathClass struct{ error }

func (c pathClass) Unwrap() error { return c.error }

// located returns err, an error of decoding data into a value of type t,
// as a *kpi.Error made by fn whose Arg is the path of the innermost value
// that fails to decode.
func located(fn string, data []byte, t reflect.Type, err error) error {
	path := locate(data, t, 0)
	if key, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		// The error names the key; the path is the object's.
		if k, err := strconv.Unquote(key); err == nil && (path == k || strings.HasSuffix(path, "."+k)) {
			path = strings.TrimSuffix(strings.TrimSuffix(path, k), ".")
		}
	}
	var e *kpi.Error
	if !errors.As(Error(fn, err), &e) {
		return err
	}
	out := *e
	out.Func = fn
	var te *json.UnmarshalTypeError
	switch {
	case path == "":
	case out.Arg == "JSON" || errors.As(err, &te): // encoding/json's own, without indexes
		out.Arg = path
	default: // a nested decode's path, or a leaf's own argument such as a Rate's "successes"
		out.Arg = join(path, out.Arg)
	}
	var pc pathClass
	if !errors.As(out.Err, &pc) {
		out.Err = pathClass{out.Err}
	}
	return &out
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

// join joins two parts of a key path.
func join(path, sub string) string {
	switch {
	case path == "":
		return sub
	case sub == "" || sub == "JSON", path == sub, strings.HasSuffix(path, "."+sub):
		return path // a leaf that names its key as the path does: "mode"
	case sub[0] == '[':
		return path + sub
	}
	return path + "." + sub
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// locate returns the key path, from data, of the innermost value of data
// that does not decode into its part of t, or "" when data itself is that
// value: it stops at a type with its own UnmarshalJSON or UnmarshalText,
// whose error names what is wrong inside. It follows t, not data, so its
// depth is bounded by the type's.
func locate(data []byte, t reflect.Type, depth int) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if depth > 0 && (reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType)) {
		return ""
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		var elems []json.RawMessage
		if json.Unmarshal(data, &elems) != nil {
			return ""
		}
		for i, el := range elems {
			if fails(el, t.Elem()) {
				return join(fmt.Sprintf("[%d]", i), locate(el, t.Elem(), depth+1))
			}
		}
	case reflect.Map, reflect.Struct:
		var fields map[string]reflect.Type
		if t.Kind() == reflect.Struct {
			fields = map[string]reflect.Type{}
			structFields(t, fields)
		}
		for _, m := range members(data) {
			ft := t
			if fields == nil {
				ft = t.Elem()
			} else if ft = fields[m.key]; ft == nil {
				return m.key // an unknown key
			}
			if fails(m.value, ft) {
				return join(m.key, locate(m.value, ft, depth+1))
			}
		}
	}
	return ""
}

// member is one key and value of a JSON object.
type member struct {
	key   string
	value json.RawMessage
}

// members returns the members of the object data in their order, or nil
// when data is not an object.
func members(data []byte) []member {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return out
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return out
		}
		out = append(out, member{key, v})
	}
	return out
}

// fails reports whether data does not decode strictly into a value of
// type t.
func fails(data []byte, t reflect.Type) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(reflect.New(t).Interface()) != nil
}

// structFields adds t's fields to fields by the key encoding/json reads
// them under, with those of embedded structs at t's level.
func structFields(t reflect.Type, fields map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				structFields(ft, fields)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
		if _, ok := fields[strings.ToLower(name)]; !ok {
			fields[strings.ToLower(name)] = f.Type
		}
	}
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

// Seconds is a time.Duration whose JSON form is its exact number of
// seconds, such as 3600 or 0.25 or 1.000000001: a JSON number that reads
// back as the same Duration to the nanosecond.
type Seconds time.Duration

// MarshalJSON writes the duration as a number of seconds with up to nine
// decimals, exactly.
func (s Seconds) MarshalJSON() ([]byte, error) {
	return AppendSeconds(nil, time.Duration(s)), nil
}

// AppendSeconds appends d as an exact number of seconds.
func AppendSeconds(b []byte, d time.Duration) []byte {
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	if frac := u % 1e9; frac != 0 {
		var digits [10]byte
		s := strconv.AppendUint(digits[:0], 1e9+frac, 10)[1:] // nine digits with leading zeros
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		b = append(b, '.')
		b = append(b, s...)
	}
	return b
}

var (
	nanosPerSecond = decimal.New(1, 9)
	minDuration    = decimal.NewFromInt(math.MinInt64)
	maxDuration    = decimal.NewFromInt(math.MaxInt64)
)

// UnmarshalJSON reads a number of seconds, which must be a whole number
// of nanoseconds within the range of time.Duration.
func (s *Seconds) UnmarshalJSON(data []byte) error {
	const fn = "seconds"
	var n json.Number
	if len(data) == 0 || data[0] == '"' || json.Unmarshal(data, &n) != nil {
		return errs.Invalid(fn, "duration", string(data), "want a number of seconds")
	}
	if len(n) > 64 { // before parsing, which is quadratic in the digits
		return errs.Invalid(fn, "duration", string(n), "beyond the range of time.Duration (about 292 years)")
	}
	d, err := decimal.NewFromString(string(n))
	if err != nil {
		return errs.Invalid(fn, "duration", string(n), "want a number of seconds")
	}
	if d.Exponent() > 18 || d.Exponent() < -64 {
		// Reject before any arithmetic: 1e99999999 would make decimal
		// build a number of a hundred million digits.
		return errs.Invalid(fn, "duration", string(n), "beyond the range of time.Duration (about 292 years)")
	}
	ns := d.Mul(nanosPerSecond)
	if !ns.IsInteger() {
		return errs.Invalid(fn, "duration", string(n), "finer than a nanosecond")
	}
	if ns.LessThan(minDuration) || ns.GreaterThan(maxDuration) {
		return errs.Invalid(fn, "duration", string(n), "beyond the range of time.Duration (about 292 years)")
	}
	*s = Seconds(ns.IntPart())
	return nil
}

// Money is an amount of money in a wire struct: it decodes what
// decimal.Decimal's UnmarshalJSON reads, a decimal string or number (null
// leaves it 0), within the library's bound on money (internal/money.Check:
// 30 digits before the point, 18 after it), and refuses the rest before
// any cost that grows with the amount: a text of more than money.MaxText
// bytes before parsing it, which decimal does in time quadratic in the
// digits, and an exponent beyond the bound, such as 1e1000000000, without
// building its digits whatever decimal.MaxDecodeExponent is. Its errors
// quote the text, cut to money.MaxText bytes, and take the key path
// of the enclosing Decode.
type Money decimal.Decimal

// UnmarshalJSON reads an amount of money, as Money says.
func (m *Money) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	d, text, why := money.ParseJSON(data)
	if why != "" {
		return errs.Invalid("money", "JSON", text, why)
	}
	*m = Money(d)
	return nil
}

// AppendString appends s as a JSON string, as encoding/json writes it.
func AppendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// AppendFloat appends v as encoding/json writes a float64: the shortest
// decimal that reads back as v, in exponent form below 1e-6 and from
// 1e21 on. v must be finite.
func AppendFloat(b []byte, v float64) []byte {
	abs := math.Abs(v)
	f := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		f = 'e'
	}
	b = strconv.AppendFloat(b, v, f, -1, 64)
	if f == 'e' { // 1e-07 → 1e-7, as encoding/json writes it
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// AppendRate appends r as kpi.Rate's MarshalJSON writes it, without the
// work encoding/json does around a Marshaler.
func AppendRate(b []byte, r kpi.Rate) []byte {
	b = append(b, `{"successes":`...)
	b = strconv.AppendInt(b, r.Successes(), 10)
	b = append(b, `,"trials":`...)
	b = strconv.AppendInt(b, r.Trials(), 10)
	b = append(b, `,"value":`...)
	if v, err := r.Value(); err == nil {
		b = AppendFloat(b, v)
	} else {
		b = append(b, "null"...)
	}
	return append(b, '}')
}

// AppendRateInterval appends the kpi.Interval of RateInterval, or null.
func AppendRateInterval(b []byte, r kpi.Rate, method kpi.Method, level float64) []byte {
	lo, hi, err := r.Interval(method, level)
	if err != nil {
		return append(b, "null"...)
	}
	b = append(b, `{"lo":`...)
	b = AppendFloat(b, lo)
	b = append(b, `,"hi":`...)
	b = AppendFloat(b, hi)
	if level == 0.95 { // the usual level, without formatting it
		b = append(b, `,"level":0.95,"method":`...)
	} else {
		b = append(b, `,"level":`...)
		b = AppendFloat(b, level)
		b = append(b, `,"method":`...)
	}
	b = AppendString(b, method.String())
	return append(b, '}')
}

// AppendDecimal appends d as shopspring/decimal's MarshalJSON writes it, a
// decimal string such as "1019.7", without allocating when its coefficient
// has at most 18 digits and the package's formatting globals are at their
// defaults (otherwise through MarshalJSON itself).
func AppendDecimal(b []byte, d decimal.Decimal) []byte {
	if !fastDecimal(d) {
		s, _ := d.MarshalJSON() // never fails
		return append(b, s...)
	}
	b = append(b, '"')
	b = appendDecimal(b, d.CoefficientInt64(), d.Exponent())
	return append(b, '"')
}

// AppendDecimalText appends d as its String method writes it, such as
// 1019.7, without allocating in the cases AppendDecimal does not.
func AppendDecimalText(b []byte, d decimal.Decimal) []byte {
	if !fastDecimal(d) {
		return append(b, d.String()...)
	}
	return appendDecimal(b, d.CoefficientInt64(), d.Exponent())
}

// fastDecimal reports whether appendDecimal writes d as d.String() does.
func fastDecimal(d decimal.Decimal) bool {
	return !decimal.MarshalJSONWithoutQuotes && decimal.TrimTrailingZeros && !decimal.UseScientificNotation &&
		d.Exponent() >= -40 && d.Exponent() <= 40 && d.NumDigits() <= 18
}

// appendDecimal appends coef·10^exp as decimal's String writes it: all
// the integer digits, and the fraction without trailing zeros.
func appendDecimal(b []byte, coef int64, exp int32) []byte {
	if coef == 0 {
		return append(b, '0')
	}
	u := uint64(coef)
	if coef < 0 {
		b = append(b, '-')
		u = -u
	}
	var digits [20]byte
	s := strconv.AppendUint(digits[:0], u, 10)
	if exp >= 0 {
		b = append(b, s...)
		for range exp {
			b = append(b, '0')
		}
		return b
	}
	n := int(-exp)
	lead := 0
	if len(s) > n {
		b = append(b, s[:len(s)-n]...)
		s = s[len(s)-n:]
	} else {
		b = append(b, '0')
		lead = n - len(s)
	}
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) == 0 {
		return b
	}
	b = append(b, '.')
	for range lead {
		b = append(b, '0')
	}
	return append(b, s...)
}

// AppendTime appends t as time.Time's MarshalJSON writes it, an RFC 3339
// string with nanoseconds as needed. It never fails: a time that
// MarshalJSON refuses (a year outside 0–9999, which the library's bounds
// exclude) is written in the same layout.
func AppendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
