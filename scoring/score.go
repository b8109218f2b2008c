package scoring

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Result is one lead's score under a Scorer and its explanation: the total,
// the group scores, the grades, the MQL verdict and the rules that fired or
// missed data. (Other packages' Result types are their own read-outs; this
// one is per lead.) A Result from Score is the caller's; one passed to
// ScoreTo is overwritten, reusing its memory.
type Result struct {
	Total  float64      `json:"total"`  // sum of the group scores, clamped to the model's min and max
	Groups []GroupScore `json:"groups"` // one per group, in model order

	// Grades: the fit and engagement labels, and both side by side
	// ("A1"); empty when the model has no such scale.
	Fit        string `json:"fit"`
	Engagement string `json:"engagement"`
	Matrix     string `json:"matrix"`

	MQL bool `json:"mql"` // the model's MQL rule holds; false without one

	// Contributions lists the rules that fired, in model order.
	Contributions []Contribution `json:"contributions"`

	// Misses lists rules that did not fire because an attribute or event
	// property they test was missing or of the wrong type.
	Misses []Miss `json:"misses"`

	// Fired[i] reports whether rule i (see Scorer.RuleIDs) fired.
	Fired []bool `json:"fired"`

	events []int // backing array of Contribution.Events
}

// scratch is the working memory of one ScoreTo call, kept apart from the
// Result (which is the caller's) and reused through scratchPool, so that
// scoring allocates nothing once it has grown.
type scratch struct {
	attrs condCtx
	cands []cand // events matched by a criterion with a maximum count

	// The lead's events by type; see indexEvents.
	head []int32 // first event of each type, −1 for none
	tail []int32 // last event of each type
	next []int32 // next event of the same type, −1 for none
	ages []time.Duration
	fkey []float64 // half-life of fval, 0 for none
	fval []float64 // exponential decay factor
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// GroupScore is a group's score: Raw, the sum of its rules' points, and
// Score, Raw clamped to the group's min and max.
type GroupScore struct {
	Name  string  `json:"name"`
	Raw   float64 `json:"raw"`
	Score float64 `json:"score"`
}

// Contribution is a rule that fired and what it gave.
//
// For a condition rule Count is 1 and Raw and Points are the rule's points
// (Points capped by MaxPoints). For an event rule Count is the number of
// events counted (1 without Each), Raw is points × Count, and
//
//	Points = cap(points × Σ decay(age of event))
//
// over the counted events, whose indices in Lead.Events are Events.
type Contribution struct {
	Rule   int     `json:"rule"` // index in Scorer.RuleIDs
	ID     string  `json:"id"`
	Group  string  `json:"group"`
	Count  int     `json:"count"`
	Raw    float64 `json:"raw"`
	Points float64 `json:"points"`
	Events []int   `json:"events"`
}

// Miss is a rule that did not fire because of missing or mistyped data:
// Attr, an attribute of the lead (Event = −1) or a property of the lead's
// event number Event, is missing or holds the wrong type, as Reason says
// ("is missing", "is a string, want a number", …). Only the first such
// problem of each rule is reported.
type Miss struct {
	Rule   int    `json:"rule"`
	ID     string `json:"id"`
	Attr   string `json:"attr"`
	Event  int    `json:"event"`
	Reason string `json:"reason"`
}

// cand is an event matched by an event criterion with a maximum count.
type cand struct {
	idx int
	age time.Duration
}

// Score scores a lead at time at and returns a new Result. Only events at
// or before at count; at is the only clock, so scoring is deterministic.
// A lead's missing or mistyped data make conditions false and are reported
// in Result.Misses; they are never errors.
func (s *Scorer) Score(lead Lead, at time.Time) *Result {
	r := &Result{}
	s.ScoreTo(r, lead, at)
	return r
}

// ScoreTo is Score writing into r, reusing its slices: scoring many leads
// with one Result allocates nothing once the slices have grown. The
// Contributions, Misses and Fired of r are overwritten, so copy what must
// outlive the next call. A nil r is left nil: ScoreTo does nothing.
func (s *Scorer) ScoreTo(r *Result, lead Lead, at time.Time) {
	if r == nil {
		return
	}
	n := len(s.rules)
	if cap(r.Fired) < n {
		r.Fired = make([]bool, n)
		r.Contributions = make([]Contribution, 0, n)
		r.Misses = make([]Miss, 0, n)
	}
	r.Fired = r.Fired[:n]
	clear(r.Fired)
	x := scratchPool.Get().(*scratch)
	defer scratchPool.Put(x)
	x.attrs.reset(s.slots)
	defer clear(x.attrs.vals) // hold no lead data in the pool
	r.Contributions = r.Contributions[:0]
	r.Misses = r.Misses[:0]
	r.events = r.events[:0]
	if cap(r.Groups) < len(s.groups) {
		r.Groups = make([]GroupScore, len(s.groups))
	}
	r.Groups = r.Groups[:len(s.groups)]
	for i := range s.groups {
		r.Groups[i] = GroupScore{Name: s.groups[i].name}
	}

	indexed := false
	for i := range s.rules {
		ru := &s.rules[i]
		if ru.cond != nil {
			ok, leaf, why := ru.cond.eval(lead.Attrs, &x.attrs)
			if ok {
				r.add(s, i, 1, ru.points, clampAbs(ru.points, ru.cap), nil)
			} else if leaf != nil {
				r.Misses = append(r.Misses, Miss{Rule: i, ID: ru.id, Attr: leaf.attr, Event: -1, Reason: whyText[why]})
			}
			continue
		}
		if !indexed {
			x.indexEvents(s, lead.Events, at)
			indexed = true
		}
		r.scoreEvents(s, x, i, lead.Events)
	}

	total := 0.0
	for i := range r.Groups {
		g := &r.Groups[i]
		g.Score = min(max(g.Raw, s.groups[i].min), s.groups[i].max)
		total += g.Score
	}
	r.Total = min(max(total, s.min), s.max)

	r.Fit, r.Engagement, r.Matrix = "", "", ""
	fi, ei := -1, -1
	if s.fit != nil {
		fi = s.fit.grade(r.Groups[s.fit.group].Score)
		r.Fit = s.fit.labels[fi]
	}
	if s.eng != nil {
		ei = s.eng.grade(r.Groups[s.eng.group].Score)
		r.Engagement = s.eng.labels[ei]
	}
	if s.matrix != nil {
		r.Matrix = s.matrix[fi][ei]
	}
	r.MQL = s.hasMQL && r.Total >= s.mqlMin && (s.mqlCells == nil || s.mqlCells[fi][ei])
}

// add records a fired rule.
func (r *Result) add(s *Scorer, i, count int, raw, points float64, events []int) {
	ru := &s.rules[i]
	r.Fired[i] = true
	n := len(r.Contributions)
	if n < cap(r.Contributions) {
		r.Contributions = r.Contributions[:n+1]
	} else {
		r.Contributions = append(r.Contributions, Contribution{})
	}
	c := &r.Contributions[n]
	c.Rule, c.ID, c.Group = i, ru.id, s.groups[ru.group].name
	c.Count, c.Raw, c.Points, c.Events = count, raw, points, events
	r.Groups[ru.group].Raw += points
}

// clampAbs limits x to [−c, c].
func clampAbs(x, c float64) float64 {
	return min(max(x, -c), c)
}

// indexEvents links the lead's events by criterion type: type t's events,
// in input order, are x.head[t], x.next[x.head[t]], … until −1, with their
// ages in x.ages. Events of other types and events after at are left out.
func (x *scratch) indexEvents(s *Scorer, events []Event, at time.Time) {
	nt := len(s.types)
	x.head = grow(x.head, nt)
	x.tail = grow(x.tail, nt)
	for t := range x.head {
		x.head[t] = -1
	}
	x.next = grow(x.next, len(events))
	x.ages = grow(x.ages, len(events))
	x.fkey = grow(x.fkey, len(events))
	x.fval = grow(x.fval, len(events))
	clear(x.fkey)
	atSec, atNsec := at.Unix(), int64(at.Nanosecond())
	for j := range events {
		ev := &events[j]
		t := s.typeIndex(ev.Type)
		if t < 0 {
			continue
		}
		// The age at − ev.Time, saturated at about 285 years;
		// time.Time.Sub is slower.
		sec := ev.Time.Unix()
		ns := atNsec - int64(ev.Time.Nanosecond())
		switch d := atSec - sec; {
		case sec > atSec || d == 0 && ns < 0:
			continue // after the scoring time
		case d > 9e9 || d < 0: // d < 0: overflow
			x.ages[j] = math.MaxInt64
		default:
			x.ages[j] = time.Duration(d*1e9 + ns)
		}
		x.next[j] = -1
		if x.head[t] < 0 {
			x.head[t] = int32(j)
		} else {
			x.next[x.tail[t]] = int32(j)
		}
		x.tail[t] = int32(j)
	}
}

// ageNs is an event's age in nanoseconds for windows and decay: +Inf for
// an age that saturated (more than about 285 years, such as an event at
// the zero time.Time), which lies outside every window and decays to 0.
// Taken as 292 years, it fell inside a window of 200 000 days and kept
// 13 % of its points at a half-life of 100 years.
func ageNs(age time.Duration) float64 {
	if age == math.MaxInt64 {
		return math.Inf(1)
	}
	return float64(age)
}

// factor is e's decay factor for event j of the given age. Exponential
// factors are remembered per event for the last half-life used, as
// several criteria often share one.
func (x *scratch) factor(e *cevent, j int, age time.Duration) float64 {
	if e.decay != dExp {
		return e.factor(ageNs(age))
	}
	if x.fkey[j] == e.period {
		return x.fval[j]
	}
	f := e.factor(ageNs(age))
	x.fkey[j], x.fval[j] = e.period, f
	return f
}

// youngest returns the k most recent of cs (k < len(cs)), youngest first
// and then lowest index, in index order. cs is in index order.
func youngest(cs []cand, k int) []cand {
	inc, dec := true, true // ages strictly increasing or decreasing
	for i := 1; i < len(cs); i++ {
		inc = inc && cs[i].age > cs[i-1].age
		dec = dec && cs[i].age < cs[i-1].age
	}
	switch {
	case inc: // newest first, as many CRMs list activity
		return cs[:k]
	case dec: // chronological
		return cs[len(cs)-k:]
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.age != b.age {
			return cmp.Compare(a.age, b.age)
		}
		return a.idx - b.idx
	})
	cs = cs[:k]
	slices.SortFunc(cs, func(a, b cand) int { return a.idx - b.idx })
	return cs
}

