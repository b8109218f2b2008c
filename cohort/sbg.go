package cohort

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/mle"
)

// SBG is the shifted-beta-geometric model of contractual retention (Fader
// and Hardie 2007, "How to Project Customer Retention", Journal of
// Interactive Marketing 21(1)). Each customer renews at the end of every
// period with a probability 1 − θ of their own, and θ varies across
// customers as Beta(α, β). T ≥ 1, the period in which a customer leaves,
// then has
//
//	P(T = 1) = α/(α+β)
//	P(T = t) = P(T = t−1)·(β+t−2)/(α+β+t−1)
//	S(t) = P(T > t) = B(α, β+t)/B(α, β)
//	r(t) = S(t)/S(t−1) = (β+t−1)/(α+β+t−1)
//
// so that retention rises with t as the customers most likely to leave
// leave first. An SBG is an immutable value made by NewSBG or FitSBG; the
// zero SBG is not a model: Alpha and Beta return 0, Survival and Retention
// return 0 for t > 0, and the other methods return an error wrapping
// kpi.ErrInvalid that says to use NewSBG or FitSBG.
type SBG struct {
	alpha, beta float64
}

// NewSBG returns the sBG model with parameters α and β. Errors, wrapping
// kpi.ErrInvalid: α or β not a finite number > 0.
func NewSBG(alpha, beta float64) (SBG, error) {
	const fn = "cohort.NewSBG"
	if !(alpha > 0) || !finite(alpha) {
		return SBG{}, errs.Invalid(fn, "alpha", alpha, "must be a finite number > 0")
	}
	if !(beta > 0) || !finite(beta) {
		return SBG{}, errs.Invalid(fn, "beta", beta, "must be a finite number > 0")
	}
	return SBG{alpha: alpha, beta: beta}, nil
}

// Alpha returns α.
func (m SBG) Alpha() float64 { return m.alpha }

// Beta returns β.
func (m SBG) Beta() float64 { return m.beta }

// usable returns nil for a model made by a constructor or a fit, and
// the error of fn for the zero SBG, which is not a model.
func (m SBG) usable(fn, arg string) error {
	if m.alpha > 0 {
		return nil
	}
	return errs.Zero(fn, arg, "cohort.NewSBG or cohort.FitSBG")
}

// String formats the model as "sBG(α=0.704, β=1.182)".
func (m SBG) String() string {
	return fmt.Sprintf("sBG(α=%.3f, β=%.3f)", m.alpha, m.beta)
}

// Survival returns S(t), the share of a cohort still active after t
// periods:
//
//	S(t) = B(α, β+t)/B(α, β)
//
// S(t) = 1 for t ≤ 0.
func (m SBG) Survival(t int) float64 {
	if !(m.alpha > 0) {
		return 0 // documented for the zero model
	}
	if t <= 0 {
		return 1
	}
	return math.Exp(m.logSurvival(0, t))
}

// survivalRatio returns S(a)/S(k) for a ≥ k ≥ 0 without underflow.
func (m SBG) survivalRatio(a, k int) float64 {
	return math.Exp(m.logSurvival(k, a))
}

// logSurvivals returns ln S(x) for x = 0 … n−1 in time linear in n: term
// by term while β+x < 32, as logSurvival sums them, and beyond from the
// last of those by logSurvival's Euler–Maclaurin step.
func (m SBG) logSurvivals(n int) []float64 {
	ls := make([]float64, n)
	k := 0 // the first x with β+x ≥ 32, once reached
	for x := 1; x < n; x++ {
		if m.beta+float64(x-1) < 32 {
			ls[x] = ls[x-1] - math.Log1p(m.alpha/(m.beta+float64(x-1)))
			k = x
			continue
		}
		ls[x] = min(ls[k]+m.logSurvival(k, x), 0)
	}
	return ls
}

