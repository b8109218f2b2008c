package main

import (
	"strings"
	"testing"
)

// TestWatchSection runs the watching section and checks its lines. The
// centre line is Σx/Σn = 204/489 = 41.7 %; week 8's 9/38 = 23.7 % lies
// below its Laney limit, and weeks 3 to 8 fall five times in a row
// (53.7, 46.2, 45.5, 42.5, 37.2, 23.7); R 4.2.2's prop.trend.test on the
// twelve weeks gives X-squared 5.9 (z = −2.43), p = 0.0151; the exact
// sample size is the one of kpi's TestDesignOneExact (245, by brute
// force in R), and ⌈245/40⌉ = 7 weeks. The landing pages' sequence after
// week 4 (476/8000 against 648/8000) is R's, from its definition solved
// with optimize and uniroot, as in kpi's TestDiffSequenceInterval:
// [0.00103, 0.04218]; after week 3 (362/6000, 486/6000) its lower end is
// still below 0.
func TestWatchSection(t *testing.T) {
	var b strings.Builder
	if err := watch(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, tc := range []struct{ name, want string }{
		{"centre", "centre 41.7%"},
		{"week 8", "week  8  9/38 (23.68%)   limits [24.6%, 58.9%]"},
		{"signals", "beyond|drift"},
		{"SLA", "excludes the 50% SLA after 12 weeks: true"},
		{"trend", "z = -2.43, p = 0.0151"},
		{"size", "245 MQLs, 7 weeks at 40 a week"},
		{"pages, week 3", "week 3  A 362/6000 (6.03%)  B 486/6000 (8.10%)  B − A in [-0.28,"},
		{"pages", "B − A in [+0.10, +4.22] points"},
		{"decision", "decided in week 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
}
