package cohort_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/cohort"
)

func date(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

// exampleBuilder is a tiny book of business: three customers, monthly MRR.
func exampleBuilder() *cohort.Builder {
	b, _ := cohort.NewBuilder(cohort.Month)
	_ = b.Add(cohort.Customer{ID: "acme", Acquired: date(2024, 1, 9), Segment: "ads"})
	_ = b.Add(cohort.Customer{ID: "blue", Acquired: date(2024, 1, 22), Segment: "seo"})
	_ = b.Add(cohort.Customer{ID: "corp", Acquired: date(2024, 2, 2), Segment: "ads"})
	for m, amt := range []string{"100", "120", "120"} {
		_ = b.Add(cohort.Revenue{CustomerID: "acme", At: date(2024, time.Month(1+m), 1), Amount: decimal.RequireFromString(amt)})
	}
	_ = b.Add(cohort.Revenue{CustomerID: "blue", At: date(2024, 1, 1), Amount: decimal.RequireFromString("50")})
	_ = b.Add(cohort.Subscription{CustomerID: "corp", Start: date(2024, 2, 2), Amount: decimal.RequireFromString("80")})
	return b
}

// ExampleNewBuilder builds a quarterly cohort table.
func ExampleNewBuilder() {
	b, err := cohort.NewBuilder(cohort.Quarter)
	if err != nil {
		panic(err)
	}
	_ = b.Add(cohort.Customer{ID: "x", Acquired: date(2024, 2, 10)})
	_ = b.Add(cohort.Revenue{CustomerID: "x", At: date(2024, 3, 1), Amount: decimal.RequireFromString("300")})
	t, _ := b.Table(date(2024, 6, 30))
	fmt.Print(t)
	// Output:
	// cohort       size     0     1
	// 2024-Q1         1  100%    0%
}

// ExampleBuilder_Add shows that a customer is counted once.
func ExampleBuilder_Add() {
	b := exampleBuilder()
	err := b.Add(cohort.Customer{ID: "acme", Acquired: date(2024, 1, 9)})
	fmt.Println(err)
	// Output:
	// cohort.Builder.Add: customer ID "acme": added twice
}

// ExampleBuilder_Add_revenue shows the error for revenue before acquisition.
func ExampleBuilder_Add_revenue() {
	b := exampleBuilder()
	err := b.Add(cohort.Revenue{CustomerID: "corp", At: date(2024, 1, 15), Amount: decimal.RequireFromString("80")})
	fmt.Println(err)
	// Output:
	// cohort.Builder.Add: revenue of customer "corp" in 2024-01 80: before the customer's acquisition in 2024-02
}

// ExampleBuilder_Add_subscription counts a subscription in every month it runs.
func ExampleBuilder_Add_subscription() {
	b, _ := cohort.NewBuilder(cohort.Month)
	_ = b.Add(cohort.Customer{ID: "x", Acquired: date(2024, 1, 1)})
	_ = b.Add(cohort.Subscription{CustomerID: "x", Start: date(2024, 1, 1), End: date(2024, 2, 28), Amount: decimal.RequireFromString("99")})
	t, _ := b.Table(date(2024, 4, 1))
	for a, c := range t.Cohorts[0].Cells {
		fmt.Println(a, c.Revenue, c.Movement.Churn)
	}
	// Output:
	// 0 99 0
	// 1 99 0
	// 2 0 99
	// 3 0 0
}

// ExampleBuilder_Merge counts two partitions apart and merges them.
func ExampleBuilder_Merge() {
	p1, _ := cohort.NewBuilder(cohort.Month)
	p2, _ := cohort.NewBuilder(cohort.Month)
	_ = p1.Add(cohort.Customer{ID: "x", Acquired: date(2024, 1, 1)})
	_ = p2.Add(cohort.Revenue{CustomerID: "x", At: date(2024, 1, 1), Amount: decimal.RequireFromString("10")})
	if err := p1.Merge(p2); err != nil {
		panic(err)
	}
	t, _ := p1.Table(date(2024, 1, 1))
	fmt.Println(t.Cohorts[0].Cells[0].Revenue)
	// Output:
	// 10
}

// ExampleBuilder_Table shows a table with its immature corner and a cell's
// revenue movement.
func ExampleBuilder_Table() {
	t, err := exampleBuilder().Table(date(2024, 3, 31))
	if err != nil {
		panic(err)
	}
	fmt.Print(t)
	m := t.Cohorts[0].Cells[1].Movement
	fmt.Println("January cohort, month 1: expansion", m.Expansion, "churn", m.Churn)
	// Output:
	// cohort       size     0     1     2
	// 2024-01         2  100%   50%   50%
	// 2024-02         1  100%  100%
	// January cohort, month 1: expansion 20 churn 50
}

// ExampleGrain_String prints the grains.
func ExampleGrain_String() {
	fmt.Println(cohort.Month, cohort.Quarter, cohort.Week)
	// Output:
	// month quarter week
}

// ExampleTable_String prints logo retention by cohort and age.
func ExampleTable_String() {
	t, _ := exampleBuilder().Table(date(2024, 2, 1))
	fmt.Print(t.String())
	// Output:
	// cohort       size     0     1
	// 2024-01         2  100%   50%
	// 2024-02         1  100%
}

// ExampleTable_Ages counts the ages of the oldest cohort.
func ExampleTable_Ages() {
	t, _ := exampleBuilder().Table(date(2024, 3, 1))
	fmt.Println(t.Ages())
	// Output:
	// 3
}

// ExampleTable_LogoRetention averages only the cohorts that reached an age.
func ExampleTable_LogoRetention() {
	t, _ := exampleBuilder().Table(date(2024, 3, 1))
	for age := range 4 {
		r, err := t.LogoRetention(age)
		fmt.Println(age, r, err)
	}
	// Output:
	// 0 3/3 (100.00%) <nil>
	// 1 2/3 (66.67%) <nil>
	// 2 1/2 (50.00%) <nil>
	// 3 0/0 (undefined) cohort.Table.LogoRetention: age 3: reached by no cohort
}

// ExampleTable_RevenueRetention pools revenue retention over cohorts.
func ExampleTable_RevenueRetention() {
	t, _ := exampleBuilder().Table(date(2024, 3, 1))
	r, _ := t.RevenueRetention(1) // (120 + 80) / (150 + 80)
	fmt.Printf("%.4f\n", r)
	// Output:
	// 0.8696
}

// ExampleTable_Periods gives NRR and the quick ratio per calendar month.
func ExampleTable_Periods() {
	t, _ := exampleBuilder().Table(date(2024, 3, 1))
	for _, p := range t.Periods()[1:] {
		nrr, _ := p.NRR()
		q, _ := p.QuickRatio()
		fmt.Printf("%s MRR %v NRR %.3f quick ratio %.2f\n", p.Start.Format("2006-01"), p.Closing(), nrr, q)
	}
	// Output:
	// 2024-02 MRR 200 NRR 0.800 quick ratio 2.00
	// 2024-03 MRR 200 NRR 1.000 quick ratio 0.00
}

// ExampleTable_FitSBG fits the sBG model to a cohort table (checked by a
// separate coordinate search in Python: α = 1.5313, β = 2.2686).
func ExampleTable_FitSBG() {
	b, _ := cohort.NewBuilder(cohort.Month)
	// 100 customers; 40 leave after month 0, 20 after month 1, 10 after month 2.
	for i := range 100 {
		id := fmt.Sprint(i)
		_ = b.Add(cohort.Customer{ID: id, Acquired: date(2024, 1, 1)})
		months := 4
		switch {
		case i < 40:
			months = 1
		case i < 60:
			months = 2
		case i < 70:
			months = 3
		}
		_ = b.Add(cohort.Subscription{CustomerID: id, Start: date(2024, 1, 1), End: date(2024, time.Month(months), 1), Amount: decimal.NewFromInt(10)})
	}
	t, _ := b.Table(date(2024, 4, 1))
	m, err := t.FitSBG()
	fmt.Println(m, err)
	// Output:
	// sBG(α=1.531, β=2.269) <nil>
}

// ExampleTable_Project projects a cohort's survivors and lifetime value.
func ExampleTable_Project() {
	t := &cohort.Table{Grain: cohort.Month, Cohorts: []cohort.Cohort{{
		Start: date(2024, 1, 1), Size: 100,
		Cells: []cohort.Cell{
			{Active: 100, Survivors: 100, Revenue: decimal.NewFromInt(1000)},
			{Active: 60, Survivors: 60, Revenue: decimal.NewFromInt(600)},
		},
	}}}
	m, _ := cohort.NewSBG(2, 3)
	ps, _ := t.Project(m, 5, 0.5, 0.01)
	fmt.Printf("survivors %.1f\n", ps[0].Survivors)
	fmt.Println("LTV per customer", ps[0].LTV.StringFixed(2))
	// Output:
	// survivors [100.0 60.0 40.0 28.6 21.4]
	// LTV per customer 18.39
}

// ExampleCohort_LogoRetention asks a young cohort for an age it has not reached.
func ExampleCohort_LogoRetention() {
	t, _ := exampleBuilder().Table(date(2024, 3, 1))
	feb := t.Cohorts[1]
	r, err := feb.LogoRetention(1)
	fmt.Println(r, err)
	_, err = feb.LogoRetention(2)
	fmt.Println(errors.Is(err, cohort.ErrImmature))
	// Output:
	// 1/1 (100.00%) <nil>
	// true
}

// ExampleCohort_RevenueRetention shows a cohort keeping more than its revenue.
func ExampleCohort_RevenueRetention() {
	t, _ := exampleBuilder().Table(date(2024, 3, 1))
	r, _ := t.Cohorts[0].RevenueRetention(2) // 120 / 150
	fmt.Println(r)
	// Output:
	// 0.8
}

var month = cohort.Movement{
	Opening: decimal.NewFromInt(1000), New: decimal.NewFromInt(50), Expansion: decimal.NewFromInt(80),
	Reactivation: decimal.NewFromInt(20), Contraction: decimal.NewFromInt(30), Churn: decimal.NewFromInt(100),
	OpeningAccounts: 40, NewAccounts: 3, Reactivated: 1, Churned: 4,
}

// ExampleMovement_Closing rolls opening MRR forward.
func ExampleMovement_Closing() {
	fmt.Println(month.Closing())
	// Output:
	// 1020
}

// ExampleMovement_ClosingAccounts rolls accounts forward.
func ExampleMovement_ClosingAccounts() {
	fmt.Println(month.ClosingAccounts())
	// Output:
	// 40
}

// ExampleMovement_LogoChurn gives logo churn with its interval.
func ExampleMovement_LogoChurn() {
	r, _ := month.LogoChurn()
	fmt.Println(r)
	// Output:
	// 4/40 (10.00%)
}

// ExampleMovement_GrossChurn shows gross revenue churn.
func ExampleMovement_GrossChurn() {
	g, _ := month.GrossChurn()
	fmt.Println(g)
	// Output:
	// 0.13
}

// ExampleMovement_NetChurn shows net revenue churn.
func ExampleMovement_NetChurn() {
	n, _ := month.NetChurn()
	fmt.Println(n)
	// Output:
	// 0.05
}

// ExampleMovement_GRR shows gross revenue retention.
func ExampleMovement_GRR() {
	g, _ := month.GRR()
	fmt.Println(g)
	// Output:
	// 0.87
}

// ExampleMovement_NRR shows net revenue retention.
func ExampleMovement_NRR() {
	n, _ := month.NRR()
	fmt.Println(n)
	// Output:
	// 0.95
}

// ExampleMovement_QuickRatio shows the quick ratio and its unbounded case.
func ExampleMovement_QuickRatio() {
	q, _ := month.QuickRatio()
	fmt.Printf("%.3f\n", q)
	_, err := cohort.Movement{New: decimal.NewFromInt(10)}.QuickRatio()
	fmt.Println(errors.Is(err, cohort.ErrUnbounded))
	// Output:
	// 1.154
	// true
}

// ExampleARPA averages revenue over accounts.
func ExampleARPA() {
	a, _ := cohort.ARPA(decimal.NewFromInt(1020), 40)
	fmt.Println(a)
	// Output:
	// 25.5
}

// ExampleLTV shows LTV and the error for zero churn.
func ExampleLTV() {
	ltv, _ := cohort.LTV(decimal.NewFromInt(100), 0.8, 0.05)
	fmt.Println(ltv)
	_, err := cohort.LTV(decimal.NewFromInt(100), 0.8, 0)
	fmt.Println(err)
	// Output:
	// 1600
	// cohort.LTV: churn 0: LTV = ARPA × margin ÷ churn is unbounded at churn ≤ 0; use DiscountedLTV with a discount rate
}

// ExampleDiscountedLTV values an account with expansion at a 1 % monthly discount.
func ExampleDiscountedLTV() {
	ltv, _ := cohort.DiscountedLTV(decimal.NewFromInt(100), 0.8, 0.05, 0.02, 0.01)
	fmt.Println(ltv.StringFixed(2))
	// Output:
	// 1970.73
}

// ExampleLTVToCAC compares value with cost.
func ExampleLTVToCAC() {
	r, _ := cohort.LTVToCAC(decimal.NewFromInt(1600), decimal.NewFromInt(400))
	fmt.Println(r)
	// Output:
	// 4
}

// ExamplePayback gives the months to recover CAC.
func ExamplePayback() {
	m, _ := cohort.Payback(decimal.NewFromInt(400), decimal.NewFromInt(100), 0.8)
	fmt.Println(m)
	// Output:
	// 5
}

// ExampleCAC compares paid-media and fully loaded CAC per channel.
func ExampleCAC() {
	costs := []cohort.Cost{
		{Channel: "ads", Line: "media", Amount: decimal.RequireFromString("3000.00")},
		{Channel: "seo", Line: "media", Amount: decimal.RequireFromString("1000.00")},
		{Line: "salaries", Amount: decimal.RequireFromString("7000.00")},
	}
	won := map[string]int64{"ads": 20, "seo": 10}
	for _, lines := range [][]string{{"media"}, nil} {
		all, chans, _ := cohort.CAC(costs, won, lines...)
		c, _ := all.CAC()
		fmt.Printf("%v blended %s", lines, c.StringFixed(2))
		for _, ch := range chans {
			cc, _ := ch.CAC()
			fmt.Printf(", %s %s", ch.Channel, cc.StringFixed(2))
		}
		fmt.Println()
	}
	// Output:
	// [media] blended 133.33, ads 150.00, seo 100.00
	// [] blended 366.67, ads 383.33, seo 333.33
}

// ExampleAcquisition_CAC shows that no customers is not a CAC of 0.
func ExampleAcquisition_CAC() {
	c, _ := cohort.Acquisition{Spend: decimal.NewFromInt(900), Customers: 12}.CAC()
	fmt.Println(c)
	_, err := cohort.Acquisition{Channel: "events", Spend: decimal.NewFromInt(900)}.CAC()
	fmt.Println(errors.Is(err, cohort.ErrUnbounded))
	// Output:
	// 75
	// true
}

// ExampleFitSBG reproduces Fader and Hardie's (2007) regular-segment estimates.
func ExampleFitSBG() {
	m, err := cohort.FitSBG([]int64{1000, 631, 468, 382, 326, 289, 262, 241})
	if err != nil {
		panic(err)
	}
	fmt.Println(m)
	fmt.Printf("S(12) = %.3f (actual 0.173)\n", m.Survival(12))
	// Output:
	// sBG(α=0.704, β=1.182)
	// S(12) = 0.170 (actual 0.173)
}

// ExampleNewSBG makes a model from known parameters.
func ExampleNewSBG() {
	m, _ := cohort.NewSBG(0.668, 3.806)
	fmt.Printf("%.4f\n", m.Retention(1))
	_, err := cohort.NewSBG(0, 1)
	fmt.Println(err)
	// Output:
	// 0.8507
	// cohort.NewSBG: alpha 0: must be a finite number > 0
}

// ExampleSBG_Alpha reads the fitted α.
func ExampleSBG_Alpha() {
	m, _ := cohort.FitSBG([]int64{1000, 869, 743, 653, 593, 551, 517, 491})
	fmt.Printf("%.3f\n", m.Alpha())
	// Output:
	// 0.668
}

// ExampleSBG_Beta reads the fitted β.
func ExampleSBG_Beta() {
	m, _ := cohort.FitSBG([]int64{1000, 869, 743, 653, 593, 551, 517, 491})
	fmt.Printf("%.3f\n", m.Beta())
	// Output:
	// 3.806
}

// ExampleSBG_String prints a model.
func ExampleSBG_String() {
	m, _ := cohort.NewSBG(2, 3)
	fmt.Println(m.String())
	// Output:
	// sBG(α=2.000, β=3.000)
}

// ExampleSBG_Survival projects the share still active.
func ExampleSBG_Survival() {
	m, _ := cohort.NewSBG(2, 3)
	for t := range 4 {
		fmt.Printf("%.4f ", m.Survival(t))
	}
	fmt.Println()
	// Output:
	// 1.0000 0.6000 0.4000 0.2857
}

// ExampleSBG_Retention shows retention rising with tenure.
func ExampleSBG_Retention() {
	m, _ := cohort.NewSBG(0.704, 1.182)
	fmt.Printf("%.3f %.3f %.3f\n", m.Retention(1), m.Retention(2), m.Retention(12))
	// Output:
	// 0.627 0.756 0.945
}

// ExampleSBG_Lifetime is finite only when α > 1.
func ExampleSBG_Lifetime() {
	m, _ := cohort.NewSBG(2, 3)
	l, _ := m.Lifetime()
	fmt.Println(l)
	reg, _ := cohort.NewSBG(0.704, 1.182)
	_, err := reg.Lifetime()
	fmt.Println(errors.Is(err, cohort.ErrUnbounded))
	// Output:
	// 4
	// true
}

// ExampleSBG_DERL values a new and a tenured customer's remaining lifetime.
func ExampleSBG_DERL() {
	m, _ := cohort.NewSBG(0.704, 1.182)
	n1, _ := m.DERL(0.1, 1)
	n5, _ := m.DERL(0.1, 5)
	fmt.Printf("%.3f %.3f\n", n1, n5)
	// Output:
	// 2.965 5.894
}

// ExampleSBG_ResidualValue gives a customer's expected remaining value.
func ExampleSBG_ResidualValue() {
	m, _ := cohort.NewSBG(0.704, 1.182)
	v, _ := m.ResidualValue(decimal.NewFromInt(100), 0.1, 5)
	fmt.Println(v.StringFixed(2))
	// Output:
	// 589.44
}

// ExampleSBG_LogLikelihood evaluates the fit's log-likelihood.
func ExampleSBG_LogLikelihood() {
	data := []int64{1000, 631, 468, 382, 326, 289, 262, 241}
	m, _ := cohort.FitSBG(data)
	ll, _ := m.LogLikelihood(data)
	fmt.Printf("%.2f\n", ll)
	// Output:
	// -1680.27
}

// ExampleBuilder_AddAll adds a stream of records of the three kinds and
// stops at the bad one, naming its position.
func ExampleBuilder_AddAll() {
	b, _ := cohort.NewBuilder(cohort.Month)
	records := []cohort.Record{
		cohort.Customer{ID: "x", Acquired: date(2024, 1, 1)},
		cohort.Revenue{CustomerID: "x", At: date(2024, 1, 1), Amount: decimal.RequireFromString("10")},
		cohort.Subscription{CustomerID: "x", Start: date(2024, 2, 1), Amount: decimal.RequireFromString("12")},
		cohort.Customer{ID: "x", Acquired: date(2024, 1, 1)},
	}
	fmt.Println(b.AddAll(slices.Values(records)))
	t, _ := b.Table(date(2024, 3, 1))
	for _, c := range t.Cohorts[0].Cells {
		fmt.Println(c.Revenue)
	}
	// Output:
	// cohort.Builder.AddAll: item 3: customer ID "x": added twice
	// 10
	// 12
	// 12
}

// ExampleEstimateSBG fits the sBG to Fader and Hardie's regular customers
// and reads its parameters with their standard errors and 95 % intervals
// (R 4.2.2's optim(hessian = TRUE) gives the same: se 0.06560, 0.15248).
func ExampleEstimateSBG() {
	e, err := cohort.EstimateSBG([]int64{1000, 631, 468, 382, 326, 289, 262, 241})
	if err != nil {
		panic(err)
	}
	fmt.Print(e)
	// Output:
	// sBG     estimate  std. error  95% interval
	// alpha   0.7041    0.0656      [0.5866, 0.8451] 95% delta-log
	// beta    1.182     0.1525      [0.918, 1.522] 95% delta-log
}

// ExampleTable_EstimateSBG estimates the model from a table's cohorts.
func ExampleTable_EstimateSBG() {
	t := &cohort.Table{Grain: cohort.Month}
	for i, s := range [][]int64{{1000, 631, 468, 382, 326}, {1000, 640, 470}} {
		c := cohort.Cohort{Start: date(2024, time.Month(1+i), 1), Size: s[0]}
		for _, v := range s {
			c.Cells = append(c.Cells, cohort.Cell{Active: v, Survivors: v, Revenue: decimal.NewFromInt(10 * v)})
		}
		t.Cohorts = append(t.Cohorts, c)
	}
	e, err := t.EstimateSBG()
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Model())
	// Output: sBG(α=0.814, β=1.407)
}

