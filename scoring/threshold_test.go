package scoring_test

import (
	"cmp"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// TestAt checks the confusion matrix at thresholds and its precision,
// recall and F1 against scikit-learn's precision_score, recall_score and
// f1_score of (y, s >= t) (see evaluate_test.go). Tied counts by hand.
func TestAt(t *testing.T) {
	rows := []struct {
		name             string
		s                []float64
		y                []bool
		t                float64
		tp, fp, fn, tn   int64
		tied             int64
		prec, recall, f1 float64
	}{
		{"doc at 0.35", skDocScores, skDocY, 0.35, 2, 1, 0, 1, 1, 0.6666666666666666, 1, 0.8},
		{"doc at 0.4", skDocScores, skDocY, 0.4, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5},
		{"leads at 25", leadScores, leadY, 25, 6, 3, 3, 8, 1, 0.6666666666666666, 0.6666666666666666, 0.6666666666666666},
		{"leads at 10", leadScores, leadY, 10, 8, 7, 1, 4, 2, 0.5333333333333333, 0.8888888888888888, 0.6666666666666667},
		{"leads at 45", leadScores, leadY, 45, 3, 1, 6, 10, 1, 0.75, 0.3333333333333333, 0.46153846153846156},
		{"leads at 12, between scores", leadScores, leadY, 12, 7, 6, 2, 5, 0, 0.5384615384615384, 0.7777777777777778, 0.6363636363636364},
		{"leads at -Inf", leadScores, leadY, math.Inf(-1), 9, 11, 0, 0, 0, 0.45, 1, 0.6206896551724138},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			e := mustEval(t, r.s, r.y)
			c, err := e.At(r.t)
			require.NoError(t, err)
			assert.Equal(t, scoring.Cut{Threshold: r.t, TP: r.tp, FP: r.fp, FN: r.fn, TN: r.tn, Tied: r.tied}, c)
			p, err := c.Precision()
			require.NoError(t, err)
			assert.InDelta(t, r.prec, p, 1e-15)
			rc, err := c.Recall()
			require.NoError(t, err)
			assert.InDelta(t, r.recall, rc, 1e-15)
			f, err := c.F1()
			require.NoError(t, err)
			assert.InDelta(t, r.f1, f, 1e-15)
		})
	}
}

// TestCutMeasures checks precision, recall and F1 of given counts, by hand:
// TP 3, FP 1, FN 6 give 3/4, 3/9 and 6/13; with TP 0 precision is 0/2 = 0
// and F1 = 0/(0 + 2 + 5) = 0. The rows near 2⁶³ are what FuzzCut found:
// the int64 sums wrapped, so TP = 2⁶³−1 with FP = 1 had precision −1 and
// TP = 2⁶², FP = 2⁶³−1, FN = 1 (2·TP + FP + FN = 2⁶⁴, wrapped to 0) had an
// undefined F1. By hand: 2⁶³−1 over 2⁶³ is 1 to within 1.1·10⁻¹⁹; equal
// counts give 1/2; 2⁶²/(2⁶² + 2⁶³) = 1/3, 2⁶²/(2⁶²+1) ≈ 1 and
// 2⁶³/(2⁶³ + 2⁶³) = 1/2.
func TestCutMeasures(t *testing.T) {
	rows := []struct {
		name     string
		c        scoring.Cut
		p, r, f1 float64
	}{
		{"mixed", scoring.Cut{TP: 3, FP: 1, FN: 6, TN: 10}, 0.75, 1.0 / 3, 6.0 / 13},
		{"no hits", scoring.Cut{TP: 0, FP: 2, FN: 5, TN: 1}, 0, 0, 0},
		{"TP 2⁶³−1, FP 1", scoring.Cut{TP: math.MaxInt64, FP: 1}, 1, 1, 1},
		{"every count 2⁶³−1", scoring.Cut{TP: math.MaxInt64, FP: math.MaxInt64, FN: math.MaxInt64, TN: math.MaxInt64}, 0.5, 0.5, 0.5},
		{"2·TP + FP + FN = 2⁶⁴", scoring.Cut{TP: 1 << 62, FP: math.MaxInt64, FN: 1}, 1.0 / 3, 1, 0.5},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			p, err := r.c.Precision()
			require.NoError(t, err)
			rc, err := r.c.Recall()
			require.NoError(t, err)
			f, err := r.c.F1()
			require.NoError(t, err)
			assert.InDelta(t, r.p, p, 1e-15)
			assert.InDelta(t, r.r, rc, 1e-15)
			assert.InDelta(t, r.f1, f, 1e-15)
		})
	}
}

