package scoring_test

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/jsontest"
	"github.com/kpiflow/kpi/scoring"
)

func TestScoreBandMarshalJSON(t *testing.T) {
	r, err := kpi.NewRate(3, 120)
	require.NoError(t, err)
	tests := []struct {
		name string
		b    scoring.ScoreBand
		want string
	}{
		{"open below", scoring.ScoreBand{Min: math.Inf(-1), Max: 40, Rate: r, Lo: 0.01, Hi: 0.07, Method: kpi.Wilson, Level: 0.95},
			`{"min":null,"max":40,"rate":{"successes":3,"trials":120,"value":0.025},"interval":{"lo":0.01,"hi":0.07,"level":0.95,"method":"Wilson"}}`},
		{"open above, empty", scoring.ScoreBand{Min: 40, Max: math.Inf(1), Lo: 0, Hi: 1, Method: kpi.ClopperPearson, Level: 0.9},
			`{"min":40,"max":null,"rate":{"successes":0,"trials":0,"value":null},"interval":{"lo":0,"hi":1,"level":0.9,"method":"ClopperPearson"}}`},
		{"not finite ends", scoring.ScoreBand{Min: 1, Max: 2, Lo: math.NaN(), Hi: math.Inf(1), Level: 0.95},
			`{"min":1,"max":2,"rate":{"successes":0,"trials":0,"value":null},"interval":null}`},
		{"no level", scoring.ScoreBand{Min: 1, Max: 2, Lo: 0, Hi: 1},
			`{"min":1,"max":2,"rate":{"successes":0,"trials":0,"value":null},"interval":null}`},
		{"unknown method", scoring.ScoreBand{Min: 1, Max: 2, Lo: 0, Hi: 1, Method: kpi.Method(99), Level: 0.95},
			`{"min":1,"max":2,"rate":{"successes":0,"trials":0,"value":null},"interval":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.b.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
}

func TestCutMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		c    scoring.Cut
		want string
	}{
		{"a threshold", scoring.Cut{Threshold: 55, TP: 40, FP: 60, FN: 10, TN: 890, Tied: 3}, `{"threshold":55,"tp":40,"fp":60,"fn":10,"tn":890,"tied":3}`},
		{"select none", scoring.Cut{Threshold: math.Inf(1), FN: 5, TN: 7}, `{"threshold":null,"tp":0,"fp":0,"fn":5,"tn":7,"tied":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.c.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
}

func TestEvaluationMarshalJSON(t *testing.T) {
	tests := []struct {
		name                      string
		e                         *scoring.Evaluation
		leads, converted          int64
		auc, ks, averagePrecision float64
		ksThreshold               *float64
	}{
		// scikit-learn's documented example: roc_auc_score 0.75,
		// average_precision_score 0.8333; KS by hand: at 0.8, TPR 1/2 and
		// FPR 0.
		{"scikit-learn", mustEval(t, []float64{0.1, 0.4, 0.35, 0.8}, bools(0, 0, 1, 1)), 4, 2, 0.75, 0.5, 0.8333333333333333, fp(0.8)},
		// The zero Evaluation has no leads: AUC 0.5 as documented, KS 0 at
		// +Inf, null.
		{"zero", &scoring.Evaluation{}, 0, 0, 0.5, 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.e.MarshalJSON()
			require.NoError(t, err)
			var got struct {
				Leads, Converted          int64
				AUC, KS, AveragePrecision float64
				KSThreshold               *float64
				Youden                    struct{ TP, FP int64 }
			}
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, tt.leads, got.Leads)
			assert.Equal(t, tt.converted, got.Converted)
			assert.InDelta(t, tt.auc, got.AUC, 1e-12)
			assert.InDelta(t, tt.ks, got.KS, 1e-12)
			assert.InDelta(t, tt.averagePrecision, got.AveragePrecision, 1e-12)
			assert.Equal(t, tt.ksThreshold, got.KSThreshold)
		})
	}
}

// TestGoldenJSON pins the JSON forms of the package's results; go test
// -update rewrites testdata/*.json.
func TestGoldenJSON(t *testing.T) {
	e := exEval()
	gains, err := e.Gains(3)
	require.NoError(t, err)
	bands, err := e.Bands([]float64{40, 60}, kpi.Wilson, 0.95)
	require.NoError(t, err)
	res := demoScorer().Score(ana, at)
	tests := []struct {
		name string
		v    any
	}{
		{"evaluation.json", e},
		{"gains.json", gains},
		{"bands.json", bands},
		{"result.json", res},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.MarshalIndent(tt.v, "", "\t")
			require.NoError(t, err)
			jsontest.Golden(t, tt.name, append(b, '\n'))
		})
	}
}

