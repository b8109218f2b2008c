package funnel

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/csvx"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/jsonx"
)

// csvWriter writes records through encoding/csv, reusing one record and
// one buffer, so that a row costs no allocation of its own.
type csvWriter struct {
	w   *csv.Writer
	rec []string
	buf []byte
}

func newCSV(fn string, w io.Writer, header ...string) (*csvWriter, error) {
	if w == nil {
		return nil, errs.Invalid(fn, "w", w, "nil writer")
	}
	c := &csvWriter{w: csv.NewWriter(w), rec: make([]string, 0, len(header)), buf: make([]byte, 0, 256)}
	return c, c.w.Write(header)
}

// int, float and str add one field to the current record.
func (c *csvWriter) int(v int64) {
	start := len(c.buf)
	c.buf = strconv.AppendInt(c.buf, v, 10)
	c.field(start)
}

func (c *csvWriter) float(v float64) {
	start := len(c.buf)
	c.buf = strconv.AppendFloat(c.buf, v, 'g', -1, 64)
	c.field(start)
}

func (c *csvWriter) str(s string) { c.rec = append(c.rec, s) }

// time adds a time in RFC 3339.
func (c *csvWriter) time(t time.Time) {
	start := len(c.buf)
	c.buf = t.AppendFormat(c.buf, time.RFC3339Nano)
	c.field(start)
}

// durations adds the fields n, median, p90, mean of d, then d's time at
// each probability of ps (the quantile columns), the times in seconds and
// empty when n is 0 or d has no quantile at that probability.
func (c *csvWriter) durations(d Durations, ps []float64) {
	c.int(d.N)
	if d.N == 0 {
		c.rec = append(c.rec, "", "", "")
	} else {
		for _, v := range [...]time.Duration{d.Median, d.P90, d.Mean} {
			c.seconds(v)
		}
	}
	for i, p := range ps {
		j := i // a Counter's steps all hold the Definition's quantiles
		if j >= len(d.Quantiles) || !sameP(d.Quantiles[j].P, p) {
			j = slices.IndexFunc(d.Quantiles, func(q Quantile) bool { return sameP(q.P, p) })
		}
		if d.N == 0 || j < 0 {
			c.str("")
			continue
		}
		c.seconds(d.Quantiles[j].Time)
	}
}

func (c *csvWriter) seconds(v time.Duration) {
	start := len(c.buf)
	c.buf = jsonx.AppendSeconds(c.buf, v)
	c.field(start)
}

// quantileProbs adds to ps the probabilities of the steps' quantiles that
// it lacks, in the order they first appear. The steps of a Counter's
// results all hold the Definition's list; a Result built or decoded by
// hand may hold other lists, and each probability then gets a column of
// its own instead of taking the column of another step's quantile at
// the same index.
func quantileProbs(ps []float64, steps []StepResult) []float64 {
	for _, s := range steps {
		for _, q := range s.Time.Quantiles {
			if !slices.ContainsFunc(ps, func(p float64) bool { return sameP(p, q.P) }) {
				ps = append(ps, q.P)
			}
		}
	}
	return ps
}

// sameP reports whether two quantile probabilities are the same, NaN
// (which a hand-built Result may hold) matching NaN.
func sameP(a, b float64) bool { return a == b || a != a && b != b }

// quantileColumns returns the columns of the quantile probabilities ps:
// "q" and the probability ("q0.75", "q0.99").
func quantileColumns(ps []float64) []string {
	cols := make([]string, len(ps))
	for i, p := range ps {
		cols[i] = "q" + strconv.FormatFloat(p, 'g', -1, 64)
	}
	return cols
}

// field adds buf[start:] as a field. The string shares buf's memory: a
// later append that grows buf moves it and leaves this memory as it is,
// and buf is only reused once the row is written, which copies it.
func (c *csvWriter) field(start int) {
	c.rec = append(c.rec, unsafe.String(&c.buf[start], len(c.buf)-start))
}

// rate adds a rate's value, or an empty field when it has none.
func (c *csvWriter) rate(r kpi.Rate) {
	if v, err := r.Value(); err == nil {
		c.float(v)
	} else {
		c.str("")
	}
}

// interval adds the four fields lo, hi, method, level of a rate's
// interval, empty when it is undefined.
func (c *csvWriter) interval(r kpi.Rate, method kpi.Method, level float64) {
	lo, hi, err := r.Interval(method, level)
	if err != nil {
		c.rec = append(c.rec, "", "", "", "")
		return
	}
	c.float(lo)
	c.float(hi)
	c.str(method.String())
	c.float(level)
}

// row writes the current record and starts the next.
func (c *csvWriter) row() error {
	err := c.w.Write(c.rec)
	c.rec, c.buf = c.rec[:0], c.buf[:0]
	return err
}

func (c *csvWriter) flush() error {
	c.w.Flush()
	return c.w.Error()
}

