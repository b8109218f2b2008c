package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"

	"github.com/kpiflow/kpi/internal/errs"
)

// ExpectedPurchases returns the expected number of purchases of a new
// customer in the t units of time after the first purchase:
//
//	E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))ʳ · ₂F₁(r, b; a+b−1; t/(α+t))]
//
// (Fader, Hardie and Lee 2005, equation 9), computed as described at
// ConditionalPurchases. E[X(0)] = 0.
//
// Errors: t not a finite number ≥ 0 wraps kpi.ErrInvalid; a
// hypergeometric function that overflows or loses its digits wraps
// kpi.ErrUndefined.
func (m BGNBD) ExpectedPurchases(t float64) (float64, error) {
	if err := m.usable("clv.BGNBD.ExpectedPurchases", "BGNBD"); err != nil {
		return 0, err
	}
	const fn = "clv.BGNBD.ExpectedPurchases"
	if !(t >= 0) || !finite(t) {
		return 0, errs.Invalid(fn, "t", t, "must be a finite number ≥ 0")
	}
	return m.grow(fn, 0, m.alpha, t)
}

// ConditionalPurchases returns the expected number of purchases in the
// next t units of time of a customer with history h = (x, t_x, T):
//
//	E[Y(t) | x, t_x, T] = G · P(alive | x, t_x, T)
//	G = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
//	                          · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
//
// (Fader, Hardie and Lee 2005, equation 10). With z = t/(α+T+t) and
// c = a+b+x−1, the power and the hypergeometric function are computed
// together: directly, a series of positive terms, where the ₂F₁ does not
// overflow, and otherwise through Euler's transformation
//
//	(1−z)^(r+x) · ₂F₁(r+x, b+x; c; z) = (1−z)^(a−1) · ₂F₁(c−r−x, a−1; c; z)
//
// whose series converges quickly however large x is. For a short horizon,
// max(1, (r+x+1)/2)·t/(α+T) ≤ ¾, neither is used: Pfaff's transformation
// turns G into an alternating series in t/(α+T) with the removable
// singularities divided out (see growNear), accurate to 10⁻¹⁴ relative
// however small t is. A G outside
//
//	0 ≤ G ≤ (r+x)·t/(α+T)
//
// (the purchases of a customer who never left) marks a series that lost
// its digits, and the other form is used. At a = 1 and at c = 0 the
// formula is a removable 0/0: within 10⁻³ of those points G is
// interpolated by a cubic through points on either side. Checked against mpmath over
// parameters from 10⁻⁶ to 200, x up to 3,000 and t up to 10⁴, the values
// agree to 10⁻⁹ relative or better, mostly to 10⁻¹¹. For x = 0 with
// a + b below 10⁻⁵, where c lies next to the pole of ₂F₁ at c = −1, the
// pole is divided out of the direct series (see growPole), to 10⁻¹²
// however small a and b are, for t up to about 2500·(α+T); beyond, such a
// G is the hypergeometric function's (within 10⁻⁷) for a + b ≥ 2·10⁻⁶ and
// an ErrUndefined below. The
// hypergeometric function is gonum's mathext.Hypergeo, kept away from a
// case in which it never returns (c−a−b an integer with z > 0.9).
//
// Errors: an invalid h or t not a finite number ≥ 0 wrap kpi.ErrInvalid;
// a hypergeometric function that overflows or loses its digits wraps
// kpi.ErrUndefined.
func (m BGNBD) ConditionalPurchases(h History, t float64) (float64, error) {
	if err := m.usable("clv.BGNBD.ConditionalPurchases", "BGNBD"); err != nil {
		return 0, err
	}
	const fn = "clv.BGNBD.ConditionalPurchases"
	if err := h.check(fn, "history"); err != nil {
		return 0, err
	}
	if !(t >= 0) || !finite(t) {
		return 0, errs.Invalid(fn, "t", t, "must be a finite number ≥ 0")
	}
	g, err := m.grow(fn, float64(h.Frequency), m.alpha+h.Age, t)
	if err != nil {
		return 0, err
	}
	return g * m.alive(h), nil
}

