package kpi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kpiflow/kpi"
)

func TestHealthString(t *testing.T) {
	tests := []struct {
		name string
		h    kpi.Health
		want string
	}{
		{"zero", kpi.Health{}, "rows: 0 read, 0 used, 0 rejected\nduplicates 0, out of order 0, skipped stages 0 entities, backward 0 entities\n"},
		{"faults", kpi.Health{
			Read: 10, Used: 7, Rejected: 3,
			Rejections: []kpi.Rejection{{Line: 4, Reason: "row has 2 fields, the header 3"}, {Line: 9, Column: "Timestamp", Text: "soon", Reason: "unparseable time"}},
			Duplicates: 1, OutOfOrder: 2, Skipped: 3, Backward: 1,
			Unmapped: []kpi.Unmapped{{Value: "Churned", Rows: 2}}, UnmappedRows: 5,
		}, "rows: 10 read, 7 used, 3 rejected\n" +
			"  line 4: row has 2 fields, the header 3\n" +
			"  line 9, column \"Timestamp\": unparseable time \"soon\"\n" +
			"  … and 1 more rejected rows\n" +
			"duplicates 1, out of order 2, skipped stages 3 entities, backward 1 entities\n" +
			"unmapped 5 rows: \"Churned\" 2 … 3 rows of other values\n"},
		{"all unmapped kept", kpi.Health{Read: 1, Used: 1, Unmapped: []kpi.Unmapped{{Value: "x", Rows: 1}}, UnmappedRows: 1},
			"rows: 1 read, 1 used, 0 rejected\nduplicates 0, out of order 0, skipped stages 0 entities, backward 0 entities\nunmapped 1 rows: \"x\" 1\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.h.String())
		})
	}
}
