package funnel

import (
	"iter"
	"time"

	"github.com/kpiflow/kpi/internal/errs"
)

// Reach is the stage funnel of a History: per stage of the lifecycle, how
// many entities reached it, and the data-quality counts behind that.
//
// An entity reaches every stage up to the highest it has an entry for:
// one that became an opportunity without ever being marked SQL has passed
// SQL, counts there, and counts in that stage's Skipped. The time an
// entity entered a stage is its first entry of it, or, when it skipped
// the stage, the first entry of the next stage it did enter; and since an
// entity that reached a stage had passed the ones before, no stage is
// entered later than a stage after it (an entity that was a customer
// before it was ever a lead entered Lead when it became a customer). A
// move back (an entry of a stage later than the first entry of a higher
// one: a customer set back to lead) counts the entity once in Backward; it
// still counts once per stage, at its highest.
type Reach struct {
	Stages   []StageReach `json:"stages"`   // lowest first
	Entities int64        `json:"entities"` // entities with at least one entry
	Skipped  int64        `json:"skipped"`  // entities that passed a stage without an entry for it
	Backward int64        `json:"backward"` // entities that moved back at least once

	// Duplicates and OutOfOrder count entries, as History.Add says.
	Duplicates int64 `json:"duplicates"`
	OutOfOrder int64 `json:"outOfOrder"`
}

// StageReach is one stage of a Reach. Reached counts the entities at the
// stage or beyond; Entered those of them with an entry of the stage;
// Skipped = Reached − Entered those that passed it without one. Time is
// the time from the previous stage's entry to this stage's, over the
// entities that reached this stage (DefaultBins histogram); the lowest
// stage's is empty.
type StageReach struct {
	Stage   string    `json:"stage"`
	Reached int64     `json:"reached"`
	Entered int64     `json:"entered"`
	Skipped int64     `json:"skipped"`
	Time    Durations `json:"time"`
}

// Reach returns the stage funnel of the entries added so far; more may be
// added after it. The only error is that of the zero History, wrapping
// kpi.ErrInvalid.
func (h *History) Reach() (*Reach, error) {
	if h.l == nil {
		return nil, errs.Zero("funnel.History.Reach", "History", "funnel.NewHistory")
	}
	r := &Reach{Stages: make([]StageReach, h.n), Duplicates: h.duplicates, OutOfOrder: h.outOfOrder}
	times := h.stageTimes()
	var entry [maxSteps]int64
	for id := range h.ents.Len() {
		top, skipped, backward := h.walk(id, &entry)
		if top < 0 {
			continue
		}
		r.Entities++
		if skipped {
			r.Skipped++
		}
		if backward {
			r.Backward++
		}
		first := h.slot(id)[:h.n]
		for k := 0; k <= top; k++ {
			s := &r.Stages[k]
			s.Reached++
			if first[k] != none {
				s.Entered++
			}
			if k > 0 {
				times[k] = append(times[k], entry[k]-entry[k-1])
			}
		}
	}
	for k := range r.Stages {
		s := &r.Stages[k]
		s.Stage = h.l.names[k]
		s.Skipped = s.Reached - s.Entered
		if k > 0 {
			s.Time = summariseOwned(times[k], DefaultBins, nil)
		}
	}
	return r, nil
}

// stageTimes returns, per stage above the lowest, an empty slice with room
// for the time to it of every entity that reached it, so that Reach
// allocates each once.
func (h *History) stageTimes() [][]int64 {
	var reached [maxSteps]int
	for id := range h.ents.Len() {
		reached[h.top(h.slot(id))]++ // the entities whose highest stage is k
	}
	for k := h.n - 2; k >= 1; k-- {
		reached[k] += reached[k+1] // those at stage k or beyond
	}
	times := make([][]int64, h.n)
	for k := 1; k < h.n; k++ {
		times[k] = make([]int64, 0, reached[k])
	}
	return times
}

// top returns the highest stage that an entity's slot has an entry for,
// or 0 when it has none.
func (h *History) top(slot []int64) int {
	k := h.n - 1
	for k > 0 && slot[k] == none {
		k--
	}
	return k
}

// walk works out an entity's highest stage (−1 for none), its entry time
// of every stage up to it, and whether it skipped or moved back.
func (h *History) walk(id int, entry *[maxSteps]int64) (top int, skipped, backward bool) {
	slot := h.slot(id)
	first, last := slot[:h.n], slot[h.n:]
	if top = h.top(slot); first[top] == none {
		return -1, false, false
	}
	next := first[top]
	for k := top; k >= 0; k-- {
		if first[k] == none {
			skipped = true
		} else {
			next = min(next, first[k])
		}
		entry[k] = next
	}
	var lower int64 // none, below every time
	for k := 0; k <= top; k++ {
		if first[k] != none && lower > first[k] {
			backward = true
		}
		lower = max(lower, last[k])
	}
	return top, skipped, backward
}

// Funnel returns the reach as an aggregate Funnel, one stage per lifecycle
// stage with the count that reached it, so that Check, Bottlenecks,
// Compare and Plan apply. The errors are New's, naming
// funnel.Reach.Funnel; the Reach of a History always converts.
func (r *Reach) Funnel() (*Funnel, error) {
	stages := make([]Stage, len(r.Stages))
	for i, s := range r.Stages {
		stages[i] = Stage{Name: s.Stage, Count: s.Reached}
	}
	return build("funnel.Reach.Funnel", stages)
}

// Events returns the history as event-funnel events, entity by entity in
// the order they were first added: one event per stage an entity reached,
// named as the lifecycle names the stage, at the time Reach says it
// entered the stage (so skipped stages are passed here too). Counted by a
// Counter over Lifecycle.Definition with a window longer than any
// entity's climb, they give Reach's counts; with a shorter window, only
// the climbs within it. The zero History yields nothing.
func (h *History) Events() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		var entry [maxSteps]int64
		for id, name := range h.ents.All() {
			top, _, _ := h.walk(id, &entry)
			for k := 0; k <= top; k++ {
				if !yield(Event{Entity: name, Name: h.l.names[k], Time: time.Unix(0, entry[k]+epoch).UTC()}) {
					return
				}
			}
		}
	}
}
