package funnel_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// berlin is the time zone of the quarter's periods; 2026's summer time
// starts on 29 March.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// utc is an event at a time in UTC.
func utc(entity, name string, month time.Month, d, h, m int) funnel.Event {
	return funnel.Event{Entity: entity, Name: name, Time: time.Date(2026, month, d, h, m, 0, 0, time.UTC)}
}

// quarter is a lead → sql funnel with a 10-day window, January to April
// 2026, looked at on 5 April 00:00 UTC (quarterAsOf):
//
//	a  lead 5 Jan, sql 7 Jan (2 days)       January
//	b  lead 20 Jan                          January
//	c  lead 3 Mar, sql 12 Mar (9 days)      March
//	g  lead 10 Mar                          March
//	d  lead 28 Mar 09:00 UTC                March, 7.625 days old
//	e  lead 31 Mar 22:30 UTC                April in Berlin (00:30 CEST), 4.0625 days old
//	f  lead 2 Apr, sql 3 Apr (1 day)        April
//
// and nothing in February.
func quarter() []funnel.Event {
	return []funnel.Event{
		utc("a", "lead", 1, 5, 9, 0), utc("a", "sql", 1, 7, 9, 0),
		utc("b", "lead", 1, 20, 9, 0),
		utc("c", "lead", 3, 3, 9, 0), utc("c", "sql", 3, 12, 9, 0),
		utc("g", "lead", 3, 10, 9, 0),
		utc("d", "lead", 3, 28, 9, 0),
		utc("e", "lead", 3, 31, 22, 30),
		utc("f", "lead", 4, 2, 9, 0), utc("f", "sql", 4, 3, 9, 0),
	}
}

var quarterAsOf = time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC)

func quarterCounter(t testing.TB, counting funnel.Counting) *funnel.Counter {
	d := leadSQL(10*24*time.Hour, 0)
	d.Counting = counting
	c, err := funnel.NewCounter(d)
	require.NoError(t, err)
	require.NoError(t, c.AddAll(slices.Values(quarter())))
	return c
}

