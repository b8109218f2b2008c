package attribution_test

import (
	"testing"

	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/internal/zerotest"
)

// TestZeroValues calls every exported method on every exported type's
// zero value, with zero arguments (a nil *Journeys among them): none may
// panic or return NaN.
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, ".",
		new(attribution.Journeys), new(attribution.Chain), new(attribution.Result), new(attribution.Table),
		new(attribution.First), new(attribution.Last), new(attribution.LastNonDirect), new(attribution.Linear),
		new(attribution.Position), new(attribution.WShaped), new(attribution.FullPath), new(attribution.TimeDecay),
		new(attribution.Custom), new(attribution.Markov), new(attribution.Shapley), new(attribution.Rules), new(attribution.Grouping),
		new(attribution.Bootstrap), new(attribution.Mark), new(attribution.Journey), new(attribution.ROIs),
		new(attribution.Credit), new(attribution.Cell), new(attribution.ROI),
	)
}
