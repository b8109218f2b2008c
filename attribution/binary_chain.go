package attribution

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/wire"
)

// The binary form of a Chain: kind 'M', version 1.
const (
	chainKind    = 'M'
	chainVersion = 1
)

// MarshalBinary encodes the chain's transition counts compactly, so that
// a partial chain can travel between processes (a distributed engine's
// combiner ships its accumulators this way) and be merged there. Unlike
// Journeys, a chain's size grows with its states and transitions, not
// with the journeys counted.
//
// The format is versioned ("kp", kind 'M', version 1): the order, rules
// and channel names, the number of journeys, the decimal places and total
// of the values, then per state its prefix and last channel, per state
// its counts to conversion and null (and with ValueRemoval the value of
// the conversions ending there), and per transition its state, channel
// and count. A transition costs 3 to 12 bytes, a state 4 to 24 (more with
// ValueRemoval). States made for a channel whose journey was refused,
// which count nothing, are left out.
//
// The only error is that of the zero Chain, wrapping kpi.ErrInvalid.
func (c *Chain) MarshalBinary() ([]byte, error) {
	if err := c.zero("attribution.Chain.MarshalBinary"); err != nil {
		return nil, err
	}
	// The states whose channels are all named, renumbered in order.
	ids := make([]int32, len(c.nodes))
	kept := []int32{0}
	for id := 1; id < len(c.nodes); id++ {
		nd := c.nodes[id]
		ids[id] = -1
		if ids[nd.parent] >= 0 && int(nd.last) < len(c.names) {
			ids[id] = int32(len(kept))
			kept = append(kept, int32(id))
		}
	}
	w := wire.NewWriter(chainKind, chainVersion, 16+8*len(c.names)+8*len(kept)+6*len(c.counts))
	w.Uint(uint64(c.order))
	w.Byte(byte(c.rules))
	w.Uint(uint64(len(c.names)))
	for _, n := range c.names {
		w.String(n)
	}
	w.Uint(uint64(c.n))
	w.Uint(uint64(c.places))
	writeSum(w, &c.total)
	w.Uint(uint64(len(kept) - 1))
	for _, id := range kept[1:] {
		w.Uint(uint64(ids[c.nodes[id].parent]))
		w.Uint(uint64(c.nodes[id].last))
	}
	for _, id := range kept {
		w.Uint(uint64(c.toConv[id]))
		w.Uint(uint64(c.toNull[id]))
		if c.val != nil {
			writeSum(w, &c.val[id])
		}
	}
	var es []int
	for e := range c.counts {
		if ids[c.from[e]] >= 0 && ids[c.to[e]] >= 0 {
			es = append(es, e)
		}
	}
	w.Uint(uint64(len(es)))
	for _, e := range es {
		w.Uint(uint64(ids[c.from[e]]))
		w.Uint(uint64(c.nodes[c.to[e]].last))
		w.Uint(uint64(c.counts[e]))
	}
	return w.Bytes(), nil
}

// writeSum writes a sum of values: its scales that are not zero, in
// order, with their units, then its spill as a coefficient and exponent.
func writeSum(w *wire.Writer, s *sum) {
	n := 0
	for _, m := range s.units {
		if m != 0 {
			n++
		}
	}
	w.Uint(uint64(n))
	for scale, m := range s.units {
		if m != 0 {
			w.Byte(byte(scale))
			w.Uint(uint64(m))
		}
	}
	w.Bool(!s.spill.IsZero())
	if !s.spill.IsZero() {
		w.String(s.spill.Coefficient().String())
		w.Int(int64(s.spill.Exponent()))
	}
}

// maxSpill bounds a sum's spill: values of up to maxDigits digits before
// the point, added up to 2⁶³ times in each of 2⁶³ states, stay below
// 10^maxSpill; and its coefficient has at most maxCoef digits, trailing
// zeros included (a value with 18 places written with a thousand zeros
// after them is refused on decoding).
const (
	maxSpill = maxDigits + 40
	maxCoef  = 1024
)

