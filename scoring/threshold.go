package scoring

import (
	"fmt"
	"math"

	"github.com/kpiflow/kpi/internal/errs"
)

// Cut is a threshold on the score and the confusion matrix it makes: the
// leads scoring at least Threshold are selected (handed to sales), the
// others not. TP and FP count the selected leads that did and did not
// convert, FN and TN the others. Tied counts the leads scoring exactly
// Threshold, all of them selected.
//
// A Threshold of +Inf selects no lead.
type Cut struct {
	Threshold float64 `json:"threshold"`
	TP        int64   `json:"tp"`
	FP        int64   `json:"fp"`
	FN        int64   `json:"fn"`
	TN        int64   `json:"tn"`
	Tied      int64   `json:"tied"`
}

// At returns the cut at threshold t. It returns an error wrapping
// kpi.ErrInvalid when t is NaN.
func (e *Evaluation) At(t float64) (Cut, error) {
	if math.IsNaN(t) {
		return Cut{}, errs.Invalid("scoring.Evaluation.At", "threshold", t, "not a number")
	}
	return e.at(t), nil
}

func (e *Evaluation) at(t float64) Cut {
	tp, tiedP := countGE(e.pos, t)
	fp, tiedN := countGE(e.neg, t)
	return Cut{Threshold: t, TP: tp, FP: fp, FN: int64(len(e.pos)) - tp, TN: int64(len(e.neg)) - fp, Tied: tiedP + tiedN}
}

// check returns an error when a count of c is negative.
func (c Cut) check(fn string) error {
	for _, f := range []struct {
		name string
		v    int64
	}{{"TP", c.TP}, {"FP", c.FP}, {"FN", c.FN}, {"TN", c.TN}} {
		if f.v < 0 {
			return errs.Invalid(fn, f.name, f.v, "negative count")
		}
	}
	return nil
}

// Precision returns the share of selected leads that converted,
//
//	precision = TP / (TP + FP)
//
// It returns an error wrapping kpi.ErrUndefined when no lead is selected,
// and one wrapping kpi.ErrInvalid when a count is negative. Any counts
// up to math.MaxInt64 are measured: the sums are taken in float64.
func (c Cut) Precision() (float64, error) {
	const fn = "scoring.Cut.Precision"
	if err := c.check(fn); err != nil {
		return 0, err
	}
	if c.TP == 0 && c.FP == 0 {
		return 0, errs.Undefined(fn, "TP + FP", 0, "no lead selected")
	}
	return share(c.TP, c.TP, c.FP), nil
}

// share returns num/(a+b) for counts num ≤ a, b ≥ 0, a+b > 0, with the
// sum taken in float64 so that counts near 2⁶³ do not wrap: the rounded
// sum is never below the rounded num, so the share stays in [0, 1].
func share(num, a, b int64) float64 {
	return float64(num) / (float64(a) + float64(b))
}

// Recall returns the share of converted leads that are selected (the true
// positive rate, or sensitivity),
//
//	recall = TP / (TP + FN)
//
// It returns an error wrapping kpi.ErrUndefined when no lead converted, and
// one wrapping kpi.ErrInvalid when a count is negative. Any counts up to
// math.MaxInt64 are measured, as for Precision.
func (c Cut) Recall() (float64, error) {
	const fn = "scoring.Cut.Recall"
	if err := c.check(fn); err != nil {
		return 0, err
	}
	if c.TP == 0 && c.FN == 0 {
		return 0, errs.Undefined(fn, "TP + FN", 0, "no lead converted")
	}
	return share(c.TP, c.TP, c.FN), nil
}

