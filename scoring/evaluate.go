package scoring

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// Evaluation holds the scores of leads whose outcome is known — converted
// (a positive: the lead became an opportunity or a deal) or not — and
// measures how well the scores separate the two. Build one with Evaluate;
// it is immutable and safe for concurrent use.
//
// The zero Evaluation holds no leads. Its methods never panic or return
// NaN: they measure it as a model no better than chance — AUC 0.5, Gini 0,
// AveragePrecision 0, KS 0 at +Inf — and its Gains and QuantileBands
// return an error wrapping kpi.ErrInvalid, as for too many groups.
//
// A lead is selected at a threshold t when its score is at least t, as
// with an MQL rule's minimum total. Every measure is independent of the
// order of the input, and leads with equal scores are treated alike.
type Evaluation struct {
	pos, neg []uint64 // keys (see key) of the positive and negative leads' scores, ascending
}

// Evaluate sorts the scores of leads by outcome (converted[i] tells
// whether lead i converted) for measuring. It copies the scores; the
// arguments are not retained.
//
// Evaluate returns an error wrapping kpi.ErrInvalid when the lengths
// differ, there are no leads, or a score is NaN or infinite,
// and one wrapping kpi.ErrUndefined when all leads have the same outcome:
// AUC, KS and lift compare positives with negatives and need both.
func Evaluate(scores []float64, converted []bool) (*Evaluation, error) {
	const fn = "scoring.Evaluate"
	if len(scores) != len(converted) {
		return nil, errs.Invalid(fn, "converted", fmt.Sprintf("length %d", len(converted)), fmt.Sprintf("differs from %d scores", len(scores)))
	}
	if len(scores) == 0 {
		return nil, errs.Invalid(fn, "scores", scores, "no leads")
	}
	np := 0
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return nil, errs.Invalid(fn, fmt.Sprintf("scores[%d]", i), s, "not a finite number")
		}
		if converted[i] {
			np++
		}
	}
	if np == 0 || np == len(scores) {
		return nil, errs.Undefined(fn, "converted", fmt.Sprintf("%d of %d", np, len(scores)), "all leads have the same outcome; AUC, KS and lift need both")
	}
	buf := make([]uint64, len(scores))
	e := &Evaluation{pos: buf[:0:np], neg: buf[np:np]}
	for i, s := range scores {
		if converted[i] {
			e.pos = append(e.pos, key(s))
		} else {
			e.neg = append(e.neg, key(s))
		}
	}
	tmp := make([]uint64, max(len(e.pos), len(e.neg)))
	radixSort(e.pos, tmp)
	radixSort(e.neg, tmp)
	return e, nil
}

// Leads returns the number of leads and how many of them converted.
func (e *Evaluation) Leads() (leads, converted int64) {
	return int64(len(e.pos) + len(e.neg)), int64(len(e.pos))
}

// walk calls f for every distinct score, from the highest down, with the
// numbers of positive and negative leads that have it.
func (e *Evaluation) walk(f func(score float64, dp, dn int64)) {
	i, j := len(e.pos)-1, len(e.neg)-1
	for i >= 0 || j >= 0 {
		var t uint64
		switch {
		case i < 0:
			t = e.neg[j]
		case j < 0:
			t = e.pos[i]
		default:
			t = max(e.pos[i], e.neg[j])
		}
		var dp, dn int64
		for i >= 0 && e.pos[i] == t {
			i--
			dp++
		}
		for j >= 0 && e.neg[j] == t {
			j--
			dn++
		}
		f(unkey(t), dp, dn)
	}
}

// AUC returns the area under the ROC curve: the probability that a
// randomly chosen converted lead scores higher than a randomly chosen
// unconverted one, counting ties as half (the Mann–Whitney U statistic
// divided by P·N):
//
//	AUC = (#{(p, n): s_p > s_n} + ½ #{(p, n): s_p = s_n}) / (P·N)
//
// It equals scikit-learn's roc_auc_score. 0.5 is a model no better than
// chance; 1 separates the classes perfectly. The zero Evaluation, which
// has no leads, gives 0.5.
func (e *Evaluation) AUC() float64 {
	if len(e.pos) == 0 || len(e.neg) == 0 {
		return 0.5 // only the zero Evaluation: Evaluate needs both outcomes
	}
	// 2U = Σ over score groups of dn·(2·positives above + dp), exact in int64.
	var u2, above int64
	e.walk(func(_ float64, dp, dn int64) {
		u2 += dn * (2*above + dp)
		above += dp
	})
	return float64(u2) / 2 / (float64(len(e.pos)) * float64(len(e.neg)))
}

