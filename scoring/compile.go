package scoring

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/kpiflow/kpi/internal/errs"
)

// problems collects every error found while checking a model.
type problems struct {
	errs  []error
	slab  []path // see node
	depth int    // conditions open in compileCond
}

func (p *problems) add(at *path, value any, reason string) {
	p.errs = append(p.errs, errs.Invalid("scoring.Compile", at.String(), value, reason))
}

func (p *problems) finite(at *path, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		p.add(at, x, "not a finite number")
	}
}

// bounds checks optional min and max and returns them, ±Inf when absent.
func (p *problems) bounds(at *path, min, max *float64) (float64, float64) {
	lo, hi := math.Inf(-1), math.Inf(1)
	if min != nil {
		p.finite(p.f(at, "min"), *min)
		lo = *min
	}
	if max != nil {
		p.finite(p.f(at, "max"), *max)
		hi = *max
	}
	if lo > hi {
		p.add(p.f(at, "min"), lo, fmt.Sprintf("exceeds max %v", hi))
	}
	return lo, hi
}

// path is the JSON path of a model field, such as groups[1].rules[3].when,
// built as a chain and spelt out only when a problem is reported. The nil
// path is the model itself.
type path struct {
	up    *path
	field string // "" for an index step
	index int
}

// f returns the path of field name under up.
func (p *problems) f(up *path, name string) *path {
	n := p.node()
	n.up, n.field = up, name
	return n
}

// i returns the path of element k of the list at up.
func (p *problems) i(up *path, k int) *path {
	n := p.node()
	n.up, n.index = up, k
	return n
}

// node hands out path nodes from chunks, which are never moved, so that a
// compile allocates a few chunks rather than a node per field.
func (p *problems) node() *path {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]path, 0, 64)
	}
	p.slab = p.slab[:len(p.slab)+1]
	return &p.slab[len(p.slab)-1]
}

// String spells the path out. It copies bytes rather than joining
// strings, so that escape analysis keeps paths on the stack.
func (p *path) String() string {
	n := 0
	for q := p; q != nil; q = q.up {
		if q.field == "" {
			n += 22 // brackets and up to 20 digits
		} else {
			n += len(q.field) + 1
		}
	}
	buf := make([]byte, n)
	end := n
	var digits [20]byte
	for q := p; q != nil; q = q.up {
		if q.field == "" {
			d := strconv.AppendInt(digits[:0], int64(q.index), 10)
			end--
			buf[end] = ']'
			end -= len(d)
			copy(buf[end:], d)
			end--
			buf[end] = '['
			continue
		}
		end -= len(q.field)
		copy(buf[end:], q.field)
		if q.up != nil {
			end--
			buf[end] = '.'
		}
	}
	return string(buf[end:])
}

// Decay kinds.
const (
	dNone uint8 = iota
	dLinear
	dExp
)

const day = 24 * 60 * 60 * 1e9 // nanoseconds

// maxPoints bounds a rule's points, so that no sum of them overflows.
const maxPoints = 1e12

// crule is a compiled Rule.
type crule struct {
	id     string
	group  int
	points float64
	cap    float64 // MaxPoints, +Inf when absent
	cond   *cond
	ev     *cevent
}

// cevent is a compiled Criterion.
type cevent struct {
	typ      string
	t        int32 // index in Scorer.types
	where    *cond
	window   float64 // nanoseconds; +Inf when absent
	each     bool
	maxCount int // 0: no limit
	decay    uint8
	stepped  bool
	rate     float64 // linear: fraction lost per nanosecond-period unit
	period   float64 // nanoseconds (linear period or half-life)
}

// factor is the decay factor of an event of age a nanoseconds.
func (e *cevent) factor(a float64) float64 {
	if e.decay == dNone {
		return 1
	}
	x := a / e.period
	if e.stepped {
		x = math.Floor(x)
	}
	if e.decay == dExp {
		return exp2neg(x)
	}
	return max(0, 1-e.rate*x)
}

// exp2tab[k] = 2^(−k/1024).
var exp2tab = func() (t [1024]float64) {
	for k := range t {
		t[k] = math.Exp2(-float64(k) / 1024)
	}
	return t
}()

// exp2neg returns 2^(−x) for x ≥ 0, within a few ulps, several times
// faster than math.Exp2: with x = n + k/1024 + r, 0 ≤ r < 1/1024,
//
//	2^(−x) = 2^(−n) · 2^(−k/1024) · e^(−r·ln 2)
//
// the middle factor from a table and the last from four terms of its
// Taylor series (truncation error below (ln 2/1024)^5/120 ≈ 1e-18).
func exp2neg(x float64) float64 {
	if !(x < 1075) { // also NaN, which cannot occur: ages and periods are finite
		return 0
	}
	n := math.Floor(x)
	f := (x - n) * 1024
	k := math.Floor(f)
	y := (f - k) * (math.Ln2 / 1024)
	p := 1 - y*(1-y/2*(1-y/3*(1-y/4)))
	v := exp2tab[int(k)] * p
	if n > 1000 {
		return math.Ldexp(v, -int(n))
	}
	return v * math.Float64frombits(uint64(1023-int(n))<<52)
}

