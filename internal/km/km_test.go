package km

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mathext"
)

func TestZ(t *testing.T) {
	tests := []struct {
		name  string
		level float64
		want  float64 // R: qnorm(1 - (1 - level)/2), print(digits = 17)
	}{
		{"0.95", 0.95, 1.959963984540054},
		{"0.90", 0.90, 1.6448536269514722},
		{"0.99", 0.99, 2.5758293035489004},
		{"0.8, computed", 0.8, 1.2815515655446004},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.want, Z(tc.level), 1e-14)
		})
	}
	// The usual levels from the exact α: 1 − 0.95 in float64 is not 0.05.
	level := 0.95
	assert.Equal(t, -mathext.NormalQuantile(0.025), Z(level))
}

// walk collects Walk's points.
func walk(keys []uint64, z float64, scale Scale) []Point {
	var out []Point
	Walk(keys, z, scale, func(p Point) { out = append(out, p) })
	return out
}

// obs is an observation of the tests: a time and whether it is an event.
type obs struct {
	t     uint64
	event bool
}

// sortedKeys packs and sorts the observations.
func sortedKeys(o []obs) []uint64 {
	keys := make([]uint64, len(o))
	for i, x := range o {
		keys[i] = Key(x.t, x.event)
	}
	Sort(keys, nil)
	return keys
}

func TestKey(t *testing.T) {
	tests := []struct {
		name  string
		t     uint64
		event bool
		want  uint64
	}{
		{"event at 0", 0, true, 0},
		{"censoring at 0", 0, false, 1},
		{"event at 5", 5, true, 10},
		{"censoring at 5", 5, false, 11},
		{"largest time", 1<<63 - 1, false, math.MaxUint64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Key(tc.t, tc.event))
		})
	}
	// At one time the event sorts first, and any later time after both.
	assert.Less(t, Key(7, true), Key(7, false))
	assert.Less(t, Key(7, false), Key(8, true))
}

func TestSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int, mask uint64) []uint64 {
		out := make([]uint64, n)
		for i := range out {
			out[i] = rng.Uint64() & mask
		}
		return out
	}
	tests := []struct {
		name    string
		keys    []uint64
		scratch []uint64
	}{
		{"empty", nil, nil},
		{"one", []uint64{3}, nil},
		{"short, by comparison", random(radixMin-1, math.MaxUint64), nil},
		{"radix, every byte", random(5000, math.MaxUint64), nil},
		{"radix, low digits only (skipped positions)", random(5000, 0xfffff), nil},
		{"radix, all equal", slices.Repeat([]uint64{42}, radixMin), nil},
		{"radix, high digit only", random(3000, 0x1ff<<55), nil},
		{"radix, scratch too short", random(1000, math.MaxUint64), make([]uint64, 10)},
		{"radix, scratch long enough", random(1000, math.MaxUint64), make([]uint64, 0, 2000)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := slices.Clone(tc.keys)
			slices.Sort(want)
			got := slices.Clone(tc.keys)
			scratch := Sort(got, tc.scratch)
			assert.Equal(t, want, got)
			if len(got) >= radixMin {
				assert.GreaterOrEqual(t, cap(scratch), len(got), "scratch returned for reuse")
			}
		})
	}
}

func TestSortAllocs(t *testing.T) {
	keys := make([]uint64, 4096)
	scratch := make([]uint64, len(keys))
	rng := rand.New(rand.NewPCG(3, 4))
	allocs := testing.AllocsPerRun(10, func() {
		for i := range keys {
			keys[i] = rng.Uint64()
		}
		scratch = Sort(keys, scratch)
	})
	assert.Zero(t, allocs)
	assert.True(t, slices.IsSorted(keys))
}

func TestDistinct(t *testing.T) {
	tests := []struct {
		name string
		obs  []obs
		want int
	}{
		{"none", nil, 0},
		{"one", []obs{{3, true}}, 1},
		{"event and censoring at one time", []obs{{3, true}, {3, false}}, 1},
		{"three times", []obs{{1, true}, {2, false}, {2, false}, {5, true}, {5, true}}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Distinct(sortedKeys(tc.obs)))
		})
	}
}

// handObs is the hand-calculated example of TestWalk: six entities, with
// events at 1, 2, 3 and 5 and censorings at 2 (tied with an event) and 4.
var handObs = []obs{{5, true}, {2, false}, {1, true}, {4, false}, {3, true}, {2, true}}

