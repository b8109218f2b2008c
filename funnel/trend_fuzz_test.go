package funnel_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// fuzzSeries builds a Series by hand from bytes, as a caller may: three
// bytes a period for each of its steps (2 or 3 a period, by a bit of the
// first byte, so that some Series are ragged): the step's trials as a
// power of two up to 2^40, its share of successes, and whether it is
// mature. At most 12 periods, from month 2026-01.
func fuzzSeries(data []byte) *funnel.Series {
	s := &funnel.Series{Spec: funnel.Periods{Grain: funnel.Month, Location: time.UTC}}
	for i := 0; i+8 < len(data) && len(s.Periods) < 12; i += 9 {
		start := time.Date(2026, time.Month(1+len(s.Periods)), 1, 0, 0, 0, 0, time.UTC)
		p := funnel.Period{Label: start.Format("2006-01"), Start: start, End: start.AddDate(0, 1, 0)}
		steps := 3 - int(data[i]>>7)
		for k := range steps {
			b := data[i+3*k:]
			n := int64(0)
			if b[0]&0x7f != 0 {
				n = int64(1) << (b[0] & 0x7f % 41)
			}
			ps := funnel.PeriodStep{Mature: b[2]&1 == 1}
			ps.Step = string(rune('A' + k))
			ps.Rate = must(kpi.NewRate(int64(float64(n)*float64(b[1])/255), n))
			p.Steps = append(p.Steps, ps)
		}
		s.Periods = append(s.Periods, p)
	}
	return s
}

// FuzzTrends reads the trends of fuzzed Series, ragged ones included, at
// any level, with and without the immature periods: an error wraps
// kpi.ErrInvalid, or each step after the first has every period in
// exactly one of Points, Immature and Empty (Immature empty with
// TrendOptions.Immature), the points' rates are their periods', in time
// order, inside their intervals; with two points or more the trend's
// p-value and the charts' limits are in [0, 1] around the centre line,
// and there is one change per pair of points, whose adjusted p-value
// lies in [Fisher's, 1] over a family of every change of the call.
func FuzzTrends(f *testing.F) {
	f.Add([]byte("\x0a\x40\x01\x0a\x20\x01\x0a\x10\x01\x0a\x50\x01\x0a\x30\x01\x0a\x10\x01\x0a\x60\x01\x0a\x40\x00\x0a\x20\x00"), 0.95, false)
	f.Add([]byte("\x28\x80\x01\x28\x01\x01\x28\xfe\x01\x28\x80\x01\x28\x80\x01\x28\x80\x01"), 1e-9, true)  // 2^40 trials a period
	f.Add([]byte("\x8a\x40\x01\x0a\x20\x01\x0a\x10\x01\x0a\x50\x01\x0a\x30\x01\x0a\x10\x01"), 0.95, false) // ragged
	f.Add([]byte("\x00\x00\x01\x00\x00\x01\x00\x00\x01\x01\xff\x00\x01\xff\x00\x01\xff\x00"), 0.5, true)
	f.Add([]byte{}, math.NaN(), false)
	f.Fuzz(func(t *testing.T, data []byte, level float64, immature bool) {
		s := fuzzSeries(data)
		o := funnel.TrendOptions{Immature: immature}
		trends, err := s.Trends(level, o)
		if err != nil {
			require.True(t, errors.Is(err, kpi.ErrInvalid), "%v", err)
			return
		}
		if len(s.Periods) > 0 {
			require.Len(t, trends, len(s.Periods[0].Steps)-1)
		}
		changes := 0
		for _, st := range trends {
			changes += len(st.Changes)
		}
		for k, st := range trends {
			assert.Equal(t, len(s.Periods), len(st.Points)+len(st.Immature)+len(st.Empty), "step %d", k)
			if immature {
				assert.Empty(t, st.Immature)
			}
			for i, p := range st.Points {
				if i > 0 {
					assert.True(t, st.Points[i-1].Start.Before(p.Start))
				}
				v, err := p.Rate.Value()
				require.NoError(t, err)
				if !(0 <= p.Interval.Lo && p.Interval.Lo <= v+1e-12 && v-1e-12 <= p.Interval.Hi && p.Interval.Hi <= 1) {
					t.Fatalf("step %d point %d: %v outside [%v, %v]", k, i, v, p.Interval.Lo, p.Interval.Hi)
				}
			}
			if len(st.Points) < 2 {
				assert.Nil(t, st.Trend)
				assert.Empty(t, st.Changes)
				continue
			}
			require.NotNil(t, st.Trend)
			if !(st.Trend.P >= 0 && st.Trend.P <= 1) {
				t.Fatalf("step %d: trend p %v", k, st.Trend.P)
			}
			for _, c := range []*kpi.Chart{st.PChart, st.Laney} {
				for i, p := range c.Points {
					if !(p.Lower >= 0 && p.Lower <= c.Center && c.Center <= p.Upper && p.Upper <= 1) {
						t.Fatalf("step %d point %d: limits [%v, %v] around %v", k, i, p.Lower, p.Upper, c.Center)
					}
				}
			}
			require.Len(t, st.Changes, len(st.Points)-1)
			for _, c := range st.Changes {
				if !(c.FisherP >= 0 && c.FisherP <= c.AdjustedP+1e-15 && c.AdjustedP <= 1) {
					t.Fatalf("step %d: Fisher p %v, adjusted %v", k, c.FisherP, c.AdjustedP)
				}
				assert.Equal(t, changes, c.Family)
				assert.Equal(t, c.AdjustedP < 1-level, c.Significant)
			}
		}
	})
}
