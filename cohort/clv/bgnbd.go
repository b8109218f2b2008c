package clv

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mathext"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/mle"
)

// BGNBD is the beta-geometric/negative-binomial model of purchases by
// customers with no contract (Fader, Hardie and Lee 2005, "Counting Your
// Customers the Easy Way", Marketing Science 24(2)). While alive, a
// customer buys at a rate λ of their own (a Poisson process); after each
// purchase they drop out for good with a probability p of their own.
// Across customers λ is Gamma(r, α) (shape r, rate α) and p is Beta(a, b).
// The likelihood of a history (x, t_x, T) is
//
//	L = B(a, b+x)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+T)^(r+x))
//	  + [x > 0] · B(a+1, b+x−1)/B(a, b) · Γ(r+x)αʳ / (Γ(r)(α+t_x)^(r+x))
//
// Times are in the unit of the histories; α is in that unit too. A BGNBD
// is an immutable value made by NewBGNBD or FitBGNBD; the zero BGNBD is
// not a model: its parameter methods return 0 and its other methods an
// error wrapping kpi.ErrInvalid that says to use NewBGNBD or FitBGNBD.
type BGNBD struct {
	r, alpha, a, b float64
}

// MaxParameter is the largest value NewBGNBD and NewGammaGamma accept for
// a shape parameter (r, a and b; p and q), 10¹⁰⁰: far above the fits of real data (Fader, Hardie and
// Lee's CDNOW sample gives r = 0.243, α = 4.41, a = 0.793, b = 2.43 and
// p = 6.25, q = 3.74, γ = 15.4; γ scales with the money, at most 10³⁰,
// and α with the unit of time), and far enough below float64's range that
// the likelihoods stay finite: at 10³⁰⁵ a + b overflowed, and p·x for p =
// 10³⁰⁰ and x = 2⁴⁰ too, and the log-likelihood was NaN. The scales α and
// γ only add to an age or a value's sum and may be any finite number > 0.
const MaxParameter = 1e100

// checkParameter checks a parameter of a model: a finite number > 0, and
// at most MaxParameter for a shape.
func checkParameter(fn, name string, v float64, shape bool) error {
	switch {
	case !(v > 0) || !finite(v):
		return errs.Invalid(fn, name, v, "must be a finite number > 0")
	case shape && v > MaxParameter:
		return errs.Invalid(fn, name, v, "above MaxParameter (1e100)")
	}
	return nil
}

// fitted checks the parameters a fit found (named by names, shapes where
// shape holds) as checkParameter does, so that no fit returns a model
// NewBGNBD or NewGammaGamma would refuse: beyond MaxParameter the
// likelihood has no finite maximum the search can trust, and the error
// wraps ErrNotConverged.
func fitted(fn string, names []string, shape []bool, p []float64) error {
	for i, v := range p {
		if !(v > 0) || !finite(v) || (shape[i] && v > MaxParameter) {
			return errs.Class(fn, names[i], v, "the estimate runs off beyond MaxParameter (1e100)", ErrNotConverged)
		}
	}
	return nil
}

// NewBGNBD returns the BG/NBD model with parameters r, α, a and b.
// Errors, wrapping kpi.ErrInvalid: a parameter that is not a finite
// number > 0, a shape r, a or b above MaxParameter (10¹⁰⁰).
func NewBGNBD(r, alpha, a, b float64) (BGNBD, error) {
	const fn = "clv.NewBGNBD"
	for _, p := range []struct {
		name string
		v    float64
	}{{"r", r}, {"alpha", alpha}, {"a", a}, {"b", b}} {
		if err := checkParameter(fn, p.name, p.v, p.name != "alpha"); err != nil {
			return BGNBD{}, err
		}
	}
	return BGNBD{r: r, alpha: alpha, a: a, b: b}, nil
}

// R returns r, the shape of the purchase rates' gamma distribution.
func (m BGNBD) R() float64 { return m.r }

// Alpha returns α, the rate of the purchase rates' gamma distribution.
func (m BGNBD) Alpha() float64 { return m.alpha }

// A returns a, the first shape of the dropout probabilities' beta
// distribution.
func (m BGNBD) A() float64 { return m.a }

// B returns b, the second shape of the dropout probabilities' beta
// distribution.
func (m BGNBD) B() float64 { return m.b }

// usable returns nil for a model made by a constructor or a fit, and
// the error of fn for the zero BGNBD, which is not a model.
func (m BGNBD) usable(fn, arg string) error {
	if m.r > 0 {
		return nil
	}
	return errs.Zero(fn, arg, "clv.NewBGNBD or clv.FitBGNBD")
}

