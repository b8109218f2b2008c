package cohort

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
)

// Table is a cohort table: customers grouped by the period they were
// acquired in, and for each cohort one Cell per period since acquisition
// (age 0 is the acquisition period) up to the table's last period.
//
// Cells a cohort has not reached yet are immature: they are not in its
// Cells at all, so a young cohort has fewer cells than an old one, and
// the methods that average over cohorts use only the cohorts that
// reached the age asked for.
//
// In this package a table is always this grid of cohorts by age, made by
// Builder.Table; attribution's Table, a channel-by-model grid of credit,
// is unrelated.
type Table struct {
	Grain   Grain     `json:"grain"`
	Through time.Time `json:"through"` // the first day of the table's last period
	Cohorts []Cohort  `json:"cohorts"` // cohorts with at least one customer, oldest first
}

// Cohort is the customers acquired in one period and their cells.
type Cohort struct {
	Start time.Time `json:"start"` // the first day of the acquisition period (UTC)
	Size  int64     `json:"size"`  // customers acquired
	Cells []Cell    `json:"cells"` // ages 0 … the last period reached
}

// Cell is what a cohort did at one age: in this package a cell is one
// cohort at one age of a Table (attribution's Cell is a channel's credit
// under one model).
//
// Survivors counts the customers with revenue at this age or at any later
// age observed: customers not yet lost for good, as the sBG model sees
// them. It never increases with age and equals Active at the cohort's
// last age.
type Cell struct {
	Active    int64           `json:"active"`    // customers with revenue in the period
	Survivors int64           `json:"survivors"` // customers paying now or later
	Revenue   decimal.Decimal `json:"revenue"`   // revenue in the period; Movement.Closing()
	Movement  Movement        `json:"movement"`  // from the previous age (all new at age 0)
}

// Period is the movement of the whole table's revenue in one calendar
// period, summed over cohorts.
type Period struct {
	Start time.Time `json:"start"` // the first day of the period
	Movement
}

// acc is a cell while it is being counted, in 10⁻⁶ units.
type acc struct {
	active, last, newAcc, react, churned    int64
	revenue, new, exp, reactU, contr, churn int64
}

// builderState carries the overflow flag through the hot loop.
type sumState struct{ overflow bool }

func (s *sumState) add(dst *int64, v int64) {
	t := *dst + v
	if t < *dst {
		s.overflow = true
	}
	*dst = t
}

// finish turns a cohort's accumulators into cells.
func finish(as []acc) []Cell {
	cells := make([]Cell, len(as))
	var surv int64
	for a := len(as) - 1; a >= 0; a-- {
		surv += as[a].last
		cells[a].Survivors = surv
	}
	for a, x := range as {
		m := &cells[a].Movement
		if a > 0 {
			m.Opening = cells[a-1].Revenue
			m.OpeningAccounts = cells[a-1].Active
		}
		m.New, m.NewAccounts = money.FromUnits(x.new), x.newAcc
		m.Expansion = money.FromUnits(x.exp)
		m.Reactivation, m.Reactivated = money.FromUnits(x.reactU), x.react
		m.Contraction = money.FromUnits(x.contr)
		m.Churn, m.Churned = money.FromUnits(x.churn), x.churned
		cells[a].Active = x.active
		cells[a].Revenue = money.FromUnits(x.revenue)
	}
	return cells
}

// label formats period i of grain g: "2024-03", "2024-Q1" or the Monday
// of the week, "2024-03-04".
func label(g Grain, i int64) string {
	s := g.start(i)
	switch g {
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", s.Year(), (int(s.Month())+2)/3)
	case Week:
		return s.Format(time.DateOnly)
	}
	return s.Format("2006-01")
}

// checkAge returns an error for a negative age.
func checkAge(fn string, age int) error {
	if age < 0 {
		return errs.Invalid(fn, "age", age, "negative")
	}
	return nil
}

// checkRevenue returns an error when the revenue of cohort c at age lies
// beyond the bound on money: a table made by hand may hold a
// decimal.Decimal whose sums and quotients would take minutes.
func checkRevenue(fn string, c Cohort, ages ...int) error {
	for _, a := range ages {
		if err := errs.Money(fn, fmt.Sprintf("revenue of the cohort of %s at age %d", c.Start.Format(time.DateOnly), a), c.Cells[a].Revenue); err != nil {
			return err
		}
	}
	return nil
}

