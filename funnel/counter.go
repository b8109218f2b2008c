package funnel

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"iter"
	"math/bits"
	"reflect"
	"slices"
	"sync"

	"github.com/kpiflow/kpi/internal/errs"
)

// tally holds the counts of one group: how many reached each step, the
// times from each step's event to the next, and, for the chains that
// stopped, when they reached their last step, for conversion curves.
type tally struct {
	reached []int64
	times   [][]int64 // times[k]: nanoseconds from step k−1 to step k
	open    [][]int64 // open[k]: pairs (time of step k−1, time of entry) of chains that reached step k−1 and no further
	chains  *chains   // the whole funnel's chains, for Series; nil in a breakdown group
	// Of a definition with optional steps, conv[k] holds, per chain
	// counted at step k, the time from its required step before k
	// (compiled.prev) to k, and open[k] the pairs (time of that required
	// step, time of entry) of the chains that reached it and were not
	// counted at k: what conversion curves need (see Counter.Curves). nil
	// in a breakdown group, which keeps neither; unused without optional
	// steps, where conv[k] is times[k].
	conv [][]int64
}

func newTally(n int) *tally {
	return &tally{reached: make([]int64, n), times: make([][]int64, n), open: make([][]int64, n)}
}

// curveTally returns an empty tally that keeps what conversion curves need
// with optional steps (conv) when opt.
func curveTally(n int, opt bool) *tally {
	t := newTally(n)
	if opt {
		t.conv = make([][]int64, n)
	}
	return t
}

// converted returns the times to convert of the chains counted at step
// k, from the required step before it (see tally.conv).
func (t *tally) converted(k int) []int64 {
	if t.conv != nil {
		return t.conv[k]
	}
	return t.times[k]
}

// add counts a chain that reached level steps, with chain[k] the time of
// its event of step k. Of a definition with optional steps (prev, the
// required step before each step, is not nil), mask holds the steps
// counted as reached and path the steps the chain passed, whose times
// from the step before in the chain are kept; dur[k] is, for each step of
// mask, the time from its required step before, and chain[k], for a step
// of mask not passed by the chain, the time of the step in the first
// chain that reached it (see Counter.Curves).
func (t *tally) add(level int, mask, path uint16, chain, dur *[maxSteps]int64, prev []int) {
	if prev != nil {
		t.addOpt(level, mask, path, chain, dur, prev)
		return
	}
	if t.chains != nil {
		t.chains.add(level, chain[0])
	}
	for k := range level {
		t.reached[k]++
		if k > 0 {
			t.times[k] = append(t.times[k], chain[k]-chain[k-1])
		}
	}
	if level > 0 && level < len(t.reached) {
		t.open[level] = append(t.open[level], chain[level-1], chain[0])
	}
}

// addOpt is add for a definition with optional steps.
func (t *tally) addOpt(level int, mask, path uint16, chain, dur *[maxSteps]int64, prev []int) {
	last := 0
	for k := range level {
		if mask&(1<<k) != 0 {
			t.reached[k]++
		}
		if k > 0 && path&(1<<k) != 0 {
			t.times[k] = append(t.times[k], chain[k]-chain[last])
			last = k
		}
	}
	if t.conv == nil {
		return // a breakdown group: no curves
	}
	for k := 1; k < len(t.reached); k++ {
		switch j := prev[k]; {
		case mask&(1<<k) != 0:
			t.conv[k] = append(t.conv[k], dur[k])
		case j < level:
			t.open[k] = append(t.open[k], chain[j], chain[0])
		}
	}
	if t.chains != nil {
		t.chains.addOpt(level, mask, path, chain, dur)
	}
}

func (t *tally) merge(o *tally) {
	for k := range t.reached {
		t.reached[k] += o.reached[k]
		t.times[k] = append(t.times[k], o.times[k]...)
		t.open[k] = append(t.open[k], o.open[k]...)
		if t.conv != nil && o.conv != nil {
			t.conv[k] = append(t.conv[k], o.conv[k]...)
		}
	}
	if t.chains != nil && o.chains != nil {
		t.chains.merge(o.chains)
	}
}