// readSum reads what writeSum wrote: units > 0 at increasing scales, and
// a positive spill of at most maxPlaces decimal places below 10^maxSpill.
func readSum(r *wire.Reader, what string) sum {
	var s sum
	n := int(r.Small(what+" scales", maxPlaces+1))
	prev := -1
	for range n {
		scale, m := int(r.Byte()), r.Uint()
		if r.Err() == nil && (scale <= prev || scale > maxPlaces || m == 0 || m > math.MaxInt64) {
			r.Fail(fmt.Sprintf("%s: units %d at scale %d", what, m, scale))
			return sum{}
		}
		prev = scale
		s.units[min(scale, maxPlaces)] = int64(m)
	}
	if !r.Bool() {
		return s
	}
	str, exp := r.String(), r.Int()
	if r.Err() != nil {
		return sum{}
	}
	coef, ok := new(big.Int), false
	if len(str) <= maxCoef {
		_, ok = coef.SetString(str, 10)
		zeros := int64(len(str) - len(strings.TrimRight(str, "0")))
		ok = ok && coef.Sign() > 0 && coef.String() == str && exp+zeros >= -maxPlaces && exp+int64(len(str)) <= maxSpill
	}
	if !ok {
		r.Fail(fmt.Sprintf("%s: spill %.20se%d out of range", what, str, exp))
		return sum{}
	}
	s.spill = decimal.NewFromBigInt(coef, int32(exp))
	return s
}

// checkPlaces fails r when the total or a state's value has more decimal
// places than the chain records: Add keeps places at the most any value
// had, and Result splits the value at that many places, so a chain that
// broke the rule would decode and then fail in Result (found by the fuzz
// campaign: a total of 10000070.5 with 0 places).
func (c *Chain) checkPlaces(r *wire.Reader) {
	if r.Err() != nil {
		return
	}
	exact := func(s *sum) bool {
		d := s.decimal()
		return d.Round(c.places).Equal(d)
	}
	if !exact(&c.total) {
		r.Fail(fmt.Sprintf("total value %.40s has more than %d decimal places", c.total.decimal(), c.places))
		return
	}
	for id := range c.val {
		if !exact(&c.val[id]) {
			r.Fail(fmt.Sprintf("state %d value %.40s has more than %d decimal places", id, c.val[id].decimal(), c.places))
			return
		}
	}
}

// isZero reports whether the sum holds nothing.
func (s *sum) isZero() bool { return s.units == [maxPlaces + 1]int64{} && s.spill.IsZero() }

// UnmarshalBinary replaces the chain, order and rules included, with the
// one MarshalBinary encoded; it may be called on the zero Chain. The
// chain is checked as counting makes it: a known order and rules,
// channel names neither blank nor repeated, valid UTF-8 and at most
// MaxChannels,
// states of at most Order channels listed after the states they extend,
// every transition leading to a listed state, no count on a transition
// from a state to itself, as many transitions into each state as out of
// it (to other states, conversion and null), the journeys' conversions
// and nulls within int64 and their values only where there are
// conversions.
//
// Errors, wrapping kpi.ErrInvalid and leaving the chain as it was: data
// that are not an encoding of a Chain of a version this build reads, and
// truncated, malformed or inconsistent data (the error gives the byte
// offset); a nil receiver.
func (c *Chain) UnmarshalBinary(data []byte) error {
	const fn = "attribution.Chain.UnmarshalBinary"
	if c == nil {
		return errs.Invalid(fn, "c", nil, "nil Chain")
	}
	r, _ := wire.NewReader(data, chainKind, chainVersion)
	order := int(r.Small("order", math.MaxInt32))
	rules := Rules(r.Byte())
	if r.Err() == nil && (order == 0 || rules&^allRules != 0) {
		r.Fail(fmt.Sprintf("order %d or rules %d", order, rules))
	}
	out := newChain(max(order, 1), rules)
	out.order = order
	for range r.Small("channels", MaxChannels) {
		name := r.String()
		if _, dup := out.index[name]; r.Err() == nil && (dup || strings.TrimSpace(name) == "") {
			r.Fail(fmt.Sprintf("channel name %q empty or repeated", name))
			break
		}
		if r.Err() == nil && !utf8.ValidString(name) {
			r.Fail(fmt.Sprintf("channel name %q not valid UTF-8", name))
			break
		}
		out.intern(name)
	}
	out.n = int(r.Small("journeys", math.MaxInt64))
	out.places = int32(r.Small("places", maxPlaces))
	out.total = readSum(r, "total")
	out.readStates(r)
	out.readTransitions(r)
	out.checkFlow(r)
	out.checkPlaces(r)
	if err := r.Done(); err != nil {
		return wire.Invalid(fn, data, err)
	}
	*c = *out
	return nil
}

