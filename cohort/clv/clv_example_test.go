package clv_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/kpiflow/kpi/cohort/clv"
)

func date(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

// exampleShop returns the orders of a parts supplier's 2,000 customers
// won from January to March 2024, drawn with a fixed seed from the models
// the package fits: each buys at a weekly rate drawn from Gamma(2, 10),
// may leave after each repeat order with a probability drawn from
// Beta(2, 6), and spends per order Gamma(6, ν) with ν from Gamma(4, 15).
func exampleShop() []clv.Transaction {
	src := rand.New(rand.NewPCG(2024, 1))
	rate := distuv.Gamma{Alpha: 2, Beta: 10, Src: src}
	leave := distuv.Beta{Alpha: 2, Beta: 6, Src: src}
	nu := distuv.Gamma{Alpha: 4, Beta: 15, Src: src}
	end := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	var out []clv.Transaction
	for i := range 2000 {
		id := fmt.Sprintf("C%04d", i)
		first := time.Date(2024, 1, 1+i%91, 0, 0, 0, 0, time.UTC)
		l, p := rate.Rand(), leave.Rand()
		spend := distuv.Gamma{Alpha: 6, Beta: nu.Rand(), Src: src}
		at, weeks := first, 0.0
		for !at.After(end) {
			out = append(out, clv.Transaction{CustomerID: id, At: at, Amount: decimal.NewFromFloat(spend.Rand()).Round(2)})
			if weeks > 0 && src.Float64() < p {
				break // left after this repeat order
			}
			if weeks += src.ExpFloat64() / l; weeks > 100 {
				break
			}
			at = first.AddDate(0, 0, int(math.Ceil(weeks*7)))
		}
	}
	return out
}

// exampleSummary summarises exampleShop in weeks, calibration through
// 2024-09-30 and holdout through 2025-06-30.
func exampleSummary() clv.Summary {
	var p clv.Purchases
	for _, t := range exampleShop() {
		_ = p.Add(t)
	}
	s, err := p.Summary(date(2024, 9, 30), date(2025, 6, 30), 7*24*time.Hour)
	if err != nil {
		panic(err)
	}
	return s
}

// ExamplePurchases_Add shows that a negative amount is refused.
func ExamplePurchases_Add() {
	var p clv.Purchases
	err := p.Add(clv.Transaction{CustomerID: "acme", At: date(2024, 3, 4), Amount: decimal.RequireFromString("-20")})
	fmt.Println(err)
	// Output:
	// clv.Purchases.Add: amount of customer "acme" on 2024-03-04 -20: negative
}

// ExamplePurchases_Merge summarises a customer whose orders were counted
// in two partitions.
func ExamplePurchases_Merge() {
	var east, west clv.Purchases
	_ = east.Add(clv.Transaction{CustomerID: "acme", At: date(2024, 1, 8), Amount: decimal.RequireFromString("120")})
	_ = west.Add(clv.Transaction{CustomerID: "acme", At: date(2024, 2, 5), Amount: decimal.RequireFromString("80")})
	_ = west.Add(clv.Transaction{CustomerID: "acme", At: date(2024, 4, 1), Amount: decimal.RequireFromString("100")})
	if err := east.Merge(&west); err != nil {
		fmt.Println(err)
	}
	s, _ := east.Summary(date(2024, 3, 31), date(2024, 6, 30), 7*24*time.Hour)
	c := s.Customers[0]
	fmt.Printf("%s x=%d t_x=%.0f T=%.0f value=%s holdout=%d\n", c.CustomerID, c.Frequency, c.Recency, c.Age, c.Value, c.Holdout)
	// Output:
	// acme x=1 t_x=4 T=12 value=80 holdout=1
}

// ExamplePurchases_Summary turns orders into RFM records in days: two
// orders on one day count as one purchase, and the first purchase is left
// out of the mean value.
func ExamplePurchases_Summary() {
	var p clv.Purchases
	for _, t := range []clv.Transaction{
		{CustomerID: "acme", At: date(2024, 3, 1), Amount: decimal.RequireFromString("500")},
		{CustomerID: "acme", At: date(2024, 3, 11), Amount: decimal.RequireFromString("100")},
		{CustomerID: "acme", At: date(2024, 3, 11), Amount: decimal.RequireFromString("50")},
		{CustomerID: "acme", At: date(2024, 3, 21), Amount: decimal.RequireFromString("90")},
		{CustomerID: "blue", At: date(2024, 3, 25), Amount: decimal.RequireFromString("75")},
		{CustomerID: "blue", At: date(2024, 4, 2), Amount: decimal.RequireFromString("75")},
		{CustomerID: "corp", At: date(2024, 4, 5), Amount: decimal.RequireFromString("60")},
	} {
		_ = p.Add(t)
	}
	s, _ := p.Summary(date(2024, 3, 31), date(2024, 4, 30), 24*time.Hour)
	fmt.Println("holdout days:", s.HoldoutLength)
	for _, c := range s.Customers {
		fmt.Printf("%s x=%d t_x=%.0f T=%.0f value=%s holdout=%d\n", c.CustomerID, c.Frequency, c.Recency, c.Age, c.Value, c.Holdout)
	}
	// Output:
	// holdout days: 30
	// acme x=2 t_x=20 T=30 value=120 holdout=0
	// blue x=0 t_x=0 T=6 value=0 holdout=1
}

// ExampleNewBGNBD makes the model with the estimates Fader, Hardie and Lee
// (2005) published for the CDNOW sample.
func ExampleNewBGNBD() {
	m, err := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	if err != nil {
		panic(err)
	}
	fmt.Println(m)
	_, err = clv.NewBGNBD(0.243, 4.414, 0, 2.426)
	fmt.Println(err)
	// Output:
	// BG/NBD(r=0.243, α=4.414, a=0.793, b=2.426)
	// clv.NewBGNBD: a 0: must be a finite number > 0
}

// ExampleBGNBD_R reads r and the mean purchase rate r/α.
func ExampleBGNBD_R() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	fmt.Printf("r = %.3f, mean rate r/α = %.4f a week\n", m.R(), m.R()/m.Alpha())
	// Output:
	// r = 0.243, mean rate r/α = 0.0551 a week
}