// TestWalk checks Walk against a hand calculation of handObs. The event
// at 2 comes before the censoring at 2, so both are at risk at 2:
//
//	t  nᵢ dᵢ cᵢ  S(t)                     σ²(t) = Σ dᵢ/(nᵢ(nᵢ − dᵢ))
//	1  6  1  0   5/6                      1/(6·5) = 1/30
//	2  5  1  1   4/6 = 2/3                1/30 + 1/(5·4) = 1/12
//	3  3  1  0   2/3 · (1 − 1/3) = 4/9    1/12 + 1/(3·2) = 1/4
//	4  2  0  1   4/9 (no event: flat)     1/4
//	5  1  1  0   4/9 · (1 − 1/1) = 0      1/4 (d = n adds nothing)
//
// so Share = 1/6, 1/3, 5/9, 5/9, 1; at 1 and 2, before any censoring,
// Share is the plain share 1/6 and 2/6 exactly. The 95 % intervals,
// z = 1.959963984540054, σ = √σ²:
//
//	log-log, S^exp(±zσ/log S), Share's = 1 − S's, ends swapped:
//	  t=1: log S = −0.18232155679395462, zσ/log S = −1.9626797567762793,
//	       Share in [1 − (5/6)^e^−1.96268, 1 − (5/6)^e^1.96268]
//	       = [0.02528757330910647, 0.7268771500716442]
//	  t=2: log S = −0.40546510810816444, zσ/log S = −1.395416906963919,
//	       [0.09556583567748367, 0.8053833631937651]
//	  t=3: log S = −0.8109302162163288, zσ/log S = −1.2084664903010607,
//	       [0.21509163285204147, 0.9338132468535876]
//	log, S·exp(±zσ) capped at 1:
//	  t=1: S·e^zσ = 0.8333·1.4300 > 1, so Lo = 0; Hi = 1 − (5/6)e^−0.35783
//	       = 0.4173452045228604
//	  t=2: [0, 0.621393539112905], t=3: [0, 0.8331920633719215]
//	plain, S ± zσS clamped to [0, 1]:
//	  t=1: [0, 0.4648656906195261], t=2: [0, 0.7105285780253906],
//	  t=3: [1 − (4/9)(1 + 1.96·0.5), 1 − (4/9)(1 − 1.96·0.5)]
//	       = [0.12000800343554352, 0.9911031076755676]
//
// At 4 the point repeats the one at 3; at 5, S = 0, the interval keeps
// the Lo of 4 and reaches 1.
func TestWalk(t *testing.T) {
	type iv struct{ lo, hi float64 }
	tests := []struct {
		name  string
		scale Scale
		at    []iv // at times 1, 2, 3
	}{
		{"log-log", LogLog, []iv{{0.02528757330910647, 0.7268771500716442}, {0.09556583567748367, 0.8053833631937651}, {0.21509163285204147, 0.9338132468535876}}},
		{"log", Log, []iv{{0, 0.4173452045228604}, {0, 0.621393539112905}, {0, 0.8331920633719215}}},
		{"plain", Plain, []iv{{0, 0.4648656906195261}, {0, 0.7105285780253906}, {0.12000800343554352, 0.9911031076755676}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pts := walk(sortedKeys(handObs), z95, tc.scale)
			require.Len(t, pts, 5)
			wantRisk := []int64{6, 5, 3, 2, 1}
			wantEvents := []int64{1, 1, 1, 0, 1}
			wantCens := []int64{0, 1, 0, 1, 0}
			wantShare := []float64{1.0 / 6, 2.0 / 6, 5.0 / 9, 5.0 / 9, 1}
			for i, p := range pts {
				assert.Equal(t, uint64(i+1), p.Time)
				assert.Equal(t, wantRisk[i], p.AtRisk, "at risk at %d", p.Time)
				assert.Equal(t, wantEvents[i], p.Events, "events at %d", p.Time)
				assert.Equal(t, wantCens[i], p.Censored, "censored at %d", p.Time)
				assert.InDelta(t, wantShare[i], p.Share, 1e-15, "share at %d", p.Time)
			}
			assert.Equal(t, 1.0/6, pts[0].Share, "the plain share, exactly")
			assert.Equal(t, 2.0/6, pts[1].Share, "the plain share, exactly")
			for i, w := range tc.at {
				assert.InDelta(t, w.lo, pts[i].Lo, 1e-12, "lo at %d", i+1)
				assert.InDelta(t, w.hi, pts[i].Hi, 1e-12, "hi at %d", i+1)
			}
			assert.Equal(t, pts[2].Share, pts[3].Share, "flat without events")
			assert.Equal(t, [2]float64{pts[2].Lo, pts[2].Hi}, [2]float64{pts[3].Lo, pts[3].Hi})
			assert.Equal(t, [2]float64{pts[3].Lo, 1}, [2]float64{pts[4].Lo, pts[4].Hi}, "S = 0")
		})
	}
}