// Gini returns the Gini coefficient (accuracy ratio) of the scores,
//
//	Gini = 2·AUC − 1
//
// The zero Evaluation, which has no leads, gives 0.
func (e *Evaluation) Gini() float64 { return 2*e.AUC() - 1 }

// KS returns the two-sample Kolmogorov–Smirnov statistic of the scores of
// converted and unconverted leads — the largest gap between the share of
// positives and the share of negatives selected by a threshold,
//
//	KS = max over t of |TPR(t) − FPR(t)|,  TPR(t) = TP(t)/P,  FPR(t) = FP(t)/N
//
// — and the threshold t that attains it (the highest such score). It
// equals scipy.stats.ks_2samp's statistic. For a model better than chance
// the gap is TPR − FPR, and KS equals Youden's J (see Youden).
func (e *Evaluation) KS() (stat, threshold float64) {
	p, n := float64(len(e.pos)), float64(len(e.neg))
	var tp, fp int64
	threshold = math.Inf(1)
	e.walk(func(t float64, dp, dn int64) {
		tp += dp
		fp += dn
		if d := math.Abs(float64(tp)/p - float64(fp)/n); d > stat {
			stat, threshold = d, t
		}
	})
	return stat, threshold
}

// AveragePrecision returns the average precision of the scores, the
// step-wise area under the precision–recall curve as scikit-learn's
// average_precision_score defines it: over the distinct scores t_k from
// the highest down,
//
//	AP = Σ_k (R_k − R_{k−1}) · P_k
//
// where P_k and R_k are the precision and recall of selecting the leads
// scoring at least t_k, and R_0 = 0. No interpolation is done. The zero
// Evaluation, which has no leads, gives 0.
func (e *Evaluation) AveragePrecision() float64 {
	if len(e.pos) == 0 {
		return 0 // only the zero Evaluation: Evaluate needs both outcomes
	}
	var tp, fp int64
	var ap float64
	e.walk(func(_ float64, dp, dn int64) {
		tp += dp
		fp += dn
		if dp > 0 {
			ap += float64(dp) * float64(tp) / float64(tp+fp)
		}
	})
	return ap / float64(len(e.pos))
}

// countGE returns the number of elements of the ascending slice a that
// are at least t, and how many of them equal t.
func countGE(a []uint64, t float64) (ge, eq int64) {
	k := key(t)
	lo, _ := slices.BinarySearch(a, k)
	hi := lo
	for hi < len(a) && a[hi] == k {
		hi++
	}
	return int64(len(a) - lo), int64(hi - lo)
}

// kth returns the r-th highest score of all leads, 1 ≤ r ≤ P + N.
func (e *Evaluation) kth(r int) float64 {
	a, b := e.pos, e.neg
	// Take i from the top of a and r−i from the top of b; find the
	// smallest i for which one more from a would not beat the last from b.
	top := func(x []uint64, m int) uint64 { return x[len(x)-m] } // m-th highest, 1-based
	lo, hi := max(0, r-len(b)), min(r, len(a))
	i := lo + sort.Search(hi-lo, func(k int) bool {
		i := lo + k
		return top(a, i+1) <= top(b, r-i)
	})
	switch {
	case i == 0:
		return unkey(top(b, r))
	case i == r:
		return unkey(top(a, r))
	}
	return unkey(min(top(a, i), top(b, r-i)))
}

// expectedTop returns the expected number of positives among the r
// highest-scored leads when ties are broken at random: the positives
// scoring above the r-th score, plus the positives tied with it in
// proportion to the places left for the tied leads.
func (e *Evaluation) expectedTop(r int) float64 {
	switch {
	case r == 0:
		return 0
	case r == len(e.pos)+len(e.neg):
		return float64(len(e.pos))
	}
	t := e.kth(r)
	pge, peq := countGE(e.pos, t)
	nge, neq := countGE(e.neg, t)
	above := (pge - peq) + (nge - neq)
	return float64(pge-peq) + float64(peq)*float64(int64(r)-above)/float64(peq+neq)
}

