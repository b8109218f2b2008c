package scoring_test

import (
	"fmt"
	"slices"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// Twelve leads' scores and whether each became an opportunity. For these,
// scikit-learn 1.2.1 gives roc_auc_score 0.7857, average_precision_score
// 0.7644, and SciPy's ks_2samp 0.5143.
var (
	exScores = []float64{80, 75, 70, 60, 60, 55, 40, 40, 30, 20, 10, 0}
	exWon    = []bool{true, true, false, true, false, true, false, false, true, false, false, false}
)

func exEval() *scoring.Evaluation {
	e, err := scoring.Evaluate(exScores, exWon)
	if err != nil {
		panic(err)
	}
	return e
}

// ExampleEvaluate measures scikit-learn's documented example: AUC 0.75
// and average precision 0.83.
func ExampleEvaluate() {
	e, err := scoring.Evaluate([]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("AUC %.2f, AP %.4f\n", e.AUC(), e.AveragePrecision())
	_, err = scoring.Evaluate([]float64{10, 20}, []bool{false, false})
	fmt.Println(err)
	// Output:
	// AUC 0.75, AP 0.8333
	// scoring.Evaluate: converted 0 of 2: all leads have the same outcome; AUC, KS and lift need both
}

// ExampleEvaluation_Leads counts the leads evaluated.
func ExampleEvaluation_Leads() {
	n, won := exEval().Leads()
	fmt.Println(n, won)
	// Output: 12 5
}

// ExampleEvaluation_AUC shows the chance that a converted lead outscores
// one that did not.
func ExampleEvaluation_AUC() {
	fmt.Printf("%.4f\n", exEval().AUC())
	// Output: 0.7857
}

// ExampleEvaluation_Gini shows the Gini coefficient, 2·AUC − 1.
func ExampleEvaluation_Gini() {
	fmt.Printf("%.4f\n", exEval().Gini())
	// Output: 0.5714
}

// ExampleEvaluation_KS shows the KS statistic and the score where the
// converted and unconverted leads' distributions are furthest apart.
func ExampleEvaluation_KS() {
	ks, at := exEval().KS()
	fmt.Printf("KS %.4f at score %v\n", ks, at)
	// Output: KS 0.5143 at score 55
}

// ExampleEvaluation_AveragePrecision shows the average precision.
func ExampleEvaluation_AveragePrecision() {
	fmt.Printf("%.4f\n", exEval().AveragePrecision())
	// Output: 0.7644
}

// ExampleEvaluation_Gains prints a gain and lift table by quartile.
func ExampleEvaluation_Gains() {
	gains, err := exEval().Gains(4)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("ranks  scores  won  lift  gain")
	for _, g := range gains {
		fmt.Printf("%2d-%-2d  %2v-%-2v  %.1f  %.2f  %3.0f%%\n",
			g.Start+1, g.Start+g.Leads, g.MaxScore, g.MinScore, g.Converted, g.Lift, 100*g.Gain)
	}
	// Output:
	// ranks  scores  won  lift  gain
	//  1-3   80-70  2.0  1.60   40%
	//  4-6   60-55  2.0  1.60   80%
	//  7-9   40-30  1.0  0.80  100%
	// 10-12  20-0   0.0  0.00  100%
}

// ExampleEvaluation_Bands shows the conversion rate above and below an
// MQL threshold of 50, with Wilson intervals.
func ExampleEvaluation_Bands() {
	bands, err := exEval().Bands([]float64{50}, kpi.Wilson, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range bands {
		fmt.Printf("[%v, %v): %v, 95%% CI %.2f–%.2f\n", b.Min, b.Max, b.Rate, b.Lo, b.Hi)
	}
	// Output:
	// [-Inf, 50): 1/6 (16.67%), 95% CI 0.03–0.56
	// [50, +Inf): 4/6 (66.67%), 95% CI 0.30–0.90
}

// ExampleEvaluation_QuantileBands shows the conversion rate by score
// tercile.
func ExampleEvaluation_QuantileBands() {
	bands, err := exEval().QuantileBands(3, kpi.Wilson, 0.9)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range bands {
		fmt.Printf("[%v, %v): %v\n", b.Min, b.Max, b.Rate)
	}
	// Output:
	// [-Inf, 40): 1/4 (25.00%)
	// [40, 60): 1/3 (33.33%)
	// [60, +Inf): 3/5 (60.00%)
}

// ExampleEvaluation_At shows the confusion matrix at an MQL threshold.
func ExampleEvaluation_At() {
	c, err := exEval().At(60)
	fmt.Printf("%+v %v\n", c, err)
	// Output: {Threshold:60 TP:3 FP:2 FN:2 TN:5 Tied:2} <nil>
}

// ExampleCut_Precision shows the share of MQLs that convert.
func ExampleCut_Precision() {
	c, _ := exEval().At(60)
	p, err := c.Precision()
	fmt.Println(p, err)
	// Output: 0.6 <nil>
}

// ExampleCut_Recall shows the share of converting leads that are MQLs.
func ExampleCut_Recall() {
	c, _ := exEval().At(60)
	r, err := c.Recall()
	fmt.Println(r, err)
	// Output: 0.6 <nil>
}

// ExampleCut_F1 shows the F1 score at a threshold.
func ExampleCut_F1() {
	c, _ := exEval().At(60)
	f, err := c.F1()
	fmt.Println(f, err)
	// Output: 0.6 <nil>
}

// ExampleEvaluation_Youden chooses the threshold that maximises
// sensitivity + specificity − 1.
func ExampleEvaluation_Youden() {
	c := exEval().Youden()
	fmt.Printf("MQL at %v: %d of %d converting leads, %d false alarms\n", c.Threshold, c.TP, c.TP+c.FN, c.FP)
	// Output: MQL at 55: 4 of 5 converting leads, 2 false alarms
}

// ExampleEvaluation_MinCost chooses the threshold when a missed deal costs
// five times a wasted sales call.
func ExampleEvaluation_MinCost() {
	c, err := exEval().MinCost(1, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("MQL at %v: cost %d\n", c.Threshold, c.FP*1+c.FN*5)
	// Output: MQL at 30: cost 4
}

// ExampleEvaluation_Capacity chooses the threshold for a sales team that
// can work four leads, and shows the tie at it.
func ExampleEvaluation_Capacity() {
	c, err := exEval().Capacity(4)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("MQL at %v selects %d leads, %d of them tied at %v\n", c.Threshold, c.TP+c.FP, c.Tied, c.Threshold)
	// Output: MQL at 60 selects 5 leads, 2 of them tied at 60
}

// ExampleBrier scores predicted conversion probabilities.
func ExampleBrier() {
	b, err := scoring.Brier([]float64{0.9, 0.2, 0.6, 0.1}, []bool{true, false, false, false})
	fmt.Printf("%.4f %v\n", b, err)
	// Output: 0.1050 <nil>
}

// ExampleReliability compares predicted probabilities with observed
// conversion, bin by bin.
func ExampleReliability() {
	probs := []float64{0.05, 0.1, 0.15, 0.2, 0.4, 0.45, 0.7, 0.8, 0.9}
	won := []bool{false, false, false, true, false, true, true, true, false}
	cal, err := scoring.Reliability(probs, won, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cal {
		fmt.Printf("(%v, %v]: predicted %.2f, observed %v\n", c.Lo, c.Hi, c.Predicted, c.Rate)
	}
	// Output:
	// (0, 0.5]: predicted 0.23, observed 2/6 (33.33%)
	// (0.5, 1]: predicted 0.80, observed 2/3 (66.67%)
}

// learnData makes leads for two rules: "vp" (a VP title) and "pricing"
// (a pricing-page view); VPs convert more often, pricing viewers barely.
func learnData() (*scoring.Scorer, []scoring.Outcome) {
	s, err := scoring.Compile(scoring.Model{Version: scoring.Version, Groups: []scoring.Group{{Name: "fit", Rules: []scoring.Rule{
		{ID: "vp", Points: 10, When: &scoring.Condition{Attr: "vp", Op: scoring.Eq, Value: true}},
		{ID: "pricing", Points: 30, When: &scoring.Condition{Attr: "pricing", Op: scoring.Eq, Value: true}},
	}}}})
	if err != nil {
		panic(err)
	}
	var data []scoring.Outcome
	for i := range 400 {
		vp, pricing := i%2 == 0, i%5 < 2
		won := (vp && i%10 < 6) || (!vp && i%20 < 2) || (pricing && i%40 == 7)
		data = append(data, scoring.Outcome{Lead: scoring.Lead{Attrs: map[string]any{"vp": vp, "pricing": pricing}}, At: at, Converted: won})
	}
	return s, data
}

// ExampleLearn learns from outcomes that the vp rule deserves most of the
// points, and the pricing rule few.
func ExampleLearn() {
	s, data := learnData()
	fit, err := scoring.Learn(s, slices.Values(data), 0.001)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range fit.Rules {
		fmt.Printf("%-8s coef %5.2f ± %.2f  points %2.0f → %2.0f\n", r.ID, r.Coef, r.SE, r.Points, r.Suggested)
	}
	// Output:
	// vp       coef  2.53 ± 0.27  points 10 → 37
	// pricing  coef  0.24 ± 0.25  points 30 →  3
}

// ExampleFit_Holdout compares the current and the suggested points on
// leads the fit did not see.
func ExampleFit_Holdout() {
	s, data := learnData()
	fit, err := scoring.Learn(s, slices.Values(data[:300]), 0.001)
	if err != nil {
		fmt.Println(err)
		return
	}
	cur, sug, err := fit.Holdout(slices.Values(data[300:]))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("held-out AUC: current %.3f, suggested %.3f\n", cur.AUC(), sug.AUC())
	// Output: held-out AUC: current 0.676, suggested 0.786
}

// ExampleFit_Intervals gives the suggested points their standard errors
// and 95 % intervals, as the coefficients have: with two rules whose
// points add up to 40, the intervals move together.
func ExampleFit_Intervals() {
	s, data := learnData()
	fit, err := scoring.Learn(s, slices.Values(data), 0.001)
	if err != nil {
		fmt.Println(err)
		return
	}
	ivs, err := fit.Intervals(0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, iv := range ivs {
		fmt.Printf("%-8s coef %v  points %.1f ± %.1f %v\n", iv.ID, iv.Coef, fit.Rules[i].Suggested, iv.SuggestedSE, iv.Suggested)
	}
	// Output:
	// vp       coef [2.007, 3.06] 95% Wald  points 36.5 ± 3.2 [30.15, 42.86] 95% delta
	// pricing  coef [-0.2405, 0.7259] 95% Wald  points 3.5 ± 3.2 [-2.857, 9.85] 95% delta
}
