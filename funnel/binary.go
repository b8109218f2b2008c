package funnel

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/wire"
)

// The binary form of a Counter: kind 'F', version 7 (version 1 had no
// open chains, version 2 no chain entries, version 3 one breakdown
// property, version 4 no optional, later or any-of steps, version 5 no
// chains of a definition with optional steps; it is still read, and its
// Counters give Result but not Curves or Series; version 6 had no
// quantiles in the definition, and is read as asking for none).
const (
	counterKind    = 'F'
	counterVersion = 7
)

// MarshalBinary encodes the Counter compactly, so that a partial funnel
// can travel between processes (a distributed engine's combiner ships
// its accumulators this way) and be merged there. It first counts the
// events Add buffered, as Result does: the events of an entity must all
// have reached the Counter by then, or the entity counts again as a new
// one. The encoding holds the Definition and the counts, with every time
// to convert; the entities' names and buffered events are not kept.
//
// The format is versioned ("kp", kind 'F', version 7): the definition,
// then per group (the whole funnel, then each combination of breakdown
// values) the counts reaching each step, the times to convert as varints
// (each step's preceded by their number), and for the chains
// that stopped (for Curves) the time they reached their last step and
// how long after their entry that was; after the whole funnel's group,
// each of its chains' level and entry time (for Series), and of a
// definition with optional steps the steps each chain counts at and
// passed, with, for a step counted and not passed, the time of its event
// in the first chain that reached it and the time to it from the
// required step before (the open chains are then rebuilt from the
// chains, not written). An entity that
// reaches step k costs about one varint (≤ 8 bytes, 4 to 7 for times
// from seconds to weeks) per step after the first, and a byte and a
// varint of its entry.
//
// The errors, wrapping kpi.ErrInvalid, are those of the zero Counter and
// of a Counter decoded from version 5 with optional steps, whose chains
// were not kept.
func (c *Counter) MarshalBinary() ([]byte, error) {
	if c.p == nil {
		return nil, errs.Zero("funnel.Counter.MarshalBinary", "Counter", "funnel.NewCounter")
	}
	c.flush()
	size := 64
	for _, ts := range c.tl.all.times {
		size += 2 * 6 * len(ts)
	}
	w := wire.NewWriter(counterKind, counterVersion, size)
	writeDefinition(w, &c.p.def)
	opt := c.p.opt != 0
	writeTally(w, c.tl.all, opt)
	if opt && c.tl.all.chains == nil {
		return nil, errNoChains("funnel.Counter.MarshalBinary")
	}
	writeChains(w, c.tl.all.chains, opt)
	if c.tl.groups != nil {
		w.Uint(uint64(len(c.tl.values)))
		for i, vs := range c.tl.values {
			for _, v := range vs {
				w.String(v)
			}
			w.Bool(c.tl.groups[i] != nil)
			if c.tl.groups[i] != nil {
				writeTally(w, c.tl.groups[i], opt)
			}
		}
	}
	return w.Bytes(), nil
}

// writeTally writes a tally's counts, times and, without optional steps
// (opt), its open chains.
func writeTally(w *wire.Writer, t *tally, opt bool) {
	for _, n := range t.reached {
		w.Uint(uint64(n))
	}
	for _, ts := range t.times[1:] {
		w.Uint(uint64(len(ts)))
		for _, v := range ts {
			w.Uint(uint64(v))
		}
	}
	for _, op := range t.open[1:] {
		if opt {
			w.Uint(0) // rebuilt from the chains
			continue
		}
		w.Uint(uint64(len(op) / 2))
		for i := 0; i < len(op); i += 2 {
			w.Int(op[i])
			w.Uint(uint64(op[i] - op[i+1]))
		}
	}
}

func writeMatch(w *wire.Writer, m *Match) {
	w.String(m.Step)
	w.String(m.Event)
	if m.Where == nil {
		w.Uint(0)
	} else {
		w.Uint(uint64(len(m.Where)) + 1)
		for _, k := range slices.Sorted(maps.Keys(m.Where)) {
			w.String(k)
			w.String(m.Where[k])
		}
	}
	w.Int(int64(m.Within))
	var kind byte
	if m.Optional {
		kind |= 1
	}
	if m.Later {
		kind |= 2
	}
	w.Byte(kind)
	w.Uint(uint64(len(m.Any)))
	for i := range m.Any {
		writeMatch(w, &m.Any[i])
	}
}

func writeDefinition(w *wire.Writer, d *Definition) {
	w.Uint(uint64(len(d.Steps)))
	for i := range d.Steps {
		writeMatch(w, &d.Steps[i])
	}
	w.Int(int64(d.Window))
	w.Byte(byte(d.Mode))
	w.Byte(byte(d.Counting))
	w.Uint(uint64(len(d.Exclusions)))
	for i := range d.Exclusions {
		writeMatch(w, &d.Exclusions[i].Match)
		w.Int(int64(d.Exclusions[i].From))
		w.Int(int64(d.Exclusions[i].To))
	}
	w.String(d.Hold)
	w.Uint(uint64(len(d.Breakdown)))
	for _, b := range d.Breakdown {
		w.String(b)
	}
	if d.Bins == nil {
		w.Uint(0)
	} else {
		w.Uint(uint64(len(d.Bins)) + 1)
		for _, b := range d.Bins {
			w.Int(int64(b))
		}
	}
	w.Uint(uint64(len(d.Quantiles))) // from version 7
	for _, q := range d.Quantiles {
		w.Float(q)
	}
}

