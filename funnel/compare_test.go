package funnel_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

func TestCompare(t *testing.T) {
	type want struct {
		step        string
		fisherP     float64
		chiP        float64 // prop.test(correct = FALSE)$p.value
		tested, sig bool
	}
	last := counts(t, six, 11500, 260, 110, 52, 30, 8)
	this := counts(t, six, 12000, 240, 96, 40, 25, 6)
	tests := []struct {
		name string
		a, b *funnel.Funnel
		want []want
	}{
		// R: fisher.test(matrix(c(xA, nA − xA, xB, nB − xB), 2, byrow = TRUE))$p.value
		// and prop.test(c(xA, xB), c(nA, nB), correct = FALSE)$p.value.
		{"month over month", last, this, []want{
			{"Lead", 0.17495255043373514, 0.16595672302933129, true, false},
			{"MQL", 0.64947936196150169, 0.60043239382925973, true, false},
			{"SQL", 0.48284216439269223, 0.41944862312747067, true, false},
			{"Opportunity", 0.67339902746159741, 0.64106637942263534, true, false},
			{"Won", 1, 0.82115433394398429, true, false},
		}},
		// fisher.test(matrix(c(100, 900, 150, 850), 2, byrow = TRUE)) = 0.00089508753869068541.
		{"a real change", counts(t, three[:2], 1000, 100), counts(t, three[:2], 1000, 150), []want{
			{"MQL", 0.00089508753869068541, 0.00072323271643019303, true, true},
		}},
		{"one funnel runs dry", counts(t, three, 10, 0, 0), counts(t, three, 10, 5, 1), []want{
			// fisher.test(matrix(c(0, 10, 5, 5), 2, byrow = TRUE)) = 0.032507739938080538
			{"MQL", 0.032507739938080538, 0.0098232745075192644, true, true},
			{"SQL", 0, 0, false, false},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			changes, err := funnel.Compare(tc.a, tc.b, 0.95)
			require.NoError(t, err)
			require.Len(t, changes, len(tc.want))
			for i, w := range tc.want {
				c := changes[i]
				assert.Equal(t, w.step, c.Step)
				assert.Equal(t, w.tested, c.Tested, "tested %s", w.step)
				assert.Equal(t, w.sig, c.Significant, "significant %s", w.step)
				sa, _ := tc.a.Step(w.step)
				sb, _ := tc.b.Step(w.step)
				assert.Equal(t, sa.Rate, c.A)
				assert.Equal(t, sb.Rate, c.B)
				if !w.tested {
					assert.Zero(t, c.FisherP)
					continue
				}
				assert.InEpsilon(t, w.fisherP, c.FisherP, 1e-9)
				assert.InEpsilon(t, w.chiP, c.ChiSquareP, 1e-9)
			}
		})
	}
}

