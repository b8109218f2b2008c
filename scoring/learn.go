package scoring

import (
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/kpiflow/kpi/internal/errs"
)

// Outcome is a lead with what became of it: whether it converted (became
// an opportunity or a deal), and the time to score it at — when the
// decision to hand it to sales was, or would have been, made.
type Outcome struct {
	Lead      Lead      `json:"lead"`
	At        time.Time `json:"at"`
	Converted bool      `json:"converted"`
}

// RuleFit is what a fit learned about one rule.
type RuleFit struct {
	ID    string `json:"id"`
	Fired int64  `json:"fired"` // training leads on which the rule fired

	// Coef is the rule's coefficient: the change in the log-odds of
	// converting when the rule fires, the other rules held fixed; SE is
	// its standard error.
	Coef float64 `json:"coef"`
	SE   float64 `json:"se"`

	Points    float64 `json:"points"`    // the rule's points in the model
	Suggested float64 `json:"suggested"` // Coef scaled to the model's range (see Learn)
}

// Fit is a logistic regression of leads' outcomes on which rules fired,
// made by Learn; the zero Fit is not usable.
type Fit struct {
	Rules       []RuleFit `json:"rules"`     // in the order of Scorer.RuleIDs
	Intercept   float64   `json:"intercept"` // log-odds of converting when no rule fires
	InterceptSE float64   `json:"interceptSE"`
	Lambda      float64   `json:"lambda"` // the L2 penalty
	Leads       int64     `json:"leads"`  // training leads, and how many converted
	Converted   int64     `json:"converted"`

	scorer *Scorer
	cov    *mat.SymDense // of b₀, b₁, …, b_p: the inverse Hessian of n·L
}

// fitMaxIter bounds the optimiser's iterations; fitGradTol is the
// gradient norm of the mean loss that counts as converged.
const (
	fitMaxIter = 10000
	fitGradTol = 1e-9
)

// Learn learns how much each rule of a model predicts conversion: it
// scores the training leads with s, takes the firing of each rule as a
// 0/1 feature x_j (Result.Fired), and fits the logistic regression
//
//	P(converted) = 1 / (1 + exp(−(b₀ + Σ_j b_j·x_j)))
//
// by minimising the mean negative log-likelihood with an L2 penalty on the
// rule coefficients (not on b₀),
//
//	L(b) = (1/n) Σ_i [log(1 + e^{η_i}) − y_i·η_i] + (λ/2) Σ_j b_j²
//
// with gonum's L-BFGS until the gradient norm is below 1e-9. Leads with
// the same rules fired are pooled, so the cost grows with the number of
// distinct firing patterns, not of leads. λ = 0 is plain maximum
// likelihood and agrees with R's glm(family = binomial); a small λ such as
// 1e-3 keeps coefficients finite when a rule (nearly) decides the outcome.
//
// Standard errors are the square roots of the diagonal of the inverse of
// the Hessian of n·L at the fit,
//
//	H = Σ_i p_i(1 − p_i)·x_i x_iᵀ + n·λ·I   (no penalty on b₀)
//
// which for λ = 0 are glm's. Suggested points rescale the coefficients so
// that their absolute values add up to the model's range, the sum of the
// absolute points of its rules (100 when that is 0):
//
//	suggested_j = b_j · Σ_k |points_k| / Σ_k |b_k|
//
// so that a rule worth twice the log-odds gets twice the points; the
// signs say which rules should add and which subtract. They are not
// rounded. Decay, caps and group limits are not part of the fit: a rule
// counts as fired or not.
//
// λ is at most 10⁶ (maxLambda): at 10⁶ each coefficient is already held
// to about 10⁻⁶ of its unpenalised size, and past about 10¹⁰ the penalty's
// curvature outruns float64 (the optimiser stalls and the Hessian cannot be
// inverted), which once made λ = 10⁵⁰ fail as "not positive definite" and
// MaxFloat64 ask for "a larger λ".
//
// A nil train adds no leads. Learn returns an error wrapping kpi.ErrInvalid
// when s is nil, λ is negative, NaN or above 10⁶, there are no leads, a lead's
// At lies outside the years kpi.MinYear to kpi.MaxYear, a rule fires on every
// training lead or on none (it is then constant, like b₀), two rules fire
// on exactly the same leads, or the rules are otherwise linearly dependent
// (one fires exactly when others do); the error names the rules. It
// returns one wrapping kpi.ErrUndefined when all leads have the same
// outcome, or when the fit does not converge or fits a probability within
// 1e-9 of 0 or 1 — with λ = 0, because rules separate the outcomes (a
// rule fires only on leads that converted, say): use λ > 0.
// maxLambda is the largest penalty Learn takes.
const maxLambda = 1e6