// TestCounter_Series checks the quarter's monthly series by hand.
//
//	month  leads  sql  rate  mature (sql)  open      estimate (Kaplan–Meier at 10 days)
//	Jan    a b    a    1/2   yes           0/2       1/2: mature, the plain rate
//	Feb    -      -    -     yes           -         -
//	Mar    c g d  c    1/3   no: 31 Mar +10 d > 5 Apr  d: 1/3   d leaves at 7.625 days, before c
//	                                                  converts at 9 of the 2 left: 1 − 1/2 = 1/2
//	Apr    e f    f    1/2   no            e: 1/2    f at 1 day of 2: 1 − 1/2 = 1/2
//
// The lead step of a month is mature once the month has ended: January
// to March. The flow counts each event in its own month: March's sql is
// c's on 12 March, and e's lead, at 00:30 in Berlin, is April's.
func TestCounter_Series(t *testing.T) {
	type step struct {
		reached      [2]int64
		mature       [2]bool
		open         int64
		estimate     float64
		entered      [2]int64
		medianDays   float64
		undefinedSQL bool
	}
	tests := []struct {
		name     string
		counting funnel.Counting
		labels   []string
		steps    []step
	}{
		{"unique", funnel.Unique, []string{"2026-01", "2026-02", "2026-03", "2026-04"}, []step{
			{[2]int64{2, 1}, [2]bool{true, true}, 0, 0.5, [2]int64{2, 1}, 2, false},
			{[2]int64{0, 0}, [2]bool{true, true}, 0, 0, [2]int64{0, 0}, 0, true},
			{[2]int64{3, 1}, [2]bool{true, false}, 1, 0.5, [2]int64{3, 1}, 9, false},
			{[2]int64{2, 1}, [2]bool{false, false}, 1, 0.5, [2]int64{2, 1}, 1, false},
		}},
		// Every entity enters once, so attempts are entities.
		{"totals", funnel.Totals, []string{"2026-01", "2026-02", "2026-03", "2026-04"}, []step{
			{[2]int64{2, 1}, [2]bool{true, true}, 0, 0.5, [2]int64{2, 1}, 2, false},
			{[2]int64{0, 0}, [2]bool{true, true}, 0, 0, [2]int64{0, 0}, 0, true},
			{[2]int64{3, 1}, [2]bool{true, false}, 1, 0.5, [2]int64{3, 1}, 9, false},
			{[2]int64{2, 1}, [2]bool{false, false}, 1, 0.5, [2]int64{2, 1}, 1, false},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := quarterCounter(t, tc.counting).Series(funnel.Periods{Grain: funnel.Month, Location: berlin}, quarterAsOf)
			require.NoError(t, err)
			require.Len(t, s.Periods, len(tc.labels))
			assert.Equal(t, quarterAsOf.In(berlin), s.AsOf)
			for j, p := range s.Periods {
				want := tc.steps[j]
				assert.Equal(t, tc.labels[j], p.Label)
				for k, ps := range p.Steps {
					assert.Equal(t, want.reached[k], ps.Reached, "%s step %d", p.Label, k)
					assert.Equal(t, want.mature[k], ps.Mature, "%s step %d", p.Label, k)
					assert.Equal(t, want.entered[k], ps.Entered, "%s step %d", p.Label, k)
				}
				sql := p.Steps[1]
				assert.Equal(t, want.open, sql.Open.Successes(), p.Label)
				assert.Equal(t, want.reached[0], sql.Open.Trials(), p.Label)
				assert.InDelta(t, want.estimate, sql.Estimate, 1e-15, p.Label)
				if want.undefinedSQL {
					_, err := sql.Rate.Value()
					assert.ErrorIs(t, err, kpi.ErrUndefined)
					assert.Zero(t, sql.EstimateInterval)
					continue
				}
				assert.InDelta(t, want.medianDays*24, sql.Time.Median.Hours(), 1e-9, p.Label)
				assert.Equal(t, 1.0, p.Steps[0].Estimate)
			}
			// R 4.2.2, survival 3.5-3, for March's sql (converted at 9
			// days; censored at 7.625, d's age, and at the 10-day horizon, g):
			//
			//	s <- survfit(Surv(c(9, 7.625, 10), c(1, 0, 0)) ~ 1, conf.type = "log-log")
			//	1 - s$upper; 1 - s$lower   # at day 9 on: 0.089589915163262646 0.99401691236085421
			mar := s.Periods[2]
			assert.InDelta(t, 0.089589915163262646, mar.Steps[1].EstimateInterval.Lo, 1e-12)
			assert.InDelta(t, 0.99401691236085421, mar.Steps[1].EstimateInterval.Hi, 1e-12)
			assert.Equal(t, time.Date(2026, 3, 1, 0, 0, 0, 0, berlin), mar.Start)
			assert.Equal(t, "2026-04-01T00:00:00+02:00", mar.End.Format(time.RFC3339), "summer time")
		})
	}
}

