package attribution

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
)

// Mark is a set of milestones reached at a touch: the touch at which the
// lead was created, the opportunity was created or the deal was won. Marks
// combine with |.
type Mark uint8

// The milestones a touch can carry.
const (
	Lead        Mark = 1 << iota // the lead was created at this touch
	Opportunity                  // the opportunity was created at this touch
	Won                          // the deal was closed-won at this touch

	knownMarks = Lead | Opportunity | Won
)

// Touch is one contact of a buyer with a channel.
type Touch struct {
	Channel string    `json:"channel"`       // the channel's name; not empty
	Time    time.Time `json:"time,omitzero"` // when it happened; the zero Time means unknown
	Marks   Mark      `json:"marks"`         // the milestones reached at this touch, if any
}

// Journey is an ordered list of touches together with its outcome, in the
// aggregate form ChannelAttribution uses: Conversions journeys that took
// this path converted, with total value Value, and Nulls journeys took the
// same path without converting.
type Journey struct {
	Touches     []Touch         `json:"touches"`
	Conversions int64           `json:"conversions"`
	Value       decimal.Decimal `json:"value"`
	Nulls       int64           `json:"nulls"`
}

// noTime marks a touch whose time is unknown.
const noTime = math.MinInt64

// maxPlaces bounds the decimal places of a journey's value, maxDigits its
// digits before the point, the library's bound on money (money.MaxPlaces,
// money.MaxDigits): money beyond 10³⁰ is not money, and the bound keeps a
// hostile value such as 1e999999999 from expanding into a billion-digit
// number.
const (
	maxPlaces = money.MaxPlaces
	maxDigits = money.MaxDigits
)

// canonical returns a value splitValue accepted without the zeros it may
// carry past maxPlaces decimal places (1.5 written 1.50000000000000000000):
// kept, its coefficient has at most maxDigits + maxPlaces digits, the
// bound the binary form reads, and its places at most maxPlaces.
func canonical(v decimal.Decimal) decimal.Decimal {
	if v.Exponent() < -maxPlaces {
		return v.Truncate(maxPlaces)
	}
	return v
}

// Journeys is an accumulator of journeys, following the kpi accumulator
// contract: the data every model reads. Add appends a journey, AddAll a
// stream of them, Merge appends another accumulator's journeys (never its
// own: that is an error), so partitions can be built in parallel and
// combined; the models' Attribute methods read it out without changing it.
// The zero Journeys is empty and ready to use. A Journeys must not be
// copied after first use and is not safe for concurrent use.
//
// Journeys keeps every journey it is given, in order; journeys with the
// same path are not combined, which gives the same results, since every
// model is additive over journeys.
type Journeys struct {
	names []string         // channel names by id, in order of first appearance
	index map[string]int32 // channel name → id
	cache *[256]cached     // recent names, for reading; nil until used

	ch    []int32 // the channel ids of all touches, journey after journey
	off   []int   // journey i has touches ch[off[i]:off[i+1]]; len = Len()+1 once non-empty
	times []int64 // touch times in Unix nanoseconds or noTime; nil while no touch has a time
	marks []Mark  // touch marks; nil while no touch has a mark

	conv   []int64
	nulls  []int64
	valM   []int64 // value mantissa; the value is valM[i]·10^-valS[i] …
	valS   []uint8
	valBig map[int]decimal.Decimal // … unless it is too large, then it is here

	convSum, nullSum int64
	total            sum
	places           int32 // the most decimal places of any value

	canon []int32   // the journeys in canonical order, while none is added (see canonical)
	rec   *recorder // set on a bootstrap's view only: rule models record their shares here
}

// Len returns the number of journeys added.
func (js *Journeys) Len() int { return len(js.conv) }

// Channels returns the names of the channels seen, sorted.
func (js *Journeys) Channels() []string {
	out := slices.Clone(js.names)
	slices.Sort(out)
	return out
}

// Conversions returns the total number of conversions.
func (js *Journeys) Conversions() int64 { return js.convSum }

// Nulls returns the total number of journeys that did not convert.
func (js *Journeys) Nulls() int64 { return js.nullSum }

// Value returns the total conversion value, exactly.
func (js *Journeys) Value() decimal.Decimal { return js.total.decimal() }

