package kpi

import (
	"math"
	"strconv"

	"gonum.org/v1/gonum/mathext"
)

// Sizing is the test a Design plans for: the normal approximation, Cohen's
// arcsine transformation, or the exact binomial test. The zero Sizing is
// Normal.
type Sizing int

// The sizings. In the formulas z_α = Φ⁻¹(1 − α) for a one-sided test and
// Φ⁻¹(1 − α/2) for a two-sided one, z_β = Φ⁻¹(power), and q = 1 − p.
const (
	// Normal is the normal approximation of the z test. For one rate p
	// against a target p₀ with n trials,
	//
	//	power = Φ((|p − p₀|·√n − z_α·√(p₀q₀)) / √(pq))
	//
	// and for two rates with nA and nB trials, p̄ = (nA·pA + nB·pB)/(nA + nB),
	//
	//	power = Φ((|pB − pA| − z_α·√(p̄q̄(1/nA + 1/nB))) / √(pAqA/nA + pBqB/nB))
	//
	// which for nA = nB is R's power.prop.test (strict = FALSE: the far
	// tail of a two-sided test is left out).
	Normal Sizing = iota

	// Arcsine uses Cohen's effect size h = 2·asin(√pB) − 2·asin(√pA) (pA
	// is the target for one rate), with n_h = n for one rate and
	// nA·nB/(nA + nB) for two:
	//
	//	one-sided: power = Φ(|h|·√n_h − z_α)
	//	two-sided: power = Φ(|h|·√n_h − z_α) + Φ(−|h|·√n_h − z_α)
	//
	// which are the pwr package's pwr.p.test, pwr.2p.test and pwr.2p2n.test.
	Arcsine

	// Exact is the exact binomial test of one rate against its target, as
	// Rate.Test runs it: one-sided, reject when P(X ≤ x) ≤ α (Less) or
	// P(X ≥ x) ≤ α (Greater) under the target; two-sided, when either is
	// at most α/2 (the equal-tailed test that the Clopper–Pearson interval
	// inverts, a little more conservative than binom.test's two-sided p).
	// Its power, the chance of rejecting under the true rate, is saw-
	// toothed in n. It applies to one rate only.
	Exact

	numSizings
)

var sizingNames = [...]string{Normal: "Normal", Arcsine: "Arcsine", Exact: "Exact"}

// String returns the sizing's name, such as "Exact", or "Sizing(9)" for a
// value that is not one of the constants.
func (s Sizing) String() string {
	if s >= 0 && s < numSizings {
		return sizingNames[s]
	}
	return "Sizing(" + strconv.Itoa(int(s)) + ")"
}

// Design is the plan of a test: its significance level, the power wanted,
// the direction and the test planned for. Its methods answer "how many
// trials do we need?", "how likely are we to see the effect with n
// trials?" and "what is the smallest effect we can see?", for one rate
// against a target (an SLA) and for two rates (a variant against a
// control, this quarter against the last).
//
// The zero Design is not usable: Alpha and Power must be set.
type Design struct {
	Alpha       float64     `json:"alpha"`       // significance level, such as 0.05
	Power       float64     `json:"power"`       // the power wanted, such as 0.8; must exceed Alpha and be at most MaxPower
	Alternative Alternative `json:"alternative"` // TwoSided, or the direction of the effect looked for
	Sizing      Sizing      `json:"sizing"`      // the test planned for
}

// Size is a number of trials a Design needs.
type Size struct {
	// A is the number of trials needed: of the one rate, or of group A,
	// rounded up.
	A int64 `json:"a"`
	// B is the number of trials of group B, rounded up; 0 for one rate.
	B int64 `json:"b"`
	// N is the real-valued solution for A before rounding, the n that R's
	// power.prop.test and pwr functions print; for Exact it is A.
	N float64 `json:"n"`
}

// MaxPower is the largest Power a Design may ask for, 1 − 10⁻⁶. Closer to
// 1 the power is 1 − β with β below the float64 spacing of numbers near 1
// times a few thousand, so the power at n and at n − 1 trials round to the
// same value and "the smallest n that reaches Power" loses its meaning
// (asked for 1 − 2⁻⁵³, the power at n − 1 already rounded to it).
const MaxPower = 1 - 1e-6

// maxSize is the largest sample size returned: beyond it the answer is
// "no feasible study", reported as an error.
const maxSize = MaxTrials

// maxExact bounds the exact search: beyond it the normal approximation is
// as good as exact and much cheaper.
const maxExact = 1 << 20

