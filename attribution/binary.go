package attribution

import (
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/wire"
)

// The binary form of Journeys: kind 'J', version 1.
const (
	journeysKind    = 'J'
	journeysVersion = 1
)

// bigScale marks a value written as a decimal's coefficient and exponent.
const bigScale = 0xff

// MarshalBinary encodes the journeys compactly, so that a partial
// aggregate can travel between processes (a distributed engine's combiner
// ships its accumulators this way) and be merged there.
//
// The format is versioned ("kp", kind 'J', version 1): the channel names,
// then per journey its channels' ids, its touches' times (as differences
// from the touch before) and marks when any touch has them, its
// conversions, nulls and value as a mantissa and a scale, or, beyond
// int64, as a decimal coefficient of at most 48 digits (the bound on
// money: 30 before the point, 18 after) and an exponent. A journey of a
// few touches without times takes about 2 bytes a touch plus 4 to 8.
// The error is always nil; a nil Journeys encodes as an empty one.
func (js *Journeys) MarshalBinary() ([]byte, error) {
	if js == nil {
		js = &Journeys{}
	}
	w := wire.NewWriter(journeysKind, journeysVersion, 16*len(js.names)+4*len(js.ch)+8*len(js.conv))
	w.Uint(uint64(len(js.names)))
	for _, n := range js.names {
		w.String(n)
	}
	w.Uint(uint64(js.Len()))
	w.Bool(js.times != nil)
	w.Bool(js.marks != nil)
	for i := range js.Len() {
		lo, hi := js.off[i], js.off[i+1]
		w.Uint(uint64(hi - lo))
		for _, c := range js.ch[lo:hi] {
			w.Uint(uint64(c))
		}
		if js.times != nil {
			prev := int64(0)
			for _, t := range js.times[lo:hi] {
				w.Int(t - prev) // wraps, and unwraps on reading
				prev = t
			}
		}
		if js.marks != nil {
			for _, m := range js.marks[lo:hi] {
				w.Byte(byte(m))
			}
		}
		w.Uint(uint64(js.conv[i]))
		w.Uint(uint64(js.nulls[i]))
		if v, ok := js.valBig[i]; ok {
			w.Byte(bigScale)
			w.String(v.Coefficient().String())
			w.Int(int64(v.Exponent()))
			continue
		}
		w.Byte(js.valS[i])
		w.Uint(uint64(js.valM[i]))
	}
	return w.Bytes(), nil
}

// UnmarshalBinary replaces the journeys with those MarshalBinary encoded,
// checked as Add checks them: channel names neither empty nor blank nor
// repeated and valid UTF-8, every journey with touches of known channels
// and marks of known milestones (Lead, Opportunity, Won), counts and
// values as Add accepts them, totals within int64.
//
// Errors, wrapping kpi.ErrInvalid and leaving the journeys as they were:
// data that are not an encoding of Journeys of a version this build
// reads, and truncated, malformed or invalid data (the error gives the
// byte offset); a nil receiver.
func (js *Journeys) UnmarshalBinary(data []byte) error {
	const fn = "attribution.Journeys.UnmarshalBinary"
	if js == nil {
		return errs.Invalid(fn, "js", nil, "nil Journeys")
	}
	r, _ := wire.NewReader(data, journeysKind, journeysVersion)
	out := &Journeys{}
	for range r.Count(1) {
		name := r.String()
		if _, dup := out.index[name]; dup || strings.TrimSpace(name) == "" {
			r.Fail(fmt.Sprintf("channel name %q empty or repeated", name))
			break
		}
		if !utf8.ValidString(name) {
			r.Fail(fmt.Sprintf("channel name %q not valid UTF-8", name))
			break
		}
		out.intern(name)
	}
	n := r.Count(4)
	hasTimes, hasMarks := r.Bool(), r.Bool()
	if hasTimes {
		out.times = []int64{}
	}
	if hasMarks {
		out.marks = []Mark{}
	}
	for i := 0; i < n && r.Err() == nil; i++ {
		out.readJourney(r, i)
	}
	if err := r.Done(); err != nil {
		return wire.Invalid(fn, data, err)
	}
	*js = *out
	return nil
}