// ExampleBGNBD_Alpha reads α.
func ExampleBGNBD_Alpha() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	fmt.Println(m.Alpha())
	// Output:
	// 4.414
}

// ExampleBGNBD_A reads a and the mean dropout probability a/(a+b).
func ExampleBGNBD_A() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	fmt.Printf("a = %.3f, mean dropout a/(a+b) = %.3f\n", m.A(), m.A()/(m.A()+m.B()))
	// Output:
	// a = 0.793, mean dropout a/(a+b) = 0.246
}

// ExampleBGNBD_B reads b.
func ExampleBGNBD_B() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	fmt.Println(m.B())
	// Output:
	// 2.426
}

// ExampleBGNBD_String prints a model.
func ExampleBGNBD_String() {
	m, _ := clv.NewBGNBD(1, 2.5, 0.5, 3)
	fmt.Println(m.String())
	// Output:
	// BG/NBD(r=1.000, α=2.500, a=0.500, b=3.000)
}

// ExampleBGNBD_LogLikelihood evaluates the likelihood of one history that
// works out by hand to 5/32 (see TestBGNBDLogLikelihood).
func ExampleBGNBD_LogLikelihood() {
	m, _ := clv.NewBGNBD(1, 1, 1, 1)
	ll, _ := m.LogLikelihood([]clv.RFM{{History: clv.History{Frequency: 1, Recency: 1, Age: 3}}})
	fmt.Printf("L = %.5f = 5/32\n", math.Exp(ll))
	// Output:
	// L = 0.15625 = 5/32
}

