package attribution

import (
	"fmt"
	"math"

	"github.com/kpiflow/kpi/internal/errs"
)

// MaxChooseOrder is the highest order ChooseOrder compares.
const MaxChooseOrder = 8

// OrderFit is how well the Markov chain of one order describes the
// journeys (see Markov.ChooseOrder).
type OrderFit struct {
	Order int `json:"order"`

	// States is the number of states with transitions out of them, the
	// start state included; Parameters is the number of free transition
	// probabilities, Σ_s (successors of s − 1).
	States     int `json:"states"`
	Parameters int `json:"parameters"`

	// LogLik is the log-likelihood (natural log) of all the transitions
	// under the chain fitted to them; BIC = −2·LogLik + Parameters·ln N
	// with N the number of transitions. A lower BIC is better.
	LogLik float64 `json:"logLik"`
	BIC    float64 `json:"bic"`

	// HeldOut is the mean log-likelihood per transition of the held-out
	// journeys under the chain fitted to the others (higher is better),
	// HeldOutSE its standard error, the standard deviation of the
	// transitions' log-likelihoods over the square root of their number.
	HeldOut   float64 `json:"heldOut"`
	HeldOutSE float64 `json:"heldOutSE"`
}

// OrderChoice compares the Markov orders 1 … k (see Markov.ChooseOrder).
type OrderChoice struct {
	Fits []OrderFit `json:"fits"` // orders 1 … k

	// Transitions is N, the transitions of all journeys; HeldOut the
	// transitions of the held-out journeys.
	Transitions int64 `json:"transitions"`
	HeldOut     int64 `json:"heldOut"`

	// ByBIC is the order of the lowest BIC, ByHeldOut that of the highest
	// held-out log-likelihood, each the lower order on a tie. Suggested
	// is the lowest order whose held-out log-likelihood is within one
	// standard error of the highest (the one-standard-error rule of
	// Breiman et al. 1984): a higher order has to predict journeys it
	// was not fitted to better by more than noise.
	ByBIC     int `json:"byBIC"`
	ByHeldOut int `json:"byHeldOut"`
	Suggested int `json:"suggested"`
}

// heldOutShare is the share of the journeys ChooseOrder holds out: one in
// five.
const heldOutShare = 5

