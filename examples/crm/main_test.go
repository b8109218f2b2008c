package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun runs the whole program and checks the lines that show each
// part of the flow, faults included.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	dir := t.TempDir()
	if err := run(&out, 5000, 1, dir); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	tests := []struct{ name, want string }{
		{"contacts health", "rows: 5003 read, 4998 used, 5 rejected"},
		{"bad date", `column "Became a Lead Date": no such date "2025-02-30 10:00"`},
		{"short row", "row has 3 fields, the header 10"},
		{"skips and moves back", "duplicates 1, out of order 0, skipped stages 3380 entities, backward 3 entities"},
		{"funnel with intervals", "Customer                    190   30.30%  [26.83%, 34.01%]"},
		{"skipped SQLs", "Sales Qualified Lead          74 of  1046"},
		{"bottleneck", "Marketing Qualified Lead→Sales Qualified Lead      rate 0.457 < target 0.50"},
		{"touch log health", `column "Conversion": not yes or no "maybe"`},
		{"unmapped channel", `unmapped 125 rows: "radio-ad / offline" 125`},
		{"plan", "== plan for 2000000 of revenue"},
		// Each month's entrants sum to the 4 997 contacts of the funnel.
		{"monthly cohort", "2025-01    463    463    212     86     48     17     3.7% [ 2.3%,  5.8%]      mature"},
		{"maturing cohort", "2025-10    439    439    195     86     50     13     3.0% [ 1.7%,  5.0%]      maturing: 37 still open"},
		{"empty month", "2025-11  no contacts entered"},
		{"a channel that earned nothing", "Podcast           0.0 conv  value        0.00  spend  12000.00  cost/conv         -  return   0.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(got, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, got)
			}
		})
	}
	for _, f := range []string{"contacts.csv", "touches.csv"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name string
		n    int
		dir  string
		want string
	}{
		{"too few contacts", 10, "", "-contacts 10: want at least 100"},
		{"no such dir", 100, "/nonexistent/dir", "no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := run(&bytes.Buffer{}, tc.n, 1, tc.dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}
