package attribution

import (
	"fmt"
	"io"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/csvx"
	"github.com/kpiflow/kpi/internal/errs"
)

// WriteCSV writes the table as CSV (RFC 4180, UTF-8, a header row, numbers
// unformatted), one row per channel and model — channels in the table's
// order, each with the models in theirs — under the JSON keys of Cell,
// values at the table's most decimal places (their intervals' ends as
// they are), and, for a result from a
// Bootstrap, each credit's interval as two columns <key>Lo and <key>Hi with
// the intervals' level and method:
//
//	channel,model,conversions,value,share,conversionsLo,conversionsHi,shareLo,shareHi,valueLo,valueHi,removalLo,removalHi,level,method
//	search,first touch,3,11500.00,0.6,,,,,,,,,,
//	search,linear,1.67,...,0,4.775,0,0.65,0.00,313.25,,,0.95,bootstrap-percentile
//
// A cell without intervals leaves them empty, and so does a credit
// without a removal effect (every model but Markov). One row per cell is
// the layout a spreadsheet pivots; String prints the models side by side.
//
// Errors wrapping kpi.ErrInvalid: a nil w; a value beyond the library's
// bound on money (30 digits before the point, 18 after it), which no model
// makes but a table built by hand may hold, the error naming the line and
// column and quoting the value short; and a missing cell, in a table built
// by hand or decoded from JSON with fewer rows of cells than channels or
// fewer cells in a row than models (cells beyond them are not written),
// the error naming the line and the row of Cells. After either, w holds
// the lines before it. Otherwise the error is the first of w.
func (t *Table) WriteCSV(w io.Writer) error {
	c, err := csvx.New("attribution.Table.WriteCSV", w, "channel", "model", "conversions", "value", "share",
		"conversionsLo", "conversionsHi", "shareLo", "shareHi", "valueLo", "valueHi", "removalLo", "removalHi", "level", "method")
	if err != nil {
		return err
	}
	places := t.places()
	line := 2 // the header is line 1
	for i, ch := range t.Channels {
		for j, m := range t.Models {
			cell, ok := t.cell(i, j)
			if !ok {
				c.Flush()
				return t.missing(line, i)
			}
			line++
			c.String(ch)
			c.String(m)
			c.Float(cell.Conversions)
			c.Fixed(cell.Value, places)
			c.Float(cell.Share)
			if iv := cell.Interval; iv != nil {
				c.Interval(iv.Conversions)
				c.Interval(iv.Share)
				c.Decimal(iv.Value.Lo)
				c.Decimal(iv.Value.Hi)
				writeInterval(c, iv.Removal)
				c.Float(iv.Conversions.Level)
				c.String(iv.Conversions.Method)
			} else {
				c.Empty(10)
			}
			if err := c.Row(); err != nil {
				return err
			}
		}
	}
	return c.Flush()
}

// missing returns the error of a table that lacks the cell of channel i
// on CSV line line.
func (t *Table) missing(line, i int) error {
	const fn = "attribution.Table.WriteCSV"
	if i >= len(t.Cells) {
		return errs.Invalid(fn, fmt.Sprintf("line %d Cells", line), fmt.Sprintf("%d rows", len(t.Cells)),
			fmt.Sprintf("fewer than the %d channels", len(t.Channels)))
	}
	return errs.Invalid(fn, fmt.Sprintf("line %d Cells[%d]", line, i), fmt.Sprintf("%d cells", len(t.Cells[i])),
		fmt.Sprintf("fewer than the %d models", len(t.Models)))
}

// writeInterval adds an interval's ends, or two empty fields for an
// interval with no method (no interval).
func writeInterval(c *csvx.Writer, iv kpi.Interval) {
	if iv.Method == "" {
		c.Empty(2)
		return
	}
	c.Interval(iv)
}

// ROIs is the return on spend of every channel of a result, one ROI per
// channel sorted by name, as Result.ROI returns it.
type ROIs []ROI

// WriteCSV writes the rows as CSV (RFC 4180, UTF-8, a header row, numbers
// unformatted, money as decimals), one per channel, under the JSON keys of
// ROI:
//
//	channel,spend,conversions,value,costPerConversion,returnOnSpend,creditShare,spendShare
//	search,12000,3,11500,4000,0.9583,0.6,1
//
// An undefined cost per conversion or return on spend is an empty field,
// never 0.
//
// Errors wrapping kpi.ErrInvalid: a nil w, and an amount beyond the
// library's bound on money (30 digits before the point, 18 after it),
// which Result.ROI never returns but rows built by hand may hold; the
// error names the line and column and quotes the amount short, and w holds
// the lines before it. Otherwise the error is the first of w.
func (rs ROIs) WriteCSV(w io.Writer) error {
	c, err := csvx.New("attribution.ROIs.WriteCSV", w, "channel", "spend", "conversions", "value",
		"costPerConversion", "returnOnSpend", "creditShare", "spendShare")
	if err != nil {
		return err
	}
	for _, r := range rs {
		c.String(r.Channel)
		c.Decimal(r.Spend)
		c.Float(r.Conversions)
		c.Decimal(r.Value)
		c.NullDecimal(r.CostPerConversion)
		c.NullDecimal(r.ReturnOnSpend)
		c.Float(r.CreditShare)
		c.Float(r.SpendShare)
		if err := c.Row(); err != nil {
			return err
		}
	}
	return c.Flush()
}