// ChooseOrder fits the chains of orders 1 … maxOrder, with m's Rules (its
// Order is not used), and reports for each how well it describes the
// journeys: in-sample by BIC, and by the log-likelihood of the next
// transition of held-out journeys. Every transition a journey makes
// counts: from the start to its first state, between its states, and
// into conversion or null.
//
// The split is deterministic and does not depend on the journeys' order:
// of a row's Conversions converting journeys, ⌊Conversions/5⌋ are held
// out, and one more when a hash of the row's content says so (with
// probability (Conversions mod 5)/5), and the same for its Nulls; a
// fifth of the journeys in expectation. The held-out probabilities are
// smoothed, since the held-out journeys may take transitions the others
// never took:
//
//	p(y | s) = (n_sy + ½) / (n_s + ½·A)
//
// with n_sy the count of transition s → y in the fitted journeys, n_s all
// transitions out of s and A the number of possible next steps (channels,
// conversion and null); a state never seen gives 1/A. The in-sample
// log-likelihood is Σ n_sy · ln(n_sy / n_s).
//
// ChannelAttribution's choose_order differs: it fits each order on all
// the journeys, scores a journey by the probability of converting from
// its last state only, and suggests the order with the highest area under
// the ROC curve of those scores for converting against non-converting
// journeys, penalised for the number of possible states. ChooseOrder
// judges the whole path, not its last step, and out of sample.
//
// With KeepRepeats the chains of different orders drop different
// transitions (a run of repeats makes up to Order states), so they count
// different numbers of transitions; BIC then compares unlike data, and
// the held-out mean is per transition.
//
// Errors wrap kpi.ErrInvalid: maxOrder below 1 or above MaxChooseOrder,
// unknown Rules, nil journeys, more than MaxChannels channels, more than
// 2⁶³ − 1 transitions in all (counts within int64 on long paths); and
// kpi.ErrUndefined: no journeys to fit or none held out.
func (m Markov) ChooseOrder(js *Journeys, maxOrder int) (*OrderChoice, error) {
	const fn = "attribution.Markov.ChooseOrder"
	if maxOrder < 1 || maxOrder > MaxChooseOrder {
		return nil, errs.Invalid(fn, "maxOrder", maxOrder, fmt.Sprintf("must lie in [1, %d]", MaxChooseOrder))
	}
	if js == nil {
		return nil, errs.Invalid(fn, "js", js, "nil Journeys")
	}
	rows := newRows(js, 0)
	train, test := js.split(rows)
	oc := &OrderChoice{ByBIC: 1, ByHeldOut: 1}
	for k := 1; k <= maxOrder; k++ {
		mk := Markov{Order: k, Rules: m.Rules}
		all, err := mk.chain(fn, js)
		if err != nil {
			return nil, err
		}
		if all.convSum+all.nullSum == 0 {
			return nil, errs.Undefined(fn, "journeys", 0, "no journeys to fit")
		}
		fit, n, ok := all.fit()
		if !ok {
			return nil, errs.Invalid(fn, "journeys", js.convSum+js.nullSum, "more than 2⁶³ − 1 transitions in all (a journey of k touches makes k + 1)")
		}
		oc.Transitions = n
		fitted, err := mk.chain(fn, train)
		if err != nil {
			return nil, err
		}
		ll, ll2, nt, ok := fitted.heldOut(test, len(js.names))
		if !ok {
			return nil, errs.Invalid(fn, "journeys", js.convSum+js.nullSum, "more than 2⁶³ − 1 held-out transitions (a journey of k touches makes k + 1)")
		}
		if nt == 0 {
			return nil, errs.Undefined(fn, "held-out journeys", 0, "too few journeys to hold any out")
		}
		fit.Order = k
		fit.HeldOut = ll / float64(nt)
		fit.HeldOutSE = math.Sqrt(max(0, ll2/float64(nt)-fit.HeldOut*fit.HeldOut) / float64(nt))
		oc.HeldOut = nt
		oc.Fits = append(oc.Fits, fit)
		if fit.BIC < oc.Fits[oc.ByBIC-1].BIC {
			oc.ByBIC = k
		}
		if fit.HeldOut > oc.Fits[oc.ByHeldOut-1].HeldOut {
			oc.ByHeldOut = k
		}
	}
	best := oc.Fits[oc.ByHeldOut-1]
	for _, f := range oc.Fits {
		if f.HeldOut >= best.HeldOut-best.HeldOutSE {
			oc.Suggested = f.Order
			break
		}
	}
	return oc, nil
}

// split divides the journeys of js into the fitted and the held-out ones
// (see ChooseOrder).
func (js *Journeys) split(rows *rows) (train, test *Journeys) {
	train, test = &Journeys{}, &Journeys{}
	part := func(n int64, key uint64) int64 {
		h := n / heldOutShare
		if int64(key%heldOutShare) < n%heldOutShare {
			h++
		}
		return h
	}
	var touches []Touch
	for k, i32 := range rows.order {
		i := int(i32)
		hc := part(js.conv[i], mix(rows.key[k]))
		hn := part(js.nulls[i], mix(rows.key[k]^0x5bd1e995))
		touches = js.touches(i, touches[:0])
		// The split keeps the counts; the value does not matter to the
		// fit and is left out.
		_ = train.Add(Journey{Touches: touches, Conversions: js.conv[i] - hc, Nulls: js.nulls[i] - hn})
		_ = test.Add(Journey{Touches: touches, Conversions: hc, Nulls: hn})
	}
	return train, test
}

// addCount returns n + x for x ≥ 0, and false when the sum passes
// math.MaxInt64: a path of k touches makes k + 1 transitions per journey,
// so counts within int64 can make more transitions than int64 holds.
func addCount(n, x int64) (int64, bool) {
	if x > math.MaxInt64-n {
		return n, false
	}
	return n + x, true
}

