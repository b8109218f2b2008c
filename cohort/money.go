package cohort

import (
	"math"

	"github.com/kpiflow/kpi/internal/money"
	"github.com/shopspring/decimal"
)

// places is the number of decimal places money keeps: see
// internal/money.
const places = money.Places

// ratio returns num/den as a float64; den must not be zero.
func ratio(num, den decimal.Decimal) float64 {
	return num.DivRound(den, 16).InexactFloat64()
}

// scale returns d·f rounded to the package's money places; f must be
// finite.
func scale(d decimal.Decimal, f float64) decimal.Decimal {
	return d.Mul(decimal.NewFromFloat(f)).Round(places)
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
