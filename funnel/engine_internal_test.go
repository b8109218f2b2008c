package funnel

import (
	"errors"
	"fmt"
	"math/bits"
	"sort"
	"testing"
	"time"

	"github.com/kpiflow/kpi"
)

// The reference: a brute-force reading of the Mode documentation, written
// apart from the engine. It sorts an entity's events itself, splits them by
// held value, and for every prefix of the events enumerates every chain of
// events that fills steps 0, 1, … in order.

func refKey(it item, n int) int {
	for k := range n {
		if it.steps&(1<<k) != 0 {
			return k
		}
	}
	if it.excl != 0 {
		return 100
	}
	return 101
}

// refFound is what the reference finds of an attempt (Totals) or an
// entity (Unique): its furthest step as a count, the steps it reached in
// any chain, and the breakdown value of its entry: with Unique that of
// the entity's best attempt (see refPick).
type refFound struct {
	level int
	mask  uint16
	bd    uint32
}

// refPick is the chain a Unique entity counts under, as the reference
// reads the documentation: of the chains reaching the furthest step, the
// first to get there (its event of that step earliest in the sorted
// events), and of those the one with the latest entry, the entry that
// restarts the window; across held values the one reaching the furthest
// step first in time, the first held value in order on a tie. entry and
// at are positions in the sorted events of the held value's run, at the
// time of the furthest step's event.
type refPick struct {
	level     int
	entry, at int
}

// better reports whether the chain q of level steps beats the pick r
// within one run of events.
func (r refPick) better(level, entry, at int) bool {
	switch {
	case level != r.level:
		return level > r.level
	case at != r.at:
		return at < r.at
	}
	return entry > r.entry
}

// refLevels returns the furthest step (as a count) and the steps reached
// of the entity's best attempt (Unique) or of each attempt in order
// (Totals). The fuzz cases' tags are held value + 2 × breakdown value.
func refLevels(p *compiled, in []item) []refFound {
	evs := append([]item(nil), in...)
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.tag&1 != b.tag&1 {
			return a.tag&1 < b.tag&1
		}
		if a.t != b.t {
			return a.t < b.t
		}
		if ka, kb := refKey(a, p.n), refKey(b, p.n); ka != kb {
			return ka < kb
		}
		if a.steps != b.steps {
			return a.steps < b.steps
		}
		if a.excl != b.excl {
			return a.excl < b.excl
		}
		return a.tag < b.tag
	})
	var out []refFound
	best := refFound{}
	var bestAt int64
	for len(evs) > 0 {
		end := 1
		for end < len(evs) && evs[end].tag&1 == evs[0].tag&1 {
			end++
		}
		part := evs[:end]
		evs = evs[end:]
		if p.def.Counting == Unique {
			l, m, pick := refRun(p, part, -1)
			if l > best.level || (l == best.level && l > 0 && part[pick.at].t < bestAt) {
				best.level, best.bd, bestAt = l, part[pick.entry].tag>>1, part[pick.at].t
			}
			best.mask |= m
			continue
		}
		for i := range part {
			if part[i].steps&1 != 0 {
				l, m, _ := refRun(p, part, i)
				out = append(out, refFound{l, m, part[i].tag >> 1})
			}
		}
	}
	if p.def.Counting == Unique && best.level > 0 {
		out = append(out, best)
	}
	return out
}

func lowest(m uint16) int { return bits.TrailingZeros16(m) }

// refRun applies the stopping rules of StrictOrder and StrictDedup to
// find the prefix of events the search sees, then the best chain in it,
// the steps any chain in it reached, and the chain picked (see refPick).
func refRun(p *compiled, evs []item, entry int) (int, uint16, refPick) {
	mode := p.def.Mode
	start := 0
	if entry >= 0 {
		start = entry
	}
	limit := len(evs)
	for j := start; j < len(evs); j++ {
		steps := evs[j].steps
		if entry >= 0 && j != entry {
			steps &^= 1
			if steps == 0 && evs[j].excl == 0 && evs[j].steps != 0 {
				continue
			}
		}
		level, mask, _ := refBest(p, evs[:j], entry)
		entered := level > 0 || entry >= 0
		if mode&StrictOrder != 0 && entered {
			if steps == 0 && evs[j].excl == 0 {
				limit = j
				break
			}
			// A later step's event with a required step before it not
			// reached (optional steps may be skipped).
			if m := lowest(steps); steps != 0 && m >= 1 {
				req := m - 1
				for p.def.Steps[req].Optional {
					req--
				}
				if level <= req {
					limit = j
					break
				}
			}
		}
		if mode&StrictDedup != 0 {
			if hi := steps &^ 1; hi != 0 && mask&(1<<lowest(hi)) != 0 {
				limit = j
				break
			}
		}
	}
	return refBest(p, evs[:limit], entry)
}