// TestWalkSpecial checks the special cases: no key, censorings before
// any event, and every entity converting at once.
func TestWalkSpecial(t *testing.T) {
	tests := []struct {
		name string
		obs  []obs
		want []Point
	}{
		{"no keys", nil, nil},
		{"only censored", []obs{{2, false}, {1, false}}, []Point{
			{Time: 1, AtRisk: 2, Censored: 1},
			{Time: 2, AtRisk: 1, Censored: 1},
		}},
		{"all convert at once", []obs{{4, true}, {4, true}}, []Point{
			// S = 0 at the first point: the Lo of no point before, 0.
			{Time: 4, AtRisk: 2, Events: 2, Share: 1, Lo: 0, Hi: 1},
		}},
		{"censored first, then one of two converts", []obs{{1, false}, {3, true}, {3, false}}, []Point{
			{Time: 1, AtRisk: 3, Censored: 1},
			// S = 1 − 1/2 after censoring: Share 1 − S; σ² = 1/(2·1).
			{Time: 3, AtRisk: 2, Events: 1, Censored: 1, Share: 0.5},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := walk(sortedKeys(tc.obs), z95, LogLog)
			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				if w.Share == 0.5 { // the interval of S = 1/2, σ² = 1/2
					w.Lo, w.Hi = Bounds(0.5, 0.5, z95, LogLog)
				}
				assert.Equal(t, w, got[i])
			}
		})
	}
}

// TestBounds checks the scales' formulas against hand calculations and
// their clamps.
func TestBounds(t *testing.T) {
	tests := []struct {
		name   string
		s, g   float64
		scale  Scale
		lo, hi float64
	}{
		// S = 2/3, σ² = 1/12 as at t = 2 of TestWalk.
		{"log-log", 2.0 / 3, 1.0 / 12, LogLog, 0.09556583567748367, 0.8053833631937651},
		// S·e^±zσ = 0.5·e^±(1.96·0.1): 0.5·1.21653 = 0.608267, 0.5·0.822006.
		{"log", 0.5, 0.01, Log, 1 - 0.5*math.Exp(z95*0.1), 1 - 0.5*math.Exp(-z95*0.1)},
		{"log, capped at 1", 0.9, 0.04, Log, 0, 1 - 0.9*math.Exp(-z95*0.2)},
		// S ± zσS = 0.5 ± 1.96·0.1·0.5 = 0.5 ± 0.098.
		{"plain", 0.5, 0.01, Plain, 0.5 - z95*0.1*0.5, 0.5 + z95*0.1*0.5},
		{"plain, clamped to 0 and 1", 0.5, 1, Plain, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := Bounds(tc.s, tc.g, z95, tc.scale)
			assert.InDelta(t, tc.lo, lo, 1e-12, "lo")
			assert.InDelta(t, tc.hi, hi, 1e-12, "hi")
		})
	}
}

// bruteForce is the product-limit estimate written out plainly: for
// each distinct time t, taken in order, it counts again over all the
// observations those at risk (time ≥ t), the events and the censorings
// at t, and multiplies S by 1 − d/n and adds d/(n(n − d)) to σ².
func bruteForce(o []obs) (times []uint64, risk, events, cens []int64, surv, greenwood []float64) {
	for _, x := range o {
		times = append(times, x.t)
	}
	slices.Sort(times)
	times = slices.Compact(times)
	s, g := 1.0, 0.0
	for _, t := range times {
		var n, d, c int64
		for _, x := range o {
			switch {
			case x.t == t && x.event:
				d++
			case x.t == t:
				c++
			}
			if x.t >= t {
				n++
			}
		}
		s *= 1 - float64(d)/float64(n)
		if d < n {
			g += float64(d) / (float64(n) * float64(n-d))
		}
		risk, events, cens = append(risk, n), append(events, d), append(cens, c)
		surv, greenwood = append(surv, s), append(greenwood, g)
	}
	return
}

