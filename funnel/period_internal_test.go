package funnel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/kpiflow/kpi"
)

// seriesCase decodes fuzz bytes into a definition of two to four steps
// with a window of 1 to 8 days (a Within of 0 to 3 days on the steps
// after the first when within is set, some steps after the first
// optional by data[3]'s high bits), a Counting, the events of up to
// three entities (of one under Unique) at half-days from 1 January 2026,
// and an as-of time 0 to 15 half-days after the last event.
func seriesCase(data []byte) (d Definition, evs []Event, asOf time.Time, ok bool) {
	if len(data) < 4 {
		return d, nil, asOf, false
	}
	const half = 12 * time.Hour
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 2 + int(data[0]%3)
	d.Window = time.Duration(1+data[1]%8) * 24 * time.Hour
	d.Counting = Counting(data[0] >> 2 & 1)
	within := data[0]&0x08 != 0
	for k := range n {
		m := Match{Event: fmt.Sprint("s", k)}
		if within && k > 0 {
			m.Within = time.Duration(data[2]>>(2*(k-1))&3) * 24 * time.Hour
		}
		m.Optional = k > 0 && data[3]>>(3+k)&1 != 0
		d.Steps = append(d.Steps, m)
	}
	if _, err := compile("fuzz", d); err != nil { // every step after the first optional: none
		for k := range d.Steps {
			d.Steps[k].Optional = false
		}
	}
	entities := 3
	if d.Counting == Unique {
		entities = 1
	}
	t := 0
	for i := 4; i < len(data) && len(evs) < 16; i++ {
		b := data[i]
		t += int(b & 3)
		evs = append(evs, Event{Entity: fmt.Sprint("e", int(b>>5)%entities), Name: fmt.Sprint("s", int(b>>2&7)%n),
			Time: base.Add(time.Duration(t) * half)})
	}
	return d, evs, base.Add(time.Duration(t+int(data[3]%16)) * half), true
}

// FuzzSeries checks Counter.Series against the brute-force reference of
// FuzzEngine (refRun): every attempt (Totals) counts in the day of its
// entry, and the entity (Unique) in the day of an entry whose attempt
// reaches its furthest step; without a Within, an attempt that stopped
// before step k is open there exactly when its entry is less than the
// window before the as-of time, and a day is mature at step k ≥ 1 once
// its end is a window before it. The flow counts as many step events as
// the cohorts reach, and a mature step's estimate is its rate.
func FuzzSeries(f *testing.F) {
	for _, s := range []string{
		"\x00\x03\x00\x05\x00\x05\x09\x0d",
		"\x04\x09\x00\x00\x00\x25\x44\x05\x29\x48\x4d",
		"\x0d\x07\x1b\x02\x00\x04\x09\x0c\x01\x05",
		"\x06\x00\x00\x0f\x00\x00\x00\x00\x04\x08\x0c",
		"\x02\x09\x00\x25\x00\x04\x09\x08\x05\x0d\x29\x2c", // optional step 1
		"\x04\x05\x00\x23\x00\x09\x04\x08\x01\x04",         // unique, optional step 2
		"\x08\x07\x2d\x34\x00\x0d\x05\x08\x20\x2d\x25",     // within, optional steps 1 and 2
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, evs, asOf, ok := seriesCase(data)
		if !ok {
			return
		}
		c, err := NewCounter(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if err := c.Add(e); err != nil {
				t.Fatal(err)
			}
		}
		s, err := c.Series(Periods{Grain: Day, Location: time.UTC}, asOf)
		if err != nil {
			t.Fatal(err)
		}
		checkSeries(t, c.p, evs, asOf, s)
		curves, err := c.Curves(asOf, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		checkCurves(t, c.p, s, curves)
	})
}

// refAttempt is one attempt of the reference: its entry time, its
// furthest step (as a count) and the steps it counts at (with Unique,
// those of every attempt of the entity).
type refAttempt struct {
	entry time.Time
	level int
	mask  uint16
}

