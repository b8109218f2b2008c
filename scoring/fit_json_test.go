package scoring_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/jsontest"
	"github.com/kpiflow/kpi/scoring"
)

// demoFit is the fit of TestLearn's three rules at λ = 0.01.
func demoFit(t testing.TB) *scoring.Fit {
	t.Helper()
	f, err := scoring.Learn(flagScorer(t, threePoints, "a", "b", "c"), outcomes(threeRules), 0.01)
	require.NoError(t, err)
	return f
}

// TestFitJSONRoundTrip checks that a fit decodes to the same learned
// points and gives the same intervals as the fit it was written from.
func TestFitJSONRoundTrip(t *testing.T) {
	s, data := learnData()
	two, err := scoring.Learn(s, slices.Values(data), 0.001)
	require.NoError(t, err)
	tests := []struct {
		name string
		f    *scoring.Fit
	}{
		{"three rules", demoFit(t)},
		{"two rules", two},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.f)
			require.NoError(t, err)
			var back scoring.Fit
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.f.Rules, back.Rules)
			assert.Equal(t, tt.f.Intercept, back.Intercept)
			assert.Equal(t, tt.f.InterceptSE, back.InterceptSE)
			assert.Equal(t, tt.f.Lambda, back.Lambda)
			assert.Equal(t, tt.f.Leads, back.Leads)
			assert.Equal(t, tt.f.Converted, back.Converted)
			want, err := tt.f.Intervals(0.95)
			require.NoError(t, err)
			got, err := back.Intervals(0.95)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			again, err := json.Marshal(&back)
			require.NoError(t, err)
			assert.Equal(t, string(b), string(again))
			_, _, err = back.Holdout(slices.Values(data))
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, "decoded from JSON")
		})
	}
}

