package cohort_test

import (
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/internal/zerotest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestZeroValues calls every exported method on every exported type's
// zero value: none panics or returns NaN.
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, ".",
		new(cohort.Acquisition), new(cohort.Builder), new(cohort.Cohort), new(cohort.Grain),
		new(cohort.Movement), new(cohort.SBG), new(cohort.Table), new(cohort.SBGEstimate), new(cohort.Band),
		new(cohort.Periods), new(cohort.Projections), new(cohort.Bands), new(cohort.Projection))
}

// TestZeroModels: the zero models (what a failed fit returns) are errors
// naming the constructors, and their parameters are 0, never a panic.
func TestZeroModels(t *testing.T) {
	failed, fitErr := cohort.FitSBG([]int64{100, 100, 100}) // nobody lost: the fit fails
	require.Error(t, fitErr)
	tab := demoTable(t)
	tests := []struct {
		name string
		call func() (any, error)
		want any
		msg  string
	}{
		{"Table.Project after a failed fit", func() (any, error) { return tab.Project(failed, 3, 0.8, 0.1) }, cohort.Projections(nil),
			"cohort.Table.Project: model zero value: use cohort.NewSBG or cohort.FitSBG"},
		{"SBG.Lifetime", func() (any, error) { return cohort.SBG{}.Lifetime() }, 0.0, "cohort.SBG.Lifetime: SBG zero value: use cohort.NewSBG or cohort.FitSBG"},
		{"SBG.DERL", func() (any, error) { return cohort.SBG{}.DERL(0.1, 1) }, 0.0, "cohort.SBG.DERL: SBG zero value"},
		{"SBG.Survival", func() (any, error) { return cohort.SBG{}.Survival(1), nil }, 0.0, ""},
		{"SBG.Retention", func() (any, error) { return cohort.SBG{}.Retention(1), nil }, 0.0, ""},
		{"SBG.Alpha", func() (any, error) { return cohort.SBG{}.Alpha(), nil }, 0.0, ""},
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
