package kpi

import (
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// SRM is the sample-ratio-mismatch check of an experiment: did the groups
// receive the split that was planned (50/50, 90/10)? A mismatch means the
// assignment or the counting is broken, and the experiment's result
// cannot be read until it is found. Experiment tools run it before
// anything else and flag a mismatch at a small P, such as P < 0.001.
//
// With observed group sizes oᵢ, N = Σoᵢ and planned weights wᵢ, the
// expected sizes are eᵢ = N·wᵢ/Σw and the statistic is Pearson's
// goodness of fit,
//
//	ChiSquare = Σ (oᵢ − eᵢ)² / eᵢ,   DF = k − 1
//
// with P its upper tail, which equal R's chisq.test(o, p = w/sum(w)).
type SRM struct {
	ChiSquare float64 `json:"chiSquare"`
	DF        int     `json:"df"`
	P         float64 `json:"p"`
}

// TestSRM checks observed group sizes against the planned weights of the
// split (any positive numbers: 1, 1 for 50/50; 0.9, 0.1 for 90/10).
//
// The weights are taken relative to the largest, so any positive finite
// weights serve (10³⁰⁸, 10³⁰⁸ is 50/50). A weight so small against the
// others that eᵢ is tiny can make ChiSquare overflow to +Inf, with P = 0:
// units in a group planned to get next to none is a certain mismatch. A
// group whose eᵢ underflows to 0 adds nothing when it is empty, and makes
// ChiSquare +Inf when it is not.
//
// Errors, wrapping ErrInvalid: fewer than two groups; weights of another
// length than the counts; a negative count; a weight that is not positive
// and finite; no units at all; more than MaxTrials units in all.
func TestSRM(counts []int64, weights []float64) (SRM, error) {
	const fn = "kpi.TestSRM"
	if len(counts) < 2 {
		return SRM{}, invalid(fn, "counts", len(counts), "need at least two groups")
	}
	if len(weights) != len(counts) {
		return SRM{}, invalid(fn, "weights", len(weights), "length differs from counts' "+strconv.Itoa(len(counts)))
	}
	var n, top float64
	for i, c := range counts {
		if c < 0 {
			return SRM{}, invalid(fn, "counts["+strconv.Itoa(i)+"]", c, "negative count")
		}
		if !(weights[i] > 0) || math.IsInf(weights[i], 1) {
			return SRM{}, invalid(fn, "weights["+strconv.Itoa(i)+"]", weights[i], "must be positive and finite")
		}
		n += float64(c)
		top = max(top, weights[i])
	}
	var w float64 // the weights' sum over the largest, in [1, k]: never +Inf
	for _, x := range weights {
		w += x / top
	}
	if n == 0 {
		return SRM{}, invalid(fn, "counts", "all 0", "no units to check")
	}
	if n > MaxTrials {
		return SRM{}, invalid(fn, "counts", count(n), "more than MaxTrials units in all")
	}
	s := SRM{DF: len(counts) - 1}
	for i, c := range counts {
		e := n * (weights[i] / top) / w
		if e == 0 { // a weight below 10⁻³⁰⁸ of the largest
			if c > 0 {
				s.ChiSquare = math.Inf(1)
			}
			continue
		}
		d := float64(c) - e
		s.ChiSquare += d * d / e
	}
	s.P = distuv.ChiSquared{K: float64(s.DF)}.Survival(s.ChiSquare)
	return s, nil
}