// TestCounter_SeriesGrains cuts the quarter into other periods; the counts
// of leads and sqls per period by hand from the table of quarter.
func TestCounter_SeriesGrains(t *testing.T) {
	tests := []struct {
		name     string
		periods  funnel.Periods
		n        int
		first    string
		last     string
		leads    map[string]int64
		sqls     map[string]int64
		location *time.Location
	}{
		// Monday 5 January is in ISO week 2; Sunday 5 April in week 14.
		{"weeks", funnel.Periods{Grain: funnel.Week, Location: berlin}, 13, "2026-W02", "2026-W14",
			map[string]int64{"2026-W02": 1, "2026-W04": 1, "2026-W10": 1, "2026-W11": 1, "2026-W13": 1, "2026-W14": 2},
			map[string]int64{"2026-W02": 1, "2026-W10": 1, "2026-W14": 1}, berlin},
		// 27 days of January from the 5th, 28, 31 and 5.
		{"days", funnel.Periods{Grain: funnel.Day, Location: berlin}, 91, "2026-01-05", "2026-04-05",
			map[string]int64{"2026-01-05": 1, "2026-01-20": 1, "2026-03-03": 1, "2026-03-10": 1, "2026-03-28": 1, "2026-04-01": 1, "2026-04-02": 1},
			map[string]int64{"2026-01-05": 1, "2026-03-03": 1, "2026-04-02": 1}, berlin},
		{"quarters", funnel.Periods{Grain: funnel.Quarter, Location: berlin}, 2, "2026-Q1", "2026-Q2",
			map[string]int64{"2026-Q1": 5, "2026-Q2": 2}, map[string]int64{"2026-Q1": 2, "2026-Q2": 1}, berlin},
		// In UTC e's lead is March's.
		{"two months in UTC", funnel.Periods{Grain: funnel.Month, Every: 2, Location: time.UTC}, 2, "2026-01", "2026-03",
			map[string]int64{"2026-01": 2, "2026-03": 5}, map[string]int64{"2026-01": 1, "2026-03": 2}, time.UTC},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := quarterCounter(t, funnel.Unique).Series(tc.periods, quarterAsOf)
			require.NoError(t, err)
			require.Len(t, s.Periods, tc.n)
			assert.Equal(t, tc.first, s.Periods[0].Label)
			assert.Equal(t, tc.last, s.Periods[tc.n-1].Label)
			var leads, sqls int64
			for i, p := range s.Periods {
				assert.Equal(t, tc.leads[p.Label], p.Steps[0].Reached, p.Label)
				assert.Equal(t, tc.sqls[p.Label], p.Steps[1].Reached, p.Label)
				leads += p.Steps[0].Entered
				sqls += p.Steps[1].Entered
				assert.Equal(t, tc.location, p.Start.Location())
				if i > 0 {
					assert.Equal(t, s.Periods[i-1].End, p.Start)
				}
			}
			assert.Equal(t, int64(7), leads)
			assert.Equal(t, int64(3), sqls)
		})
	}
}

// TestCounter_SeriesMatureEstimate: for a mature period the Kaplan–Meier
// estimate at the window is the plain step rate, bit for bit, on random
// funnels of three steps over four months with a Within on the last.
func TestCounter_SeriesMatureEstimate(t *testing.T) {
	tests := []struct {
		name     string
		counting funnel.Counting
	}{
		{"unique", funnel.Unique},
		{"totals", funnel.Totals},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := randomCounter(t, tc.counting, 3000, 120)
			asOf := t0.Add(140 * 24 * time.Hour)
			s, err := c.Series(funnel.Periods{Grain: funnel.Month, Location: time.UTC}, asOf)
			require.NoError(t, err)
			mature := 0
			for _, p := range s.Periods {
				for k, ps := range p.Steps[1:] {
					if !ps.Mature {
						continue
					}
					mature++
					assert.Zero(t, ps.Open.Successes())
					if want, err := ps.Rate.Value(); err == nil {
						assert.Equal(t, want, ps.Estimate, "%s step %d", p.Label, k+1)
					}
				}
			}
			assert.Greater(t, mature, 4)
		})
	}
}