// logSurvival returns ln S(to) − ln S(from), 0 ≤ from ≤ to, the sum of
// the log-retentions
//
//	Σ_{k=from}^{to−1} g(k),  g(k) = ln((β+k)/(α+β+k)) = −log1p(α/(β+k))
//
// term by term while β+k < 32, and beyond by the Euler–Maclaurin formula
// with g's integral and its derivatives up to the fifth, whose remainder
// there is below 10⁻¹⁴. It is never positive. Its cost is bounded, and
// every step keeps its digits for any finite α, β > 0: the difference
// of mathext.Lbeta it replaces lost them, giving S(1) = 1 at α = 10²⁰,
// β = 1 (for β/(α+β) = 10⁻²⁰), NaN at α = MaxFloat64, and 1.0000002 at α
// = 10⁻⁸, β = 10⁸.
func (m SBG) logSurvival(from, to int) float64 {
	a, b := m.alpha, m.beta
	var ls float64
	k := from
	for ; k < to && b+float64(k) < 32; k++ {
		ls -= math.Log1p(a / (b + float64(k)))
	}
	if k < to {
		n := float64(to - k)
		u0, u1 := b+float64(k), b+float64(to)
		share := func(x, u float64) float64 { // x/(u+α), without overflow
			if s := u + a; !math.IsInf(s, 1) {
				return x / s
			}
			return (x / a) / (1 + u/a)
		}
		// g's integral from u0 to u1, with G(u) = u·ln u − (u+α)·ln(u+α)
		// = −u·log1p(α/u) − α·ln(u+α) taken apart so that nothing
		// cancels when n is small beside u:
		//
		//	G(u1) − G(u0) = u0·log1p(α·n/(u0·(u1+α))) − n·log1p(α/u1)
		//	              − α·log1p(n/(u0+α))
		y := share(a, u1) * (n / u0) // log1p(y) = g(u1) − g(u0)
		in := u0*math.Log1p(y) - n*math.Log1p(a/u1) - a*math.Log1p(share(n, u0))
		// g′, g‴ and g⁽⁵⁾ at u: 1/u − 1/(u+α), 2/u³ − 2/(u+α)³,
		// 24/u⁵ − 24/(u+α)⁵.
		d := func(u float64) (d1, d3, d5 float64) {
			x, z := 1/u, 1/(u+a)
			x2, z2 := x*x, z*z
			return x - z, 2 * (x*x2 - z*z2), 24 * (x*x2*x2 - z*z2*z2)
		}
		d1a, d3a, d5a := d(u0)
		d1b, d3b, d5b := d(u1)
		ls += in - math.Log1p(y)/2 + (d1b-d1a)/12 - (d3b-d3a)/720 + (d5b-d5a)/30240
	}
	return min(ls, 0)
}

// Retention returns r(t), the share of the customers active after t−1
// periods who renew for period t:
//
//	r(t) = (β+t−1)/(α+β+t−1)
//
// r(t) = 1 for t ≤ 0.
func (m SBG) Retention(t int) float64 {
	if !(m.alpha > 0) {
		return 0 // documented for the zero model
	}
	if t <= 0 {
		return 1
	}
	// t−1 in integers: β + t − 1 rounded β + 1 − 1 to 0 for β below
	// 10⁻¹⁶, and r(1) = β/(α+β) was 0/0.
	k := float64(t - 1)
	return (m.beta + k) / (m.alpha + m.beta + k)
}

// Lifetime returns the expected number of periods a new customer pays
// for, counting the first:
//
//	E[T] = Σ_{t≥0} S(t) = (α+β−1)/(α−1)
//
// It is finite only when α > 1; otherwise, or when it lies beyond
// float64's range (α just above 1 with a huge β), the error wraps
// ErrUnbounded and DERL gives a finite discounted lifetime instead.
func (m SBG) Lifetime() (float64, error) {
	if err := m.usable("cohort.SBG.Lifetime", "SBG"); err != nil {
		return 0, err
	}
	if m.alpha <= 1 {
		return 0, errs.Class("cohort.SBG.Lifetime", "alpha", m.alpha,
			"expected lifetime is infinite when α ≤ 1; use DERL with a discount rate", ErrUnbounded)
	}
	// 1 + β/(α−1), not (α+β−1)/(α−1), whose numerator overflowed to
	// +Inf at α = β = MaxFloat64 (for a lifetime of 2).
	v := 1 + m.beta/(m.alpha-1)
	if math.IsInf(v, 1) {
		return 0, errs.Class("cohort.SBG.Lifetime", "alpha", m.alpha,
			fmt.Sprintf("expected lifetime 1 + β/(α−1) with β = %g is beyond float64's range; use DERL with a discount rate", m.beta), ErrUnbounded)
	}
	return v, nil
}

