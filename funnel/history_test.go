package funnel_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// stageCounts returns the counts per stage of a History.
func stageCounts(t *testing.T, h *funnel.History) []int64 {
	t.Helper()
	r, err := h.Reach()
	require.NoError(t, err)
	out := make([]int64, len(r.Stages))
	for i, s := range r.Stages {
		out[i] = s.Reached
	}
	return out
}

func TestReadHistory(t *testing.T) {
	lms := mustLifecycle(t, "Lead", "MQL", "SQL", "Customer")
	tests := []struct {
		name    string
		l       *funnel.Lifecycle
		c       funnel.Columns
		in      string
		reached []int64
		health  kpi.Health // Rejections compared by count only
	}{
		{"HubSpot property history", funnel.HubSpotLifecycle(), funnel.Columns{},
			"Record ID,Lifecycle Stage,Timestamp\n" +
				"101,lead,2025-01-02 09:00\n101,marketingqualifiedlead,2025-01-05 10:30\n101,customer,2025-02-01T08:00:00Z\n" +
				"102,subscriber,2025-01-03\n102,other,2025-01-04\n",
			// 101 passes Subscriber, Lead, MQL, SQL (skipped), Opportunity (skipped), Customer; 102 only Subscriber.
			[]int64{2, 1, 1, 1, 1, 1, 0},
			kpi.Health{Read: 5, Used: 4, Rejected: 1, Skipped: 1, UnmappedRows: 1, Unmapped: []kpi.Unmapped{{Value: "other", Rows: 1}}}},
		{"Salesforce OpportunityHistory", funnel.SalesforceLifecycle(), funnel.Columns{},
			"Id,OpportunityId,StageName,Amount,CreatedDate\n" +
				"h1,006A,Prospecting,1000,2025-03-01T10:00:00.000+0000\n" +
				"h2,006A,Qualification,1000,2025-03-04T10:00:00.000+0000\n" +
				"h3,006A,Closed Lost,0,2025-03-09T10:00:00.000+0000\n" +
				"h4,006B,Closed Won,5000,2025-03-02T10:00:00.000+0000\n",
			[]int64{2, 2, 1, 1, 1, 1, 1, 1, 1},
			kpi.Health{Read: 4, Used: 3, Rejected: 1, Skipped: 1, UnmappedRows: 1, Unmapped: []kpi.Unmapped{{Value: "Closed Lost", Rows: 1}}}},
		{"Salesforce OpportunityFieldHistory", funnel.SalesforceLifecycle(), funnel.Columns{},
			"OpportunityId,Field,OldValue,NewValue,CreatedDate\n" +
				"006A,StageName,,Prospecting,3/1/2025 10:00 AM\n006A,Amount,1000,2000,3/2/2025 10:00 AM\n006A,StageName,Prospecting,Qualification,3/3/2025 4:15 PM\n",
			[]int64{1, 1, 0, 0, 0, 0, 0, 0, 0},
			kpi.Health{Read: 3, Used: 2, Rejected: 1}},
		{"user mapping, semicolons, faults", lms, funnel.Columns{Entity: "who", Stage: "what", Time: "when", Comma: ';', Location: time.FixedZone("CET", 3600)},
			"\xEF\xBB\xBFwho;what;when;Lifecycle Stage\r\n" +
				"a;Lead;2025-01-01;x\r\na;Lead;2025-01-01;x\r\na;Customer;2025-01-09;x\r\na;Lead;2025-02-01;x\r\n" +
				"b;MQL;1735689600;x\r\nb;Lead;1735603200000;x\r\n" +
				";Lead;2025-01-01;x\r\nc;;2025-01-01;x\r\nc;Lead;31/12/2024;x\r\nc;Lead;0001-01-01;x\r\nc;Lead\r\n",
			[]int64{2, 2, 1, 1},
			// a: duplicate, then set back to lead; b: out of order.
			kpi.Health{Read: 11, Used: 6, Rejected: 5, Duplicates: 1, OutOfOrder: 1, Skipped: 1, Backward: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, health, err := funnel.ReadHistory(strings.NewReader(tc.in), tc.l, tc.c)
			require.NoError(t, err)
			assert.Equal(t, tc.reached, stageCounts(t, h))
			assert.Len(t, health.Rejections, int(tc.health.Rejected))
			health.Rejections = nil
			if tc.health.Unmapped == nil {
				tc.health.Unmapped = []kpi.Unmapped{}
			}
			assert.Equal(t, tc.health, *health)
		})
	}
}

