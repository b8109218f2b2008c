package scoring_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// Reference data sets. Expected values were computed with scikit-learn
// 1.2.1 and SciPy 1.10.1 (Debian bookworm's python3-sklearn):
//
//	roc_auc_score(y, s), average_precision_score(y, s),
//	ks_2samp(s[y==1], s[y==0]).statistic,
//	roc_curve(y, s, drop_intermediate=False) → argmax(tpr − fpr),
//	precision_score / recall_score / f1_score(y, s >= t)
//
// skDoc is scikit-learn's documented example (roc_auc_score 0.75,
// average_precision_score 0.8333…). leadScores is lead-score-like data
// with many ties: 20 leads, 9 converted.
var (
	skDocScores = []float64{0.1, 0.4, 0.35, 0.8}
	skDocY      = []bool{false, false, true, true}

	leadScores = []float64{0, 0, 5, 5, 5, 10, 10, 15, 20, 20, 20, 25, 30, 30, 40, 40, 45, 50, 60, 60}
	leadY      = bools(0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0)
)

func bools(v ...int) []bool {
	b := make([]bool, len(v))
	for i, x := range v {
		b[i] = x == 1
	}
	return b
}

func mustEval(t testing.TB, s []float64, y []bool) *scoring.Evaluation {
	t.Helper()
	e, err := scoring.Evaluate(s, y)
	require.NoError(t, err)
	return e
}

// TestEvaluationMeasures checks AUC, Gini, KS, average precision, Youden's
// J and the lead counts against scikit-learn and SciPy (see above), and
// against hand calculations for the perfect and inverted rankings:
// inverted, the positives score 2 and 1 below the negatives' 4 and 3, so
// AUC = 0, KS = |0 − 1| = 1 at t = 3, AP = ½·⅓ + ½·½ = 5/12, and no
// threshold has J > 0 (Youden selects none, +Inf).
func TestEvaluationMeasures(t *testing.T) {
	rows := []struct {
		name              string
		s                 []float64
		y                 []bool
		auc, ks, ksAt, ap float64
		youdenAt          float64
		leads, converted  int64
	}{
		{"scikit-learn doc", skDocScores, skDocY, 0.75, 0.5, 0.8, 0.8333333333333333, 0.8, 4, 2},
		{"lead scores with ties", leadScores, leadY, 0.7171717171717171, 0.3939393939393939, 25, 0.6101851851851852, 25, 20, 9},
		{"perfect", []float64{1, 2, 3, 4}, bools(0, 0, 1, 1), 1, 1, 3, 1, 3, 4, 2},
		{"inverted", []float64{4, 3, 2, 1}, bools(0, 0, 1, 1), 0, 1, 3, 5.0 / 12, math.Inf(1), 4, 2},
		{"all tied", []float64{7, 7, 7}, bools(1, 0, 0), 0.5, 0, math.Inf(1), 1.0 / 3, math.Inf(1), 3, 1},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			e := mustEval(t, r.s, r.y)
			assert.InDelta(t, r.auc, e.AUC(), 1e-15)
			assert.InDelta(t, 2*r.auc-1, e.Gini(), 1e-15)
			ks, at := e.KS()
			assert.InDelta(t, r.ks, ks, 1e-15)
			assert.Equal(t, r.ksAt, at)
			assert.InDelta(t, r.ap, e.AveragePrecision(), 1e-15)
			assert.Equal(t, r.youdenAt, e.Youden().Threshold)
			n, c := e.Leads()
			assert.Equal(t, r.leads, n)
			assert.Equal(t, r.converted, c)
		})
	}
}

// TestEvaluateOrder checks that the measures do not depend on the order
// of the leads.
func TestEvaluateOrder(t *testing.T) {
	rev := func(s []float64, y []bool) ([]float64, []bool) {
		rs, ry := make([]float64, len(s)), make([]bool, len(y))
		for i := range s {
			rs[len(s)-1-i], ry[len(s)-1-i] = s[i], y[i]
		}
		return rs, ry
	}
	rows := []struct {
		name string
		s    []float64
		y    []bool
	}{{"doc", skDocScores, skDocY}, {"leads", leadScores, leadY}}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			a := mustEval(t, r.s, r.y)
			rs, ry := rev(r.s, r.y)
			b, err := scoring.Evaluate(rs, ry)
			require.NoError(t, err)
			assert.Equal(t, a.AUC(), b.AUC())
			ga, _ := a.Gains(3)
			gb, _ := b.Gains(3)
			assert.Equal(t, ga, gb)
		})
	}
}

