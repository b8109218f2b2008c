package funnel_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// FuzzVelocity feeds Velocity any counts, deal size (coefficient and
// exponent, reaching ±2³¹) and cycle. It must answer at once with an
// error wrapping kpi.ErrInvalid or kpi.ErrUndefined, or a velocity ≥ 0
// within the library's bound on money (its seed of 10⁹ deals of 10²⁵ a day
// gave 10³⁴) that agrees with the float formula to 1e-9 relative.
func FuzzVelocity(f *testing.F) {
	f.Add(int64(40), int64(6), int64(25), int64(24000), int32(0), int64(90*24*time.Hour))
	f.Add(int64(1), int64(1), int64(1), int64(1), int32(math.MaxInt32), int64(time.Hour))
	f.Add(int64(1), int64(1), int64(2), int64(7), int32(math.MinInt32), int64(1))
	f.Add(int64(math.MaxInt64), int64(1<<40), int64(1<<40), int64(math.MaxInt64), int32(-18), int64(math.MaxInt64))
	f.Add(int64(-1), int64(0), int64(0), int64(0), int32(0), int64(0))
	f.Fuzz(func(t *testing.T, opps, won, closed, coef int64, exp int32, cycle int64) {
		r, err := kpi.NewRate(won, closed)
		if err != nil {
			return
		}
		deal := decimal.New(coef, exp)
		v, err := funnel.Velocity(opps, r, deal, time.Duration(cycle))
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) && !errors.Is(err, kpi.ErrUndefined) {
				t.Fatalf("error of no class: %v", err)
			}
			return
		}
		if v.IsNegative() {
			t.Fatalf("negative velocity %v", v)
		}
		if !v.LessThan(decimal.New(1, 30)) {
			t.Fatalf("velocity %v beyond the bound on money", v)
		}
		want := float64(opps) * float64(won) / float64(closed) * deal.InexactFloat64() * float64(24*time.Hour) / float64(cycle)
		got := v.InexactFloat64()
		// The result is rounded to the deal size's places (at least 2).
		if tol := 1e-9*math.Abs(want) + math.Pow(10, -float64(max(2, -exp))); math.Abs(got-want) > tol {
			t.Fatalf("velocity %v, want about %g", v, want)
		}
	})
}

// FuzzCompareSegments compares two three-stage funnels of any counts by any
// method and confidence. It must return an error wrapping kpi.ErrInvalid,
// or spreads whose p-values lie in [0, 1] and whose intervals are ordered
// inside [0, 1] and, but for Jeffreys, contain the rate.
func FuzzCompareSegments(f *testing.F) {
	f.Add(int64(240), int64(96), int64(40), int64(100), int64(50), int64(20), 0, 0.95)
	f.Add(int64(1<<54), int64(1<<53), int64(1<<52), int64(10), int64(5), int64(1), 4, 0.95)
	f.Add(int64(1<<40), int64(1<<39), int64(3), int64(1<<40), int64(0), int64(0), 5, 1e-10)
	f.Add(int64(0), int64(0), int64(0), int64(1), int64(1), int64(1), 3, 0.999999)
	f.Fuzz(func(t *testing.T, a0, a1, a2, b0, b1, b2 int64, method int, conf float64) {
		names := []string{"Lead", "MQL", "SQL"}
		fa, err := funnel.New(funnel.Stage{Name: names[0], Count: a0}, funnel.Stage{Name: names[1], Count: a1}, funnel.Stage{Name: names[2], Count: a2})
		if err != nil {
			return
		}
		fb, err := funnel.New(funnel.Stage{Name: names[0], Count: b0}, funnel.Stage{Name: names[1], Count: b1}, funnel.Stage{Name: names[2], Count: b2})
		if err != nil {
			return
		}
		m := kpi.Method(method)
		spreads, err := funnel.CompareSegments([]funnel.Segment{{Name: "a", Funnel: fa}, {Name: "b", Funnel: fb}}, m, conf)
		if err != nil {
			if !errors.Is(err, kpi.ErrInvalid) {
				t.Fatalf("error of no class: %v", err)
			}
			return
		}
		for _, sp := range spreads {
			if !(sp.P >= 0 && sp.P <= 1) || math.IsNaN(sp.ChiSquare) {
				t.Fatalf("step %s: P %v, chi-square %v", sp.Step, sp.P, sp.ChiSquare)
			}
			for _, sr := range sp.Rates {
				if !(0 <= sr.Lo && sr.Lo <= sr.Hi && sr.Hi <= 1) {
					t.Fatalf("step %s %s: interval [%v, %v]", sp.Step, sr.Segment, sr.Lo, sr.Hi)
				}
				if p, err := sr.Rate.Value(); err == nil && m != kpi.Jeffreys && (p < sr.Lo-1e-12 || p > sr.Hi+1e-12) {
					t.Fatalf("step %s %s: %v outside [%v, %v]", sp.Step, sr.Segment, p, sr.Lo, sr.Hi)
				}
			}
		}
	})
}
