// Package csvx writes the sub-packages' tables as CSV the same way: through
// encoding/csv (RFC 4180, UTF-8), a header row of the JSON keys, numbers
// as their JSON form writes them (unformatted), money as decimals, and an
// empty field for an undefined quantity, never 0. An amount beyond the
// library's bound on money (internal/money.Check) is not written: it stops
// the table with an error naming its line and column. It is not API.
package csvx

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/jsonx"
	"github.com/kpiflow/kpi/internal/money"
)

// Writer writes records through encoding/csv, reusing one record and one
// buffer, so that a row costs no allocation of its own.
type Writer struct {
	w      *csv.Writer
	fn     string   // the function whose errors the Writer makes
	header []string // the columns, which its errors name
	line   int      // the line of the current record; the header is line 1
	err    error    // the first amount of the current record beyond the bound
	rec    []string
	buf    []byte
}

// New returns a Writer on w that has written the header row. A nil w is
// an error wrapping kpi.ErrInvalid made by fn; otherwise the error is w's.
func New(fn string, w io.Writer, header ...string) (*Writer, error) {
	if w == nil {
		return nil, errs.Invalid(fn, "w", w, "nil writer")
	}
	c := &Writer{w: csv.NewWriter(w), fn: fn, header: header, line: 2,
		rec: make([]string, 0, len(header)), buf: make([]byte, 0, 256)}
	return c, c.w.Write(header)
}

// Int adds an integer field.
func (c *Writer) Int(v int64) {
	start := len(c.buf)
	c.buf = strconv.AppendInt(c.buf, v, 10)
	c.field(start)
}

// Float adds a number as encoding/json writes it, or an empty field when
// it is NaN or infinite.
func (c *Writer) Float(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.Empty(1)
		return
	}
	start := len(c.buf)
	c.buf = jsonx.AppendFloat(c.buf, v)
	c.field(start)
}

// Bool adds "true" or "false".
func (c *Writer) Bool(v bool) { c.rec = append(c.rec, strconv.FormatBool(v)) }

// String adds a text field, which encoding/csv quotes as needed.
func (c *Writer) String(s string) { c.rec = append(c.rec, s) }

// Empty adds n empty fields.
func (c *Writer) Empty(n int) {
	for range n {
		c.rec = append(c.rec, "")
	}
}

// Decimal adds an amount of money as its decimal string. An amount beyond
// the library's bound on money (30 digits before the point, 18 after it),
// which String would write out to billions of digits, is an empty field,
// and Row returns its error.
func (c *Writer) Decimal(d decimal.Decimal) {
	if c.bad(d) {
		return
	}
	c.rec = append(c.rec, d.String())
}

// Fixed adds an amount of money at places decimal places, as
// decimal.StringFixed writes it, or an empty field for an amount beyond
// the bound, as Decimal does.
func (c *Writer) Fixed(d decimal.Decimal, places int32) {
	if c.bad(d) {
		return
	}
	c.rec = append(c.rec, d.StringFixed(places))
}

// bad reports whether d lies beyond the bound on money; if it does, bad
// adds an empty field and keeps the record's first such error, which names
// the line and the field's column and quotes d short (money.Text). An
// amount within the bound costs no allocation.
func (c *Writer) bad(d decimal.Decimal) bool {
	if money.Check(d) == "" {
		return false
	}
	if c.err == nil {
		col := "field " + strconv.Itoa(len(c.rec)+1)
		if len(c.rec) < len(c.header) {
			col = c.header[len(c.rec)]
		}
		c.err = Money(c.fn, c.line, col, d)
	}
	c.Empty(1)
	return true
}

// Money returns nil when d lies within the library's bound on money, and
// otherwise an error wrapping kpi.ErrInvalid made by fn that names the
// CSV line (the header is line 1) and column and quotes d short
// (money.Text), for the writers that do not write through a Writer. An
// amount within the bound costs no allocation.
func Money(fn string, line int, column string, d decimal.Decimal) error {
	if money.Check(d) == "" {
		return nil
	}
	return errs.Money(fn, "line "+strconv.Itoa(line)+" "+column, d)
}

// NullDecimal adds an amount, or an empty field when it is not valid.
func (c *Writer) NullDecimal(d decimal.NullDecimal) {
	if !d.Valid {
		c.Empty(1)
		return
	}
	c.Decimal(d.Decimal)
}

// Date adds a date as 2006-01-02.
func (c *Writer) Date(t time.Time) {
	start := len(c.buf)
	c.buf = t.AppendFormat(c.buf, time.DateOnly)
	c.field(start)
}

// Seconds adds a duration as an exact number of seconds.
func (c *Writer) Seconds(d time.Duration) {
	start := len(c.buf)
	c.buf = jsonx.AppendSeconds(c.buf, d)
	c.field(start)
}

// Rate adds a rate's value, or an empty field when it has no trials.
func (c *Writer) Rate(r kpi.Rate) {
	if v, err := r.Value(); err == nil {
		c.Float(v)
	} else {
		c.Empty(1)
	}
}

// Interval adds the two fields lo and hi of an interval.
func (c *Writer) Interval(iv kpi.Interval) {
	c.Float(iv.Lo)
	c.Float(iv.Hi)
}

// field adds buf[start:] as a field. The string shares buf's memory: a
// later append that grows buf moves it and leaves this memory as it is,
// and buf is only reused once the row is written, which copies it.
func (c *Writer) field(start int) {
	if start == len(c.buf) {
		c.rec = append(c.rec, "")
		return
	}
	c.rec = append(c.rec, unsafe.String(&c.buf[start], len(c.buf)-start))
}

// Row writes the current record and starts the next. A record holding an
// amount beyond the bound on money is not written: Row flushes the lines
// before it to w and returns the amount's error, which wraps
// kpi.ErrInvalid.
func (c *Writer) Row() error {
	if err := c.err; err != nil {
		c.err, c.rec, c.buf = nil, c.rec[:0], c.buf[:0]
		c.w.Flush()
		return err
	}
	err := c.w.Write(c.rec)
	c.rec, c.buf = c.rec[:0], c.buf[:0]
	c.line++
	return err
}

// Flush writes what is buffered and returns the first error of w.
func (c *Writer) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