// refBest returns the longest chain in evs and the steps any chain
// reaches: positions p0 ≤ p1 ≤ … of the steps the chain passes, each
// required step passed, an optional one passed or skipped, evs[pk]
// matching step k, within the window of p0 and of each step's own window
// from the step passed before it, with no exclusion event strictly
// between the position of its From step and that of a step the chain
// passes after From from a step before To, and with the mode's conditions
// on equal positions and times.
func refBest(p *compiled, evs []item, entry int) (int, uint16, refPick) {
	mode := p.def.Mode
	self := mode&(StrictOnce|StrictIncrease) == 0
	best, mask := 0, uint16(0)
	pick := refPick{}
	chain := make([]int, p.n)
	var dfs func(k, last int, path uint16)
	dfs = func(k, last int, path uint16) {
		best = max(best, last+1)
		if pick.better(last+1, chain[0], chain[last]) {
			pick = refPick{last + 1, chain[0], chain[last]}
		}
		mask |= path
		if k == p.n {
			return
		}
		if p.def.Steps[k].Optional {
			dfs(k+1, last, path) // skipped
		}
		prev := chain[last]
		from := prev + 1
		if self {
			from = prev
		}
		for q := from; q < len(evs); q++ {
			e := evs[q]
			if e.steps&(1<<k) == 0 {
				continue
			}
			if e.t-evs[chain[0]].t > p.window {
				continue
			}
			if w := p.within[k]; w > 0 && e.t-evs[prev].t > w {
				continue
			}
			if mode&StrictIncrease != 0 && e.t <= evs[prev].t {
				continue
			}
			ok := true
			for j := range p.exFrom {
				if a, b := int(p.exFrom[j]), int(p.exTo[j]); last < a || last >= b {
					continue
				}
				for x := chain[p.exFrom[j]] + 1; x < q; x++ {
					if evs[x].excl&(1<<j) != 0 {
						ok = false
					}
				}
			}
			if !ok {
				continue
			}
			chain[k] = q
			dfs(k+1, k, path|1<<k)
		}
	}
	for i := range evs {
		if evs[i].steps&1 == 0 || (entry >= 0 && i != entry) {
			continue
		}
		chain[0] = i
		dfs(1, 0, 1)
	}
	return best, mask, pick
}

// fuzzCase decodes fuzz bytes into a definition and one entity's events.
func fuzzCase(data []byte) (*compiled, []item, error) {
	if len(data) < 4 {
		return nil, nil, fmt.Errorf("short")
	}
	n := 2 + int(data[2]%3)
	d := Definition{
		Window:   time.Duration(data[1]%8 + 1),
		Mode:     Mode(data[0] & 15),
		Counting: Counting(data[0] >> 4 & 1),
	}
	for k := range n {
		w := time.Duration(data[3] >> (2 * k) & 3)
		if k == 0 {
			w = 0
		}
		// data[1]'s high bits make steps optional (the first cannot be).
		d.Steps = append(d.Steps, Match{Event: fmt.Sprint("s", k), Within: w, Optional: k > 0 && data[1]>>(2+k)&1 != 0})
	}
	if data[2]&0x10 != 0 {
		a := int(data[2]>>5) % (n - 1)
		d.Exclusions = append(d.Exclusions, Exclusion{Match: Match{Event: "x"}, From: a, To: a + 1 + int(data[0]>>5)%(n-1-a)})
	}
	hold := data[2]&0x08 != 0
	if hold {
		d.Hold = "deal"
	}
	p, err := compile("fuzz", d)
	if err != nil && errors.Is(err, kpi.ErrInvalid) {
		// Too many optional steps, or an exclusion from one: none.
		for k := range d.Steps {
			d.Steps[k].Optional = false
		}
		p, err = compile("fuzz", d)
	}
	if err != nil {
		return nil, nil, err
	}
	var evs []item
	var t int64 = 1000
	rest := data[4:]
	for i := 0; i+1 < len(rest) && len(evs) < 12; i += 2 {
		b, c := rest[i], rest[i+1]
		t += int64(b & 3)
		it := item{t: t}
		switch v := int(b>>2) % (n + 3); {
		case v < n:
			it.steps = 1 << v
		case v == n:
			it.excl = uint16(len(d.Exclusions) & 1)
		case v == n+1:
			it.steps = uint16(c>>2) & (1<<n - 1) // several steps at once
		}
		if hold {
			it.tag = uint32(c & 1)
		}
		it.tag |= uint32(c>>1&3) << 1 // the breakdown combination
		if it.steps == 0 && it.excl == 0 && !p.keepAll {
			continue
		}
		evs = append(evs, it)
	}
	return p, evs, nil
}

