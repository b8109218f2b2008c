package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestPeriodsSection runs the periods section and checks its lines
// against plain counts of the simulated events: per month the SQLs known
// on quarterAsOf and those with an opportunity by then (the naive rate),
// and the truth, the SQLs that will ever convert. January's and
// February's SQLs have had their 30 days (February's last ends on 30
// March), so their naive rates are the truth, and their Kaplan–Meier
// estimates equal them, with the Greenwood log-log interval of
// Kaplan–Meier (R 4.2.2, survival 3.5.3: survfit of 117 conversions
// before day 30 and 283 censored at day 30, conf.type = "log-log",
// gives 1 − S = 0.2925 in [0.2505, 0.3397] at day 30);
// March's are not, and its estimate is nearer the truth than its naive
// rate.
func TestPeriodsSection(t *testing.T) {
	known, truth := sqlQuarter()
	var sqls, opps [3]int64
	for _, e := range known {
		m := int(e.Time.Month()) - 1
		if e.Name == "sql" {
			sqls[m]++
		} else {
			opps[int(e.Entity[4]-'1')]++
		}
	}
	assertEqual(t, opps[0], truth[0])
	assertEqual(t, opps[1], truth[1])
	var b strings.Builder
	if err := periodsSection(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, tc := range []struct{ name, want string }{
		{"january", fmt.Sprintf("2026-01  naive %d/%d (%.2f%%) mature true ", opps[0], sqls[0], 100*float64(opps[0])/float64(sqls[0]))},
		{"january's estimate is its rate", fmt.Sprintf("Kaplan–Meier %4.1f%% [25.1%%, 34.0%%]  truth %4.1f%%", 100*float64(opps[0])/float64(sqls[0]), 100*float64(truth[0])/float64(sqls[0]))},
		{"march", fmt.Sprintf("2026-03  naive %d/%d (%.2f%%)  mature false", opps[2], sqls[2], 100*float64(opps[2])/float64(sqls[2]))},
		{"march's truth", fmt.Sprintf("truth %4.1f%%\n", 100*float64(truth[2])/float64(sqls[2]))},
		{"the artefact", "significant true (an artefact)"},
		{"mature only", "mature months only (left out: [2026-03]): Feb against Jan"},
		{"no change", "significant false"},
		{"curve", "30.2% by day 30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	if n := strings.Count(out, "\n"); n > 12 {
		t.Errorf("section is %d lines long, want ≤ 12", n)
	}
}

func assertEqual(t *testing.T, got, want int64) {
	t.Helper()
	if got != want {
		t.Fatalf("got %d, want %d", got, want)
	}
}