// Add appends a journey.
//
// Errors, all wrapping kpi.ErrInvalid and naming the journey by its index
// (the number of journeys added before it): no touches; a channel name that
// is empty or only blanks, or not valid UTF-8 (which JSON, writing U+FFFD
// for the bad bytes, would turn into another name); marks with bits other
// than Lead, Opportunity and Won (which JSON could not write); negative
// conversions, nulls or value; a value on
// a journey without conversions; a value with more than 18 decimal places
// or more than 30 digits before the point; totals that overflow int64. A journey that fails is not added.
func (js *Journeys) Add(j Journey) error {
	m, sc, big, fe := checkJourney(j, js.convSum, js.nullSum)
	if fe != nil {
		return errs.Invalid("attribution.Journeys.Add", fmt.Sprintf("journey %d %s", js.Len(), fe.arg), fe.value, fe.reason)
	}
	for _, t := range j.Touches {
		js.ch = append(js.ch, js.intern(t.Channel))
	}
	base := len(js.ch) - len(j.Touches)
	for _, t := range j.Touches {
		if !t.Time.IsZero() && js.times == nil {
			js.times = make([]int64, base, len(js.ch))
			for x := range js.times {
				js.times[x] = noTime
			}
		}
		if t.Marks != 0 && js.marks == nil {
			js.marks = make([]Mark, base, len(js.ch))
		}
	}
	for _, t := range j.Touches {
		if js.times != nil {
			v := int64(noTime)
			if !t.Time.IsZero() {
				v = t.Time.UnixNano()
			}
			js.times = append(js.times, v)
		}
		if js.marks != nil {
			js.marks = append(js.marks, t.Marks)
		}
	}
	js.push(j.Conversions, j.Nulls, m, sc, big, j.Value)
	return nil
}

// checkJourney validates a journey to be added to totals convSum and
// nullSum, and splits its value (see splitValue).
func checkJourney(j Journey, convSum, nullSum int64) (m int64, scale uint8, big bool, fe *fieldErr) {
	if len(j.Touches) == 0 {
		return 0, 0, false, &fieldErr{"touches", len(j.Touches), "empty path"}
	}
	for k, t := range j.Touches {
		if strings.TrimSpace(t.Channel) == "" {
			return 0, 0, false, &fieldErr{fmt.Sprintf("touch %d channel", k), fmt.Sprintf("%q", t.Channel), "empty channel name"}
		}
		if !utf8.ValidString(t.Channel) { // JSON would write it as another name
			return 0, 0, false, &fieldErr{fmt.Sprintf("touch %d channel", k), fmt.Sprintf("%q", t.Channel), "not valid UTF-8"}
		}
		if !t.Time.IsZero() && !errs.InRange(t.Time) {
			return 0, 0, false, &fieldErr{fmt.Sprintf("touch %d time", k), t.Time.UTC().Format(time.RFC3339Nano), errs.TimeReason}
		}
		if t.Marks&^knownMarks != 0 { // MarshalText would refuse them
			return 0, 0, false, &fieldErr{fmt.Sprintf("touch %d marks", k), int(t.Marks), "unknown milestone"}
		}
	}
	if m, scale, big, fe = splitValue(j.Value); fe != nil {
		return 0, 0, false, fe
	}
	if fe = checkCounts(j.Conversions, j.Nulls, convSum, nullSum, !j.Value.IsZero()); fe != nil && fe.arg == "value" {
		fe.value = j.Value
	}
	return m, scale, big, fe
}

// AddAll adds the journeys of seq in order, stopping at the first that
// fails, with the error Add gives; the journeys before it stay added. A
// nil seq adds nothing.
func (js *Journeys) AddAll(seq iter.Seq[Journey]) error {
	if seq == nil {
		return nil
	}
	for j := range seq {
		if err := js.Add(j); err != nil {
			return err
		}
	}
	return nil
}

// fieldErr is a validation failure before the caller knows its position.
type fieldErr struct {
	arg    string
	value  any
	reason string
}

// checkCounts validates a journey's counts against the running totals
// convSum and nullSum.
// hasValue says whether the journey's value is not zero; an error about
// the value leaves the value for the caller to fill in.
func checkCounts(conv, nulls, convSum, nullSum int64, hasValue bool) *fieldErr {
	switch {
	case conv < 0:
		return &fieldErr{"conversions", conv, "negative count"}
	case nulls < 0:
		return &fieldErr{"nulls", nulls, "negative count"}
	case hasValue && conv == 0:
		return &fieldErr{"value", nil, "value on a journey without conversions"}
	case conv > math.MaxInt64-convSum || nulls > math.MaxInt64-nullSum || conv+nulls < 0 ||
		conv+nulls > math.MaxInt64-convSum-nullSum:
		return &fieldErr{"conversions", conv, "totals overflow int64"}
	}
	return nil
}

