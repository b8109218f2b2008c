package cohort_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
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

// TestTableUnmarshalJSON checks that a table reads back from its JSON
// with every field (the reference is the table written: the same cells,
// amounts Equal and written alike), nil and empty slices kept.
func TestTableUnmarshalJSON(t *testing.T) {
	young := demoTable(t)
	young.Cohorts = append(young.Cohorts, cohort.Cohort{Start: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), Size: 1})
	bound := &cohort.Table{Cohorts: []cohort.Cohort{{Size: 1, Cells: []cohort.Cell{{Active: 1, Survivors: 1,
		Revenue:  decimal.RequireFromString("999999999999999999999999999999.999999999999999999"),
		Movement: cohort.Movement{Churn: decimal.RequireFromString("-0.000000000000000001")}}}}}}
	tests := []struct {
		name string
		t    *cohort.Table
	}{
		{"demo", demoTable(t)},
		{"100 × 24", benchTable()},
		{"a cohort without cells", young},
		{"zero", &cohort.Table{}},
		{"no cohorts", &cohort.Table{Grain: cohort.Week, Cohorts: []cohort.Cohort{}}},
		{"amounts at the bound on money", bound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.t.MarshalJSON()
			require.NoError(t, err)
			var back cohort.Table
			require.NoError(t, back.UnmarshalJSON(b))
			assert.Equal(t, tt.t.Grain, back.Grain)
			assert.True(t, tt.t.Through.Equal(back.Through))
			require.Len(t, back.Cohorts, len(tt.t.Cohorts))
			assert.Equal(t, tt.t.Cohorts == nil, back.Cohorts == nil)
			for i, c := range tt.t.Cohorts {
				got := back.Cohorts[i]
				assert.True(t, c.Start.Equal(got.Start))
				assert.Equal(t, c.Size, got.Size)
				require.Len(t, got.Cells, len(c.Cells))
				assert.Equal(t, c.Cells == nil, got.Cells == nil)
				for a, cell := range c.Cells {
					g := got.Cells[a]
					assert.Equal(t, [2]int64{cell.Active, cell.Survivors}, [2]int64{g.Active, g.Survivors})
					assert.True(t, cell.Revenue.Equal(g.Revenue))
					assert.Equal(t, cell.Revenue.String(), g.Revenue.String())
					assert.Equal(t, fmt.Sprint(cell.Movement), fmt.Sprint(g.Movement))
				}
			}
		})
	}
}

