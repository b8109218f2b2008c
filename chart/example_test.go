package chart_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/funnel"
	"github.com/kpiflow/kpi/scoring"
)

// ExampleFunnel draws a month of a B2B funnel against its targets and
// reads the picture back: a bar per stage, a whisker per step, and the
// bottleneck named.
func ExampleFunnel() {
	f, err := funnel.New(funnel.Stage{Name: "Lead", Count: 240}, funnel.Stage{Name: "MQL", Count: 96},
		funnel.Stage{Name: "SQL", Count: 40}, funnel.Stage{Name: "Won", Count: 6})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := chart.Funnel(&b, f, funnel.Targets{"MQL": 0.4, "SQL": 0.5, "Won": 0.2}, chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println("bars:", pic.bars(blue), "whiskers:", pic.whiskers(), "bottleneck:", pic.has("15% bottleneck"))
	// Output: bars: 4 whiskers: 3 bottleneck: true
}

// ExampleTrend draws four weeks of MQL→SQL, the last still immature: a
// whisker per week and the last point hollow.
func ExampleTrend() {
	var weeks []chart.Period
	for i, s := range []int64{40, 44, 38, 21} {
		r, _ := kpi.NewRate(s, 100)
		weeks = append(weeks, chart.Period{Label: fmt.Sprintf("W%d", 14+i), Rate: r, Immature: i == 3})
	}
	var b bytes.Buffer
	if err := chart.Trend(&b, weeks, chart.Options{Title: "MQL → SQL by week"}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	filled, hollow := pic.dots()
	fmt.Println("whiskers:", pic.whiskers(), "filled:", filled, "hollow:", hollow, pic.has("average 41%"))
	// Output: whiskers: 4 filled: 3 hollow: 1 true
}

// ExampleRetention draws two monthly cohorts: the younger has not reached
// its second month, so that cell is left blank, not drawn as 0 %.
func ExampleRetention() {
	b, _ := cohort.NewBuilder(cohort.Month)
	jan, feb := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	for i, start := range []time.Time{jan, jan, feb} {
		id := fmt.Sprint("acme-", i)
		_ = b.Add(cohort.Customer{ID: id, Acquired: start})
		_ = b.Add(cohort.Revenue{CustomerID: id, At: start, Amount: decimal.NewFromInt(100)})
	}
	_ = b.Add(cohort.Revenue{CustomerID: "acme-0", At: feb, Amount: decimal.NewFromInt(100)})
	t, err := b.Table(feb)
	if err != nil {
		fmt.Println(err)
		return
	}
	var out bytes.Buffer
	if err := chart.Retention(&out, t, chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(out.Bytes())
	fmt.Println("blank cells:", pic.blanks(), pic.has("50%"), pic.has("Feb 2024 · 1"))
	// Output: blank cells: 1 true true
}

// exampleEvaluation is ten scored leads, the higher scores converting
// more often.
func exampleEvaluation() *scoring.Evaluation {
	e, _ := scoring.Evaluate([]float64{95, 90, 80, 72, 60, 55, 40, 30, 20, 10},
		[]bool{true, true, false, true, false, false, true, false, false, false})
	return e
}

// ExampleROC draws the ROC curve of ten scored leads, with its AUC.
func ExampleROC() {
	var b bytes.Buffer
	if err := chart.ROC(&b, exampleEvaluation(), chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println(pic.has("score, AUC 0.833"))
	// Output: true
}

// ExampleGains draws the cumulative gains of ten leads: the top 20 %
// hold half of the converted.
func ExampleGains() {
	var b bytes.Buffer
	if err := chart.Gains(&b, exampleEvaluation(), chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	filled, _ := pic.dots()
	fmt.Println("points:", filled, pic.has("50%"))
	// Output: points: 10 true
}

// ExampleLift draws the lift of each tenth of ten leads; the top lead
// converts at 2.5 times the average.
func ExampleLift() {
	var b bytes.Buffer
	if err := chart.Lift(&b, exampleEvaluation(), chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println("bars:", pic.bars(blue), pic.has("2.5×"))
	// Output: bars: 4 true
}

// ExampleReliability draws the calibration of predicted probabilities in
// five bins, a whisker per bin with leads.
func ExampleReliability() {
	probs := []float64{0.05, 0.1, 0.3, 0.35, 0.5, 0.55, 0.7, 0.9, 0.95, 0.97}
	won := []bool{false, false, false, true, false, true, true, true, true, true}
	bins, err := scoring.Reliability(probs, won, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := chart.Reliability(&b, bins, chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println("bins:", len(bins), "whiskers:", pic.whiskers())
	// Output: bins: 5 whiskers: 5
}

// ExampleScores draws the score distributions of converted leads and of
// the others.
func ExampleScores() {
	var b bytes.Buffer
	if err := chart.Scores(&b, exampleEvaluation(), chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println(pic.has("converted"), pic.has("not converted"))
	// Output: true true
}

// exampleJourneys reads three kinds of journey.
func exampleJourneys() *attribution.Journeys {
	js, _ := attribution.Read(strings.NewReader("path;total_conversions;total_conversion_value;total_null\n"+
		"search > email;2;48000;10\nsocial;1;12000;30\nemail;1;24000;5\n"), attribution.Format{})
	return js
}

// ExampleAttribution draws first touch against linear: a bar per channel
// and model (and a swatch per model in the legend).
func ExampleAttribution() {
	js := exampleJourneys()
	first, _ := attribution.First{}.Attribute(js)
	linear, _ := attribution.Linear{}.Attribute(js)
	t, _ := attribution.NewTable(first, linear)
	var b bytes.Buffer
	if err := chart.Attribution(&b, t, chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println("first touch:", pic.bars(blue), "linear:", pic.bars(orange), pic.has("search"))
	// Output: first touch: 4 linear: 4 true
}

// ExampleShare draws the linear credit of each channel against its share
// of the spend.
func ExampleShare() {
	linear, _ := attribution.Linear{}.Attribute(exampleJourneys())
	rows, err := linear.ROI(map[string]decimal.Decimal{
		"search": decimal.NewFromInt(6000), "email": decimal.NewFromInt(1000), "social": decimal.NewFromInt(3000)})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := chart.Share(&b, rows, chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println("credit:", pic.bars(blue), "spend:", pic.bars(orange), pic.has("60%"))
	// Output: credit: 4 spend: 4 true
}

// ExamplePlan draws the volumes a revenue goal needs, working back
// through a funnel's rates.
func ExamplePlan() {
	m := funnel.Model{Stages: []string{"Lead", "MQL", "SQL", "Won"}, Rates: []float64{0.4, 0.4, 0.15}, DealSize: decimal.NewFromInt(24000)}
	p, err := funnel.Plan(m, decimal.NewFromInt(240000))
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := chart.Plan(&b, p, chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println("bars:", pic.bars(blue), pic.texts[len(pic.texts)-4:])
	// Output: bars: 4 [420 168 67 10]
}

// ExampleCurves draws the conversion curve of five MQLs, two still inside
// their window (censored at their age), and reads back its band.
func ExampleCurves() {
	obs := []kpi.Observation{{Time: 3, Converted: true}, {Time: 8, Converted: true}, {Time: 30}, {Time: 4}, {Time: 6}}
	c, err := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.LogLogScale)
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := chart.Curves(&b, []string{"MQL → SQL"}, []*kpi.Curve{c}, chart.Options{}); err != nil {
		fmt.Println(err)
		return
	}
	pic, _ := parse(b.Bytes())
	fmt.Println(len(c.Points), "times;", pic.has("MQL → SQL"))
	// Output: 5 times; true
}