// fit returns the in-sample fit of the chain and its number of
// transitions; ok is false when they pass math.MaxInt64 (the sum wrapped,
// and ln N of a negative N made BIC NaN).
func (c *Chain) fit() (_ OrderFit, _ int64, ok bool) {
	out := c.outCounts()
	var f OrderFit
	var n int64
	succ := make([]int, len(c.nodes))
	term := func(x, total int64) float64 { return float64(x) * math.Log(float64(x)/float64(total)) }
	for e, x := range c.counts {
		if x > 0 {
			from := c.from[e]
			succ[from]++
			f.LogLik += term(x, out[from])
			if n, ok = addCount(n, x); !ok {
				return f, n, false
			}
		}
	}
	for id := range c.nodes {
		for _, x := range []int64{c.toConv[id], c.toNull[id]} {
			if x > 0 {
				succ[id]++
				f.LogLik += term(x, out[id])
				if n, ok = addCount(n, x); !ok {
					return f, n, false
				}
			}
		}
		if out[id] > 0 {
			f.States++
			f.Parameters += succ[id] - 1
		}
	}
	f.BIC = -2*f.LogLik + float64(f.Parameters)*math.Log(float64(n))
	return f, n, true
}

// heldOut returns the smoothed log-likelihood of the transitions of the
// journeys of test under the chain, the sum of their squares and their
// number, ok false when that number passes math.MaxInt64; channels is
// the number of channels of all the journeys.
func (c *Chain) heldOut(test *Journeys, channels int) (ll, ll2 float64, n int64, ok bool) {
	out := c.outCounts()
	a := float64(channels + 2)
	keep := c.rules&KeepRepeats != 0
	over := false
	add := func(w, x int64, state int32) {
		p := 1 / a
		if state >= 0 {
			p = (float64(x) + 0.5) / (float64(out[state]) + 0.5*a)
		}
		l := math.Log(p)
		ll += float64(w) * l
		ll2 += float64(w) * l * l
		var fits bool
		if n, fits = addCount(n, w); !fits {
			over = true
		}
	}
	var window []string // the state's channels, the last Order touches
	for i := range test.Len() {
		conv, nulls := test.conv[i], test.nulls[i]
		w := conv + nulls
		if w == 0 {
			continue
		}
		// The journey's states are found by their channels, so a journey
		// that passed through a state the fitted chain never saw is
		// followed again once its last Order channels make a known one;
		// from an unknown state every step has probability 1/A.
		window = window[:0]
		cur, run := int32(0), 0
		for k, id := range test.path(i) {
			name := test.names[id]
			if k > 0 && name == window[len(window)-1] {
				run++
				if !keep || run >= c.order {
					continue // merged, or a state that would follow itself
				}
			} else {
				run = 0
			}
			x := int64(0)
			if ch, ok := c.index[name]; ok && cur >= 0 {
				if e, ok := c.edges[uint64(cur)<<32|uint64(ch)]; ok {
					x = c.counts[e]
				}
			}
			add(w, x, cur)
			if len(window) == c.order {
				window = append(window[:0], window[1:]...)
			}
			window = append(window, name)
			cur = c.lookup(window)
		}
		var xc, xn int64
		if cur >= 0 {
			xc, xn = c.toConv[cur], c.toNull[cur]
		}
		if conv > 0 {
			add(conv, xc, cur)
		}
		if nulls > 0 {
			add(nulls, xn, cur)
		}
	}
	return ll, ll2, n, !over
}

// lookup returns the chain's state of the channels names, or -1 when the
// chain has no such state.
func (c *Chain) lookup(names []string) int32 {
	node := int32(0)
	for _, name := range names {
		ch, ok := c.index[name]
		if !ok {
			return -1
		}
		if node, ok = c.child[uint64(node)<<32|uint64(ch)]; !ok {
			return -1
		}
	}
	return node
}
