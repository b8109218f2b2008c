package main

import (
	"strings"
	"testing"
)

// TestFunnelSection runs the funnel section and checks the lines that carry
// its numbers, worked out by hand:
//
//	Visit→Lead gain: (0.025 − 0.02)·12000 = 60 leads · 96/240 · 40/96 · 25/40 · 6/25 = 1.5 deals
//	MQL→SQL gain:    (0.5 − 40/96)·96 = 8 SQLs · 25/40 · 6/25 = 1.2 deals
//	plan for 240000 at 24000 a deal: 10 won, ⌈10/0.24⌉ = 42, ⌈42/0.625⌉ = 68,
//	  ⌈68·96/40⌉ = 164, ⌈164/0.4⌉ = 410 leads, ⌈410/0.02⌉ = 20500 visits; 410·45 = 18450
//	velocity: 25 · 6/25 · 24000 / 60 days = 2400 a day
//
// and the p-values from R: binom.test(240, 12000, 0.025, alternative =
// "less") gives 0.000164; fisher.test(matrix(c(52, 58, 40, 56), 2, byrow =
// TRUE)) gives 0.483.
func TestFunnelSection(t *testing.T) {
	var b strings.Builder
	if err := funnelSection(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, tc := range []struct{ name, want string }{
		{"table", "SQL             40   41.67%  [32.31%, 51.66%]       0.33%  56 (58.33%)"},
		{"top bottleneck", "Visit→Lead        2.00% vs  2.5%: +1.50 deals (+36000), below (confident), p = 0.0002"},
		{"second bottleneck", "MQL→SQL          41.67% vs 50.0%: +1.20 deals (+28800), below, p = 0.0627"},
		{"plan", "10 Won ← 42 Opportunity ← 68 SQL ← 164 MQL ← 410 Lead ← 20500 Visit"},
		{"budget", "lead budget at 45.00 a lead: 18450.00"},
		{"velocity", "2400.00 a day"},
		{"change", "SQL          52/110 (47.27%) → 40/96 (41.67%): -5.61 points, p = 0.483, noise"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	if n := strings.Count(out, "\n"); n > 25 {
		t.Errorf("section is %d lines long, want ≤ 25", n)
	}
}
