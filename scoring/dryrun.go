package scoring

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kpiflow/kpi/internal/errs"
)

// Change is one lead's score under two models, as DryRun reports it (not a
// change of a rate or a metric, as Change means in other packages).
type Change struct {
	Index        int64   `json:"index"` // position in the sequence of leads
	ID           string  `json:"id"`
	Before       float64 `json:"before"` // totals
	After        float64 `json:"after"`
	BeforeMatrix string  `json:"beforeMatrix"`
	AfterMatrix  string  `json:"afterMatrix"`
	BeforeMQL    bool    `json:"beforeMQL"`
	AfterMQL     bool    `json:"afterMQL"`
}

// Report is the outcome of a dry run of a model change.
type Report struct {
	Leads     int64 `json:"leads"`     // leads scored
	Changed   int64 `json:"changed"`   // leads whose total changed
	MQLBefore int64 `json:"mqlBefore"` // MQLs under the current model
	MQLAfter  int64 `json:"mqlAfter"`  // MQLs under the new model

	Gained  []Change `json:"gained"`  // leads that become MQLs, in input order
	Lost    []Change `json:"lost"`    // leads that stop being MQLs, in input order
	Largest []Change `json:"largest"` // the largest changes of total, by |After − Before|
}

// DryRun scores every lead at time at under the current model (before) and
// under a changed one (after), and reports who gains or loses MQL status
// and the top largest changes of the total, largest first (ties in input
// order; unchanged leads are never listed). The leads are read once, so a
// dry run over a whole CRM can stream them; it holds only the report, and
// keeping the top changes costs O(log top) a lead whatever their order. A
// nil leads scores none.
//
// DryRun returns an error wrapping kpi.ErrInvalid when a scorer is nil,
// top is negative or at lies outside the years kpi.MinYear to kpi.MaxYear.
func DryRun(before, after *Scorer, leads iter.Seq[Lead], at time.Time, top int) (*Report, error) {
	const fn = "scoring.DryRun"
	switch {
	case before == nil:
		return nil, errs.Invalid(fn, "before", before, "no scorer")
	case after == nil:
		return nil, errs.Invalid(fn, "after", after, "no scorer")
	case top < 0:
		return nil, errs.Invalid(fn, "top", top, "negative")
	}
	if err := errs.Time(fn, "at", at); err != nil {
		return nil, err
	}
	rep := &Report{}
	var rb, ra Result
	for lead := range orEmpty(leads) {
		before.ScoreTo(&rb, lead, at)
		after.ScoreTo(&ra, lead, at)
		c := Change{
			Index: rep.Leads, ID: lead.ID,
			Before: rb.Total, After: ra.Total,
			BeforeMatrix: rb.Matrix, AfterMatrix: ra.Matrix,
			BeforeMQL: rb.MQL, AfterMQL: ra.MQL,
		}
		rep.Leads++
		if c.BeforeMQL {
			rep.MQLBefore++
		}
		if c.AfterMQL {
			rep.MQLAfter++
		}
		switch {
		case c.AfterMQL && !c.BeforeMQL:
			rep.Gained = append(rep.Gained, c)
		case c.BeforeMQL && !c.AfterMQL:
			rep.Lost = append(rep.Lost, c)
		}
		if c.After == c.Before {
			continue
		}
		rep.Changed++
		if top == 0 {
			continue
		}
		// Largest is a heap of the top changes so far with the one to drop
		// first at its root, so that each lead costs O(log top): an
		// insertion in a sorted slice cost O(top), quadratic over leads
		// whose changes grow (40 000 of them, top 40 000: 4 s).
		if len(rep.Largest) < top {
			rep.Largest = append(rep.Largest, c)
			up(rep.Largest, len(rep.Largest)-1)
		} else if outranks(c, rep.Largest[0]) {
			rep.Largest[0] = c
			down(rep.Largest, 0)
		}
	}
	// Largest first, ties in input order.
	slices.SortFunc(rep.Largest, func(x, y Change) int {
		switch {
		case outranks(x, y):
			return -1
		case outranks(y, x):
			return 1
		}
		return 0
	})
	return rep, nil
}

// outranks reports whether x comes before y in Report.Largest: a larger
// |After − Before|, or an equal one earlier in the input.
func outranks(x, y Change) bool {
	dx, dy := math.Abs(x.After-x.Before), math.Abs(y.After-y.Before)
	return dx > dy || dx == dy && x.Index < y.Index
}

// up and down restore the heap order of h, in which no change outranks
// its parent (the root is the one every other outranks), after h[i] was
// added or replaced.
func up(h []Change, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !outranks(h[p], h[i]) {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func down(h []Change, i int) {
	for {
		k := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h) && outranks(h[k], h[c]) {
				k = c
			}
		}
		if k == i {
			return
		}
		h[i], h[k] = h[k], h[i]
		i = k
	}
}

// String summarises the report on a few lines: the MQL counts, who gained
// and lost MQL status, and the largest changes, listing at most ten leads
// per line. A lead is named by its ID, or by #index when it has none.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d leads, %d scores changed; MQLs %d → %d (+%d gained, -%d lost)",
		r.Leads, r.Changed, r.MQLBefore, r.MQLAfter, len(r.Gained), len(r.Lost))
	line := func(title string, cs []Change, delta bool) {
		if len(cs) == 0 {
			return
		}
		b.WriteString("\n" + title + ":")
		for i, c := range cs {
			if i == 10 {
				fmt.Fprintf(&b, " … and %d more", len(cs)-10)
				break
			}
			if i > 0 {
				b.WriteByte(',')
			}
			name := c.ID
			if name == "" {
				name = "#" + strconv.FormatInt(c.Index, 10)
			}
			b.WriteString(" " + name + " ")
			if delta {
				b.WriteString(signed(c.After-c.Before) + " ")
			}
			b.WriteString("(" + num(c.Before) + " → " + num(c.After) + ")")
		}
	}
	line("gained", r.Gained, false)
	line("lost", r.Lost, false)
	line("largest changes", r.Largest, true)
	return b.String()
}