func (d Design) check(fn string, forSize bool) error {
	switch {
	case !checkUnit(d.Alpha):
		return invalid(fn, "Alpha", d.Alpha, "must lie in (0, 1)")
	case d.Alternative < 0 || d.Alternative >= numAlternatives:
		return invalid(fn, "Alternative", d.Alternative, "unknown alternative")
	case d.Sizing < 0 || d.Sizing >= numSizings:
		return invalid(fn, "Sizing", d.Sizing, "unknown sizing")
	case forSize && !checkUnit(d.Power):
		return invalid(fn, "Power", d.Power, "must lie in (0, 1)")
	case forSize && d.Power > MaxPower:
		return invalid(fn, "Power", d.Power, "must be at most MaxPower 0.999999")
	case forSize && d.Power <= d.Alpha:
		return invalid(fn, "Power", d.Power, "must exceed Alpha "+strconv.FormatFloat(d.Alpha, 'g', -1, 64))
	}
	return nil
}

// zAlpha returns the critical value of the design's level.
func (d Design) zAlpha() float64 {
	if d.Alternative == TwoSided {
		return -mathext.NormalQuantile(d.Alpha / 2)
	}
	return -mathext.NormalQuantile(d.Alpha)
}

// effect returns the signed effect in the design's direction: positive
// when the effect points the way the alternative looks (either way for
// TwoSided, where the sign is dropped).
func (d Design) effect(diff float64) float64 {
	switch d.Alternative {
	case Less:
		return -diff
	case Greater:
		return diff
	}
	return math.Abs(diff)
}

func checkRate(fn, arg string, p float64) error {
	if !checkUnit(p) {
		return invalid(fn, arg, p, "must lie in (0, 1)")
	}
	return nil
}

// arcsinePower is the power of the arcsine test at effect e = ±h (already
// signed by the design) and effective size n.
func (d Design) arcsinePower(e, n float64) float64 {
	z := d.zAlpha()
	s := e * math.Sqrt(n)
	p := normalSurvival(z - s)
	if d.Alternative == TwoSided {
		p += normalSurvival(z + s)
	}
	return p
}

func arcsineH(p, p0 float64) float64 {
	return 2*math.Asin(math.Sqrt(p)) - 2*math.Asin(math.Sqrt(p0))
}

// detectRange returns the ends of the searches for a detectable rate
// below and above target: 10⁻¹² from 0 and from 1, or, for a target
// nearer than that to an end, target·10⁻¹² below it (never below the
// smallest positive float64) and the float64 just under 1 above it. A
// fixed 10⁻¹² would put the search for a target of 2·10⁻¹³ on the
// wrong side of the target.
func detectRange(target float64) (lo, hi float64) {
	const edge = 1e-12
	lo, hi = edge, 1-edge
	if target <= lo {
		lo = math.Max(target*edge, math.SmallestNonzeroFloat64)
	}
	if target >= hi {
		hi = math.Nextafter(1, 0)
	}
	return lo, hi
}

// bisectDown returns, for f decreasing with f(lo) ≥ 0 > f(hi), the
// largest float64 x in [lo, hi] with f(x) ≥ 0: the rate nearest the
// target that still reaches the power, for a Less alternative.
func bisectDown(f func(float64) float64, lo, hi float64) float64 {
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid == lo || mid == hi {
			break
		}
		if f(mid) >= 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// bisect returns the x in [lo, hi] where f, increasing, crosses 0, to the
// resolution of float64.
func bisect(f func(float64) float64, lo, hi float64) float64 {
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid == lo || mid == hi {
			break
		}
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// MarshalText returns the sizing's name, such as "Exact", so that a
// Sizing reads in JSON as a string. A value that is not one of the
// constants is an error wrapping ErrInvalid.
func (s Sizing) MarshalText() ([]byte, error) {
	if s < 0 || s >= numSizings {
		return nil, invalid("kpi.Sizing.MarshalText", "sizing", int(s), "unknown sizing")
	}
	return []byte(sizingNames[s]), nil
}

// UnmarshalText reads a sizing's name as MarshalText writes it. Any other
// text is an error wrapping ErrInvalid.
func (s *Sizing) UnmarshalText(text []byte) error {
	for i, name := range sizingNames {
		if string(text) == name {
			*s = Sizing(i)
			return nil
		}
	}
	return invalid("kpi.Sizing.UnmarshalText", "sizing", strconv.Quote(string(text)), "unknown sizing")
}
