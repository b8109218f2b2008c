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
// Python (α = 0.54315, β = 2.22161). Their intervals are R 4.2.2's: the
// same likelihood maximised by optim(hessian = TRUE) over (ln α, ln β),
// V <- solve(o$hessian), and the delta method on the logit of S(t) (and
// of S(a)/S(3) for the January cohort's 6 survivors at month 3) with a
// central-difference gradient: S(3) 0.6092 [0.3768, 0.8008], S(6) 0.4720
// [0.1495, 0.8198], S(12) 0.3483 [0.0390, 0.8757], S(24) 0.2488 [0.0084,
// 0.9282]; month 4 5.435 [3.345, 5.919], 5 4.998 [2.060, 5.877], 6 4.649
// [1.373, 5.853]. Forty customers leave the model very uncertain.
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
		{"sBG", "sBG(α=0.543, β=2.222); projected share of a cohort still paying, with its 95% interval:\n" +
			"  month  3  61% [38%, 80%]\n  month  6  47% [15%, 82%]\n  month 12  35% [4%, 88%]\n  month 24  25% [1%, 93%]\n"},
		{"band", "the 2024-01 cohort's survivors, observed to month 3, then projected: month 4 5.4 [3.3, 5.9] month 5 5.0 [2.1, 5.9] month 6 4.6 [1.4, 5.9]"},
		{"LTV band", "its LTV per customer 1732.03, 95% interval [314.68, 39890.19]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
}
