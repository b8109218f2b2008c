package kpi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/jsontest"
)

func mustRate(t testing.TB, s, n int64) kpi.Rate {
	t.Helper()
	r, err := kpi.NewRate(s, n)
	require.NoError(t, err)
	return r
}

func TestRateMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		r    kpi.Rate
		want string
	}{
		// 96/240 = 0.4 by hand; 1/3 is the shortest float64 decimal.
		{"forty percent", mustRate(t, 96, 240), `{"successes":96,"trials":240,"value":0.4}`},
		{"a third", mustRate(t, 1, 3), `{"successes":1,"trials":3,"value":0.3333333333333333}`},
		{"tiny", mustRate(t, 1, 1e8), `{"successes":1,"trials":100000000,"value":1e-8}`},
		{"tiny, two digits", mustRate(t, 3, 2e9), `{"successes":3,"trials":2000000000,"value":1.5e-9}`},
		{"no trials", kpi.Rate{}, `{"successes":0,"trials":0,"value":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.r.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			assert.True(t, json.Valid(got))
		})
	}
}

func TestRateUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     kpi.Rate
	}{
		{"with value", `{"successes":96,"trials":240,"value":0.4}`, mustRate(t, 96, 240)},
		{"without value", `{"trials":3,"successes":1}`, mustRate(t, 1, 3)},
		{"no trials", `{"successes":0,"trials":0,"value":null}`, kpi.Rate{}},
		{"exponent", `{"successes":1,"trials":100000000,"value":1e-8}`, mustRate(t, 1, 1e8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got kpi.Rate
			require.NoError(t, got.UnmarshalJSON([]byte(tt.in)))
			assert.Equal(t, tt.want, got)
			back, err := got.MarshalJSON()
			require.NoError(t, err)
			var again kpi.Rate
			require.NoError(t, json.Unmarshal(back, &again))
			assert.Equal(t, got, again)
		})
	}
}

func TestRateUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"successes above trials", `{"successes":12,"trials":10}`, "kpi.Rate.UnmarshalJSON: successes 12: exceeds trials 10"},
		{"negative", `{"successes":1,"trials":-4}`, "kpi.Rate.UnmarshalJSON: trials -4: negative count"},
		{"missing trials", `{"successes":1}`, "kpi.Rate.UnmarshalJSON: trials missing: required"},
		{"missing successes", `{"trials":1}`, "kpi.Rate.UnmarshalJSON: successes missing: required"},
		{"unknown key", `{"successes":1,"trials":2,"rate":0.5}`, `kpi.Rate.UnmarshalJSON: JSON document: json: unknown field "rate"`},
		// Issue 13's probe: encoding/json takes any case and the last of a
		// repeated key.
		{"key in another case", `{"Successes":1,"trials":2}`, `kpi.Rate.UnmarshalJSON: JSON "Successes": key differs in case from "successes"`},
		{"key given twice", `{"successes":1,"trials":2,"trials":3}`, `kpi.Rate.UnmarshalJSON: JSON "trials": repeated key`},
		{"string count", `{"successes":"1","trials":2}`, "kpi.Rate.UnmarshalJSON: successes string: cannot be decoded into int64"},
		{"beyond int64", `{"successes":1,"trials":9223372036854775808}`, "kpi.Rate.UnmarshalJSON: trials number 9223372036854775808: cannot be decoded into int64"},
		{"fraction", `{"successes":1.5,"trials":2}`, "kpi.Rate.UnmarshalJSON: successes number 1.5: cannot be decoded into int64"},
		{"value disagrees", `{"successes":1,"trials":2,"value":0.4}`, "kpi.Rate.UnmarshalJSON: value 0.4: differs from successes/trials 1/2 = 0.5"},
		{"NaN as a string", `{"successes":1,"trials":2,"value":"NaN"}`, `kpi.Rate.UnmarshalJSON: value "NaN": not a number`},
		{"value with no trials", `{"successes":0,"trials":0,"value":0}`, "kpi.Rate.UnmarshalJSON: value 0: a rate with no trials has no value: use null"},
		{"null value with trials", `{"successes":0,"trials":4,"value":null}`, "kpi.Rate.UnmarshalJSON: value null: a rate with 4 trials has a value"},
		{"not an object", `[1,2]`, "kpi.Rate.UnmarshalJSON: JSON array: cannot be decoded into kpi.rateJSON"},
		{"truncated", `{"successes":1,`, "kpi.Rate.UnmarshalJSON: JSON document: unexpected EOF"},
		{"bad character", `{"successes":x}`, "kpi.Rate.UnmarshalJSON: JSON offset 14: invalid character 'x' looking for beginning of value"},
		{"trailing data", `{"successes":1,"trials":2} 3`, "kpi.Rate.UnmarshalJSON: JSON trailing data: one value expected"},
		{"empty", ``, "kpi.Rate.UnmarshalJSON: JSON document: EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got kpi.Rate
			err := got.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
			assert.Equal(t, kpi.Rate{}, got, "a failed decode leaves the rate alone")
		})
	}
}

func TestMethodText(t *testing.T) {
	tests := []struct {
		name   string
		method kpi.Method
		want   string
	}{
		{"Wilson", kpi.Wilson, "Wilson"},
		{"WilsonCC", kpi.WilsonCC, "WilsonCC"},
		{"Wald", kpi.Wald, "Wald"},
		{"AgrestiCoull", kpi.AgrestiCoull, "AgrestiCoull"},
		{"ClopperPearson", kpi.ClopperPearson, "ClopperPearson"},
		{"Jeffreys", kpi.Jeffreys, "Jeffreys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.method.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
			var back kpi.Method
			require.NoError(t, back.UnmarshalText(got))
			assert.Equal(t, tt.method, back)
		})
	}
}

func TestMethodTextErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"marshal an unknown method", func() error { _, err := kpi.Method(9).MarshalText(); return err }, "kpi.Method.MarshalText: method 9: unknown interval method"},
		{"marshal a negative method", func() error { _, err := kpi.Method(-1).MarshalText(); return err }, "kpi.Method.MarshalText: method -1: unknown interval method"},
		{"unmarshal a wrong case", func() error { var m kpi.Method; return m.UnmarshalText([]byte("wilson")) }, `kpi.Method.UnmarshalText: method "wilson": unknown interval method`},
		{"unmarshal nothing", func() error { var m kpi.Method; return m.UnmarshalText(nil) }, `kpi.Method.UnmarshalText: method "": unknown interval method`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestComparisonMarshalJSON(t *testing.T) {
	type stats struct {
		A, B                                       kpi.Rate
		Diff, ChiSquare, ChiSquareP, Yates, YatesP float64
		FisherP                                    float64
		Lift                                       *float64
	}
	lift := 40.0/96/(52.0/110) - 1
	tests := []struct {
		name string
		a, b kpi.Rate
		want stats
	}{
		// R 4.2.2: prop.test(c(52, 40), c(110, 96), correct = FALSE) gives
		// X-squared 0.651859556665, p 0.419448623127; with correct = TRUE
		// 0.444762683326, p 0.504832623346; fisher.test(matrix(c(52, 58,
		// 40, 56), 2, byrow = TRUE))$p.value 0.482842164393. Diff and lift
		// by hand: 40/96 − 52/110 and (40/96)/(52/110) − 1.
		{"last month and this", mustRate(t, 52, 110), mustRate(t, 40, 96), stats{
			A: mustRate(t, 52, 110), B: mustRate(t, 40, 96), Diff: 40.0/96 - 52.0/110,
			ChiSquare: 0.651859556665, ChiSquareP: 0.419448623127, Yates: 0.444762683326, YatesP: 0.504832623346,
			FisherP: 0.482842164393, Lift: &lift,
		}},
		// A zero rate for A: the lift is undefined and null. R 4.2.2:
		// prop.test(c(0, 3), c(10, 10)) with correct = FALSE and TRUE, and
		// fisher.test(matrix(c(0, 10, 3, 7), 2, byrow = TRUE))$p.value.
		{"zero A", mustRate(t, 0, 10), mustRate(t, 3, 10), stats{
			A: mustRate(t, 0, 10), B: mustRate(t, 3, 10), Diff: 0.3,
			ChiSquare: 3.52941176471, ChiSquareP: 0.0602891739906, Yates: 1.56862745098, YatesP: 0.210406453095,
			FisherP: 0.210526315789,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := kpi.Compare(tt.a, tt.b)
			require.NoError(t, err)
			b, err := c.MarshalJSON()
			require.NoError(t, err)
			var got stats
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.want.A, got.A)
			assert.Equal(t, tt.want.B, got.B)
			assert.InDelta(t, tt.want.Diff, got.Diff, 1e-15)
			assert.InEpsilon(t, tt.want.ChiSquare, got.ChiSquare, 1e-9)
			assert.InEpsilon(t, tt.want.ChiSquareP, got.ChiSquareP, 1e-9)
			assert.InEpsilon(t, tt.want.Yates, got.Yates, 1e-9)
			assert.InEpsilon(t, tt.want.YatesP, got.YatesP, 1e-9)
			assert.InEpsilon(t, tt.want.FisherP, got.FisherP, 1e-9)
			if tt.want.Lift == nil {
				assert.Nil(t, got.Lift)
				assert.Contains(t, string(b), `"lift":null`)
			} else {
				require.NotNil(t, got.Lift)
				assert.InDelta(t, *tt.want.Lift, *got.Lift, 1e-15)
			}
		})
	}
}

// TestComparisonMarshalJSONNotFinite shows that a statistic that is not
// finite, which Compare never makes, cannot make Marshal fail.
func TestComparisonMarshalJSONNotFinite(t *testing.T) {
	tests := []struct {
		name string
		c    kpi.Comparison
	}{
		{"NaN", kpi.Comparison{Z: math.NaN(), FisherP: math.NaN()}},
		{"Inf", kpi.Comparison{A: mustRate(t, 1, 2), B: mustRate(t, 1, 2), ChiSquare: math.Inf(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.c.MarshalJSON()
			require.NoError(t, err)
			assert.True(t, json.Valid(b))
		})
	}
}

// TestGoldenJSON pins the JSON forms of the package's values; go test
// -update rewrites testdata/*.json.
func TestGoldenJSON(t *testing.T) {
	c, err := kpi.Compare(mustRate(t, 52, 110), mustRate(t, 40, 96))
	require.NoError(t, err)
	test, err := mustRate(t, 40, 96).Test(0.5)
	require.NoError(t, err)
	tests := []struct {
		name string
		v    any
	}{
		{"rate.json", mustRate(t, 96, 240)},
		{"rate_no_trials.json", kpi.Rate{}},
		{"comparison.json", c},
		{"binomial_test.json", test},
		{"method.json", []kpi.Method{kpi.Wilson, kpi.Jeffreys}},
		{"sequence.json", kpi.Sequence{Alpha: 0.05, Successes: 161, Trials: 400}},
		{"diff_sequence.json", kpi.DiffSequence{Alpha: 0.05, A: mustRate(t, 476, 8000), B: mustRate(t, 648, 8000)}},
		{"health.json", kpi.Health{Read: 3, Used: 2, Rejected: 1, Rejections: []kpi.Rejection{{Line: 3, Column: "Amount", Text: "x", Reason: "not a number"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tt.v, "", "\t")
			require.NoError(t, err)
			jsontest.Golden(t, tt.name, append(b, '\n'))
		})
	}
}

// TestEveryTypeMarshals checks that no exported type of the package
// marshals to {} or loses a field.
func TestEveryTypeMarshals(t *testing.T) {
	c, err := kpi.Compare(mustRate(t, 52, 110), mustRate(t, 40, 96))
	require.NoError(t, err)
	test, err := mustRate(t, 40, 96).Test(0.5)
	require.NoError(t, err)
	h := kpi.Health{Read: 3, Used: 1, Rejected: 1, Duplicates: 1, UnmappedRows: 1,
		Rejections: []kpi.Rejection{{Line: 3, Column: "Amount", Text: "x", Reason: "not a number"}},
		Unmapped:   []kpi.Unmapped{{Value: "Churned", Rows: 1}}}
	curve, err := kpi.KaplanMeier(slices.Values([]kpi.Observation{{Time: 1, Converted: true}, {Time: 2}}), 0.95, kpi.LogLogScale)
	require.NoError(t, err)
	jsontest.Check(t, ".", map[string]string{
		"Error": "an error, reported by its message",
	}, mustRate(t, 96, 240), c, test, kpi.ClopperPearson, h, h.Rejections[0], h.Unmapped[0],
		kpi.Interval{Lo: 0.34, Hi: 0.46, Level: 0.95, Method: "Wilson"},
		kpi.MoneyInterval{Lo: decimal.RequireFromString("101.25"), Hi: decimal.RequireFromString("188.40"), Level: 0.95, Method: "delta-log"},
		kpi.Greater, kpi.Hommel, kpi.MarginTest{Margin: -0.01, Alternative: kpi.Greater, Z: 1.9, P: 0.03},
		kpi.Design{Alpha: 0.05, Power: 0.8, Alternative: kpi.Less, Sizing: kpi.Exact}, kpi.Size{A: 526, B: 1051, N: 525.3}, kpi.Arcsine,
		kpi.Observation{Time: 3, Converted: true}, kpi.PlainScale, curve, curve.Points[0],
		kpi.Trend{Z: 3.06, ChiSquare: 9.36, P: 0.0022}, kpi.Homogeneity{ChiSquare: 12.6, DF: 3, P: 0.0056}, kpi.SRM{ChiSquare: 14.5, DF: 1, P: 0.00014},
		kpi.Sequence{Alpha: 0.05, Successes: 161, Trials: 400}, kpi.DiffSequence{Alpha: 0.05, A: mustRate(t, 476, 8000), B: mustRate(t, 648, 8000)}, kpi.Beyond,
		kpi.Chart{Center: 0.4, SigmaZ: 1.2, Laney: true, Points: []kpi.Point{{Rate: mustRate(t, 40, 100), Value: 0.4, Lower: 0.25, Upper: 0.55, Z: 0.1, Signals: kpi.Shift}}},
		kpi.Point{Rate: mustRate(t, 40, 100), Value: 0.4, Lower: 0.25, Upper: 0.55, Z: 0.1, Signals: kpi.Beyond},
		kpi.Parameter{Name: "alpha", Value: 0.67, SE: 0.05, Interval: kpi.Interval{Lo: 0.57, Hi: 0.78, Level: 0.95, Method: "delta-log"}})
}

func FuzzRateUnmarshalJSON(f *testing.F) {
	for _, s := range []string{
		`{"successes":96,"trials":240,"value":0.4}`,
		`{"successes":0,"trials":0,"value":null}`,
		`{"successes":1,"trials":3}`,
		`{"successes":1,"trials":2,"value":"NaN"}`,
		`{"successes":9223372036854775807,"trials":9223372036854775807}`,
		`[[[[[[[[[[`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r kpi.Rate
		if err := r.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		b, err := r.MarshalJSON()
		require.NoError(t, err)
		var back kpi.Rate
		require.NoError(t, back.UnmarshalJSON(b), "%s", b)
		assert.Equal(t, r, back)
	})
}

// A rate in JSON carries its counts and its value; a rate with no trials
// has a null value.
func ExampleRate_MarshalJSON() {
	r, _ := kpi.NewRate(96, 240)
	b, _ := json.Marshal(map[string]kpi.Rate{"mqlToSql": r, "empty": {}})
	fmt.Println(string(b))
	// Output:
	// {"empty":{"successes":0,"trials":0,"value":null},"mqlToSql":{"successes":96,"trials":240,"value":0.4}}
}

// Decoding a rate checks it as NewRate does and names the key at fault.
func ExampleRate_UnmarshalJSON() {
	var r kpi.Rate
	fmt.Println(json.Unmarshal([]byte(`{"successes":96,"trials":240}`), &r), r)
	fmt.Println(json.Unmarshal([]byte(`{"successes":120,"trials":96}`), &r))
	// Output:
	// <nil> 96/240 (40.00%)
	// kpi.Rate.UnmarshalJSON: successes 120: exceeds trials 96
}

// A Method reads in JSON as its name.
func ExampleMethod_MarshalText() {
	b, _ := json.Marshal(struct {
		Method kpi.Method `json:"method"`
	}{kpi.ClopperPearson})
	fmt.Println(string(b))
	// Output: {"method":"ClopperPearson"}
}

// A Method is read back from its name; other text is an error.
func ExampleMethod_UnmarshalText() {
	var m kpi.Method
	fmt.Println(m.UnmarshalText([]byte("Jeffreys")), m)
	fmt.Println(m.UnmarshalText([]byte("exact")))
	// Output:
	// <nil> Jeffreys
	// kpi.Method.UnmarshalText: method "exact": unknown interval method
}

// A Comparison in JSON carries both rates, the lift and every test, so a
// dashboard need not recompute them.
func ExampleComparison_MarshalJSON() {
	last, _ := kpi.NewRate(52, 110)
	this, _ := kpi.NewRate(40, 96)
	c, _ := kpi.Compare(last, this)
	b, _ := json.MarshalIndent(c, "", " ")
	fmt.Println(string(b))
	// Output:
	// {
	//  "a": {
	//   "successes": 52,
	//   "trials": 110,
	//   "value": 0.4727272727272727
	//  },
	//  "b": {
	//   "successes": 40,
	//   "trials": 96,
	//   "value": 0.4166666666666667
	//  },
	//  "diff": -0.05606060606060603,
	//  "lift": -0.1185897435897435,
	//  "z": -0.8073781992753136,
	//  "zp": 0.4194486231274708,
	//  "chiSquare": 0.651859556665048,
	//  "chiSquareP": 0.4194486231274708,
	//  "yates": 0.44476268332639984,
	//  "yatesP": 0.5048326233458607,
	//  "fisherP": 0.4828421643926918,
	//  "probBBetter": 0.21124665216052924,
	//  "alternative": "TwoSided"
	// }
}