// readJourney reads journey i and appends it.
func (js *Journeys) readJourney(r *wire.Reader, i int) {
	k := r.Count(1)
	if r.Err() == nil && k == 0 {
		r.Fail(fmt.Sprintf("journey %d: empty path", i))
	}
	for range k {
		c := r.Uint()
		if c >= uint64(len(js.names)) {
			r.Fail(fmt.Sprintf("journey %d: channel id %d of %d channels", i, c, len(js.names)))
			return
		}
		js.ch = append(js.ch, int32(c))
	}
	if js.times != nil {
		prev := int64(0)
		for range k {
			prev += r.Int()
			js.times = append(js.times, prev)
		}
	}
	if js.marks != nil {
		for x := range k {
			m := Mark(r.Byte())
			if r.Err() == nil && m&^knownMarks != 0 {
				r.Fail(fmt.Sprintf("journey %d: touch %d marks %d: unknown milestone", i, x, m))
				return
			}
			js.marks = append(js.marks, m)
		}
	}
	conv, nulls := r.Uint(), r.Uint()
	scale := r.Byte()
	var m int64
	var v decimal.Decimal
	var isBig bool
	switch {
	case scale == bigScale:
		if v, isBig = readBig(r, i); !isBig {
			return
		}
	case scale > maxPlaces:
		r.Fail(fmt.Sprintf("journey %d: value scale %d exceeds %d", i, scale, maxPlaces))
		return
	default:
		u := r.Uint()
		if r.Err() == nil && (u > 1<<63-1 || (u == 0 && scale != 0)) {
			r.Fail(fmt.Sprintf("journey %d: value mantissa %d at scale %d", i, u, scale))
			return
		}
		m = int64(u)
		v = decimal.New(m, -int32(scale))
	}
	if r.Err() != nil {
		return
	}
	if conv > 1<<63-1 || nulls > 1<<63-1 {
		r.Fail(fmt.Sprintf("journey %d: counts %d and %d out of range", i, conv, nulls))
		return
	}
	if fe := checkCounts(int64(conv), int64(nulls), js.convSum, js.nullSum, !v.IsZero()); fe != nil {
		if fe.arg == "value" {
			fe.value = v
		}
		r.Fail(fmt.Sprintf("journey %d %s %v: %s", i, fe.arg, fe.value, fe.reason))
		return
	}
	js.push(int64(conv), int64(nulls), m, scale, isBig, v)
}

// readBig reads journey i's value written as a decimal coefficient and an
// exponent, for a value beyond a mantissa and a scale, and reports whether
// it is one Add accepts. Its digits before the point are at most
// maxDigits (money.MaxDigits). This build writes at most maxPlaces places
// (money.MaxPlaces), so at most maxDigits + maxPlaces digits in all;
// earlier builds kept the zeros Add was given past maxPlaces places, which
// are read too, down to an exponent of −(maxDigits + maxPlaces).
func readBig(r *wire.Reader, i int) (decimal.Decimal, bool) {
	s := r.String()
	exp := r.Int()
	if r.Err() != nil {
		return decimal.Zero, false
	}
	if exp < -maxPlaces-maxDigits || exp >= maxDigits {
		r.Fail(fmt.Sprintf("journey %d value: exponent %d outside %d to %d", i, exp, -maxPlaces-maxDigits, maxDigits-1))
		return decimal.Zero, false
	}
	if int64(len(s))+exp > maxDigits {
		r.Fail(fmt.Sprintf("journey %d value: %d digits at exponent %d: more than %d digits before the point", i, len(s), exp, maxDigits))
		return decimal.Zero, false
	}
	coef, ok := new(big.Int).SetString(s, 10)
	if !ok || coef.String() != s {
		r.Fail(fmt.Sprintf("journey %d value: coefficient %q not a decimal number in its one form", i, s))
		return decimal.Zero, false
	}
	v := decimal.NewFromBigInt(coef, int32(exp))
	if _, _, isBig, fe := splitValue(v); fe != nil || !isBig {
		r.Fail(fmt.Sprintf("journey %d: value %s not a large value Add accepts", i, v))
		return decimal.Zero, false
	}
	return v, true
}