// tallies holds the whole funnel's tally and, with a breakdown, one per
// combination of the breakdown properties' values.
type tallies struct {
	n      int
	all    *tally
	groups []*tally   // by interned combination
	values [][]string // interned combinations
	ids    map[string]uint32
	key    []byte   // scratch: a combination's key
	props  []string // the breakdown properties
	prev   []int    // of a definition with optional steps, the required step before each; else nil
}

// keyOf encodes a combination of values into tl.key: the value itself for
// one property, else each value's length as a uvarint, then the value.
func (tl *tallies) keyOf(vals func(i int) string) []byte {
	b := tl.key[:0]
	if len(tl.props) == 1 {
		b = append(b, vals(0)...)
	} else {
		for i := range tl.props {
			v := vals(i)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		}
	}
	tl.key = b
	return b
}

// internProps interns the combination of the breakdown properties' values
// in props; it allocates only for a combination not seen before.
func (tl *tallies) internProps(props map[string]string) uint32 {
	if len(tl.props) == 1 {
		if id, ok := tl.ids[props[tl.props[0]]]; ok {
			return id
		}
	}
	k := tl.keyOf(func(i int) string { return props[tl.props[i]] })
	if id, ok := tl.ids[string(k)]; ok {
		return id
	}
	vals := make([]string, len(tl.props))
	for i, p := range tl.props {
		vals[i] = props[p]
	}
	return tl.insert(string(k), vals)
}

// intern interns a combination of values.
func (tl *tallies) intern(vals []string) uint32 {
	k := tl.keyOf(func(i int) string { return vals[i] })
	if id, ok := tl.ids[string(k)]; ok {
		return id
	}
	return tl.insert(string(k), slices.Clone(vals))
}

func (tl *tallies) insert(k string, vals []string) uint32 {
	id := uint32(len(tl.values))
	tl.ids[k] = id
	tl.values = append(tl.values, vals)
	tl.groups = append(tl.groups, nil)
	return id
}

func (tl *tallies) add(bd uint32, level int, mask, path uint16, chain, dur *[maxSteps]int64) {
	if level == 0 {
		return
	}
	tl.all.add(level, mask, path, chain, dur, tl.prev)
	if tl.groups != nil {
		if tl.groups[bd] == nil {
			tl.groups[bd] = newTally(tl.n)
		}
		tl.groups[bd].add(level, mask, path, chain, dur, tl.prev)
	}
}

// Counter accumulates an event funnel, following the library's
// accumulator contract (see package kpi): feed it events with Add, one at
// a time, or AddAll, a stream (any order), or AddSorted (a stream sorted
// by entity), combine counters of disjoint sets of entities with Merge,
// and read the funnel with Result.
//
// The zero Counter is not ready to use: it needs its Definition, from
// NewCounter, and every method called on it returns an error wrapping
// kpi.ErrInvalid that says so.
//
// A Counter is not safe for concurrent use; to use several cores give each
// goroutine its own Counter over its own entities and merge them, as
// Parallel does. Every event of an entity must reach the same Counter,
// before Result: it evaluates the buffered events, and an entity whose
// events arrive after that is counted again as a new one.
type Counter struct {
	p  *compiled
	g  engine
	tl tallies

	// The held and breakdown values seen, interned, and their pairs.
	holds  map[string]uint32
	held   []string // the held values by id
	tags   []tag
	tagIDs map[tag]uint32

	// Add's buffer: the events with their entities' 128-bit hashes, in
	// chunks, split by the hash's top byte.
	parts    [256][][]keyed
	buffered bool
	scratch  []keyed
	next     []uint32

	run []item // AddSorted's events of the current entity
}