func Learn(s *Scorer, train iter.Seq[Outcome], lambda float64) (*Fit, error) {
	const fn = "scoring.Learn"
	switch {
	case s == nil:
		return nil, errs.Invalid(fn, "s", s, "no scorer")
	case !(lambda >= 0 && lambda <= maxLambda):
		return nil, errs.Invalid(fn, "lambda", lambda, "want a penalty in [0, 1e6]")
	}
	ids := s.RuleIDs()
	p := len(ids)
	d := newDesign(p)
	var r Result
	for o := range orEmpty(train) {
		if err := errs.Time(fn, fmt.Sprintf("train[%d] At", d.n), o.At); err != nil {
			return nil, err
		}
		s.ScoreTo(&r, o.Lead, o.At)
		d.add(r.Fired, o.Converted)
	}
	if d.n == 0 {
		return nil, errs.Invalid(fn, "train", "0 leads", "nothing to learn from")
	}
	if d.y == 0 || d.y == d.n {
		return nil, errs.Undefined(fn, "train", fmt.Sprintf("%d of %d converted", d.y, d.n), "all leads have the same outcome")
	}
	if err := d.check(fn, ids); err != nil {
		return nil, err
	}
	beta, err := d.fit(lambda)
	if err != nil {
		return nil, errs.Undefined(fn, "lambda", lambda, err.Error())
	}
	if k := d.saturated(beta); k >= 0 {
		return nil, errs.Undefined(fn, "lambda", lambda, fmt.Sprintf("fitted probabilities numerically 0 or 1 (%g of %g leads converted where the same rules fired): the rules separate the outcomes; use a larger λ", d.pos[k], d.cnt[k]))
	}
	cov, ok := d.covariance(beta, lambda)
	if !ok {
		return nil, errs.Undefined(fn, "lambda", lambda, "the Hessian at the fit is not positive definite, so there are no standard errors")
	}
	f := &Fit{Rules: make([]RuleFit, p), Lambda: lambda, Leads: d.n, Converted: d.y, scorer: s, cov: cov,
		Intercept: beta[0], InterceptSE: math.Sqrt(cov.At(0, 0))}
	pts := s.rulePoints()
	var sumPts, sumCoef float64
	for j := range p {
		sumPts += math.Abs(pts[j])
		sumCoef += math.Abs(beta[j+1])
	}
	if sumPts == 0 {
		sumPts = 100
	}
	for j := range p {
		rf := RuleFit{ID: ids[j], Fired: d.fired[j], Coef: beta[j+1], SE: math.Sqrt(cov.At(j+1, j+1)), Points: pts[j]}
		if sumCoef > 0 {
			rf.Suggested = beta[j+1] * sumPts / sumCoef
		}
		f.Rules[j] = rf
	}
	return f, nil
}

// Holdout scores held-out leads, which took no part in the fit, under the
// current model (their Result.Total) and under the suggested points (the
// sum of Suggested over the rules that fired), and returns the evaluation
// of each: compare current.AUC() with suggested.AUC() to see whether the
// suggestion ranks leads better. A nil test adds no leads.
//
// Holdout returns an error wrapping kpi.ErrInvalid for the zero Fit (use
// Learn) and for a Fit decoded from JSON, which has no Scorer, when there are no leads and when a lead's At lies outside the
// years kpi.MinYear to kpi.MaxYear, and one wrapping kpi.ErrUndefined
// when all leads have the same outcome.
func (f *Fit) Holdout(test iter.Seq[Outcome]) (current, suggested *Evaluation, err error) {
	if f.scorer == nil {
		if f.cov != nil {
			return nil, nil, errs.Invalid("scoring.Fit.Holdout", "f", "decoded from JSON", "holds no Scorer to score the leads with: use the Fit of Learn")
		}
		return nil, nil, errs.Zero("scoring.Fit.Holdout", "f", "Learn")
	}
	var cur, sug []float64
	var conv []bool
	var r Result
	for o := range orEmpty(test) {
		if err := errs.Time("scoring.Fit.Holdout", fmt.Sprintf("test[%d] At", len(cur)), o.At); err != nil {
			return nil, nil, err
		}
		f.scorer.ScoreTo(&r, o.Lead, o.At)
		var x float64
		for j, on := range r.Fired {
			if on {
				x += f.Rules[j].Suggested
			}
		}
		cur = append(cur, r.Total)
		sug = append(sug, x)
		conv = append(conv, o.Converted)
	}
	const fn = "scoring.Fit.Holdout"
	if pos := countTrue(conv); pos == 0 || pos == len(conv) {
		if len(conv) == 0 {
			return nil, nil, errs.Invalid(fn, "test", "0 leads", "nothing to evaluate")
		}
		return nil, nil, errs.Undefined(fn, "test", fmt.Sprintf("%d of %d converted", pos, len(conv)),
			"all leads have the same outcome; AUC, KS and lift need both")
	}
	if current, err = Evaluate(cur, conv); err != nil {
		return nil, nil, err
	}
	suggested, err = Evaluate(sug, conv)
	return current, suggested, err
}

