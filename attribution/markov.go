package attribution

import (
	"cmp"
	"errors"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/kpiflow/kpi/internal/errs"
)

// Markov is the Markov-chain model of order Order (Anderl et al. 2016,
// "Mapping the customer journey: Lessons learned from graph-based online
// attribution modeling", IJRM 33(3)): the states of the chain are the last
// Order channels of a journey (fewer in its first Order − 1 touches), plus
// a start state and the absorbing states conversion and null. A zero Order
// means 1.
//
// Before the states are formed, repeated touches of the same channel in a
// row are merged into one (a > a > b is read as a > b), as
// ChannelAttribution does; so no state follows itself. A journey that took
// a path Conversions + Nulls times adds that weight to every transition
// along its path, then Conversions to the transition from its last state
// to conversion and Nulls to the one to null. A transition's probability
// is its count over the count of all transitions out of its state.
//
// The conversion probability P is the probability that the chain, run
// from the start state, is absorbed in conversion. Taking channel c out
// turns every state whose last Order channels include c into a dead end
// (absorbed in null); the probability of conversion is then P₋c, and c's
// removal effect is
//
//	RE_c = 1 − P₋c / P
//
// Channel c is credited with the conversions C and the value V in
// proportion to its removal effect:
//
//	conversions_c = C · RE_c / Σ_d RE_d
//
// Unlike ChannelAttribution, which estimates P and P₋c by simulating the
// chain, the probabilities are computed exactly from the absorbing chain
// (see Chain.Result), so the same journeys always give the same result, bit
// for bit.
type Markov struct {
	Order int
}

// Attribute returns the Markov credits: it builds the chain of the
// journeys, as Markov.Chain does, and reads its Result.
//
// Errors wrap kpi.ErrInvalid for an Order below 0, nil journeys or counts
// too large for the chain (see Chain.Add), and kpi.ErrUndefined when the
// journeys have no conversions.
func (m Markov) Attribute(js *Journeys) (*Result, error) {
	const fn = "attribution.Markov.Attribute"
	c, err := m.chain(fn, js)
	if err != nil {
		return nil, err
	}
	return c.result(fn)
}

// Chain returns the chain of order Order (1 when Order is 0) that counts
// the transitions of the journeys of js: the chain Attribute solves, for
// inspection (Chain.Transitions) or to merge with the chains of other
// partitions.
//
// Errors wrap kpi.ErrInvalid: an Order below 0, nil journeys, or counts
// too large for the chain (see Chain.Add).
func (m Markov) Chain(js *Journeys) (*Chain, error) {
	return m.chain("attribution.Markov.Chain", js)
}

func (m Markov) chain(fn string, js *Journeys) (*Chain, error) {
	order := m.Order
	if order == 0 {
		order = 1
	}
	if order < 1 {
		return nil, errs.Invalid(fn, "Order", m.Order, "must be ≥ 0")
	}
	if js == nil {
		return nil, errs.Invalid(fn, "js", js, "nil Journeys")
	}
	c := newChain(order)
	if err := c.addJourneys(fn, js); err != nil {
		return nil, err
	}
	return c, nil
}

// Chain is an accumulator of the transition counts of a Markov chain of a
// fixed order (see Markov for the states and counts), following the kpi
// accumulator contract: Add counts one journey, AddAll a stream of them,
// Merge adds another chain's counts, so partitions of the data can be
// counted in parallel; Result computes the attribution and leaves the
// chain as it was. Merging a chain with itself is an error.
//
// The zero Chain has no order and is not ready to use: its methods return
// an error wrapping kpi.ErrInvalid naming NewChain (Transitions returns
// none). A Chain is not safe for concurrent use.
type Chain struct {
	order int
	names []string
	index map[string]int32

	// The states form a trie of channel tuples; node 0 is the empty tuple,
	// the start state.
	nodes []node
	child map[uint64]int32 // node<<32 | channel → node

	// The transitions between states: from state s on channel ch the
	// chain moves to one state, so (s, ch) keys a transition.
	edges   map[uint64]int32 // from<<32 | channel → transition
	tab     []int32          // a dense copy of edges: tab[from·stride+channel] = transition+1; nil when too large
	stride  int
	from    []int32 // per transition: its state
	to      []int32 // per transition: the state it goes to
	counts  []int64 // per transition: how often it was taken
	toConv  []int64 // per node: transitions to conversion
	toNull  []int64 // per node: transitions to null
	convSum int64
	nullSum int64
	n       int     // journeys added
	ids     []int32 // scratch: a journey's channel ids
	undo    []int32 // scratch: the transitions a journey has counted
	total   sum
	places  int32
}