// TestEvaluateErrors checks bad input and a single class.
func TestEvaluateErrors(t *testing.T) {
	rows := []struct {
		name string
		s    []float64
		y    []bool
		is   error
		msg  string
	}{
		{"lengths", []float64{1, 2}, []bool{true}, kpi.ErrInvalid, "scoring.Evaluate: converted length 1: differs from 2 scores"},
		{"empty", nil, nil, kpi.ErrInvalid, "scoring.Evaluate: scores []: no leads"},
		{"NaN", []float64{1, math.NaN()}, []bool{true, false}, kpi.ErrInvalid, "scoring.Evaluate: scores[1] NaN: not a finite number"},
		{"Inf", []float64{math.Inf(1), 1}, []bool{true, false}, kpi.ErrInvalid, "scoring.Evaluate: scores[0] +Inf: not a finite number"},
		{"no positives", []float64{1, 2}, []bool{false, false}, kpi.ErrUndefined,
			"scoring.Evaluate: converted 0 of 2: all leads have the same outcome; AUC, KS and lift need both"},
		{"no negatives", []float64{1}, []bool{true}, kpi.ErrUndefined,
			"scoring.Evaluate: converted 1 of 1: all leads have the same outcome; AUC, KS and lift need both"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			e, err := scoring.Evaluate(r.s, r.y)
			assert.Nil(t, e)
			require.Error(t, err)
			assert.ErrorIs(t, err, r.is)
			assert.EqualError(t, err, r.msg)
		})
	}
}

// TestGains checks the gain and lift table. By hand for the lead scores
// in 5 groups of 4, ranked from the top (y in brackets):
//
//	1: 60[1] 60[0] 50[1] 45[1]                          → 3
//	2: 40[1] 40[0] 30[0] 30[1]                          → 2
//	3: 25[1] 20[0] 20[1] 20[0]                          → 2
//	4: 15[0] 10[0] 10[1] and one of the three 5s (1 of 3 converted) → 1 + 1/3
//	5: the other two 5s (2/3) and 0[0] 0[0]              → 2/3
//
// P = 9 of n = 20, so the base rate is 0.45; group 1's lift is 0.75/0.45,
// its gain 3/9 and its cumulative lift (3/9)/(4/20). With 3 groups the
// cuts fall after ranks 6 and 13, between distinct scores: 4, 3, 2. The
// same expected counts came from an independent Python script that
// splits each tie group's positives by its overlap with each group.
func TestGains(t *testing.T) {
	rows := []struct {
		name      string
		groups    int
		converted []float64
		maxS      []float64
		minS      []float64
	}{
		{"quintiles", 5, []float64{3, 2, 2, 4.0 / 3, 2.0 / 3}, []float64{60, 40, 25, 15, 5}, []float64{45, 30, 20, 5, 0}},
		{"thirds", 3, []float64{4, 3, 2}, []float64{60, 30, 10}, []float64{40, 15, 0}},
		{"one", 1, []float64{9}, []float64{60}, []float64{0}},
		{"every lead", 20, nil, nil, nil},
	}
	e := mustEval(t, leadScores, leadY)
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			g, err := e.Gains(r.groups)
			require.NoError(t, err)
			require.Len(t, g, r.groups)
			var leads int64
			var conv float64
			for k, x := range g {
				assert.Equal(t, leads, x.Start)
				leads += x.Leads
				conv += x.Converted
				if r.converted != nil {
					assert.InDelta(t, r.converted[k], x.Converted, 1e-12, "group %d", k+1)
					assert.Equal(t, r.maxS[k], x.MaxScore)
					assert.Equal(t, r.minS[k], x.MinScore)
				}
				assert.InDelta(t, x.Converted/float64(x.Leads), x.Rate, 1e-15)
				assert.InDelta(t, x.Rate/0.45, x.Lift, 1e-12)
				assert.InDelta(t, conv/9, x.Gain, 1e-12)
				assert.InDelta(t, (conv/float64(leads))/0.45, x.CumLift, 1e-12)
			}
			assert.Equal(t, int64(20), leads)
			assert.InDelta(t, 9, conv, 1e-12)
		})
	}
	g, _ := e.Gains(5)
	assert.InDelta(t, 0.75/0.45, g[0].Lift, 1e-12)
	assert.InDelta(t, 3.0/9, g[0].Gain, 1e-12)
	assert.InDelta(t, (3.0/9)/(4.0/20), g[0].CumLift, 1e-12)
}