// Alive returns the probability that a customer with history h has not
// dropped out by the end of calibration:
//
//	P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x))
//
// so a customer with no repeat purchase is alive for sure (in the BG/NBD
// customers drop out only just after a purchase). The power is taken in
// log space: for histories whose last purchase lies far back it
// underflows the probability to 0, never to NaN. Errors, wrapping
// kpi.ErrInvalid: an invalid h.
func (m BGNBD) Alive(h History) (float64, error) {
	if err := m.usable("clv.BGNBD.Alive", "BGNBD"); err != nil {
		return 0, err
	}
	if err := h.check("clv.BGNBD.Alive", "history"); err != nil {
		return 0, err
	}
	return m.alive(h), nil
}

func (m BGNBD) alive(h History) float64 {
	if h.Frequency == 0 {
		return 1
	}
	x := float64(h.Frequency)
	l := math.Log(m.a) - math.Log(m.b+(x-1)) + (m.r+x)*math.Log1p((h.Age-h.Recency)/(m.alpha+h.Recency)) // b + (x−1), as in the likelihood
	return 1 / (1 + math.Exp(l))
}

// removable is the distance from a removable singularity of G within
// which G is interpolated.
const removable = 1e-3

// grow returns G of ConditionalPurchases for x repeat purchases, α+T = s
// and a horizon of t. Within 10⁻³ of the removable singularity at a = 1 it
// interpolates by a cubic through a = 1 ± 10⁻³ and 1 ± 2·10⁻³: the
// cubic's error is O(10⁻¹²), and the 0/0 at those points costs only 3 of
// the 16 digits (closer points would lose more than they gain).
func (m BGNBD) grow(fn string, x, s, t float64) (float64, error) {
	if t == 0 {
		return 0, nil
	}
	if g, ok := m.growNear(x, t/s); ok {
		return g, nil
	}
	if x == 0 && m.a+m.b < poleSum {
		return m.growPole(fn, s, t)
	}
	if math.Abs(m.a-1) >= removable {
		return m.growC(fn, x, s, t)
	}
	var as, gs [4]float64
	for i, k := range [4]float64{-2, -1, 1, 2} {
		o := m
		o.a = 1 + k*removable
		g, err := o.growC(fn, x, s, t)
		if err != nil {
			return 0, err
		}
		as[i], gs[i] = o.a, g
	}
	return lagrange(&as, &gs, m.a), nil
}

// growC is grow with a away from 1. Within 10⁻³ of the removable
// singularity at c = a+b+x−1 = 0 it interpolates likewise by moving b, to
// c = ±10⁻³ and ±2·10⁻³ where b stays positive there, and otherwise
// extrapolates from b + k·10⁻³, k = 2 … 5, where c lies beyond 10⁻³.
func (m BGNBD) growC(fn string, x, s, t float64) (float64, error) {
	c := m.a + m.b + x - 1
	if math.Abs(c) >= removable {
		return m.growAt(fn, x, s, t)
	}
	steps := [4]float64{-2, -1, 1, 2}
	base := 1 - m.a - x // the b at which c = 0
	if base-2*removable <= 0 {
		steps, base = [4]float64{2, 3, 4, 5}, m.b
	}
	var bs, gs [4]float64
	for i, k := range steps {
		o := m
		o.b = base + k*removable
		g, err := o.growAt(fn, x, s, t)
		if err != nil {
			return 0, err
		}
		bs[i], gs[i] = o.b, g
	}
	return lagrange(&bs, &gs, m.b), nil
}

// growNear returns G for a short horizon, u = t/(α+T), and false when u
// is too long for it. Pfaff's transformation, with c − (b+x) = a−1, gives
//
//	((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; c; z) = ₂F₁(r+x, a−1; c; −u)
//
// and since (a−1)ₙ/(a−1) = (a)ₙ₋₁ and (c)ₙ = c·(c+1)ₙ₋₁ both removable
// singularities cancel analytically:
//
//	G = Σₙ≥₁ (−1)ⁿ⁺¹ · (r+x)ₙ (a)ₙ₋₁ / ((c+1)ₙ₋₁ n!) · uⁿ
//
// an alternating series whose first term is the bound (r+x)·u. Its
// successive terms shrink by the factor (r+x+n)(a+n−1)/((c+n)(n+1))·u,
// which is at most ρ = max(1, (r+x+1)/2)·u since b > 0 (and c > −1).
// Where ρ ≤ ¾ the terms fall in magnitude, the sum lies within
// [T₁/4, T₁], rounding costs at most ~50 ulps relative and ~140 terms
// suffice. Unlike the direct form's 1 − (1−z)^(r+x)·₂F₁, which cancels
// when (r+x)·z is small (and again at a ≈ 1 through the interpolation),
// it is accurate however small t is.
func (m BGNBD) growNear(x, u float64) (float64, bool) {
	rx := m.r + x
	if !(max(1, (rx+1)/2)*u <= 0.75) {
		return 0, false
	}
	ab := m.a + m.b
	term := rx * u
	g := term
	for n := 1.0; n < 200; n++ {
		// a + (n−1) and c + n = (a+b) + (x+n−1), the integers summed
		// first: a + n − 1 rounded a below 10⁻¹⁶ away at n = 1, and for
		// x = 0 the 1 of c = a+b−1 swallowed a + b and left c + 1 = 0.
		term *= -(rx + n) * (m.a + (n - 1)) / ((ab + (x + (n - 1))) * (n + 1)) * u
		g += term
		if math.Abs(term) <= 1e-17*g {
			break
		}
	}
	return g, true
}