// splitValue writes a value as mantissa·10^-scale when that fits in an
// int64, or returns big = true.
func splitValue(v decimal.Decimal) (m int64, scale uint8, big bool, err *fieldErr) {
	if v.Sign() < 0 {
		// Quoted short: -3e1073741824 written out is a billion digits,
		// which a probe's error message spent minutes writing.
		return 0, 0, false, &fieldErr{"value", money.Text(v), "negative value"}
	}
	if v.IsZero() {
		return 0, 0, false, nil
	}
	e := v.Exponent()
	if int64(v.NumDigits())+int64(e) > maxDigits {
		return 0, 0, false, &fieldErr{"value", fmt.Sprintf("%se%d", v.Coefficient(), e), fmt.Sprintf("more than %d digits before the point", maxDigits)}
	}
	if e < -maxPlaces && int64(-e-maxPlaces) >= int64(v.NumDigits()) {
		// Only zeros could make up the extra places, and the value is not 0.
		return 0, 0, false, &fieldErr{"value", fmt.Sprintf("%se%d", v.Coefficient(), e), fmt.Sprintf("more than %d decimal places", maxPlaces)}
	}
	if e < -maxPlaces {
		r := v.Truncate(maxPlaces)
		if !r.Equal(v) {
			return 0, 0, false, &fieldErr{"value", v, fmt.Sprintf("more than %d decimal places", maxPlaces)}
		}
		v, e = r, r.Exponent()
	}
	if e <= 0 && v.NumDigits() <= 18 {
		return v.CoefficientInt64(), uint8(-e), false, nil
	}
	if e > 0 {
		if b := v.BigInt(); b.IsInt64() {
			return b.Int64(), 0, false, nil
		}
	}
	return 0, 0, true, nil
}

// room makes room for one more element in s, doubling its capacity when
// full: append grows large slices by only 1.25, which copies a large
// accumulator many times over.
func room[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s), 64))
}

// push appends a validated journey's counts and value.
func (js *Journeys) push(conv, nulls, m int64, s uint8, big bool, v decimal.Decimal) {
	if len(js.off) == 0 {
		js.off = append(js.off, 0)
	}
	js.off, js.conv, js.nulls = room(js.off), room(js.conv), room(js.nulls)
	js.valM, js.valS = room(js.valM), room(js.valS)
	js.off = append(js.off, len(js.ch))
	js.conv = append(js.conv, conv)
	js.nulls = append(js.nulls, nulls)
	js.convSum += conv
	js.nullSum += nulls
	if big {
		if js.valBig == nil {
			js.valBig = map[int]decimal.Decimal{}
		}
		v = canonical(v)
		js.valBig[len(js.valM)] = v
		js.valM = append(js.valM, 0)
		js.valS = append(js.valS, 0)
		js.total.addDecimal(v)
		if p := -v.Exponent(); p > js.places {
			js.places = p
		}
		return
	}
	js.valM = append(js.valM, m)
	js.valS = append(js.valS, s)
	js.total.add(m, s)
	if int32(s) > js.places {
		js.places = int32(s)
	}
}

// intern returns the id of a channel name, adding it if new.
func (js *Journeys) intern(name string) int32 {
	if id, ok := js.index[name]; ok {
		return id
	}
	if js.index == nil {
		js.index = map[string]int32{}
	}
	id := int32(len(js.names))
	js.names = append(js.names, name)
	js.index[name] = id
	return id
}

// internField is intern for a name that is part of a larger string, such
// as a CSV record: it looks the name up as it is and copies it only when
// it is new, so as not to keep the record alive.
//
// A small direct-mapped cache, keyed by the name's length and last bytes,
// answers before the map: a file has few channels, met over and over, and
// the cache costs one string comparison where the map costs a hash.
func (js *Journeys) internField(name string) int32 {
	if js.cache == nil {
		js.cache = new([256]cached)
	}
	n := len(name)
	h := uint8(n) * 37
	if n > 0 {
		h += name[n-1]
		if n > 1 {
			h += name[n-2] * 131
		}
	}
	if c := &js.cache[h]; c.name == name && c.ok {
		return c.id
	}
	id, ok := js.index[name]
	if !ok {
		id = js.intern(strings.Clone(name))
	}
	js.cache[h] = cached{name: js.names[id], id: id, ok: true}
	return id
}

