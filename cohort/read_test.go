package cohort_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

func TestReadRevenue(t *testing.T) {
	d := decimal.RequireFromString
	jan := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	feb, mar := jan.AddDate(0, 1, 0), jan.AddDate(0, 2, 0)
	tests := []struct {
		name   string
		in     string
		c      cohort.Columns
		same   []cohort.Record // the records the file holds, added by hand
		health kpi.Health      // Rejections compared by count
	}{
		{"MRR by month, with acquisition", "Account ID,Month,MRR,Close Date,Segment\n" +
			"acme,2025-01,100.00,2025-01-10,ads\nacme,2025-02,120.00,2025-01-10,ads\nbeta,2025-02,50,2025-02-03,events\n" +
			"beta,2025-01,50,2025-02-03,events\n" + // before acquisition: Add refuses it
			"gamma,2025-01,50,2025-02-03,events\n" + // before acquisition, first row: nothing added
			",2025-01,10,2025-01-01,\nacme,2025-13,10,2025-01-10,ads\nacme,2025-03,1e3,2025-01-10,ads\nacme,2025-03,-5,2025-01-10,ads\n",
			cohort.Columns{},
			[]cohort.Record{
				cohort.Customer{ID: "acme", Acquired: jan.AddDate(0, 0, 9), Segment: "ads"}, cohort.Revenue{CustomerID: "acme", At: jan, Amount: d("100.00")},
				cohort.Revenue{CustomerID: "acme", At: feb, Amount: d("120.00")},
				cohort.Customer{ID: "beta", Acquired: feb.AddDate(0, 0, 2), Segment: "events"}, cohort.Revenue{CustomerID: "beta", At: feb, Amount: d("50")},
			},
			kpi.Health{Read: 9, Used: 3, Rejected: 6}},
		{"subscriptions, user names", "who;from;to;fee\nacme;2025-01-15;2025-02-20;100\nbeta;2025-02-01;;80\nbeta;2025-03-01;2025-02-01;80\n",
			cohort.Columns{Customer: "who", Start: "from", End: "to", Amount: "fee", Comma: ';'},
			[]cohort.Record{
				cohort.Customer{ID: "acme", Acquired: jan}, cohort.Customer{ID: "beta", Acquired: feb},
				cohort.Subscription{CustomerID: "acme", Start: jan.AddDate(0, 0, 14), End: feb.AddDate(0, 0, 19), Amount: d("100")},
				cohort.Subscription{CustomerID: "beta", Start: feb, Amount: d("80")},
			},
			kpi.Health{Read: 3, Used: 2, Rejected: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := cohort.NewBuilder(cohort.Month)
			require.NoError(t, err)
			if tc.c.Start != "" { // this file has no acquisition column
				require.NoError(t, got.Add(tc.same[0]))
				require.NoError(t, got.Add(tc.same[1]))
			}
			h, err := cohort.ReadRevenue(strings.NewReader(tc.in), got, tc.c)
			require.NoError(t, err)
			want, _ := cohort.NewBuilder(cohort.Month)
			for _, r := range tc.same {
				require.NoError(t, want.Add(r))
			}
			gt, err := got.Table(mar)
			require.NoError(t, err)
			wt, err := want.Table(mar)
			require.NoError(t, err)
			assert.Equal(t, wt.String(), gt.String())
			assert.Len(t, h.Rejections, int(tc.health.Rejected))
			h.Rejections = nil
			tc.health.Unmapped = []kpi.Unmapped{}
			assert.Equal(t, tc.health, *h)
		})
	}
}

func TestReadRevenueRejections(t *testing.T) {
	b, _ := cohort.NewBuilder(cohort.Month)
	in := "Customer ID,Date,Amount,Acquired\nx,2025-01-05,1.5,2025-02-01\ny,2025-01-05,1.1234567,2025-01-01\nz,2025-01-05,1,someday\nw,yesterday,1,\n"
	h, err := cohort.ReadRevenue(strings.NewReader(in), b, cohort.Columns{})
	require.NoError(t, err)
	tests := []struct {
		name string
		want kpi.Rejection
	}{
		{"before acquisition", kpi.Rejection{Line: 2, Column: "Acquired", Text: "2025-02-01", Reason: "revenue before the customer's acquisition"}},
		{"too many places", kpi.Rejection{Line: 3, Column: "Amount", Text: "1.1234567", Reason: "has more than 6 decimal places"}},
		{"bad acquisition", kpi.Rejection{Line: 4, Column: "Acquired", Text: "someday", Reason: "unparseable time"}},
		{"bad date", kpi.Rejection{Line: 5, Column: "Date", Text: "yesterday", Reason: "unparseable time"}},
	}
	require.Len(t, h.Rejections, len(tests))
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, h.Rejections[i])
		})
	}
}

func TestReadRevenueErrors(t *testing.T) {
	b, _ := cohort.NewBuilder(cohort.Month)
	tests := []struct {
		name string
		b    *cohort.Builder
		in   string
		want string
	}{
		{"zero builder", &cohort.Builder{}, "Customer ID,Month,MRR\n", "cohort.ReadRevenue: b zero Builder: use cohort.NewBuilder"},
		{"no time", b, "Customer ID,MRR\n", "cohort.ReadRevenue: time column missing"},
		{"no amount", b, "Customer ID,Month\n", "cohort.ReadRevenue: amount column missing"},
		{"empty", b, "", "cohort.ReadRevenue: header none: empty input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cohort.ReadRevenue(strings.NewReader(tc.in), tc.b, cohort.Columns{})
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// FuzzReadRevenue checks that every row read is used or rejected.
func FuzzReadRevenue(f *testing.F) {
	f.Add("Account ID,Month,MRR,Close Date\nacme,2025-01,100.00,2025-01-10\nacme,2024-12,5,x\n,,,\n")
	f.Add("id,Start,End,Amount\r\n1,2025-01-01,2024-01-01,3\r\n2,2025-01-01,,\xff\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		b, _ := cohort.NewBuilder(cohort.Month)
		h, err := cohort.ReadRevenue(strings.NewReader(in), b, cohort.Columns{})
		if err != nil {
			return
		}
		assert.Equal(t, h.Read, h.Used+h.Rejected)
	})
}
