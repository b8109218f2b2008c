package funnel

import (
	"fmt"
	"maps"
	"unicode/utf8"

	"slices"
	"strings"
	"time"

	"github.com/kpiflow/kpi/internal/errs"
)

// Event is, in this package, a raw event that event funnels count (not a
// lead's activity to score, as in package scoring): one thing an entity
// did at one time: a contact or account (Entity), what it did (Name, such as
// "form_fill" or "sql"), when, and optional properties (Props, such as
// {"deal": "D-17", "channel": "ads"}). Events are values; the Counter keeps
// none of their maps.
type Event struct {
	Entity string            `json:"entity"`
	Name   string            `json:"name"`
	Time   time.Time         `json:"time"`
	Props  map[string]string `json:"props,omitempty"`
}

// Match says which events fill a step or an exclusion: those named Event
// whose properties hold every key of Where with the value given there,
// and those that match any of the alternatives Any (at most 64), each an
// Event with its own Where ("demo_request" or "trial_start"); Later adds the events of
// every later step of the funnel (this stage or any later one).
//
// Step names the step in the results (StepResult.Step, and the stage of
// Result.Funnel); it defaults to Event. Within, when > 0, is the step's
// own window: the step's event must come no later than Within after the
// event of the step before it in the chain, on top of the funnel's window.
//
// An Optional step may be skipped: a chain of events may go from the step
// before it straight to the step after it, and the later steps count
// whether it was skipped or not. An entity (or an attempt, with Totals)
// counts at an optional step only when its search found the step's event
// in a chain from an entry, even one that goes no further (a demo after
// the deal was won still came after the lead), and is counted at the
// later steps by its best chain, with or without the optional step. The
// first step cannot be optional: it enters the funnel; an exclusion
// cannot start at an optional step, and some step after the first must
// be required.
// Around an optional step:
//
//	Within        counts from the event of the step before in the chain:
//	              the optional step's when it was passed, else the last
//	              step passed before it;
//	StrictOrder   an event of a later step does not end the search for an
//	              optional step not reached yet, only for a required one;
//	StrictDedup   a repeat ends the search only for a step reached, so an
//	              optional step skipped may still come;
//	StrictIncrease and StrictOnce hold between the steps passed;
//	Curves        an optional step's conversion curve, and that of the
//	              required step after it, are measured from the required
//	              step before them (see Counter.Curves).
//
// Step, Within, Optional and Later are ignored in an exclusion (its Any
// alternatives count); an alternative has only Event and Where.
type Match struct {
	Step     string
	Event    string
	Where    map[string]string
	Within   time.Duration
	Optional bool
	Later    bool
	Any      []Match
}

// Exclusion stops an attempt in which an event matching Match happens
// after the attempt's event of step From and before its event of step To
// (0-based indexes into Definition.Steps, From < To): the attempt counts
// at the steps it reached before that event and goes no further. An
// exclusion at the same time as a step's event comes after it (see Mode).
type Exclusion struct {
	Match
	From, To int
}

// Mode selects how events are put in order into steps. The zero Mode is
// the default of ClickHouse's windowFunnel; the others are flags, named
// after windowFunnel's modes, that can be combined with |.
//
// An entity's events are taken in time order. Events at the same time are
// taken in step order (of the first step each matches), then the events
// that match only an exclusion, then the events that match nothing (which
// matter only to StrictOrder); events equal in all of that are taken in an
// order fixed by the steps and exclusions they match, then by their held
// and breakdown values, whatever the input order, so that the counts do
// not depend on how the events were split and merged. An event that fills
// a step and matches an exclusion fills the step first.
//
// Default: events that match no step are ignored. An event of the first
// step enters the funnel and starts the window; an event of step k moves
// an attempt that has reached step k−1 on, if it is within the window of
// that attempt's entry, so the latest entry before the next step restarts
// the window. One event may fill several steps it matches. An entity
// reaches the furthest step any attempt reaches: ClickHouse's
//
//	windowFunnel(window)(time, cond1, cond2, ...)
//
// These flags add conditions:
//
//	StrictOrder     'strict_order': once the entity has entered, an event
//	                that matches no step (nor an exclusion), or whose first
//	                step comes after a step not reached yet, ends the search.
//	StrictDedup     'strict_deduplication': an event of a step other than
//	                the first that has already been reached ends the search.
//	StrictIncrease  'strict_increase': each step's event is strictly later
//	                than the previous step's.
//	StrictOnce      'strict_once': one event fills at most one step of an
//	                attempt.
//
// Differences from windowFunnel, all on events that tie in time or match
// several steps: ClickHouse's scan keeps only the latest attempt per step,
// which under StrictIncrease can miss a longer attempt through an earlier
// entry, where the Counter finds the furthest step of any attempt;
// ClickHouse's order of events at the same time depends on its version
// and the input, the Counter's on the steps alone; and under
// StrictOrder an event matching several steps is judged by its first. The
// package's tests hold windowFunnel's documented examples.
type Mode uint8