// node is a tuple of channels: its prefix (parent), its last channel,
// and the tuple without its first channel (drop).
type node struct {
	parent, last, drop, depth int32
}

// NewChain returns an empty chain of the given order.
//
// Errors wrap kpi.ErrInvalid: order < 1.
func NewChain(order int) (*Chain, error) {
	if order < 1 {
		return nil, errs.Invalid("attribution.NewChain", "order", order, "must be ≥ 1")
	}
	return newChain(order), nil
}

func newChain(order int) *Chain {
	return &Chain{
		order:  order,
		index:  map[string]int32{},
		nodes:  []node{{parent: -1, last: -1}},
		child:  map[uint64]int32{},
		edges:  map[uint64]int32{},
		toConv: []int64{0},
		toNull: []int64{0},
	}
}

// next returns the tuple cur + ch, creating it if new.
func (c *Chain) next(cur, ch int32) int32 {
	key := uint64(cur)<<32 | uint64(ch)
	if id, ok := c.child[key]; ok {
		return id
	}
	drop := int32(0)
	if cur != 0 {
		drop = c.next(c.nodes[cur].drop, ch)
	}
	id := int32(len(c.nodes))
	c.nodes = append(c.nodes, node{parent: cur, last: ch, drop: drop, depth: c.nodes[cur].depth + 1})
	c.toConv = append(c.toConv, 0)
	c.toNull = append(c.toNull, 0)
	c.child[key] = id
	return id
}

// step moves from state cur on a touch of channel ch: the new state is
// the last order channels.
func (c *Chain) step(cur, ch int32) int32 {
	if int(c.nodes[cur].depth) == c.order {
		cur = c.nodes[cur].drop
	}
	return c.next(cur, ch)
}

// edge returns the transition from state cur on a touch of channel ch,
// creating it if new.
func (c *Chain) edge(cur, ch int32) int32 {
	if c.tab != nil {
		if i := int(cur)*c.stride + int(ch); int(ch) < c.stride && i < len(c.tab) && c.tab[i] != 0 {
			return c.tab[i] - 1
		}
	}
	key := uint64(cur)<<32 | uint64(ch)
	e, ok := c.edges[key]
	if !ok {
		e = int32(len(c.to))
		to := c.step(cur, ch)
		c.from = append(c.from, cur)
		c.to = append(c.to, to)
		c.counts = append(c.counts, 0)
		c.edges[key] = e
	}
	c.cache(cur, ch, e)
	return e
}

// maxTab bounds the dense table of transitions.
var maxTab = 1 << 24

// cache enters transition e in the dense table, growing it as needed, or
// gives the table up when it would grow too large.
func (c *Chain) cache(cur, ch, e int32) {
	if c.stride == 0 && c.tab == nil {
		c.stride = 32
		c.tab = []int32{}
	}
	if c.tab == nil {
		return
	}
	if int(ch) >= c.stride {
		c.stride = 2 * int(ch+1)
		c.tab = nil
		if len(c.nodes)*c.stride > maxTab {
			return
		}
		c.tab = make([]int32, len(c.nodes)*c.stride)
		for key, x := range c.edges {
			c.tab[int(key>>32)*c.stride+int(uint32(key))] = x + 1
		}
	}
	i := int(cur)*c.stride + int(ch)
	if i >= len(c.tab) {
		n := max(2*len(c.tab), i+1, len(c.nodes)*c.stride)
		if n > maxTab {
			c.tab = nil
			return
		}
		c.tab = append(c.tab, make([]int32, n-len(c.tab))...)
	}
	c.tab[i] = e + 1
}

func (c *Chain) intern(name string) int32 {
	if id, ok := c.index[name]; ok {
		return id
	}
	id := int32(len(c.names))
	c.names = append(c.names, name)
	c.index[name] = id
	return id
}

// zero returns the error of a method called on the zero Chain.
func (c *Chain) zero(fn string) error {
	if c.order == 0 {
		return errs.Zero(fn, "Chain", "attribution.NewChain")
	}
	return nil
}

