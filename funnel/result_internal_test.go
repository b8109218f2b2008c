package funnel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"
)

// refSummarise is summarise as it was written before it sorted integers:
// the times copied into float64s, sorted, and read with gonum's
// stat.Quantile (Empirical) and stat.Mean, the histogram by a binary
// search of the edges per time, and the quantiles qs too by
// stat.Quantile. summarise must agree with it bit for bit.
func refSummarise(ns []int64, edges []time.Duration, qs []float64) Durations {
	d := Durations{N: int64(len(ns)), Bins: make([]Bin, len(edges)+1)}
	for i, e := range edges {
		d.Bins[i].Upper = e
	}
	d.Bins[len(edges)].Upper = math.MaxInt64
	for _, q := range qs {
		d.Quantiles = append(d.Quantiles, Quantile{P: q})
	}
	if len(ns) == 0 {
		return d
	}
	xs := make([]float64, len(ns))
	for i, v := range ns {
		xs[i] = float64(v)
		j, _ := slices.BinarySearch(edges, time.Duration(v))
		d.Bins[j].Count++
	}
	slices.Sort(xs)
	d.Median = time.Duration(stat.Quantile(0.5, stat.Empirical, xs, nil))
	d.P90 = time.Duration(stat.Quantile(0.9, stat.Empirical, xs, nil))
	for i, q := range qs {
		d.Quantiles[i].Time = time.Duration(stat.Quantile(q, stat.Empirical, xs, nil))
	}
	d.Mean = time.Duration(math.Round(stat.Mean(xs, nil)))
	return d
}

// TestSummariseGonum checks summarise against refSummarise (gonum's
// statistics over float64s) on every length up to 80 and a few long
// ones across the radix sort's threshold, for times of a few kinds: whole
// hours with many ties, nanoseconds spread over a year, times beyond 2⁵³
// ns (which float64 rounds, so that Median, P90 and Mean are rounded as
// the float64 statistics were), negative times, and times at the ends of
// int64; with quantiles asked at probabilities whose p·n rounds near
// whole numbers (0.3, 0.7) and in the tails.
func TestSummariseGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	kinds := []struct {
		name string
		gen  func() int64
	}{
		{"hours", func() int64 { return int64(1+rng.IntN(96)) * int64(time.Hour) }},
		{"year", func() int64 { return rng.Int64N(int64(365 * 24 * time.Hour)) }},
		{"beyond 2^53", func() int64 { return 1<<53 + rng.Int64N(1<<60) }},
		{"negative", func() int64 { return rng.Int64N(1<<50) - 1<<49 }},
		{"extremes", func() int64 {
			return []int64{math.MinInt64, math.MaxInt64, 0, -1, 1, math.MaxInt64 - 1}[rng.IntN(6)]
		}},
	}
	lengths := []int{}
	for n := range 81 {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, radixMin-1, radixMin, radixMin+1, 1000, 4099, 100_003)
	edges := []time.Duration{time.Minute, time.Hour, 24 * time.Hour, math.MaxInt64}
	qs := []float64{0.001, 0.01, 0.25, 0.3, 0.7, 0.75, 0.95, 0.99, 0.999}
	for _, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			for _, n := range lengths {
				ns := make([]int64, n)
				for i := range ns {
					ns[i] = kind.gen()
				}
				want := refSummarise(ns, edges, qs)
				kept := slices.Clone(ns)
				got := summarise(ns, edges, qs)
				require.Equal(t, kept, ns, "n=%d: summarise changed its input", n)
				assert.Equal(t, want, got, "n=%d", n)
				assert.Equal(t, want, summariseOwned(ns, edges, qs), "n=%d: owned", n)
				assert.True(t, slices.IsSorted(ns), "n=%d: owned left the times unsorted", n)
			}
		})
	}
}

// TestSortTimes checks the radix sort against slices.Sort, on times that
// differ only in one byte position, in all of them, and not at all.
func TestSortTimes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tests := []struct {
		name string
		gen  func(i int) int64
	}{
		{"all equal", func(int) int64 { return 42 }},
		{"low byte", func(int) int64 { return int64(rng.IntN(256)) }},
		{"top byte", func(int) int64 { return int64(rng.Uint64() & 0xff00_0000_0000_0000) }},
		{"any", func(int) int64 { return int64(rng.Uint64()) }},
		{"descending", func(i int) int64 { return int64(-i) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, n := range []int{0, 1, radixMin, 3 * radixMin} {
				ns := make([]int64, n)
				for i := range ns {
					ns[i] = tc.gen(i)
				}
				want := slices.Clone(ns)
				slices.Sort(want)
				sortTimes(ns)
				assert.Equal(t, want, ns, "n=%d", n)
			}
		})
	}
}

// BenchmarkSortTimes compares sortTimes's radix sort with slices.Sort on
// 300 000 times to convert of whole seconds over up to 90 days, the size
// of a stage of BenchmarkReadHistory.
func BenchmarkSortTimes(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	src := make([]int64, 300_000)
	for i := range src {
		src[i] = rng.Int64N(90*24*3600) * int64(time.Second)
	}
	ns := make([]int64, len(src))
	for _, bc := range []struct {
		name string
		sort func([]int64)
	}{{"radix", sortTimes}, {"pdq", slices.Sort[[]int64]}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				copy(ns, src)
				bc.sort(ns)
			}
		})
	}
}
