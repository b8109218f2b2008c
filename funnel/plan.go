package funnel

import (
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
)

// Model is, in this package, a funnel for planning with given rates (not a
// lead-scoring model as in package scoring, nor an attribution model as in
// package attribution): its stages, the conversion of each step, the
// revenue a final-stage outcome brings, and what a unit costs at any stage.
// Plan works back from a revenue goal through it; Forecast works forward
// from a top-of-funnel volume.
type Model struct {
	// Stages are the stage names, top first; at least two, unique and
	// non-empty.
	Stages []string `json:"stages"`
	// Rates[i] is the conversion from Stages[i] to Stages[i+1], in (0, 1];
	// there is one fewer rate than stages.
	Rates []float64 `json:"rates"`
	// DealSize is the average revenue of a final-stage outcome (a won
	// deal); it must be > 0.
	DealSize decimal.Decimal `json:"dealSize"`
	// Costs are optional unit costs by stage name, each ≥ 0: {"Lead": 45}
	// is a cost per lead; {"Visit": 0.80} a cost per visit.
	Costs map[string]decimal.Decimal `json:"costs"`
}

// Model returns a planning model with the funnel's stages and observed
// step rates, and the given deal size. Set Costs, or change Rates, on the
// result before planning with it.
//
// Errors: a step with no trials has no rate to plan with; Model returns an
// error wrapping kpi.ErrUndefined naming it. An observed rate of 0 is
// returned as it is, and Plan rejects it.
//
// On the zero Funnel, which has no stages, Model returns an error wrapping
// kpi.ErrInvalid.
func (f *Funnel) Model(dealSize decimal.Decimal) (Model, error) {
	if len(f.stages) == 0 {
		return Model{}, errs.Zero("funnel.Funnel.Model", "Funnel", "funnel.New")
	}
	m := Model{Stages: make([]string, len(f.stages)), Rates: make([]float64, len(f.steps)), DealSize: dealSize}
	for i, s := range f.stages {
		m.Stages[i] = s.Name
	}
	for i, s := range f.steps {
		v, err := s.Rate.Value()
		if err != nil {
			return Model{}, errs.Undefined("funnel.Funnel.Model", fmt.Sprintf("step %q rate", s.String()), s.Rate, "no trials to estimate a rate from")
		}
		m.Rates[i] = v
	}
	return m, nil
}

// Volume is one stage of a Projection: how many reach it, and what they
// cost when the model gives the stage a unit cost (zero otherwise).
type Volume struct {
	Stage string          `json:"stage"`
	Count float64         `json:"count"`
	Cost  decimal.Decimal `json:"cost"`
}

// Projection is, in this package, the result of Plan or Forecast: the
// volumes of a funnel's stages worked back from a goal or forward from the
// top (not a projection of retention over time, as in package cohort): a
// volume per stage, top first, the revenue of the final stage and the total
// cost.
type Projection struct {
	Volumes []Volume        `json:"volumes"`
	Revenue decimal.Decimal `json:"revenue"`
	Budget  decimal.Decimal `json:"budget"`
}

// maxVolume is the largest volume Plan returns: above 2^53 a float64 no
// longer holds every whole number.
const maxVolume = 1 << 53

// planPlaces is the number of decimal places a volume is computed to
// before Plan rounds it up.
const planPlaces = 9

// Plan works back from a revenue goal to the volume every stage needs
// (from KGI to KPI). The final stage needs
//
//	deals = ⌈goal / DealSize⌉
//
// outcomes, computed exactly, and each earlier stage i needs
//
//	needᵢ = ⌈needᵢ₊₁ / Rates[i]⌉
//
// rounding up at every step, since a fraction of a lead converts no one:
// the plan does not fall short of the goal, and may exceed it by a little.
// The quotient is taken in decimal arithmetic from the shortest decimal
// form of the rate (0.24, not 0.2399999999999999911…) and rounded to nine
// decimal places before it is rounded up, so that a rate that a float64
// cannot hold exactly, such as 1/3, does not add a unit: 10/0.3333333333333333
// needs 30 opportunities, not 31. (A quotient less than 10⁻⁹ above a whole
// number therefore counts as that number.)
//
// The projection's Revenue is deals × DealSize (at least the goal), each
// stage's Cost its volume × its unit cost, and Budget their sum, all exact.
// Every Count is a whole number.
//
// Errors, all wrapping kpi.ErrInvalid and naming the field and value: a
// goal or deal size ≤ 0; fewer than two stages, an empty or repeated stage
// name or one that is not valid UTF-8; a number of rates that does not match the stages; a rate outside
// (0, 1], NaN or infinite; a cost for an unknown stage or below 0; a volume
// above 2^53; a goal, deal size or cost with more than 30 digits before
// the point or 18 after it, the bound on all money in the library; and a
// stage's cost, the budget or the revenue beyond that bound (a volume of
// 10⁹ at a cost of 10²⁵), which WriteCSV and UnmarshalJSON would refuse.
func Plan(m Model, goal decimal.Decimal) (Projection, error) {
	const fn = "funnel.Plan"
	if err := errs.Money(fn, "goal", goal); err != nil {
		return Projection{}, err
	}
	if !goal.IsPositive() {
		return Projection{}, errs.Invalid(fn, "goal", goal, "must be > 0")
	}
	if err := m.check(fn); err != nil {
		return Projection{}, err
	}
	need := make([]decimal.Decimal, len(m.Stages))
	last := len(m.Stages) - 1
	q, r := goal.QuoRem(m.DealSize, 0)
	if r.Sign() != 0 {
		q = q.Add(decimal.NewFromInt(1))
	}
	need[last] = q
	limit := decimal.NewFromInt(maxVolume)
	for i := last; i >= 0; i-- {
		if i < last {
			need[i] = need[i+1].DivRound(decimal.NewFromFloat(m.Rates[i]), planPlaces).Ceil()
		}
		if need[i].GreaterThan(limit) {
			return Projection{}, errs.Invalid(fn, fmt.Sprintf("stage %q volume", m.Stages[i]), need[i].InexactFloat64(), "exceeds 2^53")
		}
	}
	p := Projection{Volumes: make([]Volume, len(m.Stages)), Revenue: need[last].Mul(m.DealSize)}
	for i, name := range m.Stages {
		v := Volume{Stage: name, Count: need[i].InexactFloat64()}
		if c, ok := m.Costs[name]; ok {
			v.Cost = need[i].Mul(c)
			p.Budget = p.Budget.Add(v.Cost)
		}
		p.Volumes[i] = v
	}
	if err := p.bounded(fn); err != nil {
		return Projection{}, err
	}
	return p, nil
}