// DERL returns the discounted expected residual lifetime of a customer
// who has renewed n−1 times, just before the n-th renewal: the expected
// number of further payments, each discounted at rate d per period, the
// first (due now, if the customer renews) undiscounted (Fader and Hardie
// 2010, "Customer-Base Valuation in a Contractual Setting", Marketing
// Science 29(1)):
//
//	DERL(d, n) = Σ_{t≥n} S(t)/S(n−1) · (1+d)^−(t−n)
//	           = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d))
//
// A new customer who has paid once and faces the first renewal has n = 1.
// Errors, wrapping kpi.ErrInvalid: n < 1; d not a finite number of at
// least MinDiscount. A ₂F₁ that does not converge to a finite number
// returns an error wrapping kpi.ErrUndefined.
func (m SBG) DERL(d float64, n int) (float64, error) {
	if err := m.usable("cohort.SBG.DERL", "SBG"); err != nil {
		return 0, err
	}
	const fn = "cohort.SBG.DERL"
	if n < 1 {
		return 0, errs.Invalid(fn, "n", n, "must be ≥ 1 (a customer who has renewed n−1 times)")
	}
	if err := checkDiscount(fn, d); err != nil {
		return 0, err
	}
	b := m.beta + float64(n)
	// b − 1 = β + (n−1) and α + b − 1 with the integer added last: for
	// n = 1 and α, β below 10⁻¹⁶, b − 1 rounded to 0 and the ratio was 0/0.
	bm1 := m.beta + float64(n-1)
	v := bm1 / ((m.alpha + m.beta) + float64(n-1)) * derlHyp(b, m.alpha+b, 1/(1+d))
	if !finite(v) {
		return 0, errs.Undefined(fn, "discount rate", d, fmt.Sprintf("₂F₁(1, %g; %g; 1/(1+d)) does not converge to a finite number", b, m.alpha+b))
	}
	return v, nil
}

// derlHyp returns ₂F₁(1, b; c; x) for 0 < x < 1 and c > b > 0 by
// Gauss's continued fraction for a ratio of contiguous functions, taken
// at ₂F₁(0, b; c−1; x) = 1 (Cuyt et al., Handbook of Continued Fractions
// for Special Functions, 2008, ch. 15):
//
//	₂F₁(1, b; c; x) = 1/(1 − k₁x/(1 − k₂x/(1 − k₃x/(1 − …))))
//	k₂ₙ₊₁ = (c−1+n)(b+n) / ((c−1+2n)(c+2n))
//	k₂ₙ   = n(c−1−b+n) / ((c−2+2n)(c−1+2n))
//
// evaluated forwards by the modified Lentz method until two steps in a
// row change it by less than 10⁻¹⁶ (with b ≫ 1 the even steps are each
// within 10⁻¹² of 1, and a single quiet step stopped too early). It
// converges for every x < 1, in about 13 000 steps at MinDiscount and a
// few dozen at d = 0.1. gonum's Hypergeo, used here before, never
// returned for integer c−b below 10 with b ≥ 10⁶ and x > 0.9 (its digamma
// expansion), and gave a wrong non-finite value for b = 1000; the
// positive series Σ (b)ₖ/(c)ₖ xᵏ needs about 39/(1−x) terms. NaN if a
// million steps do not settle it.
func derlHyp(b, c, x float64) float64 {
	const (
		tiny  = 1e-300
		steps = 1 << 20
	)
	f, cc, dd := 1.0, 1.0, 0.0
	quiet := 0
	for j := 1; j <= steps; j++ {
		var k float64
		if n := float64(j / 2); j == 1 {
			k = b / c // (c−1)·b / ((c−1)·c), without the 0/0 of c rounded to 1
		} else if j%2 == 1 {
			k = (c - 1 + n) * (b + n) / ((c - 1 + 2*n) * (c + 2*n))
		} else {
			k = n * (c - 1 - b + n) / ((c - 2 + 2*n) * (c - 1 + 2*n))
		}
		a := -k * x
		dd = 1 + a*dd
		if dd == 0 {
			dd = tiny
		}
		cc = 1 + a/cc
		if cc == 0 {
			cc = tiny
		}
		dd = 1 / dd
		delta := cc * dd
		f *= delta
		if math.Abs(delta-1) < 1e-16 {
			if quiet++; quiet == 2 {
				return 1 / f
			}
		} else {
			quiet = 0
		}
	}
	return math.NaN()
}

