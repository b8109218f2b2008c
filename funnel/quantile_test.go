package funnel_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// quantileMinutes are 25 times to convert in minutes, drawn in R 4.2.2:
//
//	set.seed(16); x <- sample(1:2000, 25, replace = TRUE)
var quantileMinutes = []int{1761, 1663, 827, 701, 1295, 1963, 776, 1300, 942, 475, 1876, 64, 337,
	1661, 1406, 234, 67, 1916, 895, 1976, 873, 1598, 595, 1557, 909}

// quantileCounter counts a lead → sql funnel whose 25 entities convert
// after quantileMinutes, asking for the quantiles qs.
func quantileCounter(t testing.TB, qs []float64) *funnel.Counter {
	c, err := funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}},
		Window: 30 * 24 * time.Hour, Quantiles: qs})
	require.NoError(t, err)
	for i, m := range quantileMinutes {
		at := time.Date(2026, 1, 5, 9, i, 0, 0, time.UTC)
		id := fmt.Sprint("c", i)
		require.NoError(t, c.Add(funnel.Event{Entity: id, Name: "lead", Time: at}))
		require.NoError(t, c.Add(funnel.Event{Entity: id, Name: "sql", Time: at.Add(time.Duration(m) * time.Minute)}))
	}
	return c
}

// TestDefinition_Quantiles checks the quantiles asked against R 4.2.2's
// type-1 quantiles (the inverse of the empirical distribution function)
// of quantileMinutes:
//
//	quantile(x, c(0.1, 0.25, 0.3, 0.7, 0.75, 0.95, 0.99), type = 1)
//	#  234  701  776 1598 1661 1963 1976
//	quantile(x, c(0.5, 0.9), type = 1)
//	#  942 1916
//
// in the Result, the Series' periods, and the JSON and CSV forms.
func TestDefinition_Quantiles(t *testing.T) {
	tests := []struct {
		name    string
		qs      []float64
		minutes []int
	}{
		{"none", nil, nil},
		{"one", []float64{0.95}, []int{1963}},
		{"tails and quartiles", []float64{0.1, 0.25, 0.3, 0.7, 0.75, 0.95, 0.99}, []int{234, 701, 776, 1598, 1661, 1963, 1976}},
		{"median and p90 again", []float64{0.5, 0.9}, []int{942, 1916}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := quantileCounter(t, tc.qs)
			r, err := c.Result()
			require.NoError(t, err)
			var want []funnel.Quantile
			for i, m := range tc.minutes {
				want = append(want, funnel.Quantile{P: tc.qs[i], Time: time.Duration(m) * time.Minute})
			}
			d := r.Steps[1].Time
			assert.Equal(t, want, d.Quantiles)
			assert.Equal(t, 942*time.Minute, d.Median) // R's type-1 median
			assert.Equal(t, 1916*time.Minute, d.P90)
			assert.Nil(t, r.Steps[0].Time.Quantiles, "the first step has no times")

			s, err := c.Series(funnel.Periods{Grain: funnel.Month, Location: time.UTC}, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
			require.NoError(t, err)
			assert.Equal(t, want, s.Periods[0].Steps[1].Time.Quantiles)
			var scsv bytes.Buffer
			require.NoError(t, s.WriteCSV(&scsv))
			slines := strings.Split(scsv.String(), "\n")
			sheader, srow := strings.Split(slines[0], ","), strings.Split(slines[2], ",")
			assert.Len(t, sheader, 23+len(tc.qs))
			for i, q := range tc.qs {
				col := slices.Index(sheader, fmt.Sprint("q", q))
				require.GreaterOrEqual(t, col, 0, "no column for %v in %s", q, slines[0])
				assert.Equal(t, fmt.Sprint(60*tc.minutes[i]), srow[col])
			}

			js, err := json.Marshal(d)
			require.NoError(t, err)
			var w struct {
				Quantiles []struct {
					P    float64  `json:"p"`
					Time *float64 `json:"time"`
				} `json:"quantiles"`
			}
			require.NoError(t, json.Unmarshal(js, &w))
			require.Len(t, w.Quantiles, len(want))
			for i, q := range w.Quantiles {
				assert.Equal(t, tc.qs[i], q.P)
				assert.Equal(t, float64(60*tc.minutes[i]), *q.Time)
			}
			assert.Equal(t, len(want) > 0, strings.Contains(string(js), `"quantiles"`))

			var csv bytes.Buffer
			require.NoError(t, r.WriteCSV(&csv))
			lines := strings.Split(csv.String(), "\n")
			header, row := strings.Split(lines[0], ","), strings.Split(lines[2], ",")
			for i, q := range tc.qs {
				col := slices.Index(header, fmt.Sprint("q", q))
				require.GreaterOrEqual(t, col, 0, "no column for %v in %s", q, lines[0])
				assert.Equal(t, fmt.Sprint(60*tc.minutes[i]), row[col])
				assert.Empty(t, strings.Split(lines[1], ",")[col], "the first step has no times")
			}
			assert.Len(t, header, 13+len(tc.qs))
		})
	}
}

