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

	"github.com/shopspring/decimal"
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
// Rules selects two conventions (see Rules); the zero Rules merges
// repeated touches of a channel in a row into one (a > a > b is read as
// a > b) and splits the value like the conversions. A journey that took a
// path Conversions + Nulls times adds that weight to every transition
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
// Channel c is credited with the conversions C in proportion to its
// removal effect:
//
//	conversions_c = C · RE_c / Σ_d RE_d
//
// and with the value V in the same proportion, or, with ValueRemoval, in
// proportion to its value removal effect (see Rules).
//
// ChannelAttribution (Altomare and Loris) estimates the same quantities by
// simulating the chain: the share of simulated conversions whose path
// visited c is RE_c, since a path that visits c cannot convert once c is
// removed. With Rules ChannelAttribution this model gives the limit of its
// markov_model as the number of simulations grows, at every order, with
// or without nulls; ChannelAttribution also stops a simulated path after
// max_step steps (by default the longest observed path), which the exact
// solution does not. The zero Rules differs from it from order 2 up,
// where ChannelAttribution keeps repeated channels, and in the value,
// which ChannelAttribution splits by value removal effects.
//
// The probabilities are computed exactly from the absorbing chain (see
// Chain.Result), so the same journeys always give the same result, bit for
// bit, in whatever order they come.
type Markov struct {
	Order int
	Rules Rules
}

// Rules are the conventions of a Markov model, flags combined with |.
// The zero Rules merges repeated channels and splits the value by the
// removal effects on conversions.
type Rules uint8

const (
	// KeepRepeats keeps repeated touches of a channel in a row: at order
	// 2, a > a > b passes through the states (a), (a a) and (a b). Only
	// a transition from a state to itself is dropped, as ChannelAttribution
	// does, so at order 1 repeats are merged all the same. Without it,
	// repeats in a row are merged at every order before the states are
	// formed.
	KeepRepeats Rules = 1 << iota

	// ValueRemoval splits the value by value removal effects instead of
	// conversion removal effects: the chain is solved a second time with
	// the transition into conversion from each state s weighted by the
	// mean value of the conversions that ended in s, which makes its
	// solution the expected value of a journey, V, and V₋c with c removed;
	// c's value removal effect is 1 − V₋c / V, and
	//
	//	value_c = V · VRE_c / Σ_d VRE_d
	//
	// The result's credits carry VRE_c in ValueRemoval.
	ValueRemoval

	// ChannelAttribution is the conventions of ChannelAttribution's
	// markov_model: repeats kept (merged only at order 1, where a state
	// would follow itself) and value split by value removal effects.
	ChannelAttribution = KeepRepeats | ValueRemoval

	allRules = ChannelAttribution
)

// String names the rules: "merged", "repeats kept", "value removal" or
// "ChannelAttribution".
func (r Rules) String() string {
	switch r &^ allRules {
	case 0:
	default:
		return fmt.Sprintf("Rules(%d)", uint8(r))
	}
	switch r {
	case 0:
		return "merged"
	case KeepRepeats:
		return "repeats kept"
	case ValueRemoval:
		return "value removal"
	}
	return "ChannelAttribution"
}

// Attribute returns the Markov credits: it builds the chain of the
// journeys, as Markov.Chain does, and reads its Result.
//
// Errors wrap kpi.ErrInvalid for an Order below 0, unknown Rules, nil
// journeys, more than MaxChannels channels or counts too large for the
// chain (see Chain.Add), and kpi.ErrUndefined when the journeys have no
// conversions.
func (m Markov) Attribute(js *Journeys) (*Result, error) {
	const fn = "attribution.Markov.Attribute"
	c, err := m.chain(fn, js)
	if err != nil {
		return nil, err
	}
	return c.result(fn)
}

// Chain returns the chain of order Order (1 when Order is 0) and rules
// Rules that counts the transitions of the journeys of js: the chain
// Attribute solves, for inspection (Chain.Transitions) or to merge with
// the chains of other partitions. An empty Journeys gives an empty chain
// with the model's rules, to count journeys into with Chain.Add.
//
// Errors wrap kpi.ErrInvalid: an Order below 0, unknown Rules, nil
// journeys, more than MaxChannels channels, or counts too large for the
// chain (see Chain.Add).
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
	if m.Rules&^allRules != 0 {
		return nil, errs.Invalid(fn, "Rules", uint8(m.Rules), "unknown rules")
	}
	if js == nil {
		return nil, errs.Invalid(fn, "js", js, "nil Journeys")
	}
	if n := len(js.names); n > MaxChannels {
		return nil, errs.Invalid(fn, "channels", n, fmt.Sprintf("more than %d (MaxChannels)", MaxChannels))
	}
	c := newChain(order, m.Rules)
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
	rules Rules
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
	val     []sum   // per node: the value of the conversions ending there; nil without ValueRemoval
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