// ExampleFitBGNBD fits the model to the calibration period of a
// simulated book of orders, drawn with r = 2, α = 10, a = 2, b = 6.
func ExampleFitBGNBD() {
	s := exampleSummary()
	m, err := clv.FitBGNBD(s.Customers)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(s.Customers), "customers:", m)
	// Output:
	// 2000 customers: BG/NBD(r=2.155, α=11.400, a=2.473, b=7.862)
}

// ExampleBGNBD_ExpectedPurchases gives the repeat purchases a new CDNOW
// customer makes in the 39 and 78 weeks after the first.
func ExampleBGNBD_ExpectedPurchases() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	for _, t := range []float64{39, 78} {
		e, _ := m.ExpectedPurchases(t)
		fmt.Printf("%.0f weeks: %.3f\n", t, e)
	}
	// Output:
	// 39 weeks: 1.197
	// 78 weeks: 1.861
}

// ExampleBGNBD_ConditionalPurchases predicts the next 39 weeks of the
// first CDNOW customer (2 repeat purchases, the last in week 30.43 of
// 38.86): 1.226 in Fader and Hardie's note on the model.
func ExampleBGNBD_ConditionalPurchases() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	e, _ := m.ConditionalPurchases(clv.History{Frequency: 2, Recency: 30.43, Age: 38.86}, 39)
	fmt.Printf("%.3f\n", e)
	// Output:
	// 1.226
}

// ExampleBGNBD_Alive compares a customer who bought lately with one who
// bought as often but stopped long ago.
func ExampleBGNBD_Alive() {
	m, _ := clv.NewBGNBD(0.243, 4.414, 0.793, 2.426)
	recent, _ := m.Alive(clv.History{Frequency: 5, Recency: 35, Age: 38})
	lapsed, _ := m.Alive(clv.History{Frequency: 5, Recency: 8, Age: 38})
	fmt.Printf("recent %.3f, lapsed %.3f\n", recent, lapsed)
	// Output:
	// recent 0.847, lapsed 0.013
}

// ExampleBGNBD_Holdout sets the purchases the fitted model expects in
// the 39-week holdout beside those the customers made, by calibration
// frequency.
func ExampleBGNBD_Holdout() {
	s := exampleSummary()
	m, _ := clv.FitBGNBD(s.Customers)
	groups, _ := m.Holdout(s, 5)
	fmt.Println("x   customers  actual  predicted")
	for _, g := range groups {
		fmt.Printf("%-3d %9d  %6.2f  %9.2f\n", g.Frequency, g.Customers, g.Actual, g.Predicted)
	}
	// Output:
	// x   customers  actual  predicted
	// 0         114    1.55       1.49
	// 1         604    0.48       0.48
	// 2         371    0.79       0.74
	// 3         289    0.99       1.12
	// 4         622    2.44       2.22
}

// ExampleNewGammaGamma makes the spend model with the estimates Fader,
// Hardie and Lee (2005) published for the CDNOW sample.
func ExampleNewGammaGamma() {
	m, err := clv.NewGammaGamma(6.25, 3.74, 15.44)
	if err != nil {
		panic(err)
	}
	fmt.Println(m)
	// Output:
	// Gamma–Gamma(p=6.25, q=3.74, γ=15.44)
}

// ExampleGammaGamma_P reads p and the population's mean spend pγ/(q−1).
func ExampleGammaGamma_P() {
	m, _ := clv.NewGammaGamma(6.25, 3.74, 15.44)
	fmt.Printf("p = %.2f, mean spend %.2f\n", m.P(), m.P()*m.Gamma()/(m.Q()-1))
	// Output:
	// p = 6.25, mean spend 35.22
}

// ExampleGammaGamma_Q reads q.
func ExampleGammaGamma_Q() {
	m, _ := clv.NewGammaGamma(6.25, 3.74, 15.44)
	fmt.Println(m.Q())
	// Output:
	// 3.74
}

// ExampleGammaGamma_Gamma reads γ.
func ExampleGammaGamma_Gamma() {
	m, _ := clv.NewGammaGamma(6.25, 3.74, 15.44)
	fmt.Println(m.Gamma())
	// Output:
	// 15.44
}