// refAttempts returns each entity's attempts by the reference: for
// Totals every attempt, for Unique the one best attempt counted (see
// refPick), with the entity's steps.
func refAttempts(p *compiled, evs []Event) map[string][]refAttempt {
	byEntity := map[string][]item{}
	times := map[int64]time.Time{}
	for _, e := range evs {
		steps, excl := p.match(&e)
		byEntity[e.Entity] = append(byEntity[e.Entity], item{t: e.Time.UnixNano(), steps: steps, excl: excl})
		times[e.Time.UnixNano()] = e.Time
	}
	out := map[string][]refAttempt{}
	for ent, its := range byEntity {
		sort.SliceStable(its, func(i, j int) bool {
			if its[i].t != its[j].t {
				return its[i].t < its[j].t
			}
			return refKey(its[i], p.n) < refKey(its[j], p.n)
		})
		var all []refAttempt
		for i := range its {
			if its[i].steps&1 != 0 {
				l, m, _ := refRun(p, its, i)
				all = append(all, refAttempt{times[its[i].t], l, m & (1<<l - 1)})
			}
		}
		if p.def.Counting == Unique {
			// The best attempt: the first chain to reach the furthest
			// step, of those the latest entry (see refPick).
			level, mask, pick := refRun(p, its, -1)
			all = nil
			if level > 0 {
				all = []refAttempt{{times[its[pick.entry].t], level, mask & (1<<level - 1)}}
			}
		}
		out[ent] = all
	}
	return out
}

func checkSeries(t *testing.T, p *compiled, evs []Event, asOf time.Time, s *Series) {
	atts := refAttempts(p, evs)
	var first time.Time
	for _, as := range atts {
		for _, a := range as {
			if first.IsZero() || a.entry.Before(first) {
				first = a.entry
			}
		}
	}
	if first.IsZero() {
		if len(s.Periods) != 0 {
			t.Fatalf("no entries, %d periods", len(s.Periods))
		}
		return
	}
	day0 := first.Truncate(24 * time.Hour)
	if p.def.Counting == Unique && len(s.Periods) > 0 {
		day0 = s.Periods[0].Start // the day of the best attempt counted, which checks below
	}
	if want := int(asOf.Sub(day0)/(24*time.Hour)) + 1; len(s.Periods) != want {
		t.Fatalf("%d periods from %v to %v, want %d", len(s.Periods), first, asOf, want)
	}
	dayOf := func(at time.Time) int { return int(at.Sub(day0) / (24 * time.Hour)) }
	reached := make([][]int64, len(s.Periods))
	open := make([][]int64, len(s.Periods))
	for j := range reached {
		reached[j], open[j] = make([]int64, p.n), make([]int64, p.n)
	}
	for ent, as := range atts {
		if p.def.Counting == Unique {
			if len(as) == 0 {
				continue
			}
			// The one chain of the one entity: in the day of its best attempt.
			for j, pd := range s.Periods {
				if pd.Steps[0].Reached == 0 {
					continue
				}
				found := false
				for _, a := range as {
					found = found || dayOf(a.entry) == j
				}
				for k, ps := range pd.Steps {
					if !found || (ps.Reached == 1) != (as[0].mask&(1<<k) != 0) || ps.Reached > 1 {
						t.Fatalf("entity %s in period %s step %d reached %d, best attempts %+v", ent, pd.Label, k, ps.Reached, as)
					}
				}
			}
			continue
		}
		for _, a := range as {
			j := dayOf(a.entry)
			for k := range p.n {
				switch {
				case a.mask&(1<<k) != 0:
					reached[j][k]++
				case k > 0 && p.prev[k] < a.level && a.entry.Add(p.def.Window).After(asOf):
					open[j][k]++ // reached the required step before, not k, still inside its window
				}
			}
		}
	}
	noWithin := true
	for _, w := range p.within {
		noWithin = noWithin && w == 0
	}
	for k := range p.n {
		var cohort, flow int64
		for j, pd := range s.Periods {
			ps := pd.Steps[k]
			cohort += ps.Reached
			flow += ps.Entered
			if p.def.Counting == Totals && ps.Reached != reached[j][k] {
				t.Fatalf("period %s step %d: reached %d, reference %d", pd.Label, k, ps.Reached, reached[j][k])
			}
			if noWithin && k > 0 {
				if mature := !pd.End.Add(p.def.Window - 1).After(asOf); ps.Mature != mature {
					t.Fatalf("period %s step %d: mature %v, reference %v", pd.Label, k, ps.Mature, mature)
				}
				if p.def.Counting == Totals && ps.Open.Successes() != open[j][k] {
					t.Fatalf("period %s step %d: open %d, reference %d", pd.Label, k, ps.Open.Successes(), open[j][k])
				}
			}
			if v, err := ps.Rate.Value(); err == nil && ps.Open.Successes() == 0 && ps.Estimate != v {
				t.Fatalf("period %s step %d: nothing open, estimate %v, rate %v", pd.Label, k, ps.Estimate, v)
			}
		}
		if cohort != flow {
			t.Fatalf("step %d: the cohorts reach it %d times, the flow %d", k, cohort, flow)
		}
	}
}