// readStates reads the states and their counts to conversion and null.
func (c *Chain) readStates(r *wire.Reader) {
	k := r.Count(2)
	for i := 1; i <= k && r.Err() == nil; i++ {
		parent, last := r.Uint(), r.Uint()
		if r.Err() != nil {
			return
		}
		if parent >= uint64(i) || last >= uint64(len(c.names)) || int(c.nodes[parent].depth) >= c.order {
			r.Fail(fmt.Sprintf("state %d: prefix %d and channel %d", i, parent, last))
			return
		}
		_, dup := c.child[parent<<32|last]
		_, suffix := c.child[uint64(c.nodes[parent].drop)<<32|last]
		if dup || (parent != 0 && !suffix) {
			r.Fail(fmt.Sprintf("state %d: repeated, or listed before the state without its first channel", i))
			return
		}
		c.next(int32(parent), int32(last))
	}
	for id := range c.nodes {
		conv, nulls := r.Small("conversions", math.MaxInt64), r.Small("nulls", math.MaxInt64)
		if r.Err() == nil && id == 0 && conv+nulls > 0 {
			r.Fail("the start state converts")
		}
		c.toConv[id], c.toNull[id] = int64(conv), int64(nulls)
		if c.val != nil {
			c.val[id] = readSum(r, fmt.Sprintf("state %d value", id))
			if r.Err() == nil && conv == 0 && !c.val[id].isZero() {
				r.Fail(fmt.Sprintf("state %d: a value without conversions", id))
			}
		}
		if r.Err() != nil {
			return
		}
	}
}

// readTransitions reads the transitions and their counts.
func (c *Chain) readTransitions(r *wire.Reader) {
	m := r.Count(3)
	for i := 0; i < m && r.Err() == nil; i++ {
		from, ch, n := r.Uint(), r.Uint(), r.Small("count", math.MaxInt64)
		if r.Err() != nil {
			return
		}
		if from >= uint64(len(c.nodes)) || ch >= uint64(len(c.names)) {
			r.Fail(fmt.Sprintf("transition %d: state %d and channel %d", i, from, ch))
			return
		}
		cur := from
		if int(c.nodes[from].depth) == c.order {
			cur = uint64(c.nodes[from].drop)
		}
		to, listed := c.child[cur<<32|ch]
		_, dup := c.edges[from<<32|ch]
		if !listed || dup || (uint64(to) == from && n != 0) {
			r.Fail(fmt.Sprintf("transition %d: to a state not listed, repeated, or counted to the same state", i))
			return
		}
		e := c.edge(int32(from), int32(ch))
		c.counts[e] = int64(n)
	}
}

// checkFlow checks that as many transitions go into each state as out of
// it, and sets the totals of conversions and nulls.
func (c *Chain) checkFlow(r *wire.Reader) {
	if r.Err() != nil {
		return
	}
	in, out := make([]uint64, len(c.nodes)), make([]uint64, len(c.nodes))
	var carry uint64
	add := func(dst *uint64, v int64) {
		var k uint64
		*dst, k = bits.Add64(*dst, uint64(v), 0)
		carry |= k
	}
	for e, n := range c.counts {
		add(&in[c.to[e]], n)
		add(&out[c.from[e]], n)
	}
	var conv, nulls uint64
	var values sum
	for id := range c.nodes {
		add(&out[id], c.toConv[id])
		add(&out[id], c.toNull[id])
		add(&conv, c.toConv[id])
		add(&nulls, c.toNull[id])
		if c.val != nil {
			values.merge(&c.val[id])
		}
		if id != 0 && in[id] != out[id] {
			r.Fail(fmt.Sprintf("state %s: %d transitions in, %d out", c.stateName(int32(id)), in[id], out[id]))
			return
		}
	}
	switch {
	case carry != 0 || conv > math.MaxInt64 || nulls > math.MaxInt64:
		r.Fail("counts overflow int64")
	case out[0] != conv+nulls || (out[0] > 0 && c.n == 0):
		r.Fail(fmt.Sprintf("%d journeys, %d transitions from the start for %d conversions and %d nulls", c.n, out[0], conv, nulls))
	case conv == 0 && !c.total.decimal().IsZero():
		r.Fail("a value without conversions")
	case c.val != nil && !values.decimal().Equal(c.total.decimal()):
		r.Fail(fmt.Sprintf("the states' values add up to %s, not the total %s", values.decimal(), c.total.decimal()))
	}
	c.convSum, c.nullSum = int64(conv), int64(nulls)
}
