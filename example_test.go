package kpi_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
)

// A conversion rate with its 95 % Wilson interval.
func ExampleNewRate() {
	mql, err := kpi.NewRate(96, 240) // 96 MQLs from 240 leads
	if err != nil {
		panic(err)
	}
	lo, hi, _ := mql.Interval(kpi.Wilson, 0.95)
	fmt.Printf("%v, 95%% CI [%.4f, %.4f]\n", mql, lo, hi)
	// Output: 96/240 (40.00%), 95% CI [0.3401, 0.4631]
}

// Bad input comes back as an error naming the argument and its value.
func ExampleNewRate_error() {
	_, err := kpi.NewRate(120, 96)
	fmt.Println(err)
	fmt.Println(errors.Is(err, kpi.ErrInvalid))
	// Output:
	// kpi.NewRate: successes 120: exceeds trials 96
	// true
}

// The counts behind a rate.
func ExampleRate_Successes() {
	r, _ := kpi.NewRate(6, 25)
	fmt.Println(r.Successes(), "won of", r.Trials())
	// Output: 6 won of 25
}

// The number of trials, here opportunities.
func ExampleRate_Trials() {
	r, _ := kpi.NewRate(6, 25)
	fmt.Println(r.Trials())
	// Output: 25
}

// The point estimate, and the error for a rate with no trials.
func ExampleRate_Value() {
	r, _ := kpi.NewRate(6, 25)
	v, _ := r.Value()
	fmt.Println(v)

	var empty kpi.Rate
	_, err := empty.Value()
	fmt.Println(errors.Is(err, kpi.ErrUndefined))
	// Output:
	// 0.24
	// true
}

// A rate prints as its counts and percentage.
func ExampleRate_String() {
	r, _ := kpi.NewRate(40, 96)
	fmt.Println(r)
	// Output: 40/96 (41.67%)
}

// The same rate under every interval method.
func ExampleRate_Interval() {
	r, _ := kpi.NewRate(6, 25)
	for _, m := range []kpi.Method{kpi.Wilson, kpi.WilsonCC, kpi.Wald, kpi.AgrestiCoull, kpi.ClopperPearson, kpi.Jeffreys} {
		lo, hi, _ := r.Interval(m, 0.95)
		fmt.Printf("%-14v [%.4f, %.4f]\n", m, lo, hi)
	}
	// Output:
	// Wilson         [0.1150, 0.4343]
	// WilsonCC       [0.1016, 0.4552]
	// Wald           [0.0726, 0.4074]
	// AgrestiCoull   [0.1117, 0.4375]
	// ClopperPearson [0.0936, 0.4513]
	// Jeffreys       [0.1069, 0.4294]
}

// Is the MQL→SQL rate below the 50 % agreed with sales?
func ExampleRate_Test() {
	sql, _ := kpi.NewRate(40, 96)
	t, _ := sql.Test(0.5)
	fmt.Printf("P(this low | true rate 50%%) = %.4f\n", t.Less)
	fmt.Printf("two-sided p = %.4f\n", t.TwoSided)
	// Output:
	// P(this low | true rate 50%) = 0.0627
	// two-sided p = 0.1253
}

// Methods print by name.
func ExampleMethod_String() {
	fmt.Println(kpi.ClopperPearson, kpi.Method(9))
	// Output: ClopperPearson Method(9)
}

// This month against last month: the difference, its tests, and the
// Bayesian probability that this month is really better.
func ExampleCompare() {
	last, _ := kpi.NewRate(10, 100)
	this, _ := kpi.NewRate(15, 100)
	c, _ := kpi.Compare(last, this)
	fmt.Printf("diff %+.2f, z %.3f (p %.4f)\n", c.Diff, c.Z, c.ZP)
	fmt.Printf("chi-square %.4f (p %.4f), Yates %.4f (p %.4f)\n", c.ChiSquare, c.ChiSquareP, c.Yates, c.YatesP)
	fmt.Printf("Fisher p %.4f, P(this > last) %.4f\n", c.FisherP, c.ProbBBetter)
	// Output:
	// diff +0.05, z 1.069 (p 0.2850)
	// chi-square 1.1429 (p 0.2850), Yates 0.7314 (p 0.3924)
	// Fisher p 0.3928, P(this > last) 0.8533
}

// Relative lift, and the error when the base rate is zero.
func ExampleComparison_Lift() {
	a, _ := kpi.NewRate(10, 100)
	b, _ := kpi.NewRate(15, 100)
	c, _ := kpi.Compare(a, b)
	lift, _ := c.Lift()
	fmt.Printf("lift %+.0f%%\n", 100*lift)

	zero, _ := kpi.NewRate(0, 100)
	c, _ = kpi.Compare(zero, b)
	_, err := c.Lift()
	fmt.Println(err)
	// Output:
	// lift +50%
	// kpi.Comparison.Lift: a.successes 0: lift over a zero rate is undefined
}

