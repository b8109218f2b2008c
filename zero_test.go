package kpi_test

import (
	"testing"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/zerotest"
)

// TestZeroValues calls every exported method on the zero value of every
// exported type with zero arguments: none may panic or return NaN.
func TestZeroValues(t *testing.T) {
	zerotest.Run(t, ".", new(kpi.Rate), new(kpi.Comparison), new(kpi.Method), new(kpi.Error), new(kpi.Health), new(kpi.Interval), new(kpi.MoneyInterval),
		new(kpi.Adjustment), new(kpi.Alternative), new(kpi.BinomialTest), new(kpi.Design), new(kpi.Sizing),
		new(kpi.Curve), new(kpi.Scale), new(kpi.Sequence), new(kpi.DiffSequence), new(kpi.Signal))
}
