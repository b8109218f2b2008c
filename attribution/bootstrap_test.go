package attribution_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// TestBootstrap checks the intervals every kind of model gets: present for
// every channel, in the kpi shape, around the point estimate, the same
// when the journeys come in another order, and different with another
// seed.
func TestBootstrap(t *testing.T) {
	all := messyJourneys(300)
	build := func(shuffle uint64) *attribution.Journeys {
		js := slices.Clone(all)
		if shuffle > 0 {
			rng := rand.New(rand.NewPCG(shuffle, 3))
			rng.Shuffle(len(js), func(a, b int) { js[a], js[b] = js[b], js[a] })
		}
		var acc attribution.Journeys
		for _, j := range js {
			require.NoError(t, acc.Add(j))
		}
		return &acc
	}
	base, shuffled := build(0), build(7)
	tests := []struct {
		name    string
		model   attribution.Model
		removal bool
	}{
		{"zero model is Markov", nil, true},
		{"markov 2 ChannelAttribution", attribution.Markov{Order: 2, Rules: attribution.ChannelAttribution}, true},
		{"first", attribution.First{}, false},
		{"linear", attribution.Linear{}, false},
		{"time decay", attribution.TimeDecay{}, false},
		{"W-shaped", attribution.WShaped{}, false},
		{"shapley", attribution.Shapley{}, false},
		{"shapley exact, from scratch", attribution.Shapley{Method: attribution.Exact}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := attribution.Bootstrap{Model: tc.model, Replicates: 60, Seed: 11}
			r, err := b.Attribute(base)
			require.NoError(t, err)
			checkInvariants(t, base, r)
			assert.Equal(t, 60, r.Replicates)
			again, err := b.Attribute(shuffled)
			require.NoError(t, err)
			b.Seed = 12
			other, err := b.Attribute(base)
			require.NoError(t, err)
			differs := false
			for k, c := range r.Credits {
				iv := c.Interval
				require.NotNil(t, iv, c.Channel)
				for _, x := range []kpi.Interval{iv.Conversions, iv.Share} {
					assert.Equal(t, 0.95, x.Level)
					assert.Equal(t, "bootstrap-percentile", x.Method)
					assert.LessOrEqual(t, x.Lo, x.Hi)
				}
				assert.LessOrEqual(t, iv.Conversions.Lo, c.Conversions+1e-9, c.Channel)
				assert.GreaterOrEqual(t, iv.Conversions.Hi, c.Conversions-1e-9, c.Channel)
				assert.True(t, iv.Value.Lo.LessThanOrEqual(iv.Value.Hi), c.Channel)
				if tc.removal {
					assert.LessOrEqual(t, iv.Removal.Lo, c.Removal+1e-9, c.Channel)
					assert.GreaterOrEqual(t, iv.Removal.Hi, c.Removal-1e-9, c.Channel)
				} else {
					assert.Equal(t, kpi.Interval{}, iv.Removal)
				}
				assert.True(t, sameInterval(iv, again.Credits[k].Interval), c.Channel)
				differs = differs || !sameInterval(iv, other.Credits[k].Interval)
			}
			assert.True(t, differs, "another seed gives other intervals")
		})
	}
}

// TestBootstrapPoisson checks the first-touch intervals against the
// distribution they estimate: a channel that is the first touch of
// conversions adding up to λ gets Poisson(λ) conversions in a replicate
// (a sum of Poisson draws), so with many replicates its 95 % interval
// tends to R's qpois(c(0.025, 0.975), λ) (R 4.2.2): 361 and 440 for
// λ = 400, 81 and 120 for λ = 100.
func TestBootstrapPoisson(t *testing.T) {
	var b strings.Builder
	b.WriteString("path;total_conversions;total_conversion_value;total_null\n")
	for i := range 40 {
		fmt.Fprintf(&b, "a > b%s;%d;%d;%d\n", strings.Repeat(" > c", i%3), 10, 1000, i%4)
	}
	for i := range 20 {
		fmt.Fprintf(&b, "b > a%s;%d;%d;%d\n", strings.Repeat(" > b", i%2), 5, 100, 1)
	}
	js := read(t, b.String())
	r, err := attribution.Bootstrap{Model: attribution.First{}, Replicates: 4000}.Attribute(js)
	require.NoError(t, err)
	tests := []struct {
		name    string
		channel int
		lo, hi  float64
	}{
		{"a, λ = 400", 0, 361, 440},
		{"b, λ = 100", 1, 81, 120},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			iv := r.Credits[tc.channel].Interval.Conversions
			assert.InDelta(t, tc.lo, iv.Lo, 3)
			assert.InDelta(t, tc.hi, iv.Hi, 3)
		})
	}
}

