package funnel

import (
	"fmt"
	"unicode/utf8"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
)

// Stage is one stage of a funnel: its name and how many reached it.
type Stage struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// Step is the move from one stage to the next. A step is named by the
// stage it leads to, To: f.Step("SQL") is MQL → SQL, and Targets,
// Change.Step, Spread.Step and StepResult.Step use that name.
//
// With nFrom and nTo the counts of the two stages and n0 the count of the
// funnel's first stage:
//
//	Rate       = nTo/nFrom          the step conversion
//	DropOff    = (nFrom − nTo)/nFrom the share lost; DropOff.Successes() is the count lost
//	Cumulative = nTo/n0             the conversion from the top of the funnel
//
// All three are kpi.Rate values, so a step whose first stage is empty has
// rates with no trials, whose values are undefined (kpi.ErrUndefined).
type Step struct {
	From, To   string
	Rate       kpi.Rate
	DropOff    kpi.Rate
	Cumulative kpi.Rate
}

// String returns the step as "From→To", such as "MQL→SQL", for tables
// and messages.
func (s Step) String() string { return s.From + "→" + s.To }

// Funnel is a sequence of stages that the same population moves down:
// visits → leads → MQLs → SQLs → opportunities → won deals. A Funnel is
// immutable once built by New; it is safe for concurrent use. The zero
// Funnel has no stages and no steps: Stages, Steps, Check and Bottlenecks
// return nothing, Overall a rate with no trials, String the table's
// header, and Model an error; build funnels with New.
type Funnel struct {
	stages []Stage
	steps  []Step
}

// New returns the funnel of the given stages, top first.
//
// A funnel needs at least two stages, each with a non-empty name used once
// (valid UTF-8, which its JSON form can hold) and a count ≥ 0, and no stage may hold more than the stage before it: a
// funnel counts one population moving down, so data where leads skip a
// stage must count them as having passed it. Every violation returns a
// *kpi.Error wrapping kpi.ErrInvalid that names the stage and its count,
// such as
//
//	funnel.New: stage "SQL" count 120: exceeds "MQL" count 96
//
// New copies the stages; the caller may reuse the slice.
func New(stages ...Stage) (*Funnel, error) { return build("funnel.New", stages) }

// build is New, whose errors name fn.
func build(fn string, stages []Stage) (*Funnel, error) {
	if len(stages) < 2 {
		return nil, errs.Invalid(fn, "stages", len(stages), "a funnel needs at least two stages")
	}
	seen := make(map[string]struct{}, len(stages)) // a set, not a scan of the stages before: 10⁶ stages took minutes
	for i, s := range stages {
		if s.Name == "" {
			return nil, errs.Invalid(fn, fmt.Sprintf("stages[%d] name", i), `""`, "empty stage name")
		}
		if !utf8.ValidString(s.Name) { // JSON would write it as another name
			return nil, errs.Invalid(fn, fmt.Sprintf("stages[%d] name", i), fmt.Sprintf("%q", s.Name), "not valid UTF-8")
		}
		if _, dup := seen[s.Name]; dup {
			return nil, errs.Invalid(fn, "stage name", fmt.Sprintf("%q", s.Name), "used twice")
		}
		seen[s.Name] = struct{}{}
		if s.Count < 0 {
			return nil, errs.Invalid(fn, fmt.Sprintf("stage %q count", s.Name), s.Count, "negative count")
		}
		if i > 0 && s.Count > stages[i-1].Count {
			return nil, errs.Invalid(fn, fmt.Sprintf("stage %q count", s.Name), s.Count, fmt.Sprintf("exceeds %q count %d", stages[i-1].Name, stages[i-1].Count))
		}
	}
	f := &Funnel{stages: append([]Stage(nil), stages...), steps: make([]Step, len(stages)-1)}
	top := stages[0].Count
	for i := range f.steps {
		from, to := stages[i], stages[i+1]
		// The counts were checked above, so the rates cannot fail.
		rate, _ := kpi.NewRate(to.Count, from.Count)
		drop, _ := kpi.NewRate(from.Count-to.Count, from.Count)
		cum, _ := kpi.NewRate(to.Count, top)
		f.steps[i] = Step{From: from.Name, To: to.Name, Rate: rate, DropOff: drop, Cumulative: cum}
	}
	return f, nil
}

// Stages returns a copy of the funnel's stages, top first.
func (f *Funnel) Stages() []Stage { return append([]Stage(nil), f.stages...) }

// Steps returns a copy of the funnel's steps, top first: one fewer than the
// stages.
func (f *Funnel) Steps() []Step { return append([]Step(nil), f.steps...) }

// Stage returns the stage with the given name, and whether there is one.
func (f *Funnel) Stage(name string) (Stage, bool) {
	if i := f.index(name); i >= 0 {
		return f.stages[i], true
	}
	return Stage{}, false
}

// Step returns the step into the stage named to — Step("SQL") is the step
// MQL→SQL — and whether there is one. The first stage has no step into
// it. Steps are named by the stage they lead to throughout the package:
// targets, plans and comparisons use the same names.
func (f *Funnel) Step(to string) (Step, bool) {
	if i := f.index(to); i > 0 {
		return f.steps[i-1], true
	}
	return Step{}, false
}

// Overall returns the conversion from the first stage to the last. Its
// value is undefined (kpi.ErrUndefined) when the first stage is empty.
func (f *Funnel) Overall() kpi.Rate {
	if len(f.steps) == 0 { // a zero Funnel, not built by New
		return kpi.Rate{}
	}
	return f.steps[len(f.steps)-1].Cumulative
}

// index returns the position of the stage named name, or −1. Funnels are
// short, so a linear search beats a map.
func (f *Funnel) index(name string) int {
	for i, s := range f.stages {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// indexer returns index, or for a funnel of more than 16 stages a lookup
// in a map built once, for a caller that looks up many names: one
// linear search per target made a Check of 10⁵ stages quadratic.
func (f *Funnel) indexer() func(name string) int {
	if len(f.stages) <= 16 {
		return f.index
	}
	pos := make(map[string]int, len(f.stages))
	for i, s := range f.stages {
		pos[s.Name] = i
	}
	return func(name string) int {
		if i, ok := pos[name]; ok {
			return i
		}
		return -1
	}
}
