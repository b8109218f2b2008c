package attribution_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// demo is a small B2B data set in ChannelAttribution's layout.
const demo = `path;total_conversions;total_conversion_value;total_null
search > webinar > email;2;9000.00;8
search;1;2500.00;15
email > search > email;1;4000.00;6
social > webinar;0;0;12
direct;1;1500.00;3
`

func demoJourneys() *attribution.Journeys {
	js, err := attribution.Read(strings.NewReader(demo), attribution.Format{})
	if err != nil {
		panic(err)
	}
	return js
}

// printCredits prints a result's credits.
func printCredits(r *attribution.Result) {
	fmt.Println(r.Model)
	for _, c := range r.Credits {
		fmt.Printf("  %-8s %.3f %v\n", c.Channel, c.Conversions, c.Value.StringFixed(2))
	}
}

// ExampleRead reads journeys in ChannelAttribution's CSV layout.
func ExampleRead() {
	js, err := attribution.Read(strings.NewReader(demo), attribution.Format{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(js.Len(), "paths,", js.Conversions(), "conversions worth", js.Value(), "and", js.Nulls(), "non-converting journeys")

	// Errors give the line.
	_, err = attribution.Read(strings.NewReader("path;total_conversions\na > > b;1\n"), attribution.Format{})
	fmt.Println(err)
	// Output:
	// 5 paths, 5 conversions worth 17000 and 44 non-converting journeys
	// attribution.Read: line 2 path "a > > b": empty channel name
}

// ExampleWrite writes journeys back as CSV, here with commas.
func ExampleWrite() {
	var js attribution.Journeys
	_ = js.Add(attribution.Journey{
		Touches:     []attribution.Touch{{Channel: "search"}, {Channel: "email"}},
		Conversions: 2, Value: decimal.RequireFromString("1200.50"), Nulls: 7,
	})
	if err := attribution.Write(os.Stdout, &js, attribution.Format{Comma: ','}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// path,total_conversions,total_conversion_value,total_null
	// search > email,2,1200.50,7
}

// ExampleJourneys_Add builds journeys with times and milestones.
func ExampleJourneys_Add() {
	day := func(d int) time.Time { return time.Date(2024, 5, d, 0, 0, 0, 0, time.UTC) }
	var js attribution.Journeys
	err := js.Add(attribution.Journey{
		Touches: []attribution.Touch{
			{Channel: "search", Time: day(1)},
			{Channel: "webinar", Time: day(8), Marks: attribution.Lead},
			{Channel: "email", Time: day(15), Marks: attribution.Opportunity},
			{Channel: "direct", Time: day(22), Marks: attribution.Won},
		},
		Conversions: 1,
		Value:       decimal.RequireFromString("24000"),
	})
	fmt.Println(err, js.Len())

	err = js.Add(attribution.Journey{Touches: []attribution.Touch{{Channel: "email"}}, Conversions: -1})
	fmt.Println(err)
	// Output:
	// <nil> 1
	// attribution.Journeys.Add: journey 1 conversions -1: negative count
}

// ExampleJourneys_Merge combines journeys counted in two partitions.
func ExampleJourneys_Merge() {
	a, _ := attribution.Read(strings.NewReader("path;total_conversions\nsearch > email;1\n"), attribution.Format{})
	b, _ := attribution.Read(strings.NewReader("path;total_conversions\nevents;2\n"), attribution.Format{})
	if err := a.Merge(b); err != nil {
		fmt.Println(err)
	}
	fmt.Println(a.Len(), a.Channels(), a.Conversions())
	// Output:
	// 2 [email events search] 3
}

// ExampleJourneys_Len counts the journeys added.
func ExampleJourneys_Len() {
	fmt.Println(demoJourneys().Len())
	// Output:
	// 5
}

// ExampleJourneys_Channels lists the channels, sorted.
func ExampleJourneys_Channels() {
	fmt.Println(demoJourneys().Channels())
	// Output:
	// [direct email search social webinar]
}

// ExampleJourneys_Conversions totals the conversions.
func ExampleJourneys_Conversions() {
	fmt.Println(demoJourneys().Conversions())
	// Output:
	// 5
}

// ExampleJourneys_Nulls totals the journeys that did not convert.
func ExampleJourneys_Nulls() {
	fmt.Println(demoJourneys().Nulls())
	// Output:
	// 44
}

// ExampleJourneys_Value totals the conversion value, exactly.
func ExampleJourneys_Value() {
	fmt.Println(demoJourneys().Value().StringFixed(2))
	// Output:
	// 17000.00
}

// ExampleFirst_Attribute credits the first touch.
func ExampleFirst_Attribute() {
	r, _ := attribution.First{}.Attribute(demoJourneys())
	printCredits(r)
	// Output:
	// first touch
	//   direct   1.000 1500.00
	//   email    1.000 4000.00
	//   search   3.000 11500.00
	//   social   0.000 0.00
	//   webinar  0.000 0.00
}

// ExampleLast_Attribute credits the last touch.
func ExampleLast_Attribute() {
	r, _ := attribution.Last{}.Attribute(demoJourneys())
	printCredits(r)
	// Output:
	// last touch
	//   direct   1.000 1500.00
	//   email    3.000 13000.00
	//   search   1.000 2500.00
	//   social   0.000 0.00
	//   webinar  0.000 0.00
}

// ExampleLastNonDirect_Attribute skips direct visits unless there is
// nothing else.
func ExampleLastNonDirect_Attribute() {
	js, _ := attribution.Read(strings.NewReader("path;total_conversions\nsearch > direct;3\ndirect;1\n"), attribution.Format{})
	r, _ := attribution.LastNonDirect{Direct: "direct"}.Attribute(js)
	printCredits(r)
	// Output:
	// last non-direct
	//   direct   1.000 0.00
	//   search   3.000 0.00
}

// ExampleLinear_Attribute shares credit per touch and per distinct
// channel: a > a > b gives a 2/3 per touch, 1/2 per channel.
func ExampleLinear_Attribute() {
	js, _ := attribution.Read(strings.NewReader("path;total_conversions;total_conversion_value\na > a > b;1;90\n"), attribution.Format{})
	perTouch, _ := attribution.Linear{}.Attribute(js)
	perChannel, _ := attribution.Linear{Distinct: true}.Attribute(js)
	printCredits(perTouch)
	printCredits(perChannel)
	// Output:
	// linear
	//   a        0.667 60.00
	//   b        0.333 30.00
	// linear (distinct)
	//   a        0.500 45.00
	//   b        0.500 45.00
}

// ExamplePosition_Attribute runs the U-shaped (the zero value), J-shaped
// and a custom 30/40/30 model on one journey of four touches.
func ExamplePosition_Attribute() {
	js, _ := attribution.Read(strings.NewReader("path;total_conversions;total_conversion_value\na > b > c > d;1;100\n"), attribution.Format{})
	for _, m := range []attribution.Position{{}, attribution.JShaped, {First: 0.3, Last: 0.3}} {
		r, _ := m.Attribute(js)
		fmt.Printf("%-18s", r.Model)
		for _, c := range r.Credits {
			fmt.Printf(" %s %.2f", c.Channel, c.Conversions)
		}
		fmt.Println()
	}
	// Output:
	// U-shaped           a 0.40 b 0.10 c 0.10 d 0.40
	// J-shaped           a 0.20 b 0.10 c 0.10 d 0.60
	// position 30/40/30  a 0.30 b 0.20 c 0.20 d 0.30
}

// milestoneJourney is a deal whose lead came from a webinar and whose
// opportunity came from a sales call.
func milestoneJourney() *attribution.Journeys {
	var js attribution.Journeys
	_ = js.Add(attribution.Journey{
		Touches: []attribution.Touch{
			{Channel: "search"},
			{Channel: "webinar", Marks: attribution.Lead},
			{Channel: "email"},
			{Channel: "sales", Marks: attribution.Opportunity},
			{Channel: "direct", Marks: attribution.Won},
		},
		Conversions: 1,
		Value:       decimal.RequireFromString("10000"),
	})
	return &js
}

// ExampleWShaped_Attribute gives 30 % to the first touch, the lead and the
// opportunity, 10 % to the rest.
func ExampleWShaped_Attribute() {
	r, _ := attribution.WShaped{}.Attribute(milestoneJourney())
	printCredits(r)
	// Output:
	// W-shaped
	//   direct   0.050 500.00
	//   email    0.050 500.00
	//   sales    0.300 3000.00
	//   search   0.300 3000.00
	//   webinar  0.300 3000.00
}

// ExampleFullPath_Attribute adds the closed-won touch: 22.5 % each to the
// four milestones, 10 % to the rest.
func ExampleFullPath_Attribute() {
	r, _ := attribution.FullPath{}.Attribute(milestoneJourney())
	printCredits(r)
	// Output:
	// full path
	//   direct   0.225 2250.00
	//   email    0.100 1000.00
	//   sales    0.225 2250.00
	//   search   0.225 2250.00
	//   webinar  0.225 2250.00
}

// ExampleTimeDecay_Attribute halves a touch's weight every 7 days before
// the conversion: days 0, 7 and 14 weigh 1 : 2 : 4.
func ExampleTimeDecay_Attribute() {
	day := func(d int) time.Time { return time.Date(2024, 5, 1+d, 0, 0, 0, 0, time.UTC) }
	var js attribution.Journeys
	_ = js.Add(attribution.Journey{
		Touches:     []attribution.Touch{{Channel: "events", Time: day(0)}, {Channel: "search", Time: day(7)}, {Channel: "email", Time: day(14)}},
		Conversions: 7,
		Value:       decimal.RequireFromString("700"),
	})
	r, _ := attribution.TimeDecay{}.Attribute(&js)
	printCredits(r)
	// Output:
	// time decay 7d
	//   email    4.000 400.00
	//   events   1.000 100.00
	//   search   2.000 200.00
}

// ExampleCustom_Attribute stretches position weights over a journey: the
// weights {0.4, 0.2, 0.4} over six touches give 0.2, 0.2, 0.1, 0.1, 0.2,
// 0.2.
func ExampleCustom_Attribute() {
	js, _ := attribution.Read(strings.NewReader("path;total_conversions\na > b > c > d > e > f;10\n"), attribution.Format{})
	r, err := attribution.Custom{Weights: []float64{0.4, 0.2, 0.4}}.Attribute(js)
	if err != nil {
		fmt.Println(err)
		return
	}
	var parts []string
	for _, c := range r.Credits {
		parts = append(parts, fmt.Sprintf("%s %.0f", c.Channel, c.Conversions))
	}
	fmt.Println(strings.Join(parts, ", "))
	_, err = attribution.Custom{Weights: []float64{0.5, 0.6}}.Attribute(js)
	fmt.Println(err)
	// Output:
	// a 2, b 2, c 1, d 1, e 2, f 2
	// attribution.Custom.Attribute: Weights [0.5 0.6]: sum to 1.1, not 1
}

// ExampleMarkov_Attribute computes exact removal effects for the chain
// worked out in the tests: a > b converting once of twice, a once, b
// twice without converting.
func ExampleMarkov_Attribute() {
	js, _ := attribution.Read(strings.NewReader(chainData), attribution.Format{})
	r, err := attribution.Markov{Order: 1}.Attribute(js)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P(conversion) = %.4f\n", r.Conversion)
	for _, c := range r.Credits {
		fmt.Printf("%s: removal effect %.4f, %.2f conversions, %v\n", c.Channel, c.Removal, c.Conversions, c.Value)
	}
	// Output:
	// P(conversion) = 0.4000
	// a: removal effect 0.7500, 1.20 conversions, 9
	// b: removal effect 0.5000, 0.80 conversions, 6
}

// ExampleShapley_Attribute shows the ordered Shapley value: the credit of
// each channel by its position among the journey's channels.
func ExampleShapley_Attribute() {
	r, _ := attribution.Shapley{Method: attribution.Ordered}.Attribute(demoJourneys())
	for _, c := range r.Credits {
		fmt.Printf("%-8s %.3f by position %.3f\n", c.Channel, c.Conversions, c.Positions)
	}
	exact, _ := attribution.Shapley{Method: attribution.Exact}.Attribute(demoJourneys())
	fmt.Printf("exact: search %.3f\n", exact.Credits[2].Conversions)
	// Output:
	// direct   1.000 by position [1.000]
	// email    1.167 by position [0.500 0.000 0.667]
	// search   2.167 by position [1.667 0.500]
	// social   0.000 by position []
	// webinar  0.667 by position [0.000 0.667]
	// exact: search 2.167
}

// ExampleNewChain counts a chain of order 2.
func ExampleNewChain() {
	c, err := attribution.NewChain(2)
	fmt.Println(c != nil, err)
	_, err = attribution.NewChain(0)
	fmt.Println(err)
	// Output:
	// true <nil>
	// attribution.NewChain: order 0: must be ≥ 1
}

// ExampleChain_Add counts transitions; repeated touches in a row merge.
func ExampleChain_Add() {
	c, _ := attribution.NewChain(1)
	err := c.Add(attribution.Journey{
		Touches:     []attribution.Touch{{Channel: "search"}, {Channel: "search"}, {Channel: "email"}},
		Conversions: 1,
		Nulls:       1,
	})
	fmt.Println(err)
	for _, t := range c.Transitions() {
		fmt.Println(t.From, "→", t.To, t.Count)
	}
	fmt.Println(c.Add(attribution.Journey{Conversions: 1}))
	// Output:
	// <nil>
	// (start) → search 2
	// email → (conversion) 1
	// email → (null) 1
	// search → email 2
	// attribution.Chain.Add: journey 1 touches 0: empty path
}

// ExampleChain_AddAll counts a stream of journeys.
func ExampleChain_AddAll() {
	c, _ := attribution.NewChain(1)
	err := c.AddAll(slices.Values([]attribution.Journey{
		{Touches: []attribution.Touch{{Channel: "search"}, {Channel: "email"}}, Conversions: 1},
		{Touches: []attribution.Touch{{Channel: "search"}}, Nulls: 1},
	}))
	fmt.Println(err)
	r, _ := c.Result()
	fmt.Printf("P = %.2f\n", r.Conversion)
	// Output:
	// <nil>
	// P = 0.50
}

// ExampleChain_Merge counts two partitions apart and merges them; a chain
// cannot be merged with itself.
func ExampleChain_Merge() {
	p1, _ := attribution.Read(strings.NewReader("path;total_conversions\nsearch > email;1\n"), attribution.Format{})
	p2, _ := attribution.Read(strings.NewReader("path;total_conversions;total_null\nsearch;0;1\n"), attribution.Format{})
	a, _ := attribution.Markov{Order: 1}.Chain(p1)
	b, _ := attribution.Markov{Order: 1}.Chain(p2)
	if err := a.Merge(b); err != nil {
		fmt.Println(err)
	}
	r, _ := a.Result()
	fmt.Printf("P = %.2f\n", r.Conversion)
	fmt.Println(errors.Is(a.Merge(a), kpi.ErrInvalid))
	// Output:
	// P = 0.50
	// true
}

// ExampleMarkov_Chain builds the chain the Markov model solves, to
// inspect it.
func ExampleMarkov_Chain() {
	js, _ := attribution.Read(strings.NewReader("path;total_conversions;total_null\nsearch > email;1;1\n"), attribution.Format{})
	c, err := attribution.Markov{Order: 2}.Chain(js)
	fmt.Println(err, len(c.Transitions()))
	_, err = attribution.Markov{Order: -1}.Chain(js)
	fmt.Println(err)
	// Output:
	// <nil> 4
	// attribution.Markov.Chain: Order -1: must be ≥ 0
}

// ExampleChain_Transitions lists the transitions of the order-2 chain
// worked out in the tests.
func ExampleChain_Transitions() {
	js, _ := attribution.Read(strings.NewReader(chainData), attribution.Format{})
	c, _ := attribution.Markov{Order: 2}.Chain(js)
	for _, t := range c.Transitions() {
		fmt.Printf("%-7s → %-12s %d %.3f\n", t.From, t.To, t.Count, t.Probability)
	}
	// Output:
	// (start) → a            3 0.600
	// (start) → b            2 0.400
	// a       → (conversion) 1 0.333
	// a       → a > b        2 0.667
	// a > b   → (conversion) 1 0.500
	// a > b   → (null)       1 0.500
	// b       → (null)       2 1.000
}

// ExampleChain_Result solves a counted chain. At order 2 every path of the
// demo data has states of its own but the first, so a channel's removal
// effect is the share of conversions on paths through it: search 4/5,
// email 3/5, webinar 2/5, direct 1/5, adding up to 2.
func ExampleChain_Result() {
	c, _ := attribution.Markov{Order: 2}.Chain(demoJourneys())
	r, err := c.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("P = %.4f\n", r.Conversion)
	printCredits(r)
	// Output:
	// P = 0.1020
	// markov order 2
	//   direct   0.500 1700.00
	//   email    1.500 5100.00
	//   search   2.000 6800.00
	//   social   0.000 0.00
	//   webinar  1.000 3400.00
}

// ExampleNewTable lays models side by side.
func ExampleNewTable() {
	js := demoJourneys()
	var results []*attribution.Result
	for _, m := range []attribution.Model{attribution.First{}, attribution.Last{}, attribution.Markov{}} {
		r, err := m.Attribute(js)
		if err != nil {
			fmt.Println(err)
			return
		}
		results = append(results, r)
	}
	t, _ := attribution.NewTable(results...)
	fmt.Println(t.Models)
	fmt.Println(t.Channels)
	fmt.Printf("search: %.1f%% %.1f%% %.1f%%\n", 100*t.Cells[2][0].Share, 100*t.Cells[2][1].Share, 100*t.Cells[2][2].Share)
	// Output:
	// [first touch last touch markov order 1]
	// [direct email search social webinar]
	// search: 60.0% 20.0% 27.5%
}

// ExampleTable_String prints the side-by-side table.
func ExampleTable_String() {
	js := demoJourneys()
	first, _ := attribution.First{}.Attribute(js)
	linear, _ := attribution.Linear{}.Attribute(js)
	t, _ := attribution.NewTable(first, linear)
	fmt.Print(t)
	// Output:
	// channel   first touch        linear
	// direct     1.0  20.0%    1.0  20.0%
	// email      1.0  20.0%    1.3  26.7%
	// search     3.0  60.0%    2.0  40.0%
	// social     0.0   0.0%    0.0   0.0%
	// webinar    0.0   0.0%    0.7  13.3%
	// value
	// direct        1500.00       1500.00
	// email         4000.00       5666.67
	// search       11500.00       6833.33
	// social           0.00          0.00
	// webinar          0.00       3000.00
}

// ExampleResult_ROI sets last-touch credit against spend.
func ExampleResult_ROI() {
	r, _ := attribution.Last{}.Attribute(demoJourneys())
	d := decimal.RequireFromString
	rows, err := r.ROI(map[string]decimal.Decimal{
		"search": d("3000.00"), "email": d("1500.00"), "social": d("2000.00"), "webinar": d("2500.00"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	for _, x := range rows {
		fmt.Fprintf(&b, "%-8s spend %8s  cost/conv %8s  return %6s  credit %3.0f%% vs spend %3.0f%%\n", x.Channel, x.Spend.StringFixed(2),
			nullString(x.CostPerConversion), nullString(x.ReturnOnSpend), 100*x.CreditShare, 100*x.SpendShare)
	}
	fmt.Print(b.String())
	// Output:
	// direct   spend     0.00  cost/conv        0  return      -  credit  20% vs spend   0%
	// email    spend  1500.00  cost/conv      500  return 8.6667  credit  60% vs spend  17%
	// search   spend  3000.00  cost/conv     3000  return 0.8333  credit  20% vs spend  33%
	// social   spend  2000.00  cost/conv        -  return      0  credit   0% vs spend  22%
	// webinar  spend  2500.00  cost/conv        -  return      0  credit   0% vs spend  28%
}

// ExampleResult_ROI_spentForNothing shows a channel that was paid for but
// appears in no journey: it gets a row with nothing earned, a return of 0
// and no cost per conversion, instead of an error.
func ExampleResult_ROI_spentForNothing() {
	r, _ := attribution.Last{}.Attribute(demoJourneys())
	rows, err := r.ROI(map[string]decimal.Decimal{"email": decimal.RequireFromString("1500.00"), "radio": decimal.RequireFromString("800.00")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range rows {
		if x.Spend.IsPositive() {
			fmt.Printf("%-6s spend %7s  conversions %.1f  cost/conv %5s  return %s\n", x.Channel, x.Spend.StringFixed(2), x.Conversions,
				nullString(x.CostPerConversion), nullString(x.ReturnOnSpend))
		}
	}
	// Output:
	// email  spend 1500.00  conversions 3.0  cost/conv   500  return 8.6667
	// radio  spend  800.00  conversions 0.0  cost/conv     -  return 0
}

func nullString(n decimal.NullDecimal) string {
	if !n.Valid {
		return "-"
	}
	return n.Decimal.String()
}

// ExampleTable_WriteCSV writes the side-by-side table as CSV, one row per
// channel and model, for a spreadsheet to pivot.
func ExampleTable_WriteCSV() {
	js := demoJourneys()
	first, _ := attribution.First{}.Attribute(js)
	last, _ := attribution.Last{}.Attribute(js)
	t, _ := attribution.NewTable(first, last)
	if err := t.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// channel,model,conversions,value,share,conversionsLo,conversionsHi,shareLo,shareHi,valueLo,valueHi,removalLo,removalHi,level,method
	// direct,first touch,1,1500.00,0.2,,,,,,,,,,
	// direct,last touch,1,1500.00,0.2,,,,,,,,,,
	// email,first touch,1,4000.00,0.2,,,,,,,,,,
	// email,last touch,3,13000.00,0.6,,,,,,,,,,
	// search,first touch,3,11500.00,0.6,,,,,,,,,,
	// search,last touch,1,2500.00,0.2,,,,,,,,,,
	// social,first touch,0,0.00,0,,,,,,,,,,
	// social,last touch,0,0.00,0,,,,,,,,,,
	// webinar,first touch,0,0.00,0,,,,,,,,,,
	// webinar,last touch,0,0.00,0,,,,,,,,,,
}

// ExampleROIs_WriteCSV writes the return on spend per channel as CSV; the
// channel that converted nothing has no cost per conversion.
func ExampleROIs_WriteCSV() {
	r, _ := attribution.Last{}.Attribute(demoJourneys())
	rows, _ := r.ROI(map[string]decimal.Decimal{"search": decimal.RequireFromString("3000"), "social": decimal.RequireFromString("500")})
	if err := rows.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// channel,spend,conversions,value,costPerConversion,returnOnSpend,creditShare,spendShare
	// direct,0,1,1500,0,,0.2,0
	// email,0,3,13000,0,,0.6,0
	// search,3000,1,2500,3000,0.8333,0.2,0.8571428571428571
	// social,500,0,0,,0,0,0.1428571428571429
	// webinar,0,0,0,,,0,0
}

// ExampleJourneys_AddAll adds journeys from a stream, such as rows of a
// database query.
func ExampleJourneys_AddAll() {
	paths := [][]string{{"search", "email"}, {"events"}, {"search"}}
	stream := func(yield func(attribution.Journey) bool) {
		for _, p := range paths {
			j := attribution.Journey{Conversions: 1}
			for _, ch := range p {
				j.Touches = append(j.Touches, attribution.Touch{Channel: ch})
			}
			if !yield(j) {
				return
			}
		}
	}
	var js attribution.Journeys
	if err := js.AddAll(stream); err != nil {
		fmt.Println(err)
	}
	fmt.Println(js.Len(), js.Channels())
	// Output:
	// 3 [email events search]
}

// ExampleJourneys_MarshalBinary ships journeys counted in one process to
// another, which decodes and merges them.
func ExampleJourneys_MarshalBinary() {
	data, _ := demoJourneys().MarshalBinary()
	var got attribution.Journeys
	if err := got.UnmarshalBinary(data); err != nil {
		fmt.Println(err)
		return
	}
	_ = got.Merge(demoJourneys())
	fmt.Println(len(data), "bytes;", got.Len(), "journeys,", got.Conversions(), "conversions")
	// Output:
	// 86 bytes; 10 journeys, 10 conversions
}

// ExampleJourneys_UnmarshalBinary shows that data which are not whole
// journeys are errors giving the byte where decoding failed.
func ExampleJourneys_UnmarshalBinary() {
	data, _ := demoJourneys().MarshalBinary()
	var js attribution.Journeys
	fmt.Println(js.UnmarshalBinary(data[:20]))
	fmt.Println(js.UnmarshalBinary(append(data, 0)))
	// Output:
	// attribution.Journeys.UnmarshalBinary: data 20 bytes: byte 20: bad unsigned varint
	// attribution.Journeys.UnmarshalBinary: data 87 bytes: byte 86: 1 bytes left over
}

// ExampleChain_MarshalBinary ships a partition's chain as bytes, as a
// distributed engine's combiner does, and merges it on the other side:
// the credits are those of all the journeys in one chain.
func ExampleChain_MarshalBinary() {
	js := demoJourneys()
	c, _ := attribution.Markov{Order: 2}.Chain(js)
	data, err := c.MarshalBinary()
	if err != nil {
		panic(err)
	}
	fmt.Println(len(data), "bytes for", len(c.Transitions()), "transitions")

	var shipped attribution.Chain
	if err := shipped.UnmarshalBinary(data); err != nil {
		panic(err)
	}
	r, _ := shipped.Result()
	fmt.Printf("P = %.4f\n", r.Conversion)
	printCredits(r)
	// Output:
	// 121 bytes for 18 transitions
	// P = 0.1020
	// markov order 2
	//   direct   0.500 1700.00
	//   email    1.500 5100.00
	//   search   2.000 6800.00
	//   social   0.000 0.00
	//   webinar  1.000 3400.00
}

// ExampleChain_UnmarshalBinary shows that an encoding whose counts do not
// balance (a state left more often than entered) is refused, with the
// offset of the fault.
func ExampleChain_UnmarshalBinary() {
	var c attribution.Chain
	err := c.UnmarshalBinary([]byte("kpM\x01\x01\x00\x01\x01a\x01\x00\x00\x00\x01\x00\x00\x00\x00\x02\x00\x01\x00\x00\x01"))
	fmt.Println(err)
	// Output:
	// attribution.Chain.UnmarshalBinary: data 24 bytes: byte 24: state a: 1 transitions in, 2 out
}
