package money

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestToUnits(t *testing.T) {
	tests := []struct {
		in     string
		units  int64
		reason string
	}{
		{"0", 0, ""},
		{"12.5", 12_500_000, ""}, // 12.5 · 10⁶
		{"-0.000001", -1, ""},
		{"1e12", 1_000_000_000_000_000_000, ""},
		{"1e13", 0, "too large"},
		{"0.0000001", 0, "has more than 6 decimal places"},
		{"1234567890123456789", 0, "too large or too precise"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, reason := ToUnits(decimal.RequireFromString(tt.in))
			assert.Equal(t, tt.units, u)
			assert.Equal(t, tt.reason, reason)
			if reason == "" {
				assert.True(t, FromUnits(u).Equal(decimal.RequireFromString(tt.in)))
			}
		})
	}
}