// seed1 and seed2 make the 128-bit hashes of entities' names.
var seed1, seed2 = maphash.MakeSeed(), maphash.MakeSeed()

// chunk is the largest size of the chunks of Add's buffer, which grows
// without copying.
const chunk = 1 << 12

// keyed is a buffered event: its entity's hash and the event.
type keyed struct {
	h1, h2 uint64
	it     item
}

// NewCounter returns an empty Counter for the funnel d.
//
// Errors, wrapping kpi.ErrInvalid and naming the field: fewer than two or
// more than 16 steps, more than 16 exclusions; a step or exclusion
// without an event name; a step's event or Step name that is not valid
// UTF-8 (its JSON form would name another); two steps with the same label, or with the same
// event and conditions; more than 64 alternatives in a match's Any; a
// Window ≤ 0 or a negative Within; an unknown Mode or Counting; an
// exclusion whose steps are not 0 ≤ From < To < len(Steps); more than 16
// breakdown properties; bins not > 0 and ascending, or more than 64 of
// them; quantiles outside (0, 1) (NaN included), not ascending, repeated,
// or more than 64 of them.
func NewCounter(d Definition) (*Counter, error) {
	p, err := compile("funnel.NewCounter", d)
	if err != nil {
		return nil, err
	}
	c := new(Counter)
	c.init(p)
	return c, nil
}

// init makes c an empty Counter of the compiled definition p.
func (c *Counter) init(p *compiled) {
	d := p.def
	*c = Counter{p: p, tl: tallies{n: p.n, all: curveTally(p.n, p.opt != 0), ids: map[string]uint32{}}, tags: []tag{{}}}
	if p.opt != 0 {
		c.tl.prev = p.prev
	}
	c.tl.all.chains = new(chains)
	c.g.p = p
	c.g.tags = &c.tags
	c.g.names = &names{hold: &c.held, bd: &c.tl.values}
	if d.Breakdown != nil {
		c.tl.props = d.Breakdown
		c.tl.groups = []*tally{}
		c.tl.intern(make([]string, len(d.Breakdown))) // so that the zero tag means "no value"
	}
	if d.Hold != "" {
		c.holds = map[string]uint32{}
	}
	if d.Hold != "" || d.Breakdown != nil {
		c.tagIDs = map[tag]uint32{{}: 0}
	}
}

// prepare matches and checks an event; keep is false for an event that
// takes no part in the funnel.
func (c *Counter) prepare(fn string, pos int, e *Event) (it item, keep bool, err error) {
	t, err := check(fn, pos, e)
	if err != nil {
		return item{}, false, err
	}
	steps, excl := c.p.match(e)
	if steps == 0 && excl == 0 && !c.p.keepAll {
		return item{}, false, nil
	}
	it = item{t: t, steps: steps, excl: excl}
	if c.tagIDs != nil {
		hold := ""
		if c.holds != nil {
			v, ok := e.Props[c.p.def.Hold]
			if !ok {
				return item{}, false, nil
			}
			hold = v
		}
		bd := uint32(0)
		if c.tl.groups != nil {
			bd = c.tl.internProps(e.Props)
		}
		it.tag = c.tag(hold, bd)
	}
	return it, true, nil
}

// tag interns an event's held value and, with its breakdown combination's
// id bd, returns their pair's id.
func (c *Counter) tag(hold string, bd uint32) uint32 {
	var tg tag
	if c.holds != nil {
		id, ok := c.holds[hold]
		if !ok {
			id = uint32(len(c.holds))
			c.holds[hold] = id
			c.held = append(c.held, hold)
		}
		tg.hold = id
	}
	tg.bd = bd
	id, ok := c.tagIDs[tg]
	if !ok {
		id = uint32(len(c.tags))
		c.tagIDs[tg] = id
		c.tags = append(c.tags, tg)
	}
	return id
}

