package funnel

import (
	"math/bits"
	"slices"
	"sort"
)

// item is one event of an entity after matching: its time in Unix
// nanoseconds, the steps and exclusions it matches as bit masks, and its
// tag: the interned values of the held and the breakdown property.
type item struct {
	t     int64
	steps uint16
	excl  uint16
	tag   uint32
}

// tag is a pair of interned property values: the held one and the
// breakdown one.
type tag struct{ hold, bd uint32 }

// key orders events at the same time: by their first step, then events
// matching only exclusions, then events matching nothing.
func key(it *item) int {
	if it.steps != 0 {
		return bits.TrailingZeros16(it.steps)
	}
	if it.excl != 0 {
		return maxSteps
	}
	return maxSteps + 1
}

// less orders an entity's events by time and key, and events equal in
// those by the steps and exclusions they match, so that the order does not
// depend on the input's; equal in all of that, it reports whether a's tag
// comes first (tagLess), and ties reports whether the tags differ.
func less(a, b *item) (lt, tie bool) {
	if a.t != b.t {
		return a.t < b.t, false
	}
	if ka, kb := key(a), key(b); ka != kb {
		return ka < kb, false
	}
	if a.steps != b.steps {
		return a.steps < b.steps, false
	}
	if a.excl != b.excl {
		return a.excl < b.excl, false
	}
	return false, a.tag != b.tag
}

// names are the interned values of the held and the breakdown property.
type names struct {
	hold *[]string
	bd   *[][]string
}

// tagLess orders two tags by their held and breakdown values (not by the
// order in which they were interned, which depends on the input's), or by
// their ids without names.
func (g *engine) tagLess(a, b uint32) bool {
	if g.names == nil {
		return a < b
	}
	ta, tb := (*g.tags)[a], (*g.tags)[b]
	if ta.hold != tb.hold {
		return (*g.names.hold)[ta.hold] < (*g.names.hold)[tb.hold]
	}
	return slices.Compare((*g.names.bd)[ta.bd], (*g.names.bd)[tb.bd]) < 0
}

// sortItems sorts an entity's events by held value if hold, then as less
// does, then by tag. Events usually come in order or nearly so: a check
// first, insertion sort for short runs.
func (g *engine) sortItems(evs []item, hold bool) {
	tags := *g.tags
	lt := func(a, b *item) bool {
		if hold {
			if ha, hb := tags[a.tag].hold, tags[b.tag].hold; ha != hb {
				return g.tagLess(a.tag, b.tag)
			}
		}
		l, tie := less(a, b)
		if tie {
			return g.tagLess(a.tag, b.tag)
		}
		return l
	}
	sorted := true
	for i := 1; i < len(evs); i++ {
		if !hold && evs[i].t > evs[i-1].t {
			continue // the common case, without a call
		}
		if lt(&evs[i], &evs[i-1]) {
			sorted = false
			break
		}
	}
	if sorted {
		return
	}
	if len(evs) <= 16 {
		for i := 1; i < len(evs); i++ {
			for j := i; j > 0 && lt(&evs[j], &evs[j-1]); j-- {
				evs[j], evs[j-1] = evs[j-1], evs[j]
			}
		}
		return
	}
	slices.SortStableFunc(evs, func(a, b item) int {
		switch {
		case lt(&a, &b):
			return -1
		case lt(&b, &a):
			return 1
		}
		return 0
	})
}

// node is a chain of events reaching a step: the times of its entry
// (first) and of its last event, the node of the step before, the
// positions of its last event and of its entry, and its step.
type node struct {
	first, last int64
	parent      int32
	pos         int32
	entry       int32
	level       int32
}

// later reports whether chain a's entry comes after chain b's: in time,
// or at the same time later in the sorted events. Of two chains that may
// move on, the one entering later is the better: its window ends later,
// and an entity counts under its entry (breakdowns, Series), so that of
// entries at the same time the last in the events' order (by their held
// and breakdown values, see Mode) wins wherever the chains come from.
func (g *engine) later(a, b int32) bool {
	na, nb := &g.nodes[a], &g.nodes[b]
	if na.first != nb.first {
		return na.first > nb.first
	}
	return na.entry > nb.entry
}

