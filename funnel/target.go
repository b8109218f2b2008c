package funnel

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// Targets are the conversion rates that marketing and sales agreed per
// step (a service level agreement), keyed by the name of the stage the
// step leads to: Targets{"SQL": 0.5} asks that half of the MQLs become
// SQLs. Each target lies in (0, 1]. Steps without a target are not checked.
type Targets map[string]float64

// Verdict says how a step stands against its target.
type Verdict int

// The verdicts. The zero Verdict is TooLittleData.
const (
	// TooLittleData: the step has no trials, or its rate is below target
	// but so few entered the step that no outcome at all could have shown
	// the shortfall at the chosen confidence, (1 − target)^n ≥ 1 − confidence.
	TooLittleData Verdict = iota
	// Met: the observed rate is at or above the target.
	Met
	// Below: the observed rate is below the target, but the exact test does
	// not show the true rate to be below it at the chosen confidence.
	Below
	// BelowConfident: the exact one-sided binomial test shows the true rate
	// below the target at the chosen confidence.
	BelowConfident
)

var verdictNames = [...]string{
	TooLittleData:  "too little data",
	Met:            "met",
	Below:          "below",
	BelowConfident: "below (confident)",
}

// String returns the verdict in words, such as "below (confident)", or
// "Verdict(7)" for a value that is not one of the constants.
func (v Verdict) String() string {
	if v >= 0 && int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// Check is one step measured against its target.
//
// P is the p-value of the exact one-sided binomial test of the
// alternative "the true rate is below the target" (R's binom.test(x, n,
// target, alternative = "less")): the chance of a rate this low or lower if
// the step were exactly on target. 1 − P is the confidence of the
// shortfall. P is 1 for a step with no trials.
type Check struct {
	Step    Step    `json:"step"`
	Target  float64 `json:"target"`
	Verdict Verdict `json:"verdict"`
	P       float64 `json:"p"`
}

// Check measures each step that has a target against it, at the given
// confidence level (such as 0.95), and returns the checks in funnel order.
// See Verdict for the verdicts: a step is BelowConfident when P <
// 1 − confidence.
//
// Errors, all wrapping kpi.ErrInvalid: confidence outside (0, 1); a target
// for a stage the funnel lacks or for its first stage; a target outside
// (0, 1], NaN or infinite.
func (f *Funnel) Check(targets Targets, confidence float64) ([]Check, error) {
	const fn = "funnel.Funnel.Check"
	if err := f.checkTargets(fn, targets, confidence); err != nil {
		return nil, err
	}
	alpha := 1 - confidence
	checks := make([]Check, 0, len(targets))
	for _, s := range f.steps {
		target, ok := targets[s.To]
		if !ok {
			continue
		}
		c := Check{Step: s, Target: target, P: 1}
		n := s.Rate.Trials()
		if n == 0 {
			checks = append(checks, c)
			continue
		}
		test, err := s.Rate.Test(target)
		if err != nil { // kpi.Rate.Test's own limits
			return nil, err
		}
		c.P = test.Less
		// The smallest p-value n trials can give is P(X = 0) = (1 − target)^n.
		minP := math.Exp(float64(n) * math.Log1p(-target))
		switch {
		case meets(s.Rate, target):
			c.Verdict = Met
		case c.P < alpha:
			c.Verdict = BelowConfident
		case minP >= alpha:
			c.Verdict = TooLittleData
		default:
			c.Verdict = Below
		}
		checks = append(checks, c)
	}
	return checks, nil
}

// meets reports whether a rate with trials is at or above target. It
// compares x/n with the target rather than x with target·n: x/n rounds to
// the same float64 as a decimal target it equals, such as 96/240 and 0.4,
// while 0.4·240 is not exactly 96 in floating point.
func meets(r kpi.Rate, target float64) bool {
	return float64(r.Successes())/float64(r.Trials()) >= target
}

func (f *Funnel) checkTargets(fn string, targets Targets, confidence float64) error {
	if err := errs.Level(fn, "confidence", confidence); err != nil {
		return err
	}
	index := f.indexer()
	for _, name := range slices.Sorted(maps.Keys(targets)) { // sorted: the same error every time
		t := targets[name]
		arg := fmt.Sprintf("target %q", name)
		switch i := index(name); {
		case i < 0:
			return errs.Invalid(fn, arg, t, "the funnel has no such stage")
		case i == 0:
			return errs.Invalid(fn, arg, t, "the first stage has no step into it")
		}
		if !(t > 0 && t <= 1) {
			return errs.Invalid(fn, arg, t, "must lie in (0, 1]")
		}
	}
	return nil
}

// Bottleneck is a step below its target, with what reaching the target
// would be worth.
//
// Gain is how many more final-stage outcomes (won deals) the funnel would
// have produced had this step alone converted at its target and every
// other step at its observed rate. For step i with nᵢ entering it, observed
// rate rᵢ, target tᵢ and observed rates rⱼ of the later steps,
//
//	Gain = (tᵢ − rᵢ)·nᵢ·Π_{j>i} rⱼ
//
// When a later step has no trials — the funnel ran dry below this step —
// nothing says how extra volume would convert there: Estimated is false
// and Gain is 0.
type Bottleneck struct {
	Check
	Gain      float64
	Estimated bool
}

// Bottlenecks returns the steps whose observed rate is below target,
// ranked by Gain, largest first; steps whose gain cannot be estimated come
// last, and ties keep funnel order. Each carries its Check, with the
// verdict and the p-value of the shortfall at the given confidence.
//
// Errors are those of Check.
func (f *Funnel) Bottlenecks(targets Targets, confidence float64) ([]Bottleneck, error) {
	checks, err := f.Check(targets, confidence)
	if err != nil {
		return nil, err
	}
	// later[k] is Π_{j≥k} rⱼ over the steps from k on, 0 when one of
	// them has no trials, and dry[k] says so: one backward pass, where a
	// product per check made 10⁵ steps with targets quadratic.
	later := make([]float64, len(f.steps)+1)
	dry := make([]bool, len(f.steps)+1)
	later[len(f.steps)] = 1
	for k := len(f.steps) - 1; k >= 0; k-- {
		r := f.steps[k].Rate
		if dry[k] = dry[k+1] || r.Trials() == 0; !dry[k] {
			later[k] = float64(r.Successes()) / float64(r.Trials()) * later[k+1]
		}
	}
	index := f.indexer()
	var out []Bottleneck
	for _, c := range checks {
		n := c.Step.Rate.Trials()
		x := c.Step.Rate.Successes()
		if n == 0 || meets(c.Step.Rate, c.Target) {
			continue
		}
		b := Bottleneck{Check: c, Estimated: true}
		gain := (c.Target - float64(x)/float64(n)) * float64(n)
		if k := index(c.Step.To); dry[k] {
			gain, b.Estimated = 0, false
		} else {
			gain *= later[k]
		}
		b.Gain = gain
		out = append(out, b)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Estimated != out[j].Estimated {
			return out[i].Estimated
		}
		return out[i].Gain > out[j].Gain
	})
	return out, nil
}

