package scoring_test

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// csvRows parses CSV text into records, as a spreadsheet would.
func csvRows(t *testing.T, text string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	require.NoError(t, err)
	return rows
}

// num parses a CSV field as a number.
func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err)
	return v
}

// TestGainsWriteCSV checks the gain table of exEval's twelve leads in
// thirds against a hand calculation. Scores 80 75 70 60 | 60 55 40 40 |
// 30 20 10 0, converted T T F T|F T F F T F F F (one of the two 60s
// converted, and they straddle the first cut, so each third gets half a
// conversion of them); 5 of 12 converted:
//
//	group 1: 2 + 0.5 = 2.5, rate 0.625, lift 0.625/(5/12) = 1.5, gain 0.5, cumLift 1.5
//	group 2: 0.5 + 1 = 1.5, rate 0.375, lift 0.9, gain 0.8, cumLift 0.8/(8/12) = 1.2
//	group 3: 1, rate 0.25, lift 0.6, gain 1, cumLift 1
func TestGainsWriteCSV(t *testing.T) {
	gains, err := exEval().Gains(3)
	require.NoError(t, err)
	tests := []struct {
		name string
		g    scoring.Gains
		want [][]float64
	}{
		{"thirds", gains, [][]float64{
			{0, 4, 80, 60, 2.5, 0.625, 1.5, 0.5, 1.5},
			{4, 4, 60, 40, 1.5, 0.375, 0.9, 0.8, 1.2},
			{8, 4, 30, 0, 1, 0.25, 0.6, 1, 1},
		}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.g.WriteCSV(&b))
			rows := csvRows(t, b.String())
			assert.Equal(t, []string{"start", "leads", "maxScore", "minScore", "converted", "rate", "lift", "gain", "cumLift"}, rows[0])
			require.Len(t, rows, len(tt.want)+1)
			for i, want := range tt.want {
				for j, v := range want {
					assert.InDelta(t, v, num(t, rows[i+1][j]), 1e-12, "row %d column %s", i, rows[0][j])
				}
			}
		})
	}
}

// TestScoreBandsWriteCSV checks the bands of exEval cut at 40 and 60:
// 1 of 4, 1 of 3 and 3 of 5 converted, with Wilson intervals from R 4.2.2,
// prop.test(x, n, correct = FALSE)$conf.int:
//
//	1/4: 0.0455872608097006 0.6993581574175980
//	1/3: 0.0614919447203963 0.7923403991979523
//	3/5: 0.230724281276013  0.882379225767352
func TestScoreBandsWriteCSV(t *testing.T) {
	bands, err := exEval().Bands([]float64{40, 60}, kpi.Wilson, 0.95)
	require.NoError(t, err)
	tests := []struct {
		name   string
		b      scoring.ScoreBands
		edges  [][2]string
		counts [][2]string
		iv     [][2]float64
	}{
		{"cut at 40 and 60", bands, [][2]string{{"", "40"}, {"40", "60"}, {"60", ""}}, [][2]string{{"1", "4"}, {"1", "3"}, {"3", "5"}},
			[][2]float64{{0.0455872608097006, 0.6993581574175980}, {0.0614919447203963, 0.7923403991979523}, {0.230724281276013, 0.882379225767352}}},
		{"empty band", scoring.ScoreBands{{Min: math.Inf(-1), Max: math.Inf(1), Lo: 0, Hi: 1, Method: kpi.Jeffreys, Level: 0.9}},
			[][2]string{{"", ""}}, [][2]string{{"0", "0"}}, [][2]float64{{0, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.b.WriteCSV(&b))
			rows := csvRows(t, b.String())
			assert.Equal(t, []string{"min", "max", "successes", "trials", "rate", "lo", "hi", "method", "level"}, rows[0])
			require.Len(t, rows, len(tt.edges)+1)
			for i, r := range rows[1:] {
				assert.Equal(t, tt.edges[i][:], r[:2])
				assert.Equal(t, tt.counts[i][:], r[2:4])
				if tt.counts[i][1] == "0" {
					assert.Empty(t, r[4], "an empty band has no rate")
				}
				assert.InDelta(t, tt.iv[i][0], num(t, r[5]), 1e-13)
				assert.InDelta(t, tt.iv[i][1], num(t, r[6]), 1e-13)
				assert.Equal(t, tt.b[i].Method.String(), r[7])
				assert.Equal(t, tt.b[i].Level, num(t, r[8]))
			}
		})
	}
}