// ExampleSBGEstimate_Model reads the fitted model out of the estimate.
func ExampleSBGEstimate_Model() {
	e, _ := cohort.EstimateSBG([]int64{1000, 869, 743, 653, 593, 551, 517, 491})
	fmt.Println(e.Model())
	// Output: sBG(α=0.668, β=3.806)
}

// ExampleSBGEstimate_Parameters gives the parameters at a 90 % level.
func ExampleSBGEstimate_Parameters() {
	e, _ := cohort.EstimateSBG([]int64{1000, 631, 468, 382, 326, 289, 262, 241})
	ps, _ := e.Parameters(0.90)
	for _, p := range ps {
		fmt.Printf("%s = %.3f ± %.3f, %v\n", p.Name, p.Value, p.SE, p.Interval)
	}
	// Output:
	// alpha = 0.704 ± 0.066, [0.604, 0.8207] 90% delta-log
	// beta = 1.182 ± 0.152, [0.9561, 1.461] 90% delta-log
}

// ExampleSBGEstimate_Survival projects the share of a cohort still active
// after 12 years, with its 95 % interval.
func ExampleSBGEstimate_Survival() {
	e, _ := cohort.EstimateSBG([]int64{1000, 631, 468, 382, 326, 289, 262, 241})
	s, iv, _ := e.Survival(12, 0.95)
	fmt.Printf("S(12) = %.3f %v\n", s, iv)
	// Output: S(12) = 0.170 [0.1456, 0.1976] 95% delta-logit
}

