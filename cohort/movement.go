package cohort

import (
	"fmt"
	"math"
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
)

// Movement is how recurring revenue moved from one period to the next: the
// opening revenue and accounts at the end of the previous period and the
// flows that turn them into the closing ones. All amounts are ≥ 0; losses
// are positive amounts that are subtracted.
//
//	closing = Opening + New + Expansion + Reactivation − Contraction − Churn
//
// An account is paying in a period when its revenue there is positive. New
// is the revenue of accounts paying for the first time, Reactivation that
// of accounts paying again after one or more periods without revenue,
// Expansion and Contraction the rises and falls of accounts paying in both
// periods, Churn the previous revenue of accounts that stopped paying.
type Movement struct {
	Opening      decimal.Decimal `json:"opening"`      // revenue at the end of the previous period
	New          decimal.Decimal `json:"new"`          // from accounts paying for the first time
	Expansion    decimal.Decimal `json:"expansion"`    // increases of accounts paying in both periods
	Reactivation decimal.Decimal `json:"reactivation"` // from accounts paying again after a gap
	Contraction  decimal.Decimal `json:"contraction"`  // decreases of accounts paying in both periods
	Churn        decimal.Decimal `json:"churn"`        // previous revenue of accounts that stopped paying

	OpeningAccounts int64 `json:"openingAccounts"` // accounts paying in the previous period
	NewAccounts     int64 `json:"newAccounts"`     // accounts paying for the first time
	Reactivated     int64 `json:"reactivated"`     // accounts paying again after a gap
	Churned         int64 `json:"churned"`         // accounts that stopped paying
}

// add adds o's amounts and counts to m.
//
// It reports whether a count's sum wrapped around int64, which only
// counts of a Movement built by hand can do.
func (m *Movement) add(o Movement) (wrapped bool) {
	m.Opening = m.Opening.Add(o.Opening)
	m.New = m.New.Add(o.New)
	m.Expansion = m.Expansion.Add(o.Expansion)
	m.Reactivation = m.Reactivation.Add(o.Reactivation)
	m.Contraction = m.Contraction.Add(o.Contraction)
	m.Churn = m.Churn.Add(o.Churn)
	var w [4]bool
	m.OpeningAccounts, w[0] = addInt64(m.OpeningAccounts, o.OpeningAccounts)
	m.NewAccounts, w[1] = addInt64(m.NewAccounts, o.NewAccounts)
	m.Reactivated, w[2] = addInt64(m.Reactivated, o.Reactivated)
	m.Churned, w[3] = addInt64(m.Churned, o.Churned)
	return w[0] || w[1] || w[2] || w[3]
}

// Closing returns the revenue at the end of the period,
//
//	Opening + New + Expansion + Reactivation − Contraction − Churn.
//
// Special case: the sum is defined for amounts within the library's bound
// on money (30 digits before the point, 18 after it), which every
// Movement of Builder.Table and Table.Periods keeps. A movement built by
// hand with an amount beyond it, such as decimal.New(1, math.MaxInt32),
// whose exact sum would take minutes and gigabytes, has closing 0, found
// in time bounded whatever the amounts; LogoChurn and the ratios return an
// error naming that amount.
func (m Movement) Closing() decimal.Decimal {
	if m.outOfBound() != "" {
		return decimal.Zero
	}
	return m.Opening.Add(m.New).Add(m.Expansion).Add(m.Reactivation).Sub(m.Contraction).Sub(m.Churn)
}

// amount is one of a movement's amounts and its field's name.
type amount struct {
	name string
	v    decimal.Decimal
}

// amounts returns the movement's six amounts in the order of its fields.
func (m Movement) amounts() [6]amount {
	return [6]amount{{"Opening", m.Opening}, {"New", m.New}, {"Expansion", m.Expansion},
		{"Reactivation", m.Reactivation}, {"Contraction", m.Contraction}, {"Churn", m.Churn}}
}

// outOfBound returns the name of the first amount beyond the library's
// bound on money, or "" when there is none, in time bounded whatever the
// amounts.
func (m Movement) outOfBound() string {
	for _, a := range m.amounts() {
		if money.Check(a.v) != "" {
			return a.name
		}
	}
	return ""
}

