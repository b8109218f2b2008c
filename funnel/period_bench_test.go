package funnel_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

// The periods' benchmark data: the 10 million events of the Counter
// benchmarks' generator (1 million entities, 10 events each, five steps
// and a page view), but with each entity's first event on a day spread
// uniformly over the 90 days from benchBase, so that the entries fill
// three months; sorted by entity and time.
var (
	spreadOnce   sync.Once
	spreadIDs    []string
	spreadSorted []compact
	spreadAsOf   = time.Unix(0, benchBase).Add(150 * 24 * time.Hour)
	spreadDef    = funnel.Definition{
		Steps:  []funnel.Match{{Event: "visit"}, {Event: "lead"}, {Event: "mql"}, {Event: "sql"}, {Event: "won"}},
		Window: 14 * 24 * time.Hour,
	}
)

func spreadData() {
	spreadOnce.Do(func() {
		rng := rand.New(rand.NewPCG(3, 4))
		spreadIDs = make([]string, benchEntities)
		for i := range spreadIDs {
			spreadIDs[i] = fmt.Sprintf("contact-%07d", i)
		}
		spreadSorted = make([]compact, 0, benchEntities*benchPer)
		for e := range benchEntities {
			off := int32(rng.IntN(90 * 24 * 3600))
			step := 0
			for range benchPer {
				off += int32(rng.IntN(3 * 24 * 3600))
				name := 5
				if rng.IntN(3) > 0 {
					if step < 5 && rng.IntN(2) == 0 {
						step++
					}
					name = max(step-1, 0)
				}
				spreadSorted = append(spreadSorted, compact{uint32(e), uint8(name), off})
			}
		}
	})
}

func spreadEvents(yield func(funnel.Event) bool) {
	for _, c := range spreadSorted {
		if !yield(funnel.Event{Entity: spreadIDs[c.ent], Name: benchNames[c.name], Time: time.Unix(0, benchBase+int64(c.off)*int64(time.Second))}) {
			return
		}
	}
}

// BenchmarkSeries counts the spread events with AddSorted and reads them
// out: "single" as one funnel (Result), "months" as the per-month cohort
// and flow funnels of the three months and the two after (Series, with
// each period's Kaplan–Meier estimates).
func BenchmarkSeries(b *testing.B) {
	spreadData()
	months := funnel.Periods{Grain: funnel.Month, Location: time.UTC}
	for _, bc := range []struct {
		name string
		read func(*funnel.Counter) error
	}{
		{"single", func(c *funnel.Counter) error { _, err := c.Result(); return err }},
		{"months", func(c *funnel.Counter) error { _, err := c.Series(months, spreadAsOf); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c, err := funnel.NewCounter(spreadDef)
				if err != nil {
					b.Fatal(err)
				}
				if err := c.AddSorted(spreadEvents); err != nil {
					b.Fatal(err)
				}
				if err := bc.read(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCurves reads the conversion curves of the spread events' four
// steps after the first, 1 million entities, from a Counter filled once
// outside the loop: the Kaplan–Meier estimates alone. cpu-ns/op is the
// processor time per call, the collector's included.
func BenchmarkCurves(b *testing.B) {
	spreadData()
	c, err := funnel.NewCounter(spreadDef)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.AddSorted(spreadEvents); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := c.Curves(spreadAsOf, 0.95); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}