// ExampleSBGEstimate_Retention projects the renewal rate in year 12.
func ExampleSBGEstimate_Retention() {
	e, _ := cohort.EstimateSBG([]int64{1000, 631, 468, 382, 326, 289, 262, 241})
	r, iv, _ := e.Retention(12, 0.95)
	fmt.Printf("r(12) = %.3f %v\n", r, iv)
	// Output: r(12) = 0.945 [0.9364, 0.9531] 95% delta-logit
}

// ExampleSBGEstimate_DERL gives a new customer's discounted expected
// residual lifetime at 10 % a period, with its interval.
func ExampleSBGEstimate_DERL() {
	e, _ := cohort.EstimateSBG([]int64{1000, 631, 468, 382, 326, 289, 262, 241})
	v, iv, _ := e.DERL(0.1, 1, 0.95)
	fmt.Printf("DERL = %.2f %v\n", v, iv)
	// Output: DERL = 2.96 [2.723, 3.228] 95% delta-log
}

// ExampleSBGEstimate_ResidualValue values a new customer paying 100 a
// period, with the interval of that value.
func ExampleSBGEstimate_ResidualValue() {
	e, _ := cohort.EstimateSBG([]int64{1000, 631, 468, 382, 326, 289, 262, 241})
	v, iv, _ := e.ResidualValue(decimal.NewFromInt(100), 0.1, 1, 0.95)
	fmt.Println(v.StringFixed(2), iv.Lo.StringFixed(2), iv.Hi.StringFixed(2), iv.Method)
	// Output: 296.44 272.25 322.77 delta-log
}

