package funnel

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/jsonx"
)

// MarshalJSON writes the step with its three rates and the 95 % Wilson
// interval of its rate that the funnel's table prints, null when the step
// has no trials:
//
//	{"from": "MQL", "to": "SQL", "rate": {...}, "dropOff": {...},
//	 "cumulative": {...}, "interval": {"lo": 0.34, "hi": 0.46,
//	 "level": 0.95, "method": "Wilson"}}
func (s Step) MarshalJSON() ([]byte, error) {
	return s.appendJSON(make([]byte, 0, 384)), nil
}

// appendJSON appends the step's JSON form to b, without the work
// encoding/json does around a Marshaler.
func (s Step) appendJSON(b []byte) []byte {
	b = append(b, `{"from":`...)
	b = jsonx.AppendString(b, s.From)
	b = append(b, `,"to":`...)
	b = jsonx.AppendString(b, s.To)
	b = append(b, `,"rate":`...)
	b = jsonx.AppendRate(b, s.Rate)
	b = append(b, `,"dropOff":`...)
	b = jsonx.AppendRate(b, s.DropOff)
	b = append(b, `,"cumulative":`...)
	b = jsonx.AppendRate(b, s.Cumulative)
	b = append(b, `,"interval":`...)
	b = jsonx.AppendRateInterval(b, s.Rate, kpi.Wilson, tableConfidence)
	return append(b, '}')
}

// MarshalJSON writes the funnel as its stages, top first, and its steps:
//
//	{"stages": [{"name": "Visit", "count": 12000}, ...],
//	 "steps": [Step, ...]}
//
// The zero Funnel writes empty lists.
func (f *Funnel) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 64+48*len(f.stages)+384*len(f.steps))
	b = append(b, `{"stages":[`...)
	for i, st := range f.stages {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = jsonx.AppendString(b, st.Name)
		b = append(b, `,"count":`...)
		b = strconv.AppendInt(b, st.Count, 10)
		b = append(b, '}')
	}
	b = append(b, `],"steps":[`...)
	for i, s := range f.steps {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendJSON(b)
	}
	return append(b, "]}"...), nil
}

// funnelInJSON is the wire form of a Funnel on input: the steps, derived
// from the stages, are only compared with them.
type funnelInJSON struct {
	Stages []Stage          `json:"stages"`
	Steps  *json.RawMessage `json:"steps"`
}

// UnmarshalJSON reads a funnel from its stages, as MarshalJSON writes
// them; "steps" may be left out, and when present must be what the stages
// give. The stages are checked as New checks them, and decoding is strict:
// unknown keys are errors. Errors are *kpi.Error values wrapping
// kpi.ErrInvalid.
func (f *Funnel) UnmarshalJSON(data []byte) error {
	const fn = "funnel.Funnel.UnmarshalJSON"
	var w funnelInJSON
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	g, err := build(fn, w.Stages)
	if err != nil {
		return err
	}
	if w.Steps != nil {
		var got, want any
		b, _ := json.Marshal(g.steps)
		_ = json.Unmarshal(b, &want)
		if err := json.Unmarshal(*w.Steps, &got); err != nil || !jsonEqual(got, want) {
			return errs.Invalid(fn, "steps", "given", "differ from the steps of the stages; leave them out")
		}
	}
	*f = *g
	return nil
}

// jsonEqual reports whether two decoded JSON values are equal.
func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// verdictKeys are the verdicts' names in JSON.
var verdictKeys = [...]string{
	TooLittleData:  "TooLittleData",
	Met:            "Met",
	Below:          "Below",
	BelowConfident: "BelowConfident",
}

// MarshalText returns the verdict's constant name, such as
// "BelowConfident", so that a Verdict reads in JSON as a string. A value
// that is not one of the constants is an error wrapping kpi.ErrInvalid.
func (v Verdict) MarshalText() ([]byte, error) {
	if v < 0 || int(v) >= len(verdictKeys) {
		return nil, errs.Invalid("funnel.Verdict.MarshalText", "verdict", int(v), "unknown verdict")
	}
	return []byte(verdictKeys[v]), nil
}

