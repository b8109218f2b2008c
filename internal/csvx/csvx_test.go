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