// poleSum is the a + b below which G for x = 0 is summed by growPole:
// there c = a+b−1 lies within a + b of the pole of ₂F₁ at c = −1, and
// gonum's Hypergeo, given c rounded, loses about 5·10⁻¹⁷/(a+b) of G
// relative (2·10⁻⁵ at a = b = 10⁻¹², all of it at 10⁻¹⁵); at 10⁻⁵ it
// loses 10⁻¹¹. No fit reaches it: FitBGNBD's a and b are each above
// e^−11.5 ≈ 1.01·10⁻⁵.
const poleSum = 1e-5

// maxPoleTerms bounds growPole's series, whose terms fall by about z per
// term, so that it needs about 40/(1−z) = 40·(1 + t/(α+T)) of them:
// 10⁵ terms reach 10⁻¹⁷ for t up to about 2500·(α+T). growPole does not
// start a series it expects to be longer.
const maxPoleTerms = 100_000

// poleFallback is the a + b from which G is still taken from the
// hypergeometric function when growPole's series would be too long; it
// loses up to about 10⁻⁷ of G there, the most of the parameters the
// doc's accuracy covers (10⁻⁶ each).
const poleFallback = 2e-6

// growPole returns G for x = 0 and a + b = δ < poleSum, with s = α+T, by
// the direct form with the pole at c = δ−1 → −1 divided out. Since
// (c)ₙ = c·δ·(δ+1)ₙ₋₂ and (b)ₙ = b·(b+1)ₙ₋₁ for n ≥ 2,
//
//	₂F₁(r, b; c; z) = 1 + r·b·z/c + b/(c·δ) · S,
//	S = Σₙ≥₂ (r)ₙ (b+1)ₙ₋₁ zⁿ / ((δ+1)ₙ₋₂ n!)
//
// a series of positive terms with ratio (r+n)(b+n)/((δ+n−1)(n+1))·z, and
// b/δ < 1 however small a and b are. With c < 0 and a < 1 every part of
//
//	G = c/(a−1) · [−expm1(r·ln(1−z)) − (1−z)ʳ·r·b·z/c − (1−z)ʳ·b/(c·δ)·S]
//
// is ≥ 0, so nothing cancels. A series longer than maxPoleTerms (t above
// about 2500·(α+T)) hands over to the hypergeometric function when
// a + b ≥ poleFallback; below, and for a sum that overflows, the error
// wraps kpi.ErrUndefined.
func (m BGNBD) growPole(fn string, s, t float64) (float64, error) {
	d := m.a + m.b
	c := d - 1
	z := t / (s + t)
	l1z := -math.Log1p(t / s) // ln(1−z)
	term := m.r * (m.r + 1) * (m.b + 1) * z * z / 2
	sum := term
	converged := term == 0
	if 40*(1+t/s) > maxPoleTerms {
		converged, term = false, math.Inf(1) // too long: do not start
	}
	for n := 2.0; n < maxPoleTerms && !converged && finite(term); n++ {
		term *= (m.r + n) * (m.b + n) / ((d + (n - 1)) * (n + 1)) * z
		sum += term
		converged = term <= 1e-17*sum
	}
	pw := math.Exp(m.r * l1z)
	g := c / (m.a - 1) * (-math.Expm1(m.r*l1z) - pw*m.r*m.b*z/c - pw*(m.b/d)/c*sum)
	if !converged && d >= poleFallback {
		return m.growC(fn, 0, s, t)
	}
	if !converged || !finite(g) {
		return 0, errs.Undefined(fn, "t", t, "the hypergeometric function overflows or loses its digits for this history and horizon")
	}
	return g, nil
}