// ExampleGammaGamma_String prints a model.
func ExampleGammaGamma_String() {
	m, _ := clv.NewGammaGamma(2, 3, 50)
	fmt.Println(m.String())
	// Output:
	// Gamma–Gamma(p=2.00, q=3.00, γ=50.00)
}

// ExampleGammaGamma_LogLikelihood evaluates the density of one customer's
// mean that works out by hand to 1/(1+1)² = 1/4 (see
// TestGammaGammaLogLikelihood).
func ExampleGammaGamma_LogLikelihood() {
	m, _ := clv.NewGammaGamma(1, 1, 1)
	c := clv.RFM{History: clv.History{Frequency: 1, Recency: 2, Age: 5}, Value: decimal.NewFromInt(1)}
	ll, _ := m.LogLikelihood([]clv.RFM{c})
	fmt.Printf("f = %.2f\n", math.Exp(ll))
	// Output:
	// f = 0.25
}

// ExampleFitGammaGamma fits the spend model to the repeat customers of a
// simulated book of orders, drawn with p = 6, q = 4, γ = 15.
func ExampleFitGammaGamma() {
	s := exampleSummary()
	m, err := clv.FitGammaGamma(s.Customers)
	if err != nil {
		panic(err)
	}
	fmt.Println(m)
	// Output:
	// Gamma–Gamma(p=5.84, q=4.05, γ=16.09)
}

// ExampleGammaGamma_ExpectedValue shrinks a customer's own mean towards
// the population's: the more they bought, the less.
func ExampleGammaGamma_ExpectedValue() {
	m, _ := clv.NewGammaGamma(6.25, 3.74, 15.44)
	for _, x := range []int64{0, 1, 10} {
		c := clv.RFM{History: clv.History{Frequency: x, Recency: min(float64(x), 1), Age: 30}, Value: decimal.NewFromInt(60)}
		if x == 0 {
			c.Value = decimal.Zero
		}
		v, _ := m.ExpectedValue(c)
		fmt.Printf("x=%-2d mean %s: expect %s\n", x, c.Value, v.StringFixed(2))
	}
	// Output:
	// x=0  mean 0: expect 35.22
	// x=1  mean 60: expect 52.45
	// x=10 mean 60: expect 58.96
}

// ExampleValuation_Value values the customers of a simulated book of
// orders over the next 12 months (of 52/12 weeks) at 1 % a month and a
// 30 % margin, and lists the five worth most.
func ExampleValuation_Value() {
	s := exampleSummary()
	purchases, _ := clv.FitBGNBD(s.Customers)
	spend, _ := clv.FitGammaGamma(s.Customers)
	v := clv.Valuation{Purchases: purchases, Spend: spend, Periods: 12, Length: 52.0 / 12, Discount: 0.01, Margin: 0.3}
	type row struct {
		c     clv.RFM
		value decimal.Decimal
	}
	rows := make([]row, len(s.Customers))
	total := decimal.Zero
	for i, c := range s.Customers {
		val, err := v.Value(c)
		if err != nil {
			panic(err)
		}
		rows[i] = row{c, val}
		total = total.Add(val)
	}
	slices.SortFunc(rows, func(a, b row) int { return b.value.Cmp(a.value) })
	fmt.Println("customer  x   t_x     T  alive  mean   value")
	for _, r := range rows[:5] {
		alive, _ := purchases.Alive(r.c.History)
		fmt.Printf("%s  %2d  %4.1f  %4.1f  %5.2f  %5s  %6s\n", r.c.CustomerID, r.c.Frequency, r.c.Recency, r.c.Age, alive, r.c.Value.StringFixed(0), r.value.StringFixed(2))
	}
	fmt.Println("all", len(rows), "customers:", total.StringFixed(0))
	// Output:
	// customer  x   t_x     T  alive  mean   value
	// C1494  14  33.1  33.6   0.88     87  194.13
	// C1893   6  22.4  28.6   0.57    217  181.69
	// C0141  16  31.4  31.9   0.89     68  172.96
	// C0682   9  30.1  32.6   0.77    104  149.32
	// C0244  14  28.7  30.1   0.83     67  146.98
	// all 2000 customers: 25559
}