// countTrue returns the number of true elements of b.
func countTrue(b []bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}

// orEmpty returns seq, or an empty sequence when seq is nil.
func orEmpty[V any](seq iter.Seq[V]) iter.Seq[V] {
	if seq == nil {
		return func(func(V) bool) {}
	}
	return seq
}

// rulePoints returns the points of every rule, in RuleIDs order.
func (s *Scorer) rulePoints() []float64 {
	pts := make([]float64, len(s.rules))
	for i, r := range s.rules {
		pts[i] = r.points
	}
	return pts
}

// design holds training leads pooled by their pattern of fired rules.
type design struct {
	p     int
	index map[string]int // pattern bits → pattern number
	key   []byte         // scratch for the key of a lead
	idx   []int32        // fired rules of every pattern, concatenated
	off   []int          // pattern k's rules are idx[off[k]:off[k+1]]
	cnt   []float64      // leads per pattern
	pos   []float64      // converted leads per pattern
	fired []int64        // leads on which each rule fired
	n, y  int64
}

func newDesign(p int) *design {
	return &design{p: p, index: map[string]int{}, key: make([]byte, (p+7)/8), off: []int{0}, fired: make([]int64, p)}
}

func (d *design) add(fired []bool, converted bool) {
	clear(d.key)
	for j, on := range fired {
		if on {
			d.key[j/8] |= 1 << (j % 8)
			d.fired[j]++
		}
	}
	k, ok := d.index[string(d.key)]
	if !ok {
		k = len(d.cnt)
		d.index[string(d.key)] = k
		for j, on := range fired {
			if on {
				d.idx = append(d.idx, int32(j))
			}
		}
		d.off = append(d.off, len(d.idx))
		d.cnt = append(d.cnt, 0)
		d.pos = append(d.pos, 0)
	}
	d.cnt[k]++
	d.n++
	if converted {
		d.pos[k]++
		d.y++
	}
}

// check reports constant, duplicated and linearly dependent rules.
func (d *design) check(fn string, ids []string) error {
	for j, c := range d.fired {
		if c == 0 || c == d.n {
			return errs.Invalid(fn, "rule "+ids[j], fmt.Sprintf("fired on %d of %d leads", c, d.n), "constant feature: its coefficient cannot be told from the intercept")
		}
	}
	if err := d.duplicates(fn, ids); err != nil {
		return err
	}
	// Other linear dependence: X'X (with the intercept) is singular.
	xtx := d.gram(nil)
	var eig mat.EigenSym
	if !eig.Factorize(xtx, true) {
		return nil // cannot tell; the fit's Hessian check follows
	}
	vals := eig.Values(nil)
	if vals[0] > 1e-9*vals[len(vals)-1] {
		return nil
	}
	var v mat.Dense
	eig.VectorsTo(&v)
	null := mat.Col(nil, 0, &v)
	big := floats.Norm(null, math.Inf(1))
	var names []string
	for j := range d.p {
		if math.Abs(null[j+1]) > 0.1*big {
			names = append(names, ids[j])
		}
	}
	return errs.Invalid(fn, "rules", strings.Join(names, ", "), "linearly dependent features: some fire exactly when a combination of the others does")
}

// duplicates reports the first rule whose column (the patterns it fires
// on) equals an earlier rule's. The patterns' fired rules are transposed
// into each rule's patterns, in pattern order, in one pass, so the cost is
// linear in the fired entries (comparing bit columns rule by rule was
// rules × entries).
func (d *design) duplicates(fn string, ids []string) error {
	start := make([]int, d.p+1)
	for _, j := range d.idx {
		start[j+1]++
	}
	for j := range d.p {
		start[j+1] += start[j]
	}
	col := make([]byte, 4*len(d.idx)) // each rule's patterns, 4 bytes each
	next := slices.Clone(start[:d.p])
	for k := range d.cnt {
		for _, j := range d.idx[d.off[k]:d.off[k+1]] {
			binary.LittleEndian.PutUint32(col[4*next[j]:], uint32(k))
			next[j]++
		}
	}
	seen := make(map[string]int, d.p)
	for j := range d.p {
		key := string(col[4*start[j] : 4*start[j+1]])
		if i, ok := seen[key]; ok {
			return errs.Invalid(fn, "rule "+ids[j], fmt.Sprintf("fired on %d leads", d.fired[j]), fmt.Sprintf("fires on exactly the same leads as rule %s: duplicated feature", ids[i]))
		}
		seen[key] = j
	}
	return nil
}