// F1 returns the harmonic mean of precision and recall,
//
//	F1 = 2·TP / (2·TP + FP + FN)
//
// which is 0 when no converted lead is selected. It returns an error
// wrapping kpi.ErrUndefined when TP + FP + FN = 0, and one wrapping
// kpi.ErrInvalid when a count is negative. Any counts up to
// math.MaxInt64 are measured, as for Precision.
func (c Cut) F1() (float64, error) {
	const fn = "scoring.Cut.F1"
	if err := c.check(fn); err != nil {
		return 0, err
	}
	if c.TP == 0 && c.FP == 0 && c.FN == 0 {
		return 0, errs.Undefined(fn, "TP + FP + FN", 0, "no lead selected or converted")
	}
	tp := 2 * float64(c.TP)
	return tp / (tp + (float64(c.FP) + float64(c.FN))), nil
}

// Youden returns the cut that maximises Youden's J statistic,
//
//	J = TPR − FPR = TP/P − FP/N   (sensitivity + specificity − 1)
//
// over thresholds at the distinct scores and +Inf (select none, J = 0).
// Among equal J it takes the highest threshold, which selects fewest
// leads. The maximum J is the KS statistic when the model is better than
// chance.
func (e *Evaluation) Youden() Cut {
	p, n := float64(len(e.pos)), float64(len(e.neg))
	var tp, fp int64
	best, bestJ := math.Inf(1), 0.0
	e.walk(func(t float64, dp, dn int64) {
		tp += dp
		fp += dn
		if j := float64(tp)/p - float64(fp)/n; j > bestJ {
			best, bestJ = t, j
		}
	})
	return e.at(best)
}

// MinCost returns the cut with the least expected cost when handing sales
// a lead that will not convert costs costFP and missing one that would
// costs costFN:
//
//	cost(t) = costFP·FP(t) + costFN·FN(t)
//
// over thresholds at the distinct scores and +Inf (select none). Among
// equal costs it takes the highest threshold. Only the ratio of the costs
// matters.
//
// MinCost returns an error wrapping kpi.ErrInvalid when a cost is
// negative, NaN or infinite.
func (e *Evaluation) MinCost(costFP, costFN float64) (Cut, error) {
	const fn = "scoring.Evaluation.MinCost"
	for _, c := range []struct {
		name string
		v    float64
	}{{"costFP", costFP}, {"costFN", costFN}} {
		if !(c.v >= 0) || math.IsInf(c.v, 1) {
			return Cut{}, errs.Invalid(fn, c.name, c.v, "want a finite cost ≥ 0")
		}
	}
	// Only the ratio matters: costs above 1 are scaled down by a power of
	// two, exactly, so that no sum of costs overflows to +Inf (at 1e308
	// each, every threshold's cost was +Inf and none was chosen).
	if m := max(costFP, costFN); m > 1 {
		_, exp := math.Frexp(m)
		costFP, costFN = math.Ldexp(costFP, -exp), math.Ldexp(costFN, -exp)
	}
	var tp, fp int64
	p := int64(len(e.pos))
	best, bestCost := math.Inf(1), costFN*float64(p)
	e.walk(func(t float64, dp, dn int64) {
		tp += dp
		fp += dn
		if c := costFP*float64(fp) + costFN*float64(p-tp); c < bestCost {
			best, bestCost = t, c
		}
	})
	return e.at(best), nil
}

// Capacity returns the cut for a sales team that can work k leads: the
// threshold is the k-th highest score, so that every lead scoring above
// it is selected and fewer than k of them do. When leads are tied at
// the threshold the cut may select more than k (TP + FP > k): all Tied
// leads at the threshold are selected, and TP + FP − k of them are over
// capacity — the caller chooses which (by recency, say), or raises the
// threshold to the next score and selects TP + FP − Tied < k. k = 0 gives
// the threshold +Inf.
//
// Capacity returns an error wrapping kpi.ErrInvalid when k is negative or
// exceeds the number of leads.
func (e *Evaluation) Capacity(k int64) (Cut, error) {
	n := int64(len(e.pos) + len(e.neg))
	if k < 0 || k > n {
		return Cut{}, errs.Invalid("scoring.Evaluation.Capacity", "k", k, fmt.Sprintf("want 0 to %d, the number of leads", n))
	}
	if k == 0 {
		return e.at(math.Inf(1)), nil
	}
	return e.at(e.kth(int(k))), nil
}
