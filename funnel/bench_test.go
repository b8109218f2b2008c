package funnel_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

var benchStages = []funnel.Stage{{"Visit", 12000}, {"Lead", 240}, {"MQL", 96}, {"SQL", 40}, {"Opportunity", 25}, {"Won", 6}}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := funnel.New(benchStages...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	f := mustNew(b, benchStages...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Check(slaSix, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBottlenecks(b *testing.B) {
	f := mustNew(b, benchStages...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Bottlenecks(slaSix, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlan(b *testing.B) {
	m, err := mustNew(b, benchStages...).Model(decimal.NewFromInt(24000))
	if err != nil {
		b.Fatal(err)
	}
	m.Costs = map[string]decimal.Decimal{"Lead": decimal.RequireFromString("45.00")}
	goal := decimal.NewFromInt(240000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := funnel.Plan(m, goal); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForecast(b *testing.B) {
	m, err := mustNew(b, benchStages...).Model(decimal.NewFromInt(24000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := funnel.Forecast(m, 15000); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	a := mustNew(b, benchStages...)
	c := mustNew(b, funnel.Stage{"Visit", 11500}, funnel.Stage{"Lead", 260}, funnel.Stage{"MQL", 110},
		funnel.Stage{"SQL", 52}, funnel.Stage{"Opportunity", 30}, funnel.Stage{"Won", 8})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := funnel.Compare(c, a, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareSegments compares 10 channel funnels of six stages.
func BenchmarkCompareSegments(b *testing.B) {
	segs := make([]funnel.Segment, 10)
	for i := range segs {
		k := int64(i + 1)
		segs[i] = funnel.Segment{Name: fmt.Sprint("channel", i), Funnel: mustNew(b,
			funnel.Stage{"Visit", 10000 * k}, funnel.Stage{"Lead", 200*k + 7*k*k}, funnel.Stage{"MQL", 80*k + k*k},
			funnel.Stage{"SQL", 30*k + k}, funnel.Stage{"Opportunity", 20 * k}, funnel.Stage{"Won", 5*k + k%3})}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := funnel.CompareSegments(segs, kpi.Wilson, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVelocity(b *testing.B) {
	win := rate(b, 6, 25)
	deal := decimal.NewFromInt(24000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := funnel.Velocity(25, win, deal, 60*24*time.Hour); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteTo(b *testing.B) {
	f := mustNew(b, benchStages...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
