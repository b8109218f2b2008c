package attribution

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/jsonx"
)

// markNames are the milestones' names in JSON.
var markNames = []struct {
	m    Mark
	name string
}{{Lead, "lead"}, {Opportunity, "opportunity"}, {Won, "won"}}

// MarshalText returns the milestones joined by "|", such as
// "lead|opportunity", and "" for none. A value with unknown bits is an
// error wrapping kpi.ErrInvalid.
func (m Mark) MarshalText() ([]byte, error) {
	if m&^knownMarks != 0 {
		return nil, errs.Invalid("attribution.Mark.MarshalText", "marks", int(m), "unknown milestone")
	}
	var parts []string
	for _, n := range markNames {
		if m&n.m != 0 {
			parts = append(parts, n.name)
		}
	}
	return []byte(strings.Join(parts, "|")), nil
}

// UnmarshalText reads milestones as MarshalText writes them.
func (m *Mark) UnmarshalText(text []byte) error {
	var v Mark
	if len(text) > 0 {
		for _, part := range strings.Split(string(text), "|") {
			found := false
			for _, n := range markNames {
				if part == n.name {
					v |= n.m
					found = true
				}
			}
			if !found {
				return errs.Invalid("attribution.Mark.UnmarshalText", "marks", fmt.Sprintf("%q", part), "unknown milestone")
			}
		}
	}
	*m = v
	return nil
}

// UnmarshalJSON reads a journey as its fields' JSON keys write it,
//
//	{"touches": [{"channel": "search", "time": "2026-04-01T09:30:00Z",
//	  "marks": "lead"}, {"channel": "email", "marks": ""}],
//	 "conversions": 2, "value": "48000", "nulls": 3}
//
// (a touch's time left out when unknown), and checks it as Journeys.Add
// does. Decoding is strict: unknown keys are errors. Errors are
// *kpi.Error values wrapping kpi.ErrInvalid; a value beyond the library's
// bound on money (30 digits before the point, 18 after it), such as
// 1e1000000000, or a text of it longer than 64 bytes, is refused before it
// is parsed out, the error naming the key and quoting it short.
func (j *Journey) UnmarshalJSON(data []byte) error {
	const fn = "attribution.Journey.UnmarshalJSON"
	var w struct { // Journey's keys, with the value bounded as it is decoded
		Touches     []Touch     `json:"touches"`
		Conversions int64       `json:"conversions"`
		Value       jsonx.Money `json:"value"`
		Nulls       int64       `json:"nulls"`
	}
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	v := Journey{Touches: w.Touches, Conversions: w.Conversions, Value: decimal.Decimal(w.Value), Nulls: w.Nulls}
	if _, _, _, fe := checkJourney(v, 0, 0); fe != nil {
		return errs.Invalid(fn, fe.arg, fe.value, fe.reason)
	}
	*j = v
	return nil
}