// TestCalibrationsWriteCSV checks a reliability table in two bins by hand:
// 0.1 and 0.3 fall in (0, 0.5], mean 0.2, one converted; 0.9 in
// (0.5, 1], converted.
func TestCalibrationsWriteCSV(t *testing.T) {
	cal, err := scoring.Reliability([]float64{0.1, 0.3, 0.9}, []bool{true, false, true}, 2)
	require.NoError(t, err)
	tests := []struct {
		name string
		c    scoring.Calibrations
		want string
	}{
		{"two bins", cal, "lo,hi,predicted,successes,trials,rate\n0,0.5,0.2,1,2,0.5\n0.5,1,0.9,1,1,1\n"},
		{"a bin without trials", scoring.Calibrations{{Lo: 0, Hi: 1}}, "lo,hi,predicted,successes,trials,rate\n0,1,0,0,0,\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.c.WriteCSV(&b))
			assert.Equal(t, tt.want, b.String())
		})
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(p), nil
}

// TestWriteCSVErrors checks each table's errors: a nil writer, and a
// writer that fails.
func TestWriteCSVErrors(t *testing.T) {
	gains, err := exEval().Gains(3)
	require.NoError(t, err)
	bands, err := exEval().Bands(nil, kpi.Wilson, 0.95)
	require.NoError(t, err)
	cal, err := scoring.Reliability([]float64{0.2}, []bool{true}, 1)
	require.NoError(t, err)
	tables := map[string]interface{ WriteCSV(io.Writer) error }{"Gains": gains, "ScoreBands": bands, "Calibrations": cal}
	tests := []struct {
		name string
		w    func() io.Writer
		want string
	}{
		{"nil writer", func() io.Writer { return nil }, "scoring.%s.WriteCSV: w <nil>: nil writer"},
		{"writer fails", func() io.Writer { return &failingWriter{} }, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, tab := range tables {
				err := tab.WriteCSV(tt.w())
				require.Error(t, err, name)
				if strings.Contains(tt.want, "%s") {
					assert.ErrorIs(t, err, kpi.ErrInvalid)
					assert.EqualError(t, err, fmt.Sprintf(tt.want, name))
				} else {
					assert.EqualError(t, err, tt.want)
				}
			}
		})
	}
}

// A gain table as CSV, for a spreadsheet.
func ExampleGains_WriteCSV() {
	gains, _ := exEval().Gains(2)
	_ = gains.WriteCSV(os.Stdout)
	// Output:
	// start,leads,maxScore,minScore,converted,rate,lift,gain,cumLift
	// 0,6,80,55,4,0.6666666666666666,1.5999999999999999,0.8,1.6
	// 6,6,40,0,1,0.16666666666666666,0.39999999999999997,1,1
}

// Score bands as CSV, each with the interval it carries.
func ExampleScoreBands_WriteCSV() {
	bands, _ := exEval().Bands([]float64{50}, kpi.Wilson, 0.95)
	_ = bands.WriteCSV(os.Stdout)
	// Output:
	// min,max,successes,trials,rate,lo,hi,method,level
	// ,50,1,6,0.16666666666666666,0.030053369748306635,0.5635028221864702,Wilson,0.95
	// 50,,4,6,0.6666666666666666,0.29999331513839206,0.9032285888942195,Wilson,0.95
}

// A reliability table as CSV.
func ExampleCalibrations_WriteCSV() {
	cal, _ := scoring.Reliability([]float64{0.1, 0.3, 0.9}, []bool{true, false, true}, 2)
	_ = cal.WriteCSV(os.Stdout)
	// Output:
	// lo,hi,predicted,successes,trials,rate
	// 0,0.5,0.2,1,2,0.5
	// 0.5,1,0.9,1,1,1
}