// bounded checks that the projection's money lies within the library's
// bound, which its WriteCSV and UnmarshalJSON hold it to: a volume of 2⁵³
// at a cost of 10²⁹ costs 9·10⁴⁴.
func (p Projection) bounded(fn string) error {
	for _, v := range p.Volumes {
		if err := errs.Money(fn, fmt.Sprintf("stage %q cost", v.Stage), v.Cost); err != nil {
			return err
		}
	}
	if err := errs.Money(fn, "budget", p.Budget); err != nil {
		return err
	}
	return errs.Money(fn, "revenue", p.Revenue)
}

// Forecast works forward from a top-of-funnel volume to the expected
// volume of every stage:
//
//	count₀ = top,   countᵢ₊₁ = countᵢ · Rates[i]
//
// These are expected values, not whole numbers. The projection's Revenue
// is the final count × DealSize, rounded half away from zero to the
// decimal places of DealSize; each stage's Cost is its count × its unit
// cost, rounded to the places of that cost; Budget is their sum.
//
// Errors are those of Plan, with a top volume below 0 in place of the goal.
func Forecast(m Model, top int64) (Projection, error) {
	const fn = "funnel.Forecast"
	if top < 0 {
		return Projection{}, errs.Invalid(fn, "top", top, "negative volume")
	}
	if err := m.check(fn); err != nil {
		return Projection{}, err
	}
	p := Projection{Volumes: make([]Volume, len(m.Stages))}
	count := float64(top)
	for i, name := range m.Stages {
		if i > 0 {
			count *= m.Rates[i-1]
		}
		v := Volume{Stage: name, Count: count}
		if c, ok := m.Costs[name]; ok {
			v.Cost = decimal.NewFromFloat(count).Mul(c).Round(places(c))
			p.Budget = p.Budget.Add(v.Cost)
		}
		p.Volumes[i] = v
	}
	p.Revenue = decimal.NewFromFloat(count).Mul(m.DealSize).Round(places(m.DealSize))
	if err := p.bounded(fn); err != nil {
		return Projection{}, err
	}
	return p, nil
}

// check validates a model for Plan and Forecast.
func (m Model) check(fn string) error {
	if len(m.Stages) < 2 {
		return errs.Invalid(fn, "stages", len(m.Stages), "a funnel needs at least two stages")
	}
	if len(m.Rates) != len(m.Stages)-1 {
		return errs.Invalid(fn, "rates", len(m.Rates), fmt.Sprintf("want one per step, %d for %d stages", len(m.Stages)-1, len(m.Stages)))
	}
	seen := make(map[string]struct{}, len(m.Stages)) // a set: a scan of the stages before made 10⁶ stages take minutes
	for i, name := range m.Stages {
		if name == "" {
			return errs.Invalid(fn, fmt.Sprintf("stages[%d] name", i), `""`, "empty stage name")
		}
		if !utf8.ValidString(name) {
			return errs.Invalid(fn, fmt.Sprintf("stages[%d] name", i), fmt.Sprintf("%q", name), "not valid UTF-8")
		}
		if _, dup := seen[name]; dup {
			return errs.Invalid(fn, "stage name", fmt.Sprintf("%q", name), "used twice")
		}
		seen[name] = struct{}{}
		if i == 0 {
			continue
		}
		if r := m.Rates[i-1]; !(r > 0 && r <= 1) { // false for NaN too
			return errs.Invalid(fn, fmt.Sprintf("step %q rate", m.Stages[i-1]+"→"+name), r, "must lie in (0, 1]")
		}
	}
	if err := errs.Money(fn, "deal size", m.DealSize); err != nil {
		return err
	}
	if !m.DealSize.IsPositive() {
		return errs.Invalid(fn, "deal size", m.DealSize, "must be > 0")
	}
	for _, name := range slices.Sorted(maps.Keys(m.Costs)) { // sorted: the same error every time
		c := m.Costs[name]
		_, known := seen[name]
		if err := errs.Money(fn, fmt.Sprintf("stage %q cost", name), c); err != nil {
			return err
		}
		switch {
		case !known:
			return errs.Invalid(fn, fmt.Sprintf("cost %q", name), c, "the model has no such stage")
		case c.IsNegative():
			return errs.Invalid(fn, fmt.Sprintf("stage %q cost", name), c, "negative cost")
		}
	}
	return nil
}