// grow returns x resliced to length n, reallocated when too small.
func grow[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n, n+n/4)
	}
	return x[:n]
}

// scoreEvents evaluates event rule i; indexEvents has run.
func (r *Result) scoreEvents(s *Scorer, x *scratch, i int, events []Event) {
	ru := &s.rules[i]
	e := ru.ev
	start := len(r.events)
	count, best := 0, -1
	var sum float64
	var bestAge time.Duration
	missEvent, missLeaf, missWhy := -1, (*cond)(nil), whyOK
	limited := e.each && e.maxCount > 0
	if limited {
		x.cands = x.cands[:0]
	}
	for j := int(x.head[e.t]); j >= 0; j = int(x.next[j]) {
		age := x.ages[j]
		if ageNs(age) > e.window {
			continue
		}
		if e.where != nil {
			ok, leaf, why := e.where.eval(events[j].Props, nil)
			if !ok {
				if leaf != nil && missLeaf == nil {
					missEvent, missLeaf, missWhy = j, leaf, why
				}
				continue
			}
		}
		count++
		switch {
		case !e.each:
			if best < 0 || age < bestAge {
				best, bestAge = j, age
			}
		case limited:
			x.cands = append(x.cands, cand{j, age})
		default:
			sum += x.factor(e, j, age)
			r.events = append(r.events, j)
		}
	}
	if count == 0 {
		if missLeaf != nil {
			r.Misses = append(r.Misses, Miss{Rule: i, ID: ru.id, Attr: missLeaf.attr, Event: missEvent, Reason: whyText[missWhy]})
		}
		return
	}
	if !e.each {
		r.events = append(r.events, best)
		r.add(s, i, 1, ru.points, clampAbs(ru.points*x.factor(e, best, bestAge), ru.cap), r.events[start:len(r.events):len(r.events)])
		return
	}
	if limited {
		if k := e.maxCount; len(x.cands) > k {
			x.cands = youngest(x.cands, k)
		}
		for _, c := range x.cands {
			sum += x.factor(e, c.idx, c.age)
			r.events = append(r.events, c.idx)
		}
		count = len(x.cands)
	}
	r.add(s, i, count, ru.points*float64(count), clampAbs(ru.points*sum, ru.cap), r.events[start:len(r.events):len(r.events)])
}