// Gain is one group of a gain and lift table: the leads ranked from
// Start+1 to Start+Leads by score, highest first.
type Gain struct {
	Start    int64   `json:"start"` // ranks Start+1 … Start+Leads
	Leads    int64   `json:"leads"`
	MaxScore float64 `json:"maxScore"` // the scores at the first and last rank
	MinScore float64 `json:"minScore"`

	// Converted is the number of converted leads in the group; fractional
	// when tied leads straddle the group's edge (see Evaluation.Gains).
	Converted float64 `json:"converted"`

	Rate    float64 `json:"rate"`    // Converted / Leads
	Lift    float64 `json:"lift"`    // Rate / overall conversion rate
	Gain    float64 `json:"gain"`    // share of all converted leads in this and the higher groups
	CumLift float64 `json:"cumLift"` // conversion rate of this and the higher groups / overall rate
}

// Gains ranks the leads by score, highest first, cuts the ranking into
// groups of equal size (10 for deciles) and returns, for each group from
// the top, its conversion, lift and cumulative gain:
//
//	group k holds ranks ⌊(k−1)·n/groups⌋+1 … ⌊k·n/groups⌋
//	Lift    = (converted in group / leads in group) / (P / n)
//	Gain    = converted in groups 1…k / P
//	CumLift = Gain / (leads in groups 1…k / n)
//
// Ties at a cut: leads with equal scores cannot be ordered, so when they
// straddle the edge between two groups each group is credited with the
// converted leads among them in proportion to the places it takes — the
// expected count if ties were broken at random. Group sizes stay exact,
// the table does not depend on the input order, and a group's Converted
// may be fractional.
//
// Gains returns an error wrapping kpi.ErrInvalid unless 1 ≤ groups ≤ n.
func (e *Evaluation) Gains(groups int) (Gains, error) {
	n := len(e.pos) + len(e.neg)
	if groups < 1 || groups > n {
		return nil, errs.Invalid("scoring.Evaluation.Gains", "groups", groups, fmt.Sprintf("want 1 to %d, the number of leads", n))
	}
	p := float64(len(e.pos))
	base := p / float64(n)
	out := make([]Gain, groups)
	prevR, prevE := 0, 0.0
	for k := range out {
		r := int(int64(k+1) * int64(n) / int64(groups))
		ex := e.expectedTop(r)
		leads := float64(r - prevR)
		g := Gain{
			Start: int64(prevR), Leads: int64(r - prevR),
			MaxScore: e.kth(prevR + 1), MinScore: e.kth(r),
			Converted: ex - prevE,
			Gain:      ex / p,
		}
		g.Rate = g.Converted / leads
		g.Lift = g.Rate / base
		g.CumLift = g.Gain / (float64(r) / float64(n))
		out[k] = g
		prevR, prevE = r, ex
	}
	return out, nil
}

// ScoreBand is the conversion of the leads whose scores lie in [Min, Max),
// with an interval for the rate, by Method at Level.
type ScoreBand struct {
	Min, Max float64  // Min may be −Inf and Max +Inf
	Rate     kpi.Rate // converted leads of the leads in the band
	Lo, Hi   float64  // interval for Rate; [0, 1] for an empty band

	Method kpi.Method // how Lo and Hi were computed
	Level  float64    // their confidence level
}

// Bands returns the conversion rate per score band, cut at the given
// scores, which must increase strictly: the bands are
//
//	[−Inf, cuts[0]), [cuts[0], cuts[1]), …, [cuts[k−1], +Inf)
//
// each with its interval by method at the confidence level. No cuts give
// one band of all leads. An empty band has the rate 0/0 and the vacuous
// interval [0, 1].
//
// Bands returns an error wrapping kpi.ErrInvalid when a cut is NaN,
// infinite (it would only add a band that is always empty, as scores are
// finite, and whose edge JSON and CSV could not tell from an open end) or
// not above the one before, or the method or confidence level is invalid
// (see kpi.Rate.Interval).
func (e *Evaluation) Bands(cuts []float64, method kpi.Method, confidence float64) (ScoreBands, error) {
	const fn = "scoring.Evaluation.Bands"
	for i, c := range cuts {
		if math.IsNaN(c) || (i > 0 && !(c > cuts[i-1])) {
			return nil, errs.Invalid(fn, fmt.Sprintf("cuts[%d]", i), c, "cuts must be numbers increasing strictly")
		}
		if math.IsInf(c, 0) {
			return nil, errs.Invalid(fn, fmt.Sprintf("cuts[%d]", i), c, "cuts must be finite: the bands' open ends are −Inf and +Inf")
		}
	}
	return e.bands(fn, cuts, method, confidence)
}