// TestCounter_SeriesMatureSurvfit: a mature period's Estimate and
// EstimateInterval are Kaplan–Meier's with Greenwood's log-log interval,
// not the rate's Wilson interval. The cohorts enter in January (a lead
// → sql funnel, 14-day window, as of June), and the references are R
// 4.2.2 with survival 3.5.3, the non-converters censored at day 14:
//
//	f <- survfit(Surv(time, status) ~ 1, conf.type = "log-log")
//	s <- summary(f, times = 14); 1 - s$surv; 1 - s$upper; 1 - s$lower
//
// where all converted survfit has no interval (NA); the estimate's then
// reaches 1 from the lower end at the time before the last conversions,
// survfit's at day 1 of c(1, 4, 4).
func TestCounter_SeriesMatureSurvfit(t *testing.T) {
	tests := []struct {
		name          string
		days          []float64 // times to convert; a negative one does not convert
		share, lo, hi float64
	}{
		// time = c(2, 5, 5, 9, rep(14, 6)), status = c(1, 1, 1, 1, rep(0, 6))
		{"4 of 10", []float64{2, 5, 5, 9, -1, -1, -1, -1, -1, -1}, 0.4, 0.17277903297148844, 0.74733110299610628},
		// time = c(2, 14), status = c(1, 0)
		{"1 of 2", []float64{2, -1}, 0.5, 0.089589915163262646, 0.99401691236085421},
		// time = c(1:7, 14), status = c(rep(1, 7), 0)
		{"7 of 8", []float64{1, 2, 3, 4, 5, 6, 7, -1}, 0.875, 0.57729416747603124, 0.99340667498267354},
		// time = c(1, 4, 4), status = 1: the lower end at day 1
		{"all 3", []float64{1, 4, 4}, 1, 0.054793612727953023, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(funnel.Definition{Steps: []funnel.Match{{Event: "lead"}, {Event: "sql"}}, Window: 14 * 24 * time.Hour})
			require.NoError(t, err)
			for i, d := range tc.days {
				entry := time.Date(2026, 1, 5+i, 9, 0, 0, 0, time.UTC)
				id := string(rune('a' + i))
				require.NoError(t, c.Add(funnel.Event{Entity: id, Name: "lead", Time: entry}))
				if d >= 0 {
					require.NoError(t, c.Add(funnel.Event{Entity: id, Name: "sql", Time: entry.Add(time.Duration(d * 24 * float64(time.Hour)))}))
				}
			}
			s, err := c.Series(funnel.Periods{Grain: funnel.Month, Location: time.UTC}, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
			require.NoError(t, err)
			ps := s.Periods[0].Steps[1]
			require.True(t, ps.Mature)
			assert.Equal(t, tc.share, ps.Estimate) // the rate, exactly
			assert.InEpsilon(t, tc.lo, ps.EstimateInterval.Lo, 1e-12)
			assert.InEpsilon(t, tc.hi, ps.EstimateInterval.Hi, 1e-12)
			assert.Equal(t, "greenwood-log-log", ps.EstimateInterval.Method)
			assert.Equal(t, 0.95, ps.EstimateInterval.Level)
			// The same as the curve of the one period at its horizon.
			curves, err := c.Curves(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), 0.95)
			require.NoError(t, err)
			assert.Equal(t, curves[0].Share, ps.Estimate)
			assert.InEpsilon(t, curves[0].Interval.Lo, ps.EstimateInterval.Lo, 1e-14)
			assert.InEpsilon(t, curves[0].Interval.Hi, ps.EstimateInterval.Hi, 1e-14)
		})
	}
}

// randomCounter counts entities of a three-step funnel (7-day window, 4
// days from b to c) entering over days days from t0.
func randomCounter(t testing.TB, counting funnel.Counting, entities, days int) *funnel.Counter {
	d := funnel.Definition{Steps: []funnel.Match{{Event: "a"}, {Event: "b"}, {Event: "c", Within: 4 * 24 * time.Hour}},
		Window: 7 * 24 * time.Hour, Counting: counting}
	c, err := funnel.NewCounter(d)
	require.NoError(t, err)
	names := []string{"a", "b", "c"}
	for i := range entities {
		start := float64(i%days) + 0.5
		for j := range 1 + i%5 {
			e := dayEv("u"+string(rune('A'+i%26))+time.Duration(i).String(), names[(i+j)%3], start+float64((i*7+j*3)%9))
			require.NoError(t, c.Add(e))
		}
	}
	return c
}