// ExampleSBGEstimate_String prints the parameter table.
func ExampleSBGEstimate_String() {
	e, _ := cohort.EstimateSBG([]int64{1000, 869, 743, 653, 593, 551, 517, 491})
	fmt.Print(e.String())
	// Output:
	// sBG     estimate  std. error  95% interval
	// alpha   0.6681    0.1037      [0.4928, 0.9057] 95% delta-log
	// beta    3.806     0.7855      [2.54, 5.704] 95% delta-log
}

// bandTable is one cohort of 1,000 customers observed for four periods.
func bandTable() *cohort.Table {
	c := cohort.Cohort{Start: date(2024, 1, 1), Size: 1000}
	for _, v := range []int64{1000, 631, 468, 382} {
		c.Cells = append(c.Cells, cohort.Cell{Active: v, Survivors: v, Revenue: decimal.NewFromInt(10 * v)})
	}
	return &cohort.Table{Grain: cohort.Month, Cohorts: []cohort.Cohort{c}}
}

// ExampleTable_ProjectBands projects a cohort two periods past its data,
// with the 95 % band of its survivors and of its lifetime value.
func ExampleTable_ProjectBands() {
	t := bandTable()
	e, _ := t.EstimateSBG()
	bands, _ := t.ProjectBands(e, 6, 0.8, 0.01, 0.95)
	b := bands[0]
	for a := 3; a < 6; a++ {
		fmt.Printf("age %d: %.1f %v\n", a, b.Projection.Survivors[a], b.Survivors[a])
	}
	fmt.Println("LTV", b.Projection.LTV.StringFixed(2), b.LTV)
	// Output:
	// age 3: 382.0 [382, 382] 95% observed
	// age 4: 323.5 [312.8, 332.8] 95% delta-logit
	// age 5: 282.0 [264.6, 297.8] 95% delta-logit
	// LTV 69.54 [54.22194, 91.672673] 95% delta-log
}