// cached is a slot of the cache of internField.
type cached struct {
	name string
	id   int32
	ok   bool
}

// Merge appends the journeys of o, in order, after those of js, as if
// each had been added with Add, and leaves o unchanged. The channels of o
// are matched to those of js by name.
//
// Errors wrap kpi.ErrInvalid, and leave js as it was: o nil, o the same
// Journeys as js (merge a copy made with Read or Add to count journeys
// twice), or totals that would overflow int64.
func (js *Journeys) Merge(o *Journeys) error {
	const fn = "attribution.Journeys.Merge"
	switch {
	case o == nil:
		return errs.Invalid(fn, "o", o, "nil Journeys")
	case o == js:
		return errs.Invalid(fn, "o", fmt.Sprintf("%p", o), "merging Journeys with itself")
	}
	if o.convSum > math.MaxInt64-js.convSum || o.nullSum > math.MaxInt64-js.nullSum ||
		o.convSum+o.nullSum > math.MaxInt64-js.convSum-js.nullSum {
		return errs.Invalid(fn, "o conversions", o.convSum, "totals overflow int64")
	}
	remap := make([]int32, len(o.names))
	for id, name := range o.names {
		remap[id] = js.intern(name)
	}
	n0 := len(js.ch)
	switch {
	case o.times != nil && js.times == nil:
		js.times = make([]int64, n0, n0+len(o.ch))
		for x := range js.times {
			js.times[x] = noTime
		}
		js.times = append(js.times, o.times...)
	case o.times != nil:
		js.times = append(js.times, o.times...)
	case js.times != nil:
		for range o.ch {
			js.times = append(js.times, noTime)
		}
	}
	switch {
	case o.marks != nil && js.marks == nil:
		js.marks = make([]Mark, n0, n0+len(o.ch))
		js.marks = append(js.marks, o.marks...)
	case o.marks != nil:
		js.marks = append(js.marks, o.marks...)
	case js.marks != nil:
		js.marks = append(js.marks, make([]Mark, len(o.ch))...)
	}
	for _, c := range o.ch {
		js.ch = append(js.ch, remap[c])
	}
	for i := range o.Len() {
		if len(js.off) == 0 {
			js.off = append(js.off, 0)
		}
		js.off = append(js.off, n0+o.off[i+1])
		js.conv = append(js.conv, o.conv[i])
		js.nulls = append(js.nulls, o.nulls[i])
		if v, ok := o.valBig[i]; ok {
			if js.valBig == nil {
				js.valBig = map[int]decimal.Decimal{}
			}
			js.valBig[len(js.valM)] = v
		}
		js.valM = append(js.valM, o.valM[i])
		js.valS = append(js.valS, o.valS[i])
	}
	js.convSum += o.convSum
	js.nullSum += o.nullSum
	js.total.merge(&o.total)
	js.places = max(js.places, o.places)
	return nil
}

// path returns the channel ids of journey i.
func (js *Journeys) path(i int) []int32 { return js.ch[js.off[i]:js.off[i+1]] }

// value returns journey i's value as a float64, for weighting.
func (js *Journeys) value(i int) float64 {
	if m := js.valM[i]; m != 0 || js.valBig == nil {
		return float64(m) / pow10[js.valS[i]]
	}
	if v, ok := js.valBig[i]; ok {
		return v.InexactFloat64()
	}
	return 0
}

var pow10 = func() (p [maxPlaces + 1]float64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// sum adds non-negative decimal values exactly and fast: values with the
// same scale are added as int64 and spill into a decimal before they could
// overflow.
type sum struct {
	units [maxPlaces + 1]int64
	spill decimal.Decimal
}

func (s *sum) add(m int64, scale uint8) {
	if s.units[scale] > math.MaxInt64-m {
		s.spill = s.spill.Add(decimal.New(s.units[scale], -int32(scale)))
		s.units[scale] = 0
	}
	s.units[scale] += m
}

func (s *sum) addDecimal(v decimal.Decimal) { s.spill = s.spill.Add(v) }

func (s *sum) merge(o *sum) {
	for scale, m := range o.units {
		s.add(m, uint8(scale))
	}
	s.spill = s.spill.Add(o.spill)
}

func (s *sum) decimal() decimal.Decimal {
	t := s.spill
	for scale, m := range s.units {
		if m != 0 {
			t = t.Add(decimal.New(m, -int32(scale)))
		}
	}
	return t
}