// FuzzEngine checks the engine against the reference in every mode.
func FuzzEngine(f *testing.F) {
	for _, s := range []string{
		"\x00\x09\x01\x00\x00\x00\x14\x00\x28\x00",         // A@0 B@1 C@2
		"\x01\x09\x01\x00\x00\x00\x14\x00\x3c\x00\x2b\x00", // strict order
		"\x02\x05\x01\x00\x00\x00\x14\x00\x14\x00\x28\x00", // dedup
		"\x04\x09\x01\x00\x00\x00\x04\x00\x15\x00\x29\x00", // strict increase
		"\x08\x09\x01\x00\x10\xff\x00\x00\x28\x00",         // once, multi-match
		"\x10\x09\x01\x00\x00\x00\x00\x00\x14\x00\x28\x00", // totals
		"\x00\x09\x11\x00\x00\x00\x0c\x00\x14\x00",         // exclusion
		"\x00\x09\x09\x55\x00\x00\x00\x01\x14\x01\x28\x00", // hold, within
		"\x0f\x03\x1a\xff\x10\xff\x05\x01\x14\x00\x2b\x01\x3c\x00\x11\xf0",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, evs, err := fuzzCase(data)
		if err != nil {
			return
		}
		want := make([]int64, p.n)
		var wantBD [4][]int64
		for i := range wantBD {
			wantBD[i] = make([]int64, p.n)
		}
		for _, a := range refLevels(p, evs) {
			for k := range a.level {
				if a.mask&(1<<k) != 0 {
					want[k]++
					wantBD[a.bd][k]++
				}
			}
		}
		tl := tallies{n: p.n, all: curveTally(p.n, p.opt != 0), groups: make([]*tally, 4)}
		if p.opt != 0 {
			tl.prev = p.prev
		}
		// Tag i holds value i&1 and breakdown combination i>>1, a cross of
		// two properties whose values sort as the combinations' ids.
		var tags []tag
		for i := range 8 {
			tags = append(tags, tag{hold: uint32(i & 1), bd: uint32(i >> 1)})
		}
		held, values := []string{"0", "1"}, [][]string{{"a", "a"}, {"a", "b"}, {"b", "a"}, {"b", "b"}}
		g := engine{p: p, tags: &tags, names: &names{hold: &held, bd: &values}}
		g.entity(append([]item(nil), evs...), &tl)
		if fmt.Sprint(tl.all.reached) != fmt.Sprint(want) {
			t.Fatalf("mode %v counting %d window %d within %v optional %b excl %v: events %+v\nengine %v, reference %v",
				p.def.Mode, p.def.Counting, p.window, p.within, p.opt, p.def.Exclusions, evs, tl.all.reached, want)
		}
		// Each attempt (Totals) counts under its entry's breakdown
		// combination, each entity (Unique) under its best attempt's.
		for bd, g := range tl.groups {
			got := make([]int64, p.n)
			if g != nil {
				got = g.reached
			}
			if fmt.Sprint(got) != fmt.Sprint(wantBD[bd]) {
				t.Fatalf("mode %v counting %d window %d within %v optional %b excl %v: breakdown %v: engine %v, reference %v (events %+v)",
					p.def.Mode, p.def.Counting, p.window, p.within, p.opt, p.def.Exclusions, values[bd], got, wantBD[bd], evs)
			}
		}
		for k := 1; k < p.n; k++ {
			if n := int64(len(tl.all.times[k])); n > tl.all.reached[k] || (p.opt&(1<<k) == 0 && n != tl.all.reached[k]) {
				t.Fatalf("step %d: %d times for a count of %d", k, n, tl.all.reached[k])
			}
			for _, d := range tl.all.times[k] {
				if d < 0 || d > p.window || (p.within[k] > 0 && d > p.within[k]) {
					t.Fatalf("step %d time %d outside the windows", k, d)
				}
			}
		}
	})
}