// ExampleBand_String prints a cohort's projection with its band.
func ExampleBand_String() {
	t := bandTable()
	e, _ := t.EstimateSBG()
	bands, _ := t.ProjectBands(e, 6, 0.8, 0.01, 0.95)
	fmt.Print(bands[0])
	// Output:
	// cohort 2024-01-01
	// age  survivors   interval                            retention   interval
	// 0    1000        [1000, 1000] 95% observed           1           [1, 1] 95% observed
	// 1    631         [631, 631] 95% observed             0.631       [0.631, 0.631] 95% observed
	// 2    468         [468, 468] 95% observed             0.468       [0.468, 0.468] 95% observed
	// 3    382         [382, 382] 95% observed             0.382       [0.382, 0.382] 95% observed
	// 4    323.49      [312.8, 332.8] 95% delta-logit      0.3235      [0.3128, 0.3328] 95% delta-logit
	// 5    282.04      [264.6, 297.8] 95% delta-logit      0.282       [0.2646, 0.2978] 95% delta-logit
	// LTV 69.535997 [54.22194, 91.672673] 95% delta-log
}

// MRR rows by month with each account's close date: the accounts and their
// revenue in one pass, and a row the builder refuses, with the reason.
func ExampleReadRevenue() {
	in := "Account ID,Month,MRR,Close Date\n" +
		"acme,2025-01,100.00,2025-01-10\n" +
		"acme,2025-02,120.00,2025-01-10\n" +
		"beta,2025-01,50.00,2025-02-03\n"
	b, _ := cohort.NewBuilder(cohort.Month)
	h, err := cohort.ReadRevenue(strings.NewReader(in), b, cohort.Columns{})
	if err != nil {
		panic(err)
	}
	fmt.Print(h)
	// Output:
	// rows: 3 read, 2 used, 1 rejected
	//   line 4, column "Close Date": revenue before the customer's acquisition "2025-02-03"
	// duplicates 0, out of order 0, skipped stages 0 entities, backward 0 entities
}

