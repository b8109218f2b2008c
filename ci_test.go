package kpi_test

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi"
)

func TestIntervalString(t *testing.T) {
	tests := []struct {
		name string
		iv   kpi.Interval
		want string
	}{
		{"delta", kpi.Interval{Lo: 0.58123, Hi: 0.662, Level: 0.95, Method: "delta-logit"}, "[0.5812, 0.662] 95% delta-logit"},
		{"odd level", kpi.Interval{Lo: -1.5, Hi: 2e-7, Level: 0.875, Method: "Wilson"}, "[-1.5, 2e-07] 87.5% Wilson"},
		{"zero", kpi.Interval{}, "[0, 0] 0% (no method)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.iv.String())
		})
	}
}

func TestMoneyIntervalString(t *testing.T) {
	tests := []struct {
		name string
		iv   kpi.MoneyInterval
		want string
	}{
		{"delta", kpi.MoneyInterval{Lo: decimal.RequireFromString("101.25"), Hi: decimal.RequireFromString("188.400"),
			Level: 0.9, Method: "delta-log"}, "[101.25, 188.4] 90% delta-log"},
		{"zero", kpi.MoneyInterval{}, "[0, 0] 0% (no method)"},
		// Beyond the bound on money, built by hand: written short (the
		// digits of 10⁹⁹⁹⁹⁹⁹ by hand: a 1 and 999 999 zeros, 1.000e999999).
		{"1e1073741824", kpi.MoneyInterval{Lo: decimal.New(-1, 1<<30), Hi: decimal.New(1, 1<<30), Level: 0.95, Method: "m"},
			"[-1e1073741824, 1e1073741824] 95% m"},
		{"1e-1073741824", kpi.MoneyInterval{Lo: decimal.New(1, -1<<30), Hi: decimal.New(2, 0), Level: 0.95, Method: "m"},
			"[1e-1073741824, 2] 95% m"},
		{"10^6 digits", kpi.MoneyInterval{Lo: decimal.Zero, Hi: decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(999999), nil), 0),
			Level: 0.95, Method: "m"}, "[0, ≈1.000e999999] 95% m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.iv.String())
			assert.Less(t, len(tc.iv.String()), 1024)
		})
	}
}
