package cohort_test

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// wantKPIError fails t unless err is a *kpi.Error of a known class.
func wantKPIError(t *testing.T, err error) {
	t.Helper()
	var ke *kpi.Error
	if !errors.As(err, &ke) || !(errors.Is(err, kpi.ErrInvalid) || errors.Is(err, kpi.ErrUndefined) || errors.Is(err, cohort.ErrUnbounded) || errors.Is(err, cohort.ErrImmature)) {
		t.Fatalf("not a kpi.Error of a known class: %v", err)
	}
}

// FuzzSBGSeries fits and estimates the sBG on two survivor series of
// int64 counts from the fuzzer (up to 2⁶³−1, the second a copy of the
// first cut at split, shifted by a fuzzed share), builds the hand-made
// table of those cohorts, and asks every method at a fuzzed age, level,
// discount and renewal. FitSBG, EstimateSBG and Table.FitSBG either fail
// with a kpi.Error (kpi.ErrInvalid for a negative or rising series) or
// return finite positive parameters; the model's survival is in [0, 1]
// and non-increasing, its retention in [0, 1], its lifetime ≥ 1 or
// ErrUnbounded for α ≤ 1, its DERL in (0, (1+d)/d]; the estimate's
// intervals contain their estimates within the quantity's range or fail,
// wrapping kpi.ErrInvalid, exactly for a level outside (0, 1). The table's
// logo retentions are shares in [0, 1] equal to a count by hand, and its
// Periods hold every new account once, or are nil when a month's counts
// add up beyond int64.
func FuzzSBGSeries(f *testing.F) {
	f.Add(int64(1000), int64(631), int64(468), int64(382), int64(326), uint8(3), 0.95, 0.1, 4, 2)
	f.Add(int64(0), int64(0), int64(0), int64(0), int64(0), uint8(2), 0.5, 1e-6, 1, 0)
	f.Add(int64(1), int64(1), int64(1), int64(1), int64(1), uint8(5), 1e-17, 1e17, 1, 1)
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64-1), int64(1<<62), int64(1<<40), int64(1), uint8(4), 0.9999999999999999, 1e-6, 1000, 3)
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64), uint8(4), 0.9, 0.05, 2, 4)
	f.Add(int64(10), int64(11), int64(3), int64(2), int64(1), uint8(4), 0.9, 0.05, 2, -1)
	f.Add(int64(10), int64(5), int64(-1), int64(0), int64(0), uint8(4), math.NaN(), math.NaN(), 0, 1)
	f.Add(int64(1<<50), int64(1<<49), int64(1<<48), int64(1<<47), int64(1<<46), uint8(5), 1.0, 1e-17, 1, 1000)
	f.Fuzz(func(t *testing.T, s0, s1, s2, s3, s4 int64, split uint8, level, d float64, n, age int) {
		s := []int64{s0, s1, s2, s3, s4}
		series := [][]int64{s}
		if k := int(split%6) + 1; k < len(s) {
			series = append(series, s[:k])
		}
		valid := true
		for i, v := range s {
			if v < 0 || (i > 0 && v > s[i-1]) {
				valid = false
			}
		}
		m, err := cohort.FitSBG(series...)
		if !valid && !errors.Is(err, kpi.ErrInvalid) {
			t.Fatalf("FitSBG of %v: %v, %v", series, m, err)
		}
		if err != nil {
			wantKPIError(t, err)
		} else {
			checkSBG(t, m, d, n, age)
		}
		e, err := cohort.EstimateSBG(series...)
		if err != nil {
			wantKPIError(t, err)
		} else {
			checkSBGEstimate(t, e, level, d, n, age)
		}
		if valid {
			checkSeriesTable(t, series, age)
		}
	})
}

// checkSBG checks the model's survival, retention, lifetime and DERL.
func checkSBG(t *testing.T, m cohort.SBG, d float64, n, age int) {
	t.Helper()
	a, b := m.Alpha(), m.Beta()
	if !(a > 0 && b > 0) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		t.Fatalf("α %v β %v", a, b)
	}
	age = age % 1000
	prev := 1.0
	for _, k := range []int{0, 1, 2, max(3, age)} {
		v, r := m.Survival(k), m.Retention(k)
		if !(v >= 0 && v <= prev) || !(r >= 0 && r <= 1) {
			t.Fatalf("%v: S(%d) = %v after %v, r = %v", m, k, v, prev, r)
		}
		prev = v
	}
	l, err := m.Lifetime()
	switch {
	case a <= 1:
		if !errors.Is(err, cohort.ErrUnbounded) {
			t.Fatalf("%v: lifetime %v, %v", m, l, err)
		}
	case err != nil:
		wantKPIError(t, err)
	case !(l >= 1) || math.IsNaN(l):
		t.Fatalf("%v: lifetime %v", m, l)
	}
	v, err := m.DERL(d, n)
	if n < 1 || !(d >= cohort.MinDiscount) || math.IsInf(d, 0) {
		if !errors.Is(err, kpi.ErrInvalid) {
			t.Fatalf("DERL(%v, %d): %v, %v", d, n, v, err)
		}
	} else if err != nil {
		wantKPIError(t, err)
	} else if !(v > 0 && v <= (1+d)/d*(1+1e-12)) {
		t.Fatalf("%v: DERL(%v, %d) = %v", m, d, n, v)
	}
}