// ClosingAccounts returns the accounts paying at the end of the period,
//
//	OpeningAccounts + NewAccounts + Reactivated − Churned.
//
// Special case: every Movement of Builder.Table and Table.Periods adds up
// within int64. For one built by hand whose sum lies beyond it, such as
// OpeningAccounts and NewAccounts both math.MaxInt64, ClosingAccounts is
// math.MaxInt64 (math.MinInt64 below), where the sum would wrap around
// (to 3 for that example plus 5 reactivated); the sum is exact whenever it
// lies within int64, whatever the order of its terms.
func (m Movement) ClosingAccounts() int64 {
	a, o1 := addInt64(m.OpeningAccounts, m.NewAccounts)
	a, o2 := addInt64(a, m.Reactivated)
	a, o3 := addInt64(a, -m.Churned)
	if !o1 && !o2 && !o3 && m.Churned != math.MinInt64 {
		return a
	}
	var s, v big.Int
	s.SetInt64(m.OpeningAccounts)
	s.Add(&s, v.SetInt64(m.NewAccounts))
	s.Add(&s, v.SetInt64(m.Reactivated))
	s.Sub(&s, v.SetInt64(m.Churned))
	switch {
	case s.IsInt64():
		return s.Int64()
	case s.Sign() > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}

// addInt64 returns x + y and whether the sum wrapped around.
func addInt64(x, y int64) (int64, bool) {
	s := x + y
	return s, (x >= 0) == (y >= 0) && (s >= 0) != (x >= 0)
}

// check reports the first amount beyond the library's bound on money,
// negative amount or count, churn above the opening, or lost revenue
// above the opening revenue.
func (m Movement) check(fn string) error {
	for _, a := range m.amounts() {
		if err := errs.Money(fn, a.name, a.v); err != nil {
			return err
		}
		if a.v.IsNegative() {
			return errs.Invalid(fn, a.name, a.v, "negative amount")
		}
	}
	counts := []struct {
		name string
		v    int64
	}{{"OpeningAccounts", m.OpeningAccounts}, {"NewAccounts", m.NewAccounts},
		{"Reactivated", m.Reactivated}, {"Churned", m.Churned}}
	for _, c := range counts {
		if c.v < 0 {
			return errs.Invalid(fn, c.name, c.v, "negative count")
		}
	}
	if m.Churned > m.OpeningAccounts {
		return errs.Invalid(fn, "Churned", m.Churned, fmt.Sprintf("exceeds OpeningAccounts %d", m.OpeningAccounts))
	}
	if lost := m.Contraction.Add(m.Churn); lost.GreaterThan(m.Opening) {
		return errs.Invalid(fn, "Contraction + Churn", lost, fmt.Sprintf("exceeds Opening %v", m.Opening))
	}
	return nil
}

// opening returns the error for a zero opening revenue.
func noOpening(fn string) error {
	return errs.Undefined(fn, "Opening", 0, "no opening revenue to retain")
}

// LogoChurn returns the share of opening accounts that stopped paying,
// Churned / OpeningAccounts, as a kpi.Rate (so it has intervals). With no
// opening accounts the rate has no trials and its Value is undefined.
// Errors, wrapping kpi.ErrInvalid: an amount beyond the library's bound
// on money (30 digits before the point, 18 after it), a negative field,
// Churned above OpeningAccounts, Contraction + Churn above Opening.
func (m Movement) LogoChurn() (kpi.Rate, error) {
	if err := m.check("cohort.Movement.LogoChurn"); err != nil {
		return kpi.Rate{}, err
	}
	return kpi.NewRate(m.Churned, m.OpeningAccounts)
}

// GrossChurn returns the gross revenue churn,
//
//	(Contraction + Churn) / Opening.
//
// Errors: invalid fields as for LogoChurn; a zero Opening wraps
// kpi.ErrUndefined.
func (m Movement) GrossChurn() (float64, error) {
	const fn = "cohort.Movement.GrossChurn"
	if err := m.check(fn); err != nil {
		return 0, err
	}
	if m.Opening.IsZero() {
		return 0, noOpening(fn)
	}
	return ratio(m.Contraction.Add(m.Churn), m.Opening), nil
}

// NetChurn returns the net revenue churn, negative when expansion
// outweighs losses,
//
//	(Contraction + Churn − Expansion) / Opening.
//
// Errors as for GrossChurn.
func (m Movement) NetChurn() (float64, error) {
	const fn = "cohort.Movement.NetChurn"
	if err := m.check(fn); err != nil {
		return 0, err
	}
	if m.Opening.IsZero() {
		return 0, noOpening(fn)
	}
	return ratio(m.Contraction.Add(m.Churn).Sub(m.Expansion), m.Opening), nil
}

// GRR returns the gross revenue retention, the share of opening revenue
// kept without counting expansion,
//
//	(Opening − Contraction − Churn) / Opening = 1 − GrossChurn.
//
// Errors as for GrossChurn.
func (m Movement) GRR() (float64, error) {
	const fn = "cohort.Movement.GRR"
	if err := m.check(fn); err != nil {
		return 0, err
	}
	if m.Opening.IsZero() {
		return 0, noOpening(fn)
	}
	return ratio(m.Opening.Sub(m.Contraction).Sub(m.Churn), m.Opening), nil
}

// NRR returns the net revenue retention of the opening accounts,
//
//	(Opening + Expansion − Contraction − Churn) / Opening = 1 − NetChurn.
//
// New and reactivated revenue do not count: those accounts were not in
// the opening. Errors as for GrossChurn.
func (m Movement) NRR() (float64, error) {
	const fn = "cohort.Movement.NRR"
	if err := m.check(fn); err != nil {
		return 0, err
	}
	if m.Opening.IsZero() {
		return 0, noOpening(fn)
	}
	return ratio(m.Opening.Add(m.Expansion).Sub(m.Contraction).Sub(m.Churn), m.Opening), nil
}

// QuickRatio returns the SaaS quick ratio, revenue gained over revenue
// lost,
//
//	(New + Expansion + Reactivation) / (Contraction + Churn).
//
// Errors: invalid fields as for LogoChurn; with nothing lost the ratio is
// infinite and the error wraps ErrUnbounded (or kpi.ErrUndefined alone
// when nothing was gained either).
func (m Movement) QuickRatio() (float64, error) {
	const fn = "cohort.Movement.QuickRatio"
	if err := m.check(fn); err != nil {
		return 0, err
	}
	gained, lost := m.New.Add(m.Expansion).Add(m.Reactivation), m.Contraction.Add(m.Churn)
	if lost.IsZero() {
		if gained.IsZero() {
			return 0, errs.Undefined(fn, "Contraction + Churn", 0, "no revenue gained or lost")
		}
		return 0, errs.Class(fn, "Contraction + Churn", 0, "no revenue lost: the quick ratio is unbounded", ErrUnbounded)
	}
	return ratio(gained, lost), nil
}
