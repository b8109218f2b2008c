package funnel

import (
	"fmt"
	"iter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/intern"
)

// Lifecycle is an ordered list of stages that entities move up through,
// such as HubSpot's Subscriber < Lead < Marketing Qualified Lead < Sales
// Qualified Lead < Opportunity < Customer, or a Salesforce opportunity's
// stages. Reaching a stage means having passed every stage before it.
//
// Stage names are matched without regard to case, blanks and punctuation:
// "Marketing Qualified Lead", "marketing-qualified lead" and HubSpot's
// internal value "marketingqualifiedlead" are one stage. A Lifecycle is
// immutable and safe for concurrent use. The zero Lifecycle has no stages:
// a History needs one from NewLifecycle.
type Lifecycle struct {
	names []string
	keys  map[string]int
}

// NewLifecycle returns the lifecycle of the given stages, lowest first.
//
// Errors wrap kpi.ErrInvalid: fewer than two or more than 16 stages (the
// limit of event funnels, which a lifecycle's history can feed), a stage
// whose name is empty once blanks and punctuation are left out or is not
// valid UTF-8, or two stages with the same name in that sense.
func NewLifecycle(stages ...string) (*Lifecycle, error) {
	const fn = "funnel.NewLifecycle"
	switch {
	case len(stages) < 2:
		return nil, errs.Invalid(fn, "stages", len(stages), "a lifecycle needs at least two stages")
	case len(stages) > maxSteps:
		return nil, errs.Invalid(fn, "stages", len(stages), fmt.Sprintf("more than %d stages", maxSteps))
	}
	l := &Lifecycle{names: append([]string(nil), stages...), keys: make(map[string]int, len(stages))}
	for i, s := range stages {
		k := stageKey(s)
		if k == "" {
			return nil, errs.Invalid(fn, fmt.Sprintf("stages[%d]", i), fmt.Sprintf("%q", s), "empty stage name")
		}
		if !utf8.ValidString(s) { // its funnel and events could not hold it
			return nil, errs.Invalid(fn, fmt.Sprintf("stages[%d]", i), fmt.Sprintf("%q", s), "not valid UTF-8")
		}
		if j, dup := l.keys[k]; dup {
			return nil, errs.Invalid(fn, fmt.Sprintf("stages[%d]", i), fmt.Sprintf("%q", s), fmt.Sprintf("same stage as stages[%d] %q", j, stages[j]))
		}
		l.keys[k] = i
	}
	return l, nil
}

// HubSpotLifecycle returns HubSpot's default contact lifecycle:
// Subscriber, Lead, Marketing Qualified Lead, Sales Qualified Lead,
// Opportunity, Customer, Evangelist. HubSpot's stage "Other" lies outside
// the order and is reported as not in the lifecycle.
func HubSpotLifecycle() *Lifecycle {
	l, _ := NewLifecycle("Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer", "Evangelist")
	return l
}

// SalesforceLifecycle returns the default opportunity stages of
// Salesforce's sales process, in order: Prospecting, Qualification, Needs
// Analysis, Value Proposition, Id. Decision Makers, Perception Analysis,
// Proposal/Price Quote, Negotiation/Review, Closed Won. "Closed Lost" lies
// outside the order and is reported as not in the lifecycle.
func SalesforceLifecycle() *Lifecycle {
	l, _ := NewLifecycle("Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers",
		"Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won")
	return l
}

// stageKey is a stage name in lower case without anything but letters
// and digits.
func stageKey(s string) string {
	simple := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			simple = false
			break
		}
	}
	if simple {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = utf8.AppendRune(b, unicode.ToLower(r))
		}
	}
	return string(b)
}

// Stages returns the lifecycle's stage names, lowest first.
func (l *Lifecycle) Stages() []string { return append([]string(nil), l.names...) }

// Index returns the position of the stage named name (0 for the lowest),
// matched as NewLifecycle says, and whether the lifecycle has it.
func (l *Lifecycle) Index(name string) (int, bool) {
	i, ok := l.keys[stageKey(name)]
	return i, ok
}

// Definition returns the event funnel of the lifecycle's stages: one step
// per stage, each matching events named as the stage, within window of
// the first. With History.Events it counts a stage history as an event
// funnel, so that periods, windows and times to convert apply.
func (l *Lifecycle) Definition(window time.Duration) Definition {
	d := Definition{Window: window, Steps: make([]Match, len(l.names))}
	for i, s := range l.names {
		d.Steps[i] = Match{Event: s}
	}
	return d
}