// MinDiscount is the smallest discount rate per period that DERL,
// ResidualValue and Table.Project accept, 10⁻⁶. DERL's ₂F₁ is evaluated at
// x = 1/(1+d), and x holds d's distance from 1 only to about 10⁻¹⁶/d
// relative: 10⁻¹⁰ at this bound, while d = 10⁻¹⁴ overflowed to +Inf and
// d = 10⁻¹⁶ rounded x to 1 and gave NaN. A rate this low (0.0001 % a
// period) is no discount in practice.
const MinDiscount = 1e-6

// checkDiscount checks a discount rate per period: finite, at least
// MinDiscount.
func checkDiscount(fn string, d float64) error {
	if !(d >= MinDiscount) || !finite(d) {
		return errs.Invalid(fn, "discount rate", d, "must be a finite number ≥ MinDiscount (1e-6)")
	}
	return nil
}

// ResidualValue returns the expected residual value of a customer who has
// renewed n−1 times and pays cash each period, discounted at rate d:
//
//	cash · DERL(d, n)
//
// rounded to 6 decimal places. Errors: those of DERL; a negative cash, or
// one beyond the library's bound on money (30 digits before the point, 18
// after), wraps kpi.ErrInvalid, as does a residual value beyond that bound
// (cash 10²⁹ for a DERL above 10), naming the cash.
func (m SBG) ResidualValue(cash decimal.Decimal, d float64, n int) (decimal.Decimal, error) {
	if err := m.usable("cohort.SBG.ResidualValue", "SBG"); err != nil {
		return decimal.Zero, err
	}
	if err := errs.Money("cohort.SBG.ResidualValue", "cash", cash); err != nil {
		return decimal.Zero, err
	}
	if cash.IsNegative() {
		return decimal.Zero, errs.Invalid("cohort.SBG.ResidualValue", "cash", cash, "negative")
	}
	derl, err := m.DERL(d, n)
	if err != nil {
		return decimal.Zero, err
	}
	v := scale(cash, derl)
	if err := bounded("cohort.SBG.ResidualValue", "cash", cash, "residual value", v); err != nil {
		return decimal.Zero, err
	}
	return v, nil
}

// LogLikelihood returns the log-likelihood of survivor counts under the
// model, summed over the series. Series i holds survivors[i][t], the
// customers of cohort i still active after t periods, t = 0 … nᵢ; its
// log-likelihood is
//
//	LL = Σ_{t=1..nᵢ} (s[t−1] − s[t])·ln P(T = t) + s[nᵢ]·ln S(nᵢ)
//
// the last term for the customers still active when the data end.
// Errors, wrapping kpi.ErrInvalid, name the series and period: an empty
// series, a negative count, a count above the one before it, first counts
// of the series that add up past 2⁶³ − 1.
func (m SBG) LogLikelihood(survivors ...[]int64) (float64, error) {
	if err := m.usable("cohort.SBG.LogLikelihood", "SBG"); err != nil {
		return 0, err
	}
	s, err := newSBGData("cohort.SBG.LogLikelihood", survivors, seriesArgs)
	if err != nil {
		return 0, err
	}
	return s.logLik([]float64{m.alpha, m.beta}, nil), nil
}

