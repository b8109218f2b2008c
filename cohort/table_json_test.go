package cohort_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort"
)

// plainTable has Table's fields and tags and no methods: encoding/json
// writes it from the tags, the reference for Table.MarshalJSON.
type plainTable cohort.Table

// TestTableMarshalJSON checks that the table's one-pass form is byte for
// byte what encoding/json writes from the tags.
func TestTableMarshalJSON(t *testing.T) {
	young := demoTable(t)
	young.Cohorts = append(young.Cohorts, cohort.Cohort{Start: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), Size: 1})
	tests := []struct {
		name string
		t    *cohort.Table
	}{
		{"demo", demoTable(t)},
		{"100 × 24", benchTable()},
		{"a cohort without cells", young},
		{"zero", &cohort.Table{}},
		{"no cohorts", &cohort.Table{Grain: cohort.Week, Cohorts: []cohort.Cohort{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.t.MarshalJSON()
			require.NoError(t, err)
			want, err := json.Marshal((*plainTable)(tt.t))
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
			var back cohort.Table
			require.NoError(t, json.Unmarshal(got, &back))
			again, err := back.MarshalJSON()
			require.NoError(t, err)
			assert.Equal(t, string(got), string(again))
		})
	}
}

func TestTableMarshalJSONErrors(t *testing.T) {
	tests := []struct {
		name  string
		grain cohort.Grain
	}{
		{"unknown grain", cohort.Grain(9)},
		{"negative grain", cohort.Grain(-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := (&cohort.Table{Grain: tt.grain}).MarshalJSON()
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
		})
	}
}

// A cohort table in JSON: each cohort with its cells, money as decimal
// strings.
func ExampleTable_MarshalJSON() {
	tab, _ := exampleBuilder().Table(date(2024, 1, 1))
	b, _ := json.Marshal(tab)
	fmt.Println(string(b))
	// Output:
	// {"grain":"month","through":"2024-01-01T00:00:00Z","cohorts":[{"start":"2024-01-01T00:00:00Z","size":2,"cells":[{"active":2,"survivors":2,"revenue":"150","movement":{"opening":"0","new":"150","expansion":"0","reactivation":"0","contraction":"0","churn":"0","openingAccounts":0,"newAccounts":2,"reactivated":0,"churned":0}}]}]}
}