// TestGainsErrors checks the number of groups.
func TestGainsErrors(t *testing.T) {
	e := mustEval(t, skDocScores, skDocY)
	for _, r := range []struct {
		name   string
		groups int
	}{{"zero", 0}, {"more than leads", 5}, {"negative", -1}} {
		t.Run(r.name, func(t *testing.T) {
			_, err := e.Gains(r.groups)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, "scoring.Evaluation.Gains: groups")
		})
	}
}

// TestBands checks conversion by score band. Counts by hand from the lead
// scores (see TestGains): below 20 are 8 leads with 2 converted, [20, 50)
// holds 9 with 5, and 50 and above 3 with 2. Quartile cuts fall at the
// ascending 0-based ranks 5, 10 and 15 — scores 10, 20 and 40 — giving
// 1/5, 1/3, 3/6 and 4/6. Intervals are those of kpi.Rate.Interval.
func TestBands(t *testing.T) {
	inf := math.Inf(1)
	type want struct {
		min, max float64
		s, n     int64
	}
	rows := []struct {
		name     string
		cuts     []float64
		quantile int
		want     []want
	}{
		{"given cuts", []float64{20, 50}, 0, []want{{-inf, 20, 2, 8}, {20, 50, 5, 9}, {50, inf, 2, 3}}},
		{"no cuts", nil, 0, []want{{-inf, inf, 9, 20}}},
		{"empty band", []float64{100}, 0, []want{{-inf, 100, 9, 20}, {100, inf, 0, 0}}},
		{"quartiles", nil, 4, []want{{-inf, 10, 1, 5}, {10, 20, 1, 3}, {20, 40, 3, 6}, {40, inf, 4, 6}}},
		{"one quantile", nil, 1, []want{{-inf, inf, 9, 20}}},
		{"twenty quantiles merge ties", nil, 20, nil},
	}
	e := mustEval(t, leadScores, leadY)
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			var bs []scoring.ScoreBand
			var err error
			if r.quantile > 0 {
				bs, err = e.QuantileBands(r.quantile, kpi.Wilson, 0.95)
			} else {
				bs, err = e.Bands(r.cuts, kpi.Wilson, 0.95)
			}
			require.NoError(t, err)
			if r.want == nil {
				// 11 distinct scores make 11 bands of one score each.
				require.Len(t, bs, 11)
				assert.Equal(t, int64(2), bs[0].Rate.Trials())
				return
			}
			require.Len(t, bs, len(r.want))
			for k, w := range r.want {
				b := bs[k]
				assert.Equal(t, w.min, b.Min)
				assert.Equal(t, w.max, b.Max)
				assert.Equal(t, w.s, b.Rate.Successes())
				assert.Equal(t, w.n, b.Rate.Trials())
				if w.n == 0 {
					assert.Equal(t, [2]float64{0, 1}, [2]float64{b.Lo, b.Hi})
					continue
				}
				lo, hi, err := b.Rate.Interval(kpi.Wilson, 0.95)
				require.NoError(t, err)
				assert.Equal(t, [2]float64{lo, hi}, [2]float64{b.Lo, b.Hi})
			}
		})
	}
}

// TestBandsErrors checks cuts, group counts, methods and levels.
func TestBandsErrors(t *testing.T) {
	e := mustEval(t, leadScores, leadY)
	rows := []struct {
		name string
		call func() error
		msg  string
	}{
		{"cuts not increasing", func() error { _, err := e.Bands([]float64{5, 5}, kpi.Wilson, 0.95); return err },
			"scoring.Evaluation.Bands: cuts[1] 5: cuts must be numbers increasing strictly"},
		// probe-csc: an infinite cut made an always-empty band [−Inf, −Inf)
		// or [+Inf, +Inf), whose max −Inf (or the band before's max +Inf)
		// JSON and CSV wrote as the open end's null.
		{"−Inf cut", func() error { _, err := e.Bands([]float64{math.Inf(-1), 3}, kpi.Wilson, 0.95); return err },
			"scoring.Evaluation.Bands: cuts[0] -Inf: cuts must be finite: the bands' open ends are −Inf and +Inf"},
		{"+Inf cut", func() error { _, err := e.Bands([]float64{3, math.Inf(1)}, kpi.Wilson, 0.95); return err },
			"scoring.Evaluation.Bands: cuts[1] +Inf: cuts must be finite: the bands' open ends are −Inf and +Inf"},
		{"NaN cut", func() error { _, err := e.Bands([]float64{math.NaN()}, kpi.Wilson, 0.95); return err },
			"scoring.Evaluation.Bands: cuts[0] NaN: cuts must be numbers increasing strictly"},
		{"confidence", func() error { _, err := e.Bands(nil, kpi.Wilson, 1.5); return err }, "scoring.Evaluation.Bands: confidence 1.5: must lie in (0, 1)"},
		{"method", func() error { _, err := e.QuantileBands(2, kpi.Method(99), 0.9); return err }, "scoring.Evaluation.QuantileBands: method Method(99): unknown interval method"},
		{"no groups", func() error { _, err := e.QuantileBands(0, kpi.Wilson, 0.9); return err },
			"scoring.Evaluation.QuantileBands: groups 0: want 1 to 20, the number of leads"},
		{"too many groups", func() error { _, err := e.QuantileBands(21, kpi.Wilson, 0.9); return err },
			"scoring.Evaluation.QuantileBands: groups 21: want 1 to 20, the number of leads"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			err := r.call()
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, r.msg)
		})
	}
}