// String explains the result: the total with its grade and MQL verdict,
// each group's score (with its raw sum when a cap changed it), the points
// of every rule that fired with the events behind them (indices into
// Lead.Events), and the rules that missed data. For example:
//
//	total 40.25 · B2
//	fit 30
//	  +20 title-vp
//	  +10 saas
//	engagement 10.25
//	  +5 form: 1 event, raw 10 (event #0)
//	  +5.25 pricing: 3 events, raw 9 (events #1 #2 #4)
//	missed: size: attribute "employees" is a string, want a number
//	missed: free-mail: attribute "email" is missing
//
// Points are rounded to two decimals.
func (r *Result) String() string {
	var b strings.Builder
	b.WriteString("total ")
	b.WriteString(num(r.Total))
	if r.Matrix != "" {
		b.WriteString(" · " + r.Matrix)
	} else if r.Fit+r.Engagement != "" {
		b.WriteString(" · " + r.Fit + r.Engagement)
	}
	if r.MQL {
		b.WriteString(" · MQL")
	}
	b.WriteByte('\n')
	for _, g := range r.Groups {
		b.WriteString(g.Name + " " + num(g.Score))
		if g.Score != g.Raw {
			b.WriteString(" (raw " + num(g.Raw) + ", capped)")
		}
		b.WriteByte('\n')
		for _, c := range r.Contributions {
			if c.Group != g.Name {
				continue
			}
			b.WriteString("  " + signed(c.Points) + " " + c.ID)
			if len(c.Events) > 0 {
				if c.Count != 1 || c.Raw != c.Points {
					b.WriteString(": " + strconv.Itoa(c.Count) + " event")
					if c.Count != 1 {
						b.WriteByte('s')
					}
					b.WriteString(", raw " + num(c.Raw))
				}
				b.WriteString(" (event")
				if len(c.Events) != 1 {
					b.WriteByte('s')
				}
				for _, e := range c.Events {
					b.WriteString(" #" + strconv.Itoa(e))
				}
				b.WriteByte(')')
			} else if c.Raw != c.Points {
				b.WriteString(" (raw " + num(c.Raw) + ", capped)")
			}
			b.WriteByte('\n')
		}
	}
	for _, m := range r.Misses {
		b.WriteString("missed: " + m.ID + ": ")
		if m.Event >= 0 {
			b.WriteString("event #" + strconv.Itoa(m.Event) + " property ")
		} else {
			b.WriteString("attribute ")
		}
		b.WriteString(strconv.Quote(m.Attr) + " " + m.Reason + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// num formats points with at most two decimals.
func num(x float64) string {
	x = math.Round(x*100) / 100
	if x == 0 {
		x = 0 // no "-0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

func signed(x float64) string {
	s := num(x)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s
}