// engine finds the furthest step of an entity's events. For each step it
// keeps the chains that may still move on, as a deque of nodes whose
// entries get earlier and whose last events get later from front to back.
// A chain whose entry and last event are both no earlier than another's is
// at least as good (the window counts from the entry, a step's own window
// from the last event), so a new chain, whose last event is the latest,
// drops those at the back whose entry is no later than its own (see
// later: in time, then in the events' order). The front
// has the latest entry and is the best candidate; chains fall out of the
// window at the back and out of the step's own window at the front, for
// good, since time only moves on. Under StrictIncrease new chains wait in
// pending until the time moves on. Each event costs O(steps) amortised.
type engine struct {
	p       *compiled
	nodes   []node
	dq      [maxSteps][]int32
	hd      [maxSteps]int
	pending []int32 // StrictIncrease: nodes made at the current time
	fresh   [maxSteps]int32
	first   [maxSteps]int32 // the first node made at each optional step in the run, or −1
	chain   [maxSteps]int64
	dur     [maxSteps]int64 // with optional steps: times to convert (see tally.add)
	optAt   [maxSteps]int64 // with optional steps: the time of each optional step's first chain (see note)
	optDur  [maxSteps]int64 // and its time from the required step before
	path    uint16          // the steps of the chain times last followed
	mask    uint16          // the steps a node was made at in the current run
	tags    *[]tag          // the Counter's tags
	names   *names          // their values; nil: order tags by id
}

func (g *engine) newNode(first, last int64, parent int32, pos, level int) int32 {
	entry := int32(pos)
	if parent >= 0 {
		entry = g.nodes[parent].entry
	}
	g.nodes = append(g.nodes, node{first: first, last: last, parent: parent, pos: int32(pos), entry: entry, level: int32(level)})
	return int32(len(g.nodes) - 1)
}

// after reports whether b−a exceeds w, for b ≥ a, without overflow.
func after(a, b, w int64) bool { return uint64(b)-uint64(a) > uint64(w) }

// candidate returns the best chain at step k that an event at time t may
// extend into step to, or −1, dropping the chains that can no longer move
// on. A deque that a step after an optional one reads too (to > k+1, or
// step k+1 optional) keeps the chains outside to's own window, which a
// later step may still take: it finds the first inside by binary search,
// the last events growing from front to back.
func (g *engine) candidate(k, to int, t int64) int32 {
	d := g.dq[k]
	h := g.hd[k]
	for len(d) > h && after(g.nodes[d[len(d)-1]].first, t, g.p.window) {
		d = d[:len(d)-1]
	}
	if len(d) == h {
		d, h = d[:0], 0
	}
	g.dq[k], g.hd[k] = d, h
	w := g.p.within[to]
	if w > 0 && g.p.opt&(1<<(k+1)) != 0 {
		i := h + sort.Search(len(d)-h, func(i int) bool { return !after(g.nodes[d[h+i]].last, t, w) })
		if i == len(d) {
			return -1
		}
		return d[i]
	}
	if w > 0 {
		for len(d) > h && after(g.nodes[d[h]].last, t, w) {
			h++
		}
	}
	if len(d) == h {
		d, h = d[:0], 0
	}
	g.dq[k], g.hd[k] = d, h
	if len(d) == h {
		return -1
	}
	return d[h]
}

// push adds a node to its step's deque, dropping the chains it beats.
func (g *engine) push(idx int32) {
	nd := &g.nodes[idx]
	k := nd.level
	d := g.dq[k]
	for len(d) > g.hd[k] && !g.later(d[len(d)-1], idx) {
		d = d[:len(d)-1]
	}
	g.dq[k] = append(d, idx)
}

// entryAt returns the position of the event at step a of the chain idx.
func (g *engine) entryAt(idx int32, a int32) int32 {
	for g.nodes[idx].level > a {
		idx = g.nodes[idx].parent
	}
	return g.nodes[idx].pos
}