// FuzzKM compares Sort and Walk with bruteForce. Each byte of data is an
// observation: its low 3 bits its time (so that times tie, events with
// censorings), bit 3 whether it is an event; seed shuffles the
// observations before they are packed. The seeds run in go test.
func FuzzKM(f *testing.F) {
	f.Add([]byte{5 | 8, 2, 1 | 8, 4, 3 | 8, 2 | 8}, uint64(1)) // handObs
	f.Add([]byte{1, 1, 1}, uint64(2))                          // only censorings
	f.Add([]byte{8 | 4, 8 | 4, 8 | 4}, uint64(3))              // all at once
	f.Add([]byte{0, 8, 0, 8, 1, 9, 2, 10, 7, 15, 7}, uint64(4))
	long := make([]byte, 700) // past radixMin, by radix
	for i := range long {
		long[i] = byte(i*7 + i/13)
	}
	f.Add(long, uint64(5))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		o := make([]obs, len(data))
		for i, b := range data {
			o[i] = obs{t: uint64(b & 7), event: b&8 != 0}
		}
		rng := rand.New(rand.NewPCG(seed, 0))
		rng.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
		keys := make([]uint64, len(o))
		for i, x := range o {
			keys[i] = Key(x.t, x.event)
		}
		Sort(keys, nil)
		if !slices.IsSorted(keys) {
			t.Fatal("keys not sorted")
		}
		got := walk(keys, z95, LogLog)
		times, risk, events, cens, surv, greenwood := bruteForce(o)
		if len(got) != len(times) || Distinct(keys) != len(times) {
			t.Fatalf("%d points, %d distinct, want %d", len(got), Distinct(keys), len(times))
		}
		for i, p := range got {
			if p.Time != times[i] || p.AtRisk != risk[i] || p.Events != events[i] || p.Censored != cens[i] {
				t.Fatalf("point %d: %+v, want time %d, at risk %d, events %d, censored %d", i, p, times[i], risk[i], events[i], cens[i])
			}
			if math.Abs(p.Share-(1-surv[i])) > 1e-12 {
				t.Fatalf("point %d: share %v, want %v", i, p.Share, 1-surv[i])
			}
			var lo, hi float64
			switch {
			case i > 0 && events[i] == 0:
				lo, hi = got[i-1].Lo, got[i-1].Hi
				if p.Share != got[i-1].Share {
					t.Fatalf("point %d: share %v moved without events from %v", i, p.Share, got[i-1].Share)
				}
			case surv[i] == 1:
			case surv[i] == 0: // everyone at risk converted
				if i > 0 {
					lo = got[i-1].Lo
				}
				hi = 1
			default:
				lo, hi = Bounds(surv[i], greenwood[i], z95, LogLog)
			}
			if math.Abs(p.Lo-lo) > 1e-9 || math.Abs(p.Hi-hi) > 1e-9 {
				t.Fatalf("point %d: interval [%v, %v], want [%v, %v]", i, p.Lo, p.Hi, lo, hi)
			}
		}
	})
}

// TestPow checks pow against math.Pow bit for bit: on the edges of its
// algorithm (a fraction at, below and above one half; integer parts of
// one, two and many bits; math.Pow's special cases 1 and 0.5; y past 2⁵²,
// +Inf and NaN, left to math.Pow; an x^yi past any float64's exponent)
// and on random x in (0, 1) with y spread over (0, 40).
func TestPow(t *testing.T) {
	tests := []struct {
		name string
		x, y float64
	}{
		{"y 0", 0.3, 0},
		{"y below one half", 0.3, 0.25},
		{"y one half", 0.3, 0.5},
		{"y above one half", 0.3, 0.75},
		{"y 1", 0.3, 1},
		{"y 1.5", 0.3, 1.5},
		{"y 2", 0.3, 2},
		{"y 7.9", 0.999, 7.9},
		{"y 1000.3", 0.999, 1000.3},
		{"y 2⁵²", 0.999999, 1 << 52},
		{"y +Inf", 0.5, math.Inf(1)},
		{"y NaN", 0.5, math.NaN()},
		{"x tiny, y large: underflow", 1e-300, 1e6 + 0.25},
		{"x subnormal", 5e-324, 1.25},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := math.Pow(tc.x, tc.y)
			got := pow(tc.x, math.Log(tc.x), tc.y)
			assert.Equal(t, math.Float64bits(want), math.Float64bits(got), "pow(%v, %v) = %v, math.Pow %v", tc.x, tc.y, got, want)
		})
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100000 {
		x := rng.Float64()
		if x == 0 {
			continue
		}
		y := math.Exp(rng.Float64()*8 - 4) // e^−4 … e^4, as exp(±zσ/log S)
		if got, want := pow(x, math.Log(x), y), math.Pow(x, y); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("pow(%v, %v) = %v, math.Pow %v", x, y, got, want)
		}
	}
}