func TestReadHistoryRejections(t *testing.T) {
	in := "Contact ID,Stage,Date\n1,Lead,2025-02-31\n2,Won,2025-01-01\n,Lead,2025-01-01\n3,\xff,2025-01-01\n"
	_, h, err := funnel.ReadHistory(strings.NewReader(in), mustLifecycle(t, "Lead", "SQL"), funnel.Columns{})
	require.NoError(t, err)
	tests := []struct {
		name string
		want kpi.Rejection
	}{
		{"bad date", kpi.Rejection{Line: 2, Column: "Date", Text: "2025-02-31", Reason: "no such date"}},
		{"unknown stage", kpi.Rejection{Line: 3, Column: "Stage", Text: "Won", Reason: "stage not in the lifecycle"}},
		{"empty entity", kpi.Rejection{Line: 4, Column: "Contact ID", Text: "", Reason: "empty entity"}},
		{"not UTF-8", kpi.Rejection{Line: 5, Column: "Stage", Text: "\xff", Reason: "not UTF-8"}},
	}
	require.Len(t, h.Rejections, len(tests))
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, h.Rejections[i])
		})
	}
}

func TestReadHistoryErrors(t *testing.T) {
	l := mustLifecycle(t, "Lead", "SQL")
	tests := []struct {
		name string
		in   string
		l    *funnel.Lifecycle
		c    funnel.Columns
		want string
	}{
		{"no lifecycle", "a,b\n", nil, funnel.Columns{}, "funnel.ReadHistory: l no stages: use funnel.NewLifecycle"},
		{"empty", "", l, funnel.Columns{}, "funnel.ReadHistory: header none: empty input"},
		{"no time column", "Record ID,Lifecycle Stage\n", l, funnel.Columns{}, "funnel.ReadHistory: time column missing"},
		{"duplicate header", "Record ID,Lifecycle Stage,Timestamp,Record ID\n", l, funnel.Columns{}, `funnel.ReadHistory: header "Record ID": appears twice`},
		{"mapped twice", "id,stage,when\n", l, funnel.Columns{Entity: "id", Stage: "id", Time: "when"}, `funnel.ReadHistory: stage column "id": mapped twice: also the entity column`},
		{"user column absent", "id,stage,when\n", l, funnel.Columns{Time: "changed"}, `funnel.ReadHistory: time column "changed": not in the header`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := funnel.ReadHistory(strings.NewReader(tc.in), tc.l, tc.c)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

func TestReadDates(t *testing.T) {
	tests := []struct {
		name    string
		l       *funnel.Lifecycle
		c       funnel.Columns
		in      string
		reached []int64
		health  kpi.Health
	}{
		{"HubSpot contacts export", funnel.HubSpotLifecycle(), funnel.Columns{},
			"Record ID,First Name,Lifecycle Stage,Became a Subscriber Date,Became a Lead Date,Became a Marketing Qualified Lead Date," +
				"Became a Sales Qualified Lead Date,Became an Opportunity Date,Became a Customer Date,Became an Evangelist Date\n" +
				"1,Ann,customer,,2025-01-02 10:00,2025-01-05 11:00,,2025-02-01 09:00,2025-03-01 09:00,\n" +
				"2,Bo,lead,,2025-01-03 10:00,,,,,\n" +
				"2,Bo,lead,,2025-01-03 10:00,,,,,\n" +
				"3,Cy,lead,,2025-04-01 10:00,,,,2025-01-01 09:00,\n" +
				"4,Di,subscriber,,,,,,,\n" +
				"5,Ed,lead,,2025-13-01,,,,,\n",
			// 1 skips Subscriber and SQL; 3 was a customer before it was a lead (backward, and skips).
			[]int64{3, 3, 2, 2, 2, 2, 0},
			kpi.Health{Read: 6, Used: 4, Rejected: 2, Duplicates: 1, Skipped: 3, Backward: 1}},
		{"user columns", mustLifecycle(t, "Lead", "MQL", "Won"), funnel.Columns{Entity: "email", Dates: map[string]string{"Lead": "created", "mql": "qualified"}},
			"email,created,qualified,Won Date\nann@x,2025-01-01,2025-01-04,\nbo@x,2025-01-02,,2025-02-02\n",
			[]int64{2, 2, 1},
			kpi.Health{Read: 2, Used: 2, Skipped: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, health, err := funnel.ReadDates(strings.NewReader(tc.in), tc.l, tc.c)
			require.NoError(t, err)
			assert.Equal(t, tc.reached, stageCounts(t, h))
			assert.Len(t, health.Rejections, int(tc.health.Rejected))
			health.Rejections = nil
			tc.health.Unmapped = []kpi.Unmapped{}
			assert.Equal(t, tc.health, *health)
		})
	}
}

func TestReadDatesErrors(t *testing.T) {
	l := mustLifecycle(t, "Lead", "SQL")
	tests := []struct {
		name string
		in   string
		l    *funnel.Lifecycle
		c    funnel.Columns
		want string
	}{
		{"no lifecycle", "a,b\n", &funnel.Lifecycle{}, funnel.Columns{}, "funnel.ReadDates: l no stages: use funnel.NewLifecycle"},
		{"no date columns", "Record ID,Name\n", l, funnel.Columns{}, "funnel.ReadDates: stage date columns none"},
		{"unknown stage in Dates", "Record ID,x\n", l, funnel.Columns{Dates: map[string]string{"Won": "x"}}, `funnel.ReadDates: dates "Won": stage not in the lifecycle`},
		{"Dates column absent", "Record ID,x\n", l, funnel.Columns{Dates: map[string]string{"Lead": "y"}}, `funnel.ReadDates: "Lead" date column "y": not in the header`},
		{"no entity", "Name,Became a Lead Date\n", l, funnel.Columns{}, "funnel.ReadDates: entity column missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := funnel.ReadDates(strings.NewReader(tc.in), tc.l, tc.c)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// FuzzReadHistory checks that every row read is used or rejected, that
// no input panics, and that the times read in UTC by the reader's fast
// path (crmcsv.Clock) give the history, health report and events that
// the same times give read by crmcsv.Time in a location of offset 0
// other than time.UTC, which the fast path leaves to it.
func FuzzReadHistory(f *testing.F) {
	f.Add("Record ID,Lifecycle Stage,Timestamp\n1,lead,2025-01-02\n1,customer,0001-01-01\n2,other,x\n\"3\n")
	f.Add("\xEF\xBB\xBFOpportunityId,Field,NewValue,CreatedDate\r\n1,StageName,SQL,1735689600\r\n1,Amount,5,1735689600\r\n1,StageName,\xff,1\r\n")
	f.Add("id,stage,time\n,,\n\"a\"\"\",b,9999-12-31T23:59:59Z\n")
	f.Add("id,stage,time\n1,lead,2025-02-28T10:00:00Z\n1,mql,2025-02-29T10:00:00Z\n2,Lead,2025-02-01 00:00:00\n2,SQL,2025-03-01T00:00:00z\n3,lead,1900-01-01T00:00:00Z\n3,customer,2149-12-31T23:59:59Z\n")
	l, _ := funnel.NewLifecycle("Lead", "MQL", "SQL", "Customer")
	zero := time.FixedZone("UTC+0", 0)
	f.Fuzz(func(t *testing.T, in string) {
		h, health, err := funnel.ReadHistory(strings.NewReader(in), l, funnel.Columns{})
		if err != nil {
			return
		}
		assert.Equal(t, health.Read, health.Used+health.Rejected)
		r, err := h.Reach()
		require.NoError(t, err)
		for k := 1; k < len(r.Stages); k++ {
			assert.LessOrEqual(t, r.Stages[k].Reached, r.Stages[k-1].Reached)
		}
		slow, slowHealth, err := funnel.ReadHistory(strings.NewReader(in), l, funnel.Columns{Location: zero})
		require.NoError(t, err)
		assert.Equal(t, slowHealth, health, "the health of times read by crmcsv.Time")
		rs, err := slow.Reach()
		require.NoError(t, err)
		assert.Equal(t, rs, r, "the reach of times read by crmcsv.Time")
		assert.Equal(t, slices.Collect(slow.Events()), slices.Collect(h.Events()), "the events of times read by crmcsv.Time")
	})
}

// FuzzReadDates checks the same of wide files.
func FuzzReadDates(f *testing.F) {
	f.Add("Record ID,Became a Lead Date,Became an SQL Date\n1,2025-01-02,\n2,,2025-01-01\n3,x,\n4,,\n")
	f.Add("Record ID,Lead,SQL\r\n1,3/4/2025 1:00 PM,1741098125\r\n\xff,1,2\r\n")
	l, _ := funnel.NewLifecycle("Lead", "SQL")
	f.Fuzz(func(t *testing.T, in string) {
		_, health, err := funnel.ReadDates(strings.NewReader(in), l, funnel.Columns{})
		if err != nil {
			return
		}
		assert.Equal(t, health.Read, health.Used+health.Rejected)
	})
}
