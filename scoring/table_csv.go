package scoring

import (
	"io"

	"github.com/kpiflow/kpi/internal/csvx"
)

// Gains is a gain and lift table, one Gain per group from the top, as
// Evaluation.Gains returns it.
type Gains []Gain

// WriteCSV writes the table as CSV (RFC 4180, UTF-8, a header row, numbers
// unformatted), one row per group from the top, under the JSON keys of
// Gain:
//
//	start,leads,maxScore,minScore,converted,rate,lift,gain,cumLift
//	0,4,90,70,3,0.75,1.8,0.6,1.8
//
// A nil w is an error wrapping kpi.ErrInvalid; otherwise the error is the
// first of w.
func (g Gains) WriteCSV(w io.Writer) error {
	c, err := csvx.New("scoring.Gains.WriteCSV", w, "start", "leads", "maxScore", "minScore", "converted", "rate", "lift", "gain", "cumLift")
	if err != nil {
		return err
	}
	for _, r := range g {
		c.Int(r.Start)
		c.Int(r.Leads)
		for _, v := range [...]float64{r.MaxScore, r.MinScore, r.Converted, r.Rate, r.Lift, r.Gain, r.CumLift} {
			c.Float(v)
		}
		if err := c.Row(); err != nil {
			return err
		}
	}
	return c.Flush()
}

// ScoreBands is the conversion per score band, lowest band first, as
// Evaluation.Bands and QuantileBands return it.
type ScoreBands []ScoreBand

// WriteCSV writes the bands as CSV (RFC 4180, UTF-8, a header row, numbers
// unformatted), one row per band, lowest first: its edges, its rate's
// counts and value, and the interval the band carries, under the JSON keys
// of ScoreBand, Rate and kpi.Interval:
//
//	min,max,successes,trials,rate,lo,hi,method,level
//	,40,3,120,0.025,0.0085,0.071,Wilson,0.95
//	40,,...
//
// The open ends −Inf and +Inf, and the rate of an empty band, are empty
// fields. A nil w is an error wrapping kpi.ErrInvalid; otherwise the error
// is the first of w.
func (b ScoreBands) WriteCSV(w io.Writer) error {
	c, err := csvx.New("scoring.ScoreBands.WriteCSV", w, "min", "max", "successes", "trials", "rate", "lo", "hi", "method", "level")
	if err != nil {
		return err
	}
	for _, s := range b {
		c.Float(s.Min)
		c.Float(s.Max)
		c.Int(s.Rate.Successes())
		c.Int(s.Rate.Trials())
		c.Rate(s.Rate)
		if iv := s.interval(); iv != nil {
			c.Interval(*iv)
			c.String(iv.Method)
			c.Float(iv.Level)
		} else {
			c.Empty(4)
		}
		if err := c.Row(); err != nil {
			return err
		}
	}
	return c.Flush()
}

// Calibrations is a reliability table, one Calibration per bin that holds
// leads, as Reliability returns it.
type Calibrations []Calibration

// WriteCSV writes the reliability table as CSV (RFC 4180, UTF-8, a header
// row, numbers unformatted), one row per bin, under the JSON keys of
// Calibration and Rate:
//
//	lo,hi,predicted,successes,trials,rate
//	0,0.1,0.062,1,40,0.025
//
// A nil w is an error wrapping kpi.ErrInvalid; otherwise the error is the
// first of w.
func (cs Calibrations) WriteCSV(w io.Writer) error {
	c, err := csvx.New("scoring.Calibrations.WriteCSV", w, "lo", "hi", "predicted", "successes", "trials", "rate")
	if err != nil {
		return err
	}
	for _, b := range cs {
		c.Float(b.Lo)
		c.Float(b.Hi)
		c.Float(b.Predicted)
		c.Int(b.Rate.Successes())
		c.Int(b.Rate.Trials())
		c.Rate(b.Rate)
		if err := c.Row(); err != nil {
			return err
		}
	}
	return c.Flush()
}
