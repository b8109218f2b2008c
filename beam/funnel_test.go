package kpibeam_test

import (
	"fmt"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/attribution"
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
	totals.Breakdown = nil
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

// kv writes a key and a result as text that holds every field (floats
// in the shortest form that reads back to the same bits), so that results
// per key compare as strings.
func kv[V any](k string, v V) string { return fmt.Sprintf("%s %v", k, v) }

func kvFunnel(k string, r *funnel.Result) string { return kv(k, *r) }

func kvAttribution(k string, r *attribution.Result) string { return kv(k, *r) }

func init() {
	register.Function2x1(kvFunnel)
	register.Function2x1(kvAttribution)
}

// TestFunnelPerKey runs FunnelPerKey for three tenants whose entities
// share names: each tenant's result equals the in-memory Counter's on its
// own events.
func TestFunnelPerKey(t *testing.T) {
	list := shardList(size(t))
	var want []any
	for tenant := range 3 {
		var mine []shard
		for _, sh := range list {
			if sh.ID%3 == tenant {
				mine = append(mine, shard{ID: sh.ID / 3, Entities: sh.Entities})
			}
		}
		want = append(want, kv("tenant-"+string(rune('0'+tenant)), *memoryFunnel(t, genDef, mine, shardEvents)))
	}
	tests := []struct {
		name string
		def  funnel.Definition
	}{
		{"breakdown", genDef},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, s := beam.NewPipelineWithRoot()
			events := beam.ParDo(s, genTenantEvents, beam.CreateList(s, list))
			out, err := kpibeam.FunnelPerKey(s, tc.def, events)
			require.NoError(t, err)
			passert.Equals(s, beam.ParDo(s, kvFunnel, out), want...)
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestFunnelErrors checks that a Definition that does not compile fails
// at construction, with NewCounter's error.
func TestFunnelErrors(t *testing.T) {
	tests := []struct {
		name string
		def  funnel.Definition
		want string
	}{
		{"one step", funnel.Definition{Steps: []funnel.Match{{Event: "a"}}, Window: 1}, "funnel.NewCounter: steps 1: a funnel needs at least two steps"},
		{"no window", funnel.Definition{Steps: []funnel.Match{{Event: "a"}, {Event: "b"}}}, "funnel.NewCounter: window 0s: must be > 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, s := beam.NewPipelineWithRoot()
			events := beam.CreateList(s, []funnel.Event{{Entity: "x", Name: "a"}})
			_, err := kpibeam.Funnel(s, tc.def, events)
			assert.EqualError(t, err, tc.want)
			_, err = kpibeam.FunnelPerKey(s, tc.def, beam.AddFixedKey(s, events))
			assert.EqualError(t, err, tc.want)
		})
	}
}
