package clv_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }

// assertDec fails unless got equals want exactly as decimals.
func assertDec(t *testing.T, want string, got decimal.Decimal, msg ...any) {
	t.Helper()
	if !got.Equal(d(want)) {
		t.Errorf("got %v, want %s %v", got, want, msg)
	}
}