// TestCounter_SeriesEdges: events at the ends of the library's years, and
// an entity whose every step has the same time, count without panic.
func TestCounter_SeriesEdges(t *testing.T) {
	far := funnel.Definition{Steps: []funnel.Match{{Event: "a"}, {Event: "b"}, {Event: "c"}}, Window: time.Duration(1<<63 - 1)}
	first := time.Date(kpi.MinYear, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(kpi.MaxYear, 12, 31, 23, 59, 59, 0, time.UTC)
	tests := []struct {
		name    string
		evs     []funnel.Event
		periods funnel.Periods
		asOf    time.Time
		n       int
		reached []int64
	}{
		{"the library's first and last years", []funnel.Event{
			{Entity: "x", Name: "a", Time: first}, {Entity: "x", Name: "b", Time: last},
			{Entity: "y", Name: "a", Time: last}}, funnel.Periods{Grain: funnel.Quarter, Every: 4, Location: time.UTC}, last, 250, []int64{1, 1, 0}},
		{"every step at once", []funnel.Event{
			{Entity: "x", Name: "a", Time: t0}, {Entity: "x", Name: "b", Time: t0}, {Entity: "x", Name: "c", Time: t0}},
			funnel.Periods{Grain: funnel.Day, Location: time.UTC}, t0, 1, []int64{1, 1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(far)
			require.NoError(t, err)
			require.NoError(t, c.AddAll(slices.Values(tc.evs)))
			s, err := c.Series(tc.periods, tc.asOf)
			require.NoError(t, err)
			require.Len(t, s.Periods, tc.n)
			p := s.Periods[0]
			for k, ps := range p.Steps {
				assert.Equal(t, tc.reached[k], ps.Reached)
				if k > 0 {
					assert.False(t, ps.Mature, "the window never ends")
				}
			}
		})
	}
}

func TestCounter_SeriesErrors(t *testing.T) {
	c := quarterCounter(t, funnel.Unique)
	month := funnel.Periods{Grain: funnel.Month, Location: berlin}
	old, err := funnel.NewCounter(leadSQL(time.Hour, 0))
	require.NoError(t, err)
	require.NoError(t, old.Add(funnel.Event{Entity: "x", Name: "lead", Time: time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC)}))
	tests := []struct {
		name    string
		c       *funnel.Counter
		periods funnel.Periods
		asOf    time.Time
		want    string
	}{
		{"zero counter", new(funnel.Counter), month, quarterAsOf, "Counter zero value: use funnel.NewCounter"},
		{"no grain", c, funnel.Periods{Location: berlin}, quarterAsOf, "periods grain 0: no grain, a period of no length"},
		{"unknown grain", c, funnel.Periods{Grain: 9, Location: berlin}, quarterAsOf, "periods grain 9: unknown grain"},
		{"negative length", c, funnel.Periods{Grain: funnel.Week, Every: -2, Location: berlin}, quarterAsOf, "periods every -2: a period of negative length"},
		{"over 100 years", c, funnel.Periods{Grain: funnel.Quarter, Every: 401, Location: berlin}, quarterAsOf, "periods every 401: quarter periods longer than 100 years"},
		{"nil location", c, funnel.Periods{Grain: funnel.Month}, quarterAsOf, "periods location nil: no time zone"},
		{"asOf out of range", c, month, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC), "asOf 2200-01-01T00:00:00Z: outside the years"},
		{"asOf before the latest event", c, month, time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC), "asOf 2026-04-03T00:00:00Z: before the latest event counted, at 2026-04-03T11:00:00+02:00"},
		{"asOf before every event", c, month, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), "asOf 2025-12-01T00:00:00Z: before the latest event counted"},
		{"too many periods", old, funnel.Periods{Grain: funnel.Day, Location: time.UTC}, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
			"periods 1 day from 1901-01-01T00:00:00Z to 2100-01-01T00:00:00Z: more than 65536 (2^16) periods"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.Series(tc.periods, tc.asOf)
			require.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Contains(t, err.Error(), "funnel.Counter.Series: ")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestCounter_SeriesReadOut: Series leaves the counter as it was, and an
// empty counter has no periods.
func TestCounter_SeriesReadOut(t *testing.T) {
	tests := []struct {
		name string
		evs  []funnel.Event
		n    int
	}{
		{"quarter", quarter(), 4},
		{"no events", nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := funnel.NewCounter(leadSQL(10*24*time.Hour, 0))
			require.NoError(t, err)
			require.NoError(t, c.AddAll(slices.Values(tc.evs)))
			p := funnel.Periods{Grain: funnel.Month, Location: berlin}
			a, err := c.Series(p, quarterAsOf)
			require.NoError(t, err)
			b, err := c.Series(p, quarterAsOf)
			require.NoError(t, err)
			assert.Equal(t, a, b)
			assert.Len(t, a.Periods, tc.n)
			data, err := c.MarshalBinary()
			require.NoError(t, err)
			var back funnel.Counter
			require.NoError(t, back.UnmarshalBinary(data))
			d, err := back.Series(p, quarterAsOf)
			require.NoError(t, err)
			assert.Equal(t, a, d)
		})
	}
}

func TestGrain_String(t *testing.T) {
	tests := []struct {
		name string
		g    funnel.Grain
		want string
	}{
		{"day", funnel.Day, "day"},
		{"quarter", funnel.Quarter, "quarter"},
		{"none", 0, "Grain(0)"},
		{"unknown", 7, "Grain(7)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.g.String())
		})
	}
}
