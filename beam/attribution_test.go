package kpibeam_test

import (
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/attribution"
	kpibeam "github.com/kpiflow/kpi/beam"
)

// memoryJourneys adds the shards' journeys to one in-memory Journeys.
func memoryJourneys(t *testing.T, list []shard) *attribution.Journeys {
	var js attribution.Journeys
	for _, sh := range list {
		shardJourneys(sh, func(j attribution.Journey) { require.NoError(t, js.Add(j)) })
	}
	return &js
}

// TestAttribute runs Journeys and Attribute on Prism over generated
// journeys in 64 shards: each model's result equals, to the bit and the
// cent, the model's result on the same journeys added in memory.
func TestAttribute(t *testing.T) {
	list := shardList(size(t) / 4) // a journey is about three touches and a row
	js := memoryJourneys(t, list)
	tests := []struct {
		name  string
		model attribution.Model
	}{
		{"linear", attribution.Linear{}},
		{"time decay", attribution.TimeDecay{HalfLife: 7 * 24 * 3600e9}},
		{"markov", attribution.Markov{Order: 1}},
		{"markov order 2", attribution.Markov{Order: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := tc.model.Attribute(js)
			require.NoError(t, err)
			p, s := beam.NewPipelineWithRoot()
			merged := kpibeam.Journeys(s, beam.ParDo(s, genJourneys, beam.CreateList(s, list)))
			out, err := kpibeam.Attribute(s, tc.model, merged)
			require.NoError(t, err)
			passert.Equals(s, out, want)
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestAttributePerKey runs JourneysPerKey and AttributePerKey for three
// tenants and checks each tenant's result against the in-memory one.
func TestAttributePerKey(t *testing.T) {
	list := shardList(size(t) / 4)
	tests := []struct {
		name  string
		model attribution.Model
	}{
		{"first touch", attribution.First{}},
		{"markov", attribution.Markov{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []any
			for tenant := range 3 {
				var mine []shard
				for _, sh := range list {
					if sh.ID%3 == tenant {
						mine = append(mine, shard{ID: sh.ID / 3, Entities: sh.Entities})
					}
				}
				r, err := tc.model.Attribute(memoryJourneys(t, mine))
				require.NoError(t, err)
				want = append(want, kv("tenant-"+string(rune('0'+tenant)), *r))
			}
			p, s := beam.NewPipelineWithRoot()
			merged := kpibeam.JourneysPerKey(s, beam.ParDo(s, genTenantJourneys, beam.CreateList(s, list)))
			out, err := kpibeam.AttributePerKey(s, tc.model, merged)
			require.NoError(t, err)
			passert.Equals(s, beam.ParDo(s, kvAttribution, out), want...)
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestAttributeErrors checks that a model a pipeline cannot carry fails
// at construction.
func TestAttributeErrors(t *testing.T) {
	tests := []struct {
		name  string
		model attribution.Model
		want  string
	}{
		{"nil", nil, "kpibeam.Attribute: nil model"},
		{"bootstrap", attribution.Bootstrap{}, "kpibeam.Attribute: model attribution.Bootstrap: not one of the library's rule, Markov or Shapley models"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, s := beam.NewPipelineWithRoot()
			js := kpibeam.Journeys(s, beam.CreateList(s, []attribution.Journey{{Touches: []attribution.Touch{{Channel: "a"}}}}))
			_, err := kpibeam.Attribute(s, tc.model, js)
			assert.EqualError(t, err, tc.want)
			_, err = kpibeam.AttributePerKey(s, tc.model, js)
			assert.EqualError(t, err, tc.want)
		})
	}
}

// TestMarkov runs Markov on Prism over generated journeys in 64 shards,
// shipping encoded chains: each model's result equals, to the bit and
// the cent, the model's Attribute on the same journeys in memory.
func TestMarkov(t *testing.T) {
	list := shardList(size(t) / 4)
	js := memoryJourneys(t, list)
	tests := []struct {
		name  string
		model attribution.Markov
	}{
		{"order 1", attribution.Markov{Order: 1}},
		{"order 3, ChannelAttribution", attribution.Markov{Order: 3, Rules: attribution.ChannelAttribution}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := tc.model.Attribute(js)
			require.NoError(t, err)
			p, s := beam.NewPipelineWithRoot()
			out, err := kpibeam.Markov(s, tc.model, beam.ParDo(s, genJourneys, beam.CreateList(s, list)))
			require.NoError(t, err)
			passert.Equals(s, out, want)
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestMarkovPerKey runs MarkovPerKey for three tenants and checks each
// tenant's result against the in-memory one.
func TestMarkovPerKey(t *testing.T) {
	list := shardList(size(t) / 4)
	tests := []struct {
		name  string
		model attribution.Markov
	}{
		{"order 2, value removal", attribution.Markov{Order: 2, Rules: attribution.ValueRemoval}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []any
			for tenant := range 3 {
				var mine []shard
				for _, sh := range list {
					if sh.ID%3 == tenant {
						mine = append(mine, shard{ID: sh.ID / 3, Entities: sh.Entities})
					}
				}
				r, err := tc.model.Attribute(memoryJourneys(t, mine))
				require.NoError(t, err)
				want = append(want, kv("tenant-"+string(rune('0'+tenant)), *r))
			}
			p, s := beam.NewPipelineWithRoot()
			out, err := kpibeam.MarkovPerKey(s, tc.model, beam.ParDo(s, genTenantJourneys, beam.CreateList(s, list)))
			require.NoError(t, err)
			passert.Equals(s, beam.ParDo(s, kvAttribution, out), want...)
			require.NoError(t, ptest.Run(p))
		})
	}
}

// TestMarkovErrors checks that a model Markov.Chain refuses fails at
// construction.
func TestMarkovErrors(t *testing.T) {
	tests := []struct {
		name  string
		model attribution.Markov
		want  string
	}{
		{"order", attribution.Markov{Order: -1}, "attribution.Markov.Chain: Order -1: must be ≥ 0"},
		{"rules", attribution.Markov{Rules: 8}, "attribution.Markov.Chain: Rules 8: unknown rules"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, s := beam.NewPipelineWithRoot()
			js := beam.CreateList(s, []attribution.Journey{{Touches: []attribution.Touch{{Channel: "a"}}}})
			_, err := kpibeam.Markov(s, tc.model, js)
			assert.EqualError(t, err, tc.want)
			_, err = kpibeam.MarkovPerKey(s, tc.model, beam.AddFixedKey(s, js))
			assert.EqualError(t, err, tc.want)
		})
	}
}
