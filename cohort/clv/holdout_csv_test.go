package clv_test

import (
	"errors"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/cohort/clv"
)

// TestHoldoutGroupsWriteCSV writes TestBGNBDHoldout's hand-computed groups:
// at r = 1, α = 1, a = 2, b = 1 and a holdout of 2, the customer with
// x = 0 expects 2(1 − ln 2) = 0.6137056388801094 purchases and the one
// with x = 1 expects 2 ln 2 − 1 = 0.3862943611198906.
func TestHoldoutGroupsWriteCSV(t *testing.T) {
	m, err := clv.NewBGNBD(1, 1, 2, 1)
	require.NoError(t, err)
	groups, err := m.Holdout(clv.Summary{HoldoutLength: 2, Customers: []clv.RFM{
		{CustomerID: "a", History: clv.History{Frequency: 1, Recency: 1, Age: 1}, Holdout: 1},
		{CustomerID: "b", History: clv.History{Frequency: 0, Recency: 0, Age: 1}},
	}}, 3)
	require.NoError(t, err)
	tests := []struct {
		name string
		g    clv.HoldoutGroups
		want [][]string
	}{
		{"by frequency", groups, [][]string{{"0", "1", "0"}, {"1", "1", "1"}}},
		{"none", nil, nil},
	}
	predicted := []float64{2 * (1 - math.Ln2), 2*math.Ln2 - 1}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, tt.g.WriteCSV(&b))
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			assert.Equal(t, "frequency,customers,actual,predicted", lines[0])
			require.Len(t, lines, len(tt.want)+1)
			for i, want := range tt.want {
				f := strings.Split(lines[i+1], ",")
				assert.Equal(t, want, f[:3])
				v, err := strconv.ParseFloat(f[3], 64)
				require.NoError(t, err)
				assert.InDelta(t, predicted[i], v, 1e-15)
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestHoldoutGroupsWriteCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		w    io.Writer
		want string
	}{
		{"nil writer", nil, "clv.HoldoutGroups.WriteCSV: w <nil>: nil writer"},
		{"writer fails", failWriter{}, "disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := clv.HoldoutGroups{{Frequency: 1}}.WriteCSV(tt.w)
			require.Error(t, err)
			assert.EqualError(t, err, tt.want)
			if tt.w == nil {
				assert.ErrorIs(t, err, kpi.ErrInvalid)
			}
		})
	}
}

// The holdout check of the BG/NBD model as CSV, for a spreadsheet's chart.
func ExampleHoldoutGroups_WriteCSV() {
	s := exampleSummary()
	m, _ := clv.FitBGNBD(s.Customers)
	groups, _ := m.Holdout(s, 3)
	_ = groups.WriteCSV(os.Stdout)
	// Output:
	// frequency,customers,actual,predicted
	// 0,114,1.5526315789473684,1.4880665118045158
	// 1,604,0.478476821192053,0.480992718983415
	// 2,1282,1.6349453978159125,1.5420704981980908
}