// WriteCSV writes the funnel's table as CSV (RFC 4180, UTF-8, a header
// row, numbers unformatted): one row per stage, top first, with the step
// into it — its rate, the rate's 95 % Wilson interval as the text table
// prints it, the cumulative rate and the drop-off share — under the JSON
// keys of Step:
//
//	name,count,rate,lo,hi,method,level,cumulative,dropOff
//	Visit,12000,,,,,,,
//	Lead,240,0.02,0.0176...,0.0226...,Wilson,0.95,0.02,0.98
//
// The first stage, and a rate with no trials, leave the step's fields
// empty, never 0. A nil w is an error wrapping kpi.ErrInvalid; otherwise
// the error is the first of w.
func (f *Funnel) WriteCSV(w io.Writer) error {
	c, err := newCSV("funnel.Funnel.WriteCSV", w, "name", "count", "rate", "lo", "hi", "method", "level", "cumulative", "dropOff")
	if err != nil {
		return err
	}
	for i, s := range f.stages {
		c.str(s.Name)
		c.int(s.Count)
		if i == 0 {
			c.rec = append(c.rec, "", "", "", "", "", "", "")
		} else {
			st := f.steps[i-1]
			c.rate(st.Rate)
			c.interval(st.Rate, kpi.Wilson, tableConfidence)
			c.rate(st.Cumulative)
			c.rate(st.DropOff)
		}
		if err := c.row(); err != nil {
			return err
		}
	}
	return c.flush()
}

// WriteCSV writes the event funnel as CSV (RFC 4180, UTF-8, a header row,
// numbers unformatted): one row per step of the whole funnel, then one per
// step of each breakdown group, under the JSON keys of StepResult, the
// rate's 95 % Wilson interval and the times in seconds. A column per
// breakdown property, named "values." and the property (Keys), holds the
// group's value of it, and a column per quantile the Definition asks for
// (Definition.Quantiles), named "q" and its probability, follows mean (in
// a Result built by hand whose steps hold other quantiles, a column per
// probability found, in the order first met, empty for the steps without
// it):
//
//	breakdown,values.month,values.source,step,reached,rate,lo,hi,method,level,cumulative,n,median,p90,mean,q0.99
//	false,,,signup,100,1,0.963,1,Wilson,0.95,1,0,,,,
//	true,2026-04,ads,signup,60,1,...
//
// breakdown is false on the whole funnel's rows and true on a group's,
// since the empty value is a breakdown value too. Undefined
// quantities (a rate with no trials, times of a step no one reached) are
// empty fields, never 0. A nil w is an error wrapping kpi.ErrInvalid;
// otherwise the error is the first of w.
func (r *Result) WriteCSV(w io.Writer) error {
	header := []string{"breakdown"}
	for _, k := range r.Keys {
		header = append(header, "values."+k)
	}
	header = append(header, "step", "reached", "rate", "lo", "hi", "method", "level", "cumulative", "n", "median", "p90", "mean")
	qs := quantileProbs(nil, r.Steps)
	for i := range r.Breakdown {
		qs = quantileProbs(qs, r.Breakdown[i].Steps)
	}
	header = append(header, quantileColumns(qs)...)
	c, err := newCSV("funnel.Result.WriteCSV", w, header...)
	if err != nil {
		return err
	}
	if err := r.writeRows(c, "false", len(r.Keys), qs); err != nil {
		return err
	}
	for i := range r.Breakdown {
		if err := r.Breakdown[i].writeRows(c, "true", len(r.Keys), qs); err != nil {
			return err
		}
	}
	return c.flush()
}

// writeRows writes the rows of one group, with keys value columns (a
// group's values beyond them are left out, missing ones empty) and q
// quantile columns at the probabilities qs.
func (r *Result) writeRows(c *csvWriter, breakdown string, keys int, qs []float64) error {
	for _, s := range r.Steps {
		c.str(breakdown)
		for i := range keys {
			v := ""
			if i < len(r.Values) {
				v = r.Values[i]
			}
			c.str(v)
		}
		c.str(s.Step)
		c.int(s.Reached)
		c.rate(s.Rate)
		c.interval(s.Rate, kpi.Wilson, tableConfidence)
		c.rate(s.Cumulative)
		c.durations(s.Time, qs)
		if err := c.row(); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes the projection's volumes as CSV (RFC 4180, UTF-8, a
// header row, numbers unformatted), one row per stage, top first, under
// the JSON keys of Volume, money as decimals:
//
//	stage,count,cost
//	Lead,600,27000
//
// The revenue and budget totals are in the JSON form.
//
// Errors wrapping kpi.ErrInvalid: a nil w, and a cost beyond the library's
// bound on money (30 digits before the point, 18 after it), which Plan and
// Forecast never return but a projection built by hand may hold; the error
// names the line and column and quotes the cost short, and w holds the
// lines before it. Otherwise the error is the first of w.
func (p Projection) WriteCSV(w io.Writer) error {
	const fn = "funnel.Projection.WriteCSV"
	c, err := newCSV(fn, w, "stage", "count", "cost")
	if err != nil {
		return err
	}
	for i, v := range p.Volumes {
		if err := csvx.Money(fn, i+2, "cost", v.Cost); err != nil {
			c.w.Flush()
			return err
		}
		c.str(v.Stage)
		c.float(v.Count)
		c.str(v.Cost.String())
		if err := c.row(); err != nil {
			return err
		}
	}
	return c.flush()
}