type cgroup struct {
	name     string
	min, max float64
}

type cscale struct {
	group  int
	labels []string
	mins   []float64 // len(labels)−1 cut-offs, decreasing
}

// grade returns the band index of score x.
func (s *cscale) grade(x float64) int {
	for i, m := range s.mins {
		if x >= m {
			return i
		}
	}
	return len(s.mins)
}

// Scorer is a compiled model. It is immutable and safe for concurrent use.
// The zero Scorer has no rules and no groups: it scores every lead 0.
type Scorer struct {
	rules    []crule
	ids      []string
	slots    int      // size of the lead attribute cache; slot 0 is unused
	types    []string // distinct event types of the criteria
	table    []int32  // open-addressing hash table of types; −1 empty
	groups   []cgroup
	min, max float64
	fit, eng *cscale
	matrix   [][]string // matrix[fit][engagement] label
	mqlMin   float64    // −Inf when absent
	mqlCells [][]bool   // nil when absent
	hasMQL   bool
}

// Compile checks a model and compiles it into a Scorer. It reports every
// problem it finds, each as a *kpi.Error whose Arg is the path of the
// offending field in the JSON form, such as
//
//	scoring.Compile: groups[1].rules[3].when.op "gte=": unknown operator
//
// joined with errors.Join; every error wraps kpi.ErrInvalid. Problems are a
// version other than Version, no groups, empty or duplicate group names and
// rule IDs, NaN or infinite numbers, points beyond ±1e12 (so that no sum
// overflows), a rule with both or neither of when and event, unknown
// operators, a value of the wrong type for its operator (a number compared
// with a string), regular expressions that do not compile, negative
// windows, counts, caps or decay parameters, min above max, grade bands out
// of order, MQL cells that are not matrix labels, and conditions nested
// more than MaxDepth deep.
func Compile(m Model) (*Scorer, error) {
	var p problems
	if m.Version != Version {
		p.add(p.f(nil, "version"), m.Version, fmt.Sprintf("unsupported, want %d", Version))
	}
	if len(m.Groups) == 0 {
		p.add(p.f(nil, "groups"), 0, "a model needs at least one group")
	}
	n := 0
	for _, g := range m.Groups {
		n += len(g.Rules)
	}
	s := &Scorer{rules: make([]crule, 0, n), ids: make([]string, 0, n), groups: make([]cgroup, 0, len(m.Groups))}
	s.min, s.max = p.bounds(nil, m.Min, m.Max)
	groupIndex := s.compileGroups(m.Groups, n, &p)
	s.compileGrades(m.Grades, groupIndex, &p)
	s.compileMQL(m.MQL, &p)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	s.indexTypes()
	s.assignSlots()
	return s, nil
}

// compileGroups compiles the groups and their n rules in model order, and
// returns the index of every group name.
func (s *Scorer) compileGroups(groups []Group, n int, p *problems) map[string]int {
	groupIndex := make(map[string]int, len(groups))
	ruleIndex := make(map[string][2]int, n)
	for gi := range groups {
		g := &groups[gi]
		gp := p.i(p.f(nil, "groups"), gi)
		if g.Name == "" {
			p.add(p.f(gp, "name"), `""`, "missing group name")
		} else if _, dup := groupIndex[g.Name]; dup {
			p.add(p.f(gp, "name"), strconv.Quote(g.Name), "duplicate group name")
		} else {
			groupIndex[g.Name] = gi
		}
		lo, hi := p.bounds(gp, g.Min, g.Max)
		s.groups = append(s.groups, cgroup{name: g.Name, min: lo, max: hi})
		for ri := range g.Rules {
			r := &g.Rules[ri]
			rp := p.i(p.f(gp, "rules"), ri)
			if r.ID == "" {
				p.add(p.f(rp, "id"), `""`, "missing rule id")
			} else if first, dup := ruleIndex[r.ID]; dup {
				p.add(p.f(rp, "id"), strconv.Quote(r.ID), fmt.Sprintf("duplicate rule id, first at groups[%d].rules[%d]", first[0], first[1]))
			} else {
				ruleIndex[r.ID] = [2]int{gi, ri}
			}
			s.rules = append(s.rules, compileRule(r, gi, rp, p))
			s.ids = append(s.ids, r.ID)
		}
	}
	return groupIndex
}