// forget drops the channel names interned since the chain had n0: the
// states and transitions made for them keep zero counts, which is the
// same as not having them.
func (c *Chain) forget(n0 int) {
	for _, name := range c.names[n0:] {
		delete(c.index, name)
	}
	c.names = c.names[:n0]
}

// count adds a journey of channel ids ids with conv conversions and nulls
// non-conversions (conv + nulls fits an int64), and reports false, leaving
// the counts as they were, when one would overflow int64.
func (c *Chain) count(ids []int32, conv, nulls int64) bool {
	w := conv + nulls
	if w == 0 {
		return true
	}
	c.undo = c.undo[:0]
	cur, prev := int32(0), int32(-1)
	for _, ch := range ids {
		if ch == prev {
			continue
		}
		prev = ch
		e := c.edge(cur, ch)
		if c.counts[e] > math.MaxInt64-w {
			c.revert(w)
			return false
		}
		c.counts[e] += w
		c.undo = append(c.undo, e)
		cur = c.to[e]
	}
	if c.toConv[cur] > math.MaxInt64-conv || c.toNull[cur] > math.MaxInt64-nulls {
		c.revert(w)
		return false
	}
	c.toConv[cur] += conv
	c.toNull[cur] += nulls
	return true
}

// revert takes w off the transitions count noted in undo.
func (c *Chain) revert(w int64) {
	for _, e := range c.undo {
		c.counts[e] -= w
	}
}

// Add counts the transitions of a journey (see Markov).
//
// Errors wrap kpi.ErrInvalid and name the journey by its index (the number
// of journeys added before it): those of Journeys.Add, and a transition
// count that would overflow int64. A journey that fails is not counted.
func (c *Chain) Add(j Journey) error {
	const fn = "attribution.Chain.Add"
	if err := c.zero(fn); err != nil {
		return err
	}
	m, s, big, fe := checkJourney(j, c.convSum, c.nullSum)
	if fe != nil {
		return errs.Invalid(fn, fmt.Sprintf("journey %d %s", c.n, fe.arg), fe.value, fe.reason)
	}
	n0 := len(c.names)
	c.ids = c.ids[:0]
	for _, t := range j.Touches {
		c.ids = append(c.ids, c.intern(t.Channel))
	}
	if !c.count(c.ids, j.Conversions, j.Nulls) {
		c.forget(n0)
		return errs.Invalid(fn, fmt.Sprintf("journey %d conversions + nulls", c.n), j.Conversions+j.Nulls, "a transition count overflows int64")
	}
	c.n++
	c.convSum += j.Conversions
	c.nullSum += j.Nulls
	if big {
		c.total.addDecimal(j.Value)
		c.places = max(c.places, -j.Value.Exponent())
	} else {
		c.total.add(m, s)
		c.places = max(c.places, int32(s))
	}
	return nil
}

// AddAll counts the journeys of seq in order, stopping at the first that
// fails, with the error Add gives; the journeys before it stay counted. A
// nil seq adds nothing.
func (c *Chain) AddAll(seq iter.Seq[Journey]) error {
	if err := c.zero("attribution.Chain.AddAll"); err != nil {
		return err
	}
	if seq == nil {
		return nil
	}
	for j := range seq {
		if err := c.Add(j); err != nil {
			return err
		}
	}
	return nil
}

// addJourneys counts every journey of js into a new chain, which is of no
// use after an error.
func (c *Chain) addJourneys(fn string, js *Journeys) error {
	remap := make([]int32, len(js.names))
	for id, name := range js.names {
		remap[id] = c.intern(name)
	}
	for i := range js.Len() {
		c.ids = c.ids[:0]
		for _, id := range js.path(i) {
			c.ids = append(c.ids, remap[id])
		}
		if !c.count(c.ids, js.conv[i], js.nulls[i]) {
			return errs.Invalid(fn, fmt.Sprintf("journey %d conversions + nulls", i), js.conv[i]+js.nulls[i], "a transition count overflows int64")
		}
	}
	c.n += js.Len()
	c.convSum += js.convSum
	c.nullSum += js.nullSum
	c.total.merge(&js.total)
	c.places = max(c.places, js.places)
	return nil
}