// UnmarshalBinary replaces the Counter's contents, definition included,
// with those MarshalBinary encoded; it may be called on the zero Counter.
// The definition is checked as NewCounter checks it, and the counts as
// counting makes them: no step reached more often than the one before,
// one time to convert for each count after the first step, every time
// within the window and the step's Within, and breakdown groups that add
// up to the whole funnel.
//
// Errors, wrapping kpi.ErrInvalid and leaving the Counter as it was: data
// that are not a Counter's encoding of a version this build reads,
// truncated, malformed or inconsistent data (the error gives the byte
// offset), and NewCounter's errors for the definition.
func (c *Counter) UnmarshalBinary(data []byte) error {
	const fn = "funnel.Counter.UnmarshalBinary"
	r, version := wire.NewReader(data, counterKind, counterVersion)
	switch {
	case r.Err() == nil && version < 2:
		r.Fail(fmt.Sprintf("version %d has no open chains for Curves: encode the counter again", version))
	case r.Err() == nil && version < 3:
		r.Fail(fmt.Sprintf("version %d has no chain entries for Series: encode the counter again", version))
	case r.Err() == nil && version < 4:
		r.Fail(fmt.Sprintf("version %d has one breakdown property: encode the counter again", version))
	case r.Err() == nil && version < 5:
		r.Fail(fmt.Sprintf("version %d has no step kinds: encode the counter again", version))
	}
	d := readDefinition(r, version)
	if r.Err() != nil {
		return wire.Invalid(fn, data, r.Err())
	}
	p, err := compile(fn, d)
	if err != nil {
		return err
	}
	all := readTally(r, p)
	switch {
	case r.Err() != nil:
	case p.opt == 0:
		readChains(r, p, all)
	case version >= 6:
		all = readChainsOpt(r, p, all)
	default:
		all.chains = nil // version 5 kept no chains with optional steps
	}
	var values [][]string
	var groups []*tally
	if r.Err() == nil && d.Breakdown != nil {
		values, groups = readGroups(r, p, all)
	}
	if err := r.Done(); err != nil {
		return wire.Invalid(fn, data, err)
	}
	c.init(p)
	c.tl.all = all
	if d.Breakdown != nil {
		c.tl.groups = groups
		c.tl.values = values
		clear(c.tl.ids)
		for i, vs := range values {
			c.tl.ids[string(c.tl.keyOf(func(j int) string { return vs[j] }))] = uint32(i)
		}
	}
	return nil
}

// readMatch reads a match; depth is 1 for an alternative, which has none.
func readMatch(r *wire.Reader, depth int) Match {
	m := Match{Step: r.String(), Event: r.String()}
	if n := r.Count(2); n > 0 {
		m.Where = make(map[string]string, n-1)
		prev := ""
		for i := range n - 1 {
			k, v := r.String(), r.String()
			if i > 0 && k <= prev {
				r.Fail(fmt.Sprintf("where key %q: not after %q", k, prev))
			}
			m.Where[k], prev = v, k
		}
	}
	m.Within = time.Duration(r.Int())
	kind := r.Byte()
	if kind > 3 {
		r.Fail(fmt.Sprintf("match kind %d: unknown", kind))
	}
	m.Optional, m.Later = kind&1 != 0, kind&2 != 0
	if n := r.Small("any", maxSteps); n > 0 && depth == 0 {
		m.Any = make([]Match, n)
		for i := range m.Any {
			m.Any[i] = readMatch(r, 1)
		}
	} else if n > 0 {
		r.Fail("an alternative with alternatives")
	}
	return m
}

// readDefinition reads a definition of the given version of the format.
func readDefinition(r *wire.Reader, version byte) Definition {
	var d Definition
	d.Steps = make([]Match, r.Small("steps", maxSteps))
	for i := range d.Steps {
		d.Steps[i] = readMatch(r, 0)
	}
	d.Window = time.Duration(r.Int())
	d.Mode = Mode(r.Byte())
	d.Counting = Counting(r.Byte())
	d.Exclusions = make([]Exclusion, r.Small("exclusions", maxSteps))
	for i := range d.Exclusions {
		d.Exclusions[i].Match = readMatch(r, 0)
		d.Exclusions[i].From = int(r.Int())
		d.Exclusions[i].To = int(r.Int())
	}
	d.Hold = r.String()
	if n := r.Small("breakdown", maxBreakdown); n > 0 {
		d.Breakdown = make([]string, n)
		for i := range d.Breakdown {
			d.Breakdown[i] = r.String()
		}
	}
	if n := r.Count(1); n > 0 {
		d.Bins = make([]time.Duration, n-1)
		for i := range d.Bins {
			d.Bins[i] = time.Duration(r.Int())
		}
	}
	if version < 7 {
		return d // no quantiles
	}
	if n := r.Small("quantiles", maxQuantiles); n > 0 {
		d.Quantiles = make([]float64, n)
		for i := range d.Quantiles {
			d.Quantiles[i] = r.Float()
		}
	}
	return d
}

