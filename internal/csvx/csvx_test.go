package csvx

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
)

// TestWriter checks each kind of field against the text written by hand.
func TestWriter(t *testing.T) {
	r, err := kpi.NewRate(1, 4)
	require.NoError(t, err)
	tests := []struct {
		name string
		add  func(c *Writer)
		want string
	}{
		{"int", func(c *Writer) { c.Int(-42) }, "-42"},
		{"float", func(c *Writer) { c.Float(0.25) }, "0.25"},
		{"large float is not in exponent form", func(c *Writer) { c.Float(1234567) }, "1234567"},
		{"tiny float as JSON writes it", func(c *Writer) { c.Float(1e-7) }, "1e-7"},
		{"NaN is empty", func(c *Writer) { c.Float(math.NaN()) }, ""},
		{"Inf is empty", func(c *Writer) { c.Float(math.Inf(1)) }, ""},
		{"bool", func(c *Writer) { c.Bool(true) }, "true"},
		{"string quoted", func(c *Writer) { c.String(`a,"b"`) }, `"a,""b"""`},
		{"empty", func(c *Writer) { c.Empty(2) }, ","},
		{"decimal", func(c *Writer) { c.Decimal(decimal.RequireFromString("12.50")) }, "12.5"},
		{"null decimal", func(c *Writer) { c.NullDecimal(decimal.NullDecimal{}) }, ""},
		{"valid null decimal", func(c *Writer) { c.NullDecimal(decimal.NewNullDecimal(decimal.New(3, -1))) }, "0.3"},
		{"date", func(c *Writer) { c.Date(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) }, "2026-01-02"},
		{"seconds", func(c *Writer) { c.Seconds(1500 * time.Millisecond) }, "1.5"},
		{"rate", func(c *Writer) { c.Rate(r) }, "0.25"},
		{"rate without trials", func(c *Writer) { c.Rate(kpi.Rate{}) }, ""},
		{"interval", func(c *Writer) { c.Interval(kpi.Interval{Lo: 0.1, Hi: 0.5}) }, "0.1,0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			c, err := New("f", &b, "h")
			require.NoError(t, err)
			tt.add(c)
			require.NoError(t, c.Row())
			require.NoError(t, c.Flush())
			assert.Equal(t, "h\n"+tt.want+"\n", b.String())
		})
	}
}

