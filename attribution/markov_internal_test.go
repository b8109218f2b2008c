package attribution

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChainTable checks that the dense table of transitions gives the
// same chain whether it grows its stride (more than 32 channels), is
// given up as too large, or is not used at all.
func TestChainTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("path;total_conversions;total_null\n")
	for i := range 300 {
		fmt.Fprintf(&b, "c%d > c%d > c%d;%d;%d\n", i%7, (i*5)%45, (i*11+3)%45, i%3, 1+i%4)
	}
	js, err := Read(strings.NewReader(b.String()), Format{})
	require.NoError(t, err)
	solve := func(limit int) *Result {
		saved := maxTab
		maxTab = limit
		defer func() { maxTab = saved }()
		r, err := Markov{Order: 2}.Attribute(js)
		require.NoError(t, err)
		return r
	}
	want := solve(1 << 24)
	cases := []struct {
		name  string
		limit int
	}{{"given up when the stride grows", 40 * 32}, {"given up when the nodes grow", 200 * 96}, {"never used", 0}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := solve(c.limit)
			assert.Equal(t, want, got)
		})
	}
}

// TestChainSolvers checks that LU, the sweeps and the fallback from the
// sweeps to LU agree, and that a chain nothing can solve says so.
func TestChainSolvers(t *testing.T) {
	var b strings.Builder
	b.WriteString("path;total_conversions;total_null\n")
	for i := range 200 {
		fmt.Fprintf(&b, "c%d > c%d > c%d > c%d;%d;%d\n", i%5, (i*3)%9, (i*7+1)%9, i%4, i%3, 1+i%5)
	}
	js, err := Read(strings.NewReader(b.String()), Format{})
	require.NoError(t, err)
	type limits struct {
		dense, maxDense int
		budget, min     float64
	}
	run := func(l limits) (*Result, error) {
		saved := limits{denseStates, maxDense, sweepBudget, minBudget}
		denseStates, maxDense, sweepBudget, minBudget = l.dense, l.maxDense, l.budget, l.min
		defer func() {
			denseStates, maxDense, sweepBudget, minBudget = saved.dense, saved.maxDense, saved.budget, saved.min
		}()
		return Markov{Order: 2}.Attribute(js)
	}
	lu, err := run(limits{1 << 20, 1500, 4e8, 1e6})
	require.NoError(t, err)
	cases := []struct {
		name string
		l    limits
	}{
		{"sweeps", limits{0, 1500, 4e8, 1e6}},
		{"fallback to LU", limits{0, 1500, 10, 10}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := run(c.l)
			require.NoError(t, err)
			assert.InDelta(t, lu.Conversion, r.Conversion, 1e-12)
			for k := range r.Credits {
				assert.InDelta(t, lu.Credits[k].Removal, r.Credits[k].Removal, 1e-11)
			}
		})
	}
	t.Run("unsolvable", func(t *testing.T) {
		_, err := run(limits{0, 0, 10, 10})
		assert.ErrorContains(t, err, "did not settle")
	})
}

// TestRemovalSweeps checks the removal solves that sweep only the states
// upstream of a channel against LU of the whole chain without it, at
// orders 2 and 3, with repeats merged and kept (a state such as (a a)
// holds a once), and with the value removal effects.
func TestRemovalSweeps(t *testing.T) {
	cases := []struct {
		name     string
		order    int
		rules    Rules
		channels int
	}{
		{"order 2", 2, 0, 12},
		{"order 2, ChannelAttribution", 2, ChannelAttribution, 12},
		{"order 3, repeats kept", 3, KeepRepeats, 8},
		{"order 3, value removal", 3, ValueRemoval, 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(c.channels)))
			var js Journeys
			for i := range 60 * c.channels {
				touches := make([]Touch, 1+rng.IntN(6))
				for k := range touches {
					touches[k].Channel = fmt.Sprintf("c%02d", rng.IntN(c.channels))
				}
				j := Journey{Touches: touches, Nulls: rng.Int64N(4)}
				if rng.IntN(3) == 0 {
					j.Conversions = 1
					j.Value = decimal.NewFromInt(int64(1 + i%7))
				}
				require.NoError(t, js.Add(j))
			}
			run := func(dense int) *Result {
				saved := denseStates
				denseStates = dense
				defer func() { denseStates = saved }()
				r, err := Markov{Order: c.order, Rules: c.rules}.Attribute(&js)
				require.NoError(t, err)
				return r
			}
			lu, sw := run(1<<20), run(0)
			assert.InDelta(t, lu.Conversion, sw.Conversion, 1e-12)
			require.Len(t, sw.Credits, c.channels)
			for k := range sw.Credits {
				assert.InDelta(t, lu.Credits[k].Removal, sw.Credits[k].Removal, 1e-11, sw.Credits[k].Channel)
				assert.InDelta(t, lu.Credits[k].ValueRemoval, sw.Credits[k].ValueRemoval, 1e-11, sw.Credits[k].Channel)
				assert.Greater(t, sw.Credits[k].Removal, 0.0, sw.Credits[k].Channel)
			}
		})
	}
}

// TestWithoutFallback checks the removal solve's fallbacks: to LU when
// its sweeps do not settle though the chain's own did, and to an error
// when the chain is too large for LU.
func TestWithoutFallback(t *testing.T) {
	var b strings.Builder
	b.WriteString("path;total_conversions;total_null\n")
	for i := range 200 {
		fmt.Fprintf(&b, "c%d > c%d > c%d > c%d;%d;%d\n", i%5, (i*3)%9, (i*7+1)%9, i%4, i%3, 1+i%5)
	}
	js, err := Read(strings.NewReader(b.String()), Format{})
	require.NoError(t, err)
	c, err := Markov{Order: 2}.Chain(js)
	require.NoError(t, err)
	s := c.system()
	savedDense, savedMax, savedBudget, savedMin := denseStates, maxDense, sweepBudget, minBudget
	defer func() { denseStates, maxDense, sweepBudget, minBudget = savedDense, savedMax, savedBudget, savedMin }()
	denseStates = 0
	swept, err := s.solveAll(s.r)
	require.NoError(t, err)
	require.False(t, swept.lu)
	denseStates = 1 << 20
	exact, err := s.solveAll(s.r)
	require.NoError(t, err)
	require.True(t, exact.lu)
	assert.InDelta(t, exact.p, swept.p, 1e-12)

	sweepBudget, minBudget = 10, 10 // the removal sweeps cannot settle
	cases := []struct {
		name     string
		maxDense int
		err      string
	}{{"LU takes over", savedMax, ""}, {"too large for LU", 0, "did not settle"}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			maxDense = tc.maxDense
			var sc, ref removal
			fails := 0
			for ch := range s.names {
				// A channel seen only first in its journeys has nothing
				// upstream but the start state: no sweep to settle.
				got, err := s.without(int32(ch), swept, &sc)
				if err != nil {
					assert.ErrorContains(t, err, cmp.Or(tc.err, "no error"), s.names[ch])
					fails++
					continue
				}
				want, err := s.without(int32(ch), exact, &ref)
				require.NoError(t, err)
				assert.InDelta(t, want, got, 1e-12, s.names[ch])
			}
			assert.Equal(t, tc.err != "", fails > 0, "removal solves that failed: %d", fails)
		})
	}
}