// Add adds one event; events may come in any order, and grouping them by
// entity and sorting them by time is the Counter's job. The events are
// buffered, compactly (32 bytes an event), until Result or Merge. Entities
// are told apart by a 128-bit hash of their names: two of a billion
// entities would be taken for one with a probability of about 10⁻²¹.
//
// Errors, wrapping kpi.ErrInvalid, leaving the Counter as it was: an event
// without an entity, with a zero time or with a time outside the years
// kpi.MinYear to kpi.MaxYear; the zero Counter.
func (c *Counter) Add(e Event) error {
	const fn = "funnel.Counter.Add"
	if c.p == nil {
		return errs.Zero(fn, "Counter", "funnel.NewCounter")
	}
	return c.add(fn, -1, &e)
}

// AddAll adds a stream of events in any order, as Add does one by one; a
// nil seq adds nothing. It stops at the first bad event and returns its
// error, which names the event's position in the stream, having added the
// events before it.
func (c *Counter) AddAll(seq iter.Seq[Event]) error {
	const fn = "funnel.Counter.AddAll"
	if c.p == nil {
		return errs.Zero(fn, "Counter", "funnel.NewCounter")
	}
	if seq == nil {
		return nil
	}
	pos := 0
	for e := range seq {
		if err := c.add(fn, pos, &e); err != nil {
			return err
		}
		pos++
	}
	return nil
}

// add buffers one event; pos is its position in a stream, or −1.
func (c *Counter) add(fn string, pos int, e *Event) error {
	it, keep, err := c.prepare(fn, pos, e)
	if err != nil || !keep {
		return err
	}
	c.buffer(keyed{maphash.String(seed1, e.Entity), maphash.String(seed2, e.Entity), it})
	return nil
}

// buffer appends an event to its part of Add's buffer.
func (c *Counter) buffer(k keyed) {
	cs := &c.parts[k.h1>>56]
	n := len(*cs)
	if n == 0 || len((*cs)[n-1]) == cap((*cs)[n-1]) {
		size := 64 // small at first, for the many parts of small inputs
		if n > 0 {
			size = min(4*cap((*cs)[n-1]), chunk)
		}
		*cs = append(*cs, make([]keyed, 0, size))
		n++
	}
	(*cs)[n-1] = append((*cs)[n-1], k)
	c.buffered = true
}

// AddSorted adds events sorted by entity — ascending, as strings compare —
// and, within an entity, ideally by time (an entity's events are sorted
// again, cheaply when they are in order). It is the fast path: each
// entity is counted as soon as its events end, so memory holds one
// entity's events at a time. The entities of one call must not appear in
// other calls or in Add. A nil seq adds nothing.
//
// AddSorted stops at the first bad event and returns its error, which
// names the event's position in the stream, having counted the entities
// before it: an entity smaller than the one before (input not sorted), or
// an error of Add. The errors wrap kpi.ErrInvalid.
func (c *Counter) AddSorted(seq iter.Seq[Event]) error {
	const fn = "funnel.Counter.AddSorted"
	if c.p == nil {
		return errs.Zero(fn, "Counter", "funnel.NewCounter")
	}
	if seq == nil {
		return nil
	}
	var cur string
	have := false
	c.run = c.run[:0]
	pos := 0
	for e := range seq {
		it, keep, err := c.prepare(fn, pos, &e)
		if err != nil {
			c.g.entity(c.run, &c.tl)
			c.run = c.run[:0]
			return err
		}
		if !have || e.Entity != cur {
			if have {
				c.g.entity(c.run, &c.tl)
				c.run = c.run[:0]
				if e.Entity < cur {
					return errs.Invalid(fn, fmt.Sprintf("events[%d] entity", pos), fmt.Sprintf("%q", e.Entity), fmt.Sprintf("comes after %q: input not sorted by entity", cur))
				}
			}
			cur, have = e.Entity, true
		}
		if keep {
			c.run = append(c.run, it)
		}
		pos++
	}
	if have {
		c.g.entity(c.run, &c.tl)
		c.run = c.run[:0]
	}
	return nil
}