// TestTableUnmarshalJSONErrors checks the bound on money (30 digits
// before the point, 18 after it, 64 bytes of text) and the strict keys: a
// revenue of 1e1000000000, which decimal reads as 1 and 10⁹ zeros (or
// refuses beyond its MaxDecodeExponent, 10 000, with its own error), is an
// error naming the cell's key path and quoting the text short.
func TestTableUnmarshalJSONErrors(t *testing.T) {
	cell := func(revenue, churn string) string {
		return `{"grain":"month","through":"2024-02-01T00:00:00Z","cohorts":[{"start":"2024-01-01T00:00:00Z","size":2,"cells":[` +
			`{"active":2,"survivors":2,"revenue":"150","movement":{"new":"150","newAccounts":2}},` +
			`{"active":1,"survivors":1,"revenue":` + revenue + `,"movement":{"opening":"150","churn":` + churn + `,"openingAccounts":2,"churned":1}}]}]}`
	}
	tests := []struct{ name, in, want string }{
		{"revenue of a billion digits", cell(`"1e1000000000"`, `"50"`),
			`cohort.Table.UnmarshalJSON: cohorts[0].cells[1].revenue "1e1000000000": more than 30 digits before the point`},
		{"revenue as a number", cell(`1e31`, `"50"`),
			`cohort.Table.UnmarshalJSON: cohorts[0].cells[1].revenue "1e31": more than 30 digits before the point`},
		{"churn of a billion places", cell(`"100"`, `"5e-1000000000"`),
			`cohort.Table.UnmarshalJSON: cohorts[0].cells[1].movement.churn "5e-1000000000": more than 18 decimal places`},
		{"revenue of a million digits", cell(`"`+strings.Repeat("9", 1e6)+`"`, `"50"`),
			`cohort.Table.UnmarshalJSON: cohorts[0].cells[1].revenue "` + strings.Repeat("9", 64) + `"…: a value of 1000000 bytes: more than 64`},
		{"revenue not a number", cell(`"ten"`, `"50"`),
			`cohort.Table.UnmarshalJSON: cohorts[0].cells[1].revenue "ten": not a number`},
		{"unknown grain", `{"grain":"day"}`, `cohort.Table.UnmarshalJSON: grain "day": unknown grain`},
		{"unknown key", `{"grain":"month","cohorts":[{"size":1,"cells":[{"mrr":"1"}]}]}`,
			`cohort.Table.UnmarshalJSON: cohorts[0].cells[0] document: json: unknown field "mrr"`},
		{"size as a string", `{"cohorts":[{"size":"1"}]}`, `cohort.Table.UnmarshalJSON: cohorts[0].size string: cannot be decoded into int64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tab cohort.Table
			err := tab.UnmarshalJSON([]byte(tt.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, kpi.ErrInvalid)
			assert.Equal(t, tt.want, err.Error())
			assert.Less(t, len(err.Error()), 200)
		})
	}
}

// FuzzTableUnmarshalJSON holds that a table that decodes writes JSON
// (every amount within the bound on money, a known grain) that decodes to
// a table writing the same bytes.
func FuzzTableUnmarshalJSON(f *testing.F) {
	f.Add([]byte(`{"grain":"month","through":"2024-01-01T00:00:00Z","cohorts":[{"start":"2024-01-01T00:00:00Z","size":2,"cells":[{"active":2,"survivors":2,"revenue":"150","movement":{"opening":"0","new":"150","expansion":"0","reactivation":"0","contraction":"0","churn":"0","openingAccounts":0,"newAccounts":2,"reactivated":0,"churned":0}}]}]}`))
	f.Add([]byte(`{"grain":"week","cohorts":[{"size":1,"cells":[{"revenue":"1e1000000000","movement":{"churn":"-2.5e-1000000000"}}]}]}`))
	f.Add([]byte(`{"cohorts":[{"cells":[{"revenue":999999999999999999999999999999.999999999999999999}]},{"cells":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tab cohort.Table
		if err := tab.UnmarshalJSON(data); err != nil {
			require.ErrorIs(t, err, kpi.ErrInvalid)
			return
		}
		b, err := tab.MarshalJSON()
		require.NoError(t, err)
		var back cohort.Table
		require.NoError(t, back.UnmarshalJSON(b), "%s", b)
		again, err := back.MarshalJSON()
		require.NoError(t, err)
		assert.Equal(t, string(b), string(again))
	})
}

// A table loaded from its JSON, and one whose revenue has a billion digits.
func ExampleTable_UnmarshalJSON() {
	var tab cohort.Table
	err := json.Unmarshal([]byte(`{"grain":"month","through":"2024-01-01T00:00:00Z","cohorts":[{"start":"2024-01-01T00:00:00Z","size":2,`+
		`"cells":[{"active":2,"survivors":2,"revenue":"150","movement":{"new":"150","newAccounts":2}}]}]}`), &tab)
	fmt.Println(err, tab.Cohorts[0].Cells[0].Revenue)
	err = json.Unmarshal([]byte(`{"cohorts":[{"size":2,"cells":[{"revenue":"1e1000000000"}]}]}`), &tab)
	fmt.Println(err)
	// Output:
	// <nil> 150
	// cohort.Table.UnmarshalJSON: cohorts[0].cells[0].revenue "1e1000000000": more than 30 digits before the point
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