// run follows the sorted events evs. With entry < 0 it returns the
// furthest step any attempt reaches (as a count of steps) and the node of
// the first chain to get there; with entry ≥ 0 it follows only the
// attempt entering at evs[entry]. Each event goes through four phases:
// the mode's stopping rules (stops), extending the chains into the steps
// it fills (extend), clearing the chains its exclusions stop (exclude),
// and making the new chains candidates (commit).
func (g *engine) run(evs []item, entry int) (level int, best int32) {
	p := g.p
	g.reset()
	best = -1
	start := 0
	if entry >= 0 {
		start = entry
	}
	var now int64
	for pos := start; pos < len(evs); pos++ {
		it := &evs[pos]
		t, steps := it.t, it.steps
		entered := level > 0
		if entry >= 0 {
			if after(evs[entry].t, t, p.window) {
				break
			}
			if pos != entry {
				steps &^= 1
				if steps == 0 && it.excl == 0 && it.steps != 0 {
					continue // another entry: not part of this attempt
				}
			}
			entered = true
		}
		if len(g.pending) > 0 && t != now {
			for _, idx := range g.pending {
				g.push(idx)
			}
			g.pending = g.pending[:0]
		}
		now = t
		if g.stops(steps, it.excl, level, entered) {
			break
		}
		if l, b := g.extend(steps, t, pos); l > level {
			level, best = l, b
		}
		if it.excl != 0 {
			g.exclude(it.excl, pos)
		}
		g.commit(steps)
		if g.mask == 1<<p.n-1 { // every step reached (optional ones too)
			break
		}
	}
	return level, best
}

// reset empties the engine for a new run.
func (g *engine) reset() {
	g.nodes = g.nodes[:0]
	for k := range g.p.n {
		g.dq[k], g.hd[k] = g.dq[k][:0], 0
		g.fresh[k] = -1
		g.first[k] = -1
	}
	g.pending = g.pending[:0]
	g.mask = 0
}

// stops reports whether the mode's rules end the search at an event
// filling steps and matching the exclusions excl, with level steps
// reached: under StrictOrder an event
// matching nothing, or one whose first step comes after a required step
// not reached; under StrictDedup an event whose first step after the entry
// was reached.
func (g *engine) stops(steps, excl uint16, level int, entered bool) bool {
	mode := g.p.def.Mode
	if mode&StrictOrder != 0 && entered {
		if steps == 0 && excl == 0 {
			return true
		}
		if steps != 0 {
			if m := bits.TrailingZeros16(steps); m >= 1 && level <= g.p.prev[m] {
				return true
			}
		}
	}
	if mode&StrictDedup != 0 {
		if hi := steps &^ 1; hi != 0 && g.mask&(1<<bits.TrailingZeros16(hi)) != 0 {
			return true
		}
	}
	return false
}

// extend makes the chains of the event at pos, time t, into each step it
// fills, and returns the furthest step made (as a count of steps, 0 for
// none) and its node. A step extends the chain with the latest entry among
// the steps it may follow: the one before, and past optional steps the
// ones before them down to a required step; of equal entries, the chain of
// the later step.
func (g *engine) extend(steps uint16, t int64, pos int) (level int, best int32) {
	self := g.p.def.Mode&(StrictOnce|StrictIncrease) == 0 // may an event chain onto itself?
	best = -1
	for s := steps; s != 0; s &= s - 1 {
		k := bits.TrailingZeros16(s)
		var idx int32
		if k == 0 {
			idx = g.newNode(t, t, -1, pos, 0)
		} else {
			c := int32(-1)
			for j := k - 1; j >= g.p.prev[k]; j-- {
				cj := g.candidate(j, k, t)
				if f := g.fresh[j]; self && f >= 0 && (cj < 0 || g.later(f, cj)) {
					cj = f
				}
				if cj >= 0 && (c < 0 || g.later(cj, c)) {
					c = cj
				}
			}
			if c < 0 {
				continue
			}
			idx = g.newNode(g.nodes[c].first, t, c, pos, k)
		}
		g.fresh[k] = idx
		if g.mask&(1<<k) == 0 && g.p.opt&(1<<k) != 0 {
			g.first[k] = idx
		}
		g.mask |= 1 << k
		if k+1 > level {
			level, best = k+1, idx
		}
	}
	return level, best
}

// exclude drops the chains that the exclusions excl, matched by the event
// at pos, stop.
func (g *engine) exclude(excl uint16, pos int) {
	for x := excl; x != 0; x &= x - 1 {
		j := bits.TrailingZeros16(x)
		a, b := int(g.p.exFrom[j]), int(g.p.exTo[j])
		for k := a; k < b; k++ {
			g.dq[k], g.hd[k] = g.dq[k][:0], 0
			if f := g.fresh[k]; f >= 0 && int(g.entryAt(f, int32(a))) < pos {
				g.fresh[k] = -1
			}
		}
		kept := g.pending[:0]
		for _, idx := range g.pending {
			if l := int(g.nodes[idx].level); l < a || l >= b {
				kept = append(kept, idx)
			}
		}
		g.pending = kept
	}
}