// flush counts the events buffered by Add. Entities are told apart by a
// 128-bit hash of their names, made with two random seeds (so two of a
// billion entities are taken for one with a probability below 10⁻²¹). Add
// splits the events into 256 parts by the hash's top byte; here a
// counting sort of each part on the next bits splits it into buckets of
// about 32 events, and a sort of each bucket by hash puts each entity's
// events together. A part's work stays in the processor's cache.
func (c *Counter) flush() {
	if !c.buffered {
		return
	}
	for p := range c.parts {
		cs := c.parts[p]
		n := 0
		for _, ch := range cs {
			n += len(ch)
		}
		if n == 0 {
			continue
		}
		top := min(max(bits.Len(uint(n/32)), 1), 16)
		shift := 56 - top
		mask := uint64(1)<<top - 1
		if cap(c.next) < 1<<top {
			c.next = make([]uint32, 1<<16)
		}
		next := c.next[:1<<top]
		clear(next)
		for _, ch := range cs {
			for i := range ch {
				next[ch[i].h1>>shift&mask]++
			}
		}
		offsets(next)
		if cap(c.scratch) < n {
			c.scratch = make([]keyed, n+n/4)
		}
		grouped := c.scratch[:n]
		for _, ch := range cs {
			for i := range ch {
				d := ch[i].h1 >> shift & mask
				grouped[next[d]] = ch[i]
				next[d]++
			}
		}
		c.parts[p] = nil // let the collector have the chunks
		start := uint32(0)
		for _, end := range next {
			c.bucket(grouped[start:end])
			start = end
		}
	}
	c.buffered, c.scratch, c.next = false, nil, nil
	c.run = c.run[:0]
}

// bucket counts the entities of a bucket of buffered events.
func (c *Counter) bucket(run []keyed) {
	sortKeyed(run)
	for len(run) > 0 {
		m := 1
		for m < len(run) && run[m].h1 == run[0].h1 && run[m].h2 == run[0].h2 {
			m++
		}
		c.run = c.run[:0]
		for i := range run[:m] {
			c.run = append(c.run, run[i].it)
		}
		c.g.entity(c.run, &c.tl)
		run = run[m:]
	}
}

// offsets turns counts into starting offsets.
func offsets(next []uint32) {
	sum := uint32(0)
	for i, v := range next {
		next[i] = sum
		sum += v
	}
}

// sortKeyed sorts events by their entity's hash. An entity's events are
// sorted again by sortItems, into an order that does not depend on this
// one.
func sortKeyed(run []keyed) {
	if len(run) <= 12 {
		for i := 1; i < len(run); i++ {
			for j := i; j > 0 && (run[j].h1 < run[j-1].h1 || (run[j].h1 == run[j-1].h1 && run[j].h2 < run[j-1].h2)); j-- {
				run[j], run[j-1] = run[j-1], run[j]
			}
		}
		return
	}
	slices.SortFunc(run, func(a, b keyed) int {
		if c := cmp.Compare(a.h1, b.h1); c != 0 {
			return c
		}
		return cmp.Compare(a.h2, b.h2)
	})
}

