package funnel_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/funnel"
)

// TestCounter_MergeProperty checks the accumulator contract: random events
// split into random parts (an entity's events may fall in several), each
// part added in shuffled order to its own Counter, by Add or AddAll, and
// the counters merged in shuffled order, give the Result of adding every
// event to one Counter; and merging leaves the merged counter unchanged.
func TestCounter_MergeProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	defs := []funnel.Definition{
		journeyDef(),
		{Steps: []funnel.Match{{Event: "A"}, {Event: "B"}, {Event: "C"}}, Window: 10 * time.Minute, Counting: funnel.Totals},
		{Steps: []funnel.Match{{Event: "A"}, {Event: "B"}, {Event: "C"}}, Window: 10 * time.Minute, Hold: "deal", Breakdown: []string{"channel"}, Mode: funnel.StrictIncrease},
	}
	names := []string{"A", "B", "C", "X"}
	for trial := range 36 {
		d := defs[trial%len(defs)]
		n := 1 + rng.IntN(120)
		// Times in 300 seconds: many events tie, which the order of
		// events at the same time must settle whatever the input order.
		evs := make([]funnel.Event, n)
		for i := range evs {
			evs[i] = ev(fmt.Sprintf("e%d", rng.IntN(15)), names[rng.IntN(len(names))], rng.IntN(300),
				"channel", []string{"ads", "seo"}[rng.IntN(2)], "deal", fmt.Sprint(rng.IntN(2)))
		}
		whole, err := funnel.NewCounter(d)
		require.NoError(t, err)
		require.NoError(t, whole.AddAll(slices.Values(evs)))
		want := result(t, whole)

		k := 1 + rng.IntN(5)
		parts := make([][]funnel.Event, k)
		for _, e := range evs {
			p := rng.IntN(k)
			parts[p] = append(parts[p], e)
		}
		cs := make([]*funnel.Counter, k)
		for i, part := range parts {
			rng.Shuffle(len(part), func(a, b int) { part[a], part[b] = part[b], part[a] })
			cs[i], err = funnel.NewCounter(d)
			require.NoError(t, err)
			if rng.IntN(2) == 0 {
				require.NoError(t, cs[i].AddAll(slices.Values(part)))
			} else {
				for _, e := range part {
					require.NoError(t, cs[i].Add(e))
				}
			}
		}
		order := rng.Perm(k)
		into := cs[order[0]]
		for _, i := range order[1:] {
			require.NoError(t, into.Merge(cs[i]))
		}
		assert.Equal(t, want, result(t, into), "trial %d: %d parts", trial, k)

		// Every merged counter still holds its own part alone.
		for _, i := range order[1:] {
			alone, err := funnel.NewCounter(d)
			require.NoError(t, err)
			require.NoError(t, alone.AddAll(slices.Values(parts[i])))
			assert.Equal(t, result(t, alone), result(t, cs[i]), "trial %d: part %d changed", trial, i)
		}
	}
}