// TestFitMarshalJSON checks the zero Fit's form: no rules and a null
// covariance.
func TestFitMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		f    scoring.Fit
		want string
	}{
		{"zero", scoring.Fit{}, `{"rules":[],"intercept":0,"interceptSE":0,"lambda":0,"leads":0,"converted":0,"covariance":null}`},
		{"by hand, no covariance", scoring.Fit{Rules: []scoring.RuleFit{{ID: "a", Fired: 2, Coef: 1, SE: 0.5, Points: 10, Suggested: 10}}, Leads: 4, Converted: 1},
			`{"rules":[{"id":"a","fired":2,"coef":1,"se":0.5,"points":10,"suggested":10}],"intercept":0,"interceptSE":0,"lambda":0,"leads":4,"converted":1,"covariance":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.f.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
}

// fitDoc is a valid fit by hand: one rule, Σ|points| = 10 and
// Σ|coef| = 2, so suggested = 2·10/2 = 10; SEs 0.5 and 0.25 are the
// square roots of the covariance's diagonal 0.25 and 0.0625.
const fitDoc = `{"rules":[{"id":"a","fired":2,"coef":2,"se":0.25,"points":10,"suggested":10}],` +
	`"intercept":-1,"interceptSE":0.5,"lambda":0.01,"leads":10,"converted":3,"covariance":[[0.25,0.01],[0.01,0.0625]]}`

// TestFitUnmarshalJSON decodes fitDoc.
func TestFitUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		coef float64
	}{
		{"by hand", fitDoc, 2},
		{"negative coefficient", strings.NewReplacer(`"coef":2`, `"coef":-2`, `"suggested":10`, `"suggested":-10`).Replace(fitDoc), -2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f scoring.Fit
			require.NoError(t, json.Unmarshal([]byte(tt.doc), &f))
			assert.Equal(t, tt.coef, f.Rules[0].Coef)
			ivs, err := f.Intervals(0.95)
			require.NoError(t, err)
			// Wald: 2 ± 1.959963984540054·0.25
			assert.InDelta(t, tt.coef-0.4899909961350135, ivs[0].Coef.Lo, 1e-12)
		})
	}
}

// TestFitUnmarshalJSONErrors changes fitDoc in one place each.
func TestFitUnmarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown key", `"lambda"`, `"extra":1,"lambda"`, `unknown field "extra"`},
		{"wrong type in a rule", `"fired":2`, `"fired":"2"`, `rules[0].fired string: cannot be decoded into int64`},
		{"no covariance", `,"covariance":[[0.25,0.01],[0.01,0.0625]]`, ``, `rules and covariance: both are required`},
		{"negative lambda", `"lambda":0.01`, `"lambda":-1`, `lambda -1: want a penalty in [0, 1e6], as Learn takes`},
		{"lambda Learn refuses", `"lambda":0.01`, `"lambda":1e7`, `lambda 1e+07: want a penalty in [0, 1e6], as Learn takes`},
		{"one lead", `"leads":10`, `"leads":1`, `leads 1: a fit needs leads of both outcomes`},
		{"all converted", `"converted":3`, `"converted":10`, `converted 10: want 1 to 9, fewer than the leads`},
		{"empty ID", `"id":"a"`, `"id":""`, `rules[0].id "": empty rule ID`},
		{"fires on all", `"fired":2`, `"fired":10`, `rules[0].fired 10: a rule of a fit fires on some leads, not all`},
		{"suggested off", `"suggested":10`, `"suggested":11`, `rules[0].suggested 11: want 10, the coefficient scaled to the model's range`},
		{"se off", `"se":0.25`, `"se":0.3`, `rules[0].se 0.3: want 0.25, the square root of covariance[1][1]`},
		{"intercept se off", `"interceptSE":0.5`, `"interceptSE":0.4`, `interceptSE 0.4: want 0.5, the square root of covariance[0][0]`},
		{"rows", `[[0.25,0.01],[0.01,0.0625]]`, `[[0.25,0.01]]`, `covariance 1 rows: want 2, the intercept and each rule`},
		{"columns", `[0.01,0.0625]]`, `[0.01]]`, `covariance[1] 1 columns: want 2`},
		{"not symmetric", `[0.01,0.0625]]`, `[0.02,0.0625]]`, `covariance[1][0] 0.02: differs from covariance[0][1] 0.01: not symmetric`},
		{"not positive definite", `[[0.25,0.01],[0.01,0.0625]]`, `[[0.25,1],[1,0.0625]]`, `covariance matrix: not positive definite`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(fitDoc, tt.old, tt.new, 1)
			require.NotEqual(t, fitDoc, doc)
			var f scoring.Fit
			err := json.Unmarshal([]byte(doc), &f)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, "scoring.Fit.UnmarshalJSON: ")
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

// TestFitGoldenJSON pins the fit's form.
func TestFitGoldenJSON(t *testing.T) {
	tests := []struct {
		name string
		f    *scoring.Fit
	}{
		{"fit.json", demoFit(t)},
		{"fit_zero.json", &scoring.Fit{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tt.f, "", "\t")
			require.NoError(t, err)
			jsontest.Golden(t, tt.name, append(b, '\n'))
		})
	}
}

// FuzzFitUnmarshalJSON checks that whatever decodes re-encodes and
// decodes to the same fit.
func FuzzFitUnmarshalJSON(f *testing.F) {
	f.Add([]byte(fitDoc))
	f.Add([]byte(`{"rules":[],"leads":2,"converted":1,"covariance":[[1]],"interceptSE":1}`))
	f.Add([]byte(`{"rules":[{"id":"a","fired":1e300}],"covariance":[[1e400]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fit scoring.Fit
		if json.Unmarshal(data, &fit) != nil {
			return
		}
		b, err := json.Marshal(&fit)
		require.NoError(t, err)
		var back scoring.Fit
		require.NoError(t, json.Unmarshal(b, &back))
		again, err := json.Marshal(&back)
		require.NoError(t, err)
		assert.Equal(t, string(b), string(again))
	})
}

// A learned fit stored as JSON and loaded again: the suggested points and
// their intervals come back; only Holdout needs the fit of Learn.
func ExampleFit_MarshalJSON() {
	s, data := learnData()
	fit, _ := scoring.Learn(s, slices.Values(data), 0.001)
	b, _ := json.Marshal(fit)
	var back scoring.Fit
	if err := json.Unmarshal(b, &back); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range back.Rules {
		fmt.Printf("%s: %.1f points\n", r.ID, r.Suggested)
	}
	// Output:
	// vp: 36.5 points
	// pricing: 3.5 points
}

// A stored fit is checked as Learn makes fits: here its standard error
// does not match its covariance.
func ExampleFit_UnmarshalJSON() {
	var f scoring.Fit
	err := json.Unmarshal([]byte(strings.Replace(fitDoc, `"se":0.25`, `"se":0.3`, 1)), &f)
	fmt.Println(err)
	// Output:
	// scoring.Fit.UnmarshalJSON: rules[0].se 0.3: want 0.25, the square root of covariance[1][1]
}