// Entry is one row of a stage history: an entity (a contact, a deal)
// entered a stage at a time.
type Entry struct {
	Entity string    `json:"entity"`
	Stage  string    `json:"stage"`
	Time   time.Time `json:"time"`
}

// A History keeps times as nanoseconds after epoch, one nanosecond
// before kpi.MinYear begins, so that every time it accepts (errs.Time) is
// above 0 and 0, what a new block of entities holds, marks a stage an
// entity has no entry for: none. The latest time, the end of kpi.MaxYear,
// lies 250 years after epoch, within int64's 292.
const none = 0

var epoch = time.Date(kpi.MinYear, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano() - 1

// History is an accumulator of stage history entries over a Lifecycle,
// following the kpi accumulator contract: Add takes one entry, AddAll a
// stream, Merge another History's entries; Reach reads out the stage
// funnel and Events the same data as event-funnel events. It keeps, per
// entity, its first and last entry of each stage, so its memory grows
// with the entities, not the entries. The zero History needs
// NewHistory. A History is not safe for concurrent use.
type History struct {
	l     *Lifecycle
	n     int
	ents  intern.Names
	times [][]int64            // blocks of blockEntities entities: per entity the first entry of each stage, then the last
	memo  map[string]stageName // names seen, at most 1024
	last  [32]stageName        // the names read last, by length and ends (stageBytes)

	duplicates, outOfOrder int64
}

// NewHistory returns an empty History over the lifecycle l. A nil l is an
// error wrapping kpi.ErrInvalid, as is a zero Lifecycle.
func NewHistory(l *Lifecycle) (*History, error) {
	if l == nil || len(l.names) == 0 {
		return nil, errs.Invalid("funnel.NewHistory", "l", "no stages", "use funnel.NewLifecycle")
	}
	return &History{l: l, n: len(l.names), memo: map[string]stageName{}}, nil
}

// stageName is a stage name seen, kept in a string of its own, and the
// index of its stage, −1 for one not in the lifecycle.
type stageName struct {
	name string
	i    int
}

// stage returns the index of a stage name, remembering the names seen.
func (h *History) stage(name string) (int, bool) {
	if s, ok := h.memo[name]; ok {
		return s.i, s.i >= 0
	}
	return h.newStage(name)
}

// stageBytes is stage for a reader's bytes, which are not empty, without
// allocating for a name seen before. A history's rows take turns among
// a few stage names, so it tries the name last read of the same length
// and ends before the map.
func (h *History) stageBytes(name []byte) (int, bool) {
	last := &h.last[(len(name)+int(name[0])+3*int(name[len(name)-1]))%len(h.last)]
	if last.name == string(name) {
		return last.i, last.i >= 0
	}
	s, ok := h.memo[string(name)]
	if !ok {
		return h.newStage(string(name))
	}
	*last = s
	return s.i, s.i >= 0
}

func (h *History) newStage(name string) (int, bool) {
	i, ok := h.l.Index(name)
	if !ok {
		i = -1
	}
	if len(h.memo) < 1024 {
		name = string([]byte(name))
		h.memo[name] = stageName{name, i}
	}
	return i, ok
}

// Add adds one entry.
//
// An entry with the same entity, stage and time as the first or the last
// entry of that entity's stage so far is a duplicate: counted, and it
// changes nothing. An entry earlier than the entity's latest entry so far
// is out of order: counted, and used like any other.
//
// Errors wrap kpi.ErrInvalid and leave the History as it was: an empty
// entity, a stage not in the lifecycle, a zero time or one outside the
// years kpi.MinYear to kpi.MaxYear.
func (h *History) Add(e Entry) error {
	return h.add("funnel.History.Add", "entry", e)
}

func (h *History) add(fn, arg string, e Entry) error {
	if h.l == nil {
		return errs.Zero(fn, "History", "funnel.NewHistory")
	}
	k, t, err := h.check(fn, arg, e)
	if err != nil {
		return err
	}
	h.record(h.entity(e.Entity), k, t)
	return nil
}

// check validates an entry and returns its stage and Unix nanoseconds.
func (h *History) check(fn, arg string, e Entry) (int, int64, error) {
	if e.Entity == "" {
		return 0, 0, errs.Invalid(fn, arg+" entity", `""`, "empty entity")
	}
	k, ok := h.stage(e.Stage)
	if !ok {
		return 0, 0, errs.Invalid(fn, arg+" stage", fmt.Sprintf("%q", e.Stage), "not in the lifecycle")
	}
	if e.Time.IsZero() {
		return 0, 0, errs.Invalid(fn, arg+" time", e.Time, "zero time")
	}
	if err := errs.Time(fn, arg+" time", e.Time); err != nil {
		return 0, 0, err
	}
	return k, e.Time.UnixNano() - epoch, nil
}

// entity returns the slot of an entity, adding it if new.
func (h *History) entity(name string) []int64 {
	id, added := h.ents.ID(name)
	return h.slotOf(id, added)
}

// entityBytes is entity for a reader's bytes: it allocates only for a new
// entity's name.
func (h *History) entityBytes(name []byte) []int64 {
	id, added := h.ents.IDBytes(name)
	return h.slotOf(id, added)
}

// slotOf returns the slot of entity id, making a new block for a new
// entity that needs one: zeroed memory, which says none.
func (h *History) slotOf(id int32, added bool) []int64 {
	if added && int(id)%blockEntities == 0 {
		h.times = append(h.times, make([]int64, blockEntities*2*h.n))
	}
	return h.slot(int(id))
}

// blockEntities is the number of entities in a block of History.times,
// which grows without copying.
const blockEntities = 1 << 12

// slot returns the first and last entries of entity id.
func (h *History) slot(id int) []int64 {
	i := id % blockEntities * 2 * h.n
	return h.times[id/blockEntities][i : i+2*h.n]
}

// record adds a checked entry of stage k at t to an entity's slot.
func (h *History) record(slot []int64, k int, t int64) {
	first, last := slot[:h.n], slot[h.n:]
	if first[k] == t || last[k] == t {
		h.duplicates++
		return
	}
	var latest int64 // none, below every time
	for _, v := range last {
		latest = max(latest, v)
	}
	if t < latest {
		h.outOfOrder++
	}
	if first[k] == none || t < first[k] {
		first[k] = t
	}
	if t > last[k] {
		last[k] = t
	}
}

// AddAll adds the entries of seq in order, stopping at the first that
// fails with Add's error, naming its position; the entries before it stay
// added. A nil seq adds nothing.
func (h *History) AddAll(seq iter.Seq[Entry]) error {
	const fn = "funnel.History.AddAll"
	if h.l == nil {
		return errs.Zero(fn, "History", "funnel.NewHistory")
	}
	if seq == nil {
		return nil
	}
	i := 0
	for e := range seq {
		if err := h.add(fn, fmt.Sprintf("entries[%d]", i), e); err != nil {
			return err
		}
		i++
	}
	return nil
}

// Merge adds the entries o holds, leaving o unchanged: each entity's first
// and last entries per stage combine, so the stage funnel is the same as
// if o's entries had been added one by one. Duplicates and out-of-order
// entries are counted exactly when every entity's entries are in one
// History; across partitions, entries of one entity are compared only with
// the first and last entries per stage.
//
// Errors wrap kpi.ErrInvalid: a zero History, o nil or zero, o the same
// History, or o over a different lifecycle (different stage names).
func (h *History) Merge(o *History) error {
	const fn = "funnel.History.Merge"
	switch {
	case h.l == nil:
		return errs.Zero(fn, "History", "funnel.NewHistory")
	case o == nil || o.l == nil:
		return errs.Invalid(fn, "o", "zero History", "use funnel.NewHistory")
	case o == h:
		return errs.Invalid(fn, "o", fmt.Sprintf("%p", o), "merging a History with itself")
	case !sameNames(h.l.names, o.l.names):
		return errs.Invalid(fn, "o", fmt.Sprintf("%q", o.l.names), fmt.Sprintf("another lifecycle than %q", h.l.names))
	}
	for id, name := range o.ents.All() {
		src := o.slot(id)
		for k := range h.n {
			for _, t := range [2]int64{src[k], src[h.n+k]} {
				if t != none {
					h.merge(name, k, t)
				}
			}
		}
	}
	h.duplicates += o.duplicates
	h.outOfOrder += o.outOfOrder
	return nil
}

// merge folds one of o's first or last entries into h without counting
// it as a duplicate or out of order.
func (h *History) merge(name string, k int, t int64) {
	slot := h.entity(name)
	if slot[k] == none || t < slot[k] {
		slot[k] = t
	}
	if t > slot[h.n+k] {
		slot[h.n+k] = t
	}
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