// FitSBG fits α and β by maximum likelihood to survivor counts of one or
// more cohorts, as described at LogLikelihood; cohorts may have been
// observed for different numbers of periods, and a cohort with a single
// count (observed at age 0 only) adds nothing. The search runs over
// (ln α, ln β) from the method-of-moments solution of the first two
// retention rates by gonum's BFGS (Nelder–Mead if its line search stalls),
// with the analytic gradient, and accepts only a point
// where the gradient vanishes and the likelihood is strictly concave.
//
// Errors: those of LogLikelihood; no series with at least three counts
// (two periods), wrapping kpi.ErrInvalid. Data for which the likelihood
// has no finite maximum, and a search that does not converge, give an
// error wrapping ErrNotConverged with the search's status: no customer
// lost (α runs to 0), or churn that does not fall with tenure, such as
// a constant rate (α and β run off together towards a geometric model
// with one churn rate for all, which the sBG reaches only in the limit;
// estimates beyond 10⁵ count as running off). The error names the
// parameter that runs off as NewSBG does, alpha or beta.
func FitSBG(survivors ...[]int64) (SBG, error) {
	m, _, err := fitSBG("cohort.FitSBG", survivors, seriesArgs)
	return m, err
}

// fitSBG is FitSBG for the function fn, its errors naming the counts by
// args; it returns the data it fitted as well.
func fitSBG(fn string, survivors [][]int64, args sbgArgs) (SBG, *sbgData, error) {
	s, err := newSBGData(fn, survivors, args)
	if err != nil {
		return SBG{}, nil, err
	}
	if len(s.lost) < 2 {
		return SBG{}, nil, errs.Invalid(fn, args.all(), fmt.Sprintf("%d periods", len(s.lost)), "fewer than two periods to fit")
	}
	var lost int64
	for _, v := range s.lost {
		lost += v
	}
	if lost == 0 {
		return SBG{}, nil, errs.Class(fn, "customers lost", lost, "retention is 1 and α runs to 0", ErrNotConverged)
	}
	p, err := mle.FitPositive(fn, sbgNames, s.logLik, s.start(), ErrNotConverged)
	if err != nil {
		return SBG{}, nil, err
	}
	return SBG{alpha: p[0], beta: p[1]}, s, nil
}

// sbgArgs says how errors name the survivor counts: as the arguments of
// the functions that take series (survivors[i][t]) or as the cells of a
// Table (Cohorts[i].Cells[t].Survivors).
type sbgArgs bool

const (
	seriesArgs sbgArgs = false
	tableArgs  sbgArgs = true
)

// all names the whole of the data.
func (a sbgArgs) all() string {
	if a == tableArgs {
		return "Cohorts"
	}
	return "survivors"
}

// length names the length of series i; i < 0 names the number of series.
func (a sbgArgs) length(i int) string {
	switch {
	case i < 0:
		return "len(" + a.all() + ")"
	case a == tableArgs:
		return fmt.Sprintf("len(Cohorts[%d].Cells)", i)
	}
	return fmt.Sprintf("len(survivors[%d])", i)
}

// count names the count at age t of series i.
func (a sbgArgs) count(i, t int) string {
	if a == tableArgs {
		return fmt.Sprintf("Cohorts[%d].Cells[%d].Survivors", i, t)
	}
	return fmt.Sprintf("survivors[%d][%d]", i, t)
}

// sbgNames are the sBG's parameters in the order the fit holds them.
var sbgNames = []string{"alpha", "beta"}

// sbgData is survivor data reduced to what the likelihood needs: lost[t−1]
// customers left in period t, alive[t] were still active when their
// series ended after t periods. n0, n1, n2 pool the first three counts
// for the starting point.
type sbgData struct {
	lost, alive []int64
	n           [3]int64 // Σ s[t] over series with at least three counts
}

