package clv_test

import (
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
	"github.com/kpiflow/kpi/internal/zerotest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZeroValues calls every exported method on every exported type's
// zero value: none panics or returns NaN.
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, ".",
		new(clv.BGNBD), new(clv.GammaGamma), new(clv.Purchases), new(clv.Valuation), new(clv.BGNBDEstimate), new(clv.GammaGammaEstimate),
		new(clv.HoldoutGroups))
}

// TestZeroModels: the zero models (what a failed fit returns) are errors
// naming the constructors, and their parameters are 0, never a panic.
func TestZeroModels(t *testing.T) {
	tests := []struct {
		name string
		call func() (any, error)
		want any
		msg  string
	}{
		{"BGNBD.Alive", func() (any, error) { return clv.BGNBD{}.Alive(clv.History{}) }, 0.0, "clv.BGNBD.Alive: BGNBD zero value: use clv.NewBGNBD or clv.FitBGNBD"},
		{"BGNBD.R", func() (any, error) { return clv.BGNBD{}.R(), nil }, 0.0, ""},
		{"GammaGamma.LogLikelihood", func() (any, error) { return clv.GammaGamma{}.LogLikelihood(nil) }, 0.0,
			"clv.GammaGamma.LogLikelihood: GammaGamma zero value: use clv.NewGammaGamma or clv.FitGammaGamma"},
		{"GammaGamma.P", func() (any, error) { return clv.GammaGamma{}.P(), nil }, 0.0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.call()
			if tt.msg == "" {
				require.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, kpi.ErrInvalid)
				assert.ErrorContains(t, err, tt.msg)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