// Merge adds the counts of o to c, as if o's journeys had been added to c
// one by one, and leaves o unchanged.
//
// Errors wrap kpi.ErrInvalid, and leave c as it was: o nil or the zero
// Chain, o the same chain as c, chains of different orders, or a count
// that would overflow int64.
func (c *Chain) Merge(o *Chain) error {
	const fn = "attribution.Chain.Merge"
	if err := c.zero(fn); err != nil {
		return err
	}
	switch {
	case o == nil:
		return errs.Invalid(fn, "o", o, "nil Chain")
	case o == c:
		return errs.Invalid(fn, "o", fmt.Sprintf("%p", o), "merging a Chain with itself")
	case o.order == 0:
		return errs.Zero(fn, "o Chain", "attribution.NewChain")
	case o.order != c.order:
		return errs.Invalid(fn, "o order", o.order, fmt.Sprintf("differs from %d", c.order))
	case o.convSum > math.MaxInt64-c.convSum || o.nullSum > math.MaxInt64-c.nullSum:
		return errs.Invalid(fn, "o conversions", o.convSum, "totals overflow int64")
	}
	n0 := len(c.names)
	remap := make([]int32, len(o.names))
	for id, name := range o.names {
		remap[id] = c.intern(name)
	}
	// First make every state and transition of o in c, then check that no
	// count overflows, then add: o's transitions and states map to
	// distinct ones of c.
	nodes := make([]int32, len(o.nodes)) // o's nodes are created parents first
	for id := 1; id < len(o.nodes); id++ {
		nodes[id] = c.next(nodes[o.nodes[id].parent], remap[o.nodes[id].last])
	}
	edges := make([]int32, len(o.counts))
	for e := range o.counts {
		edges[e] = c.edge(nodes[o.from[e]], remap[o.nodes[o.to[e]].last])
	}
	over := func(a, b int64) bool { return a > math.MaxInt64-b }
	for e, n := range o.counts {
		if over(c.counts[edges[e]], n) {
			c.forget(n0)
			return errs.Invalid(fn, "o transition "+o.stateName(o.from[e])+" → "+o.stateName(o.to[e]), n, fmt.Sprintf("with count %d overflows int64", c.counts[edges[e]]))
		}
	}
	for id := range o.nodes {
		if over(c.toConv[nodes[id]], o.toConv[id]) || over(c.toNull[nodes[id]], o.toNull[id]) {
			c.forget(n0)
			return errs.Invalid(fn, "o state "+o.stateName(int32(id)), o.toConv[id]+o.toNull[id], "a count to conversion or null overflows int64")
		}
	}
	for e, n := range o.counts {
		c.counts[edges[e]] += n
	}
	for id := range o.nodes {
		c.toConv[nodes[id]] += o.toConv[id]
		c.toNull[nodes[id]] += o.toNull[id]
	}
	c.n += o.n
	c.convSum += o.convSum
	c.nullSum += o.nullSum
	c.total.merge(&o.total)
	c.places = max(c.places, o.places)
	return nil
}

// Transition is one observed transition of a chain. States are written as
// their channels joined by " > ", and "(start)", "(conversion)" and
// "(null)".
type Transition struct {
	From, To    string
	Count       int64
	Probability float64 // Count over all transitions out of From
}

// outCounts returns the count of all transitions out of each state.
func (c *Chain) outCounts() []int64 {
	out := make([]int64, len(c.nodes))
	for e, n := range c.counts {
		out[c.from[e]] += n
	}
	for id := range c.nodes {
		out[id] += c.toConv[id] + c.toNull[id]
	}
	return out
}

// stateName writes a state's channels.
func (c *Chain) stateName(id int32) string {
	if id == 0 {
		return "(start)"
	}
	var parts []string
	for ; id != 0; id = c.nodes[id].parent {
		parts = append(parts, c.names[c.nodes[id].last])
	}
	slices.Reverse(parts)
	return strings.Join(parts, " > ")
}