func newSBGData(fn string, survivors [][]int64, args sbgArgs) (*sbgData, error) {
	if len(survivors) == 0 {
		return nil, errs.Invalid(fn, args.length(-1), 0, "no series")
	}
	d := &sbgData{}
	var total int64 // Σ s[0]: every pooled count is at most this
	for i, s := range survivors {
		if len(s) == 0 {
			return nil, errs.Invalid(fn, args.length(i), 0, "empty series")
		}
		if s[0] > math.MaxInt64-total {
			return nil, errs.Invalid(fn, args.count(i, 0), s[0],
				"the series' first counts add up past 2^63 − 1")
		}
		total += s[0]
		for t, v := range s {
			if v < 0 {
				return nil, errs.Invalid(fn, args.count(i, t), v, "negative count")
			}
			if t > 0 && v > s[t-1] {
				return nil, errs.Invalid(fn, args.count(i, t), v,
					fmt.Sprintf("exceeds %d active a period before: survivors cannot increase", s[t-1]))
			}
		}
		for len(d.lost) < len(s)-1 {
			d.lost = append(d.lost, 0)
		}
		for len(d.alive) < len(s) {
			d.alive = append(d.alive, 0)
		}
		for t := 1; t < len(s); t++ {
			d.lost[t-1] += s[t-1] - s[t]
		}
		d.alive[len(s)-1] += s[len(s)-1]
		if len(s) >= 3 {
			d.n[0] += s[0]
			d.n[1] += s[1]
			d.n[2] += s[2]
		}
	}
	return d, nil
}

// start returns a starting (α, β) from the pooled retention rates r1 and
// r2 of the first two periods: r1 = β/(α+β) and r2 = (β+1)/(α+β+1) give
//
//	α+β = (1−r2)/(r2−r1),  β = r1·(α+β)
//
// when 0 < r1 < r2 < 1, and (1, 1) otherwise.
func (d *sbgData) start() []float64 {
	if d.n[0] > 0 && d.n[1] > 0 {
		r1 := float64(d.n[1]) / float64(d.n[0])
		r2 := float64(d.n[2]) / float64(d.n[1])
		if 0 < r1 && r1 < r2 && r2 < 1 {
			s := min(max((1-r2)/(r2-r1), 0.02), 1e4)
			return []float64{max((1-r1)*s, 0.01), max(r1*s, 0.01)}
		}
	}
	return []float64{1, 1}
}

// logLik is the sBG log-likelihood at p = (α, β) and its gradient, built
// period by period from
//
//	ln S(t) = ln S(t−1) + ln(β+t−1) − ln(α+β+t−1)
//	ln P(T = t) = ln S(t−1) + ln α − ln(α+β+t−1)
func (d *sbgData) logLik(p, grad []float64) float64 {
	a, b := p[0], p[1]
	var ll, lsa, lsb, ga, gb, ls float64 // lsa, lsb: ∂ ln S(t−1)/∂α, ∂β
	for t := 1; t <= len(d.lost); t++ {
		// t−1 in integers, and ln(α+β+t−1) as a log of a sum: b + t − 1
		// rounded b + 1 − 1 to 0 for b below 10⁻¹⁶, and α+β overflowed at
		// MaxFloat64, each making the log-likelihood NaN or −Inf.
		bt := b + float64(t-1)
		ab := a + bt
		lab := max(math.Log(a), math.Log(bt)) + math.Log1p(min(a, bt)/max(a, bt))
		if n := float64(d.lost[t-1]); n > 0 {
			ll += n * (ls + math.Log(a) - lab)
			ga += n * (lsa + 1/a - 1/ab)
			gb += n * (lsb - 1/ab)
		}
		ls += math.Log(bt) - lab
		lsa -= 1 / ab
		lsb += 1/bt - 1/ab
		if n := float64(d.alive[t]); n > 0 {
			ll += n * ls
			ga += n * lsa
			gb += n * lsb
		}
	}
	if grad != nil {
		grad[0], grad[1] = ga, gb
	}
	return ll
}