// checkMoney returns an error naming the first amount of the table, a
// cell's revenue or an amount of its movement, beyond the library's bound
// on money, in time linear in the cells whatever the amounts: the writers
// would spell out billions of digits of decimal.New(1, math.MaxInt32).
func (t *Table) checkMoney(fn string) error {
	for _, c := range t.Cohorts {
		for a, cell := range c.Cells {
			name, v := "", cell.Revenue
			if money.Check(v) != "" {
				name = "revenue"
			} else {
				for _, m := range cell.Movement.amounts() {
					if money.Check(m.v) != "" {
						name, v = "movement's "+m.name, m.v
						break
					}
				}
			}
			if name != "" {
				return errs.Money(fn, fmt.Sprintf("%s of the cohort of %s at age %d", name, c.Start.Format(time.DateOnly), a), v)
			}
		}
	}
	return nil
}

func immature(fn string, age int, start time.Time) error {
	return errs.Class(fn, "age", age, "not reached by the cohort of "+start.Format(time.DateOnly), ErrImmature)
}

// LogoRetention returns the share of the cohort's customers paying at
// age, Cells[age].Active / Size, as a kpi.Rate.
//
// Errors: a negative age wraps kpi.ErrInvalid; an age the cohort has not
// reached wraps ErrImmature.
func (c Cohort) LogoRetention(age int) (kpi.Rate, error) {
	const fn = "cohort.Cohort.LogoRetention"
	if err := checkAge(fn, age); err != nil {
		return kpi.Rate{}, err
	}
	if age >= len(c.Cells) {
		return kpi.Rate{}, immature(fn, age, c.Start)
	}
	return kpi.NewRate(c.Cells[age].Active, c.Size)
}

// RevenueRetention returns the cohort's revenue at age as a share of its
// revenue at age 0 (above 1 when expansion outweighs churn),
//
//	Cells[age].Revenue / Cells[0].Revenue.
//
// Errors: as for LogoRetention; a revenue beyond the library's bound on
// money (30 digits before the point, 18 after it) wraps kpi.ErrInvalid;
// no revenue at age 0 wraps kpi.ErrUndefined.
func (c Cohort) RevenueRetention(age int) (float64, error) {
	const fn = "cohort.Cohort.RevenueRetention"
	if err := checkAge(fn, age); err != nil {
		return 0, err
	}
	if age >= len(c.Cells) {
		return 0, immature(fn, age, c.Start)
	}
	if err := checkRevenue(fn, c, 0, age); err != nil {
		return 0, err
	}
	if c.Cells[0].Revenue.IsZero() {
		return 0, errs.Undefined(fn, "revenue at age 0", 0, "no revenue to retain")
	}
	return ratio(c.Cells[age].Revenue, c.Cells[0].Revenue), nil
}

// Ages returns the number of ages in the table, the cells of its oldest
// cohort.
func (t *Table) Ages() int {
	n := 0
	for _, c := range t.Cohorts {
		n = max(n, len(c.Cells))
	}
	return n
}

// LogoRetention returns the logo retention at age pooled over the cohorts
// that reached it, each weighted by its size:
//
//	Σ Active(c, age) / Σ Size(c)   over cohorts c with a cell at age
//
// Younger cohorts do not count as zeros. Errors: a negative age wraps
// kpi.ErrInvalid; so does, for a Table built by hand, a negative size or
// active count, or sizes or active counts that add up past 2⁶³ − 1
// (kpi.NewRate then checks the pooled actives against the pooled sizes);
// an age no cohort reached wraps ErrImmature.
func (t *Table) LogoRetention(age int) (kpi.Rate, error) {
	const fn = "cohort.Table.LogoRetention"
	if err := checkAge(fn, age); err != nil {
		return kpi.Rate{}, err
	}
	var active, size int64
	for i, c := range t.Cohorts {
		if age >= len(c.Cells) {
			continue
		}
		a := c.Cells[age].Active
		switch {
		case c.Size < 0:
			return kpi.Rate{}, errs.Invalid(fn, fmt.Sprintf("Cohorts[%d].Size", i), c.Size, "negative size")
		case a < 0:
			return kpi.Rate{}, errs.Invalid(fn, fmt.Sprintf("Cohorts[%d].Cells[%d].Active", i, age), a, "negative count")
		case c.Size > math.MaxInt64-size:
			return kpi.Rate{}, errs.Invalid(fn, fmt.Sprintf("Cohorts[%d].Size", i), c.Size,
				"the sizes of the cohorts at this age add up past 2^63 − 1")
		case a > math.MaxInt64-active:
			// Sizes have not wrapped, so neither can actives that stay
			// within them; this is reached only with active > size.
			return kpi.Rate{}, errs.Invalid(fn, fmt.Sprintf("Cohorts[%d].Cells[%d].Active", i, age), a,
				"the active counts at this age add up past 2^63 − 1")
		}
		active += a
		size += c.Size
	}
	if size == 0 {
		return kpi.Rate{}, errs.Class(fn, "age", age, "reached by no cohort", ErrImmature)
	}
	return kpi.NewRate(active, size)
}

