package cohort

import (
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
)

// Projection is one cohort's observed and projected survivors and its
// lifetime value per acquired customer. In this package a projection
// runs a cohort's survival forward in time with an sBG model (see
// Table.Project); it is not funnel's Projection, which carries stage
// volumes through conversion rates.
type Projection struct {
	Start    time.Time `json:"start"`    // the cohort's acquisition period
	Observed int       `json:"observed"` // ages with data: Survivors[:Observed] are counts

	// Survivors[a] for ages a < horizon: the cohort's Cell.Survivors where
	// observed, and after the last observed age k the sBG expectation
	//
	//	Survivors[k] · S(a)/S(k)
	Survivors []float64 `json:"survivors"`

	// Retention[a] = Survivors[a] / Survivors[0]; nil when no customer of
	// the cohort ever paid.
	Retention []float64 `json:"retention"`

	// LTV per acquired customer: gross margin × (revenue to date + the
	// expected revenue after the last observed age k, each future period
	// at the revenue of age k per survivor, discounted to the end of age
	// k) ÷ Size, rounded to 6 decimal places. The future part is
	//
	//	Revenue[k] · DERL(d, k+1) / (1+d)
	LTV decimal.Decimal `json:"ltv"`
}

// FitSBG fits the sBG model to the Survivors of every cohort in the table,
// each observed up to its own last age; see the function FitSBG. Its
// errors name the table's cells, such as Cohorts[2].Cells[3].Survivors.
func (t *Table) FitSBG() (SBG, error) {
	m, _, err := fitSBG("cohort.Table.FitSBG", t.survivors(), tableArgs)
	return m, err
}

// survivors returns the Survivors of every cohort, one series a cohort.
func (t *Table) survivors() [][]int64 {
	series := make([][]int64, len(t.Cohorts))
	for i, c := range t.Cohorts {
		s := make([]int64, len(c.Cells))
		for a, cell := range c.Cells {
			s[a] = cell.Survivors
		}
		series[i] = s
	}
	return series
}

// maxHorizon bounds Project's horizon: 10 000 periods is 192 years of
// weeks.
const maxHorizon = 10_000

// Project projects every cohort of the table with model m to horizon ages
// (0 … horizon−1) and values its customers at gross margin margin and
// discount rate discount per period; see Projection.
//
// Errors, wrapping kpi.ErrInvalid: horizon outside [1, 10000] (the result
// holds horizon numbers per cohort), cohorts × horizon above MaxCells (10⁷,
// checked before anything is allocated), margin outside (0, 1], discount not a
// finite number ≥ MinDiscount, a cohort with no cells or a size ≤ 0, a
// cell's revenue beyond the library's bound on money (30 digits before
// the point, 18 after it; a table built by hand may hold any
// decimal.Decimal), and a cohort's LTV beyond that bound (revenue near the
// bound over many ages, or a small discount and churn, can take it there;
// the writers would refuse it).
// The zero SBG (as a failed FitSBG returns) is an error wrapping
// kpi.ErrInvalid that says to use NewSBG or FitSBG.
func (t *Table) Project(m SBG, horizon int, margin, discount float64) (Projections, error) {
	const fn = "cohort.Table.Project"
	if err := m.usable("cohort.Table.Project", "model"); err != nil {
		return nil, err
	}
	if horizon < 1 || horizon > maxHorizon {
		return nil, errs.Invalid(fn, "horizon", horizon, "must lie in [1, 10000]")
	}
	if err := checkMargin(fn, margin); err != nil {
		return nil, err
	}
	if err := checkDiscount(fn, discount); err != nil {
		return nil, err
	}
	// The result holds two float64s a cohort and an age: count them
	// before allocating (10⁶ cohorts at horizon 10⁴ would take 160 GB).
	if n := int64(len(t.Cohorts)) * int64(horizon); n > MaxCells {
		return nil, errs.Invalid(fn, "cohorts × horizon", n,
			fmt.Sprintf("%d cohorts at horizon %d: a projection of more than MaxCells (%d) cohort ages", len(t.Cohorts), horizon, MaxCells))
	}
	out := make(Projections, len(t.Cohorts))
	mg := decimal.NewFromFloat(margin)
	var ls []float64 // ln S(a) for a < horizon, made for the first cohort that needs it

	for i, c := range t.Cohorts {
		if len(c.Cells) == 0 || c.Size <= 0 {
			return nil, errs.Invalid(fn, "cohort of "+c.Start.Format(time.DateOnly), c.Size, "has no cells or no customers")
		}
		k := len(c.Cells) - 1
		p := Projection{Start: c.Start, Observed: min(len(c.Cells), horizon), Survivors: make([]float64, horizon)}
		for a := range p.Survivors {
			if a <= k {
				p.Survivors[a] = float64(c.Cells[a].Survivors)
			} else {
				if ls == nil {
					ls = m.logSurvivals(horizon)
				}
				p.Survivors[a] = float64(c.Cells[k].Survivors) * math.Exp(min(ls[a]-ls[k], 0))
			}
		}
		if p.Survivors[0] > 0 {
			p.Retention = make([]float64, horizon)
			for a, s := range p.Survivors {
				p.Retention[a] = s / p.Survivors[0]
			}
		}
		total := decimal.Zero
		for a, cell := range c.Cells {
			if err := checkRevenue(fn, c, a); err != nil {
				return nil, err
			}
			total = total.Add(cell.Revenue)
		}
		derl, err := m.DERL(discount, k+1)
		if err != nil {
			return nil, err
		}
		total = total.Add(c.Cells[k].Revenue.Mul(decimal.NewFromFloat(derl / (1 + discount))))
		p.LTV = total.Mul(mg).DivRound(decimal.NewFromInt(c.Size), places)
		if err := checkLTV(fn, "LTV", c, p.LTV); err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// checkLTV returns an error naming what, an LTV of cohort c, when v lies
// beyond the library's bound on money; the name is built only then.
func checkLTV(fn, what string, c Cohort, v decimal.Decimal) error {
	if money.Check(v) == "" {
		return nil
	}
	return errs.Money(fn, what+" of the cohort of "+c.Start.Format(time.DateOnly), v)
}