// ExamplePurchases_AddAll adds a stream of transactions and summarises
// them.
func ExamplePurchases_AddAll() {
	var p clv.Purchases
	err := p.AddAll(slices.Values([]clv.Transaction{
		{CustomerID: "acme", At: date(2024, 1, 1), Amount: decimal.RequireFromString("50")},
		{CustomerID: "acme", At: date(2024, 1, 8), Amount: decimal.RequireFromString("70")},
	}))
	fmt.Println(err)
	s, _ := p.Summary(date(2024, 1, 31), date(2024, 2, 29), 7*24*time.Hour)
	c := s.Customers[0]
	// First purchase day 0, the repeat on day 7 = week 1; calibration ends
	// on day 30 = 30/7 weeks after the first.
	fmt.Printf("x=%d t_x=%.0f T=%.2f value=%s\n", c.Frequency, c.Recency, c.Age, c.Value)
	// Output:
	// <nil>
	// x=1 t_x=1 T=4.29 value=70
}

// ExampleEstimateBGNBD fits the BG/NBD to 2,357 simulated CDNOW-like
// customers and prints its parameters with standard errors and 95 %
// intervals (R 4.2.2's optim(hessian = TRUE) gives the same standard
// errors: 0.01298, 0.3886, 0.1573, 0.6458).
func ExampleEstimateBGNBD() {
	e, err := clv.EstimateBGNBD(cdnowSim())
	if err != nil {
		panic(err)
	}
	fmt.Print(e)
	// Output:
	// BG/NBD  estimate  std. error  95% interval
	// r       0.2528    0.01298     [0.2286, 0.2796] 95% delta-log
	// alpha   4.666     0.3886      [3.963, 5.493] 95% delta-log
	// a       0.694     0.1573      [0.445, 1.082] 95% delta-log
	// b       2.235     0.6458      [1.268, 3.938] 95% delta-log
}

// ExampleBGNBDEstimate_Model reads the fitted model.
func ExampleBGNBDEstimate_Model() {
	e, _ := clv.EstimateBGNBD(cdnowSim())
	fmt.Println(e.Model())
	// Output: BG/NBD(r=0.253, α=4.666, a=0.694, b=2.235)
}

// ExampleBGNBDEstimate_Parameters reads r at the 90 % level.
func ExampleBGNBDEstimate_Parameters() {
	e, _ := clv.EstimateBGNBD(cdnowSim())
	ps, _ := e.Parameters(0.90)
	fmt.Printf("%s = %.4f ± %.4f %v\n", ps[0].Name, ps[0].Value, ps[0].SE, ps[0].Interval)
	// Output: r = 0.2528 ± 0.0130 [0.2323, 0.2751] 90% delta-log
}

// ExampleBGNBDEstimate_ExpectedPurchases: a new customer's purchases in
// their first 39 weeks, with the interval the fit's uncertainty gives.
func ExampleBGNBDEstimate_ExpectedPurchases() {
	e, _ := clv.EstimateBGNBD(cdnowSim())
	v, iv, _ := e.ExpectedPurchases(39, 0.95)
	fmt.Printf("%.3f %v\n", v, iv)
	// Output: 1.232 [1.13, 1.342] 95% delta-log
}

// ExampleBGNBDEstimate_ConditionalPurchases: the next 39 weeks of a
// customer who bought 3 times, last in week 30 of 39.
func ExampleBGNBDEstimate_ConditionalPurchases() {
	e, _ := clv.EstimateBGNBD(cdnowSim())
	v, iv, _ := e.ConditionalPurchases(clv.History{Frequency: 2, Recency: 30, Age: 39}, 39, 0.95)
	fmt.Printf("%.3f %v\n", v, iv)
	// Output: 1.252 [1.168, 1.343] 95% delta-log
}

