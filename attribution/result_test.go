package attribution_test

import (
	"io"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

func TestNewTable(t *testing.T) {
	js := read(t, sample)
	first, err := attribution.First{}.Attribute(js)
	require.NoError(t, err)
	last, err := attribution.Last{}.Attribute(js)
	require.NoError(t, err)
	other := read(t, "path;total_conversions\nradio;2\n")
	radio, err := attribution.Last{}.Attribute(other)
	require.NoError(t, err)
	empty := read(t, "path;total_conversions;total_null\nradio;0;2\n")
	none, err := attribution.Linear{}.Attribute(empty)
	require.NoError(t, err)
	cases := []struct {
		name     string
		results  []*attribution.Result
		channels []string
		models   []string
		cell     [2]int // a cell to check
		want     attribution.Cell
	}{
		// First touch: search 3 of 5 conversions, 400.
		{"first and last", []*attribution.Result{first, last}, []string{"direct", "email", "search", "social"}, []string{"first touch", "last touch"},
			[2]int{2, 0}, attribution.Cell{Conversions: 3, Value: decimal.NewFromInt(400), Share: 0.6}},
		// Last touch: direct 3 of 5, 320.
		{"last column", []*attribution.Result{first, last}, []string{"direct", "email", "search", "social"}, []string{"first touch", "last touch"},
			[2]int{0, 1}, attribution.Cell{Conversions: 3, Value: decimal.NewFromInt(320), Share: 0.6}},
		// radio is missing from the sample's result: an empty cell.
		{"missing channel", []*attribution.Result{first, radio}, []string{"direct", "email", "radio", "search", "social"}, []string{"first touch", "last touch"},
			[2]int{2, 0}, attribution.Cell{}},
		// No conversions: shares stay 0.
		{"no conversions", []*attribution.Result{none}, []string{"radio"}, []string{"linear"}, [2]int{0, 0}, attribution.Cell{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := attribution.NewTable(c.results...)
			require.NoError(t, err)
			assert.Equal(t, c.channels, tb.Channels)
			assert.Equal(t, c.models, tb.Models)
			got := tb.Cells[c.cell[0]][c.cell[1]]
			assert.InDelta(t, c.want.Conversions, got.Conversions, 1e-12)
			assert.InDelta(t, c.want.Share, got.Share, 1e-12)
			assert.True(t, c.want.Value.Equal(got.Value))
		})
	}
}

// handCredit is a result built by hand of 1 conversion: channel b's 1,
// then channel ch's conv.
func handCredit(ch string, conv float64) *attribution.Result {
	return &attribution.Result{Model: "hand", Conversions: 1, Credits: []attribution.Credit{
		{Channel: "b", Conversions: 1}, {Channel: ch, Conversions: conv}}}
}

func TestNewTableErrors(t *testing.T) {
	cases := []struct {
		name    string
		results []*attribution.Result
		want    string
	}{
		{"none", nil, "results 0: no results"},
		{"nil", []*attribution.Result{{Model: "x"}, nil}, "results[1]"},
		// Probes of results built by hand: NaN and +Inf conversions gave
		// cells of share NaN and +Inf (1 conversion in all), -1 a share
		// of -100 %, and a channel credited twice kept its second cell.
		{"NaN conversions", []*attribution.Result{{Model: "x"}, handCredit("a", math.NaN())}, "attribution.NewTable: results[1] credits[1] conversions NaN: must be finite and not negative"},
		{"infinite conversions", []*attribution.Result{handCredit("a", math.Inf(1))}, "results[0] credits[1] conversions +Inf: must be finite and not negative"},
		{"negative conversions", []*attribution.Result{handCredit("a", -1)}, "results[0] credits[1] conversions -1: must be finite and not negative"},
		{"channel twice", []*attribution.Result{handCredit("b", 0.5)}, `results[0] credits[1] channel "b": credited twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := attribution.NewTable(c.results...)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, c.want)
		})
	}
}

func TestTableString(t *testing.T) {
	js := read(t, chainData)
	first, err := attribution.First{}.Attribute(js)
	require.NoError(t, err)
	markov, err := attribution.Markov{}.Attribute(js)
	require.NoError(t, err)
	cases := []struct {
		name    string
		results []*attribution.Result
		want    string
	}{
		// First touch: a 2 (15.00), b 0; Markov as worked out in chainData.
		{"two models", []*attribution.Result{first, markov}, "" +
			"channel     first touch  markov order 1\n" +
			"a            2.0 100.0%      1.2  60.0%\n" +
			"b            0.0   0.0%      0.8  40.0%\n" +
			"value\n" +
			"a                 15.00            9.00\n" +
			"b                  0.00            6.00\n"},
		{"one model", []*attribution.Result{first}, "" +
			"channel   first touch\n" +
			"a          2.0 100.0%\n" +
			"b          0.0   0.0%\n" +
			"value\n" +
			"a               15.00\n" +
			"b                0.00\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := attribution.NewTable(c.results...)
			require.NoError(t, err)
			assert.Equal(t, c.want, tb.String())
		})
	}
}

// TestTableMissingCells formats and writes tables that lack cells, built
// by hand or decoded from JSON (which reads the shape as it is): both
// indexed Cells[i][j] for every channel and model and panicked with index
// out of range (a probe's {"channels":["a","b"],"models":["m"],"cells":[]}).
// String leaves a missing cell blank; WriteCSV writes the rows before it
// and returns an error naming the line and the row of Cells. The layout
// by hand: the channel column is 7 wide, each model column 12, two blanks
// apart; a's only cell is 2 conversions, 100 %, value 1.5.
func TestTableMissingCells(t *testing.T) {
	const header = "channel,model,conversions,value,share,conversionsLo,conversionsHi,shareLo,shareHi,valueLo,valueHi,removalLo,removalHi,level,method\n"
	var decoded attribution.Table
	require.NoError(t, decoded.UnmarshalJSON([]byte(`{"channels":["a","b"],"models":["m"],"cells":[]}`)))
	short := &attribution.Table{Channels: []string{"a", "b"}, Models: []string{"m", "n"},
		Cells: [][]attribution.Cell{{{Conversions: 2, Value: decimal.RequireFromString("1.5"), Share: 1}}}}
	blank := strings.Repeat(" ", 12)
	cases := []struct {
		name   string
		t      *attribution.Table
		str    string
		err    string
		csvOut string // what w holds after the header
	}{
		{"decoded without cells", &decoded, "" +
			"channel             m\n" +
			"a        " + blank + "\n" +
			"b        " + blank + "\n" +
			"value\n" +
			"a        " + blank + "\n" +
			"b        " + blank + "\n",
			"attribution.Table.WriteCSV: line 2 Cells 0 rows: fewer than the 2 channels", ""},
		{"short row, missing row", short, "" +
			"channel             m             n\n" +
			"a          2.0 100.0%  " + blank + "\n" +
			"b        " + blank + "  " + blank + "\n" +
			"value\n" +
			"a                 1.5  " + blank + "\n" +
			"b        " + blank + "  " + blank + "\n",
			"attribution.Table.WriteCSV: line 3 Cells[0] 1 cells: fewer than the 2 models", "a,m,2,1.5,1,,,,,,,,,,\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.str, c.t.String())
			var b strings.Builder
			err := c.t.WriteCSV(&b)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, c.err)
			assert.Equal(t, header+c.csvOut, b.String())
		})
	}
}

// TestTableStringBeyondBound formats hand-built tables holding amounts
// beyond the bound on money: each is written short (money.Text), the
// others at the places of the in-bound values only, and the whole text
// stays under 1 KB where StringFixed would write a billion digits.
func TestTableStringBeyondBound(t *testing.T) {
	d := decimal.RequireFromString
	huge, tiny := decimal.New(1, 1<<30), decimal.New(-3, -(1<<30))
	long := decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(999999), nil), 0) // 10⁶ digits
	iv := func(lo, hi decimal.Decimal) *attribution.CreditInterval {
		return &attribution.CreditInterval{Conversions: kpi.Interval{Lo: 1, Hi: 2, Level: 0.95, Method: "percentile"},
			Value: kpi.MoneyInterval{Lo: lo, Hi: hi, Level: 0.95, Method: "percentile"}}
	}
	cases := []struct {
		name  string
		cells []attribution.Cell
		want  []string // the value lines, after "value\n", with the padding cut to one space
	}{
		{"1e1073741824", []attribution.Cell{{Value: huge}, {Value: d("2.5")}},
			[]string{"a 1e1073741824", "b 2.5"}},
		{"-3e-1073741824 does not pad", []attribution.Cell{{Value: tiny}, {Value: d("2")}},
			[]string{"a -3e-1073741824", "b 2"}},
		{"10^6 digits", []attribution.Cell{{Value: long}, {Value: d("0.25")}},
			[]string{"a ≈1.000e999999", "b 0.25"}},
		{"interval ends", []attribution.Cell{{Value: d("1.5"), Interval: iv(tiny, huge)}, {Value: d("1")}},
			[]string{"a 1.5 [-3e-1073741824, 1e1073741824]", "b 1.0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb := &attribution.Table{Channels: []string{"a", "b"}, Models: []string{"m"},
				Cells: [][]attribution.Cell{{c.cells[0]}, {c.cells[1]}}}
			s := tb.String()
			assert.Less(t, len(s), 1024)
			_, values, ok := strings.Cut(s, "value\n")
			require.True(t, ok, s)
			lines := strings.Split(strings.TrimSuffix(values, "\n"), "\n")
			require.GreaterOrEqual(t, len(lines), 2, s)
			for i, w := range c.want {
				assert.Equal(t, w, strings.Join(strings.Fields(lines[i]), " "))
			}
		})
	}
}

func TestResultROI(t *testing.T) {
	js := read(t, sample)
	last, err := attribution.Last{}.Attribute(js)
	require.NoError(t, err)
	d := decimal.RequireFromString
	spend := map[string]decimal.Decimal{"search": d("100.00"), "email": d("50.00"), "social": d("30.00"), "radio": d("20.00")}
	// Last touch gives direct 3 conversions (320), email 1 (50.50),
	// search 1 (100), social 0; radio is in no journey; spend 200 in all.
	cases := []struct {
		name    string
		channel string
		cost    string // "" for not valid
		ros     string
		credit  float64
		share   float64
	}{
		{"search", "search", "100", "1", 0.2, 100.0 / 200},
		{"email", "email", "50", "1.01", 0.2, 50.0 / 200},
		{"direct spends nothing", "direct", "0", "", 0.6, 0},
		{"social converts nothing", "social", "", "0", 0, 30.0 / 200},
		{"radio is in no journey", "radio", "", "0", 0, 20.0 / 200},
	}
	rows, err := last.ROI(spend)
	require.NoError(t, err)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := last.ROI(spend)
			require.NoError(t, err)
			var row attribution.ROI
			for _, r := range rows {
				if r.Channel == c.channel {
					row = r
				}
			}
			require.Equal(t, c.channel, row.Channel)
			assert.Equal(t, c.cost != "", row.CostPerConversion.Valid)
			if c.cost != "" {
				assert.True(t, d(c.cost).Equal(row.CostPerConversion.Decimal), "cost %v", row.CostPerConversion.Decimal)
			}
			assert.Equal(t, c.ros != "", row.ReturnOnSpend.Valid)
			if c.ros != "" {
				assert.True(t, d(c.ros).Equal(row.ReturnOnSpend.Decimal), "return %v", row.ReturnOnSpend.Decimal)
			}
			assert.InDelta(t, c.credit, row.CreditShare, 1e-12)
			assert.InDelta(t, c.share, row.SpendShare, 1e-12)
		})
	}
	require.Len(t, rows, 5)
	for i := 1; i < len(rows); i++ {
		assert.Less(t, rows[i-1].Channel, rows[i].Channel, "sorted by channel")
	}
	assert.Equal(t, "radio", rows[2].Channel)
	assert.True(t, rows[2].Value.IsZero(), "radio earns nothing")
}

// TestResultROIBeyondBound holds the probes of quotients beyond the bound
// on money, 10³⁰, which ROIs.WriteCSV and ROI.UnmarshalJSON refuse: by
// hand, touches 366 days apart with a one-day half-life give the older
// 2⁻³⁶⁶ = 6.7·10⁻¹¹¹ of a conversion, so 100 spent on it costs 1.5·10¹¹²
// per conversion; a value of 10²⁹ on a spend of 10⁻¹⁸ returns 10⁴⁷. Both
// are left undefined, and the rows write as CSV.
func TestResultROIBeyondBound(t *testing.T) {
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var decayed attribution.Journeys
	require.NoError(t, decayed.Add(attribution.Journey{Conversions: 1, Touches: []attribution.Touch{{Channel: "a", Time: t0}, {Channel: "b", Time: t0.AddDate(1, 0, 0)}}}))
	td, err := attribution.TimeDecay{HalfLife: 24 * time.Hour}.Attribute(&decayed)
	require.NoError(t, err)
	var rich attribution.Journeys
	require.NoError(t, rich.Add(attribution.Journey{Conversions: 1, Value: decimal.New(1, 29), Touches: []attribution.Touch{{Channel: "a"}}}))
	last, err := attribution.Last{}.Attribute(&rich)
	require.NoError(t, err)
	for _, c := range []struct {
		name      string
		r         *attribution.Result
		spend     decimal.Decimal
		cost, ros bool // Valid
	}{
		{"cost of a decayed touch", td, decimal.NewFromInt(100), false, true},
		{"return on a tiny spend", last, decimal.New(1, -18), true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, err := c.r.ROI(map[string]decimal.Decimal{"a": c.spend})
			require.NoError(t, err)
			assert.Equal(t, "a", rows[0].Channel)
			assert.Equal(t, c.cost, rows[0].CostPerConversion.Valid)
			assert.Equal(t, c.ros, rows[0].ReturnOnSpend.Valid)
			assert.NoError(t, rows.WriteCSV(io.Discard))
		})
	}
}

func TestResultROIErrors(t *testing.T) {
	js := read(t, sample)
	last, err := attribution.Last{}.Attribute(js)
	require.NoError(t, err)
	cases := []struct {
		name  string
		spend map[string]decimal.Decimal
		want  string
	}{
		{"negative", map[string]decimal.Decimal{"search": decimal.NewFromInt(-5)}, `spend["search"] -5: negative spend`},
		{"negative on a channel in no journey", map[string]decimal.Decimal{"radio": decimal.NewFromInt(-5)}, `spend["radio"] -5: negative spend`},
		// Issue 13's probe: an exponent near 2³¹ hung the divisions.
		{"exponent 2^31 - 1", map[string]decimal.Decimal{"search": decimal.New(1, math.MaxInt32)}, `spend["search"] 1e2147483647: `},
		{"exponent -2^31", map[string]decimal.Decimal{"radio": decimal.New(1, math.MinInt32)}, `spend["radio"] 1e-2147483648: `},
		// Found by FuzzROI: the negative spend's error wrote out its digits.
		{"negative, exponent 2^31 - 99", map[string]decimal.Decimal{"a": decimal.New(-31, math.MaxInt32-98)}, `spend["a"] -31e2147483549: `},
		{"31 digits", map[string]decimal.Decimal{"email": decimal.New(1, 30)}, `spend["email"] `},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := last.ROI(c.spend)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, c.want)
		})
	}
}

// TestResultROIHandBuiltErrors sets results built by hand against spend:
// a probe's credit conversions NaN, +Inf and -1 gave credit shares NaN,
// +Inf and -1 (1 conversion in all) without an error, and a credit value
// of decimal.New(1, 1<<30) made the return on spend a division of a
// billion digits, minutes, as did decimal.New(1, -(1<<30)); the rows hold
// 10^(2^20) and 10^(-2^16), refused the same, so that they fail fast on
// the old code. Each amount is quoted short (coefficient e exponent).
func TestResultROIHandBuiltErrors(t *testing.T) {
	credit := func(conv float64, v decimal.Decimal) *attribution.Result {
		return &attribution.Result{Model: "hand", Conversions: 1, Credits: []attribution.Credit{
			{Channel: "a", Conversions: 1, Value: decimal.NewFromInt(2)}, {Channel: "b", Conversions: conv, Value: v}}}
	}
	cases := []struct {
		name string
		r    *attribution.Result
		want string
	}{
		{"NaN conversions", credit(math.NaN(), decimal.Zero), `attribution.Result.ROI: credit "b" conversions NaN: must be finite and not negative`},
		{"infinite conversions", credit(math.Inf(1), decimal.Zero), `credit "b" conversions +Inf: must be finite and not negative`},
		{"negative conversions", credit(-1, decimal.Zero), `credit "b" conversions -1: must be finite and not negative`},
		{"value beyond the bound", credit(0, decimal.New(1, 1<<20)), `credit "b" value 1e1048576: more than 30 digits before the point`},
		{"tiny value beyond the bound", credit(0, decimal.New(1, -(1<<16))), `credit "b" value 1e-65536: more than 18 decimal places`},
		{"negative value", credit(0, decimal.NewFromInt(-3)), `credit "b" value -3: negative value`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.r.ROI(map[string]decimal.Decimal{"a": decimal.NewFromInt(10), "b": decimal.NewFromInt(5)})
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, c.want)
		})
	}
}

// TestTableWriteCSV writes one row per channel and model: the credits
// worked out in chainData's comment.
func TestTableWriteCSV(t *testing.T) {
	js := read(t, chainData)
	first, err := attribution.First{}.Attribute(js)
	require.NoError(t, err)
	markov, err := attribution.Markov{}.Attribute(js)
	require.NoError(t, err)
	tb, err := attribution.NewTable(first, markov)
	require.NoError(t, err)
	const header = "channel,model,conversions,value,share,conversionsLo,conversionsHi,shareLo,shareHi,valueLo,valueHi,removalLo,removalHi,level,method\n"
	cases := []struct {
		name string
		t    *attribution.Table
		want string
	}{
		{"two models", tb, header +
			"a,first touch,2,15.00,1,,,,,,,,,,\n" +
			"a,markov order 1,1.2,9.00,0.6,,,,,,,,,,\n" +
			"b,first touch,0,0.00,0,,,,,,,,,,\n" +
			"b,markov order 1,0.8,6.00,0.4,,,,,,,,,,\n"},
		{"zero table", &attribution.Table{}, header},
		{"quotes", &attribution.Table{Channels: []string{`say "hi", a,b`}, Models: []string{"x"}, Cells: [][]attribution.Cell{{{}}}},
			header + `"say ""hi"", a,b",x,0,0,0,,,,,,,,,,` + "\n"},
		{"intervals", &attribution.Table{Channels: []string{"a"}, Models: []string{"bootstrap"}, Cells: [][]attribution.Cell{{{
			Conversions: 2, Value: decimal.RequireFromString("10.50"), Share: 0.5,
			Interval: &attribution.CreditInterval{
				Conversions: kpi.Interval{Lo: 1, Hi: 3, Level: 0.95, Method: "bootstrap-percentile"},
				Share:       kpi.Interval{Lo: 0.25, Hi: 0.75, Level: 0.95, Method: "bootstrap-percentile"},
				Value:       kpi.MoneyInterval{Lo: decimal.RequireFromString("5.25"), Hi: decimal.RequireFromString("15.75"), Level: 0.95, Method: "bootstrap-percentile"},
			}}}}},
			header + "a,bootstrap,2,10.50,0.5,1,3,0.25,0.75,5.25,15.75,,,0.95,bootstrap-percentile\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, c.t.WriteCSV(&b))
			assert.Equal(t, c.want, b.String())
		})
	}
}

// TestROIsWriteCSV checks TestResultROI's rows as CSV: the same numbers,
// and empty fields where a cost or a return is undefined.
func TestROIsWriteCSV(t *testing.T) {
	js := read(t, sample)
	last, err := attribution.Last{}.Attribute(js)
	require.NoError(t, err)
	d := decimal.RequireFromString
	rows, err := last.ROI(map[string]decimal.Decimal{"search": d("100.00"), "email": d("50.00"), "social": d("30.00"), "radio": d("20.00")})
	require.NoError(t, err)
	const header = "channel,spend,conversions,value,costPerConversion,returnOnSpend,creditShare,spendShare\n"
	cases := []struct {
		name string
		rows attribution.ROIs
		want string
	}{
		{"last touch", rows, header +
			"direct,0,3,320,0,,0.6,0\n" +
			"email,50,1,50.5,50,1.01,0.2,0.25\n" +
			"radio,20,0,0,,0,0,0.1\n" +
			"search,100,1,100,100,1,0.2,0.5\n" +
			"social,30,0,0,,0,0,0.15\n"},
		{"none", nil, header},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, c.rows.WriteCSV(&b))
			assert.Equal(t, c.want, b.String())
		})
	}
}

func TestWriteCSVErrors(t *testing.T) {
	ok := &attribution.Table{Channels: []string{"a"}, Models: []string{"x"}, Cells: [][]attribution.Cell{{{}}}}
	rows := attribution.ROIs{{Channel: "a"}}
	cases := []struct {
		name string
		w    io.Writer
		want string
	}{
		{"nil writer", nil, "WriteCSV: w <nil>: nil writer"},
		{"writer fails", failWriter{}, "disk full"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorContains(t, ok.WriteCSV(c.w), c.want)
			assert.ErrorContains(t, rows.WriteCSV(c.w), c.want)
		})
	}
}

// TestWriteCSVMoneyErrors writes a table and rows built by hand that hold
// decimal.New(1, 1<<30), 1 and 2³⁰ zeros: WriteCSV returns an error
// wrapping kpi.ErrInvalid that names the line (the header is line 1) and
// the column and quotes the amount short, and w holds the lines before
// it, not a billion digits. A value of 1e-1073741824 does not make the
// other values of the table write a billion decimal places.
func TestWriteCSVMoneyErrors(t *testing.T) {
	huge, tiny := decimal.New(1, 1<<30), decimal.New(1, -(1<<30))
	cells := func(vs ...decimal.Decimal) *attribution.Table {
		tb := &attribution.Table{Models: []string{"x"}}
		for i, v := range vs {
			tb.Channels = append(tb.Channels, string(rune('a'+i)))
			tb.Cells = append(tb.Cells, []attribution.Cell{{Value: v}})
		}
		return tb
	}
	withInterval := cells(decimal.New(5, 0))
	withInterval.Cells[0][0].Interval = &attribution.CreditInterval{Value: kpi.MoneyInterval{Lo: decimal.New(1, 0), Hi: huge}}
	cases := []struct {
		name  string
		table interface{ WriteCSV(io.Writer) error }
		want  string
		out   string // what w holds after the header
	}{
		{"cell value", cells(decimal.New(15, -1), huge),
			"attribution.Table.WriteCSV: line 3 value 1e1073741824: more than 30 digits before the point", "a,x,0,1.5,0,,,,,,,,,,\n"},
		{"tiny cell value", cells(decimal.New(15, -1), tiny),
			"attribution.Table.WriteCSV: line 3 value 1e-1073741824: more than 18 decimal places", "a,x,0,1.5,0,,,,,,,,,,\n"},
		{"value interval", withInterval,
			"attribution.Table.WriteCSV: line 2 valueHi 1e1073741824: more than 30 digits before the point", ""},
		{"ROI spend", attribution.ROIs{{Channel: "a", Spend: decimal.New(2, 0)}, {Channel: "b", Spend: huge}},
			"attribution.ROIs.WriteCSV: line 3 spend 1e1073741824: more than 30 digits before the point", "a,2,0,0,,,0,0\n"},
		{"ROI cost per conversion", attribution.ROIs{{Channel: "a", CostPerConversion: decimal.NewNullDecimal(huge.Neg())}},
			"attribution.ROIs.WriteCSV: line 2 costPerConversion -1e1073741824: more than 30 digits before the point", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			err := c.table.WriteCSV(&b)
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, c.want, err.Error())
			assert.Less(t, len(err.Error()), 200)
			_, out, _ := strings.Cut(b.String(), "\n")
			assert.Equal(t, c.out, out)
		})
	}
}

func TestResultROINil(t *testing.T) {
	var r *attribution.Result
	_, err := r.ROI(nil)
	assert.ErrorIs(t, err, kpi.ErrInvalid)
	assert.EqualError(t, err, "attribution.Result.ROI: r <nil>: nil Result")
}
