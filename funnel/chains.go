package funnel

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/wire"
)

// chains holds, for every chain the whole funnel counted (an entity's best
// attempt, or every attempt with Totals), in the order counted, its entry
// time and its level (the steps it reached). The tally's times[k] and
// open[k] list their chains in the same order, so that each chain's step
// times can be rebuilt (see tally.each), for Series. Of a definition with
// optional steps they also hold each chain's mask (the steps counted as
// reached) and path (the steps it passed), and, in extra, for each step
// of its mask not on its path, in step order, the time of that step in
// the first chain that reached it and the time to it from the required
// step before (see tally.add).
type chains struct {
	entries []int64
	levels  []uint8
	masks   []uint16
	paths   []uint16
	extra   []int64
}

func (c *chains) add(level int, entry int64) {
	if level == 0 {
		return
	}
	c.entries = append(c.entries, entry)
	c.levels = append(c.levels, uint8(level))
}

func (c *chains) addOpt(level int, mask, path uint16, chain, dur *[maxSteps]int64) {
	c.add(level, chain[0])
	c.masks = append(c.masks, mask)
	c.paths = append(c.paths, path)
	for s := mask &^ path; s != 0; s &= s - 1 {
		k := bits.TrailingZeros16(s)
		c.extra = append(c.extra, chain[k], dur[k])
	}
}

func (c *chains) merge(o *chains) {
	c.entries = append(c.entries, o.entries...)
	c.levels = append(c.levels, o.levels...)
	c.masks = append(c.masks, o.masks...)
	c.paths = append(c.paths, o.paths...)
	c.extra = append(c.extra, o.extra...)
}

