package funnel

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/km"
)

// TestKMCurve: the curve Counter.Curves builds from its packed keys is
// kpi.KaplanMeier's over the same observations, bit for bit, with ties
// of events and censorings, below and above the radix sort's threshold.
func TestKMCurve(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		level float64
	}{
		{"short", 40, 0.95},
		{"long", 5000, 0.95},
		{"long, level 0.8", 5000, 0.8},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys := make([]uint64, tc.n)
			obs := make([]kpi.Observation, tc.n)
			for i := range keys {
				days := float64(rng.IntN(14*24)) / 24 // hours, so that times tie
				event := rng.IntN(3) > 0
				keys[i] = km.Key(math.Float64bits(days), event)
				obs[i] = kpi.Observation{Time: days, Converted: event}
			}
			want, err := kpi.KaplanMeier(slices.Values(obs), tc.level, kpi.LogLogScale)
			require.NoError(t, err)
			got, _ := kmCurve(keys, nil, tc.level, km.Z(tc.level))
			assert.Equal(t, want, got)
		})
	}
}
