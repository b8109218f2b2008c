package cohort_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// fuzzTime is the time a fuzzed byte stands for: 0xff and 0xfe the first
// and last days of the library's range, 0xfd a day in year 3000 (outside
// it), any other byte that many weeks after 2020-01-06.
func fuzzTime(b byte) time.Time {
	switch b {
	case 0xff:
		return time.Date(kpi.MinYear, 1, 1, 0, 0, 0, 0, time.UTC)
	case 0xfe:
		return time.Date(kpi.MaxYear, 12, 31, 23, 59, 59, 0, time.UTC)
	case 0xfd:
		return time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(2020, 1, 6, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*int(b))
}

// fuzzRecords decodes at most 64 records from bytes, four bytes a record:
// its kind (a customer, revenue or a subscription) and segment, its
// customer (one of six), its time (fuzzTime) and its amount in cents (an
// amount byte of 0xff is 10²⁰, beyond the bound on money); a
// subscription ends the amount's low three bits of weeks after it starts,
// or never for 7.
func fuzzRecords(data []byte) []cohort.Record {
	var out []cohort.Record
	for i := 0; i+3 < len(data) && len(out) < 64; i += 4 {
		id := string(rune('a' + data[i+1]%6))
		at := fuzzTime(data[i+2])
		amt := decimal.New(int64(data[i+3]), -2)
		if data[i+3] == 0xff {
			amt = decimal.New(1, 20)
		}
		switch data[i] % 3 {
		case 0:
			out = append(out, cohort.Customer{ID: id, Acquired: at, Segment: string(rune('s' + data[i]/3%2))})
		case 1:
			out = append(out, cohort.Revenue{CustomerID: id, At: at, Amount: amt})
		default:
			s := cohort.Subscription{CustomerID: id, Start: at, Amount: amt}
			if w := data[i+3] & 7; w != 7 {
				s.End = at.AddDate(0, 0, 7*int(w))
			}
			out = append(out, s)
		}
	}
	return out
}

// tableAt is the table b makes through the time, as JSON, or the error.
func tableAt(t *testing.T, b *cohort.Builder, through time.Time, segments ...string) (string, error) {
	t.Helper()
	tab, err := b.Table(through, segments...)
	if err != nil {
		return "", err
	}
	out, err := json.Marshal(tab)
	require.NoError(t, err)
	return string(out), nil
}

// FuzzBuilderMerge keeps the fuzzed records one Builder accepts, splits
// them at any point between two builders and merges them: the merged
// builder must make the table one builder of all the records makes (the
// same JSON, or an error of the same class, for the whole table and for
// one segment), and the merged-from builder must encode as its twin that
// took the same records. Seeds reach the ends of the time range on weekly
// grain, out-of-range times and amounts beyond the bound on money.
func FuzzBuilderMerge(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 1, 0, 0, 100, 1, 0, 1, 50, 3, 1, 1, 0, 2, 1, 2, 0x13, 1, 1, 4, 20}, uint8(1), uint8(3), uint8(6))
	f.Add([]byte{0, 0, 0xff, 0, 1, 0, 0xff, 10, 0, 1, 0xfe, 0, 1, 1, 0xfe, 5}, uint8(2), uint8(2), uint8(0xfe))
	f.Add([]byte{0, 0, 0xfd, 0, 1, 0, 0xfd, 1, 0, 2, 3, 0, 1, 2, 3, 0xff, 2, 2, 4, 7}, uint8(0), uint8(1), uint8(9))
	f.Add([]byte{1, 3, 5, 9, 0, 3, 6, 0, 2, 4, 1, 3, 0, 4, 0, 0}, uint8(1), uint8(0), uint8(8))
	f.Add([]byte{}, uint8(0), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, grain, split, through uint8) {
		g := cohort.Grain(grain % 3)
		whole, err := cohort.NewBuilder(g)
		require.NoError(t, err)
		var kept []cohort.Record
		for _, r := range fuzzRecords(data) {
			if err := whole.Add(r); err != nil {
				require.ErrorIs(t, err, kpi.ErrInvalid)
				continue
			}
			kept = append(kept, r)
		}
		k := int(split) % (len(kept) + 1)
		a, b, twin := mustBuilder(t, g), mustBuilder(t, g), mustBuilder(t, g)
		for _, r := range kept[:k] {
			require.NoError(t, a.Add(r))
		}
		for _, r := range kept[k:] {
			require.NoError(t, b.Add(r))
			require.NoError(t, twin.Add(r))
		}
		require.NoError(t, a.Merge(b))
		end := fuzzTime(through)
		for _, segs := range [][]string{nil, {"t"}} {
			want, errW := tableAt(t, whole, end, segs...)
			got, errA := tableAt(t, a, end, segs...)
			if errW != nil {
				require.Error(t, errA, "one pass fails with %v", errW)
				for _, class := range []error{kpi.ErrInvalid, kpi.ErrUndefined} {
					assert.Equal(t, errors.Is(errW, class), errors.Is(errA, class), "%v / %v", errW, errA)
				}
				continue
			}
			require.NoError(t, errA)
			assert.JSONEq(t, want, got, "merge of a split at %d, segments %q", k, segs)
		}
		bin, err := b.MarshalBinary()
		require.NoError(t, err)
		twinBin, err := twin.MarshalBinary()
		require.NoError(t, err)
		assert.Equal(t, twinBin, bin, "the merged-from builder")
	})
}