func TestBootstrapErrors(t *testing.T) {
	js := read(t, sample)
	none := read(t, "path;total_conversions;total_null\na > b;0;5\n")
	huge := read(t, "path;total_conversions;total_null\na > b;4503599627370496;1\n")
	tests := []struct {
		name  string
		b     attribution.Bootstrap
		js    *attribution.Journeys
		class error
		want  string
	}{
		{"negative replicates", attribution.Bootstrap{Replicates: -1}, js, kpi.ErrInvalid, "attribution.Bootstrap.Attribute: Replicates -1: must lie in [0, 100000]"},
		{"too many replicates", attribution.Bootstrap{Replicates: 100_001}, js, kpi.ErrInvalid, "Replicates 100001: must lie in [0, 100000]"},
		{"level", attribution.Bootstrap{Level: 1.5}, js, kpi.ErrInvalid, "attribution.Bootstrap.Attribute: Level 1.5: must lie in (0, 1)"},
		{"nested", attribution.Bootstrap{Model: attribution.Bootstrap{}}, js, kpi.ErrInvalid, "Model attribution.Bootstrap: a Bootstrap of a Bootstrap"},
		{"nil journeys", attribution.Bootstrap{}, nil, kpi.ErrInvalid, "attribution.Bootstrap.Attribute: js <nil>: nil Journeys"},
		{"too many journeys", attribution.Bootstrap{}, huge, kpi.ErrInvalid, "journeys 4503599627370497: more than 2^52"},
		{"model error", attribution.Bootstrap{Model: attribution.Markov{Order: -1}}, js, kpi.ErrInvalid, "attribution.Markov.Attribute: Order -1: must be ≥ 0"},
		{"no conversions", attribution.Bootstrap{}, none, kpi.ErrUndefined, "no conversions"},
		{"rarely defined", attribution.Bootstrap{Model: sevens{}}, js, kpi.ErrUndefined, "the model is undefined in"},
		// A probe: one journey valued 9·10²⁹ on one conversion, half of it
		// a's; a replicate that draws it three times or more (by hand,
		// P(Poisson(1) ≥ 3) = 1 − 2.5/e = 8 %) values a's share at
		// 1.35·10³⁰ or more, so the 97.5 % point of a's value passes 10³⁰,
		// which the result's JSON and table refuse.
		{"value interval beyond the bound", attribution.Bootstrap{Model: attribution.Linear{}}, read(t, "path;total_conversions;total_conversion_value;total_null\na > b;1;900000000000000000000000000000;0\nb;3;0;2\n"),
			kpi.ErrInvalid, `attribution.Bootstrap.Attribute: credit "a" value interval hi 1`},
		// Probes of models of the caller's that break the contract of
		// Result (sample's channels are direct, email, search, social):
		// before, a nil result, an unknown channel in a replicate and a
		// value beyond the bound panicked (nil dereference, index out of
		// range [4] with length 4, "Cannot create a Decimal from +Inf"),
		// NaN conversions gave NaN intervals, and a point estimate out of
		// order or short of a channel had its intervals set on the wrong
		// channels.
		{"caller's model: nil result", tampered(func(rep int, r *attribution.Result) *attribution.Result {
			if rep >= 0 {
				return nil
			}
			return r
		}), js, kpi.ErrInvalid, "<nil>: nil Result without an error"},
		{"caller's model: unknown channel", tampered(func(rep int, r *attribution.Result) *attribution.Result {
			if rep >= 0 {
				r.Credits[0].Channel = "zzz"
			}
			return r
		}), js, kpi.ErrInvalid, `credits[0] channel "zzz": not a channel of the journeys`},
		{"caller's model: value beyond the bound", tampered(func(rep int, r *attribution.Result) *attribution.Result {
			if rep >= 0 {
				r.Credits[0].Value = decimal.New(1, 1<<30)
			}
			return r
		}), js, kpi.ErrInvalid, "credits[0] value 1e1073741824: more than 30 digits before the point"},
		{"caller's model: NaN conversions", tampered(func(rep int, r *attribution.Result) *attribution.Result {
			if rep >= 0 {
				r.Credits[1].Conversions = math.NaN()
			}
			return r
		}), js, kpi.ErrInvalid, "credits[1] conversions NaN: must be finite and not negative"},
		{"caller's model: point out of order", tampered(func(rep int, r *attribution.Result) *attribution.Result {
			if rep < 0 {
				r.Credits[0], r.Credits[1] = r.Credits[1], r.Credits[0]
			}
			return r
		}), js, kpi.ErrInvalid, `attribution.Bootstrap.Attribute: Model's result credits[1] channel "direct": not after the channel before it`},
		{"caller's model: point short of a channel", tampered(func(rep int, r *attribution.Result) *attribution.Result {
			if rep < 0 {
				r.Credits = r.Credits[1:]
			}
			return r
		}), js, kpi.ErrInvalid, "attribution.Bootstrap.Attribute: Model's result credits 3: not one per channel of the journeys (4)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := tc.b.Attribute(tc.js)
			require.ErrorIs(t, err, tc.class)
			assert.ErrorContains(t, err, tc.want)
			assert.Nil(t, r)
		})
	}
}