// checkCurves checks the conversion curves against the series s, itself
// checked against the reference: each step's curve follows the chains of
// every period that reached the required step before, converts those
// counted at the step, within its horizon, censors the open ones at their
// age and the others at the horizon, and with none open reaches the rate
// exactly.
func checkCurves(t *testing.T, p *compiled, s *Series, curves []StepCurve) {
	for k := 1; k < p.n; k++ {
		var trials, reached, open int64
		for _, pd := range s.Periods {
			trials += pd.Steps[p.prev[k]].Reached
			reached += pd.Steps[k].Reached
			open += pd.Steps[k].Open.Successes()
		}
		sc := curves[k-1]
		if sc.Curve == nil {
			if trials != 0 {
				t.Fatalf("step %d: no curve for %d trials", k, trials)
			}
			continue
		}
		var converted, censored int64
		for _, pt := range sc.Curve.Points {
			converted += pt.Converted
			censored += pt.Censored
			if pt.Converted > 0 && (pt.Time < 0 || pt.Time > sc.Horizon) {
				t.Fatalf("step %d: conversions at %v, horizon %v", k, pt.Time, sc.Horizon)
			}
		}
		if sc.Curve.Entities != trials || converted != reached || censored != trials-reached || sc.Immature != open {
			t.Fatalf("step %d: curve of %d entities, %d converted, %d censored, %d immature; series %d trials, %d reached, %d open",
				k, sc.Curve.Entities, converted, censored, sc.Immature, trials, reached, open)
		}
		if open == 0 && sc.Share != float64(reached)/float64(trials) {
			t.Fatalf("step %d: nothing open, share %v, rate %d/%d", k, sc.Share, reached, trials)
		}
	}
}

// TestSeriesMatureCurve: for every mature period of random funnels, the
// Kaplan–Meier curve of its cohort alone (kpi.KaplanMeier over the
// period's observations, as Counter.Curves makes them) reaches, at the
// step's horizon, the plain step rate bit for bit, which is the estimate
// Series gives it without drawing the curve.
func TestSeriesMatureCurve(t *testing.T) {
	tests := []struct {
		name     string
		counting Counting
		within   time.Duration
	}{
		{"unique", Unique, 0},
		{"totals, within", Totals, 3 * 24 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Definition{Steps: []Match{{Event: "a"}, {Event: "b"}, {Event: "c", Within: tc.within}}, Window: 7 * 24 * time.Hour, Counting: tc.counting}
			c, err := NewCounter(d)
			if err != nil {
				t.Fatal(err)
			}
			base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			rng := rand.New(rand.NewPCG(uint64(tc.counting), 7))
			for i := range 4000 {
				start := rng.Float64() * 120
				for range 1 + rng.IntN(4) {
					at := base.Add(time.Duration((start + rng.Float64()*8) * float64(24*time.Hour)))
					if err := c.Add(Event{Entity: fmt.Sprint("u", i), Name: string(rune('a' + rng.IntN(3))), Time: at}); err != nil {
						t.Fatal(err)
					}
				}
			}
			asOf := base.Add(140 * 24 * time.Hour)
			s, err := c.Series(Periods{Grain: Month, Location: time.UTC}, asOf)
			if err != nil {
				t.Fatal(err)
			}
			// The cohorts again, by the month of each chain's entry.
			cohorts := map[int]*tally{}
			c.tl.all.each(nil, func(level int, _, _ uint16, chain, _ *[maxSteps]int64) {
				m := int(time.Unix(0, chain[0]).UTC().Month())
				if cohorts[m] == nil {
					cohorts[m] = newTally(c.p.n)
				}
				cohorts[m].add(level, 1<<level-1, 1<<level-1, chain, nil, nil)
			})
			checked := 0
			for _, p := range s.Periods {
				for k := 1; k < c.p.n; k++ {
					ps := p.Steps[k]
					if !ps.Mature || ps.Rate.Trials() == 0 {
						continue
					}
					keys, open, _, _ := c.p.observe(nil, cohorts[int(p.Start.Month())], k, asOf.UnixNano())
					obs := make([]kpi.Observation, len(keys))
					for i, key := range keys { // the observations packed by km.Key
						obs[i] = kpi.Observation{Time: math.Float64frombits(key >> 1), Converted: key&1 == 0}
					}
					curve, err := kpi.KaplanMeier(slices.Values(obs), 0.95, kpi.LogLogScale)
					if err != nil {
						t.Fatal(err)
					}
					share, _ := curve.At(float64(c.p.horizon(k)) / day)
					want, _ := ps.Rate.Value()
					if open != 0 || share != want || ps.Estimate != want {
						t.Errorf("%s step %d: open %d, curve %v, estimate %v, rate %v", p.Label, k, open, share, ps.Estimate, want)
					}
					checked++
				}
			}
			if checked < 6 {
				t.Errorf("only %d mature steps", checked)
			}
		})
	}
}