// mustBuilder is a new Builder of grain g.
func mustBuilder(t *testing.T, g cohort.Grain) *cohort.Builder {
	t.Helper()
	b, err := cohort.NewBuilder(g)
	require.NoError(t, err)
	return b
}

// fuzzTable builds a table by hand, as a caller may: one cohort per pair
// of bytes (at most eight), of size 1 + the first byte, whose survivors
// fall with age by the second byte's bits; every cell's revenue is
// survivors × rev, and the last cohort's first cell's is big (any
// coefficient and exponent, reaching ±2³¹).
func fuzzTable(data []byte, rev, big decimal.Decimal) *cohort.Table {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tab := &cohort.Table{Grain: cohort.Month, Through: start}
	for i := 0; i+1 < len(data) && len(tab.Cohorts) < 8; i += 2 {
		c := cohort.Cohort{Start: start.AddDate(0, len(tab.Cohorts), 0), Size: 1 + int64(data[i])}
		s := c.Size
		for a := range 1 + int(data[i+1]%8) {
			if a > 0 {
				s -= min(s, int64(data[i+1]>>a&1)*(1+s/3))
			}
			c.Cells = append(c.Cells, cohort.Cell{Active: s, Survivors: s, Revenue: rev.Mul(decimal.NewFromInt(s))})
		}
		tab.Cohorts = append(tab.Cohorts, c)
	}
	if n := len(tab.Cohorts); n > 0 {
		tab.Cohorts[n-1].Cells[0].Revenue = big
		tab.Through = tab.Cohorts[n-1].Start.AddDate(0, len(tab.Cohorts[0].Cells), 0)
	}
	return tab
}

// FuzzProject projects hand-built tables, whose revenue may be any
// decimal.Decimal (exponents near ±2³¹), under any sBG model, horizon,
// margin and discount (1e-17 among them): Project must answer at once with
// an error wrapping kpi.ErrInvalid, or projections whose survivors are
// finite, never rise and start at the observed ones, whose retention lies
// in [0, 1] and whose LTV is not negative; ProjectBands with the table's
// own estimate must then hold each of those numbers inside its band.
func FuzzProject(f *testing.F) {
	f.Add([]byte{99, 0x55, 49, 0x0a, 9, 0x03}, 0.704, 1.182, 12, 0.8, 0.1, int64(1000), int32(-2))
	f.Add([]byte{99, 0x55, 49, 0x0a}, 0.704, 1.182, 12, 0.8, 1e-17, int64(1000), int32(-2))
	f.Add([]byte{99, 0x55}, 1.0, 1.0, 3, 1.0, 0.1, int64(1), int32(math.MaxInt32))
	f.Add([]byte{99, 0x55}, 1.0, 1.0, 3, 1.0, 0.1, int64(-7), int32(math.MaxInt32-5))
	f.Add([]byte{99, 0x55}, 1.0, 1.0, 3, 1.0, 0.1, int64(1), int32(math.MinInt32))
	f.Add([]byte{99, 0x55}, 1.0, 1.0, 3, 1.0, 0.1, int64(0), int32(math.MinInt32+3))
	f.Add([]byte{255, 0xff, 0, 0}, 1e-3, 1e3, 10_000, 1e-300, 1e300, int64(math.MaxInt64), int32(-18))
	f.Add([]byte{7, 1}, 1e6, 1e-6, 10_001, 0.5, 1e-6, int64(5), int32(0))
	f.Add([]byte{}, 0.5, 0.5, 1, 0.5, 0.5, int64(5), int32(0))
	f.Fuzz(func(t *testing.T, data []byte, alpha, beta float64, horizon int, margin, discount float64, coef int64, exp int32) {
		m, err := cohort.NewSBG(alpha, beta)
		if err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		big := decimal.New(coef, exp)
		tab := fuzzTable(data, decimal.New(1, 0), big)
		ps, err := tab.Project(m, horizon, margin, discount)
		if err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Less(t, len(err.Error()), 300, "error text")
			return
		}
		require.Len(t, ps, len(tab.Cohorts))
		for i, p := range ps {
			c := tab.Cohorts[i]
			require.Len(t, p.Survivors, horizon)
			assert.Equal(t, min(len(c.Cells), horizon), p.Observed)
			for a, s := range p.Survivors {
				require.False(t, math.IsNaN(s) || math.IsInf(s, 0) || s < 0, "survivors %v at age %d", s, a)
				if a < len(c.Cells) {
					assert.Equal(t, float64(c.Cells[a].Survivors), s)
				} else {
					assert.LessOrEqual(t, s, p.Survivors[a-1]*(1+1e-12), "age %d", a)
				}
			}
			for _, r := range p.Retention {
				assert.True(t, r >= 0 && r <= 1+1e-12, "retention %v", r)
			}
			assert.False(t, p.LTV.IsNegative() && !big.IsNegative(), "LTV %v", p.LTV)
		}
		e, err := tab.EstimateSBG()
		if err != nil || horizon > 60 {
			return
		}
		bands, err := tab.ProjectBands(e, horizon, margin, discount, 0.9)
		if err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid) || errors.Is(err, kpi.ErrUndefined), err)
			return
		}
		for _, b := range bands {
			for a, iv := range b.Survivors {
				s := b.Projection.Survivors[a]
				assert.True(t, iv.Lo <= s*(1+1e-9)+1e-9 && s <= iv.Hi*(1+1e-9)+1e-9, "age %d: %v outside %v", a, s, iv)
			}
			assert.True(t, b.LTV.Lo.LessThanOrEqual(b.LTV.Hi), "LTV band %v", b.LTV)
		}
	})
}