// TestCutErrors checks undefined and invalid measures.
func TestCutErrors(t *testing.T) {
	rows := []struct {
		name string
		c    scoring.Cut
		call func(scoring.Cut) (float64, error)
		is   error
		msg  string
	}{
		{"precision of none selected", scoring.Cut{FN: 2, TN: 3}, scoring.Cut.Precision, kpi.ErrUndefined, "scoring.Cut.Precision: TP + FP 0: no lead selected"},
		{"recall without positives", scoring.Cut{FP: 2, TN: 3}, scoring.Cut.Recall, kpi.ErrUndefined, "scoring.Cut.Recall: TP + FN 0: no lead converted"},
		{"F1 of nothing", scoring.Cut{TN: 3}, scoring.Cut.F1, kpi.ErrUndefined, "scoring.Cut.F1: TP + FP + FN 0: no lead selected or converted"},
		{"negative TP", scoring.Cut{TP: -1}, scoring.Cut.Precision, kpi.ErrInvalid, "scoring.Cut.Precision: TP -1: negative count"},
		{"negative FN", scoring.Cut{FN: -1}, scoring.Cut.Recall, kpi.ErrInvalid, "scoring.Cut.Recall: FN -1: negative count"},
		{"negative TN", scoring.Cut{TN: -2}, scoring.Cut.F1, kpi.ErrInvalid, "scoring.Cut.F1: TN -2: negative count"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			_, err := r.call(r.c)
			assert.ErrorIs(t, err, r.is)
			assert.EqualError(t, err, r.msg)
		})
	}
}

// TestAtErrors checks a NaN threshold.
func TestAtErrors(t *testing.T) {
	e := mustEval(t, skDocScores, skDocY)
	for _, r := range []struct {
		name string
		t    float64
	}{{"NaN", math.NaN()}, {"negative NaN", -math.NaN()}} {
		t.Run(r.name, func(t *testing.T) {
			_, err := e.At(r.t)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, "scoring.Evaluation.At: threshold NaN: not a number")
		})
	}
}

// TestYouden checks the threshold against scikit-learn's roc_curve:
// argmax(tpr − fpr) gives 0.8 (J = 0.5) for the documented example and 25
// (J = 13/33 = 0.3939…) for the lead scores; the cut's counts give J back.
func TestYouden(t *testing.T) {
	rows := []struct {
		name string
		s    []float64
		y    []bool
		at   float64
		j    float64
	}{
		{"doc", skDocScores, skDocY, 0.8, 0.5},
		{"leads", leadScores, leadY, 25, 0.3939393939393939},
		{"useless", []float64{1, 1}, bools(1, 0), math.Inf(1), 0},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			e := mustEval(t, r.s, r.y)
			c := e.Youden()
			assert.Equal(t, r.at, c.Threshold)
			j := float64(c.TP)/float64(c.TP+c.FN) - float64(c.FP)/float64(c.FP+c.TN)
			assert.InDelta(t, r.j, j, 1e-15)
		})
	}
}

