package cohort_test

import (
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/cohort"
)

// benchTable is a table of 100 monthly cohorts, each with 24 ages.
func benchTable() *cohort.Table {
	t := &cohort.Table{Grain: cohort.Month, Through: time.Date(2034, 4, 1, 0, 0, 0, 0, time.UTC), Cohorts: make([]cohort.Cohort, 100)}
	for i := range t.Cohorts {
		c := &t.Cohorts[i]
		c.Start = time.Date(2026, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
		c.Size = 1000
		c.Cells = make([]cohort.Cell, 24)
		for a := range c.Cells {
			n := int64(1000 - 30*a)
			c.Cells[a] = cohort.Cell{Active: n, Survivors: n, Revenue: decimal.New(n*99, -2),
				Movement: cohort.Movement{Opening: decimal.New((n+30)*99, -2), Churn: decimal.New(30*99, -2), OpeningAccounts: n + 30, Churned: 30}}
		}
	}
	return t
}

// BenchmarkTableMarshalJSON marshals a 100-cohort × 24-month table; the
// issue's target is 2 ms. Through json.Marshal, which checks and compacts
// what MarshalJSON returns; by MarshalJSON alone; and, for reference, as
// encoding/json writes the same fields from their tags (the form before
// Table had a MarshalJSON). It reports the CPU time per marshal too,
// since the machine may be shared.
func BenchmarkTableMarshalJSON(b *testing.B) {
	t := benchTable()
	for _, bc := range []struct {
		name    string
		marshal func() ([]byte, error)
	}{
		{"json.Marshal", func() ([]byte, error) { return json.Marshal(t) }},
		{"MarshalJSON", t.MarshalJSON},
		{"tags", func() ([]byte, error) { return json.Marshal((*plainTable)(t)) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := bc.marshal(); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// BenchmarkTableWriteCSV writes the same table's 2400 cells as CSV.
func BenchmarkTableWriteCSV(b *testing.B) {
	t := benchTable()
	b.ReportAllocs()
	for b.Loop() {
		if err := t.WriteCSV(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