// compileRule checks rule r of group gi at rp and compiles it.
func compileRule(r *Rule, gi int, rp *path, p *problems) crule {
	cr := crule{id: r.ID, group: gi, points: r.Points, cap: math.Inf(1)}
	if !(math.Abs(r.Points) <= maxPoints) {
		p.add(p.f(rp, "points"), r.Points, "want a finite number within ±1e12")
	}
	if r.MaxPoints != nil {
		if c := *r.MaxPoints; math.IsNaN(c) || c < 0 || math.IsInf(c, 0) {
			p.add(p.f(rp, "maxPoints"), c, "want a finite number ≥ 0")
		}
		cr.cap = *r.MaxPoints
	}
	switch {
	case (r.When == nil) == (r.Event == nil):
		p.add(rp, r.ID, "want exactly one of when and event")
	case r.When != nil:
		c := compileCond(r.When, p.f(rp, "when"), p)
		cr.cond = &c
	default:
		cr.ev = compileCriterion(r.Event, p.f(rp, "event"), p)
	}
	return cr
}

// compileGrades compiles the grade scales and, with both, the matrix of
// their labels.
func (s *Scorer) compileGrades(gr *Grades, groupIndex map[string]int, p *problems) {
	if gr == nil {
		return
	}
	at := p.f(nil, "grades")
	if gr.Fit == nil && gr.Engagement == nil {
		p.add(at, "{}", "want fit, engagement or both")
	}
	s.fit = compileScale(gr.Fit, p.f(at, "fit"), groupIndex, p)
	s.eng = compileScale(gr.Engagement, p.f(at, "engagement"), groupIndex, p)
	if s.fit == nil || s.eng == nil {
		return
	}
	s.matrix = make([][]string, len(s.fit.labels))
	for i, f := range s.fit.labels {
		s.matrix[i] = make([]string, len(s.eng.labels))
		for j, e := range s.eng.labels {
			s.matrix[i][j] = f + e
		}
	}
}

// compileMQL compiles the MQL rule; compileGrades has run.
func (s *Scorer) compileMQL(q *MQL, p *problems) {
	s.mqlMin = math.Inf(-1)
	if q == nil {
		return
	}
	at := p.f(nil, "mql")
	s.hasMQL = true
	if q.MinTotal == nil && len(q.Cells) == 0 {
		p.add(at, "{}", "want minTotal, cells or both")
	}
	if q.MinTotal != nil {
		p.finite(p.f(at, "minTotal"), *q.MinTotal)
		s.mqlMin = *q.MinTotal
	}
	if len(q.Cells) == 0 {
		return
	}
	if s.matrix == nil {
		p.add(p.f(at, "cells"), q.Cells, "cells need grades for both fit and engagement")
		return
	}
	s.mqlCells = make([][]bool, len(s.matrix))
	for i := range s.matrix {
		s.mqlCells[i] = make([]bool, len(s.matrix[i]))
	}
	for ci, cell := range q.Cells {
		found := false
		for i := range s.matrix {
			for j, label := range s.matrix[i] {
				if label == cell {
					s.mqlCells[i][j], found = true, true
				}
			}
		}
		if !found {
			p.add(p.i(p.f(at, "cells"), ci), strconv.Quote(cell), "not a matrix label")
		}
	}
}

// assignSlots gives every lead attribute that two or more condition
// leaves test a slot in the attribute cache.
func (s *Scorer) assignSlots() {
	uses := map[string]int{}
	var walk func(c *cond, f func(*cond))
	walk = func(c *cond, f func(*cond)) {
		if c.form == cLeaf {
			f(c)
		}
		for i := range c.kids {
			walk(&c.kids[i], f)
		}
	}
	for i := range s.rules {
		if c := s.rules[i].cond; c != nil {
			walk(c, func(l *cond) { uses[l.attr]++ })
		}
	}
	slot := map[string]int32{}
	s.slots = 1
	for i := range s.rules {
		if c := s.rules[i].cond; c != nil {
			walk(c, func(l *cond) {
				if uses[l.attr] < 2 {
					return
				}
				k, ok := slot[l.attr]
				if !ok {
					k = int32(s.slots)
					slot[l.attr] = k
					s.slots++
				}
				l.slot = k
			})
		}
	}
}

// indexTypes numbers the distinct event types of the criteria and builds
// the hash table typeIndex looks them up in.
func (s *Scorer) indexTypes() {
	index := map[string]int32{}
	for i := range s.rules {
		e := s.rules[i].ev
		if e == nil {
			continue
		}
		t, ok := index[e.typ]
		if !ok {
			t = int32(len(s.types))
			index[e.typ] = t
			s.types = append(s.types, e.typ)
		}
		e.t = t
	}
	size := 8
	for size < 4*len(s.types) {
		size *= 2
	}
	s.table = make([]int32, size)
	for i := range s.table {
		s.table[i] = -1
	}
	for t, name := range s.types {
		h := typeHash(name) & uint(size-1)
		for s.table[h] >= 0 {
			h = (h + 1) & uint(size-1)
		}
		s.table[h] = int32(t)
	}
}