// The mode flags; see Mode.
const (
	Default        Mode = 0
	StrictOrder    Mode = 1 << 0
	StrictDedup    Mode = 1 << 1
	StrictIncrease Mode = 1 << 2
	StrictOnce     Mode = 1 << 3

	allModes = StrictOrder | StrictDedup | StrictIncrease | StrictOnce
)

// String returns the mode as windowFunnel's mode names joined by "|", such
// as "strict_order|strict_increase", "default" for the zero Mode, and
// "Mode(n)" for a value with unknown flags.
func (m Mode) String() string {
	if m&^allModes != 0 {
		return fmt.Sprintf("Mode(%d)", uint8(m))
	}
	if m == Default {
		return "default"
	}
	var parts []string
	for _, f := range []struct {
		m    Mode
		name string
	}{{StrictOrder, "strict_order"}, {StrictDedup, "strict_deduplication"}, {StrictIncrease, "strict_increase"}, {StrictOnce, "strict_once"}} {
		if m&f.m != 0 {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, "|")
}

// Counting says what a step counts.
type Counting uint8

const (
	// Unique counts entities: each once, at the furthest step its best
	// attempt reached (the first attempt to get there).
	Unique Counting = iota
	// Totals counts attempts: every event of the first step starts one,
	// which reaches the furthest step that a chain of events starting at
	// it reaches under the mode's rules, searched to the end of its window.
	// Each attempt reads the entity's events in its window, so the cost
	// grows with the entries times the events per window, where Unique
	// reads each event once.
	Totals
)

// Definition is, in this package, the definition of an event funnel, which
// NewCounter compiles: ordered steps, a conversion window, and how to
// count.
//
// Window is measured from the attempt's entry event and is inclusive at
// its end: the last step's event may come exactly Window after the entry.
// Hold, when set, names a property held constant across the steps (the
// same account or deal on every step): an entity's events are split by
// that property's value and each value is followed on its own; events
// without the property take no part. Breakdown, when set, names the
// properties of the entry event by whose values the results are broken
// down: one group per combination of values seen (the cross, such as
// month × source), an entry without a property taking the empty value for
// it; with Unique counting an entity counts under the entry of its best
// attempt. Bins are the upper edges of the time-to-convert histogram,
// ascending, at most 64; nil means DefaultBins. Quantiles are the probabilities of
// the quantiles of the time to convert that each step's Durations reports
// beside its Median and P90 (Durations.Quantiles, such as 0.75 and 0.99):
// each in (0, 1), ascending, each once; nil asks for none.
type Definition struct {
	Steps      []Match
	Window     time.Duration
	Mode       Mode
	Counting   Counting
	Exclusions []Exclusion
	Hold       string
	Breakdown  []string
	Bins       []time.Duration
	Quantiles  []float64
}

// DefaultBins are the histogram edges used when Definition.Bins is nil:
// a minute, an hour, a day, a week, 30 days and 90 days.
var DefaultBins = []time.Duration{time.Minute, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour}

// maxSteps bounds the steps and the exclusions, whose sets are bit masks.
const maxSteps = 16

// maxBreakdown bounds the breakdown properties.
const maxBreakdown = 16

// maxQuantiles bounds Definition.Quantiles.
const maxQuantiles = 64

// maxBins bounds Definition.Bins: every step of every breakdown group and
// every period holds a histogram, so 10⁵ bins over 2 000 groups took 3 GB
// and 2 minutes, and over the 1 827 days of a Series 2.8 GB.
const maxBins = 64

// maxAlternatives bounds a match's Any: each alternative is a condition
// that every event is tried against, and each was compared with the
// others, so 10⁵ alternatives took 3 minutes over 10⁵ events.
const maxAlternatives = 64

// cond is one compiled match: an event name and property conditions, with
// the steps and exclusions it stands for.
type cond struct {
	name  string
	where map[string]string
	steps uint16
	excl  uint16
}

// compiled is a Definition checked and compiled by compile.
type compiled struct {
	def     Definition
	n       int      // steps
	labels  []string // the steps' names
	within  []int64  // within[k]: the limit from step k−1 to step k, 0 = none
	window  int64
	conds   []cond
	opt     uint16  // the optional steps
	prev    []int   // prev[k]: the required step nearest before step k
	spans   []int64 // spans[k]: the Withins of steps prev[k]+1 … k added up; 0 when one is 0 (none)
	exFrom  []int8
	exTo    []int8
	bins    []time.Duration
	keepAll bool // events that match nothing are kept (StrictOrder)
}

// compile checks a definition and compiles it. Errors wrap kpi.ErrInvalid.
func compile(fn string, d Definition) (*compiled, error) {
	if err := checkShape(fn, d); err != nil {
		return nil, err
	}
	p := &compiled{n: len(d.Steps), window: int64(d.Window), keepAll: d.Mode&StrictOrder != 0}
	p.def = d
	p.def.Steps = cloneMatches(d.Steps)
	p.def.Exclusions = make([]Exclusion, len(d.Exclusions))
	for i, x := range d.Exclusions {
		x.Where, x.Any = maps.Clone(x.Where), cloneMatches(x.Any)
		p.def.Exclusions[i] = x
	}
	p.def.Breakdown = nil
	if len(d.Breakdown) > 0 {
		p.def.Breakdown = slices.Clone(d.Breakdown)
	}
	if err := checkBreakdown(fn, d.Breakdown); err != nil {
		return nil, err
	}
	if err := p.compileBins(fn, d.Bins); err != nil {
		return nil, err
	}
	if err := checkQuantiles(fn, d.Quantiles); err != nil {
		return nil, err
	}
	p.def.Quantiles = slices.Clone(d.Quantiles)
	if err := p.compileSteps(fn, d.Steps); err != nil {
		return nil, err
	}
	p.link(d.Steps)
	if err := p.compileExclusions(fn, d.Exclusions); err != nil {
		return nil, err
	}
	return p, nil
}

// checkShape checks the definition's sizes, window, mode and counting.
func checkShape(fn string, d Definition) error {
	switch {
	case len(d.Steps) < 2:
		return errs.Invalid(fn, "steps", len(d.Steps), "a funnel needs at least two steps")
	case len(d.Steps) > maxSteps:
		return errs.Invalid(fn, "steps", len(d.Steps), fmt.Sprintf("more than %d steps", maxSteps))
	case len(d.Exclusions) > maxSteps:
		return errs.Invalid(fn, "exclusions", len(d.Exclusions), fmt.Sprintf("more than %d exclusions", maxSteps))
	case d.Window <= 0:
		return errs.Invalid(fn, "window", d.Window, "must be > 0")
	case d.Mode&^allModes != 0:
		return errs.Invalid(fn, "mode", d.Mode, "unknown mode")
	case d.Counting > Totals:
		return errs.Invalid(fn, "counting", int(d.Counting), "unknown counting")
	}
	return nil
}

// checkBreakdown rejects empty and repeated property names and too many
// properties.
func checkBreakdown(fn string, props []string) error {
	if len(props) > maxBreakdown { // first: the search for repeats is quadratic
		return errs.Invalid(fn, "breakdown", len(props), fmt.Sprintf("more than %d properties", maxBreakdown))
	}
	for i, b := range props {
		if b == "" {
			return errs.Invalid(fn, fmt.Sprintf("breakdown[%d]", i), `""`, "empty property name")
		}
		if j := slices.Index(props[:i], b); j >= 0 {
			return errs.Invalid(fn, fmt.Sprintf("breakdown[%d]", i), fmt.Sprintf("%q", b), fmt.Sprintf("same property as breakdown[%d]", j))
		}
	}
	return nil
}

// checkQuantiles checks the probabilities of the quantiles asked: each
// in (0, 1), NaN excluded, ascending and each once, at most maxQuantiles.
func checkQuantiles(fn string, qs []float64) error {
	if len(qs) > maxQuantiles {
		return errs.Invalid(fn, "quantiles", len(qs), fmt.Sprintf("more than %d quantiles", maxQuantiles))
	}
	for i, q := range qs {
		at := fmt.Sprintf("quantiles[%d]", i)
		switch {
		case !(q > 0 && q < 1):
			return errs.Invalid(fn, at, q, "a quantile's probability must be in (0, 1)")
		case i > 0 && q == qs[i-1]:
			return errs.Invalid(fn, at, q, fmt.Sprintf("same as quantiles[%d]: ask for each once", i-1))
		case i > 0 && q < qs[i-1]:
			return errs.Invalid(fn, at, q, fmt.Sprintf("below quantiles[%d], %v: give them ascending", i-1, qs[i-1]))
		}
	}
	return nil
}

// compileBins sets the duration histogram's bounds: DefaultBins unless the
// definition gives its own, which must be positive and ascending.
func (p *compiled) compileBins(fn string, bins []time.Duration) error {
	p.bins = slices.Clone(DefaultBins)
	if len(bins) > maxBins {
		return errs.Invalid(fn, "bins", len(bins), fmt.Sprintf("more than %d bins", maxBins))
	}
	if bins != nil {
		p.bins = slices.Clone(bins)
		p.def.Bins = p.bins
	}
	for i, b := range p.bins {
		if b <= 0 || (i > 0 && b <= p.bins[i-1]) {
			return errs.Invalid(fn, fmt.Sprintf("bins[%d]", i), b, "bins must be > 0 and ascending")
		}
	}
	return nil
}

// compileSteps checks each step and adds its matches, alternatives and
// optional flag.
func (p *compiled) compileSteps(fn string, steps []Match) error {
	p.labels = make([]string, p.n)
	p.within = make([]int64, p.n)
	for i, s := range steps {
		if s.Event == "" {
			return errs.Invalid(fn, fmt.Sprintf("steps[%d] event", i), `""`, "empty event name")
		}
		if s.Within < 0 {
			return errs.Invalid(fn, fmt.Sprintf("steps[%d] within", i), s.Within, "negative window")
		}
		label := s.Step
		if label == "" {
			label = s.Event
		}
		for _, x := range []struct{ arg, v string }{{"event", s.Event}, {"step", s.Step}} {
			if !utf8.ValidString(x.v) { // JSON would write it as another name
				return errs.Invalid(fn, fmt.Sprintf("steps[%d] %s", i, x.arg), fmt.Sprintf("%q", x.v), "not valid UTF-8")
			}
		}
		for j, t := range steps[:i] {
			if p.labels[j] == label {
				return errs.Invalid(fn, fmt.Sprintf("steps[%d] step", i), fmt.Sprintf("%q", label), "used twice")
			}
			if t.Event == s.Event && maps.Equal(t.Where, s.Where) {
				return errs.Invalid(fn, fmt.Sprintf("steps[%d]", i), fmt.Sprintf("%q", s.Event), fmt.Sprintf("same event and conditions as steps[%d]", j))
			}
		}
		p.labels[i] = label
		if i > 0 {
			p.within[i] = int64(s.Within)
		}
		p.add(s.Event, s.Where, 1<<i, 0)
		if err := p.alternatives(fn, fmt.Sprintf("steps[%d]", i), s, 1<<i, 0); err != nil {
			return err
		}
		if s.Optional {
			if i == 0 {
				return errs.Invalid(fn, "steps[0] optional", true, "the first step enters the funnel: it cannot be optional")
			}
			p.opt |= 1 << i
		}
	}
	if p.opt == 1<<p.n-2 {
		return errs.Invalid(fn, "steps", p.n, "every step after the first is optional: a funnel needs two required steps")
	}
	return nil
}

// link sets each step's nearest required step before it, and lets every
// condition of a later step also fill a step marked Later.
func (p *compiled) link(steps []Match) {
	p.prev = make([]int, p.n)
	for k := 1; k < p.n; k++ {
		p.prev[k] = k - 1
		for p.opt&(1<<p.prev[k]) != 0 {
			p.prev[k]--
		}
	}
	p.spans = make([]int64, p.n)
	for k := 1; k < p.n; k++ {
		for i := p.prev[k] + 1; i <= k; i++ {
			if p.within[i] == 0 {
				p.spans[k] = 0
				break
			}
			p.spans[k] = satAdd(p.spans[k], p.within[i])
		}
	}
	for i, s := range steps {
		if !s.Later {
			continue
		}
		for j := range p.conds {
			if c := &p.conds[j]; c.steps>>(i+1) != 0 {
				c.steps |= 1 << i
			}
		}
	}
}

// compileExclusions checks each exclusion's event and step range and adds
// its matches.
func (p *compiled) compileExclusions(fn string, exclusions []Exclusion) error {
	for i, x := range exclusions {
		if x.Event == "" {
			return errs.Invalid(fn, fmt.Sprintf("exclusions[%d] event", i), `""`, "empty event name")
		}
		if x.From < 0 || x.To >= p.n || x.From >= x.To {
			return errs.Invalid(fn, fmt.Sprintf("exclusions[%d] steps", i), fmt.Sprintf("%d→%d", x.From, x.To),
				fmt.Sprintf("need 0 ≤ From < To < %d", p.n))
		}
		if p.opt&(1<<x.From) != 0 {
			return errs.Invalid(fn, fmt.Sprintf("exclusions[%d] from", i), x.From, "an optional step: an exclusion starts at a required step")
		}
		p.exFrom = append(p.exFrom, int8(x.From))
		p.exTo = append(p.exTo, int8(x.To))
		p.add(x.Event, x.Where, 0, 1<<i)
		if err := p.alternatives(fn, fmt.Sprintf("exclusions[%d]", i), x.Match, 0, 1<<i); err != nil {
			return err
		}
	}
	return nil
}

func cloneMatches(ms []Match) []Match {
	if ms == nil {
		return nil
	}
	out := make([]Match, len(ms))
	for i, m := range ms {
		m.Where = maps.Clone(m.Where)
		m.Any = cloneMatches(m.Any)
		out[i] = m
	}
	return out
}

// alternatives adds the Any alternatives of the match m, named arg, for
// the steps and exclusions given; an alternative is an event name with
// conditions, unlike m's own and the others.
func (p *compiled) alternatives(fn, arg string, m Match, steps, excl uint16) error {
	if len(m.Any) > maxAlternatives {
		return errs.Invalid(fn, arg+" any", len(m.Any), fmt.Sprintf("more than %d alternatives", maxAlternatives))
	}
	for j, a := range m.Any {
		at := fmt.Sprintf("%s any[%d]", arg, j)
		switch {
		case a.Event == "":
			return errs.Invalid(fn, at+" event", `""`, "empty event name")
		case a.Step != "" || a.Within != 0 || a.Optional || a.Later || a.Any != nil:
			return errs.Invalid(fn, at, fmt.Sprintf("%q", a.Event), "an alternative has only an event and conditions")
		case a.Event == m.Event && maps.Equal(a.Where, m.Where):
			return errs.Invalid(fn, at, fmt.Sprintf("%q", a.Event), "same event and conditions as the match itself")
		}
		for i, b := range m.Any[:j] {
			if a.Event == b.Event && maps.Equal(a.Where, b.Where) {
				return errs.Invalid(fn, at, fmt.Sprintf("%q", a.Event), fmt.Sprintf("same event and conditions as any[%d]", i))
			}
		}
		p.add(a.Event, a.Where, steps, excl)
	}
	return nil
}

// add merges a match into the compiled conditions: matches with the same
// name and conditions share one entry.
func (p *compiled) add(name string, where map[string]string, steps, excl uint16) {
	for i := range p.conds {
		c := &p.conds[i]
		if c.name == name && maps.Equal(c.where, where) {
			c.steps |= steps
			c.excl |= excl
			return
		}
	}
	p.conds = append(p.conds, cond{name: name, where: maps.Clone(where), steps: steps, excl: excl})
}

// match returns the steps and exclusions an event matches.
func (p *compiled) match(e *Event) (steps, excl uint16) {
	for i := range p.conds {
		c := &p.conds[i]
		if c.name != e.Name {
			continue
		}
		ok := true
		for k, v := range c.where { // usually empty
			if got, has := e.Props[k]; !has || got != v {
				ok = false
				break
			}
		}
		if ok {
			steps |= c.steps
			excl |= c.excl
		}
	}
	return steps, excl
}

// check validates an event's entity and time; pos is the event's
// position in a stream, or −1.
func check(fn string, pos int, e *Event) (int64, error) {
	at := func(arg string) string {
		if pos < 0 {
			return arg
		}
		return fmt.Sprintf("events[%d] %s", pos, arg)
	}
	if e.Entity == "" {
		return 0, errs.Invalid(fn, at("event entity"), `""`, fmt.Sprintf("event %q at %v has no entity", e.Name, e.Time))
	}
	if e.Time.IsZero() {
		return 0, errs.Invalid(fn, at(fmt.Sprintf("entity %q event %q time", e.Entity, e.Name)), e.Time, "zero time")
	}
	if !errs.InRange(e.Time) { // tested first: the argument's name costs an allocation
		return 0, errs.Time(fn, at(fmt.Sprintf("entity %q event %q time", e.Entity, e.Name)), e.Time)
	}
	return e.Time.UnixNano(), nil
}