// String formats the model as "BG/NBD(r=0.243, α=4.414, a=0.793, b=2.426)":
// each parameter with 3 places when it lies in [0.001, 10⁶), and with 4
// significant digits otherwise (b=0.0001, α=1e+100), so that a positive
// parameter never reads as 0.000 and MaxParameter is 6 characters, not
// 105.
func (m BGNBD) String() string {
	return "BG/NBD(r=" + shape(m.r, 3) + ", α=" + shape(m.alpha, 3) + ", a=" + shape(m.a, 3) + ", b=" + shape(m.b, 3) + ")"
}

// shape formats a positive parameter v with places places when it lies
// in [10^−places, 10⁶), and with places+1 significant digits otherwise.
func shape(v float64, places int) string {
	if v >= math.Pow10(-places) && v < 1e6 {
		return strconv.FormatFloat(v, 'f', places, 64)
	}
	return strconv.FormatFloat(v, 'g', places+1, 64)
}

// LogLikelihood returns the log-likelihood of the customers' histories
// under the model, the sum of ln L over them (see BGNBD). It is computed
// in log space and stays finite for histories with thousands of
// purchases. Errors, wrapping kpi.ErrInvalid: no customers, an invalid
// History (named by customer).
func (m BGNBD) LogLikelihood(customers []RFM) (float64, error) {
	if err := m.usable("clv.BGNBD.LogLikelihood", "BGNBD"); err != nil {
		return 0, err
	}
	d, err := newBGData("clv.BGNBD.LogLikelihood", customers)
	if err != nil {
		return 0, err
	}
	return d.logLik([]float64{m.r, m.alpha, m.a, m.b}, nil), nil
}

// FitBGNBD fits r, α, a and b by maximum likelihood to the customers'
// calibration histories. Identical histories are grouped first, so the
// cost of each step of the search grows with the number of distinct
// (x, t_x, T), not with the number of customers. The search runs over the
// parameters' logarithms by gonum's BFGS (Nelder–Mead if its line search
// stalls) with the analytic gradient, and accepts only a point where the
// gradient vanishes and the likelihood is strictly concave.
//
// Errors: those of LogLikelihood. Data for which the likelihood has no
// finite maximum, and a search that does not converge, give an error
// wrapping ErrNotConverged with the search's status: no customer with a
// repeat purchase (r runs to 0), or histories so regular that the
// parameters run off beyond 10⁵; the error names the parameter that runs
// off as NewBGNBD does (r, alpha, a or b).
func FitBGNBD(customers []RFM) (BGNBD, error) {
	const fn = "clv.FitBGNBD"
	d, err := newBGData(fn, customers)
	if err != nil {
		return BGNBD{}, err
	}
	return fitBG(fn, d)
}

// fitBG is FitBGNBD on grouped histories.
func fitBG(fn string, d *bgData) (BGNBD, error) {
	if d.repeat == 0 {
		return BGNBD{}, errs.Class(fn, "repeat purchases", d.repeat,
			"no customer bought twice: r runs to 0", ErrNotConverged)
	}
	p, err := mle.FitPositive(fn, bgNames, d.logLik, d.start(), ErrNotConverged)
	if err != nil {
		return BGNBD{}, err
	}
	if err := fitted(fn, bgNames, []bool{true, false, true, true}, p); err != nil {
		return BGNBD{}, err
	}
	return BGNBD{r: p[0], alpha: p[1], a: p[2], b: p[3]}, nil
}

// bgGroup is a distinct history: ix indexes bgData.xs, n counts the
// customers who share it.
type bgGroup struct {
	ix    int32
	tx, t float64
	n     float64
}

// bgData is histories grouped for the likelihood, with scratch space for
// the terms that depend on x alone.
type bgData struct {
	xs     []float64 // distinct frequencies
	groups []bgGroup
	total  float64 // customers
	repeat float64 // Σ x
	sumT   float64 // Σ T
	// per distinct x, refreshed at each evaluation
	c, dr, da, db, la, dbl []float64
}

func newBGData(fn string, customers []RFM) (*bgData, error) {
	if len(customers) == 0 {
		return nil, errs.Invalid(fn, "len(customers)", 0, "no customers")
	}
	d := &bgData{}
	xi := map[int64]int32{}
	gi := make(map[History]int32, len(customers)/4)
	for i := range customers {
		h := customers[i].History
		if err := checkCustomer(fn, customers, i); err != nil {
			return nil, err
		}
		if g, ok := gi[h]; ok {
			d.groups[g].n++
		} else {
			ix, ok := xi[h.Frequency]
			if !ok {
				ix = int32(len(d.xs))
				xi[h.Frequency] = ix
				d.xs = append(d.xs, float64(h.Frequency))
			}
			gi[h] = int32(len(d.groups))
			d.groups = append(d.groups, bgGroup{ix: ix, tx: h.Recency, t: h.Age, n: 1})
		}
		d.total++
		d.repeat += float64(h.Frequency)
		d.sumT += h.Age
	}
	n := len(d.xs)
	buf := make([]float64, 6*n)
	d.c, d.dr, d.da, d.db, d.la, d.dbl = buf[:n], buf[n:2*n], buf[2*n:3*n], buf[3*n:4*n], buf[4*n:5*n], buf[5*n:]
	return d, nil
}

