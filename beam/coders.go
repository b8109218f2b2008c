package kpibeam

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
	"github.com/kpiflow/kpi/internal/wire"
)

func init() {
	beam.RegisterCoder(reflect.TypeOf(funnel.Event{}), encodeEvent, decodeEvent)
	beam.RegisterCoder(reflect.TypeOf(batch(nil)), encodeBatch, decodeBatch)
	beam.RegisterCoder(reflect.TypeOf((*funnel.Counter)(nil)), encodeCounter, decodeCounter)
	beam.RegisterCoder(reflect.TypeOf((*funnel.Result)(nil)), encodeResult, decodeResult)
}

// batch is the events of one entity, grouped.
type batch []funnel.Event

// The kinds of the module's own encodings.
const (
	eventKind  = 'e'
	batchKind  = 'b'
	resultKind = 'r'

	// resultVersion 3 carries each step's time-to-convert Quantiles;
	// version 2 carried a result's Keys and Values (version 1 had one
	// breakdown Value) and whether each step is optional.
	resultVersion = 3
)

func writeEvent(w *wire.Writer, e *funnel.Event) {
	w.String(e.Entity)
	w.String(e.Name)
	w.Bool(!e.Time.IsZero())
	if !e.Time.IsZero() {
		w.Int(e.Time.Unix())
		w.Uint(uint64(e.Time.Nanosecond()))
	}
	w.Uint(uint64(len(e.Props)))
	for _, k := range slices.Sorted(maps.Keys(e.Props)) {
		w.String(k)
		w.String(e.Props[k])
	}
}

func readEvent(r *wire.Reader) funnel.Event {
	e := funnel.Event{Entity: r.String(), Name: r.String()}
	if r.Bool() {
		e.Time = time.Unix(r.Int(), int64(r.Small("nanoseconds", 999_999_999))).UTC()
	}
	if n := r.Count(2); n > 0 {
		e.Props = make(map[string]string, n)
		for range n {
			k := r.String()
			e.Props[k] = r.String()
		}
	}
	return e
}

func encodeEvent(e funnel.Event) []byte {
	w := wire.NewWriter(eventKind, 1, 32)
	writeEvent(w, &e)
	return w.Bytes()
}

func decodeEvent(b []byte) (funnel.Event, error) {
	r, _ := wire.NewReader(b, eventKind, 1)
	e := readEvent(r)
	return e, r.Done()
}

func encodeBatch(evs batch) []byte {
	w := wire.NewWriter(batchKind, 1, 32*len(evs))
	w.Uint(uint64(len(evs)))
	for i := range evs {
		writeEvent(w, &evs[i])
	}
	return w.Bytes()
}

func decodeBatch(b []byte) (batch, error) {
	r, _ := wire.NewReader(b, batchKind, 1)
	evs := make(batch, r.Count(3))
	for i := range evs {
		evs[i] = readEvent(r)
	}
	return evs, r.Done()
}

func encodeCounter(c *funnel.Counter) ([]byte, error) { return c.MarshalBinary() }

func decodeCounter(b []byte) (*funnel.Counter, error) {
	c := new(funnel.Counter)
	if err := c.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return c, nil
}

func writeStrings(w *wire.Writer, vs []string) {
	w.Bool(vs != nil)
	w.Uint(uint64(len(vs)))
	for _, v := range vs {
		w.String(v)
	}
}

func readStrings(r *wire.Reader) []string {
	has, n := r.Bool(), r.Count(1)
	if !has {
		return nil
	}
	vs := make([]string, n)
	for i := range vs {
		vs[i] = r.String()
	}
	return vs
}

func writeResult(w *wire.Writer, r *funnel.Result) {
	writeStrings(w, r.Keys)
	writeStrings(w, r.Values)
	w.Uint(uint64(len(r.Steps)))
	for _, s := range r.Steps {
		w.String(s.Step)
		w.Bool(s.Optional)
		w.Int(s.Reached)
		for _, rate := range []kpi.Rate{s.Rate, s.Cumulative} {
			w.Int(rate.Successes())
			w.Int(rate.Trials())
		}
		w.Int(s.Time.N)
		w.Int(int64(s.Time.Median))
		w.Int(int64(s.Time.P90))
		w.Bool(s.Time.Quantiles != nil)
		w.Uint(uint64(len(s.Time.Quantiles)))
		for _, q := range s.Time.Quantiles {
			w.Float(q.P)
			w.Int(int64(q.Time))
		}
		w.Int(int64(s.Time.Mean))
		w.Bool(s.Time.Bins != nil)
		w.Uint(uint64(len(s.Time.Bins)))
		for _, b := range s.Time.Bins {
			w.Int(int64(b.Upper))
			w.Int(b.Count)
		}
	}
	w.Bool(r.Breakdown != nil)
	w.Uint(uint64(len(r.Breakdown)))
	for i := range r.Breakdown {
		writeResult(w, &r.Breakdown[i])
	}
}

func readResult(r *wire.Reader, depth int) funnel.Result {
	res := funnel.Result{Keys: readStrings(r), Values: readStrings(r)}
	res.Steps = make([]funnel.StepResult, r.Count(8))
	for i := range res.Steps {
		s := &res.Steps[i]
		s.Step, s.Optional, s.Reached = r.String(), r.Bool(), r.Int()
		var rates [2]kpi.Rate
		for k := range rates {
			succ, trials := r.Int(), r.Int()
			rate, err := kpi.NewRate(succ, trials)
			if err != nil {
				r.Fail(err.Error())
			}
			rates[k] = rate
		}
		s.Rate, s.Cumulative = rates[0], rates[1]
		s.Time = funnel.Durations{N: r.Int(), Median: time.Duration(r.Int()), P90: time.Duration(r.Int())}
		if has, n := r.Bool(), r.Count(9); has {
			s.Time.Quantiles = make([]funnel.Quantile, n)
		}
		for k := range s.Time.Quantiles {
			s.Time.Quantiles[k] = funnel.Quantile{P: r.Float(), Time: time.Duration(r.Int())}
		}
		s.Time.Mean = time.Duration(r.Int())
		if has, n := r.Bool(), r.Count(2); has {
			s.Time.Bins = make([]funnel.Bin, n)
		}
		for k := range s.Time.Bins {
			s.Time.Bins[k] = funnel.Bin{Upper: time.Duration(r.Int()), Count: r.Int()}
		}
	}
	hasBreakdown := r.Bool()
	n := r.Count(2)
	if hasBreakdown {
		if depth > 0 && r.Err() == nil {
			r.Fail("a breakdown inside a breakdown")
		}
		res.Breakdown = make([]funnel.Result, n)
		for i := range res.Breakdown {
			res.Breakdown[i] = readResult(r, depth+1)
		}
	}
	return res
}

func encodeResult(r *funnel.Result) []byte {
	w := wire.NewWriter(resultKind, resultVersion, 256)
	writeResult(w, r)
	return w.Bytes()
}

func decodeResult(b []byte) (*funnel.Result, error) {
	r, version := wire.NewReader(b, resultKind, resultVersion)
	switch {
	case r.Err() != nil:
	case version < 2:
		r.Fail(fmt.Sprintf("version %d: a result of one breakdown property, before Keys and Values", version))
	case version < resultVersion:
		r.Fail(fmt.Sprintf("version %d: a result without its steps' time quantiles", version))
	}
	res := readResult(r, 0)
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("kpibeam: decoding a funnel result: %w", err)
	}
	return &res, nil
}