// Revenue returns the bottleneck's gain in money: Gain × dealSize, the
// average revenue of a final-stage outcome, rounded half away from zero to
// the decimal places of dealSize (none for 24000, two for 24000.00).
//
// Errors: a deal size ≤ 0, or with more than 30 digits before the point or
// 18 after it (the bound on all money in the library), wraps
// kpi.ErrInvalid, as do a gain that is negative, NaN or infinite (only a
// Bottleneck built by hand has one) and a revenue beyond that bound (a
// gain of 10⁶ deals of 10²⁵); a gain that could not be estimated wraps
// kpi.ErrUndefined.
func (b Bottleneck) Revenue(dealSize decimal.Decimal) (decimal.Decimal, error) {
	const fn = "funnel.Bottleneck.Revenue"
	if err := errs.Money(fn, "deal size", dealSize); err != nil {
		return decimal.Zero, err
	}
	if !dealSize.IsPositive() {
		return decimal.Zero, errs.Invalid(fn, "deal size", dealSize, "must be > 0")
	}
	if !b.Estimated {
		return decimal.Zero, errs.Undefined(fn, fmt.Sprintf("step %q gain", b.Step.String()), b.Gain, "not estimated: a later step has no trials")
	}
	arg := fmt.Sprintf("step %q gain", b.Step.String())
	if err := errs.Finite(fn, arg, b.Gain); err != nil {
		return decimal.Zero, err // a Bottleneck built by hand
	}
	if b.Gain < 0 { // built by hand too: Bottlenecks gains are ≥ 0
		return decimal.Zero, errs.Invalid(fn, arg, b.Gain, "must be ≥ 0")
	}
	r := dealSize.Mul(decimal.NewFromFloat(b.Gain)).Round(places(dealSize))
	if err := errs.Money(fn, "revenue", r); err != nil {
		return decimal.Zero, err
	}
	return r, nil
}

// places returns the number of decimal places d is written with, at least 0.
func places(d decimal.Decimal) int32 {
	if e := d.Exponent(); e < 0 {
		return -e
	}
	return 0
}