// ExampleBGNBDEstimate_Alive: P(alive) with its interval, and the exact
// case of a customer who never bought again.
func ExampleBGNBDEstimate_Alive() {
	e, _ := clv.EstimateBGNBD(cdnowSim())
	v, iv, _ := e.Alive(clv.History{Frequency: 5, Recency: 20, Age: 38}, 0.95)
	fmt.Printf("%.3f %v\n", v, iv)
	v, iv, _ = e.Alive(clv.History{Age: 38}, 0.95)
	fmt.Printf("%.3f %v\n", v, iv)
	// Output:
	// 0.336 [0.2767, 0.4001] 95% delta-logit
	// 1.000 [1, 1] 95% exact
}

// ExampleBGNBDEstimate_String prints the parameter table.
func ExampleBGNBDEstimate_String() {
	e, _ := clv.EstimateBGNBD(cdnowSim())
	fmt.Print(e.String())
	// Output:
	// BG/NBD  estimate  std. error  95% interval
	// r       0.2528    0.01298     [0.2286, 0.2796] 95% delta-log
	// alpha   4.666     0.3886      [3.963, 5.493] 95% delta-log
	// a       0.694     0.1573      [0.445, 1.082] 95% delta-log
	// b       2.235     0.6458      [1.268, 3.938] 95% delta-log
}

// ExampleEstimateGammaGamma fits the Gamma–Gamma to the same customers'
// purchase values (R 4.2.2: standard errors 1.398, 0.2333, 3.183).
func ExampleEstimateGammaGamma() {
	e, err := clv.EstimateGammaGamma(cdnowSim())
	if err != nil {
		panic(err)
	}
	fmt.Print(e)
	// Output:
	// GG      estimate  std. error  95% interval
	// p       7.222     1.398       [4.941, 10.56] 95% delta-log
	// q       3.433     0.2333      [3.005, 3.922] 95% delta-log
	// gamma   12.45     3.183       [7.54, 20.55] 95% delta-log
}

// ExampleGammaGammaEstimate_Model reads the fitted model.
func ExampleGammaGammaEstimate_Model() {
	e, _ := clv.EstimateGammaGamma(cdnowSim())
	fmt.Println(e.Model())
	// Output: Gamma–Gamma(p=7.22, q=3.43, γ=12.45)
}

// ExampleGammaGammaEstimate_Parameters reads q with its interval.
func ExampleGammaGammaEstimate_Parameters() {
	e, _ := clv.EstimateGammaGamma(cdnowSim())
	ps, _ := e.Parameters(0.95)
	fmt.Printf("%s = %.3f %v\n", ps[1].Name, ps[1].Value, ps[1].Interval)
	// Output: q = 3.433 [3.005, 3.922] 95% delta-log
}

// ExampleGammaGammaEstimate_ExpectedValue: the expected value of a
// customer's next purchases after two of 40 on average.
func ExampleGammaGammaEstimate_ExpectedValue() {
	e, _ := clv.EstimateGammaGamma(cdnowSim())
	c := clv.RFM{History: clv.History{Frequency: 2, Recency: 20, Age: 39}, Value: decimal.NewFromInt(40)}
	v, iv, _ := e.ExpectedValue(c, 0.95)
	fmt.Println(v.StringFixed(2), iv.Lo.StringFixed(2), iv.Hi.StringFixed(2), iv.Method)
	// Output: 39.56 39.16 39.96 delta-log
}

// ExampleGammaGammaEstimate_String prints the parameter table.
func ExampleGammaGammaEstimate_String() {
	e, _ := clv.EstimateGammaGamma(cdnowSim())
	fmt.Print(e.String())
	// Output:
	// GG      estimate  std. error  95% interval
	// p       7.222     1.398       [4.941, 10.56] 95% delta-log
	// q       3.433     0.2333      [3.005, 3.922] 95% delta-log
	// gamma   12.45     3.183       [7.54, 20.55] 95% delta-log
}