// commit makes the event's new chains candidates for the next steps: at
// once, or under StrictIncrease once the time moves on.
func (g *engine) commit(steps uint16) {
	for s := steps; s != 0; s &= s - 1 {
		k := bits.TrailingZeros16(s)
		if f := g.fresh[k]; f >= 0 {
			if g.p.def.Mode&StrictIncrease != 0 {
				g.pending = append(g.pending, f)
			} else {
				g.push(f)
			}
			g.fresh[k] = -1
		}
	}
}

// times fills g.chain with the events' times along the chain ending at
// node idx, step by step, and g.path with its steps, and returns the
// position of its entry event.
func (g *engine) times(idx int32) int32 {
	g.path = 0
	for idx >= 0 {
		nd := &g.nodes[idx]
		g.chain[nd.level] = nd.last
		g.path |= 1 << nd.level
		if nd.parent < 0 {
			return nd.pos
		}
		idx = nd.parent
	}
	return -1 // not reached: every chain starts at an entry node
}

// note records, for each optional step of steps (reached in the last
// run), the time of its first chain's event of the step and the time to
// it from that chain's event of the required step before.
func (g *engine) note(steps uint16) {
	for s := steps & g.p.opt; s != 0; s &= s - 1 {
		k := bits.TrailingZeros16(s)
		idx := g.first[k]
		at := g.nodes[idx].last
		j := int32(g.p.prev[k])
		for g.nodes[idx].level > j {
			idx = g.nodes[idx].parent
		}
		g.optAt[k], g.optDur[k] = at, at-g.nodes[idx].last
	}
}

// durations sets, with optional steps, the times to convert dur of the
// chain of level steps whose times are chain, which passed the steps of
// path and counts at those of mask: for a step passed, from the chain's
// required step before; for one not passed, that of its first chain,
// whose time of the step goes into chain (see note).
func (g *engine) durations(level int, mask, path uint16, chain, dur *[maxSteps]int64) {
	for k := 1; k < level; k++ {
		switch {
		case path&(1<<k) != 0:
			dur[k] = chain[k] - chain[g.p.prev[k]]
		case mask&(1<<k) != 0:
			chain[k], dur[k] = g.optAt[k], g.optDur[k]
		}
	}
}

// entity counts one entity's events, sorted here, into the tallies.
func (g *engine) entity(evs []item, tl *tallies) {
	tags := *g.tags
	hold := g.p.def.Hold != ""
	g.sortItems(evs, hold)
	unique := g.p.def.Counting == Unique
	opt := g.p.opt != 0
	bestLevel, bestBD := 0, uint32(0)
	var bestTimes [maxSteps]int64
	var mask, bestPath uint16 // the steps reached in any run; the best chain's
	for len(evs) > 0 {
		end := 1
		if hold {
			for end < len(evs) && tags[evs[end].tag].hold == tags[evs[0].tag].hold {
				end++
			}
		} else {
			end = len(evs)
		}
		run := evs[:end]
		evs = evs[end:]
		if unique {
			// Of the held values' attempts, the first to reach the
			// furthest step counts, whatever the order of the values.
			level, best := g.run(run, -1)
			if level == 0 {
				continue
			}
			if opt {
				g.note(g.mask &^ mask)
			}
			mask |= g.mask
			entry := g.times(best)
			if level > bestLevel || (level == bestLevel && g.chain[level-1] < bestTimes[level-1]) {
				bestLevel = level
				bestBD = tags[run[entry].tag].bd
				bestTimes = g.chain
				bestPath = g.path
			}
			continue
		}
		for i := range run {
			if run[i].steps&1 == 0 {
				continue
			}
			level, best := g.run(run, i)
			g.times(best)
			if opt {
				g.note(g.mask &^ g.path)
				g.durations(level, g.mask, g.path, &g.chain, &g.dur)
			}
			tl.add(tags[run[i].tag].bd, level, g.mask, g.path, &g.chain, &g.dur)
		}
	}
	if unique && bestLevel > 0 {
		if opt {
			g.durations(bestLevel, mask, bestPath, &bestTimes, &g.dur)
		}
		tl.add(bestBD, bestLevel, mask, bestPath, &bestTimes, &g.dur)
	}
}
