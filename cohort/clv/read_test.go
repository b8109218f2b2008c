package clv_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

func TestReadTransactions(t *testing.T) {
	day := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	d := decimal.RequireFromString
	tests := []struct {
		name   string
		in     string
		c      clv.Columns
		same   []clv.Transaction // the file's transactions, added by hand
		health kpi.Health        // Rejections compared by count
	}{
		{"orders", "Customer ID,Order Date,Total\nann,2025-01-05,20.00\nann,2025-02-07 10:00,35.50\nann,2025-02-07 10:00,35.50\nbo,3/1/2025,12\n" +
			"cy,2025-02-30,5\ndi,2025-01-01,-3\n,2025-01-01,1\nel,2025-01-01,1.1234567\n",
			clv.Columns{},
			[]clv.Transaction{{CustomerID: "ann", At: day("2025-01-05"), Amount: d("20.00")}, {CustomerID: "ann", At: day("2025-02-07"), Amount: d("35.50")},
				{CustomerID: "ann", At: day("2025-02-07"), Amount: d("35.50")}, {CustomerID: "bo", At: day("2025-03-01"), Amount: d("12")}},
			kpi.Health{Read: 8, Used: 4, Rejected: 4, Duplicates: 1}},
		{"user columns", "buyer;when;paid\nann;1735689600;10\n", clv.Columns{Customer: "buyer", At: "when", Amount: "paid", Comma: ';'},
			[]clv.Transaction{{CustomerID: "ann", At: day("2025-01-01"), Amount: d("10")}},
			kpi.Health{Read: 1, Used: 1}},
	}
	split, end := day("2025-03-01"), day("2025-06-01")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got, want clv.Purchases
			h, err := clv.ReadTransactions(strings.NewReader(tc.in), &got, tc.c)
			require.NoError(t, err)
			for _, tr := range tc.same {
				require.NoError(t, want.Add(tr))
			}
			gs, err := got.Summary(split, end, 24*time.Hour)
			require.NoError(t, err)
			ws, err := want.Summary(split, end, 24*time.Hour)
			require.NoError(t, err)
			assert.Equal(t, ws, gs)
			assert.Len(t, h.Rejections, int(tc.health.Rejected))
			h.Rejections = nil
			tc.health.Unmapped = []kpi.Unmapped{}
			assert.Equal(t, tc.health, *h)
		})
	}
}

func TestReadTransactionsErrors(t *testing.T) {
	tests := []struct {
		name string
		p    *clv.Purchases
		in   string
		want string
	}{
		{"nil", nil, "Customer ID,Date,Amount\n", "clv.ReadTransactions: p <nil>: nil Purchases"},
		{"no amount", &clv.Purchases{}, "Customer ID,Date\n", "clv.ReadTransactions: amount column missing"},
		{"UTF-16", &clv.Purchases{}, "\xFF\xFEC\x00", "clv.ReadTransactions: encoding UTF-16"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := clv.ReadTransactions(strings.NewReader(tc.in), tc.p, clv.Columns{})
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// FuzzReadTransactions checks that every row read is used or rejected.
func FuzzReadTransactions(f *testing.F) {
	f.Add("Customer ID,Date,Amount\nann,2025-01-05,20.00\nbo,x,1\n,,\n\"c\n")
	f.Add("id,Timestamp,Total\r\n1,9999-01-01,1\r\n\xff,2025-01-01,2\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		var p clv.Purchases
		h, err := clv.ReadTransactions(strings.NewReader(in), &p, clv.Columns{})
		if err != nil {
			return
		}
		assert.Equal(t, h.Read, h.Used+h.Rejected)
	})
}
