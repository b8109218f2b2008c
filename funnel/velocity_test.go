package funnel_test

import (
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

func rate(t testing.TB, x, n int64) kpi.Rate {
	t.Helper()
	r, err := kpi.NewRate(x, n)
	require.NoError(t, err)
	return r
}

func TestVelocity(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name  string
		opps  int64
		x, n  int64
		deal  string
		cycle time.Duration
		want  string
	}{
		// By hand: 25 · 6/25 · 24000 / 60 = 144000 / 60 = 2400.
		{"b2b month", 25, 6, 25, "24000", 60 * day, "2400.00"},
		// 40 · 8/30 · 18000.50 / 45 = 5760160 / 1350 = 4266.785185… → 4266.79.
		{"cents", 40, 8, 30, "18000.50", 45 * day, "4266.79"},
		// 10 · 1/3 · 1000 / 1 = 3333.333… → 3333.33.
		{"a third", 10, 1, 3, "1000", day, "3333.33"},
		// 12 · 1/2 · 100 / 0.5 day = 1200 per day: a 12-hour cycle.
		{"half-day cycle", 12, 1, 2, "100", 12 * time.Hour, "1200.00"},
		// Four places kept when the deal size has them: 3 · 1/4 · 10.1234 / 7 =
		// 30.3702 / 28 = 1.08465 exactly, a tie rounded away from zero.
		{"four places", 3, 1, 4, "10.1234", 7 * day, "1.0847"},
		{"no opportunities", 0, 1, 4, "10", day, "0"},
		{"no wins", 10, 0, 4, "10", day, "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := funnel.Velocity(tc.opps, rate(t, tc.x, tc.n), dec(tc.deal), tc.cycle)
			require.NoError(t, err)
			assert.True(t, got.Equal(dec(tc.want)), "got %v, want %s", got, tc.want)
		})
	}
}

func TestVelocityErrors(t *testing.T) {
	tests := []struct {
		name  string
		opps  int64
		win   kpi.Rate
		deal  decimal.Decimal
		cycle time.Duration
		class error
		msg   string
	}{
		{"negative opportunities", -1, rate(t, 1, 2), dec("10"), time.Hour, kpi.ErrInvalid, "funnel.Velocity: opportunities -1: negative count"},
		{"no trials", 5, kpi.Rate{}, dec("10"), time.Hour, kpi.ErrUndefined, "funnel.Velocity: win rate 0/0 (undefined): a rate with no trials has no value"},
		{"zero deal", 5, rate(t, 1, 2), decimal.Zero, time.Hour, kpi.ErrInvalid, "funnel.Velocity: deal size 0: must be > 0"},
		{"zero cycle", 5, rate(t, 1, 2), dec("10"), 0, kpi.ErrInvalid, "funnel.Velocity: cycle 0s: must be > 0"},
		{"negative cycle", 5, rate(t, 1, 2), dec("10"), -time.Hour, kpi.ErrInvalid, "funnel.Velocity: cycle -1h0m0s: must be > 0"},
		// Issue 13's probes: "overflow in decimal QuoRem", and a hang.
		{"deal size 1e2147483647", 5, rate(t, 1, 2), decimal.New(1, math.MaxInt32), time.Hour, kpi.ErrInvalid, "funnel.Velocity: deal size 1e2147483647: more than 30 digits before the point"},
		{"deal size 3e-2147483648", 5, rate(t, 1, 2), decimal.New(3, math.MinInt32), time.Hour, kpi.ErrInvalid, "funnel.Velocity: deal size 3e-2147483648: more than 18 decimal places"},
		{"deal size with 19 places", 5, rate(t, 1, 2), dec("0.0000000000000000001"), time.Hour, kpi.ErrInvalid, "funnel.Velocity: deal size 0.0000000000000000001: more than 18 decimal places"},
		// A probe: by hand, 10⁹ opportunities all won of deals of 10²⁵ in a
		// day bring 10³⁴ a day, beyond the bound on money.
		{"velocity beyond the bound", 1e9, rate(t, 1, 1), decimal.New(1, 25), 24 * time.Hour, kpi.ErrInvalid,
			"funnel.Velocity: velocity 10000000000000000000000000000000000: more than 30 digits before the point"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := funnel.Velocity(tc.opps, tc.win, tc.deal, tc.cycle)
			assert.True(t, got.IsZero())
			assert.EqualError(t, err, tc.msg)
			assert.ErrorIs(t, err, tc.class)
		})
	}
}