// Intervals for the difference: Newcombe's hybrid score by default, Wald
// and Agresti–Caffo on request.
func ExampleComparison_DiffInterval() {
	a, _ := kpi.NewRate(48, 80)
	b, _ := kpi.NewRate(56, 70)
	c, _ := kpi.Compare(a, b)
	for _, m := range []kpi.Method{kpi.Wilson, kpi.Wald, kpi.AgrestiCoull} {
		lo, hi, _ := c.DiffInterval(m, 0.95)
		fmt.Printf("%-12v [%.4f, %.4f]\n", m, lo, hi)
	}
	// Output:
	// Wilson       [0.0524, 0.3339]
	// Wald         [0.0575, 0.3425]
	// AgrestiCoull [0.0525, 0.3358]
}

// A budget split over channels by weight, exact to the cent.
func ExampleAllocate() {
	parts, _ := kpi.Allocate(decimal.RequireFromString("1000.00"), []float64{0.5, 0.3, 0.2, 0}, 2)
	fmt.Println(parts)
	parts, _ = kpi.Allocate(decimal.RequireFromString("100.00"), []float64{1, 1, 1}, 2)
	fmt.Println(parts)
	// Output:
	// [500 300 200 0]
	// [33.34 33.33 33.33]
}

// An error's parts, and its class.
func ExampleError_Error() {
	err := &kpi.Error{Func: "funnel.New", Arg: `stage "SQL" count`, Value: 120, Reason: `exceeds "MQL" count 96`, Err: kpi.ErrInvalid}
	fmt.Println(err.Error())
	// Output: funnel.New: stage "SQL" count 120: exceeds "MQL" count 96
}

// Unwrap exposes the class, for errors.Is and errors.As.
func ExampleError_Unwrap() {
	_, err := kpi.NewRate(-1, 10)
	var e *kpi.Error
	if errors.As(err, &e) {
		fmt.Println(e.Arg, e.Value, e.Unwrap() == kpi.ErrInvalid)
	}
	// Output: successes -1 true
}

// A reader's health report: every row read is used or rejected, and the
// rejected ones say where and why.
func ExampleHealth_String() {
	h := kpi.Health{
		Read: 5012, Used: 5010, Rejected: 2,
		Rejections: []kpi.Rejection{
			{Line: 17, Column: "Became a Lead Date", Text: "2025-02-31", Reason: "no such date"},
			{Line: 230, Reason: "row has 9 fields, the header 11"},
		},
		Skipped: 410, Backward: 25,
		Unmapped: []kpi.Unmapped{{Value: "Churned", Rows: 7}}, UnmappedRows: 7,
	}
	fmt.Print(h.String())
	// Output:
	// rows: 5012 read, 5010 used, 2 rejected
	//   line 17, column "Became a Lead Date": no such date "2025-02-31"
	//   line 230: row has 9 fields, the header 11
	// duplicates 0, out of order 0, skipped stages 410 entities, backward 25 entities
	// unmapped 7 rows: "Churned" 7
}

// An interval as the library's models return it: its ends, its level and
// the method that computed it.
func ExampleInterval_String() {
	iv := kpi.Interval{Lo: 0.6121, Hi: 0.7013, Level: 0.95, Method: "delta-logit"}
	fmt.Println(iv)
	// Output: [0.6121, 0.7013] 95% delta-logit
}

// A money interval keeps its ends in decimal.
func ExampleMoneyInterval_String() {
	iv := kpi.MoneyInterval{Lo: decimal.RequireFromString("812.50"), Hi: decimal.RequireFromString("1190.25"),
		Level: 0.95, Method: "delta-log"}
	fmt.Println(iv)
	// Output: [812.5, 1190.25] 95% delta-log
}

// A money interval reads back from JSON; an end beyond the bound on money
// is refused before decimal parses it.
func ExampleMoneyInterval_UnmarshalJSON() {
	var iv kpi.MoneyInterval
	err := json.Unmarshal([]byte(`{"lo":"812.50","hi":1190.25,"level":0.95,"method":"delta-log"}`), &iv)
	fmt.Println(iv, err)
	fmt.Println(json.Unmarshal([]byte(`{"lo":"0","hi":"1e1000000000"}`), &iv))
	// Output:
	// [812.5, 1190.25] 95% delta-log <nil>
	// kpi.MoneyInterval.UnmarshalJSON: hi "1e1000000000": more than 30 digits before the point
}