// readTally reads one group's counts and times and checks them against
// the definition p.
func readTally(r *wire.Reader, p *compiled) *tally {
	t := newTally(p.n)
	for k := range t.reached {
		v := r.Uint()
		if j := p.prev[k]; k > 0 && v > uint64(t.reached[j]) {
			r.Fail(fmt.Sprintf("step %d count %d exceeds the count before it, %d", k, v, t.reached[j]))
		}
		if v > 1<<62 {
			r.Fail(fmt.Sprintf("step %d count %d out of range", k, v))
		}
		t.reached[k] = int64(v)
	}
	if r.Err() != nil {
		return nil
	}
	for k := 1; k < p.n; k++ {
		n := r.Uint()
		if optional := p.opt&(1<<k) != 0; r.Err() == nil && (n > uint64(t.reached[k]) || (!optional && n != uint64(t.reached[k]))) {
			r.Fail(fmt.Sprintf("step %d: %d times for a count of %d", k, n, t.reached[k]))
		}
		if r.Err() != nil {
			return nil
		}
		if n > uint64(r.Left()) {
			r.Fail(fmt.Sprintf("step %d: %d times exceed the %d bytes left", k, n, r.Left()))
			return nil
		}
		limit := uint64(p.window)
		if p.within[k] > 0 {
			limit = min(limit, uint64(p.within[k]))
		}
		ts := make([]int64, n)
		for i := range ts {
			v := r.Uint()
			if v > limit {
				r.Fail(fmt.Sprintf("step %d time %d exceeds the window %d", k, v, limit))
			}
			ts[i] = int64(v)
		}
		t.times[k] = ts
	}
	if r.Err() != nil {
		return nil
	}
	readOpen(r, p, t)
	if r.Err() != nil {
		return nil
	}
	return t
}

// readOpen reads the chains that stopped at each step: as many as reached
// the step before and not the step, each the time of its last step and
// how long after its entry, within the window.
func readOpen(r *wire.Reader, p *compiled, t *tally) {
	for k := 1; k < p.n; k++ {
		n := t.reached[k-1] - t.reached[k]
		if p.opt != 0 {
			n = 0 // rebuilt from the chains (version 6), or not kept (version 5)
		}
		if m := r.Uint(); r.Err() == nil && m != uint64(n) {
			r.Fail(fmt.Sprintf("step %d: %d open chains for %d that stopped there", k, m, n))
		}
		if r.Err() != nil {
			return
		}
		if 2*n > int64(r.Left()) {
			r.Fail(fmt.Sprintf("step %d: %d open chains exceed the %d bytes left", k, n, r.Left()))
			return
		}
		op := make([]int64, 2*n)
		for i := range n {
			at, since := r.Int(), r.Uint()
			if since > uint64(p.window) || (k == 1 && since != 0) {
				r.Fail(fmt.Sprintf("step %d open chain %d: %d after its entry, outside the window %d", k, i, since, p.window))
				return
			}
			op[2*i], op[2*i+1] = at, at-int64(since)
		}
		t.open[k] = op
	}
}

// readGroups reads the combinations of breakdown values and their
// tallies, which must add up to all.
func readGroups(r *wire.Reader, p *compiled, all *tally) ([][]string, []*tally) {
	keys := len(p.def.Breakdown)
	n := r.Count(1 + keys)
	if r.Err() == nil && n == 0 {
		r.Fail("no breakdown values")
	}
	values := make([][]string, n)
	groups := make([]*tally, n)
	seen := make(map[string]bool, n)
	sums := make([]int64, p.n)
	for i := range values {
		vs := make([]string, keys)
		empty := true
		for j := range vs {
			vs[j] = r.String()
			empty = empty && vs[j] == ""
		}
		k := fmt.Sprintf("%q", vs)
		if seen[k] || (i == 0) != empty {
			r.Fail(fmt.Sprintf("breakdown values %s out of place", k))
		}
		seen[k], values[i] = true, vs
		if r.Bool() {
			groups[i] = readTally(r, p)
		}
		if r.Err() != nil {
			return nil, nil
		}
		if groups[i] != nil {
			for k, m := range groups[i].reached {
				if sums[k] += m; sums[k] > all.reached[k] {
					r.Fail(fmt.Sprintf("breakdown counts of step %d exceed its count %d", k, all.reached[k]))
					return nil, nil
				}
			}
		}
	}
	if r.Err() == nil && !slices.Equal(sums, all.reached) {
		r.Fail(fmt.Sprintf("breakdown counts %v do not add up to %v", sums, all.reached))
	}
	return values, groups
}
