package kpibeam_test

import (
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	kpibeam "github.com/kpiflow/kpi/beam"
	"github.com/kpiflow/kpi/funnel"
)

// BenchmarkFunnelPrism runs Funnel on Prism over the generated events
// (KPIBEAM_EVENTS of them, 200 000 by default), generation included;
// BenchmarkFunnelMemory counts the same events with one in-memory Counter.
func BenchmarkFunnelPrism(b *testing.B) {
	list := shardList(size(b))
	b.ReportAllocs()
	for b.Loop() {
		p, s := beam.NewPipelineWithRoot()
		if _, err := kpibeam.Funnel(s, genDef, beam.ParDo(s, genEvents, beam.CreateList(s, list))); err != nil {
			b.Fatal(err)
		}
		if err := ptest.Run(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size(b))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkFunnelMemory is the in-memory baseline of BenchmarkFunnelPrism.
func BenchmarkFunnelMemory(b *testing.B) {
	list := shardList(size(b))
	b.ReportAllocs()
	for b.Loop() {
		c, err := funnel.NewCounter(genDef)
		if err != nil {
			b.Fatal(err)
		}
		for _, sh := range list {
			shardEvents(sh, func(e funnel.Event) {
				if err := c.Add(e); err != nil {
					b.Fatal(err)
				}
			})
		}
		if _, err := c.Result(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size(b))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