// TestDurations_MarshalJSONQuantiles: the quantiles' key is there only
// when some are asked, and with no times their times are null.
func TestDurations_MarshalJSONQuantiles(t *testing.T) {
	tests := []struct {
		name string
		d    funnel.Durations
		want string
	}{
		{"none asked", funnel.Durations{N: 1, Median: time.Second, P90: time.Second, Mean: time.Second},
			`{"n":1,"median":1,"p90":1,"mean":1,"bins":[]}`},
		{"asked", funnel.Durations{N: 1, Median: time.Second, P90: time.Second, Mean: time.Second,
			Quantiles: []funnel.Quantile{{P: 0.99, Time: 1500 * time.Millisecond}}},
			`{"n":1,"median":1,"p90":1,"quantiles":[{"p":0.99,"time":1.5}],"mean":1,"bins":[]}`},
		{"no times", funnel.Durations{Quantiles: []funnel.Quantile{{P: 0.25}}},
			`{"n":0,"median":null,"p90":null,"quantiles":[{"p":0.25,"time":null}],"mean":null,"bins":[]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.d)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))
		})
	}
}

// TestDefinition_QuantilesErrors: each bad list is an error naming the
// field and the value, from NewCounter and from the JSON form.
func TestDefinition_QuantilesErrors(t *testing.T) {
	many := make([]float64, 65)
	for i := range many {
		many[i] = float64(i+1) / 100
	}
	tests := []struct {
		name string
		qs   []float64
		want string
	}{
		{"zero", []float64{0}, "quantiles[0] 0: a quantile's probability must be in (0, 1)"},
		{"one", []float64{0.5, 1}, "quantiles[1] 1: a quantile's probability must be in (0, 1)"},
		{"negative", []float64{-0.25}, "quantiles[0] -0.25: a quantile's probability must be in (0, 1)"},
		{"NaN", []float64{math.NaN()}, "quantiles[0] NaN: a quantile's probability must be in (0, 1)"},
		{"infinite", []float64{math.Inf(1)}, "quantiles[0] +Inf: a quantile's probability must be in (0, 1)"},
		{"repeated", []float64{0.25, 0.75, 0.75}, "quantiles[2] 0.75: same as quantiles[1]: ask for each once"},
		{"descending", []float64{0.99, 0.75}, "quantiles[1] 0.75: below quantiles[0], 0.99: give them ascending"},
		{"too many", many, "quantiles 65: more than 64 quantiles"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}}, Window: time.Hour, Quantiles: tc.qs}
			_, err := funnel.NewCounter(d)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, "funnel.NewCounter: "+tc.want, err.Error())
			if slices.ContainsFunc(tc.qs, func(q float64) bool { return math.IsNaN(q) || math.IsInf(q, 0) }) {
				return // JSON has no NaN nor infinity
			}
			js, err := json.Marshal(d)
			require.NoError(t, err)
			var back funnel.Definition
			err = json.Unmarshal(js, &back)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// The quantiles of the time to convert beyond Median and P90: a
// Definition asks for them, and each step's Durations reports them, the
// smallest time with at least that share of the times at or below it.
func ExampleDefinition_quantiles() {
	d := funnel.Definition{
		Steps:     []funnel.Match{{Event: "lead"}, {Event: "sql"}},
		Window:    30 * 24 * time.Hour,
		Quantiles: []float64{0.25, 0.75, 0.99},
	}
	c, _ := funnel.NewCounter(d)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, hours := range []int{2, 5, 9, 26, 30, 48, 50, 72, 120, 300} {
		id := fmt.Sprint("c", i)
		_ = c.Add(funnel.Event{Entity: id, Name: "lead", Time: t0})
		_ = c.Add(funnel.Event{Entity: id, Name: "sql", Time: t0.Add(time.Duration(hours) * time.Hour)})
	}
	r, _ := c.Result()
	sql := r.Steps[1].Time
	fmt.Println("median", sql.Median, "p90", sql.P90)
	for _, q := range sql.Quantiles {
		fmt.Printf("p%v %v\n", 100*q.P, q.Time)
	}
	_ = r.WriteCSV(os.Stdout)
	// Output:
	// median 30h0m0s p90 120h0m0s
	// p25 9h0m0s
	// p75 72h0m0s
	// p99 300h0m0s
	// breakdown,step,reached,rate,lo,hi,method,level,cumulative,n,median,p90,mean,q0.25,q0.75,q0.99
	// false,lead,10,1,0.7224672001371109,1,Wilson,0.95,1,0,,,,,,
	// false,sql,10,1,0.7224672001371109,1,Wilson,0.95,1,10,108000,432000,238320,32400,259200,1080000
}

// A Quantile of a step's times: its probability and the time. Of four
// SQLs, 3, 4, 10 and 20 days after their leads, the 0.75 quantile is the
// third time (⌈0.75·4⌉ = 3).
func ExampleQuantile() {
	c, _ := funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}},
		Window: 30 * 24 * time.Hour, Quantiles: []float64{0.75}})
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, days := range []int{20, 3, 10, 4} {
		id := fmt.Sprint("c", i)
		_ = c.Add(funnel.Event{Entity: id, Name: "lead", Time: t0})
		_ = c.Add(funnel.Event{Entity: id, Name: "sql", Time: t0.AddDate(0, 0, days)})
	}
	r, _ := c.Result()
	q := r.Steps[1].Time.Quantiles[0]
	fmt.Printf("%v of the SQLs came within %v of their lead\n", q.P, q.Time)
	// Output:
	// 0.75 of the SQLs came within 240h0m0s of their lead
}
