package clv

import (
	"cmp"
	"errors"
	"io"
	"slices"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/csvx"
	"github.com/kpiflow/kpi/internal/errs"
)

// HoldoutGroup compares, for the customers with one calibration
// frequency, the purchases the BG/NBD model expected in the holdout period
// with those they made.
type HoldoutGroup struct {
	// Frequency is the number of repeat purchases in calibration; the last
	// group holds every customer with at least this many.
	Frequency int64 `json:"frequency"`

	// Customers is the number of customers in the group.
	Customers int64 `json:"customers"`

	// Actual is the mean number of holdout purchases per customer.
	Actual float64 `json:"actual"`

	// Predicted is the mean of ConditionalPurchases over the holdout
	// length per customer.
	Predicted float64 `json:"predicted"`
}

// Holdout checks the model against the holdout period of s, in the manner
// of Fader, Hardie and Lee (2005), Figure 4: customers are grouped by
// calibration frequency x = 0, 1, …, groups−2, with the last group holding
// every x ≥ groups−1, and each group's mean holdout purchases are set
// beside the mean of their conditional expectations,
//
//	Predicted = Σ E[Y(t*) | xᵢ, t_xᵢ, Tᵢ] / n,  t* = s.HoldoutLength
//
// Groups with no customer are left out, so groups may be any number ≥ 1:
// time and memory grow with the customers, not with groups.
//
// Errors: groups < 1, an invalid History, a negative Holdout, no customers
// wrap kpi.ErrInvalid; those of ConditionalPurchases, naming the customer.
func (m BGNBD) Holdout(s Summary, groups int) (HoldoutGroups, error) {
	if err := m.usable("clv.BGNBD.Holdout", "BGNBD"); err != nil {
		return nil, err
	}
	const fn = "clv.BGNBD.Holdout"
	if groups < 1 {
		return nil, errs.Invalid(fn, "groups", groups, "must be ≥ 1")
	}
	if !(s.HoldoutLength >= 0) || !finite(s.HoldoutLength) {
		return nil, errs.Invalid(fn, "holdout length", s.HoldoutLength, "must be a finite number ≥ 0")
	}
	if len(s.Customers) == 0 {
		return nil, errs.Invalid(fn, "len(customers)", 0, "no customers")
	}
	// The groups are made as customers reach them, so that their number
	// is at most that of the customers whatever groups asks for (a dense
	// slice of groups panicked at 2⁵⁰); each group sums its customers in
	// the order given.
	var out HoldoutGroups
	index := map[int64]int{}
	for i := range s.Customers {
		c := &s.Customers[i]
		if err := checkCustomer(fn, s.Customers, i); err != nil {
			return nil, err
		}
		if c.Holdout < 0 {
			return nil, errs.Invalid(fn, customerArg(s.Customers, i)+" holdout", c.Holdout, "negative count of purchases")
		}
		e, err := m.grow(fn, float64(c.Frequency), m.alpha+c.Age, s.HoldoutLength)
		if err != nil {
			var ke *kpi.Error
			if errors.As(err, &ke) {
				k := *ke
				k.Arg = k.Arg + " for " + customerArg(s.Customers, i)
				return nil, &k
			}
			return nil, err
		}
		f := min(c.Frequency, int64(groups-1))
		k, ok := index[f]
		if !ok {
			k = len(out)
			index[f] = k
			out = append(out, HoldoutGroup{Frequency: f})
		}
		g := &out[k]
		g.Customers++
		g.Actual += float64(c.Holdout)
		g.Predicted += e * m.alive(c.History)
	}
	for i := range out {
		g := &out[i]
		g.Actual /= float64(g.Customers)
		g.Predicted /= float64(g.Customers)
	}
	slices.SortFunc(out, func(a, b HoldoutGroup) int { return cmp.Compare(a.Frequency, b.Frequency) })
	return out, nil
}

// HoldoutGroups is the check of a BG/NBD model against a holdout period,
// one HoldoutGroup per calibration frequency, as BGNBD.Holdout returns it.
type HoldoutGroups []HoldoutGroup

// WriteCSV writes the groups as CSV (RFC 4180, UTF-8, a header row,
// numbers unformatted), one row per group, lowest frequency first, under
// the JSON keys of HoldoutGroup:
//
//	frequency,customers,actual,predicted
//	0,1411,0.2367,0.2261
//
// A nil w is an error wrapping kpi.ErrInvalid; otherwise the error is the
// first of w.
func (hs HoldoutGroups) WriteCSV(w io.Writer) error {
	c, err := csvx.New("clv.HoldoutGroups.WriteCSV", w, "frequency", "customers", "actual", "predicted")
	if err != nil {
		return err
	}
	for _, g := range hs {
		c.Int(g.Frequency)
		c.Int(g.Customers)
		c.Float(g.Actual)
		c.Float(g.Predicted)
		if err := c.Row(); err != nil {
			return err
		}
	}
	return c.Flush()
}
