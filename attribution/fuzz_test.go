package attribution_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// models are every model with its usual settings.
var models = []attribution.Model{
	attribution.First{}, attribution.Last{}, attribution.LastNonDirect{}, attribution.Linear{}, attribution.Linear{Distinct: true},
	attribution.UShaped, attribution.JShaped, attribution.InverseJ, attribution.Position{First: 0.1, Last: 0.7},
	attribution.WShaped{}, attribution.FullPath{}, attribution.Custom{Weights: []float64{0.5, 0.1, 0.1, 0.3}},
	attribution.Markov{Order: 1}, attribution.Markov{Order: 2}, attribution.Markov{Order: 3},
	attribution.Shapley{}, attribution.Shapley{Method: attribution.Ordered}, attribution.Shapley{Method: attribution.Exact},
}

// runModels checks every model's invariants on js.
func runModels(t *testing.T, js *attribution.Journeys, extra ...attribution.Model) {
	for _, m := range append(models, extra...) {
		r, err := m.Attribute(js)
		if err != nil {
			var ke *kpi.Error
			if !errors.As(err, &ke) {
				t.Fatalf("%T: error %v is not a *kpi.Error", m, err)
			}
			switch {
			case errors.Is(err, kpi.ErrUndefined) && js.Conversions() == 0:
			case strings.Contains(err.Error(), "exact Shapley allows"):
			case errors.Is(err, kpi.ErrInvalid) && strings.Contains(err.Error(), ": total value ") &&
				js.Value().Cmp(decimal.New(1, 30)) >= 0:
				// Values within the bound on money that add up past it,
				// as FuzzJourneysBinary's merge of a seed with itself does.
			default:
				t.Fatalf("%T: %v", m, err)
			}
			continue
		}
		checkInvariants(t, js, r)
	}
}

// fuzzReadBytes caps the input FuzzRead reads, and fuzzReadChannels and
// fuzzReadJourneys the journeys it runs every model on, as
// fuzzCounterEvents caps FuzzCounter's events. Go's minimiser tries a
// number of candidates quadratic in an interesting input's length without
// counting them as execs (about 130 000 at 512 bytes), and the order-2
// and order-3 Markov models take milliseconds a call on ten channels or
// more: uncapped, the target sat minimising at "0 execs/s" for up to 24 s
// at a time. 256 bytes hold every header, quoting and number case of the
// seeds; FuzzJourneys and FuzzWriteRead run the models on larger
// journeys.
const (
	fuzzReadBytes    = 256
	fuzzReadChannels = 8
	fuzzReadJourneys = 32
)

// FuzzRead reads arbitrary CSV; what it accepts must satisfy every
// model's invariants and survive a round trip through Write.
func FuzzRead(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(chainData))
	f.Add([]byte(demo))
	f.Add([]byte("path;total_conversions;total_conversion_value;total_null\na > a > b;3;1e3;0\n\"b\";1;0.000000000000000001;2\n"))
	f.Add([]byte("path;total_conversions\r\nx>y>x>y>x;2.00\r\n"))
	f.Add([]byte("path;total_conversions;total_conversion_value \n0;1;1e100"))
	f.Add([]byte("path;total_conversions;total_conversion_value\na;1;1e999999999\nb;1;1e-999999999\nc;1;10e-19\n"))
	f.Add([]byte("path;total_conversions;total_conversion_value;total_null\na;1;99999999999999999999999.5;0\nb;0;0;9223372036854775806\n"))
	f.Add([]byte("path;total_conversions\n\"a\rb\";1\n\"x\r\ny\";1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = data[:min(len(data), fuzzReadBytes)]
		js, err := attribution.Read(bytes.NewReader(data), attribution.Format{})
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if len(js.Channels()) <= fuzzReadChannels && js.Len() <= fuzzReadJourneys {
			runModels(t, js)
		}
		var buf bytes.Buffer
		if err := attribution.Write(&buf, js, attribution.Format{}); err != nil {
			t.Fatalf("writing what Read read: %v", err) // Read trims names and cuts them at the separator
		}
		back, err := attribution.Read(&buf, attribution.Format{})
		if err != nil {
			t.Fatalf("reading back %q: %v", buf.String(), err)
		}
		if back.Len() != js.Len() || back.Conversions() != js.Conversions() || back.Nulls() != js.Nulls() || !back.Value().Equal(js.Value()) {
			t.Fatalf("round trip changed the journeys")
		}
	})
}

