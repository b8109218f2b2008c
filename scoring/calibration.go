package scoring

import (
	"cmp"
	"fmt"
	"math"
	"slices"

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
// bins lies outside [1, 2³¹]. Its cost is proportional to the number of
// leads, however many bins are asked for (the bins hold about 5·10⁻¹⁰ of
// probability at the bound).
func Reliability(probs []float64, converted []bool, bins int) (Calibrations, error) {
	const fn = "scoring.Reliability"
	if bins < 1 || bins > maxBins {
		return nil, errs.Invalid(fn, "bins", bins, "want 1 to 2^31")
	}
	if err := checkProbs(fn, probs, converted); err != nil {
		return nil, err
	}
	step := 1 / float64(bins)
	if bins <= 4*len(probs) {
		return denseBins(probs, converted, bins, step), nil
	}
	// More bins than leads: sort the leads by bin and walk the runs.
	order := make([]int, len(probs))
	ks := make([]int, len(probs))
	for i, p := range probs {
		order[i], ks[i] = i, binOf(p, bins, step)
	}
	slices.SortFunc(order, func(a, b int) int { // by bin, then input order: the same sums as denseBins
		if c := cmp.Compare(ks[a], ks[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	var out []Calibration
	for lo := 0; lo < len(order); {
		k := ks[order[lo]]
		var n, pos int64
		var sum float64
		hi := lo
		for ; hi < len(order) && ks[order[hi]] == k; hi++ {
			n++
			sum += probs[order[hi]]
			if converted[order[hi]] {
				pos++
			}
		}
		out = append(out, calibration(k, step, n, pos, sum))
		lo = hi
	}
	return out, nil
}

// maxBins bounds Reliability's bins: k·step stays exact in a float64.
const maxBins = 1 << 31

// denseBins is Reliability with a slot for every bin, for bins ≤ 4·leads.
func denseBins(probs []float64, converted []bool, bins int, step float64) []Calibration {
	n := make([]int64, bins)
	pos := make([]int64, bins)
	sum := make([]float64, bins)
	for i, p := range probs {
		k := binOf(p, bins, step)
		n[k]++
		sum[k] += p
		if converted[i] {
			pos[k]++
		}
	}
	var out []Calibration
	for k := range n {
		if n[k] > 0 {
			out = append(out, calibration(k, step, n[k], pos[k], sum[k]))
		}
	}
	return out
}

// binOf returns the bin of p: the number of inner edges k·step (k = 1 …
// bins−1) below p.
func binOf(p float64, bins int, step float64) int {
	k := int(math.Ceil(p*float64(bins))) - 1
	k = max(0, min(bins-1, k))
	for k > 0 && !(float64(k)*step < p) {
		k--
	}
	for k < bins-1 && float64(k+1)*step < p {
		k++
	}
	return k
}

func calibration(k int, step float64, n, pos int64, sum float64) Calibration {
	r, _ := kpi.NewRate(pos, n)
	return Calibration{Lo: float64(k) * step, Hi: float64(k+1) * step, Predicted: sum / float64(n), Rate: r}
}