// tamper is a model of the caller's: the linear model, its result passed
// through f with the number of the call, -1 for the point estimate and
// 0, 1, … for the replicates that reach the model.
type tamper struct {
	calls *int
	f     func(rep int, r *attribution.Result) *attribution.Result
}

func tampered(f func(rep int, r *attribution.Result) *attribution.Result) attribution.Bootstrap {
	return attribution.Bootstrap{Model: tamper{calls: new(int), f: f}, Replicates: 20}
}

func (m tamper) Attribute(js *attribution.Journeys) (*attribution.Result, error) {
	rep := *m.calls - 1
	*m.calls++
	r, err := attribution.Linear{}.Attribute(js)
	if err != nil {
		return nil, err
	}
	return m.f(rep, r), nil
}

// TestBootstrapCallerModel bootstraps models of the caller's that keep the
// contract of Result loosely: one that leaves out, in each replicate, the
// channels it credits with nothing and reports 0 conversions (the share
// divided by it was NaN), gives the intervals of the plain linear model
// bootstrapped from scratch, bit for bit, since a channel left out counts
// 0 and the share is over the replicate's conversions.
func TestBootstrapCallerModel(t *testing.T) {
	js := read(t, sample)
	plain, err := tampered(func(_ int, r *attribution.Result) *attribution.Result { return r }).Attribute(js)
	require.NoError(t, err)
	sparse, err := tampered(func(rep int, r *attribution.Result) *attribution.Result {
		if rep >= 0 {
			r.Credits = slices.DeleteFunc(r.Credits, func(c attribution.Credit) bool { return c.Conversions == 0 })
			r.Conversions = 0
		}
		return r
	}).Attribute(js)
	require.NoError(t, err)
	require.Len(t, sparse.Credits, 4)
	for k, c := range sparse.Credits {
		p := plain.Credits[k]
		assert.Equal(t, p.Channel, c.Channel)
		assert.Equal(t, p.Interval.Conversions, c.Interval.Conversions, c.Channel)
		assert.Equal(t, p.Interval.Share, c.Interval.Share, c.Channel)
		assert.False(t, math.IsNaN(c.Interval.Share.Lo) || math.IsNaN(c.Interval.Share.Hi), c.Channel)
		assert.True(t, p.Interval.Value.Lo.Equal(c.Interval.Value.Lo) && p.Interval.Value.Hi.Equal(c.Interval.Value.Hi), c.Channel)
	}
}

// sevens is a model of the caller's, bootstrapped from scratch: the
// linear model, undefined unless the journeys have 5 conversions, as
// sample has.
type sevens struct{}