// Transitions returns the transitions observed, sorted by From and To,
// for inspection.
func (c *Chain) Transitions() []Transition {
	out := c.outCounts()
	var ts []Transition
	prob := func(n int64, id int32) float64 { return float64(n) / float64(out[id]) }
	for e, n := range c.counts {
		if n > 0 {
			ts = append(ts, Transition{From: c.stateName(c.from[e]), To: c.stateName(c.to[e]), Count: n, Probability: prob(n, c.from[e])})
		}
	}
	for id := range c.nodes {
		if n := c.toConv[id]; n > 0 {
			ts = append(ts, Transition{From: c.stateName(int32(id)), To: "(conversion)", Count: n, Probability: prob(n, int32(id))})
		}
		if n := c.toNull[id]; n > 0 {
			ts = append(ts, Transition{From: c.stateName(int32(id)), To: "(null)", Count: n, Probability: prob(n, int32(id))})
		}
	}
	slices.SortFunc(ts, func(a, b Transition) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	return ts
}

// Result computes the conversion probability, each channel's removal
// effect and the attributed conversions and value (see Markov). The
// result's Conversion is P and each credit's Removal is RE_c.
//
// The absorption probabilities x (one per state) solve the linear system
//
//	x = Q·x + r
//
// where Q holds the transition probabilities between states and r those
// into conversion. Chains of up to 64 states are solved by LU
// decomposition (gonum mat). Larger chains are solved by Gauss–Seidel
// sweeps run from below (x = 0) and from above (x = 1) at once; both
// sequences converge monotonically to x, and the sweeps stop when they are
// within 1e-13 of each other in every state, which bounds the error; if
// that takes longer than LU would, chains of up to 1,500 states fall back
// to LU.
//
// Errors wrap kpi.ErrUndefined: no conversions; a chain too large to solve
// that the sweeps did not settle.
//
// Result does not change the chain: more journeys can be added after it.
func (c *Chain) Result() (*Result, error) {
	const fn = "attribution.Chain.Result"
	if err := c.zero(fn); err != nil {
		return nil, err
	}
	return c.result(fn)
}

func (c *Chain) result(fn string) (*Result, error) {
	if c.convSum == 0 {
		return nil, errs.Undefined(fn, "conversions", c.convSum, "no conversions to attribute")
	}
	s := c.system()
	p, err := s.solve(nil)
	if err != nil {
		return nil, errs.Undefined(fn, "chain", fmt.Sprintf("%d states", s.n), err.Error())
	}
	if !(p > 0) {
		return nil, errs.Undefined(fn, "conversion probability", p, "no path to conversion")
	}
	// The removal solves are independent: run them on all processors,
	// each into its own slot, so the result does not depend on timing.
	re := make([]float64, len(c.names))
	fails := make([]error, len(c.names))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(c.names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			removed := make([]bool, len(c.nodes))
			for ch := range next {
				for id := 1; id < len(c.nodes); id++ {
					nd := c.nodes[id]
					removed[id] = int(nd.last) == ch || removed[nd.parent]
				}
				var pc float64
				pc, fails[ch] = s.solve(removed)
				re[ch] = max(0, 1-pc/p)
			}
		}()
	}
	for ch := range c.names {
		next <- ch
	}
	close(next)
	wg.Wait()
	sumRE := 0.0
	for ch := range re {
		if fails[ch] != nil {
			return nil, errs.Undefined(fn, "chain", fmt.Sprintf("%d states", s.n), fails[ch].Error())
		}
		sumRE += re[ch]
	}
	if !(sumRE > 0) {
		return nil, errs.Undefined(fn, "removal effects", sumRE, "no channel changes the conversion probability")
	}
	conv := make([]float64, len(c.names))
	for ch := range re {
		conv[ch] = float64(c.convSum) * re[ch] / sumRE
	}
	r, err := newResult(fn, fmt.Sprintf("markov order %d", c.order), c.names, conv, re, c.convSum, c.total.decimal(), c.places,
		func(id int, cr *Credit) { cr.Removal = re[id] })
	if err != nil {
		return nil, err
	}
	r.Conversion = p
	return r, nil
}

// system is a chain's transient states in a compressed sparse row form.
type system struct {
	n      int     // states, the start state being 0
	row    []int   // state i's transitions are col/prob[row[i]:row[i+1]]
	col    []int32 // target state
	prob   []float64
	r      []float64 // probability of converting next
	self   []float64 // probability of staying
	nodeOf []int32   // state → chain node
}