// UnmarshalText reads a verdict's name as MarshalText writes it.
func (v *Verdict) UnmarshalText(text []byte) error {
	for i, k := range verdictKeys {
		if string(text) == k {
			*v = Verdict(i)
			return nil
		}
	}
	return errs.Invalid("funnel.Verdict.UnmarshalText", "verdict", fmt.Sprintf("%q", text), "unknown verdict")
}

// bottleneckJSON is the wire form of a Bottleneck.
type bottleneckJSON struct {
	Check
	Gain      *float64 `json:"gain"`
	Estimated bool     `json:"estimated"`
}

// MarshalJSON writes the bottleneck as its Check's keys (step, target,
// verdict, p) with its gain in final-stage outcomes, null when it could not
// be estimated:
//
//	{"step": Step, "target": 0.5, "verdict": "BelowConfident",
//	 "p": 0.0008, "gain": 1.58, "estimated": true}
func (b Bottleneck) MarshalJSON() ([]byte, error) {
	w := bottleneckJSON{Check: b.Check, Estimated: b.Estimated}
	if b.Estimated {
		w.Gain = jsonx.Float(b.Gain)
	}
	return json.Marshal(w)
}

// segmentRateJSON is the wire form of a SegmentRate.
type segmentRateJSON struct {
	Segment  string        `json:"segment"`
	Rate     kpi.Rate      `json:"rate"`
	Interval *kpi.Interval `json:"interval"`
}

// MarshalJSON writes the segment's rate with the interval it carries, its
// method and level, as the spread's table prints it:
//
//	{"segment": "ads", "rate": Rate, "interval": {"lo": 0.020,
//	 "hi": 0.025, "level": 0.95, "method": "Wilson"}}
//
// The interval is null when there is none to write: a level outside
// (0, 1), an unknown method or an end that is not finite, as in the zero
// SegmentRate.
func (r SegmentRate) MarshalJSON() ([]byte, error) {
	w := segmentRateJSON{Segment: r.Segment, Rate: r.Rate}
	if name, err := r.Method.MarshalText(); err == nil && r.Level > 0 && r.Level < 1 && jsonx.Float(r.Lo) != nil && jsonx.Float(r.Hi) != nil {
		w.Interval = &kpi.Interval{Lo: r.Lo, Hi: r.Hi, Level: r.Level, Method: string(name)}
	}
	return json.Marshal(w)
}

// changeJSON is the wire form of a Change.
type changeJSON struct {
	Step        string          `json:"step"`
	A           kpi.Rate        `json:"a"`
	B           kpi.Rate        `json:"b"`
	Tested      bool            `json:"tested"`
	Significant bool            `json:"significant"`
	Comparison  *kpi.Comparison `json:"comparison"`
	AdjustedP   float64         `json:"adjustedP"`
	Family      int             `json:"family"`
	Adjustment  kpi.Adjustment  `json:"adjustment"`
}

