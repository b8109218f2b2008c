package cohort_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// FuzzBuilder feeds records made from fuzzed fields to a Builder and checks
// that Table either fails with a kpi.Error or returns a table whose cells
// are consistent: revenue is the movement's closing, actives the closing
// accounts, survivors never rise with age and the immature corner is
// absent.
func FuzzBuilder(f *testing.F) {
	f.Add("a", int16(0), uint8(0), "100", int16(1), "b", int16(2), int16(5), uint8(1))
	f.Add("a", int16(3), uint8(2), "-5", int16(0), "a", int16(-1), int16(1), uint8(0))
	f.Add("x", int16(0), uint8(9), "0.0000001", int16(4), "y", int16(1), int16(-3), uint8(2))
	f.Add("", int16(100), uint8(1), "1e20", int16(30000), "z", int16(9), int16(9), uint8(3))
	f.Fuzz(func(t *testing.T, id string, acq int16, n uint8, amount string, at int16, id2 string, acq2, end int16, grain uint8) {
		b, err := cohort.NewBuilder(cohort.Grain(grain % 4))
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatal(err)
			}
			return
		}
		base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		amt, err := decimal.NewFromString(amount)
		if err != nil {
			amt = decimal.NewFromInt(int64(n))
		}
		check := func(err error) {
			var ke *kpi.Error
			if err != nil && !errors.As(err, &ke) {
				t.Fatalf("not a kpi.Error: %v", err)
			}
		}
		check(b.Add(cohort.Customer{ID: id, Acquired: base.AddDate(0, 0, 7*int(acq))}))
		check(b.Add(cohort.Customer{ID: id2, Acquired: base.AddDate(0, 0, 7*int(acq2)), Segment: id}))
		for k := range int(n % 16) {
			check(b.Add(cohort.Revenue{CustomerID: id, At: base.AddDate(0, 0, 7*(int(at)+k)), Amount: amt}))
			check(b.Add(cohort.Revenue{CustomerID: id2, At: base.AddDate(0, 0, 7*(int(acq2)+k*int(n%3))), Amount: decimal.NewFromInt(int64(k))}))
		}
		check(b.Add(cohort.Subscription{CustomerID: id2, Start: base.AddDate(0, 0, 7*int(acq2)), End: base.AddDate(0, 0, 7*int(end)), Amount: amt}))
		tab, err := b.Table(base.AddDate(0, 0, 7*int(max(acq, acq2, at, end))))
		check(err)
		if err != nil {
			return
		}
		ages := tab.Ages()
		for _, c := range tab.Cohorts {
			if c.Size <= 0 || len(c.Cells) == 0 || len(c.Cells) > ages {
				t.Fatalf("cohort %v: size %d, %d cells", c.Start, c.Size, len(c.Cells))
			}
			for a, cell := range c.Cells {
				if !cell.Revenue.Equal(cell.Movement.Closing()) || cell.Active != cell.Movement.ClosingAccounts() {
					t.Fatalf("cohort %v age %d: inconsistent cell %+v", c.Start, a, cell)
				}
				if a > 0 && cell.Survivors > c.Cells[a-1].Survivors || cell.Survivors < cell.Active || cell.Survivors > c.Size {
					t.Fatalf("cohort %v age %d: survivors %d", c.Start, a, cell.Survivors)
				}
			}
			if last := c.Cells[len(c.Cells)-1]; last.Survivors != last.Active {
				t.Fatalf("cohort %v: last survivors %d, active %d", c.Start, last.Survivors, last.Active)
			}
		}
		for age := range ages + 1 {
			if r, err := tab.RevenueRetention(age); err == nil && (math.IsNaN(r) || r < 0) {
				t.Fatalf("revenue retention %v", r)
			}
		}
	})
}

// FuzzFitSBG fits survivor series built from fuzzed losses and checks that
// the fit either fails with a kpi.Error or returns finite positive
// parameters at which the log-likelihood is finite.
func FuzzFitSBG(f *testing.F) {
	f.Add(uint16(1000), uint16(369), uint16(163), uint16(86), uint16(56), uint16(37), uint8(8))
	f.Add(uint16(1000), uint16(131), uint16(126), uint16(90), uint16(60), uint16(42), uint8(8))
	f.Add(uint16(10), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint8(3))
	f.Add(uint16(10), uint16(10), uint16(0), uint16(0), uint16(0), uint16(0), uint8(4))
	f.Add(uint16(1), uint16(0), uint16(1), uint16(0), uint16(0), uint16(0), uint8(5))
	f.Fuzz(func(t *testing.T, n0, l1, l2, l3, l4, l5 uint16, split uint8) {
		losses := []uint16{l1, l2, l3, l4, l5}
		s := []int64{int64(n0)}
		for _, l := range losses {
			s = append(s, max(0, s[len(s)-1]-int64(l)))
		}
		series := [][]int64{s}
		if k := int(split%7) + 1; k < len(s) {
			series = [][]int64{s, s[:k]}
		}
		m, err := cohort.FitSBG(series...)
		if err != nil {
			var ke *kpi.Error
			if !errors.As(err, &ke) {
				t.Fatalf("not a kpi.Error: %v", err)
			}
			return
		}
		a, b := m.Alpha(), m.Beta()
		if !(a > 0 && b > 0) || math.IsInf(a, 0) || math.IsInf(b, 0) {
			t.Fatalf("α %v β %v", a, b)
		}
		ll, err := m.LogLikelihood(series...)
		if err != nil || math.IsNaN(ll) || math.IsInf(ll, 0) {
			t.Fatalf("log-likelihood %v, %v", ll, err)
		}
	})
}
