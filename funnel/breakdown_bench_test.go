package funnel_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/kpiflow/kpi/funnel"
)

// BenchmarkCounter_AddCross: Add of one event at a time into a funnel
// broken down by the cross of two properties (12 months × 5 sources);
// 0 allocs/op, as without a breakdown (a combination's values are
// allocated once, when first seen).
func BenchmarkCounter_AddCross(b *testing.B) {
	benchData()
	d := benchDef
	d.Breakdown = []string{"month", "source"}
	c, err := funnel.NewCounter(d)
	if err != nil {
		b.Fatal(err)
	}
	props := make([]map[string]string, 60)
	for i := range props {
		props[i] = map[string]string{"month": fmt.Sprintf("2026-%02d", i%12+1), "source": fmt.Sprint("s", i/12)}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		x := benchShuffled[i%len(benchShuffled)]
		e := funnel.Event{Entity: benchIDs[x.ent], Name: benchNames[x.name], Time: time.Unix(0, benchBase+int64(x.off)*int64(time.Second)), Props: props[x.ent%60]}
		if err := c.Add(e); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