// system builds the sparse form of the chain.
func (c *Chain) system() *system {
	// The transitions by state, then target, so that the sums run in an
	// order that does not depend on the order of the journeys.
	order := make([]int32, len(c.to))
	for e := range order {
		order[e] = int32(e)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(c.from[a], c.from[b]), cmp.Compare(c.to[a], c.to[b]))
	})
	out := c.outCounts()
	state := make([]int32, len(c.nodes))
	s := &system{}
	for id := range c.nodes {
		state[id] = -1
		if id == 0 || out[id] > 0 {
			state[id] = int32(len(s.nodeOf))
			s.nodeOf = append(s.nodeOf, int32(id))
		}
	}
	s.n = len(s.nodeOf)
	s.row = make([]int, s.n+1)
	s.r = make([]float64, s.n)
	s.self = make([]float64, s.n)
	k := 0
	for i, id := range s.nodeOf {
		s.row[i] = len(s.col)
		if out[id] > 0 {
			s.r[i] = float64(c.toConv[id]) / float64(out[id])
		}
		for ; k < len(order) && c.from[order[k]] < id; k++ {
		}
		for ; k < len(order) && c.from[order[k]] == id; k++ {
			e := order[k]
			if c.counts[e] == 0 {
				continue
			}
			p := float64(c.counts[e]) / float64(out[id])
			if c.to[e] == id {
				s.self[i] += p
				continue
			}
			s.col = append(s.col, state[c.to[e]])
			s.prob = append(s.prob, p)
		}
	}
	s.row[s.n] = len(s.col)
	return s
}

// Solver limits; variables only so that tests can reach every path.
var (
	denseStates         = 64    // solve chains this small by LU
	maxDense            = 1500  // the largest chain LU falls back to
	sweepBudget float64 = 4e8   // the most transition updates the sweeps may spend
	minBudget   float64 = 1e6   // … but at least this many when LU is the fallback
	tolerance           = 1e-13 // the sweeps stop when the bounds are this close
)

// solve returns the probability that the chain run from the start state
// converts, with the states whose node is removed made dead ends.
func (s *system) solve(removed []bool) (float64, error) {
	dead := func(i int) bool { return removed != nil && i > 0 && removed[s.nodeOf[i]] }
	var x []float64
	if s.n <= denseStates {
		x = s.dense(dead)
	} else {
		budget := sweepBudget
		if s.n <= maxDense {
			// Stop sweeping once the sweeps have cost what LU would.
			budget = min(budget, max(minBudget, float64(s.n)*float64(s.n)*float64(s.n)/3))
		}
		x = s.sweep(dead, budget)
		if x == nil {
			if s.n > maxDense {
				return 0, fmt.Errorf("absorption probabilities did not settle within %g updates", float64(sweepBudget))
			}
			x = s.dense(dead)
		}
	}
	p := s.r[0]
	for k := s.row[0]; k < s.row[1]; k++ {
		p += s.prob[k] * x[s.col[k]]
	}
	return min(1, max(0, p/(1-s.self[0]))), nil
}

// dense solves (I − Q)·x = r by LU decomposition.
func (s *system) dense(dead func(int) bool) []float64 {
	a := mat.NewDense(s.n, s.n, nil)
	b := mat.NewVecDense(s.n, nil)
	for i := range s.n {
		a.Set(i, i, 1)
		if dead(i) {
			continue
		}
		a.Set(i, i, 1-s.self[i])
		b.SetVec(i, s.r[i])
		for k := s.row[i]; k < s.row[i+1]; k++ {
			j := int(s.col[k])
			if !dead(j) {
				a.Set(i, j, a.At(i, j)-s.prob[k])
			}
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(a, b); err != nil {
		// I − Q of an absorbing chain is non-singular; a near-singular
		// warning still leaves the best solution available in x.
		var cond mat.Condition
		if x.Len() == 0 || !errors.As(err, &cond) {
			return make([]float64, s.n)
		}
	}
	out := make([]float64, s.n)
	for i := range out {
		out[i] = min(1, max(0, x.AtVec(i)))
	}
	return out
}

// sweep runs Gauss–Seidel from both bounds; nil means it ran out of
// budget.
func (s *system) sweep(dead func(int) bool, budget float64) []float64 {
	lo := make([]float64, s.n)
	hi := make([]float64, s.n)
	for i := range hi {
		if !dead(i) {
			hi[i] = 1
		}
	}
	nnz := max(1, len(s.col)+s.n)
	for spent := 0; float64(spent) < budget; spent += 2 * nnz {
		gap := 0.0
		for i := 1; i < s.n; i++ {
			if dead(i) {
				continue
			}
			l, h := s.r[i], s.r[i]
			for k := s.row[i]; k < s.row[i+1]; k++ {
				j := s.col[k]
				l += s.prob[k] * lo[j]
				h += s.prob[k] * hi[j]
			}
			d := 1 - s.self[i]
			lo[i], hi[i] = min(1, l/d), min(1, h/d)
			gap = max(gap, hi[i]-lo[i])
		}
		if gap <= tolerance {
			return lo
		}
	}
	return nil
}