// TestEveryTypeMarshals checks that no exported result type of the
// package marshals to {} or loses a field.
func TestEveryTypeMarshals(t *testing.T) {
	e := exEval()
	gains, err := e.Gains(3)
	require.NoError(t, err)
	bands, err := e.Bands([]float64{40}, kpi.Wilson, 0.95)
	require.NoError(t, err)
	cal, err := scoring.Reliability([]float64{0.1, 0.9}, []bool{false, true}, 2)
	require.NoError(t, err)
	res := demoScorer().Score(ana, at)
	require.NotEmpty(t, res.Contributions)
	ch := scoring.Change{Index: 1, ID: "ana", Before: 40, After: 55, BeforeMatrix: "B2", AfterMatrix: "A2", AfterMQL: true}
	report := scoring.Report{Leads: 1, Changed: 1, MQLAfter: 1, Gained: []scoring.Change{ch}, Lost: []scoring.Change{}, Largest: []scoring.Change{ch}}
	rf := scoring.RuleFit{ID: "a", Fired: 3, Coef: 0.5, SE: 0.1, Points: 10, Suggested: 12}
	miss := scoring.Miss{Rule: 1, ID: "size", Attr: "employees", Event: -1, Reason: "missing"}
	const model = "the scoring model's own JSON (model.go), whose optional keys are left out when empty"
	jsontest.Check(t, ".", map[string]string{
		"Scorer":           "compiled from a Model, which is what to store and send",
		"Model":            model,
		"Group":            model,
		"Rule":             model,
		"Op":               model,
		"Condition":        model,
		"Criterion":        model,
		"Decay":            model,
		"Grades":           model,
		"Scale":            model,
		"Band":             model,
		"MQL":              model,
		"Lead":             "an input whose optional keys are left out when empty (lead.go)",
		"Event":            "an input whose optional keys are left out when empty (lead.go)",
		"ScoreBand.Lo":     "in interval",
		"ScoreBand.Hi":     "in interval",
		"ScoreBand.Method": "in interval",
		"ScoreBand.Level":  "in interval",
	}, e, demoFit(t), gains, bands, cal, gains[0], bands[0], cal[0], res, res.Groups[0], res.Contributions[0], miss, ch, report, rf,
		e.Youden(), scoring.Outcome{Lead: ana, At: at, Converted: true},
		scoring.RuleInterval{ID: "a", Coef: kpi.Interval{Lo: 0.1, Hi: 0.9, Level: 0.95, Method: "Wald"}, SuggestedSE: 1.5,
			Suggested: kpi.Interval{Lo: 5, Hi: 11, Level: 0.95, Method: "delta"}})
}

// A score band in JSON: its open ends are null.
func ExampleScoreBand_MarshalJSON() {
	bands, _ := exEval().Bands([]float64{50}, kpi.Wilson, 0.95)
	b, _ := json.Marshal(bands[0])
	fmt.Println(string(b))
	// Output:
	// {"min":null,"max":50,"rate":{"successes":1,"trials":6,"value":0.16666666666666666},"interval":{"lo":0.030053369748306635,"hi":0.5635028221864702,"level":0.95,"method":"Wilson"}}
}

// A cut in JSON with its confusion matrix.
func ExampleCut_MarshalJSON() {
	c, _ := exEval().At(60)
	b, _ := json.Marshal(c)
	fmt.Println(string(b))
	// Output:
	// {"threshold":60,"tp":3,"fp":2,"fn":2,"tn":5,"tied":2}
}

// An evaluation in JSON is its summary: AUC, Gini, KS, average precision
// and Youden's cut.
func ExampleEvaluation_MarshalJSON() {
	b, _ := json.MarshalIndent(exEval(), "", " ")
	fmt.Println(string(b))
	// Output:
	// {
	//  "leads": 12,
	//  "converted": 5,
	//  "auc": 0.7857142857142857,
	//  "gini": 0.5714285714285714,
	//  "ks": 0.5142857142857143,
	//  "ksThreshold": 55,
	//  "averagePrecision": 0.7644444444444444,
	//  "youden": {
	//   "threshold": 55,
	//   "tp": 4,
	//   "fp": 2,
	//   "fn": 1,
	//   "tn": 5,
	//   "tied": 1
	//  }
	// }
}