// NewChain returns an empty chain of the given order with the zero Rules;
// Markov.Chain of an empty Journeys gives one with other rules.
//
// Errors wrap kpi.ErrInvalid: order < 1.
func NewChain(order int) (*Chain, error) {
	if order < 1 {
		return nil, errs.Invalid("attribution.NewChain", "order", order, "must be ≥ 1")
	}
	return newChain(order, 0), nil
}

func newChain(order int, rules Rules) *Chain {
	c := &Chain{
		order:  order,
		rules:  rules,
		index:  map[string]int32{},
		nodes:  []node{{parent: -1, last: -1}},
		child:  map[uint64]int32{},
		edges:  map[uint64]int32{},
		toConv: []int64{0},
		toNull: []int64{0},
	}
	if rules&ValueRemoval != 0 {
		c.val = []sum{{}}
	}
	return c
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
	if c.val != nil {
		c.val = append(c.val, sum{})
	}
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
// the counts as they were, when one would overflow int64. It returns the
// journey's last state, for its value.
func (c *Chain) count(ids []int32, conv, nulls int64) (int32, bool) {
	w := conv + nulls
	if w == 0 {
		return 0, true
	}
	c.undo = c.undo[:0]
	keep := c.rules&KeepRepeats != 0
	cur, prev := int32(0), int32(-1)
	for _, ch := range ids {
		if ch == prev && !keep {
			continue
		}
		prev = ch
		e := c.edge(cur, ch)
		if c.to[e] == cur {
			continue // a state that follows itself: kept repeats at order 1, or a run of Order repeats
		}
		if c.counts[e] > math.MaxInt64-w {
			c.revert(w)
			return 0, false
		}
		c.counts[e] += w
		c.undo = append(c.undo, e)
		cur = c.to[e]
	}
	if c.toConv[cur] > math.MaxInt64-conv || c.toNull[cur] > math.MaxInt64-nulls {
		c.revert(w)
		return 0, false
	}
	c.toConv[cur] += conv
	c.toNull[cur] += nulls
	return cur, true
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
	if n0 == MaxChannels && len(c.names) > n0 {
		c.forget(n0)
		return errs.Invalid(fn, fmt.Sprintf("journey %d channels", c.n), n0+1, fmt.Sprintf("more than %d (MaxChannels)", MaxChannels))
	}
	last, ok := c.count(c.ids, j.Conversions, j.Nulls)
	if !ok {
		c.forget(n0)
		return errs.Invalid(fn, fmt.Sprintf("journey %d conversions + nulls", c.n), j.Conversions+j.Nulls, "a transition count overflows int64")
	}
	c.n++
	c.convSum += j.Conversions
	c.nullSum += j.Nulls
	if big {
		v := canonical(j.Value)
		c.total.addDecimal(v)
		c.places = max(c.places, -v.Exponent())
		if c.val != nil {
			c.val[last].addDecimal(v)
		}
	} else {
		c.total.add(m, s)
		c.places = max(c.places, int32(s))
		if c.val != nil && m != 0 {
			c.val[last].add(m, s)
		}
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
		last, ok := c.count(c.ids, js.conv[i], js.nulls[i])
		if !ok {
			return errs.Invalid(fn, fmt.Sprintf("journey %d conversions + nulls", i), js.conv[i]+js.nulls[i], "a transition count overflows int64")
		}
		if c.val != nil && js.conv[i] > 0 {
			if v, big := js.valBig[i]; big {
				c.val[last].addDecimal(v)
			} else if js.valM[i] != 0 {
				c.val[last].add(js.valM[i], js.valS[i])
			}
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
	case o.rules != c.rules:
		return errs.Invalid(fn, "o rules", o.rules.String(), fmt.Sprintf("differ from %s", c.rules))
	case o.convSum > math.MaxInt64-c.convSum || o.nullSum > math.MaxInt64-c.nullSum:
		return errs.Invalid(fn, "o conversions", o.convSum, "totals overflow int64")
	}
	n0 := len(c.names)
	remap := make([]int32, len(o.names))
	for id, name := range o.names {
		remap[id] = c.intern(name)
	}
	if len(c.names) > MaxChannels {
		n := len(c.names)
		c.forget(n0)
		return errs.Invalid(fn, "o channels", n, fmt.Sprintf("together more than %d (MaxChannels)", MaxChannels))
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
		if c.val != nil {
			c.val[nodes[id]].merge(&o.val[id])
		}
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
	From        string  `json:"from"`
	To          string  `json:"to"`
	Count       int64   `json:"count"`
	Probability float64 `json:"probability"` // Count over all transitions out of From
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
// into conversion. At order 1, where each state is one channel, P and
// every P₋c come from one inversion of I − Q (gonum mat) by first
// passage: P₋c = x₀ − N₀c·x_c/N_cc with N = (I − Q)⁻¹ and x = N·r.
// Otherwise each removal is a solve of its own: chains of up to 64 states
// are solved by LU decomposition (gonum mat), larger chains by
// Gauss–Seidel sweeps, forward and backward in turn, run from below
// (x = 0) and from above (x = 1) at once; both sequences converge
// monotonically to x, and the sweeps stop when they are within 1e-13 of
// each other in every state, which bounds the error; if that takes longer
// than LU would, chains of up to 1,500 states fall back to LU. Removing c
// changes x only at the states from which a state holding c can be
// reached, so after the chain as it is has been swept, each removal
// sweeps only those, from 0 and from the chain's own upper bounds, and
// costs the part of the chain upstream of c: the whole chain only when
// every state can reach c.
//
// Errors wrap kpi.ErrUndefined: no conversions; a chain too large to solve
// that the sweeps did not settle. A total value beyond the library's bound
// on money (30 digits before the point), which values within it can add up
// to, wraps kpi.ErrInvalid.
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
	sol, err := s.removals(c.val != nil, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, errs.Undefined(fn, "chain", fmt.Sprintf("%d states", s.n), err.Error())
	}
	if !(sol.p > 0) {
		return nil, errs.Undefined(fn, "conversion probability", sol.p, "no path to conversion")
	}
	return c.credits(fn, s, sol, float64(c.convSum), c.total.decimal())
}

// credits turns a solution into a Result with conversions conv and value
// total.
func (c *Chain) credits(fn string, s *system, sol *solution, conv float64, total decimal.Decimal) (*Result, error) {
	sumRE, sumVRE := sol.sums()
	if !(sumRE > 0) {
		return nil, errs.Undefined(fn, "removal effects", sumRE, "no channel changes the conversion probability")
	}
	vw := sol.re
	if c.val != nil {
		if !(sumVRE > 0) && !total.IsZero() {
			return nil, errs.Undefined(fn, "value removal effects", sumVRE, "no channel changes the expected value")
		}
		vw = sol.vre
	}
	credit := make([]float64, len(s.names))
	for ch := range credit {
		credit[ch] = conv * sol.re[ch] / sumRE
	}
	name := fmt.Sprintf("markov order %d", c.order)
	if c.rules != 0 {
		name += " (" + c.rules.String() + ")"
	}
	r, err := newResult(fn, name, s.names, credit, vw, c.convSum, total, c.places,
		func(id int, cr *Credit) {
			cr.Removal = sol.re[id]
			if c.val != nil {
				cr.ValueRemoval = sol.vre[id]
			}
		})
	if err != nil {
		return nil, err
	}
	r.Conversion = sol.p
	return r, nil
}

// solution is a solved chain: P, and each channel's removal effect, by
// the system's channel index (sorted by name); with value, also the
// normalised expected value and the value removal effects.
type solution struct {
	p, v    float64
	re, vre []float64
}

// sums adds up the removal effects in channel order.
func (sol *solution) sums() (re, vre float64) {
	for ch := range sol.re {
		re += sol.re[ch]
		if sol.vre != nil {
			vre += sol.vre[ch]
		}
	}
	return re, vre
}

// removals solves the system as it is and with each channel removed. The
// removal solves are independent: they run on up to workers goroutines,
// each into its own slot, so the result does not depend on timing.
func (s *system) removals(value bool, workers int) (*solution, error) {
	if s.order == 1 && s.n <= maxDense {
		if sol := s.firstPassage(value); sol != nil {
			return sol, nil
		}
	}
	sol := &solution{re: make([]float64, len(s.names))}
	full, err := s.solveAll(s.r)
	if err != nil {
		return nil, err
	}
	sol.p = full.p
	var fullV *passage
	if value {
		sol.vre = make([]float64, len(s.names))
		if fullV, err = s.solveAll(s.rv); err != nil {
			return nil, err
		}
		sol.v = fullV.p
	}
	fails := make([]error, len(s.names))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(workers, len(s.names))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc removal
			for ch := range next {
				var pc float64
				pc, fails[ch] = s.without(int32(ch), full, &sc)
				sol.re[ch] = effect(pc, sol.p)
				if value && fails[ch] == nil {
					pc, fails[ch] = s.without(int32(ch), fullV, &sc)
					sol.vre[ch] = effect(pc, sol.v)
				}
			}
		}()
	}
	for ch := range s.names {
		next <- ch
	}
	close(next)
	wg.Wait()
	for _, err := range fails {
		if err != nil {
			return nil, err
		}
	}
	return sol, nil
}

// firstPassage solves an order-1 system, whose states are its channels,
// for all removals at once from the fundamental matrix N = (I − Q)⁻¹
// (gonum mat): a journey converts without visiting c's state exactly when
// it does not convert after its first visit there, so
//
//	P₋c = x₀ − N₀c · x_c / N_cc
//
// with x = N·r the probabilities of converting from each state and
// N₀c / N_cc the probability of ever reaching c from the start. One
// inversion, O(n³), replaces a solve per channel. It returns nil when the
// inversion fails, for the solves to take over.
func (s *system) firstPassage(value bool) *solution {
	a := mat.NewDense(s.n, s.n, nil)
	for i := range s.n {
		a.Set(i, i, 1-s.self[i])
		for k := s.row[i]; k < s.row[i+1]; k++ {
			j := int(s.col[k])
			a.Set(i, j, a.At(i, j)-s.prob[k])
		}
	}
	var inv mat.Dense
	if err := inv.Inverse(a); err != nil {
		return nil
	}
	state := make([]int, len(s.names)) // channel → its state, or 0 when it has none
	for ch, m := range s.members {
		if len(m) > 0 {
			state[ch] = int(m[0])
		}
	}
	removed := func(r []float64) (p float64, re []float64) {
		x := mat.NewVecDense(s.n, nil)
		x.MulVec(&inv, mat.NewVecDense(s.n, r))
		clamp := func(v float64) float64 { return min(1, max(0, v)) }
		p = clamp(x.AtVec(0))
		re = make([]float64, len(s.names))
		for ch, i := range state {
			if i == 0 {
				continue
			}
			pc := clamp(p - inv.At(0, i)*clamp(x.AtVec(i))/inv.At(i, i))
			re[ch] = effect(pc, p)
		}
		return p, re
	}
	sol := &solution{}
	sol.p, sol.re = removed(s.r)
	if value {
		sol.v, sol.vre = removed(s.rv)
	}
	return sol
}

// effect is the removal effect 1 − p₋/p, 0 when p is 0.
func effect(removed, p float64) float64 {
	if !(p > 0) {
		return 0
	}
	return max(0, 1-removed/p)
}

// system is a chain's transient states in a compressed sparse row form,
// numbered canonically: channels by name, states by their channels, so
// that the solution does not depend on the order of the journeys.
type system struct {
	order  int     // the chain's order
	n      int     // states, the start state being 0
	row    []int   // state i's transitions are col/prob[row[i]:row[i+1]]
	col    []int32 // target state
	edge   []int32 // the chain's transition
	prob   []float64
	r      []float64 // probability of converting next
	rv     []float64 // the same weighted by the mean value of the conversions, over the largest mean
	self   []float64 // probability of staying
	nodeOf []int32   // state → chain node
	names  []string  // the channels, sorted
	chanOf []int32   // chain channel id → index in names
	// members lists the states that hold each channel, by index in
	// names; pred and predRow are the transitions reversed: the states
	// with a transition into state j (other than j itself) are
	// pred[predRow[j]:predRow[j+1]].
	members [][]int32
	predRow []int
	pred    []int32
}

// clone returns a system with the same structure and weights of its own,
// to be set with weigh.
func (s *system) clone() *system {
	t := *s
	t.prob, t.r, t.rv, t.self = nil, nil, nil, nil
	return &t
}

// system builds the sparse form of the chain.
func (c *Chain) system() *system {
	s := &system{names: slices.Clone(c.names), order: c.order}
	slices.Sort(s.names)
	s.chanOf = make([]int32, len(c.names))
	for id, name := range c.names {
		k, _ := slices.BinarySearch(s.names, name)
		s.chanOf[id] = int32(k)
	}
	out := c.outCounts()
	// The states, sorted by their channels' indexes from first to last;
	// a prefix comes before its extensions, the start state first.
	keys := make([][]int32, len(c.nodes))
	var nodes []int32
	for id := range c.nodes {
		if id != 0 && out[id] == 0 {
			continue
		}
		for x := int32(id); x != 0; x = c.nodes[x].parent {
			keys[id] = append(keys[id], s.chanOf[c.nodes[x].last])
		}
		slices.Reverse(keys[id])
		nodes = append(nodes, int32(id))
	}
	slices.SortFunc(nodes, func(a, b int32) int { return slices.Compare(keys[a], keys[b]) })
	s.nodeOf = nodes
	s.n = len(nodes)
	state := make([]int32, len(c.nodes))
	for i := range state {
		state[i] = -1
	}
	for i, id := range nodes {
		state[id] = int32(i)
	}
	s.structure(c, state, keys)
	var val []float64
	if c.val != nil {
		val = make([]float64, len(c.val))
		for id := range c.val {
			val[id] = c.val[id].float()
		}
	}
	s.weigh(c.counts, c.toConv, c.toNull, val)
	return s
}

// structure fills the states' channels and the transitions, by state and
// then target.
func (s *system) structure(c *Chain, state []int32, keys [][]int32) {
	s.members = make([][]int32, len(s.names))
	for i, id := range s.nodeOf {
		for k, ch := range keys[id] {
			// A state holds a channel once however often it comes.
			if !slices.Contains(keys[id][:k], ch) {
				s.members[ch] = append(s.members[ch], int32(i))
			}
		}
	}
	var es []int32
	for e, n := range c.counts {
		if n > 0 {
			es = append(es, int32(e))
		}
	}
	slices.SortFunc(es, func(a, b int32) int {
		return cmp.Or(cmp.Compare(state[c.from[a]], state[c.from[b]]), cmp.Compare(state[c.to[a]], state[c.to[b]]))
	})
	s.row = make([]int, s.n+1)
	s.col = make([]int32, len(es))
	s.edge = es
	k := 0
	for i := range s.n {
		s.row[i] = k
		for ; k < len(es) && state[c.from[es[k]]] == int32(i); k++ {
			s.col[k] = state[c.to[es[k]]]
		}
	}
	s.row[s.n] = k
	s.predRow = make([]int, s.n+1)
	for i := range s.n {
		for _, j := range s.col[s.row[i]:s.row[i+1]] {
			if int(j) != i {
				s.predRow[j+1]++
			}
		}
	}
	for j := range s.n {
		s.predRow[j+1] += s.predRow[j]
	}
	s.pred = make([]int32, s.predRow[s.n])
	fill := slices.Clone(s.predRow[:s.n])
	for i := range s.n {
		for k := s.row[i]; k < s.row[i+1]; k++ {
			if j := s.col[k]; int(j) != i {
				s.pred[fill[j]] = int32(i)
				fill[j]++
			}
		}
	}
}

// weigh sets the probabilities of the system's transitions from counts
// per transition and per node (to conversion, to null, value).
func (s *system) weigh(counts, toConv, toNull []int64, val []float64) {
	if s.prob == nil {
		s.prob = make([]float64, len(s.col))
		s.r = make([]float64, s.n)
		s.self = make([]float64, s.n)
	}
	if val != nil && s.rv == nil {
		s.rv = make([]float64, s.n)
	}
	top := 0.0
	for i, id := range s.nodeOf {
		out := toConv[id] + toNull[id]
		for k := s.row[i]; k < s.row[i+1]; k++ {
			out += counts[s.edge[k]]
		}
		s.r[i], s.self[i] = 0, 0
		if out == 0 {
			clear(s.prob[s.row[i]:s.row[i+1]])
			if s.rv != nil {
				s.rv[i] = 0
			}
			continue
		}
		fo := float64(out)
		s.r[i] = float64(toConv[id]) / fo
		for k := s.row[i]; k < s.row[i+1]; k++ {
			p := float64(counts[s.edge[k]]) / fo
			if s.col[k] == int32(i) {
				s.self[i] += p
				p = 0
			}
			s.prob[k] = p
		}
		if s.rv != nil {
			s.rv[i] = 0
			if toConv[id] > 0 {
				m := val[id] / float64(toConv[id])
				s.rv[i] = s.r[i] * m
				top = max(top, m)
			}
		}
	}
	if top > 0 {
		for i := range s.rv {
			s.rv[i] /= top
		}
	}
}

// float returns the sum as a float64, the same whatever the order in
// which its terms were added: the units are exact, and a sum that spilled
// goes through its exact decimal.
func (s *sum) float() float64 {
	if !s.spill.IsZero() {
		return s.decimal().InexactFloat64()
	}
	f := 0.0
	for scale, m := range s.units {
		if m != 0 {
			f += float64(m) / pow10[scale]
		}
	}
	return f
}

// MaxChannels is the most channels a Markov model or Chain takes; more
// is an error naming the bound. At order 1 the removal effects come from
// one inversion of the chain (see Chain.Result), whose cost grows with the
// cube of the channels: about 1 s for 1,000 channels with random paths
// (BenchmarkMarkovChannels; 17 s with a solve per channel, and a probe
// with 3,000 channels took 19.5 s). From order 2 up they cost a solve per
// channel of the states upstream of it: about 0.1 s of processor time at
// order 2 and 0.6 s at order 3 for 640 channels with random paths
// (BenchmarkMarkovOrders; 2.7 s and 1.7 s when each solve swept the whole
// chain).
const MaxChannels = 1000

// Solver limits; variables only so that tests can reach every path.
var (
	denseStates         = 64    // solve chains this small by LU
	maxDense            = 1500  // the largest chain LU falls back to
	sweepBudget float64 = 4e8   // the most transition updates the sweeps may spend
	minBudget   float64 = 1e6   // … but at least this many when LU is the fallback
	tolerance           = 1e-13 // the sweeps stop when the bounds are this close
)

// passage is a system solved as it is for the rewards r (s.r or s.rv):
// p is the probability of converting from the start state and x the
// probabilities from every state, exact up to rounding when lu is set;
// otherwise lo ≤ x ≤ hi bound them within the tolerance, as the sweeps
// left them.
type passage struct {
	r      []float64
	p      float64
	lu     bool
	lo, hi []float64
}

// budget is the most transition updates the sweeps may spend on the
// system: once they have cost what LU would, LU takes over.
func (s *system) budget() float64 {
	if s.n > maxDense {
		return sweepBudget
	}
	return min(sweepBudget, max(minBudget, float64(s.n)*float64(s.n)*float64(s.n)/3))
}

// solveAll solves the system as it is: by LU when it is small or the
// sweeps do not settle, else by sweeps over every state.
func (s *system) solveAll(r []float64) (*passage, error) {
	ps := &passage{r: r}
	if s.n > denseStates {
		ps.lo, ps.hi = make([]float64, s.n), make([]float64, s.n)
		all := make([]int32, s.n-1)
		for i := range all {
			all[i] = int32(i + 1)
			ps.hi[i+1] = 1
		}
		if s.sweep(all, r, ps.lo, ps.hi) {
			ps.p = s.start(r, ps.lo)
			return ps, nil
		}
		if s.n > maxDense {
			return nil, fmt.Errorf("absorption probabilities did not settle within %g updates", float64(sweepBudget))
		}
	}
	ps.lu, ps.lo, ps.hi = true, nil, nil
	ps.p = s.start(r, s.dense(func(int) bool { return false }, r))
	return ps, nil
}

// removal is one worker's scratch for the removal solves.
type removal struct {
	mark   []uint8   // per state: 1 dead, 2 to solve, 0 neither
	lo, hi []float64 // the passage's bounds, changed only at marked states
	solve  []int32   // the states to solve, ascending
	src    *passage  // the passage lo and hi are copies of
}

// without returns the probability of converting from the start state
// with channel ch removed: the states that hold it made dead ends.
//
// Removing ch changes the probabilities only at the states that can reach
// one of its states, so after a sweep-solved passage only those are
// swept again, from the bounds 0 and the passage's upper bound (a dead
// end can only lower a probability), while every other state keeps the
// passage's bounds: the cost is that of the part of the chain upstream of
// ch, not of the whole chain. When the passage was solved by LU, or these
// sweeps do not settle, the chain without ch is solved by LU.
func (s *system) without(ch int32, ps *passage, sc *removal) (float64, error) {
	if sc.mark == nil {
		sc.mark = make([]uint8, s.n)
	}
	if !ps.lu {
		if p, ok := s.resweep(s.members[ch], ps, sc); ok {
			return p, nil
		}
		if s.n > maxDense {
			return 0, fmt.Errorf("absorption probabilities did not settle within %g updates", float64(sweepBudget))
		}
	}
	dead := s.members[ch]
	for _, i := range dead {
		sc.mark[i] = 1
	}
	x := s.dense(func(i int) bool { return sc.mark[i] == 1 }, ps.r)
	for _, i := range dead {
		sc.mark[i] = 0
	}
	return s.start(ps.r, x), nil
}

// resweep sweeps the states upstream of the dead ones from the passage's
// bounds (see without); false means the sweeps ran out of budget.
func (s *system) resweep(dead []int32, ps *passage, sc *removal) (float64, bool) {
	if sc.src != ps {
		sc.lo, sc.hi, sc.src = slices.Clone(ps.lo), slices.Clone(ps.hi), ps
	}
	// The states upstream of the dead ones, breadth first along the
	// reversed transitions; the start state is solved by start.
	sc.solve = sc.solve[:0]
	for _, i := range dead {
		sc.mark[i] = 1
		sc.lo[i], sc.hi[i] = 0, 0
	}
	for _, j := range dead {
		s.upstream(j, sc)
	}
	for q := 0; q < len(sc.solve); q++ {
		s.upstream(sc.solve[q], sc)
	}
	slices.Sort(sc.solve)
	for _, i := range sc.solve {
		sc.lo[i] = 0
	}
	ok := s.sweep(sc.solve, ps.r, sc.lo, sc.hi)
	p := s.start(ps.r, sc.lo)
	for _, list := range [][]int32{dead, sc.solve} {
		for _, i := range list {
			sc.mark[i] = 0
			sc.lo[i], sc.hi[i] = ps.lo[i], ps.hi[i]
		}
	}
	return p, ok
}

// upstream adds to sc.solve the states with a transition into j that
// are not marked yet, the start state aside.
func (s *system) upstream(j int32, sc *removal) {
	for _, i := range s.pred[s.predRow[j]:s.predRow[j+1]] {
		if i != 0 && sc.mark[i] == 0 {
			sc.mark[i] = 2
			sc.solve = append(sc.solve, i)
		}
	}
}

// start returns the probability of converting from the start state,
// given x from every other state.
func (s *system) start(r, x []float64) float64 {
	p := r[0]
	for k := s.row[0]; k < s.row[1]; k++ {
		p += s.prob[k] * x[s.col[k]]
	}
	return min(1, max(0, p/(1-s.self[0])))
}

// dense solves (I − Q)·x = r by LU decomposition.
func (s *system) dense(dead func(int) bool, r []float64) []float64 {
	a := mat.NewDense(s.n, s.n, nil)
	b := mat.NewVecDense(s.n, nil)
	for i := range s.n {
		a.Set(i, i, 1)
		if dead(i) {
			continue
		}
		a.Set(i, i, 1-s.self[i])
		b.SetVec(i, r[i])
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

// sweep runs Gauss–Seidel from both bounds over the states listed, in
// ascending order, forward and backward in turn, updating lo and hi in
// place; every other state keeps its bounds. It reports false when it
// ran out of budget.
func (s *system) sweep(states []int32, r, lo, hi []float64) bool {
	nnz := 0
	for _, i := range states {
		nnz += 1 + s.row[i+1] - s.row[i]
	}
	nnz = max(1, nnz)
	budget := s.budget()
	for spent, pass := 0, 0; float64(spent) < budget; spent, pass = spent+2*nnz, pass+1 {
		gap := 0.0
		for t := range states {
			// Forward and backward in turn (symmetric Gauss–Seidel): a
			// value travels the whole chain in one pass whichever way the
			// journeys run through the states' numbering.
			i := states[t]
			if pass%2 == 1 {
				i = states[len(states)-1-t]
			}
			l, h := r[i], r[i]
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
			return true
		}
	}
	return false
}