// TestMinCost checks the cost-based threshold against a brute-force
// search in Python over every distinct score and +Inf (cost FP 1, FN 4:
// 0.35 with cost 1 for the documented example; 5 with cost 9 for the lead
// scores), and by hand: with free false positives the highest threshold
// that catches every converted lead is the lowest converted score, 5; with
// free misses no one is selected.
func TestMinCost(t *testing.T) {
	rows := []struct {
		name     string
		s        []float64
		y        []bool
		cfp, cfn float64
		at       float64
		cost     float64
		unit     float64 // of cost; 0 for 1
	}{
		{"doc 1:4", skDocScores, skDocY, 1, 4, 0.35, 1, 0},
		{"leads 1:4", leadScores, leadY, 1, 4, 5, 9, 0},
		{"free false positives", leadScores, leadY, 0, 1, 5, 0, 0},
		{"free misses", leadScores, leadY, 1, 0, math.Inf(1), 0, 0},
		// probe-csc: only the ratio of the costs matters, but at 1e308 each
		// every cost overflowed to +Inf and none was below the first, so
		// no lead was selected (cost 3). By hand, scores 3, 3, 1 converted
		// and 2, 4 not: FP, FN = (0, 3) at +Inf, (1, 3) at 4, (1, 1) at 3,
		// (2, 1) at 2, (2, 0) at 1; at 1:1 the least cost, 2, is at 3 and
		// 1, and the highest is taken; at 1:3 it is at 1.
		{"1:1 at 1e308", []float64{3, 3, 1, 2, 4}, []bool{true, true, true, false, false}, 1e308, 1e308, 3, 2, 1e308},
		{"1:1 at MaxFloat64", []float64{3, 3, 1, 2, 4}, []bool{true, true, true, false, false}, math.MaxFloat64, math.MaxFloat64, 3, 2, math.MaxFloat64},
		{"1:1", []float64{3, 3, 1, 2, 4}, []bool{true, true, true, false, false}, 1, 1, 3, 2, 0},
		{"1:3 at 1e300", []float64{3, 3, 1, 2, 4}, []bool{true, true, true, false, false}, 1e300, 3e300, 1, 2, 1e300},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			e := mustEval(t, r.s, r.y)
			c, err := e.MinCost(r.cfp, r.cfn)
			require.NoError(t, err)
			assert.Equal(t, r.at, c.Threshold)
			unit := cmp.Or(r.unit, 1)
			assert.InDelta(t, r.cost, r.cfp/unit*float64(c.FP)+r.cfn/unit*float64(c.FN), 1e-12)
		})
	}
}

// TestMinCostErrors checks the costs.
func TestMinCostErrors(t *testing.T) {
	e := mustEval(t, skDocScores, skDocY)
	rows := []struct {
		name     string
		cfp, cfn float64
		msg      string
	}{
		{"negative", -1, 1, "scoring.Evaluation.MinCost: costFP -1: want a finite cost ≥ 0"},
		{"NaN", 1, math.NaN(), "scoring.Evaluation.MinCost: costFN NaN: want a finite cost ≥ 0"},
		{"Inf", 1, math.Inf(1), "scoring.Evaluation.MinCost: costFN +Inf: want a finite cost ≥ 0"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			_, err := e.MinCost(r.cfp, r.cfn)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.EqualError(t, err, r.msg)
		})
	}
}

// TestCapacity checks the capacity threshold, by hand from the lead
// scores ranked 60 60 50 45 40 40 30 …: 4 leads stop at 45 exactly; 5
// leads reach into the two 40s, so the cut at 40 selects 6 (Tied 2, one
// over capacity, or 4 when raised); 1 lead meets the two 60s.
func TestCapacity(t *testing.T) {
	rows := []struct {
		name           string
		k              int64
		at             float64
		selected, tied int64
	}{
		{"exact", 4, 45, 4, 1},
		{"ties over capacity", 5, 40, 6, 2},
		{"top tie", 1, 60, 2, 2},
		{"everyone", 20, 0, 20, 2},
		{"no one", 0, math.Inf(1), 0, 0},
	}
	e := mustEval(t, leadScores, leadY)
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			c, err := e.Capacity(r.k)
			require.NoError(t, err)
			assert.Equal(t, r.at, c.Threshold)
			assert.Equal(t, r.selected, c.TP+c.FP)
			assert.Equal(t, r.tied, c.Tied)
			assert.Less(t, c.TP+c.FP-c.Tied, max(r.k, 1))
		})
	}
}

// TestCapacityErrors checks k.
func TestCapacityErrors(t *testing.T) {
	e := mustEval(t, skDocScores, skDocY)
	for _, r := range []struct {
		name string
		k    int64
	}{{"negative", -1}, {"more than leads", 5}} {
		t.Run(r.name, func(t *testing.T) {
			_, err := e.Capacity(r.k)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, "want 0 to 4, the number of leads")
		})
	}
}