// ExampleValuation_ValueInterval values a customer over a year of
// four-week periods with the interval from both fits' uncertainty.
func ExampleValuation_ValueInterval() {
	cs := cdnowSim()
	bg, _ := clv.EstimateBGNBD(cs)
	gg, _ := clv.EstimateGammaGamma(cs)
	v := clv.Valuation{Purchases: bg.Model(), Spend: gg.Model(), Periods: 12, Length: 4, Discount: 0.01, Margin: 0.3}
	c := clv.RFM{History: clv.History{Frequency: 2, Recency: 30, Age: 39}, Value: decimal.NewFromInt(40)}
	val, iv, _ := v.ValueInterval(c, bg, gg, 0.95)
	fmt.Println(val.StringFixed(2), iv.Lo.StringFixed(2), iv.Hi.StringFixed(2), iv.Method)
	// Output: 16.70 15.49 18.01 delta-log
}

// Orders read from an export: each row used or rejected, with the reason.
func ExampleReadTransactions() {
	in := "Customer ID,Order Date,Total\n" +
		"ann,2025-01-05,20.00\n" +
		"ann,2025-02-07 10:00,35.50\n" +
		"bo,2025-02-30,12.00\n"
	var p clv.Purchases
	h, err := clv.ReadTransactions(strings.NewReader(in), &p, clv.Columns{})
	if err != nil {
		panic(err)
	}
	fmt.Print(h)
	// Output:
	// rows: 3 read, 2 used, 1 rejected
	//   line 4, column "Order Date": no such date "2025-02-30"
	// duplicates 0, out of order 0, skipped stages 0 entities, backward 0 entities
}

// ExamplePurchases_MarshalBinary ships a partition's purchases as bytes,
// as a distributed engine's combiner does, and merges them on the other
// side: the summary is the one of all the orders in one place.
func ExamplePurchases_MarshalBinary() {
	var east clv.Purchases
	_ = east.Add(clv.Transaction{CustomerID: "acme", At: date(2024, 1, 8), Amount: decimal.RequireFromString("120")})
	_ = east.Add(clv.Transaction{CustomerID: "acme", At: date(2024, 2, 5), Amount: decimal.RequireFromString("80")})
	b, _ := east.MarshalBinary()
	fmt.Println(len(b), "bytes")

	var shipped, west clv.Purchases
	if err := shipped.UnmarshalBinary(b); err != nil {
		fmt.Println(err)
	}
	_ = west.Add(clv.Transaction{CustomerID: "acme", At: date(2024, 3, 4), Amount: decimal.RequireFromString("100")})
	_ = west.Merge(&shipped)
	s, _ := west.Summary(date(2024, 3, 31), date(2024, 6, 30), 7*24*time.Hour)
	c := s.Customers[0]
	fmt.Printf("%s x=%d t_x=%.0f T=%.0f value=%s\n", c.CustomerID, c.Frequency, c.Recency, c.Age, c.Value)
	// Output:
	// 21 bytes
	// acme x=2 t_x=8 T=12 value=90
}

// ExamplePurchases_UnmarshalBinary shows that an encoding that names a
// customer twice is refused, with the offset of the fault, and that the
// purchases are left as they were.
func ExamplePurchases_UnmarshalBinary() {
	var p clv.Purchases
	_ = p.Add(clv.Transaction{CustomerID: "acme", At: date(2024, 1, 8), Amount: decimal.RequireFromString("120")})
	err := p.UnmarshalBinary([]byte("kpP\x01\x02\x01a\x01a\x00"))
	fmt.Println(err)
	s, _ := p.Summary(date(2024, 3, 31), date(2024, 6, 30), 7*24*time.Hour)
	fmt.Println(s.Customers[0].CustomerID)
	// Output:
	// clv.Purchases.UnmarshalBinary: data 10 bytes: byte 9: customer ID "a" empty or repeated
	// acme
}
