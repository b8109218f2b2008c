// Package csvx writes the sub-packages' tables as CSV the same way: through
// encoding/csv (RFC 4180, UTF-8), a header row of the JSON keys, numbers
// as their JSON form writes them (unformatted), money as decimals, and an
// empty field for an undefined quantity, never 0. It is not API.
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
)

// Writer writes records through encoding/csv, reusing one record and one
// buffer, so that a row costs no allocation of its own.
type Writer struct {
	w   *csv.Writer
	rec []string
	buf []byte
}

// New returns a Writer on w that has written the header row. A nil w is
// an error wrapping kpi.ErrInvalid made by fn; otherwise the error is w's.
func New(fn string, w io.Writer, header ...string) (*Writer, error) {
	if w == nil {
		return nil, errs.Invalid(fn, "w", w, "nil writer")
	}
	c := &Writer{w: csv.NewWriter(w), rec: make([]string, 0, len(header)), buf: make([]byte, 0, 256)}
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

// Decimal adds an amount of money as its decimal string.
func (c *Writer) Decimal(d decimal.Decimal) { c.rec = append(c.rec, d.String()) }

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

// Row writes the current record and starts the next.
func (c *Writer) Row() error {
	err := c.w.Write(c.rec)
	c.rec, c.buf = c.rec[:0], c.buf[:0]
	return err
}

// Flush writes what is buffered and returns the first error of w.
func (c *Writer) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
