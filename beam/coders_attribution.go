package kpibeam

import (
	"fmt"
	"math/big"
	"reflect"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/internal/wire"
)

func init() {
	beam.RegisterCoder(reflect.TypeOf(attribution.Journey{}), encodeJourney, decodeJourney)
	beam.RegisterCoder(reflect.TypeOf((*attribution.Journeys)(nil)), encodeJourneys, decodeJourneys)
	beam.RegisterCoder(reflect.TypeOf((*attribution.Result)(nil)), encodeAttribution, decodeAttribution)
	beam.RegisterCoder(reflect.TypeOf((*attribution.Chain)(nil)), encodeChain, decodeChain)
}

const (
	journeyKind     = 'j'
	attributionKind = 'a'
)

func writeDecimal(w *wire.Writer, d decimal.Decimal) {
	w.String(d.Coefficient().String())
	w.Int(int64(d.Exponent()))
}

func readDecimal(r *wire.Reader) decimal.Decimal {
	s, exp := r.String(), r.Int()
	if r.Err() != nil {
		return decimal.Decimal{}
	}
	c, ok := new(big.Int).SetString(s, 10)
	if !ok || len(s) > 80 || exp < -1000 || exp > 1000 {
		r.Fail(fmt.Sprintf("decimal %se%d out of range", s, exp))
		return decimal.Decimal{}
	}
	return decimal.NewFromBigInt(c, int32(exp))
}

func encodeJourney(j attribution.Journey) []byte {
	w := wire.NewWriter(journeyKind, 1, 16*len(j.Touches)+16)
	w.Uint(uint64(len(j.Touches)))
	for _, t := range j.Touches {
		w.String(t.Channel)
		w.Bool(!t.Time.IsZero())
		if !t.Time.IsZero() {
			w.Int(t.Time.Unix())
			w.Uint(uint64(t.Time.Nanosecond()))
		}
		w.Byte(byte(t.Marks))
	}
	w.Int(j.Conversions)
	w.Int(j.Nulls)
	writeDecimal(w, j.Value)
	return w.Bytes()
}

func decodeJourney(b []byte) (attribution.Journey, error) {
	r, _ := wire.NewReader(b, journeyKind, 1)
	j := attribution.Journey{Touches: make([]attribution.Touch, r.Count(3))}
	for i := range j.Touches {
		t := &j.Touches[i]
		t.Channel = r.String()
		if r.Bool() {
			t.Time = time.Unix(r.Int(), int64(r.Small("nanoseconds", 999_999_999))).UTC()
		}
		t.Marks = attribution.Mark(r.Byte())
	}
	j.Conversions, j.Nulls = r.Int(), r.Int()
	j.Value = readDecimal(r)
	return j, r.Done()
}

func encodeJourneys(js *attribution.Journeys) ([]byte, error) { return js.MarshalBinary() }

func decodeJourneys(b []byte) (*attribution.Journeys, error) {
	js := &attribution.Journeys{}
	if err := js.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return js, nil
}

func encodeChain(c *attribution.Chain) ([]byte, error) { return c.MarshalBinary() }

func decodeChain(b []byte) (*attribution.Chain, error) {
	c := &attribution.Chain{}
	if err := c.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return c, nil
}

// encodeAttribution writes a model's result; a Bootstrap's intervals do
// not travel.
func encodeAttribution(res *attribution.Result) ([]byte, error) {
	w := wire.NewWriter(attributionKind, 1, 64+48*len(res.Credits))
	w.String(res.Model)
	w.Int(res.Conversions)
	writeDecimal(w, res.Value)
	w.Float(res.Conversion)
	w.Int(int64(res.Replicates))
	w.Bool(res.Credits != nil)
	w.Uint(uint64(len(res.Credits)))
	for _, c := range res.Credits {
		if c.Interval != nil {
			return nil, fmt.Errorf("kpibeam: a Bootstrap's credit intervals (channel %q) cannot be encoded", c.Channel)
		}
		w.String(c.Channel)
		w.Float(c.Conversions)
		writeDecimal(w, c.Value)
		w.Float(c.Removal)
		w.Float(c.ValueRemoval)
		w.Bool(c.Positions != nil)
		w.Uint(uint64(len(c.Positions)))
		for _, p := range c.Positions {
			w.Float(p)
		}
	}
	return w.Bytes(), nil
}

func decodeAttribution(b []byte) (*attribution.Result, error) {
	r, _ := wire.NewReader(b, attributionKind, 1)
	res := &attribution.Result{Model: r.String(), Conversions: r.Int(), Value: readDecimal(r), Conversion: r.Float(), Replicates: int(r.Int())}
	if has, n := r.Bool(), r.Count(20); has {
		res.Credits = make([]attribution.Credit, n)
	}
	for i := range res.Credits {
		c := &res.Credits[i]
		c.Channel = r.String()
		c.Conversions = r.Float()
		c.Value = readDecimal(r)
		c.Removal, c.ValueRemoval = r.Float(), r.Float()
		has := r.Bool()
		n := r.Count(8)
		if has {
			c.Positions = make([]float64, n)
			for k := range c.Positions {
				c.Positions[k] = r.Float()
			}
		}
	}
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("kpibeam: decoding an attribution result: %w", err)
	}
	return res, nil
}
