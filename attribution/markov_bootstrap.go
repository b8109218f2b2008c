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

// markovScratch is one worker's counts and system.
type markovScratch struct {
	counts, toConv, toNull []int64
	val                    []float64
	sys                    *system
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
	scratch := make([]*markovScratch, poolSize(reps))
	workers(reps, func(w, b int) {
		sc := scratch[w]
		if sc == nil {
			sc = &markovScratch{
				counts: make([]int64, len(c.counts)), toConv: make([]int64, len(c.nodes)), toNull: make([]int64, len(c.nodes)),
				sys: s.clone(),
			}
			if value {
				sc.val = make([]float64, len(c.nodes))
			}
			scratch[w] = sc
		}
		ok[b], fails[b] = sc.replicate(js, rows, tr, b, d)
	})
	for b, err := range fails {
		if err != nil {
			return nil, fmt.Errorf("%s: replicate %d: %w", fn, b, err)
		}
	}
	d.pack(ok)
	return d, nil
}

// replicate fills replicate b of d; it reports false when the model is
// undefined in it.
func (sc *markovScratch) replicate(js *Journeys, rows *rows, tr *trace, b int, d *replicates) (bool, error) {
	clear(sc.counts)
	clear(sc.toConv)
	clear(sc.toNull)
	clear(sc.val)
	conv, value := int64(0), 0.0
	for k, i32 := range rows.order {
		i := int(i32)
		cs := draw(rows.key[k], b, 0, js.conv[i])
		ns := draw(rows.key[k], b, 1, js.nulls[i])
		w := cs + ns
		if w == 0 {
			continue
		}
		for _, e := range tr.edges[tr.off[k]:tr.off[k+1]] {
			sc.counts[e] += w
		}
		l := tr.last[k]
		sc.toConv[l] += cs
		sc.toNull[l] += ns
		v := rows.mean[k] * float64(cs)
		if sc.val != nil {
			sc.val[l] += v
		}
		conv += cs
		value += v
	}
	if conv == 0 {
		return false, nil
	}
	s := sc.sys
	s.weigh(sc.counts, sc.toConv, sc.toNull, sc.val)
	sol, err := s.removals(sc.val != nil, 1)
	if err != nil {
		return false, err
	}
	sumRE, sumVRE := sol.sums()
	if !(sol.p > 0) || !(sumRE > 0) || math.IsInf(sumRE, 0) {
		return false, nil
	}
	vw, sw := sol.re, sumRE
	if sc.val != nil {
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
