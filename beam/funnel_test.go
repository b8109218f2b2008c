package kpibeam_test

import (
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/require"

	kpibeam "github.com/kpiflow/kpi/beam"
	"github.com/kpiflow/kpi/funnel"
)

// memoryFunnel counts the shards' events with one in-memory Counter.
func memoryFunnel(t *testing.T, d funnel.Definition, shards []shard, gen func(shard, func(funnel.Event))) *funnel.Result {
	c, err := funnel.NewCounter(d)
	require.NoError(t, err)
	for _, sh := range shards {
		gen(sh, func(e funnel.Event) { require.NoError(t, c.Add(e)) })
	}
	r, err := c.Result()
	require.NoError(t, err)
	return r
}

// TestFunnel runs Funnel on Prism over generated events in 64 shards and
// checks the result against the in-memory Counter's on the same events:
// counts, rates, times and breakdowns equal.
func TestFunnel(t *testing.T) {
	list := shardList(size(t))
	totals := genDef
	totals.Counting = funnel.Totals
	totals.Breakdown = ""
	tests := []struct {
		name string
		def  funnel.Definition
	}{
		{"unique with a breakdown", genDef},
		{"totals", totals},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := memoryFunnel(t, tc.def, list, shardEvents)
			p, s := beam.NewPipelineWithRoot()
			events := beam.ParDo(s, genEvents, beam.CreateList(s, list))
			out, err := kpibeam.Funnel(s, tc.def, events)
			require.NoError(t, err)
			passert.Equals(s, out, want)
			require.NoError(t, ptest.Run(p))
		})
	}
}
