package attribution_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
)

// secondOrder draws n journeys whose next step depends on the last two
// channels: after x > y the next channel is y's successor in a cycle
// a → b → c → a when x comes before y in it, and y's predecessor
// otherwise, with a small chance of any other step; a journey stops
// after each touch with probability 1/5, and converts when it stops at c.
func secondOrder(t *testing.T, rng *rand.Rand, n int) *attribution.Journeys {
	names := []string{"a", "b", "c"}
	var js attribution.Journeys
	for range n {
		path := []int{rng.IntN(3)}
		for {
			last := path[len(path)-1]
			next := (last + 1 + rng.IntN(2)) % 3
			if len(path) > 1 {
				if (path[len(path)-2]+1)%3 == last {
					next = (last + 1) % 3
				} else {
					next = (last + 2) % 3
				}
				if rng.IntN(10) == 0 {
					next = (last + 1 + rng.IntN(2)) % 3
				}
			}
			if rng.IntN(5) == 0 {
				break
			}
			path = append(path, next)
		}
		j := attribution.Journey{Nulls: 1}
		if path[len(path)-1] == 2 {
			j = attribution.Journey{Conversions: 1}
		}
		for _, c := range path {
			j.Touches = append(j.Touches, attribution.Touch{Channel: names[c]})
		}
		require.NoError(t, js.Add(j))
	}
	return &js
}

func TestChooseOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 13))
	first := drawJourneys(t, rng, 20000)
	second := secondOrder(t, rng, 20000)
	tests := []struct {
		name      string
		js        *attribution.Journeys
		rules     attribution.Rules
		suggested int
		byBIC     int
	}{
		{"first-order journeys", first, 0, 1, 1},
		{"second-order journeys", second, 0, 2, 2},
		{"second-order journeys, repeats kept", second, attribution.KeepRepeats, 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			oc, err := attribution.Markov{Rules: tc.rules}.ChooseOrder(tc.js, 4)
			require.NoError(t, err)
			require.Len(t, oc.Fits, 4)
			assert.Equal(t, tc.suggested, oc.Suggested)
			assert.Equal(t, tc.byBIC, oc.ByBIC)
			best := oc.Fits[oc.ByHeldOut-1]
			for _, f := range oc.Fits {
				assert.LessOrEqual(t, f.HeldOut, best.HeldOut)
				assert.Greater(t, f.HeldOutSE, 0.0)
			}
			// About a fifth of the transitions are held out.
			assert.InDelta(t, 0.2, float64(oc.HeldOut)/float64(oc.Transitions), 0.02)
			for k, f := range oc.Fits {
				assert.Equal(t, k+1, f.Order)
				assert.InDelta(t, -2*f.LogLik+float64(f.Parameters)*math.Log(float64(oc.Transitions)), f.BIC, 1e-6)
				if k > 0 {
					// A higher order fits its own data at least as well.
					assert.GreaterOrEqual(t, f.LogLik, oc.Fits[k-1].LogLik-1e-6)
				}
			}
		})
	}
}

// TestChooseOrderLogLik checks the in-sample fit on the chain worked out
// by hand for chainData at order 1: transitions start→a 3, start→b 2,
// a→b 2, a→conversion 1, b→conversion 1, b→null 3, so
//
//	LogLik = 3 ln 3/5 + 2 ln 2/5 + 2 ln 2/3 + ln 1/3 + ln 1/4 + 3 ln 3/4
//
// with 3 states, 3 free parameters and 12 transitions.
func TestChooseOrderLogLik(t *testing.T) {
	ll := 3*math.Log(0.6) + 2*math.Log(0.4) + 2*math.Log(2.0/3) + math.Log(1.0/3) + math.Log(0.25) + 3*math.Log(0.75)
	data := chainData
	for range 4 {
		data += "a > b;1;10.00;1\na;1;5.00;0\nb;0;0;2\n"
	}
	tests := []struct {
		name  string
		data  string
		scale float64
	}{
		{"once", chainData + "a > b;1;10.00;1\n", 0},
		{"five times", data, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			oc, err := attribution.Markov{}.ChooseOrder(read(t, tc.data), 1)
			if tc.scale == 0 {
				// Twice the first row: not a multiple of the hand data.
				require.NoError(t, err)
				assert.Equal(t, 3, oc.Fits[0].States)
				return
			}
			require.NoError(t, err)
			f := oc.Fits[0]
			assert.InDelta(t, tc.scale*ll, f.LogLik, 1e-9)
			assert.Equal(t, 3, f.States)
			assert.Equal(t, 3, f.Parameters)
			assert.Equal(t, int64(60), oc.Transitions)
			assert.InDelta(t, -2*tc.scale*ll+3*math.Log(60), f.BIC, 1e-9)
		})
	}
}

func TestChooseOrderErrors(t *testing.T) {
	js := read(t, sample)
	tests := []struct {
		name     string
		m        attribution.Markov
		js       *attribution.Journeys
		maxOrder int
		class    error
		want     string
	}{
		{"order 0", attribution.Markov{}, js, 0, kpi.ErrInvalid, "attribution.Markov.ChooseOrder: maxOrder 0: must lie in [1, 8]"},
		{"order 9", attribution.Markov{}, js, 9, kpi.ErrInvalid, "maxOrder 9: must lie in [1, 8]"},
		{"nil journeys", attribution.Markov{}, nil, 2, kpi.ErrInvalid, "js <nil>: nil Journeys"},
		{"unknown rules", attribution.Markov{Rules: 64}, js, 2, kpi.ErrInvalid, "Rules 64: unknown rules"},
		{"no journeys", attribution.Markov{}, &attribution.Journeys{}, 2, kpi.ErrUndefined, "no journeys to fit"},
		{"none held out", attribution.Markov{}, read(t, "path;total_conversions;total_null\na;1;0\n"), 2, kpi.ErrUndefined, "too few journeys"},
		// One touch makes two transitions per journey: 2 × 2⁶² = 2⁶³
		// wrapped N negative and BIC NaN (FuzzChooseOrder).
		{"transitions past int64", attribution.Markov{}, read(t, "path;total_conversions;total_null\na;4611686018427387904;0\n"), 1, kpi.ErrInvalid,
			"journeys 4611686018427387904: more than 2⁶³ − 1 transitions in all"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			oc, err := tc.m.ChooseOrder(tc.js, tc.maxOrder)
			require.ErrorIs(t, err, tc.class)
			assert.ErrorContains(t, err, tc.want)
			assert.Nil(t, oc)
		})
	}
}

// TestChooseOrderTransitionsAtTheEdge: one touch and 2⁶² − 1 conversions
// make start → a and a → conversion 2⁶² − 1 times each, N = 2⁶³ − 2,
// just within int64; a single state with one way out, so LogLik 0, no
// parameter and BIC 0.
func TestChooseOrderTransitionsAtTheEdge(t *testing.T) {
	tests := []struct {
		name string
		conv string
		n    int64
	}{
		{"2⁶² − 1 conversions", "4611686018427387903", math.MaxInt64 - 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			oc, err := attribution.Markov{}.ChooseOrder(read(t, "path;total_conversions;total_null\na;"+tc.conv+";0\n"), 1)
			require.NoError(t, err)
			assert.Equal(t, tc.n, oc.Transitions)
			assert.Equal(t, 0.0, oc.Fits[0].BIC)
		})
	}
}