// MarshalJSON writes the change as the step, the two rates, whether it
// was tested and found significant, and the comparison with its tests,
// which is null for a step that was not tested:
//
//	{"step": "SQL", "a": Rate, "b": Rate, "tested": true,
//	 "significant": false, "comparison": Comparison,
//	 "adjustedP": 0.96, "family": 3, "adjustment": "Holm"}
func (c Change) MarshalJSON() ([]byte, error) {
	w := changeJSON{Step: c.Step, A: c.A, B: c.B, Tested: c.Tested, Significant: c.Significant,
		AdjustedP: c.AdjustedP, Family: c.Family, Adjustment: c.Adjustment}
	if c.Tested {
		w.Comparison = &c.Comparison
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a model as its fields' JSON keys write it,
//
//	{"stages": ["Lead", "MQL", "SQL"], "rates": [0.4, 0.5],
//	 "dealSize": "24000", "costs": {"Lead": "45"}}
//
// with money as decimal strings (or numbers), and checks it as Plan does.
// Decoding is strict: unknown keys are errors. Errors are *kpi.Error
// values wrapping kpi.ErrInvalid; an amount beyond the library's bound on
// money (30 digits before the point, 18 after it), such as 1e1000000000,
// or a text of it longer than 64 bytes, is refused before it is parsed
// out, the error naming its key and quoting it short.
func (m *Model) UnmarshalJSON(data []byte) error {
	const fn = "funnel.Model.UnmarshalJSON"
	var w struct { // Model's keys, with money bounded as it is decoded
		Stages   []string               `json:"stages"`
		Rates    []float64              `json:"rates"`
		DealSize jsonx.Money            `json:"dealSize"`
		Costs    map[string]jsonx.Money `json:"costs"`
	}
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	v := Model{Stages: w.Stages, Rates: w.Rates, DealSize: decimal.Decimal(w.DealSize)}
	if w.Costs != nil {
		v.Costs = make(map[string]decimal.Decimal, len(w.Costs))
		for k, c := range w.Costs {
			v.Costs[k] = decimal.Decimal(c)
		}
	}
	if err := v.check(fn); err != nil {
		return err
	}
	*m = v
	return nil
}

// UnmarshalJSON reads targets as an object of stage names and rates,
// {"SQL": 0.5, "Won": 0.25}, each in (0, 1] as Check requires. Errors are
// *kpi.Error values wrapping kpi.ErrInvalid that name the stage.
func (t *Targets) UnmarshalJSON(data []byte) error {
	const fn = "funnel.Targets.UnmarshalJSON"
	var w map[string]float64
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	for name, v := range w {
		if !(v > 0 && v <= 1) {
			return errs.Invalid(fn, fmt.Sprintf("target %q", name), v, "must lie in (0, 1]")
		}
	}
	*t = w
	return nil
}

// modeNames are the mode flags' names, as String writes them.
var modeNames = []struct {
	m    Mode
	name string
}{{StrictOrder, "strict_order"}, {StrictDedup, "strict_deduplication"}, {StrictIncrease, "strict_increase"}, {StrictOnce, "strict_once"}}

// MarshalText returns the mode as String writes it, such as
// "strict_order|strict_increase" or "default". A value with unknown flags
// is an error wrapping kpi.ErrInvalid.
func (m Mode) MarshalText() ([]byte, error) {
	if m&^allModes != 0 {
		return nil, errs.Invalid("funnel.Mode.MarshalText", "mode", int(m), "unknown mode")
	}
	return []byte(m.String()), nil
}

// UnmarshalText reads a mode as MarshalText writes it: "default", or
// windowFunnel's mode names joined by "|".
func (m *Mode) UnmarshalText(text []byte) error {
	const fn = "funnel.Mode.UnmarshalText"
	s := string(text)
	if s == "default" {
		*m = Default
		return nil
	}
	var v Mode
	for _, part := range strings.Split(s, "|") {
		found := false
		for _, f := range modeNames {
			if part == f.name {
				v |= f.m
				found = true
			}
		}
		if !found {
			return errs.Invalid(fn, "mode", fmt.Sprintf("%q", part), "unknown mode")
		}
	}
	*m = v
	return nil
}

// countingNames are the countings' names in JSON.
var countingNames = [...]string{Unique: "unique", Totals: "totals"}

// MarshalText returns "unique" or "totals". Any other value is an error
// wrapping kpi.ErrInvalid.
func (c Counting) MarshalText() ([]byte, error) {
	if int(c) >= len(countingNames) {
		return nil, errs.Invalid("funnel.Counting.MarshalText", "counting", int(c), "unknown counting")
	}
	return []byte(countingNames[c]), nil
}

// UnmarshalText reads "unique" or "totals".
func (c *Counting) UnmarshalText(text []byte) error {
	for i, n := range countingNames {
		if string(text) == n {
			*c = Counting(i)
			return nil
		}
	}
	return errs.Invalid("funnel.Counting.UnmarshalText", "counting", fmt.Sprintf("%q", text), "unknown counting")
}

// matchJSON is the wire form of a Match.
type matchJSON struct {
	Step     string            `json:"step,omitempty"`
	Event    string            `json:"event"`
	Where    map[string]string `json:"where,omitempty"`
	Within   jsonx.Seconds     `json:"within,omitempty"`
	Optional bool              `json:"optional,omitempty"`
	Later    bool              `json:"later,omitempty"`
	Any      []Match           `json:"any,omitempty"`
}

func (m Match) wire() matchJSON {
	return matchJSON{Step: m.Step, Event: m.Event, Where: m.Where, Within: jsonx.Seconds(m.Within),
		Optional: m.Optional, Later: m.Later, Any: m.Any}
}

// match returns the wire form's Match. An empty "where" is no condition
// and an empty "any" no alternative, nil, as MarshalJSON leaves them out.
func (w matchJSON) match() Match {
	if len(w.Where) == 0 {
		w.Where = nil
	}
	if len(w.Any) == 0 {
		w.Any = nil
	}
	return Match{Step: w.Step, Event: w.Event, Where: w.Where, Within: time.Duration(w.Within),
		Optional: w.Optional, Later: w.Later, Any: w.Any}
}

// MarshalJSON writes the match with its window in seconds; empty keys are
// left out:
//
//	{"step": "Demo", "event": "demo_request", "where": {"type": "demo"},
//	 "within": 604800, "optional": true, "later": true,
//	 "any": [{"event": "trial_start"}]}
func (m Match) MarshalJSON() ([]byte, error) { return json.Marshal(m.wire()) }

// UnmarshalJSON reads a match as MarshalJSON writes it. Decoding is strict:
// unknown keys are errors; the match is checked with its definition.
func (m *Match) UnmarshalJSON(data []byte) error {
	var w matchJSON
	if err := jsonx.Decode("funnel.Match.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	*m = w.match()
	return nil
}

// exclusionJSON is the wire form of an Exclusion.
type exclusionJSON struct {
	matchJSON
	From int `json:"from"`
	To   int `json:"to"`
}

// MarshalJSON writes the exclusion as its match's keys with the steps it
// lies between:
//
//	{"event": "unsubscribe", "from": 0, "to": 2}
func (x Exclusion) MarshalJSON() ([]byte, error) {
	return json.Marshal(exclusionJSON{matchJSON: x.Match.wire(), From: x.From, To: x.To})
}

// UnmarshalJSON reads an exclusion as MarshalJSON writes it. Decoding is
// strict; the exclusion is checked with its definition.
func (x *Exclusion) UnmarshalJSON(data []byte) error {
	var w exclusionJSON
	if err := jsonx.Decode("funnel.Exclusion.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	*x = Exclusion{Match: w.match(), From: w.From, To: w.To}
	return nil
}

// definitionJSON is the wire form of a Definition.
type definitionJSON struct {
	Steps      []Match         `json:"steps"`
	Window     jsonx.Seconds   `json:"window"`
	Mode       Mode            `json:"mode"`
	Counting   Counting        `json:"counting"`
	Exclusions []Exclusion     `json:"exclusions,omitempty"`
	Hold       string          `json:"hold,omitempty"`
	Breakdown  []string        `json:"breakdown,omitempty"`
	Bins       []jsonx.Seconds `json:"bins"`
	Quantiles  []float64       `json:"quantiles,omitempty"`
}

// MarshalJSON writes the definition with durations in seconds and the
// mode and counting by name; empty keys are left out, but for "bins",
// null for DefaultBins and [] for a histogram of one bin:
//
//	{"steps": [Match, ...], "window": 2592000, "mode": "strict_order",
//	 "counting": "unique", "exclusions": [Exclusion, ...], "hold": "deal",
//	 "breakdown": ["month", "channel"], "bins": [60, 3600],
//	 "quantiles": [0.75, 0.99]}
func (d Definition) MarshalJSON() ([]byte, error) {
	w := definitionJSON{Steps: d.Steps, Window: jsonx.Seconds(d.Window), Mode: d.Mode, Counting: d.Counting,
		Exclusions: d.Exclusions, Hold: d.Hold, Breakdown: d.Breakdown, Quantiles: d.Quantiles}
	if d.Mode&^allModes != 0 {
		return nil, errs.Invalid("funnel.Definition.MarshalJSON", "mode", int(d.Mode), "unknown mode")
	}
	if d.Bins != nil {
		w.Bins = make([]jsonx.Seconds, len(d.Bins))
		for i, b := range d.Bins {
			w.Bins[i] = jsonx.Seconds(b)
		}
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, jsonx.Error("funnel.Definition.MarshalJSON", err)
	}
	return b, nil
}

// UnmarshalJSON reads a definition as MarshalJSON writes it, and checks it
// as NewCounter does. Decoding is strict: unknown keys are errors. Errors
// are *kpi.Error values wrapping kpi.ErrInvalid.
func (d *Definition) UnmarshalJSON(data []byte) error {
	const fn = "funnel.Definition.UnmarshalJSON"
	var w definitionJSON
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	v := Definition{Steps: w.Steps, Window: time.Duration(w.Window), Mode: w.Mode, Counting: w.Counting,
		Exclusions: w.Exclusions, Hold: w.Hold, Breakdown: w.Breakdown}
	if len(v.Exclusions) == 0 {
		v.Exclusions = nil // none, as MarshalJSON leaves them out
	}
	if len(v.Breakdown) == 0 {
		v.Breakdown = nil
	}
	if len(w.Quantiles) > 0 {
		v.Quantiles = w.Quantiles // none is nil, as MarshalJSON leaves them out
	}
	if w.Bins != nil {
		v.Bins = make([]time.Duration, len(w.Bins))
		for i, b := range w.Bins {
			v.Bins[i] = time.Duration(b)
		}
	}
	if _, err := compile(fn, v); err != nil {
		return err
	}
	*d = v
	return nil
}

// stepResultJSON is the wire form of a StepResult.
type stepResultJSON struct {
	Step       string        `json:"step"`
	Optional   bool          `json:"optional,omitempty"`
	Reached    int64         `json:"reached"`
	Rate       kpi.Rate      `json:"rate"`
	Cumulative kpi.Rate      `json:"cumulative"`
	Interval   *kpi.Interval `json:"interval"`
	Time       Durations     `json:"time"`
}

// MarshalJSON writes the step with its counts and rates, the 95 % Wilson
// interval of its rate (null when the step has no trials), and its times;
// "optional" is there, true, only for an optional step:
//
//	{"step": "demo", "optional": true, "reached": 40, "rate": Rate, "cumulative": Rate,
//	 "interval": Interval, "time": Durations}
func (s StepResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(stepResultJSON{
		Step: s.Step, Optional: s.Optional, Reached: s.Reached, Rate: s.Rate, Cumulative: s.Cumulative,
		Interval: jsonx.RateInterval(s.Rate, kpi.Wilson, tableConfidence), Time: s.Time,
	})
}

// durationsJSON is the wire form of Durations.
type durationsJSON struct {
	N         int64          `json:"n"`
	Median    *jsonx.Seconds `json:"median"`
	P90       *jsonx.Seconds `json:"p90"`
	Quantiles []quantileJSON `json:"quantiles,omitempty"`
	Mean      *jsonx.Seconds `json:"mean"`
	Bins      []Bin          `json:"bins"`
}

// quantileJSON is the wire form of a Quantile.
type quantileJSON struct {
	P    float64        `json:"p"`
	Time *jsonx.Seconds `json:"time"`
}

// MarshalJSON writes the times in seconds, with the quantiles asked (the
// key left out when none are); with no times (n = 0) the median, 90th
// percentile, mean and the quantiles' times are null:
//
//	{"n": 40, "median": 86400, "p90": 432000,
//	 "quantiles": [{"p": 0.99, "time": 604800}], "mean": 129600.5,
//	 "bins": [Bin, ...]}
func (d Durations) MarshalJSON() ([]byte, error) {
	w := durationsJSON{N: d.N, Bins: d.Bins}
	if w.Bins == nil {
		w.Bins = []Bin{}
	}
	if d.N > 0 {
		med, p90, mean := jsonx.Seconds(d.Median), jsonx.Seconds(d.P90), jsonx.Seconds(d.Mean)
		w.Median, w.P90, w.Mean = &med, &p90, &mean
	}
	if len(d.Quantiles) > 0 {
		w.Quantiles = make([]quantileJSON, len(d.Quantiles))
		secs := make([]jsonx.Seconds, len(d.Quantiles))
		for i, q := range d.Quantiles {
			w.Quantiles[i].P = q.P
			if d.N > 0 {
				secs[i] = jsonx.Seconds(q.Time)
				w.Quantiles[i].Time = &secs[i]
			}
		}
	}
	return json.Marshal(w)
}

// binJSON is the wire form of a Bin.
type binJSON struct {
	Upper *jsonx.Seconds `json:"upper"`
	Count int64          `json:"count"`
}

// MarshalJSON writes the bin's upper edge in seconds, null for the last
// bin, which has none:
//
//	{"upper": 3600, "count": 12}
func (b Bin) MarshalJSON() ([]byte, error) {
	w := binJSON{Count: b.Count}
	if b.Upper != math.MaxInt64 {
		u := jsonx.Seconds(b.Upper)
		w.Upper = &u
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a projection as encoding/json writes it from the
// field tags, so that a plan or forecast can be stored and loaded:
//
//	{"volumes": [{"stage": "Lead", "count": 2400, "cost": "109200"}],
//	 "revenue": "960000", "budget": "109200"}
//
// with money as decimal strings (or numbers). The counts are read as they
// are, as in a projection built by hand. Decoding is strict: unknown keys
// are errors. Errors are *kpi.Error values wrapping kpi.ErrInvalid; an
// amount beyond the library's bound on money (30 digits before the point,
// 18 after it), such as 1e1000000000, or a text of one longer than 64
// bytes, is refused before it is parsed out, the error naming its key
// path, such as volumes[1].cost, and quoting it short.
func (p *Projection) UnmarshalJSON(data []byte) error {
	var w struct { // Projection's keys, with money bounded as it is decoded
		Volumes []volumeJSON `json:"volumes"`
		Revenue jsonx.Money  `json:"revenue"`
		Budget  jsonx.Money  `json:"budget"`
	}
	if err := jsonx.Decode("funnel.Projection.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	v := Projection{Revenue: decimal.Decimal(w.Revenue), Budget: decimal.Decimal(w.Budget)}
	if w.Volumes != nil {
		v.Volumes = make([]Volume, len(w.Volumes))
	}
	for i, x := range w.Volumes {
		v.Volumes[i] = x.volume()
	}
	*p = v
	return nil
}

// volumeJSON is Volume's keys, with the cost bounded as it is decoded; a
// Projection's volumes decode through it in the projection's one pass.
type volumeJSON struct {
	Stage string      `json:"stage"`
	Count float64     `json:"count"`
	Cost  jsonx.Money `json:"cost"`
}

func (w volumeJSON) volume() Volume {
	return Volume{Stage: w.Stage, Count: w.Count, Cost: decimal.Decimal(w.Cost)}
}

// UnmarshalJSON reads a volume as encoding/json writes it from the field
// tags, {"stage": "Lead", "count": 2400, "cost": "109200"}, with the cost
// a decimal string (or number), read as it is. Decoding is strict:
// unknown keys are errors. Errors are *kpi.Error values wrapping
// kpi.ErrInvalid; a cost beyond the library's bound on money (30 digits
// before the point, 18 after it), or a text of one longer than 64 bytes,
// is refused before it is parsed out, the error quoting it short.
func (v *Volume) UnmarshalJSON(data []byte) error {
	var w volumeJSON
	if err := jsonx.Decode("funnel.Volume.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	*v = w.volume()
	return nil
}
