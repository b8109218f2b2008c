package chart_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/funnel"
)

// TestAttribution draws channels × models and reads a bar back per
// channel and model with credit, in the model's colour.
func TestAttribution(t *testing.T) {
	quick, _ := attributionTable(t, quickJourneys)
	one, _ := attributionTable(t, "path;total_conversions;total_conversion_value;total_null\nsearch;3;300;10\n")
	long := strings.Repeat("partner-webinar-", 32)[:500]
	odd, _ := attributionTable(t, "path;total_conversions;total_conversion_value;total_null\n"+
		`"<b>&""x"" > `+long+`";2;200;5`+"\n")
	tests := []struct {
		name                string
		table               *attribution.Table
		first, linear, mark int
		texts               []string
		golden              string
	}{
		{"quickstart", quick, 4 + 1, 6 + 1, 6 + 1, []string{"first touch", "markov order 1", "50%", "webinar"}, "attribution"},
		{"one channel", one, 2, 2, 2, []string{"search", "100%"}, ""},
		{"markup and a 500-character name", odd, 2, 4, 4, []string{"<b", `&"x"`, "partner-webinar-", "…"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Attribution(&b, tc.table, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			assert.Equal(t, tc.first, pic.bars(blue), "first-touch bars and swatch")
			assert.Equal(t, tc.linear, pic.bars(orange), "linear bars and swatch")
			assert.Equal(t, tc.mark, pic.bars(green), "Markov bars and swatch")
			for _, s := range tc.texts {
				assert.True(t, pic.has(s), "text %q", s)
			}
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestAttributionErrors: an empty or ragged table is an error.
func TestAttributionErrors(t *testing.T) {
	quick, _ := attributionTable(t, quickJourneys)
	ragged := *quick
	ragged.Cells = append([][]attribution.Cell{{}}, quick.Cells[1:]...)
	short := *quick
	short.Cells = quick.Cells[:2]
	// A channel under 10 000 models: their legend (rows of about eight
	// names "m0" … "m9999" across 560 points, 14 points a row) is some
	// 17 000 points high, more than the sheet's 7200.
	many := &attribution.Table{Channels: []string{"a"}, Cells: [][]attribution.Cell{make([]attribution.Cell, 10000)}}
	for i := range 10000 {
		many.Models = append(many.Models, fmt.Sprint("m", i))
	}
	tests := []struct {
		name  string
		table *attribution.Table
		opts  chart.Options
		want  string
	}{
		{"nil", nil, chart.Options{}, "chart.Attribution: table"},
		{"zero table", &attribution.Table{}, chart.Options{}, "with no channels or models"},
		{"fewer rows than channels", &short, chart.Options{}, "table.Cells 2 rows"},
		{"a short row", &ragged, chart.Options{}, "table.Cells[0] 0 cells"},
		{"bad size", quick, chart.Options{Width: -3}, "Options.Width -3"},
		// probe: such a legend ran past the bottom of the sheet, and the
		// plot under it was drawn off the sheet.
		{"probe: a legend of 10000 models", many, chart.Options{}, "chart.Attribution: table.Models 10000 names: more than the legend has room for"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := chart.Attribution(&bytes.Buffer{}, tc.table, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestShare draws credit against spend: two bars per channel with a
// share, shares outside [0, 1] drawn clamped.
func TestShare(t *testing.T) {
	_, quick := attributionTable(t, quickJourneys)
	tests := []struct {
		name          string
		rows          []attribution.ROI
		credit, spend int
		texts         []string
		golden        string
	}{
		{"quickstart", quick, 6 + 1, 6 + 1, []string{"credit (conversions)", "32%"}, "share"},
		{"one channel, no spend", []attribution.ROI{{Channel: "search", CreditShare: 1}}, 2, 1, []string{"100%", "0%"}, ""},
		{"out of range", []attribution.ROI{{Channel: "a", CreditShare: math.NaN(), SpendShare: 7}}, 1, 2, []string{"100%"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Share(&b, tc.rows, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			assert.Equal(t, tc.credit, pic.bars(blue))
			assert.Equal(t, tc.spend, pic.bars(orange))
			for _, s := range tc.texts {
				assert.True(t, pic.has(s), "text %q", s)
			}
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestShareErrors: no rows is an error.
func TestShareErrors(t *testing.T) {
	tests := []struct {
		name string
		rows []attribution.ROI
		opts chart.Options
		want string
	}{
		{"no rows", nil, chart.Options{}, "chart.Share: rows []"},
		{"bad size", []attribution.ROI{{Channel: "a"}}, chart.Options{Height: -1}, "Options.Height -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := chart.Share(&bytes.Buffer{}, tc.rows, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestPlan draws the volumes a goal needs: a bar per stage, the cost where
// there is one, the budget in the title.
func TestPlan(t *testing.T) {
	f := newFunnel(t, quickCounts...)
	huge := funnel.Projection{Volumes: []funnel.Volume{{Stage: "Visit", Count: 1e12}, {Stage: "Won", Count: 0.4}}, Revenue: decimal.NewFromInt(1)}
	tests := []struct {
		name   string
		p      funnel.Projection
		bars   int
		texts  []string
		golden string
	}{
		{"quickstart", plan(t, f), 6, []string{"410 · cost 18,450", "budget 18,450", "20,500"}, "plan"},
		{"two stages", plan(t, newFunnel(t, 100, 10)), 2, []string{"revenue 240,000", "100"}, ""},
		{"a trillion and a fraction", huge, 2, []string{"1.0T", "1"}, ""},
		{"zero volume", funnel.Projection{Volumes: []funnel.Volume{{Stage: "Lead"}}}, 0, []string{"0"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, chart.Plan(&b, tc.p, chart.Options{}))
			pic := mustParse(t, b.Bytes())
			assert.Equal(t, tc.bars, pic.bars(blue), "a bar per stage")
			for _, s := range tc.texts {
				assert.True(t, pic.has(s), "text %q", s)
			}
			golden(t, tc.golden, b.Bytes())
		})
	}
}

// TestPlanErrors: an empty projection or a volume that is not a count.
func TestPlanErrors(t *testing.T) {
	tests := []struct {
		name string
		p    funnel.Projection
		opts chart.Options
		want string
	}{
		{"no volumes", funnel.Projection{}, chart.Options{}, "chart.Plan: projection"},
		{"NaN", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: math.NaN()}}}, chart.Options{}, "Volumes[0].Count NaN"},
		{"negative", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: 1}, {Stage: "b", Count: -2}}}, chart.Options{}, "Volumes[1].Count -2"},
		{"infinite", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: math.Inf(1)}}}, chart.Options{}, "Count +Inf"},
		{"bad size", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: 1}}}, chart.Options{Width: 8000}, "Options.Width 8000"},
		// probe: a volume of 1e308 made the log axis end at 10^309 = +Inf,
		// which the plotting library resets to 0, and the ticks from
		// log10(0) = -Inf never ended: Plan hung. 2^53 + 2 is the next
		// float64 above the bound 2^53 = 9007199254740992.
		{"probe: a volume near MaxFloat64", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: 1e308}}}, chart.Options{}, "Volumes[0].Count 1e+308: more than 2^53"},
		{"probe: a volume just past 2^53", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: 1<<53 + 2}}}, chart.Options{}, "Volumes[0].Count 9.007199254740994e+15"},
		// probe: money beyond float64's range was labelled "cost +InfT"
		// and "revenue -InfT"; 10^30 is the library's bound on money.
		{"probe: a cost beyond float64", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: 1}, {Stage: "b", Count: 1, Cost: decimal.New(1, 1000)}}}, chart.Options{}, "projection.Volumes[1].Cost 1000000"},
		{"probe: a revenue of -10^30", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: 1}}, Revenue: decimal.New(-1, 30)}, chart.Options{}, "projection.Revenue -1000000000000000000000000000000: 10^30 or more"},
		{"probe: a budget beyond float64", funnel.Projection{Volumes: []funnel.Volume{{Stage: "a", Count: 1}}, Budget: decimal.New(9, 500)}, chart.Options{}, "projection.Budget 9000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := chart.Plan(&bytes.Buffer{}, tc.p, tc.opts)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