// TestWriterRows checks that fields of one row do not leak into the next.
func TestWriterRows(t *testing.T) {
	tests := []struct {
		name string
		rows [][2]int64
		want string
	}{
		{"two rows", [][2]int64{{1, 22}, {333, 4}}, "a,b\n1,22\n333,4\n"},
		{"one row", [][2]int64{{5, 6}}, "a,b\n5,6\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			c, err := New("f", &b, "a", "b")
			require.NoError(t, err)
			for _, r := range tt.rows {
				c.Int(r[0])
				c.Int(r[1])
				require.NoError(t, c.Row())
			}
			require.NoError(t, c.Flush())
			assert.Equal(t, tt.want, b.String())
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriterErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"nil writer", func() error { _, err := New("pkg.T.WriteCSV", nil, "a"); return err }, "pkg.T.WriteCSV: w <nil>: nil writer"},
		{"writer fails", func() error {
			c, err := New("f", failWriter{}, "a")
			if err != nil {
				return err
			}
			return c.Flush()
		}, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// TestWriterMoneyErrors checks that an amount beyond the bound on money
// (30 digits before the point, 18 after it) is not written out to its
// billion digits: Row returns an error naming the line and the column and
// quoting the amount as coefficient e exponent, and w holds the lines
// before it only.
func TestWriterMoneyErrors(t *testing.T) {
	huge := decimal.New(1, 1<<30)      // 1 and 2³⁰ zeros
	tiny := decimal.New(1, -(1 << 30)) // 2³⁰ − 1 zeros after the point, then 1
	ok := decimal.New(125, -1)
	tests := []struct {
		name string
		rows [][]func(c *Writer) // the rows' fields; the last row fails
		want string              // the error
		out  string              // what w holds
	}{
		{"decimal", [][]func(c *Writer){{func(c *Writer) { c.Decimal(huge) }}},
			"f: line 2 a 1e1073741824: more than 30 digits before the point", "a,b\n"},
		{"negative", [][]func(c *Writer){{func(c *Writer) { c.Decimal(huge.Neg()) }}},
			"f: line 2 a -1e1073741824: more than 30 digits before the point", "a,b\n"},
		{"too precise", [][]func(c *Writer){{func(c *Writer) { c.Decimal(tiny) }}},
			"f: line 2 a 1e-1073741824: more than 18 decimal places", "a,b\n"},
		{"fixed", [][]func(c *Writer){{func(c *Writer) { c.Fixed(huge, 2) }}},
			"f: line 2 a 1e1073741824: more than 30 digits before the point", "a,b\n"},
		{"null decimal", [][]func(c *Writer){{func(c *Writer) { c.NullDecimal(decimal.NewNullDecimal(huge)) }}},
			"f: line 2 a 1e1073741824: more than 30 digits before the point", "a,b\n"},
		{"second column", [][]func(c *Writer){{func(c *Writer) { c.Int(1) }, func(c *Writer) { c.Decimal(huge) }}},
			"f: line 2 b 1e1073741824: more than 30 digits before the point", "a,b\n"},
		{"third line, earlier lines written", [][]func(c *Writer){
			{func(c *Writer) { c.Decimal(ok) }, func(c *Writer) { c.Int(1) }},
			{func(c *Writer) { c.Decimal(ok) }, func(c *Writer) { c.Int(2) }},
			{func(c *Writer) { c.Decimal(ok) }, func(c *Writer) { c.Decimal(huge) }},
		}, "f: line 4 b 1e1073741824: more than 30 digits before the point", "a,b\n12.5,1\n12.5,2\n"},
		{"the first of two", [][]func(c *Writer){{func(c *Writer) { c.Decimal(tiny) }, func(c *Writer) { c.Decimal(huge) }}},
			"f: line 2 a 1e-1073741824: more than 18 decimal places", "a,b\n"},
		{"beyond the header", [][]func(c *Writer){{func(c *Writer) { c.Empty(2) }, func(c *Writer) { c.Decimal(huge) }}},
			"f: line 2 field 3 1e1073741824: more than 30 digits before the point", "a,b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			c, err := New("f", &b, "a", "b")
			require.NoError(t, err)
			for i, row := range tt.rows {
				for _, add := range row {
					add(c)
				}
				err = c.Row()
				if i < len(tt.rows)-1 {
					require.NoError(t, err)
				}
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, tt.want, err.Error())
			assert.Less(t, len(err.Error()), 200)
			assert.Equal(t, tt.out, b.String())
		})
	}
}

// TestWriterNextRowAfterError checks that the error of a row is not
// returned again for the next row, and that the line count stays that of
// the lines written.
func TestWriterNextRowAfterError(t *testing.T) {
	var b strings.Builder
	c, err := New("f", &b, "a")
	require.NoError(t, err)
	c.Decimal(decimal.New(1, 1<<30))
	require.Error(t, c.Row())
	c.Decimal(decimal.New(7, 0))
	require.NoError(t, c.Row())
	c.Decimal(decimal.New(1, 1<<30))
	assert.EqualError(t, c.Row(), "f: line 3 a 1e1073741824: more than 30 digits before the point")
	require.NoError(t, c.Flush())
	assert.Equal(t, "a\n7\n", b.String())
}

// TestWriterDecimalAllocs holds that the bound on money costs an amount
// within it no allocation: Decimal allocates what d.String does, and
// Fixed what d.StringFixed does.
func TestWriterDecimalAllocs(t *testing.T) {
	c, err := New("f", &strings.Builder{}, "a")
	require.NoError(t, err)
	for _, d := range []decimal.Decimal{decimal.New(125, -2), decimal.RequireFromString("123456789012345678901234567890.123456789012345678"), {}} {
		str := testing.AllocsPerRun(100, func() { _ = d.String() })
		fixed := testing.AllocsPerRun(100, func() { _ = d.StringFixed(2) })
		assert.Equal(t, str, testing.AllocsPerRun(100, func() { c.Decimal(d); c.rec = c.rec[:0] }), "Decimal(%s)", d)
		assert.Equal(t, fixed, testing.AllocsPerRun(100, func() { c.Fixed(d, 2); c.rec = c.rec[:0] }), "Fixed(%s)", d)
	}
}

// TestMoney checks the error of an amount beyond the bound on money for
// the writers that do not write through a Writer, and nil within it.
func TestMoney(t *testing.T) {
	tests := []struct {
		name string
		d    decimal.Decimal
		want string // "" for no error
	}{
		{"within", decimal.RequireFromString("45.50"), ""},
		{"zero", decimal.Decimal{}, ""},
		{"too large", decimal.New(1, 1<<30), "f: line 3 cost 1e1073741824: more than 30 digits before the point"},
		{"too precise", decimal.New(1, -(1 << 30)), "f: line 3 cost 1e-1073741824: more than 18 decimal places"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Money("f", 3, "cost", tt.d)
			if tt.want == "" {
				assert.NoError(t, err)
				assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Money("f", 3, "cost", tt.d) }))
				return
			}
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, tt.want)
		})
	}
}