// TestEvaluateSingleDistinct covers kth's edge cases: all positives above
// all negatives and the reverse, at every rank.
func TestEvaluateSingleDistinct(t *testing.T) {
	rows := []struct {
		name string
		s    []float64
		y    []bool
		want []float64 // scores from the top
	}{
		{"positives on top", []float64{1, 2, 3, 4, 5}, bools(0, 0, 1, 1, 1), []float64{5, 4, 3, 2, 1}},
		{"negatives on top", []float64{1, 2, 3, 4, 5}, bools(1, 1, 0, 0, 0), []float64{5, 4, 3, 2, 1}},
		{"interleaved", []float64{1, 2, 3, 4, 5}, bools(1, 0, 1, 0, 1), []float64{5, 4, 3, 2, 1}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			e := mustEval(t, r.s, r.y)
			g, err := e.Gains(5)
			require.NoError(t, err)
			for k, x := range g {
				assert.Equal(t, r.want[k], x.MaxScore)
				assert.Equal(t, r.want[k], x.MinScore)
				assert.Equal(t, bool2f(r.y[len(r.y)-1-k]), x.Converted)
			}
		})
	}
}

func bool2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestEvaluateErrorsAreKpiErrors checks the error type.
func TestEvaluateErrorsAreKpiErrors(t *testing.T) {
	for _, r := range []struct {
		name string
		s    []float64
		y    []bool
	}{{"nan", []float64{math.NaN()}, []bool{true}}, {"one class", []float64{1}, []bool{true}}} {
		t.Run(r.name, func(t *testing.T) {
			_, err := scoring.Evaluate(r.s, r.y)
			var ke *kpi.Error
			require.True(t, errors.As(err, &ke))
			assert.Equal(t, "scoring.Evaluate", ke.Func)
		})
	}
}

// TestEvaluateRadix checks the radix-sorted path (256 leads or more)
// against counts over all pairs and a sorted copy: AUC, the top score of
// each decile, and the cut at a capacity. Scores mix signs, −0 and +0,
// repeated integers and wide magnitudes.
func TestEvaluateRadix(t *testing.T) {
	rows := []struct {
		name string
		n    int
		gen  func(r *rand.Rand) float64
	}{
		{"mixed signs and ties", 1000, func(r *rand.Rand) float64 {
			switch r.IntN(4) {
			case 0:
				return float64(r.IntN(20) - 10)
			case 1:
				return math.Copysign(0, -1)
			case 2:
				return r.NormFloat64() * 1e6
			}
			return r.Float64()
		}},
		{"narrow range", 700, func(r *rand.Rand) float64 { return 0.5 + r.Float64()*1e-9 }},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(row.n)))
			s := make([]float64, row.n)
			y := make([]bool, row.n)
			for i := range s {
				s[i] = row.gen(r)
				y[i] = r.IntN(3) == 0
			}
			e := mustEval(t, s, y)
			var u, np float64
			for i := range s {
				if !y[i] {
					continue
				}
				np++
				for j := range s {
					if !y[j] {
						if s[i] > s[j] {
							u++
						} else if s[i] == s[j] {
							u += 0.5
						}
					}
				}
			}
			assert.InDelta(t, u/(np*(float64(row.n)-np)), e.AUC(), 1e-12)
			desc := slices.Clone(s)
			slices.Sort(desc)
			slices.Reverse(desc)
			g, err := e.Gains(10)
			require.NoError(t, err)
			for _, x := range g {
				assert.Equal(t, desc[x.Start], x.MaxScore)
				assert.Equal(t, desc[x.Start+x.Leads-1], x.MinScore)
			}
			c, err := e.Capacity(int64(row.n / 3))
			require.NoError(t, err)
			assert.Equal(t, desc[row.n/3-1], c.Threshold)
		})
	}
}
