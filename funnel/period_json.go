package funnel

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/jsonx"
)

// MarshalText returns the grain's name, "day", "week", "month" or
// "quarter". Any other value is an error wrapping kpi.ErrInvalid.
func (g Grain) MarshalText() ([]byte, error) {
	if !g.valid() {
		return nil, errs.Invalid("funnel.Grain.MarshalText", "grain", int(g), "unknown grain")
	}
	return []byte(grainNames[g]), nil
}

// UnmarshalText reads a grain's name as MarshalText writes it.
func (g *Grain) UnmarshalText(text []byte) error {
	for i, n := range grainNames {
		if n != "" && string(text) == n {
			*g = Grain(i)
			return nil
		}
	}
	return errs.Invalid("funnel.Grain.UnmarshalText", "grain", fmt.Sprintf("%q", text), "unknown grain")
}

// periodsJSON is the wire form of Periods.
type periodsJSON struct {
	Grain    Grain   `json:"grain"`
	Every    int     `json:"every"`
	Location *string `json:"location"`
}

// MarshalJSON writes the periods with the grain by name and the location
// by its IANA name (time.Location.String: "UTC", "Europe/Berlin"; "Local"
// for time.Local, which names no place), null when it is nil:
//
//	{"grain": "month", "every": 1, "location": "Europe/Berlin"}
//
// A grain that is not one of the constants is written as its number.
func (p Periods) MarshalJSON() ([]byte, error) {
	var w struct {
		Grain    any     `json:"grain"`
		Every    int     `json:"every"`
		Location *string `json:"location"`
	}
	w.Grain, w.Every = p.Grain, p.Every
	if !p.Grain.valid() {
		w.Grain = int(p.Grain)
	}
	if p.Location != nil {
		name := p.Location.String()
		w.Location = &name
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads periods as MarshalJSON writes them, loading the
// location by name with time.LoadLocation, and checks them as
// Counter.Series does. Decoding is strict: unknown keys are errors.
// Errors are *kpi.Error values wrapping kpi.ErrInvalid.
func (p *Periods) UnmarshalJSON(data []byte) error {
	const fn = "funnel.Periods.UnmarshalJSON"
	var w periodsJSON
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	v := Periods{Grain: w.Grain, Every: w.Every}
	if w.Location != nil {
		loc, err := time.LoadLocation(*w.Location)
		if err != nil || *w.Location == "" || *w.Location == "Local" {
			return errs.Invalid(fn, "location", fmt.Sprintf("%q", *w.Location), "not an IANA time zone")
		}
		v.Location = loc
	}
	if err := v.check(fn); err != nil {
		return err
	}
	*p = v
	return nil
}

// periodStepJSON is the wire form of a PeriodStep.
type periodStepJSON struct {
	stepResultJSON
	Mature           bool          `json:"mature"`
	Open             kpi.Rate      `json:"open"`
	Estimate         *float64      `json:"estimate"`
	EstimateInterval *kpi.Interval `json:"estimateInterval"`
	Entered          int64         `json:"entered"`
}

// MarshalJSON writes the step as StepResult's keys with the period's
// maturity, censoring, Kaplan–Meier estimate and flow count; the estimate
// and its interval are null when the step has no trials:
//
//	{"step": "sql", "reached": 3, "rate": Rate, "cumulative": Rate,
//	 "interval": Interval, "time": Durations, "mature": false,
//	 "open": Rate, "estimate": 0.667, "estimateInterval": Interval,
//	 "entered": 4}
func (s PeriodStep) MarshalJSON() ([]byte, error) {
	r := s.StepResult
	w := periodStepJSON{
		stepResultJSON: stepResultJSON{Step: r.Step, Reached: r.Reached, Rate: r.Rate, Cumulative: r.Cumulative,
			Interval: jsonx.RateInterval(r.Rate, kpi.Wilson, tableConfidence), Time: r.Time},
		Mature: s.Mature, Open: s.Open, Entered: s.Entered,
	}
	if s.Rate.Trials() > 0 {
		w.Estimate = jsonx.Float(s.Estimate)
		iv := s.EstimateInterval
		w.EstimateInterval = &iv
	}
	return json.Marshal(w)
}

// WriteCSV writes the series as CSV (RFC 4180, UTF-8, a header row,
// numbers unformatted, times in RFC 3339): one row per step of each
// period, in time order, under the JSON keys of Period and PeriodStep,
// the rate's 95 % Wilson interval (lo, hi, method, level), the
// estimate's Kaplan–Meier interval (estimateLo, estimateHi,
// estimateMethod, estimateLevel: "greenwood-log-log", or "exact" on the
// first step), and the times in seconds, with a column per quantile the
// Definition asks for after mean, as Result.WriteCSV's (taken from every
// period, so that a Series built by hand whose first period holds none
// still writes the others'):
//
//	label,start,end,step,reached,rate,lo,hi,method,level,cumulative,mature,open,estimate,estimateLo,estimateHi,estimateMethod,estimateLevel,entered,n,median,p90,mean
//	2026-03,2026-03-01T00:00:00+01:00,2026-04-01T00:00:00+02:00,lead,6,1,...
//
// Undefined quantities (a rate, share open or estimate with no trials,
// times of a step no one reached) are empty fields, never 0. A nil w is an
// error wrapping kpi.ErrInvalid; otherwise the error is the first of w.
func (s *Series) WriteCSV(w io.Writer) error {
	header := []string{"label", "start", "end", "step", "reached", "rate", "lo", "hi", "method", "level",
		"cumulative", "mature", "open", "estimate", "estimateLo", "estimateHi", "estimateMethod", "estimateLevel", "entered", "n", "median", "p90", "mean"}
	var qs []float64
	var steps []StepResult
	for _, p := range s.Periods {
		steps = steps[:0]
		for _, ps := range p.Steps {
			steps = append(steps, ps.StepResult)
		}
		qs = quantileProbs(qs, steps)
	}
	c, err := newCSV("funnel.Series.WriteCSV", w, append(header, quantileColumns(qs)...)...)
	if err != nil {
		return err
	}
	for _, p := range s.Periods {
		for _, ps := range p.Steps {
			c.str(p.Label)
			c.time(p.Start)
			c.time(p.End)
			c.str(ps.Step)
			c.int(ps.Reached)
			c.rate(ps.Rate)
			c.interval(ps.Rate, kpi.Wilson, tableConfidence)
			c.rate(ps.Cumulative)
			c.str(strconv.FormatBool(ps.Mature))
			c.rate(ps.Open)
			if ps.Rate.Trials() > 0 {
				c.float(ps.Estimate)
				c.float(ps.EstimateInterval.Lo)
				c.float(ps.EstimateInterval.Hi)
				c.str(ps.EstimateInterval.Method)
				c.float(ps.EstimateInterval.Level)
			} else {
				c.rec = append(c.rec, "", "", "", "", "")
			}
			c.int(ps.Entered)
			c.durations(ps.Time, qs)
			if err := c.row(); err != nil {
				return err
			}
		}
	}
	return c.flush()
}
