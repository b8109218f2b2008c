package scoring

import (
	"fmt"
	"math"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// checkProbs checks predicted probabilities against outcomes.
func checkProbs(fn string, probs []float64, converted []bool) error {
	if len(probs) != len(converted) {
		return errs.Invalid(fn, "converted", fmt.Sprintf("length %d", len(converted)), fmt.Sprintf("differs from %d probabilities", len(probs)))
	}
	if len(probs) == 0 {
		return errs.Invalid(fn, "probs", probs, "no leads")
	}
	for i, p := range probs {
		if !(p >= 0 && p <= 1) {
			return errs.Invalid(fn, fmt.Sprintf("probs[%d]", i), p, "not a probability in [0, 1]")
		}
	}
	return nil
}

// Brier returns the Brier score of predicted conversion probabilities: the
// mean squared difference between each lead's probability and its
// outcome (1 converted, 0 not),
//
//	Brier = (1/n) Σ (p_i − y_i)²
//
// 0 is perfect; always predicting the overall rate r scores r(1 − r). It
// equals scikit-learn's brier_score_loss.
//
// Brier returns an error wrapping kpi.ErrInvalid when the lengths differ,
// there are no leads, or a probability is NaN or outside [0, 1].
func Brier(probs []float64, converted []bool) (float64, error) {
	if err := checkProbs("scoring.Brier", probs, converted); err != nil {
		return 0, err
	}
	var s float64
	for i, p := range probs {
		if converted[i] {
			p = 1 - p
		}
		s += p * p
	}
	return s / float64(len(probs)), nil
}

// Calibration is one bin of a reliability table: the leads whose predicted
// probability falls in the bin, their mean prediction, and how many of
// them converted. A well-calibrated model has Rate close to Predicted.
type Calibration struct {
	Lo        float64  `json:"lo"` // the bin's edges
	Hi        float64  `json:"hi"`
	Predicted float64  `json:"predicted"` // mean predicted probability in the bin
	Rate      kpi.Rate `json:"rate"`      // converted leads of the leads in the bin
}

// Reliability returns the reliability table (calibration curve) of
// predicted conversion probabilities in bins of equal width on [0, 1]:
// bin k of bins holds the probabilities p with
//
//	k/bins < p ≤ (k+1)/bins   (bin 0 also holds p = 0)
//
// as scikit-learn's calibration_curve with strategy "uniform" does. Empty
// bins are left out. Use the rates' Interval method for error bars.
//
// Reliability returns an error wrapping kpi.ErrInvalid when the lengths
// differ, there are no leads, a probability is NaN or outside [0, 1], or
// bins < 1.
func Reliability(probs []float64, converted []bool, bins int) ([]Calibration, error) {
	const fn = "scoring.Reliability"
	if bins < 1 {
		return nil, errs.Invalid(fn, "bins", bins, "want at least 1")
	}
	if err := checkProbs(fn, probs, converted); err != nil {
		return nil, err
	}
	step := 1 / float64(bins)
	n := make([]int64, bins)
	pos := make([]int64, bins)
	sum := make([]float64, bins)
	for i, p := range probs {
		// The number of inner edges k·step (k = 1 … bins−1) below p.
		k := int(math.Ceil(p*float64(bins))) - 1
		k = max(0, min(bins-1, k))
		for k > 0 && !(float64(k)*step < p) {
			k--
		}
		for k < bins-1 && float64(k+1)*step < p {
			k++
		}
		n[k]++
		sum[k] += p
		if converted[i] {
			pos[k]++
		}
	}
	var out []Calibration
	for k := range n {
		if n[k] == 0 {
			continue
		}
		r, _ := kpi.NewRate(pos[k], n[k])
		out = append(out, Calibration{Lo: float64(k) * step, Hi: float64(k+1) * step, Predicted: sum[k] / float64(n[k]), Rate: r})
	}
	return out, nil
}