// logSum returns ln(u+v) for u, v ≥ 0, taken apart only where the sum
// overflows: α + T overflowed
// to +Inf for an age near MaxFloat64, and the log-likelihood was −Inf.
func logSum(u, v float64) float64 {
	if s := u + v; !math.IsInf(s, 1) {
		return math.Log(s)
	}
	hi, lo := max(u, v), min(u, v)
	return math.Log(hi) + math.Log1p(lo/hi)
}

// customerArg names customer i for an error: by ID when it has one.
func customerArg(customers []RFM, i int) string {
	if id := customers[i].CustomerID; id != "" {
		return fmt.Sprintf("customer %q", id)
	}
	return fmt.Sprintf("customers[%d]", i)
}

// start returns a starting point: r = 1, a = 1, b = 1 and α matching the
// mean purchase rate, r/α = Σx / ΣT.
func (d *bgData) start() []float64 {
	alpha := 1.0
	if d.sumT > 0 {
		alpha = min(max(d.sumT/d.repeat, 1e-3), 1e4)
	}
	return []float64{1, alpha, 1, 1}
}

func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// logLik is the BG/NBD log-likelihood at p = (r, α, a, b) and its
// gradient. Each history contributes
//
//	ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
//	     + ln(e^A₃ + [x > 0] e^A₄)
//	A₃ = −(r+x) ln(α+T)
//	A₄ = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
//
// using B(a+1, b+x−1) = B(a, b+x)·a/(b+x−1); the last term is a
// log-sum-exp, so no power overflows.
func (d *bgData) logLik(p, grad []float64) float64 {
	r, al, a, b := p[0], p[1], p[2], p[3]
	lgR, lgB, lgAB := lgamma(r), lgamma(b), lgamma(a+b)
	psR, psB, psAB := mathext.Digamma(r), mathext.Digamma(b), mathext.Digamma(a+b)
	la := math.Log(a)
	for i, x := range d.xs {
		d.c[i] = lgamma(r+x) - lgR + lgAB + lgamma(b+x) - lgB - lgamma(a+b+x)
		if grad != nil {
			psABX := mathext.Digamma(a + b + x)
			d.dr[i] = mathext.Digamma(r+x) - psR
			d.da[i] = psAB - psABX
			d.db[i] = psAB + mathext.Digamma(b+x) - psB - psABX
		}
		if x > 0 {
			// b + (x−1): b + x − 1 rounded b + 1 − 1 to 0 for b below
			// 10⁻¹⁶, and the log-likelihood of a customer with one repeat
			// purchase was +Inf.
			d.la[i] = la - math.Log(b+(x-1))
			d.dbl[i] = -1 / (b + (x - 1))
		}
	}
	lal := math.Log(al)
	ll := d.total * r * lal
	gr, gal, ga, gb := d.total*lal, d.total*r/al, 0.0, 0.0
	for _, g := range d.groups {
		x := d.xs[g.ix]
		rx := r + x
		lT := logSum(al, g.t)
		a3 := -rx * lT
		s, w4, lt := a3, 0.0, 0.0
		if x > 0 {
			lt = logSum(al, g.tx)
			a4 := d.la[g.ix] - rx*lt
			if a4 > a3 {
				e := math.Exp(a3 - a4)
				s = a4 + math.Log1p(e)
				w4 = 1 / (1 + e)
			} else {
				e := math.Exp(a4 - a3)
				s = a3 + math.Log1p(e)
				w4 = e / (1 + e)
			}
		}
		ll += g.n * (d.c[g.ix] + s)
		if grad != nil {
			w3 := 1 - w4
			gr += g.n * (d.dr[g.ix] - w3*lT - w4*lt)
			dal := w3 / (al + g.t)
			if w4 > 0 {
				dal += w4 / (al + g.tx)
			}
			gal -= g.n * rx * dal
			ga += g.n * (d.da[g.ix] + w4/a)
			gb += g.n * (d.db[g.ix] + w4*d.dbl[g.ix])
		}
	}
	if grad != nil {
		grad[0], grad[1], grad[2], grad[3] = gr, gal, ga, gb
	}
	return ll
}
