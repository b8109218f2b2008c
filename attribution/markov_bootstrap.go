package attribution

import (
	"fmt"
	"math"
)

// trace is the transitions each row of a chain's journeys takes, for the
// bootstrap to reweigh: row k takes edges[off[k]:off[k+1]] and ends in
// state last[k].
type trace struct {
	edges []int32
	off   []int
	last  []int32
}

// traceRows follows the journeys of js, in the order of rows, through the
// chain c that counted them.
func (c *Chain) traceRows(js *Journeys, rows *rows) *trace {
	remap := make([]int32, len(js.names))
	for id, name := range js.names {
		remap[id] = c.index[name]
	}
	keep := c.rules&KeepRepeats != 0
	t := &trace{off: make([]int, 1, len(rows.order)+1), last: make([]int32, len(rows.order))}
	for k, i32 := range rows.order {
		i := int(i32)
		cur, prev := int32(0), int32(-1)
		if js.conv[i]+js.nulls[i] > 0 {
			for _, id := range js.path(i) {
				ch := remap[id]
				if ch == prev && !keep {
					continue
				}
				prev = ch
				e := c.edges[uint64(cur)<<32|uint64(ch)]
				if c.to[e] == cur {
					continue
				}
				t.edges = append(t.edges, e)
				cur = c.to[e]
			}
		}
		t.last[k] = cur
		t.off = append(t.off, len(t.edges))
	}
	return t
}

// markovScratch is one worker's counts, for a block of replicates, and
// its system.
type markovScratch struct {
	counts, toConv, toNull []int64   // [transition or node · block + replicate in block]
	val                    []float64 // [node · block + replicate in block]; nil without ValueRemoval
	one                    markovCounts
	sys                    *system
}

// markovCounts are one replicate's counts.
type markovCounts struct {
	counts, toConv, toNull []int64
	val                    []float64
}

// replicates draws the bootstrap replicates of the Markov model: the chain
// is counted and traced once, then each replicate only sets the counts its
// draws give and solves.
func (m Markov) replicates(fn string, js *Journeys, rows *rows, reps int) (*replicates, error) {
	c, err := m.chain(fn, js)
	if err != nil {
		return nil, err
	}
	s := c.system()
	tr := c.traceRows(js, rows)
	value := c.val != nil
	d := newReplicates(len(s.names), reps, true)
	ok := make([]bool, reps)
	fails := make([]error, reps)
	scratch := make([]*markovScratch, poolSize(blocks(reps)))
	ne, nn := len(c.counts), len(c.nodes)
	workers(blocks(reps), func(w, blk int) {
		sc := scratch[w]
		if sc == nil {
			sc = &markovScratch{
				counts: make([]int64, ne*block), toConv: make([]int64, nn*block), toNull: make([]int64, nn*block),
				one: markovCounts{counts: make([]int64, ne), toConv: make([]int64, nn), toNull: make([]int64, nn)},
				sys: s.clone(),
			}
			if value {
				sc.val = make([]float64, nn*block)
				sc.one.val = make([]float64, nn)
			}
			scratch[w] = sc
		}
		b0 := blk * block
		nb := min(block, reps-b0)
		conv, val := sc.count(rows, tr, b0, nb)
		for x := range nb {
			ok[b0+x], fails[b0+x] = sc.solve(x, conv[x], val[x], b0+x, d)
		}
	})
	for b, err := range fails {
		if err != nil {
			return nil, fmt.Errorf("%s: replicate %d: %w", fn, b, err)
		}
	}
	d.pack(ok)
	return d, nil
}

// count sets the counts of replicates b0 … b0+nb−1 and returns their
// conversions and values.
func (sc *markovScratch) count(rows *rows, tr *trace, b0, nb int) (conv [block]int64, value [block]float64) {
	clear(sc.counts)
	clear(sc.toConv)
	clear(sc.toNull)
	clear(sc.val)
	var cs, ns, w [block]int64
	for k := range rows.order {
		drawn := false
		for x := range nb {
			cs[x] = draw(rows.key[k], b0+x, 0, rows.conv[k])
			ns[x] = draw(rows.key[k], b0+x, 1, rows.nulls[k])
			w[x] = cs[x] + ns[x]
			drawn = drawn || w[x] > 0
		}
		if !drawn {
			continue
		}
		for _, e := range tr.edges[tr.off[k]:tr.off[k+1]] {
			base := int(e) * block
			counts := sc.counts[base : base+block : base+block]
			for x := range nb {
				counts[x] += w[x]
			}
		}
		base := int(tr.last[k]) * block
		for x := range nb {
			sc.toConv[base+x] += cs[x]
			sc.toNull[base+x] += ns[x]
			v := rows.mean[k] * float64(cs[x])
			if sc.val != nil {
				sc.val[base+x] += v
			}
			conv[x] += cs[x]
			value[x] += v
		}
	}
	return conv, value
}

// solve solves replicate b, the x-th of its block, with conversions conv
// and value value, into d; it reports false when the model is undefined
// in it.
func (sc *markovScratch) solve(x int, conv int64, value float64, b int, d *replicates) (bool, error) {
	if conv == 0 {
		return false, nil
	}
	one := &sc.one
	for e := range one.counts {
		one.counts[e] = sc.counts[e*block+x]
	}
	for id := range one.toConv {
		one.toConv[id] = sc.toConv[id*block+x]
		one.toNull[id] = sc.toNull[id*block+x]
		if one.val != nil {
			one.val[id] = sc.val[id*block+x]
		}
	}
	s := sc.sys
	s.weigh(one.counts, one.toConv, one.toNull, one.val)
	sol, err := s.removals(one.val != nil, 1)
	if err != nil {
		return false, err
	}
	sumRE, sumVRE := sol.sums()
	if !(sol.p > 0) || !(sumRE > 0) || math.IsInf(sumRE, 0) {
		return false, nil
	}
	vw, sw := sol.re, sumRE
	if one.val != nil {
		vw, sw = sol.vre, sumVRE
	}
	for ch := range s.names {
		share := sol.re[ch] / sumRE
		d.conv[ch][b] = float64(conv) * share
		d.share[ch][b] = share
		d.removal[ch][b] = sol.re[ch]
		if sw > 0 {
			d.valu[ch][b] = value * vw[ch] / sw
		}
	}
	return true, nil
}
