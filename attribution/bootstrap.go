package attribution

import (
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// DefaultReplicates is the number of bootstrap replicates a Bootstrap
// with no Replicates draws; MaxReplicates is the most it takes.
const (
	DefaultReplicates = 200
	MaxReplicates     = 100_000
)

// Bootstrap is a Model that gives the credits of another model, Model, with
// intervals: each Credit's Interval holds percentile intervals at
// confidence Level for its conversions, share, value and, for Markov
// models, removal effect, from Replicates bootstrap replicates of the
// journeys. The zero Bootstrap is the order-1 Markov model with 200
// replicates at 95 %, seed 0.
//
// The bootstrap resamples journeys: every journey of the data counts
// Poisson(1) times in a replicate (the Poisson bootstrap), so a row of the
// data that took its path Conversions and Nulls times converts c* ~
// Poisson(Conversions) and fails n* ~ Poisson(Nulls) times in it, its
// value scaled to Value · c* / Conversions. Each draw comes from a hash
// of the row's content (channels, counts, value, times, marks, and which
// copy of an identical row it is), the replicate's number and Seed, not
// from a stream read in order: the same journeys give the same intervals
// bit for bit in any order, split and merged or not. The draws invert
// the Poisson distribution function (gonum's distuv.Poisson.CDF, tabled)
// for counts below 32, and use distuv.Poisson.Rand above.
//
// In each replicate the model attributes the resampled journeys; the
// interval of a quantity θ is the percentile interval
//
//	[q(α/2), q(1 − α/2)],   α = 1 − Level
//
// of its B replicates θ*₁ … θ*_B, with q the quantile interpolated linearly
// between order statistics (gonum stat.Quantile, LinInterp), method
// "bootstrap-percentile". The share is a channel's conversions over all
// conversions in its replicate; the value interval is rounded to the
// data's decimal places. Result.ProbGreater compares two channels over
// the same replicates.
//
// The replicates reuse the work of the point estimate: Markov models count
// the chain's transitions once and only reweigh them, rule models (and
// the simplified Shapley value) weigh each journey's touches once and only
// rescale them. Other models, such as the ordered and exact Shapley
// methods or a Model of the caller's, attribute each replicate from
// scratch.
//
// A replicate in which the model is undefined (no conversion drawn, or no
// channel with a removal effect) is left out; Result.Replicates says how
// many were used. Fewer than half of them is an error.
//
// Errors wrap kpi.ErrInvalid: Replicates below 0 or above MaxReplicates,
// a Level outside (0, 1), a Bootstrap as Model, nil journeys, conversions
// and nulls above 2⁵² in all, a value interval whose end lies beyond the
// library's bound on money (30 digits before the point), which values
// near 10³⁰ resample to; and those of the model on the journeys.
//
// A Model of the caller's must keep the contract of Result, which the
// replicates are indexed by: a result (not nil) with one credit per
// channel of the journeys, sorted by name (in a replicate, channels that
// no journey drawn reached may be left out), conversions finite and not
// negative, values not negative and within the bound on money. A result
// that breaks it is an error wrapping kpi.ErrInvalid naming the replicate
// and the credit, such as "Model's result in replicate 3 credits[0]
// channel", where it panicked or gave NaN intervals before.
type Bootstrap struct {
	Model      Model   // the model; nil means Markov{}
	Replicates int     // B; 0 means DefaultReplicates
	Level      float64 // 0 means 0.95
	Seed       uint64
}

// maxBootstrapCount bounds the journeys a bootstrap resamples, so that
// the draws' counts stay exact in int64 and float64.
const maxBootstrapCount = 1 << 52

// Attribute returns the model's credits for the journeys of js, each with
// its Interval, and the replicates' number in Result.Replicates.
func (b Bootstrap) Attribute(js *Journeys) (*Result, error) {
	const fn = "attribution.Bootstrap.Attribute"
	m := b.Model
	if m == nil {
		m = Markov{}
	}
	reps := b.Replicates
	if reps == 0 {
		reps = DefaultReplicates
	}
	level := b.Level
	if level == 0 {
		level = 0.95
	}
	switch m.(type) {
	case Bootstrap, *Bootstrap:
		return nil, errs.Invalid(fn, "Model", fmt.Sprintf("%T", m), "a Bootstrap of a Bootstrap")
	}
	if reps < 0 || reps > MaxReplicates {
		return nil, errs.Invalid(fn, "Replicates", b.Replicates, fmt.Sprintf("must lie in [0, %d]", MaxReplicates))
	}
	if err := errs.Level(fn, "Level", level); err != nil {
		return nil, err
	}
	if js == nil {
		return nil, errs.Invalid(fn, "js", js, "nil Journeys")
	}
	if js.convSum > maxBootstrapCount-js.nullSum {
		return nil, errs.Invalid(fn, "journeys", js.convSum+js.nullSum, "more than 2^52 conversions and nulls to resample")
	}
	point, err := m.Attribute(js)
	if err != nil {
		return nil, err
	}
	rows := newRows(js, b.Seed)
	var draws *replicates
	switch mm := m.(type) {
	case Markov:
		draws, err = mm.replicates(fn, js, rows, reps)
	case First, Last, LastNonDirect, Linear, Position, WShaped, FullPath, TimeDecay, Custom:
		draws, err = ruleReplicates(m, js, rows, reps)
	case Shapley:
		if mm.Method == Simplified {
			draws, err = ruleReplicates(m, js, rows, reps)
		} else {
			draws, err = anyReplicates(m, js, rows, reps)
		}
	default:
		// A model of the caller's: its results index the replicates, so
		// they are checked against the contract of Result first.
		names := slices.Sorted(slices.Values(js.names))
		if err := checkResult(fn, "Model's result", point, names, true); err != nil {
			return nil, err
		}
		draws, err = anyReplicates(m, js, rows, reps)
	}
	if err != nil {
		return nil, err
	}
	if draws.used < (reps+1)/2 {
		return nil, errs.Undefined(fn, "replicates", draws.used, fmt.Sprintf("the model is undefined in %d of %d replicates", reps-draws.used, reps))
	}
	draws.attach(point, level, js.places)
	// A replicate that draws a journey twice doubles its value: of a
	// total near 10³⁰ the interval could reach past the bound, and the
	// result's JSON and table would refuse it.
	for _, c := range point.Credits {
		if err := errs.Money(fn, fmt.Sprintf("credit %q value interval hi", c.Channel), c.Interval.Value.Hi); err != nil {
			return nil, err
		}
	}
	return point, nil
}

// rows are the journeys of a Journeys in canonical order, with the key of
// each one's draws.
type rows struct {
	order       []int32   // journey indexes, canonical order
	key         []uint64  // per row: the hash its draws start from
	mean        []float64 // per row: value per conversion
	conv, nulls []int64   // per row: its counts, in this order so that the replicates read them in sequence
}

// newRows keys the journeys of js by their content and seed.
func newRows(js *Journeys, seed uint64) *rows {
	r := &rows{order: js.canonical()}
	r.key = make([]uint64, len(r.order))
	r.mean = make([]float64, len(r.order))
	r.conv = make([]int64, len(r.order))
	r.nulls = make([]int64, len(r.order))
	h := fnv.New64a()
	var buf []byte
	copies := uint64(0)
	var prev uint64
	for k, i32 := range r.order {
		i := int(i32)
		h.Reset()
		buf = buf[:0]
		for _, id := range js.path(i) {
			buf = append(buf, js.names[id]...)
			buf = append(buf, 0)
		}
		buf = strconv.AppendInt(buf, js.conv[i], 10)
		buf = strconv.AppendInt(buf, js.nulls[i], 10)
		buf = strconv.AppendUint(buf, math.Float64bits(js.value(i)), 16)
		if js.times != nil {
			for _, t := range js.times[js.off[i]:js.off[i+1]] {
				buf = strconv.AppendInt(buf, t, 36)
			}
		}
		if js.marks != nil {
			for _, mk := range js.marks[js.off[i]:js.off[i+1]] {
				buf = append(buf, byte(mk))
			}
		}
		_, _ = h.Write(buf)
		sum := h.Sum64()
		// Rows with equal content sit next to each other in canonical
		// order: number the copies so that each draws on its own.
		if k > 0 && sum == prev {
			copies++
		} else {
			copies = 0
		}
		prev = sum
		r.key[k] = mix(sum ^ mix(seed+0x9e3779b97f4a7c15) ^ copies*0xbf58476d1ce4e5b9)
		r.conv[k], r.nulls[k] = js.conv[i], js.nulls[i]
		if c := js.conv[i]; c > 0 {
			r.mean[k] = js.value(i) / float64(c)
		}
	}
	return r
}

// mix is the finaliser of splitmix64: a bijection of uint64 that spreads
// every input bit over the output.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// draw returns the resampled count of a count n in replicate b: Poisson(n)
// from the uniform the key, replicate and kind (0 conversions, 1 nulls)
// hash to.
func draw(key uint64, b, kind int, n int64) int64 {
	if n == 0 {
		return 0
	}
	u := mix(key ^ mix(uint64(b)<<1|uint64(kind)))
	return poisson(n, u)
}

// replicates are the per-channel results of the replicates, channels in
// the order of their names.
type replicates struct {
	used              int
	conv, share, valu [][]float64 // [channel][replicate]
	removal           [][]float64 // nil unless Markov
}

func newReplicates(channels, reps int, removal bool) *replicates {
	d := &replicates{conv: grid(channels, reps), share: grid(channels, reps), valu: grid(channels, reps)}
	if removal {
		d.removal = grid(channels, reps)
	}
	return d
}

func grid(n, m int) [][]float64 {
	flat := make([]float64, n*m)
	g := make([][]float64, n)
	for i := range g {
		g[i] = flat[i*m : (i+1)*m : (i+1)*m]
	}
	return g
}

// pack drops the undefined replicates, keeping the order of the others.
func (d *replicates) pack(ok []bool) {
	for _, g := range [][][]float64{d.conv, d.share, d.valu, d.removal} {
		for ch, xs := range g {
			k := 0
			for b, x := range xs {
				if ok[b] {
					xs[k] = x
					k++
				}
			}
			g[ch] = xs[:k]
		}
	}
	d.used = 0
	for _, v := range ok {
		if v {
			d.used++
		}
	}
}

// attach sets the intervals of the point estimate's credits.
func (d *replicates) attach(r *Result, level float64, places int32) {
	const method = "bootstrap-percentile"
	r.Replicates = d.used
	r.draws = d
	// Near level 1, 1 − (1−level)/2 rounds to 1: stat.Quantile takes it
	// as the largest replicate, so the interval is their range.
	lo, hi := (1-level)/2, 1-(1-level)/2
	iv := func(xs []float64) kpi.Interval {
		s := slices.Clone(xs)
		slices.Sort(s)
		return kpi.Interval{Lo: stat.Quantile(lo, stat.LinInterp, s, nil), Hi: stat.Quantile(hi, stat.LinInterp, s, nil), Level: level, Method: method}
	}
	for k := range r.Credits {
		ci := &CreditInterval{Conversions: iv(d.conv[k]), Share: iv(d.share[k])}
		v := iv(d.valu[k])
		ci.Value = kpi.MoneyInterval{
			Lo: decimal.NewFromFloat(v.Lo).Round(places), Hi: decimal.NewFromFloat(v.Hi).Round(places),
			Level: level, Method: method,
		}
		if d.removal != nil {
			ci.Removal = iv(d.removal[k])
		}
		r.Credits[k].Interval = ci
	}
}

// CreditInterval is a channel's credit's intervals from a Bootstrap: its
// conversions, its share of all conversions, its value and, for Markov
// models only, its removal effect (zero otherwise).
type CreditInterval struct {
	Conversions kpi.Interval      `json:"conversions"`
	Share       kpi.Interval      `json:"share"`
	Value       kpi.MoneyInterval `json:"value"`
	Removal     kpi.Interval      `json:"removal"`
}

// ProbGreater returns the share of the bootstrap replicates in which
// channel a is credited with more conversions than channel b, ties
// counting half: an estimate of the probability that a's credit exceeds
// b's.
//
// Errors: a result without bootstrap replicates (not from a Bootstrap)
// wraps kpi.ErrUndefined; a channel the result does not have wraps
// kpi.ErrInvalid.
func (r *Result) ProbGreater(a, b string) (float64, error) {
	const fn = "attribution.Result.ProbGreater"
	if r.draws == nil || r.draws.used == 0 {
		return 0, errs.Undefined(fn, "r", r.Model, "no bootstrap replicates (use Bootstrap)")
	}
	ia, ib := -1, -1
	for k, c := range r.Credits {
		if c.Channel == a {
			ia = k
		}
		if c.Channel == b {
			ib = k
		}
	}
	switch {
	case ia < 0:
		return 0, errs.Invalid(fn, "a", fmt.Sprintf("%q", a), "unknown channel")
	case ib < 0:
		return 0, errs.Invalid(fn, "b", fmt.Sprintf("%q", b), "unknown channel")
	}
	wins := 0.0
	for k, x := range r.draws.conv[ia] {
		y := r.draws.conv[ib][k]
		switch {
		case x > y:
			wins++
		case x == y:
			wins += 0.5
		}
	}
	return wins / float64(r.draws.used), nil
}

// poolSize is the number of goroutines workers runs for reps replicates.
func poolSize(reps int) int { return max(1, min(runtime.GOMAXPROCS(0), reps)) }

// workers runs fn(w, b) for every replicate b on poolSize(reps)
// goroutines, w being the goroutine's number; each b writes only its own
// slots, so the result does not depend on timing.
func workers(reps int, fn func(w, b int)) {
	n := poolSize(reps)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range next {
				fn(w, b)
			}
		}()
	}
	for b := range reps {
		next <- b
	}
	close(next)
	wg.Wait()
}
