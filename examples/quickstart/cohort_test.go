package main

import (
	"strings"
	"testing"
)

// TestCohortSection runs the cohort section and checks its numbers,
// worked out by hand. Each cohort of 10 keeps 8, 7 and 6 customers after
// 1, 2 and 3 months, and its revenue by age is 1000, 850 (7·100 + 150),
// 750 and 650. April opens at 750 + 850 + 1000 = 2600 from 25 accounts;
// 4 of them leave (400), one upgrades (+50) and a new cohort adds 1000:
//
//	NRR = (2600 + 50 − 400)/2600 = 86.5 %, quick ratio = 1050/400 = 2.62
//	ARPA = 3250/31 = 104.84, LTV = 104.84·0.8/0.16 = 524.19
//	CAC = (12000 + 8000)/40 = 500, LTV:CAC = 1.0, payback = 500/83.87 = 6.0
//
// The sBG estimates, α = 0.543 and β = 2.222, and the projected shares
// come from a separate coordinate search on the pooled likelihood in
// Python (α = 0.54315, β = 2.22161).
func TestCohortSection(t *testing.T) {
	var b strings.Builder
	if err := cohortSection(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, tc := range []struct{ name, want string }{
		{"oldest cohort", "2024-01        10  100%   80%   70%   60%"},
		{"immature corner", "2024-03        10  100%   80%\n2024-04        10  100%\n"},
		{"pooled", "14/20 (70.00%)"},
		{"april", "April: MRR 3250, NRR 86.5%, quick ratio 2.62, logo churn 4/25 (16.00%)"},
		{"economics", "ARPA 104.84, LTV 524.19 at 80% margin, fully loaded CAC 500.00: LTV:CAC 1.0, payback 6.0 months"},
		{"sBG", "sBG(α=0.543, β=2.222); projected share of a cohort still paying: month 3 61% month 6 47% month 12 35% month 24 25%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
}