// ExampleBuilder_MarshalBinary ships a partition's builder as bytes, as a
// distributed engine's combiner does, and merges it on the other side:
// the table is the one of all the records in one place.
func ExampleBuilder_MarshalBinary() {
	b := exampleBuilder()
	data, err := b.MarshalBinary()
	if err != nil {
		panic(err)
	}
	fmt.Println(len(data), "bytes")

	var shipped cohort.Builder
	if err := shipped.UnmarshalBinary(data); err != nil {
		panic(err)
	}
	other, _ := cohort.NewBuilder(cohort.Month)
	_ = other.Add(cohort.Customer{ID: "dyna", Acquired: date(2024, 3, 2)})
	_ = other.Add(cohort.Revenue{CustomerID: "dyna", At: date(2024, 3, 2), Amount: decimal.RequireFromString("40")})
	_ = other.Merge(&shipped)
	t, _ := other.Table(date(2024, 3, 31))
	fmt.Print(t)
	// Output:
	// 65 bytes
	// cohort       size     0     1     2
	// 2024-01         2  100%   50%   50%
	// 2024-02         1  100%  100%
	// 2024-03         1  100%
}

// ExampleBuilder_UnmarshalBinary shows that the encoding of a builder of
// another kind of accumulator is refused, and the builder left as it was.
func ExampleBuilder_UnmarshalBinary() {
	b := exampleBuilder()
	err := b.UnmarshalBinary([]byte("kpP\x01\x00\x00"))
	fmt.Println(err)
	t, _ := b.Table(date(2024, 1, 31))
	fmt.Println(t.Cohorts[0].Size, "customers in January")
	// Output:
	// cohort.Builder.UnmarshalBinary: data 6 bytes: byte 0: kind 'P': want 'C'
	// 2 customers in January
}