// RevenueRetention returns the revenue retention at age pooled over the
// cohorts that reached it, each weighted by its revenue at age 0:
//
//	Σ Revenue(c, age) / Σ Revenue(c, 0)   over cohorts c with a cell at age
//
// Errors: as for LogoRetention; a revenue beyond the library's bound on
// money wraps kpi.ErrInvalid; no revenue at age 0 in those cohorts wraps
// kpi.ErrUndefined.
func (t *Table) RevenueRetention(age int) (float64, error) {
	const fn = "cohort.Table.RevenueRetention"
	if err := checkAge(fn, age); err != nil {
		return 0, err
	}
	num, den, n := decimal.Zero, decimal.Zero, 0
	for _, c := range t.Cohorts {
		if age < len(c.Cells) {
			if err := checkRevenue(fn, c, 0, age); err != nil {
				return 0, err
			}
			num = num.Add(c.Cells[age].Revenue)
			den = den.Add(c.Cells[0].Revenue)
			n++
		}
	}
	if n == 0 {
		return 0, errs.Class(fn, "age", age, "reached by no cohort", ErrImmature)
	}
	if den.IsZero() {
		return 0, errs.Undefined(fn, "revenue at age 0", 0, "no revenue to retain")
	}
	return ratio(num, den), nil
}

// Periods returns the movement of the table's revenue in each calendar
// period from the first cohort's to the last, summed over the cohorts
// acquired by then: the input for NRR, GRR and the quick ratio of the
// whole customer base. The periods run from the earliest cohort's through
// the later of Through and the last age a cohort reached (the same period
// in a table of Builder.Table).
//
// Special cases: Periods returns nil for a table without cohorts, and for
// a table built by hand that Builder.Table never makes — an unknown
// Grain, Through or a cohort's Start outside the library's time range
// (kpi.MinYear through kpi.MaxYear; the zero time among them), an amount
// in a cell's Movement beyond the library's bound on money (30 digits
// before the point, 18 after it), or counts of accounts that add up in a
// period beyond int64 (they would wrap around, to −2 for two cohorts of
// math.MaxInt64 new accounts) — which it finds in time linear in the
// cells, whatever the amounts hold.
func (t *Table) Periods() Periods {
	if len(t.Cohorts) == 0 || !t.Grain.valid() || !errs.InRange(t.Through) {
		return nil
	}
	first, last := int64(math.MaxInt64), t.Grain.at(t.Through)
	for _, c := range t.Cohorts {
		if !errs.InRange(c.Start) {
			return nil
		}
		p := t.Grain.at(c.Start)
		first, last = min(first, p), max(last, p+int64(len(c.Cells))-1)
		for _, cell := range c.Cells {
			if cell.Movement.outOfBound() != "" {
				return nil
			}
		}
	}
	last = max(last, first)
	out := make(Periods, last-first+1)
	for i := range out {
		out[i].Start = t.Grain.start(first + int64(i))
	}
	for _, c := range t.Cohorts {
		off := t.Grain.at(c.Start) - first
		for a, cell := range c.Cells {
			if out[off+int64(a)].Movement.add(cell.Movement) {
				return nil
			}
		}
	}
	return out
}

// String formats the table as a grid of logo retention in percent, a row
// per cohort and a column per age; immature cells are left blank. A
// cohort is labelled by its period ("2024-03", "2024-Q1", the Monday of
// its week), or by its Start date in a hand-built table of an unknown
// Grain. It
// reads counts only, never an amount of money, so its cost is linear in
// the cells whatever their amounts (a hand-built cell may hold one beyond
// the library's bound on money).
func (t *Table) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-10s %6s", "cohort", "size")
	for a := range t.Ages() {
		fmt.Fprintf(&sb, " %5d", a)
	}
	sb.WriteByte('\n')
	for _, c := range t.Cohorts {
		lbl := c.Start.Format(time.DateOnly)
		if t.Grain.valid() {
			lbl = label(t.Grain, t.Grain.at(c.Start))
		}
		fmt.Fprintf(&sb, "%-10s %6d", lbl, c.Size)
		if c.Size <= 0 {
			sb.WriteByte('\n')
			continue
		}
		for _, cell := range c.Cells {
			fmt.Fprintf(&sb, " %4.0f%%", 100*float64(cell.Active)/float64(c.Size))
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}