// lagrange returns the value at x of the cubic through (xs[i], ys[i]).
func lagrange(xs, ys *[4]float64, x float64) float64 {
	var v float64
	for i := range xs {
		w := ys[i]
		for j := range xs {
			if j != i {
				w *= (x - xs[j]) / (xs[i] - xs[j])
			}
		}
		v += w
	}
	return v
}

// growAt evaluates G away from its removable singularities. It tries
// the direct form first, a series of positive terms when c > 0, and falls
// back on Euler's form when the direct one overflows (many purchases, a
// far horizon). Either result must lie within the bounds
//
//	0 ≤ G ≤ (r+x)·t/(α+T)
//
// (a customer who never left would buy (r+x)/(α+T) per unit of time on
// average); a value outside them is the mark of a series that lost its
// digits, and the other form is tried.
func (m BGNBD) growAt(fn string, x, s, t float64) (float64, error) {
	z := t / (s + t)
	l1z := -math.Log1p(t / s) // ln(1−z)
	c := m.a + m.b + x - 1
	bound := (m.r + x) * t / s
	ok := func(g float64) bool { return g >= -1e-9*bound && g <= bound*(1+1e-9) }
	g := c / (m.a - 1) * (1 - math.Exp((m.r+x)*l1z)*hyp2f1(m.r+x, m.b+x, c, z))
	if !ok(g) {
		g = c / (m.a - 1) * (1 - math.Exp((m.a-1)*l1z)*hyp2f1(c-m.r-x, m.a-1, c, z))
	}
	if !ok(g) {
		return 0, errs.Undefined(fn, "t", t, "the hypergeometric function overflows or loses its digits for this history and horizon")
	}
	return min(max(g, 0), bound), nil
}

// maxRecurrence bounds the steps of the recurrence on c that Cephes runs
// when c−a−b < 0 (about |c−a−b| steps, each a few flops).
const maxRecurrence = 1e4

// hyp2f1 is gonum's mathext.Hypergeo for 0 ≤ z < 1, stepping around the
// case it cannot compute. For z > 0.9 with c−a−b an integer, its Cephes
// core takes a digamma expansion whose terms overflow when c−a−b is above
// about 170 or a and b are large against 1/√(1−z), and the expansion then
// never meets its stopping test: gonum v0.17.0 loops forever. There F is
// taken instead from F at a ± h and a ± 2h, h = 10⁻⁵, where c−a−b is not
// an integer, by Richardson's extrapolation of the central means
//
//	F ≈ (4·m(h) − m(2h))/3,  m(h) = (F(a−h) + F(a+h))/2
//
// which is exact to O(h⁴) (F is an entire function of a). The integer
// case's two cancelling terms cost about 5 of the 16 digits. NaN when a is
// so large that a ± h rounds to (nearly) a.
//
// NaN, too, when c−a−b < −maxRecurrence: there Cephes makes c−a−b
// positive by a recurrence on c of about |c−a−b| steps, 10¹² steps for a
// frequency of 2⁴⁰ (a hang), and past 2⁶³ its step count overflows int
// and the recurrence is skipped, leaving a wrong value. growAt's other
// Euler form has c−a−b > 0 there.
func hyp2f1(a, b, c, z float64) float64 {
	d := c - a - b
	if d < -maxRecurrence {
		return math.NaN()
	}
	if !(z > 0.9) || math.Abs(d-math.Round(d)) >= 1e-9 {
		return mathext.Hypergeo(a, b, c, z)
	}
	const h = 1e-5
	for _, s := range [...]float64{-2 * h, -h, h, 2 * h} {
		if e := c - (a + s) - b; math.Abs(e-math.Round(e)) < 1e-12 {
			return math.NaN() // a ± h rounds too near to a
		}
	}
	m1 := (mathext.Hypergeo(a-h, b, c, z) + mathext.Hypergeo(a+h, b, c, z)) / 2
	m2 := (mathext.Hypergeo(a-2*h, b, c, z) + mathext.Hypergeo(a+2*h, b, c, z)) / 2
	return (4*m1 - m2) / 3
}