// gram returns Σ_k w_k·x_k x_kᵀ over the patterns, with x_k including the
// intercept's 1, and w_k the pattern's count times weight(k) (1 when nil).
func (d *design) gram(weight func(k int) float64) *mat.SymDense {
	m := d.p + 1
	h := make([]float64, m*m)
	for k := range d.cnt {
		w := d.cnt[k]
		if weight != nil {
			w *= weight(k)
		}
		rules := d.idx[d.off[k]:d.off[k+1]]
		h[0] += w
		for a, i := range rules {
			h[int(i)+1] += w // row 0
			for _, j := range rules[a:] {
				h[(int(i)+1)*m+int(j)+1] += w
			}
		}
	}
	return mat.NewSymDense(m, h)
}

// eta returns the linear predictor of pattern k.
func (d *design) eta(beta []float64, k int) float64 {
	e := beta[0]
	for _, j := range d.idx[d.off[k]:d.off[k+1]] {
		e += beta[j+1]
	}
	return e
}

// sigmoid returns 1 / (1 + e^−x).
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// fit minimises the penalised mean loss and returns b₀, b₁, …, b_p.
func (d *design) fit(lambda float64) ([]float64, error) {
	n := float64(d.n)
	// The loss and its gradient share one pass over the patterns; L-BFGS
	// asks for both at the same point, so the gradient is kept for it.
	lastB := make([]float64, d.p+1)
	lastG := make([]float64, d.p+1)
	have := false
	lossGrad := func(g, b []float64) float64 {
		clear(g)
		var l float64
		for k := range d.cnt {
			eta := d.eta(b, k)
			e := math.Exp(-math.Abs(eta)) // shared by softplus and sigmoid
			sp, sg := math.Log1p(e), 1/(1+e)
			if eta > 0 {
				sp += eta
			} else {
				sg = e / (1 + e)
			}
			l += d.cnt[k]*sp - d.pos[k]*eta
			r := (d.cnt[k]*sg - d.pos[k]) / n
			g[0] += r
			for _, j := range d.idx[d.off[k]:d.off[k+1]] {
				g[j+1] += r
			}
		}
		floats.AddScaled(g[1:], lambda, b[1:])
		return l/n + lambda/2*floats.Dot(b[1:], b[1:])
	}
	prob := optimize.Problem{
		Func: func(b []float64) float64 {
			copy(lastB, b)
			have = true
			return lossGrad(lastG, b)
		},
		Grad: func(g, b []float64) {
			if have && floats.Equal(b, lastB) {
				copy(g, lastG)
				return
			}
			lossGrad(g, b)
		},
	}
	b0 := make([]float64, d.p+1)
	rate := float64(d.y) / n
	b0[0] = math.Log(rate / (1 - rate))
	settings := &optimize.Settings{GradientThreshold: fitGradTol, MajorIterations: fitMaxIter,
		Converger: &optimize.FunctionConverge{Absolute: 0, Relative: 0, Iterations: fitMaxIter}}
	res, err := optimize.Minimize(prob, b0, settings, &optimize.LBFGS{})
	if err != nil && res == nil {
		return nil, err
	}
	g := make([]float64, d.p+1)
	prob.Grad(g, res.X)
	if gn := floats.Norm(g, 2); !(gn < 1e-6) || math.IsNaN(floats.Sum(res.X)) || math.IsInf(floats.Sum(res.X), 0) {
		return nil, fmt.Errorf("the fit did not converge (gradient norm %.3g after %d iterations); the rules may separate the outcomes: use a larger λ", gn, res.Stats.MajorIterations)
	}
	return res.X, nil
}

// saturated returns a pattern whose fitted probability is within 1e-9 of
// 0 or 1, or −1 when there is none.
func (d *design) saturated(beta []float64) int {
	for k := range d.cnt {
		if p := sigmoid(d.eta(beta, k)); p < 1e-9 || p > 1-1e-9 {
			return k
		}
	}
	return -1
}

// covariance returns the inverse of the Hessian of n·L at beta.
func (d *design) covariance(beta []float64, lambda float64) (*mat.SymDense, bool) {
	h := d.gram(func(k int) float64 {
		p := sigmoid(d.eta(beta, k))
		return p * (1 - p)
	})
	for j := 1; j <= d.p; j++ {
		h.SetSym(j, j, h.At(j, j)+float64(d.n)*lambda)
	}
	var ch mat.Cholesky
	if !ch.Factorize(h) {
		return nil, false
	}
	var cov mat.SymDense
	if err := ch.InverseTo(&cov); err != nil {
		return nil, false
	}
	for j := range d.p + 1 {
		if !(cov.At(j, j) > 0) || math.IsInf(cov.At(j, j), 0) {
			return nil, false
		}
	}
	return &cov, true
}