// Merge adds everything o holds to c, as if o's events had been added to
// c, and leaves o unchanged: counters of partitions of the entities,
// filled in parallel goroutines or in a distributed engine's combiner,
// merge into the counter of the whole. o's buffered events join c's
// buffer, and the entities o has already counted (with AddSorted, or
// before a Result or a Merge into o) add their counts: those must not
// have events in c too.
//
// Errors, wrapping kpi.ErrInvalid: a nil o, o == c (add the events again
// to count them twice), counters of different definitions, and the zero
// Counter as c or o.
func (c *Counter) Merge(o *Counter) error {
	const fn = "funnel.Counter.Merge"
	switch {
	case c.p == nil:
		return errs.Zero(fn, "Counter", "funnel.NewCounter")
	case o == nil:
		return errs.Invalid(fn, "o", o, "nil counter")
	case o == c:
		return errs.Invalid(fn, "o", fmt.Sprintf("%p", o), "the receiver itself: add the events again to count them twice")
	case o.p == nil:
		return errs.Zero(fn, "o", "funnel.NewCounter")
	case !reflect.DeepEqual(c.p.def, o.p.def):
		return errs.Invalid(fn, "o", fmt.Sprintf("%d steps", o.p.n), "of a different definition")
	}
	c.take(o)
	c.tl.all.merge(o.tl.all)
	for i, g := range o.tl.groups {
		if g == nil {
			continue
		}
		id := c.tl.intern(o.tl.values[i])
		if c.tl.groups[id] == nil {
			c.tl.groups[id] = newTally(c.p.n)
		}
		c.tl.groups[id].merge(g)
	}
	return nil
}

// take copies o's buffered events into c's buffer, their tags translated
// into c's. Both counters hash entities with the same seeds.
func (c *Counter) take(o *Counter) {
	if !o.buffered {
		return
	}
	ids := make([]uint32, len(o.tags))
	if c.tagIDs != nil {
		holds := make([]string, len(o.holds))
		for v, id := range o.holds {
			holds[id] = v
		}
		for i, tg := range o.tags {
			hold, bd := "", uint32(0)
			if int(tg.hold) < len(holds) {
				hold = holds[tg.hold]
			}
			if c.tl.groups != nil && int(tg.bd) < len(o.tl.values) {
				bd = c.tl.intern(o.tl.values[tg.bd])
			}
			ids[i] = c.tag(hold, bd)
		}
	}
	for _, cs := range o.parts {
		for _, ch := range cs {
			for _, k := range ch {
				k.it.tag = ids[k.it.tag]
				c.buffer(k)
			}
		}
	}
}

// maxParts bounds the partitions of Parallel, each a goroutine and a
// Counter: far more than cores to run them on.
const maxParts = 4096

// Parallel runs fill(part, c) for part = 0, …, n−1, each in its own
// goroutine with its own empty Counter of d, and returns the merge of the
// n counters. fill adds one partition of the entities (with Add, AddAll or
// AddSorted); the partitions must not share entities, for example by
// hashing the entity: part = hash(entity) mod n.
//
// Errors: those of NewCounter, n < 1 or above 4 096 and a nil fill
// (wrapping kpi.ErrInvalid), and the first error returned by fill, in part
// order.
func Parallel(d Definition, n int, fill func(part int, c *Counter) error) (*Counter, error) {
	switch {
	case n < 1:
		return nil, errs.Invalid("funnel.Parallel", "n", n, "need at least one partition")
	case n > maxParts:
		// A Counter and a goroutine per part: 2·10⁵ empty parts took
		// 1.9 GB and 18 s, and math.MaxInt panicked in make.
		return nil, errs.Invalid("funnel.Parallel", "n", n, fmt.Sprintf("more than %d partitions", maxParts))
	case fill == nil: // called in a goroutine of its own, it would crash the program
		return nil, errs.Invalid("funnel.Parallel", "fill", "nil", "no function to fill the partitions")
	}
	cs := make([]*Counter, n)
	for i := range cs {
		c, err := NewCounter(d)
		if err != nil {
			return nil, err
		}
		cs[i] = c
	}
	fails := make([]error, n)
	var wg sync.WaitGroup
	for i := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fails[i] = fill(i, cs[i])
			if fails[i] == nil {
				cs[i].flush()
			}
		}()
	}
	wg.Wait()
	for _, err := range fails {
		if err != nil {
			return nil, err
		}
	}
	for _, c := range cs[1:] {
		if err := cs[0].Merge(c); err != nil {
			return nil, err
		}
	}
	return cs[0], nil
}