// each calls f with every chain's level, mask, path, step times and
// times to convert, in the order counted: chain[k] is the time of its
// event of step k, for k < level in its mask, and dur[k] the time to k
// from the required step before (prev[k]). Without optional steps (prev
// nil) mask and path are the level's first steps, and dur is not set.
func (t *tally) each(prev []int, f func(level int, mask, path uint16, chain, dur *[maxSteps]int64)) {
	var cur [maxSteps]int
	var chain, dur [maxSteps]int64
	c := t.chains
	x := 0
	for i, e := range c.entries {
		l := int(c.levels[i])
		chain[0] = e
		mask, path := uint16(1)<<l-1, uint16(1)<<l-1
		if prev != nil {
			mask, path = c.masks[i], c.paths[i]
		}
		last := 0
		for k := 1; k < l; k++ {
			if path&(1<<k) != 0 {
				chain[k] = chain[last] + t.times[k][cur[k]]
				cur[k]++
				last = k
			}
		}
		if prev != nil {
			for k := 1; k < l; k++ {
				switch {
				case path&(1<<k) != 0:
					dur[k] = chain[k] - chain[prev[k]]
				case mask&(1<<k) != 0:
					chain[k], dur[k] = c.extra[x], c.extra[x+1]
					x += 2
				}
			}
		}
		f(l, mask, path, &chain, &dur)
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

// horizon returns the longest step k can take after the required step
// before it (compiled.prev, the step before without optional steps): the
// Withins of the steps after that one up to k added up, when each is set
// and the sum is shorter than the Window, else the Window.
func (p *compiled) horizon(k int) int64 {
	if w := p.spans[k]; w > 0 && w < p.window {
		return w
	}
	return p.window
}

// deadline returns the last time a chain that entered at entry and
// reached the required step before step k at at may reach step k: the
// earlier of entry + Window and at + the Withins from there to k (see
// horizon).
func (p *compiled) deadline(k int, at, entry int64) int64 {
	d := satAdd(entry, p.window)
	if w := p.spans[k]; w > 0 {
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
// its entry time, as the difference from the chain before, and with
// optional steps (opt) its mask and path, then for each step of its mask
// off its path the time of the step's event, from the entry, and the
// time to it (see chains).
func writeChains(w *wire.Writer, c *chains, opt bool) {
	prev := int64(0)
	x := 0
	for i, e := range c.entries {
		w.Byte(c.levels[i])
		w.Int(e - prev)
		prev = e
		if !opt {
			continue
		}
		w.Uint(uint64(c.masks[i]))
		w.Uint(uint64(c.paths[i]))
		for range bits.OnesCount16(c.masks[i] &^ c.paths[i]) {
			w.Int(c.extra[x] - e)
			w.Uint(uint64(c.extra[x+1]))
			x += 2
		}
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

// readChainsOpt reads the chains of a definition with optional steps and
// returns the whole funnel's tally rebuilt from them, each replayed into
// a tally that keeps what conversion curves need. The chains must give
// t's counts and times exactly: each chain's level in 1 … n, passing its
// entry, its last step and every required step below its level, counted
// at every step it passed and at no step from its level on; each time
// within the window of its entry, the step's event of a step counted off
// the path in the library's range, and its time to convert within the
// step's horizon.
func readChainsOpt(r *wire.Reader, p *compiled, t *tally) *tally {
	n := t.reached[0]
	if 4*n > int64(r.Left()) {
		r.Fail(fmt.Sprintf("%d chains exceed the %d bytes left", n, r.Left()))
		return nil
	}
	u := curveTally(p.n, true)
	u.chains = new(chains)
	var cur [maxSteps]int
	var chain, dur [maxSteps]int64
	prev := int64(0)
	for i := range n {
		l, d, mask, path := r.Byte(), r.Int(), r.Uint(), r.Uint()
		e := prev + d
		if r.Err() != nil {
			return nil
		}
		all := uint64(1)<<l - 1
		req := all &^ uint64(p.opt)
		if l < 1 || int(l) > p.n || (d > 0 && e < prev) || (d < 0 && e > prev) || !errs.InRange(time.Unix(0, e)) ||
			mask&^all != 0 || path&^mask != 0 || path&1 == 0 || path>>(l-1) != 1 || req&^path != 0 {
			r.Fail(fmt.Sprintf("chain %d: level %d entry %d steps %b passed %b out of range", i, l, e, mask, path))
			return nil
		}
		prev = e
		chain[0] = e
		last := 0
		for k := 1; k < int(l); k++ {
			if path&(1<<k) == 0 {
				continue
			}
			if cur[k] == len(t.times[k]) {
				r.Fail(fmt.Sprintf("chain %d: passes step %d beyond its %d times", i, k, len(t.times[k])))
				return nil
			}
			d := t.times[k][cur[k]]
			cur[k]++
			if d > p.window-(chain[last]-e) || !errs.InRange(time.Unix(0, chain[last]+d)) {
				r.Fail(fmt.Sprintf("chain %d: step %d outside the window of its entry", i, k))
				return nil
			}
			chain[k] = chain[last] + d
			last = k
		}
		if !readExtra(r, p, int(l), uint16(mask), uint16(path), &chain, &dur) {
			return nil
		}
		u.add(int(l), uint16(mask), uint16(path), &chain, &dur, p.prev)
	}
	for k := range p.n {
		if u.reached[k] != t.reached[k] || cur[k] != len(t.times[k]) {
			r.Fail(fmt.Sprintf("the chains reach step %d %d times and pass it %d times, for a count of %d and %d times",
				k, u.reached[k], cur[k], t.reached[k], len(t.times[k])))
			return nil
		}
	}
	return u
}

// readExtra reads, for each step of mask off path below level, the time
// of its event (from the entry) and the time to it from the required
// step before, into chain and dur, and sets dur for the steps of path;
// false on a failure.
func readExtra(r *wire.Reader, p *compiled, level int, mask, path uint16, chain, dur *[maxSteps]int64) bool {
	for k := 1; k < level; k++ {
		switch {
		case path&(1<<k) != 0:
			dur[k] = chain[k] - chain[p.prev[k]]
		case mask&(1<<k) != 0:
			at, d := r.Int(), r.Uint()
			if r.Err() != nil {
				return false
			}
			if (at > 0 && chain[0] > math.MaxInt64-at) || (at < 0 && chain[0] < math.MinInt64-at) ||
				!errs.InRange(time.Unix(0, chain[0]+at)) || d > uint64(p.horizon(k)) {
				r.Fail(fmt.Sprintf("step %d at %d after the entry, %d after the step before: out of range", k, at, d))
				return false
			}
			chain[k], dur[k] = chain[0]+at, int64(d)
		}
	}
	return true
}