func (sevens) Attribute(js *attribution.Journeys) (*attribution.Result, error) {
	if js.Conversions() != 5 {
		return nil, fmt.Errorf("sevens: %w", kpi.ErrUndefined)
	}
	return attribution.Linear{}.Attribute(js)
}

func TestProbGreater(t *testing.T) {
	js := read(t, sample)
	r, err := attribution.Bootstrap{Model: attribution.First{}, Replicates: 400}.Attribute(js)
	require.NoError(t, err)
	tests := []struct {
		name  string
		a, b  string
		lo    float64
		hi    float64
		class error
	}{
		// search is the first touch of 3 conversions, social of none.
		{"search over social", "search", "social", 0.9, 1, nil},
		{"social over search", "social", "search", 0, 0.1, nil},
		{"a channel against itself", "email", "email", 0.5, 0.5, nil},
		{"unknown a", "radio", "email", 0, 0, kpi.ErrInvalid},
		{"unknown b", "email", "radio", 0, 0, kpi.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := r.ProbGreater(tc.a, tc.b)
			if tc.class != nil {
				require.ErrorIs(t, err, tc.class)
				assert.ErrorContains(t, err, `"radio": unknown channel`)
				return
			}
			require.NoError(t, err)
			assert.GreaterOrEqual(t, p, tc.lo)
			assert.LessOrEqual(t, p, tc.hi)
		})
	}
	plain, err := attribution.First{}.Attribute(js)
	require.NoError(t, err)
	_, err = plain.ProbGreater("search", "email")
	assert.ErrorIs(t, err, kpi.ErrUndefined)
}

// trueChain is the order-1 chain the coverage test draws journeys from:
// three channels, no channel followed by itself, and its removal effects
// solved exactly, independently of the package, by LU (gonum mat) on
// the absorbing chain with the channel's state made a dead end.
var trueChain = struct {
	names []string
	p     [4][6]float64 // from start, a, b, c to a, b, c, conversion, null (and unused)
}{
	names: []string{"a", "b", "c"},
	p: [4][6]float64{
		{0.5, 0.3, 0.2, 0, 0},
		{0, 0.3, 0.2, 0.1, 0.4},
		{0.2, 0, 0.3, 0.2, 0.3},
		{0.2, 0.2, 0, 0.15, 0.45},
	},
}

func trueRemoval(t *testing.T) []float64 {
	solve := func(removed int) float64 {
		a := mat.NewDense(4, 4, nil)
		b := mat.NewVecDense(4, nil)
		for i := range 4 {
			a.Set(i, i, 1)
			if i == removed {
				continue
			}
			for j := range 3 {
				a.Set(i, j+1, a.At(i, j+1)-trueChain.p[i][j])
			}
			b.SetVec(i, trueChain.p[i][3])
		}
		var x mat.VecDense
		require.NoError(t, x.SolveVec(a, b))
		return x.AtVec(0)
	}
	p := solve(-1)
	re := make([]float64, 3)
	for c := range re {
		re[c] = 1 - solve(c+1)/p
	}
	return re
}

// drawJourneys draws n journeys from trueChain, aggregated by path.
func drawJourneys(t *testing.T, rng *rand.Rand, n int) *attribution.Journeys {
	type outcome struct{ conv, nulls int64 }
	paths := map[string]*outcome{}
	var p []byte
	for range n {
		p = p[:0]
		state := 0
		for {
			u, next := rng.Float64(), 0
			for ; next < 4 && u >= trueChain.p[state][next]; next++ {
				u -= trueChain.p[state][next]
			}
			if next >= 3 {
				o := paths[string(p)]
				if o == nil {
					o = &outcome{}
					paths[string(p)] = o
				}
				if next == 3 {
					o.conv++
				} else {
					o.nulls++
				}
				break
			}
			if len(p) > 0 {
				p = append(p, " > "...)
			}
			p = append(p, trueChain.names[next]...)
			state = next + 1
		}
	}
	var js attribution.Journeys
	for path, o := range paths {
		if path == "" {
			continue
		}
		j := attribution.Journey{Conversions: o.conv, Nulls: o.nulls}
		if o.conv > 0 {
			j.Value = decimal.NewFromInt(100 * o.conv)
		}
		for _, c := range strings.Split(path, " > ") {
			j.Touches = append(j.Touches, attribution.Touch{Channel: c})
		}
		require.NoError(t, js.Add(j))
	}
	return &js
}