func (e *Evaluation) bands(fn string, cuts []float64, method kpi.Method, confidence float64) (ScoreBands, error) {
	if err := errs.Method(fn, "method", method); err != nil {
		return nil, err
	}
	if err := errs.Level(fn, "confidence", confidence); err != nil {
		return nil, err
	}
	out := make(ScoreBands, len(cuts)+1)
	// Leads at or above the band's lower edge, walking edges from the top.
	upP, upN := int64(0), int64(0)
	for k := len(cuts); k >= 0; k-- {
		lo, hi := math.Inf(-1), math.Inf(1)
		if k > 0 {
			lo = cuts[k-1]
		}
		if k < len(cuts) {
			hi = cuts[k]
		}
		geP, geN := int64(len(e.pos)), int64(len(e.neg))
		if k > 0 {
			geP, _ = countGE(e.pos, lo)
			geN, _ = countGE(e.neg, lo)
		}
		r, _ := kpi.NewRate(geP-upP, geP-upP+geN-upN)
		b := ScoreBand{Min: lo, Max: hi, Rate: r, Lo: 0, Hi: 1, Method: method, Level: confidence}
		if r.Trials() > 0 {
			b.Lo, b.Hi, _ = r.Interval(method, confidence)
		}
		out[k] = b
		upP, upN = geP, geN
	}
	return out, nil
}

// QuantileBands is Bands with cuts at score quantiles, for bands of about
// equal numbers of leads: cut k of groups−1 is the score at rank
// ⌊k·n/groups⌋+1 from the lowest. Leads with equal scores share a band,
// so repeated cuts are dropped, as is a cut at the lowest score, and
// fewer than groups bands may be returned when scores repeat.
//
// QuantileBands returns an error wrapping kpi.ErrInvalid unless
// 1 ≤ groups ≤ n, and for an invalid method or confidence level.
func (e *Evaluation) QuantileBands(groups int, method kpi.Method, confidence float64) (ScoreBands, error) {
	const fn = "scoring.Evaluation.QuantileBands"
	n := len(e.pos) + len(e.neg)
	if groups < 1 || groups > n {
		return nil, errs.Invalid(fn, "groups", groups, fmt.Sprintf("want 1 to %d, the number of leads", n))
	}
	lowest := e.kth(n)
	var cuts []float64
	for k := 1; k < groups; k++ {
		m := int(int64(k) * int64(n) / int64(groups)) // 0-based ascending rank
		c := e.kth(n - m)
		if c > lowest && (len(cuts) == 0 || c > cuts[len(cuts)-1]) {
			cuts = append(cuts, c)
		}
	}
	return e.bands(fn, cuts, method, confidence)
}

// key maps a score to an integer of the same order: the bits of a
// positive float with the sign bit set, those of a negative float
// inverted. −0 becomes +0, so that equal scores have equal keys.
func key(f float64) uint64 {
	if f == 0 {
		f = 0
	}
	b := math.Float64bits(f)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

// unkey inverts key.
func unkey(k uint64) float64 {
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// radixSort sorts a in increasing order by least-significant-digit radix
// sort on bytes, using tmp (at least as long as a) as scratch. Byte
// positions on which all keys agree are skipped: scores in a narrow range
// share their high bytes.
func radixSort(a, tmp []uint64) {
	if len(a) < 256 {
		slices.Sort(a)
		return
	}
	var count [8][256]int
	for _, k := range a {
		for d := range 8 {
			count[d][byte(k>>(8*d))]++
		}
	}
	src, dst := a, tmp[:len(a)]
	for d := range 8 {
		c := &count[d]
		if c[byte(src[0]>>(8*d))] == len(a) {
			continue // every key has the same byte here
		}
		sum := 0
		for i, v := range c {
			c[i] = sum
			sum += v
		}
		shift := 8 * d
		for _, k := range src {
			b := byte(k >> shift)
			dst[c[b]] = k
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
}