// checkSBGEstimate checks every method of e at level.
func checkSBGEstimate(t *testing.T, e cohort.SBGEstimate, level, d float64, n, age int) {
	t.Helper()
	bad := !(level > 0 && level < 1)
	check := func(name string, v float64, iv kpi.Interval, err error, lo, hi float64) {
		t.Helper()
		switch {
		case bad:
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("%s at level %v: %v", name, level, err)
			}
		case err != nil:
			wantKPIError(t, err)
		case !(lo <= iv.Lo && iv.Lo <= v && v <= iv.Hi && iv.Hi <= hi) || math.IsNaN(v):
			t.Fatalf("%s = %v %v, want inside [%v, %v]", name, v, iv, lo, hi)
		}
	}
	ps, err := e.Parameters(level)
	if err == nil {
		for _, p := range ps {
			check("parameter "+p.Name, p.Value, p.Interval, nil, 0, math.Inf(1))
		}
	} else if bad != errors.Is(err, kpi.ErrInvalid) {
		t.Fatalf("Parameters(%v): %v", level, err)
	}
	age = age % 1000
	v, iv, err := e.Survival(age, level)
	check("Survival", v, iv, err, 0, 1)
	v, iv, err = e.Retention(age, level)
	check("Retention", v, iv, err, 0, 1)
	if n >= 1 && d >= cohort.MinDiscount && !math.IsInf(d, 0) {
		v, iv, err = e.DERL(d, n, level)
		check("DERL", v, iv, err, 0, math.Inf(1))
		cash := decimal.New(125, 0)
		r, miv, err := e.ResidualValue(cash, d, n, level)
		if err == nil && (r.IsNegative() || miv.Lo.GreaterThan(r.Add(decimal.New(1, -6))) || r.GreaterThan(miv.Hi.Add(decimal.New(1, -6)))) {
			t.Fatalf("ResidualValue = %v %v", r, miv)
		}
		if err != nil {
			wantKPIError(t, err)
		}
	}
}

// checkSeriesTable builds by hand the monthly table whose cohorts, from
// 2024-01, have the survivor series as their active customers, and checks
// its logo retentions against the counts, its Periods' new accounts and
// its FitSBG against FitSBG of the series.
func checkSeriesTable(t *testing.T, series [][]int64, age int) {
	t.Helper()
	jan := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tab := &cohort.Table{Grain: cohort.Month, Through: jan.AddDate(0, len(series[0])-1, 0)}
	for i, s := range series {
		c := cohort.Cohort{Start: jan.AddDate(0, i, 0), Size: s[0]}
		if i > 0 && len(s) > len(series[0])-i {
			s = s[:len(series[0])-i] // ends at Through
		}
		for a, v := range s {
			cell := cohort.Cell{Active: v, Survivors: v}
			if a == 0 {
				cell.Movement.NewAccounts = v
			} else {
				cell.Movement.OpeningAccounts, cell.Movement.Churned = s[a-1], s[a-1]-v
			}
			c.Cells = append(c.Cells, cell)
		}
		tab.Cohorts = append(tab.Cohorts, c)
	}
	for _, a := range []int{0, 1, age % 8} {
		var act, size float64
		reached := false
		for _, c := range tab.Cohorts {
			if a >= 0 && a < len(c.Cells) {
				act += float64(c.Cells[a].Active)
				size += float64(c.Size)
				reached = true
			}
			r, err := c.LogoRetention(a)
			switch {
			case a < 0:
				if !errors.Is(err, kpi.ErrInvalid) {
					t.Fatalf("LogoRetention(%d): %v", a, err)
				}
			case a >= len(c.Cells):
				if !errors.Is(err, cohort.ErrImmature) {
					t.Fatalf("LogoRetention(%d) of %d cells: %v", a, len(c.Cells), err)
				}
			case err != nil:
				wantKPIError(t, err)
			default:
				if v, err := r.Value(); err == nil && !(v >= 0 && v <= 1) {
					t.Fatalf("LogoRetention(%d) = %v", a, v)
				}
			}
		}
		r, err := tab.LogoRetention(a)
		if a >= 0 && reached && err == nil {
			if v, err := r.Value(); err == nil && (!(v >= 0 && v <= 1) || math.Abs(v-act/size) > 1e-9) {
				t.Fatalf("table LogoRetention(%d) = %v, by hand %v", a, v, act/size)
			}
		} else if err != nil {
			wantKPIError(t, err)
		}
	}
	ps := tab.Periods()
	if wrapsPeriods(tab, len(series[0])) {
		// A count of accounts adds up past 2⁶³ − 1 in some month: Periods
		// has no int64 for it and returns nil (it wrapped before).
		if ps != nil {
			t.Fatalf("Periods of counts beyond int64: %d periods", len(ps))
		}
		return
	}
	if len(ps) != len(series[0]) {
		t.Fatalf("%d periods for %d months", len(ps), len(series[0]))
	}
	var newAcc, want int64
	for _, p := range ps {
		newAcc += p.NewAccounts
	}
	for _, c := range tab.Cohorts {
		want += c.Cells[0].Active
	}
	if newAcc != want {
		t.Fatalf("periods hold %d new accounts, the cohorts %d", newAcc, want)
	}
	if _, err := tab.FitSBG(); err != nil {
		wantKPIError(t, err)
	}
}

// wrapsPeriods reports, by exact sums, whether some month's count of
// opening, new, reactivated or churned accounts over the cohorts of tab
// (monthly from January 2024, n months) lies beyond int64.
func wrapsPeriods(tab *cohort.Table, n int) bool {
	sums := make([][4]big.Int, n+len(tab.Cohorts))
	var v big.Int
	for i, c := range tab.Cohorts {
		for a, cell := range c.Cells {
			m := cell.Movement
			for f, x := range [4]int64{m.OpeningAccounts, m.NewAccounts, m.Reactivated, m.Churned} {
				sums[i+a][f].Add(&sums[i+a][f], v.SetInt64(x))
			}
		}
	}
	for p := range sums {
		for f := range sums[p] {
			if !sums[p][f].IsInt64() {
				return true
			}
		}
	}
	return false
}
