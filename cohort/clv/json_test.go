package clv_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
	"github.com/kpiflow/kpi/internal/jsontest"
)

func TestBGNBDJSON(t *testing.T) {
	tests := []struct {
		name     string
		r, alpha float64
		a, b     float64
		want     string
	}{
		// Fader, Hardie and Lee (2005), CDNOW: r 0.243, α 4.414, a 0.793, b 2.426.
		{"CDNOW", 0.243, 4.414, 0.793, 2.426, `{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}`},
		{"thirds", 1.0 / 3, 2, 3, 4, `{"r":0.3333333333333333,"alpha":2,"a":3,"b":4}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := clv.NewBGNBD(tt.r, tt.alpha, tt.a, tt.b)
			require.NoError(t, err)
			b, err := m.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back clv.BGNBD
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, m, back)
		})
	}
}

func TestGammaGammaJSON(t *testing.T) {
	tests := []struct {
		name        string
		p, q, gamma float64
		want        string
	}{
		// Fader, Hardie and Lee's CDNOW spend model: p 6.25, q 3.74, γ 15.44.
		{"CDNOW", 6.25, 3.74, 15.44, `{"p":6.25,"q":3.74,"gamma":15.44}`},
		{"ones", 1, 1, 1, `{"p":1,"q":1,"gamma":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := clv.NewGammaGamma(tt.p, tt.q, tt.gamma)
			require.NoError(t, err)
			b, err := m.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
			var back clv.GammaGamma
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, m, back)
		})
	}
}

func TestModelJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"BG/NBD negative", func() error { var m clv.BGNBD; return m.UnmarshalJSON([]byte(`{"r":-1,"alpha":1,"a":1,"b":1}`)) }, "clv.NewBGNBD: r -1"},
		{"BG/NBD missing b", func() error { var m clv.BGNBD; return m.UnmarshalJSON([]byte(`{"r":1,"alpha":1,"a":1}`)) }, "clv.BGNBD.UnmarshalJSON: r, alpha, a, b missing: all four are required"},
		{"BG/NBD unknown key", func() error { var m clv.BGNBD; return m.UnmarshalJSON([]byte(`{"r":1,"s":1}`)) }, `json: unknown field "s"`},
		{"Gamma–Gamma zero", func() error { var m clv.GammaGamma; return m.UnmarshalJSON([]byte(`{"p":0,"q":1,"gamma":1}`)) }, "clv.NewGammaGamma: p 0"},
		{"Gamma–Gamma missing", func() error { var m clv.GammaGamma; return m.UnmarshalJSON([]byte(`{}`)) }, "clv.GammaGamma.UnmarshalJSON: p, q, gamma missing: all three are required"},
		{"Gamma–Gamma as text", func() error { var m clv.GammaGamma; return m.UnmarshalJSON([]byte(`{"p":"1"}`)) }, "clv.GammaGamma.UnmarshalJSON: p string: cannot be decoded into float64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.True(t, errors.Is(err, kpi.ErrInvalid))
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestEveryTypeMarshals checks that no exported result type of the
// package marshals to {} or loses a field.
func TestEveryTypeMarshals(t *testing.T) {
	bg, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	require.NoError(t, err)
	gg, err := clv.NewGammaGamma(6.25, 3.74, 15.44)
	require.NoError(t, err)
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	h := clv.History{Frequency: 2, Recency: 30.5, Age: 38}
	rfm := clv.RFM{CustomerID: "a", History: h, Value: decimal.RequireFromString("35.5"), Holdout: 1}
	jsontest.Check(t, ".", map[string]string{
		"Purchases":          "an accumulator: its read-out, Summary, has the JSON form",
		"BGNBDEstimate":      "an estimate: its read-outs (Parameters, ...) have the JSON forms",
		"GammaGammaEstimate": "an estimate: its read-outs (Parameters, ...) have the JSON forms",
		"Columns":            "reader options, not a value to send",
		"RFM.History":        "the history's keys are written at the RFM's level",
	}, bg, gg, h, rfm, clv.Summary{Customers: []clv.RFM{rfm}, HoldoutLength: 39},
		clv.Transaction{CustomerID: "a", At: day, Amount: decimal.RequireFromString("19.99")},
		clv.Valuation{Purchases: bg, Spend: gg, Periods: 12, Length: 4.35, Discount: 0.01, Margin: 0.3},
		clv.Parameter{Name: "r", Value: 0.243, SE: 0.0125, Interval: kpi.Interval{Lo: 0.22, Hi: 0.27, Level: 0.95, Method: "delta-log"}},
		clv.HoldoutGroup{Frequency: 1, Customers: 10, Actual: 0.5, Predicted: 0.48},
		clv.HoldoutGroups{{Frequency: 1, Customers: 10, Actual: 0.5, Predicted: 0.48}})
}

func FuzzBGNBDUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}`))
	f.Add([]byte(`{"r":1e-320,"alpha":1e308,"a":1,"b":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m clv.BGNBD
		if err := m.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		b, err := m.MarshalJSON()
		require.NoError(t, err)
		var back clv.BGNBD
		require.NoError(t, back.UnmarshalJSON(b), "%s", b)
		assert.Equal(t, m, back)
	})
}

func FuzzGammaGammaUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"p":6.25,"q":3.74,"gamma":15.44}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m clv.GammaGamma
		if err := m.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		b, err := m.MarshalJSON()
		require.NoError(t, err)
		var back clv.GammaGamma
		require.NoError(t, back.UnmarshalJSON(b), "%s", b)
		assert.Equal(t, m, back)
	})
}

// A fitted BG/NBD model is stored as its four parameters.
func ExampleBGNBD_MarshalJSON() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	b, _ := json.Marshal(m)
	fmt.Println(string(b))
	// Output:
	// {"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}
}

// A stored BG/NBD model is loaded without refitting.
func ExampleBGNBD_UnmarshalJSON() {
	var m clv.BGNBD
	fmt.Println(json.Unmarshal([]byte(`{"r":0.243,"alpha":4.414,"a":0.793,"b":2.426}`), &m), m.R(), m.B())
	// Output:
	// <nil> 0.243 2.426
}

// A fitted Gamma–Gamma model is stored as its three parameters.
func ExampleGammaGamma_MarshalJSON() {
	m, _ := clv.NewGammaGamma(6.25, 3.74, 15.44)
	b, _ := json.Marshal(m)
	fmt.Println(string(b))
	// Output:
	// {"p":6.25,"q":3.74,"gamma":15.44}
}

// A stored Gamma–Gamma model is loaded, checked as NewGammaGamma checks it.
func ExampleGammaGamma_UnmarshalJSON() {
	var m clv.GammaGamma
	fmt.Println(json.Unmarshal([]byte(`{"p":6.25,"q":3.74,"gamma":15.44}`), &m), m.Gamma())
	fmt.Println(json.Unmarshal([]byte(`{"p":-6.25,"q":3.74,"gamma":15.44}`), &m))
	// Output:
	// <nil> 15.44
	// clv.NewGammaGamma: p -6.25: must be a finite number > 0
}

// TestGoldenJSON pins the JSON forms of the package's models; go test
// -update rewrites testdata/*.json.
func TestGoldenJSON(t *testing.T) {
	bg, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	require.NoError(t, err)
	gg, err := clv.NewGammaGamma(6.25, 3.74, 15.44)
	require.NoError(t, err)
	tests := []struct {
		name string
		v    any
	}{
		{"bgnbd.json", bg},
		{"gammagamma.json", gg},
		{"valuation.json", clv.Valuation{Purchases: bg, Spend: gg, Periods: 12, Length: 4.35, Discount: 0.01, Margin: 0.3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tt.v, "", "\t")
			require.NoError(t, err)
			jsontest.Golden(t, tt.name, append(b, '\n'))
		})
	}
}