// typeHash is a cheap hash of an event type: its length and end bytes.
func typeHash(s string) uint {
	if s == "" {
		return 0
	}
	return uint(len(s))*131 + uint(s[0])*31 + uint(s[len(s)-1])
}

// typeIndex returns the index of event type name in s.types, or −1.
func (s *Scorer) typeIndex(name string) int32 {
	mask := uint(len(s.table) - 1)
	for h := typeHash(name) & mask; ; h = (h + 1) & mask {
		t := s.table[h]
		if t < 0 || s.types[t] == name {
			return t
		}
	}
}

func compileCriterion(c *Criterion, at *path, p *problems) *cevent {
	e := &cevent{typ: c.Type, each: c.Each, maxCount: c.MaxCount, window: math.Inf(1)}
	if c.Type == "" {
		p.add(p.f(at, "type"), `""`, "missing event type")
	}
	if c.Where != nil {
		w := compileCond(c.Where, p.f(at, "where"), p)
		e.where = &w
	}
	switch w := c.WindowDays; {
	case math.IsNaN(w) || w < 0 || math.IsInf(w, 0):
		p.add(p.f(at, "windowDays"), w, "want a finite number ≥ 0")
	case w > 0:
		e.window = w * day
	}
	if c.MaxCount < 0 {
		p.add(p.f(at, "maxCount"), c.MaxCount, "negative")
	} else if c.MaxCount > 0 && !c.Each {
		p.add(p.f(at, "maxCount"), c.MaxCount, "maxCount needs each")
	}
	if d := c.Decay; d != nil {
		dp := p.f(at, "decay")
		positive := func(name string, x float64) {
			if math.IsNaN(x) || x <= 0 || math.IsInf(x, 0) {
				p.add(p.f(dp, name), x, "want a finite number > 0")
			}
		}
		e.stepped = d.Stepped
		switch d.Kind {
		case "linear":
			e.decay = dLinear
			positive("periodDays", d.PeriodDays)
			positive("rate", d.Rate)
			if d.Rate > 1 {
				p.add(p.f(dp, "rate"), d.Rate, "want a fraction in (0, 1]")
			}
			if d.HalfLifeDays != 0 {
				p.add(p.f(dp, "halfLifeDays"), d.HalfLifeDays, "not used by linear decay")
			}
			e.rate, e.period = d.Rate, d.PeriodDays*day
		case "exponential":
			e.decay = dExp
			positive("halfLifeDays", d.HalfLifeDays)
			if d.Rate != 0 || d.PeriodDays != 0 {
				p.add(dp, d.Kind, "rate and periodDays are not used by exponential decay")
			}
			e.period = d.HalfLifeDays * day
		default:
			p.add(p.f(dp, "kind"), strconv.Quote(d.Kind), `unknown decay, want "linear" or "exponential"`)
		}
	}
	return e
}

func compileScale(sc *Scale, at *path, groups map[string]int, p *problems) *cscale {
	if sc == nil {
		return nil
	}
	out := &cscale{}
	g, ok := groups[sc.Group]
	if !ok {
		p.add(p.f(at, "group"), strconv.Quote(sc.Group), "no such group")
	}
	out.group = g
	if len(sc.Bands) == 0 {
		p.add(p.f(at, "bands"), 0, "want at least one band")
		return out
	}
	seen := map[string]bool{}
	for i, b := range sc.Bands {
		bp := p.i(p.f(at, "bands"), i)
		if b.Label == "" {
			p.add(p.f(bp, "label"), `""`, "missing label")
		} else if seen[b.Label] {
			p.add(p.f(bp, "label"), strconv.Quote(b.Label), "duplicate label")
		}
		seen[b.Label] = true
		out.labels = append(out.labels, b.Label)
		last := i == len(sc.Bands)-1
		switch {
		case last && b.Min != nil:
			p.add(p.f(bp, "min"), *b.Min, "the last band takes every lower score and has no min")
		case !last && b.Min == nil:
			p.add(p.f(bp, "min"), "null", "missing min; only the last band has none")
		case !last:
			p.finite(p.f(bp, "min"), *b.Min)
			if n := len(out.mins); n > 0 && !(*b.Min < out.mins[n-1]) {
				p.add(p.f(bp, "min"), *b.Min, fmt.Sprintf("not below the band before's min %v", out.mins[n-1]))
			}
			out.mins = append(out.mins, *b.Min)
		}
	}
	return out
}

// RuleIDs returns the rule IDs in model order: group by group, rule by
// rule. Rule i of a Scorer is the rule behind Result.Fired[i] and
// Contribution.Rule == i.
func (s *Scorer) RuleIDs() []string {
	return append([]string(nil), s.ids...)
}
