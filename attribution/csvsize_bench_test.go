package attribution_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/kpiflow/kpi/attribution"
)

// BenchmarkReadSize reads n and 10n distinct paths over 20 channels: the
// cost per path must stay the same (issue 13: Read is linear in its input).
func BenchmarkReadSize(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		data := sizeCSV(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := attribution.Read(bytes.NewReader(data), attribution.Format{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// sizeCSV writes n distinct paths of one to eight touches on 20 channels,
// the path's number written into its first channel's name to keep the
// paths distinct.
func sizeCSV(n int) []byte {
	r := rand.New(rand.NewPCG(4, 2))
	var buf bytes.Buffer
	buf.WriteString("path;total_conversions;total_conversion_value;total_null\n")
	for i := range n {
		fmt.Fprintf(&buf, "p%d", i)
		for range r.IntN(8) {
			fmt.Fprintf(&buf, " > c%d", r.IntN(20))
		}
		conv := r.IntN(3)
		fmt.Fprintf(&buf, ";%d;%d.%02d;%d\n", conv, conv*r.IntN(500), r.IntN(100)*min(conv, 1), r.IntN(5))
	}
	return buf.Bytes()
}

// BenchmarkReadSmall reads the five journeys of the package's sample, as
// a test or a request handler would: the cost of a small read is its
// rows', not a fixed buffer's.
func BenchmarkReadSmall(b *testing.B) {
	data := []byte(sample)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := attribution.Read(bytes.NewReader(data), attribution.Format{}); err != nil {
			b.Fatal(err)
		}
	}
}