// FuzzJourneys builds journeys with times and marks from bytes: each
// touch is two bytes (channel, then days since the last touch in the low
// 5 bits and marks in the high 3), and a zero byte ends a journey.
func FuzzJourneys(f *testing.F) {
	f.Add([]byte{1, 0, 2, 0x27, 3, 0x41, 0, 5, 3, 1}, int64(2), int64(3), int64(12345), uint8(2))
	f.Add([]byte{7, 0xff, 7, 0xff, 9, 0}, int64(1), int64(0), int64(1), uint8(0))
	f.Add([]byte{}, int64(0), int64(0), int64(0), uint8(0))
	f.Add([]byte{1, 0xe1, 0xf1, 0x21, 0}, int64(1), int64(0), int64(0), uint8(0)) // a probe: marks 7, then 1|(0xf1&0x0f)<<3 = 9, an unknown bit (data[i] ≥ 0xf0)
	f.Fuzz(func(t *testing.T, data []byte, conv, nulls, cents int64, places uint8) {
		var js attribution.Journeys
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		var touches []attribution.Touch
		at := start
		flush := func() {
			j := attribution.Journey{Touches: touches, Conversions: conv, Nulls: nulls, Value: decimal.New(cents, -int32(places%20))}
			if err := js.Add(j); err != nil {
				if !errors.Is(err, kpi.ErrInvalid) {
					t.Fatalf("error %v does not wrap ErrInvalid", err)
				}
			} else if _, err := json.Marshal(j); err != nil {
				t.Fatalf("journey added but not written: %v", err) // a probe: unknown marks were
			}
			touches, at = nil, start
			conv, nulls, cents = conv/2+1, nulls+1, cents/3
		}
		for i := 0; i+1 < len(data) && js.Len() < 50; i += 2 {
			if data[i] == 0 {
				flush()
				continue
			}
			at = at.Add(time.Duration(data[i+1]&0x1f) * 24 * time.Hour)
			marks := attribution.Mark(data[i+1] >> 5)
			if data[i] >= 0xf0 {
				marks |= attribution.Mark(data[i]&0x0f) << 3 // unknown milestones, which Add refuses
			}
			touches = append(touches, attribution.Touch{
				Channel: string(rune('a' + data[i]%24)),
				Time:    at,
				Marks:   marks,
			})
		}
		flush()
		runModels(t, &js, attribution.TimeDecay{}, attribution.TimeDecay{HalfLife: time.Hour})
	})
}

// FuzzWriteRead writes journeys whose channel names are arbitrary text
// (cut from name at '|'): what Write accepts, Read must give back equal,
// names, paths and counts, so that writing it again gives the same bytes.
func FuzzWriteRead(f *testing.F) {
	f.Add("a|b;c|say \"hi\"", int64(2), int64(3), int64(1234), byte(';'))
	f.Add("x\ny|,|\"", int64(0), int64(1), int64(0), byte(','))
	f.Add("tab\there| lead|trail |a > b", int64(1), int64(0), int64(5), byte('\t'))
	f.Add("cr\rlone|crlf\r\nx", int64(1), int64(1), int64(7), byte(';'))
	f.Fuzz(func(t *testing.T, names string, conv, nulls, cents int64, comma byte) {
		ff := attribution.Format{Comma: rune(comma)}
		var js attribution.Journeys
		parts := strings.Split(names, "|")
		for k := range parts {
			j := attribution.Journey{Conversions: conv, Nulls: nulls}
			if conv > 0 {
				j.Value = decimal.New(cents, -2)
			}
			for _, p := range parts[k:] {
				j.Touches = append(j.Touches, attribution.Touch{Channel: p})
			}
			if err := js.Add(j); err != nil {
				return
			}
		}
		var first bytes.Buffer
		if err := attribution.Write(&first, &js, ff); err != nil {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		back, err := attribution.Read(bytes.NewReader(first.Bytes()), ff)
		if err != nil {
			t.Fatalf("reading back %q: %v", first.String(), err)
		}
		if back.Len() != js.Len() || back.Conversions() != js.Conversions() || back.Nulls() != js.Nulls() || !back.Value().Equal(js.Value()) {
			t.Fatalf("round trip changed the totals of %q", first.String())
		}
		if !slices.Equal(back.Channels(), js.Channels()) {
			t.Fatalf("round trip changed the channels %q into %q", js.Channels(), back.Channels())
		}
		var second bytes.Buffer
		if err := attribution.Write(&second, back, ff); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Fatalf("round trip changed %q into %q", first.String(), second.String())
		}
	})
}
