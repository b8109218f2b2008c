package funnel

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/wire"
)

// chains holds, for every chain the whole funnel counted (an entity's best
// attempt, or every attempt with Totals), in the order counted, its entry
// time and its level (the steps it reached). The tally's times[k] and
// open[k] list their chains in the same order, so that each chain's step
// times can be rebuilt (see tally.each), for Series.
type chains struct {
	entries []int64
	levels  []uint8
}

func (c *chains) add(level int, entry int64) {
	if level == 0 {
		return
	}
	c.entries = append(c.entries, entry)
	c.levels = append(c.levels, uint8(level))
}

func (c *chains) merge(o *chains) {
	c.entries = append(c.entries, o.entries...)
	c.levels = append(c.levels, o.levels...)
}

// each calls f with every chain's level and step times, in the order
// counted: chain[k] is the time of its event of step k, for k < level.
func (t *tally) each(f func(level int, chain *[maxSteps]int64)) {
	var cur [maxSteps]int
	var chain [maxSteps]int64
	for i, e := range t.chains.entries {
		l := int(t.chains.levels[i])
		chain[0] = e
		for k := 1; k < l; k++ {
			chain[k] = chain[k-1] + t.times[k][cur[k]]
			cur[k]++
		}
		f(l, &chain)
	}
}

// satAdd returns a + b for b ≥ 0, or the largest int64 when that
// overflows.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// horizon returns the longest step k can take after step k−1: its Within
// when set and shorter than the Window, else the Window.
func (p *compiled) horizon(k int) int64 {
	if w := p.within[k]; w > 0 && w < p.window {
		return w
	}
	return p.window
}

// deadline returns the last time a chain that entered at entry and
// reached step k−1 at at may reach step k: the earlier of entry + Window
// and at + Within.
func (p *compiled) deadline(k int, at, entry int64) int64 {
	d := satAdd(entry, p.window)
	if w := p.within[k]; w > 0 {
		d = min(d, satAdd(at, w))
	}
	return d
}

// reachBy returns, per step, the longest after its entry that a chain can
// take to reach it: 0 for the entry, then min(Window, reachBy[k−1] +
// Within of step k), Within 0 counting as none.
func (p *compiled) reachBy() []int64 {
	out := make([]int64, p.n)
	for k := 1; k < p.n; k++ {
		out[k] = p.window
		if w := p.within[k]; w > 0 {
			out[k] = min(p.window, satAdd(out[k-1], w))
		}
	}
	return out
}

// writeChains writes the whole funnel's chains: per chain its level and
// its entry time, as the difference from the chain before.
func writeChains(w *wire.Writer, c *chains) {
	prev := int64(0)
	for i, e := range c.entries {
		w.Byte(c.levels[i])
		w.Int(e - prev)
		prev = e
	}
}

// readChains reads the chains of the whole funnel's tally t, as many as
// reached the first step, and checks them against t: each chain's level
// in 1 … n, as many chains at or beyond each step as t counts there, entry
// times in the library's range, every chain's last event within the
// window of its entry, and t's open chains those that stopped, in order.
func readChains(r *wire.Reader, p *compiled, t *tally) *chains {
	n := t.reached[0]
	if 2*n > int64(r.Left()) {
		r.Fail(fmt.Sprintf("%d chains exceed the %d bytes left", n, r.Left()))
		return nil
	}
	c := &chains{entries: make([]int64, n), levels: make([]uint8, n)}
	counts := make([]int64, p.n)
	prev := int64(0)
	for i := range c.entries {
		l, d := r.Byte(), r.Int()
		e := prev + d
		if r.Err() != nil {
			return nil
		}
		if l < 1 || int(l) > p.n || (d > 0 && e < prev) || (d < 0 && e > prev) || !errs.InRange(time.Unix(0, e)) {
			r.Fail(fmt.Sprintf("chain %d: level %d entry %d out of range", i, l, e))
			return nil
		}
		c.entries[i], c.levels[i], prev = e, l, e
		for k := range int(l) {
			counts[k]++
		}
	}
	if !slices.Equal(counts, t.reached) {
		r.Fail(fmt.Sprintf("chains reaching each step %v differ from the counts %v", counts, t.reached))
		return nil
	}
	var cur, open [maxSteps]int
	var chain [maxSteps]int64
	for i, e := range c.entries {
		l := int(c.levels[i])
		chain[0] = e
		for k := 1; k < l; k++ {
			d := t.times[k][cur[k]]
			cur[k]++
			if d > p.window-(chain[k-1]-e) || d > math.MaxInt64-chain[k-1] || !errs.InRange(time.Unix(0, chain[k-1]+d)) {
				r.Fail(fmt.Sprintf("chain %d: step %d outside the window of its entry", i, k))
				return nil
			}
			chain[k] = chain[k-1] + d
		}
		if l < p.n {
			op, j := t.open[l], 2*open[l]
			if op[j] != chain[l-1] || op[j+1] != e {
				r.Fail(fmt.Sprintf("chain %d: differs from its open chain", i))
				return nil
			}
			open[l]++
		}
	}
	t.chains = c
	return c
}
