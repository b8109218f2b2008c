package attribution

import (
	"fmt"
	"strings"
	"testing"

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