// TestBootstrapCoverage checks by simulation that the Markov bootstrap's
// 95 % intervals cover the true removal effects of the chain the journeys
// come from in 93–97 % of repetitions. Each repetition draws 5,000
// journeys from trueChain and takes 200 replicates (about 10 s on one
// core); with -short, or under the race detector, it runs 100
// repetitions and accepts 89–99 %.
//
// Measured with 400 repetitions: a 94.75 %, b 94.5 %, c 93.5 %; with the
// simulation's seed 2027 instead of 2026, 93.25 %, 95.75 % and 94.0 %.
// With 2,000 journeys per repetition c falls to 92 %: the percentile
// interval covers a little less than its level in small samples.
func TestBootstrapCoverage(t *testing.T) {
	want := trueRemoval(t)
	reps, lo, hi := 400, 0.93, 0.97
	if testing.Short() || raceEnabled {
		reps, lo, hi = 100, 0.89, 0.99
	}
	rng := rand.New(rand.NewPCG(2026, 20))
	covered := make([]int, 3)
	for rep := range reps {
		js := drawJourneys(t, rng, 5000)
		r, err := attribution.Bootstrap{Seed: uint64(rep)}.Attribute(js)
		require.NoError(t, err)
		for k, c := range r.Credits {
			if iv := c.Interval.Removal; iv.Lo <= want[k] && want[k] <= iv.Hi {
				covered[k]++
			}
		}
	}
	tests := []struct {
		name    string
		channel int
	}{{"a", 0}, {"b", 1}, {"c", 2}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rate := float64(covered[tc.channel]) / float64(reps)
			t.Logf("coverage of %s (removal effect %.4f): %.4f", tc.name, want[tc.channel], rate)
			assert.GreaterOrEqual(t, rate, lo)
			assert.LessOrEqual(t, rate, hi)
		})
	}
}

// TestBootstrapLevelNearOne: at the largest level below 1 the percentile
// interval is the replicates' range. 1 − (1 − level)/2 rounds to 1 there,
// which stat.Quantile takes as the largest replicate (unlike a normal
// quantile, which is +Inf at 1), so both ends stay finite and hold every
// narrower level's interval.
func TestBootstrapLevelNearOne(t *testing.T) {
	var acc attribution.Journeys
	for _, j := range messyJourneys(200) {
		require.NoError(t, acc.Add(j))
	}
	tests := []struct {
		name  string
		model attribution.Model
	}{
		{"first", attribution.First{}},
		{"markov", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wide, err := attribution.Bootstrap{Model: tc.model, Replicates: 40, Seed: 3, Level: 0.9999999999999999}.Attribute(&acc)
			require.NoError(t, err)
			narrow, err := attribution.Bootstrap{Model: tc.model, Replicates: 40, Seed: 3, Level: 0.5}.Attribute(&acc)
			require.NoError(t, err)
			for k, c := range wide.Credits {
				w, n := c.Interval, narrow.Credits[k].Interval
				for i, pair := range [][2]kpi.Interval{{w.Conversions, n.Conversions}, {w.Share, n.Share}} {
					assert.False(t, math.IsInf(pair[0].Lo, 0) || math.IsInf(pair[0].Hi, 0) || math.IsNaN(pair[0].Lo) || math.IsNaN(pair[0].Hi), "%s %d", c.Channel, i)
					assert.LessOrEqual(t, pair[0].Lo, pair[1].Lo, "%s %d", c.Channel, i)
					assert.GreaterOrEqual(t, pair[0].Hi, pair[1].Hi, "%s %d", c.Channel, i)
				}
				assert.True(t, w.Value.Lo.LessThanOrEqual(n.Value.Lo) && w.Value.Hi.GreaterThanOrEqual(n.Value.Hi), c.Channel)
			}
		})
	}
}
