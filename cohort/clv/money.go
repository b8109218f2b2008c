package clv

import (
	"math"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/money"
)

// places is the number of decimal places money keeps: see
// internal/money.
const places = money.Places

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkMargin reports a gross margin outside (0, 1].
func checkMargin(fn string, margin float64) error {
	if !(margin > 0 && margin <= 1) {
		return errs.Invalid(fn, "gross margin", margin, "must lie in (0, 1]")
	}
	return nil
}
