package funnel

import (
	"fmt"
	"math/bits"
	"sort"
	"testing"
	"time"
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

// refLevels returns the furthest step (as a count) of the entity's best
// attempt (Unique) or of each attempt in order (Totals).
func refLevels(p *compiled, in []item) []int {
	evs := append([]item(nil), in...)
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.tag != b.tag { // the fuzz cases' tags are their held values
			return a.tag < b.tag
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
		return a.excl < b.excl
	})
	var out []int
	best := 0
	for len(evs) > 0 {
		end := 1
		for end < len(evs) && evs[end].tag == evs[0].tag {
			end++
		}
		part := evs[:end]
		evs = evs[end:]
		if p.def.Counting == Unique {
			best = max(best, refRun(p, part, -1))
			continue
		}
		for i := range part {
			if part[i].steps&1 != 0 {
				out = append(out, refRun(p, part, i))
			}
		}
	}
	if p.def.Counting == Unique && best > 0 {
		out = append(out, best)
	}
	return out
}

func lowest(m uint16) int { return bits.TrailingZeros16(m) }

// refRun applies the stopping rules of StrictOrder and StrictDedup to
// find the prefix of events the search sees, then the best chain in it.
func refRun(p *compiled, evs []item, entry int) int {
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
		level := refBest(p, evs[:j], entry)
		entered := level > 0 || entry >= 0
		if mode&StrictOrder != 0 && entered {
			if steps == 0 && evs[j].excl == 0 {
				limit = j
				break
			}
			if steps != 0 && lowest(steps) >= 1 && level < lowest(steps) {
				limit = j
				break
			}
		}
		if mode&StrictDedup != 0 {
			if hi := steps &^ 1; hi != 0 && level >= lowest(hi)+1 {
				limit = j
				break
			}
		}
	}
	return refBest(p, evs[:limit], entry)
}

// refBest returns the longest chain in evs: positions p0 ≤ p1 ≤ … with
// evs[pk] matching step k, within the window of p0 and each step's own
// window, with no exclusion event strictly between the position of its
// From step and that of any later step up to its To step, and with the mode's conditions on equal positions and times.
func refBest(p *compiled, evs []item, entry int) int {
	mode := p.def.Mode
	self := mode&(StrictOnce|StrictIncrease) == 0
	best := 0
	chain := make([]int, p.n)
	var dfs func(k int)
	dfs = func(k int) {
		best = max(best, k)
		if k == p.n {
			return
		}
		prev := chain[k-1]
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
				if a, b := int(p.exFrom[j]), int(p.exTo[j]); k <= a || k > b {
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
			dfs(k + 1)
		}
	}
	for i := range evs {
		if evs[i].steps&1 == 0 || (entry >= 0 && i != entry) {
			continue
		}
		chain[0] = i
		dfs(1)
	}
	return best
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
		d.Steps = append(d.Steps, Match{Event: fmt.Sprint("s", k), Within: w})
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
		for _, l := range refLevels(p, evs) {
			for k := range l {
				want[k]++
			}
		}
		tl := tallies{n: p.n, all: newTally(p.n)}
		tags := []tag{{hold: 0}, {hold: 1}}
		g := engine{p: p, tags: &tags}
		g.entity(append([]item(nil), evs...), &tl)
		if fmt.Sprint(tl.all.reached) != fmt.Sprint(want) {
			t.Fatalf("mode %v counting %d window %d within %v excl %v: events %+v\nengine %v, reference %v",
				p.def.Mode, p.def.Counting, p.window, p.within, p.def.Exclusions, evs, tl.all.reached, want)
		}
		for k := 1; k < p.n; k++ {
			for _, d := range tl.all.times[k] {
				if d < 0 || d > p.window || (p.within[k] > 0 && d > p.within[k]) {
					t.Fatalf("step %d time %d outside the windows", k, d)
				}
			}
		}
	})
}
