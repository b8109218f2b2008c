package attribution_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"testing"

	"github.com/kpiflow/kpi/attribution"
)

// BenchmarkRead reads 1M distinct paths over 20 channels (about 70 MB):
// Read alone, to set against BenchmarkCSV on the same bytes.
func BenchmarkRead(b *testing.B) {
	data := bigCSV()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := attribution.Read(bytes.NewReader(data), attribution.Format{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCSV splits the bytes of BenchmarkRead into records with
// encoding/csv alone (ReuseRecord), the floor under Read's cost.
func BenchmarkCSV(b *testing.B) {
	data := bigCSV()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma = ';'
		r.ReuseRecord = true
		n := 0
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(rec)
		}
		if n == 0 {
			b.Fatal("no records")
		}
	}
}

// BenchmarkChainAdd counts one journey of 9 touches into an order-2 chain
// whose states already exist: 0 allocations.
func BenchmarkChainAdd(b *testing.B) {
	c, _ := attribution.NewChain(2)
	j := attribution.Journey{Touches: touches("a", "b", "c", "a", "d", "b", "c", "e", "a"), Conversions: 1, Nulls: 2}
	if err := c.Add(j); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Add(j); err != nil {
			b.Fatal(err)
		}
	}
}
