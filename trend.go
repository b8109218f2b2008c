package kpi

import (
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// Trend is the Cochran–Armitage test for a linear trend in a rate across
// ordered periods (months, quarters): does the rate drift up or down over
// time, where no single month-to-month change need be significant?
//
// With xᵢ successes of nᵢ trials in period i, the score sᵢ of the period
// (1, 2, …, k by default), N = Σnᵢ, p̄ = Σxᵢ/N and s̄ = Σnᵢsᵢ/N,
//
//	Z         = Σ xᵢ(sᵢ − s̄) / sqrt(p̄(1 − p̄)·Σ nᵢ(sᵢ − s̄)²)
//	ChiSquare = Z², 1 degree of freedom
//	P         = P(χ²₁ > ChiSquare), two-sided
//
// which equal R's prop.trend.test(x, n, score). Z is positive when the
// rate rises with the score; the one-sided p-values are 1 − Φ(Z) for a
// rise and Φ(Z) for a fall.
type Trend struct {
	Z         float64 `json:"z"`         // signed statistic, positive for a rising rate
	ChiSquare float64 `json:"chiSquare"` // Z², R's X-squared
	P         float64 `json:"p"`         // two-sided p-value
}

// TestTrend runs the Cochran–Armitage test for trend on the rates of
// ordered periods, with the periods' scores (nil for 1, 2, …, k; give the
// months' numbers when some are missing). Periods with no trials carry no
// information and are left out.
//
// Special case: when every period's rate is 0, or every one 1, nothing
// can trend and the statistic is 0/0: TestTrend returns Z = 0 and P = 1
// (R reports NaN).
//
// Scores of any finite size work: the statistic does not change when the
// scores are multiplied by a constant, and they are first scaled, exactly,
// by the power of two that brings the largest to [½, 1).
//
// Errors, wrapping ErrInvalid: fewer than two periods with trials; scores
// of another length than the periods, or not finite; scores that are all
// equal over the periods with trials; more than MaxTrials trials in all.
func TestTrend(periods []Rate, scores []float64) (Trend, error) {
	const fn = "kpi.TestTrend"
	if scores != nil && len(scores) != len(periods) {
		return Trend{}, invalid(fn, "scores", len(scores), "length differs from periods' "+strconv.Itoa(len(periods)))
	}
	// The statistic does not change when the scores are scaled, so they
	// are scaled by a power of two that brings the largest to [½, 1):
	// exactly, leaving Z bit for bit as it was, while Σnᵢ(sᵢ − s̄)² can
	// neither overflow (scores near 10³⁰⁸ made it +Inf and Z NaN) nor
	// underflow (scores near 10⁻³⁰⁰ made it 0, "all equal").
	var top float64
	for i, r := range periods {
		if scores == nil {
			break
		}
		if math.IsNaN(scores[i]) || math.IsInf(scores[i], 0) {
			return Trend{}, invalid(fn, "scores["+strconv.Itoa(i)+"]", scores[i], "must be finite")
		}
		if r.trials > 0 {
			top = max(top, math.Abs(scores[i]))
		}
	}
	// With the largest between 2⁻⁴⁰⁰ and 2⁴⁰⁰ neither can happen (unless
	// all are equal, some score lies at least 2⁻⁴⁵³ from the mean, and its
	// square is normal; Σnᵢ(sᵢ − s̄)² stays below 2⁸⁴²), so the scores are
	// taken as they are: the same result, without the cost.
	var e int
	if top < 0x1p-400 || top > 0x1p400 {
		_, e = math.Frexp(top) // e = 0 for top = 0
	}
	score := func(i int) float64 {
		switch {
		case scores == nil:
			return float64(i + 1)
		case e == 0:
			return scores[i]
		}
		return math.Ldexp(scores[i], -e) // not × 2⁻ᵉ: that is +Inf for subnormal scores
	}
	var x, n, ns float64
	k := 0
	for i, r := range periods {
		if r.trials == 0 {
			continue
		}
		k++
		x += float64(r.successes)
		n += float64(r.trials)
		ns += float64(r.trials) * score(i)
	}
	if k < 2 {
		return Trend{}, invalid(fn, "periods", k, "need at least two periods with trials")
	}
	if n > MaxTrials {
		return Trend{}, invalid(fn, "periods", count(n), "more than MaxTrials trials in all")
	}
	sbar := ns / n
	var num, ss float64
	for i, r := range periods {
		if r.trials == 0 {
			continue
		}
		d := score(i) - sbar
		num += float64(r.successes) * d
		ss += float64(r.trials) * d * d
	}
	if !(ss > 0) {
		return Trend{}, invalid(fn, "scores", "all equal", "a trend needs periods with different scores")
	}
	t := Trend{P: 1}
	pool := x / n
	if x == 0 || x == n {
		return t, nil
	}
	t.Z = num / math.Sqrt(pool*(1-pool)*ss)
	t.ChiSquare = t.Z * t.Z
	t.P = chiSquare1Survival(t.ChiSquare)
	return t, nil
}

// Homogeneity is Pearson's chi-square test that k rates are equal: do the
// periods (or segments, or channels) all convert at the same rate? Over
// the k′ rates with trials, with the pooled rate p̄ = Σxᵢ/Σnᵢ,
//
//	ChiSquare = Σ (xᵢ − nᵢp̄)² / (nᵢp̄(1 − p̄)),   DF = k′ − 1
//
// and P its upper tail, which equal R's chisq.test(rbind(x, n − x),
// correct = FALSE) and prop.test(x, n). Unlike Trend it looks for any
// difference, not a drift: against a steady drift Trend has more power.
type Homogeneity struct {
	ChiSquare float64 `json:"chiSquare"`
	DF        int     `json:"df"`
	P         float64 `json:"p"`
}

// TestHomogeneity runs the chi-square test of homogeneity on the rates;
// rates with no trials are left out.
//
// Special case: when the pooled rate is 0 or 1 the statistic is 0/0;
// ChiSquare is 0 and P is 1.
//
// Errors, wrapping ErrInvalid: fewer than two rates with trials; more
// than MaxTrials trials in all.
func TestHomogeneity(rates []Rate) (Homogeneity, error) {
	const fn = "kpi.TestHomogeneity"
	var x, n float64
	k := 0
	for _, r := range rates {
		if r.trials > 0 {
			k++
			x += float64(r.successes)
			n += float64(r.trials)
		}
	}
	if k < 2 {
		return Homogeneity{}, invalid(fn, "rates", k, "need at least two rates with trials")
	}
	if n > MaxTrials {
		return Homogeneity{}, invalid(fn, "rates", count(n), "more than MaxTrials trials in all")
	}
	h := Homogeneity{DF: k - 1, P: 1}
	if x == 0 || x == n {
		return h, nil
	}
	pool := x / n
	for _, r := range rates {
		if r.trials == 0 {
			continue
		}
		nj := float64(r.trials)
		d := float64(r.successes) - nj*pool
		h.ChiSquare += d * d / (nj * pool * (1 - pool))
	}
	h.P = distuv.ChiSquared{K: float64(h.DF)}.Survival(h.ChiSquare)
	return h, nil
}