func TestCompareErrors(t *testing.T) {
	f := counts(t, three, 240, 96, 40)
	tests := []struct {
		name       string
		a, b       *funnel.Funnel
		confidence float64
		msg        string
	}{
		{"nil funnel", f, nil, 0.95, "funnel.Compare: b <nil>: nil funnel"},
		{"fewer stages", f, counts(t, three[:2], 10, 5), 0.95, `funnel.Compare: b stages 2: lacks stage "SQL"`},
		{"more stages", counts(t, three[:2], 10, 5), f, 0.95, `funnel.Compare: b stage "SQL": not in the other funnel`},
		{"renamed stage", f, counts(t, []string{"Lead", "MQL", "Opportunity"}, 10, 5, 1), 0.95,
			`funnel.Compare: b stage 3 "Opportunity": differs from "SQL"`},
		{"reordered stages", f, counts(t, []string{"MQL", "Lead", "SQL"}, 10, 5, 1), 0.95,
			`funnel.Compare: b stage 1 "MQL": differs from "Lead"`},
		{"confidence 0", f, f, 0, "funnel.Compare: confidence 0: must lie in (0, 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			changes, err := funnel.Compare(tc.a, tc.b, tc.confidence)
			assert.Nil(t, changes)
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

func TestCompareSegments(t *testing.T) {
	type rate struct {
		x, n   int64
		lo, hi float64 // prop.test(x, n, correct = FALSE)$conf.int, the Wilson interval
	}
	type want struct {
		step       string
		chi        float64 // chisq.test(rbind(x, n − x), correct = FALSE)
		df         int
		p          float64
		tested     bool
		sig        bool
		rates      []rate
		zeroTrials int // segments without trials
	}
	webinar := counts(t, three, 120, 60, 30)
	ads := counts(t, three, 80, 20, 8)
	organic := counts(t, three, 40, 16, 2)
	referral := counts(t, three, 10, 0, 0)
	tests := []struct {
		name     string
		segments []funnel.Segment
		want     []want
	}{
		{"three channels", []funnel.Segment{{"Webinar", webinar}, {"Ads", ads}, {"Organic", organic}}, []want{
			{"MQL", 12.5, 2, 0.0019304541362277093, true, true, []rate{
				{60, 120, 0.41193870541108391, 0.58806129458891609},
				{20, 80, 0.16806231857542384, 0.35484674619233975},
				{16, 40, 0.26348325684291929, 0.55404106339653802},
			}, 0},
			{"SQL", 7.3371428571428572, 2, 0.025512890912529267, true, true, []rate{
				{30, 60, 0.37735024241555776, 0.6226497575844423},
				{8, 20, 0.21880653237281711, 0.61341849923774683},
				{2, 16, 0.034977487743240478, 0.36022827265758689},
			}, 0},
		}},
		// Referral's 0 of 10 joins the MQL test (4 segments, 3 degrees of
		// freedom); with no MQLs it has no trials at MQL→SQL, sits out that
		// test and gets the interval [0, 1].
		{"four channels, one runs dry", []funnel.Segment{{"Webinar", webinar}, {"Ads", ads}, {"Organic", organic}, {"Referral", referral}}, []want{
			{"MQL", 19.176136363636363, 3, 0.00025140287329893069, true, true, nil, 0},
			{"SQL", 7.3371428571428572, 2, 0.025512890912529267, true, true, nil, 1},
		}},
		// Two segments: the 2 × 2 test without Yates' correction.
		{"two channels", []funnel.Segment{{"Webinar", webinar}, {"Ads", ads}}, []want{
			{"MQL", 12.5, 1, 0.00040695201744495903, true, true, nil, 0},
		}},
		// Nobody converts anywhere: p̄ = 0, the statistic is 0 and p 1.
		{"all zero", []funnel.Segment{{"a", counts(t, three[:2], 5, 0)}, {"b", counts(t, three[:2], 7, 0)}}, []want{
			{"MQL", 0, 1, 1, true, false, nil, 0},
		}},
		// Only one segment has trials: nothing to test.
		{"one with trials", []funnel.Segment{{"a", counts(t, three[:2], 5, 2)}, {"b", counts(t, three[:2], 0, 0)}}, []want{
			{"MQL", 0, 0, 1, false, false, nil, 1},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spreads, err := funnel.CompareSegments(tc.segments, kpi.Wilson, 0.95)
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(spreads), len(tc.want))
			for i, w := range tc.want {
				sp := spreads[i]
				assert.Equal(t, w.step, sp.Step)
				assert.InDelta(t, w.chi, sp.ChiSquare, 1e-9*w.chi)
				assert.Equal(t, w.df, sp.DF)
				assert.InEpsilon(t, w.p, sp.P, 1e-9)
				assert.Equal(t, w.tested, sp.Tested)
				assert.Equal(t, w.sig, sp.Significant)
				require.Len(t, sp.Rates, len(tc.segments))
				zero := 0
				for j, r := range sp.Rates {
					assert.Equal(t, tc.segments[j].Name, r.Segment)
					if r.Rate.Trials() == 0 {
						zero++
						assert.Equal(t, [2]float64{0, 1}, [2]float64{r.Lo, r.Hi})
					}
				}
				assert.Equal(t, w.zeroTrials, zero)
				for j, r := range w.rates {
					got := sp.Rates[j]
					assert.Equal(t, r.x, got.Rate.Successes())
					assert.Equal(t, r.n, got.Rate.Trials())
					assert.InEpsilon(t, r.lo, got.Lo, 1e-9)
					assert.InEpsilon(t, r.hi, got.Hi, 1e-9)
				}
			}
		})
	}
}

func TestCompareSegmentsErrors(t *testing.T) {
	f := counts(t, three, 240, 96, 40)
	g := counts(t, three, 100, 50, 20)
	tests := []struct {
		name       string
		segments   []funnel.Segment
		method     kpi.Method
		confidence float64
		msg        string
	}{
		{"no segments", nil, kpi.Wilson, 0.95, "funnel.CompareSegments: segments 0: need at least two segments to compare"},
		{"one segment", []funnel.Segment{{"a", f}}, kpi.Wilson, 0.95, "funnel.CompareSegments: segments 1: need at least two segments to compare"},
		{"empty name", []funnel.Segment{{"a", f}, {"", g}}, kpi.Wilson, 0.95, `funnel.CompareSegments: segments[1] name "": empty segment name`},
		{"name not UTF-8", []funnel.Segment{{"a", f}, {"b\xfe", g}}, kpi.Wilson, 0.95, `funnel.CompareSegments: segments[1] name "b\xfe": not valid UTF-8`},
		{"repeated name", []funnel.Segment{{"a", f}, {"a", g}}, kpi.Wilson, 0.95, `funnel.CompareSegments: segment name "a": used twice`},
		{"nil funnel", []funnel.Segment{{"a", f}, {"b", nil}}, kpi.Wilson, 0.95, `funnel.CompareSegments: segment "b" funnel <nil>: nil funnel`},
		{"different stages", []funnel.Segment{{"a", f}, {"b", g}, {"c", counts(t, three[:2], 5, 1)}}, kpi.Wilson, 0.95,
			`funnel.CompareSegments: segment "c" stages 2: lacks stage "SQL"`},
		{"unknown method", []funnel.Segment{{"a", f}, {"b", g}}, kpi.Method(42), 0.95, "funnel.CompareSegments: method Method(42): unknown interval method"},
		{"confidence NaN", []funnel.Segment{{"a", f}, {"b", g}}, kpi.Wilson, math.NaN(), "funnel.CompareSegments: confidence NaN: must lie in (0, 1)"},
		// Issue 13's probe: 2^54 leads reached Clopper–Pearson's cephes
		// panic through Rate.Interval.
		{"Clopper–Pearson above 2^53", []funnel.Segment{{"a", f}, {"b", counts(t, three, 1<<54, 1<<53, 1<<52)}}, kpi.ClopperPearson, 0.95,
			`funnel.CompareSegments: segment "b" step "MQL" trials 18014398509481984: exceeds kpi.MaxTrials (2^40)`},
		{"one past MaxTrials in the first segment", []funnel.Segment{{"a", counts(t, three, kpi.MaxTrials+1, 1, 1)}, {"b", g}}, kpi.Wilson, 0.95,
			`funnel.CompareSegments: segment "a" step "MQL" trials 1099511627777: exceeds kpi.MaxTrials (2^40)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spreads, err := funnel.CompareSegments(tc.segments, tc.method, tc.confidence)
			assert.Nil(t, spreads)
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

// TestCompareAdjusted checks the adjusted p-values of the family of
// tested steps against R 4.2.2's p.adjust(p, "holm") on the Fisher
// p-values above:
//
//	p.adjust(c(0.17495, 0.64948, 0.48284, 0.67340, 1), "holm")  # 0.87476275216867572 1 1 1 1
//	a <- fisher.test(matrix(c(100, 900, 130, 870), 2, byrow = TRUE))$p.value  # 0.041904548383735113
//	b <- fisher.test(matrix(c(50, 50, 50, 80), 2, byrow = TRUE))$p.value      # 0.083404483646492986
//	p.adjust(c(a, b), "holm")                                                 # 0.083809096767470226 twice
//
// The second family holds a step significant at 5 % alone that is not
// after the adjustment; a step that cannot be tested is not in the family.
func TestCompareAdjusted(t *testing.T) {
	tests := []struct {
		name   string
		a, b   *funnel.Funnel
		family int
		adj    []float64
		sig    []bool
	}{
		{"month over month", counts(t, six, 11500, 260, 110, 52, 30, 8), counts(t, six, 12000, 240, 96, 40, 25, 6), 5,
			[]float64{0.87476275216867572, 1, 1, 1, 1}, []bool{false, false, false, false, false}},
		{"significant alone, not in the family", counts(t, three, 1000, 100, 50), counts(t, three, 1000, 130, 50), 2,
			[]float64{0.083809096767470226, 0.083809096767470226}, []bool{false, false}},
		{"one funnel runs dry", counts(t, three, 10, 0, 0), counts(t, three, 10, 5, 1), 1,
			[]float64{0.032507739938080538, 1}, []bool{true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			changes, err := funnel.Compare(tc.a, tc.b, 0.95)
			require.NoError(t, err)
			require.Len(t, changes, len(tc.adj))
			for i, c := range changes {
				assert.Equal(t, tc.family, c.Family, c.Step)
				assert.Equal(t, kpi.Holm, c.Adjustment)
				assert.InEpsilon(t, tc.adj[i], c.AdjustedP, 1e-9, c.Step)
				assert.Equal(t, tc.sig[i], c.Significant, c.Step)
				assert.GreaterOrEqual(t, c.AdjustedP, c.FisherP)
			}
		})
	}
}

// TestCompareSegmentsAdjusted: R 4.2.2,
//
//	x <- chisq.test(rbind(c(60, 20, 16), c(60, 60, 24)), correct = FALSE)$p.value  # 0.0019304541362277093
//	y <- chisq.test(rbind(c(30, 8, 2), c(30, 12, 14)), correct = FALSE)$p.value    # 0.025512890912529267
//	p.adjust(c(x, y), "holm")                                                     # 0.0038609082724554186 0.025512890912529267
func TestCompareSegmentsAdjusted(t *testing.T) {
	tests := []struct {
		name     string
		segments []funnel.Segment
		adj      []float64
		sig      []bool
	}{
		{"three channels", []funnel.Segment{
			{Name: "Webinar", Funnel: counts(t, three, 120, 60, 30)},
			{Name: "Ads", Funnel: counts(t, three, 80, 20, 8)},
			{Name: "Organic", Funnel: counts(t, three, 40, 16, 2)},
		}, []float64{0.0038609082724554186, 0.025512890912529267}, []bool{true, true}},
		{"one segment untested at SQL", []funnel.Segment{
			{Name: "Webinar", Funnel: counts(t, three, 120, 60, 30)},
			{Name: "Ads", Funnel: counts(t, three, 80, 0, 0)},
		}, []float64{-1, 1}, []bool{true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spreads, err := funnel.CompareSegments(tc.segments, kpi.Wilson, 0.95)
			require.NoError(t, err)
			require.Len(t, spreads, len(tc.adj))
			fam := 0
			for _, sp := range spreads {
				if sp.Tested {
					fam++
				}
			}
			for i, sp := range spreads {
				assert.Equal(t, fam, sp.Family)
				assert.Equal(t, kpi.Holm, sp.Adjustment)
				if tc.adj[i] >= 0 {
					assert.InEpsilon(t, tc.adj[i], sp.AdjustedP, 1e-9, sp.Step)
				} else {
					assert.Equal(t, sp.P, sp.AdjustedP, "a family of one")
				}
				assert.Equal(t, tc.sig[i], sp.Significant, sp.Step)
			}
		})
	}
}