// FuzzMovement asks every ratio of a Movement whose amounts may be any
// decimal.Decimal (exponents near ±2³¹): each must answer at once with a
// classed error, or a finite number consistent with the others (GRR =
// 1 − GrossChurn within [0, 1], NRR = 1 − NetChurn), and LogoChurn's rate
// must lie within [0, 1].
func FuzzMovement(f *testing.F) {
	f.Add(int64(10000), int32(-2), int64(500), int64(200), int64(100), int64(300), int64(100), int32(-2), int64(20), int64(3))
	f.Add(int64(1), int32(math.MaxInt32), int64(5), int64(2), int64(1), int64(3), int64(1), int32(-2), int64(2), int64(1))
	f.Add(int64(1), int32(0), int64(5), int64(2), int64(1), int64(3), int64(1), int32(math.MinInt32), int64(2), int64(1))
	f.Add(int64(0), int32(math.MinInt32+3), int64(0), int64(0), int64(0), int64(0), int64(0), int32(0), int64(0), int64(0))
	f.Add(int64(5), int32(0), int64(-1), int64(0), int64(0), int64(9), int64(0), int32(0), int64(1), int64(2))
	f.Fuzz(func(t *testing.T, open int64, exp int32, nw, expa, react, contr, churn int64, flowExp int32, accounts, churned int64) {
		m := cohort.Movement{
			Opening: decimal.New(open, exp), New: decimal.New(nw, flowExp), Expansion: decimal.New(expa, flowExp),
			Reactivation: decimal.New(react, flowExp), Contraction: decimal.New(contr, flowExp), Churn: decimal.New(churn, flowExp),
			OpeningAccounts: accounts, Churned: churned,
		}
		if r, err := m.LogoChurn(); err != nil {
			classed(t, err)
		} else if v, err := r.Value(); err == nil {
			assert.True(t, v >= 0 && v <= 1, "logo churn %v", v)
		}
		vals := map[string]float64{}
		for name, fn := range map[string]func() (float64, error){
			"GrossChurn": m.GrossChurn, "NetChurn": m.NetChurn, "GRR": m.GRR, "NRR": m.NRR, "QuickRatio": m.QuickRatio,
		} {
			v, err := fn()
			if err != nil {
				classed(t, err)
				continue
			}
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s %v", name, v)
			vals[name] = v
		}
		if g, ok := vals["GRR"]; ok {
			assert.InDelta(t, 1-vals["GrossChurn"], g, 1e-12)
			assert.True(t, g >= -1e-12 && g <= 1+1e-12, "GRR %v", g)
		}
		if n, ok := vals["NRR"]; ok {
			assert.InDelta(t, 1-vals["NetChurn"], n, 1e-12)
		}
	})
}
